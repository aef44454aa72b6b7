"""Tests of the ``newswatch`` command: extract, tag, digest and db, called in-process and as a program."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newswatch.cli import digest_window, main
from newswatch.config import CONFIG_DIR
from newswatch.records import Contribution, Verdict
from newswatch.warehouse.migrate import head_revision
from newswatch.warehouse.session import engine_for

TESTS = Path(__file__).resolve().parent
PAGES = TESTS / "fixtures" / "site" / "pages"
RESOURCES = TESTS / "resources"
NEWSWATCH = Path(sys.executable).with_name("newswatch")
BASE = "https://www.news.example"


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    """Run the CLI in-process; return the exit status and what it printed to ``out``."""
    out = io.StringIO()
    status = main(argv, out=out, stdin=io.StringIO(stdin))
    return status, out.getvalue()


def json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture
def page(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the IANS seminar fixture page with its {{BASE}} placeholder filled in, and its URL."""
    relative = "pages/ians/india-italy-defence-industry-seminar-rome-mous.html"
    html = (PAGES.parent / relative).read_text(encoding="utf-8").replace("{{BASE}}", BASE)
    path = tmp_path / "seminar.html"
    path.write_text(html, encoding="utf-8")
    return path, f"{BASE}/{relative}?utm_source=rss"


@pytest.fixture(autouse=True)
def bundled_taxonomy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the caller's environment says, the CLI uses the bundled taxonomy unless told otherwise."""
    monkeypatch.delenv("NEWSWATCH_TAXONOMY", raising=False)


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """NEWSWATCH_VAR and NEWSWATCH_WAREHOUSE_URL pointing at a fresh temporary SQLite warehouse."""
    db = tmp_path / "var" / "db" / "warehouse.db"
    monkeypatch.setenv("NEWSWATCH_VAR", str(tmp_path / "var"))
    monkeypatch.setenv("NEWSWATCH_WAREHOUSE_URL", f"sqlite:///{db}")
    yield db
    engine_for(f"sqlite:///{db}").dispose()


# --- extract -----------------------------------------------------------------------------------------------


def test_extract_prints_article_json(page: tuple[Path, str]) -> None:
    """extract prints title, text, publication time (UTC), author, language and the canonical URL."""
    path, url = page
    status, output = run(["extract", str(path), "--url", url])
    assert status == 0
    (data,) = json_lines(output)
    assert data["title"] == "Indian, Italian defence firms sign five MoUs at Rome industry seminar"
    assert "signed five memoranda of understanding at an industry seminar in Rome" in data["text"]
    assert "IANS India Private Limited" not in data["text"]
    assert data["published"] == "2026-02-27T13:10:00+00:00"  # 18:40 IST
    assert data["published_from"] == "jsonld"  # the page has JSON-LD and meta tags: JSON-LD is trusted first
    assert data["author"] == "IANS"
    assert data["language"] == "en"
    assert (
        data["canonical_url"] == "https://news.example/pages/ians/india-italy-defence-industry-seminar-rome-mous.html"
    )


def test_extract_detects_italian_page(tmp_path: Path) -> None:
    """An Italian defence ministry page comes out as language 'it'."""
    relative = "pages/difesa/incontro-bilaterale-italia-india-roma-cooperazione-industriale.html"
    path = tmp_path / "difesa.html"
    path.write_text((PAGES.parent / relative).read_text(encoding="utf-8").replace("{{BASE}}", BASE), "utf-8")
    status, output = run(["extract", str(path), "--url", f"{BASE}/{relative}"])
    assert status == 0
    data = json_lines(output)[0]
    assert data["language"] == "it"
    assert data["title"].startswith("Difesa: incontro bilaterale Italia-India")


def test_extract_cleans_like_the_pipeline(page: tuple[Path, str]) -> None:
    """extract shows the text the pipeline stores: no repeated headline, dateline and wire found."""
    path, url = page
    data = json_lines(run(["extract", str(path), "--url", url])[1])[0]
    assert (data["dateline"], data["wire"]) == ("New Delhi", "IANS")
    assert data["text"].startswith("Indian and Italian defence companies signed five memoranda")


def test_extract_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is bad input: exit status 2 and a message naming the file on stderr."""
    missing = tmp_path / "no-such-page.html"
    status, output = run(["extract", str(missing)])
    assert status == 2
    assert output == ""
    err = capsys.readouterr().err
    assert str(missing) in err
    assert "newswatch extract:" in err


def test_extract_page_without_article_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page with no article text is refused with status 2 and the file named."""
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    assert run(["extract", str(empty)])[0] == 2
    assert f"{empty}: no article text found" in capsys.readouterr().err


# --- tag ---------------------------------------------------------------------------------------------------


def test_tag_writes_one_json_line_per_input() -> None:
    """tag reads JSON lines (skipping blank ones) and writes one verdict line per record, in order."""
    status, output = run(["tag"], stdin=(RESOURCES / "tag_input.jsonl").read_text(encoding="utf-8"))
    assert status == 0
    results = json_lines(output)
    assert [r["id"] for r in results] == ["ians-001", "ians-002", 3]
    for result in results:
        assert {"id", "relevant", "score", "tags", "evidence"} <= set(result)
    passex, forum, italian = results
    assert passex["relevant"] is True and passex["score"] >= 0.5
    assert "joint-exercise" in passex["tags"]
    assert any("passage exercise" in e["sentence"] for e in passex["evidence"])
    assert all(isinstance(e["terms"], list) and e["terms"] for e in passex["evidence"])
    assert forum["relevant"] is False and forum["tags"] == [] and forum["score"] < 0.5
    assert italian["relevant"] is True and italian["language"] == "it"


def test_tag_explains_each_verdict_with_its_contributions() -> None:
    """Each line carries the model version and the features that weighed for (weight > 0) and against
    (weight < 0), each side strongest first, in the warehouse's shape."""
    status, output = run(["tag"], stdin=(RESOURCES / "tag_input.jsonl").read_text(encoding="utf-8"))
    assert status == 0
    results = json_lines(output)
    for result in results:
        assert isinstance(result["model_version"], str)
        contributions = result["contributions"]
        assert isinstance(contributions, list)
        for contribution in contributions:
            assert set(contribution) == {"feature", "description", "value", "weight"}
            assert contribution["feature"] and contribution["description"]
            assert isinstance(contribution["value"], int | float) and isinstance(contribution["weight"], int | float)
        pulls_for = [c["weight"] for c in contributions if c["weight"] > 0]
        pulls_against = [c["weight"] for c in contributions if c["weight"] < 0]
        assert pulls_for == sorted(pulls_for, reverse=True) and pulls_against == sorted(pulls_against)
    relevant = [r for r in results if r["relevant"]]
    assert relevant and all(any(c["weight"] > 0 for c in r["contributions"]) for r in relevant)


def test_tag_prints_the_verdicts_contributions_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON is the verdict's contributions, in order, field for field, and its model version."""
    import newswatch.tagging

    verdict = Verdict(
        relevant=False,
        score=0.31,
        tags=(),
        evidence=(),
        language="en",
        contributions=(
            Contribution(
                "bilateral_defence_sentences", "sentences naming India, Italy and a defence matter", 1.5, 2.25
            ),
            Contribution("third_countries", "third countries named", 2.0, -0.75),
        ),
        model_version="m-test",
    )
    monkeypatch.setattr(newswatch.tagging, "classify", lambda *args, **kwargs: verdict)
    status, output = run(["tag"], stdin='{"id": 7, "title": "t", "text": "India and Italy."}\n')
    assert status == 0
    (result,) = json_lines(output)
    assert result["model_version"] == "m-test"
    assert result["contributions"] == [
        {
            "feature": "bilateral_defence_sentences",
            "description": "sentences naming India, Italy and a defence matter",
            "value": 1.5,
            "weight": 2.25,
        },
        {"feature": "third_countries", "description": "third countries named", "value": 2.0, "weight": -0.75},
    ]


def test_tag_uses_the_given_taxonomy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--taxonomy points tag at another file: an edited copy changes the verdict, a broken one exits 2."""
    record = (
        json.dumps(
            {
                "id": "sf-1",
                "title": "Indian, Italian special forces complete joint training",
                "text": "Special forces of India and Italy completed a two-week mountain training stint in the Alps.",
            }
        )
        + "\n"
    )
    bundled = CONFIG_DIR / "taxonomy.yaml"
    edited = tmp_path / "edited.yaml"
    edited.write_text(
        bundled.read_text(encoding="utf-8").replace("en: [defence ministry,", "en: [special forces, defence ministry,"),
        encoding="utf-8",
    )
    assert json_lines(run(["tag"], stdin=record)[1])[0]["relevant"] is False
    assert json_lines(run(["tag", "--taxonomy", str(edited)], stdin=record)[1])[0]["relevant"] is True

    broken = tmp_path / "broken.yaml"
    broken.write_text("countries: [unclosed\n", encoding="utf-8")
    status, output = run(["tag", "--taxonomy", str(broken)], stdin=record)
    assert status == 2 and output == ""
    assert f"{broken}:" in capsys.readouterr().err


def test_tag_invalid_json_names_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid JSON on line 2 stops with status 2 and a message that says 'line 2'."""
    stdin = '{"id": "a", "title": "t", "text": "India and Italy."}\n{"id": "b", "text": oops}\n'
    status, output = run(["tag"], stdin=stdin)
    assert status == 2
    assert [r["id"] for r in json_lines(output)] == ["a"]
    err = capsys.readouterr().err
    assert "line 2" in err and "invalid JSON" in err


def test_tag_record_without_id_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON value that is not an object with an id is bad input."""
    assert run(["tag"], stdin='["not", "an", "object"]\n')[0] == 2
    assert "line 1" in capsys.readouterr().err


# --- digest and db -----------------------------------------------------------------------------------------


def test_digest_on_empty_warehouse_prints_zero_events(warehouse_env: Path) -> None:
    """digest --date on an empty warehouse prints a '0 events' subject and 'Nothing new'."""
    status, output = run(["digest", "--date", "2026-02-28"])
    assert status == 0
    assert output.startswith("Subject: India–Italy defence: 0 events — 28 Feb 2026\n")
    assert "Reports published 27 Feb 08:00 – 28 Feb 2026 08:00 IST" in output
    assert "Nothing new" in output
    assert warehouse_env.exists()


def test_digest_html_option(warehouse_env: Path) -> None:
    """--html prints the HTML part."""
    status, output = run(["digest", "--date", "2026-03-01", "--html"])
    assert status == 0
    assert output.lstrip().startswith("<!DOCTYPE html>")
    assert "0 events · 1 Mar 2026" in output
    assert 'src="data:image/png;base64,iVBORw0KGgo' in output  # the chart inline: the page stands alone


def test_digest_for_an_unknown_recipient_is_bad_input(warehouse_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--recipient must name someone in the recipients file."""
    assert run(["digest", "--date", "2026-03-01", "--recipient", "nobody@example.org"])[0] == 2
    assert "'nobody@example.org' is not in" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["28-02-2026", "2026-02-30", "yesterday"])
def test_digest_bad_date_exits_2(bad: str, warehouse_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A date that is not a valid YYYY-MM-DD is bad input (status 2) and the value is quoted."""
    assert run(["digest", "--date", bad])[0] == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err and repr(bad) in err


def test_digest_window_is_the_24_hours_before_0800_ist() -> None:
    """The digest of a day covers 02:30 UTC the day before to 02:30 UTC that day."""
    start, end = digest_window(date(2026, 2, 28))
    assert (start.isoformat(), end.isoformat()) == ("2026-02-27T02:30:00+00:00", "2026-02-28T02:30:00+00:00")


def test_db_upgrade_creates_the_warehouse(warehouse_env: Path) -> None:
    """db upgrade creates the SQLite file (and its folder) with every table."""
    assert not warehouse_env.exists()
    status, output = run(["db", "upgrade"])
    assert status == 0
    assert output.startswith("warehouse sqlite:///")
    head = head_revision()
    assert f"revision {head} (newest {head})" in output
    assert warehouse_env.exists()
    with sqlite3.connect(warehouse_env) as conn:
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
    assert {"sources", "feed_items", "articles", "feed_health", "feed_polls", "alert_deliveries"} <= tables
    assert run(["db", "upgrade"])[0] == 0  # again: nothing to do, still fine


# --- as a program ------------------------------------------------------------------------------------------


def test_console_script_tag_and_missing_file(tmp_path: Path) -> None:
    """The installed ``newswatch`` program tags stdin, and exits 2 with a stderr message on a missing file."""
    env = {
        **os.environ,
        "NEWSWATCH_VAR": str(tmp_path / "var"),
        "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'var' / 'warehouse.db'}",
    }
    done = subprocess.run(
        [str(NEWSWATCH), "tag"],
        input=(RESOURCES / "tag_input.jsonl").read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["relevant"] for line in done.stdout.splitlines()] == [True, False, True]

    missing = tmp_path / "absent.html"
    failed = subprocess.run(
        [str(NEWSWATCH), "extract", str(missing)], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert str(missing) in failed.stderr
