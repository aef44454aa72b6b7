"""Feed bytes to :class:`FeedItem` records, with feedparser doing the parsing.

feedparser is forgiving (it reads most broken feeds), so "broken" here means: nothing usable came out.
A feed that yields no entries and set feedparser's ``bozo`` flag is reported as a :class:`FeedError`
with feedparser's own reason, which is what ops need to see in feed health.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from newswatch.records import FeedItem

LOGGER = logging.getLogger(__name__)

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 5_000
MAX_URL_CHARS = 2_000
MAX_PUBLISHER_CHARS = 200  # feed_items.publisher, articles.publisher
CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


class FeedError(ValueError):
    """The bytes are not a usable feed; the message is short and meant for ops."""


def _entry_time(
    entry: Any, keys: tuple[str, ...] = ("published_parsed", "updated_parsed", "created_parsed")
) -> datetime | None:
    for key in keys:
        parsed = entry.get(key)
        if parsed:
            # feedparser normalises to a UTC struct_time; timegm reads it as UTC.
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (ValueError, OverflowError, OSError):
                # Outside datetime's years 1-9999 once shifted to UTC (9999-12-31T23:00-05:00): no date,
                # rather than an exception that is not a FeedError and fails the whole poll.
                continue
    return None


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's items, and a warning when feedparser had to recover from malformed XML."""

    items: list[FeedItem]
    warning: str | None = None


def parse_feed(
    body: bytes, source: str, base_url: str, max_items: int = 500, content_type: str | None = None
) -> list[FeedItem]:
    """The items of feed ``body`` (see :func:`read_feed`)."""
    return read_feed(body, source, base_url, max_items, content_type).items


def xml_content_type(content_type: str | None) -> str:
    """An XML content type keeping the server's charset: servers often label feeds text/html or
    text/plain, and the charset is what matters for decoding."""
    match = CHARSET_RE.search(content_type or "")
    return f"application/xml; charset={match.group(1)}" if match else "application/xml"


def read_feed(
    body: bytes, source: str, base_url: str, max_items: int = 500, content_type: str | None = None
) -> ParsedFeed:
    """Parse feed ``body`` fetched from ``base_url``; relative links are resolved against it.

    Items without a link are skipped; duplicate GUIDs keep their first occurrence; at most
    ``max_items`` items are returned (the feed's own order, newest first by convention). A malformed
    feed from which feedparser still recovered items gives those items and a warning.
    """
    headers = {"content-location": base_url, "content-type": xml_content_type(content_type)}
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except ValueError as exc:
        # feedparser 6.0 trusts the encoding name of the XML declaration: a non-UTF-8 byte in it
        # (encoding="\xff") raises UnicodeDecodeError, a NUL in it ValueError, instead of setting bozo.
        raise FeedError(f"not a valid feed: {type(exc).__name__}: {exc}"[:300]) from exc
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            raise FeedError(f"not a valid feed: {type(reason).__name__}: {reason}"[:300])
        if not parsed.get("version"):
            raise FeedError("not a feed (no RSS or Atom root element)")
        return ParsedFeed([])
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries:
        link = _text(entry.get("link"), MAX_URL_CHARS)
        if not link:
            continue
        link = urljoin(base_url, link)
        if not link.startswith(("http://", "https://")):
            continue
        guid = _text(entry.get("id") or link, MAX_URL_CHARS)
        if guid in seen:
            continue
        seen.add(guid)
        items.append(
            FeedItem(
                source=source,
                guid=guid,
                link=link,
                title=_text(entry.get("title"), MAX_TITLE_CHARS),
                summary=_text(_strip_tags(entry.get("summary") or ""), MAX_SUMMARY_CHARS),
                published_at=_entry_time(entry),
                updated_at=_entry_time(entry, ("updated_parsed",)),
                publisher=_publisher(entry),
            )
        )
        if len(items) >= max_items:
            LOGGER.warning("feed %s has more than %d items; the rest are ignored", source, max_items)
            break
    warning = None
    if parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        if not items:
            # Malformed, and what feedparser salvaged (e.g. a feed cut inside its first item) has no
            # usable link: nothing came out, so it is a failure, not a "partial" success.
            raise FeedError(f"not a valid feed (no usable item): {type(reason).__name__}: {reason}"[:300])
        warning = f"malformed feed, {len(items)} item(s) recovered: {type(reason).__name__}: {reason}"[:300]
    return ParsedFeed(items, warning)


def _publisher(entry: Any) -> str:
    """The outlet an item names as its origin: RSS ``<source url="…">Publisher</source>`` (how Google
    News names the publisher of each result) or Atom ``<source><title>``; "" when it names none."""
    origin = entry.get("source")
    if not isinstance(origin, dict):
        return ""
    return _text(_strip_tags(str(origin.get("title") or "")), MAX_PUBLISHER_CHARS)


def _strip_tags(markup: str) -> str:
    from bs4 import BeautifulSoup

    if "<" not in markup:
        return html.unescape(markup)
    return BeautifulSoup(markup, "html.parser").get_text(" ")


def body_digest(body: bytes) -> str:
    """A stable fingerprint of a feed body, to notice an unchanged feed behind a wrong ETag."""
    return hashlib.sha256(body).hexdigest()
