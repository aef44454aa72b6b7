"""The India–Italy defence tagger: lexicon (taxonomy YAML), matcher (multi-pattern) and classify."""

from newswatch.tagging.classify import classify
from newswatch.tagging.lexicon import Lexicon, load_lexicon

__all__ = ["Lexicon", "classify", "load_lexicon"]
