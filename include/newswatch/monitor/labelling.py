"""The News Monitor's only write: an analyst's label of a story, into ``tagger_labels``.

Everything else the monitor does goes through the read-only engine of :mod:`newswatch.monitor.queries`.
This module opens a separate read-write engine and uses it for exactly one thing, one short
transaction that appends a label (:func:`newswatch.warehouse.labels.record_label`). Like the read-only
engine it never creates a database: a SQLite warehouse is opened ``mode=rw``, so a missing file is an
error, not a new empty warehouse.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session

from newswatch.warehouse.engine import SQLITE_BUSY_TIMEOUT_MS, normalise_url
from newswatch.warehouse.labels import LabelRecord, record_label


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # the DAGs may be writing too: wait
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@functools.cache
def label_engine(url: str) -> Engine:
    """One read-write engine per warehouse URL per process, for labels only."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path in ("", ":memory:"):
            raise ValueError("the News Monitor needs a warehouse file or server, not an in-memory SQLite database")
        engine = create_engine(
            f"sqlite:///file:{path}?mode=rw&uri=true", connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True, pool_size=2, max_overflow=2)


def save_label(
    url: str, story_cluster_id: str, relevant: bool, note: str | None, user: str, now: datetime
) -> LabelRecord:
    """Record one label in its own transaction: committed when it is valid, nothing written otherwise.

    Raises what :func:`~newswatch.warehouse.labels.record_label` raises (``UnknownStory``,
    ``LabelError``) and ``SQLAlchemyError`` when the warehouse cannot be written.
    """
    with Session(label_engine(url), autoflush=False, expire_on_commit=False) as session, session.begin():
        return record_label(session, story_cluster_id, relevant, note, user, now)
