"""Stream articles out of the warehouse as CSV or JSON lines, in flat memory whatever the row count.

Rows are read through a server-side cursor on PostgreSQL (``stream_results``) and SQLite's own lazy
cursor, in chunks, and written as they come: nothing holds the whole result.

The window is on one of two times, named by ``by``: ``first-seen`` (when newswatch first saw the item in
a feed; the default) or ``published`` (the publication time, or for an article without a trustworthy
one, ``published_from = first_seen``, its first-seen time: as the digest places it). The exported ``url``
is the article's address without tracking parameters (``utm_*``, ``fbclid`` …); ``publisher`` is the
outlet named by an aggregator's item (Google News), empty otherwise.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import ColumnElement, Engine, func, select

from newswatch.urls import without_tracking
from newswatch.warehouse.queries import event_of
from newswatch.warehouse.schema import ArticleRow

LOGGER = logging.getLogger(__name__)

CHUNK_ROWS = 1_000
EXPORT_COLUMNS = (
    "id", "source", "publisher", "canonical_url", "url", "title", "authors", "published_at", "first_seen_at",
    "updated_at", "language", "dateline", "wire", "story_cluster_id", "event_id", "relevant", "score", "tags",
    "summary", "text", "version",
)  # fmt: skip
FORMATS = ("csv", "jsonl")
FIRST_SEEN, PUBLISHED = "first-seen", "published"
WINDOW_TIMES = (FIRST_SEEN, PUBLISHED)  # what --since/--until compare: ``newswatch export --by``


def window_time(by: str) -> ColumnElement[datetime]:
    """The time an article is placed by for ``by``: ``first-seen`` or ``published`` (publication time,
    else first-seen time for an undated article)."""
    if by == FIRST_SEEN:
        return ArticleRow.first_seen_at  # type: ignore[return-value]
    if by == PUBLISHED:
        return func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    raise ValueError(f"by must be one of {', '.join(WINDOW_TIMES)}, got {by!r}")


def iter_articles(
    engine: Engine,
    since: datetime,
    until: datetime | None = None,
    relevant_only: bool = False,
    by: str = FIRST_SEEN,
) -> Iterator[dict[str, Any]]:
    """Articles whose ``by`` time (see :func:`window_time`) is in ``[since, until)``, oldest first by that
    time, one dict at a time."""
    when = window_time(by)
    query = select(*map(_column, EXPORT_COLUMNS)).where(when >= since)
    if until is not None:
        query = query.where(when < until)
    if relevant_only:
        query = query.where(ArticleRow.relevant.is_(True))
    query = query.order_by(when, ArticleRow.id)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, max_row_buffer=CHUNK_ROWS).execute(query)
        for partition in result.mappings().partitions(CHUNK_ROWS):
            for row in partition:
                exported = dict(row)
                exported["url"] = without_tracking(exported["url"])
                yield exported


def _column(name: str) -> Any:
    if name == "event_id":  # an article loaded before events existed stands as its own event: its story
        return event_of().label("event_id")
    return getattr(ArticleRow, name)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def write_export(rows: Iterator[dict[str, Any]], out: TextIO, fmt: str) -> int:
    """Write ``rows`` to ``out`` as ``csv`` or ``jsonl``; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
            count += 1
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=_cell) + "\n")
            count += 1
    return count
