"""The stage functions the DAGs call: poll a source, fetch its new pages, process fetched pages.

Each function is a transaction over the warehouse: it reads its work from there, writes its results
there, and returns a small dict of counts (what the DAG passes through XCom). Running one twice does
no harm: polled items are queued once per canonical URL, fetched pages are content-addressed, and
articles are upserted by canonical URL.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine, func, or_, select, update
from sqlalchemy.orm import Session

from newswatch.alerts.deliver import DeliveryReport, OutboxTransport, Transport, deliver_digest
from newswatch.alerts.ops import feed_failing_message
from newswatch.alerts.render import render_digest
from newswatch.alerts.select import Digest, select_digest, select_immediate_alerts
from newswatch.clean import clean_article_text, summarise
from newswatch.config import RecipientsConfig, Settings, Source, load_recipients_config, load_sources
from newswatch.dedup import canonicalize_url, cluster_id_for, content_hash
from newswatch.extract import extract_article
from newswatch.feeds import FeedError, body_digest, read_feed
from newswatch.http import HttpPolicy, PoliteClient
from newswatch.metrics import SourceRunCounts, emit_source_counts
from newswatch.rawstore import RawStore
from newswatch.records import Article, FeedItem, FetchResult, Verdict
from newswatch.schedule import schedule_after_poll
from newswatch.tagging import classify, load_lexicon
from newswatch.warehouse import labels, load, queries
from newswatch.warehouse.engine import create_schema, make_engine
from newswatch.warehouse.schema import ArticleRow, FeedHealthRow, FeedItemRow, SourceRow

LOGGER = logging.getLogger(__name__)

MAX_FETCH_ATTEMPTS = 3
FETCH_BATCH = 200
PROCESS_BATCH = 500
CLUSTER_LOOKBACK = timedelta(days=7)


@cache
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per warehouse URL per process."""
    return make_engine(url)


@contextmanager
def warehouse(settings: Settings) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with Session(engine_for(settings.warehouse_url)) as session, session.begin():
        yield session


def plain_session(settings: Settings) -> Session:
    """A session whose caller commits (for work that commits step by step, like the delivery ledger)."""
    return Session(engine_for(settings.warehouse_url))


def init_warehouse(settings: Settings) -> None:
    create_schema(engine_for(settings.warehouse_url))


def find_source(settings: Settings, name: str) -> Source:
    for source in load_sources(settings.sources_file):
        if source.name == name:
            return source
    raise KeyError(f"source {name!r} is not in {settings.sources_file}")


def sync_sources(settings: Settings) -> list[str]:
    """Mirror the sources file into the warehouse; return the names of the enabled sources."""
    sources = load_sources(settings.sources_file)
    with warehouse(settings) as session:
        load.upsert_sources(
            session,
            [
                {
                    "name": s.name,
                    "title": s.title or s.name,
                    "feed_url": s.feed_url,
                    "language": s.language,
                    "country": s.country,
                    "enabled": s.enabled,
                }
                for s in sources
            ],
        )
    return [s.name for s in sources if s.enabled]


def http_client(settings: Settings, source: Source) -> PoliteClient:
    return PoliteClient(
        HttpPolicy(
            user_agent=settings.user_agent,
            timeout_s=settings.http_timeout_s,
            max_bytes=settings.max_response_bytes,
            allow_private=source.allow_private,
            # Sources on our own machine (tests, demo, benchmarks) need no pause between requests.
            min_host_delay_s=0.0 if source.allow_private else 1.0,
            connect_timeout_s=min(10.0, settings.http_timeout_s),
            per_host_concurrency=settings.per_host_concurrency,
        )
    )


@dataclass
class PollOutcome:
    """What one poll of one feed found; ``failed`` with ``transient`` says whether a retry may help."""

    source: str
    status: str  # ok, partial (malformed but items recovered), not_modified, unchanged, failed, not_due
    http_status: int | None = None
    items_seen: int = 0
    new_items: int = 0
    updated_items: int = 0
    bytes: int = 0
    duration_s: float = 0.0
    error: str | None = None
    transient: bool = False

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def poll_source(
    settings: Settings,
    name: str,
    observed_at: datetime,
    force: bool = False,
    notifier: Transport | None = None,
) -> PollOutcome:
    """Poll one source's feed (conditional GET) and queue its unseen or updated items; record feed health.

    A source is skipped (status ``not_due``, no request) until its adaptive schedule says it is due,
    unless ``force``. When it has failed ``failure_alert_after`` polls in a row, ops are mailed once
    (through ``notifier``, else the outbox) until it recovers.
    """
    source = find_source(settings, name)
    started = time.monotonic()
    with warehouse(settings) as session:
        health = session.get(FeedHealthRow, name)
        previous = _HealthSnapshot.of(health)
    if not force and previous.next_poll_at is not None and previous.next_poll_at > observed_at:
        LOGGER.info("poll %s: not due until %s", name, previous.next_poll_at.isoformat())
        return PollOutcome(source=name, status="not_due")
    with http_client(settings, source) as client:
        result = client.get(source.feed_url, etag=previous.etag, last_modified=previous.last_modified)
    outcome = PollOutcome(source=name, status="ok", http_status=result.status or None, bytes=len(result.body))
    items: list[FeedItem] = []
    new_hash = previous.body_hash
    if result.not_modified:
        outcome.status = "not_modified"
    elif not result.ok:
        outcome.status, outcome.error = "failed", result.error
        outcome.transient = result.transient
    else:
        new_hash = body_digest(result.body)
        if new_hash == previous.body_hash:
            outcome.status = "unchanged"  # a server whose validators lie: the body says nothing changed
        else:
            try:
                feed = read_feed(result.body, name, result.final_url, settings.max_items_per_feed, result.content_type)
            except FeedError as exc:
                outcome.status, outcome.error = "failed", str(exc)
                new_hash = previous.body_hash
            else:
                items = feed.items
                if feed.warning:
                    outcome.status, outcome.error = "partial", feed.warning
    outcome.items_seen = len(items)
    with warehouse(settings) as session:
        if items:
            canonical = [canonicalize_url(i.link) for i in items]
            outcome.new_items = load.insert_new_items(session, items, canonical, observed_at)
            outcome.updated_items = load.requeue_updated_items(session, items, canonical)
        outcome.duration_s = round(time.monotonic() - started, 3)
        alert_due = _record_poll(session, settings, source, outcome, result, new_hash, observed_at, previous)
    if alert_due and _alert_ops(settings, source, outcome, previous, observed_at, notifier):
        # Recorded only once sent: an alert that could not go out is tried again at the next failure.
        with warehouse(settings) as session:
            session.execute(update(FeedHealthRow).where(FeedHealthRow.source == name).values(alerted_at=observed_at))
    log = LOGGER.warning if outcome.failed else LOGGER.info
    log("poll %s", outcome.as_dict())
    return outcome


@dataclass(frozen=True)
class _HealthSnapshot:
    """What the last poll left in feed_health, read before this poll."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    interval_minutes: float | None = None
    next_poll_at: datetime | None = None
    consecutive_failures: int = 0
    last_success_at: datetime | None = None
    last_new_item_at: datetime | None = None
    alerted_at: datetime | None = None
    last_error: str | None = None

    @classmethod
    def of(cls, row: FeedHealthRow | None) -> _HealthSnapshot:
        if row is None:
            return cls()
        return cls(**{f: getattr(row, f) for f in cls.__dataclass_fields__})


def _same_body_as_last(outcome: PollOutcome, previous: _HealthSnapshot) -> bool:
    """The feed did not change since a poll that read it (not since a failure, which read nothing)."""
    return outcome.status in ("unchanged", "not_modified") and previous.consecutive_failures == 0


def _record_poll(
    session: Session,
    settings: Settings,
    source: Source,
    outcome: PollOutcome,
    result: FetchResult,
    body_hash: str | None,
    observed_at: datetime,
    previous: _HealthSnapshot,
) -> bool:
    """Write the poll to feed_polls and feed_health; return whether ops should be alerted now."""
    etag, last_modified = result.etag, result.last_modified
    if outcome.status not in ("ok", "partial", "unchanged"):
        # A failure or a 304 tells us nothing new about the validators: keep the ones we had.
        etag, last_modified = previous.etag, previous.last_modified
    failures = previous.consecutive_failures + 1 if outcome.failed else 0
    schedule = schedule_after_poll(
        observed_at,
        previous.interval_minutes or float(source.poll_interval_minutes),
        succeeded=not outcome.failed,
        new_items=outcome.new_items,
        consecutive_failures=failures,
        retry_after_s=result.retry_after_s,
    )
    alert_due = outcome.failed and failures >= settings.failure_alert_after and previous.alerted_at is None
    health: dict[str, Any] = {
        "source": outcome.source,
        "last_attempt_at": observed_at,
        "last_success_at": previous.last_success_at if outcome.failed else observed_at,
        "http_status": outcome.http_status,
        "consecutive_failures": failures,
        # An unchanged body (304, or the same bytes) still has the warning of the poll that read it: a
        # malformed feed must not look healthy just because it did not change.
        "last_error": previous.last_error if _same_body_as_last(outcome, previous) else outcome.error,
        "items_seen": outcome.items_seen,
        "new_items": outcome.new_items,
        "bytes": outcome.bytes,
        "duration_s": outcome.duration_s,
        "etag": etag,
        "last_modified": last_modified,
        "body_hash": body_hash,
        "interval_minutes": schedule.interval_minutes,
        "next_poll_at": schedule.next_poll_at,
        "last_new_item_at": observed_at if outcome.new_items else previous.last_new_item_at,
        # Set (after sending) once per run of failures; cleared by the first success, so a later run of
        # failures alerts again.
        "alerted_at": previous.alerted_at if outcome.failed else None,
    }
    poll = {
        "source": outcome.source,
        "started_at": observed_at,
        "finished_at": observed_at + timedelta(seconds=outcome.duration_s),
        "status": outcome.status,
        "http_status": outcome.http_status,
        "items_seen": outcome.items_seen,
        "new_items": outcome.new_items,
        "bytes": outcome.bytes,
        "error": outcome.error,
    }
    load.record_poll(session, poll, health)
    return alert_due


def _alert_ops(
    settings: Settings,
    source: Source,
    outcome: PollOutcome,
    previous: _HealthSnapshot,
    observed_at: datetime,
    notifier: Transport | None,
) -> bool:
    """Mail ops that the source keeps failing; return whether the mail went out."""
    message = feed_failing_message(
        source.name,
        source.feed_url,
        previous.consecutive_failures + 1,
        outcome.error,
        previous.last_success_at,
        observed_at,
        settings.mail_from,
        settings.ops_email,
    )
    transport: Transport = notifier if notifier is not None else OutboxTransport(settings.outbox_dir / "ops")
    try:
        transport.send(message, settings.ops_email)
    except (OSError, smtplib.SMTPException) as exc:
        # The poll itself is recorded; a lost alert must not turn a feed problem into a task crash.
        LOGGER.error("could not alert ops about source %s: %s", source.name, exc)
        return False
    LOGGER.warning(
        "alerted %s: source %s failing %d polls in a row",
        settings.ops_email,
        source.name,
        previous.consecutive_failures + 1,
    )
    return True


def fetch_pages(settings: Settings, name: str, observed_at: datetime, limit: int = FETCH_BATCH) -> dict[str, int]:
    """Fetch the pages of a source's queued items into the raw store; a failed page is retried later.

    Pages are fetched by a few threads at once (``fetch_workers``), at most ``per_host_concurrency``
    at a time per host, with robots.txt obeyed and a pause between requests to one host; results are
    written to the warehouse as they arrive, so a crash loses at most the pages in flight.
    """
    source = find_source(settings, name)
    store = RawStore(settings.raw_store_dir)
    counts = {"queued": 0, "fetched": 0, "skipped": 0, "failed": 0}
    with warehouse(settings) as session:
        items = [
            (i.id, i.link, i.canonical_url, i.fetched_at is not None)
            for i in queries.pending_items(session, name, "new", limit)
        ]
        known = queries.known_article_urls(session, {url for _, _, url, _ in items})
    counts["queued"] = len(items)
    # A page another source already brought in is not fetched again; an updated entry of ours is.
    duplicates = [item_id for item_id, _, url, refetch in items if url in known and not refetch]
    wanted = [(item_id, link) for item_id, link, url, refetch in items if url not in known or refetch]
    if duplicates:
        with warehouse(settings) as session:
            load.mark_items(session, duplicates, status="skipped", error="already in the warehouse")
        counts["skipped"] = len(duplicates)

    def fetch(item: tuple[int, str]) -> tuple[int, FetchResult, str | None]:
        result = client.get(item[1], check_robots=True)
        ref = store.put(result.body) if result.ok and result.body else None
        return item[0], result, ref

    if not wanted:
        LOGGER.info("fetch %s %s", name, counts)
        return counts
    with http_client(settings, source) as client, ThreadPoolExecutor(max(1, settings.fetch_workers)) as pool:
        for item_id, result, ref in pool.map(fetch, wanted):
            with warehouse(settings) as session:
                if ref is not None:
                    load.mark_items(
                        session,
                        [item_id],
                        status="fetched",
                        raw_ref=ref,
                        final_url=result.final_url,
                        fetched_at=observed_at,
                        content_type=result.content_type[:200] or None,
                        error=None,
                    )
                    counts["fetched"] += 1
                else:
                    # A page robots.txt forbids, or one we refuse, will not change its answer: give up
                    # at once; a timeout or a 5xx is tried again in later runs, a bounded number of times.
                    attempts = MAX_FETCH_ATTEMPTS if (result.error and not result.transient) else 1
                    load.retry_or_fail_item(
                        session, item_id, result.error or "empty body", MAX_FETCH_ATTEMPTS, attempts
                    )
                    counts["failed"] += 1
    LOGGER.info("fetch %s %s", name, counts)
    return counts


def _apply_labels(session: Session, articles: list[Article]) -> None:
    """Let the analysts' labels of the articles' stories stand over the tagger's decisions."""
    overrides = labels.label_overrides(session, {a.story_cluster_id for a in articles})
    for article in articles:
        if article.verdict is not None and article.story_cluster_id in overrides:
            article.verdict = labels.with_label(article.verdict, overrides[article.story_cluster_id])


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
    store = RawStore(settings.raw_store_dir)
    counts = {"processed": 0, "loaded": 0, "relevant": 0, "failed": 0, "duplicates": 0}
    with warehouse(settings) as session:
        items = queries.fetched_items(session, limit)
        index = queries.recent_story_index(session, observed_at - CLUSTER_LOOKBACK)
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
        _apply_labels(session, list(articles.values()))
        written = load.upsert_articles(session, list(articles.values()))
        load.write_article_details(
            session, {article_id: articles[url].verdict for url, article_id in written.items()}, lexicon.entities
        )
        load.refresh_story_clusters(session, {articles[url].story_cluster_id for url in written})
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
    item: Any, source: Source | None, store: RawStore, lexicon: Any, observed_at: datetime
) -> Article | None:
    """One fetched feed item to an :class:`Article` (``None`` when the page has no article text)."""
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


def retag_articles(settings: Settings, since: datetime, batch: int = 1_000) -> dict[str, int]:
    """Re-run the tagger on the articles first seen since ``since`` (after a taxonomy edit or a new model);
    the analysts' labels stand over its decisions. An article is rewritten when its decision, score, tags
    or model version change (so a new model's explanations reach every re-tagged row)."""
    lexicon = load_lexicon(settings.taxonomy_file)
    counts = {"checked": 0, "changed": 0, "now_relevant": 0, "no_longer_relevant": 0}
    with warehouse(settings) as session:
        rows = session.execute(
            select(
                ArticleRow.id,
                ArticleRow.story_cluster_id,
                ArticleRow.title,
                ArticleRow.text,
                ArticleRow.language,
                ArticleRow.relevant,
                ArticleRow.score,
                ArticleRow.tags,
                ArticleRow.model_version,
            ).where(ArticleRow.first_seen_at >= since)
        ).all()
        overrides = labels.label_overrides(session, {row.story_cluster_id for row in rows})
        updates: list[dict[str, Any]] = []
        verdicts: dict[int, Verdict | None] = {}
        clusters: set[str] = set()
        for row in rows:
            counts["checked"] += 1
            verdict = classify(row.title, row.text, lexicon, language=row.language)
            verdict = labels.with_label(verdict, overrides.get(row.story_cluster_id))
            values = load.verdict_columns(verdict)
            before = (row.relevant, row.score, list(row.tags or []), row.model_version)
            if (values["relevant"], values["score"], values["tags"], values["model_version"]) == before:
                continue
            counts["changed"] += 1
            counts["now_relevant"] += verdict.relevant and not row.relevant
            counts["no_longer_relevant"] += row.relevant and not verdict.relevant
            updates.append({"id": row.id, **values})
            verdicts[row.id] = verdict
            clusters.add(row.story_cluster_id)
        for start in range(0, len(updates), batch):
            session.execute(update(ArticleRow), updates[start : start + batch])
        load.write_article_details(session, verdicts, lexicon.entities)
        load.refresh_story_clusters(session, clusters)
    LOGGER.info("retag since %s: %s", since.isoformat(), counts)
    return counts


def prune_raw_store(settings: Settings, cutoff: datetime) -> dict[str, int]:
    """Delete raw pages fetched before ``cutoff`` that nothing newer needs; article rows are kept.

    A page still queued for processing, or fetched again after the cutoff (same bytes, same
    reference), stays. The pruned articles' ``raw_ref`` is cleared so it never points at nothing.
    """
    store = RawStore(settings.raw_store_dir)
    with warehouse(settings) as session:
        old = set(
            session.scalars(
                select(ArticleRow.raw_ref).where(ArticleRow.fetched_at < cutoff, ArticleRow.raw_ref.is_not(None))
            )
        ) | set(
            # Pages that produced no article (no text, failed, duplicate) are found through their items.
            session.scalars(
                select(FeedItemRow.raw_ref).where(
                    FeedItemRow.fetched_at < cutoff,
                    FeedItemRow.raw_ref.is_not(None),
                    FeedItemRow.status != "fetched",
                )
            )
        )
        keep = set(
            session.scalars(
                select(ArticleRow.raw_ref).where(ArticleRow.fetched_at >= cutoff, ArticleRow.raw_ref.is_not(None))
            )
        ) | set(
            session.scalars(
                select(FeedItemRow.raw_ref).where(
                    FeedItemRow.raw_ref.is_not(None),
                    or_(FeedItemRow.status == "fetched", FeedItemRow.fetched_at >= cutoff),
                )
            )
        )
        doomed = sorted(r for r in old - keep if r)
        freed = sum(store.delete(ref) for ref in doomed)
        unlinked = 0
        for start in range(0, len(doomed), 1_000):
            chunk = doomed[start : start + 1_000]
            result = session.execute(update(ArticleRow).where(ArticleRow.raw_ref.in_(chunk)).values(raw_ref=None))
            unlinked += result.rowcount or 0  # type: ignore[attr-defined]
            session.execute(update(FeedItemRow).where(FeedItemRow.raw_ref.in_(chunk)).values(raw_ref=None))
    counts = {"pages_deleted": len(doomed), "bytes_freed": freed, "articles_unlinked": unlinked}
    LOGGER.info("prune raw store before %s: %s", cutoff.isoformat(), counts)
    return counts


def day_from_dateline(month_day: tuple[int, int], seen_at: datetime) -> datetime | None:
    """The dateline's day (midnight UTC) in the year that puts it closest before ``seen_at``:
    a dateline has no year, and a story is not published after it is first seen."""
    month, day = month_day
    for year in (seen_at.year, seen_at.year - 1):
        try:
            candidate = datetime(year, month, day, tzinfo=UTC)
        except ValueError:  # 29 February of a common year
            continue
        if candidate <= seen_at + timedelta(days=1):
            return candidate
    return None


def run_ingest(settings: Settings, observed_at: datetime) -> dict[str, Any]:
    """The whole ingest in-process, source after source (for the CLI and tests; the DAG maps it)."""
    init_warehouse(settings)
    summary: dict[str, Any] = {"sources": {}, "process": {}}
    for name in sync_sources(settings):
        outcome = poll_source(settings, name, observed_at)
        fetched = fetch_pages(settings, name, observed_at)
        summary["sources"][name] = {**outcome.as_dict(), **fetched}
    summary["process"] = process_articles(settings, observed_at)
    return summary


def build_digest(settings: Settings, window_start: datetime, window_end: datetime) -> Digest:
    """The digest of one window, as stored in the warehouse now, with the window's near misses for the
    recipient groups that ask for them."""
    lexicon = load_lexicon(settings.taxonomy_file)
    band = (lexicon.near_miss_threshold, lexicon.relevant_threshold)
    with warehouse(settings) as session:
        return select_digest(session, window_start, window_end, near_miss_band=band)


def preview_digest(settings: Settings, window_start: datetime, window_end: datetime) -> dict[str, Any]:
    """Render the window's digest to ``<var>/digests/<id>.html`` and ``.txt``; return its summary."""
    digest = build_digest(settings, window_start, window_end)
    rendered = render_digest(digest, chart_src=f"{digest.digest_id}.png")
    folder = settings.var_dir / "digests"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{digest.digest_id}.png").write_bytes(rendered.chart_png)
    html_path = folder / f"{digest.digest_id}.html"
    html_path.write_text(rendered.html, encoding="utf-8")
    (folder / f"{digest.digest_id}.txt").write_text(rendered.text, encoding="utf-8")
    return {
        "digest_id": digest.digest_id,
        "subject": rendered.subject,
        "stories": len(digest.stories),
        "articles": len(digest.article_ids),
        "preview": str(html_path),
    }


def recipients_config(settings: Settings, text: str | None = None) -> RecipientsConfig:
    """The recipients file (or ``text``, an Airflow Variable's value, in its place), topics checked
    against the taxonomy so that a misspelt topic fails loudly instead of filtering out everything."""
    return load_recipients_config(settings.recipients_file, load_lexicon(settings.taxonomy_file).topics, text)


def send_digest(
    settings: Settings,
    window_start: datetime,
    window_end: datetime,
    transport: Transport | None = None,
    recipients_text: str | None = None,
) -> DeliveryReport:
    """Deliver the window's digest to every recipient not yet served (outbox when no transport)."""
    config = recipients_config(settings, recipients_text)
    digest = build_digest(settings, window_start, window_end)
    channel: Transport = OutboxTransport(settings.outbox_dir) if transport is None else transport
    with plain_session(settings) as session:
        return deliver_digest(
            session, digest, list(config.recipients), channel, settings.mail_from, send_empty=config.policy.send_empty
        )


@dataclass(frozen=True)
class IngestCoverage:
    """Whether the warehouse holds everything published before a time: what the digest waits for."""

    covered: bool
    lagging_sources: tuple[str, ...]
    backlog: int

    def describe(self) -> str:
        if self.covered:
            return "ingest covers the window"
        lagging = ", ".join(self.lagging_sources[:10]) + (" …" if len(self.lagging_sources) > 10 else "")
        return (
            f"waiting for ingest: {len(self.lagging_sources)} source(s) not polled since ({lagging}); "
            f"{self.backlog} page(s) queued"
        )


def ingest_coverage(settings: Settings, until: datetime) -> IngestCoverage:
    """Has ingest caught up with ``until`` (the digest window's end)?

    A source is caught up when it was polled at or after ``until``, or when its next poll was not due
    before ``until`` (a slow feed polled daily is not waited for). Failing sources count as caught up
    once attempted: the digest must not wait on a dead feed. Pages queued or fetched before ``until``
    but not yet processed are the backlog, and must be loaded first.
    """
    with warehouse(settings) as session:
        rows = session.execute(
            select(SourceRow.name, FeedHealthRow.last_attempt_at, FeedHealthRow.next_poll_at)
            .outerjoin(FeedHealthRow, FeedHealthRow.source == SourceRow.name)
            .where(SourceRow.enabled.is_(True))
            .order_by(SourceRow.name)
        ).all()
        lagging = tuple(
            name
            for name, attempted, next_poll in rows
            if (attempted is None or attempted < until) and (next_poll is None or next_poll <= until)
        )
        backlog = session.scalar(
            select(func.count())
            .select_from(FeedItemRow)
            .where(
                or_(
                    (FeedItemRow.status == "fetched") & (FeedItemRow.fetched_at < until),
                    (FeedItemRow.status == "new") & (FeedItemRow.attempts == 0) & (FeedItemRow.first_seen_at < until),
                )
            )
        )
    coverage = IngestCoverage(not lagging and not backlog, lagging, int(backlog or 0))
    LOGGER.info("until %s: %s", until.isoformat(), coverage.describe())
    return coverage


IMMEDIATE_LOOKBACK = timedelta(days=2)  # a story older than this is news for the digest, not an alert


def send_immediate_alerts(
    settings: Settings,
    now: datetime,
    transport: Transport | None = None,
    recipients_text: str | None = None,
) -> dict[str, Any]:
    """Mail each recent story scoring at least the recipients file's ``immediate.min_score`` at once.

    Called after every ingest cycle. It looks back further than one cycle (IMMEDIATE_LOOKBACK), so a
    missed cycle loses nothing; the delivery ledger (one id per story cluster) makes each alert go out
    once per recipient however often it runs. Off unless the recipients file enables it.
    """
    config = recipients_config(settings, recipients_text)
    threshold = config.policy.immediate_min_score
    if threshold is None:
        return {"enabled": False, "alerts": 0, "sent": 0}
    channel: Transport = OutboxTransport(settings.outbox_dir) if transport is None else transport
    with warehouse(settings) as session:
        alerts = select_immediate_alerts(session, threshold, now - IMMEDIATE_LOOKBACK, now)
    sent = 0
    failed: dict[str, str] = {}
    with plain_session(settings) as session:
        for alert in alerts:
            report = deliver_digest(
                session, alert, list(config.recipients), channel, settings.mail_from, send_empty=False
            )
            sent += len(report.sent)
            failed.update({f"{alert.digest_id}:{k}": v for k, v in report.failed.items()})
    return {"enabled": True, "alerts": len(alerts), "sent": sent, "failed": failed}


