"""`make bench`'s corpus and its in-process run at a tiny size (benchmarks/corpus.py, benchmarks/bench_e2e.py).

The corpus must be what the benchmark claims: pages of 30–150 KB, 20 % syndicated copies that the
pipeline groups with their originals, 5 % India–Italy defence stories that the tagger finds relevant,
and the same bytes for the same seed. The in-process part of the benchmark runs here on 100 items (a
few seconds), through the same child process `make bench` starts; the Airflow profiles do not.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, where benchmarks/ lives

from benchmarks.bench_e2e import corpus_server, digest_day_end, run_in_process
from benchmarks.corpus import MAX_PAGE_BYTES, MIN_PAGE_BYTES, Corpus
from newswatch.dedup import canonicalize_url

SOURCES, ITEMS, SEED = 4, 25, 7


def test_corpus_shares_sizes_and_determinism() -> None:
    corpus = Corpus(SOURCES, ITEMS, seed=SEED)
    items = corpus.all_items()
    assert len(items) == 100
    kinds = [i.kind for i in items]
    assert kinds.count("syndicated") == 20, "20 % syndicated copies"
    assert sum(i.relevant for i in items) == 5, "5 % relevant, copies included"
    for item in items:
        if item.kind == "syndicated":
            assert item.origin[0] != item.source, "a copy carries another source's story"
            assert corpus.info(*item.origin).kind in ("original", "relevant")
            assert corpus.info(*item.origin).relevant == item.relevant
    sizes = [len(corpus.page(i.source, i.index)) for i in items]
    assert all(MIN_PAGE_BYTES <= s <= MAX_PAGE_BYTES for s in sizes), (min(sizes), max(sizes))
    assert max(sizes) - min(sizes) > 60 * 1024, "sizes spread over the range"

    again, other = Corpus(SOURCES, ITEMS, seed=SEED), Corpus(SOURCES, ITEMS, seed=SEED + 1)
    assert [again.page(i.source, i.index) for i in items[:10]] == [corpus.page(i.source, i.index) for i in items[:10]]
    assert again.feed(2) == corpus.feed(2)
    assert other.page(0, 0) != corpus.page(0, 0)
    assert [i.kind for i in other.all_items()] != kinds


def test_copies_share_their_original_story() -> None:
    corpus = Corpus(SOURCES, ITEMS, seed=SEED)
    copy = next(i for i in corpus.all_items() if i.kind == "syndicated")
    original = corpus.story(*copy.origin)
    shown = corpus.body_paragraphs(copy.source, copy.index)
    assert shown[0].endswith(original.paragraphs[0]) and shown[0] != original.paragraphs[0], "a wire prefix"
    assert all(p in shown for p in original.paragraphs[1:-1])
    page = corpus.page(copy.source, copy.index).decode()
    assert corpus.page_url(copy.source, copy.index) in page and "<nav" in page and "<footer" in page


@pytest.mark.timeout(300)
def test_in_process_run_on_a_tiny_corpus(tmp_path: Path) -> None:
    """The benchmark's in-process child: every item loaded once, copies clustered with their originals,
    the relevant stories (and only they) tagged relevant, figures for every stage."""
    anchor = digest_day_end(datetime.now(UTC))
    with corpus_server(SOURCES, ITEMS, SEED, anchor, tmp_path / "corpus") as served:
        result = run_in_process(served, tmp_path / "run", anchor, None)
        corpus = Corpus(SOURCES, ITEMS, seed=SEED)
        corpus.base_url = served.base_url
    assert result["counts"]["articles"] == 100
    assert result["counts"]["items_done"] == 100
    assert result["cycles"] == 1
    assert set(result["stages_s"]) == {"sync", "poll", "fetch", "process", "alerts", "digest"}
    assert result["stages_s"]["process"] > 0 and result["process_parts_s"]["pages"] > 0
    assert set(result["process_parts_s"]) == {"pages", "dedup", "events", "load", "other"}
    assert result["peak_rss_mb"]["in-process"] > 50

    engine = create_engine(f"sqlite:///{tmp_path / 'run' / 'warehouse.db'}")
    with engine.connect() as conn:
        rows = {url: (relevant, cluster) for url, relevant, cluster in conn.execute(
            text("select canonical_url, relevant, story_cluster_id from articles"))}  # fmt: skip
    engine.dispose()
    items = corpus.all_items()
    url = {(i.source, i.index): canonicalize_url(corpus.page_url(i.source, i.index)) for i in items}
    tagged = sorted(u for u, (relevant, _) in rows.items() if relevant)
    assert tagged == sorted(url[i.source, i.index] for i in items if i.relevant), "the relevant stories, no other"
    assert len(tagged) / len(items) == pytest.approx(0.05)
    for item in items:
        if item.kind == "syndicated":
            assert rows[url[item.source, item.index]][1] == rows[url[item.origin]][1], "copy apart from its original"
    clusters = {cluster for _, cluster in rows.values()}
    assert len(clusters) == sum(1 for i in items if i.kind != "syndicated"), "different stories merged"
