"""Raw-page retention on both backends: ingest.retention.prune_raw_store and ``newswatch prune-raw``.

Pages of articles fetched before the cutoff are deleted and the articles' raw_ref cleared (the rows
stay); a page that something newer or still queued needs is kept; a second run deletes nothing more.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from newswatch.cli import main
from newswatch.config import Settings, load_settings
from newswatch.dedup import content_hash
from newswatch.ingest.rawstore import RawStore
from newswatch.ingest.retention import prune_raw_store
from newswatch.warehouse import load
from newswatch.warehouse.engine import make_engine
from newswatch.warehouse.schema import ArticleRow, FeedItemRow
from newswatch.warehouse.session import engine_for, init_warehouse, warehouse

CUTOFF = datetime(2026, 2, 1, tzinfo=UTC)
SOURCE = {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/feed", "language": "en", "country": "IN",
          "enabled": True}  # fmt: skip


@pytest.fixture
def settings(warehouse_url: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings with the raw store in tmp_path and the empty warehouse, migrated, with one source."""
    settings = load_settings(
        {
            "NEWSWATCH_VAR": str(tmp_path / "var"),
            "NEWSWATCH_RAW_STORE": str(tmp_path / "raw"),
            "NEWSWATCH_WAREHOUSE_URL": warehouse_url,
        }
    )
    init_warehouse(settings)
    with warehouse(settings) as session:
        load.upsert_sources(session, [SOURCE])
    yield settings
    engine_for(warehouse_url).dispose()


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.warehouse_url)
    yield engine
    engine.dispose()


def add_article(session: Session, slug: str, fetched_at: datetime, raw_ref: str | None) -> None:
    text = f"India and Italy, {slug}."
    session.add(
        ArticleRow(
            canonical_url=f"https://ians.example/news/{slug}",
            url=f"https://ians.example/news/{slug}",
            source="ians",
            title=slug,
            authors="",
            published_from="",
            first_seen_at=fetched_at - timedelta(hours=1),
            fetched_at=fetched_at,
            updated_at=fetched_at,
            language="en",
            text=text,
            summary="",
            content_hash=content_hash(text),
            story_cluster_id=f"c-{slug}",
            relevant=False,
            score=0.0,
            tags=[],
            evidence=[],
            entities=[],
            raw_ref=raw_ref,
            version=1,
        )
    )


def add_item(session: Session, slug: str, status: str, fetched_at: datetime | None, raw_ref: str | None) -> None:
    url = f"https://ians.example/news/{slug}"
    session.add(
        FeedItemRow(
            source="ians",
            guid=slug,
            link=url,
            canonical_url=url,
            title=slug,
            summary="",
            first_seen_at=(fetched_at or CUTOFF) - timedelta(hours=1),
            status=status,
            attempts=0,
            raw_ref=raw_ref,
            fetched_at=fetched_at,
        )
    )


def raw_refs(engine: Engine, model: type[ArticleRow] | type[FeedItemRow]) -> dict[str, str | None]:
    with Session(engine) as session:
        return dict(session.execute(select(model.canonical_url, model.raw_ref)).all())


def short(refs: dict[str, str | None]) -> dict[str, str | None]:
    return {url.rsplit("/", 1)[1]: ref for url, ref in refs.items()}


def test_prune_raw_store_deletes_old_pages_and_keeps_needed_ones(settings: Settings, engine: Engine) -> None:
    """Old pages go (articles unlinked, rows kept); new, shared, refetched and queued pages stay."""
    store = RawStore(settings.raw_store_dir)
    pages = {name: store.put(f"<html>{name} page</html>".encode()) for name in
             ("old", "old2", "new", "shared", "queued", "refetched", "edge")}  # fmt: skip
    day = timedelta(days=1)
    with warehouse(settings) as session:
        add_article(session, "old", CUTOFF - 10 * day, pages["old"])
        add_article(session, "old2", CUTOFF - timedelta(seconds=1), pages["old2"])
        add_article(session, "new", CUTOFF + timedelta(hours=1), pages["new"])
        add_article(session, "edge", CUTOFF, pages["edge"])  # fetched exactly at the cutoff: not before it
        add_article(session, "shared-old", CUTOFF - 10 * day, pages["shared"])
        add_article(session, "shared-new", CUTOFF + day, pages["shared"])
        add_article(session, "queued-old", CUTOFF - 10 * day, pages["queued"])
        add_article(session, "refetched-old", CUTOFF - 10 * day, pages["refetched"])
        add_article(session, "never-stored", CUTOFF - 10 * day, None)
        add_item(session, "old", "done", CUTOFF - 10 * day, pages["old"])
        add_item(session, "queued-copy", "fetched", CUTOFF - 20 * day, pages["queued"])  # not processed yet
        add_item(session, "refetched-copy", "done", CUTOFF + day, pages["refetched"])
    sizes = {name: store._path(ref.split(":", 1)[1]).stat().st_size for name, ref in pages.items()}

    counts = prune_raw_store(settings, CUTOFF)

    assert counts == {"pages_deleted": 2, "bytes_freed": sizes["old"] + sizes["old2"], "articles_unlinked": 2}
    for name in ("old", "old2"):
        with pytest.raises(KeyError):
            store.get(pages[name])
    for name in ("new", "edge", "shared", "queued", "refetched"):
        assert store.get(pages[name]) == f"<html>{name} page</html>".encode()
    assert short(raw_refs(engine, ArticleRow)) == {
        "old": None,
        "old2": None,
        "new": pages["new"],
        "edge": pages["edge"],
        "shared-old": pages["shared"],  # its page stays, so its reference stays valid
        "shared-new": pages["shared"],
        "queued-old": pages["queued"],
        "refetched-old": pages["refetched"],
        "never-stored": None,
    }
    assert short(raw_refs(engine, FeedItemRow)) == {
        "old": None,  # the feed item of a deleted page is unlinked too
        "queued-copy": pages["queued"],
        "refetched-copy": pages["refetched"],
    }
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 9


def test_prune_raw_store_is_idempotent(settings: Settings, engine: Engine) -> None:
    """A second run with the same cutoff deletes nothing and unlinks nothing."""
    store = RawStore(settings.raw_store_dir)
    old, kept = store.put(b"<html>old</html>"), store.put(b"<html>kept</html>")
    with warehouse(settings) as session:
        add_article(session, "a", CUTOFF - timedelta(days=40), old)
        add_article(session, "b", CUTOFF - timedelta(days=40), kept)
        add_article(session, "c", CUTOFF + timedelta(days=1), kept)
    first = prune_raw_store(settings, CUTOFF)
    assert first["pages_deleted"] == 1 and first["articles_unlinked"] == 1 and first["bytes_freed"] > 0
    files = sorted(p.name for p in settings.raw_store_dir.rglob("*.html.gz"))
    second = prune_raw_store(settings, CUTOFF)
    assert second == {"pages_deleted": 0, "bytes_freed": 0, "articles_unlinked": 0}
    assert sorted(p.name for p in settings.raw_store_dir.rglob("*.html.gz")) == files == [f"{kept[7:]}.html.gz"]
    assert short(raw_refs(engine, ArticleRow)) == {"a": None, "b": kept, "c": kept}


def test_prune_raw_store_with_nothing_to_do(settings: Settings) -> None:
    """An empty warehouse and an empty (not even created) store: zero counts, no error."""
    assert not settings.raw_store_dir.exists()
    assert prune_raw_store(settings, CUTOFF) == {"pages_deleted": 0, "bytes_freed": 0, "articles_unlinked": 0}


def test_prune_raw_store_later_cutoff_prunes_more(settings: Settings, engine: Engine) -> None:
    """Moving the cutoff forward prunes the pages that have now aged out, and only those."""
    store = RawStore(settings.raw_store_dir)
    refs = [store.put(f"<html>{i}</html>".encode()) for i in range(3)]
    with warehouse(settings) as session:
        for i, ref in enumerate(refs):
            add_article(session, f"a{i}", CUTOFF + timedelta(days=i), ref)
    assert prune_raw_store(settings, CUTOFF + timedelta(hours=12))["pages_deleted"] == 1
    assert prune_raw_store(settings, CUTOFF + timedelta(days=1, hours=12))["pages_deleted"] == 1
    assert short(raw_refs(engine, ArticleRow)) == {"a0": None, "a1": None, "a2": refs[2]}
    assert store.get(refs[2]) == b"<html>2</html>"


def test_prune_raw_store_deletes_old_pages_without_an_article(settings: Settings, engine: Engine) -> None:
    """A page fetched long ago whose item was processed without giving an article is pruned too."""
    store = RawStore(settings.raw_store_dir)
    no_text, failed = store.put(b"<html>no article here</html>"), store.put(b"<html>broken</html>")
    with warehouse(settings) as session:
        add_item(session, "no-text", "done", CUTOFF - timedelta(days=40), no_text)
        add_item(session, "failed", "failed", CUTOFF - timedelta(days=40), failed)
    counts = prune_raw_store(settings, CUTOFF)
    assert counts["pages_deleted"] == 2
    assert list(settings.raw_store_dir.rglob("*.html.gz")) == []
    assert set(raw_refs(engine, FeedItemRow).values()) == {None}


def test_cli_prune_raw(settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """`prune-raw --older-than-days N` prunes pages fetched more than N days ago and prints the counts."""
    for key, value in (
        ("NEWSWATCH_VAR", settings.var_dir),
        ("NEWSWATCH_RAW_STORE", settings.raw_store_dir),
        ("NEWSWATCH_WAREHOUSE_URL", settings.warehouse_url),
    ):
        monkeypatch.setenv(key, str(value))
    store = RawStore(settings.raw_store_dir)
    old, recent = store.put(b"<html>old</html>"), store.put(b"<html>recent</html>")
    now = datetime.now(UTC)
    with warehouse(settings) as session:
        add_article(session, "old", now - timedelta(days=40), old)
        add_article(session, "recent", now - timedelta(days=2), recent)
    out = io.StringIO()
    assert main(["prune-raw", "--older-than-days", "30"], out=out) == 0
    counts = json.loads(out.getvalue())
    assert (counts["pages_deleted"], counts["articles_unlinked"]) == (1, 1)
    assert short(raw_refs(engine, ArticleRow)) == {"old": None, "recent": recent}
    out = io.StringIO()
    assert main(["prune-raw", "--older-than-days", "1"], out=out) == 0
    assert json.loads(out.getvalue())["pages_deleted"] == 1
    assert list(settings.raw_store_dir.rglob("*.html.gz")) == []
