"""The whole ingest cycle in one process, source after source: what ``newswatch ingest``, the tests and the
benchmarks run. The ingest DAG runs the same steps as tasks instead (one mapped poll and fetch per
source, then one process task)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newswatch.config import Settings
from newswatch.ingest.fetch import fetch_pages
from newswatch.ingest.poll import poll_source, sync_sources
from newswatch.process import process_articles
from newswatch.warehouse.session import init_warehouse


def run_ingest(settings: Settings, observed_at: datetime, force: bool = False) -> dict[str, Any]:
    """The whole ingest in-process, source after source (for the CLI and tests; the DAG maps it).

    ``force`` polls every enabled source now, whatever its schedule or backoff (see ``poll_source``)."""
    init_warehouse(settings)
    summary: dict[str, Any] = {"sources": {}, "process": {}}
    for name in sync_sources(settings):
        outcome = poll_source(settings, name, observed_at, force=force)
        fetched = fetch_pages(settings, name, observed_at)
        summary["sources"][name] = {**outcome.as_dict(), **fetched}
    summary["process"] = process_articles(settings, observed_at)
    return summary
