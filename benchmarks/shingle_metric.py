"""The article-extraction-benchmark metric (scrapinghub/article-extraction-benchmark): 4-gram shingles.

Tokens are the ``\\w+`` matches of a text; shingles are the 4-grams of tokens (a text with fewer than
four tokens gives one shorter shingle, an empty text none). Per page, shingles are counted with
multiplicity: tp = the shared count, fp = the excess in the prediction, fn = the excess in the truth,
normalised by their sum so that every page weighs the same. Precision is averaged over the pages that
predicted something, recall over the pages whose truth has text; F1 is 2PR/(P+R) of those means.
Accuracy is the share of pages whose token lists are exactly equal.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float
    exact: bool


def page_score(truth: str, pred: str) -> PageScore:
    """tp, fp, fn of one page (normalised to sum to 1 unless all are 0) and whether the tokens match."""
    true_sh, pred_sh = shingles(truth), shingles(pred)
    tp = sum((true_sh & pred_sh).values())
    fp = sum((pred_sh - true_sh).values())
    fn = sum((true_sh - pred_sh).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(float(tp), float(fp), float(fn), tokenize(truth) == tokenize(pred))


def page_precision(score: PageScore) -> float:
    if score.fp == score.fn == 0:
        return 1.0
    return score.tp / (score.tp + score.fp) if score.tp + score.fp else 0.0


def page_recall(score: PageScore) -> float:
    if score.fp == score.fn == 0:
        return 1.0
    return score.tp / (score.tp + score.fn) if score.tp + score.fn else 0.0


def precision_recall(scores: Sequence[PageScore]) -> tuple[float, float]:
    """Mean precision over the pages that predicted something, mean recall over those with a truth."""
    precisions = [page_precision(s) for s in scores if s.tp + s.fp > 0]
    recalls = [page_recall(s) for s in scores if s.tp + s.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return precision, recall


def f1_of(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Metrics:
    f1: float
    precision: float
    recall: float
    accuracy: float


def evaluate(scores: Sequence[PageScore]) -> Metrics:
    precision, recall = precision_recall(scores)
    accuracy = sum(s.exact for s in scores) / len(scores) if scores else 0.0
    return Metrics(f1_of(precision, recall), precision, recall, accuracy)


def bootstrap_f1(scores: Sequence[PageScore], resamples: int = 1000, seed: int = 0) -> float:
    """Half-width of the 95 % interval of F1 (1.96 standard deviations) over bootstrap resamples of the
    pages, as the benchmark's own evaluate.py reports it."""
    if len(scores) < 2:
        return 0.0
    rng = random.Random(seed)
    values = []
    for _ in range(resamples):
        sample = [scores[rng.randrange(len(scores))] for _ in scores]
        values.append(f1_of(*precision_recall(sample)))
    return 1.96 * statistics.stdev(values)
