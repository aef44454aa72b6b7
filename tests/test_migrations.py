"""Alembic migrations on both backends: upgrade, downgrade, round trip, models == migrations, and the
``newswatch db`` command that drives them."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from newswatch.cli import main
from newswatch.warehouse import migrate
from newswatch.warehouse.engine import make_engine
from newswatch.warehouse.schema import Base
from newswatch.warehouse.session import engine_for

HEAD = migrate.head_revision()

VIEWS_0004 = {"v_india_italy_defence", "v_daily_counts", "v_feed_health"}
VIEWS = VIEWS_0004 | {"v_events"}  # added by 0005
TABLES = set(Base.metadata.tables)
EVENT_TABLES = {"events", "event_reports", "event_terms"}  # added by 0005
TABLES_0004 = TABLES - EVENT_TABLES
TABLES_0001 = TABLES_0004 - {"tagger_labels"}  # added by 0004


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[Engine]:
    """An engine on an empty warehouse (no schema yet); disposed afterwards."""
    engine = make_engine(warehouse_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cli_env(warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """NEWSWATCH_WAREHOUSE_URL set to the empty warehouse; the CLI's cached engine dropped afterwards."""
    monkeypatch.setenv("NEWSWATCH_WAREHOUSE_URL", warehouse_url)
    monkeypatch.delenv("NEWSWATCH_TAXONOMY", raising=False)
    engine_for.cache_clear()
    yield warehouse_url
    engine_for(warehouse_url).dispose()
    engine_for.cache_clear()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def views(engine: Engine) -> set[str]:
    return set(inspect(engine).get_view_names())


def schema_diff(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match the models (empty when they agree)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    status = main(argv, out=out)
    return status, out.getvalue()


# --- migrate.py --------------------------------------------------------------------------------------------


def test_upgrade_creates_every_table_and_view(engine: Engine) -> None:
    """An empty database upgraded to head has every model table, the four views, and the head revision."""
    assert tables(engine) == set()
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert {"articles", "story_clusters", "article_tags", "entities", "article_entities"} <= TABLES
    assert tables(engine) == TABLES | {"alembic_version"}
    assert views(engine) == VIEWS
    assert migrate.current_revision(engine) == migrate.head_revision() == HEAD


def test_downgrade_to_base_leaves_only_alembic_version(engine: Engine) -> None:
    """Downgrading to base drops every table and view; only Alembic's bookkeeping table stays, empty."""
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert tables(engine) == {"alembic_version"}
    assert views(engine) == set()
    assert migrate.current_revision(engine) is None


def test_round_trip_up_down_up(engine: Engine) -> None:
    """head -> base -> head gives the same schema again, and it still matches the models."""
    migrate.upgrade(engine)
    first = {name: {c["name"] for c in inspect(engine).get_columns(name)} for name in TABLES}
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    assert tables(engine) == TABLES | {"alembic_version"}
    assert views(engine) == VIEWS
    assert {name: {c["name"] for c in inspect(engine).get_columns(name)} for name in TABLES} == first
    assert schema_diff(engine) == []


def test_downgrade_one_step_drops_only_the_views(engine: Engine) -> None:
    """Down to 0001 removes the analyst views and keeps the tables (and their rows)."""
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (name, title, feed_url, language, country, enabled) "
                          "VALUES ('ians', 'IANS', 'https://ians.example/feed', 'en', 'IN', true)"))  # fmt: skip
    migrate.downgrade(engine, "0001")
    assert views(engine) == set()
    assert tables(engine) == TABLES_0001 | {"alembic_version"}
    assert migrate.current_revision(engine) == "0001"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sources")).scalar() == 1
    migrate.upgrade(engine)
    assert views(engine) == VIEWS
    with engine.connect() as conn:
        assert conn.execute(text("SELECT source, status FROM v_feed_health")).all() == [("ians", "never polled")]


def _columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def _one_article(engine: Engine) -> None:
    """A source, an article with a tag, its story: rows that 0004 must carry through up and down."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (name, title, feed_url, language, country, enabled) "
                          "VALUES ('ians', 'IANS', 'https://ians.example/feed', 'en', 'IN', true)"))  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO articles (canonical_url, url, source, title, authors, published_from, first_seen_at, "
                "fetched_at, updated_at, language, text, summary, content_hash, story_cluster_id, relevant, score, "
                "tags, evidence, entities, version) VALUES ('https://ians.example/a', 'https://ians.example/a', "
                "'ians', 'India and Italy', '', '', :t, :t, :t, 'en', 'text', 'text', 'h', 's-1', true, 0.9, "
                "'[\"naval\"]', '[]', '[]', 1)"
            ),
            {"t": "2026-02-27 06:00:00"},
        )
        article_id = conn.execute(text("SELECT id FROM articles")).scalar_one()
        conn.execute(
            text("INSERT INTO article_tags (article_id, tag, rank) VALUES (:a, 'naval', 0)"), {"a": article_id}
        )
        conn.execute(
            text(
                "INSERT INTO story_clusters (id, lead_article_id, title, first_seen_at, last_seen_at, article_count, "
                "source_count, relevant, max_score) VALUES ('s-1', :a, 'India and Italy', :t, :t, 1, 1, true, 0.9)"
            ),
            {"a": article_id, "t": "2026-02-27 06:00:00"},
        )


def test_0004_adds_explanations_and_labels_and_keeps_every_row(engine: Engine) -> None:
    """0003 -> 0004 adds articles.contributions and model_version (empty for the rows already there) and
    tagger_labels; 0004 -> 0003 removes them without copying articles, so the article's tag and its
    story's lead survive both ways (a table copy on SQLite would cascade into article_tags)."""
    migrate.upgrade(engine, "0003")
    _one_article(engine)
    migrate.upgrade(engine, "0004")
    assert {"contributions", "model_version"} <= _columns(engine, "articles")
    assert "tagger_labels" in tables(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT contributions, model_version FROM articles")).one() in (
            ("[]", ""),  # SQLite hands JSON back as text
            ([], ""),
        )
        conn.execute(
            text(
                "INSERT INTO tagger_labels (story_cluster_id, article_ids, canonical_urls, label, note, labelled_by, "
                "labelled_at, score_at_label, model_version) VALUES ('s-1', '[1]', '[\"https://ians.example/a\"]', "
                "false, 'trade, not defence', 'admin', :t, 0.9, '')"
            ),
            {"t": "2026-02-28 06:00:00"},
        )
        assert conn.execute(text("SELECT story_id FROM v_india_italy_defence")).scalars().all() == ["s-1"]
    migrate.downgrade(engine, "0003")
    assert "tagger_labels" not in tables(engine)
    assert not {"contributions", "model_version"} & _columns(engine, "articles")
    assert views(engine) == VIEWS_0004
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article_tags")).scalar() == 1
        assert conn.execute(text("SELECT lead_article_id FROM story_clusters")).scalar() is not None
        assert conn.execute(text("SELECT story_id FROM v_india_italy_defence")).scalars().all() == ["s-1"]
    migrate.upgrade(engine)
    assert schema_diff(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tagger_labels")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM article_tags")).scalar() == 1


def test_0005_adds_events_and_keeps_every_row(engine: Engine) -> None:
    """0004 -> 0005 adds articles.event_id and story_clusters.event_id (NULL for the rows already there),
    events, event_reports, event_terms and v_events; 0005 -> 0004 removes them without copying articles
    (its tag and its story's lead survive), and upgrading again gives the models' schema."""
    migrate.upgrade(engine, "0004")
    _one_article(engine)
    migrate.upgrade(engine, "0005")
    assert "event_id" in _columns(engine, "articles") and "event_id" in _columns(engine, "story_clusters")
    assert tables(engine) >= EVENT_TABLES
    assert views(engine) == VIEWS
    assert "ix_articles_event" in {i["name"] for i in inspect(engine).get_indexes("articles")}
    with engine.begin() as conn:
        assert conn.execute(text("SELECT event_id FROM articles")).one() == (None,)
        assert conn.execute(text("SELECT event_id FROM story_clusters")).one() == (None,)
        conn.execute(
            text(
                "INSERT INTO events (id, title, lead_article_id, first_seen_at, last_seen_at, languages, "
                "outlet_count, report_count, story_count, relevant, max_score) "
                "SELECT 'e-1', title, id, first_seen_at, first_seen_at, 'en', 1, 1, 1, relevant, score FROM articles"
            )
        )
        conn.execute(
            text(
                "INSERT INTO event_reports (story_cluster_id, event_id, at, spread_hours, profile) "
                "VALUES ('s-1', 'e-1', :t, 0, '{}')"
            ),
            {"t": "2026-02-27 06:00:00"},
        )
        conn.execute(
            text("INSERT INTO event_terms (story_cluster_id, term, at) VALUES ('s-1', 'naval', :t)"),
            {"t": "2026-02-27 06:00:00"},
        )
        assert conn.execute(text("SELECT event_id, headline, languages, reports FROM v_events")).one() == (
            "e-1",
            "India and Italy",
            "en",
            1,
        )
    migrate.downgrade(engine, "0004")
    assert not EVENT_TABLES & tables(engine)
    assert "event_id" not in _columns(engine, "articles") and "event_id" not in _columns(engine, "story_clusters")
    assert views(engine) == VIEWS_0004
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article_tags")).scalar() == 1
        assert conn.execute(text("SELECT lead_article_id FROM story_clusters")).scalar() is not None
        assert conn.execute(text("SELECT story_id FROM v_india_italy_defence")).scalars().all() == ["s-1"]
    migrate.upgrade(engine)
    assert schema_diff(engine) == []
    assert views(engine) == VIEWS
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM article_tags")).scalar() == 1


def test_models_and_migrations_agree(engine: Engine) -> None:
    """Autogenerate finds nothing to change after upgrade: the migrations build exactly the models."""
    migrate.upgrade(engine)
    assert schema_diff(engine) == []


def test_schema_diff_detects_a_drift(engine: Engine) -> None:
    """The comparison used above is not vacuous: a dropped index is reported as one to add."""
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_articles_hash"))
    diff = schema_diff(engine)
    assert any(op[0] == "add_index" and op[1].name == "ix_articles_hash" for op in diff if isinstance(op, tuple))


def test_upgrade_is_idempotent(engine: Engine) -> None:
    """Upgrading a warehouse already at head does nothing and does not fail."""
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == HEAD
    assert views(engine) == VIEWS


# --- newswatch db ------------------------------------------------------------------------------------------


def test_cli_db_upgrade_current_downgrade(cli_env: str) -> None:
    """`db upgrade`, `db current` and `db downgrade 0001` migrate and report the revision."""
    status, output = run(["db", "current"])
    assert status == 0
    assert f"revision None (newest {HEAD})" in output

    status, output = run(["db", "upgrade"])
    assert status == 0
    assert f"revision {HEAD} (newest {HEAD})" in output
    engine = make_engine(cli_env)
    try:
        assert tables(engine) == TABLES | {"alembic_version"}
        assert views(engine) == VIEWS

        status, output = run(["db", "current"])
        assert (status, output.count(f"revision {HEAD}")) == (0, 1)

        status, output = run(["db", "downgrade", "0001"])
        assert status == 0
        assert f"revision 0001 (newest {HEAD})" in output
        assert views(engine) == set()
        assert migrate.current_revision(engine) == "0001"

        status, output = run(["db", "upgrade"])
        assert status == 0 and f"revision {HEAD}" in output
        assert views(engine) == VIEWS
    finally:
        engine.dispose()


def test_cli_db_output_hides_password(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported warehouse URL never shows the password (PostgreSQL here trusts local connections, so a
    dummy password still connects); a SQLite URL shows its file."""
    url = cli_env
    if url.startswith("postgresql"):
        url = url.replace("postgres@", "postgres:s3cretpw@", 1)
        monkeypatch.setenv("NEWSWATCH_WAREHOUSE_URL", url)
    try:
        status, output = run(["db", "upgrade"])
        assert status == 0
        assert output.startswith("warehouse ")
        assert "s3cretpw" not in output
        if url.startswith("postgresql"):
            assert "postgres:***@127.0.0.1" in output
        else:
            assert f"warehouse.db: revision {HEAD}" in output
    finally:
        engine_for(url).dispose()


def test_cli_db_downgrade_needs_a_revision(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`db downgrade` with no revision exits 2 with a message and leaves the schema at head."""
    assert run(["db", "upgrade"])[0] == 0
    status, output = run(["db", "downgrade"])
    assert status == 2
    assert output == ""
    assert "db downgrade needs a revision" in capsys.readouterr().err
    engine = make_engine(cli_env)
    try:
        assert migrate.current_revision(engine) == HEAD
        assert views(engine) == VIEWS
    finally:
        engine.dispose()


def test_cli_db_downgrade_to_base(cli_env: str) -> None:
    """`db downgrade base` removes every table but alembic_version."""
    assert run(["db", "upgrade"])[0] == 0
    status, output = run(["db", "downgrade", "base"])
    assert status == 0
    assert "revision None" in output
    engine = make_engine(cli_env)
    try:
        assert tables(engine) == {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_refuses_a_schema_without_migration_history(engine: Engine) -> None:
    """Tables made outside the migrations (an early warehouse) give a clear error, not a clash."""
    from newswatch.warehouse.schema import Base

    Base.metadata.create_all(engine)
    with pytest.raises(migrate.UnmanagedSchemaError, match="no migration history"):
        migrate.upgrade(engine)
    assert migrate.current_revision(engine) is None
