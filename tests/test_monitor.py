"""The News Monitor (plugins/newswatch_monitor.py, newswatch.monitor): its read-only queries and its routes,
against a warehouse filled by really running the pipeline on the fixture site (SQLite and PostgreSQL).

Routes are exercised with FastAPI's TestClient; Airflow's auth dependencies are overridden to "allowed",
except in the tests that check an anonymous request is refused. The browser test against a real API
server is tests/test_monitor_browser.py.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import SQLAlchemyError

from newswatch import pipeline
from newswatch.config import Settings, load_recipients, load_settings
from newswatch.fixtureserver import FixtureServer
from newswatch.http import clear_robots_cache
from newswatch.monitor import LazyMonitorApp, web
from newswatch.monitor import queries as q
from newswatch.monitor.airflow_links import AirflowLinks, RunRef, TaskRef, task_url, ui_url
from newswatch.warehouse.schema import ArticleRow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXPECTED = yaml.safe_load((FIXTURES / "site" / "expected.yaml").read_text())
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
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    env = {
        "NEWSWATCH_VAR": str(tmp / "var"),
        "NEWSWATCH_SOURCES": str(FIXTURES / "sources.yaml"),
        "NEWSWATCH_FIXTURE_BASE": fixture_server.base_url,
        "NEWSWATCH_WAREHOUSE_URL": url,
    }
    pipeline.engine_for.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        settings = load_settings(env)
        clear_robots_cache()
        pipeline.run_ingest(settings, OBSERVED)
        pipeline.send_digest(settings, *q.digest_window(DIGEST_DAY))
    yield settings
    for cache in (pipeline.engine_for, q.readonly_engine):
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


def _client(settings: Settings, authorized: bool = True) -> TestClient:
    config = web.MonitorConfig(settings=lambda: settings, recipients_text=lambda: None, links=_links, clock=lambda: NOW)
    app = web.create_app(config)
    if authorized:
        for dependency in (web.READ_INGEST, web.READ_DIGEST, web.AUTHENTICATED):
            app.dependency_overrides[dependency] = lambda: None
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
    assert summary.stories == len({e["story"] for e in EXPECTED if e["relevant"]})
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
    "/api/stories",
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
    assert info["web_loaded"] is False


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
