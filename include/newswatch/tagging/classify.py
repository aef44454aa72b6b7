"""The India–Italy defence decision: features read from the sentences, weighed by the learned model.

A story is relevant when India's side and Italy's side meet over a defence matter. The matcher reads
each sentence into facts (:mod:`newswatch.tagging.features`); the article's features — sentences naming
both sides and a defence matter, the headline, sides implied by places and datelines, the court cases,
third countries, sport, look-alike phrases, civil words — are weighed by the model fitted on labelled
reports (:mod:`newswatch.tagging.model`). The verdict carries the deciding sentences and the features
that weighed most for and against, so an analyst can see why.
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache

from newswatch.clean import split_sentences
from newswatch.language import detect_language
from newswatch.records import Evidence, Verdict
from newswatch.tagging.features import (
    ArticleReading,
    SentenceFacts,
    apply_context,
    article_in_context,
    read_article,
    sentence_facts,
)
from newswatch.tagging.lexicon import Lexicon
from newswatch.tagging.matcher import TermMatcher

LOGGER = logging.getLogger(__name__)

MAX_EVIDENCE = 4
MAX_SENTENCES = 400
TOPIC_MIN_WEIGHT = 2


@lru_cache(maxsize=8)
def matcher_for(lexicon: Lexicon, language: str) -> TermMatcher:
    """The compiled matcher of one language of one loaded lexicon (compiled once)."""
    return TermMatcher(lexicon.for_language(language))


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
        elif facts.defence and (facts.sides or facts.places):
            weights.update(facts.topics)
    return tuple(t for t, w in weights.most_common() if w >= TOPIC_MIN_WEIGHT and t in lexicon.topics)


def read(title: str, text: str, lexicon: Lexicon, language: str) -> ArticleReading:
    """The article's sentence facts and model features (what :func:`classify` decides on)."""
    matcher = matcher_for(lexicon, language)
    head = sentence_facts(title, matcher) if title else SentenceFacts("")
    body = [sentence_facts(s, matcher) for s in split_sentences(text)[:MAX_SENTENCES]]
    in_context = article_in_context(head, body)
    sport = article_in_context(head, body, "sport")
    for facts in (head, *body):
        apply_context(facts, in_context, sport)
    return read_article(head, body, language, lexicon.multilateral_countries)


def features_of(title: str, text: str, lexicon: Lexicon, language: str | None = None) -> dict[str, float]:
    """The model features of one article (for training and inspection)."""
    language = language or detect_language(f"{title}\n{text}")
    return read(title, text, lexicon, language).features


def classify(title: str, text: str, lexicon: Lexicon, language: str | None = None) -> Verdict:
    """Decide whether an article is an India–Italy defence story; say why."""
    language = language or detect_language(f"{title}\n{text}")
    reading = read(title, text, lexicon, language)
    model = lexicon.model
    z = model.log_odds(reading.features)
    score = round(model.score(z), 4)
    relevant = score >= lexicon.relevant_threshold
    contributions = model.contributions(reading.features)
    if not relevant:
        contributions += model.missing(reading.features)

    head, body, deciding = reading.head, reading.body, reading.deciding
    evidence_facts = ([head] if head.bilateral or head.defence else []) + deciding[:MAX_EVIDENCE]
    evidence = tuple(Evidence(f.text, tuple(dict.fromkeys(f.terms))) for f in evidence_facts if f.terms)
    tags = topic_tags(head, body, deciding, lexicon) if relevant else ()
    everything = reading.everything
    sides = set().union(*(f.all_sides(reading.dateline_side) for f in everything))
    thirds = set().union(*(f.third for f in deciding)) if deciding else set()
    countries = tuple(sorted({"india": "India", "italy": "Italy"}[s] for s in sides)) + tuple(sorted(thirds))
    entities = tuple(sorted({e.partition(":")[2] for f in everything for e in f.entities}))
    key_entities = tuple(sorted({e.partition(":")[2] for f in evidence_facts for e in f.entities}))
    reasons = tuple(f"{'for' if c.weight > 0 else 'against'}: {c.description} ({c.weight:+.1f})" for c in contributions)
    return Verdict(
        relevant=relevant,
        score=score,
        tags=tags,
        evidence=evidence,
        language=language,
        countries=countries,
        entities=entities,
        reasons=reasons,
        key_entities=key_entities,
        evidence_weight=round(z, 4),
        contributions=contributions,
        model_version=model.version,
    )
