"""Publication dates: the dates a page declares, and which of them to believe.

A page declares its publication time in up to three places: JSON-LD ``datePublished``, meta tags
(``article:published_time`` and the like) and a visible date line near the headline ("Posted On: 27 FEB
2026 3:20PM by PIB Delhi", "28 February 2026, 11:00", "27 febbraio 2026"); the wire dateline adds a day
without a year. The feed's own date is trusted before all of them. A date is never taken from running
text: a visible line counts only when a short element of the page is a date line from end to end
(:func:`visible_date`), and a year alone is never a date.

A page date is believed when it is plausible — not more than :data:`STALE_AFTER` before the item was
first seen, and not after it (beyond :data:`CLOCK_SKEW`) — or when another declaration of the page or
the feed agrees with it within :data:`AGREEMENT` (:func:`choose_published`). Otherwise it is dropped, and
with no date left the article has none: it is placed in time by when it was first seen
(``published_from = "first_seen"``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser
from lxml import etree
from lxml.html import HtmlElement

from newswatch.clean import day_from_dateline
from newswatch.config import Source
from newswatch.records import PageDate

LOGGER = logging.getLogger(__name__)

KOLKATA = ZoneInfo("Asia/Kolkata")
ROME = ZoneInfo("Europe/Rome")
# A source's country → the zone of the times its pages show without naming one.
COUNTRY_ZONES: dict[str, tzinfo] = {"IN": KOLKATA, "IT": ROME}
ZONE_LABELS: dict[str, tzinfo] = {"IST": KOLKATA, "CET": ROME, "CEST": ROME, "GMT": UTC, "UTC": UTC}

# A page date older than this when the item was first seen is suspect: news is polled within hours,
# and a date a month old or more is far likelier a year read from the wrong place than an old item.
STALE_AFTER = timedelta(days=30)
# How far after first sight a page's timestamp may be: the publisher's clock is not ours, and a release
# may be listed in the feed a few minutes before its page carries its final stamp. An hour absorbs that
# and is far less than the errors the check is for — a wrong day or year, or an IST time declared as UTC
# (5½ hours late).
CLOCK_SKEW = timedelta(hours=1)
# A day only (a dateline, "27 febbraio 2026") is held as its midnight, in UTC for a dateline; a story
# dated by the day of a zone ahead of UTC (India's is 5½ hours ahead) may be first seen before that
# midnight. A day's slack covers every zone.
DAY_SKEW = timedelta(days=1)
# Two declarations agree when they are within a day of each other; within two when one is a day only,
# whose midnight is taken in a zone that may not be the publisher's ("Nov 18" on a US site, read as India
# time, is 34 hours before an evening timestamp of the same day).
AGREEMENT = timedelta(days=1)
DAY_AGREEMENT = timedelta(days=2)
# The declarations that can vouch for a suspect date: the feed's and the page's machine-readable ones.
CORROBORATORS = frozenset({"feed", "jsonld", "meta"})

# A month by the first three letters of its English or Italian name.
MONTHS: dict[str, int] = {
    name: number
    for names in (
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    )
    for number, name in enumerate(names, 1)
}
_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_IT_MONTH = (
    r"(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
    r"|gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic)\.?"
)
_EN_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
_IT_WEEKDAY = r"(?:(?:(?:luned|marted|mercoled|gioved|venerd)[iì]|sabato|domenica|lun|mar|mer|gio|ven|sab|dom)\.?,?\s+)"
_EN_LABEL = (
    r"(?P<label>(?:Posted|Published|Updated|Last Updated|First Published|Released|Dated?)"
    r"(?:\s+(?:On|at))?\s*:?\s*)"
)
_IT_LABEL = (
    r"(?P<label>(?:Pubblicato|Aggiornato|Ultimo aggiornamento|Data(?: di pubblicazione)?)"
    r"(?:\s+(?:il|alle))?\s*:?\s*)"
)
_PLACE = r"(?:[A-Z][A-Za-zÀ-ÿ.'’ -]{1,30},\s+)"  # "ROMA, " or "New Delhi, " before the date
_TIME = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?"
    r"(?:\s*\(?(?P<zone>IST|CEST|CET|GMT|UTC)\)?)?"
)
_JOIN = r"\s*(?:,|\||-|–|—|·|ore|alle(?: ore)?|at|h\.?)?\s*"  # between the date and its time


@dataclass(frozen=True)
class DateLineStyle:
    """One way our sources write a date line, and the zone of its times when the line names none."""

    name: str
    pattern: re.Pattern[str]  # matched against the whole line (fullmatch)
    zone: tzinfo
    pinned: bool = False  # one site's own style: its zone, whatever the source's country


DATE_LINE_STYLES: tuple[DateLineStyle, ...] = (
    # PIB: "Posted On: 27 FEB 2026 3:20PM by PIB Mumbai" — always India time.
    DateLineStyle(
        "pib",
        re.compile(
            rf"(?P<label>Posted On)\s*:?\s*(?P<day>\d{{1,2}})\s+(?P<month>{_EN_MONTH})\s+(?P<year>\d{{4}})\s*{_TIME}"
            r"(?:\s*by\s+PIB\b[\w .&-]{0,40})?",
            re.IGNORECASE,
        ),
        KOLKATA,
        pinned=True,
    ),
    # IANS and Indian portals: "Last Updated: Feb 26, 2026 20:30 IST", "February 26, 2026 | 02:00 PM IST".
    DateLineStyle(
        "en-month-first",
        re.compile(
            rf"{_EN_LABEL}?{_EN_WEEKDAY}?(?P<month>{_EN_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
            rf"(?:{_JOIN}{_TIME})?",
            re.IGNORECASE,
        ),
        KOLKATA,
    ),
    # ANSA English: "28 February 2026, 11:00", "ROME, 27 February 2026 11:30".
    DateLineStyle(
        "en-day-first",
        re.compile(
            rf"{_EN_LABEL}?{_PLACE}?{_EN_WEEKDAY}?(?P<day>\d{{1,2}})\s+(?P<month>{_EN_MONTH}),?\s+(?P<year>\d{{4}})"
            rf"(?:{_JOIN}{_TIME})?",
            re.IGNORECASE,
        ),
        ROME,
    ),
    # ANSA and the defence ministry in Italian: "27 febbraio 2026", "ROMA, 27 febbraio 2026, 11:30",
    # "Pubblicato il venerdì 27 febbraio 2026 ore 11.30".
    DateLineStyle(
        "it",
        re.compile(
            rf"{_IT_LABEL}?{_PLACE}?{_IT_WEEKDAY}?(?P<day>\d{{1,2}})\s+(?P<month>{_IT_MONTH}),?\s+(?P<year>\d{{4}})"
            rf"(?:{_JOIN}{_TIME})?",
            re.IGNORECASE,
        ),
        ROME,
    ),
    # Italian numeric dates, only after a label ("Pubblicato il 27/02/2026 11:30"): day first.
    DateLineStyle(
        "it-numeric",
        re.compile(
            rf"{_IT_LABEL}(?P<day>\d{{1,2}})[/.-](?P<monthnum>\d{{1,2}})[/.-](?P<year>\d{{4}})(?:{_JOIN}{_TIME})?",
            re.IGNORECASE,
        ),
        ROME,
    ),
)

YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")
# The body's pieces of text, outside scripts, that may hold a year (filtered by lxml, before Python sees
# them: about 1.5 ms for a 100 KB page).
YEAR_TEXTS = etree.XPath("//body//text()[contains(., '19') or contains(., '20')][not(parent::script or parent::style)]")
MAX_LINE_CHARS = 120  # a date line is short; anything longer is running text
# Where a date line is not the page's own: scripts, links (other articles' dates), navigation, side
# columns and the page footer. A page-level <header> (not one inside an <article> or <main>) too: sites
# print today's date there.
NEVER_IN = frozenset({"script", "style", "noscript", "template", "a", "nav", "aside", "footer", "select", "option"})


def zone_for_country(country: str | None) -> tzinfo | None:
    """The zone of a source's local times, from its country code (None when unknown)."""
    return COUNTRY_ZONES.get((country or "").upper())


def source_zone(source: Source | None) -> tzinfo | None:
    """The zone of the times a source's pages show without naming one: its country's; none for an
    aggregator, whose links lead to other sites."""
    return zone_for_country(source.country) if source is not None and not source.aggregator else None


class _Stated(NamedTuple):
    local: datetime  # in the line's zone; a day only is its midnight
    precise: bool  # the line gives a time of day
    labelled: bool  # "Posted On:", "Pubblicato il" and the like


def _line_time(line: str, zone: tzinfo | None) -> _Stated | None:
    """What a whole line states; None when the line is not just a date."""
    line = " ".join(line.split())
    for style in DATE_LINE_STYLES:
        found = style.pattern.fullmatch(line)
        if found is None:
            continue
        parts = found.groupdict()
        month = int(parts["monthnum"]) if parts.get("monthnum") else MONTHS.get(parts["month"][:3].lower(), 0)
        named = ZONE_LABELS.get((parts.get("zone") or "").upper())
        local = named or (style.zone if style.pinned else zone or style.zone)
        hour, minute = int(parts["hour"] or 0), int(parts["minute"] or 0)
        ampm = (parts.get("ampm") or "").replace(".", "").replace(" ", "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        try:
            when = datetime(int(parts["year"]), month, int(parts["day"]), hour, minute, tzinfo=local)
        except ValueError:  # 31 February, 25:00, an unknown month
            return None
        return _Stated(when, parts["hour"] is not None, parts["label"] is not None)
    return None


def parse_date_line(line: str, zone: tzinfo | None = None) -> PageDate | None:
    """The date a whole line states, as a ``page_line`` :class:`PageDate`; None when the line is not just
    a date (a label, place, weekday, time and zone around the date are allowed, a sentence is not). A
    zone the line names wins; else ``zone`` (the source's), unless the style is one site's own; else the
    style's."""
    found = _line_time(line, zone)
    return PageDate("page_line", found.local.astimezone(UTC), precise=found.precise) if found else None


def _not_the_pages_own(element: HtmlElement) -> bool:
    """In a link, navigation, a side column, a footer or the site header; or in a list item that also
    links elsewhere (a list of other articles, each with its date)."""
    in_item = False
    for ancestor in (element, *element.iterancestors()):
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in NEVER_IN:
            return True
        if tag == "header" and not any(a.tag in ("article", "main") for a in ancestor.iterancestors()):
            return True
        if tag == "li" and not in_item:
            in_item = True
            if any(link is not element and element not in link.iterancestors() for link in ancestor.iter("a")):
                return True
    return False


def _after_running_text(element: HtmlElement) -> bool:
    """A bare date after a paragraph of text is part of the text (a date quoted in the body, a letter's
    date), not the page's date line; a labelled line ("Published: ...") may stand anywhere."""
    return any(
        isinstance(sibling.tag, str) and len(sibling.text_content().strip()) > MAX_LINE_CHARS
        for sibling in element.itersiblings(preceding=True)
    )


def _machine_time(element: HtmlElement, stated: _Stated) -> PageDate:
    """The line's date, made exact by its own ``<time datetime>`` when that has a zone and names the same
    day: the moment of a line that shows only the day, the zone of one that does not say it."""
    for time in element.iter("time"):
        value = time.get("datetime") or ""
        try:
            exact = dateparser.isoparse(value)
        except (ValueError, OverflowError):
            continue
        if exact.tzinfo is not None and "T" in value and exact.date() == stated.local.date():
            return PageDate("page_line", exact.astimezone(UTC), precise=True)
    return PageDate("page_line", stated.local.astimezone(UTC), precise=stated.precise)


def visible_date(tree: HtmlElement | None, zone: tzinfo | None = None) -> PageDate | None:
    """The page's first visible date line: the smallest element around a piece of text with a year that
    reads, whole, as a date line (:func:`parse_date_line`), outside links, navigation, side columns,
    footers and the site header. Running text never qualifies: its elements are longer than a line, or
    hold more than a date."""
    if tree is None:
        return None
    tried: set[HtmlElement] = set()
    for text in YEAR_TEXTS(tree):
        if len(text) > 4 * MAX_LINE_CHARS or len(" ".join(text.split())) > MAX_LINE_CHARS or not YEAR_RE.search(text):
            continue  # running text, or no year: no element around it is a date line
        element = text.getparent()
        if text.is_tail and element is not None:
            element = element.getparent()
        while element is not None and element not in tried:
            tried.add(element)
            if not isinstance(element.tag, str) or element.tag in ("script", "style", "body", "html"):
                break
            line = " ".join(element.text_content().split())
            if len(line) > MAX_LINE_CHARS:
                break
            found = _line_time(line, zone)
            if found is not None:
                if _not_the_pages_own(element) or (not found.labelled and _after_running_text(element)):
                    break
                return _machine_time(element, found)
            element = element.getparent()
    return None


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


def declared_date(origin: str, value: str | None) -> PageDate | None:
    """A machine-readable declaration (JSON-LD, meta tag) as a :class:`PageDate`; naive times are UTC,
    and a date without a time is a day only."""
    at = parse_timestamp(value)
    if at is None or value is None:
        return None
    return PageDate(origin, at, precise=bool(re.search(r"\d[:h]\d", value)))


def is_plausible(date: PageDate, first_seen_at: datetime) -> bool:
    """Not more than :data:`STALE_AFTER` before first sight, nor after it (beyond the skew)."""
    skew = CLOCK_SKEW if date.precise else DAY_SKEW
    return first_seen_at - STALE_AFTER <= date.at <= first_seen_at + skew


def corroborated(date: PageDate, others: Iterable[PageDate]) -> bool:
    """Another declaration agrees with ``date`` within a day, and one of the two is the feed's, JSON-LD
    or a meta tag (a visible line and a dateline do not vouch for each other)."""
    return any(
        other.origin != date.origin
        and CORROBORATORS & {other.origin, date.origin}
        and abs(other.at - date.at) <= (AGREEMENT if date.precise and other.precise else DAY_AGREEMENT)
        for other in others
    )


def choose_published(
    feed_at: datetime | None, page_dates: Sequence[PageDate], first_seen_at: datetime, label: str = ""
) -> tuple[datetime | None, str]:
    """``(published_at, published_from)`` of an article: the feed's date; else the first page date (in
    the order given: JSON-LD, meta, visible line, dateline) that is plausible or corroborated; else
    ``(None, "first_seen")``. ``label`` names the article in the log of dropped dates."""
    if feed_at is not None:
        return feed_at, "feed"
    if first_seen_at.tzinfo is None:  # the warehouse's times are UTC
        first_seen_at = first_seen_at.replace(tzinfo=UTC)
    for date in page_dates:
        if is_plausible(date, first_seen_at) or corroborated(date, [d for d in page_dates if d is not date]):
            return date.at, date.origin
        LOGGER.info(
            "dropped %s date %s of %s: first seen %s, not corroborated",
            date.origin,
            date.at.isoformat(),
            label or "an article",
            first_seen_at.isoformat(),
        )
    return None, "first_seen"


def publication_date(
    feed_at: datetime | None,
    page_dates: Sequence[PageDate],
    dateline_day: tuple[int, int] | None,
    first_seen_at: datetime,
    label: str = "",
) -> tuple[datetime | None, str]:
    """``(published_at, published_from)`` of an article from its feed item's date, the dates its page
    declares (``Extracted.dates``) and its wire dateline's day (``Cleaned.dateline_day``, placed in the
    year that puts it closest before first sight): :func:`choose_published` over all of them."""
    dates = list(page_dates)
    if dateline_day is not None:
        day = day_from_dateline(dateline_day, first_seen_at)
        if day is not None:
            dates.append(PageDate("dateline", day, precise=False))
    return choose_published(feed_at, dates, first_seen_at, label)
