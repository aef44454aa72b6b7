"""English or Italian, from stop-word counts: used by extraction (a page's language) and by the tagger
(a text without one). Kept apart from both so that the tagger does not import the HTML extractor."""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
ENGLISH_WORDS = frozenset("the and of to in is was for on that with as by at from said has have".split())
ITALIAN_WORDS = frozenset("il lo la gli le di del della dei che è e per con un una nel alla sono ha".split())


def detect_language(text: str, default: str = "en") -> str:
    """English or Italian from stop-word counts; ``default`` when the text gives too little to go on."""
    words = [w.lower() for w in WORD_RE.findall(text[:5000])]
    en = sum(w in ENGLISH_WORDS for w in words)
    it = sum(w in ITALIAN_WORDS for w in words)
    if en + it < 5:
        return default
    return "it" if it > en else "en"
