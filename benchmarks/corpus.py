"""A generated news corpus served over HTTP, for the end-to-end benchmark (`make bench`).

N sources (``s0000`` … ``s{N-1}``), each an RSS 2.0 feed of M items; every item links to an article page
of 30–150 KB of HTML with the furniture of a real news site: head with meta tags, inline CSS and
JSON-LD, a mega-menu, breadcrumbs, the article (headline, byline, paragraphs), a sidebar of most-read
and trending headlines, cards of more stories, a footer of links, and inline scripts (analytics, ad
slots, page state) that pad the page to its size. Everything is generated on the fly from the seed:
nothing is written to disk and a page is the same bytes whenever it is asked for.

The stories are our own writing, made up by a small grammar (invented towns, people and councils; no
real article is copied):

* 20 % of the items are **syndicated copies** of another source's story: the same paragraphs behind a
  wire prefix (``MENAFN - IANS)``, ``Rome, Feb 27 (IANS)``, ``(ANSA) - ROME -``), perhaps with the last
  paragraph dropped and a wire trailer or a portal disclaimer added, under a re-cased headline, in the
  copying source's own page furniture.
* 5 % of the items are **India–Italy defence stories** (Indian and Italian defence ministries, armed
  forces, officials and companies, MoUs, co-production, exercises), which the tagger should find
  relevant; their copies are relevant too, and the share holds over copies and originals together.
* the rest are local news of invented places (councils, markets, weather, culture, sport, schools) that
  never name a defence matter beside both countries.

Which item is which is exact up to rounding (a seeded permutation of all items, not a coin per item).
``python -m benchmarks.corpus serve`` runs the server in its own process (the benchmark does, so that
generating pages never competes with the measured code for the same interpreter).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import json
import random
import re
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.httpserver import NOT_FOUND, ROBOTS_ALLOW_ALL, LocalServer, QuietHandler, not_modified

SYNDICATED_SHARE = 0.20
RELEVANT_SHARE = 0.05
MIN_PAGE_BYTES = 30 * 1024
MAX_PAGE_BYTES = 150 * 1024
DEFAULT_ANCHOR = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
FEED_RE = re.compile(r"^/feeds/s(\d+)\.xml$")
PAGE_RE = re.compile(r"^/s(\d+)/news/(\d+)-[a-z0-9-]+\.html$")

# --------------------------------------------------------------------------------------------------
# Vocabulary: made-up places and people, ordinary words. No country, no defence term in the local news.

PLACES = (
    "Harrowgate",
    "Varnley",
    "Kestrel Bay",
    "Dunmere",
    "Ostravel",
    "Pinecrest",
    "Ambervale",
    "Corrinford",
    "Lisk",
    "Maradon",
    "Tolleby",
    "Wenlow",
    "Brisca",
    "Saltmoor",
    "Hollin",
    "Edgecombe",
    "Farrowdale",
    "Quenby",
    "Ruskin Vale",
    "Thornwick",
    "Marlow Cross",
    "Ivybridge",
    "Calder Heights",
    "Gorsey",
    "Fenwick",
    "Oldmere",
    "Ashcombe",
    "Ravensholm",
    "Tamsin Point",
    "Dovecote",
    "Larkspur",
    "Pellan",
    "Wyckham",
)
FIRST = (
    "Amara Bastian Celine Dorian Elska Fenna Gideon Halima Ismay Joren Kalia Lucan Maren Nadim Orla Pieter "
    "Quilla Rosalind Soren Tamsin Ulric Vesna Wilder Xanthe Yusra Zoltan Anouk Bram Cosima Dario Eluned Faisal"
).split()
LAST = (
    "Ashdown Brightwell Corrigan Delacroix Ellery Fairbairn Garrow Hartigan Ingleby Jessop Kettering Lindqvist "
    "Marchetti Northcott Okonkwo Pemberton Quayle Rothwell Sandoval Thackeray Underhill Varga Whitlock Yardley"
).split()
ROLES = (
    "chairs the finance committee",
    "runs a bakery on the high street",
    "teaches at the grammar school",
    "leads the residents' association",
    "manages the covered market",
    "coaches the under-twelves",
    "edits the parish newsletter",
    "owns a hardware shop near the station",
    "directs the county museum",
    "heads the water board",
    "organises the summer fair",
    "serves as harbour master",
)
SUBJECTS = (
    "The town council",
    "Residents of {place}",
    "The regional water board",
    "Local traders",
    "The transport authority",
    "A group of volunteers",
    "The chamber of commerce",
    "Farmers near {place}",
    "The municipal library",
    "Head teachers in {place}",
    "The county planning office",
    "Shopkeepers on Mill Street",
    "The harbour trust",
    "The hospital board",
    "Bus drivers in {place}",
    "The festival committee",
    "Parents at the {place} primary school",
    "The tourist office",
    "The cycling club",
    "Allotment holders",
)
VERBS = (
    "approved",
    "announced",
    "debated",
    "postponed",
    "welcomed",
    "criticised",
    "unveiled",
    "reviewed",
    "extended",
    "funded",
    "rejected",
    "questioned",
    "celebrated",
    "finalised",
    "delayed",
    "proposed",
)
OBJECTS = (
    "a plan to resurface the ring road",
    "new opening hours for the covered market",
    "a budget for the harbour promenade",
    "the closure of two branch libraries",
    "a rise in parking charges",
    "a scheme to plant four hundred trees",
    "the timetable for the night buses",
    "repairs to the old bridge",
    "a bid to host the county fair",
    "a study of flooding on the lower meadows",
    "the new recycling rules",
    "plans for a covered swimming pool",
    "a grant for the community orchestra",
    "the renovation of the town hall",
    "a ban on lorries in the old quarter",
    "the design of the new marketplace",
    "a survey of empty shops",
    "the expansion of the farmers' market",
    "a pilot of electric ferries",
    "the rebuilding of the sports pavilion",
    "a winter shelter for rough sleepers",
    "the merger of two village schools",
    "a cap on holiday lettings",
    "a mural on the railway underpass",
    "the route of the marathon",
    "a tax on second homes",
)
COMPLEMENTS = (
    "after a long public consultation",
    "despite worries about the cost",
    "ahead of the rainy season",
    "in a vote on {weekday} evening",
    "following complaints from residents",
    "to the surprise of many observers",
    "after three hours of discussion",
    "with support from neighbouring parishes",
    "once the survey results arrived",
    "while the budget remains tight",
    "before the summer holidays",
    "as visitor numbers keep rising",
    "under pressure from local businesses",
    "in a packed meeting at the {place} guildhall",
)
QUOTES = (
    "We have waited a long time for this and people deserve an answer",
    "Nobody here wants to see the high street empty on a Saturday",
    "The figures simply do not add up yet, and we need to see them",
    "It is a good day for the town and for the families who live here",
    "We listened to every letter and every phone call we received",
    "The weather has not helped, but the work is nearly finished",
    "This is about keeping young people in the valley",
    "We will look at it again in the spring when the numbers are clearer",
    "Our members are tired of promises and want to see diggers on site",
    "There is still room for improvement and we said so at the meeting",
)
FACTS = (
    "The work is expected to cost {money} and to take {months} months.",
    "About {count} people signed a petition on the matter last {month}.",
    "The last comparable project in {place} was completed in {year}.",
    "Attendance at the market has grown by {pct} per cent over two years.",
    "The council will publish its full report on its website next week.",
    "Rainfall in the district was {pct} per cent above the average this season.",
    "A second meeting is planned for the first {weekday} of {month}.",
    "Some {count} households are affected by the changes, according to the clerk.",
    "The scheme is funded partly by a lottery grant of {money}.",
    "Bus passengers made {count} journeys on the route in the past year.",
)
LOCAL_TOPICS = ("Local", "Business", "Weather", "Culture", "Education", "Transport", "Community", "Sport")
SPORT_SENTENCES = (
    "In the county league the {place} side scored twice in the second half to win the match.",
    "The club's goalkeeper kept a clean sheet for the fourth game in a row.",
    "Their coach said the squad had trained hard through the winter.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip

# India–Italy defence: names the tagger knows (taxonomy.yaml), in sentences of our own.
IN_ACTORS = (
    "India's Defence Secretary",
    "Hindustan Aeronautics",
    "Bharat Electronics",
    "DRDO",
    "Mazagon Dock Shipbuilders",
    "the Indian Navy",
    "the Indian Army",
    "the Indian Air Force",
    "Defence Minister Rajnath Singh",
    "Cochin Shipyard",
    "Tata Advanced Systems",
    "Bharat Dynamics",
    "Garden Reach Shipbuilders",
    "the Indian Ministry of Defence",
    "the Society of Indian Defence Manufacturers",
)
IT_ACTORS = (
    "Leonardo S.p.A.",
    "Fincantieri",
    "Elettronica SpA",
    "the Italian Navy",
    "Italy's National Armaments Director",
    "Defence Minister Guido Crosetto",
    "MBDA Italia",
    "the Italian Ministry of Defence",
    "Iveco Defence Vehicles",
    "Whitehead Sistemi Subacquei",
    "the Italian Air Force",
    "the Italian Army",
    "OTO Melara",
)
SYSTEMS = (
    "naval radars",
    "helicopter transmissions",
    "torpedo systems",
    "frigate propulsion units",
    "trainer aircraft avionics",
    "surveillance drones",
    "artillery fire control",
    "submarine sonar",
    "naval guns",
    "missile seekers",
    "electronic warfare suites",
    "armoured vehicle engines",
)
IN_CITIES = ("New Delhi", "Bengaluru", "Mumbai", "Hyderabad", "Visakhapatnam", "Pune", "Chennai", "Kochi")
IT_CITIES = ("Rome", "Genoa", "La Spezia", "Turin", "Naples", "Taranto", "Livorno", "Florence")
DEFENCE_SENTENCES = (
    "{IN} and {IT} signed a memorandum of understanding on {system} in {city} on {weekday}.",
    "{IT} will work with {IN} on the co-production of {system} under Make in India, the two sides said.",
    "Officials from {IN} met a delegation of {IT} in {city} to review defence cooperation between India and Italy.",
    "The agreement between {IN} and {IT} covers technology transfer for {system} over {n} years.",
    "{IN} said the joint venture with {IT} would build {system} for the Indian Navy at a yard near {incity}.",
    "Italian and Indian defence companies, led by {IT} and {IN}, agreed on a supply chain plan for {system}.",
    "The Italian Navy and the Indian Navy will hold a joint exercise off {incity}, with {IT} and {IN} observing.",
    "A defence industry seminar in {itcity} brought {IT} together with {IN} and {n} other Indian firms.",
    "{IN} told reporters that talks with {IT} on {system} had moved to the contract stage.",
    "Under the MoU, {IT} is to open a design office in {incity} with {IN} for {system}.",
    "The Indian Ministry of Defence said the deal with {IT} for {system} was worth {money}.",
    "Defence ties between India and Italy have grown since {year}, when {IT} first supplied {system} to {IN}.",
    "{IT} and {IN} plan to co-develop {system} for the armed forces of both countries.",
    "India's Defence Secretary and Italy's National Armaments Director discussed {system} and military cooperation.",
)
DEFENCE_FILLER = (
    "The visit was the {nth} of its kind this year, officials said.",
    "A joint working group is to meet again in {month} to follow up.",
    "Both delegations toured a production line at {plant} before the talks ended.",
    "The statement did not give a timeline for the first deliveries.",
    "Industry representatives welcomed the outcome and asked for faster approvals.",
    "The next round is expected in {itcity} after the summer.",
)
WIRE_FORMS = ("menafn", "ians", "ansa", "portal")
DISCLAIMER = (
    "Legal Disclaimer: MENAFN provides the information “as is” without warranty of any kind. We do not "
    "accept any responsibility or liability for the accuracy, content, images, videos, licenses, "
    "completeness, legality, or reliability of the information contained in this article."
)
MASTHEADS = ("Courier", "Herald", "Gazette", "Chronicle", "Wire", "Post", "Observer")
SECTIONS = (
    "Home",
    "News",
    "Local",
    "Business",
    "Markets",
    "Politics",
    "Opinion",
    "Culture",
    "Sport",
    "Science",
    "Technology",
    "Travel",
    "Food",
    "Health",
    "Education",
    "Motoring",
    "Property",
    "Jobs",
    "Podcasts",
    "Video",
    "Photos",
    "Weather",
    "Obituaries",
    "Letters",
    "Puzzles",
    "Events",
    "Archive",
    "Newsletters",
)


# --------------------------------------------------------------------------------------------------
# The corpus: which item is what, and its story.


@dataclass(frozen=True)
class ItemInfo:
    source: int
    index: int
    kind: str  # "original", "relevant" (an original India–Italy defence story) or "syndicated"
    origin: tuple[int, int]  # the story's original item: itself, or the one it is a copy of
    relevant: bool
    size: int  # target page size in bytes


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]
    topic: str
    relevant: bool
    author: str


def _rng(*parts: object) -> random.Random:
    return random.Random("/".join(str(p) for p in parts))  # str seeds hash with SHA-512: stable everywhere


class Corpus:
    """Which of ``sources × items`` items is an original, a relevant story or a copy; their pages and feeds.

    Deterministic in (``seed``, ``sources``, ``items``); ``anchor`` only places the publication times
    (the 24 hours before it), so a corpus is the same text whenever it is served.
    """

    def __init__(self, sources: int, items: int, seed: int = 42, anchor: datetime = DEFAULT_ANCHOR) -> None:
        if sources < 1 or items < 1:
            raise ValueError("a corpus needs at least one source and one item")
        self.sources, self.items, self.seed, self.anchor = sources, items, seed, anchor
        self.base_url = "http://127.0.0.1"
        total = sources * items
        # A seeded permutation of all items gives exact shares: the first 20 % (in permuted order) are
        # copies, a quarter of a percent of those copy relevant stories, and so on.
        order = list(range(total))
        _rng(seed, "order").shuffle(order)
        n_copies = round(total * SYNDICATED_SHARE) if sources > 1 else 0
        n_relevant = round(total * RELEVANT_SHARE)
        n_relevant_copies = round(n_copies * RELEVANT_SHARE)
        n_relevant_originals = max(1 if n_relevant else 0, n_relevant - n_relevant_copies)
        self._kind = ["original"] * total
        copies = order[:n_copies]
        for k in order[n_copies : n_copies + n_relevant_originals]:
            self._kind[k] = "relevant"
        for k in copies:
            self._kind[k] = "syndicated"
        relevant_originals = [k for k in range(total) if self._kind[k] == "relevant"]
        plain_originals = [k for k in range(total) if self._kind[k] == "original"]
        sizes = _rng(seed, "sizes")
        self._size = [sizes.randint(MIN_PAGE_BYTES, MAX_PAGE_BYTES) for _ in range(total)]
        self._cards: list[tuple[str, str]] | None = None
        self._origin: dict[int, int] = {}
        for rank, k in enumerate(copies):
            pool = relevant_originals if rank < n_relevant_copies and relevant_originals else plain_originals
            rng = _rng(seed, "origin", k)
            start = rng.randrange(len(pool))
            for step in range(len(pool)):  # the first original of another source from a random place
                candidate = pool[(start + step) % len(pool)]
                if candidate // items != k // items:
                    self._origin[k] = candidate
                    break
            else:  # one source only: no copies (n_copies is 0 then)
                self._kind[k] = "original"

    # -- items -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.sources * self.items

    def info(self, source: int, index: int) -> ItemInfo:
        k = source * self.items + index
        kind = self._kind[k]
        origin = self._origin.get(k, k)
        relevant = self._kind[origin] == "relevant"
        return ItemInfo(source, index, kind, divmod(origin, self.items), relevant, self._size[k])

    def all_items(self) -> list[ItemInfo]:
        return [self.info(s, i) for s in range(self.sources) for i in range(self.items)]

    def source_name(self, source: int) -> str:
        return f"s{source:04d}"

    def published(self, source: int, index: int) -> datetime:
        info = self.info(source, index)
        if info.kind == "syndicated":
            minutes = _rng(self.seed, "lag", source, index).randint(10, 90)
            return min(self.published(*info.origin) + timedelta(minutes=minutes), self.anchor - timedelta(minutes=1))
        minutes = _rng(self.seed, "time", source, index).randint(90, 23 * 60)
        return (self.anchor - timedelta(minutes=minutes)).replace(second=0, microsecond=0)

    def page_path(self, source: int, index: int) -> str:
        return f"/{self.source_name(source)}/news/{index}-{_slug(self.title(source, index))}.html"

    def page_url(self, source: int, index: int) -> str:
        return self.base_url + self.page_path(source, index)

    def feed_url(self, source: int) -> str:
        return f"{self.base_url}/feeds/{self.source_name(source)}.xml"

    # -- stories -----------------------------------------------------------------------------------

    def story(self, source: int, index: int) -> Story:
        """The original story an item carries (a copy carries its origin's)."""
        origin = self.info(source, index).origin
        return _story(self.seed, origin[0], origin[1], self._kind[origin[0] * self.items + origin[1]] == "relevant")

    def title(self, source: int, index: int) -> str:
        info = self.info(source, index)
        title = self.story(source, index).title
        if info.kind == "syndicated":
            form = WIRE_FORMS[_rng(self.seed, "wire", source, index).randrange(len(WIRE_FORMS))]
            return _title_case(title) if form in ("menafn", "portal") else title
        return title

    def body_paragraphs(self, source: int, index: int) -> list[str]:
        """The article text as this item's page shows it: a copy adds its wire furniture."""
        info = self.info(source, index)
        paragraphs = list(self.story(source, index).paragraphs)
        if info.kind != "syndicated":
            return paragraphs
        rng = _rng(self.seed, "copy", source, index)
        form = WIRE_FORMS[_rng(self.seed, "wire", source, index).randrange(len(WIRE_FORMS))]
        when = self.published(*info.origin)
        place = _rng(self.seed, "dateline", *info.origin).choice(IN_CITIES + IT_CITIES if info.relevant else PLACES)
        if len(paragraphs) > 4 and rng.random() < 0.5:
            paragraphs = paragraphs[:-1]  # the portal cut the last paragraph
        first = paragraphs[0]
        if form == "menafn":
            paragraphs[0] = f"MENAFN - IANS) {place}, {when:%b} {when.day} (IANS) {first}"
            paragraphs.append(DISCLAIMER)
        elif form == "ians":
            paragraphs[0] = f"{place}, {when:%b} {when.day} (IANS) {first}"
            paragraphs.append("--IANS\n" + rng.choice(("ab/cd", "sktr/vd", "rn/dpb", "pgh/khz")))
        elif form == "ansa":
            paragraphs[0] = f"(ANSA) - {place.upper()}, {when:%b}. {when.day} - {first}"
            paragraphs.append("REPRODUCTION RESERVED © Copyright ANSA")
        else:
            paragraphs[0] = f"{place}: {first}"
            paragraphs.insert(2, "Also Read: " + _story(self.seed, info.source, (info.index + 1) % self.items,
                                                         False).title)  # fmt: skip
        return paragraphs

    # -- representations ---------------------------------------------------------------------------

    def cards(self) -> list[tuple[str, str]]:
        """(path, headline) of a few hundred items across the corpus, for the pages' story lists."""
        if self._cards is None:
            rng = _rng(self.seed, "cards")
            picks = [divmod(rng.randrange(len(self)), self.items) for _ in range(min(len(self), 300))]
            self._cards = [(self.page_path(s, i), self.title(s, i)) for s, i in picks]
        return self._cards

    def feed(self, source: int) -> bytes:
        return _feed_xml(self, source)

    def page(self, source: int, index: int) -> bytes:
        return _page_html(self, source, index)

    def describe(self) -> dict[str, int]:
        kinds = Counter(self._kind)
        return {
            "sources": self.sources,
            "items": len(self),
            "originals": kinds["original"] + kinds["relevant"],
            "syndicated": kinds["syndicated"],
            "relevant_items": sum(1 for k in range(len(self)) if self._kind[self._origin.get(k, k)] == "relevant"),
            "stories": kinds["original"] + kinds["relevant"],
        }


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower())[:8]) or "story"


def _title_case(title: str) -> str:
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in title.split())


@functools.lru_cache(maxsize=4096)
def _story(seed: int, source: int, index: int, relevant: bool) -> Story:
    rng = _rng(seed, "story", source, index)
    place = rng.choice(PLACES)
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    fill = _Filler(rng, place)
    if relevant:
        return _defence_story(rng, fill, author)
    topic = rng.choice(LOCAL_TOPICS)
    subject = rng.choice(SUBJECTS).format(place=place)
    obj = rng.choice(OBJECTS)
    title = f"{place}: {subject.split(' ', 1)[1] if subject.startswith('The ') else subject} {rng.choice(VERBS)} {obj}"
    paragraphs = [f"{subject} {rng.choice(VERBS)} {obj} {fill(rng.choice(COMPLEMENTS))}, {fill.person()} said."]
    for _ in range(rng.randint(8, 22)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            roll = rng.random()
            if roll < 0.45:
                sentences.append(f"{fill(rng.choice(SUBJECTS))} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                                 f"{fill(rng.choice(COMPLEMENTS))}.")  # fmt: skip
            elif roll < 0.7:
                sentences.append(fill(rng.choice(FACTS)))
            elif roll < 0.9:
                sentences.append(f"“{rng.choice(QUOTES)},” said {fill.person()}, who {rng.choice(ROLES)}.")
            elif topic == "Sport":
                sentences.append(fill(rng.choice(SPORT_SENTENCES)))
            else:
                sentences.append(f"{fill.person()} {rng.choice(ROLES)} and has lived in {place} since {fill.year()}.")
        paragraphs.append(" ".join(sentences))
    return Story(title[:1].upper() + title[1:], tuple(paragraphs), topic, False, author)


def _defence_story(rng: random.Random, fill: _Filler, author: str) -> Story:
    india, italy, system = rng.choice(IN_ACTORS), rng.choice(IT_ACTORS), rng.choice(SYSTEMS)
    title = rng.choice((
        f"{_strip_the(india)} and {_strip_the(italy)} sign MoU on {system}",
        f"India, Italy agree on co-production of {system}",
        f"{_strip_the(italy)} to build {system} with {_strip_the(india)}",
        f"Indian and Italian defence firms step up cooperation on {system}",
    ))  # fmt: skip
    values = {"IN": india, "IT": italy, "system": system}
    lead = fill(DEFENCE_SENTENCES[0], **values)
    paragraphs = [lead[:1].upper() + lead[1:]]
    for _ in range(rng.randint(7, 15)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            roll = rng.random()
            if roll < 0.5:
                values = {"IN": rng.choice(IN_ACTORS), "IT": rng.choice(IT_ACTORS), "system": rng.choice(SYSTEMS)}
                sentence = fill(rng.choice(DEFENCE_SENTENCES), **values)
                sentences.append(sentence[:1].upper() + sentence[1:])
            elif roll < 0.75:
                sentences.append(fill(rng.choice(DEFENCE_FILLER)))
            else:
                sentences.append(f"“{rng.choice(QUOTES)},” said {fill.person()}, a spokesperson.")
        paragraphs.append(" ".join(sentences))
    return Story(title[:1].upper() + title[1:], tuple(paragraphs), "Defence", True, author)


def _strip_the(name: str) -> str:
    return name[4:] if name.startswith("the ") else name


class _Filler:
    """Fills the ``{…}`` slots of a sentence with values drawn from the story's generator."""

    def __init__(self, rng: random.Random, place: str) -> None:
        self.rng, self.place = rng, place

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def year(self) -> int:
        return self.rng.randint(1978, 2024)

    def __call__(self, template: str, **values: str) -> str:
        rng = self.rng
        if "{" not in template:
            return template
        slots = {
            "place": rng.choice(PLACES) if rng.random() < 0.3 else self.place,
            "weekday": rng.choice(WEEKDAYS),
            "month": rng.choice(MONTHS),
            "money": f"{rng.randint(2, 950)}.{rng.randint(0, 9)} million",
            "months": str(rng.randint(3, 30)),
            "count": f"{rng.randint(120, 48000):,}",
            "year": str(self.year()),
            "pct": str(rng.randint(2, 45)),
            "n": str(rng.randint(3, 12)),
            "nth": rng.choice(("second", "third", "fourth", "fifth")),
            "city": rng.choice(IN_CITIES + IT_CITIES),
            "incity": rng.choice(IN_CITIES),
            "itcity": rng.choice(IT_CITIES),
            "plant": f"a plant near {rng.choice(IN_CITIES + IT_CITIES)}",
            **values,
        }
        return template.format(**slots)


# --------------------------------------------------------------------------------------------------
# HTML and RSS


def _feed_xml(corpus: Corpus, source: int) -> bytes:
    name = corpus.source_name(source)
    newest = max(corpus.published(source, i) for i in range(corpus.items))
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n',
        f"<title>{_site_name(corpus.seed, source)}</title>\n<link>{corpus.base_url}/{name}/</link>\n",
        f"<description>Latest news from {_site_name(corpus.seed, source)}</description>\n<language>en</language>\n",
        f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>\n",
    ]
    order = sorted(range(corpus.items), key=lambda i: corpus.published(source, i), reverse=True)
    for index in order:
        url = corpus.page_url(source, index)
        lead = corpus.story(source, index).paragraphs[0]
        parts.append(
            f"<item>\n<title>{html.escape(corpus.title(source, index))}</title>\n<link>{url}</link>\n"
            f'<guid isPermaLink="true">{url}</guid>\n'
            f"<pubDate>{format_datetime(corpus.published(source, index), usegmt=True)}</pubDate>\n"
            f"<description>{html.escape(lead[:240])}</description>\n</item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode("utf-8")


def _site_name(seed: int, source: int) -> str:
    rng = _rng(seed, "site", source)
    return f"The {rng.choice(PLACES)} {rng.choice(MASTHEADS)}"


@functools.lru_cache(maxsize=256)
def _chrome(seed: int, source: int, base_url: str) -> tuple[str, str, str]:
    """A source's page furniture, the same on all its pages: (head extras, header and menu, footer)."""
    rng = _rng(seed, "chrome", source)
    name = f"s{source:04d}"
    site = _site_name(seed, source)
    css_rules = []
    for k in range(rng.randint(60, 140)):
        css_rules.append(
            f".c{k:x}-{rng.choice(('nav', 'card', 'btn', 'grid', 'ad', 'hero', 'meta'))}"
            f"{{margin:{rng.randint(0, 24)}px {rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
            f"color:#{rng.randrange(16**6):06x};font-size:{rng.randint(11, 22)}px;"
            f"display:{rng.choice(('block', 'flex', 'grid', 'inline-block'))}}}"
        )
    head = f"<style>{''.join(css_rules)}</style>\n"
    menu = []
    for section in SECTIONS:
        subs = "".join(
            f'<li class="c{rng.randrange(256):x}-nav">'
            f'<a href="{base_url}/{name}/{section.lower()}/{_slug(p)}">{html.escape(p)}</a></li>'
            for p in rng.sample(PLACES, rng.randint(2, 7))
        )
        menu.append(
            f'<li class="menu-item has-sub"><a href="{base_url}/{name}/{section.lower()}/">{section}</a>'
            f'<ul class="sub-menu">{subs}</ul></li>'
        )
    header = (
        f'<div class="top-strip"><span class="date-now"></span><a href="{base_url}/{name}/subscribe">Subscribe</a>'
        f' · <a href="{base_url}/{name}/login">Sign in</a> · <a href="{base_url}/{name}/epaper">E-paper</a></div>\n'
        f'<header class="site-header"><a class="logo" href="{base_url}/{name}/">{html.escape(site)}</a>\n'
        f'<form class="search" action="{base_url}/{name}/search"><input name="q" placeholder="Search">'
        f"<button>Go</button></form>\n"
        f'<nav class="main-menu" aria-label="Sections"><ul>{"".join(menu)}</ul></nav></header>\n'
    )
    columns = []
    for title in ("About us", "Our network", "Services", "Follow us", "Legal"):
        links = "".join(
            f'<li><a href="{base_url}/{name}/{_slug(title)}/{k}">{html.escape(rng.choice(PLACES))} '
            f"{rng.choice(('office', 'edition', 'desk', 'archive', 'events', 'team'))}</a></li>"
            for k in range(rng.randint(6, 14))
        )
        columns.append(f'<div class="footer-col"><h4>{title}</h4><ul>{links}</ul></div>')
    footer = (
        f'<footer class="site-footer">{"".join(columns)}\n'
        f'<p class="copyright">© {html.escape(site)}. All rights reserved. Reproduction in whole or in part '
        f"without written permission is prohibited.</p></footer>\n"
    )
    return head, header, footer


@functools.lru_cache(maxsize=1)
def _script_pool(seed: int) -> tuple[str, ...]:
    """Inline script bodies of 1–6 KB: analytics, ad slots, page state (what pads real pages)."""
    rng = _rng(seed, "scripts")
    pool = []
    for k in range(64):
        kind = k % 3
        if kind == 0:
            calls = ";".join(
                f"window.__q{rng.randrange(999)}=window.__q{rng.randrange(999)}||[];"
                f"__q{rng.randrange(999)}.push(['set','{rng.choice(('dimension', 'metric', 'page', 'slot'))}"
                f"{rng.randrange(40)}','{rng.randrange(16**8):08x}'])"
                for _ in range(rng.randint(15, 80))
            )
            pool.append(f"(function(w,d){{{calls}}})(window,document);")
        elif kind == 1:
            slots = ",".join(
                f'{{"id":"ad-{rng.randrange(16**6):06x}","sizes":[[{rng.choice((300, 728, 970))},'
                f'{rng.choice((90, 250, 600))}]],"targeting":{{"pos":"{rng.choice(("top", "mid", "bottom"))}",'
                f'"kw":"{rng.choice(PLACES).lower()}"}}}}'
                for _ in range(rng.randint(10, 50))
            )
            pool.append(f"var adSlots=[{slots}];googletag.cmd.push(function(){{adSlots.forEach(defineSlot)}});")
        else:
            state = {
                "props": {
                    "page": {"id": rng.randrange(10**9), "features": [rng.randrange(16**8) for _ in range(40)]},
                    "menu": [{"label": rng.choice(SECTIONS), "href": f"/x/{rng.randrange(10**6)}"} for _ in range(30)],
                }
            }
            pool.append("window.__STATE__=" + json.dumps(state, separators=(",", ":")) + ";")
    return tuple(pool)


def _page_html(corpus: Corpus, source: int, index: int) -> bytes:
    info = corpus.info(source, index)
    story = corpus.story(source, index)
    base = corpus.base_url
    name = corpus.source_name(source)
    url = corpus.page_url(source, index)
    title = corpus.title(source, index)
    published = corpus.published(source, index)
    site = _site_name(corpus.seed, source)
    head_extra, header, footer = _chrome(corpus.seed, source, base)
    rng = _rng(corpus.seed, "page", source, index)
    paragraphs = corpus.body_paragraphs(source, index)
    author = story.author if info.kind != "syndicated" else "Wire desk"
    lead = paragraphs[0]
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published.isoformat(),
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": site},
            "mainEntityOfPage": url,
        },
        ensure_ascii=False,
    )
    body_html = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n" for p in paragraphs)
    if len(paragraphs) > 3:  # an in-article ad and a related-story box, as real pages have
        middle = len(paragraphs) // 2
        related = (index + 3) % corpus.items
        boxes = (
            f'<div class="ad-slot inline" id="ad-inline-{index}"><span>Advertisement</span></div>\n'
            f'<aside class="inline-related"><h3>Related</h3><a href="{corpus.page_url(source, related)}">'
            f"{html.escape(corpus.title(source, related))}</a></aside>\n"
        )
        split = body_html.split("\n", middle)
        body_html = "\n".join(split[:middle]) + "\n" + boxes + split[middle] if len(split) > middle else body_html
    sidebar = _headline_list(corpus, "Most read", 10, rng) + _headline_list(corpus, "Trending", 8, rng)
    page_top = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)} | {html.escape(site)}</title>\n"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="description" content="{html.escape(lead[:155])}">\n'
        f'<meta property="og:type" content="article">\n<meta property="og:title" content="{html.escape(title)}">\n'
        f'<meta property="og:url" content="{url}">\n<meta property="og:site_name" content="{html.escape(site)}">\n'
        f'<meta property="article:published_time" content="{published.isoformat()}">\n'
        f'<meta property="article:section" content="{story.topic}">\n<meta name="author" content="{author}">\n'
        f'<link rel="canonical" href="{url}">\n<link rel="stylesheet" href="{base}/{name}/static/site.css">\n'
        f'<script type="application/ld+json">{json_ld}</script>\n{head_extra}</head>\n<body class="article-page">\n'
        f"{header}"
        f'<div class="breadcrumbs"><a href="{base}/{name}/">Home</a> › <a href="{base}/{name}/{story.topic.lower()}/">'
        f"{story.topic}</a></div>\n"
        f'<div class="ad-slot leaderboard" id="ad-top-{index}"></div>\n<main class="layout">\n'
        f'<article class="story" itemscope itemtype="https://schema.org/NewsArticle">\n'
        f'<h1 itemprop="headline">{html.escape(title)}</h1>\n'
        f'<p class="byline">By <span itemprop="author">{html.escape(author)}</span> · '
        f'<time datetime="{published.isoformat()}">{published:%d %b %Y, %H:%M} UTC</time></p>\n'
        f'<div class="share"><a href="#">Share</a> <a href="#">Email</a> <a href="#">Print</a></div>\n'
        f'<div class="story-body" itemprop="articleBody">\n{body_html}</div>\n'
        f'<p class="tags">Topics: <a href="{base}/{name}/{story.topic.lower()}/">{story.topic}</a></p>\n'
        f'</article>\n<aside class="sidebar">{sidebar}</aside>\n</main>\n'
    )
    page_bottom = f"{footer}</body>\n</html>\n"
    # Pad to the page's size: two thirds more-stories cards (markup), one third inline scripts.
    room = info.size - len(page_top.encode()) - len(page_bottom.encode())
    padding = _padding(corpus, source, index, room, rng)
    return (page_top + padding + page_bottom).encode("utf-8")


def _headline_list(corpus: Corpus, heading: str, count: int, rng: random.Random) -> str:
    cards = corpus.cards()
    items = "".join(
        f'<li><a href="{path}">{html.escape(title)}</a><span class="ago">{rng.randint(1, 59)} min ago</span></li>'
        for path, title in (cards[rng.randrange(len(cards))] for _ in range(count))
    )
    return f'<section class="rail"><h3>{heading}</h3><ol>{items}</ol></section>\n'


def _padding(corpus: Corpus, source: int, index: int, room: int, rng: random.Random) -> str:
    if room <= 0:
        return ""
    parts: list[str] = []
    used = 0
    cards_budget = room * 2 // 3
    cards = ['<section class="more-stories"><h2>More stories</h2><div class="grid">']
    used += len(cards[0])
    pool = corpus.cards()
    while used < cards_budget:
        path, headline = pool[rng.randrange(len(pool))]
        card = (
            f'<div class="card c{rng.randrange(256):x}-card"><a class="thumb" href="{path}">'
            f'<img src="{corpus.base_url}/img/{rng.randrange(16**8):08x}.jpg" alt="" loading="lazy" width="320" '
            f'height="180"></a><div class="card-body"><span class="kicker">{rng.choice(SECTIONS)}</span>'
            f'<h3><a href="{path}">{html.escape(headline)}</a></h3>'
            f'<span class="ago">{rng.randint(1, 23)} hours ago</span></div></div>\n'
        )
        cards.append(card)
        used += len(card.encode())
    cards.append("</div></section>\n")
    used += len(cards[-1])
    parts.extend(cards)
    scripts = _script_pool(corpus.seed)
    while used < room:
        script = f"<script>{scripts[rng.randrange(len(scripts))]}</script>\n"
        if used + len(script) > room:
            script = f"<script>/*{'x' * max(0, room - used - 22)}*/</script>\n"
            parts.append(script)
            used += len(script)
            break
        parts.append(script)
        used += len(script.encode())
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# The server


class CorpusServer(LocalServer):
    """Serves a corpus on 127.0.0.1 from a background thread: feeds (with ETag and Last-Modified, 304 on a
    matching If-None-Match), pages, robots.txt; counts requests by kind (``/_stats`` returns them)."""

    def __init__(self, corpus: Corpus, port: int = 0) -> None:
        self.corpus = corpus
        self.counts: Counter[str] = Counter()
        self.bytes_served = 0
        self._lock = threading.Lock()
        self._feeds: dict[int, tuple[bytes, str, str]] = {}
        super().__init__(self._handler(), port, name="corpus-server", request_queue_size=128)
        corpus.base_url = self.base_url

    def feed(self, source: int) -> tuple[bytes, str, str]:
        with self._lock:
            cached = self._feeds.get(source)
        if cached is None:
            body = self.corpus.feed(source)
            newest = max(self.corpus.published(source, i) for i in range(self.corpus.items))
            cached = (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', format_datetime(newest, usegmt=True))
            with self._lock:
                self._feeds[source] = cached
        return cached

    def _count(self, kind: str, size: int = 0) -> None:
        with self._lock:
            self.counts[kind] += 1
            self.bytes_served += size

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {**self.counts, "bytes": self.bytes_served}

    def _handler(self) -> type[QuietHandler]:
        server = self
        corpus = self.corpus

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/robots.txt":
                    server._count("robots")
                    self.send(*ROBOTS_ALLOW_ALL)
                elif path == "/_stats":
                    self.send(200, {"Content-Type": "application/json"}, json.dumps(server.stats()).encode())
                elif (match := FEED_RE.match(path)) and int(match[1]) < corpus.sources:
                    body, etag, modified = server.feed(int(match[1]))
                    if not_modified(self.headers, etag, modified):
                        server._count("feed_304")
                        self.send_head(304, {"ETag": etag})
                        return
                    server._count("feed", len(body))
                    validators = {"ETag": etag, "Last-Modified": modified}
                    self.send(200, {"Content-Type": "application/rss+xml; charset=utf-8", **validators}, body)
                elif (match := PAGE_RE.match(path)) and int(match[1]) < corpus.sources and int(match[2]) < corpus.items:
                    body = corpus.page(int(match[1]), int(match[2]))
                    server._count("page", len(body))
                    self.send(200, {"Content-Type": "text/html; charset=utf-8"}, body)
                else:
                    server._count("not_found")
                    self.send(*NOT_FOUND)

        return Handler


def write_sources(path: Path, corpus: Corpus) -> None:
    """A sources registry (config.py's schema) with one entry per corpus source, on the local server."""
    lines = [f"# bench_e2e: {corpus.sources} generated sources on the benchmark's local server (seed {corpus.seed})",
             "sources:"]  # fmt: skip
    for source in range(corpus.sources):
        lines += [
            f"  - name: {corpus.source_name(source)}",
            f"    title: {_site_name(corpus.seed, source)}",
            f"    feed_url: {corpus.feed_url(source)}",
            "    format: rss",
            "    language: en",
            f"    country: {('IN', 'IT', 'GB')[source % 3]}",
            "    enabled: true",
            "    poll_interval_minutes: 30",
            "    allow_private: true      # the benchmark's server is on 127.0.0.1",
            "    host_delay_seconds: 0    # and needs no pause between requests",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="serve a generated corpus on 127.0.0.1 until stdin closes")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--sources", type=int, required=True)
    serve.add_argument("--items", type=int, required=True)
    serve.add_argument("--seed", type=int, default=42)
    serve.add_argument("--anchor", default=DEFAULT_ANCHOR.isoformat())
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--sources-file", type=Path, help="write the sources registry here")
    args = parser.parse_args(argv)
    corpus = Corpus(args.sources, args.items, args.seed, datetime.fromisoformat(args.anchor))
    with CorpusServer(corpus, args.port) as server:
        if args.sources_file:
            write_sources(args.sources_file, corpus)
        print(json.dumps({"base_url": server.base_url, **corpus.describe()}), flush=True)
        sys.stdin.read()  # the parent closes our stdin (or dies) to stop us
    return 0


if __name__ == "__main__":
    sys.exit(main())
