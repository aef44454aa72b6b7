"""Sessions on the warehouse for the steps: one cached engine (and connection pool) per URL per process,
a transaction per unit of work, and schema creation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newswatch.config import Settings
from newswatch.warehouse.engine import create_schema, make_engine


@cache
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per warehouse URL per process."""
    return make_engine(url)


@contextmanager
def warehouse(settings: Settings) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with Session(engine_for(settings.warehouse_url)) as session, session.begin():
        yield session


def plain_session(settings: Settings) -> Session:
    """A session whose caller commits (for work that commits step by step, like the delivery ledger)."""
    return Session(engine_for(settings.warehouse_url))


def init_warehouse(settings: Settings) -> None:
    """Bring the settings' warehouse to the newest schema."""
    create_schema(engine_for(settings.warehouse_url))
