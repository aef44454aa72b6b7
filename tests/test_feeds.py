"""Tests of newswatch.ingest.feeds: fixture feeds, handmade quirky feeds and inputs that are not feeds."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from newswatch.ingest.feeds import MAX_TITLE_CHARS, FeedError, body_digest, parse_feed, read_feed
from newswatch.records import FeedItem

TESTS = Path(__file__).resolve().parent
FEEDS = TESTS / "fixtures" / "site" / "feeds"
PAGES = TESTS / "fixtures" / "site" / "pages"
RESOURCES = TESTS / "resources"
BASE = "http://news.test"
GOOD_FEEDS = sorted(p.name for p in FEEDS.glob("*.xml") if p.name != "broken.xml")


def fixture_feed(name: str) -> bytes:
    """A fixture feed's bytes as the fixture server would serve them from BASE."""
    return (FEEDS / name).read_bytes().replace(b"{{BASE}}", BASE.encode())


def raw_items(body: bytes) -> list[ET.Element]:
    """The <item> elements as the standard library's XML parser sees them (the reference)."""
    return ET.fromstring(body).findall("./channel/item")


def by_guid(items: list[FeedItem]) -> dict[str, FeedItem]:
    return {item.guid: item for item in items}


def rss(items_xml: str, encoding: str = "UTF-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        f"<link>http://x.test/</link><description>D</description>{items_xml}</channel></rss>"
    ).encode("utf-8" if encoding == "UTF-8" else encoding)


# --- the fixture feeds -----------------------------------------------------------------------------


def test_good_feeds_are_present() -> None:
    """The fixture folder has the feeds this module is about (guards against an empty parametrize)."""
    assert {"ians.xml", "menafn.xml", "pib.xml", "ansa.xml", "difesa.xml", "gnews.xml"} <= set(GOOD_FEEDS)


@pytest.mark.parametrize("name", GOOD_FEEDS)
def test_fixture_feed_matches_raw_xml(name: str) -> None:
    """Every <item> becomes one FeedItem: same GUID, absolute link, title and UTC time as the raw XML."""
    body = fixture_feed(name)
    items = parse_feed(body, name.removesuffix(".xml"), f"{BASE}/feeds/{name}")
    raw = raw_items(body)
    assert len(items) == len(raw) > 0
    parsed = by_guid(items)
    for element in raw:
        guid = element.findtext("guid", "").strip()
        item = parsed[guid]
        assert item.source == name.removesuffix(".xml")
        assert item.link == element.findtext("link", "").strip()
        assert item.link.startswith(BASE + "/pages/")
        assert item.title == " ".join(element.findtext("title", "").split())
        assert item.summary == " ".join(element.findtext("description", "").split())
        pub_date = element.findtext("pubDate")
        if pub_date is None:
            assert item.published_at is None
        else:
            assert item.published_at == parsedate_to_datetime(pub_date)
            assert item.published_at.tzinfo is UTC
    # The feed's own order is kept.
    assert [i.guid for i in items] == [e.findtext("guid", "").strip() for e in raw]


@pytest.mark.parametrize("name", GOOD_FEEDS)
def test_fixture_feed_links_have_pages(name: str) -> None:
    """Each item links to a page that exists in the fixture site (query strings aside)."""
    for item in parse_feed(fixture_feed(name), "x", f"{BASE}/feeds/{name}"):
        relative = item.link.removeprefix(BASE + "/pages/").split("?")[0]
        assert (PAGES / relative).is_file(), item.link


def test_ist_offset_is_converted_to_utc() -> None:
    """'Fri, 27 Feb 2026 21:15:00 +0530' is 15:45 UTC on the same day."""
    body = fixture_feed("ians.xml")
    element = next(e for e in raw_items(body) if "sonar" in e.findtext("title", ""))
    assert element.findtext("pubDate") == "Fri, 27 Feb 2026 21:15:00 +0530"
    item = by_guid(parse_feed(body, "ians", BASE))[element.findtext("guid", "").strip()]
    ist = timezone(timedelta(hours=5, minutes=30))
    assert item.published_at == datetime(2026, 2, 27, 21, 15, tzinfo=ist)
    assert item.published_at is not None and item.published_at.utcoffset() == timedelta(0)
    assert (item.published_at.day, item.published_at.hour, item.published_at.minute) == (27, 15, 45)


def test_undated_fixture_items_have_no_time() -> None:
    """The ANSA and PIB feeds each have one item without pubDate: published_at is None, not 'now'."""
    for name in ("ansa.xml", "pib.xml"):
        body = fixture_feed(name)
        undated = {e.findtext("guid", "").strip() for e in raw_items(body) if e.find("pubDate") is None}
        assert len(undated) == 1, name
        items = by_guid(parse_feed(body, "x", BASE))
        assert all(items[g].published_at is None for g in undated)


def test_tracking_parameters_survive_parsing() -> None:
    """The parser keeps links as published (canonicalisation is dedup's job), GUID stays clean."""
    items = parse_feed(fixture_feed("ansa.xml"), "ansa", BASE)
    chefs = next(i for i in items if "chefs" in i.title)
    assert "utm_source=rss" in chefs.link
    assert "utm_source" not in chefs.guid


def test_broken_feed_recovers_items_with_warning() -> None:
    """Malformed XML that still yields entries gives those items plus a 'malformed' warning."""
    body = fixture_feed("broken.xml")
    feed = read_feed(body, "broken", f"{BASE}/feeds/broken.xml")
    assert feed.items, "feedparser recovers the well-formed first item"
    first = feed.items[0]
    assert first.title.startswith("Italian firm to transfer sonar technology")
    assert first.published_at == parsedate_to_datetime("Fri, 27 Feb 2026 21:15:00 +0530")
    assert feed.warning is not None and feed.warning.startswith("malformed feed")
    assert f"{len(feed.items)} item(s) recovered" in feed.warning
    assert parse_feed(body, "broken", BASE) == feed.items


@pytest.mark.parametrize("name", ["ians.xml", "gnews.xml"])
def test_well_formed_feed_has_no_warning(name: str) -> None:
    """A well-formed feed is not reported as malformed."""
    feed = read_feed(fixture_feed(name), "x", f"{BASE}/feeds/{name}")
    assert feed.items
    assert feed.warning is None


def test_google_news_items_name_their_publisher() -> None:
    """An aggregator's item carries the outlet of its <source> (Google News names the publisher there);
    a publisher's own feed names none."""
    body = fixture_feed("gnews.xml")
    items = parse_feed(body, "gnews", f"{BASE}/feeds/gnews.xml")
    assert [i.publisher for i in items] == [s.text for s in ET.fromstring(body).findall("./channel/item/source")]
    assert items[0].publisher == "Defence Chronicle India"
    assert {i.publisher for i in parse_feed(fixture_feed("ians.xml"), "ians", f"{BASE}/feeds/ians.xml")} == {""}


def test_publisher_from_atom_source_and_escaped_rss_source() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>x</title>'
        b'<link href="http://a.test/b"/><id>1</id><source><title>The Harbour Gazette</title></source></entry></feed>'
    )
    assert [i.publisher for i in parse_feed(atom, "x", BASE)] == ["The Harbour Gazette"]

    def item(publisher: str) -> str:
        return f'<item><title>t</title><link>http://a.test/c</link><source url="http://a.test/">{publisher}</source></item>'

    assert [i.publisher for i in parse_feed(rss(item("AT&amp;T  News \n")), "x", BASE)] == ["AT&T News"]
    assert [len(i.publisher) for i in parse_feed(rss(item("P" * 500)), "x", BASE)] == [200]


# --- handmade quirks -------------------------------------------------------------------------------


QUIRKS_URL = "http://gazette.test/feeds/quirks.xml"


@pytest.fixture(scope="module")
def quirks() -> list[FeedItem]:
    return parse_feed((RESOURCES / "feed_quirks.xml").read_bytes(), "gazette", QUIRKS_URL)


def test_relative_links_resolve_against_base_url(quirks: list[FeedItem]) -> None:
    """Root-relative and document-relative links are resolved against the URL the feed came from."""
    links = {i.guid: i.link for i in quirks}
    assert links["quirk-001"] == "http://gazette.test/news/2026/03/harbour-safety-talks.html"
    assert links["quirk-002"] == "http://gazette.test/feeds/lighthouse-museum-reopens.html"
    assert links["quirk-005"] == "http://elsewhere.test/ferries/record-winter.html", "absolute stays"


def test_duplicate_guid_keeps_first(quirks: list[FeedItem]) -> None:
    """A second entry reusing a GUID is dropped; the first occurrence wins."""
    guids = [i.guid for i in quirks]
    assert guids.count("quirk-001") == 1
    first = by_guid(quirks)["quirk-001"]
    assert "updated copy" not in first.title
    assert first.link.endswith("/harbour-safety-talks.html")


def test_item_without_link_is_skipped(quirks: list[FeedItem]) -> None:
    """An entry with neither link nor GUID cannot be fetched and is left out."""
    assert [i.guid for i in quirks] == ["quirk-001", "quirk-002", "quirk-005"]
    assert all("neither link" not in i.title for i in quirks)


def test_quirk_dates(quirks: list[FeedItem]) -> None:
    """Offsets east and west of UTC are converted (the -0800 one crosses midnight); undated is None."""
    items = by_guid(quirks)
    assert items["quirk-001"].published_at == datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    assert items["quirk-002"].published_at is None
    pacific = items["quirk-005"].published_at
    assert pacific == parsedate_to_datetime("Mon, 02 Mar 2026 23:45:00 -0800")
    assert pacific is not None and pacific.tzinfo is UTC and pacific.day == 3


def test_html_in_description_is_stripped(quirks: list[FeedItem]) -> None:
    """Escaped and CDATA HTML become plain text; scripts do not leak into summaries."""
    items = by_guid(quirks)
    for item in quirks:
        assert "<" not in item.summary and ">" not in item.summary, item.summary
    assert "berthing drills" in items["quirk-001"].summary
    assert "tug coordination" in items["quirk-001"].summary
    assert "more passengers" in items["quirk-005"].summary
    assert "alert" not in items["quirk-005"].summary


def test_max_items_caps_the_result() -> None:
    """max_items keeps the first N usable items, in feed order."""
    body = (RESOURCES / "feed_quirks.xml").read_bytes()
    assert [i.guid for i in parse_feed(body, "g", QUIRKS_URL, max_items=2)] == ["quirk-001", "quirk-002"]
    assert len(parse_feed(body, "g", QUIRKS_URL, max_items=1)) == 1


def test_atom_feed() -> None:
    """Atom entries: relative hrefs resolved, <published> preferred to <updated>, HTML summary stripped."""
    items = parse_feed((RESOURCES / "feed_atom.xml").read_bytes(), "notes", "http://harbour.test/atom/feed.xml")
    assert [i.link for i in items] == [
        "http://harbour.test/atom/notes/tug-crews-winter-towing.html",
        "http://harbour.test/notes/pilot-boat-night-shift.html",
    ]
    assert items[0].guid == "urn:harbour-notes:entry:1"
    assert items[0].published_at == datetime.fromisoformat("2026-03-02T18:00:00+01:00")
    assert items[1].published_at == datetime.fromisoformat("2026-03-01T06:15:00-05:00")
    assert items[0].summary == "Crews practised towing in heavy weather."


def test_latin1_feed_is_decoded() -> None:
    """An ISO-8859-1 feed declared in its XML declaration decodes accented text correctly."""
    body = (RESOURCES / "feed_latin1.xml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the resource really is not UTF-8
    reference = raw_items(body)[0]  # ElementTree honours the declared encoding
    [item] = parse_feed(body, "gazzetta", "http://gazzetta.test/rss.xml")
    assert item.title == reference.findtext("title")
    assert "Città" in item.title and "più" in item.title
    assert item.summary == reference.findtext("description")
    assert "Ã" not in item.title + item.summary, "no mojibake"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "mailto:desk@x.test", "data:text/html,hi"])
def test_non_http_links_are_skipped(link: str) -> None:
    """Only http(s) links become items: nothing else could be fetched."""
    body = rss(
        f"<item><title>bad</title><link>{link}</link></item>"
        "<item><title>good</title><link>http://ok.test/good</link></item>"
    )
    assert [i.title for i in parse_feed(body, "x", "http://x.test/feed")] == ["good"]


def test_long_fields_are_truncated() -> None:
    """A runaway title is cut at MAX_TITLE_CHARS and whitespace is collapsed."""
    title = "word  \n " * 1_000
    [item] = parse_feed(rss(f"<item><title>{title}</title><link>http://ok.test/a</link></item>"), "x", BASE)
    assert len(item.title) == MAX_TITLE_CHARS
    assert "  " not in item.title and "\n" not in item.title


def test_html_entities_in_tagged_description_are_decoded() -> None:
    """Entities inside HTML descriptions come out as characters (the case with tags)."""
    body = rss(
        "<item><title>x</title><link>http://ok.test/a</link>"
        "<description>&lt;p&gt;Tom &amp;amp; Jerry&lt;/p&gt;</description></item>"
    )
    assert parse_feed(body, "x", BASE)[0].summary == "Tom & Jerry"


def test_html_entities_in_plain_description_are_decoded() -> None:
    """An HTML description without tags still has its entities decoded."""
    body = rss(
        "<item><title>x</title><link>http://ok.test/a</link>"
        "<description>Tom &amp;amp; Jerry &amp;#8217;s</description></item>"
    )
    assert parse_feed(body, "x", BASE)[0].summary == "Tom & Jerry \u2019s"


def test_ten_thousand_items_are_capped() -> None:
    """A huge feed parses and is capped at max_items, keeping the first ones."""
    entries = "".join(
        f'<item><title>Item {i}</title><link>/n/{i}.html</link><guid isPermaLink="false">g{i}</guid>'
        f"<pubDate>Fri, 27 Feb 2026 10:00:00 +0000</pubDate></item>"
        for i in range(10_000)
    )
    started = time.monotonic()
    items = parse_feed(rss(entries), "big", "http://big.test/feed.xml", max_items=500)
    assert time.monotonic() - started < 15
    assert len(items) == 500
    assert [i.guid for i in items] == [f"g{i}" for i in range(500)]
    assert items[-1].link == "http://big.test/n/499.html"


# --- things that are not feeds ---------------------------------------------------------------------


def test_html_page_is_not_a_feed() -> None:
    """An article page served where a feed was expected is a FeedError."""
    page = (PAGES / "ians" / "hockey-solid-defence-india-edge-italy.html").read_bytes()
    with pytest.raises(FeedError, match="not a"):
        parse_feed(page, "ians", BASE)


@pytest.mark.parametrize("body", [b"", b"   \n", b"hello world", b'{"items": []}', b"\x00\xff\xfe garbage"])
def test_non_feeds_raise(body: bytes) -> None:
    """Empty and non-XML bodies raise FeedError with a short message."""
    with pytest.raises(FeedError) as info:
        parse_feed(body, "x", BASE)
    assert 0 < len(str(info.value)) <= 300


@pytest.mark.parametrize(
    "body",
    [
        rss(""),
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Empty</title><id>urn:x</id><updated>2026-03-01T00:00:00Z</updated></feed>",
    ],
    ids=["rss", "atom"],
)
def test_empty_valid_feed_gives_no_items(body: bytes) -> None:
    """A valid feed with no entries is not an error: there is simply nothing new."""
    assert parse_feed(body, "x", BASE) == []


def test_body_digest() -> None:
    """The digest is stable for equal bodies and changes with any byte."""
    body = fixture_feed("ians.xml")
    assert body_digest(body) == body_digest(bytes(body))
    assert body_digest(body) != body_digest(body + b" ")
    assert len(body_digest(body)) == 64


def test_feed_cut_inside_its_first_item_is_a_failure_not_an_empty_success() -> None:
    """feedparser "recovers" an entry without a link from a feed cut short: with nothing usable that is a
    failed poll (counted towards alerting ops), not a partial success with 0 items."""
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Cut</title>'
        b"<item><title>Rome talks end with a joint statem"
    )
    with pytest.raises(FeedError, match="no usable item"):
        read_feed(body, "cut", f"{BASE}/feeds/cut.xml")
