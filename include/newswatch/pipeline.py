"""The stage functions the DAGs call: poll a source, fetch its new pages, process fetched pages.

Each function is a transaction over the warehouse: it reads its work from there, writes its results
there, and returns a small dict of counts (what the DAG passes through XCom). Running one twice does
no harm: polled items are queued once per canonical URL, fetched pages are content-addressed, and
articles are upserted by canonical URL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from newswatch.alerts.deliver import DeliveryReport, OutboxTransport, Transport, deliver_digest
from newswatch.alerts.render import render_digest
from newswatch.alerts.select import Digest, select_digest
from newswatch.clean import clean_article_text, summarise
from newswatch.config import Settings, Source, load_recipients, load_sources
from newswatch.dedup import canonicalize_url, cluster_id_for, content_hash
from newswatch.extract import extract_article
from newswatch.feeds import FeedError, body_digest, read_feed
from newswatch.http import HttpPolicy, PoliteClient
from newswatch.rawstore import RawStore
from newswatch.records import Article, Verdict
from newswatch.tagging import classify, load_lexicon
from newswatch.warehouse import load, queries
from newswatch.warehouse.engine import create_schema, make_engine
from newswatch.warehouse.schema import ArticleRow, FeedHealthRow, FeedItemRow

LOGGER = logging.getLogger(__name__)

MAX_FETCH_ATTEMPTS = 3
FETCH_BATCH = 200
PROCESS_BATCH = 500
CLUSTER_LOOKBACK = timedelta(days=7)
TRANSIENT_STATUSES = frozenset({0, 408, 425, 429, 500, 502, 503, 504})


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
            min_host_delay_s=0.0 if source.allow_private else 1.0,
        )
    )


@dataclass
class PollOutcome:
    """What one poll of one feed found; ``failed`` with ``transient`` says whether a retry may help."""

    source: str
    status: str  # ok, partial (malformed but items recovered), not_modified, unchanged, failed
    http_status: int | None = None
    items_seen: int = 0
    new_items: int = 0
    bytes: int = 0
    duration_s: float = 0.0
    error: str | None = None
    transient: bool = False

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def poll_source(settings: Settings, name: str, observed_at: datetime) -> PollOutcome:
    """Poll one source's feed (conditional GET) and queue its unseen items; record feed health."""
    source = find_source(settings, name)
    started = time.monotonic()
    with warehouse(settings) as session:
        health = session.get(FeedHealthRow, name)
        etag, last_modified, old_hash = (
            (health.etag, health.last_modified, health.body_hash) if health else (None, None, None)
        )
        session.expunge_all()
    with http_client(settings, source) as client:
        result = client.get(source.feed_url, etag=etag, last_modified=last_modified)
    outcome = PollOutcome(source=name, status="ok", http_status=result.status or None, bytes=len(result.body))
    items = []
    new_hash = old_hash
    if result.not_modified:
        outcome.status = "not_modified"
    elif not result.ok:
        outcome.status, outcome.error = "failed", result.error
        outcome.transient = result.status in TRANSIENT_STATUSES
    else:
        new_hash = body_digest(result.body)
        if new_hash == old_hash:
            outcome.status = "unchanged"
        else:
            try:
                feed = read_feed(result.body, name, result.final_url, settings.max_items_per_feed, result.content_type)
            except FeedError as exc:
                outcome.status, outcome.error = "failed", str(exc)
                new_hash = old_hash
            else:
                items = feed.items
                if feed.warning:
                    outcome.status, outcome.error = "partial", feed.warning
    outcome.items_seen = len(items)
    with warehouse(settings) as session:
        if items:
            canonical = [canonicalize_url(i.link) for i in items]
            outcome.new_items = load.insert_new_items(session, items, canonical, observed_at)
        outcome.duration_s = round(time.monotonic() - started, 3)
        _record_poll(session, outcome, result.etag, result.last_modified, new_hash, observed_at)
    log = LOGGER.warning if outcome.failed else LOGGER.info
    log("poll %s", outcome.as_dict())
    return outcome


def _record_poll(
    session: Session,
    outcome: PollOutcome,
    etag: str | None,
    last_modified: str | None,
    body_hash: str | None,
    observed_at: datetime,
) -> None:
    previous = session.get(FeedHealthRow, outcome.source)
    if outcome.status not in ("ok", "partial", "unchanged") and previous is not None:
        # A failure or a 304 tells us nothing new about the validators: keep the ones we had.
        etag, last_modified = previous.etag, previous.last_modified
    failures = ((previous.consecutive_failures if previous else 0) + 1) if outcome.failed else 0
    last_success = observed_at if not outcome.failed else (previous.last_success_at if previous else None)
    health: dict[str, Any] = {
        "source": outcome.source,
        "last_attempt_at": observed_at,
        "last_success_at": last_success,
        "http_status": outcome.http_status,
        "consecutive_failures": failures,
        "last_error": outcome.error,
        "items_seen": outcome.items_seen,
        "new_items": outcome.new_items,
        "bytes": outcome.bytes,
        "duration_s": outcome.duration_s,
        "etag": etag,
        "last_modified": last_modified,
        "body_hash": body_hash,
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


def fetch_pages(settings: Settings, name: str, observed_at: datetime, limit: int = FETCH_BATCH) -> dict[str, int]:
    """Fetch the pages of a source's queued items into the raw store; a failed page is retried later."""
    source = find_source(settings, name)
    store = RawStore(settings.raw_store_dir)
    counts = {"queued": 0, "fetched": 0, "skipped": 0, "failed": 0}
    with warehouse(settings) as session:
        items = [(i.id, i.link, i.canonical_url) for i in queries.pending_items(session, name, "new", limit)]
        known = queries.known_article_urls(session, {url for _, _, url in items})
    counts["queued"] = len(items)
    with http_client(settings, source) as client:
        for item_id, link, canonical in items:
            if canonical in known:
                with warehouse(settings) as session:
                    load.mark_items(session, [item_id], status="skipped", error="already in the warehouse")
                counts["skipped"] += 1
                continue
            result = client.get(link, check_robots=True)
            with warehouse(settings) as session:
                if result.ok and result.body:
                    ref = store.put(result.body)
                    load.mark_items(
                        session,
                        [item_id],
                        status="fetched",
                        raw_ref=ref,
                        final_url=result.final_url,
                        fetched_at=observed_at,
                        error=None,
                    )
                    counts["fetched"] += 1
                else:
                    load.retry_or_fail_item(session, item_id, result.error or "empty body", MAX_FETCH_ATTEMPTS)
                    counts["failed"] += 1
    LOGGER.info("fetch %s %s", name, counts)
    return counts


def process_articles(settings: Settings, observed_at: datetime, limit: int = PROCESS_BATCH) -> dict[str, int]:
    """Extract, clean, de-duplicate, tag and load every fetched page (up to ``limit``)."""
    sources = {s.name: s for s in load_sources(settings.sources_file)}
    lexicon = load_lexicon(settings.taxonomy_file)
    store = RawStore(settings.raw_store_dir)
    counts = {"processed": 0, "loaded": 0, "relevant": 0, "failed": 0, "duplicates": 0}
    with warehouse(settings) as session:
        items = queries.fetched_items(session, limit)
        index = queries.recent_story_index(session, observed_at - CLUSTER_LOOKBACK)
        articles: dict[str, Article] = {}
        done: list[int] = []
        for item in items:
            counts["processed"] += 1
            source = sources.get(item.source)
            try:
                article = build_article(item, source, store, lexicon, observed_at)
            except Exception as exc:  # one bad page must not stop the batch; it is recorded on the item
                LOGGER.exception("processing %s failed", item.link)
                load.mark_items(session, [item.id], status="failed", error=f"{type(exc).__name__}: {exc}"[:1000])
                counts["failed"] += 1
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
        written = load.upsert_articles(session, list(articles.values()))
        load.write_article_details(
            session, {article_id: articles[url].verdict for url, article_id in written.items()}, lexicon.entities
        )
        load.refresh_story_clusters(session, {articles[url].story_cluster_id for url in written})
        load.mark_items(session, done, status="done")
        counts["loaded"] = len(articles)
    LOGGER.info("process %s", counts)
    return counts


def build_article(
    item: Any, source: Source | None, store: RawStore, lexicon: Any, observed_at: datetime
) -> Article | None:
    """One fetched feed item to an :class:`Article` (``None`` when the page has no article text)."""
    raw = store.get(item.raw_ref)
    url = item.final_url or item.link
    extracted = extract_article(raw, url, default_language=source.language if source else "en")
    if extracted is None:
        LOGGER.warning("no article text in %s", url)
        return None
    title = extracted.title or item.title
    cleaned = clean_article_text(extracted.text, default_wire=source.wire if source else None, title=title)
    # The feed's own date is the most trusted; the page's declarations come next.
    published, published_from = item.published_at, "feed"
    if published is None:
        published, published_from = extracted.published_at, extracted.published_from
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
    """Re-run the tagger on the articles first seen since ``since`` (after a taxonomy edit)."""
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
            ).where(ArticleRow.first_seen_at >= since)
        ).all()
        updates: list[dict[str, Any]] = []
        verdicts: dict[int, Verdict | None] = {}
        clusters: set[str] = set()
        for row in rows:
            counts["checked"] += 1
            verdict = classify(row.title, row.text, lexicon, language=row.language)
            values = load.verdict_columns(verdict)
            if (values["relevant"], values["score"], values["tags"]) == (row.relevant, row.score, list(row.tags or [])):
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
    """The digest of one window, as stored in the warehouse now."""
    with warehouse(settings) as session:
        return select_digest(session, window_start, window_end)


def preview_digest(settings: Settings, window_start: datetime, window_end: datetime) -> dict[str, Any]:
    """Render the window's digest to ``<var>/digests/<id>.html`` and ``.txt``; return its summary."""
    digest = build_digest(settings, window_start, window_end)
    rendered = render_digest(digest)
    folder = settings.var_dir / "digests"
    folder.mkdir(parents=True, exist_ok=True)
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


def send_digest(
    settings: Settings,
    window_start: datetime,
    window_end: datetime,
    transport: Transport | None = None,
    send_empty: bool = True,
) -> DeliveryReport:
    """Deliver the window's digest to every recipient not yet served (outbox when no transport)."""
    digest = build_digest(settings, window_start, window_end)
    recipients = load_recipients(settings.recipients_file)
    channel: Transport = OutboxTransport(settings.outbox_dir) if transport is None else transport
    with plain_session(settings) as session:
        return deliver_digest(session, digest, recipients, channel, settings.mail_from, send_empty=send_empty)
