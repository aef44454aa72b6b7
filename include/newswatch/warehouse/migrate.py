"""Run the warehouse's Alembic migrations from code: the same migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from newswatch.warehouse.schema import Base

LOGGER = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x6E657773  # "news": the advisory lock that serialises warehouse migrations


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


class UnmanagedSchemaError(RuntimeError):
    """The database has warehouse tables but no migration history, so migrating it would clash."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the warehouse up to ``revision`` (default: the newest)."""
    tables = set(inspect(engine).get_table_names())
    if current_revision(engine) is None and tables & set(Base.metadata.tables):
        where = engine.url.render_as_string(hide_password=True)
        raise UnmanagedSchemaError(
            f"the warehouse at {where} has tables but no migration history (it was created before "
            "migrations existed); move it aside, or point NEWSWATCH_WAREHOUSE_URL at a new database"
        )
    config = alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two workers starting at once (the ingest and maintenance DAGs both upgrade) must not run
            # the same migration twice: the second waits here, then finds nothing left to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the warehouse down to ``revision`` (``base`` removes every table)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
