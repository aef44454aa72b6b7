"""Probe each enabled source of the sources file once, the way the pipeline would read it.

``newswatch sources check`` is built on :func:`check_sources`. For each source, in order: DNS (the feed
host resolves), HTTP (the feed URL answers 2xx through the pipeline's own client: its timeouts, size
cap, redirect checks and address guard, with the source's ``allow_private`` and ``host_delay_seconds``),
content type (a feed type, else a warning: the pipeline parses the body whatever its label), parse (the
pipeline's feed parser: items, the newest item's date and title) and robots.txt (may the pipeline
fetch the newest item's page, as it does every page it fetches). The first step that fails is the
source's verdict; nothing is written anywhere, and one source's failure never stops the others.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from newswatch.checkfeeds import one_line
from newswatch.config import Settings, Source
from newswatch.ingest.feeds import FeedError, read_feed
from newswatch.records import FeedItem

Status = Literal["ok", "failed", "skipped"]
Stage = Literal["dns", "http", "parse", "robots"]

# Media types a feed is served as. Anything else draws a warning (not a failure: servers label feeds
# text/html or text/plain often enough, and the pipeline parses the body whatever its label).
FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
TITLE_CHARS = 120


@dataclass
class SourceCheck:
    """What probing one source found. ``stage`` is the step that failed (``None`` unless ``failed``)."""

    source: str
    feed_url: str
    status: Status = "ok"
    stage: Stage | None = None
    error: str | None = None
    addresses: list[str] = field(default_factory=list)
    http_status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    bytes: int = 0
    elapsed_s: float | None = None
    items: int | None = None
    newest_published_at: str | None = None  # ISO 8601, UTC
    newest_title: str | None = None
    newest_link: str | None = None
    robots: Literal["allowed", "disallowed"] | None = None  # for the newest item's page
    warnings: list[str] = field(default_factory=list)

    def fail(self, stage: Stage, error: str) -> SourceCheck:
        self.status, self.stage, self.error = "failed", stage, one_line(error)
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One line for a person: the verdict first, then what was found."""
        if self.status == "skipped":
            return f"{self.source}: skipped ({self.error})"
        parts: list[str] = []
        if self.http_status:
            parts.append(f"HTTP {self.http_status} {media_type(self.content_type) or '(no content type)'}")
        if self.items is not None:
            parts.append(f"{self.items} item{'s' if self.items != 1 else ''}")
        if self.newest_title is not None:
            parts.append(f"newest {self.newest_published_at or '(undated)'} {self.newest_title!r}")
        if self.robots is not None:
            parts.append(f"robots.txt: pages {self.robots}")
        parts.extend(f"warning: {w}" for w in self.warnings)
        found = "; ".join(parts)
        if self.status == "failed":
            head = f"{self.source}: FAILED at {self.stage}: {self.error}"
            return f"{head} ({found})" if found else head
        return f"{self.source}: ok; {found}"


def _newest(items: Sequence[FeedItem]) -> tuple[FeedItem, datetime | None]:
    """The item with the latest date (published, else updated); the feed's first item if none has one."""
    best, best_when = items[0], None
    for item in items:
        when = item.published_at or item.updated_at
        if when is not None and (best_when is None or when > best_when):
            best, best_when = item, when
    return best, best_when


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_feed_media_type(content_type: str | None) -> bool:
    kind = media_type(content_type)
    return kind in FEED_MEDIA_TYPES or kind.endswith("+xml")


def check_source(settings: Settings, source: Source) -> SourceCheck:
    """Probe ``source`` once (see the module's docstring); never raises for what the source answers."""
    from newswatch.ingest.poll import http_client  # the pipeline's own client settings for a source

    check = SourceCheck(source.name, source.feed_url)
    if not source.enabled:
        check.status, check.error = "skipped", "enabled: false"
        return check
    parts = urlsplit(source.feed_url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:  # gaierror; an IDNA or port error in the URL
        return check.fail("dns", f"cannot resolve host {host}: {getattr(exc, 'strerror', None) or exc}")
    check.addresses = sorted({str(info[4][0]) for info in infos})
    with http_client(settings, source) as client:
        result = client.get(source.feed_url)
        check.http_status = result.status or None
        check.final_url = result.final_url
        check.content_type = result.content_type or None
        check.bytes = len(result.body)
        check.elapsed_s = round(result.elapsed_s, 3)
        if not result.ok:
            return check.fail("http", result.error or f"HTTP {result.status}")
        if not is_feed_media_type(result.content_type):
            check.warnings.append(f"content type {media_type(result.content_type) or '(none)'} is not a feed type")
        try:
            feed = read_feed(
                result.body, source.name, result.final_url, settings.max_items_per_feed, result.content_type
            )
        except FeedError as exc:
            return check.fail("parse", str(exc))
        check.items = len(feed.items)
        if feed.warning:
            check.warnings.append(feed.warning)
        if not feed.items:
            check.warnings.append("the feed has no items: nothing to fetch yet")
            return check
        newest, when = _newest(feed.items)
        check.newest_published_at = when.isoformat() if when is not None else None
        check.newest_title = one_line(newest.title, TITLE_CHARS) if newest.title else ""
        check.newest_link = newest.link
        if when is None:
            check.warnings.append("no item has a date: stories are dated from their pages or first sight")
        # The pipeline fetches each item's page with robots.txt obeyed: a host that forbids its pages
        # gives feed items and never an article.
        if client.robots_allows(newest.link):
            check.robots = "allowed"
        else:
            check.robots = "disallowed"
            page_host = urlsplit(newest.link).netloc
            return check.fail(
                "robots", f"robots.txt of {page_host} disallows our user agent from its pages ({newest.link})"
            )
    return check


def check_sources(settings: Settings, sources: Sequence[Source], workers: int | None = None) -> Iterator[SourceCheck]:
    """:func:`check_source` for each source, in the file's order, a few at a time."""
    if not sources:
        return iter(())
    pool = ThreadPoolExecutor(max(1, min(workers or settings.fetch_workers, len(sources))))

    def results() -> Iterator[SourceCheck]:
        with pool:
            yield from pool.map(lambda source: check_source(settings, source), sources)

    return results()


@dataclass
class CheckTally:
    ok: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, check: SourceCheck) -> None:
        setattr(self, check.status, getattr(self, check.status) + 1)

    def line(self, where: str) -> str:
        total = self.ok + self.failed + self.skipped
        sources = "source" if total == 1 else "sources"
        return f"{total} {sources} in {where}: {self.ok} ok, {self.failed} failed, {self.skipped} skipped (disabled)"
