"""What the tests that run real DAG runs share (test_e2e.py with `airflow dags test`, test_cluster.py on
the Celery cluster): the fixture site's expectations, the logical dates, and the warehouse checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, text

from newswatch.dedup import canonicalize_url

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXPECTED: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "site" / "expected.yaml").read_text())
INGEST_DATE = "2026-02-28T01:00:00+00:00"
DIGEST_DATE = "2026-02-28T02:30:00+00:00"  # 08:00 IST: the digest of 27 Feb 08:00 → 28 Feb 08:00 IST
DIGEST_INTERVAL_START = "2026-02-27T02:30:00+00:00"  # the digest timetable's interval: the 24 h before


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


def digest_subject() -> str:
    return f"India–Italy defence: {len(relevant_stories())} stories — 28 Feb 2026"


def assert_warehouse_matches_fixtures(url: str, base: str) -> dict[str, tuple]:
    """After one ingest of the fixture site: one article per fixture page and nothing else, tagged as
    labelled, syndicated copies in one story and different stories apart, one analysts' view row per
    relevant story, and the failing feeds recorded. Returns the articles by canonical URL."""
    rows = {r[0]: r[1:] for r in query(url, "select canonical_url, relevant, story_cluster_id, version from articles")}
    expected_urls = {expected_url(base, e["page"]): e for e in EXPECTED}
    assert set(rows) == set(expected_urls), "one article per fixture page, nothing else"
    wrong = [e["page"] for u, e in expected_urls.items() if bool(rows[u][0]) != e["relevant"]]
    assert wrong == [], f"tagged wrongly: {wrong}"
    clusters_per_story: dict[str, set[str]] = {}
    for u, e in expected_urls.items():
        clusters_per_story.setdefault(e["story"], set()).add(rows[u][1])
    assert all(len(c) == 1 for c in clusters_per_story.values()), "a story split over clusters"
    assert len({rows[u][1] for u in rows}) == len(clusters_per_story), "different stories merged"

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
