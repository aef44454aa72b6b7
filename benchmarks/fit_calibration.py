"""`make calibrate-tagger`: fit the tagger's score calibration on the dev split of the evaluation set.

Platt scaling: a one-feature logistic regression of the gold label on the tagger's evidence weight
(its uncalibrated log-odds), fitted by Newton's method with a small ridge, so that a score of 0.8
means about 80 % of such stories are relevant. Prints the slope and intercept to put under
`thresholds.calibration` in include/config/taxonomy.yaml; never reads the test split.
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace

from benchmarks.bench_tag import load_split
from benchmarks.common import ROOT
from newswatch.clean import clean_article_text
from newswatch.tagging import classify, load_lexicon

RIDGE = 1e-3


def fit_platt(weights: list[float], labels: list[bool], iterations: int = 100) -> tuple[float, float]:
    """Slope and intercept maximising the likelihood of sigmoid(slope * w + intercept)."""
    slope, intercept = 1.0, 0.0
    for _ in range(iterations):
        g_s = g_i = h_ss = h_si = h_ii = 0.0
        for w, y in zip(weights, labels, strict=True):
            p = 1.0 / (1.0 + math.exp(-(slope * w + intercept)))
            error = p - (1.0 if y else 0.0)
            variance = max(p * (1.0 - p), 1e-12)
            g_s += error * w
            g_i += error
            h_ss += variance * w * w
            h_si += variance * w
            h_ii += variance
        g_s += RIDGE * slope
        h_ss += RIDGE
        det = h_ss * h_ii - h_si * h_si
        if abs(det) < 1e-12:
            break
        step_s = (h_ii * g_s - h_si * g_i) / det
        step_i = (h_ss * g_i - h_si * g_s) / det
        slope, intercept = slope - step_s, intercept - step_i
        if abs(step_s) + abs(step_i) < 1e-9:
            break
    return slope, intercept


def main() -> int:
    lexicon = load_lexicon(ROOT / "include" / "config" / "taxonomy.yaml")
    raw = replace(lexicon, calibration=(1.0, 0.0))
    items = load_split("dev")
    weights = [
        classify(
            i["title"], clean_article_text(i["text"], title=i["title"]).text, raw, i.get("language")
        ).evidence_weight
        for i in items
    ]
    slope, intercept = fit_platt(weights, [bool(i["relevant"]) for i in items])
    print(f"dev split, {len(items)} items: calibration slope {slope:.4f}, intercept {intercept:.4f}")
    print("put under thresholds in include/config/taxonomy.yaml:")
    print(f"  calibration: {{slope: {slope:.3f}, intercept: {intercept:.3f}}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
