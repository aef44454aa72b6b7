"""The story index kept between cycles: story_shingles, a sample of each article's shingle hashes, and
story_shingle_sets, all of them in one value per article.

Rows cascade with their article. A warehouse upgraded with articles already there gets its index filled
by the next process run (``process.recent_story_index`` indexes the window when the table is empty).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_shingles",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("shingle", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("story_cluster_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("shingle_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_shingles_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "shingle", name=op.f("pk_story_shingles")),
    )
    op.create_index(
        "ix_story_shingles_lookup",
        "story_shingles",
        ["shingle", "story_cluster_id", "at", "article_id", "sample_size", "shingle_count"],
    )
    op.create_table(
        "story_shingle_sets",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shingles", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_shingle_sets_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_story_shingle_sets")),
    )


def downgrade() -> None:
    op.drop_table("story_shingle_sets")
    op.drop_index("ix_story_shingles_lookup", table_name="story_shingles")
    op.drop_table("story_shingles")
