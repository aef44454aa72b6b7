"""Adaptive poll intervals: busy feeds more often, quiet ones less, failing ones backed off.

Every feed keeps its own interval, bounded between 10 minutes and 24 hours. A poll that finds new
items shortens it, one that finds nothing lengthens it. A failure leaves the interval alone and delays
the next poll exponentially from the ingest DAG's cadence: 10, 20, 40, 80 minutes … whatever the
feed's interval, capped at 24 hours (a feed is never given up for good); a server's ``Retry-After`` is
honoured. This backoff *is* the retry of a failed poll: the poll task has no Airflow retries of its own
(see ``newswatch.ingest.poll``), so a blip is polled again at the next run and a dead feed ever more
rarely. The ingest DAG runs often; each source's poll task skips the source until it is due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

LOGGER = logging.getLogger(__name__)

MIN_INTERVAL_MINUTES = 10.0
MAX_INTERVAL_MINUTES = 24 * 60.0
BUSY_ITEMS = 5  # a poll with this many new items halves the interval


@dataclass(frozen=True)
class PollSchedule:
    interval_minutes: float
    next_poll_at: datetime


def clamp(minutes: float) -> float:
    return min(MAX_INTERVAL_MINUTES, max(MIN_INTERVAL_MINUTES, minutes))


def next_interval(current: float, new_items: int) -> float:
    """The interval after a successful poll that found ``new_items`` new items."""
    if new_items >= BUSY_ITEMS:
        factor = 0.5
    elif new_items > 0:
        factor = 0.75
    else:
        factor = 1.5
    return clamp(current * factor)


def schedule_after_poll(
    observed_at: datetime,
    current_interval: float,
    succeeded: bool,
    new_items: int,
    consecutive_failures: int,
    retry_after_s: float | None = None,
) -> PollSchedule:
    """When to poll next, and with which interval, after a poll at ``observed_at``."""
    current = clamp(current_interval)
    if succeeded:
        interval = next_interval(current, new_items)
        delay = interval
    else:
        interval = current
        # From the DAG's cadence, not the feed's interval: the first retry comes at the next run.
        delay = min(MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES * 2 ** max(0, min(consecutive_failures - 1, 16)))
    if retry_after_s is not None:
        delay = min(MAX_INTERVAL_MINUTES, max(delay, retry_after_s / 60))
    return PollSchedule(interval, observed_at + timedelta(minutes=delay))
