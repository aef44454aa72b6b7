"""`newswatch train-tagger`: refit the model on the shipped data plus the analysts' labels, safely.

The shipped data is the project's written set (its dev split: ``NEWSWATCH_TAGGER_TRAINING``) and the
real-news development set (``--realnews`` or ``NEWSWATCH_REALNEWS``). Without those variables they are
looked for where a checkout keeps them, ``tests/resources/tagging_eval/dev.jsonl`` in the deployment root
and ``../shared/realnews-dev/items.jsonl`` beside it (:func:`newswatch.config.deployment_root`); an
installed package has neither and is refused until told. Before and after are measured the same way, on
the same folds: the event-grouped cross-validation of fitting without the analysts' labels ("before")
and with them ("after"), scored on the real reports and the labelled stories. A model that scores worse
is not written; neither is one when there is nothing new to learn from, when labels contradict each other,
or when the model file on disk was trained on an older taxonomy (the comparison would not be fair
until someone says so).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newswatch.clean import clean_article_text
from newswatch.config import deployment_root
from newswatch.tagging.classify import features_of
from newswatch.tagging.lexicon import Lexicon, load_lexicon, model_path_for, taxonomy_hash
from newswatch.tagging.model import TaggerModel, load_model, save_model
from newswatch.tagging.training import (
    FOLDS,
    CrossValidation,
    Example,
    cross_validate,
    fit_calibrated,
    read_own_set,
    read_realnews,
    train_model,
)

# Where a checkout keeps the training data, relative to the deployment root (the checkout).
OWN_SET = Path("tests") / "resources" / "tagging_eval" / "dev.jsonl"
REALNEWS = Path("..") / "shared" / "realnews-dev" / "items.jsonl"
EVALUATED = ("realnews", "label")


class TrainingRefused(Exception):
    """Training was asked for but nothing may be written; the message says why and what to do."""


@dataclass
class TrainReport:
    """What train-tagger measured and did."""

    before: dict[str, Any]
    after: dict[str, Any]
    written: Path | None
    model: TaggerModel
    examples: dict[str, int] = field(default_factory=dict)


def default_own_set() -> Path:
    """``NEWSWATCH_TAGGER_TRAINING``, else the written set's dev split of the checkout."""
    given = os.environ.get("NEWSWATCH_TAGGER_TRAINING")
    return Path(given).expanduser() if given else deployment_root() / OWN_SET


def default_realnews() -> Path:
    """``NEWSWATCH_REALNEWS``, else the real-news development set beside the checkout."""
    given = os.environ.get("NEWSWATCH_REALNEWS")
    return Path(given).expanduser() if given else (deployment_root() / REALNEWS).resolve()


def shipped_examples(own_set: Path | None = None, realnews: Path | None = None) -> list[Example]:
    """The written set's dev split and the real-news development set, each when present (an installed
    package has neither unless told where they are; :func:`train_tagger` then refuses)."""
    own_set = own_set or default_own_set()
    realnews = realnews or default_realnews()
    examples = read_own_set(own_set) if own_set.exists() else []
    if realnews.exists():
        examples += read_realnews(realnews)
    return examples


def featuriser(lexicon: Lexicon) -> Any:
    """Features of an example as the pipeline sees it: wire furniture cleaned first."""

    def featurise(example: Example) -> dict[str, float]:
        text = clean_article_text(example.text, title=example.title).text
        return features_of(example.title, text, lexicon, example.language)

    return featurise


def contradictions(labels: Sequence[Example]) -> list[str]:
    """Texts labelled both relevant and not relevant (in different stories): the analysts disagree."""
    seen: dict[tuple[str, str], set[bool]] = defaultdict(set)
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for example in labels:
        key = (example.title.strip().lower(), " ".join(example.text.split()).lower())
        seen[key].add(example.relevant)
        groups[key].add(example.group.removeprefix("label:"))
    return sorted(", ".join(sorted(groups[k])) for k, values in seen.items() if len(values) > 1)


def _measure(
    rows: list[dict[str, float]], examples: list[Example], threshold: float, folds: int, train_on: set[str]
) -> CrossValidation:
    """Grouped CV where only examples of ``train_on`` origins are fitted on, all of EVALUATED are scored.

    Leaving an origin out of training is done by giving it no weight, so both runs share their folds.
    """
    weighted = [e if e.origin in train_on else replace(e, weight=0.0) for e in examples]
    cv = cross_validate(rows, weighted, threshold, folds, evaluate=EVALUATED)
    return cv


def train_tagger(
    taxonomy: Path,
    labels: Sequence[Example],
    output: Path | None = None,
    *,
    shipped: Sequence[Example] | None = None,
    folds: int = FOLDS,
    taxonomy_changed: bool = False,
    refit: bool = False,
    dry_run: bool = False,
) -> TrainReport:
    """Refit, compare, and write the model file unless it would be worse; see the module docstring.

    ``refit`` writes a model fitted on the shipped data alone even with no labels (after a taxonomy
    edit); ``taxonomy_changed`` accepts that the model on disk predates the taxonomy.
    """
    output = output or model_path_for(taxonomy)
    lexicon = load_lexicon(taxonomy, with_model=False)
    digest = taxonomy_hash(taxonomy)
    if output.exists():
        current = load_model(output)
        trained_on = current.training.get("taxonomy_sha256")
        if trained_on and trained_on != digest and not taxonomy_changed:
            raise TrainingRefused(
                f"{output} was trained on an older version of {taxonomy} (edited since, taxonomy sha256 "
                f"{trained_on[:12]}… → {digest[:12]}…): figures before and after would not compare like with "
                "like. Nothing was written. Run again with --taxonomy-changed to refit on the edited taxonomy."
            )
    if not labels and not refit:
        raise TrainingRefused(
            "no analysts' labels in the warehouse: nothing new to learn from, so nothing was written. "
            "Mark stories relevant or not relevant in the News Monitor first (or pass --refit to refit on "
            "the shipped data alone, after a taxonomy edit)."
        )
    disputed = contradictions(labels)
    if disputed:
        raise TrainingRefused(
            "contradictory labels: the same report is marked relevant in one story and not relevant in "
            f"another ({'; '.join(disputed)}). Nothing was written; settle the labels in the News Monitor."
        )
    shipped = list(shipped) if shipped is not None else shipped_examples()
    if not shipped:
        raise TrainingRefused(
            f"no shipped training data: neither the written set ({default_own_set()}) nor the real-news set "
            f"({default_realnews()}) was found, so nothing was written. Point NEWSWATCH_TAGGER_TRAINING and "
            "NEWSWATCH_REALNEWS (or --realnews) at them, or run from the checkout."
        )
    examples = shipped + list(labels)
    featurise = featuriser(lexicon)
    rows = [featurise(e) for e in examples]
    threshold = lexicon.relevant_threshold
    before = _measure(rows, examples, threshold, folds, {"realnews", "own"})
    after = _measure(rows, examples, threshold, folds, {"realnews", "own", "label"})
    model = train_model(examples, featurise, lexicon, digest, folds)
    model = replace(model, cv={**model.cv, "with_labels": after.metrics, "without_labels": before.metrics})
    report = TrainReport(
        before.metrics,
        after.metrics,
        None,
        model,
        {origin: sum(e.origin == origin for e in examples) for origin in ("own", "realnews", "label")},
    )
    if labels and after.metrics["f1"] < before.metrics["f1"]:
        raise TrainingRefused(
            f"the refitted model scores worse (cross-validated F1 {after.metrics['f1']:.3f} with the labels, "
            f"{before.metrics['f1']:.3f} without): {output} was not overwritten."
        )
    if not dry_run:
        output.parent.mkdir(parents=True, exist_ok=True)
        save_model(model, output)
        report.written = output
    return report


def fit_only(examples: Sequence[Example], lexicon: Lexicon) -> TaggerModel:
    """A model fitted on ``examples`` with no cross-validation (for tests and the benchmark's own split)."""
    featurise = featuriser(lexicon)
    return fit_calibrated([featurise(e) for e in examples], list(examples))
