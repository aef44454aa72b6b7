"""Idempotent bulk writes: dialect-specific ``INSERT … ON CONFLICT`` in batches.

Running the same load twice changes nothing; an article whose content changed is updated in place
(``updated_at`` set, ``version`` + 1), never duplicated.
"""

from __future__ import annotations

import json
import logging
import sys
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Table, and_, case, column, delete, func, literal_column, or_, select, table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from newswatch.records import Article, Contribution, EntityInfo, FeedItem, Verdict
from newswatch.urls import page_key, scheme_twins
from newswatch.warehouse.schema import (
    ArticleEntityRow,
    ArticleRow,
    ArticleTagRow,
    EntityRow,
    EventReportRow,
    EventRow,
    EventTermRow,
    FeedHealthRow,
    FeedItemRow,
    FeedPollRow,
    SourceRow,
    StoryClusterRow,
    StoryShingleRow,
    StoryShingleSetRow,
    event_term,
)

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 1_000
ARTICLE_BATCH_SIZE = 500  # SQLite allows 32,766 parameters in one statement: 500 URLs in an IN list is safe


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
    # A page is known under either scheme (url_key): its http and https links are one item.
    known = {
        page_key(url)
        for url in session.scalars(
            select(FeedItemRow.canonical_url).where(
                FeedItemRow.source == source, FeedItemRow.canonical_url.in_(_all_spellings(canonical))
            )
        )
    }
    rows: list[dict[str, Any]] = []
    for item, url in zip(items, canonical, strict=True):
        key = page_key(url)
        if key in known:
            continue
        known.add(key)
        rows.append(
            {
                "source": item.source,
                "guid": item.guid,
                "link": item.link,
                "canonical_url": url,
                "title": item.title,
                "publisher": item.publisher,
                "summary": item.summary,
                "published_at": item.published_at,
                "first_seen_at": seen_at,
                "status": "new",
                "attempts": 0,
                "updated_at": item.updated_at,
            }
        )
    upsert(session, table, rows, ["source", "canonical_url"])  # type: ignore[arg-type]
    return len(rows)


def requeue_updated_items(session: Session, items: Sequence[FeedItem], canonical: Sequence[str]) -> int:
    """Queue again the known items whose feed entry says they were updated since we fetched them."""
    updated = {page_key(url): item.updated_at for item, url in zip(items, canonical, strict=True) if item.updated_at}
    if not updated:
        return 0
    source = items[0].source
    spellings = _all_spellings(url for item, url in zip(items, canonical, strict=True) if item.updated_at)
    stored = session.execute(
        select(FeedItemRow.id, FeedItemRow.canonical_url, FeedItemRow.updated_at, FeedItemRow.status).where(
            FeedItemRow.source == source, FeedItemRow.canonical_url.in_(spellings)
        )
    ).all()
    requeued = 0
    for item_id, url, stored_updated, status in stored:
        newer = updated[page_key(url)]
        if status in ("done", "failed", "skipped") and stored_updated is not None and newer > stored_updated:
            session.execute(
                update(FeedItemRow)
                .where(FeedItemRow.id == item_id)
                .values(status="new", attempts=0, updated_at=newer, error=None)
            )
            requeued += 1
    return requeued


ARTICLE_UPDATE_COLUMNS = (
    "url",
    "title",
    "publisher",
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
    "contributions",
    "model_version",
    "raw_ref",
)


def verdict_columns(verdict: Verdict | None) -> dict[str, Any]:
    """The ``articles`` columns that hold the tagger's verdict (ingest and ``newswatch retag`` write these)."""
    return {
        "relevant": bool(verdict and verdict.relevant),
        "score": verdict.score if verdict else 0.0,
        "tags": list(verdict.tags) if verdict else [],
        "evidence": [{"sentence": e.sentence, "terms": list(e.terms)} for e in verdict.evidence] if verdict else [],
        "entities": list(verdict.entities) if verdict else [],
        "contributions": [contribution_json(c) for c in verdict.contributions] if verdict else [],
        "model_version": verdict.model_version if verdict else "",
    }


def contribution_json(contribution: Contribution) -> dict[str, Any]:
    """One feature's contribution as stored in ``articles.contributions`` (weight in log-odds)."""
    return {
        "feature": contribution.feature,
        "description": contribution.description,
        "value": float(contribution.value),
        "weight": float(contribution.weight),
    }


def article_row(article: Article) -> dict[str, Any]:
    return {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "publisher": article.publisher,
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
        "event_id": article.event_id,
        **verdict_columns(article.verdict),
        "raw_ref": article.raw_ref,
        "version": 1,
    }


def upsert_articles(session: Session, articles: Sequence[Article]) -> dict[str, int]:
    """Insert new articles; update changed ones in place with ``version`` + 1; leave equal ones alone.

    Returns ``{canonical_url: id}`` (the articles' own canonical URLs) of the rows inserted or changed
    (``RETURNING`` reports only those), so that their tags, entities and stories are rewritten and
    nothing else is touched. Two articles of one page (one :func:`~newswatch.urls.page_key`: the same
    canonical URL, or its http and https spellings) in the same call: the last one wins. A page already
    stored under the other scheme is updated under the spelling it was stored with.
    """
    # Sorted by URL, so that concurrent writers lock rows in the same order and cannot deadlock.
    by_page = {page_key(row["canonical_url"]): row for row in map(article_row, articles)}
    rows = sorted(by_page.values(), key=_url_key)
    if not rows:
        return {}
    upsert_batch = (
        _upsert_articles_postgres if session.get_bind().dialect.name == "postgresql" else _upsert_articles_sqlite
    )
    hold_sqlite_write_lock(session)
    written: dict[str, int] = {}
    for batch in _batches(rows, ARTICLE_BATCH_SIZE):
        todo, given = _new_or_changed(session, batch)
        if todo:
            for url, article_id in upsert_batch(session, todo).items():
                written[given.get(url, url)] = article_id
    return written


def _url_key(row: dict[str, Any]) -> str:
    return str(row["canonical_url"])


def _all_spellings(urls: Iterable[str]) -> list[str]:
    """Every spelling these canonical URLs' pages may be stored under (``newswatch.urls.scheme_twins``)."""
    return sorted({twin for url in urls for twin in scheme_twins(url)})


def _new_or_changed(session: Session, rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows whose page is not stored yet, or whose stored content or title differs; and for the rows
    whose page is stored under the other scheme, ``{stored spelling: the row's own}`` (such a row is
    written under the stored spelling).

    One indexed ``IN`` query; rows already stored as they are cost nothing more. The write that
    follows is still an upsert, so a row another writer stored in between is merged, not doubled.
    """
    articles = ArticleRow.__table__
    stored = {
        page_key(url): (url, content_hash, title)
        for url, content_hash, title in session.execute(
            select(articles.c.canonical_url, articles.c.content_hash, articles.c.title).where(
                articles.c.canonical_url.in_(_all_spellings(row["canonical_url"] for row in rows))
            )
        )
    }
    todo: list[dict[str, Any]] = []
    given: dict[str, str] = {}
    for row in rows:
        found = stored.get(page_key(row["canonical_url"]))
        if found is None:
            todo.append(row)
            continue
        spelling, content, title = found
        if (content, title) == (row["content_hash"], row["title"]):
            continue
        if spelling != row["canonical_url"]:
            given[spelling] = row["canonical_url"]
            row = {**row, "canonical_url": spelling}
        todo.append(row)
    return sorted(todo, key=_url_key), given


def _article_upsert(stmt: Any, returning: bool = True) -> Any:
    """``stmt`` (an INSERT into articles) made an upsert that only touches changed rows."""
    table = ArticleRow.__table__
    changes = {c: getattr(stmt.excluded, c) for c in ARTICLE_UPDATE_COLUMNS}
    changes["version"] = table.c.version + literal_column("1")  # a literal: the only parameters are the row's
    # A changed article keeps its story (story_cluster_id is not updated), so it keeps that story's event
    # too; a row loaded before events existed (event_id NULL) takes the one it is given.
    changes["event_id"] = func.coalesce(table.c.event_id, stmt.excluded.event_id)
    upsert = stmt.on_conflict_do_update(
        index_elements=["canonical_url"],
        set_=changes,
        where=or_(table.c.content_hash != stmt.excluded.content_hash, table.c.title != stmt.excluded.title),
    )
    return upsert.returning(table.c.id, table.c.canonical_url) if returning else upsert


def _upsert_articles_sqlite(session: Session, todo: list[dict[str, Any]]) -> dict[str, int]:
    """The DB-API's executemany with the columns' own bind processors.

    SQLAlchemy's per-row statement machinery dominates a SQLite bulk load; binding through each column
    type's processor keeps the same conversions (UTC timestamps, JSON) at a fraction of the cost.
    """
    articles: Table = ArticleRow.__table__  # type: ignore[assignment]
    connection = session.connection()
    # In the table's order, which is the order the compiled statement binds them in.
    columns = [c.name for c in articles.columns if c.name in todo[0]]
    processors = [articles.c[c].type._cached_bind_processor(connection.dialect) for c in columns]
    # Column by column: map() runs each type's processor over a whole column at C speed.
    values_by_column = [
        [row[c] for row in todo] if process is None else list(map(process, (row[c] for row in todo)))
        for c, process in zip(columns, processors, strict=True)
    ]
    params = list(zip(*values_by_column, strict=True))
    statement = _article_upsert(sqlite.insert(articles), returning=False)  # executemany returns no rows
    compiled = statement.compile(dialect=connection.dialect, column_keys=columns)
    if list(compiled.positiontup or []) != columns:
        raise RuntimeError(f"unexpected parameters in the article upsert: {compiled.positiontup}")
    connection.exec_driver_sql(compiled.string, params)
    # Exact, because upsert_articles holds the write lock since before it read what was stored.
    written = [r["canonical_url"] for r in todo]
    return {
        url: article_id
        for url, article_id in session.execute(
            select(articles.c.canonical_url, articles.c.id).where(articles.c.canonical_url.in_(written))
        )
    }


def hold_sqlite_write_lock(session: Session) -> None:
    """Make the session's SQLite transaction a write transaction now (``BEGIN IMMEDIATE``).

    A transaction that reads, then writes, must hold the write lock before it reads: otherwise
    another writer can change the data between the read and the write, and in WAL mode SQLite then
    refuses the write at once (SQLITE_BUSY_SNAPSHOT) instead of waiting. The lock is taken with the
    busy timeout, so concurrent writers queue up. A transaction that already wrote holds it already.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _upsert_articles_postgres(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    """COPY the rows into a temporary stage table, then one ``INSERT … SELECT … ON CONFLICT``.

    A multi-row VALUES statement spends most of its time having the driver parse thousands of
    placeholders; COPY streams the rows in the binary-safe text format instead.
    """
    columns = list(rows[0])
    column_list = ", ".join(columns)
    connection = session.connection()
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(
        f"DROP TABLE IF EXISTS pg_temp.articles_stage; "
        f"CREATE TEMP TABLE articles_stage ON COMMIT DROP AS SELECT {column_list} FROM articles WITH NO DATA"
    )
    json_columns = {c.name for c in ArticleRow.__table__.columns if isinstance(c.type, JSON)}
    with cursor.copy(f"COPY articles_stage ({column_list}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
    stage = table("articles_stage", *(column(c) for c in columns))
    articles: Table = ArticleRow.__table__  # type: ignore[assignment]
    stmt = _article_upsert(postgresql.insert(articles).from_select(columns, select(stage)))
    return {url: article_id for article_id, url in session.execute(stmt)}


def write_article_details(
    session: Session, verdicts: dict[int, Verdict | None], entities: Mapping[str, EntityInfo]
) -> None:
    """Replace the normalised tags and entities of the given articles (``{article_id: verdict}``)."""
    if not verdicts:
        return
    ids = list(verdicts)
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        session.execute(delete(ArticleTagRow).where(ArticleTagRow.article_id.in_(chunk)))
        session.execute(delete(ArticleEntityRow).where(ArticleEntityRow.article_id.in_(chunk)))
    tag_rows = [
        {"article_id": article_id, "tag": tag, "rank": rank}
        for article_id, verdict in verdicts.items()
        if verdict is not None
        for rank, tag in enumerate(dict.fromkeys(verdict.tags))
    ]
    names = sorted({name for v in verdicts.values() if v is not None for name in v.entities})
    entity_ids = upsert_entities(session, [entities.get(n) or EntityInfo(n, "organisation", "") for n in names])
    entity_rows = [
        {
            "article_id": article_id,
            "entity_id": entity_ids[name],
            "role": "evidence" if name in verdict.key_entities else "mentioned",
        }
        for article_id, verdict in verdicts.items()
        if verdict is not None
        for name in dict.fromkeys(verdict.entities)
    ]
    for target, rows in ((ArticleTagRow.__table__, tag_rows), (ArticleEntityRow.__table__, entity_rows)):
        for batch in _batches(rows):
            session.execute(target.insert(), list(batch))  # type: ignore[attr-defined]


def upsert_entities(session: Session, infos: Sequence[EntityInfo]) -> dict[str, int]:
    """Insert or refresh the given entities; return ``{name: id}``."""
    if not infos:
        return {}
    rows = [{"name": e.name, "kind": e.kind, "country": e.country, "description": e.description} for e in infos]
    upsert(session, EntityRow.__table__, rows, ["name"], ["kind", "country", "description"])  # type: ignore[arg-type]
    found = session.execute(select(EntityRow.name, EntityRow.id).where(EntityRow.name.in_([e.name for e in infos])))
    return {name: entity_id for name, entity_id in found}


def refresh_story_clusters(session: Session, cluster_ids: Iterable[str]) -> None:
    """Recompute the ``story_clusters`` rows of the given clusters from their articles."""
    wanted = sorted(set(cluster_ids))
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start : start + BATCH_SIZE]
        members = session.execute(
            select(
                ArticleRow.id,
                ArticleRow.story_cluster_id,
                ArticleRow.title,
                ArticleRow.source,
                ArticleRow.score,
                ArticleRow.relevant,
                ArticleRow.published_at,
                ArticleRow.first_seen_at,
                ArticleRow.event_id,
            ).where(ArticleRow.story_cluster_id.in_(chunk))
        ).all()
        by_cluster: dict[str, list[Any]] = {}
        for member in members:
            by_cluster.setdefault(member.story_cluster_id, []).append(member)
        rows = [_cluster_row(cluster_id, group) for cluster_id, group in by_cluster.items()]
        upsert(session, StoryClusterRow.__table__, rows, ["id"], [c for c in rows[0] if c != "id"] if rows else [])  # type: ignore[arg-type]


def _cluster_row(cluster_id: str, members: list[Any]) -> dict[str, Any]:
    # The lead is the copy the digest links to: the best scored, then the first seen.
    lead = min(members, key=lambda m: (-m.score, m.first_seen_at, m.id))
    published = [m.published_at for m in members if m.published_at is not None]
    # All copies of a story report one event; should they ever differ, the earliest copy's stands.
    with_event = [m for m in members if m.event_id is not None]
    event = min(with_event, key=lambda m: (m.first_seen_at, m.id)).event_id if with_event else None
    return {
        "id": cluster_id,
        "lead_article_id": lead.id,
        "title": lead.title,
        "first_published_at": min(published) if published else None,
        "first_seen_at": min(m.first_seen_at for m in members),
        "last_seen_at": max(m.first_seen_at for m in members),
        "article_count": len(members),
        "source_count": len({m.source for m in members}),
        "relevant": any(m.relevant for m in members),
        "max_score": max(m.score for m in members),
        "event_id": event,
    }


def refresh_events(session: Session, event_ids: Iterable[str]) -> None:
    """Recompute the ``events`` rows of the given events from their articles (``articles.event_id``).

    An event none of whose articles is left (they moved to another event, or were deleted) loses its row.
    """
    wanted = sorted(set(event_ids))
    for start in range(0, len(wanted), ARTICLE_BATCH_SIZE):
        chunk = wanted[start : start + ARTICLE_BATCH_SIZE]
        members = session.execute(
            select(
                ArticleRow.id,
                ArticleRow.event_id,
                ArticleRow.story_cluster_id,
                ArticleRow.title,
                ArticleRow.source,
                ArticleRow.language,
                ArticleRow.score,
                ArticleRow.relevant,
                ArticleRow.published_at,
                ArticleRow.first_seen_at,
            ).where(ArticleRow.event_id.in_(chunk))
        ).all()
        by_event: dict[str, list[Any]] = {}
        for member in members:
            by_event.setdefault(member.event_id, []).append(member)
        rows = [_event_row(event_id, group) for event_id, group in sorted(by_event.items())]
        if rows:
            upsert(session, EventRow.__table__, rows, ["id"], [c for c in rows[0] if c != "id"])  # type: ignore[arg-type]
        gone = [event_id for event_id in chunk if event_id not in by_event]
        if gone:
            session.execute(delete(EventRow).where(EventRow.id.in_(gone)))


EVENT_LANGUAGES_MAX_CHARS = 32  # events.languages


def _event_row(event_id: str, members: list[Any]) -> dict[str, Any]:
    # The lead is the report the digest shows first: a relevant one, the best scored, the earliest.
    lead = min(
        members,
        key=lambda m: (not m.relevant, -m.score, m.published_at or m.first_seen_at, m.id),
    )
    published = [m.published_at for m in members if m.published_at is not None]
    languages = ""
    for language in sorted({m.language for m in members if m.language}):
        joined = f"{languages},{language}" if languages else language
        if len(joined) > EVENT_LANGUAGES_MAX_CHARS:  # more languages than the column holds: the first ones
            break
        languages = joined
    return {
        "id": event_id,
        "title": lead.title,
        "lead_article_id": lead.id,
        "first_published_at": min(published) if published else None,
        "first_seen_at": min(m.first_seen_at for m in members),
        "last_seen_at": max(m.first_seen_at for m in members),
        "languages": languages,
        "outlet_count": len({m.source for m in members}),
        "report_count": len(members),
        "story_count": len({m.story_cluster_id for m in members}),
        "relevant": any(m.relevant for m in members),
        "max_score": max(m.score for m in members),
    }


def store_event_reports(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write the event index of the given stories: their ``event_reports`` rows (inserted or replaced)
    and their ``event_terms`` (replaced whole).

    Each row: ``story_cluster_id``, ``event_id``, ``at`` (aware), ``spread_hours``, ``profile`` (a dict)
    and ``terms`` (a list of strings, each cut to 120 characters as ``queries.event_candidates`` cuts
    the terms it looks up). Two rows for one story: the last one stands. Batched statements throughout.
    """
    by_story = {row["story_cluster_id"]: row for row in rows}
    if not by_story:
        return
    stories = sorted(by_story)  # one lock order for concurrent writers
    reports = [
        {
            "story_cluster_id": story,
            "event_id": by_story[story]["event_id"],
            "at": by_story[story]["at"],
            "spread_hours": float(by_story[story].get("spread_hours") or 0.0),
            "profile": dict(by_story[story].get("profile") or {}),
        }
        for story in stories
    ]
    report_table: Table = EventReportRow.__table__  # type: ignore[assignment]
    upsert(session, report_table, reports, ["story_cluster_id"], ["event_id", "at", "spread_hours", "profile"])
    for start in range(0, len(stories), ARTICLE_BATCH_SIZE):
        session.execute(
            delete(EventTermRow).where(EventTermRow.story_cluster_id.in_(stories[start : start + ARTICLE_BATCH_SIZE]))
        )
    terms = [
        {"story_cluster_id": story, "term": term, "at": by_story[story]["at"]}
        for story in stories
        for term in dict.fromkeys(event_term(t) for t in by_story[story].get("terms") or ())
        if term
    ]
    for batch in _batches(terms):
        session.execute(EventTermRow.__table__.insert(), list(batch))  # type: ignore[attr-defined]


SHINGLE_BATCH_SIZE = 5_000  # story_shingles rows per statement (five parameters each)


def store_story_shingles(
    session: Session, samples: Mapping[int, tuple[Collection[int], int, int, Collection[int]]]
) -> int:
    """Write the story index of the given articles, ``{article_id: (kept, sample_size, shingle_count,
    every)}``: the shingles kept for look-ups, how many are sampled, how many the text has, and all of
    them. Their ``story_shingles`` and ``story_shingle_sets`` rows are replaced whole, with the story and
    first-seen time the articles have in the warehouse; storing the same sample again changes nothing.
    Returns the number of ``story_shingles`` rows written.
    """
    ids = sorted(samples)  # one lock order for concurrent writers
    if not ids:
        return 0
    hold_sqlite_write_lock(session)
    articles = ArticleRow.__table__.c
    stored: dict[int, tuple[str, datetime]] = {}
    for start in range(0, len(ids), ARTICLE_BATCH_SIZE):
        chunk = ids[start : start + ARTICLE_BATCH_SIZE]
        session.execute(delete(StoryShingleRow).where(StoryShingleRow.article_id.in_(chunk)))
        session.execute(delete(StoryShingleSetRow).where(StoryShingleSetRow.article_id.in_(chunk)))
        stored.update(
            (article_id, (cluster_id, first_seen))
            for article_id, cluster_id, first_seen in session.execute(
                select(articles.id, articles.story_cluster_id, articles.first_seen_at).where(articles.id.in_(chunk))
            )
        )
    rows = [
        {
            "article_id": article_id,
            "shingle": shingle,
            "story_cluster_id": stored[article_id][0],
            "at": stored[article_id][1],
            "sample_size": samples[article_id][1],
            "shingle_count": samples[article_id][2],
        }
        for article_id in ids
        if article_id in stored
        for shingle in sorted(set(samples[article_id][0]))
    ]
    _insert_rows(session, StoryShingleRow.__table__, rows)  # type: ignore[arg-type]
    sets = [
        {"article_id": article_id, "at": stored[article_id][1], "shingles": pack_shingles(samples[article_id][3])}
        for article_id in ids
        if article_id in stored
    ]
    _insert_rows(session, StoryShingleSetRow.__table__, sets)  # type: ignore[arg-type]
    return len(rows)


def pack_shingles(shingles: Collection[int]) -> bytes:
    """A set of shingle hashes as ``story_shingle_sets`` stores it: ascending signed 64-bit little-endian."""
    packed = array("q", sorted(set(shingles)))
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Plain batched inserts (a row already there, from a concurrent writer, is left alone); on SQLite
    through the DB-API's executemany with the columns' own bind processors, as articles are."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        for batch in _batches(rows, SHINGLE_BATCH_SIZE):
            session.execute(_insert(session, table).on_conflict_do_nothing(), list(batch))
        return
    columns = [c.name for c in table.columns]
    processors = [table.c[c].type._cached_bind_processor(connection.dialect) for c in columns]
    statement = sqlite.insert(table).on_conflict_do_nothing()
    compiled = statement.compile(dialect=connection.dialect, column_keys=columns)
    if list(compiled.positiontup or []) != columns:
        raise RuntimeError(f"unexpected parameters in the insert into {table.name}: {compiled.positiontup}")
    for batch in _batches(rows, SHINGLE_BATCH_SIZE):
        values = [
            [row[c] for row in batch] if process is None else list(map(process, (row[c] for row in batch)))
            for c, process in zip(columns, processors, strict=True)
        ]
        connection.exec_driver_sql(compiled.string, list(zip(*values, strict=True)))


def prune_story_shingles(session: Session, before: datetime) -> int:
    """Delete the story index rows of articles first seen before ``before`` (outside every clustering
    window from then on); returns how many ``story_shingles`` rows went."""
    session.execute(delete(StoryShingleSetRow).where(StoryShingleSetRow.at < before))
    result = session.execute(delete(StoryShingleRow).where(StoryShingleRow.at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def record_poll(session: Session, poll: dict[str, Any], health: dict[str, Any]) -> None:
    """Append the poll to the history and replace the source's current feed health."""
    session.execute(FeedPollRow.__table__.insert(), [poll])  # type: ignore[attr-defined]
    columns = [c for c in health if c != "source"]
    upsert(session, FeedHealthRow.__table__, [health], ["source"], columns)  # type: ignore[arg-type]


def mark_items(session: Session, ids: Sequence[int], **values: Any) -> None:
    if ids:
        session.execute(update(FeedItemRow).where(FeedItemRow.id.in_(list(ids))).values(**values))


def mark_fetched_items(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Mark items fetched, one executemany by primary key: each row has ``id`` and the columns to set."""
    if rows:
        session.execute(update(FeedItemRow), [{"status": "fetched", "error": None, **row} for row in rows])


def retry_or_fail_item(session: Session, item_id: int, error: str, max_attempts: int, count: int = 1) -> None:
    """Count a failed fetch as ``count`` attempts; give up (status ``failed``) after ``max_attempts``."""
    session.execute(
        update(FeedItemRow)
        .where(FeedItemRow.id == item_id)
        .values(
            attempts=case(
                (FeedItemRow.attempts + count > max_attempts, max_attempts), else_=FeedItemRow.attempts + count
            ),
            error=error[:1000],
        )
    )
    session.execute(
        update(FeedItemRow)
        .where(and_(FeedItemRow.id == item_id, FeedItemRow.attempts >= max_attempts))
        .values(status="failed")
    )
