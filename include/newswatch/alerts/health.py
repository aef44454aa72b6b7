"""Were the sources being read? The health of each enabled source over a digest's window, so that a digest
says which sources were down or late (and since when) instead of passing a blind day off as a quiet one.

A digest covers the window ``[start, end)`` of its DAG run; a source's health is judged as of that window's
close, from the poll history (``feed_polls``), never from the clock. The window closes, for a source, at
its *closing poll*: its first poll at or after the window's end (the poll ``wait_for_ingest`` waits for: it
collects what was published up to the end), or, when it has not been polled since, its latest poll
before the end. Then:

- **down**: the closing poll failed. Since: the first failed poll after its last successful one.
- **down, recovered**: the closing poll succeeded, but only after failing for longer than the source's
  late limit (below): the window may have lost what dropped off the feed meanwhile.
- **late**: no successful poll for longer than its late limit: its latest poll, before the window's end,
  succeeded that long before it (not polled since), or the closing poll came that long after the
  previous success (not polled meanwhile, or failing only lately); or never polled at all.

A source polled for the first time after the window (a new source, a backfill, the offline demo) is not
late: its first poll read the feed whole. Which sources: the warehouse's enabled ones (``sources``, the
mirror of sources.yaml that ingest and ``wait_for_ingest`` use too).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, literal, or_, select
from sqlalchemy.orm import Session

from newswatch.warehouse.schema import FeedHealthRow, FeedPollRow, SourceRow, UTCDateTime

IST = ZoneInfo("Asia/Kolkata")
ROME = ZoneInfo("Europe/Rome")

# Late after max(3 × the source's poll interval, 6 h) without a successful poll. The schedule polls a
# healthy source one interval after its last success (plus the ingest DAG's 10-minute cadence), so three
# intervals is two polls missed in a row, not a scheduler hiccup. The interval is the adaptive one in
# feed_health (a quiet feed drifts up to 24 h between polls, so a fixed 30 minutes would cry wolf every
# day); it is today's value, the only one stored, and changes by at most ×1.5 per poll. The 6-hour floor:
# a feed polled every 10–30 minutes holds hours of items, so a shorter gap loses nothing and a daily
# digest should not flag it.
LATE_INTERVALS = 3
LATE_FLOOR = timedelta(hours=6)
DEFAULT_INTERVAL_MINUTES = 30.0  # config.Source's default: a source with no interval on record yet
ERROR_CHARS = 120  # the last error "in a few words": one line, cut here


def late_after(interval_minutes: float | None) -> timedelta:
    """How long a source may go without a successful poll before it counts as late."""
    interval = timedelta(minutes=interval_minutes or DEFAULT_INTERVAL_MINUTES)
    return max(LATE_INTERVALS * interval, LATE_FLOOR)


def ist_and_rome(moment: datetime) -> str:
    """``01 Mar 2026 11:30 IST · 07:00 CET Rome``: a time as the digest gives its stories' times."""
    return f"{moment.astimezone(IST):%d %b %Y %H:%M} IST · {moment.astimezone(ROME):%H:%M %Z} Rome"


@dataclass(frozen=True)
class SourceHealth:
    """An enabled source that was down or late over a digest's window."""

    source: str
    title: str
    state: str  # "down" or "late"
    # down: its first failed poll after the last success; late: its last successful poll (None: never
    # polled).
    since: datetime | None
    until: datetime | None = None  # when it recovered, at its closing poll after the window; None: not since
    failures: int = 0  # failed polls in that run
    error: str | None = None  # the last failed poll's error, as the poll recorded it (untrusted text)

    @property
    def short_error(self) -> str:
        """The last error in a few words: its first line, whitespace collapsed, at most ERROR_CHARS."""
        lines = (self.error or "").strip().splitlines()
        text = " ".join(lines[0].split()) if lines else ""
        return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1].rstrip() + "…"

    def describe(self) -> str:
        """What happened, in IST and Rome time: ``down since 01 Mar 2026 11:30 IST · 07:00 CET Rome
        (2 failed polls in a row)``, ``late, no successful poll since …``, ``never polled``."""
        if self.state == "down":
            polls = f"{self.failures} failed poll{'s' if self.failures != 1 else ''}"
            if self.since is None:
                return f"down ({polls})"
            if self.until is None:
                return f"down since {ist_and_rome(self.since)} ({polls} in a row)"
            return f"down from {ist_and_rome(self.since)} until {ist_and_rome(self.until)} ({polls})"
        if self.since is None:
            return "never polled"
        if self.until is None:
            return f"late, no successful poll since {ist_and_rome(self.since)}"
        return f"late, no successful poll from {ist_and_rome(self.since)} until {ist_and_rome(self.until)}"


@dataclass(frozen=True)
class SourcesHealth:
    """The enabled sources of a window: how many, and those down or late (down first, then by title)."""

    watched: int = 0
    problems: tuple[SourceHealth, ...] = ()


def _per_source(times: Mapping[str, datetime]) -> ColumnElement[datetime]:
    """Each poll's source's time in ``times``, as an SQL expression (NULL for a source not in it)."""
    return case({name: literal(at, UTCDateTime()) for name, at in times.items()}, value=FeedPollRow.source)


def _polls_at(session: Session, times: Mapping[str, datetime]) -> dict[str, tuple[str, str | None]]:
    """(status, error) of each source's poll at its time in ``times`` (the latest recorded, on a tie)."""
    if not times:
        return {}
    rows = session.execute(
        select(FeedPollRow.source, FeedPollRow.status, FeedPollRow.error)
        .where(FeedPollRow.source.in_(list(times)), FeedPollRow.started_at == _per_source(times))
        .order_by(FeedPollRow.id)
    )
    return {source: (status, error) for source, status, error in rows}  # the last row per source wins


def source_health(session: Session, window_end: datetime) -> SourcesHealth:
    """The enabled sources' health as of the close of the window ending at ``window_end`` (see the module's
    docstring). A handful of aggregate queries over ``feed_polls``, whatever the number of sources."""
    sources = session.execute(
        select(SourceRow.name, SourceRow.title, FeedHealthRow.interval_minutes)
        .outerjoin(FeedHealthRow, FeedHealthRow.source == SourceRow.name)
        .where(SourceRow.enabled.is_(True))
        .order_by(SourceRow.name)
    ).all()
    if not sources:
        return SourcesHealth()
    names = [name for name, _title, _interval in sources]
    polls = FeedPollRow.started_at
    # The closing poll: the first at or after the window's end, else the latest before it.
    closing: dict[str, datetime] = {}
    for source, first_after, last_before in session.execute(
        select(
            FeedPollRow.source,
            func.min(case((polls >= window_end, polls))),
            func.max(case((polls < window_end, polls))),
        )
        .where(FeedPollRow.source.in_(names))
        .group_by(FeedPollRow.source)
    ):
        if first_after is not None or last_before is not None:
            closing[source] = first_after or last_before
    closed = _polls_at(session, closing)
    # The last successful poll before the closing one.
    last_ok: dict[str, datetime] = {}
    if closing:
        last_ok = {
            source: at
            for source, at in session.execute(
                select(FeedPollRow.source, func.max(polls))
                .where(
                    FeedPollRow.source.in_(list(closing)),
                    FeedPollRow.status != "failed",
                    polls < _per_source(closing),
                )
                .group_by(FeedPollRow.source)
            )
        }
    # The failed polls after it, up to the closing poll: the run of failures the source is (or was) in.
    runs: dict[str, tuple[datetime, datetime, int]] = {}
    if closing:
        failed = [FeedPollRow.source.in_(list(closing)), FeedPollRow.status == "failed", polls <= _per_source(closing)]
        if last_ok:
            failed.append(or_(FeedPollRow.source.not_in(list(last_ok)), polls > _per_source(last_ok)))
        for source, first, last, count in session.execute(
            select(FeedPollRow.source, func.min(polls), func.max(polls), func.count())
            .where(*failed)
            .group_by(FeedPollRow.source)
        ):
            runs[source] = (first, last, int(count))

    problems: list[SourceHealth] = []
    recovered: list[SourceHealth] = []  # the closing poll succeeded after a long gap: errors to look up
    for name, title, interval in sources:
        title = title or name
        at = closing.get(name)
        if at is None:
            problems.append(SourceHealth(name, title, "late", since=None))
            continue
        status, error = closed.get(name, ("failed", None))
        first_failed, _last_failed, failures = runs.get(name, (None, None, 0))
        limit = late_after(interval)
        if status == "failed":
            problems.append(SourceHealth(name, title, "down", first_failed or at, failures=failures, error=error))
        elif at < window_end:  # not polled since the window's end; its latest poll before it succeeded
            if window_end - at > limit:
                problems.append(SourceHealth(name, title, "late", since=at))
        else:  # the closing poll succeeded: was it long since the previous success?
            previous = last_ok.get(name)
            if first_failed is not None and at - first_failed > limit:  # failing all that time
                recovered.append(SourceHealth(name, title, "down", first_failed, until=at, failures=failures))
            elif previous is not None and at - previous > limit:  # not polled (or only lately failing)
                recovered.append(SourceHealth(name, title, "late", previous, until=at, failures=failures))
            # else: a short gap, or its first poll ever, which read the feed whole
    if recovered:  # their last error, if any: that of the last failed poll before the recovery
        errors = _polls_at(session, {h.source: runs[h.source][1] for h in recovered if h.source in runs})
        problems += [dataclasses.replace(h, error=errors.get(h.source, ("", None))[1]) for h in recovered]
    problems.sort(key=lambda h: (h.state != "down", h.title.lower(), h.source))
    return SourcesHealth(watched=len(sources), problems=tuple(problems))
