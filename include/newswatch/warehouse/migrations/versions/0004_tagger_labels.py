"""Learned tagger: each article's feature contributions and model version; analysts' labels of stories.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # recreate="never": on SQLite, batch mode would otherwise copy articles into a new table and drop
    # the old one, and inside the migration's transaction foreign keys stay enforced, so dropping it
    # would cascade into article_tags and article_entities. Plain ALTER TABLE … ADD/DROP COLUMN
    # (SQLite ≥ 3.35) leaves the table, its rows and the views that read it (v_india_italy_defence,
    # v_daily_counts: neither reads the new columns) as they are.
    with op.batch_alter_table("articles", recreate="never") as batch:
        # String server defaults (not SQL expressions), which SQLite can add without a table copy.
        batch.add_column(sa.Column("contributions", sa.JSON(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("model_version", sa.String(length=64), server_default="", nullable=False))
    op.create_table(
        "tagger_labels",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_cluster_id", sa.String(length=40), nullable=False),
        sa.Column("article_ids", sa.JSON(), nullable=False),
        sa.Column("canonical_urls", sa.JSON(), nullable=False),
        sa.Column("label", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("labelled_by", sa.String(length=256), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score_at_label", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tagger_labels")),
    )
    op.create_index(op.f("ix_tagger_labels_story_cluster_id"), "tagger_labels", ["story_cluster_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tagger_labels_story_cluster_id"), table_name="tagger_labels")
    op.drop_table("tagger_labels")
    with op.batch_alter_table("articles", recreate="never") as batch:  # never a copy: see upgrade()
        batch.drop_column("model_version")
        batch.drop_column("contributions")
