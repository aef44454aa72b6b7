"""Unit tests of the adaptive poll schedule (newswatch.ingest.schedule): busy feeds are polled more often, quiet
ones less, failing ones back off exponentially from the ingest DAG's 10-minute cadence (that backoff is
the failed poll's retry: the poll task has no Airflow retries); everything stays between 10 minutes and
24 hours, and a server's Retry-After is honoured up to 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newswatch.ingest.schedule import (
    BUSY_ITEMS,
    MAX_INTERVAL_MINUTES,
    MIN_INTERVAL_MINUTES,
    clamp,
    next_interval,
    schedule_after_poll,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = 24 * 60.0


def test_bounds_are_ten_minutes_and_a_day() -> None:
    assert (MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES) == (10.0, DAY)
    assert clamp(1) == 10.0
    assert clamp(10_000) == DAY
    assert clamp(45) == 45


# --- next_interval: after a successful poll ----------------------------------------------------------


@pytest.mark.parametrize("new_items", [BUSY_ITEMS, BUSY_ITEMS + 1, 500])
def test_busy_feed_interval_halves(new_items: int) -> None:
    assert next_interval(60, new_items) == 30


@pytest.mark.parametrize("new_items", range(1, BUSY_ITEMS))
def test_a_few_new_items_shorten_the_interval_a_little(new_items: int) -> None:
    assert next_interval(60, new_items) == 45


def test_quiet_feed_interval_grows_by_half() -> None:
    assert next_interval(60, 0) == 90


def test_busy_feed_never_goes_below_ten_minutes() -> None:
    assert next_interval(15, 50) == 10.0
    assert next_interval(10, 50) == 10.0


def test_quiet_feed_never_goes_above_a_day() -> None:
    assert next_interval(1200, 0) == DAY
    assert next_interval(DAY, 0) == DAY


def test_repeated_quiet_polls_converge_to_a_day_and_busy_ones_to_ten_minutes() -> None:
    interval = 30.0
    for _ in range(20):
        interval = next_interval(interval, 0)
    assert interval == DAY
    for _ in range(20):
        interval = next_interval(interval, BUSY_ITEMS)
    assert interval == 10.0


# --- schedule_after_poll: success -------------------------------------------------------------------


def test_success_sets_next_poll_one_new_interval_later() -> None:
    busy = schedule_after_poll(NOW, 60, succeeded=True, new_items=8, consecutive_failures=0)
    assert busy.interval_minutes == 30
    assert busy.next_poll_at == NOW + timedelta(minutes=30)
    quiet = schedule_after_poll(NOW, 60, succeeded=True, new_items=0, consecutive_failures=0)
    assert quiet.interval_minutes == 90
    assert quiet.next_poll_at == NOW + timedelta(minutes=90)


def test_out_of_range_current_interval_is_clamped_first() -> None:
    """A source configured at 1 min is treated as 10 min; a stored interval over a day as a day."""
    fast = schedule_after_poll(NOW, 1, succeeded=True, new_items=0, consecutive_failures=0)
    assert fast.interval_minutes == 15  # clamp(1) = 10, quiet × 1.5
    slow = schedule_after_poll(NOW, 5 * DAY, succeeded=True, new_items=BUSY_ITEMS, consecutive_failures=0)
    assert slow.interval_minutes == DAY / 2


def test_next_poll_keeps_the_observed_timezone_instant() -> None:
    observed = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    schedule = schedule_after_poll(observed, 30, succeeded=True, new_items=0, consecutive_failures=0)
    assert schedule.next_poll_at - observed == timedelta(minutes=45)
    assert schedule.next_poll_at.tzinfo is not None


# --- failures: exponential backoff, capped ----------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "delay"), [(1, 10), (2, 20), (3, 40), (4, 80), (5, 160), (6, 320), (7, 640), (8, 1280)]
)
def test_failures_back_off_exponentially(failures: int, delay: float) -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=False, new_items=0, consecutive_failures=failures)
    assert schedule.interval_minutes == 30, "a failure leaves the interval itself alone"
    assert schedule.next_poll_at == NOW + timedelta(minutes=delay)


@pytest.mark.parametrize("interval", [10, 30, 120, DAY])
def test_first_retry_is_the_next_dag_run_whatever_the_interval(interval: float) -> None:
    """A blip is polled again 10 minutes later (the next ingest run), even on a feed polled daily: this
    backoff is the failed poll's only retry."""
    schedule = schedule_after_poll(NOW, interval, succeeded=False, new_items=0, consecutive_failures=1)
    assert schedule.next_poll_at == NOW + timedelta(minutes=MIN_INTERVAL_MINUTES)
    assert schedule.interval_minutes == interval


@pytest.mark.parametrize("failures", [9, 10, 17, 30, 1_000, 10**9])
def test_backoff_is_capped_at_a_day(failures: int) -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=False, new_items=0, consecutive_failures=failures)
    assert schedule.next_poll_at == NOW + timedelta(hours=24)
    assert schedule.interval_minutes == 30


def test_backoff_delays_never_shrink_and_never_exceed_a_day() -> None:
    delays = [
        schedule_after_poll(NOW, 10, succeeded=False, new_items=0, consecutive_failures=n).next_poll_at - NOW
        for n in range(1, 40)
    ]
    assert delays == sorted(delays)
    assert delays[0] == timedelta(minutes=10)
    assert max(delays) == timedelta(hours=24)


def test_zero_failures_reported_with_a_failure_counts_as_the_first() -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=False, new_items=0, consecutive_failures=0)
    assert schedule.next_poll_at == NOW + timedelta(minutes=10)


def test_success_after_failures_returns_to_the_interval() -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=True, new_items=0, consecutive_failures=0)
    assert schedule.next_poll_at == NOW + timedelta(minutes=45)


# --- Retry-After ------------------------------------------------------------------------------------


def test_retry_after_longer_than_backoff_wins() -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=False, new_items=0, consecutive_failures=1, retry_after_s=7200)
    assert schedule.next_poll_at == NOW + timedelta(hours=2)
    assert schedule.interval_minutes == 30


def test_retry_after_shorter_than_backoff_does_not_shorten_it() -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=False, new_items=0, consecutive_failures=3, retry_after_s=120)
    assert schedule.next_poll_at == NOW + timedelta(minutes=40)
    assert schedule.next_poll_at >= NOW + timedelta(seconds=120)


@pytest.mark.parametrize("retry_after_s", [DAY * 60 + 1, 10 * DAY * 60, 1e12])
def test_retry_after_is_capped_at_a_day(retry_after_s: float) -> None:
    schedule = schedule_after_poll(
        NOW, 30, succeeded=False, new_items=0, consecutive_failures=1, retry_after_s=retry_after_s
    )
    assert schedule.next_poll_at == NOW + timedelta(hours=24)


def test_retry_after_zero_changes_nothing() -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=False, new_items=0, consecutive_failures=2, retry_after_s=0)
    assert schedule.next_poll_at == NOW + timedelta(minutes=20)


def test_retry_after_on_a_success_delays_the_next_poll() -> None:
    schedule = schedule_after_poll(NOW, 30, succeeded=True, new_items=0, consecutive_failures=0, retry_after_s=3 * 3600)
    assert schedule.interval_minutes == 45
    assert schedule.next_poll_at == NOW + timedelta(hours=3)


def test_retry_after_combined_with_capped_backoff_stays_a_day() -> None:
    schedule = schedule_after_poll(NOW, 600, succeeded=False, new_items=0, consecutive_failures=10, retry_after_s=3600)
    assert schedule.next_poll_at == NOW + timedelta(hours=24)
