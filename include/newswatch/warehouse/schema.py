"""The warehouse schema: SQLAlchemy 2 typed declarative models.

Timestamps are stored in UTC (``timestamptz`` on PostgreSQL, naive UTC on SQLite) and always come
back as aware UTC datetimes, whatever the backend.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is UTC in the database and aware UTC in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given; the warehouse stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Any:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        # Bulk loads bind hundreds of thousands of timestamps: one C call instead of two Python steps.
        # The text is exactly SQLAlchemy's SQLite storage format ("YYYY-MM-DD HH:MM:SS.ffffff").
        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError(f"naive datetime {value!r} given; the warehouse stores aware UTC times only")
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text, e.g. from a view
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Named constraints and indexes, so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class SourceRow(Base):
    """One configured source, mirrored from sources.yaml at each run."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    feed_url: Mapped[str] = mapped_column(String(2000))
    language: Mapped[str] = mapped_column(String(8), default="en")
    country: Mapped[str] = mapped_column(String(8), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class FeedItemRow(Base):
    """An item seen in a feed; the work queue between polling, fetching and processing."""

    __tablename__ = "feed_items"
    __table_args__ = (
        UniqueConstraint("source", "canonical_url", name="uq_feed_items_source_url"),
        Index("ix_feed_items_status", "source", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64), ForeignKey("sources.name"))
    guid: Mapped[str] = mapped_column(String(2000))
    link: Mapped[str] = mapped_column(String(2000))
    canonical_url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    # The outlet an aggregator's item names (Google News' <source>); "" for a publisher's own feed.
    # Added by migration 0007 (server default "", so rows queued before it read as "no publisher").
    publisher: Mapped[str] = mapped_column(String(200), default="", server_default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="new")  # new, fetched, done, failed, skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    final_url: Mapped[str | None] = mapped_column(String(2000))
    raw_ref: Mapped[str | None] = mapped_column(String(200))
    fetched_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None]  # the feed's "updated" time: a newer one means fetch again
    content_type: Mapped[str | None] = mapped_column(String(200))  # of the fetched page, for its charset


class ArticleRow(Base):
    """One article per canonical URL: clean text, metadata and the tagger's verdict."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_published", "published_at"),
        Index("ix_articles_relevant", "relevant", "published_at"),
        Index("ix_articles_cluster", "story_cluster_id"),
        Index("ix_articles_hash", "content_hash"),
        Index("ix_articles_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    source: Mapped[str] = mapped_column(String(64), ForeignKey("sources.name"))
    title: Mapped[str] = mapped_column(Text, default="")
    # The outlet that published it when an aggregator (Google News) brought it in, from the feed item's
    # <source>: shown as the article's outlet instead of the aggregator source's title. "" otherwise, and
    # on rows loaded before migration 0007.
    publisher: Mapped[str] = mapped_column(String(200), default="", server_default="")
    authors: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    published_from: Mapped[str] = mapped_column(String(16), default="")
    first_seen_at: Mapped[datetime]
    fetched_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    language: Mapped[str] = mapped_column(String(8), default="en")
    dateline: Mapped[str | None] = mapped_column(String(100))
    wire: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    story_cluster_id: Mapped[str] = mapped_column(String(40))
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    entities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    raw_ref: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The features that weighed most for and against the verdict: [{"feature", "description", "value",
    # "weight"}], weight in log-odds. Server defaults, so that rows loaded before migration 0004 read as
    # "no contributions" from "no model".
    contributions: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    model_version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The real-world event the article reports (``events.id``), shared by every article of its story.
    # NULL on rows loaded before migration 0005: such an article stands as its own event, its story.
    event_id: Mapped[str | None] = mapped_column(String(40))


class FeedHealthRow(Base):
    """The current state of each source's feed, for ops; also keeps the HTTP validators."""

    __tablename__ = "feed_health"

    source: Mapped[str] = mapped_column(String(64), ForeignKey("sources.name"), primary_key=True)
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    http_status: Mapped[int | None] = mapped_column(Integer)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    new_items: Mapped[int] = mapped_column(Integer, default=0)
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    interval_minutes: Mapped[float | None] = mapped_column(Float)  # the adaptive poll interval
    next_poll_at: Mapped[datetime | None]  # not polled before this (interval, backoff or Retry-After)
    last_new_item_at: Mapped[datetime | None]
    alerted_at: Mapped[datetime | None]  # ops were told of the current run of failures at this time


class FeedPollRow(Base):
    """One poll of one feed: the history behind feed_health."""

    __tablename__ = "feed_polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64), ForeignKey("sources.name"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # ok, not_modified, unchanged, failed
    http_status: Mapped[int | None] = mapped_column(Integer)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    new_items: Mapped[int] = mapped_column(Integer, default=0)
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class AlertDeliveryRow(Base):
    """The delivery ledger: one row per digest and recipient, so nothing is sent twice."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("digest_id", "recipient", name="uq_alert_deliveries_digest_recipient"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(320))
    article_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16))  # sending, sent, failed
    channel: Mapped[str] = mapped_column(String(16), default="outbox")  # smtp, outbox
    attempted_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[str] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)


class StoryClusterRow(Base):
    """One story: the syndicated copies of one report grouped together (``articles.story_cluster_id``)."""

    __tablename__ = "story_clusters"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    lead_article_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("articles.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text, default="")
    first_published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    article_count: Mapped[int] = mapped_column(Integer, default=1)
    source_count: Mapped[int] = mapped_column(Integer, default=1)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    max_score: Mapped[float] = mapped_column(Float, default=0.0)
    event_id: Mapped[str | None] = mapped_column(String(40))  # the event the story reports (NULL before 0005)


class EventRow(Base):
    """One real-world event: the stories that report it, from any outlet and in any language, grouped
    (``articles.event_id``). Recomputed from its articles by ``load.refresh_events``."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")  # the lead article's title
    lead_article_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("articles.id", ondelete="SET NULL"))
    first_published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    languages: Mapped[str] = mapped_column(String(32), default="")  # distinct, sorted, comma-joined: "en,it"
    outlet_count: Mapped[int] = mapped_column(Integer, default=1)  # distinct sources
    report_count: Mapped[int] = mapped_column(Integer, default=1)  # articles
    story_count: Mapped[int] = mapped_column(Integer, default=1)  # distinct story clusters
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)  # any article relevant
    max_score: Mapped[float] = mapped_column(Float, default=0.0)


class EventReportRow(Base):
    """The event index: one row per story, with what the grouping compares a new story against."""

    __tablename__ = "event_reports"

    story_cluster_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[datetime]  # the report's time, as the grouping uses it
    spread_hours: Mapped[float] = mapped_column(Float, default=0.0)  # how uncertain ``at`` is
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the grouping's own, opaque here


EVENT_TERM_MAX_CHARS = 120


def event_term(term: str) -> str:
    """A term as ``event_terms`` stores it, and as it is looked up there: cut to the column's width."""
    return term[:EVENT_TERM_MAX_CHARS]


class EventTermRow(Base):
    """One term of one story's report, at the report's time: how candidate events are found."""

    __tablename__ = "event_terms"
    __table_args__ = (Index("ix_event_terms_term_at", "term", "at"),)

    # Story first in the primary key, so that replacing a story's terms finds them by the key.
    story_cluster_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    term: Mapped[str] = mapped_column(String(EVENT_TERM_MAX_CHARS), primary_key=True)
    at: Mapped[datetime]


class StoryShingleRow(Base):
    """The story index: a sample of each article's shingle hashes (``dedup.shingle_sample``), with the
    article's story and first-seen time, so that a cycle finds the stored articles a new one may be a
    copy of without re-reading the window (``queries.story_index_matches``).

    Keyed by article (its rows are replaced, and cascade, together); looked up by shingle through
    ``ix_story_shingles_lookup``, which holds every column a look-up reads, a shingle's rows in story
    order: the distinct stories of a shingle are read as a stream, so that counting them can stop early.
    """

    __tablename__ = "story_shingles"
    __table_args__ = (
        Index(
            "ix_story_shingles_lookup",
            "shingle",
            "story_cluster_id",
            "at",
            "article_id",
            "sample_size",
            "shingle_count",
        ),
    )

    article_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    shingle: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    story_cluster_id: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]  # the article's first_seen_at: the clustering window is counted on it
    sample_size: Mapped[int] = mapped_column(Integer)  # how many of the article's shingles are sampled
    shingle_count: Mapped[int] = mapped_column(Integer)  # how many it has in all (all kept when few are sampled)


class StoryShingleSetRow(Base):
    """Every shingle hash of an indexed article (sorted, 8 bytes each), with its first-seen time: what a
    candidate found through ``story_shingles`` is checked against before its text is read."""

    __tablename__ = "story_shingle_sets"

    article_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime]  # the article's first_seen_at, as in story_shingles
    shingles: Mapped[bytes] = mapped_column(LargeBinary)  # signed 64-bit integers, little-endian, ascending


class ArticleTagRow(Base):
    """One topic tag of one article (the normalised form of ``articles.tags``)."""

    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    rank: Mapped[int] = mapped_column(Integer, default=0)


class EntityRow(Base):
    """A person or organisation the tagger knows (from the taxonomy)."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # person, organisation
    country: Mapped[str] = mapped_column(String(16), default="")
    description: Mapped[str] = mapped_column(Text, default="")


class ArticleEntityRow(Base):
    """An entity named in an article, with its role there: ``evidence`` when it is in a deciding
    sentence, ``mentioned`` otherwise."""

    __tablename__ = "article_entities"

    article_id: Mapped[int] = mapped_column(Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="mentioned")


NOTE_MAX_CHARS = 2_000  # an analyst's note on a label: a sentence or two, not a document


class TaggerLabelRow(Base):
    """An analyst's verdict on one story: relevant or not, to correct and train the tagger.

    Append-only: labelling a story again adds a row, and the latest one (by ``labelled_at``, then
    ``id``) is the story's label. The story's articles and URLs are kept as they were at labelling
    time, so a label still says what was judged after the story gains copies.
    """

    __tablename__ = "tagger_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_cluster_id: Mapped[str] = mapped_column(String(40), index=True)
    article_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    canonical_urls: Mapped[list[Any]] = mapped_column(JSON, default=list)
    label: Mapped[bool] = mapped_column(Boolean)  # True: an India–Italy defence story
    note: Mapped[str | None] = mapped_column(Text)  # at most NOTE_MAX_CHARS characters
    labelled_by: Mapped[str] = mapped_column(String(256))  # the Airflow user name
    labelled_at: Mapped[datetime]
    score_at_label: Mapped[float] = mapped_column(Float)  # the story's best score when it was labelled
    model_version: Mapped[str] = mapped_column(String(64), default="")  # the model that gave that score
