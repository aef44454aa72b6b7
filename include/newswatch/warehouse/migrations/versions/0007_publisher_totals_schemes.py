"""Publisher of aggregator items, daily totals view, canonical URLs that keep their scheme.

- ``feed_items.publisher`` and ``articles.publisher``: the outlet a Google News item names in its
  ``<source>``, shown as the article's outlet instead of the aggregator source's title ("" on the rows
  already there: they show the source's title as before).
- ``v_daily_totals``: articles and relevant articles per UTC day and source, each article once.
  ``v_daily_counts`` has a row per topic, and an article with two topics is in two of its rows, so its
  sums over topics count such an article twice; add up ``v_daily_totals`` for totals.
- Canonical URLs keep the scheme they were given from now on (before, http was spelt https, an address
  an http-only site does not have). Rows stored before this revision whose page was fetched over http
  from the same host (``articles.url``, ``feed_items.link``) get their http spelling back. Uniqueness
  stays one row per page whatever the scheme: the load treats the two spellings as one page.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12 09:00:00
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _utc_day(dialect: str, expression: str) -> str:
    if dialect == "postgresql":
        return f"(({expression}) AT TIME ZONE 'UTC')::date"
    return f"date({expression})"


def _host(url: str) -> tuple[str, int | None]:
    """(host without ``www.``, port) of a URL; a default port counts as none."""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None
    return host.removeprefix("www."), None if port in (80, 443) else port


def _http_again(table: str, given: str) -> None:
    """Spell ``canonical_url`` with http again where the page was reached over http on the same host
    (the column ``given``): the https spelling was made up by canonicalisation."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            f"SELECT id, canonical_url, {given} FROM {table} "
            f"WHERE canonical_url LIKE 'https://%' AND {given} LIKE 'http://%'"
        )
    ).all()
    fixed = [
        {"id": row_id, "url": "http" + canonical[5:]}
        for row_id, canonical, url in rows
        if _host(canonical) == _host(url) and _host(url)[0]
    ]
    if fixed:
        bind.execute(sa.text(f"UPDATE {table} SET canonical_url = :url WHERE id = :id"), fixed)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # recreate="never", as in 0004 and 0005: plain ALTER TABLE … ADD COLUMN, no copy of articles (a copy
    # on SQLite would cascade into article_tags and article_entities). A string server default lets
    # SQLite add a NOT NULL column in place.
    for table in ("feed_items", "articles"):
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(sa.Column("publisher", sa.String(length=200), server_default="", nullable=False))
    op.execute(f"""
        CREATE VIEW v_daily_totals AS
        SELECT d.day, d.source, count(*) AS articles, sum(d.is_relevant) AS relevant_articles
        FROM (
            SELECT {_utc_day(dialect, "coalesce(a.published_at, a.first_seen_at)")} AS day,
                   a.source,
                   CASE WHEN a.relevant THEN 1 ELSE 0 END AS is_relevant
            FROM articles a
        ) d
        GROUP BY d.day, d.source
    """)
    _http_again("articles", "url")
    _http_again("feed_items", "link")


def downgrade() -> None:
    # Before 0007 every http(s) canonical URL was spelt https: spell them so again, unless that spelling is
    # taken already (then the row keeps its own).
    op.execute(
        "UPDATE articles SET canonical_url = 'https' || substr(canonical_url, 5) "
        "WHERE canonical_url LIKE 'http://%' AND NOT EXISTS (SELECT 1 FROM articles twin "
        "WHERE twin.canonical_url = 'https' || substr(articles.canonical_url, 5))"
    )
    op.execute(
        "UPDATE feed_items SET canonical_url = 'https' || substr(canonical_url, 5) "
        "WHERE canonical_url LIKE 'http://%' AND NOT EXISTS (SELECT 1 FROM feed_items twin "
        "WHERE twin.source = feed_items.source "
        "AND twin.canonical_url = 'https' || substr(feed_items.canonical_url, 5))"
    )
    op.execute("DROP VIEW IF EXISTS v_daily_totals")
    for table in ("articles", "feed_items"):
        with op.batch_alter_table(table, recreate="never") as batch:  # never a copy: see upgrade()
            batch.drop_column("publisher")
