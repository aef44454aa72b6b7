"""The daily digest from a warehouse the real pipeline filled from the fixture site: delivered over a
real SMTP server, previewed by the CLI, filtered per recipient, explained by the tagger's features,
with the optional near-miss section, waiting for ingest, and the optional immediate alert. Rendering in
a browser is in test_digest_render.py; what a digest says of its sources' health, in
test_digest_sources.py."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import ColumnElement, func, select, update

from newswatch.alerts import chart
from newswatch.alerts.chart import chart_alt_text, render_chart_png
from newswatch.alerts.deliver import SmtpTransport
from newswatch.alerts.select import topic_label
from newswatch.alerts.send import AlertsReport, ingest_coverage, send_digest, send_immediate_alerts
from newswatch.cli import digest_window, main
from newswatch.config import Settings
from newswatch.warehouse.schema import AlertDeliveryRow, ArticleRow, FeedHealthRow, SourceRow
from newswatch.warehouse.session import engine_for, warehouse
from tests.support.feedpolls import polled_ok
from tests.support.fixturesite import EXPECTED, digest_subject
from tests.support.fixturesite import INGESTED_AT as OBSERVED_AT
from tests.support.mailsink import MailSink

RELEVANT = [e for e in EXPECTED if e["relevant"]]
WINDOW_START, WINDOW_END = digest_window(datetime(2026, 2, 28).date())
# The fixture's 404 feed, as each digest of a window before the ingest reports it: its poll closing the
# window (the first after it) is the ingest's, which failed.
MISSING_TITLE = "<strong>Missing feed (HTTP 404)</strong>: down since 01 Mar 2026 11:30 IST · 07:00 CET Rome"
MISSING_DOWN = (
    "Source status: 1 of 8 sources was down or late, so this digest may be incomplete.\n"
    "  - Missing feed (HTTP 404): down since 01 Mar 2026 11:30 IST · 07:00 CET Rome (1 failed poll in a row)\n"
    "    Last error: HTTP 404\n"
)


@pytest.fixture
def settings(ingested_copy: Settings) -> Settings:
    """Settings on the loaded warehouse, with this test's own copy of it, outbox and recipients."""
    return ingested_copy


def recipients_yaml(more_groups: dict[str, Any] | None = None, **extra: object) -> str:
    config: dict[str, object] = {
        "groups": {
            "analysts": {"members": [{"email": "analysts@example.org", "name": "Analysts"}]},
            "rome": {"languages": ["it"], "members": ["rome@example.org"]},
            "naval": {"topics": ["naval"], "min_score": 0.5, "members": ["naval@example.org"]},
            **(more_groups or {}),
        }
    }
    config.update(extra)
    return yaml.safe_dump(config)


# Stored contributions as the tagger writes them (articles.contributions), strongest first; the fourth
# feature for and the third against are weaker than what an entry shows.
EXPLANATION = [
    {
        "feature": "bilateral_defence_sentences",
        "description": "sentences naming India, Italy and a defence matter",
        "value": 2.0,
        "weight": 3.1,
    },
    {
        "feature": "headline_both_sides",
        "description": "the headline names India and Italy",
        "value": 1.0,
        "weight": 1.2,
    },
    {"feature": "defence_terms", "description": "defence terms <in the text>", "value": 5.0, "weight": 0.7},
    {"feature": "third_countries", "description": "third countries named", "value": 1.0, "weight": -0.8},
    {
        "feature": "many_countries",
        "description": "India and Italy in a list of many countries",
        "value": 1.0,
        "weight": -0.3,
    },
    {"feature": "organisations", "description": "defence organisations named", "value": 1.0, "weight": 0.2},
    {"feature": "sport_context", "description": "a sport story", "value": 0.0, "weight": -0.1},
]
WEIGHED_FOR = (
    "Weighed for: sentences naming India, Italy and a defence matter (+3.1); "
    "the headline names India and Italy (+1.2); defence terms <in the text> (+0.7)"
)
WEIGHED_AGAINST = "Weighed against: third countries named (−0.8); India and Italy in a list of many countries (−0.3)"


def store_contributions(settings: Settings, where: ColumnElement[bool], contributions: list[dict[str, Any]]) -> None:
    """Give the articles matching ``where`` these stored contributions (whatever the tagger wrote)."""
    with engine_for(settings.warehouse_url).begin() as conn:
        conn.execute(update(ArticleRow).where(where).values(contributions=contributions))


def make_near_miss(settings: Settings, language: str, score: float) -> ArticleRow:
    """Turn one irrelevant article of the window, in ``language`` and in a story with no relevant
    article, into a near miss: scored ``score`` (in the taxonomy's band) with stored contributions."""
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    relevant_stories = select(ArticleRow.story_cluster_id).where(ArticleRow.relevant.is_(True))
    with warehouse(settings) as session:
        article = session.scalars(
            select(ArticleRow)
            .where(
                ArticleRow.relevant.is_(False),
                ArticleRow.language == language,
                when >= WINDOW_START,
                when < WINDOW_END,
                ArticleRow.story_cluster_id.not_in(relevant_stories),
            )
            .order_by(ArticleRow.id)
            .limit(1)
        ).one()
        article.score = score
        article.contributions = EXPLANATION[3:5] + EXPLANATION[:1]
        session.flush()
        session.expunge(article)
    return article


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


@dataclass(frozen=True)
class Report:
    story: str
    source: str
    language: str
    title: str


def stored_events(settings: Settings) -> dict[str, list[Report]]:
    """The window's relevant articles by the event the pipeline stored for them (an article without
    one is its own story's event): what the digest must show one entry each for. Whether the pipeline
    groups the right stories into events is tested with the events themselves, not here."""
    when = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    event = func.coalesce(ArticleRow.event_id, ArticleRow.story_cluster_id)
    events: dict[str, list[Report]] = {}
    with warehouse(settings) as session:
        rows = session.execute(
            select(event, ArticleRow.story_cluster_id, ArticleRow.source, ArticleRow.language, ArticleRow.title).where(
                ArticleRow.relevant.is_(True), when >= WINDOW_START, when < WINDOW_END
            )
        )
        for event_id, story, source, language, title in rows:
            events.setdefault(event_id, []).append(Report(story, source, language, title))
    assert sum(len(r) for r in events.values()) == len(RELEVANT), "every relevant fixture page is in the window"
    return events


def test_digest_over_smtp_one_entry_per_event_grouped_by_topic(settings: Settings, sink: MailSink) -> None:
    """Every relevant fixture event appears once, under a topic heading, with each outlet's report."""
    transport = pipeline_transport(sink)
    report = send_digest(settings, WINDOW_START, WINDOW_END, transport, recipients_yaml())
    assert sorted(report.sent) == ["analysts@example.org", "naval@example.org", "rome@example.org"]
    mails = by_recipient(sink.messages())
    analysts = mails["analysts@example.org"]
    events = stored_events(settings)
    assert analysts["Subject"] == digest_subject(len(events))  # the fixture's 404 feed: a source down
    text = body(analysts, "plain")
    html = body(analysts, "html")
    # The source down, at the top of every copy, whatever the recipient's filters.
    for mail in mails.values():
        assert MISSING_DOWN in body(mail, "plain") and MISSING_TITLE in body(mail, "html")
    assert text.index("Source status: ") < text.index("\n== ")

    # One entry per event: one of its headlines is listed once, then "Reported by N outlets" and a line
    # per report (a syndicated story's copies each under their outlet).
    entries = re.findall(r"^\* (.+)$", text, flags=re.MULTILINE)
    assert len(entries) == len(events)
    for event, reports in events.items():
        assert sum(entry in {r.title for r in reports} for entry in entries) == 1, event
    outlets = sorted(int(n) for n in re.findall(r"^  Reported by (\d+) outlets?:$", text, flags=re.MULTILINE))
    assert outlets == sorted(len({r.source for r in reports}) for reports in events.values())
    listed = re.findall(r"^  - .+ \((EN|IT)\) <https?://.+>$", text, flags=re.MULTILINE)
    assert len(listed) == sum(len({(r.story, r.source) for r in reports}) for reports in events.values())
    assert sorted(listed) == sorted(
        language.upper()
        for reports in events.values()
        for language in {(r.story, r.source): r.language for r in reports}.values()
    )
    assert html.count("Reported by ") == len(events)
    # Grouped by topic: each section heading is a topic and each section's entries sit under it.
    headings = re.findall(r"^== (.+) \((\d+)\) ==$", text, flags=re.MULTILINE)
    assert sum(int(n) for _h, n in headings) == len(events)
    assert len({h for h, _n in headings}) == len(headings), "a topic heads one section only"
    assert all(h in html for h, _n in headings)
    # Times in IST and Rome time, evidence, and the chart's numbers in the text part.
    assert re.search(r"\d{2} Feb 2026 \d{2}:\d{2} IST · \d{2}:\d{2} CET Rome", text)
    assert text.count("  Why: ") >= len(events), "every entry says why it matched"
    assert "Relevant events per day, last 30 days (IST):" in text
    assert "2026-02-28: " in text and "(today)" in text


def test_recipient_filters_language_topic_and_score(settings: Settings, sink: MailSink) -> None:
    """The Rome desk gets only the events reported in Italian, led by the Italian report; the naval desk only
    naval ones."""
    send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), recipients_yaml())
    mails = by_recipient(sink.messages())
    rome_text = body(mails["rome@example.org"], "plain")
    events = stored_events(settings)
    italian = {event: reports for event, reports in events.items() if any(r.language == "it" for r in reports)}
    assert italian, "the fixture site has relevant Italian pages"
    assert mails["rome@example.org"]["Subject"].startswith(f"India–Italy defence: {len(italian)} events")
    entries = re.findall(r"^\* (.+)$", rome_text, flags=re.MULTILINE)
    assert len(entries) == len(italian)
    for reports in italian.values():  # each headed by an Italian report, the others listed under it
        assert sum(entry in {r.title for r in reports if r.language == "it"} for entry in entries) == 1
        assert f"  Reported by {len({r.source for r in reports})} outlet" in rome_text
    english_only = [r for event, reports in events.items() if event not in italian for r in reports]
    assert english_only and all(r.title not in rome_text for r in english_only)

    naval_text = body(mails["naval@example.org"], "plain")
    naval_topics = re.findall(r"^  Topics: (.+) · relevance (\S+)$", naval_text, flags=re.MULTILINE)
    assert naval_topics, "the fixture site has naval stories"
    assert all("naval" in topics.split(", ") and float(score) >= 0.5 for topics, score in naval_topics)


def test_why_it_matched_names_the_features_for_and_against(
    settings: Settings, sink: MailSink, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each entry keeps its deciding sentences and adds the lead's top three features for and top two
    against, with signed weights, in both parts (escaped in HTML) and in `newswatch digest`."""
    store_contributions(settings, ArticleRow.relevant.is_(True), EXPLANATION)
    send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), recipients_yaml())
    mail = by_recipient(sink.messages())["analysts@example.org"]
    text, html = body(mail, "plain"), body(mail, "html")
    stories = len(re.findall(r"^\* ", text, flags=re.MULTILINE))
    assert stories >= 1, "the fixture window has stories"
    assert text.count("  Why: ") >= stories, "the deciding sentences stay"
    assert text.count(f"\n  {WEIGHED_FOR}\n  {WEIGHED_AGAINST}\n") == stories
    assert "defence organisations named" not in text and "a sport story" not in text
    assert html.count("Weighed for:") == html.count("Weighed against:") == stories
    assert html.count("defence terms &lt;in the text&gt; <span") == stories and "<in the text>" not in html
    assert html.count("(+3.1)</span>") == html.count("(−0.8)</span>") == stories

    out = io.StringIO()
    assert main(["digest", "--date", "2026-02-28"], out=out) == 0
    assert out.getvalue().rstrip("\n") == f"Subject: {mail['Subject']}\n\n{text}".rstrip("\n")


REVIEWERS = {
    # A strict filter for its stories, which near misses ignore: they score under it and have no topics.
    "review": {"near_misses": True, "min_score": 0.9, "topics": ["naval"], "members": ["review@example.org"]},
    "rome-review": {"near_misses": True, "languages": ["it"], "members": ["rome-review@example.org"]},
}


def test_possibly_relevant_section_only_for_groups_that_ask(settings: Settings, sink: MailSink) -> None:
    """A group with near_misses: true gets a collapsed section of the window's near misses, in its
    languages, each with link, source, score and features; other groups' mails have none of it; the
    ledger still records one delivery per recipient, of the digest's stories only."""
    english = make_near_miss(settings, "en", 0.33)
    italian = make_near_miss(settings, "it", 0.27)
    text = recipients_yaml(REVIEWERS)
    report = send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), text)
    assert len(report.sent) == 5 and report.failed == {}
    mails = by_recipient(sink.messages())

    for plain in ("analysts@example.org", "rome@example.org", "naval@example.org"):
        assert "Possibly relevant" not in body(mails[plain], "plain"), plain
        assert "<details" not in body(mails[plain], "html"), plain

    review_text, review_html = body(mails["review@example.org"], "plain"), body(mails["review@example.org"], "html")
    heading = re.search(r"^== Possibly relevant: (\d+) near miss(?:es)? ==$", review_text, flags=re.MULTILINE)
    assert heading, "the text part lists the near misses under a heading"
    section = review_text[heading.start() : review_text.index("Relevant events per day")]
    assert f"\n- {english.title}\n" in section and f"\n- {italian.title}\n" in section
    assert f"  {english.url}\n" in section and "· relevance 0.33\n" in section and "· relevance 0.27\n" in section
    assert "  Weighed for: sentences naming India, Italy and a defence matter (+3.1)\n" in section
    assert f"  {WEIGHED_AGAINST}\n" in section
    assert section.index(english.title) < section.index(italian.title), "best score first"
    assert review_html.count("<details") == 1 and "<details open" not in review_html
    details = review_html[review_html.index("<details") : review_html.index("</details>")]
    assert f"Possibly relevant ({heading.group(1)})</summary>" in details
    assert f'<a href="{english.url}"' in details and "relevance 0.33" in details

    rome_section = body(mails["rome-review@example.org"], "plain").partition("== Possibly relevant")[2]
    assert f"- {italian.title}\n" in rome_section and english.title not in rome_section

    with warehouse(settings) as session:
        ledger = {r.recipient: r.article_ids for r in session.scalars(select(AlertDeliveryRow))}
    assert english.id not in ledger["review@example.org"] and italian.id not in ledger["rome-review@example.org"]
    again = send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), text)
    assert again.sent == [] and len(sink.messages()) == 5


def test_cli_digest_shows_a_near_miss_groups_copy(
    settings: Settings, sink: MailSink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newswatch digest --recipient` prints that recipient's mail, near-miss section included."""
    near = make_near_miss(settings, "en", 0.33)
    recipients = tmp_path / "recipients.yaml"
    recipients.write_text(recipients_yaml(REVIEWERS), encoding="utf-8")
    monkeypatch.setenv("NEWSWATCH_RECIPIENTS", str(recipients))
    out = io.StringIO()
    assert main(["digest", "--date", "2026-02-28", "--recipient", "review@example.org"], out=out) == 0
    assert f"\n- {near.title}\n" in out.getvalue()
    text = recipients.read_text(encoding="utf-8")
    send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), text)
    mail = by_recipient(sink.messages())["review@example.org"]
    assert out.getvalue().rstrip("\n") == f"Subject: {mail['Subject']}\n\n{body(mail, 'plain')}".rstrip("\n")


def test_script_in_a_headline_is_escaped_in_the_mail(settings: Settings, sink: MailSink) -> None:
    """A feed-supplied headline with markup arrives as text: escaped in HTML, verbatim in the plain part."""
    hostile = 'Rome talks <script>alert("x")</script> <img src=x onerror=alert(1)>'
    engine = engine_for(settings.warehouse_url)
    with engine.begin() as conn:
        conn.execute(update(ArticleRow).where(ArticleRow.relevant.is_(True)).values(title=hostile))
    send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink), recipients_yaml())
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
    with warehouse(settings) as session:
        assert session.scalar(select(func.count()).select_from(AlertDeliveryRow)) == 0

    send_digest(settings, WINDOW_START, WINDOW_END, pipeline_transport(sink))
    mail = by_recipient(sink.messages())["analysts@example.org"]
    sent_text = body(mail, "plain")
    assert printed.rstrip("\n") == f"Subject: {mail['Subject']}\n\n{sent_text}".rstrip("\n")


def every_source_read_at(settings: Settings, window_end: datetime) -> None:
    """Successful polls of every enabled source 10 minutes before ``window_end`` and 5 minutes after it
    (the poll that closes that window): its digest vouches for every source (the fixture ingest's own
    polls come weeks later)."""
    with warehouse(settings) as session:
        names = session.scalars(select(SourceRow.name).where(SourceRow.enabled.is_(True))).all()
        polled_ok(session, names, window_end - timedelta(minutes=10))
        polled_ok(session, names, window_end + timedelta(minutes=5))


def test_empty_day_note_or_skip(settings: Settings, sink: MailSink) -> None:
    """A day without stories, every source read, sends a short "nothing new" note, or nothing with
    empty_day: skip."""
    quiet_start, quiet_end = digest_window(datetime(2026, 1, 15).date())
    every_source_read_at(settings, quiet_end)
    report = send_digest(settings, quiet_start, quiet_end, pipeline_transport(sink), recipients_yaml())
    assert len(report.sent) == 3
    note = by_recipient(sink.messages())["analysts@example.org"]
    assert note["Subject"] == "India–Italy defence: 0 events — 15 Jan 2026"
    assert "Nothing new on India–Italy defence" in body(note, "plain")
    assert "Source status" not in body(note, "plain") and "Source status" not in body(note, "html")

    skip_start, skip_end = digest_window(datetime(2026, 1, 16).date())
    every_source_read_at(settings, skip_end)
    skipped = send_digest(settings, skip_start, skip_end, pipeline_transport(sink), recipients_yaml(empty_day="skip"))
    assert skipped.sent == [] and len(skipped.skipped) == 3
    assert len(sink.messages()) == 3


def test_a_day_with_a_source_down_is_not_a_quiet_day(settings: Settings, sink: MailSink) -> None:
    """No stories while the fixture's 404 feed was down: no "Nothing new" in any copy but "may be
    incomplete", the source and since when at the top, the subject marked; empty_day: skip still sends it,
    once."""
    start, end = digest_window(datetime(2026, 1, 15).date())
    text = recipients_yaml(empty_day="skip")
    report = send_digest(settings, start, end, pipeline_transport(sink), text)
    assert len(report.sent) == 3
    for mail in sink.messages():
        assert mail["Subject"] == "India–Italy defence: 0 events (1 source down) — 15 Jan 2026"
        plain, html = body(mail, "plain"), body(mail, "html")
        for part in (plain, html):
            assert "Nothing new" not in part
            assert (
                "No India–Italy defence stories in this window — but 1 of 8 sources was down or late, "
                "so this may be incomplete." in part
            )
        assert MISSING_DOWN in plain and MISSING_TITLE in html
    again = send_digest(settings, start, end, pipeline_transport(sink), text)
    assert again.sent == [] and len(sink.messages()) == 3


def test_ingest_coverage_waits_for_sources_and_backlog(settings: Settings) -> None:
    """The digest waits until each source was polled after the window (or was not due) and nothing is queued."""
    covered = ingest_coverage(settings, WINDOW_END)
    assert covered.covered, covered.describe()

    later = OBSERVED_AT + timedelta(hours=1)
    lagging = ingest_coverage(settings, later)
    assert not lagging.covered and "waiting for ingest" in lagging.describe()
    engine = engine_for(settings.warehouse_url)
    with engine.begin() as conn:  # every source says its next poll is not due before `later`
        conn.execute(update(FeedHealthRow).values(next_poll_at=later + timedelta(minutes=5)))
    assert ingest_coverage(settings, later).covered


def test_immediate_alert_goes_out_once_per_story(settings: Settings, sink: MailSink) -> None:
    """With immediate alerts on, each story above the threshold is mailed once, however often the task runs."""
    text = recipients_yaml(immediate={"enabled": True, "min_score": 0.9})
    now = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    first = send_immediate_alerts(settings, now, pipeline_transport(sink), text)
    assert first.enabled and first.alerts >= 1 and first.sent >= first.alerts and not first.failed
    received = sink.messages()
    assert all(str(m["Subject"]).startswith("India–Italy defence alert: ") for m in received)
    again = send_immediate_alerts(settings, now + timedelta(minutes=10), pipeline_transport(sink), text)
    assert again.sent == 0 and len(sink.messages()) == len(received)

    off = send_immediate_alerts(settings, now, pipeline_transport(sink), recipients_yaml())
    assert off == AlertsReport(enabled=False)
    assert off.as_dict() == {"enabled": False, "alerts": 0, "sent": 0}  # the alerts DAG's XCom value


def test_immediate_alerts_of_a_cycle_share_one_chart_and_one_connection(
    settings: Settings, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All the alerts of one cycle carry the same daily counts: the chart is drawn once for them all
    (counted by a spy that runs the real drawing), and every alert mail of the cycle goes over one SMTP
    connection."""
    drawn: list[object] = []

    def drawing(days: list[tuple[str, int]]) -> bytes:
        drawn.append(days)
        return real_drawing(days)

    real_drawing = chart.render_chart_png
    monkeypatch.setattr(chart, "render_chart_png", drawing)
    chart.cached_chart_png.cache_clear()
    text = recipients_yaml(immediate={"enabled": True, "min_score": 0.5})
    report = send_immediate_alerts(settings, datetime(2026, 2, 28, 12, 0, tzinfo=UTC), pipeline_transport(sink), text)
    assert report.alerts >= 2 and report.sent >= report.alerts and not report.failed, report
    assert len(sink.messages()) == report.sent
    assert (
        len(
            {part.get_content() for m in sink.messages() for part in m.walk() if part.get_content_maintype() == "image"}
        )
        == 1
    )
    assert len(drawn) == 1, f"the chart was drawn {len(drawn)} times for {report.alerts} alerts"
    assert sink.connections == 1


def test_chart_png_is_deterministic_with_alt_text() -> None:
    """The same counts give the same PNG bytes; the alt text states the figures."""
    days = [(f"2026-02-{d:02d}", d % 3) for d in range(1, 29)]
    png = render_chart_png(days)
    assert png == render_chart_png(days) and png.startswith(b"\x89PNG")
    assert render_chart_png([*days[:-1], ("2026-02-28", 9)]) != png
    alt = chart_alt_text(days)
    assert alt.startswith("Bar chart of relevant events per day, 2026-02-01 to 2026-02-28: 28 in 28 days")
    assert "1 on 2026-02-28" in alt


def test_topic_labels() -> None:
    assert topic_label("industrial-cooperation") == "Industrial cooperation"
    assert topic_label("") == "Other"


def pipeline_transport(sink: MailSink) -> SmtpTransport:
    return SmtpTransport(host="127.0.0.1", port=sink.port, timeout_s=10)
