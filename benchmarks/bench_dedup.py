"""`make bench-dedup`: story clustering of syndicated wire copies, against the previous exhaustive index.

A generator composes base stories from template sentences with random officials, places, numbers and
dates. Stories come in series: the same delegations meeting on consecutive days, reported with the
same wire phrasing but another place, day, figures and outcome, so same-topic stories share most of
their vocabulary and many word sequences. Some stories are then republished (MENAFN-style): a new
headline (sometimes left in the text), a "(MENAFN- IANS)" prefix, a "--IANS" trailer with desk initials
and the MENAFN disclaimer, truncation to the first 60–80% of the paragraphs, an added background
paragraph, a couple of words changed.

Articles arrive roughly in publication order and are clustered one by one, as ``process_articles``
does (``assign`` then ``add``). Quality is pairwise over all pairs of articles: precision = of the
pairs put in one cluster, the share that are one story; recall = of the pairs that are one story, the
share put in one cluster. Time is seconds per 10,000 articles (assign + add, one index holding all).
The previous index compares a new text with every stored one (O(n²)), so it runs on a smaller set,
and the new one runs on that set too for a like-for-like comparison.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import machine, print_table, write_result
from newswatch import dedup
from newswatch.dedup import StoryIndex, cluster_id_for

# --- the previous index, verbatim: every stored text compared with the new one -----------------------


def _baseline_shingles(text: str, size: int = dedup.SHINGLE_SIZE) -> frozenset[int]:
    words = dedup.normalised_words(text)
    if len(words) < size:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1))


class BaselineStoryIndex:
    def __init__(self, threshold: float = dedup.SAME_STORY_CONTAINMENT) -> None:
        self.threshold = threshold
        self._entries: list[tuple[str, frozenset[int]]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, cluster_id: str, text: str) -> None:
        self._entries.append((cluster_id, _baseline_shingles(text)))

    def assign(self, text: str, new_cluster_id: str) -> str:
        mine = _baseline_shingles(text)
        best_id, best_score = new_cluster_id, self.threshold
        for cluster_id, theirs in self._entries:
            score = dedup.containment(mine, theirs)
            if score >= best_score:
                best_id, best_score = cluster_id, score
        return best_id


# --- the generator ------------------------------------------------------------------------------------

PARTNERS = ("Italy", "France", "Japan", "Germany", "Australia", "Greece", "Spain", "Poland", "Egypt", "Brazil")
DEMONYM = {
    "Italy": "Italian", "France": "French", "Japan": "Japanese", "Germany": "German", "Australia": "Australian",
    "Greece": "Greek", "Spain": "Spanish", "Poland": "Polish", "Egypt": "Egyptian", "Brazil": "Brazilian",
}  # fmt: skip
CITIES = {
    "Italy": ("Rome", "Naples", "La Spezia", "Taranto", "Milan", "Turin", "Genoa", "Venice"),
    "France": ("Paris", "Toulon", "Brest", "Lyon", "Marseille", "Cherbourg", "Bordeaux", "Lorient"),
    "Japan": ("Tokyo", "Yokosuka", "Kure", "Osaka", "Sasebo", "Nagoya", "Maizuru", "Kobe"),
    "Germany": ("Berlin", "Kiel", "Munich", "Hamburg", "Bremen", "Bonn", "Wilhelmshaven", "Koblenz"),
    "Australia": ("Canberra", "Sydney", "Perth", "Darwin", "Adelaide", "Melbourne", "Brisbane", "Hobart"),
    "Greece": ("Athens", "Salamis", "Thessaloniki", "Souda", "Patras", "Volos", "Kavala", "Heraklion"),
    "Spain": ("Madrid", "Cartagena", "Ferrol", "Rota", "Seville", "Valencia", "Bilbao", "Cadiz"),
    "Poland": ("Warsaw", "Gdynia", "Krakow", "Gdansk", "Poznan", "Lublin", "Szczecin", "Wroclaw"),
    "Egypt": ("Cairo", "Alexandria", "Suez", "Port Said", "Giza", "Hurghada", "Ismailia", "Luxor"),
    "Brazil": ("Brasilia", "Rio de Janeiro", "Sao Paulo", "Salvador", "Recife", "Natal", "Santos", "Belem"),
}  # fmt: skip
INDIAN_CITIES = ("Visakhapatnam", "Kochi", "Mumbai", "Pune", "Bengaluru", "Chennai", "Goa", "Hyderabad", "Karwar")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OFFICIALS = (
    "a joint secretary from the Department of Military Affairs", "the Defence Secretary",
    "the Secretary (Defence Production)", "the Vice Chief of the Naval Staff", "a Deputy Chief of the Air Staff",
    "the Director General of Acquisition", "an Additional Secretary in the Ministry of Defence",
    "the Chief of Integrated Defence Staff",
)  # fmt: skip
TOPICS = (
    "training naval engineers", "protecting satellites from jamming", "co-producing patrol vessels",
    "maintaining submarines", "building helicopter transmissions", "testing underwater drones",
    "sharing maritime surveillance data", "developing radar for frigates", "certifying military aircraft parts",
    "upgrading coastal radar chains", "repairing gas turbines", "jointly designing landing craft",
)  # fmt: skip
OUTCOMES = (
    "agreed to set up a working group that will meet twice a year",
    "signed {n1} memoranda of understanding between companies of the two countries",
    "decided to hold a joint exercise off {icity} in {month}",
    "agreed to exchange {n2} officers for a training course next year",
    "identified {n1} areas for further study",
    "did not sign any agreement but promised to meet again in {month}",
    "approved a roadmap for {n1} co-production projects worth {n3} million euros",
    "asked their industries to submit proposals within {n1} months",
)  # fmt: skip
# {c} partner country, {adj} its adjective, {city} meeting place, {day} weekday, {date} "Mar 3", {off} the
# Indian delegation's leader, {topic}, {outcome}, {n1}/{n2}/{n3} numbers, {icity} an Indian city, {month}.
LEADS = (
    "[Senior|Top|High-level] defence officials [from|of] India and {c} [met|held talks|sat down] in {city} on {day} "
    "to [review|assess|take stock of] progress on {topic}, the first [such meeting|meeting of its kind|round] "
    "since the two countries [agreed on|signed up to|launched] the programme last {season}.",
    "India and {c} on {day} [held|conducted|began] defence [talks|consultations|discussions] in {city}, "
    "[this time|on this occasion|with the agenda] centred on {topic}, [officials said|sources said|"
    "an official said].",
    "The Indian and {adj} [delegations|teams|sides] [met|held a meeting|convened] in {city} on {day} and "
    "{outcome}, [according to|as per|said] a [statement|joint statement|press release].",
)
BODY = (
    "The Indian [delegation|team], [led|headed] by {off}, [visited|toured|went to] a [facility|plant|site] "
    "[near|outside|close to] {city} and [watched|saw|was shown] a demonstration of {n1} [new|recently built] "
    "systems [built|designed|made] for {topic}.",
    "[Officials|Sources] said the [talks|discussions] [focused|centred] on the number of Indian [engineers|"
    "technicians|officers] who would [spend|complete] a [semester|term|year] in {c}, and on whether {adj} "
    "[instructors|trainers|experts] could [teach|run|hold] a short course in {icity} before the monsoon.",
    "An {adj} [official|officer|diplomat] [described|called|termed] the [session|meeting|talks] [as practical|"
    "practical|useful] and said both sides [wanted|hoped for|sought] the first exchange to [happen|take place] "
    "within {n1} months, [adding|noting|and added] that the plan would be [drafted|prepared|written] "
    "jointly by the two [navies|ministries|sides].",
    "The two [sides|countries|delegations] {outcome}, the [statement|release|communique] [said|added|noted].",
    "[Experts|Specialists|Officers] from both countries [compared notes|exchanged views|shared experience] on "
    "{topic}, and the {adj} [side|team|delegation] [presented|shared|showed] a [study|review|report] of {n2} "
    "recent [cases|incidents|projects] that it said [showed|proved|underlined] the need for [closer|more|"
    "deeper] cooperation.",
    "The Indian [team|side|delegation] [proposed|suggested] that {n1} [officers|engineers|officials] from each "
    "side [join|take part in] the project by {month}, an idea that {adj} [officials|representatives] said "
    "they would [consider|study|examine] before the summer.",
    "[According to officials|Officials said|Sources said], the budget for the first phase [was put at|was "
    "estimated at|would be] {n3} million euros, to be [shared|split|divided] [equally|evenly] [by|between] "
    "the two governments.",
    "The meeting was [attended|joined] by {n2} [representatives|executives|delegates] [of|from] industry, "
    "[including|among them] shipyards and [makers|manufacturers] of electronics from both countries.",
    "Indian officials said they had [raised|brought up|discussed] the [question|issue|matter] of spare parts, "
    "which had taken up to {n1} months to [arrive|be delivered|reach India] in the past.",
    "The [delegation|team] will [travel|go|head] to {city2} on {day2} to [tour|visit|inspect] a shipyard "
    "that [builds|makes|produces] patrol vessels.",
    "Both [delegations|sides|teams] are expected to [report|submit reports] to their ministries by the end of {month}.",
    "A [second|further|new] round of [talks|discussions|consultations] on {topic} is [due|planned|scheduled] "
    "in {icity} later this year, the [statement|release] [added|said].",
    "The {adj} side said it would [send|dispatch|depute] a team of {n2} [specialists|experts|engineers] to "
    "{icity} to [prepare|plan|lay the ground for] the next phase.",
    "[Officials|Sources|Both sides] declined to say whether the [talks|meeting|discussions] had [touched on|"
    "covered|addressed] export licences, which have [delayed|held up|slowed] {n1} earlier projects.",
)
BACKGROUND = (
    "India and {c} [elevated|upgraded|raised] their ties to a strategic partnership in {year} and have since "
    "held regular defence dialogues.",
    "The navies of the two countries held a joint [search-and-rescue|passage|anti-piracy] drill off {icity} "
    "in {month2} {year}.",
    "Defence trade between India and {c} has grown [steadily|sharply], with {n3} contracts signed over the "
    "past decade.",
    "The programme was first proposed during a visit by the {adj} defence minister to New Delhi in {year}.",
    "Several {adj} companies already run joint ventures with Indian firms under the Make in India policy.",
)
HEADLINES = (
    "India, {c} review defence cooperation in {city}",
    "India, {c} hold talks on {topic}",
    "Indian, {adj} officials meet in {city} on {topic}",
    "{c}, India discuss {topic} at {city} meeting",
    "Defence ties: India and {c} agree next steps",
)
ALTERNATION_RE = re.compile(r"\[([^\]]*)\]")


def resolve(rng: random.Random, template: str) -> str:
    """One wording of a template: each [a|b|c] becomes one of its choices."""
    return ALTERNATION_RE.sub(lambda m: rng.choice(m.group(1).split("|")), template)


def wording(rng: random.Random) -> dict[str, list[str]]:
    """A series' wording of every template: the wire repeats its phrasing from one day to the next."""
    return {
        "lead": [resolve(rng, t) for t in LEADS],
        "body": [resolve(rng, t) for t in BODY],
        "background": [resolve(rng, t) for t in BACKGROUND],
    }


SEASONS = ("autumn", "spring", "summer", "winter")
SYNONYMS = {
    "said": "stated", "officials": "authorities", "talks": "discussions", "meeting": "session",
    "agreed": "decided", "both": "the two", "expected": "likely", "visited": "toured", "first": "initial",
    "proposed": "suggested", "shared": "split", "according": "as per",
}  # fmt: skip
DESKS = ("ab/cd", "sk/pgh", "rn/vd", "mr/dpb", "aks/ksk", "vm/dan")


@dataclass
class Article:
    story: int  # the true story
    order: float  # arrival: day, then time within the day
    text: str


def fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def series_slots(rng: random.Random) -> dict[str, str]:
    """What stays the same for a series of meetings: the delegations and the programme."""
    country = rng.choice(PARTNERS)
    return {
        "c": country, "adj": DEMONYM[country], "off": rng.choice(OFFICIALS), "topic": rng.choice(TOPICS),
        "season": rng.choice(SEASONS), "icity": rng.choice(INDIAN_CITIES), "month": rng.choice(MONTHS),
        "year": str(rng.randint(2015, 2024)), "month2": rng.choice(MONTHS),
    }  # fmt: skip


def day_slots(rng: random.Random, base: dict[str, str], day: int, series_day: int) -> dict[str, str]:
    """What changes from one meeting of the series to the next: day, date, place, figures, outcome."""
    slots = dict(base)
    cities = CITIES[base["c"]]
    slots["city"], slots["city2"] = rng.sample(cities, 2)
    slots["day"] = WEEKDAYS[day % 7]
    slots["day2"] = WEEKDAYS[(day + 1) % 7]
    slots["date"] = f"{MONTHS[(day // 28) % 12]} {day % 28 + 1}"
    slots["n1"], slots["n2"] = str(rng.randint(2, 9)), str(rng.randint(10, 60))
    slots["n3"] = str(rng.randint(12, 480))
    if series_day:  # a later day of the series: perhaps a new programme topic, another Indian city
        if rng.random() < 0.3:
            slots["topic"] = rng.choice(TOPICS)
        if rng.random() < 0.5:
            slots["icity"] = rng.choice(INDIAN_CITIES)
        if rng.random() < 0.5:
            slots["month"] = rng.choice(MONTHS)
    slots["outcome"] = fill(rng.choice(OUTCOMES), slots)
    return slots


def compose(
    rng: random.Random, words: dict[str, list[str]], slots: dict[str, str], plan: list[int], lead: int
) -> list[str]:
    wire = f"{slots['city']}, {slots['date']} (IANS) "
    paragraphs = [wire + fill(words["lead"][lead], slots)]
    sentences = [fill(words["body"][i], slots) for i in plan]
    while sentences:
        take = 2 if len(sentences) > 1 and rng.random() < 0.4 else 1
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return paragraphs


def syndicate(rng: random.Random, words: dict[str, list[str]], slots: dict[str, str], paragraphs: list[str]) -> str:
    """A republished copy: headline, prefix, truncation, background, changed words, trailer, disclaimer."""
    paragraphs = list(paragraphs)
    if rng.random() < 0.5:
        keep = max(1, round(len(paragraphs) * rng.uniform(0.6, 0.8)))
        paragraphs = paragraphs[:keep]
    if rng.random() < 0.5:
        background = fill(rng.choice(words["background"]), slots | {"n3": str(rng.randint(5, 90))})
        paragraphs.insert(rng.randint(1, len(paragraphs)), background)
    for _ in range(rng.choice((0, 1, 2, 2, 3))):  # a couple of words changed
        at = rng.randrange(len(paragraphs))
        tokens = paragraphs[at].split(" ")
        spots = [i for i, w in enumerate(tokens) if w in SYNONYMS]
        if spots:
            i = rng.choice(spots)
            tokens[i] = SYNONYMS[tokens[i]]
            paragraphs[at] = " ".join(tokens)
    if rng.random() < 0.7:
        paragraphs[0] = rng.choice(("(MENAFN- IANS) ", "(MENAFN - IANS) ", "MENAFN - IANS) ")) + paragraphs[0]
    if rng.random() < 0.6:
        paragraphs.append(f"--IANS\n{rng.choice(DESKS)}")
    if rng.random() < 0.3:
        paragraphs.append(
            'Legal Disclaimer:\nMENAFN provides the information "as is" without warranty of any '
            "kind. We do not accept any responsibility or liability for the accuracy, content, "
            "images, videos, licenses, completeness, legality, or reliability of the information."
        )
    if rng.random() < 0.4:  # the extractor left the (new) headline in the text
        paragraphs.insert(0, fill(rng.choice(HEADLINES), slots))
    return "\n\n".join(paragraphs)


def generate(count: int, seed: int = 5) -> list[Article]:
    """About ``count`` articles: series of 1–4 meetings on consecutive days, some republished 1–5 times."""
    rng = random.Random(seed)
    articles: list[Article] = []
    story = 0
    start_day = 0
    while len(articles) < count:
        base = series_slots(rng)
        words = wording(rng)
        length = rng.choice((1, 2, 2, 3, 3, 4))
        # one plan for the series, mostly kept from day to day: same wire phrasing, other facts
        plan = rng.sample(range(len(BODY)), rng.randint(4, 8))
        lead = rng.randrange(len(LEADS))
        start_day += rng.randint(0, 2)
        for series_day in range(length):
            day = start_day + series_day
            slots = day_slots(rng, base, day, series_day)
            if series_day:
                plan = [i if rng.random() < 0.8 else rng.randrange(len(BODY)) for i in plan]
                plan = list(dict.fromkeys(plan))
                if rng.random() < 0.3:
                    lead = rng.randrange(len(LEADS))
            paragraphs = compose(rng, words, slots, plan, lead)
            first = "\n\n".join(paragraphs)
            if rng.random() < 0.3:
                first = fill(rng.choice(HEADLINES), slots) + "\n\n" + first
            articles.append(Article(story, day + rng.random() * 0.5, first))
            if rng.random() < 0.45:
                for _ in range(rng.choice((1, 1, 2, 2, 3, 5))):
                    articles.append(
                        Article(story, day + 0.1 + rng.random() * 1.2, syndicate(rng, words, slots, paragraphs))
                    )
            story += 1
    articles.sort(key=lambda a: a.order)
    return articles


# --- measuring ----------------------------------------------------------------------------------------


def pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise(truth: list[int], predicted: list[str]) -> tuple[float, float, int, int]:
    together = pairs(Counter(zip(truth, predicted, strict=True)).values())
    predicted_pairs = pairs(Counter(predicted).values())
    true_pairs = pairs(Counter(truth).values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    return precision, recall, predicted_pairs, true_pairs


def run(make_index: Callable[[], StoryIndex | BaselineStoryIndex], articles: list[Article]) -> dict[str, float]:
    index = make_index()
    predicted = []
    started = time.perf_counter()
    for number, article in enumerate(articles):
        cluster = index.assign(article.text, cluster_id_for(f"https://news.example/{number}"))
        index.add(cluster, article.text)
        predicted.append(cluster)
    elapsed = time.perf_counter() - started
    precision, recall, predicted_pairs, true_pairs = pairwise([a.story for a in articles], predicted)
    return {
        "articles": len(articles),
        "stories": len({a.story for a in articles}),
        "clusters": len(set(predicted)),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "predicted_pairs": predicted_pairs,
        "true_pairs": true_pairs,
        "seconds": round(elapsed, 3),
        "seconds_per_10k": round(elapsed / len(articles) * 10_000, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=int(os.environ.get("BENCH_DEDUP_ARTICLES", "20000")))
    parser.add_argument("--baseline-articles", type=int, default=int(os.environ.get("BENCH_DEDUP_BASELINE", "3000")))
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"bench-dedup: {args.articles:,} synthetic articles (baseline on {args.baseline_articles:,}); {machine()}")
    big = generate(args.articles, args.seed)
    small = generate(args.baseline_articles, args.seed + 1)
    half = small[: len(small) // 2]
    indexes: dict[str, Callable[[], StoryIndex | BaselineStoryIndex]] = {
        "baseline": BaselineStoryIndex,
        "new": StoryIndex,
        "new, no guard": lambda: StoryIndex(guard=False),
        "new, no guard, threshold 0.5": lambda: StoryIndex(threshold=0.5, guard=False),
    }
    runs: list[tuple[str, str, dict[str, float]]] = []
    for name, make in indexes.items():
        sets = [("half", half), ("small", small)] if name == "baseline" else [("small", small), ("full", big)]
        for label, articles in sets:
            runs.append((name, label, run(make, articles)))
    rows = [
        [name, r["articles"], r["stories"], r["clusters"], f"{r['precision']:.4f}", f"{r['recall']:.4f}",
         f"{r['seconds_per_10k']:.2f}"]
        for name, _, r in runs
    ]  # fmt: skip
    header = ["index", "articles", "stories", "clusters", "precision", "recall", "s per 10k"]
    print_table("pairwise precision / recall; seconds per 10,000 articles (assign + add, one index)", header, rows)
    results = {f"{name} ({label})": r for name, label, r in runs}
    base, new_small, new = results["baseline (small)"], results["new (small)"], results["new (full)"]
    print(
        f"\nbaseline/new time on the same {base['articles']:,} articles: {base['seconds'] / new_small['seconds']:.1f}x"
        f"; baseline s/10k from {results['baseline (half)']['articles']:,} to {base['articles']:,} articles: "
        f"{results['baseline (half)']['seconds_per_10k']:.1f} -> {base['seconds_per_10k']:.1f} (O(n²)); "
        f"new: {new_small['seconds_per_10k']:.1f} -> {new['seconds_per_10k']:.1f} (to {new['articles']:,})"
    )
    payload = {
        "precision": new["precision"],
        "recall": new["recall"],
        "seconds_per_10k": new["seconds_per_10k"],
        "articles": new["articles"],
        "baseline": {k: base[k] for k in ("precision", "recall", "seconds_per_10k", "articles")},
        "machine": machine(),
        "runs": results,
    }
    path = write_result("dedup", payload)
    print(f"\nwritten to {Path(path).relative_to(Path.cwd()) if Path(path).is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
