"""The normalised warehouse on both backends: what upsert_articles reports, article_tags and entities,
story clusters, the three analyst views, and re-tagging after a taxonomy edit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from newswatch.config import CONFIG_DIR, Settings, load_settings
from newswatch.dedup import content_hash
from newswatch.records import Article, EntityInfo, Evidence, Verdict
from newswatch.retag import retag_articles
from newswatch.tagging import classify, load_lexicon
from newswatch.warehouse import load
from newswatch.warehouse.schema import (
    ArticleEntityRow,
    ArticleRow,
    ArticleTagRow,
    Base,
    EntityRow,
    StoryClusterRow,
)
from newswatch.warehouse.session import engine_for

IST = ZoneInfo("Asia/Kolkata")
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
BUNDLED_TAXONOMY = CONFIG_DIR / "taxonomy.yaml"
SOURCES = [
    {"name": n, "title": t, "feed_url": f"https://{n}.example/feed", "language": "en", "country": c, "enabled": True}
    for n, t, c in (("ians", "IANS", "IN"), ("ansa", "ANSA English", "IT"), ("wion", "WION", "IN"))
]
ENTITIES = {
    "Fincantieri": EntityInfo("Fincantieri", "organisation", "italy"),
    "Rajnath Singh": EntityInfo("Rajnath Singh", "person", "india", "Defence Minister of India"),
    "Indian Navy": EntityInfo("Indian Navy", "organisation", "india"),
}


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    return migrated_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session with the three test sources loaded and committed."""
    with Session(engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
        yield session


def verdict(
    relevant: bool = True,
    score: float = 0.8,
    tags: tuple[str, ...] = ("diplomacy",),
    entities: tuple[str, ...] = (),
    key_entities: tuple[str, ...] = (),
) -> Verdict:
    return Verdict(
        relevant=relevant,
        score=score,
        tags=tags,
        evidence=(Evidence("India and Italy met.", ("India", "Italy")),) if relevant else (),
        language="en",
        countries=("India", "Italy"),
        entities=entities,
        key_entities=key_entities,
    )


def make_article(
    slug: str,
    *,
    source: str = "ians",
    text: str | None = None,
    title: str | None = None,
    published_at: datetime | None = T0,
    first_seen_at: datetime = T0,
    fetched_at: datetime | None = None,
    cluster: str | None = None,
    v: Verdict | None = None,
) -> Article:
    """An article with a verdict (default: relevant, tag diplomacy); hash computed from the text."""
    body = text if text is not None else f"India and Italy discussed {slug} in Rome."
    url = f"https://{source}.example/news/{slug}"
    return Article(
        source=source,
        url=url,
        canonical_url=url,
        title=title if title is not None else f"Story {slug}",
        text=body,
        summary=body[:80],
        language="en",
        published_at=published_at,
        published_from="meta" if published_at else "",
        first_seen_at=first_seen_at,
        fetched_at=fetched_at or first_seen_at,
        content_hash=content_hash(body),
        story_cluster_id=cluster or f"c-{slug}",
        verdict=v if v is not None else verdict(),
    )


def store(session: Session, articles: list[Article], entities: dict[str, EntityInfo] | None = None) -> dict[str, int]:
    """Load articles the way process_articles does: rows, details, clusters; commit; return {url: id}."""
    written = load.upsert_articles(session, articles)
    by_url = {a.canonical_url: a for a in articles}
    load.write_article_details(
        session, {article_id: by_url[url].verdict for url, article_id in written.items()}, entities or ENTITIES
    )
    load.refresh_story_clusters(session, {by_url[url].story_cluster_id for url in written})
    session.commit()
    session.expunge_all()
    return written


def count(session: Session, model: type[Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def tag_rows(session: Session) -> set[tuple[int, str, int]]:
    return {(r.article_id, r.tag, r.rank) for r in session.scalars(select(ArticleTagRow))}


def entity_links(session: Session) -> set[tuple[int, str, str]]:
    rows = session.execute(
        select(ArticleEntityRow.article_id, EntityRow.name, ArticleEntityRow.role).join(
            EntityRow, EntityRow.id == ArticleEntityRow.entity_id
        )
    )
    return {(a, n, r) for a, n, r in rows}


def snapshot(session: Session) -> tuple[set[tuple[int, str, int]], set[tuple[int, str, str]], dict[str, int]]:
    """Tag rows, entity links and entity ids, to compare before and after."""
    entity_ids = {name: entity_id for name, entity_id in session.execute(select(EntityRow.name, EntityRow.id))}
    return tag_rows(session), entity_links(session), entity_ids


def view_rows(session: Session, sql: str) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(text(sql)).mappings()]


# --- upsert_articles' report -------------------------------------------------------------------------------


def test_upsert_articles_reports_only_inserted_or_changed(session: Session) -> None:
    """New rows are reported; an identical upsert reports {}; a changed text reports just that URL."""
    a, b = make_article("a"), make_article("b")
    first = load.upsert_articles(session, [a, b])
    session.commit()
    ids: dict[str, int] = {u: i for u, i in session.execute(select(ArticleRow.canonical_url, ArticleRow.id))}
    assert first == ids
    assert set(first) == {a.canonical_url, b.canonical_url}

    assert load.upsert_articles(session, [make_article("a"), make_article("b")]) == {}
    # Only fetched_at moved: not a change either.
    assert load.upsert_articles(session, [make_article("a", fetched_at=T0 + timedelta(hours=3))]) == {}
    session.commit()

    changed_text = "India and Italy discussed a then-new frigate deal in Rome."
    changed = load.upsert_articles(session, [make_article("a", text=changed_text), make_article("b")])
    assert changed == {a.canonical_url: ids[a.canonical_url]}
    session.commit()
    versions = {u: v for u, v in session.execute(select(ArticleRow.canonical_url, ArticleRow.version))}
    assert versions == {a.canonical_url: 2, b.canonical_url: 1}


def test_upsert_articles_mixed_batch_and_last_one_wins(session: Session) -> None:
    """A batch of new, same and changed-title articles reports new + changed; a URL twice keeps the last."""
    load.upsert_articles(session, [make_article("same"), make_article("retitled")])
    session.commit()
    batch = [
        make_article("same"),
        make_article("retitled", title="A corrected headline"),
        make_article("fresh", title="first copy"),
        make_article("fresh", title="second copy"),
    ]
    written = load.upsert_articles(session, batch)
    session.commit()
    assert set(written) == {"https://ians.example/news/retitled", "https://ians.example/news/fresh"}
    fresh = session.get(ArticleRow, written["https://ians.example/news/fresh"])
    assert fresh is not None and fresh.title == "second copy"
    assert count(session, ArticleRow) == 3


def test_upsert_articles_reports_across_batches(session: Session) -> None:
    """More articles than one batch (500): all are reported and stored once."""
    articles = [make_article(f"n{i}") for i in range(load.ARTICLE_BATCH_SIZE + 20)]
    written = load.upsert_articles(session, articles)
    session.commit()
    assert len(written) == len(articles) == count(session, ArticleRow)
    assert len(set(written.values())) == len(articles)
    assert load.upsert_articles(session, articles) == {}


# --- write_article_details ---------------------------------------------------------------------------------


def test_write_article_details_tags_entities_and_roles(session: Session) -> None:
    """Tags get ranks in verdict order (repeats once); entities are stored once by name with kind and
    country from the taxonomy; the role is evidence for key entities, mentioned for the rest."""
    v1 = verdict(
        tags=("naval", "diplomacy", "naval"),
        entities=("Fincantieri", "Indian Navy", "Mystery Corp"),
        key_entities=("Fincantieri",),
    )
    v2 = verdict(tags=("procurement",), entities=("Fincantieri", "Rajnath Singh"), key_entities=("Rajnath Singh",))
    ids = store(session, [make_article("one", v=v1), make_article("two", v=v2)])
    one, two = ids["https://ians.example/news/one"], ids["https://ians.example/news/two"]

    assert tag_rows(session) == {(one, "naval", 0), (one, "diplomacy", 1), (two, "procurement", 0)}
    entities = {e.name: (e.kind, e.country, e.description) for e in session.scalars(select(EntityRow))}
    assert entities == {
        "Fincantieri": ("organisation", "italy", ""),
        "Indian Navy": ("organisation", "india", ""),
        "Mystery Corp": ("organisation", "", ""),  # not in the taxonomy: an organisation of no side
        "Rajnath Singh": ("person", "india", "Defence Minister of India"),
    }
    assert entity_links(session) == {
        (one, "Fincantieri", "evidence"),
        (one, "Indian Navy", "mentioned"),
        (one, "Mystery Corp", "mentioned"),
        (two, "Fincantieri", "mentioned"),
        (two, "Rajnath Singh", "evidence"),
    }


def test_write_article_details_twice_leaves_the_same_rows(session: Session) -> None:
    """Writing the same details again replaces them with equal rows: no duplicates, same entity ids."""
    v = verdict(
        tags=("naval", "joint-exercise"), entities=("Fincantieri", "Indian Navy"), key_entities=("Indian Navy",)
    )
    ids = store(session, [make_article("x", v=v), make_article("y", v=v)])
    before = snapshot(session)
    verdicts = {article_id: v for article_id in ids.values()}
    load.write_article_details(session, verdicts, ENTITIES)
    load.write_article_details(session, verdicts, ENTITIES)
    session.commit()
    assert snapshot(session) == before
    assert count(session, ArticleTagRow) == 4
    assert count(session, ArticleEntityRow) == 4
    assert count(session, EntityRow) == 2


def test_write_article_details_replaces_and_clears(session: Session) -> None:
    """A new verdict replaces the old tags and entities; a None verdict leaves none; others are untouched."""
    v = verdict(tags=("naval",), entities=("Fincantieri",), key_entities=("Fincantieri",))
    ids = store(session, [make_article("p", v=v), make_article("q", v=v)])
    p, q = ids["https://ians.example/news/p"], ids["https://ians.example/news/q"]
    new = verdict(tags=("aerospace", "procurement"), entities=("Indian Navy",))
    recountried = {**ENTITIES, "Fincantieri": EntityInfo("Fincantieri", "organisation", "IT")}
    load.write_article_details(session, {p: new}, recountried)
    session.commit()
    assert tag_rows(session) == {(p, "aerospace", 0), (p, "procurement", 1), (q, "naval", 0)}
    assert entity_links(session) == {(p, "Indian Navy", "mentioned"), (q, "Fincantieri", "evidence")}
    load.write_article_details(session, {q: None}, ENTITIES)
    session.commit()
    assert {r[0] for r in tag_rows(session)} == {p}
    assert {r[0] for r in entity_links(session)} == {p}
    assert count(session, EntityRow) == 2  # entities themselves stay


# --- refresh_story_clusters --------------------------------------------------------------------------------


def test_refresh_story_clusters_aggregates_members(session: Session) -> None:
    """Counts, sources, lead (best score, then first seen), relevance (any member) and earliest dates."""
    members = [
        make_article("late-best", source="ians", cluster="K", first_seen_at=T0 + timedelta(hours=2),
                     published_at=T0 + timedelta(hours=1), v=verdict(relevant=False, score=0.9)),
        make_article("early-best", source="ansa", cluster="K", first_seen_at=T0 + timedelta(hours=1),
                     published_at=None, title="The lead", v=verdict(relevant=False, score=0.9)),
        make_article("earliest-weak", source="ians", cluster="K", first_seen_at=T0,
                     published_at=T0 - timedelta(hours=3), v=verdict(relevant=True, score=0.5)),
        make_article("other", source="wion", cluster="L", v=verdict(relevant=False, score=0.1, tags=())),
    ]  # fmt: skip
    ids = store(session, members)
    k = session.get(StoryClusterRow, "K")
    assert k is not None
    assert k.lead_article_id == ids["https://ansa.example/news/early-best"]
    assert k.title == "The lead"
    assert (k.article_count, k.source_count, k.relevant, k.max_score) == (3, 2, True, 0.9)
    assert k.first_published_at == T0 - timedelta(hours=3)
    assert (k.first_seen_at, k.last_seen_at) == (T0, T0 + timedelta(hours=2))
    other = session.get(StoryClusterRow, "L")
    assert other is not None
    assert (other.article_count, other.source_count, other.relevant) == (1, 1, False)
    assert other.lead_article_id == ids["https://wion.example/news/other"]
    assert count(session, StoryClusterRow) == 2


def test_refresh_story_clusters_follows_changes(session: Session) -> None:
    """A new member and a rescored one update the cluster in place (one row, new lead and counts)."""
    store(session, [make_article("first", cluster="M", v=verdict(relevant=False, score=0.3))])
    cluster = session.get(StoryClusterRow, "M")
    assert cluster is not None and (cluster.article_count, cluster.relevant) == (1, False)
    ids = store(
        session,
        [make_article("second", source="ansa", cluster="M", first_seen_at=T0 + timedelta(hours=5),
                      v=verdict(relevant=True, score=0.95))],
    )  # fmt: skip
    session.expire_all()
    cluster = session.get(StoryClusterRow, "M")
    assert cluster is not None
    assert (cluster.article_count, cluster.source_count, cluster.relevant, cluster.max_score) == (2, 2, True, 0.95)
    assert cluster.lead_article_id == ids["https://ansa.example/news/second"]
    assert (cluster.first_seen_at, cluster.last_seen_at) == (T0, T0 + timedelta(hours=5))
    assert count(session, StoryClusterRow) == 1


# --- the analyst views -------------------------------------------------------------------------------------


def test_view_india_italy_defence_one_row_per_relevant_story(session: Session, engine: Engine) -> None:
    """One row per relevant cluster with its headline, lead, counts, all members' tags and sources."""
    ids = store(
        session,
        [
            make_article("s1", source="ians", cluster="S", title="India, Italy sign naval pact",
                         v=verdict(score=0.9, tags=("naval", "diplomacy"))),
            make_article("s2", source="ansa", cluster="S", first_seen_at=T0 + timedelta(hours=1),
                         v=verdict(score=0.7, tags=("procurement", "naval"))),
            make_article("s3", source="ansa", cluster="S", first_seen_at=T0 + timedelta(hours=2),
                         v=verdict(relevant=False, score=0.2, tags=())),
            make_article("n1", source="wion", cluster="N", v=verdict(relevant=False, score=0.1, tags=("legal",))),
            make_article("r1", source="wion", cluster="R", v=verdict(score=0.6, tags=())),
        ],
    )  # fmt: skip
    rows = {r["story_id"]: r for r in view_rows(session, "SELECT * FROM v_india_italy_defence")}
    assert set(rows) == {"S", "R"}
    s = rows["S"]
    assert s["headline"] == "India, Italy sign naval pact"
    assert (s["url"], s["lead_source"]) == ("https://ians.example/news/s1", "ians")
    assert (s["article_count"], s["source_count"], s["score"]) == (3, 2, 0.9)
    assert set(s["tags"].split(",")) == {"naval", "diplomacy", "procurement"}
    assert len(s["tags"].split(",")) == 3  # distinct
    assert set(s["sources"].split(",")) == {"ians", "ansa"}
    if engine.dialect.name == "postgresql":
        assert s["tags"] == "diplomacy,naval,procurement"
        assert s["sources"] == "ansa,ians"
    assert rows["R"]["tags"] is None  # no tags at all
    assert rows["R"]["sources"] == "wion"
    assert ids["https://wion.example/news/r1"] > 0


def test_view_daily_counts_per_utc_day_source_topic(session: Session) -> None:
    """Counts per UTC day (IST late evening and after midnight still on the UTC day), source and topic."""
    store(
        session,
        [
            # 23:30 IST on 27 Feb = 18:00 UTC on 27 Feb
            make_article("a1", published_at=datetime(2026, 2, 27, 23, 30, tzinfo=IST),
                         v=verdict(tags=("naval", "diplomacy"))),
            # 02:00 IST on 28 Feb = 20:30 UTC on 27 Feb
            make_article("a2", published_at=datetime(2026, 2, 28, 2, 0, tzinfo=IST),
                         v=verdict(relevant=False, tags=("naval",))),
            # 06:00 IST on 28 Feb = 00:30 UTC on 28 Feb
            make_article("a3", published_at=datetime(2026, 2, 28, 6, 0, tzinfo=IST), v=verdict(tags=("naval",))),
            # undated: counted on its first_seen_at (23:59 UTC on 27 Feb), with no tag at all
            make_article("b1", source="ansa", published_at=None,
                         first_seen_at=datetime(2026, 2, 27, 23, 59, tzinfo=UTC),
                         v=verdict(relevant=False, tags=())),
        ],
    )  # fmt: skip
    rows = {
        (str(r["day"]), r["source"], r["topic"]): (int(r["articles"]), int(r["relevant_articles"]))
        for r in view_rows(session, "SELECT * FROM v_daily_counts")
    }
    assert rows == {
        ("2026-02-27", "ians", "naval"): (2, 1),
        ("2026-02-27", "ians", "diplomacy"): (1, 1),
        ("2026-02-28", "ians", "naval"): (1, 1),
        ("2026-02-27", "ansa", "(none)"): (1, 0),
    }


def test_view_feed_health_status(session: Session) -> None:
    """never polled without health; failing with failures > 0; warning with an error but no failures; else ok."""

    def health(source: str, failures: int, error: str | None) -> dict[str, Any]:
        return {
            "source": source,
            "last_attempt_at": T0,
            "last_success_at": T0 - timedelta(hours=failures),
            "http_status": 503 if failures else 200,
            "consecutive_failures": failures,
            "last_error": error,
            "items_seen": 3,
            "new_items": 1,
            "bytes": 100,
            "duration_s": 0.5,
            "etag": None,
            "last_modified": None,
            "body_hash": None,
        }

    def poll(source: str, status: str) -> dict[str, Any]:
        return {"source": source, "started_at": T0, "finished_at": T0, "status": status, "http_status": 200}

    load.upsert_sources(session, [*SOURCES, {**SOURCES[0], "name": "ndtv", "title": "NDTV", "enabled": False}])
    load.record_poll(session, poll("ians", "ok"), health("ians", 0, None))
    load.record_poll(session, poll("ansa", "failed"), health("ansa", 2, "HTTP 503"))
    load.record_poll(session, poll("ndtv", "partial"), health("ndtv", 0, "malformed feed, 3 items recovered"))
    session.commit()
    rows = {r["source"]: r for r in view_rows(session, "SELECT * FROM v_feed_health")}
    assert {s: r["status"] for s, r in rows.items()} == {
        "ians": "ok",
        "ansa": "failing",
        "wion": "never polled",
        "ndtv": "warning",
    }
    assert rows["ansa"]["consecutive_failures"] == 2
    assert rows["ansa"]["last_error"] == "HTTP 503"
    assert rows["wion"]["last_attempt_at"] is None
    assert bool(rows["ndtv"]["enabled"]) is False
    assert rows["ians"]["title"] == "IANS"

    # A later success clears the failing state.
    load.record_poll(session, poll("ansa", "ok"), health("ansa", 0, None))
    session.commit()
    assert view_rows(session, "SELECT status FROM v_feed_health WHERE source = 'ansa'") == [{"status": "ok"}]


# --- retag_articles ----------------------------------------------------------------------------------------

ZEPHYR = "India and Italy discussed the Zephyr programme in Rome on Friday."
LEONARDO = "India and Italy welcomed Leonardo SpA to the Rome seminar."
NAVAL = "Indian Navy and Italian Navy held a joint exercise with a frigate of Fincantieri in the Indian Ocean."


def edited_taxonomy(tmp_path: Path) -> Path:
    """The bundled taxonomy with "Zephyr programme" made a defence term and "Leonardo SpA" excluded."""
    data = yaml.safe_load(BUNDLED_TAXONOMY.read_text(encoding="utf-8"))
    data["defence"]["en"].append("Zephyr programme")
    data["exclusions"]["any"].append("Leonardo SpA")
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def retag_settings(tmp_path: Path, warehouse_url: str, taxonomy: Path) -> Settings:
    return load_settings(
        {
            "NEWSWATCH_VAR": str(tmp_path / "var"),
            "NEWSWATCH_WAREHOUSE_URL": warehouse_url,
            "NEWSWATCH_TAXONOMY": str(taxonomy),
        }
    )


def test_retag_articles_follows_an_edited_taxonomy(session: Session, warehouse_url: str, tmp_path: Path) -> None:
    """After a taxonomy edit, retag makes articles relevant or not, and article_tags, entities and the
    clusters follow; an article seen before `since` is not checked."""
    bundled = load_lexicon(BUNDLED_TAXONOMY)
    texts = {"zephyr": ZEPHYR, "leonardo": LEONARDO, "naval": NAVAL, "old-zephyr": ZEPHYR + " Again."}
    articles = [
        make_article(slug, text=body, title="Talks", cluster=f"c-{slug}",
                     first_seen_at=T0 - timedelta(days=3) if slug.startswith("old") else T0,
                     v=classify("Talks", body, bundled, language="en"))
        for slug, body in texts.items()
    ]  # fmt: skip
    ids = store(session, articles, bundled.entities)
    url = {slug: f"https://ians.example/news/{slug}" for slug in texts}
    assert [a.verdict.relevant for a in articles if a.verdict] == [False, True, True, False]
    assert (ids[url["leonardo"]], "Leonardo", "evidence") in entity_links(session)

    settings = retag_settings(tmp_path, warehouse_url, edited_taxonomy(tmp_path))
    try:
        counts = retag_articles(settings, since=T0 - timedelta(hours=1))
    finally:
        engine_for(warehouse_url).dispose()
    assert counts == {"checked": 3, "changed": 2, "now_relevant": 1, "no_longer_relevant": 1}

    session.expire_all()
    relevant = {u: r for u, r in session.execute(select(ArticleRow.canonical_url, ArticleRow.relevant))}
    assert relevant == {url["zephyr"]: True, url["leonardo"]: False, url["naval"]: True, url["old-zephyr"]: False}
    tags = {(a, t) for a, t, _ in tag_rows(session)}
    assert (ids[url["zephyr"]], "diplomacy") in tags
    assert not any(a == ids[url["old-zephyr"]] for a, _ in tags)
    assert {t for a, t in tags if a == ids[url["naval"]]} == {"naval", "joint-exercise", "maritime-security"}
    stored_tags = session.scalar(select(ArticleRow.tags).where(ArticleRow.id == ids[url["zephyr"]]))
    assert stored_tags == ["diplomacy"]
    assert not any(a == ids[url["leonardo"]] for a, _, _ in entity_links(session))
    clusters = {c: r for c, r in session.execute(select(StoryClusterRow.id, StoryClusterRow.relevant))}
    assert clusters == {"c-zephyr": True, "c-leonardo": False, "c-naval": True, "c-old-zephyr": False}
    stories = {r["story_id"] for r in view_rows(session, "SELECT story_id FROM v_india_italy_defence")}
    assert stories == {"c-zephyr", "c-naval"}

    # The same taxonomy again: nothing left to change.
    try:
        again = retag_articles(settings, since=T0 - timedelta(hours=1))
    finally:
        engine_for(warehouse_url).dispose()
    assert again == {"checked": 3, "changed": 0, "now_relevant": 0, "no_longer_relevant": 0}
