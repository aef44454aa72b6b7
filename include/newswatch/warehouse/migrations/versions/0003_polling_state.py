"""Polling state: adaptive intervals, backoff, failure alerts; item update times and page content types.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # v_feed_health reads feed_health: SQLite's batch mode recreates the table, so the view goes first.
    op.execute("DROP VIEW IF EXISTS v_feed_health")
    with op.batch_alter_table("feed_health") as batch:
        batch.add_column(sa.Column("interval_minutes", sa.Float(), nullable=True))
        batch.add_column(sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_new_item_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("feed_items") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("content_type", sa.String(length=200), nullable=True))
    _create_feed_health_view()


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_feed_health")
    with op.batch_alter_table("feed_items") as batch:
        batch.drop_column("content_type")
        batch.drop_column("updated_at")
    with op.batch_alter_table("feed_health") as batch:
        batch.drop_column("alerted_at")
        batch.drop_column("last_new_item_at")
        batch.drop_column("next_poll_at")
        batch.drop_column("interval_minutes")
    _create_feed_health_view(with_schedule=False)


def _create_feed_health_view(with_schedule: bool = True) -> None:
    schedule = ", h.interval_minutes, h.next_poll_at, h.alerted_at" if with_schedule else ""
    op.execute(f"""
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
               h.duration_s{schedule}
        FROM sources s
        LEFT JOIN feed_health h ON h.source = s.name
    """)
