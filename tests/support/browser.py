"""Headless Debian Chromium driven through chromedriver (selenium): the one way the tests start a browser.

Every browser test gets its browser from :func:`chromium` (or checks first with :func:`chromium_or_skip`),
which needs two programs: the browser (Debian package ``chromium``) and its driver (``chromium-driver``),
found as ``chromium`` and ``chromedriver`` on ``PATH`` or at ``NEWSWATCH_CHROMIUM`` /
``NEWSWATCH_CHROMEDRIVER``. Where one is missing, or the driver cannot start the browser, the test is
skipped with the reason on a developer machine; under ``CI=true`` it fails instead, since .ci/run installs
both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.services import skip_or_fail

MUST_RUN = "the browser tests"
INSTALL = "apt-get install chromium chromium-driver"


@dataclass(frozen=True)
class Chromium:
    """Where the browser and its driver are."""

    binary: str
    driver: str


def _program(variable: str, name: str) -> str | None:
    """The program ``$variable`` names (a path), else ``name`` found on ``PATH``; None when not there or not
    executable."""
    given = os.environ.get(variable)
    if given:
        path = Path(given)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return shutil.which(name)


def find_chromium() -> Chromium | str:
    """The browser and driver, or why they cannot be used (a sentence naming what is missing)."""
    binary = _program("NEWSWATCH_CHROMIUM", "chromium")
    driver = _program("NEWSWATCH_CHROMEDRIVER", "chromedriver")
    missing = [
        f"{what} ({os.environ.get(variable) or name + ' not on PATH'})"
        for found, what, variable, name in (
            (binary, "Chromium", "NEWSWATCH_CHROMIUM", "chromium"),
            (driver, "chromedriver", "NEWSWATCH_CHROMEDRIVER", "chromedriver"),
        )
        if found is None
    ]
    if missing:
        return f"browser tests need Chromium and chromedriver: missing {' and '.join(missing)}; {INSTALL}"
    assert binary is not None and driver is not None
    return Chromium(binary, driver)


def chromium_or_skip() -> Chromium:
    """The browser and driver; skips the test with the reason when they are missing (fails under CI=true)."""
    found = find_chromium()
    if isinstance(found, str):
        skip_or_fail(found, MUST_RUN)
    return found


@contextmanager
def chromium(width: int, height: int, mobile: bool = False, page_load_timeout: float = 60) -> Iterator[Any]:
    """A headless Chromium with a ``width`` × ``height`` CSS-pixel viewport (a phone's, when ``mobile``)."""
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    found = chromium_or_skip()
    options = webdriver.ChromeOptions()
    options.binary_location = found.binary  # explicit, so selenium-manager never looks for a browser online
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if mobile:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}}
        )
    try:
        driver = webdriver.Chrome(options=options, service=Service(found.driver))
    except WebDriverException as exc:  # a driver that does not match the browser, a browser that will not start
        reason = " ".join((exc.msg or type(exc).__name__).split())[:300]
        skip_or_fail(f"chromedriver {found.driver} could not start Chromium {found.binary}: {reason}", MUST_RUN)
    driver.set_page_load_timeout(page_load_timeout)
    try:
        yield driver
    finally:
        driver.quit()


def full_page_screenshot(driver: Any, path: Path, width: int, mobile: bool = False, scale: float = 1.0) -> None:
    """Save the whole page, not just the viewport, as a PNG."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
