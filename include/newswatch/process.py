"""The process step: a batch of fetched pages becomes articles in the warehouse.

Each page goes extract → clean (dates from the feed, the page, else the wire dateline) → tag; the batch is
then grouped (canonical URL, story clusters against the last week's articles), the analysts' labels
stand over the tagger's decisions, and the articles are loaded (upserted by canonical URL, so running a
batch twice does no harm). One bad page is marked failed on its item without stopping the batch.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newswatch.clean import clean_article_text, day_from_dateline, summarise
from newswatch.config import Settings, Source, load_sources
from newswatch.dedup import StoryIndex, canonicalize_url, cluster_id_for, content_hash
from newswatch.events import (
    LEGAL_WINDOW,
    MAX_POSTINGS,
    EventProfile,
    Profiler,
    Report,
    profiler_for,
    spread_for,
)
from newswatch.extract import extract_article
from newswatch.ingest.rawstore import RawStore
from newswatch.metrics import SourceRunCounts, emit_source_counts
from newswatch.records import Article
from newswatch.tagging import Lexicon, classify, load_lexicon
from newswatch.warehouse import labels, load, queries
from newswatch.warehouse.schema import FeedHealthRow, FeedItemRow
from newswatch.warehouse.session import warehouse

LOGGER = logging.getLogger(__name__)

PROCESS_BATCH = 500
CLUSTER_LOOKBACK = timedelta(days=7)


def process_articles(
    settings: Settings,
    observed_at: datetime,
    limit: int = PROCESS_BATCH,
    run_started_at: datetime | None = None,
    run_id: str | None = None,
) -> dict[str, int]:
    """Extract, clean, de-duplicate, tag and load every fetched page (up to ``limit``).

    With ``run_started_at`` (the ingest DAG run's start), it also reports what the run did for each
    source polled since then: one metrics line and StatsD counters per source (see metrics.py).
    """
    sources = {s.name: s for s in load_sources(settings.sources_file)}
    lexicon = load_lexicon(settings.taxonomy_file)
    profiler = profiler_for(lexicon, settings.taxonomy_file)
    store = RawStore(settings.raw_store_dir)
    counts = {"processed": 0, "loaded": 0, "relevant": 0, "failed": 0, "duplicates": 0}
    with warehouse(settings) as session:
        items = queries.fetched_items(session, limit)
        index = recent_story_index(session, observed_at - CLUSTER_LOOKBACK)
        articles: dict[str, Article] = {}
        done: list[int] = []
        by_source: dict[str, Counter[str]] = {}
        for item in items:
            counts["processed"] += 1
            source = sources.get(item.source)
            tally = by_source.setdefault(item.source, Counter())
            try:
                article = build_article(item, source, store, lexicon, observed_at)
            except Exception as exc:  # one bad page must not stop the batch; it is recorded on the item
                LOGGER.exception("processing %s failed", item.link)
                load.mark_items(session, [item.id], status="failed", error=f"{type(exc).__name__}: {exc}"[:1000])
                counts["failed"] += 1
                tally["errors"] += 1
                continue
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
        load.write_article_details(
            session, {article_id: articles[url].verdict for url, article_id in written.items()}, lexicon.entities
        )
        load.refresh_story_clusters(session, {articles[url].story_cluster_id for url in written})
        load.refresh_events(session, {articles[url].event_id or articles[url].story_cluster_id for url in written})
        load.mark_items(session, done, status="done")
        counts["loaded"] = len(articles)
    LOGGER.info("process %s", counts)
    if run_started_at is not None:
        report_source_metrics(settings, run_started_at, by_source, run_id)
    return counts


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
    """One fetched feed item to an :class:`Article` (``None`` when the page has no article text)."""
    if item.raw_ref is None:  # a fetched item always has its page; a row edited by hand may not
        raise KeyError(f"fetched item {item.id} has no raw page")
    raw = store.get(item.raw_ref)
    url = item.final_url or item.link
    extracted = extract_article(
        raw, url, default_language=source.language if source else "en", content_type=item.content_type
    )
    if extracted is None:
        LOGGER.warning("no article text in %s", url)
        return None
    title = extracted.title or item.title
    cleaned = clean_article_text(extracted.text, default_wire=source.wire if source else None, title=title)
    # The feed's own date is the most trusted; the page's declarations come next.
    published, published_from = item.published_at, "feed"
    if published is None:
        published, published_from = extracted.published_at, extracted.published_from
    if published is None and cleaned.dateline_day:
        published, published_from = day_from_dateline(cleaned.dateline_day, item.first_seen_at), "dateline"
    canonical = canonicalize_url(extracted.canonical_url or item.canonical_url)
    verdict = classify(title, cleaned.text, lexicon, language=extracted.language)
    return Article(
        source=item.source,
        url=url,
        canonical_url=canonical,
        title=title,
        text=cleaned.text,
        summary=summarise(cleaned.text) or item.summary,
        language=verdict.language,
        published_at=published,
        published_from=published_from if published else "",
        first_seen_at=item.first_seen_at,
        fetched_at=item.fetched_at or observed_at,
        author=extracted.author,
        dateline=cleaned.dateline,
        wire=cleaned.wire,
        content_hash=content_hash(cleaned.text),
        raw_ref=item.raw_ref,
        verdict=verdict,
    )


def recent_story_index(session: Session, since: datetime) -> StoryIndex:
    """An index of the articles first seen since ``since``: the ones a new article may be a copy of."""
    index = StoryIndex()
    for cluster_id, text in queries.recent_article_texts(session, since):
        index.add(cluster_id, text)
    return index


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
