"""Raw-page retention: pages fetched before a cutoff that nothing newer needs leave the raw store; the
articles made from them stay (their ``raw_ref`` is cleared). The story index rows of articles first seen
before the clustering window go too, since no cycle looks them up again."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import or_, select, update

from newswatch.config import Settings
from newswatch.ingest.rawstore import RawStore
from newswatch.process import CLUSTER_LOOKBACK
from newswatch.warehouse import load
from newswatch.warehouse.schema import ArticleRow, FeedItemRow
from newswatch.warehouse.session import warehouse

LOGGER = logging.getLogger(__name__)


def prune_raw_store(settings: Settings, cutoff: datetime) -> dict[str, int]:
    """Delete raw pages fetched before ``cutoff`` that nothing newer needs; article rows are kept.

    A page still queued for processing, or fetched again after the cutoff (same bytes, same
    reference), stays. The pruned articles' ``raw_ref`` is cleared so it never points at nothing.
    """
    store = RawStore(settings.raw_store_dir)
    with warehouse(settings) as session:
        old = set(
            session.scalars(
                select(ArticleRow.raw_ref).where(ArticleRow.fetched_at < cutoff, ArticleRow.raw_ref.is_not(None))
            )
        ) | set(
            # Pages that produced no article (no text, failed, duplicate) are found through their items.
            session.scalars(
                select(FeedItemRow.raw_ref).where(
                    FeedItemRow.fetched_at < cutoff,
                    FeedItemRow.raw_ref.is_not(None),
                    FeedItemRow.status != "fetched",
                )
            )
        )
        keep = set(
            session.scalars(
                select(ArticleRow.raw_ref).where(ArticleRow.fetched_at >= cutoff, ArticleRow.raw_ref.is_not(None))
            )
        ) | set(
            session.scalars(
                select(FeedItemRow.raw_ref).where(
                    FeedItemRow.raw_ref.is_not(None),
                    or_(FeedItemRow.status == "fetched", FeedItemRow.fetched_at >= cutoff),
                )
            )
        )
        doomed = sorted(r for r in old - keep if r)
        freed = sum(store.delete(ref) for ref in doomed)
        unlinked = 0
        for start in range(0, len(doomed), 1_000):
            chunk = doomed[start : start + 1_000]
            result = session.execute(update(ArticleRow).where(ArticleRow.raw_ref.in_(chunk)).values(raw_ref=None))
            unlinked += result.rowcount or 0  # type: ignore[attr-defined]
            session.execute(update(FeedItemRow).where(FeedItemRow.raw_ref.in_(chunk)).values(raw_ref=None))
        # The story index serves the clustering window of the cycles to come and nothing else, whatever the
        # raw retention: its rows of articles first seen before that window go.
        before = datetime.now(UTC) - CLUSTER_LOOKBACK
        unindexed = load.prune_story_shingles(session, before)
    LOGGER.info("prune story index before %s: %d rows", before.isoformat(), unindexed)
    counts = {"pages_deleted": len(doomed), "bytes_freed": freed, "articles_unlinked": unlinked}
    LOGGER.info("prune raw store before %s: %s", cutoff.isoformat(), counts)
    return counts
