"""HTML to article text and metadata.

The main text comes from two extractors that fail differently: trafilatura (precision mode, without its
own fallback cascade) and readability, combined by ``newswatch.extract_select.select_main_text`` — see
there, and docs/performance.md for the measurements behind it. The metadata the pipeline trusts most
(publication time with its timezone, canonical URL) is read from the page's own declarations first:
``article:published_time`` meta tags and JSON-LD, which carry a full timestamp, before trafilatura's
date guess (a day only).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from dateutil import parser as dateparser
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document

from newswatch.extract_select import readability_text, select_main_text
from newswatch.language import detect_language
from newswatch.records import Extracted

LOGGER = logging.getLogger(__name__)

PUBLISHED_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publish-date"),
    ("name", "date"),
)
HEADER_CHARSET_RE = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
# page_metadata reads only these tags: building the soup of them alone halves its time
UTF8_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")
# rel is a list of tokens: <link rel="canonical amphtml"> is canonical too.
CANONICAL_XPATH = '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]'


def parse_timestamp(value: str | None) -> datetime | None:
    """Parse an ISO-like or free-form timestamp; naive values are taken as UTC."""
    if not value:
        return None
    try:
        parsed = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _jsonld_objects(tree: HtmlElement | None) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    scripts = tree.xpath('//script[@type="application/ld+json"]') if tree is not None else []
    for script in scripts:
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return objects


def _jsonld_author(obj: dict[str, Any]) -> str:
    author = obj.get("author")
    authors = author if isinstance(author, list) else [author]
    names = [a.get("name", "") if isinstance(a, dict) else str(a or "") for a in authors]
    return ", ".join(n for n in names if n)


def _metadata_tree(html: str) -> HtmlElement | None:
    """The page as an lxml tree for its metadata (lxml directly: a BeautifulSoup pass over a 100 KB page
    cost a third of the extraction time); None when there is nothing to parse."""
    try:
        # Bytes, so that a page that still carries an XML encoding declaration parses too.
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=UTF8_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _first_attr(tree: HtmlElement | None, xpath: str, attribute: str, **variables: str) -> str:
    if tree is None:
        return ""
    for element in tree.xpath(xpath, **variables):
        value = element.get(attribute)
        if value:
            return str(value)
    return ""


def page_metadata(html: str, url: str) -> dict[str, Any]:
    """Published time (and where it came from), canonical URL and author declared by the page."""
    tree = _metadata_tree(html)
    meta: dict[str, Any] = {"published_at": None, "published_from": "", "canonical_url": url, "author": ""}
    # Order of trust: structured data (JSON-LD) first, then meta tags (after the feed's own date,
    # which the pipeline prefers to both, and before the page's visible date and the wire dateline).
    for obj in _jsonld_objects(tree):
        if meta["published_at"] is None and obj.get("datePublished"):
            when = parse_timestamp(str(obj["datePublished"]))
            if when:
                meta.update(published_at=when, published_from="jsonld")
        if not meta["author"] and obj.get("author"):
            meta["author"] = _jsonld_author(obj)
    if meta["published_at"] is None:
        for attr, name in PUBLISHED_META:
            when = parse_timestamp(_first_attr(tree, f"//meta[@{attr}=$name]", "content", name=name) or None)
            if when:
                meta.update(published_at=when, published_from="meta")
                break
    canonical = _first_attr(tree, CANONICAL_XPATH, "href")
    if canonical:
        meta["canonical_url"] = urljoin(url, canonical)
    if not meta["author"]:
        meta["author"] = _first_attr(tree, '//meta[@name="author"]', "content")
    return meta


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """Page bytes to text: a byte-order mark first, then the HTTP header's charset, then what the page
    declares (meta charset, XML declaration) or what detection finds. Mojibake left by a wrong
    declaration is repaired later, in cleaning."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    match = HEADER_CHARSET_RE.search(content_type or "")
    if match:
        try:
            return body.decode(match.group(1))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown header charset: let the page speak for itself
    return str(trafilatura.utils.decode_file(body))


def _trafilatura_document(html: str, url: str, with_metadata: bool) -> Document | None:
    """trafilatura in precision mode; ``fast``: its readability/justext fallbacks are skipped because
    ``select_main_text`` does that job with a readability run of its own."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=with_metadata, favor_precision=True, fast=True)
    return doc if isinstance(doc, Document) else None


def extract_text(html: str, url: str) -> str:
    """Main text of a page (no metadata): what ``extract_article`` puts in ``Extracted.text``."""
    doc = _trafilatura_document(html, url, with_metadata=False)
    return select_main_text(doc.text or "" if doc else "", readability_text(html))


def extract_article(
    html: str | bytes, url: str, default_language: str = "en", content_type: str | None = None
) -> Extracted | None:
    """Main text and metadata of an article page, or ``None`` when no article text is found."""
    if isinstance(html, bytes):
        html = decode_page(html, content_type)
    found = _trafilatura_document(html, url, with_metadata=True)
    text = select_main_text(found.text or "" if found else "", readability_text(html))
    if not text:
        return None
    doc = found or Document()  # trafilatura found no text but readability did: metadata from the page only
    meta = page_metadata(html, url)
    published = meta["published_at"]
    published_from = meta["published_from"]
    if published is None and doc.date:
        published = parse_timestamp(doc.date)
        published_from = "page" if published else ""
    return Extracted(
        title=(doc.title or "").strip(),
        text=text,
        published_at=published,
        published_from=published_from,
        author=meta["author"] or (doc.author or ""),
        language=detect_language(text, default_language),
        canonical_url=meta["canonical_url"],
        description=(doc.description or "").strip(),
    )
