"""What the News Monitor shows, read from the warehouse through a read-only session, as typed records.

Nothing here writes: the warehouse is opened read-only (SQLite ``mode=ro`` plus ``PRAGMA query_only``;
PostgreSQL ``default_transaction_read_only``), so a bug in the page cannot change the data the DAGs own.
Times are aware UTC; a "day" of stories is a UTC calendar day; the digest of a day is the one the
digest DAG sends at 08:00 IST that day, covering the 24 hours before.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, case, create_engine, event, func, make_url, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from newswatch.alerts.select import (
    IST,
    Digest,
    Story,
    digest_id_for,
    group_stories,
    near_miss_stories,
    select_digest,
)
from newswatch.config import Recipient
from newswatch.records import Contribution, Evidence
from newswatch.warehouse.engine import SQLITE_BUSY_TIMEOUT_MS, normalise_url
from newswatch.warehouse.labels import LabelRecord, latest_labels
from newswatch.warehouse.queries import parse_contributions, relevant_articles, strongest
from newswatch.warehouse.schema import (
    AlertDeliveryRow,
    ArticleRow,
    ArticleTagRow,
    FeedHealthRow,
    FeedPollRow,
    SourceRow,
    StoryClusterRow,
    UTCDateTime,
)

LOGGER = logging.getLogger(__name__)

SPARK_DAYS = 14  # days of daily new items drawn per source
TOP_FACTORS = 3  # features shown for, and against, a story's verdict
IN_LIST_SIZE = 500  # ids per IN (…) list
DIGEST_HOUR_IST = 8  # the digest DAG runs at 08:00 Asia/Kolkata (dags/newswatch_digest.py)
DIGEST_ID_PREFIX = digest_id_for(datetime(2000, 1, 1, tzinfo=UTC)).removesuffix("2000-01-01")
MAX_DELIVERIES = 100


# --- read-only access ----------------------------------------------------------------------------------


def existing_warehouse_engine(url: str, *, read_only: bool) -> Engine:
    """An engine on a warehouse that must already exist (a SQLite file is opened ``mode=ro`` or ``mode=rw``,
    never created), read-only (SQLite ``query_only``, PostgreSQL read-only transactions) or not."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite":
        if read_only:
            return create_engine(
                parsed, pool_pre_ping=True, connect_args={"options": "-c default_transaction_read_only=on"}
            )
        return create_engine(parsed, pool_pre_ping=True, pool_size=2, max_overflow=2)
    path = parsed.database or ""
    if path in ("", ":memory:"):
        raise ValueError("the News Monitor needs a warehouse file or server, not an in-memory SQLite database")
    mode = "ro" if read_only else "rw"
    engine = create_engine(
        f"sqlite:///file:{path}?mode={mode}&uri=true", connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    )

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # the DAGs may be writing: wait
        cursor.execute("PRAGMA query_only=ON" if read_only else "PRAGMA foreign_keys=ON")
        cursor.close()

    event.listen(engine, "connect", pragmas)
    return engine


@functools.cache
def readonly_engine(url: str) -> Engine:
    """One read-only engine per warehouse URL per process. A SQLite file must exist: none is created."""
    return existing_warehouse_engine(url, read_only=True)


@contextmanager
def read_only_session(url: str) -> Iterator[Session]:
    """A session that cannot write; whatever it did is rolled back at the end."""
    with Session(readonly_engine(url), autoflush=False) as session:
        try:
            yield session
        finally:
            session.rollback()


def _utc_day(session: Session, column: Any) -> ColumnElement[str]:
    """``YYYY-MM-DD`` of a UTC timestamp column, in SQL, on each backend."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.strftime("%Y-%m-%d", column)  # SQLite stores naive UTC text


def _aware(value: Any) -> datetime | None:
    """A timestamp from an aggregate (SQLite gives text) as aware UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- feed health ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class FeedStatus:
    """One source's feed: its state after the last poll, and what the last 24 hours of polls found."""

    source: str
    title: str
    feed_url: str
    enabled: bool
    status: str  # ok, warning, failing, never polled, disabled
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    next_poll_at: datetime | None
    http_status: int | None
    consecutive_failures: int
    last_error: str | None
    polls_24h: int
    failed_polls_24h: int
    items_24h: int  # the most items one poll saw in the feed (its size)
    new_items_24h: int
    daily_new: tuple[DayCount, ...]  # oldest first, SPARK_DAYS days ending today

    @property
    def daily_max(self) -> int:
        return max((d.count for d in self.daily_new), default=0)


def _status(enabled: bool, health: FeedHealthRow | None) -> str:
    if not enabled:
        return "disabled"
    if health is None:
        return "never polled"
    if health.consecutive_failures > 0:
        return "failing"
    return "warning" if health.last_error else "ok"


def _poll_stats(session: Session, since: datetime) -> dict[str, tuple[int, int, int, int]]:
    """Per source: polls, failed polls, most items seen, new items, since ``since``."""
    rows = session.execute(
        select(
            FeedPollRow.source,
            func.count(),
            func.sum(case((FeedPollRow.status == "failed", 1), else_=0)),
            func.max(FeedPollRow.items_seen),
            func.sum(FeedPollRow.new_items),
        )
        .where(FeedPollRow.started_at >= since)
        .group_by(FeedPollRow.source)
    )
    return {source: (polls, failed or 0, items or 0, new or 0) for source, polls, failed, items, new in rows}


def _daily_new(session: Session, today: date, days: int) -> dict[str, dict[date, int]]:
    """Per source and UTC day: new items found by the polls of the last ``days`` days up to ``today``."""
    since = datetime.combine(today - timedelta(days=days - 1), time(), tzinfo=UTC)
    day = _utc_day(session, FeedPollRow.started_at)
    rows = session.execute(
        select(FeedPollRow.source, day, func.sum(FeedPollRow.new_items))
        .where(FeedPollRow.started_at >= since)
        .group_by(FeedPollRow.source, day)
    )
    counts: dict[str, dict[date, int]] = {}
    for source, iso_day, new in rows:
        counts.setdefault(source, {})[date.fromisoformat(iso_day)] = int(new or 0)
    return counts


def feed_statuses(session: Session, now: datetime) -> list[FeedStatus]:
    """Every configured source (the warehouse's mirror of sources.yaml), failing ones first."""
    stats = _poll_stats(session, now - timedelta(hours=24))
    today = now.astimezone(UTC).date()
    daily = _daily_new(session, today, SPARK_DAYS)
    days = [today - timedelta(days=n) for n in range(SPARK_DAYS - 1, -1, -1)]
    rows = session.execute(
        select(SourceRow, FeedHealthRow).outerjoin(FeedHealthRow, FeedHealthRow.source == SourceRow.name)
    ).all()
    feeds = []
    for source, health in rows:
        polls, failed, items, new = stats.get(source.name, (0, 0, 0, 0))
        per_day = daily.get(source.name, {})
        feeds.append(
            FeedStatus(
                source=source.name,
                title=source.title or source.name,
                feed_url=source.feed_url,
                enabled=source.enabled,
                status=_status(source.enabled, health),
                last_attempt_at=health.last_attempt_at if health else None,
                last_success_at=health.last_success_at if health else None,
                next_poll_at=health.next_poll_at if health else None,
                http_status=health.http_status if health else None,
                consecutive_failures=health.consecutive_failures if health else 0,
                last_error=health.last_error if health else None,
                polls_24h=polls,
                failed_polls_24h=failed,
                items_24h=items,
                new_items_24h=new,
                daily_new=tuple(DayCount(d, per_day.get(d, 0)) for d in days),
            )
        )
    order = {"failing": 0, "warning": 1, "never polled": 2, "ok": 3, "disabled": 4}
    return sorted(feeds, key=lambda f: (order.get(f.status, 5), f.source))


# --- stories -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Another outlet's copy of a story."""

    source: str
    source_title: str
    url: str
    language: str = "en"
    published_at: datetime | None = None


@dataclass(frozen=True)
class StoryItem:
    """One story cluster of the day, told by its best article."""

    cluster_id: str
    title: str
    url: str
    source: str
    source_title: str
    published_at: datetime
    score: float
    tags: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    summary: str
    dateline: str | None
    wire: str | None
    cluster_size: int  # articles in the cluster, all days and verdicts
    cluster_sources: int
    also: tuple[Coverage, ...]  # the day's other copies in the list (relevant ones, or near misses)
    # The lead's features that weighed most for (strongest first) and against (most negative first).
    factors_for: tuple[Contribution, ...] = ()
    factors_against: tuple[Contribution, ...] = ()
    model_version: str = ""
    label: LabelRecord | None = None  # the story's latest analyst label
    language: str = "en"  # the lead's

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *(c.source for c in self.also))

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language, *(c.language for c in self.also))

    @property
    def first_published_at(self) -> datetime:
        """The earliest of the day's copies in the list (the lead is the best, not always the first)."""
        return min((self.published_at, *(c.published_at for c in self.also if c.published_at)))

    @property
    def topics(self) -> tuple[str, ...]:
        return self.tags


@dataclass(frozen=True)
class StoryDay:
    """The relevant stories of one UTC day, after the topic and source filters."""

    day: date
    start: datetime
    end: datetime
    topic: str | None
    source: str | None
    stories: tuple[StoryItem, ...]
    unfiltered: int  # stories of the day before the filters


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


def _evidence(raw: Sequence[Any]) -> tuple[Evidence, ...]:
    items = []
    for entry in raw:
        if isinstance(entry, dict) and entry.get("sentence"):
            items.append(Evidence(str(entry["sentence"]), tuple(str(t) for t in entry.get("terms") or ())))
    return tuple(items)


def _cluster_sizes(session: Session, cluster_ids: set[str]) -> dict[str, tuple[int, int]]:
    if not cluster_ids:
        return {}
    rows = session.execute(
        select(StoryClusterRow.id, StoryClusterRow.article_count, StoryClusterRow.source_count).where(
            StoryClusterRow.id.in_(cluster_ids)
        )
    )
    return {cluster_id: (articles, sources) for cluster_id, articles, sources in rows}


def _factors(raw: Sequence[Any] | None) -> tuple[tuple[Contribution, ...], tuple[Contribution, ...]]:
    """The top features for and against, from ``articles.contributions``; malformed entries are skipped."""
    stored = parse_contributions(raw)
    return tuple(strongest(stored, +1, TOP_FACTORS)), tuple(strongest(stored, -1, TOP_FACTORS))


def _chunks(values: Sequence[Any], size: int = IN_LIST_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _explanations(session: Session, article_ids: set[int]) -> dict[int, tuple[Any, str]]:
    """``{article id: (contributions, model_version)}``."""
    found: dict[int, tuple[Any, str]] = {}
    for chunk in _chunks(sorted(article_ids)):
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.contributions, ArticleRow.model_version).where(ArticleRow.id.in_(chunk))
        )
        found.update({article_id: (contributions, version or "") for article_id, contributions, version in rows})
    return found


def _story_items(session: Session, grouped: Sequence[Story]) -> list[StoryItem]:
    """The monitor's view of grouped stories: cluster sizes, the lead's explanation, the latest label."""
    sizes = _cluster_sizes(session, {s.cluster_id for s in grouped})
    explanations = _explanations(session, {s.lead.id for s in grouped})
    labels = {label.story_cluster_id: label for label in latest_labels(session, [s.cluster_id for s in grouped])}
    items = []
    for story in grouped:
        lead = story.lead
        articles, outlets = sizes.get(story.cluster_id, (1 + len(story.also), 1))
        contributions, model_version = explanations.get(lead.id, ([], ""))
        factors_for, factors_against = _factors(contributions)
        items.append(
            StoryItem(
                cluster_id=story.cluster_id,
                title=lead.title,
                url=lead.url,
                source=lead.source,
                source_title=lead.source_title,
                published_at=lead.when,
                score=lead.score,
                tags=tuple(lead.tags),
                evidence=_evidence(lead.evidence),
                summary=lead.summary,
                dateline=lead.dateline,
                wire=lead.wire,
                cluster_size=articles,
                cluster_sources=outlets,
                also=tuple(Coverage(a.source, a.source_title, a.url, a.language, a.when) for a in story.also),
                factors_for=factors_for,
                factors_against=factors_against,
                model_version=model_version,
                label=labels.get(story.cluster_id),
                language=lead.language,
            )
        )
    return items


def _story_day(day: date, items: list[StoryItem], topic: str | None, source: str | None) -> StoryDay:
    start, end = day_bounds(day)
    kept = [s for s in items if (not topic or topic in s.tags) and (not source or source in s.sources)]
    return StoryDay(day, start, end, topic or None, source or None, tuple(kept), len(items))


def stories_for_day(session: Session, day: date, topic: str | None = None, source: str | None = None) -> StoryDay:
    """The day's relevant stories, best first; ``topic`` keeps stories tagged with it, ``source`` those
    that outlet carried."""
    start, end = day_bounds(day)
    grouped = group_stories(relevant_articles(session, start, end))
    return _story_day(day, _story_items(session, grouped), topic, source)


# --- events --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventItem:
    """One real-world event of the day: the day's stories that report it (in any outlet and language),
    best first, the event told by its best report (highest score, then earliest). A story is one story
    cluster: its best article and the day's copies of it (``StoryItem.also``); its label is the story's."""

    event_id: str  # ``coalesce(articles.event_id, story_cluster_id)``: a story loaded before events is its own
    title: str  # the best report's
    url: str
    source: str
    source_title: str
    published_at: datetime  # the earliest of the event's articles in the list
    score: float  # the best report's
    tags: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    factors_for: tuple[Contribution, ...]
    factors_against: tuple[Contribution, ...]
    model_version: str
    languages: tuple[str, ...]  # of every listed article, sorted: ("en", "it")
    sources: tuple[str, ...]  # the outlets of every listed article, the best report's first
    outlet_count: int
    report_count: int  # the listed reports: one per story and outlet (as the digest lists them)
    story_count: int
    stories: tuple[StoryItem, ...]  # best first


@dataclass(frozen=True)
class EventDay:
    """The relevant events of one UTC day, after the topic and source filters."""

    day: date
    start: datetime
    end: datetime
    topic: str | None
    source: str | None
    events: tuple[EventItem, ...]
    unfiltered: int  # events of the day before the filters


def _story_events(session: Session, stories: Sequence[Story]) -> dict[str, str]:
    """``{story cluster id: event id}``: ``coalesce(event_id, story_cluster_id)`` of the story's listed
    articles, the lead's unless only a copy's names an event (a copy loaded after events existed)."""
    article_ids = sorted({a.id for s in stories for a in (s.lead, *s.also)})
    event_of: dict[int, str] = {}
    for chunk in _chunks(article_ids):
        rows = session.execute(
            select(ArticleRow.id, func.coalesce(ArticleRow.event_id, ArticleRow.story_cluster_id)).where(
                ArticleRow.id.in_(chunk)
            )
        )
        event_of.update({article_id: event_id for article_id, event_id in rows})
    events = {}
    for story in stories:
        found = (event_of.get(a.id, story.cluster_id) for a in (story.lead, *story.also))
        events[story.cluster_id] = next((e for e in found if e != story.cluster_id), story.cluster_id)
    return events


def _group_events(items: Sequence[StoryItem], event_of: dict[str, str]) -> list[EventItem]:
    """The stories grouped by event, best event first (best score to 2 places, then the newest best report)."""
    groups: dict[str, list[StoryItem]] = {}
    for item in items:
        groups.setdefault(event_of.get(item.cluster_id, item.cluster_id), []).append(item)
    events = []
    for event_id, stories in groups.items():
        stories.sort(key=lambda s: (-s.score, s.published_at, s.cluster_id))  # best report first
        best = stories[0]
        sources = tuple(dict.fromkeys(name for s in stories for name in s.sources))
        events.append(
            EventItem(
                event_id=event_id,
                title=best.title,
                url=best.url,
                source=best.source,
                source_title=best.source_title,
                published_at=min(s.first_published_at for s in stories),
                score=best.score,
                tags=best.tags,
                evidence=best.evidence,
                factors_for=best.factors_for,
                factors_against=best.factors_against,
                model_version=best.model_version,
                languages=tuple(sorted({lang for s in stories for lang in s.languages})),
                sources=sources,
                outlet_count=len(sources),
                report_count=sum(len(set(s.sources)) for s in stories),
                story_count=len(stories),
                stories=tuple(stories),
            )
        )
    events.sort(key=lambda e: (-round(e.score, 2), -e.stories[0].published_at.timestamp(), e.event_id))
    return events


def _event_matches(event: EventItem, topic: str | None, source: str | None) -> bool:
    """An event matches the filters when one of its stories does (is tagged ``topic``, ``source`` carried it)."""
    return any((not topic or topic in s.tags) and (not source or source in s.sources) for s in event.stories)


def events_for_day(session: Session, day: date, topic: str | None = None, source: str | None = None) -> EventDay:
    """The day's relevant stories grouped into events, best first; ``topic`` keeps the events one of whose
    stories is tagged with it, ``source`` those one of whose stories that outlet carried."""
    start, end = day_bounds(day)
    grouped = group_stories(relevant_articles(session, start, end))
    events = _group_events(_story_items(session, grouped), _story_events(session, grouped))
    kept = tuple(e for e in events if _event_matches(e, topic, source))
    return EventDay(day, start, end, topic or None, source or None, kept, len(events))


def near_misses_for_day(
    session: Session,
    day: date,
    near_miss: float,
    relevant: float,
    topic: str | None = None,
    source: str | None = None,
) -> StoryDay:
    """The day's near misses: stories not tagged relevant whose best score is in ``[near_miss, relevant)``
    (the taxonomy's thresholds), best first, with the same filters as :func:`stories_for_day`."""
    start, end = day_bounds(day)
    misses = near_miss_stories(session, start, end, (near_miss, relevant))
    return _story_day(day, _story_items(session, misses), topic, source)


def latest_story_day(session: Session) -> date | None:
    """The UTC day of the newest relevant article, for the page's "latest" link."""
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    newest = _aware(session.scalar(select(func.max(when, type_=UTCDateTime)).where(ArticleRow.relevant.is_(True))))
    return newest.date() if newest else None


def topic_names(session: Session) -> list[str]:
    return list(session.scalars(select(ArticleTagRow.tag).distinct().order_by(ArticleTagRow.tag)))


def source_names(session: Session) -> list[tuple[str, str]]:
    """(name, title) of every source, by name."""
    rows = session.execute(select(SourceRow.name, SourceRow.title).order_by(SourceRow.name))
    return [(name, title or name) for name, title in rows]


# --- digest and ledger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One row of the delivery ledger."""

    digest_id: str
    recipient: str
    status: str  # sending, sent, failed
    channel: str
    attempted_at: datetime
    sent_at: datetime | None
    articles: int
    message_id: str
    error: str | None

    @property
    def day(self) -> date | None:
        return digest_day(self.digest_id)


@dataclass(frozen=True)
class RecipientCopy:
    """What one recipient's copy of the digest holds after their filters."""

    email: str
    group: str
    stories: int
    filters: str
    near_misses: int = 0  # in the "Possibly relevant" section: only a group with near_misses: true has any


@dataclass(frozen=True)
class DigestHeadline:
    title: str
    url: str
    source_title: str
    score: float


@dataclass(frozen=True)
class DigestSummary:
    """The digest of one day as it would be sent now, and what the ledger says was sent."""

    digest_id: str
    day: date
    window_start: datetime
    window_end: datetime
    headlines: tuple[DigestHeadline, ...]
    articles: int
    recipients: tuple[RecipientCopy, ...]
    deliveries: tuple[Delivery, ...]

    @property
    def stories(self) -> int:
        return len(self.headlines)


def digest_window(day: date) -> tuple[datetime, datetime]:
    """The data interval of the digest sent on ``day``: the 24 hours before 08:00 IST that day."""
    end = datetime.combine(day, time(DIGEST_HOUR_IST), tzinfo=IST).astimezone(UTC)
    return end - timedelta(days=1), end


def digest_day(digest_id: str) -> date | None:
    """The day of a digest from its id (``india-italy-defence-2026-02-28``); None for another kind."""
    if not digest_id.startswith(DIGEST_ID_PREFIX):
        return None
    try:
        return date.fromisoformat(digest_id.removeprefix(DIGEST_ID_PREFIX))
    except ValueError:
        return None


def build_day_digest(session: Session, day: date, near_miss_band: tuple[float, float] | None = None) -> Digest:
    """The digest sent on ``day``, as the digest DAG would build it now. With ``near_miss_band`` (the
    taxonomy's ``(near_miss, relevant)`` thresholds, as ``alerts.send.build_digest`` passes them) it also
    carries the window's near misses, which the copies of groups with ``near_misses: true`` show."""
    start, end = digest_window(day)
    return select_digest(session, start, end, near_miss_band=near_miss_band)


def _filters(recipient: Recipient) -> str:
    parts = []
    if recipient.min_score:
        parts.append(f"score ≥ {recipient.min_score:.2f}")
    if recipient.topics:
        parts.append("topics: " + ", ".join(recipient.topics))
    if recipient.languages:
        parts.append("languages: " + ", ".join(recipient.languages))
    return "; ".join(parts) or "everything"


def _copy(digest: Digest, recipient: Recipient) -> RecipientCopy:
    """What the recipient's copy holds: the stories after their filters and, for a group that asks, near misses."""
    mine = digest.for_recipient(recipient)
    return RecipientCopy(
        recipient.email, recipient.group, len(mine.stories), _filters(recipient), len(mine.near_misses)
    )


def digest_summary(
    session: Session,
    day: date,
    recipients: Sequence[Recipient],
    near_miss_band: tuple[float, float] | None = None,
) -> DigestSummary:
    digest = build_day_digest(session, day, near_miss_band)
    copies = tuple(_copy(digest, r) for r in recipients)
    headlines = tuple(DigestHeadline(s.lead.title, s.lead.url, s.lead.source_title, s.score) for s in digest.stories)
    return DigestSummary(
        digest_id=digest.digest_id,
        day=day,
        window_start=digest.window_start,
        window_end=digest.window_end,
        headlines=headlines,
        articles=len(digest.article_ids),
        recipients=copies,
        deliveries=tuple(deliveries(session, digest_id=digest.digest_id)),
    )


def deliveries(session: Session, digest_id: str | None = None, limit: int = MAX_DELIVERIES) -> list[Delivery]:
    """The ledger, newest attempt first; only one digest's rows when ``digest_id`` is given."""
    query = select(AlertDeliveryRow).order_by(AlertDeliveryRow.attempted_at.desc(), AlertDeliveryRow.id.desc())
    if digest_id is not None:
        query = query.where(AlertDeliveryRow.digest_id == digest_id)
    return [
        Delivery(
            digest_id=row.digest_id,
            recipient=row.recipient,
            status=row.status,
            channel=row.channel,
            attempted_at=row.attempted_at,
            sent_at=row.sent_at,
            articles=len(row.article_ids or []),
            message_id=row.message_id,
            error=row.error,
        )
        for row in session.scalars(query.limit(limit))
    ]
