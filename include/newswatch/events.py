"""Event grouping: the stories of one real-world happening, from any outlet and in either language.

A story (see :mod:`newswatch.dedup`) is one text and its syndicated copies; an *event* is everything
written about one happening: the defence ministry's Italian note on a port call and PIB's English
release on it, eight Indian outlets' own write-ups of a ministers' meeting in Rome. Outlets share few
words, and none across languages, but they name the same things: the same people, organisations,
ships, places and figures. So a report is reduced to a :class:`EventProfile` of such *keys*,
language-independent ("Marina Militare" and "Italian Navy" are ``org:Marina Militare``; "nave Saffi"
and "ITS Aurelio Saffi" are ``ship:ITS Aurelio Saffi``; "Roma" is ``place:Rome``; any other proper
name is itself, without accents; "Rs 3,600 crore" and "3.600" are ``num:3600``), and two reports are
of one event when

- they are close in time: within :data:`WINDOW` of each other (72 hours: a wire story, the ministry's
  release and the papers' next-day reports of one happening fall inside it, the next meeting of the
  same ministers rarely does), or :data:`LEGAL_WINDOW` for court and investigation stories, whose
  reports of one hearing or filing trickle out over several days; each report's own date uncertainty
  widens it (a date known only to the day, the month or the year);
- they share enough of their rarer keys (:func:`similarity`, a cosine over IDF-weighted keys; within
  one language the headline and lead words count too), and
- they report no conflicting facts: different ships, or different kinds of happening that are never
  one event (a port call and a later exercise of the same ship).

:class:`EventIndex` holds the recent stories' profiles in an inverted index (key → stories), so placing
a new story costs time in proportion to its keys and the stories really sharing them, not to the size
of the window. A new story joins the event of its most similar story, or starts an event whose id
comes from the story's own id; events never merge or split afterwards, so an event's id does not
change when unrelated reports arrive, and placing the same stories again gives the same events.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from newswatch.config import CONFIG_DIR, ConfigError, read_yaml
from newswatch.tagging.lexicon import Lexicon
from newswatch.tagging.matcher import TermMatcher, normalise

WINDOW = timedelta(hours=72)
LEGAL_WINDOW = timedelta(days=6)
# Two stories are one event when the keys they share weigh this much: two rare names (a ship and a
# place, a person and a figure), or one rare name and several of the lead's words.
SAME_EVENT_SIMILARITY = 20.0
# The share of :data:`SAME_EVENT_SIMILARITY` that shared lead words can bring at most.
WORDS_SHARE = 0.75
# Between languages the shared names must reach this share of :data:`SAME_EVENT_SIMILARITY`.
CROSS_LANGUAGE_SHARE = 0.6
# The IDF counts a window of fewer stories than this as this many: with 2 stories in the window every
# key would otherwise look common.
PRIOR_STORIES = 100
# A key held by more stories than this in the index stands for no particular happening ("Rajnath Singh"
# on a busy week): it still weighs in similarity but finds no candidates, which keeps the time per report
# flat however full the window is. The pipeline's index holds a batch's fortnight only (process.py).
MAX_POSTINGS = 200
EVENT_NAMES_FILE = "event_names.yaml"
DEFAULT_EVENT_NAMES = CONFIG_DIR / EVENT_NAMES_FILE
COMMON_WORDS = CONFIG_DIR / "common_words.txt"

# How much each kind of key says about which happening a report is about, before its rarity counts.
KIND_WEIGHT = {"ship": 3.0, "name": 1.5, "num": 1.5, "person": 1.2, "org": 1.0, "place": 1.0, "word": 0.5}
LEAD_CHARACTERS = 600  # the headline and this much of the text are the report's lead
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*\d|\d", re.UNICODE)
NUMBER_RE = re.compile(r"^\d[\d.,]*$")
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
SENTENCE_END = frozenset('.!?:;"“”«»')
SIDES = ("india", "italy", "other")
TAXONOMY_PLACES = frozenset({"place:india", "place:italy"})
# A place name as the taxonomy writes one (not a marker such as "crore", "Rs" or "S.p.A.").
PLACE_NAME_RE = re.compile(r"^[A-Z][a-z][\w' -]+$")
# A ship named after its prefix or its kind: "ITS Federico Martinengo", "nave Martinengo", "INS Tabar".
SHIP_RE = re.compile(
    r"\b(?:ITS|INS|MV|nave|Nave|NAVE|unità|fregata|pattugliatore|cacciatorpediniere|portaerei|corvetta|"
    r"frigate|destroyer|corvette|carrier|tanker|petroliera)\s+"
    r"(?P<name>(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*)"
)
KEPT_LABELS = ("org:", "person:", "country:", "third:")
LEGAL_LABELS = frozenset({"case", "topic:legal", "context:court"})
# Capitalised words that are sentence furniture or titles in either language, not names.
NOT_NAMES = frozenset(
    """
    a al alla all also an and as at by da dal dalla de dei del della delle di e for from il in la le
    lo mr mrs ms dr he she it its his her i gli un una uno nel nella on of per su sul sulla the to with
    this that these those there their they we our you after before but if while when where which who
    according said says however meanwhile earlier later today yesterday tomorrow oggi ieri domani
    minister ministry ministers ministro ministra ministero ministri secretary segretario sottosegretario
    defence defense difesa government governo prime premier president presidente chief capo general
    generale admiral ammiraglio commander comandante navy marina army esercito air force aeronautica
    court corte tribunal tribunale agency agenzia department dipartimento office ufficio embassy
    ambasciata ambassador ambasciatore consul console joint external affairs foreign esteri affari
    national nazionale union state stato states republic repubblica federal central centrale
    minister's ministers' group gruppo company società companies industry industries industria
    council consiglio committee comitato house camera parliament parlamento senate senato
    read also watch related photo video file image credit copyright ians pti ani ansa agi ap afp reuters
    menafn pib nova adnkronos lapresse
    """.split()
)
MONTHS_AND_DAYS = frozenset(
    """
    january february march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    lunedì martedì mercoledì giovedì venerdì sabato domenica lunedi martedi mercoledi giovedi venerdi
    """.split()
)
STOPWORDS = frozenset(
    """
    the and for with that this from have has had were was will would been being their there which about
    into over under after before also more than said says such other while where when what they them
    only some most many both each between against during through its his her who whom whose our your
    very just then than these those them said could should may might must can does did done upon
    della delle degli dello dalla dalle dagli nella nelle negli sulla sulle sugli alla alle agli
    come anche sono stato stata stati state essere hanno aveva erano questo questa questi queste quello
    quella quelli quelle dopo prima durante contro tra fra per con una uno non più già ancora molto
    loro suoi sue suo sua cui che del dei nel nei sul sui all dal dai ha ho hai""".split()
)


@dataclass(frozen=True)
class EventNames:
    """The grouping vocabulary: canonical keys by surface form, and the kinds' terms per language."""

    keys: dict[str, str]  # lower-cased alias → "ship:…", "place:…"
    kinds: dict[str, dict[str, tuple[str, ...]]]  # kind → language → terms, in order of precedence
    never_together: frozenset[frozenset[str]] = frozenset()  # pairs of kinds that are never one event


def event_names_path_for(taxonomy: Path) -> Path:
    """The vocabulary beside the taxonomy when there is one, else the bundled one."""
    beside = taxonomy.with_name(EVENT_NAMES_FILE)
    return beside if beside.exists() else DEFAULT_EVENT_NAMES


def load_event_names(path: Path) -> EventNames:
    """Read the grouping vocabulary; raise :class:`ConfigError` naming the file and the entry on error."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    unknown = set(data) - {"version", "ships", "places", "kinds", "never_together"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown section(s) {', '.join(sorted(unknown))} (ships, places, kinds, never_together)"
        )
    keys: dict[str, str] = {}
    for section, kind in (("ships", "ship"), ("places", "place")):
        for index, entry in enumerate(data.get(section) or []):
            where = f"{path}: {section}[{index}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise ConfigError(f"{where}: expected a mapping with a 'name'")
            aliases = entry.get("aliases") or [entry["name"]]
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise ConfigError(f"{where} ({entry['name']}): aliases must be a list of names")
            for alias in (entry["name"], *aliases):
                keys[" ".join(alias.split()).lower()] = f"{kind}:{entry['name']}"
    kinds: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind, block in (data.get("kinds") or {}).items():
        if not isinstance(block, dict) or set(block) - {"en", "it", "any"}:
            raise ConfigError(f"{path}: kinds.{kind}: expected en/it/any lists of terms")
        kinds[str(kind)] = {lang: tuple(str(t) for t in terms or ()) for lang, terms in block.items()}
    never: set[frozenset[str]] = set()
    for index, group in enumerate(data.get("never_together") or []):
        if not isinstance(group, list) or len(group) < 2 or not set(map(str, group)) <= set(kinds):
            raise ConfigError(
                f"{path}: never_together[{index}]: expected a list of two or more kinds named under kinds, "
                f"got {group!r}"
            )
        never.update(frozenset(pair) for pair in combinations(sorted(map(str, group)), 2))
    return EventNames(keys, kinds, frozenset(never))


@dataclass(frozen=True)
class EventProfile:
    """What a report says about its happening, as language-independent keys; see the module notes."""

    keys: frozenset[str]  # names, entities, ships, places, figures (and, per language, lead words)
    ships: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()  # the kinds of happening its headline names (event_names.yaml)
    legal: bool = False  # a court or investigation story: a longer window
    language: str = "en"
    # the countries, places and organisations its headline names: "Italy–Japan" is not "Italy–India"
    headline: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {
            "keys": sorted(self.keys),
            "ships": sorted(self.ships),
            "kinds": sorted(self.kinds),
            "legal": self.legal,
            "language": self.language,
            "headline": sorted(self.headline),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EventProfile:
        return cls(
            keys=frozenset(str(k) for k in data.get("keys", ())),
            ships=frozenset(str(s) for s in data.get("ships", ())),
            kinds=frozenset(str(k) for k in data.get("kinds", ())),
            legal=bool(data.get("legal", False)),
            language=str(data.get("language", "en")),
            headline=frozenset(str(h) for h in data.get("headline", ())),
        )


class Profiler:
    """Turns a report into its :class:`EventProfile`, with the taxonomy's and the grouping vocabulary's
    names matched in one pass."""

    def __init__(self, lexicon: Lexicon, names: EventNames) -> None:
        self.names = names
        self._matchers: dict[str, TermMatcher] = {}
        self._kind_matchers: dict[str, TermMatcher] = {}
        self._lexicon = lexicon

    def _matcher(self, language: str) -> TermMatcher:
        matcher = self._matchers.get(language)
        if matcher is None:
            terms: dict[str, frozenset[str]] = {}
            for term, labels in self._lexicon.for_language(language).items():
                keep = {lb for lb in labels if lb.startswith(KEPT_LABELS) or lb in LEGAL_LABELS}
                if "exclude" in labels:
                    keep.add("exclude")
                if labels & TAXONOMY_PLACES and PLACE_NAME_RE.match(term):
                    keep.add(f"place:{term}")  # a place the taxonomy knows as one side's: "Goa", "La Spezia"
                # a country's or a generic term hides the words inside it from the name finder
                terms[term] = frozenset(keep) or frozenset({"generic"})
            by_lower: dict[str, list[str]] = {}
            for term in terms:
                by_lower.setdefault(term.lower(), []).append(term)
            for alias, key in self.names.keys.items():
                for spelling in by_lower.get(alias, []):  # the vocabulary's name for a place wins
                    terms[spelling] = frozenset(lb for lb in terms[spelling] if not lb.startswith("place:"))
                terms[alias] = terms.get(alias, frozenset()) | {key}
            matcher = self._matchers[language] = TermMatcher(terms)
        return matcher

    def _kind_matcher(self, language: str) -> TermMatcher:
        matcher = self._kind_matchers.get(language)
        if matcher is None:
            terms: dict[str, frozenset[str]] = {}
            for kind, by_language in self.names.kinds.items():
                for term in (*by_language.get("any", ()), *by_language.get(language, ())):
                    terms[term] = terms.get(term, frozenset()) | {kind}
            matcher = self._kind_matchers[language] = TermMatcher(terms)
        return matcher

    def new_index(self, **options: Any) -> EventIndex:
        """An empty :class:`EventIndex` that knows this vocabulary's kinds that are never one event."""
        return EventIndex(never_together=self.names.never_together, **options)

    def kinds_of(self, title: str, language: str) -> frozenset[str]:
        """The kinds of happening its headline names (none: no kind). Only the headline: a lead tells the
        background too (the talks before the signing, the arrival before the drill)."""
        matcher = self._kind_matcher(language)
        return frozenset(kind for match in matcher.find(title) for kind in match.labels)

    def profile(self, title: str, text: str, language: str) -> EventProfile:
        keys: set[str] = set()
        ships: set[str] = set()
        legal = False
        matcher = self._matcher(language)
        body = f"{title}.\n{text}"
        hidden: list[tuple[int, int]] = []
        parties: set[str] = set()
        for match in matcher.find(body):
            hidden.append((match.start, match.end))
            in_headline = match.start < len(title)
            for label in match.labels:
                if in_headline and label.startswith(("country:", "third:", "place:")):
                    parties.add(label)
                elif in_headline and label.startswith("org:"):
                    entity = self._lexicon.entities.get(label[4:])
                    parties.add(f"org-{entity.country if entity else 'other'}:{label[4:]}")
                if label.startswith("ship:"):
                    ships.add(ship_key(label[5:]))
                elif label.startswith(("org:", "person:", "place:")):
                    keys.add(label)
                elif label in LEGAL_LABELS:
                    legal = True
        ships.update(ship_key(m.group("name")) for m in SHIP_RE.finditer(normalise(body)))
        keys.update(ships)
        title_end = len(title) + 2  # a headline's capitals are style, not names (its words are lead words)
        keys.update(proper_names(body, [(0, title_end), *hidden]))
        keys.update(f"word:{language}:{w}" for w in lead_words(title, text))
        kinds = self.kinds_of(title, language)
        return EventProfile(frozenset(keys), frozenset(ships), kinds, legal, language, frozenset(parties))


def ship_key(name: str) -> str:
    """A ship's key: the last word of its name ("ITS Aurelio Saffi", "nave Saffi" → ``ship:saffi``)."""
    return "ship:" + _plain(name.split()[-1])


def _plain(word: str) -> str:
    """Lower case without accents or apostrophes: "Crosetto’s" and "crosetto" compare equal."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip("'-")


def proper_names(text: str, hidden: Iterable[tuple[int, int]] = ()) -> set[str]:
    """``name:…`` for capitalised words inside sentences and ``num:…`` for figures of 10 or more (not
    years), outside the ``hidden`` spans (terms already matched as entities or generic words)."""
    text = normalise(text)
    common = common_words()
    spans = sorted(hidden)
    lower_words = {w for w in WORD_RE.findall(text) if w[0].islower()}
    found: set[str] = set()
    previous_end = -1
    span_index = 0
    for match in WORD_RE.finditer(text):
        start, word = match.start(), match.group()
        while span_index < len(spans) and spans[span_index][1] <= start:
            span_index += 1
        inside = span_index < len(spans) and spans[span_index][0] <= start < spans[span_index][1]
        first = previous_end < 0
        between = text[previous_end:start] if not first else ""
        previous_end = match.end()
        if inside:
            continue
        if word[0].isdigit():
            digits = word.replace(",", "").replace(".", "")
            if NUMBER_RE.match(word) and len(digits) >= 2 and not YEAR_RE.match(digits) and digits.isdigit():
                found.add(f"num:{int(digits)}")
            continue
        if not word[0].isupper():
            continue
        stripped = between.strip()
        opening = first or "\n" in between or (stripped and stripped[-1] in SENTENCE_END)
        plain = _plain(word)
        if plain in common:
            continue
        if opening and (plain in STOPWORDS or word.lower() in lower_words):
            continue  # a sentence's first word is capitalised whatever it is: a name is never lower-case
        if len(plain) < 3 or plain in NOT_NAMES or plain in MONTHS_AND_DAYS or (word.isupper() and len(word) > 6):
            continue
        found.add(f"name:{plain}")
    return found


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Common words of English and Italian news (``common_words.txt``): capitalised, they are the
    furniture of a title-case phrase ("Joint Action Plan"), not names."""
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def lead_words(title: str, text: str) -> set[str]:
    """The content words of the headline and the lead: within one language, the words outlets share."""
    lead = f"{title} {text[:LEAD_CHARACTERS]}"
    words = set()
    for word in WORD_RE.findall(lead):
        plain = _plain(word)
        if len(plain) >= 4 and plain.isalpha() and plain not in STOPWORDS and plain not in MONTHS_AND_DAYS:
            words.add(plain)
    return words


@lru_cache(maxsize=8)
def _profiler_for(lexicon: Lexicon, names_path: Path) -> Profiler:
    return Profiler(lexicon, load_event_names(names_path))


def profiler_for(lexicon: Lexicon, taxonomy_file: Path) -> Profiler:
    """A cached :class:`Profiler` for a loaded lexicon and the vocabulary beside its taxonomy."""
    return _profiler_for(lexicon, event_names_path_for(taxonomy_file))


@dataclass(frozen=True)
class Report:
    """One story as the event index sees it."""

    story_id: str
    at: datetime  # the report's publication (else first-seen) time
    spread: timedelta  # how uncertain ``at`` is: a day for a date without a time, more for a month
    profile: EventProfile


def window_between(a: Report, b: Report) -> timedelta:
    """How far apart two reports of one event may be."""
    window = LEGAL_WINDOW if (a.profile.legal and b.profile.legal) else WINDOW
    return window + a.spread + b.spread


def conflicting(a: EventProfile, b: EventProfile, never_together: frozenset[frozenset[str]] = frozenset()) -> bool:
    """Whether two reports state facts that no one happening has: different ships, kinds of happening
    that are never one event, or headlines naming different parties."""
    if a.ships and b.ships and not a.ships & b.ships:
        return True
    # "arrives in Mumbai; PASSEX with the Indian Navy" is both a port call and an exercise: only two
    # headlines with no kind in common, and two of their kinds never together, conflict
    if (
        a.kinds
        and b.kinds
        and not a.kinds & b.kinds
        and any(frozenset({x, y}) in never_together for x in a.kinds for y in b.kinds)
    ):
        return True
    if _different_parties(a.headline, b.headline, ("country:", "third:")):
        return True
    if _different_parties(a.headline, b.headline, ("place:",), disjoint=True):
        return True  # "talks in New Delhi" and "a conference in Rome"
    return any(_different_parties(a.headline, b.headline, (f"org-{side}:",), disjoint=True) for side in SIDES)


def _different_parties(a: frozenset[str], b: frozenset[str], prefixes: tuple[str, ...], disjoint: bool = False) -> bool:
    """Whether two headlines name different parties: countries neither of which sets holds the other
    ("Italy and Japan" against "Italy and India"; "Italy" alone fits both), or, with ``disjoint``,
    organisations of one side of which they share none (two Indian companies' MoUs with Italian ones
    at one expo; the Indian Navy in one headline and the Italian Navy in the other is no conflict)."""
    mine = {p for p in a if p.startswith(prefixes)}
    theirs = {p for p in b if p.startswith(prefixes)}
    if not mine or not theirs:
        return False
    if disjoint:
        return not mine & theirs
    return not (mine <= theirs or theirs <= mine)


def event_id_for(story_id: str) -> str:
    """A new event's id, derived from its first story's id (stable across runs and processes)."""
    return "e-" + hashlib.sha1(story_id.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Stored:
    report: Report
    event_id: str


@dataclass
class EventIndex:
    """Recent stories' profiles by key; finds the event a new story belongs to (module notes).

    ``document_frequency``/``documents`` may be given from outside (the warehouse's counts over the
    window) when the index holds only the candidates of a batch; otherwise they are the index's own.
    """

    threshold: float = SAME_EVENT_SIMILARITY
    # pairs of kinds that are never one event (the vocabulary's ``never_together``)
    never_together: frozenset[frozenset[str]] = frozenset()
    _stored: list[_Stored] = field(default_factory=list)
    _postings: dict[str, list[int]] = field(default_factory=dict)
    _by_story: dict[str, int] = field(default_factory=dict)
    _members: dict[str, list[int]] = field(default_factory=dict)
    external_df: dict[str, int] | None = None
    external_documents: int = 0

    def __len__(self) -> int:
        return len(self._stored)

    def event_of(self, story_id: str) -> str | None:
        index = self._by_story.get(story_id)
        return None if index is None else self._stored[index].event_id

    def add(self, report: Report, event_id: str) -> None:
        """Hold ``report`` as a member of ``event_id`` (a story already held is left as it is)."""
        if report.story_id in self._by_story:
            return
        index = len(self._stored)
        self._stored.append(_Stored(report, event_id))
        self._by_story[report.story_id] = index
        self._members.setdefault(event_id, []).append(index)
        for key in report.profile.keys:
            self._postings.setdefault(key, []).append(index)

    def _df(self, key: str) -> int:
        if self.external_df is not None:
            return max(self.external_df.get(key, 0), len(self._postings.get(key, ())))
        return len(self._postings.get(key, ()))

    def _documents(self) -> int:
        return max(self.external_documents, len(self._stored))

    def weight(self, key: str) -> float:
        """A key's weight: what its kind says about a happening, times its rarity in the window (an IDF
        over the share of stories holding it, a window of fewer than :data:`PRIOR_STORIES` counting as
        that many, so that a name in one story of a quiet week weighs as it would in a busy one)."""
        kind = key.split(":", 1)[0]
        share = max(self._df(key), 1) / max(self._documents(), PRIOR_STORIES)
        return KIND_WEIGHT.get(kind, 1.0) * math.log(1.0 + 1.0 / share)

    def similarity(self, a: EventProfile, b: EventProfile, weights: Mapping[str, float] | None = None) -> float:
        """The evidence that two reports tell one happening: the summed weight of the keys they share
        (lead words only between reports in one language: they carry the language in the key).
        ``weights`` may hold the weights of ``a``'s keys, computed once for many comparisons."""
        weight = weights.__getitem__ if weights is not None else self.weight
        names = words = 0.0
        for key in a.keys & b.keys:
            if key.startswith("word:"):
                words += weight(key)
            else:
                names += weight(key)
        # Shared words alone are not one happening (two India–Italy meetings in Delhi in one week use the
        # same words): they can bring at most part of the evidence needed.
        if a.language != b.language:
            # no lead words can be shared across languages: the names alone must carry the evidence,
            # scaled so that the names that would do with some shared words do on their own
            return names / CROSS_LANGUAGE_SHARE
        return names + min(words, WORDS_SHARE * self.threshold)

    def _candidates(self, report: Report) -> set[int]:
        found: set[int] = set()
        for key in report.profile.keys:
            if key.startswith("word:"):
                continue  # lead words confirm a candidate; they are too common to find one
            posting = self._postings.get(key)
            if not posting or len(posting) > MAX_POSTINGS:
                continue  # none, or too common to say which happening (the index holds a fortnight at most)
            found.update(i for i in posting if self._near(report, self._stored[i].report))
        return found

    @staticmethod
    def _near(a: Report, b: Report) -> bool:
        return abs(a.at - b.at) <= window_between(a, b)

    def best_match(self, report: Report) -> tuple[str, float] | None:
        """The event whose stories, within the window, are on average most similar to ``report`` — at
        least :attr:`threshold` on average, with none of them conflicting; ``None`` when there is none.

        The average over the event's stories, not the best one alone, keeps a report sharing the
        actors and the place of one report of a large event (the minister's meeting with industry in
        the city where he signed an agreement that morning) out of it, while one sharing the event's
        substance agrees with most of its reports."""
        touched = {self._stored[i].event_id for i in self._candidates(report)}
        weights = {key: self.weight(key) for key in report.profile.keys} if touched else {}
        best: tuple[float, str] | None = None
        for event_id in touched:
            members = [self._stored[i].report for i in self._members[event_id]]
            near = [m for m in members if self._near(report, m)]
            if not near or any(conflicting(report.profile, m.profile, self.never_together) for m in near):
                continue
            score = sum(self.similarity(report.profile, m.profile, weights) for m in near) / len(near)
            if score >= self.threshold and (best is None or (score, event_id) > best):
                best = (score, event_id)
        return None if best is None else (best[1], best[0])

    def assign(self, report: Report) -> str:
        """The event ``report`` belongs to (an existing one, or a new one named after its story); the
        report is then held in the index."""
        known = self.event_of(report.story_id)
        if known is not None:
            return known
        match = self.best_match(report)
        event_id = match[0] if match else event_id_for(report.story_id)
        self.add(report, event_id)
        return event_id


SPREAD_BY_ORIGIN = {
    # how a publication time is known → how far from the truth it may be
    "feed": timedelta(0),
    "jsonld": timedelta(0),
    "meta": timedelta(0),
    "page": timedelta(hours=12),
    "dateline": timedelta(hours=24),
    "first_seen": timedelta(hours=24),
    "": timedelta(hours=24),
}


def spread_for(published_from: str) -> timedelta:
    """How uncertain a publication time known this way is (a day for a dateline's or a first sight's)."""
    return SPREAD_BY_ORIGIN.get(published_from, timedelta(hours=12))
