"""The India–Italy defence decision: sentence-level co-occurrence, scored, with its evidence.

A story is relevant when India's side and Italy's side meet over a defence matter. The strongest signal
is one sentence naming both sides and a defence term; weaker ones are the same across two adjacent
sentences, and the headline. Third countries pull the score down (an India–France story that mentions
Italy once is not ours), and so do sentences that list many countries (multilateral round-ups).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from newswatch.clean import split_sentences
from newswatch.extract import detect_language
from newswatch.records import Evidence, Verdict
from newswatch.tagging.lexicon import Lexicon
from newswatch.tagging.matcher import TermMatcher

LOGGER = logging.getLogger(__name__)

MAX_EVIDENCE = 4
MAX_SENTENCES = 400


@dataclass
class SentenceFacts:
    """What one sentence says, in lexicon labels."""

    text: str
    sides: set[str] = field(default_factory=set)
    third: set[str] = field(default_factory=set)
    defence: bool = False
    topics: Counter[str] = field(default_factory=Counter)
    entities: set[str] = field(default_factory=set)
    terms: list[str] = field(default_factory=list)
    weak_defence: bool = False
    contexts: set[str] = field(default_factory=set)

    @property
    def in_context(self) -> bool:
        return bool(self.contexts)

    ambiguous: list[tuple[str, set[str], set[str]]] = field(default_factory=list)

    @property
    def bilateral(self) -> bool:
        return {"india", "italy"} <= self.sides

    def country_count(self) -> int:
        return len(self.sides) + len(self.third)


@lru_cache(maxsize=8)
def matcher_for(lexicon: Lexicon, language: str) -> TermMatcher:
    """The compiled matcher of one language of one loaded lexicon (compiled once)."""
    return TermMatcher(lexicon.for_language(language))


def sentence_facts(sentence: str, matcher: TermMatcher) -> SentenceFacts:
    """The labels found in one sentence, before the context rules (see :func:`apply_context`)."""
    facts = SentenceFacts(sentence)
    for match in matcher.find(sentence):
        if "exclude" in match.labels:
            continue
        if any(label.startswith("ambiguous-") for label in match.labels):
            sides = {lb.partition(":")[2] for lb in match.labels if lb.startswith("ambiguous-country:")}
            names = {lb.removeprefix("ambiguous-") for lb in match.labels if lb.startswith("ambiguous-org:")}
            facts.ambiguous.append((match.term, sides, names))
            continue
        facts.terms.append(match.term)
        for label in match.labels:
            kind, _, value = label.partition(":")
            if kind == "country":
                facts.sides.add(value)
            elif kind == "third":
                facts.third.add(value)
            elif kind == "defence":
                if value == "weak":
                    facts.weak_defence = True
                else:
                    facts.defence = True
            elif kind == "context":
                facts.contexts.add(value)
            elif kind == "topic":
                facts.topics[value] += 1
            elif kind in ("org", "person"):
                facts.entities.add(label)
    return facts


def apply_context(facts: SentenceFacts, article_in_context: bool) -> None:
    """Count the bare word "defence" unless the sentence or the whole article is about sport or a court
    case; count an ambiguous name ("Leonardo") only beside another defence term."""
    facts.defence = facts.defence or (facts.weak_defence and not (facts.in_context or article_in_context))
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


TOPIC_MIN_WEIGHT = 2


def topic_tags(
    head: SentenceFacts, body: list[SentenceFacts], deciding: list[SentenceFacts], lexicon: Lexicon
) -> tuple[str, ...]:
    """The story's topics, most supported first.

    A topic word counts twice in the headline or a deciding sentence and once in any other sentence
    about defence that names India or Italy; a topic needs a weight of two. So "a naval radar" in the
    deciding sentence tags naval, while a passing "space" in a closing paragraph of background does not.
    """
    weights: Counter[str] = Counter()
    decisive = {id(f) for f in deciding}
    if head.defence or head.sides:  # a headline such as "Talks" alone says nothing of the story's topics
        decisive.add(id(head))
    for facts in (head, *body):
        if id(facts) in decisive:
            for topic, count in facts.topics.items():
                weights[topic] += 2 * count
        elif facts.defence and facts.sides:
            weights.update(facts.topics)
    return tuple(t for t, w in weights.most_common() if w >= TOPIC_MIN_WEIGHT and t in lexicon.topics)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def classify(title: str, text: str, lexicon: Lexicon, language: str | None = None) -> Verdict:
    """Decide whether an article is an India–Italy defence story; say why."""
    language = language or detect_language(f"{title}\n{text}")
    matcher = matcher_for(lexicon, language)
    head = sentence_facts(title, matcher) if title else SentenceFacts("")
    body = [sentence_facts(s, matcher) for s in split_sentences(text)[:MAX_SENTENCES]]
    in_context = article_in_context(head, body)
    for facts in (head, *body):
        apply_context(facts, in_context)
    multilateral = lexicon.multilateral_countries

    strong = [f for f in body if f.bilateral and f.defence and f.country_count() < multilateral]
    listed = [f for f in body if f.bilateral and f.country_count() >= multilateral]
    paired: list[SentenceFacts] = []
    if not strong:
        for first, second in pairwise(body):
            sides = first.sides | second.sides
            if {"india", "italy"} <= sides and (first.defence or second.defence) and not (first.third | second.third):
                paired = [first, second]
                break
    everything = [head, *body]
    side_mentions = sum(len(f.sides) for f in everything)
    third_mentions = sum(len(f.third) for f in everything)
    defence_sentences = sum(f.defence for f in everything)

    z = -4.0
    reasons: list[str] = []
    if strong:
        z += 4.6 + 0.6 * min(len(strong) - 1, 3)
        reasons.append(f"{len(strong)} sentence(s) name India, Italy and a defence matter together")
    elif paired:
        z += 2.8
        reasons.append("India, Italy and a defence matter appear in adjacent sentences")
    if head.bilateral:
        z += 1.2
        reasons.append("the headline names India and Italy")
    if head.defence:
        z += 0.6
    z += 0.3 * min(defence_sentences, 5) - 0.6
    if third_mentions and side_mentions:
        ratio = min(third_mentions / side_mentions, 2.0)
        z -= 1.6 * ratio
        if ratio >= 0.5:
            reasons.append(f"third countries weigh {ratio:.1f}× India/Italy mentions")
    if listed and not strong:
        z -= 1.5
        reasons.append("India and Italy only appear together in lists of many countries")
    if article_in_context(head, body, "sport"):
        # An army athlete at a World Cup in Italy names India, Italy and the army in one sentence.
        z -= 3.0
        reasons.append("a sport story")
    slope, intercept = lexicon.calibration
    score = round(_sigmoid(slope * z + intercept), 4)
    relevant = score >= lexicon.relevant_threshold

    deciding = strong or paired or listed
    evidence_facts = ([head] if head.bilateral or head.defence else []) + deciding[:MAX_EVIDENCE]
    evidence = tuple(Evidence(f.text, tuple(dict.fromkeys(f.terms))) for f in evidence_facts if f.terms)
    tags = topic_tags(head, body, deciding, lexicon) if relevant else ()
    sides = set().union(*(f.sides for f in everything))
    thirds = set().union(*(f.third for f in deciding)) if deciding else set()
    countries = tuple(sorted({"india": "India", "italy": "Italy"}[s] for s in sides)) + tuple(sorted(thirds))
    entities = tuple(sorted({e.partition(":")[2] for f in everything for e in f.entities}))
    key_entities = tuple(sorted({e.partition(":")[2] for f in evidence_facts for e in f.entities}))
    return Verdict(
        relevant=relevant,
        score=score,
        tags=tags,
        evidence=evidence,
        language=language,
        countries=countries,
        entities=entities,
        reasons=tuple(reasons),
        key_entities=key_entities,
        evidence_weight=round(z, 4),
    )
