"""The poll step: a source's feed, fetched with a conditional GET when it is due, into the ``feed_items``
queue; the poll recorded in ``feed_polls`` and ``feed_health`` (validators, body hash, adaptive
schedule); ops mailed once when a feed keeps failing.

Running it twice does no harm: items are queued once per canonical URL.

A failing source is never reported as fine. A poll that fails is ``failed``; on a later run, while the
source waits out its backoff, it is ``still_failing`` (no request, the last error, when the failure
began and when the next attempt is), not ``not_due``. The ingest DAG fails the poll task on both, so
a failing source is a red square on every run. Its retry is the source's own backoff
(``newswatch.ingest.schedule``), not Airflow's: the poll task has no Airflow retries, because a retry
moments later would either find the source "not due" and go green, or, made to poll anyway, ignore the
backoff and a server's ``Retry-After``; and every real attempt counts in ``consecutive_failures``.
``force`` (the DAG's ``force`` param, ``newswatch ingest --force``, a poll task cleared by hand) polls
now whatever the schedule, except a source whose server last answered 429 Too Many Requests and has not
yet let us back in.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from newswatch.alerts.deliver import OutboxTransport, Transport
from newswatch.alerts.ops import feed_failing_message
from newswatch.config import Settings, Source, load_sources
from newswatch.dedup import canonicalize_url
from newswatch.ingest.feeds import FeedError, body_digest, read_feed
from newswatch.ingest.http import HttpPolicy, PoliteClient
from newswatch.ingest.schedule import schedule_after_poll
from newswatch.records import FeedItem, FetchResult
from newswatch.warehouse import load
from newswatch.warehouse.schema import FeedHealthRow, FeedPollRow
from newswatch.warehouse.session import warehouse

LOGGER = logging.getLogger(__name__)


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
            # The source's own pacing setting (sources.yaml: host_delay_seconds, 1 s unless it says otherwise).
            min_host_delay_s=source.host_delay_seconds,
            connect_timeout_s=min(10.0, settings.http_timeout_s),
            per_host_concurrency=settings.per_host_concurrency,
        )
    )


@dataclass
class PollOutcome:
    """What one poll of one feed found; ``failed`` with ``transient`` says whether a retry may help.

    ``failing`` is what ops must see red: a poll that failed now, or a source still failing from an
    earlier poll and waiting out its backoff (``still_failing``: no request made, ``error`` says since
    when, the last error and the next attempt).
    """

    source: str
    # ok, partial (malformed but items recovered), not_modified, unchanged, failed, not_due, still_failing
    status: str
    http_status: int | None = None
    items_seen: int = 0
    new_items: int = 0
    updated_items: int = 0
    bytes: int = 0
    duration_s: float = 0.0
    error: str | None = None
    transient: bool = False
    consecutive_failures: int = 0  # failed polls in a row, this one included
    next_poll_at: str | None = None  # ISO 8601, UTC: when the source is due again

    @property
    def failed(self) -> bool:
        """This poll was made and failed."""
        return self.status == "failed"

    @property
    def failing(self) -> bool:
        """The source is failing: this poll failed, or the last one did and it waits out its backoff."""
        return self.status in ("failed", "still_failing")

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

    A source is skipped (no request) until its adaptive schedule says it is due, unless ``force``:
    ``not_due`` when it is healthy, ``still_failing`` when its last poll failed (nothing is recorded:
    only real attempts count). ``force`` does not override a server's 429 Too Many Requests until its
    wait is over. When it has failed ``failure_alert_after`` polls in a row, ops are mailed once
    (through ``notifier``, else the outbox) until it recovers.
    """
    source = find_source(settings, name)
    started = time.monotonic()
    with warehouse(settings) as session:
        health = session.get(FeedHealthRow, name)
        previous = _HealthSnapshot.of(health)
        waiting = _must_wait(previous, observed_at, force)
        if waiting and previous.consecutive_failures:
            return _still_failing(session, name, previous)
    if waiting:
        assert previous.next_poll_at is not None
        LOGGER.info("poll %s: not due until %s", name, previous.next_poll_at.isoformat())
        return PollOutcome(source=name, status="not_due", next_poll_at=previous.next_poll_at.isoformat())
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


def _must_wait(previous: _HealthSnapshot, observed_at: datetime, force: bool) -> bool:
    """The source is not to be polled at ``observed_at``: not due yet, and not forced (or forced, but the
    server asked us to slow down with a 429 and its wait is not over)."""
    if previous.next_poll_at is None or previous.next_poll_at <= observed_at:
        return False
    if not force:
        return True
    return previous.consecutive_failures > 0 and previous.http_status == 429


def _still_failing(session: Session, name: str, previous: _HealthSnapshot) -> PollOutcome:
    """The outcome of a run that finds the source failing and waiting out its backoff: no request,
    nothing recorded, the failure described for the task log and the grid."""
    assert previous.next_poll_at is not None
    since = _failing_since(session, name, previous)
    n = previous.consecutive_failures
    error = (
        f"still failing since {_when(since)} ({n} failed poll{'s' if n != 1 else ''} in a row), "
        f"next attempt at {_when(previous.next_poll_at)}"
    )
    if previous.http_status == 429:
        error += " (the server answered 429 Too Many Requests: not polled before then, even when forced)"
    if previous.last_error:
        error += f"; last error: {previous.last_error}"
    LOGGER.warning("poll %s: %s", name, error)
    return PollOutcome(
        source=name,
        status="still_failing",
        http_status=previous.http_status,
        error=error,
        consecutive_failures=n,
        next_poll_at=previous.next_poll_at.isoformat(),
    )


def _failing_since(session: Session, name: str, previous: _HealthSnapshot) -> datetime | None:
    """When the current run of failures began: the first failed poll after the last success."""
    query = select(func.min(FeedPollRow.started_at)).where(FeedPollRow.source == name, FeedPollRow.status == "failed")
    if previous.last_success_at is not None:
        query = query.where(FeedPollRow.started_at > previous.last_success_at)
    first: datetime | None = session.scalar(query)
    return first or previous.last_attempt_at


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "an unknown time"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


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
    last_attempt_at: datetime | None = None
    http_status: int | None = None

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
    outcome.consecutive_failures = failures
    outcome.next_poll_at = schedule.next_poll_at.isoformat()
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
