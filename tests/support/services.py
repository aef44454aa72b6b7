"""The servers some tests need (PostgreSQL, Redis, Chromium, …): skip a test where one is missing, fail it
instead under ``CI=true``; and PostgreSQL databases of a test's (or a benchmark's) own, dropped afterwards.

The tests' PostgreSQL is ``NEWSWATCH_TEST_PG_ADMIN_URL`` (default ``postgres@127.0.0.1:5432``); the
benchmarks pass their own admin URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("NEWSWATCH_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def skip_or_fail(reason: str, must_run: str) -> NoReturn:
    """Skip the test for ``reason``; under ``CI=true`` fail it instead (``must_run`` says what must run)."""
    import pytest  # here, not at the top: the benchmarks use this module without pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: {must_run} must run)")
    pytest.skip(reason)


def require(service: str, check: Callable[[], Any], must_run: str) -> None:
    """Run ``check``; if it raises, ``service`` does not answer: skip (or, under CI, fail) the test."""
    try:
        check()
    except Exception as exc:  # any failure to connect means "no server here"
        skip_or_fail(f"{service} does not answer: {type(exc).__name__}: {exc}", must_run)


def postgres_check(admin_url: str = PG_ADMIN_URL) -> None:
    """Connect to the server and run ``select 1``; raises where it does not answer."""
    engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    finally:
        engine.dispose()


def require_postgres(must_run: str = "PostgreSQL tests") -> None:
    require(f"PostgreSQL at {PG_ADMIN_URL}", postgres_check, must_run)


def database_url(admin_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``admin_url``."""
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _run_as_admin(admin_url: str, statements: Iterable[str]) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


def create_databases(admin_url: str, names: Iterable[str]) -> None:
    _run_as_admin(admin_url, [f'CREATE DATABASE "{name}"' for name in names])


def drop_databases(admin_url: str, names: Iterable[str]) -> None:
    """Drop the databases if they exist, with whatever is still connected to them."""
    _run_as_admin(admin_url, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names])


def reset_postgres(url: str) -> None:
    """Empty the database at ``url``: its public schema dropped and made again."""
    _run_as_admin(url, ["DROP SCHEMA public CASCADE; CREATE SCHEMA public"])


@contextmanager
def scratch_database(admin_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new, empty database named ``{prefix}_{random}``, dropped on leaving."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    create_databases(admin_url, [name])
    try:
        yield database_url(admin_url, name)
    finally:
        drop_databases(admin_url, [name])


@contextmanager
def private_postgres_database(prefix: str = "newswatch_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database of its own, dropped (with whatever is still connected)
    on leaving; skipped where no server answers, failing under CI."""
    require_postgres()
    with scratch_database(PG_ADMIN_URL, prefix) as url:
        try:
            yield url
        finally:
            from newswatch.warehouse.session import engine_for

            engine_for.cache_clear()
