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

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newswatch.monitor.queries import existing_warehouse_engine
from newswatch.warehouse.labels import LabelRecord, record_label


@functools.cache
def label_engine(url: str) -> Engine:
    """One read-write engine per warehouse URL per process, for labels only."""
    return existing_warehouse_engine(url, read_only=False)


def save_label(
    url: str, story_cluster_id: str, relevant: bool, note: str | None, user: str, now: datetime
) -> LabelRecord:
    """Record one label in its own transaction: committed when it is valid, nothing written otherwise.

    Raises what :func:`~newswatch.warehouse.labels.record_label` raises (``UnknownStory``,
    ``LabelError``) and ``SQLAlchemyError`` when the warehouse cannot be written.
    """
    with Session(label_engine(url), autoflush=False, expire_on_commit=False) as session, session.begin():
        return record_label(session, story_cluster_id, relevant, note, user, now)
