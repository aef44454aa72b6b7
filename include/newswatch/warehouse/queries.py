"""Read queries used by the pipeline, the digest, the CLI and the UI."""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, text
from sqlalchemy.orm import Session

from newswatch.records import Contribution
from newswatch.urls import page_key, scheme_twins
from newswatch.warehouse.schema import (
    ArticleRow,
    EventReportRow,
    EventTermRow,
    FeedHealthRow,
    FeedItemRow,
    SourceRow,
    StoryShingleRow,
    StoryShingleSetRow,
    UTCDateTime,
    event_term,
)

IN_LIST_SIZE = 500  # SQLite allows 32,766 parameters in one statement: 500 in an IN list is safe


@dataclass(frozen=True)
class StoryArticle:
    """An article as the digest sees it."""

    id: int
    source: str
    source_title: str
    url: str
    title: str
    summary: str
    published_at: datetime | None
    first_seen_at: datetime
    score: float
    tags: list[str]
    evidence: list[dict[str, Any]]
    story_cluster_id: str
    wire: str | None
    dateline: str | None
    language: str = "en"
    event_id: str = ""  # the event its story reports; the story itself for an article loaded before events

    @property
    def when(self) -> datetime:
        return self.published_at or self.first_seen_at


def recent_article_texts(session: Session, since: datetime) -> Iterable[tuple[str, str]]:
    """``(story_cluster_id, text)`` of the articles first seen since ``since``, oldest first (streamed):
    the ones a new article may be a copy of."""
    return session.execute(
        select(ArticleRow.story_cluster_id, ArticleRow.text)
        .where(ArticleRow.first_seen_at >= since)
        .order_by(ArticleRow.id)
    ).tuples()


def story_index_is_empty(session: Session) -> bool:
    """Whether the story index (``story_shingles``) has no row at all: a new warehouse, or one upgraded
    from before migration 0006 whose recent articles are still to be indexed."""
    return session.scalar(select(StoryShingleRow.article_id).limit(1)) is None


@dataclass(frozen=True)
class StoryIndexMatches:
    """What the story index holds for a set of shingles, within the clustering window."""

    common: set[int]  # the shingles stored for articles of more than ``max_clusters`` stories: boilerplate
    # (shingle, article_id, story_cluster_id, sample_size, shingle_count) of the others
    rows: list[tuple[int, int, str, int, int]]


SHINGLE_LIST_SIZE = 5_000  # shingles per look-up: one bound parameter (a JSON or an SQL array) each


def story_index_matches(
    session: Session, shingles: Iterable[int], since: datetime, max_clusters: int
) -> StoryIndexMatches:
    """The indexed articles first seen since ``since`` that have any of ``shingles``: for each shingle
    found for articles of at most ``max_clusters`` stories, its rows; the others (boilerplate) by name.

    Whether a shingle spans more stories is decided by reading its rows until ``max_clusters`` + 1
    distinct stories are found, never more (``ix_story_shingles_lookup`` holds all it reads), so a
    disclaimer in every other article costs as little as a rare phrase: the work depends on the shingles
    asked for and the articles really sharing them, not on the size of the window.
    """
    wanted = sorted(set(shingles))
    postgres = session.get_bind().dialect.name == "postgresql"
    # The list as one parameter: a bigint[] on PostgreSQL, a JSON array read by json_each on SQLite.
    listed = (
        "unnest(CAST(:shingles AS BIGINT[])) AS q(shingle)"
        if postgres
        else "(SELECT value AS shingle FROM json_each(:shingles)) AS q"
    )
    common_query = text(
        f"SELECT q.shingle FROM {listed} "
        "WHERE (SELECT count(*) FROM (SELECT DISTINCT s.story_cluster_id FROM story_shingles AS s "
        "WHERE s.shingle = q.shingle AND s.at >= :since LIMIT :enough) AS d) > :most"
    ).bindparams(bindparam("since", type_=UTCDateTime()))
    rows_query = text(
        "SELECT s.shingle, s.article_id, s.story_cluster_id, s.sample_size, s.shingle_count "
        f"FROM {listed} JOIN story_shingles AS s ON s.shingle = q.shingle WHERE s.at >= :since"
    ).bindparams(bindparam("since", type_=UTCDateTime()))
    common: set[int] = set()
    rows: list[tuple[int, int, str, int, int]] = []
    for first in range(0, len(wanted), SHINGLE_LIST_SIZE):
        chunk = wanted[first : first + SHINGLE_LIST_SIZE]
        found = {
            int(s)
            for s in session.scalars(
                common_query,
                {
                    "shingles": chunk if postgres else json.dumps(chunk),
                    "since": since,
                    "enough": max_clusters + 1,
                    "most": max_clusters,
                },
            )
        }
        common |= found
        rest = [s for s in chunk if s not in found]
        if rest:
            rows.extend(
                (int(shingle), int(article_id), str(story), int(size), int(count))
                for shingle, article_id, story, size, count in session.execute(
                    rows_query, {"shingles": rest if postgres else json.dumps(rest), "since": since}
                )
            )
    return StoryIndexMatches(common, rows)


def story_shingle_sets(session: Session, article_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Every shingle hash of the given indexed articles (``story_shingle_sets``); an article without its
    set is left out."""
    wanted = sorted(set(article_ids))
    found: dict[int, frozenset[int]] = {}
    for first in range(0, len(wanted), IN_LIST_SIZE):
        rows = session.execute(
            select(StoryShingleSetRow.article_id, StoryShingleSetRow.shingles).where(
                StoryShingleSetRow.article_id.in_(wanted[first : first + IN_LIST_SIZE])
            )
        )
        for article_id, packed in rows:
            values = array("q")
            values.frombytes(bytes(packed))
            if sys.byteorder != "little":
                values.byteswap()
            found[int(article_id)] = frozenset(values)
    return found


def article_texts(session: Session, article_ids: Iterable[int]) -> list[tuple[str, str]]:
    """``(story_cluster_id, text)`` of the given articles, in the order they were stored (by id)."""
    wanted = sorted(set(article_ids))
    found: list[tuple[int, str, str]] = []
    for first in range(0, len(wanted), IN_LIST_SIZE):
        found.extend(
            session.execute(
                select(ArticleRow.id, ArticleRow.story_cluster_id, ArticleRow.text).where(
                    ArticleRow.id.in_(wanted[first : first + IN_LIST_SIZE])
                )
            ).tuples()
        )
    found.sort()
    return [(cluster_id, text) for _, cluster_id, text in found]


def recent_article_ids_and_texts(session: Session, since: datetime) -> Iterable[tuple[int, str]]:
    """``(id, text)`` of the articles first seen since ``since``, oldest first (streamed): the window a
    new story index is filled with."""
    return session.execute(
        select(ArticleRow.id, ArticleRow.text).where(ArticleRow.first_seen_at >= since).order_by(ArticleRow.id)
    ).tuples()


def known_article_urls(session: Session, urls: set[str]) -> set[str]:
    """Those of the canonical ``urls`` whose page has an article, under this spelling or the other scheme's."""
    if not urls:
        return set()
    spellings = sorted({twin for url in urls for twin in scheme_twins(url)})
    stored: set[str] = set()
    for first in range(0, len(spellings), IN_LIST_SIZE):
        chunk = spellings[first : first + IN_LIST_SIZE]
        found = session.scalars(select(ArticleRow.canonical_url).where(ArticleRow.canonical_url.in_(chunk)))
        stored.update(map(page_key, found))
    return {url for url in urls if page_key(url) in stored}


def relevant_articles(session: Session, start: datetime, end: datetime) -> list[StoryArticle]:
    """Relevant articles published (or, undated, first seen) in ``[start, end)``."""
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    rows = session.execute(
        select(ArticleRow, SourceRow.title)
        .join(SourceRow, SourceRow.name == ArticleRow.source)
        .where(ArticleRow.relevant.is_(True), when >= start, when < end)
        .order_by(ArticleRow.score.desc(), ArticleRow.id)
    )
    return [story_article(a, title) for a, title in rows]


def story_article(a: ArticleRow, source_title: str | None) -> StoryArticle:
    """An ``articles`` row (with its source's title) as the digest sees it: the outlet shown is the
    publisher an aggregator's item named (Google News), else the source's title."""
    return StoryArticle(
        id=a.id,
        source=a.source,
        source_title=a.publisher or source_title or a.source,
        url=a.url,
        title=a.title,
        summary=a.summary,
        published_at=a.published_at,
        first_seen_at=a.first_seen_at,
        score=a.score,
        tags=list(a.tags or []),
        evidence=list(a.evidence or []),
        story_cluster_id=a.story_cluster_id,
        wire=a.wire,
        dateline=a.dateline,
        language=a.language or "en",
        event_id=a.event_id or a.story_cluster_id,
    )


def event_of() -> ColumnElement[str]:
    """The event an ``articles`` row reports, as SQL: its ``event_id``, or its story for a row loaded
    before events existed."""
    return func.coalesce(ArticleRow.event_id, ArticleRow.story_cluster_id)


def event_candidates(
    session: Session, terms: Iterable[str], start: datetime, end: datetime
) -> list[tuple[str, str, datetime, float, dict[str, Any]]]:
    """``(story_cluster_id, event_id, at, spread_hours, profile)`` of the indexed stories that have any of
    ``terms`` at a time in ``[start, end]``: the events a new report may belong to. Each story once,
    ordered by ``at``, then story."""
    wanted = sorted({event_term(t) for t in terms if t})
    found: dict[str, tuple[str, str, datetime, float, dict[str, Any]]] = {}
    for first in range(0, len(wanted), IN_LIST_SIZE):
        matching = (
            select(EventTermRow.story_cluster_id)
            .where(
                EventTermRow.term.in_(wanted[first : first + IN_LIST_SIZE]),
                EventTermRow.at >= start,
                EventTermRow.at <= end,
            )
            .distinct()
        )
        rows = session.execute(
            select(
                EventReportRow.story_cluster_id,
                EventReportRow.event_id,
                EventReportRow.at,
                EventReportRow.spread_hours,
                EventReportRow.profile,
            ).where(EventReportRow.story_cluster_id.in_(matching))
        )
        for story, event, at, spread, profile in rows:
            found[story] = (story, event, at, float(spread), dict(profile or {}))
    return sorted(found.values(), key=lambda row: (row[2], row[0]))


def story_events(session: Session, story_ids: Iterable[str]) -> dict[str, str]:
    """``{story_cluster_id: event_id}`` of the given stories that are in the event index."""
    wanted = sorted(set(story_ids))
    events: dict[str, str] = {}
    for first in range(0, len(wanted), IN_LIST_SIZE):
        events.update(
            session.execute(
                select(EventReportRow.story_cluster_id, EventReportRow.event_id).where(
                    EventReportRow.story_cluster_id.in_(wanted[first : first + IN_LIST_SIZE])
                )
            )
            .tuples()
            .all()
        )
    return events


def daily_relevant_counts(session: Session, end: datetime, days: int, tz: tzinfo = UTC) -> dict[str, int]:
    """Relevant events per day (in ``tz``) over ``days`` days before ``end``, for the digest's chart.

    An event (its stories, in every outlet and language; an article loaded before events stands as its
    own event, its story) counts once, on the day its first relevant article in the window appeared.
    Days are cut in Python, not SQL, so that SQLite and PostgreSQL agree whatever the session time zone.
    """
    start = end - timedelta(days=days)
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    event = event_of()
    rows = session.execute(
        select(event, func.min(when)).where(ArticleRow.relevant.is_(True), when >= start, when < end).group_by(event)
    )
    counts: dict[str, int] = {}
    for _event, first in rows:
        if not isinstance(first, datetime):  # SQLite returns min() of a datetime column as text
            first = datetime.fromisoformat(str(first))
        if first.tzinfo is None:
            first = first.replace(tzinfo=UTC)
        day = first.astimezone(tz).date().isoformat()
        counts[day] = counts.get(day, 0) + 1
    return counts


def feed_health(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(FeedHealthRow).order_by(FeedHealthRow.source)).scalars()
    return [
        {c.name: getattr(row, c.name) for c in FeedHealthRow.__table__.columns if c.name not in ("etag", "body_hash")}
        for row in rows
    ]


def pending_items(session: Session, source: str, status: str, limit: int) -> list[FeedItemRow]:
    return list(
        session.execute(
            select(FeedItemRow)
            .where(FeedItemRow.source == source, FeedItemRow.status == status)
            .order_by(FeedItemRow.id)
            .limit(limit)
        ).scalars()
    )


def fetched_items(session: Session, limit: int) -> list[FeedItemRow]:
    return list(
        session.execute(
            select(FeedItemRow).where(FeedItemRow.status == "fetched").order_by(FeedItemRow.id).limit(limit)
        ).scalars()
    )


def table_counts(session: Session) -> dict[str, int]:
    return {
        "sources": session.scalar(select(func.count()).select_from(SourceRow)) or 0,
        "feed_items": session.scalar(select(func.count()).select_from(FeedItemRow)) or 0,
        "articles": session.scalar(select(func.count()).select_from(ArticleRow)) or 0,
        "relevant_articles": session.scalar(
            select(func.count()).select_from(ArticleRow).where(ArticleRow.relevant.is_(True))
        )
        or 0,
        "relevant_stories": session.scalar(
            select(func.count(func.distinct(ArticleRow.story_cluster_id))).where(ArticleRow.relevant.is_(True))
        )
        or 0,
        "relevant_events": session.scalar(
            select(func.count(func.distinct(event_of()))).where(ArticleRow.relevant.is_(True))
        )
        or 0,
    }


def parse_contributions(stored: Any) -> tuple[Contribution, ...]:
    """The ``articles.contributions`` JSON as records; an entry that is not a well-formed mapping (a row
    edited by hand) is skipped rather than failing the whole digest."""
    parsed = []
    for entry in stored if isinstance(stored, list) else ():
        if not isinstance(entry, dict):
            continue
        try:
            parsed.append(
                Contribution(
                    feature=str(entry.get("feature", "")),
                    description=str(entry.get("description") or entry.get("feature") or ""),
                    value=float(entry.get("value", 0.0)),
                    weight=float(entry["weight"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(parsed)


def strongest(contributions: Iterable[Contribution], sign: int, limit: int) -> list[Contribution]:
    """The ``limit`` contributions pulling hardest in ``sign``'s direction (+1 for, -1 against)."""
    pulling = [c for c in contributions if c.weight * sign > 0]
    return sorted(pulling, key=lambda c: -abs(c.weight))[:limit]


def event_term_counts(
    session: Session, terms: Iterable[str], start: datetime, end: datetime
) -> tuple[dict[str, int], int]:
    """How many indexed stories at a time in ``[start, end]`` have each of ``terms``, and how many
    indexed stories there are in that time: the window's document frequencies, for the event index's
    weights (:meth:`newswatch.events.EventIndex.weight`)."""
    wanted = sorted({event_term(t) for t in terms if t})
    counts: dict[str, int] = {}
    for first in range(0, len(wanted), IN_LIST_SIZE):
        counts.update(
            session.execute(
                select(EventTermRow.term, func.count())
                .where(
                    EventTermRow.term.in_(wanted[first : first + IN_LIST_SIZE]),
                    EventTermRow.at >= start,
                    EventTermRow.at <= end,
                )
                .group_by(EventTermRow.term)
            )
            .tuples()
            .all()
        )
    documents = session.scalar(
        select(func.count()).select_from(EventReportRow).where(EventReportRow.at >= start, EventReportRow.at <= end)
    )
    return counts, int(documents or 0)
