"""Headless Debian Chromium driven through chromedriver (selenium), for the rendering tests.

Missing Chromium skips a browser test with the reason on a developer machine; under ``CI=true`` it fails,
since .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.services import skip_or_fail

CHROMIUM = os.environ.get("NEWSWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("NEWSWATCH_CHROMEDRIVER", "/usr/bin/chromedriver")


def chromium_or_skip() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    if missing:
        reason = f"Chromium not installed ({', '.join(missing)} missing; apt-get install chromium chromium-driver)"
        skip_or_fail(reason, "the browser tests")


@contextmanager
def chromium(width: int, height: int, mobile: bool = False) -> Iterator[Any]:
    """A headless Chromium with a ``width`` × ``height`` CSS-pixel viewport (a phone's, when ``mobile``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium_or_skip()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # explicit, so selenium-manager never looks for a browser online
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
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
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
