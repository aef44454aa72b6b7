"""The story index kept in the warehouse between cycles (issue #16), on both backends: a copy arriving in a
later cycle (in a new process) joins its story, re-running a batch changes nothing, boilerplate shared by
many stories pulls none of them in, the work of a cycle depends on its batch and not on the window, a
warehouse from before the index is indexed once, retention prunes it, and the clusters are those of one
full index on the dedup benchmark's generated corpus."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session

from newswatch.config import Settings, load_settings
from newswatch.dedup import (
    COMMON_SHINGLE_CLUSTERS,
    SAMPLE_MODULUS,
    SHORT_SAMPLE,
    StoryIndex,
    cluster_id_for,
    content_hash,
    could_be_copy,
    shingle_sample,
    shingles,
    verified_copy,
)
from newswatch.ingest.rawstore import RawStore
from newswatch.ingest.retention import prune_raw_store
from newswatch.process import CLUSTER_LOOKBACK, process_articles, recent_story_index, store_story_samples
from newswatch.records import Article
from newswatch.warehouse import load, queries
from newswatch.warehouse.engine import make_engine
from newswatch.warehouse.schema import ArticleRow, FeedItemRow, StoryShingleRow
from newswatch.warehouse.session import engine_for

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = Path(__file__).resolve().parent / "resources"
DAY1 = (RESOURCES / "story_rome_talks_day1.txt").read_text(encoding="utf-8")
DAY2 = (RESOURCES / "story_rome_talks_day2.txt").read_text(encoding="utf-8")
DISCLAIMER = (
    "Legal Disclaimer:\nMENAFN provides the information as is without warranty of any kind. We do not accept "
    "any responsibility or liability for the accuracy, content, images, videos, licenses, completeness, "
    "legality, or reliability of the information contained in this article."
)
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
SOURCE = {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/feed", "language": "en", "country": "IN",
          "enabled": True}  # fmt: skip
WORDS = [f"w{n:04d}x" for n in range(3_000)]  # made-up words: random texts share no word sequence


def menafn_copy(text: str) -> str:
    return f"India, Italy review naval training plan in Rome\n\n(MENAFN- IANS) {text.strip()}\n\n--IANS\nsk/pgh"


def filler(rng: random.Random, words: int = 120) -> str:
    """A text of made-up words, sharing no five-word sequence with any other."""
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def url(slug: str) -> str:
    return f"https://ians.example/news/{slug}"


def article(slug: str, body: str, first_seen: datetime = T0, story: str = "") -> Article:
    return Article(
        source="ians",
        url=url(slug),
        canonical_url=url(slug),
        title=f"Headline {slug}",
        text=body,
        summary=body[:60],
        language="en",
        published_at=first_seen,
        published_from="feed",
        first_seen_at=first_seen,
        fetched_at=first_seen,
        content_hash=content_hash(body),
        story_cluster_id=story,
    )


def cycle(session: Session, batch: list[tuple[str, str]], at: datetime = T0) -> tuple[dict[str, str], int]:
    """One cycle's clustering and load, as ``process_articles`` does them: the index read for the batch,
    assign and add per article, upsert, the new samples stored; committed. ``{slug: story}`` and how many
    stored articles the index loaded."""
    articles = [article(slug, body, at) for slug, body in batch]
    samples = {a.text: shingle_sample(a.text) for a in articles}
    index = recent_story_index(session, at - CLUSTER_LOOKBACK, samples.values())
    loaded = len(index)
    for a in articles:
        a.story_cluster_id = index.assign(a.text, cluster_id_for(a.canonical_url))
        index.add(a.story_cluster_id, a.text)
    written = load.upsert_articles(session, articles)
    by_url = {a.canonical_url: a for a in articles}
    store_story_samples(session, {article_id: samples[by_url[u].text] for u, article_id in written.items()})
    session.commit()
    return {slug: a.story_cluster_id for (slug, _), a in zip(batch, articles, strict=True)}, loaded


def fill(session: Session, texts: list[str], first_seen: datetime, prefix: str = "filler") -> None:
    """Stored articles (each its own story) and their index rows, without clustering them: a window."""
    articles = [article(f"{prefix}-{n}", body, first_seen, f"s-{prefix}-{n}") for n, body in enumerate(texts)]
    for start in range(0, len(articles), 1_000):
        chunk = articles[start : start + 1_000]
        written = load.upsert_articles(session, chunk)
        by_url = {a.canonical_url: a for a in chunk}
        store_story_samples(session, {i: shingle_sample(by_url[u].text) for u, i in written.items()})
    session.commit()


def stories(session: Session) -> dict[str, str]:
    """``{slug: story}`` of every stored article."""
    rows = session.execute(select(ArticleRow.canonical_url, ArticleRow.story_cluster_id)).tuples()
    return {u.rsplit("/", 1)[1]: story for u, story in rows}


def shingle_sets(session: Session) -> dict[int, frozenset[int]]:
    """``story_shingle_sets`` as ``{article_id: shingles}``."""
    return queries.story_shingle_sets(session, session.scalars(select(ArticleRow.id)))


def index_rows(session: Session) -> list[tuple[int, int, str, datetime, int, int]]:
    table = StoryShingleRow
    columns = (
        table.article_id,
        table.shingle,
        table.story_cluster_id,
        table.at,
        table.sample_size,
        table.shingle_count,
    )
    return sorted(session.execute(select(*columns)).tuples())


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    with Session(migrated_engine) as session:
        load.upsert_sources(session, [SOURCE])
        session.commit()
        yield session


# --- the sample ------------------------------------------------------------------------------------------


def test_the_sample_is_a_fixed_part_of_every_text() -> None:
    """A shingle is sampled or not whatever the text (so two samples share the sample of the overlap); a
    short text keeps all its shingles; the candidate rule wants a share of the smaller sample, the new
    text's boilerplate left out."""
    day1, copy = shingle_sample(DAY1), shingle_sample(menafn_copy(DAY1))
    assert day1.shingles == {s for s in shingles(DAY1) if s % SAMPLE_MODULUS == 0}
    assert day1.size == len(day1.shingles) >= SHORT_SAMPLE
    assert day1.shingles & copy.shingles == {s for s in shingles(DAY1) & shingles(menafn_copy(DAY1)) if s % 8 == 0}
    short = shingle_sample("Navies of India and Italy hold a drill off Goa.")
    assert short.shingles == shingles("Navies of India and Italy hold a drill off Goa.")
    assert short.size < SHORT_SAMPLE
    assert shingle_sample("").shingles == frozenset()
    assert could_be_copy(6, (20, 170), (30, 230)) and not could_be_copy(5, (20, 170), (30, 230))
    assert could_be_copy(3, (20, 170), (30, 230), boilerplate=(10, 10)), "the share of what is not boilerplate"
    assert not could_be_copy(1, (8, 60), (8, 70)), "two shared at least"
    assert could_be_copy(1, (3, 30), (40, 300)), "a short text and a long one: any sampled shingle shared"
    assert could_be_copy(9, (3, 30), (5, 40)) and not could_be_copy(8, (3, 30), (5, 40)), "two short: the share"


# --- across cycles and processes ---------------------------------------------------------------------------


def page_html(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
    ).encode()


@pytest.fixture
def pipeline_settings(migrated_engine: Engine, warehouse_url: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings on the migrated warehouse with a raw store of its own (no feeds: pages are queued directly)."""
    env = {"NEWSWATCH_VAR": str(tmp_path / "var"), "NEWSWATCH_WAREHOUSE_URL": warehouse_url,
           "NEWSWATCH_PROCESS_WORKERS": "1"}  # fmt: skip
    engine_for.cache_clear()
    settings = load_settings(env)
    with Session(migrated_engine) as session:
        load.upsert_sources(session, [SOURCE])
        session.commit()
    yield settings
    engine_for(warehouse_url).dispose()
    engine_for.cache_clear()


def queue_pages(settings: Settings, engine: Engine, pages: dict[str, str], seen: datetime) -> None:
    """Fetched feed items (``{slug: text}``), their pages in the raw store: work for ``process_articles``."""
    store = RawStore(settings.raw_store_dir)
    with Session(engine) as session:
        for slug, body in pages.items():
            ref = store.put(page_html(f"Report {slug}", body))
            session.execute(
                insert(FeedItemRow).values(
                    source="ians", guid=slug, link=url(slug), canonical_url=url(slug), title=f"Report {slug}",
                    summary="", first_seen_at=seen, status="fetched", attempts=0, raw_ref=ref, fetched_at=seen,
                    content_type="text/html; charset=utf-8",
                )
            )  # fmt: skip
        session.commit()


def process_in_a_new_process(settings: Settings, observed_at: datetime) -> dict[str, int]:
    """``process_articles`` in a fresh interpreter with another hash seed: nothing kept in memory."""
    code = (
        "import json, sys; from datetime import datetime; from newswatch.config import load_settings; "
        "from newswatch.process import process_articles; "
        "print(json.dumps(process_articles(load_settings(), datetime.fromisoformat(sys.argv[1]))))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242", "NEWSWATCH_VAR": str(settings.var_dir),
           "NEWSWATCH_WAREHOUSE_URL": settings.warehouse_url, "NEWSWATCH_PROCESS_WORKERS": "1"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code, observed_at.isoformat()],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    counts: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return counts


def test_a_copy_in_a_later_cycle_in_a_new_process_joins_its_story(
    pipeline_settings: Settings, migrated_engine: Engine
) -> None:
    """Cycle 1 loads a story and an unrelated one; cycle 2, in another process, loads a syndicated copy of
    the first: it joins that story from the index kept in the warehouse, the other stays apart."""
    rng = random.Random(3)
    queue_pages(pipeline_settings, migrated_engine, {"day1": DAY1, "other": filler(rng, 200)}, T0)
    assert process_articles(pipeline_settings, T0)["loaded"] == 2
    later = T0 + timedelta(days=2)
    queue_pages(pipeline_settings, migrated_engine, {"day1-copy": menafn_copy(DAY1), "day2": DAY2}, later)
    assert process_in_a_new_process(pipeline_settings, later)["loaded"] == 2
    with Session(migrated_engine) as session:
        found = stories(session)
        assert found["day1-copy"] == found["day1"]
        assert len({found["day1"], found["other"], found["day2"]}) == 3
        count = session.scalar(text("SELECT article_count FROM story_clusters WHERE id = :s"), {"s": found["day1"]})
        assert count == 2
        assert {r[0] for r in index_rows(session)} == set(session.scalars(select(ArticleRow.id))), "all indexed"
        assert shingle_sets(session) == {
            article_id: shingles(body) for article_id, body in session.execute(select(ArticleRow.id, ArticleRow.text))
        }


def test_rerunning_a_batch_changes_nothing(pipeline_settings: Settings, migrated_engine: Engine) -> None:
    """The same pages processed again (the task cleared and re-run): the same stories, the same index rows,
    none twice; a page whose text changed has its rows replaced by its new sample."""
    rng = random.Random(5)
    pages = {"day1": DAY1, "day1-copy": menafn_copy(DAY1), "other": filler(rng, 150)}
    queue_pages(pipeline_settings, migrated_engine, pages, T0)
    process_articles(pipeline_settings, T0)
    with Session(migrated_engine) as session:
        first_stories, first_rows, first_sets = stories(session), index_rows(session), shingle_sets(session)
        session.execute(update(FeedItemRow).values(status="fetched"))
        session.commit()
    assert first_stories["day1"] == first_stories["day1-copy"] != first_stories["other"]
    process_articles(pipeline_settings, T0 + timedelta(hours=1))
    with Session(migrated_engine) as session:
        assert stories(session) == first_stories
        assert index_rows(session) == first_rows
        assert shingle_sets(session) == first_sets
        assert session.scalar(select(func.count()).select_from(StoryShingleRow)) == len(first_rows)
        other_id = session.scalar(select(ArticleRow.id).where(ArticleRow.canonical_url == url("other")))

    changed = filler(rng, 160)
    store = RawStore(pipeline_settings.raw_store_dir)
    with Session(migrated_engine) as session:
        session.execute(
            update(FeedItemRow)
            .where(FeedItemRow.guid == "other")
            .values(status="fetched", raw_ref=store.put(page_html("Report other", changed)))
        )
        session.commit()
    process_articles(pipeline_settings, T0 + timedelta(hours=2))
    with Session(migrated_engine) as session:
        rows = index_rows(session)
        mine = {r[1] for r in rows if r[0] == other_id}
        stored_text = session.scalar(select(ArticleRow.text).where(ArticleRow.id == other_id))
        assert mine == set(shingle_sample(stored_text or "").shingles) and mine
        assert shingle_sets(session)[other_id] == shingles(stored_text or "")
        assert [r for r in rows if r[0] != other_id] == [r for r in first_rows if r[0] != other_id]
        assert {r[2] for r in rows if r[0] == other_id} == {first_stories["other"]}, "the article keeps its story"


# --- what a cycle reads -------------------------------------------------------------------------------------


def test_boilerplate_shared_by_many_stories_pulls_none_of_them(session: Session) -> None:
    """Many different stories carrying the same disclaimer, stored over earlier cycles: the disclaimer's
    shingles are boilerplate, so a new story with it loads none of them and stays apart, and a copy of one
    of them loads that one and joins it. Short stories too, where the disclaimer is most of the text."""
    rng = random.Random(7)
    long_ones = [f"{filler(rng, 150)}\n\n{DISCLAIMER}" for _ in range(COMMON_SHINGLE_CLUSTERS + 8)]
    short_ones = [
        f"Story number {n} about item {n * 7} in town {n * 13} happened on day {n % 28}.\n\n{DISCLAIMER}"
        for n in range(COMMON_SHINGLE_CLUSTERS * 2)
    ]
    for start in range(0, len(long_ones), 10):
        cycle(session, [(f"long-{start + n}", t) for n, t in enumerate(long_ones[start : start + 10])])
    for start in range(0, len(short_ones), 16):
        cycle(session, [(f"short-{start + n}", t) for n, t in enumerate(short_ones[start : start + 16])])
    found = stories(session)
    assert len(set(found.values())) == len(long_ones) + len(short_ones), "every story its own"

    disclaimer = shingle_sample(DISCLAIMER).shingles
    matches = queries.story_index_matches(session, disclaimer, T0 - CLUSTER_LOOKBACK, COMMON_SHINGLE_CLUSTERS)
    assert disclaimer and matches.common == disclaimer and matches.rows == []

    later = T0 + timedelta(hours=6)
    new_long, new_short = (
        f"{filler(rng, 150)}\n\n{DISCLAIMER}",
        f"Story number 999 about item 5 in town 6.\n\n{DISCLAIMER}",
    )
    placed, loaded = cycle(session, [("new-long", new_long), ("new-short", new_short)], later)
    assert loaded == 0, "no stored story loaded for the disclaimer"
    assert placed["new-long"] == cluster_id_for(url("new-long"))
    assert placed["new-short"] == cluster_id_for(url("new-short"))

    copies = [("long-copy", menafn_copy(long_ones[3])), ("short-copy", "(MENAFN- IANS) " + short_ones[11])]
    placed, loaded = cycle(session, copies, later)
    assert placed == {"long-copy": found["long-3"], "short-copy": found["short-11"]}
    assert loaded == 2, "only the two originals loaded"


def test_the_work_of_a_cycle_depends_on_its_batch_not_on_the_window(session: Session) -> None:
    """With 1,500 and then 3,000 unrelated articles in the window, a copy of a stored story loads only its
    original and joins it; an unrelated new text loads nothing."""
    rng = random.Random(11)
    start = T0 - timedelta(days=3)
    cycle(session, [("day1", DAY1), ("day2", DAY2)], start)
    original = stories(session)
    loaded = []
    for round_number in range(2):
        fill(session, [filler(rng) for _ in range(1_500)], start, prefix=f"filler{round_number}")
        batch = [(f"copy-{round_number}", menafn_copy(DAY1)), (f"new-{round_number}", filler(rng))]
        placed, count = cycle(session, batch, T0 + timedelta(minutes=round_number))
        assert placed[f"copy-{round_number}"] == original["day1"]
        assert placed[f"new-{round_number}"] == cluster_id_for(url(f"new-{round_number}"))
        loaded.append(count)
    assert session.scalar(select(func.count()).select_from(ArticleRow)) > 3_000
    assert loaded == [1, 2], "day1 (then its first copy too), never the window"


def test_only_the_window_is_read(session: Session) -> None:
    """An article first seen before the lookback is no candidate (as with the full index)."""
    cycle(session, [("old", DAY1)], T0 - CLUSTER_LOOKBACK - timedelta(hours=1))
    first, loaded = cycle(session, [("copy", menafn_copy(DAY1))], T0)
    assert loaded == 0 and first["copy"] == cluster_id_for(url("copy"))
    second, loaded = cycle(session, [("copy-2", menafn_copy(DAY1))], T0 + timedelta(hours=1))
    assert loaded == 1 and second["copy-2"] == first["copy"]


def test_candidates_are_checked_against_their_whole_shingle_set(session: Session) -> None:
    """A stored text whose sample looks like a new one's but whose whole set does not is not loaded; one
    without its set (rows written by hand) is loaded all the same."""
    rng = random.Random(13)
    phrases: list[str] = []  # five-word phrases whose one shingle is sampled
    while len(phrases) < 10:
        phrase = " ".join(rng.choice(WORDS) for _ in range(5))
        if shingle_sample(phrase).size == 1:
            phrases.append(phrase)
    # Both texts carry the phrases, each between words of their own: a tenth of the new text's shingles
    # are shared, but most of its sample.
    new_text = " ".join(f"{p} {rng.choice(WORDS)}" for p in phrases)
    stored_text = " ".join(f"{p} {rng.choice(WORDS)}" for p in phrases) + " " + filler(rng, 200)
    new, stored = shingle_sample(new_text), shingle_sample(stored_text)
    shared = len(new.shingles & stored.shingles)
    assert could_be_copy(shared, (new.size, new.count), (stored.size, stored.count))
    assert not verified_copy(new.every, stored.every, ())
    cycle(session, [("stored", stored_text)], T0 - timedelta(days=1))
    _, loaded = cycle(session, [("new", new_text)])
    assert loaded == 0
    session.execute(text("DELETE FROM story_shingle_sets"))
    session.commit()
    _, loaded = cycle(session, [("new-2", new_text)])
    assert loaded == 2, "the stored text and the first new one, unchecked"


def test_a_warehouse_from_before_the_index_is_indexed_once(session: Session) -> None:
    """Articles loaded before story_shingles existed: the first cycle indexes those of its window (not the
    older ones) and finds copies among them; later cycles do not index them again."""
    older = article("older", DAY2, T0 - timedelta(days=20), "s-older")
    recent = article("day1", DAY1, T0 - timedelta(days=1), "s-day1")
    load.upsert_articles(session, [older, recent])
    session.commit()
    assert queries.story_index_is_empty(session)
    placed, _ = cycle(session, [("copy", menafn_copy(DAY1))])
    assert placed["copy"] == "s-day1"
    ids = dict(session.execute(select(ArticleRow.canonical_url, ArticleRow.id)).tuples().all())
    rows = index_rows(session)
    assert {r[0] for r in rows} == {ids[url("day1")], ids[url("copy")]}, "the window's articles, not the older one"
    cycle(session, [("copy-2", menafn_copy(DAY1))])
    assert [r for r in index_rows(session) if r[0] in (ids[url("day1")], ids[url("copy")])] == rows


def test_rows_go_with_their_article_and_with_retention(
    session: Session, migrated_engine: Engine, warehouse_url: str, tmp_path: Path
) -> None:
    """An article deleted takes its index rows along; the raw-store retention prunes the rows of articles
    first seen before the clustering window, whatever its cutoff."""
    now = datetime.now(UTC)
    cycle(session, [("old", DAY1)], now - timedelta(days=40))
    cycle(session, [("recent", DAY2)], now - timedelta(days=3))
    cycle(session, [("gone", filler(random.Random(1)))], now - timedelta(days=1))
    ids = dict(session.execute(select(ArticleRow.canonical_url, ArticleRow.id)).tuples().all())
    session.execute(text("DELETE FROM articles WHERE id = :i"), {"i": ids[url("gone")]})
    session.commit()
    assert {r[0] for r in index_rows(session)} == {ids[url("old")], ids[url("recent")]}
    assert set(shingle_sets(session)) == {ids[url("old")], ids[url("recent")]}
    engine_for.cache_clear()
    settings = load_settings({"NEWSWATCH_VAR": str(tmp_path / "var"), "NEWSWATCH_WAREHOUSE_URL": warehouse_url})
    try:
        prune_raw_store(settings, now - timedelta(days=60))  # raw pages kept longer: the index is the window
        session.expire_all()
        assert {r[0] for r in index_rows(session)} == {ids[url("recent")]}
        assert set(shingle_sets(session)) == {ids[url("recent")]}
        prune_raw_store(settings, now - timedelta(days=1))  # a cutoff inside the window: the window stays
        session.expire_all()
        assert {r[0] for r in index_rows(session)} == {ids[url("recent")]}
    finally:
        engine_for(warehouse_url).dispose()
        engine_for.cache_clear()


# --- the same clusters as one full index ------------------------------------------------------------------


def test_stored_texts_added_lazily_give_the_same_clusters() -> None:
    """``add(lazy=True)`` (the loaded candidates: key contexts read only when a new text comes close) places
    every text where eager ``add`` does, the same-phrasing follow-ups kept apart by the conflict guard."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_dedup import generate

    generated = generate(400, seed=9)
    eager, lazy = StoryIndex(), StoryIndex()
    for n, item in enumerate(generated):
        new = cluster_id_for(url(f"g{n}"))
        placed = eager.assign(item.text, new)
        assert lazy.assign(item.text, new) == placed, n
        eager.add(placed, item.text)
        lazy.add(placed, item.text, lazy=True)
    assert any(e.pending is None and e.contexts is not None for e in lazy._entries), "some were needed"
    assert any(e.pending is not None for e in lazy._entries), "most were never needed"


def test_the_persisted_index_gives_the_full_index_clusters(tmp_path: Path) -> None:
    """On the dedup benchmark's generated corpus (syndicated copies, same-phrasing follow-ups, disclaimers),
    clustering batch by batch against the warehouse puts every article where one full index does."""
    sys.path.insert(0, str(ROOT))  # the repository root, where benchmarks/ lives
    from benchmarks.bench_dedup import generate

    generated = generate(700, seed=3)
    full = StoryIndex()
    expected = []
    for n, item in enumerate(generated):
        expected.append(full.assign(item.text, cluster_id_for(url(f"g{n}"))))
        full.add(expected[-1], item.text)
    engine = make_engine(f"sqlite:///{tmp_path / 'parity.db'}")
    from newswatch.warehouse.engine import create_schema

    create_schema(engine)
    found: dict[str, str] = {}
    with Session(engine) as session:
        load.upsert_sources(session, [SOURCE])
        for start in range(0, len(generated), 100):
            batch = [(f"g{start + n}", a.text) for n, a in enumerate(generated[start : start + 100])]
            found.update(cycle(session, batch, T0 + timedelta(minutes=start))[0])
    engine.dispose()
    assert [found[f"g{n}"] for n in range(len(generated))] == expected
