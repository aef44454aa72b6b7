"""The digest says when its sources were down or late instead of implying a quiet day (issue #17).

Each enabled source's health over the window, judged from the poll history as of the window's close
(never the clock): down, late, never polled; the "Source status" notice at the top of both parts of every
copy; the empty digest's wording; the subject; escaping of the error text; and delivery, on both warehouse
backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newswatch.alerts.deliver import OutboxTransport, deliver_digest
from newswatch.alerts.health import SourceHealth, late_after, source_health
from newswatch.alerts.render import render_digest, sources_out
from newswatch.alerts.select import Digest, select_digest
from newswatch.config import Recipient
from newswatch.dedup import content_hash
from newswatch.records import Article, Evidence, Verdict
from newswatch.warehouse import load
from tests.support.feedpolls import polled_ok, record_poll

IST = ZoneInfo("Asia/Kolkata")
END = datetime(2026, 2, 28, 8, 0, tzinfo=IST).astimezone(UTC)  # 02:30 UTC, 03:30 CET
START = END - timedelta(days=1)
SOURCES = [
    {"name": "ians", "title": "IANS", "feed_url": "https://ians.example/rss"},
    {"name": "pib", "title": "Press Information Bureau", "feed_url": "https://pib.example/rss"},
    {"name": "difesa", "title": "Ministero della Difesa", "feed_url": "https://difesa.example/rss", "language": "it"},
]
NAMES = [s["name"] for s in SOURCES]
QUIET = "Nothing new on India–Italy defence"


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    """A session on an empty warehouse of each backend with the three sources, enabled."""
    with Session(migrated_engine) as session:
        load.upsert_sources(session, SOURCES)
        session.commit()
        yield session


def store_story(session: Session, source: str = "ians", language: str = "en") -> None:
    """One relevant article of ``source`` in the window."""
    text = f"Indian and Italian defence firms signed five MoUs in Rome ({source})."
    url = f"https://{source}.example/mous"
    verdict = Verdict(True, 0.9, ("industrial-cooperation",), (Evidence(text, ("Indian", "Italian")),), language)
    published = START + timedelta(hours=6)
    load.upsert_articles(
        session,
        [
            Article(
                source=source,
                url=url,
                canonical_url=url,
                title=f"Indian, Italian firms sign MoUs ({source})",
                text=text,
                summary=text,
                language=language,
                published_at=published,
                published_from="meta",
                first_seen_at=published,
                fetched_at=published,
                content_hash=content_hash(text),
                story_cluster_id=f"k-{source}",
                verdict=verdict,
            )
        ],
    )


def digest_of(session: Session) -> Digest:
    session.commit()
    return select_digest(session, START, END)


# --- all down, one late, all healthy --------------------------------------------------------------------


def test_all_sources_down_is_no_quiet_day(session: Session) -> None:
    """Every source failing since before the window: the empty digest does not say "Nothing new"; both
    parts list each source, since when (IST and Rome) and its last error; the subject says so."""
    errors = {"ians": "HTTP 503", "pib": "timed out after 30 s", "difesa": "TLS handshake failed"}
    for name in NAMES:
        record_poll(session, name, END - timedelta(hours=30))
        for hours in (20, 10, 1):
            record_poll(session, name, END - timedelta(hours=hours), "failed", error=errors[name])
    rendered = render_digest(digest_of(session))

    assert rendered.subject == "India–Italy defence: 0 events (3 sources down) — 28 Feb 2026"
    since = "27 Feb 2026 12:00 IST · 07:30 CET Rome"  # END − 20 h: the first failure after the last success
    for part in (rendered.text, rendered.html):
        assert QUIET not in part
        assert (
            "No India–Italy defence stories in this window — but 3 of 3 sources were down or late, "
            "so this may be incomplete." in part
        )
        assert "Source status" in part and "3 of 3 sources were down or late, so this digest may be incomplete." in part
        assert part.count(f"down since {since} (3 failed polls in a row)") == 3
    assert "\n  - IANS: down since " in rendered.text and "\n    Last error: HTTP 503\n" in rendered.text
    assert "  - Ministero della Difesa: down since " in rendered.text
    assert "Last error: timed out after 30 s" in rendered.html
    # At the top: above the chart in HTML, right under the window's line in text.
    assert rendered.html.index("Source status") < rendered.html.index("<img")
    assert rendered.text.splitlines()[3].startswith("Source status: ")


def test_one_source_late(session: Session) -> None:
    """A source with no successful poll for longer than max(3 × its interval, 6 h) before the window's end
    is late; a quiet feed polled daily is not, 30 h after its last poll; the stories are listed as usual,
    under the notice."""
    record_poll(session, "ians", END - timedelta(minutes=40), interval_minutes=30)
    record_poll(session, "pib", END - timedelta(hours=7), interval_minutes=60)  # limit: 6 h
    record_poll(session, "difesa", END - timedelta(hours=30), "not_modified", interval_minutes=1440)  # 72 h
    store_story(session)
    digest = digest_of(session)
    assert digest.source_problems == (
        SourceHealth("pib", "Press Information Bureau", "late", since=END - timedelta(hours=7)),
    )
    rendered = render_digest(digest)
    assert rendered.subject == "India–Italy defence: 1 event (1 source late) — 28 Feb 2026"
    line = "Press Information Bureau: late, no successful poll since 28 Feb 2026 01:00 IST · 20:30 CET Rome"
    assert f"\n  - {line}\n" in rendered.text
    assert "1 of 3 sources was down or late, so this digest may be incomplete." in rendered.text
    assert rendered.text.index("Source status") < rendered.text.index("\n* Indian, Italian firms sign MoUs")
    assert "<strong>Press Information Bureau</strong>: late, no successful poll since 28 Feb 2026" in rendered.html
    assert "No India–Italy defence stories" not in rendered.text and QUIET not in rendered.text


def test_all_sources_healthy_keeps_the_quiet_day(session: Session) -> None:
    """Every source read just before the window's end and nothing relevant: the quiet-day note, the plain
    subject, no notice."""
    polled_ok(session, NAMES, END - timedelta(minutes=20))
    digest = digest_of(session)
    assert digest.sources_watched == 3 and digest.source_problems == () and not digest.incomplete
    rendered = render_digest(digest)
    assert rendered.subject == "India–Italy defence: 0 events — 28 Feb 2026"
    for part in (rendered.text, rendered.html):
        assert f"{QUIET} in this window." in part
        assert "Source status" not in part and "may be incomplete" not in part


# --- the window's close ----------------------------------------------------------------------------------


def test_health_is_judged_at_the_windows_closing_poll(session: Session) -> None:
    """A source's closing poll is its first at or after the window's end (what wait_for_ingest waits for),
    else its latest before it; later polls change nothing, so a re-run says the same."""
    more = ["blip", "recovered", "stalled", "lapsed", "fresh", "new-failing", "closing-failed", "never", "off"]
    load.upsert_sources(
        session,
        [
            {"name": n, "title": n.capitalize(), "feed_url": f"https://{n}.example/rss", "enabled": n != "off"}
            for n in more
        ],
    )
    polled_ok(session, NAMES, END - timedelta(minutes=10))
    after = END + timedelta(days=2)  # polls after the closing ones: they must not count
    # Failed just before the end, read again just after: nothing was lost.
    record_poll(session, "blip", END - timedelta(hours=2))
    record_poll(session, "blip", END - timedelta(hours=1), "failed", error="HTTP 502")
    record_poll(session, "blip", END + timedelta(minutes=5))
    # Down for 20 h over the window, read again after it: what dropped off the feed meanwhile is lost.
    record_poll(session, "recovered", END - timedelta(hours=30))
    record_poll(session, "recovered", END - timedelta(hours=20), "failed", error="HTTP 500")
    record_poll(session, "recovered", END - timedelta(hours=10), "failed", error="connection refused")
    record_poll(session, "recovered", END + timedelta(minutes=10))
    record_poll(session, "recovered", after, "failed", error="later")
    # Not polled at all for 32 h (ingest stopped), then read again.
    record_poll(session, "stalled", END - timedelta(hours=30), interval_minutes=30)
    record_poll(session, "stalled", END + timedelta(hours=2))
    # Not polled for 29 h, then failing once, then read: late (from the last success), with that error.
    record_poll(session, "lapsed", END - timedelta(hours=30))
    record_poll(session, "lapsed", END - timedelta(hours=1), "failed", error="HTTP 429")
    record_poll(session, "lapsed", END + timedelta(minutes=5))
    # First polled after the window (a new source, a backfill): its first poll read the feed whole.
    record_poll(session, "fresh", END + timedelta(days=3))
    record_poll(session, "new-failing", END + timedelta(days=1), "failed", error="HTTP 404")
    record_poll(session, "new-failing", after)
    # Read 10 min before the end, failing at the poll that closes the window.
    record_poll(session, "closing-failed", END - timedelta(minutes=10))
    record_poll(session, "closing-failed", END + timedelta(minutes=5), "failed", error="HTTP 503")
    record_poll(session, "off", END - timedelta(hours=1), "failed", error="disabled, not watched")
    session.commit()

    health = source_health(session, END)
    assert health.watched == 3 + len(more) - 1
    assert list(health.problems) == [
        SourceHealth("closing-failed", "Closing-failed", "down", END + timedelta(minutes=5), None, 1, "HTTP 503"),
        SourceHealth("new-failing", "New-failing", "down", END + timedelta(days=1), None, 1, "HTTP 404"),
        SourceHealth(
            "recovered",
            "Recovered",
            "down",
            END - timedelta(hours=20),
            END + timedelta(minutes=10),
            2,
            "connection refused",
        ),
        SourceHealth("lapsed", "Lapsed", "late", END - timedelta(hours=30), END + timedelta(minutes=5), 1, "HTTP 429"),
        SourceHealth("never", "Never", "late", None),
        SourceHealth("stalled", "Stalled", "late", END - timedelta(hours=30), END + timedelta(hours=2)),
    ]
    assert source_health(session, END) == health
    described = {h.source: h.describe() for h in health.problems}
    assert described["never"] == "never polled"
    assert described["recovered"] == (
        "down from 27 Feb 2026 12:00 IST · 07:30 CET Rome until 28 Feb 2026 08:10 IST · 03:40 CET Rome (2 failed polls)"
    )
    assert described["stalled"] == (
        "late, no successful poll from 27 Feb 2026 02:00 IST · 21:30 CET Rome "
        "until 28 Feb 2026 10:00 IST · 05:30 CET Rome"
    )


def test_late_limit_is_three_intervals_and_at_least_six_hours() -> None:
    assert late_after(10) == late_after(None) == late_after(120) == timedelta(hours=6)
    assert late_after(180) == timedelta(hours=9)
    assert late_after(1440) == timedelta(hours=72)


# --- rendering ----------------------------------------------------------------------------------------------


def test_error_text_is_escaped_and_cut_short(session: Session) -> None:
    """The error comes from a server or a feed: escaped in HTML, one line of at most 120 characters."""
    hostile = '<script>alert("x")</script> HTTP 500 <img src=x onerror=alert(1)>'
    record_poll(session, "ians", END - timedelta(hours=1), "failed", error=hostile)
    record_poll(session, "pib", END - timedelta(hours=1), "failed", error="x" * 300 + "\nTraceback …")
    polled_ok(session, ["difesa"], END - timedelta(hours=1))
    rendered = render_digest(digest_of(session))
    assert "<script>" not in rendered.html and "<img src=x" not in rendered.html
    assert "Last error: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; HTTP 500 &lt;img src=x" in rendered.html
    assert f"    Last error: {hostile}\n" in rendered.text
    assert f"    Last error: {'x' * 119}…\n" in rendered.text and "Traceback" not in rendered.text
    assert rendered.subject == "India–Italy defence: 0 events (2 sources down) — 28 Feb 2026"


def test_subject_counts_sources_down_and_late() -> None:
    assert sources_out(0, 0) == ""
    assert sources_out(1, 0) == "1 source down" and sources_out(3, 0) == "3 sources down"
    assert sources_out(0, 1) == "1 source late" and sources_out(0, 2) == "2 sources late"
    assert sources_out(1, 2) == "1 source down, 2 late"


# --- delivery -----------------------------------------------------------------------------------------------


def test_every_recipient_gets_the_notice_once_even_on_skipped_empty_days(session: Session, tmp_path: Path) -> None:
    """The notice is in every copy, whatever the recipient's filters; empty_day: skip spares a quiet day's
    mail but not a blind day's; a re-run sends nothing again."""
    record_poll(session, "ians", END - timedelta(hours=2), "failed", error="HTTP 503")
    polled_ok(session, ["pib", "difesa"], END - timedelta(minutes=15))
    store_story(session, "pib")
    digest = digest_of(session)
    recipients = [
        Recipient("analysts@example.org"),
        Recipient("rome@example.org", languages=("it",)),
        Recipient("strict@example.org", min_score=0.95),
    ]
    outbox = OutboxTransport(tmp_path / "outbox")
    report = deliver_digest(session, digest, recipients, outbox, "newswatch@example.org", send_empty=False)
    assert sorted(report.sent) == sorted(r.email for r in recipients) and not report.failed
    for recipient in recipients:
        stem = f"{digest.digest_id}__{recipient.email.replace('@', '-').replace('.', '-')}"
        html = (outbox.folder / f"{stem}.html").read_text(encoding="utf-8")
        assert "<strong>IANS</strong>: down since 28 Feb 2026 06:00 IST · 01:30 CET Rome" in html, recipient
    for stem, subject in (("analysts-example-org", "1 event"), ("rome-example-org", "0 events")):
        eml = (outbox.folder / f"{digest.digest_id}__{stem}.eml").read_bytes()
        message = message_from_bytes(eml, policy=policy.default)
        assert message["Subject"] == f"India–Italy defence: {subject} (1 source down) — 28 Feb 2026"
    again = deliver_digest(session, digest, recipients, outbox, "newswatch@example.org", send_empty=False)
    assert again.sent == [] and sorted(again.skipped) == sorted(r.email for r in recipients)

    # The same day with every source read: the empty copies are skipped again, as empty_day: skip says.
    quiet = Digest(digest.digest_id + "-quiet", digest.day, START, END, digest.stories, sources_watched=3)
    skipped = deliver_digest(session, quiet, recipients, outbox, "newswatch@example.org", send_empty=False)
    assert skipped.sent == ["analysts@example.org"]
    assert sorted(skipped.skipped) == ["rome@example.org", "strict@example.org"]
