"""An analyst's label stands over the tagger: on re-tagging (with the real tagger) and for new copies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from newswatch.config import CONFIG_DIR, load_settings
from newswatch.dedup import content_hash
from newswatch.process import apply_labels
from newswatch.records import Article, Verdict
from newswatch.retag import retag_articles
from newswatch.tagging import classify, load_lexicon
from newswatch.warehouse import labels, load
from newswatch.warehouse.schema import ArticleRow
from newswatch.warehouse.session import engine_for

T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
DEFENCE = (
    "India, Italy agree to deepen defence industrial cooperation",
    "New Delhi, Feb 27 (IANS) India and Italy on Friday agreed to deepen defence industrial cooperation "
    "after talks between the two defence ministers in Rome, the defence ministry said.",
)
CUISINE = (
    "Italian chefs bring regional cuisine week to Mumbai",
    "Mumbai, Feb 27 (IANS) Italian chefs are cooking regional dishes at a Mumbai hotel this week with their "
    "Indian partners, the organisers said.",
)


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    with Session(migrated_engine) as session:
        load.upsert_sources(
            session,
            [{"name": "ians", "title": "IANS", "feed_url": "https://ians.example/feed", "language": "en",
              "country": "IN", "enabled": True}],
        )  # fmt: skip
        session.commit()
        yield session


def tagged(slug: str, story: str, title: str, text: str) -> Article:
    """An article tagged by the real tagger, as process_articles loads it."""
    url = f"https://ians.example/news/{slug}"
    return Article(
        source="ians", url=url, canonical_url=url, title=title, text=text, summary=text[:80], language="en",
        published_at=T0, published_from="meta", first_seen_at=T0, fetched_at=T0, content_hash=content_hash(text),
        story_cluster_id=story, verdict=classify(title, text, load_lexicon(CONFIG_DIR / "taxonomy.yaml"), "en"),
    )  # fmt: skip


def relevance(session: Session) -> dict[str, tuple[bool, float]]:
    session.expire_all()
    rows = session.execute(select(ArticleRow.story_cluster_id, ArticleRow.relevant, ArticleRow.score))
    return {story: (relevant, score) for story, relevant, score in rows}


def test_labels_stand_over_the_tagger_on_retag(session: Session, warehouse_url: str, tmp_path: Path) -> None:
    """Marked not relevant: out, though the model still scores it high; marked relevant: in, though it
    scores low. Unlabelled stories keep the tagger's decision; scores stay the model's."""
    articles = [tagged("talks", "s-talks", *DEFENCE), tagged("chefs", "s-chefs", *CUISINE)]
    load.upsert_articles(session, articles)
    session.commit()
    before = relevance(session)
    assert before["s-talks"][0] and not before["s-chefs"][0]

    labels.record_label(session, "s-talks", False, "a think-tank summary, not news", "alice", T0)
    labels.record_label(session, "s-chefs", True, None, "bob", T0)
    session.commit()
    settings = load_settings({"NEWSWATCH_VAR": str(tmp_path / "var"), "NEWSWATCH_WAREHOUSE_URL": warehouse_url})
    try:
        counts = retag_articles(settings, since=T0 - timedelta(hours=1))
    finally:
        engine_for(warehouse_url).dispose()
    after = relevance(session)
    assert (counts["no_longer_relevant"], counts["now_relevant"]) == (1, 1)
    assert after == {"s-talks": (False, before["s-talks"][1]), "s-chefs": (True, before["s-chefs"][1])}

    # The latest label wins: marked relevant again, the story is back on the next retag.
    labels.record_label(session, "s-talks", True, None, "alice", T0 + timedelta(hours=1))
    session.commit()
    try:
        retag_articles(settings, since=T0 - timedelta(hours=1))
    finally:
        engine_for(warehouse_url).dispose()
    assert relevance(session)["s-talks"][0]


def test_a_new_copy_of_a_labelled_story_follows_the_label(session: Session) -> None:
    """A copy arriving after the label (same story) is loaded with the label's decision."""
    load.upsert_articles(session, [tagged("talks", "s-talks", *DEFENCE)])
    session.commit()
    labels.record_label(session, "s-talks", False, None, "alice", T0)
    session.commit()
    copy = tagged("talks-copy", "s-talks", DEFENCE[0], DEFENCE[1] + " More talks are due in May.")
    other = tagged("other", "s-other", *DEFENCE)
    assert copy.verdict is not None and copy.verdict.relevant
    apply_labels(session, [copy, other])
    assert copy.verdict is not None and other.verdict is not None
    assert (copy.verdict.relevant, copy.verdict.tags) == (False, ())
    assert other.verdict.relevant and other.verdict.tags


def test_with_label_keeps_the_model_s_numbers() -> None:
    verdict = Verdict(relevant=True, score=0.93, tags=("naval",), evidence=(), language="en", model_version="m-1")
    assert labels.with_label(verdict, None) is verdict
    assert labels.with_label(verdict, True) is verdict
    marked = labels.with_label(verdict, False)
    assert (marked.relevant, marked.score, marked.tags, marked.model_version) == (False, 0.93, (), "m-1")
