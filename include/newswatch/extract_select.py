"""Main-text selection from two extractors that fail differently.

trafilatura (precision mode) is the primary extractor: it cleans well but sometimes keeps page furniture
at the edges of the text (kicker, captions, "Loading comments…"), sometimes stops early (the article
continues in a container it did not recognise) and now and then misses the article altogether.
readability scores the page's blocks differently and fails in other places (it drops blockquotes,
embedded posts and lists inside the article). The two are combined with principled, page-independent
rules:

1. the primary found a fragment (under 100 words and under 30 % of readability's, most of it not in
   readability's text): the primary missed the article, take readability's text;
2. readability's text is at least twice as long and contains nearly all of the primary's text: the
   primary stopped early, take readability's;
3. otherwise keep the primary's text but drop the runs of lines at its start and end that readability
   does not support (lines inside the text are kept even unsupported: those are the quotes and lists
   readability tends to lose).

Support is measured on word 4-grams ("shingles"); lines under 8 words must appear verbatim (as a word
sequence) in the reference. readability runs on its own parse with a light cleaning (scripts, styles,
comments, inline SVG, hidden elements) instead of lxml_html_clean's full sanitiser, which is half of its
time and changed the text of none of the 181 benchmark pages.
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.etree
import lxml.html
from readability import Document as ReadabilityDocument
from readability.readability import REGEXES as READABILITY_REGEXES

WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4
SHORT_LINE_WORDS = 8  # shorter lines are checked as a whole word sequence, not by shingles
LINE_SUPPORT = 0.5  # share of a line's shingles the reference must contain
MISSED_WORDS = 100  # rule 1: the primary is a fragment (fewer words than this) …
MISSED_SHARE = 0.3  # … under this share of the reference's words …
MISSED_COVERAGE = 0.5  # … and under this share of its shingles is in the reference
TRUNCATED_RATIO = 2.0  # rule 2: the reference is at least this many times longer …
TRUNCATED_COVERAGE = 0.9  # … and contains this share of the primary's shingles
TRIM_MIN_AGREEMENT = 0.1  # rule 3 only when the two texts share at least this much (shingle Dice)
LIGHT_CLEAN_DROP = ("script", "style", "noscript", "link", "svg", lxml.etree.Comment, lxml.etree.ProcessingInstruction)
BLOCK_TAGS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 tr blockquote pre section article ul ol table figure figcaption dd dt".split()
)


class _LightReadability(ReadabilityDocument):
    """readability-lxml with a cheap parse: the same removal of hidden elements, then scripts, styles,
    inline SVG and comments stripped; no attribute cleaning or link rewriting (the text needs neither)."""

    def _parse(self, input: str) -> lxml.html.HtmlElement:
        doc = lxml.html.document_fromstring(input)
        self.encoding = "utf-8"
        for elem in doc.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in doc.xpath("//*[@style]"):
            if READABILITY_REGEXES["displayNoneRe"].search(elem.get("style")):
                elem.drop_tree()
        lxml.etree.strip_elements(doc, *LIGHT_CLEAN_DROP, with_tail=False)
        return doc


def html_block_text(fragment: str) -> str:
    """Text of an HTML fragment with a line break at every block element, one stripped line each."""
    tree = lxml.html.fromstring(fragment)
    for elem in tree.iter("*"):
        if elem.tag in BLOCK_TAGS:
            elem.tail = "\n" + elem.tail if elem.tail else "\n"
            elem.text = "\n" + elem.text if elem.text else "\n"
    lines = (line.strip() for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def readability_text(html: str) -> str:
    """Main text by readability-lxml (``Document(html).summary()``), one line per block; "" on failure."""
    if not html or not html.strip():
        return ""
    try:
        return html_block_text(_LightReadability(html).summary())
    except Exception:  # readability raises on empty or odd documents: no reference then
        return ""


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def _shingles(words: list[str]) -> Counter[tuple[str, ...]]:
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def _coverage(part: Counter[tuple[str, ...]], whole: Counter[tuple[str, ...]]) -> float:
    """Share of ``part``'s shingles (with multiplicity) found in ``whole``."""
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def _dice(a: Counter[tuple[str, ...]], b: Counter[tuple[str, ...]]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _trim_unsupported_edges(text: str, ref_words: list[str], ref_shingles: Counter[tuple[str, ...]]) -> str:
    ref_sequence = " " + " ".join(ref_words) + " "
    ref_set = set(ref_shingles)
    lines = [line for line in text.split("\n") if WORD_RE.search(line)]
    supported = []
    for line in lines:
        words = _words(line)
        if len(words) < SHORT_LINE_WORDS:
            supported.append(f" {' '.join(words)} " in ref_sequence)
        else:
            shingles = set(_shingles(words))
            supported.append(len(shingles & ref_set) >= LINE_SUPPORT * len(shingles))
    if not any(supported):
        return text
    first = supported.index(True)
    last = len(supported) - 1 - supported[::-1].index(True)
    if first == 0 and last == len(lines) - 1:
        return text
    return "\n".join(lines[first : last + 1])


def select_main_text(primary: str, reference: str) -> str:
    """Combine the primary extractor's text with a reference extractor's text (rules in the module doc)."""
    primary, reference = primary or "", reference or ""
    ref_words = _words(reference)
    if not ref_words:
        return primary
    words = _words(primary)
    shingles, ref_shingles = _shingles(words), _shingles(ref_words)
    coverage = _coverage(shingles, ref_shingles)
    if len(words) < MISSED_WORDS and len(words) < MISSED_SHARE * len(ref_words) and coverage < MISSED_COVERAGE:
        return reference
    if len(ref_words) >= TRUNCATED_RATIO * len(words) and coverage >= TRUNCATED_COVERAGE:
        return reference
    if _dice(shingles, ref_shingles) < TRIM_MIN_AGREEMENT:
        return primary
    return _trim_unsupported_edges(primary, ref_words, ref_shingles)
