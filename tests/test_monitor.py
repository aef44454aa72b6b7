"""The News Monitor (plugins/newswatch_monitor.py, newswatch.monitor): its read-only queries and its routes,
against a warehouse filled by really running the pipeline on the fixture site (SQLite and PostgreSQL).

Routes are exercised with FastAPI's TestClient; Airflow's auth dependencies are overridden to "allowed",
except in the tests that check an anonymous request is refused. The browser test against a real API
server is tests/test_monitor_browser.py. Labels (``POST /api/labels``) are written into the shared
warehouse and removed again after each test that writes them.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from newswatch.alerts.send import send_digest
from newswatch.cli import main
from newswatch.config import CONFIG_DIR, Settings, load_recipients, load_settings
from newswatch.ingest.http import clear_robots_cache
from newswatch.monitor import LazyMonitorApp, labelling, web
from newswatch.monitor import queries as q
from newswatch.monitor.airflow_links import AirflowLinks, RunRef, TaskRef, task_url, ui_url
from newswatch.pipeline import run_ingest
from newswatch.warehouse import labels
from newswatch.warehouse.engine import make_engine
from newswatch.warehouse.schema import NOTE_MAX_CHARS, ArticleRow, StoryClusterRow, TaggerLabelRow
from newswatch.warehouse.session import engine_for
from tests.support.fixtureserver import FixtureServer
from tests.support.fixturesite import EXPECTED, FIXTURES, ROOT, fixture_env, settings_from
from tests.support.services import reset_postgres

OBSERVED = datetime(2026, 2, 28, 1, 0, tzinfo=UTC)  # the ingest's "now"
NOW = OBSERVED + timedelta(hours=1)  # the page's "now"
STORY_DAY = date(2026, 2, 27)
DIGEST_DAY = date(2026, 2, 28)
RUN_ID = "scheduled__2026-02-28T01:00:00+00:00"


def _expected_stories(day: date) -> dict[str, list[dict]]:
    """Relevant fixture stories published on the UTC ``day``: story key → its labelled copies."""
    stories: dict[str, list[dict]] = {}
    for entry in EXPECTED:
        published = entry.get("published")
        if entry["relevant"] and published and datetime.fromisoformat(published).astimezone(UTC).date() == day:
            stories.setdefault(entry["story"], []).append(entry)
    return stories


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fixture_server: FixtureServer
) -> Iterator[Settings]:
    """A warehouse after one ingest run over the fixture feeds and the 28 Feb digest sent to the outbox."""
    tmp = tmp_path_factory.mktemp("monitor")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'warehouse.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        reset_postgres(url)
    with pytest.MonkeyPatch.context() as patch:
        settings = settings_from(fixture_env(tmp / "var", fixture_server.base_url, url), patch)
        clear_robots_cache()
        run_ingest(settings, OBSERVED)
        send_digest(settings, *q.digest_window(DIGEST_DAY))
    yield settings
    for cache in (engine_for, q.readonly_engine, labelling.label_engine):
        for engine in _cached_engines(cache, settings.warehouse_url):
            engine.dispose()
        cache.cache_clear()


def _cached_engines(cache, url: str) -> list:  # type: ignore[no-untyped-def]
    try:
        return [cache(url)]
    except Exception:
        return []


def _links(base: str, sources, digest_days) -> AirflowLinks:  # type: ignore[no-untyped-def]
    """Links as the API server would find them after one ingest and one digest DAG run."""
    poll = TaskRef(
        "newswatch_ingest",
        RUN_ID,
        "source.poll_source",
        7,
        "failed",
        task_url(base, "newswatch_ingest", RUN_ID, "source.poll_source", 7),
    )
    digest_run = RunRef(
        "newswatch_digest", "manual__digest", "success", NOW, ui_url(base, "dags", "newswatch_digest", "runs", "x")
    )
    return AirflowLinks(
        base=base,
        latest_runs={"newswatch_ingest": RunRef("newswatch_ingest", RUN_ID, "success", OBSERVED, "/ingest-run")},
        poll_tasks={"missing": poll} if "missing" in sources else {},
        digest_runs={DIGEST_DAY: digest_run} if DIGEST_DAY in digest_days else {},
    )


class AnalystUser:
    """What Airflow's ``get_user`` gives the routes: a user with a name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def get_name(self) -> str:
        return self.name


def _client(
    settings: Settings, authorized: bool = True, user: str = "analyst", thresholds: web.Thresholds | None = None
) -> TestClient:
    config = web.MonitorConfig(
        settings=lambda: settings,
        recipients_text=lambda: None,
        links=_links,
        clock=lambda: NOW,
        thresholds=(lambda _settings: thresholds) if thresholds else web.taxonomy_thresholds,
    )
    app = web.create_app(config)
    if authorized:
        for dependency in (web.READ_INGEST, web.READ_DIGEST, web.EDIT_INGEST):
            app.dependency_overrides[dependency] = lambda: None
        app.dependency_overrides[web.AUTHENTICATED] = lambda: AnalystUser(user)
    return TestClient(app)


# --- queries --------------------------------------------------------------------------------------------


def test_read_only_session_refuses_writes(filled: Settings) -> None:
    with q.read_only_session(filled.warehouse_url) as session:
        assert session.query(ArticleRow).count() > 0
        with pytest.raises(SQLAlchemyError, match=r"(?i)read.?only"):
            session.execute(update(ArticleRow).values(title="changed"))
            session.flush()
    with q.read_only_session(filled.warehouse_url) as session:
        assert session.query(ArticleRow).filter(ArticleRow.title == "changed").count() == 0


def test_read_only_engine_never_creates_a_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'absent.db'}"
    with pytest.raises(SQLAlchemyError), q.read_only_session(url) as session:
        session.execute(text("select 1"))
    assert not (tmp_path / "absent.db").exists()
    q.readonly_engine(url).dispose()


def test_feed_statuses_show_every_fixture_source(filled: Settings) -> None:
    with q.read_only_session(filled.warehouse_url) as session:
        feeds = {f.source: f for f in q.feed_statuses(session, NOW)}
    configured = {s["name"] for s in yaml.safe_load((FIXTURES / "sources.yaml").read_text())["sources"]}
    assert set(feeds) == configured
    missing, broken, ians = feeds["missing"], feeds["broken"], feeds["ians"]
    assert (missing.status, missing.consecutive_failures, missing.http_status) == ("failing", 1, 404)
    assert "404" in (missing.last_error or "") and missing.last_success_at is None
    assert missing.failed_polls_24h == 1 and missing.new_items_24h == 0
    assert broken.status == "warning" and "malformed" in (broken.last_error or "")
    ians_pages = sum(1 for e in EXPECTED if e["source"] == "ians")
    assert (ians.status, ians.items_24h, ians.new_items_24h, ians.polls_24h) == ("ok", ians_pages, ians_pages, 1)
    assert ians.last_success_at == OBSERVED
    assert len(ians.daily_new) == q.SPARK_DAYS and ians.daily_new[-1] == q.DayCount(DIGEST_DAY, ians_pages)
    assert sum(d.count for d in ians.daily_new[:-1]) == 0
    assert next(iter(feeds)) == "missing", "failing sources come first"


def test_stories_for_day_match_the_labelled_fixtures(filled: Settings) -> None:
    expected = _expected_stories(STORY_DAY)
    with q.read_only_session(filled.warehouse_url) as session:
        day = q.stories_for_day(session, STORY_DAY)
        next_day = q.stories_for_day(session, STORY_DAY + timedelta(days=1))
        assert q.latest_story_day(session) == DIGEST_DAY
    assert len(day.stories) == day.unfiltered == len(expected)
    assert len(next_day.stories) == len(_expected_stories(STORY_DAY + timedelta(days=1)))
    ranks = [round(s.score, 2) for s in day.stories]  # best first (ties: newest first)
    assert ranks == sorted(ranks, reverse=True)
    for story in day.stories:
        assert day.start <= story.published_at < day.end
        assert story.tags and story.evidence and all(e.sentence for e in story.evidence)
    by_size = {len(copies): key for key, copies in expected.items()}
    syndicated = expected[by_size[max(by_size)]]
    titles = {c["title"] for c in syndicated}
    story = next(s for s in day.stories if s.title in titles)
    assert story.cluster_size == len(syndicated) == 1 + len(story.also)
    assert {story.source, *(c.source for c in story.also)} == {
        "gnews" if c["source"] == "portal" else c["source"] for c in syndicated
    }


def test_story_filters_by_topic_and_source(filled: Settings) -> None:
    with q.read_only_session(filled.warehouse_url) as session:
        everything = q.stories_for_day(session, STORY_DAY)
        legal = q.stories_for_day(session, STORY_DAY, topic="legal")
        menafn = q.stories_for_day(session, STORY_DAY, source="menafn")
        both = q.stories_for_day(session, STORY_DAY, topic="cyber", source="menafn")
    assert legal.unfiltered == everything.unfiltered
    assert legal.stories and all("legal" in s.tags for s in legal.stories)
    assert len(legal.stories) == sum("legal" in s.tags for s in everything.stories)
    menafn_stories = {e["story"] for e in EXPECTED if e["source"] == "menafn" and e["relevant"]}
    assert len(menafn.stories) == len(menafn_stories & set(_expected_stories(STORY_DAY)))
    assert all("menafn" in s.sources for s in menafn.stories)
    assert len(both.stories) == 1 and "cyber" in both.stories[0].tags


def test_digest_summary_and_ledger(filled: Settings) -> None:
    recipients = load_recipients(filled.recipients_file)
    with q.read_only_session(filled.warehouse_url) as session:
        summary = q.digest_summary(session, DIGEST_DAY, recipients)
        ledger = q.deliveries(session)
        none_yet = q.digest_summary(session, DIGEST_DAY + timedelta(days=1), recipients)
    assert summary.digest_id == "india-italy-defence-2026-02-28"
    assert (summary.window_start, summary.window_end) == (
        datetime(2026, 2, 27, 2, 30, tzinfo=UTC),
        datetime(2026, 2, 28, 2, 30, tzinfo=UTC),
    )
    # One digest entry per event: the ground truth's ``event`` of a page, else its story.
    assert summary.stories == len({e.get("event") or e["story"] for e in EXPECTED if e["relevant"]})
    assert [r.email for r in summary.recipients] == [r.email for r in recipients]
    assert summary.recipients[0].stories == summary.stories and summary.recipients[0].filters == "everything"
    assert {d.recipient for d in summary.deliveries} == {r.email for r in recipients}
    assert all(d.status == "sent" and d.day == DIGEST_DAY and d.articles > 0 for d in ledger)
    assert len(ledger) == len(recipients) and not none_yet.deliveries


def test_digest_day_parses_only_digest_ids() -> None:
    assert q.digest_day("india-italy-defence-2026-02-28") == DIGEST_DAY
    assert q.digest_day("india-italy-defence-2026-02-30") is None
    assert q.digest_day("immediate-1234") is None


# --- routes ---------------------------------------------------------------------------------------------


def test_page_lists_sources_stories_digest_and_ledger(filled: Settings) -> None:
    response = _client(filled).get("/monitor", params={"day": STORY_DAY.isoformat()})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    for source in yaml.safe_load((FIXTURES / "sources.yaml").read_text())["sources"]:
        assert _escaped(source["title"]) in page
    for copies in _expected_stories(STORY_DAY).values():
        assert any(_escaped(c["title"]) in page for c in copies), copies[0]["title"]
    assert "HTTP 404" in page and "malformed feed" in page
    assert 'href="/dags/newswatch_ingest/runs/scheduled__2026-02-28T01%3A00%3A00%2B00%3A00/tasks/' in page
    assert "source.poll_source/mapped/7" in page
    assert "india-italy-defence-2026-02-28" in page and "analysts@example.org" in page
    assert 'href="/dags/newswatch_digest/runs"' in page
    assert page.count('<svg class="spark"') == 8


def _escaped(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;").replace("<", "&lt;")


def test_digest_preview_says_it_is_named_by_its_send_day(filled: Settings) -> None:
    """The stories of a day are in the next day's digest: the page says so beside the preview, with the
    window, and links to that digest (and to the day whose stories this digest holds)."""
    page = _client(filled).get("/monitor", params={"day": STORY_DAY.isoformat()}).text
    note = page[page.index('id="digest-day"') :]
    note = " ".join(note[: note.index("</p>")].split())
    assert "A digest is named by the day it is sent: this one goes out at 08:00 IST on 27 Feb" in note
    assert "covers the 24 hours before, 26 Feb 02:30 – 27 Feb 02:30 UTC" in note
    assert '<a href="/monitor#digest">28 Feb</a>' in note  # 28 Feb is the page's today: no day parameter
    assert '<a href="/monitor?day=2026-02-26">26 Feb</a>' in note


def test_page_at_420px_keeps_every_table_inside_its_card(filled: Settings, tmp_path: Path) -> None:
    """On a 420 px screen the page does not scroll sideways: the wide tables (feed health, the digest's
    recipients, the ledger) scroll inside their own section, whose right edge stays on the screen, and
    long unbroken text (a PostgreSQL warehouse URL in the footer, a DAG run id) wraps."""
    from tests.support.browser import chromium

    def long_links(base: str, sources, digest_days) -> AirflowLinks:  # type: ignore[no-untyped-def]
        """The links with run ids as long as real ones (a manual run's id carries microseconds)."""
        links = _links(base, sources, digest_days)
        long_id = "manual__2026-02-28T02:30:00.123456+00:00"
        runs = {day: dataclasses.replace(run, run_id=long_id) for day, run in links.digest_runs.items()}
        return dataclasses.replace(links, digest_runs=runs)

    config = web.MonitorConfig(
        settings=lambda: filled, recipients_text=lambda: None, links=long_links, clock=lambda: NOW
    )
    app = web.create_app(config)
    for dependency in (web.READ_INGEST, web.READ_DIGEST):
        app.dependency_overrides[dependency] = lambda: None
    html = TestClient(app).get("/monitor", params={"day": DIGEST_DAY.isoformat()}).text
    assert "manual__2026-02-28T02:30:00.123456+00:00" in html
    page = tmp_path / "monitor.html"
    page.write_text(html, encoding="utf-8")
    with chromium(420, 900, mobile=True) as browser:
        browser.get(page.as_uri())
        width = browser.execute_script("return window.innerWidth")
        assert width == 420, "a phone widens its layout to content that does not fit (a long URL, a run id)"
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        boxes = browser.execute_script(
            "return Array.from(document.querySelectorAll('section')).map(function (s) {"
            "  var t = s.querySelector('table'); var r = s.getBoundingClientRect();"
            "  return {id: s.id, left: r.left, right: r.right, overflow: getComputedStyle(s).overflowX,"
            "          scroll: s.scrollWidth, client: s.clientWidth, table: t ? t.getBoundingClientRect().width : 0};"
            "});"
        )
        sections = {b["id"]: b for b in boxes}
        assert {"feeds", "stories", "digest", "ledger"} <= set(sections)
        for box in boxes:
            assert box["left"] >= 0 and box["right"] <= width, box
        feeds = sections["feeds"]
        assert feeds["table"] > feeds["client"], "the feed-health table is wider than the screen"
        assert feeds["overflow"] == "auto" and feeds["scroll"] > feeds["client"], "so it scrolls inside its card"
        browser.save_screenshot(str(tmp_path / "monitor-420.png"))


def test_page_default_day_is_today_and_offers_the_latest(filled: Settings) -> None:
    page = _client(filled).get("/monitor").text
    assert f'value="{NOW.date().isoformat()}"' in page
    # 28 Feb (today here) has one story; 27 Feb is one click away.
    assert 'href="/monitor?day=2026-02-27"' in page


def test_page_filters(filled: Settings) -> None:
    client = _client(filled)
    page = client.get("/monitor", params={"day": "2026-02-27", "topic": "legal", "source": ""}).text
    assert "Delhi HC upholds arbitral award" in page
    assert "Maritime Security And Cyber Dialogue" not in page
    assert '<option value="legal" selected>' in page
    page = client.get("/monitor", params={"day": "2026-02-27", "source": "menafn"}).text
    assert "Maritime Security And Cyber Dialogue" in page and "Delhi HC upholds" not in page


def test_page_escapes_feed_text_and_drops_unsafe_links(filled: Settings, tmp_path: Path) -> None:
    if not filled.warehouse_url.startswith("sqlite"):
        pytest.skip("one backend is enough: the template is the same")
    copy = tmp_path / "warehouse.db"
    original = filled.warehouse_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(original)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)  # the WAL's pages too, which a file copy would miss
    engine = create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(
            text("update articles set title = :t, url = :u where relevant"),
            {"t": '<script>alert("x")</script> & <b>bold</b>', "u": "javascript:alert(1)"},
        )
        conn.execute(
            text("update feed_health set last_error = '<img src=x onerror=alert(1)>' where source = 'missing'")
        )
    engine.dispose()
    settings = load_settings({"NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{copy}"})
    page = _client(settings).get("/monitor", params={"day": "2026-02-27"}).text
    assert "<script>alert" not in page and "<b>bold</b>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "javascript:" not in page
    assert 'href="#" target="_blank"' in page
    q.readonly_engine(settings.warehouse_url).dispose()


def test_json_api(filled: Settings) -> None:
    client = _client(filled)
    feeds = client.get("/api/feeds").json()
    assert {f["source"] for f in feeds} >= {"ians", "missing", "broken"}
    assert feeds[0]["source"] == "missing" and feeds[0]["status"] == "failing"
    assert len(feeds[0]["daily_new"]) == q.SPARK_DAYS
    stories = client.get("/api/stories", params={"day": "2026-02-27", "topic": "legal"}).json()
    assert stories["day"] == "2026-02-27" and stories["topic"] == "legal"
    assert stories["stories"] and all("legal" in s["tags"] for s in stories["stories"])
    digest = client.get("/api/digest", params={"day": "2026-02-28"}).json()
    assert digest["digest_id"] == "india-italy-defence-2026-02-28" and digest["headlines"]
    ledger = client.get("/api/deliveries", params={"digest_id": digest["digest_id"]}).json()
    assert {d["status"] for d in ledger} == {"sent"}
    assert client.get("/api/deliveries", params={"digest_id": "nothing"}).json() == []


def test_digest_preview_is_sandboxed(filled: Settings) -> None:
    response = _client(filled).get("/monitor/digest-preview", params={"day": "2026-02-28"})
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert "India–Italy defence" in response.text and "data:image/png;base64," in response.text
    assert '<base target="_blank">' in response.text


REVIEW_RECIPIENTS = """
groups:
  review: {near_misses: true, members: [review@example.org]}
  rome-review: {near_misses: true, languages: [it], members: [rome-review@example.org]}
  plain: {members: [plain@example.org]}
"""


def test_digest_preview_has_the_mails_near_misses(
    filled: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview selects near misses in the taxonomy's band as the digest DAG does: a recipient's
    preview is their mail as `newswatch digest --recipient --html` prints it (the "Possibly relevant"
    section for a group with near_misses: true, none for the others); the preview of all stories has
    the section when some group asks for it; an address not among the recipients is a 404."""
    taxonomy = tmp_path / "taxonomy.yaml"  # a band wide enough for the fixture window to have near misses
    text = (CONFIG_DIR / "taxonomy.yaml").read_text(encoding="utf-8")
    assert "  near_miss: 0.2\n" in text
    taxonomy.write_text(text.replace("  near_miss: 0.2\n", "  near_miss: 0.0001\n"), encoding="utf-8")
    (tmp_path / "recipients.yaml").write_text(REVIEW_RECIPIENTS, encoding="utf-8")
    env = {
        "NEWSWATCH_VAR": str(filled.var_dir),
        "NEWSWATCH_WAREHOUSE_URL": filled.warehouse_url,
        "NEWSWATCH_TAXONOMY": str(taxonomy),
        "NEWSWATCH_RECIPIENTS": str(tmp_path / "recipients.yaml"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(env)
    config = web.MonitorConfig(
        settings=lambda: settings, recipients_text=lambda: REVIEW_RECIPIENTS, links=_links, clock=lambda: NOW
    )
    app = web.create_app(config)
    for dependency in (web.READ_INGEST, web.READ_DIGEST):
        app.dependency_overrides[dependency] = lambda: None
    client = TestClient(app)
    day = {"day": DIGEST_DAY.isoformat()}

    def preview(**params: str) -> str:
        response = client.get("/monitor/digest-preview", params={**day, **params})
        assert response.status_code == 200, response.text
        return response.text

    for email in ("review@example.org", "rome-review@example.org", "plain@example.org"):
        out = io.StringIO()
        assert main(["digest", "--date", DIGEST_DAY.isoformat(), "--recipient", email, "--html"], out=out) == 0
        mail = out.getvalue().replace("<head>", '<head>\n<base target="_blank">', 1)
        assert preview(recipient=email.upper()) == mail, email
    review, rome, plain = (preview(recipient=f"{name}@example.org") for name in ("review", "rome-review", "plain"))
    assert "Possibly relevant (" in review and "Possibly relevant (" in rome and "Possibly relevant" not in plain
    everything = preview()
    assert everything.count("Possibly relevant (") == 1 and "<details" in everything
    unknown = client.get("/monitor/digest-preview", params={**day, "recipient": "nobody@example.org"})
    assert unknown.status_code == 404 and "not among the digest's recipients" in unknown.text

    copies = {c["email"]: c for c in client.get("/api/digest", params=day).json()["recipients"]}
    assert copies["review@example.org"]["near_misses"] > copies["rome-review@example.org"]["near_misses"] > 0
    assert copies["plain@example.org"]["near_misses"] == 0


@pytest.mark.parametrize(
    "params",
    [{"day": "2026-13-01"}, {"day": "yesterday"}, {"topic": "<script>"}, {"source": "a" * 65}],
)
def test_bad_parameters_are_rejected(filled: Settings, params: dict[str, str]) -> None:
    assert _client(filled).get("/monitor", params=params).status_code == 422


def test_unreadable_warehouse_is_a_503_with_a_message(tmp_path: Path) -> None:
    settings = load_settings({"NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'not-yet.db'}"})
    client = _client(settings)
    page = client.get("/monitor")
    assert page.status_code == 503 and "The warehouse could not be read" in page.text
    assert client.get("/api/feeds").status_code == 503
    assert not (tmp_path / "not-yet.db").exists()
    q.readonly_engine(settings.warehouse_url).dispose()


# --- auth and plugin ------------------------------------------------------------------------------------

ROUTES = [
    "/monitor",
    "/monitor/digest-preview",
    "/monitor/icon.svg",
    "/api/feeds",
    "/api/events",
    "/api/stories",
    "/api/near-misses",
    "/api/labels",
    "/api/digest",
    "/api/deliveries",
]


@pytest.mark.parametrize("path", ROUTES)
def test_anonymous_requests_are_refused(tmp_path: Path, path: str) -> None:
    settings = load_settings({"NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'w.db'}"})
    response = _client(settings, authorized=False).get(path)
    assert response.status_code == 401, response.text
    assert not (tmp_path / "w.db").exists(), "refused before the warehouse is touched"


def test_lazy_app_builds_the_real_app_on_first_request() -> None:
    app = LazyMonitorApp()
    with TestClient(app) as client:
        assert client.get("/api/feeds").status_code == 401
        assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404


def test_plugin_registers_app_and_view_without_importing_the_app(tmp_path: Path) -> None:
    code = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('nm', sys.argv[1])\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "plugin = module.NewswatchMonitorPlugin\n"
        "print(json.dumps({'apps': [{k: v for k, v in a.items() if k != 'app'} for a in plugin.fastapi_apps],\n"
        "  'views': plugin.external_views, 'web_loaded': 'newswatch.monitor.web' in sys.modules}))\n"
    )
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path),  # importing Airflow must not touch a real home
        "AIRFLOW_CONFIG": str(ROOT / "airflow.cfg"),
        "NEWSWATCH_ROOT": str(ROOT),
        "AIRFLOW__API__BASE_URL": "http://localhost:8080",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "plugins" / "newswatch_monitor.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    info = yaml.safe_load(done.stdout.strip().splitlines()[-1])
    assert info["apps"] == [{"url_prefix": "/newswatch", "name": "newswatch News Monitor"}]
    (view,) = info["views"]
    assert (view["href"], view["url_route"], view["destination"]) == ("/newswatch/monitor", "news-monitor", "nav")
    # The navigation shows one line of about 8 characters under the icon: "News Monitor" was cut to "News Mo…".
    assert view["name"] == "News"
    assert view["icon"] == view["icon_dark_mode"] == "/newswatch/monitor/icon.svg"
    assert info["web_loaded"] is False


def test_the_nav_icon_reads_on_light_selected_and_dark_backgrounds(filled: Settings) -> None:
    """The UI shows the icon as an <img> (no currentColor): a white sheet with a dark outline, so one of the
    two contrasts with any background (the browser test measures it in the UI)."""
    response = _client(filled).get("/monitor/icon.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert 'fill="#ffffff"' in svg and 'stroke="#1d2530"' in svg and "currentColor" not in svg


def test_link_helpers() -> None:
    assert ui_url("", "dags", "d", "runs", "manual__2026-02-28T01:00:00+00:00") == (
        "/dags/d/runs/manual__2026-02-28T01%3A00%3A00%2B00%3A00"
    )
    assert ui_url("/airflow/", "dags", "a b") == "/airflow/dags/a%20b"
    assert task_url("", "d", "r", "g.t", 3) == "/dags/d/runs/r/tasks/g.t/mapped/3"
    assert task_url("", "d", "r", "t", -1) == "/dags/d/runs/r/tasks/t"
    assert AirflowLinks("/x").runs_url("newswatch_ingest") == "/x/dags/newswatch_ingest/runs"


def test_spark_bars_scale_to_the_busiest_day() -> None:
    days = tuple(q.DayCount(date(2026, 2, d), c) for d, c in ((1, 0), (2, 5), (3, 10)))
    bars = web.spark_bars(days)
    assert [b.height for b in bars] == [1, 11, web.SPARK_H - 2]
    assert bars[0].empty and not bars[1].empty
    assert all(b.y + b.height == web.SPARK_H for b in bars)
    assert bars[2].title == "03 Feb: 10 new"


def test_recipients_come_from_the_airflow_variable_when_set(filled: Settings) -> None:
    """As in the digest DAG: the Variable ``newswatch_recipients`` replaces the file; a broken one is shown."""

    def client(text: str) -> TestClient:
        config = web.MonitorConfig(
            settings=lambda: filled, recipients_text=lambda: text, links=_links, clock=lambda: NOW
        )
        app = web.create_app(config)
        for dependency in (web.READ_INGEST, web.READ_DIGEST):
            app.dependency_overrides[dependency] = lambda: None
        return TestClient(app)

    page = client("groups:\n  ops:\n    members: [ops@example.org]\n").get("/monitor").text
    assert "ops@example.org" in page and "Airflow Variable newswatch_recipients" in page
    assert '<td class="nowrap">industry-desk@example.org<br>' not in page, "the file's recipients are replaced"
    assert '<td class="nowrap">ops@example.org<br>' in page
    broken = client("groups: [").get("/monitor")
    assert broken.status_code == 200 and "invalid YAML" in broken.text


# --- labels, near misses and "why it matched" --------------------------------------------------------------

LABEL_HEADERS = {web.LABEL_HEADER: "1"}


@pytest.fixture
def clean_labels(filled: Settings) -> Iterator[Settings]:
    """The filled warehouse with no labels before and after the test (labels are the one write)."""
    engine = make_engine(filled.warehouse_url)
    with Session(engine) as session, session.begin():
        session.execute(delete(TaggerLabelRow))
    yield filled
    with Session(engine) as session, session.begin():
        session.execute(delete(TaggerLabelRow))
    engine.dispose()


def _stored_labels(settings: Settings) -> list[labels.LabelRecord]:
    with q.read_only_session(settings.warehouse_url) as session:
        return [r for story in _labelled_stories(session) for r in labels.label_history(session, story)]


def _labelled_stories(session: Session) -> list[str]:
    return list(session.scalars(select(TaggerLabelRow.story_cluster_id).distinct()))


def _a_story(client: TestClient) -> dict[str, Any]:
    stories = client.get("/api/stories", params={"day": STORY_DAY.isoformat()}).json()["stories"]
    assert stories
    return dict(stories[0])


def _post_label(client: TestClient, body: Any, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
    return client.post("/api/labels", json=body, headers=LABEL_HEADERS if headers is None else headers, **kwargs)


def test_label_a_story_and_see_it_on_the_page(clean_labels: Settings) -> None:
    client = _client(clean_labels, user="rita")
    story = _a_story(client)
    note = 'Trade fair <b>only</b> & "no" defence deal'
    response = _post_label(client, {"story": story["cluster_id"], "relevant": False, "note": note})
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["story_cluster_id"], body["relevant"], body["labelled_by"]) == (story["cluster_id"], False, "rita")
    assert body["note"] == note and body["labelled_at"].startswith(NOW.isoformat()[:19])
    assert body["score_at_label"] == pytest.approx(story["score"]) and body["article_ids"]

    (stored,) = _stored_labels(clean_labels)
    assert (stored.story_cluster_id, stored.relevant, stored.labelled_by, stored.note) == (
        story["cluster_id"],
        False,
        "rita",
        note,
    )
    assert stored.labelled_at == NOW

    page = client.get("/monitor", params={"day": STORY_DAY.isoformat()}).text
    card = page[page.index(f'<article class="story" data-story="{story["cluster_id"]}">') :]
    card = card[: card.index("</article>")]
    assert '<span class="badge l-no">Not relevant</span> labelled by <b>rita</b>' in card
    assert "28 Feb 2026 02:00 UTC" in card
    assert "Trade fair &lt;b&gt;only&lt;/b&gt; &amp; &#34;no&#34; defence deal" in card
    assert 'class="label-btn" data-relevant="true">Relevant</button>' in card
    stories = client.get("/api/stories", params={"day": STORY_DAY.isoformat()}).json()["stories"]
    labelled = next(s for s in stories if s["cluster_id"] == story["cluster_id"])
    assert labelled["label"]["labelled_by"] == "rita" and labelled["label"]["relevant"] is False


def test_labelling_again_keeps_the_history_and_the_latest_shows(clean_labels: Settings) -> None:
    story = _a_story(_client(clean_labels))["cluster_id"]
    assert _post_label(_client(clean_labels, user="rita"), {"story": story, "relevant": False}).status_code == 201
    second = _post_label(_client(clean_labels, user="marco"), {"story": story, "relevant": True, "note": "naval"})
    assert second.status_code == 201
    client = _client(clean_labels)
    history = client.get("/api/labels", params={"story": story}).json()
    assert [(h["labelled_by"], h["relevant"]) for h in history] == [("marco", True), ("rita", False)]
    assert [(r["story_cluster_id"], r["labelled_by"]) for r in client.get("/api/labels").json()] == [(story, "marco")]
    page = client.get("/monitor", params={"day": STORY_DAY.isoformat()}).text
    assert '<span class="badge l-yes">Relevant</span> labelled by <b>marco</b>' in page
    assert "labelled by <b>rita</b>" not in page


@pytest.mark.parametrize(
    ("body", "headers", "code", "message"),
    [
        ({"story": "s-0000000000000000", "relevant": True}, None, 404, "no story 's-0000000000000000'"),
        ({"story": "STORY", "relevant": True, "note": "x" * (NOTE_MAX_CHARS + 1)}, None, 422, "at most 2000"),
        ({"story": "STORY", "relevant": "false"}, None, 422, "valid boolean"),
        ({"story": "STORY"}, None, 422, "Field required"),
        ({"story": "STORY", "relevant": True, "who": "admin"}, None, 422, "Extra inputs"),
        ({"story": "<script>", "relevant": True}, None, 422, "pattern"),
        (["STORY", True], None, 422, "valid dictionary"),
        ({"story": "STORY", "relevant": True}, {}, 403, "X-Newswatch-Label"),
        ({"story": "STORY", "relevant": True}, {**LABEL_HEADERS, "Sec-Fetch-Site": "cross-site"}, 403, "another site"),
        ({"story": "STORY", "relevant": True}, {**LABEL_HEADERS, "Sec-Fetch-Site": "same-site"}, 403, "another site"),
    ],
)
def test_bad_labels_are_refused_and_nothing_is_written(
    clean_labels: Settings, body: Any, headers: dict[str, str] | None, code: int, message: str
) -> None:
    client = _client(clean_labels)
    story = _a_story(client)["cluster_id"]
    body = json.loads(json.dumps(body).replace("STORY", story))
    response = _post_label(client, body, headers)
    assert response.status_code == code, response.text
    assert message in response.text
    assert _stored_labels(clean_labels) == []


def test_labels_must_be_json_not_a_form(clean_labels: Settings) -> None:
    """What a cross-site HTML form can send (urlencoded, multipart, text/plain) is refused, even with a
    valid JSON body under a text/plain type; a broken JSON body is a 422; nothing is written."""
    client = _client(clean_labels)
    story = _a_story(client)["cluster_id"]
    valid = json.dumps({"story": story, "relevant": True})
    for content_type in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"):
        response = client.post("/api/labels", content=valid, headers={**LABEL_HEADERS, "Content-Type": content_type})
        assert response.status_code == 415, (content_type, response.text)
    broken = client.post(
        "/api/labels", content='{"story": ', headers={**LABEL_HEADERS, "Content-Type": "application/json"}
    )
    assert broken.status_code == 422 and "not JSON" in broken.text
    huge = client.post(
        "/api/labels",
        content=json.dumps({"story": story, "relevant": True, "note": "x" * web.MAX_LABEL_BODY}),
        headers={**LABEL_HEADERS, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert _stored_labels(clean_labels) == []


def _forged_token() -> str:
    """A well-formed JWT for "admin", signed with a key the server does not know."""
    return jwt.encode({"sub": "admin", "role": "ADMIN"}, secrets.token_hex(32), algorithm="HS512")


def test_anonymous_and_forged_labels_are_refused_and_nothing_is_written(clean_labels: Settings) -> None:
    """Airflow's own authentication answers: no credentials 401; a forged bearer token or cookie 403."""
    from airflow.api_fastapi.app import create_auth_manager

    create_auth_manager()  # the API server does this at start-up; get_user asks it to check tokens
    story = _a_story(_client(clean_labels))["cluster_id"]
    client = _client(clean_labels, authorized=False)
    body = {"story": story, "relevant": True, "note": "forged"}
    assert _post_label(client, body).status_code == 401
    forged = _post_label(client, body, {**LABEL_HEADERS, "Authorization": f"Bearer {_forged_token()}"})
    assert forged.status_code == 403, forged.text
    client.cookies.set("_token", _forged_token())
    assert _post_label(client, body).status_code == 403
    assert _post_label(client, "not even a body").status_code == 403, "refused before the body is read"
    assert _stored_labels(clean_labels) == []


def test_a_label_needs_edit_access_to_the_ingest_runs(clean_labels: Settings) -> None:
    """A user who may read the runs but not edit them (Airflow's Viewer) sees the page but may not label."""
    from fastapi import HTTPException

    def viewer() -> None:
        raise HTTPException(403, "Forbidden")

    client = _client(clean_labels)
    client.app.dependency_overrides[web.EDIT_INGEST] = viewer  # type: ignore[attr-defined]
    story = _a_story(client)["cluster_id"]
    assert _post_label(client, {"story": story, "relevant": True}).status_code == 403
    assert client.get("/monitor").status_code == 200
    assert _stored_labels(clean_labels) == []


def test_an_unwritable_warehouse_is_a_503(tmp_path: Path) -> None:
    settings = load_settings({"NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'not-yet.db'}"})
    response = _post_label(_client(settings), {"story": "s-1", "relevant": True})
    assert response.status_code == 503 and "warehouse not writable" in response.text
    assert not (tmp_path / "not-yet.db").exists(), "the label route never creates a warehouse"
    labelling.label_engine(settings.warehouse_url).dispose()


def _band_stories(settings: Settings, low: float, high: float) -> set[str]:
    """The stories of STORY_DAY in the band, computed here from the articles, independently of the app."""
    start, end = q.day_bounds(STORY_DAY)
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    with q.read_only_session(settings.warehouse_url) as session:
        rows = session.execute(
            select(ArticleRow.story_cluster_id, func.max(ArticleRow.score))
            .where(when >= start, when < end)
            .group_by(ArticleRow.story_cluster_id)
        ).all()
        relevant_anywhere = set(
            session.scalars(select(ArticleRow.story_cluster_id).where(ArticleRow.relevant.is_(True)))
        )
    return {c for c, best in rows if low <= best < high and c not in relevant_anywhere}


def test_near_misses_listed_with_the_same_buttons(clean_labels: Settings) -> None:
    """The near-miss section and API list the day's stories scored in [near_miss, relevant) and not
    tagged relevant, best first, each with the label buttons; a label on one shows there."""
    band = web.Thresholds(0.0001, 0.5)  # wide, so that the fixture day surely has some
    client = _client(clean_labels, thresholds=band)
    expected = _band_stories(clean_labels, band.near_miss, band.relevant)
    assert expected, "the fixture day has stories scored under the threshold"
    near = client.get("/api/near-misses", params={"day": STORY_DAY.isoformat()}).json()
    ids = [s["cluster_id"] for s in near["stories"]]
    assert set(ids) == expected and len(ids) == len(expected)
    scores = [round(s["score"], 2) for s in near["stories"]]
    assert scores == sorted(scores, reverse=True)
    assert all(band.near_miss <= s["score"] < band.relevant for s in near["stories"])
    relevant_ids = {
        s["cluster_id"] for s in client.get("/api/stories", params={"day": STORY_DAY.isoformat()}).json()["stories"]
    }
    assert not relevant_ids & set(ids)

    missed = ids[0]
    assert _post_label(client, {"story": missed, "relevant": True, "note": "missed"}).status_code == 201
    page = client.get("/monitor", params={"day": STORY_DAY.isoformat()}).text
    section = page[page.index('<section id="near-misses">') :]
    section = section[: section.index("</section>")]
    assert "stories scoring 0.00 to under 0.50" in section
    assert section.count('<article class="story"') == len(ids)
    assert section.count('data-relevant="false">Not relevant</button>') == len(ids)
    card = section[section.index(f'data-story="{missed}"') :]
    assert '<span class="badge l-yes">Relevant</span> labelled by <b>analyst</b>' in card[: card.index("</article>")]


def test_near_misses_with_the_taxonomy_thresholds(filled: Settings) -> None:
    """Without a test band the page reads the thresholds from the taxonomy the DAGs use."""
    from newswatch.tagging import load_lexicon

    lexicon = load_lexicon(filled.taxonomy_file, with_model=False)
    thresholds = web.taxonomy_thresholds(filled)
    assert (thresholds.near_miss, thresholds.relevant) == (lexicon.near_miss_threshold, lexicon.relevant_threshold)
    near = _client(filled).get("/api/near-misses", params={"day": STORY_DAY.isoformat()}).json()
    assert {s["cluster_id"] for s in near["stories"]} == _band_stories(
        filled, thresholds.near_miss, thresholds.relevant
    )
    page = _client(filled).get("/monitor", params={"day": STORY_DAY.isoformat()}).text
    assert f"stories scoring {thresholds.near_miss:.2f} to under {thresholds.relevant:.2f}" in page


def test_broken_taxonomy_shows_no_near_misses_but_the_rest(filled: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text("countries: [\n", encoding="utf-8")

    def thresholds(_settings: Settings) -> web.Thresholds:
        return web.taxonomy_thresholds(load_settings({"NEWSWATCH_TAXONOMY": str(broken)}))

    config = web.MonitorConfig(
        settings=lambda: filled, recipients_text=lambda: None, links=_links, clock=lambda: NOW, thresholds=thresholds
    )
    app = web.create_app(config)
    for dependency in (web.READ_INGEST, web.READ_DIGEST):
        app.dependency_overrides[dependency] = lambda: None
    client = TestClient(app)
    page = client.get("/monitor", params={"day": STORY_DAY.isoformat()})
    assert page.status_code == 200 and "The taxonomy could not be read" in page.text
    assert str(broken) in page.text and '<section id="stories">' in page.text
    assert client.get("/api/near-misses").status_code == 503


def test_why_it_matched_shows_the_top_features_for_and_against(filled: Settings, tmp_path: Path) -> None:
    """The best report's three strongest features for and against, with signed log-odds weights, on its
    event's row; a malformed entry (a row edited by hand) is skipped."""
    if not filled.warehouse_url.startswith("sqlite"):
        pytest.skip("one backend is enough: the template is the same")
    copy = tmp_path / "warehouse.db"
    original = filled.warehouse_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(original)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    contributions = [
        {
            "feature": "bilateral",
            "description": "sentences naming India, Italy and a defence matter",
            "value": 2,
            "weight": 1.8,
        },
        {"feature": "headline", "description": "the headline names both sides", "value": 1, "weight": 0.6},
        {"feature": "weak", "description": "a weak pull", "value": 1, "weight": 0.05},
        {"feature": "org", "description": "an <em>Italian</em> defence firm", "value": 1, "weight": 1.1},
        {"feature": "thirds", "description": "third countries named", "value": 3, "weight": -0.9},
        "not a contribution",
        {"feature": "bad", "description": "no weight", "weight": "heavy"},
    ]
    settings = load_settings({"NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{copy}"})
    client = _client(settings)
    event = client.get("/api/events", params={"day": STORY_DAY.isoformat()}).json()["events"][0]
    story = event["stories"][0]  # the event's best report: the one its row explains
    engine = create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(
            text("update articles set contributions = :c, model_version = 'm-test' where story_cluster_id = :s"),
            {"c": json.dumps(contributions), "s": story["cluster_id"]},
        )
    engine.dispose()
    page = client.get("/monitor", params={"day": STORY_DAY.isoformat()}).text
    card = page[page.index(f'<article class="event" data-event="{event["event_id"]}">') :]
    card = card[: card.index("<details")]
    why = card[card.index('<div class="why"') :]
    assert "<b>Why it matched</b>" in why and "(m-test)" in why
    shown = [
        ("sentences naming India, Italy and a defence matter", "+1.80"),
        ("an &lt;em&gt;Italian&lt;/em&gt; defence firm", "+1.10"),
        ("the headline names both sides", "+0.60"),
        ("third countries named", "\u22120.90"),
    ]
    for description, weight in shown:
        assert f'{description}<span class="w">{weight}</span>' in why, description
    assert why.index("+1.80") < why.index("+1.10") < why.index("+0.60") < why.index("against")
    assert "a weak pull" not in why and "no weight" not in why and "<em>" not in why
    api = next(
        s
        for s in client.get("/api/stories", params={"day": STORY_DAY.isoformat()}).json()["stories"]
        if s["cluster_id"] == story["cluster_id"]
    )
    assert [f["weight"] for f in api["factors_for"]] == [1.8, 1.1, 0.6]
    assert [f["weight"] for f in api["factors_against"]] == [-0.9] and api["model_version"] == "m-test"
    explained = client.get("/api/events", params={"day": STORY_DAY.isoformat()}).json()["events"][0]
    assert explained["event_id"] == event["event_id"] and explained["model_version"] == "m-test"
    assert [f["weight"] for f in explained["factors_for"]] == [1.8, 1.1, 0.6]
    q.readonly_engine(settings.warehouse_url).dispose()


# --- events: the day's stories grouped by the real-world event they report ---------------------------------

EVENT_DAY = date(2026, 3, 3)  # a day of its own: no fixture article is published on it
NAVY_EVENT = "e-navy-naples"
NAVY_EN, NAVY_IT, OLD_STORY, NAVY_OFF = "s-navy-en", "s-navy-it", "s-old-story", "s-navy-off"
NAVY_EN_TITLE = "Indian Navy frigate docks in Naples for joint drill with Italian Navy"
NAVY_IT_TITLE = "Fregata indiana a Napoli per l'esercitazione congiunta con la Marina Militare"
OLD_TITLE = "Court clears Leonardo helicopter deal appeal"
EN_FACTORS = [{"feature": "bilateral", "description": "India, Italy and a navy named", "value": 1, "weight": 1.5}]
IT_FACTORS = [{"feature": "italian", "description": "Italian defence terms", "value": 1, "weight": 0.7}]


def _article(n: int, story: str, event: str | None, source: str, **fields: Any) -> ArticleRow:
    """An ``articles`` row of EVENT_DAY, as the load step would write it."""
    when = datetime.combine(EVENT_DAY, datetime.min.time(), tzinfo=UTC) + fields.pop("at")
    url = f"https://{source}.example.org/events/{n}"
    values: dict[str, Any] = {
        "canonical_url": url,
        "url": url,
        "source": source,
        "published_at": when,
        "first_seen_at": when + timedelta(minutes=5),
        "fetched_at": when + timedelta(minutes=5),
        "updated_at": when + timedelta(minutes=5),
        "content_hash": f"{n:064x}",
        "story_cluster_id": story,
        "event_id": event,
        "relevant": True,
        "summary": "",
        "model_version": "m-events",
    }
    return ArticleRow(**(values | fields))


@pytest.fixture
def event_day(clean_labels: Settings) -> Iterator[Settings]:
    """The filled warehouse with EVENT_DAY's articles added (and removed after the test), each backend:

    - the navy event, in two languages: an English story (IANS, 0.91, 09:00 UTC) and an Italian one
      (Ministero della Difesa, 0.84, 07:30 UTC, the earlier), plus a third story of the event that the
      tagger did not find relevant (PIB), which the list leaves out;
    - a story loaded before events existed (event_id NULL), syndicated by MENAFN (twice) and GNews: its
      own event.
    """
    hours = lambda h: timedelta(hours=h)  # noqa: E731
    evidence = [{"sentence": "The INS frigate will exercise with the Italian Navy off Naples.", "terms": ["navy"]}]
    rows = [
        _article(9001, NAVY_EN, NAVY_EVENT, "ians", at=hours(9), title=NAVY_EN_TITLE, language="en", score=0.91,
                 tags=["naval", "joint-exercise"], evidence=evidence, contributions=EN_FACTORS),
        _article(9002, NAVY_IT, NAVY_EVENT, "difesa", at=hours(7.5), title=NAVY_IT_TITLE, language="it",
                 score=0.84, tags=["naval", "diplomacy"], contributions=IT_FACTORS),
        _article(9003, NAVY_OFF, NAVY_EVENT, "pib", at=hours(6), title="Navy week ends", language="en",
                 score=0.12, relevant=False),
        _article(9004, OLD_STORY, None, "menafn", at=hours(12), title=OLD_TITLE, language="en", score=0.77,
                 tags=["legal"]),
        _article(9005, OLD_STORY, None, "gnews", at=hours(13), title=OLD_TITLE, language="en", score=0.77,
                 tags=["legal"]),
        _article(9006, OLD_STORY, None, "menafn", at=hours(14), title=OLD_TITLE, language="en", score=0.6,
                 tags=["legal"]),  # MENAFN's second page of the story: one more copy, not one more report
    ]  # fmt: skip
    start = datetime.combine(EVENT_DAY, datetime.min.time(), tzinfo=UTC)
    clusters = [
        StoryClusterRow(id=NAVY_EN, title=NAVY_EN_TITLE, first_seen_at=start, last_seen_at=start, event_id=NAVY_EVENT),
        StoryClusterRow(id=NAVY_IT, title=NAVY_IT_TITLE, first_seen_at=start, last_seen_at=start, event_id=NAVY_EVENT),
        StoryClusterRow(id=NAVY_OFF, title="", first_seen_at=start, last_seen_at=start, event_id=NAVY_EVENT),
        StoryClusterRow(id=OLD_STORY, title=OLD_TITLE, first_seen_at=start, last_seen_at=start, article_count=3,
                        source_count=2, relevant=True, max_score=0.77),
    ]  # fmt: skip
    story_ids, urls = [c.id for c in clusters], [r.canonical_url for r in rows]
    engine = make_engine(clean_labels.warehouse_url)
    with Session(engine) as session, session.begin():
        session.add_all(rows)
        session.flush()
        session.add_all(clusters)
    yield clean_labels
    with Session(engine) as session, session.begin():
        session.execute(delete(TaggerLabelRow))
        session.execute(delete(StoryClusterRow).where(StoryClusterRow.id.in_(story_ids)))
        session.execute(delete(ArticleRow).where(ArticleRow.canonical_url.in_(urls)))
    engine.dispose()


def _source_titles() -> dict[str, str]:
    return {s["name"]: s["title"] for s in yaml.safe_load((FIXTURES / "sources.yaml").read_text())["sources"]}


def _section(page: str, section: str) -> str:
    part = page[page.index(f'<section id="{section}">') :]
    return part[: part.index("</section>")]


def _event_card(page: str, event_id: str) -> str:
    card = page[page.index(f'<article class="event" data-event="{event_id}">') :]
    return card[: card.index("</details>")]


def _story_row(card: str, story: str) -> str:
    row = card[card.index(f'<article class="story" data-story="{story}">') :]
    return row[: row.index("</article>")]


def test_events_for_day_group_stories_across_outlets_and_languages(event_day: Settings) -> None:
    with q.read_only_session(event_day.warehouse_url) as session:
        day = q.events_for_day(session, EVENT_DAY)
        stories = q.stories_for_day(session, EVENT_DAY)
    assert [s.cluster_id for s in stories.stories] == [NAVY_EN, NAVY_IT, OLD_STORY], "stories stay one per cluster"
    assert day.unfiltered == 2 and [e.event_id for e in day.events] == [NAVY_EVENT, OLD_STORY]
    navy, old = day.events
    assert (navy.title, navy.source, navy.score) == (NAVY_EN_TITLE, "ians", 0.91)  # the best report's
    assert navy.published_at == datetime(2026, 3, 3, 7, 30, tzinfo=UTC)  # the earliest: the Italian report
    assert (navy.languages, navy.sources) == (("en", "it"), ("ians", "difesa"))
    assert (navy.outlet_count, navy.report_count, navy.story_count) == (2, 2, 2)
    assert navy.tags == ("naval", "joint-exercise") and [f.weight for f in navy.factors_for] == [1.5]
    assert navy.evidence[0].terms == ("navy",) and navy.model_version == "m-events"
    assert [(s.cluster_id, s.language, s.source_title, s.score) for s in navy.stories] == [
        (NAVY_EN, "en", "IANS", 0.91),
        (NAVY_IT, "it", "Ministero della Difesa", 0.84),
    ]
    # Loaded before events: NULL event_id, so the story is its own event, with both outlets' copies.
    assert (old.event_id, old.title, old.published_at) == (OLD_STORY, OLD_TITLE, datetime(2026, 3, 3, 12, tzinfo=UTC))
    assert (old.sources, old.outlet_count, old.report_count, old.story_count) == (("menafn", "gnews"), 2, 2, 1)
    (story,) = old.stories
    assert (story.cluster_size, story.cluster_sources, [c.source for c in story.also]) == (3, 2, ["gnews", "menafn"])


def test_page_lists_one_row_per_event_expandable_to_its_reports(event_day: Settings) -> None:
    page = _client(event_day).get("/monitor", params={"day": EVENT_DAY.isoformat()}).text
    section = _section(page, "stories")
    assert "India–Italy defence events · Tue 03 Mar 2026" in section and "· 2 events</span>" in section
    assert section.count('<article class="event"') == 2
    assert section.index(f'data-event="{NAVY_EVENT}"') < section.index(f'data-event="{OLD_STORY}"')

    navy = _event_card(page, NAVY_EVENT)
    head, reports = navy.split('<details class="reports">')
    assert '<h3><a href="https://ians.example.org/events/9001" target="_blank" rel="noopener noreferrer">' in head
    assert _escaped(NAVY_EN_TITLE) in head and _escaped(NAVY_IT_TITLE) not in head
    assert "03 Mar 13:00 IST · 08:30 Rome" in head, "the event's earliest report, the Italian one"
    assert '<span class="lang" title="English">EN</span><span class="lang" title="Italian">IT</span>' in head
    assert '<span class="count">2 outlets · 2 reports</span>' in head
    assert '<div class="score">0.91<small>best score</small></div>' in head
    assert ">naval</a>" in head and ">joint-exercise</a>" in head and ">diplomacy</a>" not in head
    assert "<b>Why it matched</b>" in head and '>India, Italy and a navy named<span class="w">+1.50</span>' in head
    assert "Italian defence terms" not in head, "the event is explained by its best report"
    assert "<summary>2 stories · read and label</summary>" in reports
    english, italian = _story_row(reports, NAVY_EN), _story_row(reports, NAVY_IT)
    assert reports.index(english) < reports.index(italian), "best report first"
    assert '<span class="lang" title="English">EN</span> IANS · 03 Mar 14:30 IST · 10:00 Rome' in english
    assert '<span class="lang" title="Italian">IT</span> Ministero della Difesa · 03 Mar 13:00 IST' in italian
    assert 'href="https://difesa.example.org/events/9002"' in italian and _escaped(NAVY_IT_TITLE) in italian
    assert '<div class="score">0.84<small>score</small></div>' in italian
    assert ">1 copy, 1 outlet</span>" in italian
    for row in (english, italian):  # the label buttons label the story
        assert 'class="label-btn" data-relevant="true">Relevant</button>' in row
        assert 'data-relevant="false">Not relevant</button>' in row and "Not labelled yet" in row
    assert "Navy week ends" not in page, "a story the tagger did not find relevant is not listed"

    old = _event_card(page, OLD_STORY)
    assert '<span class="count">2 outlets · 2 reports</span>' in old and "<summary>1 story · read and label" in old
    assert '<span class="lang" title="English">EN</span>·' in old
    row = _story_row(old, OLD_STORY)
    assert ">3 copies, 2 outlets</span>" in row
    assert 'Also reported by: <a href="https://gnews.example.org/events/9005"' in row
    assert f">{_escaped(_source_titles()['gnews'])}</a>" in row


def test_a_report_inside_an_event_is_labelled_as_its_story(event_day: Settings) -> None:
    client = _client(event_day, user="giulia")
    response = _post_label(client, {"story": NAVY_IT, "relevant": False, "note": "an Italian-only drill"})
    assert response.status_code == 201, response.text
    assert response.json()["story_cluster_id"] == NAVY_IT
    page = client.get("/monitor", params={"day": EVENT_DAY.isoformat()}).text
    navy = _event_card(page, NAVY_EVENT)
    assert '<span class="badge l-no">Not relevant</span> labelled by <b>giulia</b>' in _story_row(navy, NAVY_IT)
    assert "Not labelled yet" in _story_row(navy, NAVY_EN)
    api = client.get("/api/events", params={"day": EVENT_DAY.isoformat()}).json()["events"][0]
    assert [(s["cluster_id"], (s["label"] or {}).get("labelled_by")) for s in api["stories"]] == [
        (NAVY_EN, None),
        (NAVY_IT, "giulia"),
    ]


def test_api_events(event_day: Settings) -> None:
    client = _client(event_day)
    body = client.get("/api/events", params={"day": EVENT_DAY.isoformat()}).json()
    assert set(body) == {"day", "start", "end", "topic", "source", "events", "unfiltered"}
    assert (body["day"], body["start"], body["topic"], body["source"], body["unfiltered"]) == (
        "2026-03-03",
        "2026-03-03T00:00:00Z",
        None,
        None,
        2,
    )
    navy, old = body["events"]
    assert set(navy) == {
        "event_id", "title", "url", "source", "source_title", "published_at", "score", "tags", "evidence",
        "factors_for", "factors_against", "model_version", "languages", "sources", "outlet_count",
        "report_count", "story_count", "stories",
    }  # fmt: skip
    assert (navy["event_id"], navy["title"], navy["url"], navy["score"]) == (
        NAVY_EVENT,
        NAVY_EN_TITLE,
        "https://ians.example.org/events/9001",
        0.91,
    )
    assert navy["published_at"] == "2026-03-03T07:30:00Z" and navy["languages"] == ["en", "it"]
    assert (navy["outlet_count"], navy["report_count"], navy["story_count"]) == (2, 2, 2)
    assert navy["sources"] == ["ians", "difesa"] and navy["tags"] == ["naval", "joint-exercise"]
    assert navy["factors_for"] == [
        {"feature": "bilateral", "description": "India, Italy and a navy named", "value": 1.0, "weight": 1.5}
    ]
    english, italian = navy["stories"]
    assert (english["cluster_id"], english["language"], english["source"]) == (NAVY_EN, "en", "ians")
    assert (italian["cluster_id"], italian["language"], italian["title"]) == (NAVY_IT, "it", NAVY_IT_TITLE)
    assert italian["published_at"] == "2026-03-03T07:30:00Z" and italian["also"] == []
    assert [f["weight"] for f in italian["factors_for"]] == [0.7], "each report keeps its own explanation"
    assert (old["event_id"], old["languages"], old["sources"]) == (OLD_STORY, ["en"], ["menafn", "gnews"])
    assert (old["outlet_count"], old["report_count"], old["story_count"]) == (2, 2, 1)
    assert old["stories"][0]["also"] == [
        {
            "source": "gnews",
            "source_title": _source_titles()["gnews"],
            "url": "https://gnews.example.org/events/9005",
            "language": "en",
            "published_at": "2026-03-03T13:00:00Z",
        },
        {
            "source": "menafn",
            "source_title": "MENAFN",
            "url": "https://menafn.example.org/events/9006",
            "language": "en",
            "published_at": "2026-03-03T14:00:00Z",
        },
    ]
    # /api/stories stays one entry per story cluster, as before events.
    stories = client.get("/api/stories", params={"day": EVENT_DAY.isoformat()}).json()
    assert [s["cluster_id"] for s in stories["stories"]] == [NAVY_EN, NAVY_IT, OLD_STORY]
    assert client.get("/api/events", params={"day": "2026-03-04"}).json()["events"] == []


@pytest.mark.parametrize(
    ("params", "events"),
    [
        ({"topic": "diplomacy"}, [NAVY_EVENT]),  # only the Italian report is tagged diplomacy
        ({"topic": "legal"}, [OLD_STORY]),
        ({"source": "difesa"}, [NAVY_EVENT]),
        ({"source": "gnews"}, [OLD_STORY]),  # a copy's outlet
        ({"topic": "naval", "source": "difesa"}, [NAVY_EVENT]),
        ({"topic": "legal", "source": "ians"}, []),  # no one report matches both
        ({"topic": "cyber"}, []),
    ],
)
def test_event_filters_keep_an_event_when_any_report_matches(
    event_day: Settings, params: dict[str, str], events: list[str]
) -> None:
    client = _client(event_day)
    day = {"day": EVENT_DAY.isoformat()}
    body = client.get("/api/events", params={**day, **params}).json()
    assert [e["event_id"] for e in body["events"]] == events and body["unfiltered"] == 2
    assert all(len(e["stories"]) == e["story_count"] for e in body["events"])
    if NAVY_EVENT in events:  # the whole event, with the reports that did not match the filter too
        assert [s["cluster_id"] for s in body["events"][0]["stories"]] == [NAVY_EN, NAVY_IT]
    section = _section(client.get("/monitor", params={**day, **params}).text, "stories")
    assert [e for e in (NAVY_EVENT, OLD_STORY) if f'data-event="{e}"' in section] == events
    assert f"· {len(events)} of 2 events" in section
    if not events:
        assert "No India–Italy defence stories matching the filters on this day." in section
