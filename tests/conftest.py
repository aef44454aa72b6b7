"""Shared fixtures: the fixture web server, settings pointing at a temporary var/, and warehouses on
SQLite and on the PostgreSQL server at 127.0.0.1:5432 (skipped where none answers, failing under CI).

What tests import (servers, paths, expectations, database helpers) lives in tests/support/: no test
module imports this file or another test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from newswatch.config import Settings, load_settings
from tests.support.fixtureserver import FixtureServer
from tests.support.fixturesite import INGESTED_AT, SITE, copy_warehouse, fixture_env, settings_from
from tests.support.services import private_postgres_database, reset_postgres


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


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped at the end."""
    with private_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The warehouse URL of each backend, empty at the start of the test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'warehouse.db'}"
    url: str = request.getfixturevalue("postgres_url")
    from newswatch.warehouse.session import engine_for

    engine_for.cache_clear()
    reset_postgres(url)
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
    var = tmp_path / "var"
    env = fixture_env(var, fixture_server.base_url, f"sqlite:///{var / 'warehouse.db'}")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


@pytest.fixture(scope="session")
def ingested_env(tmp_path_factory: pytest.TempPathFactory, fixture_server: FixtureServer) -> dict[str, str]:
    """The environment of a SQLite warehouse filled once, by the real ingest, from the fixture site
    (observed at ``INGESTED_AT``).

    Read-only for its users: a test that writes takes ``ingested_copy`` instead."""
    var = tmp_path_factory.mktemp("digest") / "var"
    env = fixture_env(var, fixture_server.base_url, f"sqlite:///{var / 'warehouse.db'}")
    from newswatch import pipeline

    with pytest.MonkeyPatch.context() as mp:
        pipeline.run_ingest(settings_from(env, mp), INGESTED_AT)
    return env


@pytest.fixture
def ingested_copy(ingested_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on this test's own copy of the ``ingested_env`` warehouse, with its own outbox."""
    env = {**copy_warehouse(ingested_env, tmp_path), "NEWSWATCH_OUTBOX": str(tmp_path / "outbox")}
    return settings_from(env, monkeypatch)
