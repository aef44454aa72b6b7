"""`make bench-load`: bulk upserts of synthetic articles with tags, against a naive per-row ORM loader.

For each backend (SQLite file, PostgreSQL scratch database): load N articles (default 100,000) with
their tags through the project's loader (batched ``INSERT … ON CONFLICT … RETURNING``), then upsert the
same articles again (nothing changes: RETURNING reports no row, so no tag is rewritten), and load a
sample with the naive loader people write first: per article, look it up through the ORM, add or
update it and its tags, commit. Rates are rows (articles) per second; the naive rate is measured on a
sample (default 5,000) because it is too slow for the whole set, written into a table that already
holds the rest of the set, so both loaders face a table of the same size.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks.common import BENCH_DIR, machine, postgres_available, print_table, scratch_postgres, write_result
from newswatch.records import Article, EntityInfo, Evidence, Verdict
from newswatch.warehouse import load
from newswatch.warehouse.engine import create_schema, make_engine
from newswatch.warehouse.schema import ArticleRow, ArticleTagRow

TOPICS = ("industrial-cooperation", "procurement", "joint-exercise", "naval", "aerospace", "diplomacy", "legal")
SOURCES = ("ians", "menafn", "pib", "ansa", "difesa")
WORDS = (
    "India Italy defence ministry naval cooperation industry seminar Rome New Delhi frigate contract "
    "delegation secretary officials agreed partnership technology transfer exercise port call radar "
    "helicopter shipyard agreement strategic dialogue security maritime the of and to in on with for"
).split()
ENTITIES = {
    n: EntityInfo(n, "organisation", c) for n, c in (("SIDM", "india"), ("AIAD", "italy"), ("Leonardo", "italy"))
}
BATCH = 1_000


def synthetic_articles(count: int, seed: int = 42) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    articles = []
    for index in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 350)))
        seen = start + timedelta(minutes=index)
        relevant = rng.random() < 0.05
        tags = tuple(rng.sample(TOPICS, rng.randint(1, 3))) if relevant else ()
        articles.append(
            Article(
                source=SOURCES[index % len(SOURCES)],
                url=f"https://news.example.org/{index}/story.html?utm_source=rss",
                canonical_url=f"https://news.example.org/{index}/story.html",
                title=f"Synthetic story {index}",
                text=text,
                summary=text[:200],
                language="en",
                published_at=seen - timedelta(minutes=30),
                published_from="feed",
                first_seen_at=seen,
                fetched_at=seen,
                content_hash=f"{index:064x}",
                story_cluster_id=f"s-{index // 3:016x}",
                verdict=Verdict(
                    relevant=relevant,
                    score=0.9 if relevant else 0.05,
                    tags=tags,
                    evidence=(Evidence(text[:120], ("India", "Italy")),) if relevant else (),
                    language="en",
                    entities=("SIDM", "AIAD") if relevant else (),
                    key_entities=("SIDM",) if relevant else (),
                ),
            )
        )
    return articles


def ensure_sources(engine_url: str) -> None:
    engine = make_engine(engine_url)
    create_schema(engine)
    with Session(engine) as session, session.begin():
        load.upsert_sources(
            session, [{"name": s, "title": s, "feed_url": f"https://{s}.example.org/rss", "language": "en",
                       "country": "", "enabled": True} for s in SOURCES],
        )  # fmt: skip
    engine.dispose()


def load_ours(url: str, articles: list[Article]) -> float:
    """Seconds to load ``articles`` with the project's loader, one transaction per batch."""
    engine = make_engine(url)
    started = time.perf_counter()
    for offset in range(0, len(articles), BATCH):
        batch = articles[offset : offset + BATCH]
        by_url = {a.canonical_url: a for a in batch}
        with Session(engine) as session, session.begin():
            written = load.upsert_articles(session, batch)
            load.write_article_details(session, {i: by_url[u].verdict for u, i in written.items()}, ENTITIES)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def load_naive(url: str, articles: list[Article]) -> float:
    """Seconds to load ``articles`` one by one through the ORM: look up, add or update, commit."""
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        for article in articles:
            values = load.article_row(article)
            row = session.scalar(select(ArticleRow).where(ArticleRow.canonical_url == article.canonical_url))
            if row is None:
                row = ArticleRow(**values)
                session.add(row)
                session.flush()
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            for rank, tag in enumerate(values["tags"]):
                session.merge(ArticleTagRow(article_id=row.id, tag=tag, rank=rank))
            session.commit()
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def count_rows(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        articles = conn.scalar(select(func.count()).select_from(ArticleRow)) or 0
        tags = conn.scalar(select(func.count()).select_from(ArticleTagRow)) or 0
    engine.dispose()
    return articles, tags


def bench_backend(name: str, url: str, naive_url: str, articles: list[Article], naive_sample: int) -> dict[str, float]:
    ensure_sources(url)
    ensure_sources(naive_url)
    first = load_ours(url, articles)
    again = load_ours(url, articles)
    stored, tags = count_rows(url)
    expected_tags = sum(len(a.verdict.tags) for a in articles if a.verdict)
    if stored != len(articles) or tags != expected_tags:
        raise SystemExit(f"{name}: loaded {stored} articles / {tags} tags, expected {len(articles)} / {expected_tags}")
    # The naive loader writes its sample into a table already holding the rest of the set (loaded,
    # untimed, by ours), so that both loaders are measured against a table of the same size.
    sample = [replace(a) for a in articles[:naive_sample]]
    load_ours(naive_url, articles[naive_sample:])
    naive = load_naive(naive_url, sample)
    return {
        "rows": len(articles),
        "ours_rows_per_s": round(len(articles) / first, 1),
        "upsert_again_rows_per_s": round(len(articles) / again, 1),
        "naive_rows_per_s": round(len(sample) / naive, 1),
        "naive_sample_rows": len(sample),
        "ours_s": round(first, 2),
        "upsert_again_s": round(again, 2),
        "naive_s": round(naive, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_LOAD_ROWS", "100000")))
    parser.add_argument("--naive-rows", type=int, default=int(os.environ.get("BENCH_LOAD_NAIVE_ROWS", "5000")))
    args = parser.parse_args(argv)
    print(f"bench-load: {args.rows:,} synthetic articles with tags; naive sample {args.naive_rows:,}; {machine()}")
    articles = synthetic_articles(args.rows)
    results: dict[str, dict[str, float]] = {}
    folder = BENCH_DIR / "load"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db*"):
        stale.unlink()
    results["sqlite"] = bench_backend(
        "sqlite", f"sqlite:///{folder / 'ours.db'}", f"sqlite:///{folder / 'naive.db'}", articles, args.naive_rows
    )
    if postgres_available():
        with scratch_postgres() as ours_url, scratch_postgres() as naive_url:
            results["postgresql"] = bench_backend("postgresql", ours_url, naive_url, articles, args.naive_rows)
    else:
        print("PostgreSQL at 127.0.0.1:5432 does not answer: measured SQLite only", file=sys.stderr)
    rows = [
        [backend, r["ours_rows_per_s"], r["upsert_again_rows_per_s"], r["naive_rows_per_s"],
         f"{r['ours_rows_per_s'] / r['naive_rows_per_s']:.1f}x"]
        for backend, r in results.items()
    ]  # fmt: skip
    header = ["backend", "ours", "upsert again", "naive ORM", "ours/naive"]
    print_table("rows/s (articles with their tags)", header, rows)
    path = write_result("load", results)
    print(f"\nwritten to {Path(path).relative_to(Path.cwd()) if Path(path).is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
