"""Analysts' labels (newswatch.warehouse.labels) and the tagger's explanation in the warehouse, on both
backends: labels recorded and read back with their history, unknown stories and long notes refused with
nothing written, training examples one per article grouped by story, near misses in a window, and the
contributions and model version that ingest and ``newswatch retag`` store with each verdict."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from newswatch import retag
from newswatch.config import load_settings
from newswatch.dedup import content_hash
from newswatch.records import Article, Contribution, Evidence, Verdict
from newswatch.warehouse import labels, load
from newswatch.warehouse.schema import NOTE_MAX_CHARS, ArticleRow, TaggerLabelRow
from newswatch.warehouse.session import engine_for

T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
LABELLED_AT = datetime(2026, 2, 28, 9, 0, tzinfo=UTC)
SOURCES = [
    {"name": n, "title": t, "feed_url": f"https://{n}.example/feed", "language": "en", "country": c, "enabled": True}
    for n, t, c in (("ians", "IANS", "IN"), ("ansa", "ANSA English", "IT"))
]
CONTRIBUTIONS = (
    Contribution("bilateral_defence_sentences", "sentences naming India, Italy and a defence matter", 2.0, 1.8),
    Contribution("headline_both_sides", "the headline names both sides", 1.0, 0.6),
    Contribution("third_countries", "third countries named", 3.0, -0.9),
)


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    with Session(migrated_engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
        yield session


def verdict(score: float, relevant: bool | None = None, model: str = "m-1", contributions: Any = ()) -> Verdict:
    return Verdict(
        relevant=score >= 0.5 if relevant is None else relevant,
        score=score,
        tags=("naval",) if score >= 0.5 else (),
        evidence=(Evidence("India and Italy held naval talks.", ("India", "Italy", "naval")),),
        language="en",
        contributions=tuple(contributions),
        model_version=model,
    )


def article(
    slug: str,
    story: str,
    score: float,
    *,
    source: str = "ians",
    published_at: datetime | None = T0,
    first_seen_at: datetime = T0,
    relevant: bool | None = None,
    model: str = "m-1",
    language: str = "en",
    text: str | None = None,
) -> Article:
    body = text if text is not None else f"India and Italy discussed {slug} in Rome."
    url = f"https://{source}.example/news/{slug}"
    return Article(
        source=source,
        url=url,
        canonical_url=url,
        title=f"Story {slug}",
        text=body,
        summary=body[:80],
        language=language,
        published_at=published_at,
        published_from="meta" if published_at else "",
        first_seen_at=first_seen_at,
        fetched_at=first_seen_at,
        content_hash=content_hash(body),
        story_cluster_id=story,
        verdict=verdict(score, relevant, model),
    )


def store(session: Session, articles: list[Article]) -> dict[str, int]:
    """Load as process_articles does (rows, details, clusters), commit, return ``{slug: id}``."""
    written = load.upsert_articles(session, articles)
    by_url = {a.canonical_url: a for a in articles}
    load.write_article_details(session, {i: by_url[u].verdict for u, i in written.items()}, {})
    load.refresh_story_clusters(session, {a.story_cluster_id for a in articles})
    session.commit()
    session.expunge_all()
    return {url.rsplit("/", 1)[1]: article_id for url, article_id in written.items()}


def label_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TaggerLabelRow)) or 0


# --- recording and reading labels ----------------------------------------------------------------------


def test_record_label_keeps_the_story_as_judged_and_the_latest_wins(session: Session) -> None:
    ids = store(
        session,
        [
            article("a1", "s-a", 0.42, model="m-1"),
            article("a2", "s-a", 0.31, source="ansa", model="m-0"),
            article("b1", "s-b", 0.9),
        ],
    )
    first = labels.record_label(
        session, "s-a", True, "  Joint naval drill: the tagger missed it.  ", "alice", LABELLED_AT
    )
    session.commit()
    assert first.story_cluster_id == "s-a" and first.relevant is True
    assert first.note == "Joint naval drill: the tagger missed it."
    assert (first.labelled_by, first.labelled_at) == ("alice", LABELLED_AT)
    urls = {ids["a1"]: "https://ians.example/news/a1", ids["a2"]: "https://ansa.example/news/a2"}
    assert first.article_ids == tuple(sorted(urls))
    assert first.canonical_urls == tuple(urls[i] for i in sorted(urls))
    assert (first.score_at_label, first.model_version) == (0.42, "m-1")  # the best copy's score and model

    later = labels.record_label(session, "s-a", False, "", "bob", LABELLED_AT + timedelta(hours=1))
    other = labels.record_label(session, "s-b", False, None, "alice", LABELLED_AT)
    session.commit()
    assert later.note is None and other.note is None
    assert label_count(session) == 3
    latest = labels.latest_labels(session)
    assert [(r.story_cluster_id, r.relevant, r.labelled_by) for r in latest] == [
        ("s-a", False, "bob"),
        ("s-b", False, "alice"),
    ]
    assert [r.id for r in labels.latest_labels(session, ["s-a"])] == [later.id]
    assert labels.latest_labels(session, []) == []
    assert [r.id for r in labels.label_history(session, "s-a")] == [later.id, first.id]


def test_labels_at_the_same_time_the_last_recorded_wins(session: Session) -> None:
    store(session, [article("a1", "s-a", 0.3)])
    labels.record_label(session, "s-a", True, None, "alice", LABELLED_AT)
    second = labels.record_label(session, "s-a", False, None, "bob", LABELLED_AT)
    session.commit()
    assert [r.id for r in labels.latest_labels(session)] == [second.id]


def test_unknown_story_is_refused_and_nothing_is_written(session: Session) -> None:
    store(session, [article("a1", "s-a", 0.3)])
    with pytest.raises(labels.UnknownStory, match="no story 's-nope'"):
        labels.record_label(session, "s-nope", True, "note", "alice", LABELLED_AT)
    session.commit()
    assert label_count(session) == 0


@pytest.mark.parametrize("user", ["", "   ", "x" * (labels.USER_MAX_CHARS + 1)])
def test_a_label_needs_a_user_name(session: Session, user: str) -> None:
    store(session, [article("a1", "s-a", 0.3)])
    with pytest.raises(labels.LabelError, match="name of who gave it"):
        labels.record_label(session, "s-a", True, None, user, LABELLED_AT)
    assert label_count(session) == 0


def test_a_note_over_the_limit_is_refused(session: Session) -> None:
    store(session, [article("a1", "s-a", 0.3)])
    with pytest.raises(labels.LabelError, match=f"at most {NOTE_MAX_CHARS}"):
        labels.record_label(session, "s-a", True, "x" * (NOTE_MAX_CHARS + 1), "alice", LABELLED_AT)
    session.commit()
    assert label_count(session) == 0
    at_limit = labels.record_label(session, "s-a", True, "x" * NOTE_MAX_CHARS, "alice", LABELLED_AT)
    session.commit()
    assert at_limit.note is not None and len(at_limit.note) == NOTE_MAX_CHARS


def test_a_naive_time_is_refused(session: Session) -> None:
    store(session, [article("a1", "s-a", 0.3)])
    with pytest.raises(Exception, match="naive datetime"):
        labels.record_label(session, "s-a", True, None, "alice", datetime(2026, 2, 28, 9, 0))
    session.rollback()
    assert label_count(session) == 0


# --- training examples ---------------------------------------------------------------------------------


def test_training_examples_one_per_article_with_the_latest_label(session: Session) -> None:
    store(
        session,
        [
            article("a1", "s-a", 0.42, text="India and Italy signed a naval pact."),
            article("a2", "s-a", 0.31, text="Italia e India firmano un patto navale.", language="it"),
            article("b1", "s-b", 0.9),
            article("c1", "s-c", 0.1),  # never labelled: not an example
        ],
    )
    labels.record_label(session, "s-a", False, None, "alice", LABELLED_AT)
    labels.record_label(session, "s-a", True, "a naval pact", "bob", LABELLED_AT + timedelta(minutes=5))
    labels.record_label(session, "s-b", False, "a trade fair", "alice", LABELLED_AT)
    session.commit()
    examples = labels.training_examples(session)
    assert examples == [
        labels.LabelledExample("Story a1", "India and Italy signed a naval pact.", "en", True, "label:s-a"),
        labels.LabelledExample("Story a2", "Italia e India firmano un patto navale.", "it", True, "label:s-a"),
        labels.LabelledExample("Story b1", "India and Italy discussed b1 in Rome.", "en", False, "label:s-b"),
    ]
    with pytest.raises(AttributeError):
        examples[0].relevant = False  # type: ignore[misc]


def test_training_examples_include_copies_loaded_after_the_label(session: Session) -> None:
    store(session, [article("a1", "s-a", 0.42)])
    labels.record_label(session, "s-a", True, None, "alice", LABELLED_AT)
    session.commit()
    store(session, [article("a2", "s-a", 0.40, source="ansa")])
    assert [e.title for e in labels.training_examples(session)] == ["Story a1", "Story a2"]


def test_no_labels_no_examples(session: Session) -> None:
    store(session, [article("a1", "s-a", 0.42)])
    assert labels.training_examples(session) == []
    assert labels.latest_labels(session) == []


# --- near misses ---------------------------------------------------------------------------------------


def test_near_misses_in_a_window(session: Session) -> None:
    """Best score per story in [near_miss, relevant), not tagged relevant, within the window on
    published_at (first_seen_at when undated); best first."""
    day, next_day = T0.replace(hour=0), T0.replace(hour=0) + timedelta(days=1)
    store(
        session,
        [
            article("close1", "s-close", 0.45),
            article("close2", "s-close", 0.30, source="ansa"),  # a weaker copy: same story, not its score
            article("weak", "s-weak", 0.10),  # under near_miss
            article("edge", "s-edge", 0.20),  # exactly near_miss: in
            article("hit", "s-hit", 0.80),  # relevant: not a miss
            article("hit-copy", "s-hit", 0.40, source="ansa", relevant=False),  # its story is relevant: out
            article("undated", "s-undated", 0.35, published_at=None, first_seen_at=T0 + timedelta(hours=2)),
            article("tomorrow", "s-tomorrow", 0.40, published_at=next_day),  # the window is half open
            article("odd", "s-odd", 0.55, relevant=False),  # scored above relevant yet not relevant: out
        ],
    )
    misses = labels.near_misses(session, day, next_day, 0.2, 0.5)
    assert [(m.story_cluster_id, m.score) for m in misses] == [
        ("s-close", 0.45),
        ("s-undated", 0.35),
        ("s-edge", 0.20),
    ]
    close = misses[0]
    assert (close.title, close.source, close.url) == ("Story close1", "ians", "https://ians.example/news/close1")
    assert len(close.article_ids) == 2 and close.article_ids[0] == close.lead_article_id
    assert close.published_at == T0 and close.model_version == "m-1"
    assert misses[1].published_at == T0 + timedelta(hours=2)
    assert [
        m.story_cluster_id for m in labels.near_misses(session, next_day, next_day + timedelta(days=1), 0.2, 0.5)
    ] == ["s-tomorrow"]
    # Another band: the article scored over 0.5 but not tagged relevant falls in it.
    assert [m.story_cluster_id for m in labels.near_misses(session, day, next_day, 0.5, 0.9)] == ["s-odd"]
    assert labels.near_misses(session, day, next_day, 0.9, 0.95) == []


# --- the verdict's explanation in articles -------------------------------------------------------------


def test_ingest_stores_contributions_and_model_version(session: Session) -> None:
    """upsert_articles writes each verdict's contributions and model version; an unchanged article is
    not rewritten; a changed one gets its new explanation."""
    first = article("a1", "s-a", 0.8)
    first.verdict = verdict(0.8, contributions=CONTRIBUTIONS, model="m-7")
    ids = store(session, [first])
    row = session.get(ArticleRow, ids["a1"])
    assert row is not None and row.model_version == "m-7"
    assert row.contributions == [
        {
            "feature": "bilateral_defence_sentences",
            "description": "sentences naming India, Italy and a defence matter",
            "value": 2.0,
            "weight": 1.8,
        },
        {"feature": "headline_both_sides", "description": "the headline names both sides", "value": 1.0, "weight": 0.6},
        {"feature": "third_countries", "description": "third countries named", "value": 3.0, "weight": -0.9},
    ]
    session.expunge_all()

    again = article("a1", "s-a", 0.8)
    again.verdict = verdict(0.8, contributions=CONTRIBUTIONS[:1], model="m-8")
    assert load.upsert_articles(session, [again]) == {}, "same content: not rewritten"
    session.commit()
    assert session.scalar(select(ArticleRow.model_version).where(ArticleRow.id == ids["a1"])) == "m-7"

    changed = article("a1", "s-a", 0.8, text="India and Italy signed a naval pact in Rome.")
    changed.verdict = verdict(0.8, contributions=CONTRIBUTIONS[:1], model="m-8")
    assert set(store(session, [changed]).values()) == {ids["a1"]}
    row = session.get(ArticleRow, ids["a1"])
    assert row is not None and (row.model_version, len(row.contributions), row.version) == ("m-8", 1, 2)


def test_an_article_without_a_verdict_has_no_explanation(session: Session) -> None:
    bare = article("a1", "s-a", 0.0)
    bare.verdict = None
    ids = store(session, [bare])
    row = session.get(ArticleRow, ids["a1"])
    assert row is not None and (row.contributions, row.model_version) == ([], "")


def test_retag_stores_the_new_explanation(
    session: Session, warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``newswatch retag`` writes the new verdict's contributions and model version (through
    load.verdict_columns), whatever the tagger behind it."""
    ids = store(session, [article("a1", "s-a", 0.3, model="m-1"), article("b1", "s-b", 0.9, model="m-1")])

    def retagger(title: str, text: str, lexicon: Any, language: str | None = None) -> Verdict:
        return verdict(0.6 if title == "Story a1" else 0.9, contributions=CONTRIBUTIONS, model="m-2")

    monkeypatch.setattr(retag, "classify", retagger)
    monkeypatch.setattr(retag, "load_lexicon", lambda *args, **kwargs: SimpleNamespace(entities={}))
    settings = load_settings({"NEWSWATCH_VAR": str(tmp_path / "var"), "NEWSWATCH_WAREHOUSE_URL": warehouse_url})
    try:
        counts = retag.retag_articles(settings, since=T0 - timedelta(hours=1))
    finally:
        engine_for(warehouse_url).dispose()
    assert counts["changed"] >= 1
    session.expire_all()
    row = session.get(ArticleRow, ids["a1"])
    assert row is not None and (row.relevant, row.score, row.model_version) == (True, 0.6, "m-2")
    assert [c["weight"] for c in row.contributions] == [1.8, 0.6, -0.9]
