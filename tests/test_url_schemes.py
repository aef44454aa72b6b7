"""Canonical URLs keep their scheme, and a page is still one page whatever the scheme it is linked with
(both backends): one queued item per source, one article, the fetch step skipping a page stored under the
other scheme, a story id that does not depend on the scheme. And the publisher an aggregator's item
names, carried from the feed item to the article and shown as its outlet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from newswatch.dedup import canonicalize_url, cluster_id_for, content_hash
from newswatch.records import Article, Evidence, FeedItem, Verdict
from newswatch.warehouse import load, queries
from newswatch.warehouse.schema import ArticleRow, FeedItemRow

T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
SOURCES = [
    {"name": n, "title": t, "feed_url": f"https://{n}.example/feed", "language": "en", "country": "IN", "enabled": True}
    for n, t in (("ians", "IANS"), ("gnews", 'Google News - "India Italy defence"'))
]


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    with Session(migrated_engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
        yield session


def article(url: str, text: str = "India and Italy reviewed their defence cooperation.", **fields: object) -> Article:
    canonical = canonicalize_url(url)
    values: dict[str, object] = {
        "source": "ians",
        "url": url,
        "canonical_url": canonical,
        "title": "India, Italy review defence ties",
        "text": text,
        "summary": text,
        "language": "en",
        "published_at": T0,
        "published_from": "feed",
        "first_seen_at": T0,
        "fetched_at": T0,
        "content_hash": content_hash(text),
        "story_cluster_id": cluster_id_for(canonical),
        "verdict": Verdict(
            relevant=True, score=0.9, tags=("naval",), evidence=(Evidence(text, ("India",)),), language="en"
        ),
    } | fields
    return Article(**values)  # type: ignore[arg-type]


def test_an_http_only_page_keeps_its_http_address(session: Session) -> None:
    written = load.upsert_articles(session, [article("http://www.oldsite.example/news/1.html?utm_source=rss")])
    session.commit()
    assert list(written) == ["http://oldsite.example/news/1.html"]
    assert session.scalar(select(ArticleRow.canonical_url)) == "http://oldsite.example/news/1.html"


def test_the_http_and_https_spellings_of_a_page_are_one_article(session: Session) -> None:
    """Stored as https; the http spelling later (with a changed text) updates that row, under its stored
    spelling, and is reported under the caller's own; the same text again writes nothing; in one call the
    last of two spellings wins."""
    first = load.upsert_articles(session, [article("https://news.example/a")])
    session.commit()
    changed = load.upsert_articles(session, [article("http://news.example/a", text="India and Italy signed it.")])
    session.commit()
    assert (
        list(changed) == ["http://news.example/a"]
        and changed["http://news.example/a"] == first["https://news.example/a"]
    )
    rows = session.execute(select(ArticleRow.canonical_url, ArticleRow.version, ArticleRow.text)).all()
    assert [tuple(r) for r in rows] == [("https://news.example/a", 2, "India and Italy signed it.")]
    assert load.upsert_articles(session, [article("http://news.example/a", text="India and Italy signed it.")]) == {}

    twins = [article("http://news.example/b", text="one"), article("https://news.example/b", text="two")]
    both = load.upsert_articles(session, twins)
    session.commit()
    assert list(both) == ["https://news.example/b"]
    assert session.scalar(select(func.count()).select_from(ArticleRow)) == 2
    asked = {"http://news.example/b", "https://news.example/a", "http://x.example/"}
    assert queries.known_article_urls(session, asked) == {"http://news.example/b", "https://news.example/a"}


def test_a_feed_item_is_queued_once_whatever_its_scheme(session: Session) -> None:
    """One item per page and source: an http link of an item queued as https (or the reverse) is not new,
    and its entry's newer "updated" time still queues the stored item again."""
    https = FeedItem("ians", "g1", "https://news.example/a", "A", updated_at=T0)
    assert load.insert_new_items(session, [https], ["https://news.example/a"], T0) == 1
    session.commit()
    http = FeedItem("ians", "g1", "http://news.example/a", "A", updated_at=T0 + timedelta(hours=2))
    assert load.insert_new_items(session, [http], ["http://news.example/a"], T0 + timedelta(hours=1)) == 0
    session.execute(FeedItemRow.__table__.update().values(status="done"))
    assert load.requeue_updated_items(session, [http], ["http://news.example/a"]) == 1
    session.commit()
    rows = session.execute(select(FeedItemRow.canonical_url, FeedItemRow.status)).all()
    assert [tuple(r) for r in rows] == [("https://news.example/a", "new")]
    pair = [FeedItem("ians", "g2", "http://news.example/b", "B"), FeedItem("ians", "g3", "https://news.example/b", "B")]
    assert load.insert_new_items(session, pair, [i.link for i in pair], T0) == 1


def test_the_publisher_goes_from_the_feed_item_to_the_article_and_is_its_outlet(session: Session) -> None:
    """A Google News item's <source> is stored on the queued item and the article, and the digest and
    News Monitor show it (StoryArticle.source_title) instead of the aggregator source's title."""
    item = FeedItem("gnews", "g", "https://portal.example/x", "X - Defence Chronicle", publisher="Defence Chronicle")
    load.insert_new_items(session, [item], [item.link], T0)
    load.upsert_articles(
        session,
        [
            article("https://portal.example/x", source="gnews", publisher="Defence Chronicle"),
            article("https://ians.example/y", text="India and Italy held talks."),
        ],
    )
    session.commit()
    assert session.scalar(select(FeedItemRow.publisher)) == "Defence Chronicle"
    shown = {a.source: a.source_title for a in queries.relevant_articles(session, T0, T0 + timedelta(hours=1))}
    assert shown == {"gnews": "Defence Chronicle", "ians": "IANS"}
