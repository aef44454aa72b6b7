"""The article-extraction-benchmark metric (benchmarks/shingle_metric.py) on tiny handmade texts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, where benchmarks/ lives

from benchmarks.shingle_metric import (
    PageScore,
    bootstrap_f1,
    evaluate,
    page_score,
    precision_recall,
    shingles,
    tokenize,
)


def test_tokens_and_shingles() -> None:
    assert tokenize("Hello, world! It's 2019.") == ["Hello", "world", "It", "s", "2019"]
    assert list(shingles("a b c d e").elements()) == [("a", "b", "c", "d"), ("b", "c", "d", "e")]
    assert shingles("a b") == {("a", "b"): 1}  # fewer than four tokens: one shorter shingle
    assert shingles("") == {} and shingles("  ,;  ") == {}
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2  # counted with multiplicity


def test_exact_match() -> None:
    score = page_score("one two three four five", "one two three four five")
    assert (score.tp, score.fp, score.fn, score.exact) == (1.0, 0.0, 0.0, True)


def test_partial_overlap_is_normalised() -> None:
    # truth shingles: abcd bcde cdef; prediction: bcde cdef defg → tp 2, fp 1, fn 1, divided by 4
    score = page_score("a b c d e f", "b c d e f g")
    assert (score.tp, score.fp, score.fn) == pytest.approx((0.5, 0.25, 0.25))
    assert not score.exact


def test_multiplicity_counts_repeated_shingles() -> None:
    # the prediction repeats the text: shingles abcd ×2, bcda, cdab, dabc; the truth has abcd once
    score = page_score("a b c d", "a b c d a b c d")
    assert (score.tp, score.fp, score.fn) == pytest.approx((1 / 5, 4 / 5, 0.0))


def test_punctuation_and_spacing_do_not_matter_for_tokens() -> None:
    score = page_score("Hello, world:  a test!", "Hello world\na test")
    assert score.exact and score.fp == score.fn == 0


def test_empty_cases() -> None:
    both_empty = page_score("", "")
    assert (both_empty.tp, both_empty.fp, both_empty.fn, both_empty.exact) == (0.0, 0.0, 0.0, True)
    nothing_found = page_score("a b c d", "")
    assert (nothing_found.tp, nothing_found.fp, nothing_found.fn) == (0.0, 0.0, 1.0)
    nothing_expected = page_score("", "a b c d")
    assert (nothing_expected.tp, nothing_expected.fp, nothing_expected.fn) == (0.0, 1.0, 0.0)
    # a page that predicts nothing counts in recall (as 0) and not in precision; and the reverse
    precision, recall = precision_recall([page_score("a b c d", "a b c d"), nothing_found])
    assert (precision, recall) == (1.0, 0.5)
    precision, recall = precision_recall([page_score("a b c d", "a b c d"), nothing_expected])
    assert (precision, recall) == (0.5, 1.0)
    # both empty: a perfect page that takes part in neither mean
    assert precision_recall([both_empty]) == (0.0, 0.0)
    assert evaluate([both_empty]).accuracy == 1.0


def test_evaluate_means_f1_and_accuracy() -> None:
    scores = [
        page_score("a b c d e f", "a b c d e f"),  # P 1, R 1, exact
        page_score("a b c d e f", "b c d e f g"),  # P 2/3, R 2/3
        page_score("a b c d e f", "a b c d"),  # P 1, R 1/3
    ]
    metrics = evaluate(scores)
    precision, recall = (1 + 2 / 3 + 1) / 3, (1 + 2 / 3 + 1 / 3) / 3
    assert metrics.precision == pytest.approx(precision)
    assert metrics.recall == pytest.approx(recall)
    assert metrics.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert metrics.accuracy == pytest.approx(1 / 3)


def test_bootstrap_interval() -> None:
    same = [PageScore(1.0, 0.0, 0.0, True)] * 20
    assert bootstrap_f1(same, resamples=50) == 0.0  # no spread when every page is the same
    mixed = [page_score("a b c d e f", "a b c d e f"), page_score("a b c d e f", "x y z w")] * 10
    spread = bootstrap_f1(mixed, resamples=200, seed=1)
    assert 0.0 < spread < 1.0
    assert spread == bootstrap_f1(mixed, resamples=200, seed=1)  # seeded: reproducible
