"""HTML to article text and metadata.

The page is parsed once and the tree shared by every reader. The main text comes from trafilatura
(precision mode, without its own fallback cascade), and from readability as well when trafilatura's text
is doubtful — see ``newswatch.extract_select`` and docs/performance.md for the measurements behind it.
The metadata the pipeline trusts most (publication time with its timezone, canonical URL) is read from
the page's own declarations: JSON-LD and meta tags (``article:published_time`` and the like), then the
visible date line ("Posted On: 27 FEB 2026 3:20PM by PIB Delhi", see ``newswatch.dates``). trafilatura's
date guess is not used: it reads years out of the running text ("commissioned in 1997" became
1997-01-01).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from datetime import tzinfo
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document

from newswatch.dates import declared_date, visible_date
from newswatch.extract_select import Candidates, choose_main_text, parse_page
from newswatch.language import detect_language
from newswatch.records import Extracted, PageDate

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


def page_metadata(html: str, url: str, zone: tzinfo | None = None, tree: HtmlElement | None = None) -> dict[str, Any]:
    """Published time (and where it came from), every date the page declares, canonical URL and author.

    ``dates`` lists the page's declarations in order of trust: JSON-LD, a meta tag, the visible date line
    (read with ``zone``, the source's, when the line names none); ``published_at`` and
    ``published_from`` are the first of them. The pipeline prefers the feed's own date to all of them and
    checks them against when the item was first seen (``newswatch.dates.choose_published``)."""
    tree = _metadata_tree(html) if tree is None else tree  # ``tree``: the page already parsed (parse_page)
    meta: dict[str, Any] = {"published_at": None, "published_from": "", "canonical_url": url, "author": ""}
    dates: list[PageDate | None] = []
    jsonld = None
    for obj in _jsonld_objects(tree):
        if jsonld is None and obj.get("datePublished"):
            jsonld = declared_date("jsonld", str(obj["datePublished"]))
        if not meta["author"] and obj.get("author"):
            meta["author"] = _jsonld_author(obj)
    dates.append(jsonld)
    for attr, name in PUBLISHED_META:
        tag = declared_date("meta", _first_attr(tree, f"//meta[@{attr}=$name]", "content", name=name) or None)
        if tag:
            dates.append(tag)
            break
    dates.append(visible_date(tree, zone))
    meta["dates"] = tuple(d for d in dates if d is not None)
    if meta["dates"]:
        meta.update(published_at=meta["dates"][0].at, published_from=meta["dates"][0].origin)
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


def _trafilatura_document(tree: HtmlElement | None, url: str, with_metadata: bool) -> Document | None:
    """trafilatura in precision mode on (a copy of) the parsed page; ``fast``: its readability/justext
    fallbacks are skipped because ``choose_main_text`` runs readability itself when in doubt."""
    if tree is None:
        return None
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=with_metadata, favor_precision=True, fast=True)
    return doc if isinstance(doc, Document) else None


def _main_text(tree: HtmlElement | None, doc: Document | None) -> str:
    return choose_main_text(Candidates.of(tree, doc.text or "" if doc else "", doc.title if doc else None))


def extract_text(html: str, url: str) -> str:
    """Main text of a page (no metadata): what ``extract_article`` puts in ``Extracted.text``."""
    tree = parse_page(html)
    return _main_text(tree, _trafilatura_document(tree, url, with_metadata=False))


def extract_article(
    html: str | bytes,
    url: str,
    default_language: str = "en",
    content_type: str | None = None,
    zone: tzinfo | None = None,
) -> Extracted | None:
    """Main text and metadata of an article page, or ``None`` when no article text is found; ``zone``:
    the time zone of the source's pages, for a date line that names none."""
    if isinstance(html, bytes):
        html = decode_page(html, content_type)
    tree = parse_page(html)  # the one parse: trafilatura, the metadata and readability share it
    found = _trafilatura_document(tree, url, with_metadata=True)
    text = _main_text(tree, found)
    if not text:
        return None
    doc = found or Document()  # trafilatura found no text but readability did: metadata from the page only
    meta = page_metadata(html, url, zone, tree=tree)
    return Extracted(
        title=(doc.title or "").strip(),
        text=text,
        published_at=meta["published_at"],
        published_from=meta["published_from"],
        author=meta["author"] or (doc.author or ""),
        language=detect_language(text, default_language),
        canonical_url=meta["canonical_url"],
        description=(doc.description or "").strip(),
        dates=meta["dates"],
    )
