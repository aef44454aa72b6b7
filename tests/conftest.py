"""Shared fixtures: the fixture web server, settings pointing at a temporary var/, and warehouses on
SQLite and on the PostgreSQL server at 127.0.0.1:5432 (skipped where none answers, failing under CI)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from newswatch.config import Settings, load_settings
from tests.support.fixtureserver import FixtureServer

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SITE = FIXTURES / "site"
RESOURCES = TESTS / "resources"
PG_ADMIN_URL = os.environ.get("NEWSWATCH_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(autouse=True)
def fresh_robots_cache() -> Iterator[None]:
    """robots.txt answers are cached per process; each test starts without any."""
    from newswatch.ingest.http import clear_robots_cache

    clear_robots_cache()
    yield
    clear_robots_cache()


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[FixtureServer]:
    with FixtureServer(SITE) as server:
        yield server


def _postgres_or_skip() -> None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "no server here"
        message = f"PostgreSQL at {PG_ADMIN_URL} does not answer: {type(exc).__name__}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)


@contextmanager
def private_postgres_database(prefix: str = "newswatch_test") -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database of its own, dropped (with whatever is still connected)
    on leaving; skipped where no server answers, failing under CI."""
    _postgres_or_skip()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        from newswatch.warehouse.session import engine_for

        engine_for.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped at the end."""
    with private_postgres_database() as url:
        yield url


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The warehouse URL of each backend, empty at the start of the test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'warehouse.db'}"
    url: str = request.getfixturevalue("postgres_url")
    from newswatch.warehouse.session import engine_for

    engine_for.cache_clear()
    _reset_postgres(url)
    return url


@pytest.fixture
def migrated_engine(warehouse_url: str) -> Iterator[Engine]:
    """An engine on an empty warehouse of each backend, migrated to the newest schema; disposed afterwards."""
    from newswatch.warehouse.engine import create_schema, make_engine

    engine = make_engine(warehouse_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings_env(tmp_path: Path, fixture_server: FixtureServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment pointing newswatch at the fixture sources and a temporary var/ (SQLite)."""
    env = {
        "NEWSWATCH_VAR": str(tmp_path / "var"),
        "NEWSWATCH_SOURCES": str(FIXTURES / "sources.yaml"),
        "NEWSWATCH_FIXTURE_BASE": fixture_server.base_url,
        "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'var' / 'warehouse.db'}",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


INGESTED_AT = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)  # after the fixture stories' digest window closed


@pytest.fixture(scope="session")
def ingested_env(tmp_path_factory: pytest.TempPathFactory, fixture_server: FixtureServer) -> dict[str, str]:
    """The environment of a SQLite warehouse filled once, by the real ingest, from the fixture site.

    Read-only for its users: a test that writes copies the database first (see test_digest.py)."""
    var = tmp_path_factory.mktemp("digest") / "var"
    env = {
        "NEWSWATCH_VAR": str(var),
        "NEWSWATCH_SOURCES": str(FIXTURES / "sources.yaml"),
        "NEWSWATCH_FIXTURE_BASE": fixture_server.base_url,
        "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{var / 'warehouse.db'}",
    }
    from newswatch import pipeline

    with pytest.MonkeyPatch.context() as mp:  # the sources file reads NEWSWATCH_FIXTURE_BASE from the env
        for key, value in env.items():
            mp.setenv(key, value)
        pipeline.run_ingest(load_settings(env), INGESTED_AT)
    return env
