"""The process step: a batch of fetched pages becomes articles in the warehouse.

Each page goes extract → clean (dates from the feed, the page, else the wire dateline) → tag; the batch is
then grouped (canonical URL, story clusters against the last week's articles), the analysts' labels
stand over the tagger's decisions, and the articles are loaded (upserted by canonical URL, so running a
batch twice does no harm). One bad page is marked failed on its item without stopping the batch.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newswatch import workers
from newswatch.config import Settings, Source
from newswatch.dedup import (
    COMMON_SHINGLE_CLUSTERS,
    ShingleSample,
    StoryIndex,
    cluster_id_for,
    could_be_copy,
    shingle_sample,
    verified_copy,
)
from newswatch.events import (
    LEGAL_WINDOW,
    MAX_POSTINGS,
    EventProfile,
    Profiler,
    Report,
    profiler_for,
    spread_for,
)
from newswatch.ingest.rawstore import RawStore
from newswatch.metrics import SourceRunCounts, emit_source_counts
from newswatch.records import Article
from newswatch.tagging import Lexicon, load_lexicon
from newswatch.warehouse import labels, load, queries
from newswatch.warehouse.schema import FeedHealthRow, FeedItemRow
from newswatch.warehouse.session import warehouse
from newswatch.workers import PageJob, build_pages

LOGGER = logging.getLogger(__name__)

PROCESS_BATCH = 500
# A run keeps taking batches while there are fetched pages, until this much time has passed: a backlog
# (a first run over many sources, a catch-up after an outage) drains in one task instead of one batch
# per ingest run, each run paying the start of every mapped poll and fetch task again. Well inside the
# task's 20-minute execution timeout; each batch is its own transaction, so a failure keeps the
# batches before it.
PROCESS_TIME_BUDGET = timedelta(minutes=10)
CLUSTER_LOOKBACK = timedelta(days=7)


def process_articles(
    settings: Settings,
    observed_at: datetime,
    limit: int = PROCESS_BATCH,
    run_started_at: datetime | None = None,
    run_id: str | None = None,
    time_budget: timedelta = PROCESS_TIME_BUDGET,
) -> dict[str, int]:
    """Extract, clean, de-duplicate, tag and load every fetched page, in batches of ``limit`` pages, each
    committed on its own, until none is left or ``time_budget`` has passed (the rest waits for the next run).

    With ``run_started_at`` (the ingest DAG run's start), it also reports what the run did for each
    source polled since then: one metrics line and StatsD counters per source (see metrics.py).
    """
    lexicon = load_lexicon(settings.taxonomy_file)
    profiler = profiler_for(lexicon, settings.taxonomy_file)
    counts = {"processed": 0, "loaded": 0, "relevant": 0, "failed": 0, "duplicates": 0, "batches": 0}
    by_source: dict[str, Counter[str]] = {}
    deadline = time.monotonic() + time_budget.total_seconds()
    while True:
        taken = process_batch(settings, observed_at, limit, lexicon, profiler, counts, by_source)
        counts["batches"] += 1
        if taken < limit or time.monotonic() >= deadline:
            break
    LOGGER.info("process %s", counts)
    if run_started_at is not None:
        report_source_metrics(settings, run_started_at, by_source, run_id)
    return counts


def process_batch(
    settings: Settings,
    observed_at: datetime,
    limit: int,
    lexicon: Lexicon,
    profiler: Profiler,
    counts: dict[str, int],
    by_source: dict[str, Counter[str]],
) -> int:
    """One transaction: up to ``limit`` fetched pages built, clustered, placed in events and loaded;
    ``counts`` and ``by_source`` are added to. Returns the number of pages taken."""
    with warehouse(settings) as session:
        items = queries.fetched_items(session, limit)
        articles: dict[str, Article] = {}
        done: list[int] = []
        # all pages first: the story index is read for the batch's texts before any is placed
        results = list(build_pages(settings, [page_job(item) for item in items], observed_at))
        samples = {r.article.text: shingle_sample(r.article.text) for r in results if r.article is not None}
        index = recent_story_index(session, observed_at - CLUSTER_LOOKBACK, samples.values())
        for item, result in zip(items, results, strict=True):
            counts["processed"] += 1
            tally = by_source.setdefault(item.source, Counter())
            if result.error is not None:
                load.mark_items(session, [item.id], status="failed", error=result.error)
                counts["failed"] += 1
                tally["errors"] += 1
                continue
            article = result.article
            done.append(item.id)
            if article is None:
                continue
            if article.canonical_url in articles:
                counts["duplicates"] += 1
                continue
            article.story_cluster_id = index.assign(article.text, cluster_id_for(article.canonical_url))
            index.add(article.story_cluster_id, article.text)
            articles[article.canonical_url] = article
            counts["relevant"] += bool(article.verdict and article.verdict.relevant)
            tally["loaded"] += 1
            tally["tagged"] += bool(article.verdict and article.verdict.relevant)
        place_in_events(session, list(articles.values()), profiler)
        apply_labels(session, list(articles.values()))
        written = load.upsert_articles(session, list(articles.values()))
        store_story_samples(session, {article_id: samples[articles[url].text] for url, article_id in written.items()})
        load.write_article_details(
            session, {article_id: articles[url].verdict for url, article_id in written.items()}, lexicon.entities
        )
        load.refresh_story_clusters(session, {articles[url].story_cluster_id for url in written})
        load.refresh_events(session, {articles[url].event_id or articles[url].story_cluster_id for url in written})
        load.mark_items(session, done, status="done")
        counts["loaded"] += len(articles)
    return len(items)


def report_source_metrics(
    settings: Settings, run_started_at: datetime, processed: dict[str, Counter[str]], run_id: str | None
) -> list[SourceRunCounts]:
    """One metrics record per source polled since ``run_started_at``: its poll, fetches and loads."""
    with warehouse(settings) as session:
        health = {  # (items, new, failing) of each source polled in this run
            source: (items, new, failures > 0)
            for source, items, new, failures in session.execute(
                select(
                    FeedHealthRow.source,
                    FeedHealthRow.items_seen,
                    FeedHealthRow.new_items,
                    FeedHealthRow.consecutive_failures,
                ).where(FeedHealthRow.last_attempt_at >= run_started_at)
            )
        }
        fetched = dict(
            session.execute(
                select(FeedItemRow.source, func.count())
                .where(FeedItemRow.fetched_at >= run_started_at)
                .group_by(FeedItemRow.source)
            ).all()
        )
        failed_fetches = dict(
            session.execute(
                select(FeedItemRow.source, func.count())
                .where(FeedItemRow.status == "failed", FeedItemRow.first_seen_at >= run_started_at)
                .group_by(FeedItemRow.source)
            ).all()
        )
    records = []
    for name in sorted(set(health) | set(processed)):
        items, new, failing = health.get(name, (0, 0, False))
        tally = processed.get(name, Counter())
        record = SourceRunCounts(
            source=name,
            items=items,
            new=new,
            fetched=int(fetched.get(name, 0)),
            tagged=tally["tagged"],
            loaded=tally["loaded"],
            errors=tally["errors"] + int(failed_fetches.get(name, 0)) + int(failing),
        )
        emit_source_counts(record, run_id)
        records.append(record)
    return records


def build_article(
    item: FeedItemRow, source: Source | None, store: RawStore, lexicon: Lexicon, observed_at: datetime
) -> Article | None:
    """One fetched feed item to an :class:`Article` (``None`` when the page has no article text): the
    page workers' :func:`newswatch.workers.build_article`, for a warehouse row."""
    return workers.build_article(page_job(item), source, store, lexicon, observed_at)


def page_job(item: FeedItemRow) -> PageJob:
    """A fetched item as a job for the page workers (plain data, picklable)."""
    return PageJob(
        item_id=item.id,
        source=item.source,
        link=item.link,
        final_url=item.final_url,
        canonical_url=item.canonical_url,
        title=item.title,
        summary=item.summary,
        published_at=item.published_at,
        first_seen_at=item.first_seen_at,
        fetched_at=item.fetched_at,
        raw_ref=item.raw_ref,
        content_type=item.content_type,
        publisher=item.publisher,
    )


def recent_story_index(session: Session, since: datetime, samples: Iterable[ShingleSample]) -> StoryIndex:
    """An index of the articles first seen since ``since`` that the texts of these shingle samples may be
    copies of, read from the persisted story index (``story_shingles``).

    The stored articles sharing sampled shingles with a new text are found by those shingles; shingles
    stored for articles of more than ``COMMON_SHINGLE_CLUSTERS`` stories are boilerplate (marked as such
    in the index, and no reason to load an article); of the rest, an article is named when the shared
    sample could mean a copy (:func:`newswatch.dedup.could_be_copy`), and loaded when its whole stored
    shingle set confirms it (:func:`newswatch.dedup.verified_copy`). So the work depends on the new
    texts and the articles they overlap, not on the number of articles in the window. A warehouse
    whose story index is empty (upgraded from before it existed) has its window indexed first.
    """
    if queries.story_index_is_empty(session):
        index_story_window(session, since)
    samples = list(samples)
    found = queries.story_index_matches(
        session, {s for sample in samples for s in sample.shingles}, since, COMMON_SHINGLE_CLUSTERS
    )
    stored: dict[int, list[int]] = {}  # shingle -> the articles having it
    sizes: dict[int, tuple[int, int]] = {}  # article -> its sample size and shingle count
    for shingle, article_id, _story, size, count in found.rows:
        stored.setdefault(shingle, []).append(article_id)
        sizes[article_id] = (size, count)
    named: dict[int, list[ShingleSample]] = {}  # article -> the new texts whose samples name it
    for sample in samples:
        shared = Counter(a for s in sample.shingles for a in stored.get(s, ()))
        mine, boilerplate = (sample.size, sample.count), sample.boilerplate(found.common)
        for a, n in shared.items():
            if could_be_copy(n, mine, sizes[a], boilerplate):
                named.setdefault(a, []).append(sample)
    sets = queries.story_shingle_sets(session, named)
    wanted = [
        a
        for a, namers in named.items()
        if a not in sets or any(verified_copy(sample.every, sets[a], found.common) for sample in namers)
    ]
    index = StoryIndex()
    index.mark_common(found.common)
    for cluster_id, text in queries.article_texts(session, wanted):
        index.add(cluster_id, text, lazy=True)
    LOGGER.debug(
        "story index: %d new texts, %d stored articles matched, %d named, %d loaded, %d boilerplate shingles",
        len(samples), len(sizes), len(named), len(wanted), len(found.common),
    )  # fmt: skip
    return index


def store_story_samples(session: Session, samples: dict[int, ShingleSample]) -> int:
    """Keep the shingle samples of articles just written (``{article_id: sample}``) in the story index."""
    return load.store_story_shingles(
        session, {a: (sample.shingles, sample.size, sample.count, sample.every) for a, sample in samples.items()}
    )


def index_story_window(session: Session, since: datetime) -> int:
    """Index every article first seen since ``since`` (once, when the story index is empty); returns how
    many were indexed."""
    window = queries.recent_article_ids_and_texts(session, since)
    samples = {article_id: shingle_sample(text) for article_id, text in window}
    store_story_samples(session, samples)
    if samples:
        LOGGER.info("story index: indexed the %d articles first seen since %s", len(samples), since.isoformat())
    return len(samples)


# How far around a batch's reports the event index is read: the longest window, plus a day or so of the
# reports' own time uncertainty on each side.
EVENT_LOOKBACK = LEGAL_WINDOW + timedelta(days=2)


def place_in_events(session: Session, articles: list[Article], profiler: Profiler) -> None:
    """Set each article's event: its story's event when the story is known, else the event the story's
    first report joins or starts (:class:`newswatch.events.EventIndex`), then store the new stories in
    the persisted event index.

    The index is read for the batch alone: the stored stories sharing a key with a new one, near it in
    time, and the window's counts of those keys — so the work depends on the new reports, not on the
    size of the window. New stories are placed in time order (then by id), so a batch gives the same
    events whatever order its pages were fetched in.
    """
    by_story: dict[str, list[Article]] = {}
    for article in articles:
        by_story.setdefault(article.story_cluster_id, []).append(article)
    known = queries.story_events(session, by_story)
    new: list[Report] = []
    for story, members in by_story.items():
        if story in known:
            continue
        first = min(members, key=lambda a: (a.published_at or a.first_seen_at, a.canonical_url))
        profile = profiler.profile(first.title, first.text, first.language)
        new.append(Report(story, first.published_at or first.first_seen_at, spread_for(first.published_from), profile))
    if new:
        known.update(_assign_events(session, new, profiler))
    for article in articles:
        article.event_id = known.get(article.story_cluster_id, article.story_cluster_id)


def _assign_events(session: Session, reports: list[Report], profiler: Profiler) -> dict[str, str]:
    start = min(r.at for r in reports) - EVENT_LOOKBACK
    end = max(r.at for r in reports) + EVENT_LOOKBACK
    keys = {key for report in reports for key in report.profile.keys}
    counts, documents = queries.event_term_counts(session, keys, start, end)
    lookup = [k for k in keys if not k.startswith("word:") and counts.get(k, 0) <= MAX_POSTINGS]
    index = profiler.new_index(external_df=counts, external_documents=documents)
    for story, event, at, spread_hours, profile in queries.event_candidates(session, lookup, start, end):
        index.add(Report(story, at, timedelta(hours=spread_hours), EventProfile.from_json(profile)), event)
    placed: dict[str, str] = {}
    rows = []
    for report in sorted(reports, key=lambda r: (r.at, r.story_id)):
        placed[report.story_id] = index.assign(report)
        rows.append(
            {
                "story_cluster_id": report.story_id,
                "event_id": placed[report.story_id],
                "at": report.at,
                "spread_hours": report.spread.total_seconds() / 3600,
                "profile": report.profile.to_json(),
                "terms": sorted(report.profile.keys),
            }
        )
    load.store_event_reports(session, rows)
    return placed


def apply_labels(session: Session, articles: list[Article]) -> None:
    """Let the analysts' labels of the articles' stories stand over the tagger's decisions."""
    overrides = labels.label_overrides(session, {a.story_cluster_id for a in articles})
    for article in articles:
        if article.verdict is not None and article.story_cluster_id in overrides:
            article.verdict = labels.with_label(article.verdict, overrides[article.story_cluster_id])
