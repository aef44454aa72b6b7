"""Streaming export of articles (CSV and JSON lines) on both backends: columns, formats, filters, order,
the ``newswatch export`` command, and memory that stays flat as the row count grows."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newswatch.cli import main
from newswatch.dedup import content_hash
from newswatch.records import Article, Evidence, Verdict
from newswatch.warehouse import load
from newswatch.warehouse.engine import create_schema, make_engine
from newswatch.warehouse.export import EXPORT_COLUMNS, iter_articles, write_export
from newswatch.warehouse.session import engine_for

IST = ZoneInfo("Asia/Kolkata")
T0 = datetime(2026, 2, 27, 6, 0, tzinfo=UTC)
SOURCES = [
    {"name": n, "title": n.upper(), "feed_url": f"https://{n}.example/feed", "language": "en", "country": c,
     "enabled": True}
    for n, c in (("ians", "IN"), ("ansa", "IT"))
]  # fmt: skip


class NullSink(io.StringIO):
    """A text stream that throws away what is written (so only the exporter's own memory is measured)."""

    def write(self, s: str) -> int:
        return len(s)


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[Engine]:
    """An engine on an empty warehouse migrated to head, with the test sources; disposed afterwards."""
    engine = make_engine(warehouse_url)
    create_schema(engine)
    with Session(engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
    yield engine
    engine.dispose()


def make_article(
    slug: str,
    first_seen_at: datetime,
    *,
    source: str = "ians",
    relevant: bool = True,
    tags: tuple[str, ...] = ("naval", "diplomacy"),
    published_at: datetime | None = T0,
    title: str | None = None,
    text: str | None = None,
    url: str | None = None,
    publisher: str = "",
) -> Article:
    body = text if text is not None else f"India and Italy discussed {slug}."
    canonical = f"https://{source}.example/news/{slug}"
    return Article(
        source=source,
        url=url or canonical,
        canonical_url=canonical,
        publisher=publisher,
        title=title if title is not None else f"Story {slug}",
        text=body,
        summary=body[:40],
        language="en",
        published_at=published_at,
        published_from="meta" if published_at else "",
        first_seen_at=first_seen_at,
        fetched_at=first_seen_at,
        content_hash=content_hash(body),
        story_cluster_id=f"c-{slug}",
        verdict=Verdict(
            relevant=relevant,
            score=0.8 if relevant else 0.1,
            tags=tags,
            evidence=(Evidence(body, ("India", "Italy")),),
            language="en",
        ),
    )


def insert(engine: Engine, articles: list[Article]) -> dict[str, int]:
    with Session(engine) as session:
        written = load.upsert_articles(session, articles)
        session.commit()
    return written


@pytest.fixture
def sample(engine: Engine) -> dict[str, int]:
    """Five articles, inserted out of first-seen order; returns {slug: id}.

    early (T0-1d, before the window), a (T0), tie (T0, later id), b (T0+1h, irrelevant, no tags, undated),
    c (T0+2d, relevant, a title with a comma, quotes and non-ASCII, a text with a newline).
    """
    articles = [
        make_article("c", T0 + timedelta(days=2), source="ansa", title='Attaché says "yes", then no',
                     text="Line one.\nLine two, with a comma."),
        make_article("b", T0 + timedelta(hours=1), relevant=False, tags=(), published_at=None),
        make_article("a", T0),
        make_article("early", T0 - timedelta(days=1)),
        make_article("tie", T0, tags=("procurement",)),
    ]  # fmt: skip
    written = insert(engine, articles)
    return {url.rsplit("/", 1)[1]: article_id for url, article_id in written.items()}


def slugs(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["canonical_url"]).rsplit("/", 1)[1] for r in rows]


# --- iter_articles -----------------------------------------------------------------------------------------


def test_iter_articles_columns_order_and_window(engine: Engine, sample: dict[str, int]) -> None:
    """Rows have exactly the export columns, come oldest first (ties by id), and [since, until) applies."""
    rows = list(iter_articles(engine, T0))
    assert slugs(rows) == ["a", "tie", "b", "c"]
    assert all(tuple(r) == EXPORT_COLUMNS for r in rows)
    assert sample["a"] < sample["tie"]
    first = rows[0]
    assert first["id"] == sample["a"]
    assert first["first_seen_at"] == T0 and first["first_seen_at"].tzinfo is UTC
    assert first["tags"] == ["naval", "diplomacy"]
    assert first["relevant"] is True
    assert rows[2]["published_at"] is None

    assert slugs(list(iter_articles(engine, T0, until=T0 + timedelta(hours=1)))) == ["a", "tie"]  # until excluded
    assert slugs(list(iter_articles(engine, T0 - timedelta(days=1), until=T0))) == ["early"]
    assert list(iter_articles(engine, T0 + timedelta(days=3))) == []


def test_iter_articles_relevant_only(engine: Engine, sample: dict[str, int]) -> None:
    """--relevant-only drops the irrelevant article and keeps the order."""
    rows = list(iter_articles(engine, T0, relevant_only=True))
    assert slugs(rows) == ["a", "tie", "c"]
    assert all(r["relevant"] for r in rows)
    both = list(iter_articles(engine, T0, until=T0 + timedelta(days=1), relevant_only=True))
    assert slugs(both) == ["a", "tie"]


def test_iter_articles_by_first_seen_or_published(engine: Engine) -> None:
    """``by="published"`` windows and orders by publication time (an undated article by its first-seen
    time, as the digest places it); ``by="first-seen"``, the default, by first-seen time."""
    insert(
        engine,
        [
            make_article("old-news", T0, published_at=T0 - timedelta(days=3)),  # seen today, published 3 days ago
            make_article("undated", T0 + timedelta(hours=1), published_at=None),
            make_article("fresh", T0 + timedelta(hours=3), published_at=T0 + timedelta(hours=2)),
            make_article("before", T0 - timedelta(hours=1), published_at=T0 + timedelta(minutes=30)),  # clock skew
        ],
    )
    assert slugs(list(iter_articles(engine, T0))) == ["old-news", "undated", "fresh"]
    assert slugs(list(iter_articles(engine, T0, by="first-seen"))) == ["old-news", "undated", "fresh"]
    assert slugs(list(iter_articles(engine, T0, by="published"))) == ["before", "undated", "fresh"]
    day_before = list(iter_articles(engine, T0 - timedelta(days=4), until=T0, by="published"))
    assert slugs(day_before) == ["old-news"]
    two_hours = list(iter_articles(engine, T0, until=T0 + timedelta(hours=2), by="published"))
    assert slugs(two_hours) == ["before", "undated"]
    with pytest.raises(ValueError, match="by must be one of first-seen, published"):
        list(iter_articles(engine, T0, by="fetched"))


def test_exported_url_has_no_tracking_parameters(engine: Engine) -> None:
    """``url`` is the address without utm_*/fbclid…; the canonical URL and the other parameters stay;
    ``publisher`` is the outlet an aggregator's item named."""
    link = "http://www.ians.example/news/x/?id=3&utm_source=rss&utm_medium=feed&fbclid=abc"
    insert(engine, [make_article("x", T0, url=link, publisher="Defence Chronicle India"), make_article("y", T0)])
    x, y = iter_articles(engine, T0)
    assert x["url"] == "http://www.ians.example/news/x/?id=3"
    assert x["canonical_url"] == "https://ians.example/news/x" and x["publisher"] == "Defence Chronicle India"
    assert (y["url"], y["publisher"]) == ("https://ians.example/news/y", "")


# --- write_export ------------------------------------------------------------------------------------------


def test_write_export_csv(engine: Engine, sample: dict[str, int]) -> None:
    """CSV: header = EXPORT_COLUMNS, tags joined with ';', ISO datetimes, quoting survives a round trip."""
    out = io.StringIO()
    assert write_export(iter_articles(engine, T0), out, "csv") == 4
    out.seek(0)
    reader = csv.reader(out)
    header = next(reader)
    assert tuple(header) == EXPORT_COLUMNS
    rows = [dict(zip(header, r, strict=True)) for r in reader]
    assert [r["id"] for r in rows] == [str(sample[s]) for s in ("a", "tie", "b", "c")]
    a, tie, b, c = rows
    assert a["tags"] == "naval;diplomacy"
    assert tie["tags"] == "procurement"
    assert b["tags"] == ""
    assert a["first_seen_at"] == "2026-02-27T06:00:00+00:00"
    assert datetime.fromisoformat(a["published_at"]) == T0
    assert b["published_at"] == ""
    assert (a["relevant"], b["relevant"]) == ("True", "False")
    assert c["title"] == 'Attaché says "yes", then no'
    assert c["text"] == "Line one.\nLine two, with a comma."
    assert c["first_seen_at"] == (T0 + timedelta(days=2)).isoformat()
    assert float(a["score"]) == 0.8 and a["version"] == "1"
    assert (a["story_cluster_id"], a["event_id"]) == ("c-a", "c-a")  # no event: the story stands as one


def test_write_export_jsonl(engine: Engine, sample: dict[str, int]) -> None:
    """JSON lines: one object per article with every column, tags as a list, ISO datetimes, raw UTF-8."""
    out = io.StringIO()
    assert write_export(iter_articles(engine, T0), out, "jsonl") == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert "Attaché" in lines[3]  # not \u00e9
    records = [json.loads(line) for line in lines]
    assert all(tuple(r) == EXPORT_COLUMNS for r in records)
    a, tie, b, c = records
    assert (a["id"], tie["id"]) == (sample["a"], sample["tie"])
    assert a["tags"] == ["naval", "diplomacy"]
    assert b["tags"] == []
    assert a["first_seen_at"] == "2026-02-27T06:00:00+00:00"
    assert b["published_at"] is None
    assert (a["relevant"], b["relevant"]) == (True, False)
    assert c["text"] == "Line one.\nLine two, with a comma."
    assert datetime.fromisoformat(c["updated_at"]) == T0 + timedelta(days=2)
    assert [(r["story_cluster_id"], r["event_id"]) for r in (a, c)] == [("c-a", "c-a"), ("c-c", "c-c")]


def test_write_export_empty_and_bad_format(engine: Engine) -> None:
    """No rows: CSV is just the header, JSON lines is empty; an unknown format is refused."""
    out = io.StringIO()
    assert write_export(iter_articles(engine, T0), out, "csv") == 0
    assert out.getvalue().strip() == ",".join(EXPORT_COLUMNS)
    out = io.StringIO()
    assert write_export(iter_articles(engine, T0), out, "jsonl") == 0
    assert out.getvalue() == ""
    with pytest.raises(ValueError, match="format must be one of csv, jsonl"):
        write_export(iter([]), io.StringIO(), "xml")


# --- newswatch export --------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEWSWATCH_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("NEWSWATCH_VAR", str(tmp_path / "var"))
    engine_for.cache_clear()
    yield warehouse_url
    engine_for(warehouse_url).dispose()
    engine_for.cache_clear()


def test_cli_export_jsonl_to_file(engine: Engine, cli_env: str, tmp_path: Path) -> None:
    """`export --since DAY --format jsonl --output FILE` writes the articles first seen from 00:00 UTC."""
    insert(
        engine,
        [
            make_article("late-ist", datetime(2026, 2, 27, 2, 0, tzinfo=IST)),  # 26 Feb 20:30 UTC: out
            make_article("in", datetime(2026, 2, 27, 0, 0, tzinfo=UTC)),
            make_article("next-day", datetime(2026, 2, 28, 9, 0, tzinfo=UTC), relevant=False, tags=()),
            make_article("later", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ],
    )
    target = tmp_path / "out" / "export.jsonl"
    target.parent.mkdir()
    out = io.StringIO()
    assert main(["export", "--since", "2026-02-27", "--format", "jsonl", "--output", str(target)], out=out) == 0
    assert out.getvalue() == ""
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert slugs(records) == ["in", "next-day", "later"]
    assert records[0]["tags"] == ["naval", "diplomacy"]

    target2 = tmp_path / "out" / "window.jsonl"
    argv = ["export", "--since", "2026-02-27", "--until", "2026-03-01", "--relevant-only", "--format", "jsonl"]
    assert main([*argv, "-o", str(target2)], out=io.StringIO()) == 0
    assert slugs([json.loads(x) for x in target2.read_text(encoding="utf-8").splitlines()]) == ["in"]


def test_cli_export_csv_to_stdout_and_bad_day(engine: Engine, cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --output, CSV goes to the given stream; a malformed day exits 2 with a message."""
    insert(engine, [make_article("a", T0), make_article("b", T0 + timedelta(hours=1), tags=("naval",))])
    out = io.StringIO()
    assert main(["export", "--since", "2026-02-27"], out=out) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["tags"] for r in rows] == ["naval;diplomacy", "naval"]
    assert main(["export", "--since", "27/02/2026"], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith("newswatch export: ") and "'27/02/2026'" in err
    assert main(["export", "--since", "2026-02-30"], out=io.StringIO()) == 2


def test_cli_export_by_published(engine: Engine, cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--by published` picks the articles published that day, `--by first-seen` (the default) the ones
    first seen then; any other value is refused by the argument parser (exit status 2)."""

    def day(d: int, h: int = 0) -> datetime:
        return datetime(2026, 2, d, h, tzinfo=UTC)

    insert(
        engine,
        [
            make_article("seen-27-published-20", day(27, 5), published_at=day(20)),
            make_article("seen-28-published-27", day(28, 1), published_at=day(27, 23)),
        ],
    )
    window = ["export", "--since", "2026-02-27", "--until", "2026-02-28", "--format", "jsonl"]

    def exported(*extra: str) -> list[str]:
        out = io.StringIO()
        assert main([*window, *extra], out=out) == 0
        return slugs([json.loads(line) for line in out.getvalue().splitlines()])

    assert exported() == exported("--by", "first-seen") == ["seen-27-published-20"]
    assert exported("--by", "published") == ["seen-28-published-27"]
    with pytest.raises(SystemExit) as refused:
        main([*window, "--by", "fetched"], out=io.StringIO())
    assert refused.value.code == 2 and "--by: invalid choice: 'fetched'" in capsys.readouterr().err


def test_cli_export_bad_day_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    """The message for a malformed day names the option the user gave (--since), not --date."""
    assert main(["export", "--since", "27/02/2026"], out=io.StringIO()) == 2
    assert "--since" in capsys.readouterr().err


# --- flat memory -------------------------------------------------------------------------------------------


def load_synthetic(engine: Engine, n: int, batch: int = 2_000) -> None:
    """``n`` small articles, one a second from 1 Jan 2026, loaded in batches."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        for first in range(0, n, batch):
            articles = [
                Article(
                    source="ians",
                    url=f"https://ians.example/n/{i}",
                    canonical_url=f"https://ians.example/n/{i}",
                    title=f"Synthetic story {i}",
                    text=f"India and Italy, synthetic paragraph {i}. " * 8,
                    summary=f"Summary {i}",
                    language="en",
                    published_at=start + timedelta(seconds=i),
                    published_from="meta",
                    first_seen_at=start + timedelta(seconds=i),
                    fetched_at=start + timedelta(seconds=i),
                    content_hash=f"{i:064x}",
                    story_cluster_id=f"s-{i}",
                    verdict=Verdict(
                        relevant=i % 3 == 0, score=0.5, tags=("naval", "diplomacy"), evidence=(), language="en"
                    ),
                )
                for i in range(first, min(n, first + batch))
            ]
            load.upsert_articles(session, articles)
            session.commit()


def export_peak(engine: Engine, since: datetime, until: datetime, fmt: str) -> tuple[int, int]:
    """(rows written, peak traced bytes) of one export of ``[since, until)`` to a null sink."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        written = write_export(iter_articles(engine, since, until), NullSink(), fmt)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return written, peak


def test_export_memory_is_flat(engine: Engine) -> None:
    """Exporting 10x more rows peaks at under 3x the memory (rows are streamed, never all held).

    SQLite: 2,000 then 20,000 rows; PostgreSQL: 1,000 then 10,000 (to keep the file fast). One warehouse
    of small articles, one a second; the first N seconds, then all of them, through the same query.
    """
    small_n, large_n = (2_000, 20_000) if engine.dialect.name == "sqlite" else (1_000, 10_000)
    load_synthetic(engine, large_n)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert write_export(iter_articles(engine, start - timedelta(days=1), start), NullSink(), "csv") == 0  # warm-up
    small = export_peak(engine, start, start + timedelta(seconds=small_n), "csv")
    large = export_peak(engine, start, start + timedelta(seconds=large_n), "csv")
    assert (small[0], large[0]) == (small_n, large_n)
    # Holding 10,000+ rows of ~400 characters would cost well over 10 MB; a streamed export stays at a few.
    assert large[1] < 3 * small[1], (small, large)
