"""The daily digest from a warehouse the real pipeline filled from the fixture site: delivered over a
real SMTP server, previewed by the CLI, filtered per recipient, waiting for ingest, and the optional
immediate alert. Rendering in a browser is in test_digest_render.py."""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES
from conftest import INGESTED_AT as OBSERVED_AT
from sqlalchemy import func, select, update

from newswatch import pipeline
from newswatch.alerts.chart import chart_alt_text, render_chart_png
from newswatch.alerts.deliver import SmtpTransport
from newswatch.alerts.select import topic_label
from newswatch.cli import digest_window, main
from newswatch.config import Settings, load_settings
from newswatch.mailsink import MailSink
from newswatch.warehouse.schema import AlertDeliveryRow, ArticleRow, FeedHealthRow

EXPECTED = yaml.safe_load((FIXTURES / "site" / "expected.yaml").read_text(encoding="utf-8"))
RELEVANT = [e for e in EXPECTED if e["relevant"]]
WINDOW_START, WINDOW_END = digest_window(datetime(2026, 2, 28).date())


@pytest.fixture
def settings(ingested_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on the loaded warehouse, with this test's own copy of it, outbox and recipients."""
    source_db = Path(ingested_env["NEWSWATCH_VAR"]) / "warehouse.db"
    copy = tmp_path / "warehouse.db"
    with sqlite3.connect(source_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # WAL-safe, unlike copying the file
    env = {**ingested_env, "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{copy}", "NEWSWATCH_OUTBOX": str(tmp_path / "outbox")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return load_settings(env)


def recipients_yaml(**extra: object) -> str:
    config: dict[str, object] = {
        "groups": {
            "analysts": {"members": [{"email": "analysts@example.org", "name": "Analysts"}]},
            "rome": {"languages": ["it"], "members": ["rome@example.org"]},
            "naval": {"topics": ["naval"], "min_score": 0.5, "members": ["naval@example.org"]},
        }
    }
    config.update(extra)
    return yaml.safe_dump(config)


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "mailbox") as server:
        yield server


def body(message: EmailMessage, kind: str) -> str:
    """A part's text with the wire's CRLF line ends turned back into newlines."""
    part = message.get_body((kind,))
    assert part is not None, f"no {kind} part"
    return str(part.get_content()).replace("\r\n", "\n")


def by_recipient(messages: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {re.sub(r".*<|>", "", str(m["To"])): m for m in messages}


def test_digest_over_smtp_one_entry_per_story_grouped_by_topic(settings: Settings, sink: MailSink) -> None:
    """Every relevant fixture story appears once, under a topic heading, with its syndicated copies."""
    transport = pipeline_transport(sink)
    report = pipeline.send_digest(settings, WINDOW_START, WINDOW_END, transport, recipients_yaml())
    assert sorted(report.sent) == ["analysts@example.org", "naval@example.org", "rome@example.org"]
    mails = by_recipient(sink.messages())
    analysts = mails["analysts@example.org"]
    stories = {e["story"] for e in RELEVANT}
    assert analysts["Subject"] == f"India–Italy defence: {len(stories)} stories — 28 Feb 2026"
    text = body(analysts, "plain")
    html = body(analysts, "html")

    # One entry per story: each story's headline is listed once, its other copies as "also reported by".
    entries = re.findall(r"^\* (.+)$", text, flags=re.MULTILINE)
    assert len(entries) == len(stories)
    for story in stories:
        titles = {e["title"] for e in RELEVANT if e["story"] == story}
        assert sum(entry in titles for entry in entries) == 1, story
    assert text.count("Also reported by:") == sum(
        1 for s in stories if sum(e["story"] == s for e in RELEVANT) > 1
    )
    # Grouped by topic: each section heading is a topic and each section's entries sit under it.
    headings = re.findall(r"^== (.+) \((\d+)\) ==$", text, flags=re.MULTILINE)
    assert sum(int(n) for _h, n in headings) == len(stories)
    assert len({h for h, _n in headings}) == len(headings), "a topic heads one section only"
    assert all(h in html for h, _n in headings)
    # Times in IST and Rome time, evidence, and the chart's numbers in the text part.
    assert re.search(r"\d{2} Feb 2026 \d{2}:\d{2} IST · \d{2}:\d{2} CET Rome", text)
    assert text.count("  Why: ") >= len(stories), "every entry says why it matched"
    assert "Relevant stories per day, last 30 days (IST):" in text
    assert "2026-02-28: " in text and "(today)" in text


def test_recipient_filters_language_topic_and_score(settings: Settings, sink: MailSink) -> None:
    """The Rome desk gets only the stories told in Italian, led by the Italian copy; the naval desk only naval ones."""
    pipeline.send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), recipients_yaml())
    mails = by_recipient(sink.messages())
    rome_text = body(mails["rome@example.org"], "plain")
    italian = [e for e in RELEVANT if e["language"] == "it"]
    assert italian, "the fixture site has relevant Italian pages"
    assert mails["rome@example.org"]["Subject"].startswith(f"India–Italy defence: {len(italian)} stories")
    for entry in italian:
        assert f"* {entry['title']}" in rome_text
    english_only = [e for e in RELEVANT if e["story"] not in {i["story"] for i in italian}]
    assert all(e["title"] not in rome_text for e in english_only)

    naval_text = body(mails["naval@example.org"], "plain")
    naval_topics = re.findall(r"^  Topics: (.+) · relevance (\S+)$", naval_text, flags=re.MULTILINE)
    assert naval_topics, "the fixture site has naval stories"
    assert all("naval" in topics.split(", ") and float(score) >= 0.5 for topics, score in naval_topics)


def test_script_in_a_headline_is_escaped_in_the_mail(settings: Settings, sink: MailSink) -> None:
    """A feed-supplied headline with markup arrives as text: escaped in HTML, verbatim in the plain part."""
    hostile = 'Rome talks <script>alert("x")</script> <img src=x onerror=alert(1)>'
    engine = pipeline.engine_for(settings.warehouse_url)
    with engine.begin() as conn:
        conn.execute(update(ArticleRow).where(ArticleRow.relevant.is_(True)).values(title=hostile))
    pipeline.send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), recipients_yaml())
    mail = by_recipient(sink.messages())["analysts@example.org"]
    html = body(mail, "html")
    assert "<script>" not in html and "<img src=x" not in html
    assert "Rome talks &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert hostile in body(mail, "plain")


def test_cli_digest_shows_what_is_sent_without_sending(
    settings: Settings, sink: MailSink, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newswatch digest --date` prints the text part the recipient receives, and sends nothing."""
    out = io.StringIO()
    assert main(["digest", "--date", "2026-02-28"], out=out) == 0
    printed = out.getvalue()
    assert sink.messages() == [] and not settings.outbox_dir.exists()
    with pipeline.warehouse(settings) as session:
        assert session.scalar(select(func.count()).select_from(AlertDeliveryRow)) == 0

    pipeline.send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink))
    mail = by_recipient(sink.messages())["analysts@example.org"]
    sent_text = body(mail, "plain")
    assert printed.rstrip("\n") == f"Subject: {mail['Subject']}\n\n{sent_text}".rstrip("\n")


def test_empty_day_note_or_skip(settings: Settings, sink: MailSink) -> None:
    """A day without stories sends a short "nothing new" note, or nothing with empty_day: skip."""
    quiet_start, quiet_end = digest_window(datetime(2026, 1, 15).date())
    report = pipeline.send_digest(settings, quiet_start, quiet_end, pipeline_transport(sink), recipients_yaml())
    assert len(report.sent) == 3
    note = by_recipient(sink.messages())["analysts@example.org"]
    assert note["Subject"] == "India–Italy defence: 0 stories — 15 Jan 2026"
    assert "Nothing new on India–Italy defence" in body(note, "plain")

    skip_start, skip_end = digest_window(datetime(2026, 1, 16).date())
    skipped = pipeline.send_digest(
        settings, skip_start, skip_end, pipeline_transport(sink), recipients_yaml(empty_day="skip")
    )
    assert skipped.sent == [] and len(skipped.skipped) == 3
    assert len(sink.messages()) == 3


def test_ingest_coverage_waits_for_sources_and_backlog(settings: Settings) -> None:
    """The digest waits until each source was polled after the window (or was not due) and nothing is queued."""
    covered = pipeline.ingest_coverage(settings, WINDOW_END)
    assert covered.covered, covered.describe()

    later = OBSERVED_AT + timedelta(hours=1)
    lagging = pipeline.ingest_coverage(settings, later)
    assert not lagging.covered and "waiting for ingest" in lagging.describe()
    engine = pipeline.engine_for(settings.warehouse_url)
    with engine.begin() as conn:  # every source says its next poll is not due before `later`
        conn.execute(update(FeedHealthRow).values(next_poll_at=later + timedelta(minutes=5)))
    assert pipeline.ingest_coverage(settings, later).covered


def test_immediate_alert_goes_out_once_per_story(settings: Settings, sink: MailSink) -> None:
    """With immediate alerts on, each story above the threshold is mailed once, however often the task runs."""
    text = recipients_yaml(immediate={"enabled": True, "min_score": 0.9})
    now = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    first = pipeline.send_immediate_alerts(settings, now, pipeline_transport(sink), text)
    assert first["enabled"] and first["alerts"] >= 1 and first["sent"] >= first["alerts"]
    received = sink.messages()
    assert all(str(m["Subject"]).startswith("India–Italy defence alert: ") for m in received)
    again = pipeline.send_immediate_alerts(settings, now + timedelta(minutes=10), pipeline_transport(sink), text)
    assert again["sent"] == 0 and len(sink.messages()) == len(received)

    off = pipeline.send_immediate_alerts(settings, now, pipeline_transport(sink), recipients_yaml())
    assert off == {"enabled": False, "alerts": 0, "sent": 0}


def test_chart_png_is_deterministic_with_alt_text() -> None:
    """The same counts give the same PNG bytes; the alt text states the figures."""
    days = [(f"2026-02-{d:02d}", d % 3) for d in range(1, 29)]
    png = render_chart_png(days)
    assert png == render_chart_png(days) and png.startswith(b"\x89PNG")
    assert render_chart_png([*days[:-1], ("2026-02-28", 9)]) != png
    alt = chart_alt_text(days)
    assert alt.startswith("Bar chart of relevant stories per day, 2026-02-01 to 2026-02-28: 28 in 28 days")
    assert "1 on 2026-02-28" in alt


def test_topic_labels() -> None:
    assert topic_label("industrial-cooperation") == "Industrial cooperation"
    assert topic_label("") == "Other"


def pipeline_transport(sink: MailSink) -> SmtpTransport:
    return SmtpTransport(host="127.0.0.1", port=sink.port, timeout_s=10)

