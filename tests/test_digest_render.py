"""The digest HTML as a phone shows it: headless Chromium renders the digest of the fixture stories at
375 px wide; the page must not scroll sideways, the chart must load, and no feed text may run script;
the same with the features that weighed for and against each story and an opened near-miss section,
and with an event reported by many outlets in two languages.
Screenshots go to var/screenshots/ (docs/digest-example.png is one of them)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newswatch.alerts.render import render_digest
from newswatch.alerts.select import Digest, digest_id_for, group_events, select_digest
from newswatch.alerts.send import build_digest
from newswatch.cli import digest_window
from newswatch.config import Recipient, load_settings
from newswatch.warehouse.queries import StoryArticle
from newswatch.warehouse.schema import ArticleRow, FeedPollRow
from newswatch.warehouse.session import engine_for
from tests.support.browser import chromium, full_page_screenshot
from tests.support.fixturesite import copy_warehouse

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
WINDOW = digest_window(date(2026, 2, 28))
# What a hostile or careless feed can put in a headline: markup, and a word no line can break.
HOSTILE_TITLE = "Rome talks <script>window.__pwned = 1</script><img src=x onerror='window.__pwned=2'>"
LONG_WORD = "Supercalifragilistic-defence-industrial-co-production-memorandum" * 2


def write_digest_page(folder: Path, settings_env: dict[str, str], hostile: bool) -> Path:
    """Render the fixture stories' digest as the mail's HTML, with the chart beside it as a file."""
    env = dict(settings_env)
    if hostile:  # a copy of the warehouse with untrusted text in the first story
        env = copy_warehouse(settings_env, folder)
        engine = engine_for(env["NEWSWATCH_WAREHOUSE_URL"])
        with engine.begin() as conn:
            first = conn.execute(ArticleRow.__table__.select().where(ArticleRow.relevant.is_(True))).first()
            assert first is not None
            conn.execute(
                update(ArticleRow)
                .where(ArticleRow.id == first.id)
                .values(title=HOSTILE_TITLE, url=f"https://example.org/{LONG_WORD}", summary=LONG_WORD)
            )
            # The failing feed's error, shown in the "Source status" notice: a server's words, untrusted.
            error = f"<script>window.__pwned = 4</script>{LONG_WORD}"
            conn.execute(update(FeedPollRow).where(FeedPollRow.source == "missing").values(error=error))
    digest = build_digest(load_settings(env), *WINDOW)
    assert digest.stories, "the fixture window has stories"
    assert [h.source for h in digest.source_problems] == ["missing"], "the fixture's 404 feed is down"
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
        notice = browser.execute_script("return document.querySelector('[role=alert]').innerText")
        shot = SCREENSHOTS / f"digest-375-{'hostile' if hostile else 'fixture'}.png"
        full_page_screenshot(browser, shot, 375, mobile=True, scale=2)
    assert viewport == 375
    assert scroll_width <= viewport, f"the page scrolls sideways: {scroll_width}px wide in a {viewport}px screen"
    assert widest <= viewport + 0.5, f"an element sticks out to {widest}px"
    complete, natural_width, alt, shown_width = chart
    assert complete and natural_width == 600, "the chart PNG loads"
    assert shown_width <= viewport and alt.startswith("Bar chart of relevant events per day")
    assert pwned is None, "feed text ran script in the digest"
    assert notice.startswith("Source status: 1 of 8 sources was down or late"), notice
    assert "Missing feed (HTTP 404): down since 01 Mar 2026 11:30 IST" in notice
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


# Long, hostile and unbreakable descriptions: the worst a model file or a hand-edited row can hold.
WORDY = [
    {"feature": "a", "description": "sentences naming India, Italy and a defence matter", "value": 3.0, "weight": 3.14},
    {"feature": "b", "description": f"a very long feature name {LONG_WORD}", "value": 1.0, "weight": 1.25},
    {"feature": "c", "description": "<script>window.__pwned = 3</script>", "value": 1.0, "weight": 0.5},
    {
        "feature": "d",
        "description": "third countries weigh 2.0× India/Italy mentions in the text",
        "value": 2.0,
        "weight": -1.75,
    },
    {
        "feature": "e",
        "description": "India and Italy only appear together in lists of many countries",
        "value": 1.0,
        "weight": -0.6,
    },
]


def write_explained_page(folder: Path, settings_env: dict[str, str]) -> Path:
    """A near-miss reviewer's copy of the fixture digest: every article explained by WORDY, and two
    irrelevant stories of the window turned into near misses."""
    env = copy_warehouse(settings_env, folder)
    engine = engine_for(env["NEWSWATCH_WAREHOUSE_URL"])
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    with Session(engine) as session, session.begin():
        session.execute(update(ArticleRow).values(contributions=WORDY))
        misses = session.scalars(
            select(ArticleRow.id)
            .where(
                ArticleRow.relevant.is_(False),
                when >= WINDOW[0],
                when < WINDOW[1],
                ArticleRow.story_cluster_id.not_in(select(ArticleRow.story_cluster_id).where(ArticleRow.relevant)),
            )
            .order_by(ArticleRow.id)
            .limit(2)
        ).all()
        session.execute(update(ArticleRow).where(ArticleRow.id.in_(misses)).values(score=0.3))
        if misses:  # the long word also in a near miss's headline
            session.execute(update(ArticleRow).where(ArticleRow.id == misses[0]).values(title=LONG_WORD))
    with Session(engine) as session:
        digest = select_digest(session, *WINDOW, near_miss_band=(0.2, 0.5))
    assert digest.stories and digest.near_misses, "the fixture window has stories and now near misses"
    copy = digest.for_recipient(Recipient("review@example.org", near_misses=True))
    rendered = render_digest(copy, chart_src="chart.png")
    (folder / "chart.png").write_bytes(rendered.chart_png)
    page = folder / "digest.html"
    page.write_text(rendered.html, encoding="utf-8")
    return page


def test_explained_digest_with_near_misses_fits_a_375px_phone(ingested_env: dict[str, str], tmp_path: Path) -> None:
    """'Weighed for / against' under each story and the near-miss section, closed at first and then
    opened, stay inside a 375 px screen; no description runs script."""
    page = write_explained_page(tmp_path, ingested_env)
    with chromium(375, 800, mobile=True) as browser:
        browser.get(page.as_uri())
        closed: Any = browser.execute_script(
            "const d = document.querySelector('details'); return [d.open, d.offsetHeight]"
        )
        browser.execute_script("document.querySelector('details summary').click()")
        opened = browser.execute_script("return document.querySelector('details').open")
        scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
        widest = browser.execute_script(
            "return Math.max(...Array.from(document.querySelectorAll('body *'), e => e.getBoundingClientRect().right))"
        )
        listed = browser.execute_script("return document.querySelectorAll('details a').length")
        pwned = browser.execute_script("return window.__pwned === undefined ? null : window.__pwned")
        shot = SCREENSHOTS / "digest-375-near-misses.png"
        full_page_screenshot(browser, shot, 375, mobile=True, scale=2)
    is_open, closed_height = closed
    assert is_open is False and closed_height < 80, "the near-miss section starts collapsed"
    assert opened is True and listed >= 1
    assert scroll_width <= 375, f"the page scrolls sideways: {scroll_width}px wide"
    assert widest <= 375.5, f"an element sticks out to {widest}px"
    assert pwned is None, "a feature description ran script in the digest"


def report(article_id: int, source_title: str, language: str, score: float, url: str) -> StoryArticle:
    """One outlet's report of the port call, as the digest query returns it."""
    return StoryArticle(
        id=article_id,
        source=f"source-{article_id}",
        source_title=source_title,
        url=url,
        title="INS Tabar arrives at Naples" if language == "en" else "Nave indiana Tabar in visita a Napoli",
        summary="The Indian Navy frigate INS Tabar arrived at Naples for a three-day port call.",
        published_at=datetime(2026, 2, 27, 9, article_id, tzinfo=UTC),
        first_seen_at=datetime(2026, 2, 27, 9, article_id, tzinfo=UTC),
        score=score,
        tags=["naval", "diplomacy"],
        evidence=[{"sentence": "INS Tabar arrived at Naples.", "terms": ["INS Tabar", "Naples"]}],
        story_cluster_id=f"s-{article_id}",
        wire=None,
        dateline="Naples",
        language=language,
        event_id="e-7f3a9c0d12b4e658",
    )


def test_event_with_many_reports_fits_a_375px_phone(tmp_path: Path) -> None:
    """An event reported by five outlets in two languages, one with an unbreakable name and one with
    markup in it: one entry whose list of reports, source, language code and link each, stays inside a
    375 px screen and runs no script."""
    reports = [
        report(1, "Press Information Bureau (PIB)", "en", 0.93, "https://pib.example/PressReleasePage.aspx?PRID=1"),
        report(2, "Ministero della Difesa", "it", 0.81, "https://difesa.example/notizie/tabar-napoli"),
        report(3, LONG_WORD, "en", 0.8, f"https://example.org/{LONG_WORD}"),
        report(4, HOSTILE_TITLE, "it", 0.7, "https://ansa.example/tabar"),
        report(5, "MENAFN", "en", 0.6, "https://menafn.example/1"),
    ]
    end = datetime(2026, 2, 28, 2, 30, tzinfo=UTC)
    digest = Digest(digest_id_for(end), "28 Feb 2026", end.replace(day=27), end, tuple(group_events(reports)))
    assert len(digest.stories) == 1
    rendered = render_digest(digest, chart_src="chart.png")
    (tmp_path / "chart.png").write_bytes(rendered.chart_png)
    page = tmp_path / "digest.html"
    page.write_text(rendered.html, encoding="utf-8")
    with chromium(375, 800, mobile=True) as browser:
        browser.get(page.as_uri())
        lines = browser.execute_script("return Array.from(document.querySelectorAll('li'), li => li.textContent)")
        scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
        widest = browser.execute_script(
            "return Math.max(...Array.from(document.querySelectorAll('body *'), e => e.getBoundingClientRect().right))"
        )
        pwned = browser.execute_script("return window.__pwned === undefined ? null : window.__pwned")
        shot = SCREENSHOTS / "digest-375-event.png"
        full_page_screenshot(browser, shot, 375, mobile=True, scale=2)
    assert [line.split()[-1] for line in lines] == ["EN", "IT", "EN", "IT", "EN"]
    assert lines[0].startswith("Press Information Bureau (PIB)") and HOSTILE_TITLE in lines[3]
    assert scroll_width <= 375, f"the page scrolls sideways: {scroll_width}px wide"
    assert widest <= 375.5, f"an element sticks out to {widest}px"
    assert pwned is None, "a source's name ran script in the digest"
