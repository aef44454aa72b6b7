"""The tagger's learned weights: a small logistic-regression model kept in a versioned JSON file.

The file (``tagger_model.json`` beside the taxonomy) holds one weight per feature of
:mod:`newswatch.tagging.features`, an intercept, a Platt calibration fitted on event-grouped
out-of-fold scores, and a record of how it was made: the training data's hash and size, the taxonomy's
hash, the cross-validated metrics. Scoring is a dot product in plain Python (no numpy at tagging time);
fitting (:func:`fit_logistic`) uses numpy and is only called by ``newswatch train-tagger`` and the
benchmark.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newswatch.config import ConfigError
from newswatch.records import Contribution
from newswatch.tagging.features import DESCRIPTIONS, FEATURE_NAMES, SIGNS

MODEL_FORMAT = 1
MAX_FOR = 4
MAX_AGAINST = 3
MAX_MISSING = 2


@dataclass(frozen=True)
class TaggerModel:
    """Feature weights, intercept and calibration, with the record of their training."""

    weights: dict[str, float]
    intercept: float
    calibration: tuple[float, float] = (1.0, 0.0)  # score = sigmoid(slope × log-odds + intercept)
    version: str = ""
    training: dict[str, Any] = field(default_factory=dict)
    cv: dict[str, Any] = field(default_factory=dict)

    def log_odds(self, features: Mapping[str, float]) -> float:
        return self.intercept + sum(w * features.get(name, 0.0) for name, w in self.weights.items())

    def score(self, log_odds: float) -> float:
        slope, intercept = self.calibration
        return sigmoid(slope * log_odds + intercept)

    def contributions(self, features: Mapping[str, float]) -> tuple[Contribution, ...]:
        """The features that pushed this article's log-odds most, for first and then against."""
        pulls = [
            Contribution(name, DESCRIPTIONS.get(name, name), round(value, 4), round(self.weights[name] * value, 4))
            for name, value in features.items()
            if name in self.weights and self.weights[name] * value != 0.0
        ]
        pro = sorted((c for c in pulls if c.weight > 0), key=lambda c: -c.weight)[:MAX_FOR]
        con = sorted((c for c in pulls if c.weight < 0), key=lambda c: c.weight)[:MAX_AGAINST]
        return tuple(pro + con)

    def missing(self, features: Mapping[str, float], count: int = MAX_MISSING) -> tuple[Contribution, ...]:
        """The strongest features for relevance that this article lacks, as pulls against it: what kept a
        story under the threshold. The weight is what the feature would add at a value of one."""
        absent = [
            Contribution(f"missing:{name}", f"missing: {DESCRIPTIONS.get(name, name)}", 0.0, round(-weight, 4))
            for name, weight in self.weights.items()
            if weight > 0 and not features.get(name)
        ]
        return tuple(sorted(absent, key=lambda c: c.weight)[:count])

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": self.version,
            "intercept": round(self.intercept, 6),
            "weights": {name: round(self.weights[name], 6) for name in FEATURE_NAMES if name in self.weights},
            "calibration": {"slope": round(self.calibration[0], 6), "intercept": round(self.calibration[1], 6)},
            "training": self.training,
            "cv": self.cv,
        }


def sigmoid(z: float) -> float:
    if z < -700:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def model_version(weights: Mapping[str, float], intercept: float, calibration: tuple[float, float]) -> str:
    """A short content hash: two files with the same numbers have the same version."""
    blob = json.dumps(
        [sorted((k, round(v, 6)) for k, v in weights.items()), round(intercept, 6), [round(c, 6) for c in calibration]]
    )
    return "m-" + hashlib.sha256(blob.encode()).hexdigest()[:12]


def load_model(path: Path) -> TaggerModel:
    """Read a model file; raise :class:`ConfigError` naming the file and the entry when it is unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: tagger model file not found (train one with `newswatch train-tagger`)") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable tagger model file: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ConfigError(f"{path}: tagger model format must be {MODEL_FORMAT}")
    weights = data.get("weights")
    if not isinstance(weights, dict) or not all(isinstance(v, int | float) for v in weights.values()):
        raise ConfigError(f"{path}: 'weights' must map feature names to numbers")
    unknown = sorted(set(weights) - set(FEATURE_NAMES))
    if unknown:
        raise ConfigError(f"{path}: weights: unknown feature(s) {', '.join(unknown)}")
    calibration = data.get("calibration") or {}
    try:
        slope, cal_intercept = float(calibration.get("slope", 1.0)), float(calibration.get("intercept", 0.0))
        intercept = float(data.get("intercept", 0.0))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: 'intercept' and 'calibration' need numbers") from exc
    if slope <= 0:
        raise ConfigError(f"{path}: calibration slope must be positive")
    return TaggerModel(
        weights={k: float(v) for k, v in weights.items()},
        intercept=intercept,
        calibration=(slope, cal_intercept),
        version=str(data.get("version", "")),
        training=dict(data.get("training") or {}),
        cv=dict(data.get("cv") or {}),
    )


def save_model(model: TaggerModel, path: Path) -> None:
    """Write the model file atomically (a reader never sees half a file)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def fit_logistic(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[bool],
    sample_weights: Sequence[float] | None = None,
    l2: float = 1.0,
    iterations: int = 50,
) -> tuple[dict[str, float], float]:
    """L2-regularised logistic regression by Newton's method (the intercept is not penalised), each
    weight kept to its feature's sign: a feature fitted against its direction is dropped and the rest
    refitted, so that "for" and "against" in the explanations always mean what they say.

    Returns the weights by feature name and the intercept.
    """
    import numpy as np

    x = np.array([[row.get(name, 0.0) for name in FEATURE_NAMES] for row in rows], dtype=float)
    x = np.hstack([x, np.ones((len(rows), 1))])
    signs = np.array([SIGNS[name] for name in FEATURE_NAMES] + [0])
    active = np.ones(x.shape[1], dtype=bool)
    for _ in range(len(FEATURE_NAMES)):
        beta = _newton(x[:, active], labels, sample_weights, l2, iterations)
        full = np.zeros(x.shape[1])
        full[active] = beta
        wrong = (signs * full) < 0
        if not wrong.any():
            break
        active &= ~wrong
    return {name: float(full[i]) for i, name in enumerate(FEATURE_NAMES)}, float(full[-1])


def _newton(x: Any, labels: Sequence[bool], sample_weights: Sequence[float] | None, l2: float, iterations: int) -> Any:
    import numpy as np

    y = np.array([1.0 if label else 0.0 for label in labels])
    w_sample = np.ones(len(labels)) if sample_weights is None else np.asarray(sample_weights, dtype=float)
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 1e-6
    beta = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35, 35)))
        gradient = x.T @ (w_sample * (p - y)) + penalty * beta
        hessian = (x * (w_sample * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta


def fit_platt(log_odds: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """Slope and intercept of sigmoid(slope × z + intercept) fitted to out-of-fold log-odds."""
    weights, intercept = _fit_one_feature(log_odds, labels)
    return max(weights, 1e-3), intercept


def _fit_one_feature(values: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    import numpy as np

    x = np.column_stack([np.asarray(values, dtype=float), np.ones(len(values))])
    y = np.array([1.0 if label else 0.0 for label in labels])
    beta = np.array([1.0, 0.0])
    ridge = np.array([1e-3, 1e-6])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35, 35)))
        gradient = x.T @ (p - y) + ridge * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return float(beta[0]), float(beta[1])
