"""Plain records that travel between the stages; none of them knows about Airflow or the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, normalised: aware UTC time, absolute link."""

    source: str
    guid: str
    link: str
    title: str
    summary: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None  # the entry's own "updated" time, when the feed gives one
    publisher: str = ""  # the outlet an aggregator's item names (its <source>), "" otherwise


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one HTTP GET: body bytes on success, status and a short error otherwise."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    elapsed_s: float = 0.0
    retry_after_s: float | None = None
    transient: bool = False  # a failure that may pass by itself: worth retrying soon

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class PageDate:
    """A publication date as one place declares it (see ``newswatch.dates``)."""

    origin: str  # "jsonld", "meta", "page_line" (a visible date line), "dateline"
    at: datetime  # aware, UTC
    precise: bool = True  # False: a day only, held as its midnight


@dataclass(frozen=True)
class Extracted:
    """What the extractor found in a page, before wire cleaning."""

    title: str
    text: str
    published_at: datetime | None  # the page's most trusted declaration (the first of ``dates``)
    published_from: str  # "jsonld", "meta", "page_line", "" when the page declares none
    author: str
    language: str
    canonical_url: str
    description: str = ""
    # Every date the page declares, most trusted first: JSON-LD, meta tag, visible date line. Which one
    # to believe depends on when the item was first seen (``newswatch.dates.choose_published``).
    dates: tuple[PageDate, ...] = ()


@dataclass(frozen=True)
class Cleaned:
    """Article text with wire boilerplate removed, and what the boilerplate told us."""

    text: str
    dateline: str | None = None
    wire: str | None = None
    removed: tuple[str, ...] = ()
    dateline_day: tuple[int, int] | None = None  # (month, day) from "Rome, Feb 27 (IANS)"; no year


@dataclass(frozen=True)
class Evidence:
    """One sentence that mattered to the tagger, and the lexicon terms it matched there."""

    sentence: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Contribution:
    """One feature's pull on the tagger's decision, in log-odds: positive towards relevant."""

    feature: str  # the model's name for it, e.g. "bilateral_defence_sentences"
    description: str  # the same in an analyst's words, e.g. "sentences naming India, Italy and a defence matter"
    value: float  # the feature's value in this article
    weight: float  # its contribution to the log-odds (model weight × value)


@dataclass(frozen=True)
class EntityInfo:
    """What the taxonomy says of a named organisation or person (stored in the warehouse ``entities``)."""

    name: str
    kind: str  # organisation, person
    country: str  # india, italy
    description: str = ""


@dataclass(frozen=True)
class Verdict:
    """The tagger's decision for one article."""

    relevant: bool
    score: float
    tags: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    language: str
    countries: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    key_entities: tuple[str, ...] = ()  # the entities named in the deciding sentences
    evidence_weight: float = 0.0  # the uncalibrated log-odds the score is computed from
    # The features that weighed most for (weight > 0) and against (weight < 0), strongest first.
    contributions: tuple[Contribution, ...] = ()
    model_version: str = ""  # the tagger model that decided ("" for the rule-only fallback)


@dataclass
class Article:
    """A processed article, ready for the warehouse."""

    source: str
    url: str
    canonical_url: str
    title: str
    text: str
    summary: str
    language: str
    published_at: datetime | None
    # "feed", "jsonld", "meta", "page_line", "dateline"; "first_seen" when no date is trustworthy (then
    # published_at is None and the article is placed in time by first_seen_at)
    published_from: str
    first_seen_at: datetime
    fetched_at: datetime
    author: str = ""
    publisher: str = ""  # the outlet an aggregator's item named (FeedItem.publisher), "" otherwise
    dateline: str | None = None
    wire: str | None = None
    content_hash: str = ""
    story_cluster_id: str = ""
    event_id: str | None = None  # the real-world event its story reports (events.id)
    raw_ref: str | None = None
    verdict: Verdict | None = None
    extra: dict[str, str] = field(default_factory=dict)
