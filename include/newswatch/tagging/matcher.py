"""Multi-pattern term matching with an Aho–Corasick automaton: one pass over the text for all terms.

Matches are whole words, leftmost first and, at one position, longest first — so an exclusion such as
"Leonardo da Vinci" hides the "Leonardo" inside it, as a reader would. Terms in capitals are acronyms
and match only in capitals ("US" but not "us"); the rest ignore case. Runs of white space in the text
count as one space, so "New\\nDelhi" matches "New Delhi".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})
SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    """A term found in the normalised text (positions are in that text)."""

    start: int
    end: int
    term: str
    labels: frozenset[str]


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(term) <= 6


def normalise(text: str) -> str:
    """The text as terms are matched: typographic apostrophes and dashes plain, white space single."""
    return SPACES_RE.sub(" ", text.translate(APOSTROPHES))


def _key(term: str) -> str:
    return normalise(term).strip().lower()


class TermMatcher:
    """Finds lexicon terms in text and returns them with their labels."""

    def __init__(self, terms: dict[str, frozenset[str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        # One key per lower-cased term; spellings that differ only in case are variants of that key,
        # an acronym variant requiring its exact capitals ("US") and the others not ("Difesa").
        variants: dict[str, dict[str | None, frozenset[str]]] = {}
        for term, labels in terms.items():
            exact = normalise(term).strip() if _is_acronym(term) else None
            by_case = variants.setdefault(_key(term), {})
            by_case[exact] = by_case.get(exact, frozenset()) | labels
        for key, by_case in variants.items():
            self._automaton.add_word(key, (len(key), tuple(by_case.items())))
        self._automaton.make_automaton()
        self._empty = not variants

    def find(self, text: str) -> Iterator[Match]:
        """Non-overlapping whole-word matches, leftmost-longest, left to right."""
        if self._empty:
            return
        normalised = normalise(text)
        lowered = normalised.lower()
        if len(lowered) != len(normalised):  # a few characters change length when lower-cased
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in normalised)
        candidates: list[tuple[int, int, frozenset[str], str]] = []
        for end_index, (length, by_case) in self._automaton.iter(lowered):
            start, end = end_index - length + 1, end_index + 1
            if (start > 0 and _word_char(lowered[start - 1])) or (end < len(lowered) and _word_char(lowered[end])):
                continue
            surface = normalised[start:end]
            labels = frozenset().union(*(lb for exact, lb in by_case if exact is None or exact == surface))
            if labels:
                candidates.append((start, end, labels, surface))
        candidates.sort(key=lambda c: (c[0], -c[1]))
        position = 0
        for start, end, labels, surface in candidates:
            if start >= position:
                position = end
                yield Match(start, end, surface, labels)


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
