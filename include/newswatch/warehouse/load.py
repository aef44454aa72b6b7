"""Idempotent bulk writes: dialect-specific ``INSERT … ON CONFLICT`` in batches.

Running the same load twice changes nothing; an article whose content changed is updated in place
(``updated_at`` set, ``version`` + 1), never duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from newswatch.records import Article, FeedItem, Verdict
from newswatch.warehouse.schema import ArticleRow, FeedHealthRow, FeedItemRow, FeedPollRow, SourceRow

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 1_000


def _insert(session: Session, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for database dialect {dialect!r}")


def _batches(rows: Sequence[dict[str, Any]], size: int = BATCH_SIZE) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    key: Sequence[str],
    update_columns: Sequence[str] | None = None,
) -> None:
    """Insert ``rows``; on a ``key`` conflict update ``update_columns`` (or do nothing when empty)."""
    for batch in _batches(rows):
        stmt = _insert(session, table)
        if update_columns:
            stmt = stmt.on_conflict_do_update(
                index_elements=list(key),
                set_={c: getattr(stmt.excluded, c) for c in update_columns},
            )
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
        session.execute(stmt, list(batch))


def upsert_sources(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    upsert(session, SourceRow.__table__, rows, ["name"], ["title", "feed_url", "language", "country", "enabled"])  # type: ignore[arg-type]


def insert_new_items(session: Session, items: Sequence[FeedItem], canonical: Sequence[str], seen_at: datetime) -> int:
    """Queue feed items not seen before for their source; return how many were new."""
    if not items:
        return 0
    source = items[0].source
    table = FeedItemRow.__table__
    known = set(
        session.scalars(
            select(FeedItemRow.canonical_url).where(
                FeedItemRow.source == source, FeedItemRow.canonical_url.in_(set(canonical))
            )
        )
    )
    rows: list[dict[str, Any]] = []
    for item, url in zip(items, canonical, strict=True):
        if url in known:
            continue
        known.add(url)
        rows.append(
            {
                "source": item.source,
                "guid": item.guid,
                "link": item.link,
                "canonical_url": url,
                "title": item.title,
                "summary": item.summary,
                "published_at": item.published_at,
                "first_seen_at": seen_at,
                "status": "new",
                "attempts": 0,
            }
        )
    upsert(session, table, rows, ["source", "canonical_url"])  # type: ignore[arg-type]
    return len(rows)


ARTICLE_UPDATE_COLUMNS = (
    "url",
    "title",
    "authors",
    "published_at",
    "published_from",
    "fetched_at",
    "updated_at",
    "language",
    "dateline",
    "wire",
    "text",
    "summary",
    "content_hash",
    "relevant",
    "score",
    "tags",
    "evidence",
    "entities",
    "raw_ref",
)


def verdict_columns(verdict: Verdict | None) -> dict[str, Any]:
    """The ``articles`` columns that hold the tagger's verdict."""
    return {
        "relevant": bool(verdict and verdict.relevant),
        "score": verdict.score if verdict else 0.0,
        "tags": list(verdict.tags) if verdict else [],
        "evidence": [{"sentence": e.sentence, "terms": list(e.terms)} for e in verdict.evidence] if verdict else [],
        "entities": list(verdict.entities) if verdict else [],
    }


def article_row(article: Article) -> dict[str, Any]:
    return {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "authors": article.author,
        "published_at": article.published_at,
        "published_from": article.published_from,
        "first_seen_at": article.first_seen_at,
        "fetched_at": article.fetched_at,
        "updated_at": article.fetched_at,
        "language": article.language,
        "dateline": article.dateline,
        "wire": article.wire,
        "text": article.text,
        "summary": article.summary,
        "content_hash": article.content_hash,
        "story_cluster_id": article.story_cluster_id,
        **verdict_columns(article.verdict),
        "raw_ref": article.raw_ref,
        "version": 1,
    }


def upsert_articles(session: Session, articles: Sequence[Article]) -> None:
    """Insert new articles; update changed ones in place with ``version`` + 1; leave equal ones alone."""
    table: Table = ArticleRow.__table__  # type: ignore[assignment]
    rows = [article_row(a) for a in articles]
    for batch in _batches(rows):
        stmt = _insert(session, table)
        changes = {c: getattr(stmt.excluded, c) for c in ARTICLE_UPDATE_COLUMNS}
        changes["version"] = table.c.version + 1
        stmt = stmt.on_conflict_do_update(
            index_elements=["canonical_url"],
            set_=changes,
            where=or_(
                table.c.content_hash != stmt.excluded.content_hash,
                table.c.title != stmt.excluded.title,
            ),
        )
        session.execute(stmt, list(batch))


def record_poll(session: Session, poll: dict[str, Any], health: dict[str, Any]) -> None:
    """Append the poll to the history and replace the source's current feed health."""
    session.execute(FeedPollRow.__table__.insert(), [poll])  # type: ignore[attr-defined]
    columns = [c for c in health if c != "source"]
    upsert(session, FeedHealthRow.__table__, [health], ["source"], columns)  # type: ignore[arg-type]


def mark_items(session: Session, ids: Sequence[int], **values: Any) -> None:
    if ids:
        session.execute(update(FeedItemRow).where(FeedItemRow.id.in_(list(ids))).values(**values))


def retry_or_fail_item(session: Session, item_id: int, error: str, max_attempts: int) -> None:
    """Count a failed fetch; give up (status ``failed``) after ``max_attempts``."""
    session.execute(
        update(FeedItemRow)
        .where(FeedItemRow.id == item_id)
        .values(attempts=FeedItemRow.attempts + 1, error=error[:1000])
    )
    session.execute(
        update(FeedItemRow)
        .where(and_(FeedItemRow.id == item_id, FeedItemRow.attempts >= max_attempts))
        .values(status="failed")
    )
