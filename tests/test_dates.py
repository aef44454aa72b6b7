"""Publication dates (issue #16): the visible date lines of the sources we poll, in English and Italian and
in each source's time zone; never a year or a date from running text; a page date far before first sight,
or after it, kept only when corroborated; with no trustworthy date, the article is windowed by when it
was first seen and the digest says so.

The golden pages under tests/fixtures/dates/ are made up in the style of each site (PIB, ANSA English and
Italian, IANS, the Italian defence ministry, an Indian portal), each with misleading years in the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from newswatch.alerts.render import render_digest
from newswatch.alerts.select import Digest, digest_id_for, group_events
from newswatch.clean import clean_article_text
from newswatch.config import Source
from newswatch.dates import (
    CLOCK_SKEW,
    KOLKATA,
    ROME,
    STALE_AFTER,
    choose_published,
    parse_date_line,
    publication_date,
    source_zone,
    zone_for_country,
)
from newswatch.extract import extract_article
from newswatch.records import PageDate
from newswatch.warehouse.queries import StoryArticle

PAGES = Path(__file__).parent / "fixtures" / "dates"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# --- visible date lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "zone", "expected", "precise"),
    [
        # PIB: India time, whatever the source's zone is said to be
        ("Posted On: 27 FEB 2027 4:29PM by PIB Delhi", None, "2027-02-27T16:29+05:30", True),
        ("Posted On:\n 13 FEB 2024 3:48PM by PIB Chandigarh", ROME, "2024-02-13T15:48+05:30", True),
        ("Posted On: 01 MAR 2026 12:05AM by PIB Mumbai", None, "2026-03-01T00:05+05:30", True),
        # IANS and Indian portals: month first, "IST" or the source's zone
        ("Last Updated: Feb 27, 2026 14:05 IST", None, "2026-02-27T14:05+05:30", True),
        ("February 26, 2026 | 02:00 PM IST", None, "2026-02-26T14:00+05:30", True),
        ("Friday, February 27, 2026", None, "2026-02-27T00:00+05:30", False),
        # ANSA English: day first, Rome time (CET in winter, CEST in summer)
        ("27 February 2026, 11:30", None, "2026-02-27T11:30+01:00", True),
        ("ROME, 15 July 2026 11:30", None, "2026-07-15T11:30+02:00", True),
        ("Published: 27 February 2026 11:30 GMT", None, "2026-02-27T11:30+00:00", True),
        # a day-first line on an Indian source's page is India time
        ("27 February 2026, 11:30", KOLKATA, "2026-02-27T11:30+05:30", True),
        # Italian: ANSA and the defence ministry
        ("27 febbraio 2026", None, "2026-02-27T00:00+01:00", False),
        ("ROMA, 15 luglio 2026, 11:30", None, "2026-07-15T11:30+02:00", True),
        ("Pubblicato il venerdì 27 febbraio 2026 ore 11.30", None, "2026-02-27T11:30+01:00", True),
        ("Aggiornato il 3 mar 2026 alle 09:15", None, "2026-03-03T09:15+01:00", True),
        ("Pubblicato il 27/02/2026 11:30", None, "2026-02-27T11:30+01:00", True),
    ],
)
def test_date_lines_in_english_and_italian(line: str, zone: tzinfo | None, expected: str, precise: bool) -> None:
    found = parse_date_line(line, zone)
    assert found is not None, line
    assert found.origin == "page_line"
    assert found.at == utc(expected)
    assert found.at.tzinfo is UTC
    assert found.precise is precise


@pytest.mark.parametrize(
    "line",
    [
        "The ship was commissioned in 1997.",
        "since 2020",
        "1997",
        "27 February 1997 was the day the lead ship was commissioned",
        "Il 27 febbraio 1997 la nave entrò in servizio",
        "in servizio dal 1997",
        "2/27/2026",  # day and month order unknown without a label
        "27/02/2026",
        "Posted On: 31 FEB 2026 4:29PM by PIB Delhi",  # no such day
        "Posted On: 27 FEB 2026 14:29PM by PIB Delhi",  # no such hour
    ],
)
def test_running_text_and_impossible_dates_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_source_zones_by_country() -> None:
    assert zone_for_country("IN") is KOLKATA
    assert zone_for_country("it") is ROME
    assert zone_for_country("") is None and zone_for_country(None) is None
    assert source_zone(PIB) is KOLKATA and source_zone(DIFESA) is ROME
    assert source_zone(GNEWS) is None, "an aggregator's links lead to other sites"
    assert source_zone(None) is None


# --- which date to believe -----------------------------------------------------------------------------

SEEN = datetime(2026, 2, 27, 12, 0, tzinfo=UTC)


def line(at: datetime, precise: bool = True) -> PageDate:
    return PageDate("page_line", at, precise)


def test_the_feed_date_comes_first() -> None:
    feed = SEEN - timedelta(hours=2)
    assert choose_published(feed, [PageDate("jsonld", SEEN - timedelta(hours=1))], SEEN) == (feed, "feed")


def test_page_dates_in_order_of_trust() -> None:
    dates = [PageDate("meta", SEEN - timedelta(hours=3)), line(SEEN - timedelta(hours=2))]
    assert choose_published(None, dates, SEEN) == (SEEN - timedelta(hours=3), "meta")


def test_plausible_window_edges() -> None:
    """Up to 30 days before first sight, and an hour after it for a timestamp (a day for a day only)."""
    assert choose_published(None, [line(SEEN - STALE_AFTER)], SEEN)[1] == "page_line"
    assert choose_published(None, [line(SEEN - STALE_AFTER - timedelta(minutes=1))], SEEN) == (None, "first_seen")
    assert choose_published(None, [line(SEEN + CLOCK_SKEW)], SEEN)[1] == "page_line"
    assert choose_published(None, [line(SEEN + CLOCK_SKEW + timedelta(minutes=1))], SEEN) == (None, "first_seen")
    midnight = datetime(2026, 2, 28, tzinfo=UTC)  # "28 Feb" first seen late on 27 Feb UTC (28 Feb in India)
    assert choose_published(None, [line(midnight, precise=False)], SEEN) == (midnight, "page_line")


def test_a_dropped_date_gives_way_to_the_next() -> None:
    """A stale JSON-LD date that nothing vouches for is dropped; the visible line is believed."""
    dates = [PageDate("jsonld", SEEN - timedelta(days=700)), line(SEEN - timedelta(hours=2))]
    assert choose_published(None, dates, SEEN) == (SEEN - timedelta(hours=2), "page_line")


def test_corroboration_needs_the_feed_json_ld_or_a_meta_tag() -> None:
    old = SEEN - timedelta(days=730)
    # meta and the visible line agree (within a day): kept
    assert choose_published(None, [PageDate("meta", old), line(old + timedelta(hours=5))], SEEN) == (old, "meta")
    # JSON-LD and meta agree: kept
    assert choose_published(None, [PageDate("jsonld", old), PageDate("meta", old)], SEEN) == (old, "jsonld")
    # a visible line and a dateline do not vouch for each other
    dateline = PageDate("dateline", old.replace(hour=0), precise=False)
    assert choose_published(None, [line(old), dateline], SEEN) == (None, "first_seen")
    # declarations more than a day apart do not agree; two days, when one of them is a day only
    assert choose_published(None, [PageDate("meta", old), line(old + timedelta(days=2))], SEEN) == (None, "first_seen")
    day = line(old + timedelta(hours=34), precise=False)  # "Nov 18" read as India time; 04:50 UTC on the 19th
    assert choose_published(None, [PageDate("meta", old), day], SEEN) == (old, "meta")
    assert choose_published(None, [PageDate("meta", old), line(old + timedelta(hours=49), False)], SEEN)[0] is None


def test_a_date_after_first_seen_needs_corroboration() -> None:
    later = SEEN + timedelta(hours=3)
    assert choose_published(None, [line(later)], SEEN) == (None, "first_seen")
    assert choose_published(None, [PageDate("meta", later), line(later)], SEEN) == (later, "meta")


def test_naive_first_seen_is_utc() -> None:
    assert choose_published(None, [line(SEEN - timedelta(hours=1))], SEEN.replace(tzinfo=None))[1] == "page_line"


# --- golden pages, through the process step -------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    page: str
    source: Source
    first_seen: str
    published: str | None  # expected, ISO; None: no date
    published_from: str
    feed: str | None = None  # the feed's own date, ISO

    @property
    def id(self) -> str:
        dated = "feed" if self.feed else "nofeed"
        return f"{self.page.removesuffix('.html')}-{dated}-seen-{self.first_seen[:10]}"


PIB = Source(name="pib", feed_url="https://pib.example/rss", language="en", country="IN")
IANS = Source(name="ians", feed_url="https://ians.example/rss", language="en", country="IN", wire="IANS")
ANSA_EN = Source(name="ansa-english", feed_url="https://ansa.example/rss", language="en", country="IT", wire="ANSA")
ANSA_IT = Source(name="ansa-top", feed_url="https://ansa.example/it.rss", language="it", country="IT", wire="ANSA")
DIFESA = Source(name="difesa", feed_url="https://difesa.example/rss", language="it", country="IT")
GNEWS = Source(name="gnews", feed_url="https://news.example/rss", language="en", country="IN", aggregator=True)

PIB_1997 = "pib-no-meta-commissioned-1997.html"
PIB_META = "pib-meta-posted-on-split.html"
ANSA_EN_PAGE = "ansa-en-since-2020.html"
ANSA_IT_PAGE = "ansa-it-estate-dal-2020.html"
IANS_PAGE = "ians-header-today-dateline.html"
IANS_DATELINE = "ians-dateline-only.html"
DIFESA_PAGE = "difesa-giorno-dal-1997.html"
PORTAL_YEARS = "portal-body-years-only.html"

CASES = [
    # PIB, no feed date, no meta: the "Posted On" line (India time), not "commissioned in 1997"
    Case(PIB_1997, PIB, "2027-02-27T11:30+00:00", "2027-02-27T16:29+05:30", "page_line"),
    Case(PIB_1997, PIB, "2027-02-27T11:30+00:00", "2027-02-27T16:35+05:30", "feed", feed="2027-02-27T16:35+05:30"),
    # listed in the feed two hours before the stamp on its page, which nothing vouches for: no date
    Case(PIB_1997, PIB, "2027-02-27T09:00+00:00", None, "first_seen"),
    # the same page first seen two years later: nothing vouches for the line, so no date
    Case(PIB_1997, PIB, "2029-03-01T06:00+00:00", None, "first_seen"),
    # "Posted On:" and the date in separate elements; with a meta tag that agrees, kept two years on
    Case(PIB_META, PIB, "2027-03-03T13:00+00:00", "2027-03-03T18:10+05:30", "meta"),
    Case(PIB_META, PIB, "2029-03-05T13:00+00:00", "2027-03-03T18:10+05:30", "meta"),
    # ANSA English: Rome time; the site header's "today" and the side column's dates are not the page's
    Case(ANSA_EN_PAGE, ANSA_EN, "2026-02-27T10:45+00:00", "2026-02-27T11:30+01:00", "page_line"),
    Case(
        ANSA_EN_PAGE, ANSA_EN, "2026-02-27T10:45+00:00", "2026-02-27T11:31+01:00", "feed", feed="2026-02-27T11:31+01:00"
    ),
    # a line stamped hours after the item was first seen, with nothing to vouch for it: dropped, and the
    # wire dateline's day ("(ANSA) - ROME, FEB 27 -") stands
    Case(ANSA_EN_PAGE, ANSA_EN, "2026-02-27T08:00+00:00", "2026-02-27T00:00+00:00", "dateline"),
    # ANSA in Italian, in summer (CEST)
    Case(ANSA_IT_PAGE, ANSA_IT, "2026-07-15T10:00+00:00", "2026-07-15T11:30+02:00", "page_line"),
    Case(
        ANSA_IT_PAGE, ANSA_IT, "2026-07-15T10:00+00:00", "2026-07-15T11:32+02:00", "feed", feed="2026-07-15T11:32+02:00"
    ),
    # IANS: "Last Updated ... IST", not the header's "Monday, March 2, 2026" nor the dateline's bare day
    Case(IANS_PAGE, IANS, "2026-02-27T09:00+00:00", "2026-02-27T14:05+05:30", "page_line"),
    # IANS with only its dateline: the day, in the year before first sight; too old to stand alone
    Case(IANS_DATELINE, IANS, "2026-02-27T20:00+00:00", "2026-02-27T00:00+00:00", "dateline"),
    Case(IANS_DATELINE, IANS, "2026-06-01T08:00+00:00", None, "first_seen"),
    # the defence ministry: a day only ("27 febbraio 2026"), its midnight in Rome; not "dal 1997"
    Case(DIFESA_PAGE, DIFESA, "2026-02-27T15:00+00:00", "2026-02-27T00:00+01:00", "page_line"),
    Case(DIFESA_PAGE, DIFESA, "2026-02-26T22:30+00:00", "2026-02-27T00:00+01:00", "page_line"),
    Case(
        DIFESA_PAGE, DIFESA, "2026-02-27T15:00+00:00", "2026-02-27T17:45+01:00", "feed", feed="2026-02-27T17:45+01:00"
    ),
    # years in the body only ("commissioned in 1997", "since 2020", a lone "27 February 2020" paragraph)
    Case(PORTAL_YEARS, GNEWS, "2026-02-27T09:00+00:00", None, "first_seen"),
    Case(
        PORTAL_YEARS, GNEWS, "2026-02-27T09:00+00:00", "2026-02-27T08:10+00:00", "feed", feed="2026-02-27T08:10+00:00"
    ),
]


def pipeline_dates(case: Case) -> tuple[datetime | None, str]:
    """The page of ``case`` through the steps the process step takes for its date: extraction (with the
    source's zone), cleaning (the wire dateline's day), then :func:`publication_date` against the feed's
    date and first sight. (The process step's own wiring is tested in test_polling.py.)"""
    url = f"https://{case.source.name}.example/{case.page}"
    extracted = extract_article(
        (PAGES / case.page).read_bytes(),
        url,
        default_language=case.source.language,
        content_type="text/html; charset=utf-8",
        zone=source_zone(case.source),
    )
    assert extracted is not None
    cleaned = clean_article_text(extracted.text, default_wire=case.source.wire, title=extracted.title)
    feed_at = utc(case.feed) if case.feed else None
    return publication_date(feed_at, extracted.dates, cleaned.dateline_day, utc(case.first_seen), url)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_publication_dates(case: Case) -> None:
    published_at, published_from = pipeline_dates(case)
    assert published_from == case.published_from
    assert published_at == (utc(case.published) if case.published else None)


def test_trafilaturas_guess_from_the_body_is_not_used() -> None:
    """The held-out site's error: a PIB page with no date in the feed or the meta tags, whose body says
    "commissioned in 1997", became 1997-01-01. Now its "Posted On" line is read, and a page with years in
    its body only declares no date at all."""
    pib = extract_article((PAGES / PIB_1997).read_bytes(), "https://pib.example/release")
    assert pib is not None
    assert (pib.published_at, pib.published_from) == (utc("2027-02-27T16:29+05:30"), "page_line")
    portal = extract_article((PAGES / PORTAL_YEARS).read_bytes(), "https://portal.example/corvettes")
    assert portal is not None
    assert (portal.published_at, portal.published_from, portal.dates) == (None, "", ())


def test_page_dates_are_listed_in_order_of_trust() -> None:
    extracted = extract_article((PAGES / PIB_META).read_bytes(), "https://pib.example/dac")
    assert extracted is not None
    assert [(d.origin, d.at) for d in extracted.dates] == [
        ("meta", utc("2027-03-03T18:10+05:30")),
        ("page_line", utc("2027-03-03T18:10+05:30")),
    ]


def test_time_element_makes_a_day_only_line_exact() -> None:
    """The ministry's "27 febbraio 2026" with its <time datetime> of the same day: the exact moment."""
    html = (
        '<html><body><main><h1>Nave Saffi a Mumbai</h1><div class="data-pubblicazione">'
        '<time datetime="2026-02-27T17:30:00+01:00">27 febbraio 2026</time></div><div class="testo">'
        + "<p>Il pattugliatore Aurelio Saffi della Marina Militare è giunto oggi nel porto di Mumbai, in India, "
        "per una sosta di quattro giorni nell'ambito della campagna addestrativa nell'Oceano Indiano.</p>"
        * 3
        + "</div></main></body></html>"
    )
    extracted = extract_article(html, "https://difesa.example/saffi", default_language="it", zone=ROME)
    assert extracted is not None
    assert extracted.dates == (PageDate("page_line", utc("2026-02-27T17:30+01:00"), precise=True),)


BODY = "<p>" + "The Indian and Italian navies held a passage exercise off Mumbai after the port call. " * 3 + "</p>"


@pytest.mark.parametrize(
    ("chrome", "expected"),
    [
        # a recent-posts widget before the article, each item a link and its date: not the page's date
        (
            '<div class="widget"><ul><li><a href="/x">Other story</a> <small>November 20, 2025</small></li></ul></div>',
            "2026-02-27T11:30+01:00",
        ),
        # a date that is a link (an archive page of that day), and the site header's "today"
        ('<div><a href="/archive/2026/03/02">2 March 2026</a></div>', "2026-02-27T11:30+01:00"),
        ('<header><span class="today">Monday 2 March 2026</span></header>', "2026-02-27T11:30+01:00"),
        # a navigation bar and a footer
        ("<nav><span>2 March 2026</span></nav>", "2026-02-27T11:30+01:00"),
    ],
)
def test_other_dates_on_the_page_are_not_its_date_line(chrome: str, expected: str) -> None:
    html = (
        f'<html><body>{chrome}<main><article><h1>Navies exercise off Mumbai</h1><div class="meta">'
        f"<span>27 February 2026, 11:30</span></div>{BODY}</article></main>"
        "<footer><p>Updated 3 March 2026</p></footer></body></html>"
    )
    extracted = extract_article(html, "https://ansa.example/english/navies", zone=ROME)
    assert extracted is not None
    assert [(d.origin, d.at) for d in extracted.dates] == [("page_line", utc(expected))]


def test_a_bare_date_after_the_text_is_part_of_the_text_but_a_labelled_one_is_a_date_line() -> None:
    html = f"<html><body><main><article><h1>Navies exercise off Mumbai</h1>{BODY}<p>3 March 2026</p>"
    bare = extract_article(html + "</article></main></body></html>", "https://example.org/a", zone=ROME)
    assert bare is not None and bare.dates == ()
    labelled = extract_article(
        html.replace("<p>3 March 2026</p>", "<p>Published: 3 March 2026</p>") + "</article></main></body></html>",
        "https://example.org/a",
        zone=ROME,
    )
    assert labelled is not None
    assert labelled.dates == (PageDate("page_line", utc("2026-03-03T00:00+01:00"), precise=False),)


# --- the digest says when a time is only a first sight -------------------------------------------------


def _report(published_at: datetime | None) -> StoryArticle:
    return StoryArticle(
        id=1,
        source="pib",
        source_title="PIB",
        url="https://pib.example/release",
        title="INS Kirch returns to Visakhapatnam after mid-life refit",
        summary="INS Kirch returned to Visakhapatnam after a refit.",
        published_at=published_at,
        first_seen_at=datetime(2026, 2, 27, 11, 30, tzinfo=UTC),
        score=0.9,
        tags=["naval"],
        evidence=[],
        story_cluster_id="c1",
        wire=None,
        dateline=None,
    )


@pytest.mark.parametrize(
    ("published_at", "wording"),
    [
        (datetime(2026, 2, 27, 10, 59, tzinfo=UTC), "First reported 27 Feb 2026 16:29 IST · 11:59 CET Rome"),
        (None, "First seen 27 Feb 2026 17:00 IST · 12:30 CET Rome (no publication date)"),
    ],
)
def test_digest_says_first_seen_for_an_undated_report(published_at: datetime | None, wording: str) -> None:
    end = datetime(2026, 2, 28, 2, 30, tzinfo=UTC)
    digest = Digest(
        digest_id_for(end), "28 Feb 2026", end - timedelta(days=1), end, tuple(group_events([_report(published_at)]))
    )
    rendered = render_digest(digest)
    assert wording in rendered.text
    assert wording in rendered.html
