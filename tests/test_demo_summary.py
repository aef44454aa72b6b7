"""The demo's summary (scripts/demo.py): long values wrap at word boundaries, nothing cut mid-word; the
demo keeps its own Airflow home when it wipes its folder, and refuses to run in another one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from scripts.demo import AIRFLOW_DIR, clear_demo_dir, run_demo, summary_lines

WARNING = "broken (malformed feed, 1 item(s) recovered: SAXParseException: <unknown>:20:92: no element found)"


def test_a_long_warning_wraps_at_word_boundaries_and_is_kept_whole() -> None:
    rows = [("sources polled", "8"), ("sources with warnings", WARNING), ("digest preview", "/x/" + "d" * 90)]
    lines = summary_lines(rows, value_width=40)
    key_width = len("sources with warnings")
    assert lines[0] == "sources polled".ljust(key_width) + "  8"
    warning_lines = lines[1:-1]
    assert warning_lines[0].startswith("sources with warnings  broken (malformed feed,")
    assert all(line.startswith(" " * (key_width + 2)) for line in warning_lines[1:]), "continuations under the value"
    values = [line[key_width + 2 :] for line in warning_lines]
    assert all(len(v) <= 40 for v in values)
    assert " ".join(values) == WARNING, "every word whole, none cut, none lost"
    assert lines[-1].endswith("/x/" + "d" * 90), "a word longer than the width keeps a line of its own, uncut"


def test_short_values_stay_on_one_line() -> None:
    assert summary_lines([("a", "1"), ("bb", "")]) == ["a   1", "bb  "]


def test_wiping_the_demo_folder_keeps_its_airflow_home(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    (demo / AIRFLOW_DIR / "logs").mkdir(parents=True)
    (demo / AIRFLOW_DIR / "airflow.db").write_text("metadata")
    (demo / "raw").mkdir()
    (demo / "warehouse.db").write_text("old")
    clear_demo_dir(demo)
    assert [p.name for p in demo.iterdir()] == [AIRFLOW_DIR]
    assert (demo / AIRFLOW_DIR / "airflow.db").read_text() == "metadata"


def test_the_demo_refuses_make_runs_airflow_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run with another AIRFLOW_HOME (make run's var/airflow), the demo touches nothing and says how to start it."""
    monkeypatch.setenv("NEWSWATCH_VAR", str(tmp_path / "var"))
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "var" / "airflow"))
    (tmp_path / "var" / "demo").mkdir(parents=True)
    (tmp_path / "var" / "demo" / "warehouse.db").write_text("kept")
    out = io.StringIO()
    assert run_demo(out) == 2
    assert "its own Airflow home" in out.getvalue() and "make demo" in out.getvalue()
    assert (tmp_path / "var" / "demo" / "warehouse.db").read_text() == "kept"
