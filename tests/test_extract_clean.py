"""Tests of newswatch.extract and newswatch.clean: golden pages of the fixture site, then unit tests of the
wire-boilerplate cleaner, metadata reading, language detection and sentence splitting on handmade text."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
import yaml

from newswatch import extract_select
from newswatch.clean import clean_article_text, normalise_text, split_sentences, summarise
from newswatch.dates import parse_timestamp
from newswatch.extract import extract_article, extract_text, page_metadata
from newswatch.extract_select import (
    Candidates,
    Rule,
    choose_main_text,
    drop_leading_headline,
    is_doubtful,
    parse_page,
    readability_text,
    select_main_text,
)
from newswatch.language import detect_language
from newswatch.records import Cleaned, Extracted

TESTS = Path(__file__).resolve().parent
SITE = TESTS / "fixtures" / "site"
BASE = "http://127.0.0.1:8000"
EXPECTED: list[dict[str, Any]] = yaml.safe_load((SITE / "expected.yaml").read_text(encoding="utf-8"))
BOILERPLATE = ("MENAFN", "Legal Disclaimer", "--IANS", "REPRODUCTION RESERVED")
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def _feed_creators() -> dict[str, str]:
    """Page path -> the wire named by dc:creator in the fixture feeds (the feeds' own claim)."""
    creators: dict[str, str] = {}
    for feed in (SITE / "feeds").glob("*.xml"):
        if feed.name == "broken.xml":
            continue
        for item in ET.fromstring(feed.read_bytes()).iter("item"):
            creator = item.findtext(DC_CREATOR)
            link = item.findtext("link", "").replace("{{BASE}}/", "").split("?")[0]
            if creator:
                creators[link] = creator
    return creators


CREATORS = _feed_creators()


def extract_page(entry: dict[str, Any]) -> tuple[Extracted, Cleaned]:
    body = (SITE / entry["page"]).read_bytes().replace(b"{{BASE}}", BASE.encode())
    extracted = extract_article(body, f"{BASE}/{entry['page']}")
    assert extracted is not None, f"no article found in {entry['page']}"
    return extracted, clean_article_text(extracted.text, title=extracted.title)


@pytest.fixture(scope="module")
def golden() -> dict[str, tuple[Extracted, Cleaned]]:
    """Every fixture page extracted and cleaned once for the module."""
    return {entry["page"]: extract_page(entry) for entry in EXPECTED}


# --- golden pages ----------------------------------------------------------------------------------


def test_expected_yaml_covers_every_page() -> None:
    """expected.yaml describes every fixture page, and each source has pages."""
    pages = {str(p.relative_to(SITE)) for p in (SITE / "pages").rglob("*.html")}
    assert {e["page"] for e in EXPECTED} == pages
    assert {e["source"] for e in EXPECTED} == {"ians", "menafn", "pib", "ansa", "difesa", "portal"}


@pytest.mark.parametrize("entry", EXPECTED, ids=[e["page"] for e in EXPECTED])
def test_golden_page(entry: dict[str, Any], golden: dict[str, tuple[Extracted, Cleaned]]) -> None:
    """Title, publication time, language and the cleaned text of each page match expected.yaml."""
    extracted, cleaned = golden[entry["page"]]
    assert extracted.title == entry["title"]
    if entry["published"] is None:
        assert extracted.published_at is None, "a page that declares no date must not get one"
    else:
        assert extracted.published_at == datetime.fromisoformat(entry["published"])
        assert extracted.published_at is not None and extracted.published_at.tzinfo is UTC
    assert extracted.language == entry["language"]
    assert extracted.canonical_url == f"{BASE}/{entry['page']}"
    for phrase in entry["text_must_contain"]:
        assert phrase in cleaned.text, f"missing: {phrase!r}"
    for phrase in entry["text_must_not_contain"]:
        assert phrase not in cleaned.text, f"should be gone: {phrase!r}"
    for phrase in BOILERPLATE:
        assert phrase not in cleaned.text, f"wire boilerplate left: {phrase!r}"
    assert not cleaned.text.startswith(entry["title"]), "the headline is not repeated as the first line"
    assert cleaned.text == normalise_text(cleaned.text), "the result is already normalised"


@pytest.mark.parametrize(
    "entry",
    [e for e in EXPECTED if e["page"] in CREATORS],
    ids=[e["page"] for e in EXPECTED if e["page"] in CREATORS],
)
def test_golden_wire_matches_feed_creator(entry: dict[str, Any], golden: dict[str, tuple[Extracted, Cleaned]]) -> None:
    """The wire found in the text (prefix, dateline or trailer) is the one the feed credits."""
    _, cleaned = golden[entry["page"]]
    assert cleaned.wire == CREATORS[entry["page"]]
    assert cleaned.dateline, "wire copy starts with a dateline"


def test_golden_syndicated_copies_share_their_body(golden: dict[str, tuple[Extracted, Cleaned]]) -> None:
    """After cleaning, the IANS original and the MENAFN copy of one story begin with the same sentence."""
    stories: dict[str, list[str]] = {}
    for entry in EXPECTED:
        if entry["source"] in ("ians", "menafn"):
            stories.setdefault(entry["story"], []).append(entry["page"])
    pairs = [pages for pages in stories.values() if len(pages) == 2]
    assert pairs
    for ians_page, menafn_page in pairs:
        first = [split_sentences(golden[p][1].text)[0] for p in (ians_page, menafn_page)]
        assert first[0] == first[1]


# --- clean_article_text: MENAFN prefixes and datelines ---------------------------------------------

IST = timezone(timedelta(hours=5, minutes=30))
BODY = "The harbour master signed the new berthing rules on Friday."


@pytest.mark.parametrize(
    ("prefix", "wire", "dateline"),
    [
        ("(MENAFN - IANS) Rome, Feb 27 (IANS) ", "IANS", "Rome"),
        ("(MENAFN- ANI) New Delhi [India], February 27 (ANI): ", "ANI", "New Delhi"),
        ("(MENAFN) ", None, None),
        ("MENAFN - IANS) Rome, Feb 27 (IANS) ", "IANS", "Rome"),
        ("(MENAFN – ians) Kochi, Mar 3 (IANS) ", "IANS", "Kochi"),
    ],
    ids=["full", "ani-no-space", "bare", "truncated", "lowercase-en-dash"],
)
def test_menafn_prefix_variants(prefix: str, wire: str | None, dateline: str | None) -> None:
    """Each MENAFN prefix form is removed; wire and dateline are kept as metadata."""
    cleaned = clean_article_text(prefix + BODY + "\n\nA second paragraph follows.")
    assert cleaned.text == BODY + "\n\nA second paragraph follows."
    assert cleaned.wire == wire
    assert cleaned.dateline == dateline
    assert "menafn-prefix" in cleaned.removed


@pytest.mark.parametrize(
    ("prefix", "wire", "dateline"),
    [
        ("Chennai, Feb 27 (IANS) ", "IANS", "Chennai"),
        ("NEW DELHI, Feb. 27 (PTI) - ", "PTI", "New Delhi"),
        ("Thiruvananthapuram, 3 March (UNI) ", "UNI", "Thiruvananthapuram"),
        ("Mumbai, February 27, 2026 (IANS) ", "IANS", "Mumbai"),
        ("New Delhi [India], Mar 3 (ANI): ", "ANI", "New Delhi"),
    ],
)
def test_english_datelines(prefix: str, wire: str, dateline: str) -> None:
    """'Place, date (WIRE)' openings become dateline and wire and leave the text."""
    cleaned = clean_article_text(prefix + BODY)
    assert (cleaned.text, cleaned.wire, cleaned.dateline) == (BODY, wire, dateline)
    assert cleaned.removed == ("dateline",)


def test_ansa_english_dateline_and_trailer() -> None:
    """'(ANSA) - ROME, FEB 27 -' and the 'REPRODUCTION RESERVED' line are removed."""
    text = f"(ANSA) - ROME, FEB 27 - {BODY}\n\nREPRODUCTION RESERVED © Copyright ANSA"
    cleaned = clean_article_text(text)
    assert cleaned.text == BODY
    assert (cleaned.wire, cleaned.dateline) == ("ANSA", "Rome")
    assert "ansa-trailer" in cleaned.removed


def test_ansa_english_dateline_without_date() -> None:
    """'(ANSA) - MUMBAI -' has a place but no date."""
    cleaned = clean_article_text(f"(ANSA) - MUMBAI - {BODY}")
    assert (cleaned.text, cleaned.wire, cleaned.dateline) == (BODY, "ANSA", "Mumbai")


@pytest.mark.parametrize(
    ("prefix", "wire", "dateline"),
    [
        ("ROMA, 27 FEB - ", None, "Roma"),
        ("MILANO, 3 MAR (ANSA) - ", "ANSA", "Milano"),
        ("LA SPEZIA, 12 OTT – ", None, "La Spezia"),
    ],
)
def test_italian_datelines(prefix: str, wire: str | None, dateline: str) -> None:
    """Italian 'ROMA, 27 FEB -' datelines (optionally with '(ANSA)') and RIPRODUZIONE RISERVATA go."""
    body = "Il comandante del porto ha firmato il nuovo regolamento sugli ormeggi."
    cleaned = clean_article_text(prefix + body + "\n\nRIPRODUZIONE RISERVATA © Copyright ANSA")
    assert cleaned.text == body
    assert (cleaned.wire, cleaned.dateline) == (wire, dateline)


# --- clean_article_text: trailers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "trailer",
    ["\n\n--IANS\nab/cd", "\n--IANS\nsktr/vd", "\n\n-- IANS", "\n\n—IANS\nrs/", "\n\n--IANS\nvg/pgh/arm"],
)
def test_ians_trailer_with_desk_initials(trailer: str) -> None:
    """The '--IANS' trailer and the desk initials under it are removed, and give the wire."""
    cleaned = clean_article_text(BODY + "\n\nOfficials said more rules would follow." + trailer)
    assert cleaned.text == BODY + "\n\nOfficials said more rules would follow."
    assert cleaned.wire == "IANS"
    assert "wire-trailer" in cleaned.removed


DISCLAIMER = (
    "Legal Disclaimer:\nMENAFN provides the information “as is” without warranty of any kind. We do not "
    "accept any responsibility or liability for the accuracy, content, images, videos, licenses, "
    "completeness, legality, or reliability of the information contained in this article. If you have "
    "any complaints or copyright issues related to this article, kindly contact the provider above."
)


def test_menafn_disclaimer_and_stacked_trailers() -> None:
    """Prefix, '--IANS' trailer and the MENAFN legal disclaimer all go, however they stack."""
    text = f"(MENAFN - IANS) Chennai, Mar 3 (IANS) {BODY}\n\nMore follows.\n\n--IANS\nab/cd\n\n{DISCLAIMER}"
    cleaned = clean_article_text(text)
    assert cleaned.text == BODY + "\n\nMore follows."
    assert {"menafn-prefix", "dateline", "menafn-disclaimer", "wire-trailer"} <= set(cleaned.removed)
    assert cleaned.wire == "IANS"


def test_disclaimer_alone() -> None:
    """The disclaimer block is removed even without other furniture."""
    cleaned = clean_article_text(f"{BODY}\n\n{DISCLAIMER}")
    assert cleaned.text == BODY
    assert cleaned.removed == ("menafn-disclaimer",)


@pytest.mark.parametrize(
    "signoff",
    ["\n\nMJPS/SS/VJ", "\n\n***\n\nAbhishek Dayal/Abhijith Narayanan", "\n\nSR/Savvy", "\n\n***\nVM/KB/DK", "\n\n***"],
)
def test_pib_signoffs(signoff: str) -> None:
    """PIB's closing codes, officers' names and '***' rules are removed."""
    body = "The Ministry released the figures on Friday.\n\nStates will publish district data next month."
    cleaned = clean_article_text(body + signoff)
    assert cleaned.text == body
    assert cleaned.removed and set(cleaned.removed) <= {"pib-signoff", "rule"}


@pytest.mark.parametrize(
    "noise",
    [
        "Also Read: Port authority names new pilot",
        "ALSO READ | Ferry fares rise",
        "Read More: harbour news",
        "Follow IANS on X for updates",
        "Leggi anche: nuovo regolamento",
        "Seguici su Instagram",
    ],
)
def test_noise_lines_are_dropped(noise: str) -> None:
    """'Also Read:' and similar lines are dropped wherever they are; the paragraphs around stay."""
    cleaned = clean_article_text(f"{BODY}\n{noise}\nA second paragraph follows.")
    assert cleaned.text == f"{BODY}\n\nA second paragraph follows."
    assert "noise-lines" in cleaned.removed


# --- clean_article_text: what must never be removed ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The pilots compared both cockpit layouts.\n\nThey finally preferred the A/B variant.",
        "Officials said the port would run 24/7 from March.\n\nPatrols were doubled.",
        "The deal -- worth 2 bn euros -- was signed on Friday.\n\nTalks resume in May.",
        "The desk quoted an old story.\n\nRome, Feb 27 (IANS) was its first line, officials said.",
        "Analysts at MENAFN and (ANSA) reporters covered it.\n\nBoth agreed on the figures.",
        "Crews saw the words REPRODUCTION RESERVED on the leaked file.\n\nIt was a draft.",
        "The joint venture will be split 50/50 between the partners.",
        "The squadron flew in from the north.\n\n(With inputs from PTI/ANI)",
        "The minister thanked the Army/Navy liaison team.",
        "Follow-up talks are due in May.\n\nReaders can follow us later, she joked.",
    ],
)
def test_ordinary_content_is_kept(text: str) -> None:
    """Sentences that merely look like furniture (slashes, dashes, wire names mid-text) survive intact."""
    cleaned = clean_article_text(text)
    assert cleaned.text == normalise_text(text)
    assert cleaned.removed == ()
    assert cleaned.dateline is None


def test_leading_title_is_dropped_only_when_equal() -> None:
    """An extractor-repeated headline is dropped; a different first line is not."""
    title = "Harbour  rules  signed"
    assert clean_article_text(f"Harbour rules signed\n{BODY}", title=title).text == BODY
    assert clean_article_text(f"HARBOUR RULES SIGNED\n{BODY}", title=title).text == BODY
    other = clean_article_text(f"Harbour rules signed today\n{BODY}", title=title)
    assert other.text.startswith("Harbour rules signed today")


def test_default_wire_and_canonical_wire_names() -> None:
    """default_wire is used when the text names none; found wires take the canonical spelling."""
    assert clean_article_text(BODY, default_wire="ANSA").wire == "ANSA"
    assert clean_article_text(BODY).wire is None
    assert clean_article_text(f"(MENAFN - reuters) {BODY}", default_wire="IANS").wire == "Reuters"
    assert clean_article_text(f"(MENAFN - The Peninsula) {BODY}").wire == "The Peninsula"


# --- normalisation ---------------------------------------------------------------------------------


def test_mojibake_is_repaired() -> None:
    """UTF-8 read as Windows-1252 ('cafÃ©', 'â€œ') is repaired."""
    cleaned = clean_article_text("Officials called it a â€œlandmarkâ€\x9d deal.\n\nThe cafÃ© reopened; itâ€™s busy.")
    assert "â" not in cleaned.text and "Ã" not in cleaned.text
    assert "café" in cleaned.text
    assert "landmark" in cleaned.text


def test_mojibake_repair_keeps_typographic_quotes() -> None:
    """'â€œ' becomes “ (not "), and correct curly quotes are left alone."""
    assert normalise_text("a â€œlandmarkâ€\x9d deal") == "a “landmark” deal"
    assert normalise_text("It’s a “landmark” deal") == "It’s a “landmark” deal"


def test_nfc_normalisation() -> None:
    """Decomposed accents are composed (NFC), so equal words compare equal."""
    decomposed = "Citta\u0300 e caffe\u0300"
    assert unicodedata.is_normalized("NFD", decomposed)
    text = clean_article_text(decomposed).text
    assert text == unicodedata.normalize("NFC", decomposed)
    assert "\u0300" not in text and "à" in text


def test_whitespace_is_normalised() -> None:
    """Runs of spaces/nbsp/tabs collapse, lines are trimmed, at most one blank line separates paragraphs."""
    text = "  First\u00a0\u00a0line\t here.  \n\n\n\n  Second\u2009line.  \n"
    assert normalise_text(text) == "First line here.\n\nSecond line."


# --- extract: language, timestamps, page metadata --------------------------------------------------


def test_detect_language() -> None:
    """Stop-word counts tell English from Italian; too little text gives the default."""
    en = "The ship arrived in the port and was welcomed by the crew of the other vessel, officials said."
    it = "La nave è arrivata nel porto ed è stata accolta dagli equipaggi delle altre navi della flotta per il saluto."
    assert detect_language(en) == "en"
    assert detect_language(it) == "it"
    assert detect_language(it, default="en") == "it"
    assert detect_language("Roma Mumbai", default="it") == "it"
    assert detect_language("Roma Mumbai", default="en") == "en"
    assert detect_language("") == "en"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-27T14:05:00+05:30", datetime(2026, 2, 27, 14, 5, tzinfo=IST)),
        ("2026-02-27T12:30:00+01:00", datetime(2026, 2, 27, 12, 30, tzinfo=timezone(timedelta(hours=1)))),
        ("Fri, 27 Feb 2026 21:15:00 +0530", datetime(2026, 2, 27, 21, 15, tzinfo=IST)),
        ("2026-02-27T08:00:00Z", datetime(2026, 2, 27, 8, 0, tzinfo=UTC)),
        ("2026-02-27 10:00", datetime(2026, 2, 27, 10, 0, tzinfo=UTC)),
    ],
)
def test_parse_timestamp(value: str, expected: datetime) -> None:
    """Timestamps come back aware and in UTC; naive ones are read as UTC."""
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize("value", [None, "", "not a date", "99/99/9999"])
def test_parse_timestamp_rejects_garbage(value: str | None) -> None:
    """Missing or unparseable values give None rather than raising."""
    assert parse_timestamp(value) is None


PAGE_URL = "http://harbour.test/news/2026/03/berthing-rules.html?utm_source=x"


def page(head: str, body: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def test_page_metadata_jsonld_wins_over_meta_tag() -> None:
    """JSON-LD datePublished is trusted before article:published_time (the issue's order of trust);
    the JSON-LD author is used; the canonical href is made absolute."""
    html = page(
        '<meta property="article:published_time" content="2026-03-03T09:30:00+05:30">'
        '<meta name="author" content="Meta Author">'
        '<link rel="canonical" href="/news/2026/03/berthing-rules.html">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
        '"2026-03-01T00:00:00Z", "author": {"@type": "Person", "name": "Asha Menon"}}</script>'
    )
    meta = page_metadata(html, PAGE_URL)
    assert meta["published_at"] == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert meta["published_from"] == "jsonld"
    assert meta["canonical_url"] == "http://harbour.test/news/2026/03/berthing-rules.html"
    assert meta["author"] == "Asha Menon"


def test_page_metadata_jsonld_graph_and_author_list() -> None:
    """Without a meta date, datePublished is found inside an @graph; several authors are joined."""
    html = page(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "Harbour Times"},'
        '{"@type": "NewsArticle", "datePublished": "2026-03-03T10:15:00+05:30",'
        ' "author": [{"@type": "Person", "name": "Asha Menon"}, {"@type": "Person", "name": "Luca Bianchi"}]}'
        "]}</script>"
        '<script type="application/ld+json">{ this is not json </script>'
    )
    meta = page_metadata(html, PAGE_URL)
    assert meta["published_at"] == datetime(2026, 3, 3, 4, 45, tzinfo=UTC)
    assert meta["published_from"] == "jsonld"
    assert meta["author"] == "Asha Menon, Luca Bianchi"
    assert meta["canonical_url"] == PAGE_URL, "no canonical link: the page URL itself"


def test_page_metadata_fallbacks() -> None:
    """No declared date gives None; the author falls back to <meta name=author>; bad dates are skipped."""
    html = page(
        '<meta property="article:published_time" content="sometime soon"><meta name="author" content="Harbour Desk">'
    )
    meta = page_metadata(html, PAGE_URL)
    assert meta["published_at"] is None and meta["published_from"] == ""
    assert meta["author"] == "Harbour Desk"


def test_extract_article_handmade_page() -> None:
    """A small article page: text found, metadata read, language detected; bytes and str agree."""
    paragraphs = "".join(
        f"<p>Paragraph {n}: the harbour master said the new berthing rules would apply to every vessel "
        f"that enters the port after the first of April, and that pilots would be trained in them.</p>"
        for n in range(1, 6)
    )
    html = page(
        '<meta property="article:published_time" content="2026-03-03T09:30:00+05:30">'
        '<link rel="canonical" href="http://harbour.test/news/berthing-rules.html">',
        f"<nav><a href='/'>Home</a></nav><article><h1>Berthing rules signed</h1>{paragraphs}</article>",
    )
    from_str = extract_article(html, PAGE_URL)
    from_bytes = extract_article(html.encode("utf-8"), PAGE_URL)
    assert from_str is not None and from_bytes is not None
    assert from_str.text == from_bytes.text
    assert "Paragraph 5" in from_str.text
    assert "Home" not in from_str.text
    assert from_str.published_from == "meta"
    assert from_str.published_at == datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    assert from_str.canonical_url == "http://harbour.test/news/berthing-rules.html"
    assert from_str.language == "en"


@pytest.mark.parametrize(
    "html", ["", b"", page("", ""), page("", "<div>   </div><script>var a = 1;</script>")], ids=repr
)
def test_extract_article_without_text_is_none(html: str | bytes) -> None:
    """An empty page, or one with only whitespace and scripts, gives None."""
    assert extract_article(html, PAGE_URL) is None


# --- main text: one parse, readability only when in doubt ------------------------------------------

SENTENCE = "the harbour master said the new berthing rules would apply to every vessel entering the port"


def article_page(paragraphs: int, marker: str = "parse-count-marker") -> str:
    body = "".join(f"<p>Paragraph {n}: {SENTENCE} after the first of April.</p>" for n in range(1, paragraphs + 1))
    return page(
        f'<meta name="marker" content="{marker}"><meta property="og:title" content="Berthing rules signed">'
        '<meta property="article:published_time" content="2026-03-03T09:30:00+05:30">',
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Berthing rules signed</h1>{body}</article><footer>Contact us</footer>",
    )


def count_page_parses(monkeypatch: pytest.MonkeyPatch, marker: str) -> list[int]:
    """Spy on lxml's parser (every lxml.html parse goes through lxml.etree.fromstring): the calls that
    parse the whole page, recognised by a marker only its <head> carries."""
    real = lxml.etree.fromstring
    calls: list[int] = []

    def spy(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        if (marker.encode() in text) if isinstance(text, bytes) else (marker in text):
            calls.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(lxml.etree, "fromstring", spy)
    return calls


@pytest.mark.parametrize("doubtful", [False, True], ids=["trafilatura-only", "readability-too"])
def test_page_is_parsed_once(monkeypatch: pytest.MonkeyPatch, doubtful: bool) -> None:
    """extract_article parses the page once: trafilatura, the metadata reader and (when it runs)
    readability share the tree; the result equals what the text path alone gives."""
    html = article_page(16)  # long enough for trafilatura's text not to be doubtful
    expected = extract_text(html, PAGE_URL)
    readability_runs: list[int] = []
    real_readability = extract_select.readability_text

    def counting_readability(tree: Any) -> str:
        readability_runs.append(1)
        return real_readability(tree)

    monkeypatch.setattr(extract_select, "readability_text", counting_readability)
    if doubtful:
        monkeypatch.setattr(extract_select, "is_doubtful", lambda *args: True)
    calls = count_page_parses(monkeypatch, "parse-count-marker")
    extracted = extract_article(html, PAGE_URL)
    assert extracted is not None
    assert len(calls) == 1, f"the page was parsed {len(calls)} times"
    assert len(readability_runs) == int(doubtful)
    assert "Paragraph 16" in extracted.text and "Home" not in extracted.text
    assert extracted.published_from == "meta" and extracted.title == "Berthing rules signed"
    if not doubtful:
        assert extracted.text == expected


def test_readability_leaves_the_shared_tree_unchanged() -> None:
    """readability works on a copy: the tree it is given is the same afterwards, and it reads the same
    text from the tree as from the string."""
    html = article_page(4)
    tree = parse_page(html)
    assert tree is not None
    before = lxml.html.tostring(tree)
    text = readability_text(tree)
    assert lxml.html.tostring(tree) == before
    assert "Paragraph 4" in text and text == readability_text(html)
    assert readability_text("") == "" and readability_text(None) == ""


def test_leading_headline_is_dropped_from_the_text() -> None:
    """The first line goes when it is the page's headline word for word (case and punctuation aside), and
    only when more text follows."""
    titles = ["Berthing Rules Signed", "Harbour news | Port Authority"]
    assert drop_leading_headline("Berthing rules signed.\nThe rules apply.", titles) == "The rules apply."
    assert drop_leading_headline("\nBerthing rules signed\n\nThe rules apply.", titles) == "The rules apply."
    assert drop_leading_headline("Berthing rules signed", titles) == "Berthing rules signed"
    kept = "Berthing rules signed today\nThe rules apply."
    assert drop_leading_headline(kept, titles) == kept
    assert drop_leading_headline("The rules apply.\nBerthing rules signed", titles).endswith("signed")
    extracted = extract_article(article_page(5), PAGE_URL)
    assert extracted is not None and extracted.text.startswith("Paragraph 1")


def test_doubt_rule() -> None:
    """Doubtful: few words, or a small share of the page's paragraph text."""
    rule = Rule(min_words=100, paragraph_share=0.6, truncated_ratio=1.5)
    assert is_doubtful(99, 0, rule) and not is_doubtful(100, 0, rule)
    assert is_doubtful(500, 1000, rule) and not is_doubtful(600, 1000, rule)


def test_confident_text_is_kept_without_readability() -> None:
    """A text that is not doubtful is the main text as it is; readability is never run for it."""
    primary = "\n".join(f"Line {n}: {SENTENCE}." for n in range(12))
    candidates = Candidates(primary=primary, paragraph_words=150)
    assert choose_main_text(candidates) == primary
    assert candidates._reference is None


def test_doubtful_text_takes_readability_when_it_stopped_early() -> None:
    """On a doubtful page, a reference that contains the primary's text and is the given ratio longer
    (twice by default) replaces it; one that adds less is not taken, but the primary's unsupported edge
    lines are dropped."""
    lines = [f"Line {n}: {SENTENCE} and line {n} goes on." for n in range(20)]
    primary = "\n".join(lines[:9])
    assert select_main_text(primary, "\n".join(lines), truncated_ratio=1.5) == "\n".join(lines)
    with_menu = "Most read: the council votes on the budget and the mayor resigns on Friday\n" + primary
    assert select_main_text(with_menu, "\n".join(lines[:14]), truncated_ratio=1.5) == primary
    candidates = Candidates(primary=primary, paragraph_words=2000, _reference="\n".join(lines))
    assert choose_main_text(candidates) == "\n".join(lines)


# --- sentences and summaries -----------------------------------------------------------------------


def test_split_sentences_keeps_abbreviations() -> None:
    """'Gen.', 'Adm.', 'Dr.' do not end sentences; . ! ? and line breaks do."""
    text = "Gen. Rao met Adm. Singh in Rome. They discussed ships! Did they agree? Dr. Bose said yes.\nNew line"
    assert split_sentences(text) == [
        "Gen. Rao met Adm. Singh in Rome.",
        "They discussed ships!",
        "Did they agree?",
        "Dr. Bose said yes.",
        "New line",
    ]


def test_split_sentences_quotes_numbers_and_italian() -> None:
    """A closing quote ends a sentence; decimals do not split; accented capitals start sentences."""
    assert split_sentences('He said "no." Then he left.') == ['He said "no."', "Then he left."]
    assert split_sentences("Growth was 2.5 per cent. It slowed.") == ["Growth was 2.5 per cent.", "It slowed."]
    assert split_sentences("La nave è partita. È arrivata ieri.") == ["La nave è partita.", "È arrivata ieri."]
    assert split_sentences("") == []


def test_summarise_takes_lead_sentences_within_limits() -> None:
    """The summary is the first sentences, at most max_sentences and max_chars."""
    text = "First sentence is here. Second one follows. Third comes too. The fourth is left out."
    assert summarise(text) == "First sentence is here. Second one follows. Third comes too."
    assert summarise(text, max_sentences=1) == "First sentence is here."
    assert summarise(text, max_sentences=3, max_chars=45) == "First sentence is here. Second one follows."
    long_first = "A" * 500 + "."
    assert len(summarise(long_first + " Short.", max_chars=400)) == 400
    lead = "Indian and Italian officials met in Rome on Friday and agreed to deepen ties. " * 3
    assert summarise(lead + "Then more.").count(".") == 3, "a wire lead of three sentences fits the default"
    assert summarise("") == ""
