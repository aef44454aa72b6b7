"""URL canonicalisation, content hashes and story clusters.

One article row per canonical URL; one story per cluster of near-identical texts. Syndicated copies of
a wire story differ in headline, prefix, trailer and perhaps a paragraph, but share most of their word
sequences, so clusters are found by the containment of word shingles: the share of the shorter text's
shingles that also occur in the other.
"""

from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

LOGGER = logging.getLogger(__name__)

TRACKING_PARAMS_RE = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref|ref_src|cmpid|ito|at_\w+)$",
    re.IGNORECASE,
)
AMP_PATH_RE = re.compile(r"(?:/amp/?$|/amp(?=/)|\.amp(?=\.html?$)|\?amp$)")
WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 5
SAME_STORY_CONTAINMENT = 0.5


def canonicalize_url(url: str) -> str:
    """Normalise a URL so that copies of one page compare equal.

    Lower-cases scheme and host, drops ``www.``, default ports, fragments, tracking parameters, AMP
    suffixes and trailing slashes, sorts the remaining query parameters, and treats http as https.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = AMP_PATH_RE.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS_RE.match(k) and k.lower() != "amp"
    )
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def normalised_words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text)]


def content_hash(text: str) -> str:
    """Hash of the lower-cased word sequence: equal for texts that differ only in spacing and case."""
    return hashlib.sha256(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Hashed word ``size``-grams of ``text`` (a short text gives one shorter shingle)."""
    words = normalised_words(text)
    if len(words) < size:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set that is in the other one; 0 for an empty set."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


class StoryIndex:
    """Recent articles' shingles by story cluster; finds the cluster a new text belongs to."""

    def __init__(self, threshold: float = SAME_STORY_CONTAINMENT) -> None:
        self.threshold = threshold
        self._entries: list[tuple[str, frozenset[int]]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, cluster_id: str, text: str) -> None:
        self._entries.append((cluster_id, shingles(text)))

    def assign(self, text: str, new_cluster_id: str) -> str:
        """The cluster of the most similar stored text at or above the threshold, else ``new_cluster_id``."""
        mine = shingles(text)
        best_id, best_score = new_cluster_id, self.threshold
        for cluster_id, theirs in self._entries:
            score = containment(mine, theirs)
            if score >= best_score:
                best_id, best_score = cluster_id, score
        return best_id


def cluster_id_for(canonical_url: str) -> str:
    """A new story cluster's id, derived from its first article's canonical URL."""
    return "s-" + hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]
