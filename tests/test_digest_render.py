"""The digest HTML as a phone shows it: headless Chromium renders the digest of the fixture stories at
375 px wide; the page must not scroll sideways, the chart must load, and no feed text may run script.
Screenshots go to var/screenshots/ (docs/digest-example.png is one of them)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from browser import chromium, full_page_screenshot
from sqlalchemy import update

from newswatch import pipeline
from newswatch.alerts.render import render_digest
from newswatch.cli import digest_window
from newswatch.config import PROJECT_ROOT, load_settings
from newswatch.warehouse.schema import ArticleRow

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
WINDOW = digest_window(date(2026, 2, 28))
# What a hostile or careless feed can put in a headline: markup, and a word no line can break.
HOSTILE_TITLE = "Rome talks <script>window.__pwned = 1</script><img src=x onerror='window.__pwned=2'>"
LONG_WORD = "Supercalifragilistic-defence-industrial-co-production-memorandum" * 2


def write_digest_page(folder: Path, settings_env: dict[str, str], hostile: bool) -> Path:
    """Render the fixture stories' digest as the mail's HTML, with the chart beside it as a file."""
    env = dict(settings_env)
    if hostile:  # a copy of the warehouse with untrusted text in the first story
        copy = folder / "warehouse.db"
        with sqlite3.connect(Path(env["NEWSWATCH_VAR"]) / "warehouse.db") as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        env["NEWSWATCH_WAREHOUSE_URL"] = f"sqlite:///{copy}"
        engine = pipeline.engine_for(env["NEWSWATCH_WAREHOUSE_URL"])
        with engine.begin() as conn:
            first = conn.execute(ArticleRow.__table__.select().where(ArticleRow.relevant.is_(True))).first()
            assert first is not None
            conn.execute(
                update(ArticleRow)
                .where(ArticleRow.id == first.id)
                .values(title=HOSTILE_TITLE, url=f"https://example.org/{LONG_WORD}", summary=LONG_WORD)
            )
    digest = pipeline.build_digest(load_settings(env), *WINDOW)
    assert digest.stories, "the fixture window has stories"
    rendered = render_digest(digest, chart_src="chart.png")
    (folder / "chart.png").write_bytes(rendered.chart_png)
    page = folder / "digest.html"
    page.write_text(rendered.html, encoding="utf-8")
    return page


@pytest.mark.parametrize("hostile", [False, True], ids=["fixture-stories", "hostile-headline"])
def test_digest_fits_a_375px_phone(ingested_env: dict[str, str], tmp_path: Path, hostile: bool) -> None:
    page = write_digest_page(tmp_path, ingested_env, hostile)
    with chromium(375, 800, mobile=True) as browser:
        browser.get(page.as_uri())
        viewport = browser.execute_script("return window.innerWidth")
        scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
        widest = browser.execute_script(
            "return Math.max(...Array.from(document.querySelectorAll('body *'), e => e.getBoundingClientRect().right))"
        )
        chart = browser.execute_script(
            "const i = document.querySelector('img');"
            "return [i.complete, i.naturalWidth, i.alt, i.getBoundingClientRect().width]"
        )
        pwned = browser.execute_script("return window.__pwned === undefined ? null : window.__pwned")
        shot = SCREENSHOTS / f"digest-375-{'hostile' if hostile else 'fixture'}.png"
        full_page_screenshot(browser, shot, 375, mobile=True, scale=2)
    assert viewport == 375
    assert scroll_width <= viewport, f"the page scrolls sideways: {scroll_width}px wide in a {viewport}px screen"
    assert widest <= viewport + 0.5, f"an element sticks out to {widest}px"
    complete, natural_width, alt, shown_width = chart
    assert complete and natural_width == 600, "the chart PNG loads"
    assert shown_width <= viewport and alt.startswith("Bar chart of relevant stories per day")
    assert pwned is None, "feed text ran script in the digest"
    assert shot.stat().st_size > 10_000


def test_digest_example_image_for_the_docs(ingested_env: dict[str, str], tmp_path: Path) -> None:
    """The desktop rendering of the fixture digest (what docs/digest-example.png shows)."""
    page = write_digest_page(tmp_path, ingested_env, hostile=False)
    with chromium(680, 900) as browser:
        browser.get(page.as_uri())
        headings = browser.execute_script("return Array.from(document.querySelectorAll('h2'), h => h.textContent)")
        shot = SCREENSHOTS / "digest-example.png"
        full_page_screenshot(browser, shot, 680)
    assert headings and all(h.endswith(")") for h in headings), headings
    assert shot.stat().st_size > 20_000
