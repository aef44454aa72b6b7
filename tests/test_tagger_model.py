"""The learned tagger: fitting, grouped folds, the model file, explanations and `train-tagger`'s guards."""

from __future__ import annotations

import json
import math
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from newswatch.config import CONFIG_DIR, ConfigError
from newswatch.tagging import classify, load_lexicon
from newswatch.tagging.features import FEATURE_NAMES, SIGNS
from newswatch.tagging.lexicon import DEFAULT_MODEL, taxonomy_hash
from newswatch.tagging.model import TaggerModel, fit_logistic, load_model, save_model
from newswatch.tagging.retrain import TrainingRefused, contradictions, train_tagger
from newswatch.tagging.training import Example, grouped_folds, read_own_set

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = CONFIG_DIR / "taxonomy.yaml"
EVAL = ROOT / "tests" / "resources" / "tagging_eval"


@pytest.fixture(scope="module")
def lexicon():  # type: ignore[no-untyped-def]
    return load_lexicon(TAXONOMY)


def test_fit_logistic_recovers_weights_and_keeps_signs() -> None:
    """Labels drawn from a known model give its weights back; a feature whose data pull against its
    declared direction is left at zero instead of explaining the wrong way."""
    rng = random.Random(11)
    positive, negative = "bilateral_defence_sentences", "third_country_share"
    assert SIGNS[positive] == 1 and SIGNS[negative] == -1
    rows, labels = [], []
    for _ in range(6_000):
        row = {positive: rng.uniform(0, 2), negative: rng.uniform(0, 1), "look_alike_phrases": rng.uniform(0, 1)}
        z = -1.0 + 2.0 * row[positive] - 1.5 * row[negative] + 1.0 * row["look_alike_phrases"]  # wrong sign
        rows.append(row)
        labels.append(rng.random() < 1 / (1 + math.exp(-z)))
    weights, _intercept = fit_logistic(rows, labels, l2=0.01)
    assert weights[positive] == pytest.approx(2.0, abs=0.3)
    assert weights[negative] == pytest.approx(-1.5, abs=0.4)
    assert weights["look_alike_phrases"] == 0.0
    assert set(weights) == set(FEATURE_NAMES)


def test_grouped_folds_never_split_a_group_and_are_deterministic() -> None:
    groups = [f"event:{i % 37}" for i in range(200)] + [f"own:{i}" for i in range(50)]
    folds = grouped_folds(groups, 10)
    assert folds == grouped_folds(list(groups), 10)
    by_group: dict[str, set[int]] = {}
    for group, fold in zip(groups, folds, strict=True):
        by_group.setdefault(group, set()).add(fold)
    assert all(len(f) == 1 for f in by_group.values())
    sizes = [folds.count(k) for k in range(10)]
    assert max(sizes) - min(sizes) <= 6  # whole groups of up to 6 reports dealt onto the smallest fold


def test_bundled_model_matches_the_bundled_taxonomy() -> None:
    """The shipped model was trained on the shipped taxonomy (retrain after editing it) and records how."""
    model = load_model(DEFAULT_MODEL)
    assert model.training["taxonomy_sha256"] == taxonomy_hash(TAXONOMY)
    assert len(model.training["data_sha256"]) == 64
    assert model.cv["grouped_by"] == "event" and model.cv["folds"] >= 5
    assert set(model.weights) == set(FEATURE_NAMES)
    assert all(SIGNS[name] * weight >= 0 for name, weight in model.weights.items())


def test_model_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "tagger_model.json"
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    bad.write_text(json.dumps({**data, "weights": {**data["weights"], "moon_phase": 1.0}}), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tagger_model\.json: weights: unknown feature\(s\) moon_phase"):
        load_model(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tagger_model\.json: not a readable tagger model file"):
        load_model(bad)
    with pytest.raises(ConfigError, match=r"missing\.json: tagger model file not found"):
        load_model(tmp_path / "missing.json")


def test_model_beside_a_taxonomy_copy_is_used(tmp_path: Path) -> None:
    """A taxonomy in its own folder uses the model file beside it; scores follow that model."""
    shutil.copy(TAXONOMY, tmp_path / "taxonomy.yaml")
    shipped = load_model(DEFAULT_MODEL)
    steeper = replace(shipped, calibration=(shipped.calibration[0] * 2, shipped.calibration[1]), version="m-test")
    save_model(steeper, tmp_path / "tagger_model.json")
    text = "India and Italy on Friday agreed to deepen defence industrial cooperation in Rome."
    plain = classify("Talks", text, load_lexicon(TAXONOMY))
    steep = classify("Talks", text, load_lexicon(tmp_path / "taxonomy.yaml"))
    assert steep.model_version == "m-test" and plain.model_version == shipped.version
    assert steep.evidence_weight == plain.evidence_weight > 0
    assert steep.score > plain.score


def test_verdict_explains_with_features_for_and_against(lexicon) -> None:  # type: ignore[no-untyped-def]
    text = (
        "New Delhi, March 3 (PTI) India and Italy on Tuesday agreed to expand defence industrial cooperation, "
        "the defence ministry said after talks between the two defence ministers. "
        "France and Germany were also mentioned as partners in earlier talks."
    )
    verdict = classify("India, Italy to expand defence industrial ties", text, lexicon)
    assert verdict.relevant
    weights = [c.weight for c in verdict.contributions]
    assert weights[0] > 0 and any(w < 0 for w in weights)
    pro = [c for c in verdict.contributions if c.weight > 0]
    assert pro == sorted(pro, key=lambda c: -c.weight)
    assert "bilateral_defence_sentences" in {c.feature for c in pro}
    assert any(r.startswith("for: sentences naming India, Italy and a defence matter") for r in verdict.reasons)
    model = lexicon.model
    assert verdict.score == pytest.approx(model.score(verdict.evidence_weight), abs=1e-4)


def test_side_implied_by_the_dateline(lexicon) -> None:  # type: ignore[no-untyped-def]
    """Under a New Delhi dateline, "here" is India: the Indian side need not be named."""
    text = (
        "NEW DELHI: The Defence Secretary held talks with Italy's Secretary General of Defence here on "
        "Thursday on co-production of naval systems and joint exercises. "
        "Both sides agreed to meet again next year."
    )
    verdict = classify("Defence Secretary holds talks with Italian counterpart", text, lexicon, "en")
    assert verdict.relevant, verdict
    assert "India" in verdict.countries and "Italy" in verdict.countries
    assert any("Secretary General of Defence" in e.sentence for e in verdict.evidence)


@pytest.mark.parametrize(
    ("title", "text", "language"),
    [
        (
            "Marò, udienza rinviata alla Corte suprema",
            "NEW DELHI - La Corte suprema indiana ha rinviato l'udienza sul caso dei due marò, i fucilieri "
            "della Marina Militare accusati della morte di due pescatori al largo del Kerala. Il governo "
            "italiano chiede che il processo si tenga in Italia.",
            "it",
        ),
        (
            "Court extends custody of AgustaWestland middleman",
            "A Delhi court on Monday extended the custody of an alleged middleman in the AgustaWestland VVIP "
            "helicopter case. The CBI told the court that the Italian firm paid bribes to win the contract "
            "for 12 helicopters for the Indian Air Force.",
            "en",
        ),
    ],
)
def test_court_stages_of_defence_cases_are_relevant(lexicon, title: str, text: str, language: str) -> None:  # type: ignore[no-untyped-def]
    verdict = classify(title, text, lexicon, language)
    assert verdict.relevant, verdict.reasons


@pytest.mark.parametrize(
    ("title", "text", "language"),
    [
        (
            "Top seed defends Indian Wells crown",
            "The Italian world number one completed a successful title defence at Indian Wells on Sunday, "
            "beating the Russian in straight sets in the final of the tournament.",
            "en",
        ),
        (
            "Defence lawyers seek bail for Italian tourist in Goa",
            "Defence lawyers for an Italian tourist arrested in Goa over a road accident asked the court for "
            "bail on Monday. The judge will hear the case next week.",
            "en",
        ),
        (
            "Volley, l'Italia batte l'India: difesa impeccabile",
            "Nel torneo di pallavolo l'Italia ha battuto l'India per tre set a zero grazie a una difesa "
            "impeccabile e a un muro solido. Le azzurre giocheranno la semifinale sabato.",
            "it",
        ),
    ],
)
def test_sport_and_idiom_are_not_defence(lexicon, title: str, text: str, language: str) -> None:  # type: ignore[no-untyped-def]
    verdict = classify(title, text, lexicon, language)
    assert not verdict.relevant, verdict.reasons


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "INS Tabar exercises with Qatari Emiri Navy off Doha",
            "Doha, May 12: Indian Navy frigate INS Tabar held a passage exercise with the Qatari Emiri Navy's "
            "corvette Al Zubarah on Monday. The Qatari ship was built by Italy's Fincantieri at its Muggiano "
            "yard and delivered in 2022. The two navies practised communication drills.",
        ),
        (
            "Fincantieri to build cruise ships for Indian operator",
            "Trieste: Fincantieri signed a contract to build two cruise ships for an Indian cruise line, the "
            "Italian shipbuilder said. Deliveries are due in 2028.",
        ),
        (
            "Leonardo delivers AW169 air ambulance to Indian operator",
            "Mumbai: Italian helicopter maker Leonardo has delivered an AW169 helicopter configured as an air "
            "ambulance to a private Indian operator. It will fly emergency medical services in Maharashtra.",
        ),
    ],
)
def test_third_country_dealings_and_civil_products_are_not_ours(lexicon, title: str, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = classify(title, text, lexicon, "en")
    assert not verdict.relevant, verdict.reasons


def test_a_ship_and_a_port_imply_the_sides(lexicon) -> None:  # type: ignore[no-untyped-def]
    """An Italian frigate (ITS) arriving at an Indian naval port names no India at all."""
    text = (
        "Visakhapatnam: Italian Navy frigate ITS Carabiniere arrived at Visakhapatnam on a four-day visit. "
        "The ship's crew will interact with personnel of the Eastern Naval Command and a passage exercise "
        "is planned on departure."
    )
    verdict = classify("ITS Carabiniere arrives in Visakhapatnam", text, lexicon, "en")
    assert verdict.relevant, verdict.reasons
    assert "joint-exercise" in verdict.tags or "naval" in verdict.tags


# --- train-tagger ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written() -> tuple[list[Example], list[Example]]:
    """A small, fast stand-in for the shipped data and for analysts' labels: the written dev split's story
    families dealt alternately to the shipped part and to the labels; the written test split plays the
    real reports' part (scored by cross-validation, grouped by story)."""
    dev = read_own_set(EVAL / "dev.jsonl")
    families = sorted({e.group for e in dev})
    labelled = set(families[1::2])
    stand_in = [
        replace(e, origin="realnews", group=e.group.replace("own:", "event:"))
        for e in read_own_set(EVAL / "test.jsonl")
    ]
    shipped = [e for e in dev if e.group not in labelled] + stand_in
    labels = [
        replace(e, origin="label", group=e.group.replace("own:", "label:"), weight=2.0 * e.weight)
        for e in dev
        if e.group in labelled
    ]
    return shipped, labels


@pytest.fixture(scope="module")
def shipped(written: tuple[list[Example], list[Example]]) -> list[Example]:
    return written[0]


def _labels(examples: list[Example], relevant: bool | None, count: int, prefix: str) -> list[Example]:
    """``count`` analysts' labels on written stories (their own label, or ``relevant`` to force one)."""
    chosen = [e for e in examples if e.origin == "own"][:count]
    return [
        replace(e, origin="label", group=f"label:{prefix}{i}", weight=2.0,
                relevant=e.relevant if relevant is None else relevant)
        for i, e in enumerate(chosen)
    ]  # fmt: skip


@pytest.fixture
def taxonomy_copy(tmp_path: Path) -> Path:
    path = tmp_path / "taxonomy.yaml"
    shutil.copy(TAXONOMY, path)
    shutil.copy(DEFAULT_MODEL, tmp_path / "tagger_model.json")
    return path


def test_train_tagger_with_no_labels_writes_nothing(taxonomy_copy: Path, shipped: list[Example]) -> None:
    model_file = taxonomy_copy.with_name("tagger_model.json")
    before = model_file.read_bytes()
    with pytest.raises(TrainingRefused, match="no analysts' labels in the warehouse"):
        train_tagger(taxonomy_copy, [], shipped=shipped)
    assert model_file.read_bytes() == before


def test_training_data_comes_from_the_environment_or_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taxonomy_copy: Path
) -> None:
    """The written set and the real-news set: NEWSWATCH_TAGGER_TRAINING and NEWSWATCH_REALNEWS, else where
    the checkout (NEWSWATCH_ROOT) keeps them; an installed package given neither refuses to train, saying
    what to set."""
    from newswatch.tagging.retrain import default_own_set, default_realnews, shipped_examples

    for name in ("NEWSWATCH_TAGGER_TRAINING", "NEWSWATCH_REALNEWS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEWSWATCH_ROOT", str(ROOT))
    assert default_own_set() == EVAL / "dev.jsonl"
    assert default_realnews() == (ROOT.parent / "shared" / "realnews-dev" / "items.jsonl").resolve()

    installed = tmp_path / "elsewhere"
    installed.mkdir()
    monkeypatch.setenv("NEWSWATCH_ROOT", str(installed))
    assert shipped_examples() == []
    model_file = taxonomy_copy.with_name("tagger_model.json")
    before = model_file.read_bytes()
    with pytest.raises(TrainingRefused, match=r"no shipped training data.*NEWSWATCH_TAGGER_TRAINING"):
        train_tagger(taxonomy_copy, [], refit=True)
    assert model_file.read_bytes() == before

    monkeypatch.setenv("NEWSWATCH_TAGGER_TRAINING", str(EVAL / "dev.jsonl"))
    assert {e.origin for e in shipped_examples()} == {"own"}


def test_train_tagger_refuses_contradictory_labels(taxonomy_copy: Path, shipped: list[Example]) -> None:
    model_file = taxonomy_copy.with_name("tagger_model.json")
    before = model_file.read_bytes()
    agree = _labels(shipped, None, 3, "a")
    disagree = [replace(agree[0], group="label:b0", relevant=not agree[0].relevant)]
    assert contradictions(agree + disagree) == ["a0, b0"]
    with pytest.raises(TrainingRefused, match=r"contradictory labels.*\(a0, b0\)"):
        train_tagger(taxonomy_copy, agree + disagree, shipped=shipped)
    assert model_file.read_bytes() == before


def test_train_tagger_refuses_a_model_older_than_the_taxonomy(taxonomy_copy: Path, shipped: list[Example]) -> None:
    model_file = taxonomy_copy.with_name("tagger_model.json")
    taxonomy_copy.write_text(taxonomy_copy.read_text(encoding="utf-8") + "\n# an analyst's edit\n", encoding="utf-8")
    before = model_file.read_bytes()
    with pytest.raises(TrainingRefused, match=r"trained on an older version of .*taxonomy\.yaml.*--taxonomy-changed"):
        train_tagger(taxonomy_copy, _labels(shipped, None, 5, "s"), shipped=shipped)
    assert model_file.read_bytes() == before
    report = train_tagger(taxonomy_copy, _labels(shipped, None, 5, "s"), shipped=shipped, taxonomy_changed=True)
    assert report.written == model_file
    assert load_model(model_file).training["taxonomy_sha256"] == taxonomy_hash(taxonomy_copy)


def test_train_tagger_writes_a_model_that_is_not_worse(
    taxonomy_copy: Path, written: tuple[list[Example], list[Example]]
) -> None:
    """Labels on stories the shipped data does not have: the refit is measured, not worse, and written."""
    model_file = taxonomy_copy.with_name("tagger_model.json")
    shipped, labels = written
    report = train_tagger(taxonomy_copy, labels, shipped=shipped)
    assert report.after["f1"] >= report.before["f1"]
    assert report.written == model_file
    stored = load_model(model_file)
    assert stored.version == report.model.version != load_model(DEFAULT_MODEL).version
    assert stored.training["by_origin"]["label"] == len(labels)
    assert stored.cv["with_labels"] == report.after and stored.cv["without_labels"] == report.before


def test_train_tagger_refuses_a_worse_model(taxonomy_copy: Path, shipped: list[Example]) -> None:
    """Labels that call every relevant written story not relevant make the tagger worse on events it has
    not seen: the refitted model is not written."""
    model_file = taxonomy_copy.with_name("tagger_model.json")
    before = model_file.read_bytes()
    relevant = [e for e in shipped if e.origin == "own" and e.relevant]
    wrong = [
        replace(e, origin="label", group=f"label:w{i}", weight=2.0, relevant=False) for i, e in enumerate(relevant)
    ]
    with pytest.raises(TrainingRefused, match=r"scores worse .* was not overwritten"):
        train_tagger(taxonomy_copy, wrong, shipped=shipped)
    assert model_file.read_bytes() == before


def test_model_json_round_trip(tmp_path: Path) -> None:
    model = TaggerModel({"bilateral_defence_sentences": 2.5}, -3.0, (1.2, 0.1), "m-x", {"examples": 3}, {"f1": 0.9})
    save_model(model, tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again.weights == {"bilateral_defence_sentences": 2.5}
    assert (again.intercept, again.calibration, again.version) == (-3.0, (1.2, 0.1), "m-x")
    assert again.log_odds({"bilateral_defence_sentences": 1.0}) == pytest.approx(-0.5)


def test_cli_train_tagger_without_labels_says_why(
    taxonomy_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from newswatch.cli import main

    monkeypatch.setenv("NEWSWATCH_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    before = taxonomy_copy.with_name("tagger_model.json").read_bytes()
    assert main(["train-tagger", "--no-labels", "--taxonomy", str(taxonomy_copy)]) == 1
    assert "no analysts' labels in the warehouse" in capsys.readouterr().err
    assert taxonomy_copy.with_name("tagger_model.json").read_bytes() == before
