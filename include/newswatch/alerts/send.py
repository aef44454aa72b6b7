"""The digest and alert steps the DAGs call: has ingest covered the window, build and preview the
window's digest, send it to every recipient not yet served, and mail immediate alerts.

Recipients come from the recipients file or an Airflow Variable's text in its place, checked against the
taxonomy's topics. Delivery goes through the ledger (``deliver``), so a re-run sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from newswatch.alerts.deliver import DeliveryReport, OutboxTransport, Transport, batch, deliver_digest
from newswatch.alerts.render import render_digest
from newswatch.alerts.select import Digest, select_digest, select_immediate_alerts
from newswatch.config import RecipientsConfig, Settings, load_recipients_config
from newswatch.tagging import load_lexicon
from newswatch.warehouse.schema import FeedHealthRow, FeedItemRow, SourceRow
from newswatch.warehouse.session import plain_session, warehouse

LOGGER = logging.getLogger(__name__)


def build_digest(settings: Settings, window_start: datetime, window_end: datetime) -> Digest:
    """The digest of one window, as stored in the warehouse now, with the window's near misses for the
    recipient groups that ask for them."""
    lexicon = load_lexicon(settings.taxonomy_file)
    band = (lexicon.near_miss_threshold, lexicon.relevant_threshold)
    with warehouse(settings) as session:
        return select_digest(session, window_start, window_end, near_miss_band=band)


def preview_digest(settings: Settings, window_start: datetime, window_end: datetime) -> dict[str, Any]:
    """Render the window's digest to ``<var>/digests/<id>.html`` and ``.txt``; return its summary (with
    the sources down or late over the window, by name)."""
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
        "events": len(digest.stories),
        "articles": len(digest.article_ids),
        "preview": str(html_path),
        # The sources down or late over the window (the notice atop every copy), for the task's XCom.
        "sources": {h.source: h.describe() for h in digest.source_problems},
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


IMMEDIATE_LOOKBACK = timedelta(days=2)  # a report older than this is news for the digest, not an alert


@dataclass(frozen=True)
class AlertsReport:
    """What one run of the immediate alerts did: events alerted, mails sent, failures by
    ``<alert id>:<recipient>``. ``enabled`` is false when the recipients file turns alerts off."""

    enabled: bool
    alerts: int = 0
    sent: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The task's XCom value (no ``failed`` entry when alerts are off)."""
        if not self.enabled:
            return {"enabled": False, "alerts": 0, "sent": 0}
        return {"enabled": True, "alerts": self.alerts, "sent": self.sent, "failed": dict(self.failed)}


def send_immediate_alerts(
    settings: Settings,
    now: datetime,
    transport: Transport | None = None,
    recipients_text: str | None = None,
) -> AlertsReport:
    """Mail each recent event with a report scoring at least the recipients file's
    ``immediate.min_score`` at once.

    Called after every ingest cycle. It looks back further than one cycle (IMMEDIATE_LOOKBACK), so a
    missed cycle loses nothing; the delivery ledger (one id per event) makes each alert go out once per
    recipient however often it runs, and a later report of an event already alerted sends nothing new.
    Off unless the recipients file enables it.
    """
    config = recipients_config(settings, recipients_text)
    threshold = config.policy.immediate_min_score
    if threshold is None:
        return AlertsReport(enabled=False)
    channel: Transport = OutboxTransport(settings.outbox_dir) if transport is None else transport
    with warehouse(settings) as session:
        alerts = select_immediate_alerts(session, threshold, now - IMMEDIATE_LOOKBACK, now)
    sent = 0
    failed: dict[str, str] = {}
    with plain_session(settings) as session, batch(channel) as sender:  # one SMTP connection per cycle
        for alert in alerts:
            report = deliver_digest(
                session, alert, list(config.recipients), sender, settings.mail_from, send_empty=False
            )
            sent += len(report.sent)
            failed.update({f"{alert.digest_id}:{k}": v for k, v in report.failed.items()})
    return AlertsReport(enabled=True, alerts=len(alerts), sent=sent, failed=failed)
