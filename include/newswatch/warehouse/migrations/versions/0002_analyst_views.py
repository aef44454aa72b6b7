"""Analyst views: v_india_italy_defence, v_daily_counts, v_feed_health.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 06:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

VIEWS = ("v_india_italy_defence", "v_daily_counts", "v_feed_health")


def _aggregate(dialect: str, expression: str) -> str:
    """A comma-separated list of the distinct values of ``expression``, on each backend."""
    if dialect == "postgresql":
        return f"string_agg(DISTINCT {expression}, ',' ORDER BY {expression})"
    return f"group_concat(DISTINCT {expression})"


def _utc_day(dialect: str, expression: str) -> str:
    if dialect == "postgresql":
        return f"(({expression}) AT TIME ZONE 'UTC')::date"
    return f"date({expression})"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(f"""
        CREATE VIEW v_india_italy_defence AS
        SELECT c.id AS story_id,
               c.title AS headline,
               a.url AS url,
               a.source AS lead_source,
               c.first_published_at,
               c.first_seen_at,
               c.max_score AS score,
               c.article_count,
               c.source_count,
               (SELECT {_aggregate(dialect, "t.tag")} FROM article_tags t
                  JOIN articles x ON x.id = t.article_id WHERE x.story_cluster_id = c.id) AS tags,
               (SELECT {_aggregate(dialect, "x.source")} FROM articles x
                  WHERE x.story_cluster_id = c.id) AS sources
        FROM story_clusters c
        LEFT JOIN articles a ON a.id = c.lead_article_id
        WHERE c.relevant
    """)
    op.execute(f"""
        CREATE VIEW v_daily_counts AS
        SELECT d.day, d.source, d.topic, count(*) AS articles, sum(d.is_relevant) AS relevant_articles
        FROM (
            SELECT {_utc_day(dialect, "coalesce(a.published_at, a.first_seen_at)")} AS day,
                   a.source,
                   coalesce(t.tag, '(none)') AS topic,
                   CASE WHEN a.relevant THEN 1 ELSE 0 END AS is_relevant
            FROM articles a
            LEFT JOIN article_tags t ON t.article_id = a.id
        ) d
        GROUP BY d.day, d.source, d.topic
    """)
    op.execute("""
        CREATE VIEW v_feed_health AS
        SELECT s.name AS source,
               s.title,
               s.enabled,
               CASE WHEN h.source IS NULL THEN 'never polled'
                    WHEN h.consecutive_failures > 0 THEN 'failing'
                    WHEN h.last_error IS NOT NULL THEN 'warning'
                    ELSE 'ok' END AS status,
               h.last_attempt_at,
               h.last_success_at,
               h.http_status,
               h.consecutive_failures,
               h.last_error,
               h.items_seen,
               h.new_items,
               h.bytes,
               h.duration_s
        FROM sources s
        LEFT JOIN feed_health h ON h.source = s.name
    """)


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
