"""Events: reports of one real-world event from different outlets and languages, grouped above the stories.

articles.event_id and story_clusters.event_id; the events table (one row per event), the event index
(event_reports, one row per story, and its terms in event_terms); the analysts' view v_events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # recreate="never", as in 0004: on SQLite a table copy of articles would cascade into article_tags and
    # article_entities, and a copy of story_clusters would lose nothing but is not needed either. The new
    # columns are nullable without a default, which plain ALTER TABLE … ADD COLUMN adds in place; the rows
    # already there read NULL ("no event yet": the queries take the story as its event).
    with op.batch_alter_table("articles", recreate="never") as batch:
        batch.add_column(sa.Column("event_id", sa.String(length=40), nullable=True))
    op.create_index("ix_articles_event", "articles", ["event_id"])
    with op.batch_alter_table("story_clusters", recreate="never") as batch:
        batch.add_column(sa.Column("event_id", sa.String(length=40), nullable=True))
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead_article_id", sa.Integer(), nullable=True),
        sa.Column("first_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("languages", sa.String(length=32), nullable=False),
        sa.Column("outlet_count", sa.Integer(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("story_count", sa.Integer(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_article_id"],
            ["articles.id"],
            name=op.f("fk_events_lead_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_table(
        "event_reports",
        sa.Column("story_cluster_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spread_hours", sa.Float(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("story_cluster_id", name=op.f("pk_event_reports")),
    )
    op.create_index(op.f("ix_event_reports_event_id"), "event_reports", ["event_id"])
    op.create_table(
        "event_terms",
        sa.Column("story_cluster_id", sa.String(length=40), nullable=False),
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("story_cluster_id", "term", name=op.f("pk_event_terms")),
    )
    op.create_index("ix_event_terms_term_at", "event_terms", ["term", "at"])
    op.execute("""
        CREATE VIEW v_events AS
        SELECT e.id AS event_id,
               e.first_seen_at,
               e.first_published_at,
               e.title AS headline,
               e.languages,
               e.outlet_count AS outlets,
               e.report_count AS reports,
               e.story_count AS stories,
               e.relevant,
               e.max_score
        FROM events e
    """)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_events")
    op.drop_index("ix_event_terms_term_at", table_name="event_terms")
    op.drop_table("event_terms")
    op.drop_index(op.f("ix_event_reports_event_id"), table_name="event_reports")
    op.drop_table("event_reports")
    op.drop_table("events")
    with op.batch_alter_table("story_clusters", recreate="never") as batch:  # never a copy: see upgrade()
        batch.drop_column("event_id")
    op.drop_index("ix_articles_event", table_name="articles")  # SQLite drops no indexed column
    with op.batch_alter_table("articles", recreate="never") as batch:
        batch.drop_column("event_id")
