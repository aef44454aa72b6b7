"""Events in the warehouse (issue 15) on both backends: the events rows recomputed from their articles, the
stories' event link, the event index (event_reports, event_terms) and its look-ups, the v_events view, the
export's event_id and the digest's chart counting events."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from newswatch.dedup import content_hash
from newswatch.records import Article, Evidence, Verdict
from newswatch.warehouse import load, queries
from newswatch.warehouse.export import EXPORT_COLUMNS, iter_articles, write_export
from newswatch.warehouse.schema import (
    ArticleRow,
    EventReportRow,
    EventRow,
    EventTermRow,
    StoryClusterRow,
)

T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
SOURCES = [
    {"name": n, "title": t, "feed_url": f"https://{n}.example/feed", "language": lang, "country": c,
     "enabled": True}
    for n, t, lang, c in (("ians", "IANS", "en", "IN"), ("ansa", "ANSA", "it", "IT"), ("pti", "PTI", "en", "IN"))
]  # fmt: skip


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    """A session on a warehouse at head (each backend) with the test sources loaded and committed."""
    with Session(migrated_engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
        yield session


def make_article(
    slug: str,
    *,
    source: str = "ians",
    language: str = "en",
    story: str,
    event: str | None,
    relevant: bool = True,
    score: float = 0.8,
    published_at: datetime | None = T0,
    first_seen_at: datetime = T0,
    title: str | None = None,
    text: str | None = None,
) -> Article:
    body = text or f"India and Italy signed a naval cooperation plan ({slug})."
    url = f"https://{source}.example/news/{slug}"
    return Article(
        source=source,
        url=url,
        canonical_url=url,
        title=title or f"Headline {slug}",
        text=body,
        summary=body[:60],
        language=language,
        published_at=published_at,
        published_from="meta" if published_at else "",
        first_seen_at=first_seen_at,
        fetched_at=first_seen_at,
        content_hash=content_hash(body),
        story_cluster_id=story,
        event_id=event,
        verdict=Verdict(
            relevant=relevant,
            score=score,
            tags=("naval",) if relevant else (),
            evidence=(Evidence(body, ("India", "Italy")),) if relevant else (),
            language=language,
        ),
    )


def load_articles(session: Session, articles: list[Article]) -> dict[str, int]:
    """Upsert ``articles``, refresh their stories and events, commit; return ``{slug: id}``."""
    written = load.upsert_articles(session, articles)
    load.refresh_story_clusters(session, {a.story_cluster_id for a in articles})
    load.refresh_events(session, {a.event_id for a in articles if a.event_id})
    session.commit()
    return {url.rsplit("/", 1)[1]: article_id for url, article_id in written.items()}


def mixed_event() -> list[Article]:
    """Event E1: story S1 from IANS in English (a relevant lead-to-be and an undated irrelevant copy) and
    story S2 from ANSA in Italian (the best relevant report, and an irrelevant one with a higher score)."""
    return [
        make_article("s1-a", story="S1", event="E1", score=0.8, published_at=T0,
                     first_seen_at=T0 + timedelta(minutes=5)),
        make_article("s1-b", story="S1", event="E1", relevant=False, score=0.3, published_at=None,
                     first_seen_at=T0 + timedelta(minutes=30)),
        make_article("s2-a", source="ansa", language="it", story="S2", event="E1", score=0.9,
                     published_at=T0 + timedelta(hours=2), first_seen_at=T0 + timedelta(hours=3),
                     title="India e Italia firmano un piano navale"),
        make_article("s2-b", source="ansa", language="it", story="S2", event="E1", relevant=False, score=0.95,
                     published_at=T0 + timedelta(hours=3), first_seen_at=T0 + timedelta(hours=4)),
    ]  # fmt: skip


def stored_story_events(session: Session) -> dict[str, str | None]:
    """``{story: story_clusters.event_id}``."""
    return dict(session.execute(select(StoryClusterRow.id, StoryClusterRow.event_id)).tuples().all())


def stored_article_events(session: Session) -> dict[str, str | None]:
    """``{canonical_url: articles.event_id}``."""
    return dict(session.execute(select(ArticleRow.canonical_url, ArticleRow.event_id)).tuples().all())


def event_row(session: Session, event_id: str) -> EventRow | None:
    session.expire_all()
    return session.get(EventRow, event_id)


# --- refresh_events and the story → event link -------------------------------------------------------------


def test_refresh_events_aggregates_a_mixed_language_event(session: Session) -> None:
    """Two stories from two outlets in two languages make one event row: the lead is the best *relevant*
    report (not the irrelevant one scored higher), languages sorted, outlets, reports, stories counted."""
    ids = load_articles(session, mixed_event())
    row = event_row(session, "E1")
    assert row is not None
    assert row.lead_article_id == ids["s2-a"]
    assert row.title == "India e Italia firmano un piano navale"
    assert row.languages == "en,it"
    assert (row.outlet_count, row.report_count, row.story_count) == (2, 4, 2)
    assert row.relevant is True
    assert row.max_score == pytest.approx(0.95)
    assert row.first_published_at == T0 and row.first_published_at.tzinfo is UTC
    assert row.first_seen_at == T0 + timedelta(minutes=5)
    assert row.last_seen_at == T0 + timedelta(hours=4)
    assert stored_story_events(session) == {"S1": "E1", "S2": "E1"}


def test_refresh_events_lead_ties_break_on_time_then_id(session: Session) -> None:
    """Equal relevance and score: the earliest report leads (published, else first seen), then the lowest id;
    an event with no relevant report is irrelevant and led by its best score."""
    ids = load_articles(
        session,
        [
            make_article("late", story="S1", event="E1", score=0.7, published_at=T0 + timedelta(hours=1)),
            make_article("undated-early", source="pti", story="S2", event="E1", score=0.7, published_at=None,
                         first_seen_at=T0 - timedelta(hours=1)),
            make_article("same-time", source="ansa", story="S3", event="E1", score=0.7,
                         published_at=T0 - timedelta(hours=1)),
            make_article("quiet", story="Q1", event="E2", relevant=False, score=0.2),
            make_article("quieter", source="pti", story="Q2", event="E2", relevant=False, score=0.1),
        ],
    )  # fmt: skip
    lead = event_row(session, "E1")
    assert lead is not None
    assert lead.lead_article_id == min(ids["undated-early"], ids["same-time"])
    assert (lead.outlet_count, lead.story_count, lead.first_published_at) == (3, 3, T0 - timedelta(hours=1))
    quiet = event_row(session, "E2")
    assert quiet is not None
    assert (quiet.relevant, quiet.lead_article_id, quiet.title) == (False, ids["quiet"], "Headline quiet")
    assert quiet.max_score == pytest.approx(0.2)


def test_refresh_events_follows_moves_and_deletes_empty_events(session: Session) -> None:
    """An article moved to another event counts there; the event left without articles loses its row; an
    id that never had articles is no error and gets no row."""
    ids = load_articles(session, [*mixed_event(), make_article("other", source="pti", story="S3", event="E2")])
    assert event_row(session, "E2") is not None
    session.execute(update(ArticleRow).where(ArticleRow.id == ids["other"]).values(event_id="E1"))
    load.refresh_events(session, ["E1", "E2", "never-had-any"])
    session.commit()
    assert event_row(session, "E2") is None
    assert event_row(session, "never-had-any") is None
    moved = event_row(session, "E1")
    assert moved is not None
    assert (moved.outlet_count, moved.report_count, moved.story_count) == (3, 5, 3)
    assert session.scalars(select(EventRow.id)).all() == ["E1"]


def test_refresh_events_in_chunks(session: Session) -> None:
    """More events than one IN list holds (500): every one gets its row."""
    articles = [
        make_article(f"n{i}", story=f"S{i}", event=f"E{i:04d}", score=i / 2000, first_seen_at=T0 + timedelta(seconds=i))
        for i in range(1_100)
    ]  # fmt: skip
    load_articles(session, articles)
    rows = session.execute(select(EventRow.id, EventRow.report_count, EventRow.max_score).order_by(EventRow.id)).all()
    assert len(rows) == 1_100
    assert rows[0] == ("E0000", 1, 0.0)
    assert rows[-1][0] == "E1099" and rows[-1][2] == pytest.approx(1099 / 2000)


def test_story_event_is_the_earliest_articles_when_they_differ(session: Session) -> None:
    """A story whose copies name different events takes its earliest copy's; a story loaded before events
    (every event_id NULL) has none."""
    load_articles(
        session,
        [
            make_article("late", story="S1", event="E-late", first_seen_at=T0 + timedelta(hours=2)),
            make_article("early", source="ansa", story="S1", event="E-early", first_seen_at=T0),
            make_article("untracked", story="OLD", event=None, first_seen_at=T0 - timedelta(hours=1)),
            make_article("joined", source="pti", story="S2", event="E2", first_seen_at=T0 + timedelta(hours=1)),
            make_article("old-copy", story="S2", event=None, first_seen_at=T0),
        ],
    )
    assert stored_story_events(session) == {"S1": "E-early", "OLD": None, "S2": "E2"}


def test_article_upsert_writes_event_id_and_keeps_it_on_a_change(session: Session) -> None:
    """event_id is stored from the Article; an article whose content changes keeps its story and so its
    event, while a row loaded before events (NULL) takes the event it is given."""
    load_articles(
        session,
        [make_article("kept", story="S1", event="E1"), make_article("legacy", source="pti", story="S2", event=None)],
    )
    kept, legacy = "https://ians.example/news/kept", "https://pti.example/news/legacy"
    assert stored_article_events(session) == {kept: "E1", legacy: None}
    changed = [
        make_article("kept", story="S1", event="E-other", text="India and Italy signed it, officials added."),
        make_article("legacy", source="pti", story="S2", event="E2", text="India and Italy signed, PTI updates."),
    ]
    assert len(load.upsert_articles(session, changed)) == 2
    session.commit()
    assert stored_article_events(session) == {kept: "E1", legacy: "E2"}
    versions = session.scalars(select(ArticleRow.version).order_by(ArticleRow.id)).all()
    assert versions == [2, 2]


# --- the event index ---------------------------------------------------------------------------------------


def report(story: str, event: str, at: datetime, terms: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "story_cluster_id": story,
        "event_id": event,
        "at": at,
        "spread_hours": extra.get("spread_hours", 0.0),
        "profile": extra.get("profile", {"places": ["rome"], "day": at.date().isoformat()}),
        "terms": terms,
    }


def terms_of(session: Session, story: str) -> list[tuple[str, datetime]]:
    return list(
        session.execute(
            select(EventTermRow.term, EventTermRow.at)
            .where(EventTermRow.story_cluster_id == story)
            .order_by(EventTermRow.term)
        ).tuples()
    )


def test_store_event_reports_upserts_and_replaces_terms(session: Session) -> None:
    """A story's report is inserted, then replaced whole: its row updated, its old terms gone, the new ones
    stored at the new time; repeated terms stored once, an over-long one cut to the column; another story
    stays as it was."""
    long_term = "x" * 200
    load.store_event_reports(
        session,
        [
            report("S1", "E1", T0, ["rome", "naval", "rome", long_term], spread_hours=12.0),
            report("S2", "E1", T0 + timedelta(hours=1), ["rome", "fincantieri"]),
        ],
    )
    session.commit()
    s1 = session.get(EventReportRow, "S1")
    assert s1 is not None
    assert (s1.event_id, s1.at, s1.spread_hours) == ("E1", T0, 12.0)
    assert s1.profile == {"places": ["rome"], "day": "2026-02-27"}
    assert terms_of(session, "S1") == [("naval", T0), ("rome", T0), ("x" * 120, T0)]

    later = T0 + timedelta(days=1)
    load.store_event_reports(
        session, [report("S1", "E7", later, ["delhi", "naval"], spread_hours=2.5, profile={"places": ["delhi"]})]
    )
    session.commit()
    session.expire_all()
    s1 = session.get(EventReportRow, "S1")
    assert s1 is not None
    assert (s1.event_id, s1.at, s1.spread_hours, s1.profile) == ("E7", later, 2.5, {"places": ["delhi"]})
    assert terms_of(session, "S1") == [("delhi", later), ("naval", later)]
    assert terms_of(session, "S2") == [("fincantieri", T0 + timedelta(hours=1)), ("rome", T0 + timedelta(hours=1))]
    assert session.scalars(select(EventReportRow.story_cluster_id).order_by(EventReportRow.story_cluster_id)).all() == [
        "S1",
        "S2",
    ]


def test_store_event_reports_in_batches(session: Session) -> None:
    """Thousands of stories in one call (more than one statement's batch, and one IN list), stored again
    with other terms: every report and exactly the new terms are there; an empty call does nothing."""
    rows = [report(f"S{i:05d}", f"E{i // 3}", T0 + timedelta(minutes=i), [f"t{i}", "common"]) for i in range(2_500)]
    load.store_event_reports(session, rows)
    load.store_event_reports(session, [])
    session.commit()
    again = [{**row, "terms": [f"u{i}"]} for i, row in enumerate(rows)]
    load.store_event_reports(session, again)
    session.commit()
    assert session.scalar(select(text("count(*)")).select_from(EventReportRow)) == 2_500
    assert session.scalar(select(text("count(*)")).select_from(EventTermRow)) == 2_500
    assert terms_of(session, "S02499") == [("u2499", T0 + timedelta(minutes=2_499))]
    assert queries.story_events(session, ["S00000", "S02499"]) == {"S00000": "E0", "S02499": "E833"}


def test_event_candidates_by_term_and_window(session: Session) -> None:
    """Stories with any of the terms at a time inside [start, end] (both ends included), each once, ordered
    by time; a term matching only outside the window, or no term at all, finds nothing."""
    load.store_event_reports(
        session,
        [
            report("S-late", "E2", T0 + timedelta(hours=6), ["rome", "naval"], spread_hours=3.0),
            report("S-early", "E1", T0, ["rome", "naval", "frigate"], profile={"k": 1}),
            report("S-other", "E3", T0 + timedelta(hours=1), ["delhi"]),
            report("S-old", "E0", T0 - timedelta(days=3), ["rome"]),
        ],
    )
    session.commit()
    found = queries.event_candidates(session, ["naval", "rome", "unknown"], T0, T0 + timedelta(hours=6))
    assert found == [
        ("S-early", "E1", T0, 0.0, {"k": 1}),
        ("S-late", "E2", T0 + timedelta(hours=6), 3.0, {"places": ["rome"], "day": "2026-02-27"}),
    ]
    assert found[0][2].tzinfo is UTC
    assert queries.event_candidates(session, ["rome"], T0 + timedelta(minutes=1), T0 + timedelta(hours=5)) == []
    before = queries.event_candidates(session, ["rome"], T0 - timedelta(days=4), T0)
    assert [c[0] for c in before] == ["S-old", "S-early"]
    assert queries.event_candidates(session, ["delhi"], T0 + timedelta(hours=2), T0 + timedelta(days=1)) == []
    assert queries.event_candidates(session, [], T0 - timedelta(days=9), T0 + timedelta(days=9)) == []
    # More terms than one IN list holds: the one that matches is in the last chunk.
    many = [f"filler{i:04d}" for i in range(1_200)] + ["zz-frigate", "frigate"]
    assert [c[0] for c in queries.event_candidates(session, many, T0, T0)] == ["S-early"]
    # A term longer than the column is looked up as it was stored: cut.
    load.store_event_reports(session, [report("S-long", "E9", T0, ["y" * 150])])
    assert [c[0] for c in queries.event_candidates(session, ["y" * 150], T0, T0)] == ["S-long"]


def test_story_events(session: Session) -> None:
    """story → event for the indexed stories asked for; others are simply absent; chunked IN lists."""
    load.store_event_reports(
        session, [report("S1", "E1", T0, ["a"]), report("S2", "E1", T0, ["b"]), report("S3", "E2", T0, ["c"])]
    )
    session.commit()
    assert queries.story_events(session, ["S1", "S3", "S-unknown"]) == {"S1": "E1", "S3": "E2"}
    assert queries.story_events(session, []) == {}
    assert queries.story_events(session, [f"X{i}" for i in range(1_200)] + ["S2"]) == {"S2": "E1"}


# --- v_events ----------------------------------------------------------------------------------------------


def test_v_events_view_returns_the_event(session: Session) -> None:
    """The analysts' view has one row per event with its headline, languages and counts."""
    load_articles(session, mixed_event())
    rows = session.execute(
        text(
            "SELECT event_id, first_seen_at, first_published_at, headline, languages, outlets, reports, stories, "
            "relevant, max_score FROM v_events"
        )
    ).all()
    assert len(rows) == 1
    event_id, first_seen, first_published, headline, languages, outlets, reports, stories, relevant, score = rows[0]
    assert (event_id, headline, languages) == ("E1", "India e Italia firmano un piano navale", "en,it")
    assert (outlets, reports, stories, bool(relevant)) == (2, 4, 2, True)
    assert score == pytest.approx(0.95)
    # SQLite hands a view's timestamps back as text; PostgreSQL as aware datetimes.
    as_utc = [v if isinstance(v, datetime) else datetime.fromisoformat(str(v)).replace(tzinfo=UTC)
              for v in (first_seen, first_published)]  # fmt: skip
    assert as_utc == [T0 + timedelta(minutes=5), T0]


# --- the export and the digest's counts --------------------------------------------------------------------


def test_export_carries_event_id_with_the_story_as_fallback(session: Session, migrated_engine: Engine) -> None:
    """CSV and JSON lines have event_id right after story_cluster_id: the article's event, or its story for
    an article loaded before events."""
    load_articles(
        session,
        [
            make_article("new", story="S1", event="E1", first_seen_at=T0),
            make_article("legacy", source="pti", story="S-old", event=None, first_seen_at=T0 + timedelta(hours=1)),
        ],
    )
    assert EXPORT_COLUMNS.index("event_id") == EXPORT_COLUMNS.index("story_cluster_id") + 1
    out = io.StringIO()
    assert write_export(iter_articles(migrated_engine, T0), out, "csv") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["story_cluster_id"], r["event_id"]) for r in rows] == [("S1", "E1"), ("S-old", "S-old")]
    out = io.StringIO()
    assert write_export(iter_articles(migrated_engine, T0), out, "jsonl") == 2
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert all(tuple(r) == EXPORT_COLUMNS for r in records)
    assert [(r["story_cluster_id"], r["event_id"]) for r in records] == [("S1", "E1"), ("S-old", "S-old")]


def test_daily_relevant_counts_counts_an_event_once(session: Session) -> None:
    """Two stories of one event count once, on the day of its first relevant report; an article loaded
    before events counts as its own story's event; table_counts has relevant_events beside the stories."""
    day1 = datetime(2026, 2, 25, 10, 0, tzinfo=UTC)
    day2 = datetime(2026, 2, 26, 10, 0, tzinfo=UTC)
    load_articles(
        session,
        [
            make_article("e1-en", story="S1", event="E1", published_at=day1),
            make_article("e1-it", source="ansa", language="it", story="S2", event="E1", published_at=day2),
            make_article("e2", source="pti", story="S3", event="E2", published_at=day2),
            make_article("legacy-a", story="OLD", event=None, published_at=day2),
            make_article("legacy-b", source="pti", story="OLD", event=None, published_at=day2 + timedelta(hours=1)),
            make_article("noise", story="S4", event="E3", published_at=day2, relevant=False, score=0.1),
        ],
    )
    end = datetime(2026, 2, 28, tzinfo=UTC)
    assert queries.daily_relevant_counts(session, end, 30) == {"2026-02-25": 1, "2026-02-26": 2}
    counts = queries.table_counts(session)
    assert (counts["relevant_articles"], counts["relevant_stories"], counts["relevant_events"]) == (5, 4, 3)


def test_story_articles_carry_their_event(session: Session) -> None:
    """The digest's StoryArticle has the article's event, or its story for an article loaded before events."""
    load_articles(
        session,
        [
            make_article("new", story="S1", event="E1", score=0.9),
            make_article("legacy", source="pti", story="S-old", event=None, score=0.5),
        ],
    )
    found = queries.relevant_articles(session, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert [(a.story_cluster_id, a.event_id) for a in found] == [("S1", "E1"), ("S-old", "S-old")]
