"""Tests of newswatch.dedup: URL canonicalisation, content hashes and story clustering."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswatch.clean import clean_article_text
from newswatch.dedup import (
    SAME_STORY_CONTAINMENT,
    StoryIndex,
    canonicalize_url,
    cluster_id_for,
    containment,
    content_hash,
    shingles,
    url_key,
)
from newswatch.urls import page_key, scheme_twins, without_tracking

RESOURCES = Path(__file__).resolve().parent / "resources"
DAY1 = (RESOURCES / "story_rome_talks_day1.txt").read_text(encoding="utf-8")
DAY2 = (RESOURCES / "story_rome_talks_day2.txt").read_text(encoding="utf-8")

CANONICAL = "https://news.example/world/rome-talks"


# --- canonicalize_url ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "https://news.example/world/rome-talks",
        "http://news.example/world/rome-talks",
        "https://www.news.example/world/rome-talks",
        "HTTPS://WWW.News.Example/world/rome-talks",
        "https://news.example/world/rome-talks/",
        "https://news.example/world/rome-talks#comments",
        "https://news.example:443/world/rome-talks",
        "http://news.example:80/world/rome-talks",
        "https://news.example/world/rome-talks?utm_source=rss&utm_medium=feed&utm_campaign=x",
        "https://news.example/world/rome-talks?fbclid=IwAR0abc&gclid=xyz",
        "https://news.example/world/rome-talks/amp",
        "https://news.example/world/rome-talks/amp/",
        "https://news.example/amp/world/rome-talks",
        "https://news.example/world/rome-talks?amp",
        "https://news.example/world/rome-talks?amp=1",
        "  http://www.news.example:80/world/rome-talks/amp/?utm_source=x#top  ",
    ],
)
def test_canonical_url_variants_collapse(variant: str) -> None:
    """Tracking parameters, www., default ports, trailing slash, fragment and AMP forms collapse; the scheme
    is kept, and http and https are one page by the key."""
    scheme = variant.strip().split(":", 1)[0].lower()
    assert canonicalize_url(variant) == scheme + CANONICAL.removeprefix("https")
    assert url_key(variant) == CANONICAL


def test_canonical_url_keeps_the_scheme() -> None:
    """An http-only site's page keeps its http address (https would be a link that does not exist), and
    only the scheme's own default port is dropped."""
    assert (
        canonicalize_url("http://www.oldsite.example/news/1.html?utm_source=rss")
        == "http://oldsite.example/news/1.html"
    )
    assert canonicalize_url("HTTP://oldsite.example:80/a") == "http://oldsite.example/a"
    assert canonicalize_url("http://oldsite.example:443/a") == "http://oldsite.example:443/a"
    assert canonicalize_url("https://oldsite.example:80/a") == "https://oldsite.example:80/a"
    assert (
        url_key("http://oldsite.example/a") == url_key("https://www.oldsite.example/a/") == "https://oldsite.example/a"
    )


def test_page_key_and_scheme_twins() -> None:
    """The key spells http as https (as canonical URLs were spelt before they kept their scheme); the twins
    are the spellings a page may be stored under."""
    assert page_key("http://a.example/x") == page_key("https://a.example/x") == "https://a.example/x"
    assert page_key("ftp://a.example/x") == "ftp://a.example/x"
    assert scheme_twins("http://a.example/x") == ("http://a.example/x", "https://a.example/x")
    assert scheme_twins("https://a.example/x") == ("https://a.example/x", "http://a.example/x")
    assert scheme_twins("ftp://a.example/x") == ("ftp://a.example/x",)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://news.example/a?utm_source=rss&utm_medium=feed", "https://news.example/a"),
        ("http://www.news.example/a/?id=7&fbclid=x&gclid=y#top", "http://www.news.example/a/?id=7#top"),
        ("https://news.example/a?z=1&a=2&utm_campaign=c", "https://news.example/a?z=1&a=2"),
        ("https://news.example/a?id=7", "https://news.example/a?id=7"),
        ("https://news.example/a", "https://news.example/a"),
    ],
)
def test_without_tracking_drops_only_tracking_parameters(url: str, clean: str) -> None:
    """The address handed out (the export's url): tracking parameters gone, everything else as given."""
    assert without_tracking(url) == clean


def test_amp_html_suffix() -> None:
    """'story.amp.html' is the AMP copy of 'story.html'."""
    assert canonicalize_url("https://news.example/a/story.amp.html") == canonicalize_url(
        "https://news.example/a/story.html"
    )


def test_query_is_sorted_and_meaningful_parameters_kept() -> None:
    """Remaining parameters are kept and sorted, so their order does not matter."""
    a = canonicalize_url("https://news.example/article?id=42&page=2&utm_source=x")
    b = canonicalize_url("https://news.example/article?page=2&id=42")
    assert a == b == "https://news.example/article?id=42&page=2"
    assert canonicalize_url("https://news.example/article?id=43") != a


def test_distinct_pages_stay_distinct() -> None:
    """Canonicalisation must not merge different pages."""
    urls = [
        "https://news.example/world/rome-talks",
        "https://news.example/world/rome-talks-2",
        "https://news.example/World/Rome-Talks",  # paths are case-sensitive
        "https://other.example/world/rome-talks",
        "https://news.example:8443/world/rome-talks",  # a non-default port is another server
        "https://news.example/world/ampere-rome-talks",  # 'amp' inside a word is not AMP
        "https://news.example/world/lamp/rome-talks",
    ]
    assert len({canonicalize_url(u) for u in urls}) == len(urls)


def test_root_url_and_idempotence() -> None:
    """The root has path '/', and canonicalising twice changes nothing."""
    assert canonicalize_url("http://www.news.example") == "http://news.example/"
    assert canonicalize_url("https://news.example/") == "https://news.example/"
    for url in ("http://www.news.example/a/b/amp/?utm_x=1&z=2&a=1#f", "https://news.example/a.amp.html"):
        once = canonicalize_url(url)
        assert canonicalize_url(once) == once


def test_ipv6_host_keeps_brackets() -> None:
    """An IPv6 literal host stays bracketed so the canonical URL is still a valid URL."""
    assert canonicalize_url("http://[2001:db8::1]:8080/a") == "http://[2001:db8::1]:8080/a"
    assert canonicalize_url("https://[2001:db8::1]/a") == "https://[2001:db8::1]/a"


# --- content_hash ----------------------------------------------------------------------------------


def test_content_hash_ignores_spacing_case_and_punctuation_runs() -> None:
    """Texts that differ only in whitespace and case hash equally."""
    base = content_hash(DAY1)
    assert content_hash(DAY1.upper()) == base
    assert content_hash("  " + " \n\n ".join(DAY1.split()) + "\n") == base
    assert content_hash(DAY1.replace("\n\n", "\n")) == base


def test_content_hash_changes_with_words() -> None:
    """Any change of words changes the hash."""
    base = content_hash(DAY1)
    assert content_hash(DAY2) != base
    assert content_hash(DAY1.replace("Tuesday", "Monday")) != base
    assert content_hash(DAY1 + " Extra.") != base
    assert len(base) == 64


# --- shingles and containment ----------------------------------------------------------------------


def test_containment_basics() -> None:
    """Containment is the share of the smaller set found in the larger one."""
    a = shingles(DAY1)
    assert containment(a, a) == 1.0
    assert containment(a, frozenset()) == 0.0
    assert containment(frozenset(), frozenset()) == 0.0
    half = shingles(" ".join(DAY1.split()[:40]))
    assert containment(half, a) == containment(a, half) == 1.0
    assert shingles("") == frozenset()
    assert len(shingles("too short")) == 1


# --- StoryIndex ------------------------------------------------------------------------------------


def syndicated_copy(original: str) -> str:
    """A MENAFN-style copy of an IANS text: prefix, an extra paragraph, trailer and disclaimer."""
    return (
        "(MENAFN - IANS) "
        + original.strip()
        + "\n\nThe meeting comes weeks after the two navies held a joint search-and-rescue drill off Goa."
        + "\n\n--IANS\nab/cd\n\nLegal Disclaimer:\nMENAFN provides the information as is without warranty."
    )


@pytest.mark.parametrize("clean_first", [False, True], ids=["raw", "cleaned"])
def test_syndicated_copy_joins_the_cluster(clean_first: bool) -> None:
    """A republished copy (with its furniture or cleaned) joins the original's cluster."""
    original, copy = DAY1, syndicated_copy(DAY1)
    if clean_first:
        original, copy = clean_article_text(original).text, clean_article_text(copy).text
    assert copy != original
    index = StoryIndex()
    first = index.assign(original, cluster_id_for("https://ians.example/rome-talks"))
    index.add(first, original)
    assert index.assign(copy, "s-new") == first
    assert len(index) == 1


def test_truncated_copy_joins_the_cluster() -> None:
    """A copy that keeps only the first paragraphs is still the same story."""
    index = StoryIndex()
    index.add("s-day1", DAY1)
    truncated = "\n\n".join(DAY1.split("\n\n")[:2])
    assert index.assign(truncated, "s-new") == "s-day1"


def test_next_day_story_on_same_topic_is_a_new_cluster() -> None:
    """A different India–Italy meeting story, a day later, does not join the first one's cluster."""
    assert "Rome" in DAY1 and "Rome" in DAY2 and "India" in DAY2 and "Italy" in DAY2
    assert containment(shingles(DAY1), shingles(DAY2)) < SAME_STORY_CONTAINMENT
    index = StoryIndex()
    index.add("s-day1", DAY1)
    assert index.assign(DAY2, "s-day2") == "s-day2"
    index.add("s-day2", DAY2)
    # ...and each day's syndicated copy finds its own day.
    assert index.assign(syndicated_copy(DAY1), "s-x") == "s-day1"
    assert index.assign(syndicated_copy(DAY2), "s-x") == "s-day2"


def test_assign_picks_the_best_match_and_respects_threshold() -> None:
    """With several candidates the most similar wins; a high threshold refuses a partial match."""
    first_half = "\n\n".join(DAY1.split("\n\n")[:3])
    index = StoryIndex()
    index.add("s-day2", DAY2)
    index.add("s-partial", first_half + "\n\n" + DAY2)  # contains all of the start of DAY1
    index.add("s-day1", DAY1)
    assert index.assign(DAY1, "s-new") == "s-day1"
    strict = StoryIndex(threshold=0.99)
    strict.add("s-partial", first_half)
    assert strict.assign(first_half + " Something entirely new happens here today.", "s-new") == "s-partial"
    assert strict.assign(DAY2, "s-new") == "s-new"


def test_empty_index_and_empty_text() -> None:
    """An empty index, or an empty text, always gives the new cluster id."""
    assert StoryIndex().assign(DAY1, "s-new") == "s-new"
    index = StoryIndex()
    index.add("s-day1", DAY1)
    assert index.assign("", "s-new") == "s-new"


def test_cluster_id_for_is_stable() -> None:
    """The id depends only on the canonical URL: stable across calls, different per URL."""
    a = cluster_id_for(CANONICAL)
    assert a == cluster_id_for(CANONICAL)
    assert a.startswith("s-") and len(a) == 18
    assert cluster_id_for(CANONICAL + "-2") != a
    # the http spelling of the page gives the same id (the one it had when canonical URLs were all https)
    assert cluster_id_for(canonicalize_url("http://www.news.example/world/rome-talks/?utm_source=x")) == a
