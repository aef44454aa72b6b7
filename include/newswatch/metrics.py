"""Pipeline counters for ops: one structured log line per source and run, and StatsD counters.

The log line is JSON after a fixed prefix (``newswatch-metrics``), so it can be grepped from a task
log or shipped by any log collector. The same numbers go to Airflow's StatsD client, which sends them
only when ``[metrics] statsd_on`` is set; outside Airflow (CLI, tests) only the log line is written.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

LOGGER = logging.getLogger(__name__)

PREFIX = "newswatch-metrics"
UNSAFE_NAME_RE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class SourceRunCounts:
    """What one ingest run did for one source."""

    source: str
    items: int = 0  # entries in the feed as last polled in this run
    new: int = 0  # of those, not seen before
    fetched: int = 0  # pages fetched in this run
    tagged: int = 0  # articles processed and tagged relevant
    loaded: int = 0  # articles written to the warehouse
    errors: int = 0  # a failed poll, failed fetches, pages that could not be processed


def emit_source_counts(counts: SourceRunCounts, run_id: str | None = None) -> None:
    """Log ``counts`` as one JSON line and send each as a StatsD counter ``newswatch.<source>.<name>``."""
    record = {"run_id": run_id, **asdict(counts)}
    LOGGER.info("%s %s", PREFIX, json.dumps(record, sort_keys=True))
    numbers = {k: v for k, v in asdict(counts).items() if k != "source"}
    send_statsd(f"newswatch.{stat_name(counts.source)}", numbers)


def stat_name(value: str) -> str:
    """StatsD names allow letters, digits, ``_``, ``.`` and ``-`` only."""
    return UNSAFE_NAME_RE.sub("_", value)[:100] or "unknown"


def send_statsd(prefix: str, numbers: Mapping[str, int]) -> None:
    try:
        from airflow.sdk.observability.stats import incr
    except ImportError:  # not running under Airflow
        return
    for name, value in numbers.items():
        if value:
            try:
                incr(f"{prefix}.{name}", int(value))
            except Exception as exc:  # metrics must never fail the pipeline
                LOGGER.debug("statsd %s.%s not sent: %s", prefix, name, exc)
