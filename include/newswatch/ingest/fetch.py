"""The fetch step: the pages of a source's queued items, fetched politely into the raw store.

A page another source already brought in is skipped; a failed page is retried in later runs, a bounded
number of times. Pages are content-addressed, so fetching one twice stores it once.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from newswatch.config import Settings
from newswatch.ingest.poll import find_source, http_client
from newswatch.ingest.rawstore import RawStore
from newswatch.records import FetchResult
from newswatch.warehouse import load, queries
from newswatch.warehouse.session import warehouse

LOGGER = logging.getLogger(__name__)

MAX_FETCH_ATTEMPTS = 3
FETCH_BATCH = 200
# Results are written in batches: a commit per page cost more than the page's parse on SQLite. A crash
# loses at most one batch of state, and those pages are fetched again (the raw store keeps one copy).
WRITE_BATCH = 50
WRITE_EVERY_SECONDS = 2.0


def fetch_pages(settings: Settings, name: str, observed_at: datetime, limit: int = FETCH_BATCH) -> dict[str, int]:
    """Fetch the pages of a source's queued items into the raw store; a failed page is retried later.

    Pages are fetched by a few threads at once (``fetch_workers``), at most ``per_host_concurrency``
    at a time per host, with robots.txt obeyed and a pause between requests to one host; results are
    written to the warehouse in batches (``WRITE_BATCH`` pages or ``WRITE_EVERY_SECONDS``), so a crash
    loses at most the pages in flight and one unwritten batch, which later runs fetch again.
    """
    source = find_source(settings, name)
    store = RawStore(settings.raw_store_dir)
    counts = {"queued": 0, "fetched": 0, "skipped": 0, "failed": 0}
    with warehouse(settings) as session:
        items = [
            (i.id, i.link, i.canonical_url, i.fetched_at is not None)
            for i in queries.pending_items(session, name, "new", limit)
        ]
        known = queries.known_article_urls(session, {url for _, _, url, _ in items})
    counts["queued"] = len(items)
    # A page another source already brought in is not fetched again; an updated entry of ours is.
    duplicates = [item_id for item_id, _, url, refetch in items if url in known and not refetch]
    wanted = [(item_id, link) for item_id, link, url, refetch in items if url not in known or refetch]
    if duplicates:
        with warehouse(settings) as session:
            load.mark_items(session, duplicates, status="skipped", error="already in the warehouse")
        counts["skipped"] = len(duplicates)

    def fetch(item: tuple[int, str]) -> tuple[int, FetchResult, str | None]:
        result = client.get(item[1], check_robots=True)
        ref = store.put(result.body) if result.ok and result.body else None
        return item[0], result, ref

    if not wanted:
        LOGGER.info("fetch %s %s", name, counts)
        return counts
    fetched: list[dict[str, Any]] = []
    failed: list[tuple[int, str, int]] = []
    last_write = time.monotonic()

    def write_results() -> None:
        nonlocal last_write
        if fetched or failed:
            with warehouse(settings) as session:
                load.mark_fetched_items(session, fetched)
                for item_id, error, attempts in failed:
                    load.retry_or_fail_item(session, item_id, error, MAX_FETCH_ATTEMPTS, attempts)
            fetched.clear()
            failed.clear()
        last_write = time.monotonic()

    try:
        with http_client(settings, source) as client, ThreadPoolExecutor(max(1, settings.fetch_workers)) as pool:
            for item_id, result, ref in pool.map(fetch, wanted):
                if ref is not None:
                    fetched.append(
                        {
                            "id": item_id,
                            "raw_ref": ref,
                            "final_url": result.final_url,
                            "content_type": result.content_type[:200] or None,
                            "fetched_at": observed_at,
                        }
                    )
                    counts["fetched"] += 1
                else:
                    # A page robots.txt forbids, or one we refuse, will not change its answer: give up
                    # at once; a timeout or a 5xx is tried again in later runs, a bounded number of times.
                    attempts = MAX_FETCH_ATTEMPTS if (result.error and not result.transient) else 1
                    failed.append((item_id, result.error or "empty body", attempts))
                    counts["failed"] += 1
                if len(fetched) + len(failed) >= WRITE_BATCH or time.monotonic() - last_write >= WRITE_EVERY_SECONDS:
                    write_results()
    finally:
        # What was fetched before a failure is kept, so a later run does not fetch it again.
        write_results()
    LOGGER.info("fetch %s %s", name, counts)
    return counts
