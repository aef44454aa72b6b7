"""URL canonicalisation, content hashes and story clusters.

One article row per canonical URL; one story per cluster of near-identical texts. Syndicated copies of
a wire story differ in headline, prefix, trailer and perhaps a paragraph, but share most of their word
sequences, so clusters are found by the containment of word shingles: the share of the shorter text's
shingles that also occur in the other.

:class:`StoryIndex` finds the stored texts that share shingles with a new one through an inverted index
(shingle → stored texts), so placing an article costs time in proportion to its length and to the
number of stored texts it really overlaps, not to the size of the index (the previous index compared
every new text with every stored one). Containment is exact, over the shingles that are not boilerplate
(a shingle found in texts of many clusters: a disclaimer, a stock phrase). Two guards keep apart
*different* stories told in the same wire phrasing, such as two meetings of the same officials on
consecutive days: where both texts use the same phrase around a date, a number or a name, the tokens
must agree (:func:`conflicting`); and one of the two texts must open with words found in the other,
since copies keep the lead of the story while a follow-up that repeats the background opens anew.
Shingle hashes are stable across processes (they do not depend on ``PYTHONHASHSEED``).

The index is kept in the warehouse between cycles, not rebuilt (``story_shingles``): each article keeps a
fixed sample of its shingle hashes (:func:`shingle_sample`: those divisible by ``SAMPLE_MODULUS``, all of
them for a short text), so that the sample of two texts' overlap is the overlap of their samples. A
cycle looks up its new texts' samples there, counts how many clusters each sampled shingle spans (over
``COMMON_SHINGLE_CLUSTERS``: boilerplate, told to the index with :meth:`StoryIndex.mark_common`), keeps
the stored texts whose shared sample could mean a containment at the threshold (:func:`could_be_copy`),
checks those against their whole stored shingle sets (:func:`verified_copy`) and loads only the ones
that pass into a fresh :class:`StoryIndex`: its work depends on the new texts, not on how many are
stored.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newswatch.urls import TRACKING_PARAMS_RE, page_key

LOGGER = logging.getLogger(__name__)

AMP_PATH_RE = re.compile(r"(?:/amp/?$|/amp(?=/)|\.amp(?=\.html?$)|\?amp$)")
WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 5
SAME_STORY_CONTAINMENT = 0.4
# The conflict guard: a candidate above the containment threshold is refused when at least
# ``MIN_CONFLICTS`` of the key tokens (numbers, dates, names) that both texts have in the same phrase
# differ, and they are more than ``MAX_CONFLICT_SHARE`` of those compared.
MIN_CONFLICTS = 2
MAX_CONFLICT_SHARE = 0.1
# The lead guard: copies keep the opening of the story (behind a new headline or a prefix), a different
# story told with the same paragraphs opens differently. At least ``MIN_LEAD_SHARE`` of the first
# ``LEAD_SHINGLES`` shingles of one of the two texts must be in the other.
LEAD_SHINGLES = 25
MIN_LEAD_SHARE = 0.3
# A shingle found in stored texts of more than this many clusters is boilerplate (a disclaimer, a
# standard trailer, a stock phrase): from then on it counts in no containment, on either side.
COMMON_SHINGLE_CLUSTERS = 32
MONTH_WEEKDAY_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# A capitalised word right after one of these starts a sentence (or a quotation), so it is no name.
SENTENCE_END = frozenset(".!?:;)\"'“”‘’")
KEY = "#"  # stands for a key token inside the phrase around another one
# The persisted story index: the shingles of each text that are kept (a hash divisible by the modulus: a
# fixed eighth of any text, and of any overlap of two texts), all of them for a text with fewer sampled
# ones than ``SHORT_SAMPLE``; a stored text is loaded as a candidate when the samples share at least
# ``CANDIDATE_SHARE`` of the smaller sample (the expected share is the containment itself, 0.4 or more
# for a copy) and at least ``MIN_SHARED_SAMPLE`` shingles (see :func:`could_be_copy`).
SAMPLE_MODULUS = 8
SHORT_SAMPLE = 8
CANDIDATE_SHARE = 0.3
MIN_SHARED_SAMPLE = 2
# A candidate is then checked against the whole shingle set stored for it (no text to read, no shingles to
# compute): it is loaded when its containment with a new text that named it, boilerplate left out, is
# at least this (below the threshold, with room for what the index finds boilerplate in memory).
VERIFY_SHARE = 0.3


def canonicalize_url(url: str) -> str:
    """Normalise a URL so that copies of one page compare equal.

    Lower-cases scheme and host, drops ``www.``, default ports, fragments, tracking parameters, AMP
    suffixes and trailing slashes, and sorts the remaining query parameters. The scheme is kept as given
    (an http-only site's page has no https address); :func:`url_key` is what treats http and https as
    one page.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port is None or port == default else f"{host}:{port}"
    path = AMP_PATH_RE.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS_RE.match(k) and k.lower() != "amp"
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """The key two URLs of one page share: the canonical URL with http spelt https
    (:func:`newswatch.urls.page_key`). Uniqueness in the warehouse is by this key."""
    return page_key(canonicalize_url(url))


def normalised_words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text)]


def content_hash(text: str) -> str:
    """Hash of the lower-cased word sequence: equal for texts that differ only in spacing and case."""
    return hashlib.sha256(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


def _word_codes(words: list[str]) -> list[int]:
    # crc32 is stable across processes (str hashes are salted per process, PYTHONHASHSEED); the hash of
    # a tuple of ints is not salted, so shingles are the same in every process on a 64-bit CPython.
    crc = zlib.crc32
    return [crc(w.encode("utf-8")) for w in words]


def shingle_sequence(text: str, size: int = SHINGLE_SIZE) -> list[int]:
    """Hashed word ``size``-grams of ``text`` in text order (a short text gives one shorter shingle)."""
    codes = _word_codes(normalised_words(text))
    if len(codes) < size:
        return [hash(tuple(codes))] if codes else []
    return list(map(hash, zip(*(codes[i : len(codes) - size + 1 + i] for i in range(size)), strict=False)))


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Hashed word ``size``-grams of ``text`` (a short text gives one shorter shingle).

    The hashes do not depend on the process (``PYTHONHASHSEED``), so they can be compared or stored
    across tasks.
    """
    return frozenset(shingle_sequence(text, size))


@dataclass(frozen=True, slots=True)
class ShingleSample:
    """The shingles of one text that the persisted story index keeps, and the sizes to compare with."""

    shingles: frozenset[int]  # the sampled ones; every shingle of a short text
    size: int  # how many of its shingles are sampled (the modulus alone)
    count: int  # how many shingles it has in all
    every: frozenset[int]  # all of them

    def boilerplate(self, common: Collection[int]) -> tuple[int, int]:
        """How many of the sampled shingles, and of all those kept, are in ``common``."""
        found = [s for s in self.shingles if s in common]
        return sum(1 for s in found if s % SAMPLE_MODULUS == 0), len(found)


def shingle_sample(text: str) -> ShingleSample:
    """The shingles of ``text`` the persisted story index stores and looks up (see the module docs).

    The sample is a function of each shingle alone, so two texts' samples share exactly the sample of
    their common shingles; a short text (fewer than ``SHORT_SAMPLE`` sampled) keeps all its shingles.
    """
    found = shingles(text)
    sampled = frozenset(s for s in found if s % SAMPLE_MODULUS == 0)
    return ShingleSample(sampled if len(sampled) >= SHORT_SAMPLE else found, len(sampled), len(found), found)


def could_be_copy(
    shared: int, mine: tuple[int, int], theirs: tuple[int, int], boilerplate: tuple[int, int] = (0, 0)
) -> bool:
    """Whether a stored text sharing ``shared`` kept shingles (boilerplate left out) with a new one is
    worth loading. ``mine`` and ``theirs`` are the texts' ``(size, count)`` (:class:`ShingleSample`);
    ``boilerplate`` how many of the new text's sampled, and of all its kept, shingles are boilerplate
    (:meth:`ShingleSample.boilerplate`), which count in no containment.

    Two short texts keep all their shingles: the share is the containment itself. Otherwise the shared
    shingles are sampled ones (the only ones a long text keeps), to compare with the smaller sample, the
    new text's without its boilerplate: at least ``CANDIDATE_SHARE`` of it, and ``MIN_SHARED_SAMPLE``
    unless one text is short.
    """
    (my_size, my_count), (their_size, their_count) = mine, theirs
    common_sampled, common_kept = boilerplate
    if my_size < SHORT_SAMPLE and their_size < SHORT_SAMPLE:
        return shared >= max(1.0, CANDIDATE_SHARE * min(my_count - common_kept, their_count))
    least = 1 if min(my_size, their_size) < SHORT_SAMPLE else MIN_SHARED_SAMPLE
    return shared >= max(least, CANDIDATE_SHARE * min(my_size - common_sampled, their_size))


def verified_copy(mine: frozenset[int], theirs: frozenset[int], common: Collection[int]) -> bool:
    """Whether a candidate named by its sample is worth loading, from both whole shingle sets: their
    containment without the ``common`` (boilerplate) shingles is at least ``VERIFY_SHARE``."""
    return containment(mine.difference(common), theirs.difference(common)) >= VERIFY_SHARE


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set that is in the other one; 0 for an empty set."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def key_contexts(text: str) -> dict[tuple[str, str, str, str], frozenset[str]]:
    """The key tokens of ``text`` (numbers, months, weekdays, capitalised words inside a sentence) by
    the phrase around them: two words either side, lower-cased, other key tokens written ``#``.

    Two reports of different meetings in the same wire phrasing ("met in Rome on Tuesday to review")
    differ exactly there ("met in Naples on Wednesday to review"); phrases with fewer than two plain
    words around the token are too vague to compare and left out.
    """
    tokens: list[str] = []
    keys: list[bool] = []
    previous_end = -1  # no word yet: the first word starts a sentence
    for match in WORD_RE.finditer(text):
        word = match.group()
        lower = word.lower()
        key = lower in MONTH_WEEKDAY_WORDS or not word.isalpha()
        if not key and word[0].isupper() and previous_end >= 0:
            between = text[previous_end : match.start()]
            stripped = between.strip()
            key = "\n" not in between and (not stripped or stripped[-1] not in SENTENCE_END)
        previous_end = match.end()
        tokens.append(lower)
        keys.append(key)
    plain = [KEY if k else t for t, k in zip(tokens, keys, strict=True)]
    found: dict[tuple[str, str, str, str], set[str]] = {}
    last = len(tokens)
    for i, (token, key) in enumerate(zip(tokens, keys, strict=True)):
        if not key:
            continue
        context = (
            plain[i - 2] if i >= 2 else "",
            plain[i - 1] if i >= 1 else "",
            plain[i + 1] if i + 1 < last else "",
            plain[i + 2] if i + 2 < last else "",
        )
        if sum(1 for c in context if c and c != KEY) >= 2:
            found.setdefault(context, set()).add(token)
    return {c: frozenset(v) for c, v in found.items()}


def key_conflicts(
    a: dict[tuple[str, str, str, str], frozenset[str]], b: dict[tuple[str, str, str, str], frozenset[str]]
) -> tuple[int, int]:
    """(conflicts, agreements): phrases both texts use around a key token, with different or shared tokens."""
    if len(a) > len(b):
        a, b = b, a
    conflicts = agreements = 0
    for context, mine in a.items():
        theirs = b.get(context)
        if theirs is None:
            continue
        if mine & theirs:
            agreements += 1
        else:
            conflicts += 1
    return conflicts, agreements


def conflicting(
    a: dict[tuple[str, str, str, str], frozenset[str]],
    b: dict[tuple[str, str, str, str], frozenset[str]],
    min_conflicts: int = MIN_CONFLICTS,
    max_share: float = MAX_CONFLICT_SHARE,
) -> bool:
    """Whether two texts report different facts (dates, numbers, names) in the same phrases."""
    conflicts, agreements = key_conflicts(a, b)
    return conflicts >= min_conflicts and conflicts > max_share * (conflicts + agreements)


@dataclass(slots=True)
class _Entry:
    cluster_id: str
    size: int  # number of its shingles that are not boilerplate
    lead: tuple[int, ...]  # the first shingles, in text order
    contexts: dict[tuple[str, str, str, str], frozenset[str]] | None
    pending: str | None = None  # the text, while its key contexts are still to be read (``add(lazy=True)``)


class StoryIndex:
    """Recent articles' shingles by story cluster; finds the cluster a new text belongs to.

    ``assign`` returns the cluster of the stored text whose containment with the new one (the share of
    the smaller shingle set found in the other, boilerplate left out) is highest and at least
    ``threshold``, passing over texts that put other key tokens in the same phrases or that open
    differently (``guard``; see the module documentation). ``guard=False`` gives plain containment.
    """

    def __init__(self, threshold: float = SAME_STORY_CONTAINMENT, guard: bool = True) -> None:
        self.threshold = threshold
        self.guard = guard
        self._entries: list[_Entry] = []
        # shingle → the stored texts having it: one index as an int, several as a list
        self._postings: dict[int, int | list[int]] = {}
        # boilerplate shingles (in texts of many clusters) → their texts; left out of containment
        self._common: dict[int, set[int]] = {}
        # the last text assigned, its shingles and key contexts: ``add`` usually follows with that text
        self._last: tuple[str, list[int], dict[tuple[str, str, str, str], frozenset[str]] | None] | None = None

    def _analyse(
        self, text: str, with_contexts: bool
    ) -> tuple[list[int], dict[tuple[str, str, str, str], frozenset[str]] | None]:
        last = self._last
        if last is not None and last[0] == text:
            sequence, contexts = last[1], last[2]
        else:
            sequence, contexts = shingle_sequence(text), None
        if with_contexts and contexts is None:
            contexts = key_contexts(text)
        self._last = (text, sequence, contexts)
        return sequence, contexts

    def __len__(self) -> int:
        return len(self._entries)

    def mark_common(self, shingles: Iterable[int]) -> None:
        """Treat ``shingles`` as boilerplate from now on (known to span many clusters elsewhere): they count
        in no containment, as if this index had found them in texts of more than
        ``COMMON_SHINGLE_CLUSTERS`` clusters itself."""
        postings, common, entries = self._postings, self._common, self._entries
        for shingle in shingles:
            if shingle in common:
                continue
            posting = postings.pop(shingle, None)
            held = set() if posting is None else {posting} if isinstance(posting, int) else set(posting)
            common[shingle] = held
            for i in held:
                entries[i].size -= 1

    def add(self, cluster_id: str, text: str, lazy: bool = False) -> None:
        """Store ``text`` in ``cluster_id``. ``lazy``: read its key contexts (for the conflict guard) only
        when a new text comes close enough to need them, as most stored texts loaded for a batch never do;
        the clusters are the same."""
        index = len(self._entries)
        sequence, contexts = self._analyse(text, self.guard and not lazy)
        self._last = None
        found = set(sequence)
        size = len(found) - sum(1 for s in found if s in self._common)
        pending = text if self.guard and lazy else None
        self._entries.append(_Entry(cluster_id, size, tuple(sequence[:LEAD_SHINGLES]), contexts, pending))
        postings, common = self._postings, self._common
        for shingle in found:
            posting = postings.get(shingle)
            if posting is None:
                boiler = common.get(shingle)
                if boiler is None:
                    postings[shingle] = index
                else:
                    boiler.add(index)
            elif isinstance(posting, int):
                postings[shingle] = [posting, index]
            else:
                posting.append(index)
                if len(posting) % COMMON_SHINGLE_CLUSTERS == 0 and self._spans_many_clusters(posting):
                    common[shingle] = set(posting)
                    del postings[shingle]
                    for i in posting:
                        self._entries[i].size -= 1

    def _spans_many_clusters(self, posting: list[int]) -> bool:
        entries = self._entries
        return len({entries[i].cluster_id for i in posting}) > COMMON_SHINGLE_CLUSTERS

    def _has(self, index: int, shingle: int) -> bool:
        posting = self._postings.get(shingle)
        if posting is None:
            return index in self._common.get(shingle, ())
        return posting == index if isinstance(posting, int) else index in posting

    def _same_lead(self, index: int, sequence: list[int], mine: frozenset[int]) -> bool:
        """Whether one of the two texts opens with words found in the other."""
        theirs = self._entries[index].lead
        if theirs and sum(1 for s in theirs if s in mine) >= MIN_LEAD_SHARE * len(theirs):
            return True
        lead = sequence[:LEAD_SHINGLES]
        return bool(lead) and sum(1 for s in lead if self._has(index, s)) >= MIN_LEAD_SHARE * len(lead)

    def assign(self, text: str, new_cluster_id: str) -> str:
        """The cluster of the most similar stored text at or above the threshold, else ``new_cluster_id``."""
        sequence, _ = self._analyse(text, False)
        mine = frozenset(sequence)
        if not mine or not self._entries:
            return new_cluster_id
        counts: dict[int, int] = {}
        boilerplate = 0
        postings, common = self._postings, self._common
        for shingle in mine:
            posting = postings.get(shingle)
            if posting is None:
                boilerplate += shingle in common
            elif isinstance(posting, int):
                counts[posting] = counts.get(posting, 0) + 1
            else:
                for i in posting:
                    counts[i] = counts.get(i, 0) + 1
        size, entries, threshold = len(mine) - boilerplate, self._entries, self.threshold
        scored: list[tuple[float, int]] = []
        for i, shared in counts.items():
            smaller = min(size, entries[i].size)
            if smaller and shared >= threshold * smaller:
                scored.append((shared / smaller, i))
        if not scored:
            return new_cluster_id
        # the best first; among equals the latest stored text, as a plain scan keeping ">=" would pick
        scored.sort(reverse=True)
        if not self.guard:
            return entries[scored[0][1]].cluster_id
        _, contexts = self._analyse(text, True)
        assert contexts is not None
        for _, i in scored:
            entry = entries[i]
            if entry.pending is not None:
                entry.contexts, entry.pending = key_contexts(entry.pending), None
            theirs = entry.contexts
            if theirs is not None and conflicting(contexts, theirs):
                continue
            if self._same_lead(i, sequence, mine):
                return entries[i].cluster_id
        return new_cluster_id


def cluster_id_for(canonical_url: str) -> str:
    """A new story cluster's id, derived from its first article's canonical URL (by its page key, so the
    http and https spellings of a page give one id, the one it had before canonical URLs kept their scheme)."""
    return "s-" + hashlib.sha1(page_key(canonical_url).encode("utf-8")).hexdigest()[:16]
