"""The tagger's score calibration: Platt scaling fitted on the dev split, read from the taxonomy."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import pytest

from newswatch.config import ConfigError
from newswatch.tagging import classify, load_lexicon

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is a folder of the repository, not an installed package

from benchmarks.fit_calibration import fit_platt  # noqa: E402

TAXONOMY = ROOT / "include" / "config" / "taxonomy.yaml"


def test_fit_platt_recovers_known_parameters() -> None:
    """Labels drawn from sigmoid(2w - 1) give back a slope near 2 and an intercept near -1."""
    rng = random.Random(7)
    weights = [rng.uniform(-4, 4) for _ in range(4_000)]
    labels = [rng.random() < 1 / (1 + math.exp(-(2 * w - 1))) for w in weights]
    slope, intercept = fit_platt(weights, labels)
    assert slope == pytest.approx(2.0, abs=0.25)
    assert intercept == pytest.approx(-1.0, abs=0.25)


def test_taxonomy_calibration_is_applied(tmp_path: Path) -> None:
    """The same evidence gives a higher score under a steeper calibration; the weight is unchanged."""
    text = "India and Italy on Friday agreed to deepen defence industrial cooperation in Rome."
    flat = tmp_path / "flat.yaml"
    flat.write_text(
        TAXONOMY.read_text(encoding="utf-8").replace(
            "calibration: {slope: 1.430, intercept: 0.327}", "calibration: {slope: 1.0, intercept: 0.0}"
        ),
        encoding="utf-8",
    )
    bundled, plain = classify("Talks", text, load_lexicon(TAXONOMY)), classify("Talks", text, load_lexicon(flat))
    assert bundled.evidence_weight == plain.evidence_weight > 0
    assert bundled.score > plain.score
    assert plain.score == pytest.approx(1 / (1 + math.exp(-plain.evidence_weight)), abs=1e-4)


def test_bad_calibration_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TAXONOMY.read_text(encoding="utf-8").replace("slope: 1.430", "slope: -2"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:\d+: calibration slope must be positive"):
        load_lexicon(bad)
