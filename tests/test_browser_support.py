"""The one way tests get a browser (tests/support/browser.py): Chromium and chromedriver both found, or the
test skipped with the reason (failed under CI=true), the same for every browser test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import browser
from tests.support.browser import Chromium, chromium_or_skip, find_chromium

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _fake_program(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 1\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH is one empty folder and no NEWSWATCH_CHROMIUM / NEWSWATCH_CHROMEDRIVER: a machine without either."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("NEWSWATCH_CHROMIUM", raising=False)
    monkeypatch.delenv("NEWSWATCH_CHROMEDRIVER", raising=False)
    monkeypatch.delenv("CI", raising=False)
    return empty


def test_both_missing_names_both_and_the_debian_packages(bare_path: Path) -> None:
    reason = find_chromium()
    assert isinstance(reason, str)
    assert "missing Chromium (chromium not on PATH) and chromedriver (chromedriver not on PATH)" in reason
    assert reason.endswith("apt-get install chromium chromium-driver")


def test_chromium_without_its_driver_is_not_enough(bare_path: Path) -> None:
    """The fresh-Debian case: the browser installed, chromium-driver not."""
    _fake_program(bare_path, "chromium")
    reason = find_chromium()
    assert isinstance(reason, str) and "missing chromedriver (chromedriver not on PATH)" in reason
    assert "Chromium (" not in reason


def test_both_found_on_path_or_where_the_variables_say(bare_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary, driver = _fake_program(bare_path, "chromium"), _fake_program(bare_path, "chromedriver")
    assert find_chromium() == Chromium(str(binary), str(driver))
    elsewhere = _fake_program(bare_path.parent / "opt", "my-driver")
    monkeypatch.setenv("NEWSWATCH_CHROMEDRIVER", str(elsewhere))
    assert find_chromium() == Chromium(str(binary), str(elsewhere))
    elsewhere.chmod(0o644)  # not executable: as good as missing
    reason = find_chromium()
    assert isinstance(reason, str) and f"missing chromedriver ({elsewhere})" in reason


def test_missing_browser_skips_with_the_reason_or_fails_under_ci(
    bare_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(pytest.skip.Exception, match="missing Chromium"):
        chromium_or_skip()
    with pytest.raises(pytest.skip.Exception, match="missing Chromium"), browser.chromium(375, 800):
        pass
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"missing Chromium .*\(CI=true: the browser tests must run\)"):
        chromium_or_skip()


def test_a_driver_that_cannot_start_the_browser_skips_too(bare_path: Path) -> None:
    """Found but broken (here: programs that exit at once, as a driver of another version may): the
    same skip with the reason, not a NoSuchDriverException error."""
    _fake_program(bare_path, "chromium")
    _fake_program(bare_path, "chromedriver")
    with pytest.raises(pytest.skip.Exception, match="could not start Chromium"), browser.chromium(375, 800):
        pass


def test_every_browser_test_starts_its_browser_through_the_helper() -> None:
    """No test module builds a webdriver itself, so every browser test skips (or fails under CI) the same way."""
    own = [
        path.relative_to(ROOT).as_posix()
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        and path.name != "browser.py"
        and re.search(r"webdriver\.Chrome\(|\bService\(", path.read_text(encoding="utf-8"))
    ]
    assert own == []


@pytest.mark.parametrize(("ci", "outcome"), [(None, "1 skipped"), ("true", "1 failed")])
def test_a_browser_test_on_a_machine_without_chromium(tmp_path: Path, ci: str | None, outcome: str) -> None:
    """A real pytest run of a browser test with nothing on PATH: skipped with the reason, or failed when
    CI=true."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NEWSWATCH_CHROMIUM", "NEWSWATCH_CHROMEDRIVER")}
    env["PATH"] = str(empty)
    if ci:
        env["CI"] = ci
    test = "tests/test_digest_render.py::test_event_with_many_reports_fits_a_375px_phone"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsf", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outcome in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    assert "missing Chromium (chromium not on PATH) and chromedriver (chromedriver not on PATH)" in done.stdout
    assert "NoSuchDriverException" not in done.stdout
