"""Poll history written straight into a warehouse, as ``newswatch.ingest.poll`` records it: for the tests
of what the digest says about its sources' health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from newswatch.warehouse.schema import FeedHealthRow, FeedPollRow


def record_poll(
    session: Session,
    source: str,
    at: datetime,
    status: str = "ok",
    error: str | None = None,
    interval_minutes: float | None = None,
) -> None:
    """One poll of ``source`` at ``at`` (``ok``, ``partial``, ``not_modified``, ``unchanged`` or ``failed``)
    in ``feed_polls``; with ``interval_minutes``, also the source's adaptive interval in ``feed_health``.
    The caller commits."""
    session.add(
        FeedPollRow(
            source=source,
            started_at=at,
            finished_at=at,
            status=status,
            http_status=None if status == "failed" else 200,
            error=error,
        )
    )
    if interval_minutes is not None:
        session.merge(FeedHealthRow(source=source, interval_minutes=interval_minutes))


def polled_ok(session: Session, sources: Iterable[str], at: datetime) -> None:
    """A successful poll of each of ``sources`` at ``at``: sources the digest reads as healthy."""
    for source in sources:
        record_poll(session, source, at)
