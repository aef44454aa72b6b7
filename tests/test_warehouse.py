"""Warehouse tests on both backends (a fresh SQLite file and a fresh PostgreSQL database).

Schema creation, the aware-UTC timestamp type, the idempotent loaders and the digest's read queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from newswatch.dedup import content_hash
from newswatch.records import Article, Evidence, FeedItem, Verdict
from newswatch.warehouse import load, queries
from newswatch.warehouse.engine import create_schema, make_engine, normalise_url
from newswatch.warehouse.schema import (
    ArticleRow,
    Base,
    FeedHealthRow,
    FeedItemRow,
    FeedPollRow,
    SourceRow,
)

IST = ZoneInfo("Asia/Kolkata")
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
SOURCES = [
    {
        "name": "ians",
        "title": "IANS",
        "feed_url": "https://ians.example/feed",
        "language": "en",
        "country": "IN",
        "enabled": True,
    },
    {
        "name": "ansa",
        "title": "ANSA English",
        "feed_url": "https://ansa.example/feed",
        "language": "en",
        "country": "IT",
        "enabled": True,
    },
]


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    return migrated_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the warehouse with the two test sources already loaded and committed."""
    with Session(engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
        yield session


def make_article(
    slug: str,
    *,
    source: str = "ians",
    text: str = "India and Italy reviewed their defence cooperation in Rome on Friday.",
    title: str = "India, Italy review defence ties",
    published_at: datetime | None = T0,
    first_seen_at: datetime = T0,
    fetched_at: datetime = T0,
    relevant: bool = True,
    score: float = 0.9,
    cluster: str | None = None,
) -> Article:
    """An article with a verdict; the content hash is computed from the text."""
    verdict = Verdict(
        relevant=relevant,
        score=score,
        tags=("diplomacy",) if relevant else (),
        evidence=(Evidence(text, ("India", "Italy", "defence cooperation")),) if relevant else (),
        language="en",
        countries=("India", "Italy"),
        entities=(),
    )
    url = f"https://{source}.example/news/{slug}"
    return Article(
        source=source,
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        summary=text[:100],
        language="en",
        published_at=published_at,
        published_from="meta" if published_at else "",
        first_seen_at=first_seen_at,
        fetched_at=fetched_at,
        content_hash=content_hash(text),
        story_cluster_id=cluster or f"cluster-{slug}",
        verdict=verdict,
    )


def count(session: Session, model: type[Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# --- schema and engine -------------------------------------------------------------------------------------


def test_create_schema_creates_every_table(engine: Engine) -> None:
    """Every model's table exists after create_schema, and running it again is harmless."""
    expected = set(Base.metadata.tables)
    assert {"sources", "feed_items", "articles", "feed_health", "feed_polls", "alert_deliveries"} <= expected
    assert expected <= set(inspect(engine).get_table_names())
    create_schema(engine)
    assert expected <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("articles")}
    assert {"canonical_url", "version", "updated_at", "story_cluster_id", "evidence"} <= columns


def test_utc_datetime_round_trips_aware_times(session: Session) -> None:
    """An IST time comes back as the same instant, in UTC, on both backends."""
    ist = datetime(2026, 2, 27, 19, 45, 30, 123456, tzinfo=IST)
    session.add(FeedPollRow(source="ians", started_at=ist, finished_at=ist + timedelta(seconds=2), status="ok"))
    session.commit()
    session.expunge_all()
    row = session.scalars(select(FeedPollRow)).one()
    assert row.started_at == ist
    assert row.started_at.tzinfo is UTC
    assert row.started_at.replace(tzinfo=None) == datetime(2026, 2, 27, 14, 15, 30, 123456)
    assert row.finished_at - row.started_at == timedelta(seconds=2)


def test_utc_datetime_rejects_naive_times(session: Session) -> None:
    """A naive datetime is refused rather than silently stored in an unknown zone."""
    session.add(FeedPollRow(source="ians", started_at=datetime(2026, 2, 27, 8, 0), finished_at=T0, status="ok"))
    with pytest.raises((StatementError, ValueError), match="naive datetime"):
        session.flush()
    session.rollback()
    assert count(session, FeedPollRow) == 0


def test_normalise_url_uses_psycopg3() -> None:
    """Plain PostgreSQL URLs get the psycopg (3) driver; others are left alone; passwords survive."""
    assert normalise_url("postgresql://nw:s3cret@db.example:5432/newswatch") == (
        "postgresql+psycopg://nw:s3cret@db.example:5432/newswatch"
    )
    assert normalise_url("postgres://nw@db.example/newswatch").startswith("postgresql+psycopg://")
    assert normalise_url("postgresql+psycopg2://nw@db/newswatch") == "postgresql+psycopg2://nw@db/newswatch"
    assert normalise_url("sqlite:////tmp/warehouse.db") == "sqlite:////tmp/warehouse.db"


def test_sqlite_engine_uses_wal_and_creates_the_folder(tmp_path: Path) -> None:
    """A SQLite warehouse runs in WAL mode with a busy timeout and foreign keys, in a created folder."""
    path = tmp_path / "nested" / "dir" / "warehouse.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert path.exists()
    finally:
        engine.dispose()


# --- loaders -----------------------------------------------------------------------------------------------


def test_upsert_sources_is_idempotent_and_updates(session: Session) -> None:
    """Loading the same sources twice keeps one row each; a changed title is updated in place."""
    load.upsert_sources(session, SOURCES)
    load.upsert_sources(session, SOURCES)
    session.commit()
    assert count(session, SourceRow) == 2
    changed = [{**SOURCES[0], "title": "IANS English", "enabled": False}]
    load.upsert_sources(session, changed)
    session.commit()
    session.expunge_all()
    row = session.get(SourceRow, "ians")
    assert row is not None
    assert (row.title, row.enabled) == ("IANS English", False)
    assert count(session, SourceRow) == 2


def test_insert_new_items_counts_only_new(session: Session) -> None:
    """New items are queued and counted; the same items again count 0; duplicates in a batch count once."""
    items = [
        FeedItem("ians", f"guid-{n}", f"https://ians.example/news/{n}", f"Story {n}", published_at=T0) for n in range(3)
    ]
    canonical = [i.link for i in items]
    assert load.insert_new_items(session, items, canonical, T0) == 3
    session.commit()
    assert load.insert_new_items(session, items, canonical, T0 + timedelta(hours=1)) == 0
    session.commit()
    assert count(session, FeedItemRow) == 3

    repeat = FeedItem("ians", "guid-x", "https://ians.example/news/x?utm_source=rss", "Story x")
    more = [*items, repeat, repeat]
    urls = [*canonical, "https://ians.example/news/x", "https://ians.example/news/x"]
    assert load.insert_new_items(session, more, urls, T0) == 1
    assert load.insert_new_items(session, [], [], T0) == 0
    session.commit()
    rows = session.scalars(select(FeedItemRow).order_by(FeedItemRow.id)).all()
    assert len(rows) == 4
    assert {r.status for r in rows} == {"new"}
    assert rows[0].first_seen_at == T0  # the second sighting did not move it


def test_insert_new_items_is_per_source(session: Session) -> None:
    """The same URL seen in two sources' feeds is queued once for each."""
    url = "https://shared.example/story"
    for source in ("ians", "ansa"):
        assert load.insert_new_items(session, [FeedItem(source, "g", url, "Shared")], [url], T0) == 1
    session.commit()
    assert count(session, FeedItemRow) == 2


def test_upsert_articles_insert_same_and_changed(session: Session) -> None:
    """Insert; the same again changes nothing; a changed text updates in place with version 2."""
    article = make_article("rome-talks")
    load.upsert_articles(session, [article])
    session.commit()
    first = session.scalars(select(ArticleRow)).one()
    first_id, first_updated = first.id, first.updated_at
    assert (first.version, first.relevant, first.tags) == (1, True, ["diplomacy"])
    assert first.evidence[0]["terms"] == ["India", "Italy", "defence cooperation"]

    later = T0 + timedelta(hours=2)
    load.upsert_articles(session, [make_article("rome-talks", fetched_at=later)])
    session.commit()
    session.expunge_all()
    same = session.scalars(select(ArticleRow)).one()
    assert (same.id, same.version, same.updated_at) == (first_id, 1, first_updated)

    new_text = article.text + " A joint working group on defence industry will meet in New Delhi in May."
    load.upsert_articles(session, [make_article("rome-talks", text=new_text, fetched_at=later)])
    session.commit()
    session.expunge_all()
    changed = session.scalars(select(ArticleRow)).one()
    assert count(session, ArticleRow) == 1
    assert changed.id == first_id
    assert changed.version == 2
    assert changed.text == new_text
    assert changed.content_hash == content_hash(new_text)
    assert changed.updated_at == later != first_updated
    assert changed.first_seen_at == T0


def test_upsert_articles_changed_title_bumps_version(session: Session) -> None:
    """A corrected headline with the same text is an update too."""
    load.upsert_articles(session, [make_article("seminar")])
    session.commit()
    load.upsert_articles(session, [make_article("seminar", title="India, Italy firms sign MoUs at Rome seminar")])
    session.commit()
    session.expunge_all()
    row = session.scalars(select(ArticleRow)).one()
    assert (row.version, row.title) == (2, "India, Italy firms sign MoUs at Rome seminar")


def test_record_poll_appends_history_and_replaces_health(session: Session) -> None:
    """Each poll adds a feed_polls row; feed_health holds only the latest state of the source."""

    def poll(at: datetime, status: str, http: int | None, error: str | None) -> dict[str, Any]:
        return {
            "source": "ians",
            "started_at": at,
            "finished_at": at + timedelta(seconds=1),
            "status": status,
            "http_status": http,
            "items_seen": 5,
            "new_items": 2,
            "bytes": 1000,
            "error": error,
        }

    def health(at: datetime, failures: int, error: str | None) -> dict[str, Any]:
        return {
            "source": "ians",
            "last_attempt_at": at,
            "last_success_at": T0,
            "http_status": 503 if error else 200,
            "consecutive_failures": failures,
            "last_error": error,
            "items_seen": 5,
            "new_items": 2,
            "bytes": 1000,
            "duration_s": 1.0,
            "etag": '"abc"',
            "last_modified": None,
            "body_hash": "h1",
        }

    load.record_poll(session, poll(T0, "ok", 200, None), health(T0, 0, None))
    session.commit()
    later = T0 + timedelta(minutes=30)
    load.record_poll(session, poll(later, "failed", 503, "HTTP 503"), health(later, 1, "HTTP 503"))
    session.commit()
    session.expunge_all()

    polls = session.scalars(select(FeedPollRow).order_by(FeedPollRow.id)).all()
    assert [p.status for p in polls] == ["ok", "failed"]
    assert count(session, FeedHealthRow) == 1
    current = session.get(FeedHealthRow, "ians")
    assert current is not None
    assert (current.consecutive_failures, current.last_error, current.http_status) == (1, "HTTP 503", 503)
    assert current.last_attempt_at == later
    public = queries.feed_health(session)
    assert [h["source"] for h in public] == ["ians"]
    assert "etag" not in public[0] and "body_hash" not in public[0]


# --- queries -----------------------------------------------------------------------------------------------


def test_relevant_articles_window_is_half_open(session: Session) -> None:
    """[start, end): the start is in, the end is out, undated articles use first_seen_at."""
    start = datetime(2026, 2, 27, 8, 0, tzinfo=IST)  # 02:30 UTC
    end = start + timedelta(days=1)
    articles = [
        make_article("at-start", published_at=start, score=0.7),
        make_article("just-before-end", published_at=end - timedelta(seconds=1), score=0.95),
        make_article("at-end", published_at=end),
        make_article("before-start", published_at=start - timedelta(seconds=1)),
        make_article("undated-inside", published_at=None, first_seen_at=start + timedelta(hours=3), score=0.8),
        make_article("undated-outside", published_at=None, first_seen_at=end + timedelta(hours=1)),
        make_article(
            "dated-outside-seen-inside",
            published_at=start - timedelta(days=2),
            first_seen_at=start + timedelta(hours=1),
        ),
        make_article("irrelevant-inside", published_at=start + timedelta(hours=1), relevant=False, score=0.1),
    ]
    load.upsert_articles(session, articles)
    session.commit()

    found = queries.relevant_articles(session, start, end)
    slugs = [a.url.rsplit("/", 1)[1] for a in found]
    assert slugs == ["just-before-end", "undated-inside", "at-start"]  # score order
    assert found[0].source_title == "IANS"
    assert found[1].published_at is None and found[1].when == start + timedelta(hours=3)
    assert found[2].published_at == start and found[2].published_at.tzinfo is UTC


def test_daily_relevant_counts_counts_clusters_per_utc_day(session: Session) -> None:
    """Clusters (not articles) per UTC day of their first article; irrelevant and old ones are left out."""
    day1 = datetime(2026, 2, 25, 10, 0, tzinfo=UTC)
    day2 = datetime(2026, 2, 26, 10, 0, tzinfo=UTC)
    late_ist = datetime(2026, 2, 27, 2, 0, tzinfo=IST)  # 26 Feb 20:30 UTC
    articles = [
        make_article("a1", published_at=day1, cluster="A"),
        make_article("a2", source="ansa", published_at=day1 + timedelta(hours=1), cluster="A"),
        make_article("b1", published_at=day2, cluster="B"),
        make_article("c1", published_at=day1 + timedelta(hours=5), cluster="C"),
        make_article("c2", published_at=day2 + timedelta(hours=1), cluster="C"),
        make_article("d1", published_at=late_ist, cluster="D"),
        make_article("x1", published_at=day2, cluster="X", relevant=False, score=0.1),
        make_article("old", published_at=day1 - timedelta(days=40), cluster="OLD"),
    ]
    load.upsert_articles(session, articles)
    session.commit()
    end = datetime(2026, 2, 28, 2, 30, tzinfo=UTC)
    assert queries.daily_relevant_counts(session, end, 30) == {"2026-02-25": 2, "2026-02-26": 2}
    counts = queries.table_counts(session)
    assert counts["articles"] == 8
    assert counts["relevant_articles"] == 7
    assert counts["relevant_stories"] == 5
