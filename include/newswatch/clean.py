"""Wire boilerplate removal and text normalisation for the project's own sources.

Syndicated wire copy arrives wrapped in the republisher's furniture: MENAFN's "(MENAFN - IANS)" prefix
(often truncated by scrapers to "MENAFN - IANS)"), its legal disclaimer, the IANS "--IANS" trailer with
desk initials, PIB's sign-off codes. Removing it makes the text readable and lets syndicated copies of
one story compare equal. The dateline and wire are kept as metadata rather than thrown away.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime, timedelta

import ftfy

from newswatch.records import Cleaned

LOGGER = logging.getLogger(__name__)

WIRES = ("IANS", "PTI", "ANI", "ANSA", "Reuters", "AFP", "AP", "UNI", "AKI", "WAM")
_WIRE_ALT = "|".join(WIRES)
_MONTHS_EN = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTHS_IT = r"GEN|FEB|MAR|APR|MAG|GIU|LUG|AGO|SET|OTT|NOV|DIC"

# "(MENAFN - IANS)", "(MENAFN- ANI)", "(MENAFN)" and the scraped form missing its "(": "MENAFN - IANS)".
MENAFN_PREFIX_RE = re.compile(r"^\s*\(?\s*MENAFN\s*(?:[-–]\s*(?P<wire>[^)\n]{1,60}?))?\s*\)\s*")
# "Rome, Feb 27 (IANS)" and "New Delhi [India], February 27 (ANI):" — place, date, wire.
EN_DATELINE_RE = re.compile(
    rf"^(?P<place>[A-Z][\w .'’-]{{1,40}}?)(?:\s*\[[A-Za-z .]{{1,30}}\])?,\s*"
    rf"(?:(?:{_MONTHS_EN})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS_EN}))"
    rf"(?:,\s*\d{{4}})?\s*\((?P<wire>{_WIRE_ALT})\)\s*[-–:]?\s*"
)
# "ROMA, 27 FEB -" — the ANSA style, optionally followed by "(ANSA)".
IT_DATELINE_RE = re.compile(
    rf"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý '’-]{{1,40}}),\s*\d{{1,2}}\s+(?:{_MONTHS_IT})\w*\s*(?:\((?P<wire>ANSA)\))?\s*[-–]\s*"
)
# "(ANSA) - ROME, FEB 27 -" and "(ANSA) - MUMBAI -": ANSA English.
ANSA_EN_DATELINE_RE = re.compile(
    rf"^\((?P<wire>ANSA)\)\s*[-–]\s*(?P<place>[A-Z][A-Za-z .'’-]{{1,40}}?)"
    rf"(?:,\s*(?i:{_MONTHS_EN})\.?\s+\d{{1,2}})?\s*[-–]\s*"
)
DATELINE_DAY_RE = re.compile(
    r"(?P<mon>[A-Za-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2})\b|\b(?P<day2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3})", re.IGNORECASE
)
MONTH_NUMBERS = {
    **{
        m: i
        for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
    },
    **{
        m: i
        for i, m in enumerate(("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"), 1)
    },
}
ANSA_TRAILER_RE = re.compile(r"\n\s*(?:REPRODUCTION RESERVED|RIPRODUZIONE RISERVATA)\b[^\n]{0,80}\Z", re.IGNORECASE)
DISCLAIMER_RE = re.compile(r"\n?\s*Legal Disclaimer:\s*MENAFN provides.*\Z", re.DOTALL | re.IGNORECASE)
# "--IANS" then an optional line of desk initials such as "ab/cd" or "sktr/vd".
WIRE_TRAILER_RE = re.compile(
    rf"\n\s*[-–—]{{1,3}}\s*(?P<wire>{_WIRE_ALT})\s*(?:\n\s*[a-z]{{1,8}}(?:/[a-z]{{0,8}})+\s*)?\Z",
    re.IGNORECASE,
)
# PIB's closing codes: "MJPS/SS/VJ", "SR/Savvy", or officers' names "Abhishek Dayal/Abhijith Narayanan",
# often after a "***" rule.
PIB_SIGNOFF_RE = re.compile(
    r"\n\s*(?:\*{3,}\s*\n\s*)?[A-Z][A-Za-z.]{0,20}(?: [A-Z][A-Za-z.]{0,20}){0,2}"
    r"(?:\s*/\s*[A-Za-z.]{1,20}(?: [A-Z][A-Za-z.]{0,20}){0,2}){1,5}\s*\Z"
)
STAR_RULE_RE = re.compile(r"\n\s*\*{3,}\s*\Z")
NOISE_LINE_RE = re.compile(
    r"^\s*(?:Also Read|Read More|Read also|Follow us|Follow (?:IANS|PIB|ANSA) on|Leggi anche|Seguici)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
SPACES_RE = re.compile(r"[ \t\u00a0\u2009\u200b]+")
BLANK_LINES_RE = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Repair mojibake, NFC-normalise, collapse runs of spaces, keep paragraph breaks."""
    # Repair mis-encoded text only; typographic quotes written on purpose stay as they are.
    text = ftfy.fix_text(text, uncurl_quotes=False)
    text = unicodedata.normalize("NFC", text)
    lines = [SPACES_RE.sub(" ", line).strip() for line in text.splitlines()]
    return BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def _strip_tail(text: str, removed: list[str]) -> tuple[str, str | None]:
    """Strip disclaimers, trailers and sign-offs from the end, repeatedly, as they stack."""
    wire: str | None = None
    while True:
        before = text
        for label, pattern in (
            ("menafn-disclaimer", DISCLAIMER_RE),
            ("ansa-trailer", ANSA_TRAILER_RE),
            ("wire-trailer", WIRE_TRAILER_RE),
            ("pib-signoff", PIB_SIGNOFF_RE),
            ("rule", STAR_RULE_RE),
        ):
            match = pattern.search(text)
            if match:
                if label == "wire-trailer":
                    wire = wire or match.group("wire").upper()
                removed.append(label)
                text = text[: match.start()].rstrip()
        if text == before:
            return text, wire


def _drop_leading_title(text: str, title: str | None) -> str:
    """Extractors sometimes repeat the headline as the first line of the body."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    if first.strip().casefold() == normalise_text(title).casefold():
        return rest.lstrip()
    return text


def clean_article_text(text: str, default_wire: str | None = None, title: str | None = None) -> Cleaned:
    """Remove wire boilerplate from ``text``; return the clean text with dateline and wire found."""
    removed: list[str] = []
    text = _drop_leading_title(normalise_text(text), title)
    wire: str | None = None
    match = MENAFN_PREFIX_RE.match(text)
    if match:
        removed.append("menafn-prefix")
        wire = (match.group("wire") or "").strip() or None
        text = text[match.end() :]
    dateline = None
    day: tuple[int, int] | None = None
    for pattern in (EN_DATELINE_RE, ANSA_EN_DATELINE_RE, IT_DATELINE_RE):
        match = pattern.match(text)
        if match:
            removed.append("dateline")
            dateline = match.group("place").strip().title()
            day = dateline_day(match.group(0)[match.end("place") - match.start() :])
            wire = wire or match.group("wire")
            text = text[match.end() :]
            break
    if NOISE_LINE_RE.search(text):
        removed.append("noise-lines")
        text = NOISE_LINE_RE.sub("", text)
    text, trailer_wire = _strip_tail(text, removed)
    wire = wire or trailer_wire or default_wire
    if wire and wire.upper() in {w.upper() for w in WIRES}:
        wire = next(w for w in WIRES if w.upper() == wire.upper())
    return Cleaned(text=normalise_text(text), dateline=dateline, wire=wire, removed=tuple(removed), dateline_day=day)


def dateline_day(text: str) -> tuple[int, int] | None:
    """(month, day) of the first date in a dateline such as ", Feb 27 (IANS)" or ", 27 FEB -"."""
    for found in DATELINE_DAY_RE.finditer(text):
        month = MONTH_NUMBERS.get((found.group("mon") or found.group("mon2") or "").lower())
        day = int(found.group("day") or found.group("day2"))
        if month and 1 <= day <= 31:
            return month, day
    return None


def day_from_dateline(month_day: tuple[int, int], seen_at: datetime) -> datetime | None:
    """The dateline's day (midnight UTC) in the year that puts it closest before ``seen_at``:
    a dateline has no year, and a story is not published after it is first seen."""
    month, day = month_day
    for year in (seen_at.year, seen_at.year - 1):
        try:
            candidate = datetime(year, month, day, tzinfo=UTC)
        except ValueError:  # 29 February of a common year
            continue
        if candidate <= seen_at + timedelta(days=1):
            return candidate
    return None


def summarise(text: str, max_sentences: int = 3, max_chars: int = 600) -> str:
    """An extractive summary: the lead sentences of the clean text (wire leads are long: 600 characters
    hold two or three of them, which is what a digest entry wants)."""
    sentences = split_sentences(text)
    summary = ""
    for sentence in sentences[:max_sentences]:
        if summary and len(summary) + len(sentence) + 1 > max_chars:
            break
        summary = f"{summary} {sentence}".strip()
    return summary[:max_chars]


SENTENCE_END_RE = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’)]))\s+(?=[\"“‘(]?[A-ZÀ-Ý0-9])|\n+")
ABBREVIATIONS = ("Mr.", "Ms.", "Dr.", "Gen.", "Adm.", "Lt.", "Col.", "Capt.", "Sr.", "Jr.", "St.", "No.", "vs.")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; good enough for news prose in English and Italian."""
    pieces = [p.strip() for p in SENTENCE_END_RE.split(text) if p and p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].endswith(ABBREVIATIONS):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences
