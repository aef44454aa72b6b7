"""What an article says, as the tagger's model sees it: sentence facts and article features.

Each sentence is read once by the lexicon's matcher into :class:`SentenceFacts` (which sides it names,
explicitly or through a place, whether it speaks of a defence matter, third countries, contexts). The
article's features are computed from those facts: interpretable numbers such as "sentences naming
India, Italy and a defence matter" or "share of country mentions that are third countries". The model
(:mod:`newswatch.tagging.model`) weighs them; the names and descriptions here are what analysts see in
"why it matched".

A side counts when it is named ("India", "Italian", an organisation or person of that side) or implied
by a place ("Kochi", "La Spezia") or by the dateline ("NEW DELHI:") — so "The Defence Secretary held
talks with Italy's Secretary General of Defence here" under a New Delhi dateline names both sides.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from newswatch.tagging.matcher import TermMatcher

SIDES = frozenset({"india", "italy"})
# The contexts in which the bare word "defence" is not about the armed forces.
VOIDING_CONTEXTS = frozenset({"sport", "court"})
# A match this close to the start of the text's first sentence is its dateline ("NEW DELHI:", "ROMA, 27 FEB").
DATELINE_CHARS = 3


@dataclass
class SentenceFacts:
    """What one sentence says, in lexicon labels."""

    text: str
    sides: set[str] = field(default_factory=set)  # named: India, Italian, an organisation of that side
    places: set[str] = field(default_factory=set)  # implied by a place of that side
    third: set[str] = field(default_factory=set)
    defence: bool = False
    case: bool = False  # a defence matter known from courts and probes (AgustaWestland, marò)
    pair: bool = False  # "the two countries": both parties, when the story is about India and Italy
    topics: Counter[str] = field(default_factory=Counter)
    entities: set[str] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)
    weak_defence: bool = False
    contexts: Counter[str] = field(default_factory=Counter)
    excluded: int = 0  # look-alike phrases hidden by the exclusions ("title defence", "Indian Wells")
    leading_place: str | None = None  # the side of a place that opens the sentence (a dateline)
    ambiguous: list[tuple[str, set[str], set[str]]] = field(default_factory=list)

    @property
    def in_context(self) -> bool:
        return bool(VOIDING_CONTEXTS & set(self.contexts))

    def all_sides(self, implied: str | None = None) -> set[str]:
        """Named and implied sides, plus ``implied`` (the article's dateline side) when given."""
        sides = self.sides | self.places
        return sides | {implied} if implied else sides

    @property
    def bilateral(self) -> bool:
        return self.sides >= SIDES

    def country_count(self) -> int:
        return len(self.sides) + len(self.third)


def sentence_facts(sentence: str, matcher: TermMatcher) -> SentenceFacts:
    """The labels found in one sentence, before the context rules (see :func:`apply_context`)."""
    facts = SentenceFacts(sentence)
    for match in matcher.find(sentence):
        if "exclude" in match.labels:
            facts.excluded += 1
            continue
        if any(label.startswith("ambiguous-") for label in match.labels):
            sides = {lb.partition(":")[2] for lb in match.labels if lb.startswith("ambiguous-country:")}
            names = {lb.removeprefix("ambiguous-") for lb in match.labels if lb.startswith("ambiguous-org:")}
            facts.ambiguous.append((match.term, sides, names))
            continue
        _add_labels(facts, match.term, match.labels, match.start)
    return facts


def _add_labels(facts: SentenceFacts, term: str, labels: frozenset[str], start: int) -> None:
    counted = False
    for label in labels:
        kind, _, value = label.partition(":")
        if kind == "country":
            facts.sides.add(value)
        elif kind == "place":
            facts.places.add(value)
            if start < DATELINE_CHARS and facts.leading_place is None:
                facts.leading_place = value
        elif kind == "third":
            facts.third.add(value)
        elif kind == "defence":
            if value == "weak":
                facts.weak_defence = True
            else:
                facts.defence = True
        elif kind == "case":
            facts.case = True
        elif kind == "pair":
            facts.pair = True
        elif kind == "context":
            facts.contexts[value] += 1
            continue  # context words are not evidence
        elif kind == "topic":
            facts.topics[value] += 1
        elif kind in ("org", "person"):
            facts.entities.add(label)
        counted = True
    if counted:
        facts.terms.append(term)


def apply_context(facts: SentenceFacts, article_in_context: bool, sport_story: bool = False) -> None:
    """Count the bare word "defence" unless the sentence or the whole article is about sport or a court
    case; count an ambiguous name ("Leonardo") only beside another defence term. In a sport story, a
    sentence about the sport is not about defence even if it names the Army or the Navy: a service
    team's shooter or sailors are athletes there."""
    facts.defence = facts.defence or (facts.weak_defence and not (facts.in_context or article_in_context))
    if sport_story and facts.contexts["sport"]:
        facts.defence = False
    if facts.defence:
        for term, sides, names in facts.ambiguous:
            facts.terms.append(term)
            facts.sides |= sides
            facts.entities |= names


def article_in_context(head: SentenceFacts, body: list[SentenceFacts], context: str | None = None) -> bool:
    """A sport or court story (or, given ``context``, that one): its headline says so, or at least two
    of its sentences do."""

    def hit(facts: SentenceFacts) -> bool:
        return facts.in_context if context is None else context in facts.contexts

    return hit(head) or sum(hit(f) for f in body) >= 2


@dataclass(frozen=True)
class Feature:
    """One input of the model: its name (stable, stored in the model file) and an analyst's wording."""

    name: str
    description: str
    sign: int = 1  # the direction it may pull: +1 towards relevant, -1 away, 0 either (fitting keeps to it)


FEATURES: tuple[Feature, ...] = (
    Feature("bilateral_defence_sentences", "sentences naming India, Italy and a defence matter"),
    Feature(
        "implied_bilateral_defence_sentences",
        "sentences on a defence matter where a side is implied by a place or dateline",
    ),
    Feature("adjacent_bilateral_defence", "India, Italy and a defence matter in adjacent sentences"),
    Feature("headline_bilateral", "the headline names India and Italy"),
    Feature("headline_defence", "the headline speaks of a defence matter"),
    Feature("headline_side_body_other", "the headline names one side, the body the other on a defence matter"),
    Feature("both_sides_named", "both India and Italy are named in the story"),
    Feature("both_sides_on_defence", "India and Italy each named in sentences about defence"),
    Feature("one_side_only", "only one of India and Italy is present", -1),
    Feature("defence_sentence_share", "share of sentences about defence"),
    Feature("defence_case_terms", "terms of the India–Italy defence court cases (AgustaWestland, marines)"),
    Feature("court_without_case", "a court story with no India–Italy defence case named", -1),
    Feature("third_country_share", "share of country mentions that are third countries", -1),
    Feature("third_country_in_headline", "the headline names a third country", -1),
    Feature("third_country_in_deciding", "third countries in the deciding sentences", -1),
    Feature("many_countries", "many countries named (a round-up)", -1),
    Feature("listed_only", "India and Italy together only in lists of many countries", -1),
    Feature("sport_story", "a sport story", -1),
    Feature("sport_terms", "sport words (match, medal, tournament)", -1),
    Feature("sport_sentence_share", "share of sentences about sport", -1),
    Feature("look_alike_phrases", "look-alike phrases (title defence, Indian Wells, Leonardo da Vinci)", -1),
    Feature("civil_terms", "trade, travel, culture and civil-product words", -1),
    Feature("civil_in_deciding", "civil words in the deciding sentences (a civil product or deal)", -1),
    Feature("italian", "the story is in Italian", 0),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
DESCRIPTIONS: dict[str, str] = {f.name: f.description for f in FEATURES}
SIGNS: dict[str, int] = {f.name: f.sign for f in FEATURES}


@dataclass
class ArticleReading:
    """An article read by the matcher: its facts, features and the sentences that decide it."""

    head: SentenceFacts
    body: list[SentenceFacts]
    features: dict[str, float]
    deciding: list[SentenceFacts]
    dateline_side: str | None

    @property
    def everything(self) -> list[SentenceFacts]:
        return [self.head, *self.body]


def _log_count(n: int) -> float:
    return math.log1p(n)


def read_article(head: SentenceFacts, body: list[SentenceFacts], language: str, multilateral: int) -> ArticleReading:
    """The features of an article whose sentences are already read (context rules applied)."""
    everything = [head, *body]
    dateline = body[0].leading_place if body else None
    named = set().union(*(f.sides for f in everything))
    side_mentions = sum(len(f.sides) + len(f.places) for f in everything)
    third_mentions = sum(len(f.third) for f in everything)
    if named >= SIDES and 2 * third_mentions < side_mentions:
        for facts in everything:
            if facts.pair and not facts.third:
                facts.places |= SIDES
    strong = [f for f in everything if f.bilateral and f.defence and f.country_count() < multilateral]
    implied = [
        f for f in everything if f.defence and not f.bilateral and f.all_sides(dateline) >= SIDES and len(f.third) < 2
    ]
    listed = [f for f in body if f.sides >= SIDES and f.country_count() >= multilateral]
    adjacent = _adjacent_pair(body, dateline)
    head_cross = _headline_cross(head, body, dateline)

    present = set().union(*(f.all_sides(dateline) for f in everything))
    deciding = strong or implied or adjacent or listed
    thirds = set().union(*(f.third for f in everything))
    in_court = article_in_context(head, body, "court")
    # Two sentences naming only India and Italy on defence: the story has an India–Italy part of its own,
    # however many countries the rest of it names.
    clean_pair = sum(not f.third for f in strong) >= 2
    cases = sum(f.case for f in everything)
    civil = sum(f.contexts["civil"] for f in everything)
    sentences = max(len(everything), 1)
    features = {
        "bilateral_defence_sentences": _log_count(len(strong)),
        "implied_bilateral_defence_sentences": _log_count(len(implied)),
        "adjacent_bilateral_defence": float(bool(adjacent) and not strong),
        "headline_bilateral": float(head.bilateral),
        "headline_defence": float(head.defence),
        "headline_side_body_other": float(head_cross),
        "both_sides_named": float(named >= SIDES),
        "both_sides_on_defence": float(set().union(*(f.all_sides(dateline) for f in everything if f.defence)) >= SIDES),
        "one_side_only": float(len(present & SIDES) == 1),
        "defence_sentence_share": sum(f.defence for f in everything) / sentences,
        "defence_case_terms": _log_count(cases),
        "court_without_case": float(in_court and not cases),
        "third_country_share": third_mentions / (third_mentions + side_mentions) if third_mentions else 0.0,
        "third_country_in_headline": float(bool(head.third)),
        "third_country_in_deciding": (sum(bool(f.third) for f in deciding) / len(deciding) if deciding else 0.0),
        "many_countries": min(len(thirds), 8) / 8 if len(thirds) >= 3 and not clean_pair else 0.0,
        "listed_only": float(bool(listed) and not strong),
        "sport_story": float(article_in_context(head, body, "sport")),
        "sport_terms": _log_count(sum(f.contexts["sport"] for f in everything)),
        "sport_sentence_share": sum(bool(f.contexts["sport"]) for f in everything) / sentences,
        "look_alike_phrases": _log_count(sum(f.excluded for f in everything)),
        "civil_terms": _log_count(civil),
        "civil_in_deciding": sum(bool(f.contexts["civil"]) for f in deciding) / len(deciding) if deciding else 0.0,
        "italian": float(language == "it"),
    }
    return ArticleReading(head, body, features, list(deciding), dateline)


def _adjacent_pair(body: list[SentenceFacts], dateline: str | None) -> list[SentenceFacts]:
    """The first two adjacent sentences that between them name both sides and a defence matter."""
    for first, second in pairwise(body):
        sides = first.all_sides(dateline) | second.all_sides(dateline)
        if sides >= SIDES and (first.defence or second.defence) and not (first.third | second.third):
            return [first, second]
    return []


def _headline_cross(head: SentenceFacts, body: list[SentenceFacts], dateline: str | None) -> bool:
    """The headline names one side and a body sentence on defence names the other (or the reverse)."""
    head_sides = head.all_sides()
    if not head_sides or head_sides >= SIDES:
        return False
    return any(facts.defence and head_sides | facts.all_sides(dateline) >= SIDES for facts in body)
