"""`make bench-alerts`: milliseconds per mail on the alerts path, before issue #16 and now → var/bench/alerts.json.

Both sides run the real delivery (render, MIME, the ``alert_deliveries`` ledger on a SQLite warehouse)
against a real SMTP server on 127.0.0.1 (aiosmtpd, ``tests.support.mailsink``, in a process of its own),
plain and with STARTTLS (a self-signed certificate the client trusts through ``SSL_CERT_FILE``):

- ``before``: the delivery loop as it was (commit db430ae), reproduced here: a new Jinja environment
  (templates compiled again) for every mail, the chart drawn once per digest (so once per alert in an
  alerts cycle), a TLS context built for every mail even on plain SMTP, a new SMTP connection per mail;
- ``now``: :func:`newswatch.alerts.deliver.deliver_digest` as the DAGs call it (one environment per
  process, the chart drawn once per set of daily counts, a TLS context only for TLS and once, one SMTP
  connection per digest and per alerts cycle). Its process-wide caches are emptied before every timed
  run, so their one-time costs count, as in a task's fresh process.

Two workloads: an immediate-alerts cycle (``--alerts`` events × ``--alert-recipients``, all sharing the
day's counts, as ``send_immediate_alerts`` sends them) and a daily digest to ``--recipients``. The figure
is the median over ``--rounds`` runs of the wall time divided by the mails sent.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import smtplib
import ssl
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy.orm import Session

from benchmarks.common import machine, print_table, write_result
from newswatch.alerts import chart, render
from newswatch.alerts.deliver import (
    SmtpTransport,
    Transport,
    _ledger,
    already_sent,
    batch,
    build_message,
    deliver_digest,
    tls_context,
)
from newswatch.alerts.select import CHART_DAYS, IST, Digest, group_events, immediate_alerts
from newswatch.config import Recipient
from newswatch.warehouse.engine import create_schema, make_engine
from newswatch.warehouse.queries import StoryArticle
from tests.support.mailsink import self_signed_tls, smtp_server

MAIL_FROM = "newswatch@example.org"
UNTIL = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


# --- the workloads -----------------------------------------------------------------------------------------


def report(n: int, event: str, source: str = "ians") -> StoryArticle:
    when = UNTIL - timedelta(hours=2, minutes=n)
    return StoryArticle(
        id=n,
        source=source,
        source_title=source.upper(),
        url=f"https://{source}.example/news/{n}",
        title=f"Indian and Italian defence firms sign agreement number {n} in Rome",
        summary="Indian and Italian defence companies signed memoranda of understanding at a seminar in Rome.",
        published_at=when,
        first_seen_at=when,
        score=0.93,
        tags=["industrial-cooperation", "diplomacy"],
        evidence=[{"sentence": "Indian and Italian defence companies signed MoUs.", "terms": ["Indian", "Italian"]}],
        story_cluster_id=f"story-{n}",
        wire="IANS",
        dateline="Rome",
        event_id=event,
    )


def daily_counts() -> dict[str, int]:
    last = UNTIL.astimezone(IST).date()
    return {(last - timedelta(days=d)).isoformat(): (d * 7) % 5 for d in range(CHART_DAYS)}


def alerts_cycle(events: int) -> list[Digest]:
    """One cycle's immediate alerts: ``events`` events of two reports each, sharing the day's counts."""
    stories = group_events(
        [report(2 * e + k, f"e-{e:016x}", ("ians", "ansa")[k]) for e in range(events) for k in (0, 1)]
    )
    return immediate_alerts(stories, 0.9, UNTIL - timedelta(days=2), UNTIL, daily_counts())


def daily_digest(events: int = 8) -> Digest:
    stories = group_events([report(n, f"e-d{n:015x}") for n in range(events)])
    return Digest("digest", "28 Feb 2026", UNTIL - timedelta(days=1), UNTIL, tuple(stories), daily_counts())


def recipients(count: int) -> list[Recipient]:
    return [Recipient(f"analyst{n}@example.org", f"Analyst {n}") for n in range(count)]


# --- before: the delivery loop of db430ae ------------------------------------------------------------------


@dataclass(frozen=True)
class PerMailSmtp:
    """SmtpTransport.send as it was: a TLS context built and a connection opened for every mail."""

    host: str
    port: int
    starttls: bool = False
    timeout_s: float = 30.0
    channel: str = "smtp"

    def send(self, message: EmailMessage, recipient: str) -> None:
        context = ssl.create_default_context()
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls(context=context)
            smtp.send_message(message, to_addrs=[recipient])


@contextmanager
def as_before() -> Iterator[None]:
    """render_digest as it was: a new Jinja environment per call, the chart drawn whenever not given."""
    fresh_environment = render.environment.__wrapped__  # the function under its per-process cache
    with (
        mock.patch.object(render, "environment", fresh_environment),
        mock.patch.object(render, "chart_png_for", lambda days: chart.render_chart_png(list(days))),
    ):
        yield


def deliver_before(
    session: Session, digest: Digest, to: list[Recipient], transport: Transport, send_empty: bool
) -> int:
    """deliver_digest's loop as it was (the chart kept from the first copy of this digest); mails sent."""
    done = already_sent(session, digest.digest_id)
    chart_png: bytes | None = None
    sent = 0
    for recipient in to:
        if recipient.email.lower() in done:
            continue
        done.add(recipient.email.lower())
        personal = digest.for_recipient(recipient)
        if not personal.stories and not send_empty:
            continue
        rendered = render.render_digest(personal, chart_png=chart_png)
        chart_png = rendered.chart_png
        message = build_message(rendered, personal, recipient, MAIL_FROM)
        row: dict[str, object] = {
            "digest_id": digest.digest_id,
            "recipient": recipient.email,
            "article_ids": personal.article_ids,
            "status": "sending",
            "channel": transport.channel,
            "attempted_at": datetime.now(UTC),
            "sent_at": None,
            "message_id": message["Message-ID"],
            "error": None,
        }
        _ledger(session, row)
        transport.send(message, recipient.email)
        _ledger(session, {**row, "status": "sent", "sent_at": datetime.now(UTC)})
        sent += 1
    return sent


# --- measuring ---------------------------------------------------------------------------------------------


@dataclass
class Counts:
    charts: int = 0
    tls_contexts: int = 0


@contextmanager
def counting() -> Iterator[Counts]:
    """Counts charts drawn and TLS contexts built (each still runs the real function)."""
    counts = Counts()
    draw, build = chart.render_chart_png, ssl.create_default_context

    def drawing(days: list[tuple[str, int]]) -> bytes:
        counts.charts += 1
        return draw(days)

    def building(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        counts.tls_contexts += 1
        return build(*args, **kwargs)

    with (
        mock.patch.object(chart, "render_chart_png", drawing),
        mock.patch.object(ssl, "create_default_context", building),
    ):
        yield counts


def send_before(session: Session, digests: list[Digest], to: list[Recipient], port: int, starttls: bool) -> int:
    transport = PerMailSmtp("127.0.0.1", port, starttls=starttls)
    with as_before():
        return sum(deliver_before(session, d, to, transport, send_empty=False) for d in digests)


def send_now(session: Session, digests: list[Digest], to: list[Recipient], port: int, starttls: bool) -> int:
    """As send_immediate_alerts does (a digest is the one-item case): one batch for the whole set."""
    render.environment.cache_clear()  # a task's fresh process: every one-time cost counts
    chart.cached_chart_png.cache_clear()
    tls_context.cache_clear()
    transport = SmtpTransport("127.0.0.1", port, starttls=starttls, timeout_s=30)
    sent = 0
    with batch(transport) as sender:
        for digest in digests:
            delivered = deliver_digest(session, digest, to, sender, MAIL_FROM, send_empty=False)
            assert not delivered.failed, delivered.failed
            sent += len(delivered.sent)
    return sent


Sender = Callable[[Session, list[Digest], list[Recipient], int, bool], int]


class Server:
    """The SMTP server (aiosmtpd, STARTTLS offered) in a process of its own, as a real server would be:
    its work and its threads do not compete with the client's for this process's GIL."""

    def __init__(self, tls_folder: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=serve, args=(str(tls_folder), child), daemon=True)
        self._process.start()
        if not self._pipe.poll(60):
            raise RuntimeError("the SMTP server process did not start")
        self.port: int = self._pipe.recv()

    def counts(self) -> tuple[int, int]:
        """(connections opened, messages accepted) so far."""
        self._pipe.send("counts")
        connections, messages = self._pipe.recv()
        return connections, messages

    def close(self) -> None:
        self._pipe.send("stop")
        self._process.join(30)


def serve(tls_folder: str, pipe: Connection) -> None:
    """The server process: answers "counts" until told to stop."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(Path(tls_folder) / "smtp-cert.pem", Path(tls_folder) / "smtp-key.pem")
    handler = Accepting()
    with smtp_server(handler, starttls=context) as server:
        pipe.send(server.port)
        while pipe.recv() == "counts":
            pipe.send((server.connections, handler.messages))


def measure(
    side: Sender, session: Session, digests: list[Digest], to: list[Recipient], server: Server, starttls: bool, run: str
) -> tuple[float, int, int, Counts]:
    """One timed run under fresh digest ids: (ms per mail, mails, connections, counts)."""
    run = run.replace(" ", "").replace(",", "")[:20]  # unique per run: every run sends every mail
    renamed = [replace(d, digest_id=f"{d.digest_id[:40]}-{run}") for d in digests]
    connections, messages = server.counts()
    with counting() as counts:
        started = time.perf_counter()
        mails = side(session, renamed, to, server.port, starttls)
        elapsed = time.perf_counter() - started
    connections_after, messages_after = server.counts()
    assert mails == len(digests) * len(to) == messages_after - messages, "a mail was not sent"
    return 1000 * elapsed / mails, mails, connections_after - connections, counts


class Accepting:
    """aiosmtpd handler: accepts every message, keeps a count."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        return "250 OK"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=6, help="events alerted in the cycle")
    parser.add_argument("--alert-recipients", type=int, default=3)
    parser.add_argument("--recipients", type=int, default=20, help="recipients of the daily digest")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    workloads = {
        "alerts cycle": (alerts_cycle(args.alerts), recipients(args.alert_recipients)),
        "daily digest": ([daily_digest()], recipients(args.recipients)),
    }
    sides: dict[str, Sender] = {"before": send_before, "now": send_now}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-alerts-") as tmp:
        _server_tls, certificate = self_signed_tls(Path(tmp) / "tls")
        os.environ["SSL_CERT_FILE"] = str(certificate)  # what the client trusts, before and now
        engine = make_engine(f"sqlite:///{tmp}/warehouse.db")
        create_schema(engine)
        server = Server(Path(tmp) / "tls")
        with Session(engine) as session, closing(server):
            for name, (digests, to) in workloads.items():
                for mode, starttls in (("plain SMTP", False), ("STARTTLS", True)):
                    key = f"{name}, {mode}"
                    for side_name, side in sides.items():  # warm-up: imports, SQL compilation
                        measure(side, session, digests, to, server, starttls, f"w{side_name[0]}{key}")
                    runs: dict[str, list[tuple[float, int, int, Counts]]] = {s: [] for s in sides}
                    for round_ in range(args.rounds):
                        for side_name, side in sides.items():  # interleaved: the machine's noise hits both
                            tag = f"{side_name[0]}{round_}{key}"
                            runs[side_name].append(measure(side, session, digests, to, server, starttls, tag))
                    results[key] = {
                        side_name: {
                            "ms_per_mail": round(statistics.median(r[0] for r in measured), 2),
                            "mails": measured[0][1],
                            "connections": measured[0][2],
                            "charts_drawn": measured[0][3].charts,
                            "tls_contexts": measured[0][3].tls_contexts,
                        }
                        for side_name, measured in runs.items()
                    }
        engine.dispose()
    rows = []
    for key, result in results.items():
        before, now = result["before"], result["now"]
        result["speedup"] = round(before["ms_per_mail"] / now["ms_per_mail"], 1)
        rows.append(
            [
                key,
                now["mails"],
                before["ms_per_mail"],
                now["ms_per_mail"],
                f"×{result['speedup']}",
                f"{before['connections']} / {now['connections']}",
                f"{before['charts_drawn']} / {now['charts_drawn']}",
                f"{before['tls_contexts']} / {now['tls_contexts']}",
            ]
        )
    print_table(
        f"Alerts path, ms per mail (median of {args.rounds} runs; {machine()})",
        ["workload", "mails", "before ms/mail", "now ms/mail", "speed-up", "connections", "charts", "TLS contexts"],
        rows,
    )
    path = write_result("alerts", {"machine": machine(), "rounds": args.rounds, "results": results})
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
