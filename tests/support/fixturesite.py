"""The fixture site (tests/fixtures/site/) and what one ingest of it must give: where it is, its hand-made
expectations (expected.yaml, one entry per page), the logical dates of the DAG runs over it, the
environment that points newswatch at it, and the warehouse checks.

Shared by the tests that ingest the fixture site: in-process (conftest.py, test_digest.py,
test_faults.py), as `airflow dags test` runs (test_e2e.py) and on the Celery cluster (test_cluster.py).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, text

from newswatch.config import Settings, load_settings
from newswatch.dedup import canonicalize_url

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SITE = FIXTURES / "site"
RESOURCES = TESTS / "resources"
EXPECTED: list[dict[str, Any]] = yaml.safe_load((SITE / "expected.yaml").read_text(encoding="utf-8"))
INGEST_DATE = "2026-02-28T01:00:00+00:00"
DIGEST_DATE = "2026-02-28T02:30:00+00:00"  # 08:00 IST: the digest of 27 Feb 08:00 → 28 Feb 08:00 IST
DIGEST_INTERVAL_START = "2026-02-27T02:30:00+00:00"  # the digest timetable's interval: the 24 h before
INGESTED_AT = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)  # in-process ingests: after the stories' digest window closed


def fixture_env(var: Path, base_url: str, warehouse_url: str, **extra: str) -> dict[str, str]:
    """The environment pointing newswatch at the fixture sources served from ``base_url``, ``var`` as its
    var/ folder and the warehouse at ``warehouse_url``; ``extra`` added."""
    return {
        "NEWSWATCH_VAR": str(var),
        "NEWSWATCH_SOURCES": str(FIXTURES / "sources.yaml"),
        "NEWSWATCH_FIXTURE_BASE": base_url,
        "NEWSWATCH_WAREHOUSE_URL": warehouse_url,
        **extra,
    }


def settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings of ``env``, which is also set in the process environment (the fixture sources file reads
    NEWSWATCH_FIXTURE_BASE from there), with no warehouse engine cached from an earlier test."""
    from newswatch.warehouse.session import engine_for

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    engine_for.cache_clear()
    return load_settings(env)


def copy_warehouse(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` on a private copy (in ``folder``) of the SQLite warehouse in its NEWSWATCH_VAR, for a test
    that writes to it."""
    copy = folder / "warehouse.db"
    with sqlite3.connect(Path(env["NEWSWATCH_VAR"]) / "warehouse.db") as source, sqlite3.connect(copy) as target:
        source.backup(target)  # WAL-safe, unlike copying the file
    return {**env, "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{copy}"}


def expected_url(base: str, page: str) -> str:
    return canonicalize_url(f"{base}/{page}")


def query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def relevant_stories() -> set[str]:
    return {e["story"] for e in EXPECTED if e["relevant"]}


def digest_recipients() -> list[str]:
    """The addresses of include/newswatch/resources/config/recipients.yaml, each once, sorted."""
    from newswatch.config import CONFIG_DIR, load_recipients

    return sorted({r.email.lower() for r in load_recipients(CONFIG_DIR / "recipients.yaml")})


def relevant_events() -> set[str]:
    """The relevant fixture events: a page's ``event`` where the ground truth groups stories into one,
    else its story (the digest has one entry per event)."""
    return {str(e.get("event") or e["story"]) for e in EXPECTED if e["relevant"]}


# The fixture site's "missing" feed answers 404: its poll after the window fails, so every digest of the
# fixture window counts it as a source down (alerts.health), in the subject and at the top of each copy.
# The "broken" feed's warning is no failure: its poll recovered items.
DIGEST_SOURCES_OUT = "1 source down"


def digest_subject(events: int | None = None) -> str:
    """The fixture digest's subject: ``events`` events (by default, every relevant fixture event)."""
    count = len(relevant_events()) if events is None else events
    return f"India–Italy defence: {count} event{'s' if count != 1 else ''} ({DIGEST_SOURCES_OUT}) — 28 Feb 2026"


def articles(url: str) -> dict[str, tuple]:
    """The warehouse's articles: canonical URL → (relevant, story_cluster_id, version)."""
    return {r[0]: r[1:] for r in query(url, "select canonical_url, relevant, story_cluster_id, version from articles")}


def assert_events_match_fixtures(url: str, base: str) -> None:
    """The relevant articles' events are the labelled ones: reports of one happening (the ``event`` key,
    else the ``story`` key) in one event, whatever the outlet or language, and different ones apart;
    every event row counts its own articles."""
    event_of = dict(query(url, "select canonical_url, event_id from articles"))
    assert all(event_of.values()), "every article has an event"
    found: dict[str, set[str]] = {}
    for e in EXPECTED:
        if e["relevant"]:
            found.setdefault(e.get("event", e["story"]), set()).add(event_of[expected_url(base, e["page"])])
    split = sorted(key for key, ids in found.items() if len(ids) > 1)
    assert split == [], f"an event split over several: {split}"
    assert len(set().union(*found.values())) == len(found), "different events merged"
    counts = dict(query(url, "select id, report_count from events"))
    per_event = Counter(event_of.values())
    assert counts == dict(per_event), "an events row per event, counting its articles"


def assert_warehouse_matches_fixtures(url: str, base: str) -> dict[str, tuple]:
    """After one ingest of the fixture site: one article per fixture page and nothing else, tagged as
    labelled, syndicated copies in one story and different stories apart, one analysts' view row per
    relevant story, and the failing feeds recorded. Returns :func:`articles`."""
    rows = articles(url)
    expected_urls = {expected_url(base, e["page"]): e for e in EXPECTED}
    assert set(rows) == set(expected_urls), "one article per fixture page, nothing else"
    wrong = [e["page"] for u, e in expected_urls.items() if bool(rows[u][0]) != e["relevant"]]
    assert wrong == [], f"tagged wrongly: {wrong}"
    clusters_per_story: dict[str, set[str]] = {}
    for u, e in expected_urls.items():
        clusters_per_story.setdefault(e["story"], set()).add(rows[u][1])
    assert all(len(c) == 1 for c in clusters_per_story.values()), "a story split over clusters"
    assert len({rows[u][1] for u in rows}) == len(clusters_per_story), "different stories merged"

    assert_events_match_fixtures(url, base)
    relevant = relevant_stories()
    story_rows = query(url, "select story_id, article_count, tags, sources from v_india_italy_defence")
    assert len(story_rows) == len(relevant), "one row per relevant story in the analysts' view"
    copies = {e["story"]: 0 for e in EXPECTED}
    for e in EXPECTED:
        copies[e["story"]] += 1
    assert sorted(r[1] for r in story_rows) == sorted(copies[s] for s in relevant)
    assert all(r[2] and r[3] for r in story_rows), "every story lists its topics and sources"

    health = {r[0]: r[1:] for r in query(url, "select source, consecutive_failures, last_error from feed_health")}
    assert health["missing"][0] == 1 and "404" in health["missing"][1]
    assert health["broken"][0] == 0 and "malformed" in health["broken"][1]
    assert all(h[0] == 0 for name, h in health.items() if name != "missing")
    return rows
