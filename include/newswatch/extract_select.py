"""Main text of a page: one parse, trafilatura first, readability only when trafilatura's text is doubtful.

The page is parsed once (:func:`parse_page`, the same tree trafilatura would build for itself) and the
tree is shared: trafilatura works on its own copy, the metadata reader reads it, and readability, when it
runs, works on a copy of it. trafilatura (precision mode, ``fast``: without its own fallback cascade) is the
primary extractor. It cleans well but now and then misses the article altogether, or stops early (the
article continues in a container it did not recognise). readability scores the page's blocks differently
and fails in other places (it drops blockquotes, embedded posts and lists inside the article), and it costs
more than trafilatura itself, so it runs only when trafilatura's text is *doubtful*:

0. the headline is metadata, not text: a first line equal word for word to the page's ``<h1>``,
   ``og:title`` / ``twitter:title`` or ``<title>`` is dropped (when more text follows);
1. doubtful: trafilatura's text has fewer than :attr:`Rule.min_words` words, or fewer than
   :attr:`Rule.paragraph_share` of the words in the page's ``<p>`` elements (the article text is on the
   page, trafilatura did not take it). Otherwise trafilatura's text is the main text.
2. on a doubtful page, readability's text decides (:func:`select_main_text`): trafilatura found a
   fragment (under 100 words and under 30 % of readability's, most of it not in readability's text):
   take readability's; readability's text is at least :attr:`Rule.truncated_ratio` times as long and
   contains nearly all of trafilatura's: trafilatura stopped early, take readability's; otherwise keep
   trafilatura's, with the runs of lines at its start and end that readability does not support dropped
   (lines inside are kept even unsupported: those are the quotes and lists readability tends to lose).

The thresholds of rules 1 and 2 are chosen by cross-validation on the public benchmark
(``benchmarks/bench_extract.py``, docs/performance.md): the highest F1 whose recall is not below
trafilatura's own and which consults readability on at most a fifth of the pages. Support is measured on
word 4-grams ("shingles"); lines under 8 words must appear verbatim (as a word sequence) in the
reference. readability runs with a light cleaning (scripts, styles, comments, inline SVG, hidden elements)
instead of lxml_html_clean's full sanitiser, which is half of its time and changed the text of none of the
181 benchmark pages.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
from lxml.html import HtmlElement
from readability import Document as ReadabilityDocument
from readability.readability import REGEXES as READABILITY_REGEXES
from trafilatura.utils import load_html

WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4
SHORT_LINE_WORDS = 8  # shorter lines are checked as a whole word sequence, not by shingles
LINE_SUPPORT = 0.5  # share of a line's shingles the reference must contain
MISSED_WORDS = 100  # rule 2, missed: the primary is a fragment (fewer words than this) …
MISSED_SHARE = 0.3  # … under this share of the reference's words …
MISSED_COVERAGE = 0.5  # … and under this share of its shingles is in the reference
TRUNCATED_COVERAGE = 0.9  # rule 2, stopped early: the reference contains this share of the primary's shingles
TRIM_MIN_AGREEMENT = 0.1  # edges trimmed only when the two texts share at least this much (shingle Dice)
LIGHT_CLEAN_DROP = ("script", "style", "noscript", "link", "svg", lxml.etree.Comment, lxml.etree.ProcessingInstruction)
BLOCK_TAGS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 tr blockquote pre section article ul ol table figure figcaption dd dt".split()
)
HEADLINE_XPATH = "//h1 | //head/title | //meta[@property='og:title' or @name='twitter:title']/@content"


@dataclass(frozen=True)
class Rule:
    """When readability runs, and when its text replaces trafilatura's (see the module doc)."""

    min_words: int = 200  # doubtful below this many words …
    paragraph_share: float = 0.5  # … or below this share of the words in the page's <p> elements
    truncated_ratio: float = 2.0  # readability's text this many times longer (and containing it): stopped early


RULE = Rule()


class _LightReadability(ReadabilityDocument):
    """readability-lxml on a copy of an already parsed tree (or a string, parsed here), cleaned cheaply: the
    same removal of hidden elements, then scripts, styles, inline SVG and comments stripped; no attribute
    cleaning or link rewriting (the text needs neither). A copy each time: ``summary`` parses again when
    its first, ruthless pass finds too little, and it changes the tree it works on."""

    def _parse(self, input: Any) -> HtmlElement:
        doc = copy.deepcopy(input) if isinstance(input, HtmlElement) else lxml.html.document_fromstring(input)
        self.encoding = "utf-8"
        for elem in doc.xpath("//*[@hidden]"):
            elem.drop_tree()
        for elem in doc.xpath("//*[@style]"):
            if READABILITY_REGEXES["displayNoneRe"].search(elem.get("style")):
                elem.drop_tree()
        lxml.etree.strip_elements(doc, *LIGHT_CLEAN_DROP, with_tail=False)
        return doc


def parse_page(html: str) -> HtmlElement | None:
    """The page's tree, parsed once for every reader: trafilatura's own loader (its repairs, its parser),
    so that trafilatura extracts from it exactly what it would from the string; lxml directly for what
    trafilatura rejects (a fragment without ``<html>``). None when there is nothing to parse."""
    if not html or not html.strip():
        return None
    tree = load_html(html)
    if tree is None:
        try:
            tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
        except (lxml.etree.ParserError, ValueError):
            return None
    return tree


def html_block_text(fragment: str) -> str:
    """Text of an HTML fragment with a line break at every block element, one stripped line each."""
    tree = lxml.html.fromstring(fragment)
    for elem in tree.iter("*"):
        if elem.tag in BLOCK_TAGS:
            elem.tail = "\n" + elem.tail if elem.tail else "\n"
            elem.text = "\n" + elem.text if elem.text else "\n"
    lines = (line.strip() for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def readability_text(page: str | HtmlElement | None) -> str:
    """Main text by readability-lxml (``Document(page).summary()``) of a page or of its parsed tree (left
    unchanged), one line per block; "" on failure."""
    if page is None or (isinstance(page, str) and not page.strip()):
        return ""
    try:
        return html_block_text(_LightReadability(page).summary())
    except Exception:  # readability raises on empty or odd documents: no reference then
        return ""


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def paragraph_words(tree: HtmlElement | None) -> int:
    """Words in the page's ``<p>`` elements: how much running text the page has."""
    if tree is None:
        return 0
    return sum(len(WORD_RE.findall(p.text_content())) for p in tree.iter("p"))


def headlines(tree: HtmlElement | None) -> list[str]:
    """The page's headline candidates: ``<h1>`` elements, ``<title>``, ``og:title`` and ``twitter:title``."""
    if tree is None:
        return []
    return [str(h) if isinstance(h, str) else h.text_content() for h in tree.xpath(HEADLINE_XPATH)]


def drop_leading_headline(text: str, titles: Iterable[str]) -> str:
    """``text`` without its first line when that line is one of ``titles`` word for word (case aside) and
    more text follows."""
    lines = text.split("\n")
    index = next((i for i, line in enumerate(lines) if WORD_RE.search(line)), None)
    if index is None or not any(WORD_RE.search(line) for line in lines[index + 1 :]):
        return text
    first = _words(lines[index])
    if any(_words(title) == first for title in titles):
        return "\n".join(lines[index + 1 :]).strip("\n")
    return text


def is_doubtful(words: int, page_paragraph_words: int, rule: Rule = RULE) -> bool:
    """Rule 1: is a primary text of ``words`` words doubtful on a page with that many words in ``<p>``?"""
    return words < rule.min_words or words < rule.paragraph_share * page_paragraph_words


@dataclass
class Candidates:
    """What the choice of a page's main text works from: trafilatura's text (headline dropped), the words of
    the page's paragraphs, and readability's text, computed on first use."""

    primary: str
    paragraph_words: int
    tree: HtmlElement | None = field(default=None, repr=False)
    titles: tuple[str, ...] = ()
    _reference: str | None = field(default=None, repr=False)

    @classmethod
    def of(cls, tree: HtmlElement | None, primary: str, title: str | None = None) -> Candidates:
        titles = (*headlines(tree), *([title] if title else []))
        return cls(drop_leading_headline(primary or "", titles), paragraph_words(tree), tree, titles)

    @property
    def primary_words(self) -> int:
        return len(WORD_RE.findall(self.primary))

    def reference(self) -> str:
        if self._reference is None:
            self._reference = drop_leading_headline(readability_text(self.tree), self.titles)
        return self._reference


def choose_main_text(candidates: Candidates, rule: Rule = RULE) -> str:
    """The main text: trafilatura's unless it is doubtful, then the choice of :func:`select_main_text`."""
    if not is_doubtful(candidates.primary_words, candidates.paragraph_words, rule):
        return candidates.primary
    return select_main_text(candidates.primary, candidates.reference(), rule.truncated_ratio)


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


def select_main_text(primary: str, reference: str, truncated_ratio: float = RULE.truncated_ratio) -> str:
    """Rule 2: combine the primary extractor's text with a reference extractor's text (see the module doc)."""
    primary, reference = primary or "", reference or ""
    ref_words = _words(reference)
    if not ref_words:
        return primary
    words = _words(primary)
    shingles, ref_shingles = _shingles(words), _shingles(ref_words)
    coverage = _coverage(shingles, ref_shingles)
    if len(words) < MISSED_WORDS and len(words) < MISSED_SHARE * len(ref_words) and coverage < MISSED_COVERAGE:
        return reference
    if len(ref_words) >= truncated_ratio * len(words) and coverage >= TRUNCATED_COVERAGE:
        return reference
    if _dice(shingles, ref_shingles) < TRIM_MIN_AGREEMENT:
        return primary
    return _trim_unsupported_edges(primary, ref_words, ref_shingles)
