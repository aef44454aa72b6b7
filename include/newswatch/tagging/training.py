"""Fitting the tagger's model on labelled reports, and measuring it on events it never saw.

Three kinds of labelled data feed it: the real-news development set (``realnews-dev/items.jsonl``, read
where it lies, never copied; each report carries the slug of the real event it reports), the project's
own written evaluation set (``tagging_eval/dev.jsonl``; its test split is never trained on) and the
analysts' labels from the warehouse. Every example belongs to a *group* — a real event, a written story
family, a labelled story — and cross-validation never puts one group on both sides of a fold, so a figure
says how the tagger does on an event it has not seen, not on another copy of one it has.

Scores are calibrated the same way inside and outside cross-validation: the weights are fitted on the
training part, a Platt calibration on that part's own group-wise out-of-fold log-odds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newswatch.tagging.features import FEATURE_NAMES
from newswatch.tagging.lexicon import Lexicon
from newswatch.tagging.model import TaggerModel, fit_logistic, fit_platt, model_version

FOLDS = 10
INNER_FOLDS = 5
L2 = 0.3  # chosen among 0.3, 1 and 3 by the event-grouped cross-validation (docs/performance.md)
# An analyst's label is a deliberate correction: each labelled story weighs as much as this many reports.
LABEL_WEIGHT = 2.0
NOTE_STYLE_RE = re.compile(r"\s*\[.*?\]\s*|;.*$")


@dataclass(frozen=True)
class Example:
    """One labelled report: its text, its label and the group it may not be separated from."""

    title: str
    text: str
    language: str
    relevant: bool
    group: str  # "event:<slug>", "own:<family>", "label:<story id>"
    origin: str  # "realnews", "own", "label"
    weight: float = 1.0
    id: str = ""


def read_realnews(path: Path) -> list[Example]:
    """The real-news development set; each report grouped by its real event."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        examples.append(
            Example(
                item["title"],
                item["text"],
                item["language"],
                bool(item["relevant"]),
                f"event:{item['event']}",
                "realnews",
                1.0,
                item["id"],
            )
        )
    return examples


def read_own_set(path: Path) -> list[Example]:
    """The project's written set; instances of one story family grouped, each family weighing one."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    family = [f"own:{NOTE_STYLE_RE.sub('', item['note']).strip().lower()}" for item in items]
    sizes = Counter(family)
    return [
        Example(
            item["title"],
            item["text"],
            item["language"],
            bool(item["relevant"]),
            group,
            "own",
            1.0 / sizes[group],
            item["id"],
        )
        for item, group in zip(items, family, strict=True)
    ]


def label_examples(rows: Iterable[Any]) -> list[Example]:
    """Analysts' labels (objects with title, text, language, relevant, group) as training examples."""
    rows = list(rows)
    sizes = Counter(str(r.group) for r in rows)
    return [
        Example(
            r.title,
            r.text,
            r.language,
            bool(r.relevant),
            str(r.group),
            "label",
            LABEL_WEIGHT / sizes[str(r.group)],
            str(r.group),
        )
        for r in rows
    ]


def data_hash(examples: Sequence[Example]) -> str:
    """SHA-256 over the examples' texts, labels and groups, in a stable order."""
    digest = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: (e.origin, e.group, e.id, e.title)):
        digest.update(json.dumps([ex.origin, ex.group, ex.title, ex.text, ex.language, ex.relevant]).encode())
    return digest.hexdigest()


Featuriser = Callable[[Example], dict[str, float]]


def grouped_folds(groups: Sequence[str], folds: int) -> list[int]:
    """Each example's fold: whole groups dealt to folds, largest first onto the smallest fold, with a
    stable hash breaking ties — deterministic, balanced, no group split."""
    sizes = Counter(groups)
    order = sorted(sizes, key=lambda g: (-sizes[g], hashlib.sha256(g.encode()).hexdigest()))
    load = [0] * folds
    fold_of: dict[str, int] = {}
    for group in order:
        target = min(range(folds), key=lambda f: (load[f], f))
        fold_of[group] = target
        load[target] += sizes[group]
    return [fold_of[g] for g in groups]


def fit_calibrated(
    rows: Sequence[dict[str, float]], examples: Sequence[Example], l2: float = L2, inner_folds: int = INNER_FOLDS
) -> TaggerModel:
    """Weights fitted on all of ``rows``; calibration on their group-wise out-of-fold log-odds."""
    labels = [e.relevant for e in examples]
    weights = [e.weight for e in examples]
    fold = grouped_folds([e.group for e in examples], inner_folds)
    oof = [0.0] * len(rows)
    for k in range(inner_folds):
        train = [i for i, f in enumerate(fold) if f != k]
        held = [i for i, f in enumerate(fold) if f == k]
        if not held or len({labels[i] for i in train}) < 2:
            continue
        w, b = fit_logistic([rows[i] for i in train], [labels[i] for i in train], [weights[i] for i in train], l2)
        inner = TaggerModel(w, b)
        for i in held:
            oof[i] = inner.log_odds(rows[i])
    weights_all, intercept = fit_logistic(rows, labels, weights, l2)
    counted = [i for i, w in enumerate(weights) if w > 0]
    calibration = fit_platt([oof[i] for i in counted], [labels[i] for i in counted])
    return TaggerModel(weights_all, intercept, calibration, model_version(weights_all, intercept, calibration))


@dataclass
class CrossValidation:
    """Out-of-fold scores of every example, and the figures on the chosen origin."""

    scores: list[float]
    folds: int
    metrics: dict[str, Any]


def cross_validate(
    rows: Sequence[dict[str, float]],
    examples: Sequence[Example],
    threshold: float,
    folds: int = FOLDS,
    evaluate: Collection[str] = ("realnews",),
    l2: float = L2,
) -> CrossValidation:
    """Group-wise k-fold cross-validation; figures on the examples whose origin is in ``evaluate`` only.

    Every example is held out once (so the other origins also serve as training data for each fold),
    but only the reports of ``evaluate`` are scored: the written set is not the measure of generalisation.
    """
    fold = grouped_folds([e.group for e in examples], folds)
    scores = [0.0] * len(rows)
    for k in range(folds):
        train = [i for i, f in enumerate(fold) if f != k]
        held = [i for i, f in enumerate(fold) if f == k]
        if not held:
            continue
        model = fit_calibrated([rows[i] for i in train], [examples[i] for i in train], l2)
        for i in held:
            scores[i] = model.score(model.log_odds(rows[i]))
    chosen = [i for i, e in enumerate(examples) if e.origin in evaluate]
    metrics = relevance_metrics(
        [examples[i].relevant for i in chosen],
        [scores[i] >= threshold for i in chosen],
        [examples[i].language for i in chosen],
    )
    return CrossValidation(scores, folds, metrics)


def prf(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the relevant class (1.0 where nothing was to be found or claimed)."""
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def relevance_metrics(gold: Sequence[bool], predicted: Sequence[bool], languages: Sequence[str]) -> dict[str, Any]:
    """Overall and per-language precision/recall/F1, with the item count."""
    by_language: dict[str, dict[str, float]] = {}
    grouped: dict[str, list[int]] = defaultdict(list)
    for i, lang in enumerate(languages):
        grouped[lang].append(i)
    for lang in sorted(grouped):
        idx = grouped[lang]
        by_language[lang] = {**prf([gold[i] for i in idx], [predicted[i] for i in idx]), "items": len(idx)}
    return {**prf(gold, predicted), "items": len(gold), "by_language": by_language}


def train_model(
    examples: Sequence[Example],
    featurise: Featuriser,
    lexicon: Lexicon,
    taxonomy_sha256: str,
    folds: int = FOLDS,
    l2: float = L2,
) -> TaggerModel:
    """The model fitted on all ``examples``, with its cross-validated figures and training record."""
    rows = [featurise(e) for e in examples]
    cv = cross_validate(rows, examples, lexicon.relevant_threshold, folds, l2=l2)
    model = fit_calibrated(rows, examples, l2)
    origins = Counter(e.origin for e in examples)
    training = {
        "data_sha256": data_hash(examples),
        "examples": len(examples),
        "by_origin": dict(sorted(origins.items())),
        "groups": len({e.group for e in examples}),
        "taxonomy_sha256": taxonomy_sha256,
        "features": list(FEATURE_NAMES),
        "l2": l2,
        "trained_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    cv_record = {
        "evaluated_on": "realnews",
        "folds": cv.folds,
        "grouped_by": "event",
        "threshold": lexicon.relevant_threshold,
        **cv.metrics,
    }
    return replace(model, training=training, cv=cv_record)
