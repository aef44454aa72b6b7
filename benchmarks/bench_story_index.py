"""The persisted story index (issue #16): clustering cost per new article with 5,000 and 50,000 articles in
the clustering window, against the previous full rebuild of the index on every cycle; and the clusters
the candidate-loaded index gives against the full index's.

Cost: a SQLite warehouse holds the window (articles of ``benchmarks.bench_dedup``'s generator, their
stories as clusters, first seen over the 7 days before the cycle) and its story index rows; a batch of the
next ``PROCESS_BATCH`` generated articles (copies of window stories among them) is clustered as
``process_articles`` does: ``recent_story_index`` (the candidate query, boilerplate counts and the load of
the candidate texts), then ``assign`` and ``add`` per article. Figures are milliseconds per new article,
the median of a few runs, each rolled back; storing the batch's samples afterwards is timed apart. The
baseline is the previous code: every article of the window read and indexed (``StoryIndex.add``), then
the same ``assign`` and ``add``.

Parity: the generator's articles arrive in batches of ``PROCESS_BATCH``; each batch is clustered against
the warehouse (candidate-loaded) and stored, the whole set in the window; pairwise precision and recall
against the true stories, for that and for one full ``StoryIndex`` holding every article (as
``make bench-dedup`` runs it), and the agreement of the two (the full index's clusters taken as truth).

Run alone: ``python -m benchmarks.bench_story_index`` (figures printed and written to
``var/bench/story_index.json``); ``make bench`` (``benchmarks/bench_e2e.py``) calls
:func:`index_cost` and writes ``index_ms_per_article_at`` into ``var/bench/e2e.json``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from benchmarks.bench_dedup import Article as Generated
from benchmarks.bench_dedup import generate, pairwise
from benchmarks.common import machine, print_table, write_result
from newswatch import process
from newswatch.dedup import StoryIndex, cluster_id_for, content_hash, shingle_sample
from newswatch.process import CLUSTER_LOOKBACK, PROCESS_BATCH, recent_story_index, store_story_samples
from newswatch.records import Article
from newswatch.warehouse import load, queries
from newswatch.warehouse.engine import create_schema, make_engine

WINDOWS = (5_000, 50_000)
OBSERVED_AT = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
SOURCE = {"name": "wire", "title": "Wire", "feed_url": "https://wire.example/feed", "language": "en", "country": "IN",
          "enabled": True}  # fmt: skip
SEED = 11


def url_of(number: int) -> str:
    return f"https://wire.example/news/{number}"


def record(number: int, text: str, story: str, first_seen: datetime) -> Article:
    return Article(
        source="wire",
        url=url_of(number),
        canonical_url=url_of(number),
        title=text.split("\n", 1)[0][:200],
        text=text,
        summary="",
        language="en",
        published_at=first_seen,
        published_from="feed",
        first_seen_at=first_seen,
        fetched_at=first_seen,
        content_hash=content_hash(text),
        story_cluster_id=story,
    )


def fill_window(engine: Engine, window: Sequence[Generated], first: int) -> None:
    """The window's articles (numbered from ``first``, their true stories as clusters, first seen evenly
    over the lookback before ``OBSERVED_AT``) and their story index rows, committed."""
    step = (CLUSTER_LOOKBACK - timedelta(minutes=5)) / max(1, len(window))
    start = OBSERVED_AT - CLUSTER_LOOKBACK + timedelta(minutes=1)
    with Session(engine) as session:
        load.upsert_sources(session, [SOURCE])
        records = [record(first + n, a.text, f"s-{a.story}", start + n * step) for n, a in enumerate(window)]
        for begin in range(0, len(records), 5_000):
            written = load.upsert_articles(session, records[begin : begin + 5_000])
            ids = {url: article_id for url, article_id in written.items()}
            store_story_samples(
                session, {ids[r.canonical_url]: shingle_sample(r.text) for r in records[begin : begin + 5_000]}
            )
        session.commit()


def cluster_batch(session: Session, batch: Sequence[Generated], first: int) -> tuple[list[str], dict[str, float]]:
    """Cluster ``batch`` as ``process_articles`` does; the seconds of each part."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    samples = {a.text: shingle_sample(a.text) for a in batch}
    index = recent_story_index(session, OBSERVED_AT - CLUSTER_LOOKBACK, samples.values())
    seconds["candidates"] = time.perf_counter() - started
    seconds["loaded"] = len(index)
    started = time.perf_counter()
    clusters = []
    for n, article in enumerate(batch):
        cluster = index.assign(article.text, cluster_id_for(url_of(first + n)))
        index.add(cluster, article.text)
        clusters.append(cluster)
    seconds["assign_add"] = time.perf_counter() - started
    started = time.perf_counter()
    written = load.upsert_articles(
        session,
        [record(first + n, a.text, c, OBSERVED_AT) for n, (a, c) in enumerate(zip(batch, clusters, strict=True))],
    )
    seconds["upsert"] = time.perf_counter() - started
    started = time.perf_counter()
    by_url = {url_of(first + n): samples[a.text] for n, a in enumerate(batch)}
    store_story_samples(session, {article_id: by_url[url] for url, article_id in written.items()})
    seconds["store"] = time.perf_counter() - started
    return clusters, seconds


def rebuild_batch(session: Session, batch: Sequence[Generated], first: int) -> dict[str, float]:
    """The previous code: the whole window read and indexed, then the batch assigned and added."""
    started = time.perf_counter()
    index = StoryIndex()
    for cluster_id, text in queries.recent_article_texts(session, OBSERVED_AT - CLUSTER_LOOKBACK):
        index.add(cluster_id, text)
    rebuild = time.perf_counter() - started
    started = time.perf_counter()
    for n, article in enumerate(batch):
        index.add(index.assign(article.text, cluster_id_for(url_of(first + n))), article.text)
    return {"rebuild": rebuild, "assign_add": time.perf_counter() - started, "window": len(index) - len(batch)}


def index_cost(
    windows: Sequence[int] = WINDOWS, batch_size: int = PROCESS_BATCH, runs: int = 3, baseline_at: int = 5_000
) -> dict[str, Any]:
    """Clustering cost per new article (ms) with each window size, and the full rebuild's at ``baseline_at``."""
    articles = generate(max(windows) + batch_size, SEED)
    batch = articles[-batch_size:]
    first_new = len(articles) - batch_size
    result: dict[str, Any] = {"batch": len(batch), "runs": runs, "windows": {}}
    with tempfile.TemporaryDirectory(prefix="bench-story-index-") as folder:
        for size in windows:
            engine = make_engine(f"sqlite:///{Path(folder) / f'window-{size}.db'}")
            create_schema(engine)
            started = time.perf_counter()
            fill_window(engine, articles[first_new - size : first_new], first_new - size)
            filled = time.perf_counter() - started
            parts: list[dict[str, float]] = []
            for _ in range(runs):
                with Session(engine) as session:  # rolled back: every run starts from the same window
                    parts.append(cluster_batch(session, batch, first_new)[1])
            median = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
            figures = {
                "ms_per_article": round((median["candidates"] + median["assign_add"]) * 1000 / len(batch), 3),
                "candidates_ms_per_article": round(median["candidates"] * 1000 / len(batch), 3),
                "assign_add_ms_per_article": round(median["assign_add"] * 1000 / len(batch), 3),
                "store_ms_per_article": round(median["store"] * 1000 / len(batch), 3),
                "loaded_per_article": round(median["loaded"] / len(batch), 2),
                "fill_s": round(filled, 1),
            }
            if size == baseline_at:
                with Session(engine) as session:
                    old = rebuild_batch(session, batch, first_new)
                figures["rebuild_ms_per_article"] = round((old["rebuild"] + old["assign_add"]) * 1000 / len(batch), 3)
                figures["rebuild_ms_per_stored_article"] = round(old["rebuild"] * 1000 / max(1, old["window"]), 3)
                figures["rebuild_s"] = round(old["rebuild"], 2)
            result["windows"][str(size)] = figures
            engine.dispose()
    result["index_ms_per_article_at"] = {k: v["ms_per_article"] for k, v in result["windows"].items()}
    sizes = [result["windows"][str(s)]["ms_per_article"] for s in windows]
    result["ratio"] = round(max(sizes) / min(sizes), 3) if min(sizes) else None
    return result


def parity(count: int, batch_size: int = PROCESS_BATCH, seed: int = 5) -> dict[str, Any]:
    """Pairwise precision / recall of the candidate-loaded index (batches against the warehouse) and of
    one full index, on ``count`` generated articles; and their agreement."""
    articles = generate(count, seed)
    truth = [a.story for a in articles]
    full = StoryIndex()
    started = time.perf_counter()
    predicted_full = []
    for n, article in enumerate(articles):
        cluster = full.assign(article.text, cluster_id_for(url_of(n)))
        full.add(cluster, article.text)
        predicted_full.append(cluster)
    full_s = time.perf_counter() - started
    predicted: list[str] = []
    loaded = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-story-parity-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'parity.db'}")
        create_schema(engine)
        with Session(engine) as session:
            load.upsert_sources(session, [SOURCE])
            session.commit()
        # Every article is inside the window: first seen within the lookback before OBSERVED_AT.
        for begin in range(0, len(articles), batch_size):
            with Session(engine) as session:
                clusters, seconds = cluster_batch(session, articles[begin : begin + batch_size], begin)
                session.commit()
            predicted.extend(clusters)
            loaded += int(seconds["loaded"])
        engine.dispose()
    batched_s = time.perf_counter() - started

    def scores(found: list[str]) -> dict[str, float]:
        p, r, _, _ = pairwise(truth, found)
        return {"precision": round(p, 4), "recall": round(r, 4), "clusters": len(set(found))}

    agree_p, agree_r, _, _ = pairwise(predicted_full, predicted)  # type: ignore[arg-type]
    return {
        "articles": len(articles),
        "stories": len(set(truth)),
        "full_index": {**scores(predicted_full), "seconds": round(full_s, 1)},
        "persisted_index": {
            **scores(predicted),
            "seconds": round(batched_s, 1),
            "loaded_per_article": round(loaded / len(articles), 2),
        },
        "agreement_with_full": {
            "precision": round(agree_p, 4),
            "recall": round(agree_r, 4),
            "same_cluster_ids": sum(a == b for a, b in zip(predicted_full, predicted, strict=True)),
        },
    }


def report_cost(cost: dict[str, Any]) -> None:
    windows = cost["windows"]
    columns = list(windows)
    rows = [
        ["clustering ms per new article", *(windows[c]["ms_per_article"] for c in columns)],
        ["  candidates (query + load)", *(windows[c]["candidates_ms_per_article"] for c in columns)],
        ["  assign + add", *(windows[c]["assign_add_ms_per_article"] for c in columns)],
        ["stored articles loaded per new one", *(windows[c]["loaded_per_article"] for c in columns)],
        ["store the batch's samples, ms per article", *(windows[c]["store_ms_per_article"] for c in columns)],
        ["previous full rebuild, ms per new article", *(windows[c].get("rebuild_ms_per_article", "") for c in columns)],
        ["  ms per stored article", *(windows[c].get("rebuild_ms_per_stored_article", "") for c in columns)],
    ]
    print_table(
        f"story index, batch of {cost['batch']} new articles (median of {cost['runs']} runs)",
        ["articles in the window", *(f"{int(c):,}" for c in columns)],
        rows,
    )
    print(f"cost ratio between the window sizes: {cost['ratio']} (goal: within 1.5)")


def report_parity(found: dict[str, Any]) -> None:
    rows = [
        ["full index (one StoryIndex, every article)", found["full_index"]["precision"], found["full_index"]["recall"],
         found["full_index"]["clusters"]],
        ["persisted index (candidates per batch)", found["persisted_index"]["precision"],
         found["persisted_index"]["recall"], found["persisted_index"]["clusters"]],
        ["persisted vs full (full as truth)", found["agreement_with_full"]["precision"],
         found["agreement_with_full"]["recall"], ""],
    ]  # fmt: skip
    print_table(
        f"pairwise precision / recall on {found['articles']:,} generated articles ({found['stories']:,} stories)",
        ["index", "precision", "recall", "clusters"],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=PROCESS_BATCH)
    parser.add_argument("--parity", type=int, default=20_000, help="generated articles for the parity check (0: none)")
    args = parser.parse_args(argv)
    print(f"bench-story-index: windows {', '.join(f'{w:,}' for w in WINDOWS)}, batch {args.batch}; {machine()}")
    cost = index_cost(batch_size=args.batch, runs=args.runs)
    report_cost(cost)
    payload: dict[str, Any] = {"index_ms_per_article_at": cost["index_ms_per_article_at"], "cost": cost}
    if args.parity:
        found = parity(args.parity, args.batch)
        report_parity(found)
        payload["parity"] = found
    payload["machine"] = machine()
    path = write_result("story_index", payload)
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    process.LOGGER.setLevel("WARNING")
    sys.exit(main())
