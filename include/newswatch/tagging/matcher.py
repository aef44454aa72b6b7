"""Multi-pattern term matching: all lexicon terms of a language in one compiled pattern.

One alternation, longest term first, so that at any position the longest term wins (an exclusion such
as "Leonardo da Vinci" hides the "Leonardo" inside it). Terms in capitals are acronyms and match only in
capitals ("US" but not "us"); the rest ignore case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term: str
    labels: frozenset[str]


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(term) <= 6


def _term_pattern(term: str) -> str:
    escaped = r"\s+".join(re.escape(part) for part in term.split())
    return f"(?-i:{escaped})" if _is_acronym(term) else escaped


class TermMatcher:
    """Finds lexicon terms in text and returns them with their labels."""

    def __init__(self, terms: dict[str, frozenset[str]]) -> None:
        ordered = sorted(terms, key=lambda t: (-len(t), t))
        self._labels = {self._key(t): terms[t] for t in ordered}
        alternation = "|".join(_term_pattern(t) for t in ordered)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)

    @staticmethod
    def _key(term: str) -> str:
        return " ".join(term.translate(APOSTROPHES).lower().split())

    def find(self, text: str) -> Iterator[Match]:
        """Non-overlapping matches, left to right. Text positions are those of ``text`` itself."""
        normalised = text.translate(APOSTROPHES)
        for found in self._pattern.finditer(normalised):
            key = self._key(found.group(0))
            labels = self._labels.get(key)
            if labels is not None:
                yield Match(found.start(), found.end(), text[found.start() : found.end()], labels)
