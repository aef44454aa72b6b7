"""Alembic migrations on both backends: upgrade, downgrade, round trip, models == migrations, and the
``newswatch db`` command that drives them."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text

from newswatch.cli import main
from newswatch.warehouse import migrate
from newswatch.warehouse.engine import make_engine
from newswatch.warehouse.schema import Base
from newswatch.warehouse.session import engine_for

HEAD = migrate.head_revision()

VIEWS_0004 = {"v_india_italy_defence", "v_daily_counts", "v_feed_health"}
VIEWS_0005 = VIEWS_0004 | {"v_events"}  # added by 0005
VIEWS = VIEWS_0005 | {"v_daily_totals"}  # added by 0007
TABLES = set(Base.metadata.tables)
EVENT_TABLES = {"events", "event_reports", "event_terms"}  # added by 0005
INDEX_TABLES = {"story_shingles", "story_shingle_sets"}  # added by 0006
TABLES_0005 = TABLES - INDEX_TABLES
TABLES_0004 = TABLES_0005 - EVENT_TABLES
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
    assert views(engine) == VIEWS_0005
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


def test_0006_adds_the_story_index_and_keeps_every_row(engine: Engine) -> None:
    """0005 -> 0006 adds story_shingles and story_shingle_sets (empty: the next process run indexes the
    window); their rows go with their article (ON DELETE CASCADE); 0006 -> 0005 drops them and leaves the
    articles alone."""
    migrate.upgrade(engine, "0005")
    _one_article(engine)
    migrate.upgrade(engine, "0006")
    assert tables(engine) == TABLES | {"alembic_version"}
    assert "ix_story_shingles_lookup" in {i["name"] for i in inspect(engine).get_indexes("story_shingles")}
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM story_shingles")).scalar() == 0
        article_id = conn.execute(text("SELECT id FROM articles")).scalar_one()
        for shingle in (-(2**63), 2**63 - 1, 8):  # any 64-bit hash
            conn.execute(
                text(
                    "INSERT INTO story_shingles (shingle, article_id, story_cluster_id, at, sample_size, "
                    "shingle_count) VALUES (:s, :a, 's-1', :t, 3, 20)"
                ),
                {"s": shingle, "a": article_id, "t": "2026-02-27 06:00:00"},
            )
        assert sorted(conn.execute(text("SELECT shingle FROM story_shingles")).scalars()) == [-(2**63), 8, 2**63 - 1]
    migrate.downgrade(engine, "0005")
    assert tables(engine) == TABLES_0005 | {"alembic_version"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM article_tags")).scalar() == 1
    migrate.upgrade(engine)
    assert schema_diff(engine) == []
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO story_shingles (shingle, article_id, story_cluster_id, at, sample_size, shingle_count) "
                "SELECT 8, id, story_cluster_id, first_seen_at, 1, 5 FROM articles"
            )
        )
        conn.execute(
            text(
                "INSERT INTO story_shingle_sets (article_id, at, shingles) SELECT id, first_seen_at, :b FROM articles"
            ),
            {"b": bytes(range(16))},
        )
        conn.execute(text("DELETE FROM article_tags"))
        conn.execute(text("DELETE FROM story_clusters"))
        conn.execute(text("DELETE FROM articles"))
        assert conn.execute(text("SELECT count(*) FROM story_shingles")).scalar() == 0, "cascaded with the article"
        assert conn.execute(text("SELECT count(*) FROM story_shingle_sets")).scalar() == 0


def _insert(conn: Connection, table: str, values: dict[str, object]) -> int:
    columns = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"), values)
    return int(conn.execute(text(f"SELECT max(id) FROM {table}")).scalar_one())


def _article(conn: Connection, canonical_url: str, url: str, **changes: object) -> int:
    """Another article of source ians (story s-1, relevant, first seen 27 Feb 06:00 UTC); its id."""
    at = "2026-02-27 06:00:00"
    row = {
        "canonical_url": canonical_url, "url": url, "source": "ians", "title": "India and Italy", "authors": "",
        "published_from": "", "first_seen_at": at, "fetched_at": at, "updated_at": at, "language": "en",
        "text": "text", "summary": "text", "content_hash": "h", "story_cluster_id": "s-1", "relevant": True,
        "score": 0.9, "tags": "[]", "evidence": "[]", "entities": "[]", "version": 1,
    }  # fmt: skip
    return _insert(conn, "articles", row | changes)


def _feed_item(conn: Connection, canonical_url: str, link: str) -> int:
    row = {
        "source": "ians", "guid": "g", "link": link, "canonical_url": canonical_url, "title": "t", "summary": "",
        "first_seen_at": "2026-02-27 06:00:00", "status": "done", "attempts": 0,
    }  # fmt: skip
    return _insert(conn, "feed_items", row)


def _one(conn: Connection, sql: str, **params: object) -> object:
    return conn.execute(text(sql), params).scalar()


def test_0007_adds_publishers_and_daily_totals_and_gives_http_back(engine: Engine) -> None:
    """0006 -> 0007 adds articles.publisher and feed_items.publisher ("" on the rows already there) and
    v_daily_totals, and spells with http again the canonical URLs that canonicalisation had made https for
    a page reached over http on the same host (an http-only site); 0007 -> 0006 spells them https again
    and drops the columns and the view without copying articles (its tag survives)."""
    migrate.upgrade(engine, "0006")
    _one_article(engine)  # https://ians.example/a, fetched over https: stays as it is
    with engine.begin() as conn:
        http_only = _article(conn, "https://old.example/b", "http://www.old.example/b/?utm_source=x")
        elsewhere = _article(conn, "https://new.example/c", "http://cdn.example/c")
        item = _feed_item(conn, "https://old.example/b", "http://old.example/b")
    migrate.upgrade(engine, "0007")
    assert schema_diff(engine) == []
    assert views(engine) == VIEWS
    with engine.connect() as conn:
        urls = dict(conn.execute(text("SELECT id, canonical_url FROM articles")).tuples().all())
        assert conn.execute(text("SELECT DISTINCT publisher FROM articles")).scalars().all() == [""]
        assert tuple(conn.execute(text("SELECT canonical_url, publisher FROM feed_items")).one()) == (
            "http://old.example/b",
            "",
        )
    assert urls[http_only] == "http://old.example/b", "the page exists over http only"
    assert urls[elsewhere] == "https://new.example/c", "another host: nothing says the https address is made up"
    assert "https://ians.example/a" in urls.values()
    migrate.downgrade(engine, "0006")
    assert "publisher" not in _columns(engine, "articles") and "publisher" not in _columns(engine, "feed_items")
    assert views(engine) == VIEWS_0005
    with engine.connect() as conn:
        assert _one(conn, "SELECT canonical_url FROM articles WHERE id = :i", i=http_only) == "https://old.example/b"
        assert _one(conn, "SELECT canonical_url FROM feed_items WHERE id = :i", i=item) == "https://old.example/b"
        assert _one(conn, "SELECT count(*) FROM article_tags") == 1
    migrate.upgrade(engine)
    assert schema_diff(engine) == []


def test_daily_totals_count_each_article_once(engine: Engine) -> None:
    """v_daily_counts has a row per topic, so an article with two topics is in two rows and its sums over
    topics count it twice; v_daily_totals (per day and source) adds up to the number of articles."""
    migrate.upgrade(engine)
    _one_article(engine)  # 27 Feb, relevant, topic naval
    with engine.begin() as conn:
        two_topics = _article(conn, "https://ians.example/b", "https://ians.example/b")
        for rank, tag in enumerate(("naval", "industry")):
            conn.execute(
                text("INSERT INTO article_tags (article_id, tag, rank) VALUES (:a, :t, :r)"),
                {"a": two_topics, "t": tag, "r": rank},
            )
        later = {"relevant": False, "published_at": "2026-02-28 01:00:00"}
        _article(conn, "https://ians.example/c", "https://ians.example/c", **later)
    with engine.connect() as conn:
        total = _one(conn, "SELECT count(*) FROM articles")
        by_topic = _one(conn, "SELECT sum(articles) FROM v_daily_counts")
        totals = conn.execute(
            text("SELECT CAST(day AS VARCHAR(10)), source, articles, relevant_articles FROM v_daily_totals ORDER BY 1")
        ).all()
        summed = conn.execute(text("SELECT sum(articles), sum(relevant_articles) FROM v_daily_totals")).one()
    assert total == 3 and by_topic == 4, "the article with two topics is in two rows of v_daily_counts"
    assert [tuple(r) for r in totals] == [("2026-02-27", "ians", 2, 2), ("2026-02-28", "ians", 1, 0)]
    assert tuple(summed) == (3, 2)


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
