"""Concurrent writers, as parallel Airflow tasks are: four real processes upserting into one warehouse at
once, on SQLite (WAL + busy timeout) and on PostgreSQL (ON CONFLICT upserts)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from newswatch.dedup import content_hash
from newswatch.records import Article
from newswatch.warehouse import load
from newswatch.warehouse.engine import create_schema, make_engine
from newswatch.warehouse.schema import ArticleRow

WRITERS = 4
OWN = 300
SHARED = 100
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
PER_TRANSACTION = 8  # 400 articles per writer: 50 small transactions each
SOURCE = {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/feed", "language": "en", "country": "IN",
          "enabled": True}  # fmt: skip

# One writer process: wait for the start signal, then upsert its own articles and the shared ones,
# interleaved, a few per transaction; print a JSON report on stdout.
WORKER = r"""
import json, sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from sqlalchemy.orm import Session
from newswatch.dedup import content_hash
from newswatch.records import Article, Verdict
from newswatch.warehouse import load
from newswatch.warehouse.engine import make_engine

url, signals = sys.argv[1], Path(sys.argv[6])
writer, own, shared, per_txn = (int(a) for a in sys.argv[2:6])
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)

def article(slug, i):
    text = f"India and Italy article {slug}: defence cooperation paragraph {i}."
    link = f"https://ians.example/news/{slug}"
    return Article(source="ians", url=link, canonical_url=link, title=f"Story {slug}", text=text, summary=text[:40],
                   language="en", published_at=T0, published_from="meta", first_seen_at=T0 + timedelta(seconds=i),
                   fetched_at=T0, content_hash=content_hash(text), story_cluster_id=f"c-{slug}",
                   verdict=Verdict(relevant=True, score=0.7, tags=("diplomacy",), evidence=(), language="en"))

mine = [article(f"w{writer}-{i}", i) for i in range(own)]
common = [article(f"shared-{i}", i) for i in range(shared)]
ratio = own // shared
sequence = []
for i in range(shared):
    sequence += mine[i * ratio:(i + 1) * ratio] + [common[i]]
sequence += mine[shared * ratio:]

engine = make_engine(url)
(signals / f"ready-{writer}").touch()
while not (signals / "go").exists():
    time.sleep(0.005)
started = time.time()
written, transactions = {}, 0
for start in range(0, len(sequence), per_txn):
    with Session(engine) as session:
        written.update(load.upsert_articles(session, sequence[start:start + per_txn]))
        session.commit()
    transactions += 1
finished = time.time()
engine.dispose()
report = {"writer": writer, "started": started, "finished": finished, "transactions": transactions,
          "own_written": sum(1 for u in written if "/news/w" in u),
          "shared_written": sum(1 for u in written if "/news/shared-" in u)}
print(json.dumps(report))
"""


def prepare(url: str) -> None:
    """Migrate the warehouse and load the source before the writers start."""
    engine = make_engine(url)
    try:
        create_schema(engine)
        with Session(engine) as session:
            load.upsert_sources(session, [SOURCE])
            session.commit()
    finally:
        engine.dispose()


def run_writers(url: str, signals: Path) -> list[dict[str, Any]]:
    """Start the writer processes, release them together, and return their reports (failing on any error)."""
    signals.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(w), str(OWN), str(SHARED), str(PER_TRANSACTION), str(signals)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(list(signals.glob("ready-*"))) < WRITERS:
            assert all(p.poll() is None for p in procs), "a writer died before the start"
            assert time.monotonic() < deadline, "writers not ready after 60 s"
            time.sleep(0.01)
        (signals / "go").touch()
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    errors = [err for p, (_, err) in zip(procs, results, strict=True) if p.returncode != 0]
    assert not any("database is locked" in e for e in errors), errors
    assert [p.returncode for p in procs] == [0] * WRITERS, errors
    return [json.loads(out) for out, _ in results]


def check_rows(url: str, reports: list[dict[str, Any]]) -> None:
    """Every writer finished its transactions; the writes overlapped in time; the table holds every
    article once, in version 1."""
    assert [r["transactions"] for r in reports] == [(OWN + SHARED) // PER_TRANSACTION] * WRITERS
    assert max(r["started"] for r in reports) < min(r["finished"] for r in reports), "the writers did not overlap"
    assert all(r["own_written"] == OWN for r in reports)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            total = session.scalar(select(func.count()).select_from(ArticleRow))
            by_version = select(ArticleRow.version, func.count()).group_by(ArticleRow.version)
            versions: dict[int, int] = {v: n for v, n in session.execute(by_version)}
            shared = session.scalar(
                select(func.count()).select_from(ArticleRow).where(ArticleRow.canonical_url.like("%/shared-%"))
            )
            distinct = session.scalar(select(func.count(ArticleRow.canonical_url.distinct())))
    finally:
        engine.dispose()
    assert total == WRITERS * OWN + SHARED
    assert distinct == total
    assert shared == SHARED
    assert versions == {1: WRITERS * OWN + SHARED}


def test_concurrent_writers(warehouse_url: str, tmp_path: Path) -> None:
    """Four processes upsert into one warehouse at once in many small transactions: none fails (no
    'database is locked' on SQLite), every article is stored once in version 1.

    SQLite: the file is in WAL mode. PostgreSQL: each shared article is reported as written by exactly
    one writer (RETURNING reports only the rows a writer actually inserted).
    """
    prepare(warehouse_url)
    reports = run_writers(warehouse_url, tmp_path / "signals")
    check_rows(warehouse_url, reports)
    if warehouse_url.startswith("sqlite"):
        path = warehouse_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path)) as conn:  # a plain connection: the mode is the file's, not the engine's
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert sum(r["shared_written"] for r in reports) >= SHARED
    else:
        assert sum(r["shared_written"] for r in reports) == SHARED


# --- deterministic interleavings ---------------------------------------------------------------------------


def small_article(slug: str) -> Article:
    text = f"India and Italy, {slug}."
    url = f"https://ians.example/news/{slug}"
    return Article(
        source="ians",
        url=url,
        canonical_url=url,
        title=slug,
        text=text,
        summary=text,
        language="en",
        published_at=T0,
        published_from="meta",
        first_seen_at=T0,
        fetched_at=T0,
        content_hash=content_hash(text),
        story_cluster_id=f"c-{slug}",
    )


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[Engine]:
    """An engine on the migrated warehouse with the source loaded; disposed afterwards."""
    prepare(warehouse_url)
    engine = make_engine(warehouse_url)
    yield engine
    engine.dispose()


def test_upsert_articles_does_not_report_a_row_another_writer_stored(
    engine: Engine, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer tries to store the same article between this writer's check and its write.

    PostgreSQL lets it (rows are locked only when written): this writer's upsert then finds the row
    unchanged and must not report it. SQLite cannot let it: the writer holds the write lock from
    before its check, so the other writer waits (here: gives up at once) and cannot slip in."""
    other = make_engine(warehouse_url)
    original = load._new_or_changed
    interleaving: list[str] = []

    def new_or_changed_then_other_writer(session: Session, rows: Any) -> list[dict[str, Any]]:
        todo = original(session, rows)
        if not interleaving:  # the first call only: the other writer's own call goes straight through
            interleaving.append("other writer")
            with Session(other) as other_session:
                if warehouse_url.startswith("sqlite"):
                    other_session.connection().exec_driver_sql("PRAGMA busy_timeout = 100")
                    with pytest.raises(OperationalError, match="database is locked"):
                        load.upsert_articles(other_session, [small_article("contested")])
                    interleaving.append("blocked")
                else:
                    assert load.upsert_articles(other_session, [small_article("contested")]) != {}
                    other_session.commit()
                    interleaving.append("stored")
        return todo

    monkeypatch.setattr(load, "_new_or_changed", new_or_changed_then_other_writer)
    try:
        with Session(engine) as session:
            written = load.upsert_articles(session, [small_article("contested"), small_article("mine")])
            session.commit()
    finally:
        other.dispose()
    sqlite = warehouse_url.startswith("sqlite")
    assert interleaving == ["other writer", "blocked" if sqlite else "stored"]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 2
        assert set(session.scalars(select(ArticleRow.version))) == {1}
    mine = "https://ians.example/news/mine"
    contested = "https://ians.example/news/contested"
    assert set(written) == ({contested, mine} if sqlite else {mine})


@pytest.mark.postgres
def test_postgres_same_articles_in_opposite_orders_do_not_deadlock(postgres_url: str) -> None:
    """Two writers upsert the same two new articles at once, in opposite orders: both succeed.

    A BEFORE INSERT trigger (test-only) slows each row down, so that each writer has inserted its first
    article before it reaches its second: without a common order this is a lock cycle every time.
    """
    from newswatch.warehouse.session import engine_for

    engine_for.cache_clear()
    reset = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with reset.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    reset.dispose()
    prepare(postgres_url)
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(0.4); RETURN NEW; END $$; "
            "CREATE TRIGGER slow_insert BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION slow_insert()"
        )
    a, b = small_article("first"), small_article("second")
    errors: list[BaseException] = []

    def write(articles: list[Article], delay: float) -> None:
        time.sleep(delay)
        try:
            with Session(engine) as session:
                load.upsert_articles(session, articles)
                session.commit()
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=([a, b], 0.0)),
        threading.Thread(target=write, args=([b, a], 0.2)),
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads)
        if errors:
            raise errors[0]
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(ArticleRow)) == 2
    finally:
        engine.dispose()
