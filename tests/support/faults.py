"""What the fault tests (test_faults.py) use: the lost/duplicated counts against the fixture
expectations, the faults themselves (a killed PostgreSQL connection, a greylisting SMTP server, garbage
feed bodies, slow pages) and the kill of a Celery worker with everything it runs.

Everything here is real: connections are terminated by PostgreSQL itself (``pg_terminate_backend``),
the SMTP server is aiosmtpd on a real port, the cluster is ``scripts/cluster.sh``."""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

from tests.support.fixtureserver import Answer
from tests.support.fixturesite import EXPECTED, SITE, expected_url, query
from tests.support.mailsink import SavingHandler

# --- lost and duplicated ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FaultCount:
    """What a fault cost: ``lost`` expected things missing, ``duplicated`` things there more than once.

    ``detail`` names them, for the assertion message."""

    fault: str
    lost: int
    duplicated: int
    detail: dict[str, Any] = field(default_factory=dict)

    def report(self) -> FaultCount:
        # Printed, so that `pytest -s` shows every fault's cost in one line.
        print(f"fault {self.fault}: lost={self.lost} duplicated={self.duplicated}")
        return self


def warehouse_count(fault: str, url: str, base: str, scope: Iterable[dict[str, Any]] = EXPECTED) -> FaultCount:
    """Lost and duplicated articles of the warehouse at ``url`` against the fixture expectations.

    lost: expected pages (of ``scope``, default all of expected.yaml) whose canonical URL has no row in
    ``articles``. duplicated: ``articles`` rows beyond one per expected canonical URL (a URL stored twice,
    or a page stored under a URL the fixtures do not have), plus story clusters beyond one per expected
    story (a story split in two is two digest entries), plus ``story_clusters`` rows no article uses.
    """
    rows = query(url, "select canonical_url, story_cluster_id from articles")
    cluster_rows = [r[0] for r in query(url, "select id from story_clusters")]
    pages = {expected_url(base, e["page"]): e for e in EXPECTED}
    wanted = {expected_url(base, e["page"]) for e in scope}
    per_url = Counter(u for u, _ in rows)
    lost = sorted(wanted - set(per_url))
    doubled = {u: n - 1 for u, n in per_url.items() if n > 1}
    unexpected = sorted(u for u in per_url if u not in pages)
    clusters_of_story: dict[str, set[str]] = {}
    for u, cluster in rows:
        if u in pages:
            clusters_of_story.setdefault(pages[u]["story"], set()).add(cluster)
    split = {s: len(c) - 1 for s, c in clusters_of_story.items() if len(c) > 1}
    used = {cluster for _, cluster in rows}
    orphan_clusters = sorted(set(cluster_rows) - used)
    doubled_cluster_rows = sum(n - 1 for n in Counter(cluster_rows).values())
    duplicated = (
        sum(doubled.values()) + len(unexpected) + sum(split.values()) + len(orphan_clusters) + doubled_cluster_rows
    )
    detail = {
        "lost": lost,
        "doubled_urls": doubled,
        "unexpected_urls": unexpected,
        "split_stories": split,
        "orphan_clusters": orphan_clusters,
        "articles": len(rows),
    }
    return FaultCount(fault, len(lost), duplicated, detail)


def mail_count(fault: str, messages: list[EmailMessage], recipients: Iterable[str]) -> FaultCount:
    """lost: recipients without a mail; duplicated: mails beyond one per recipient (or to nobody expected)."""
    per_recipient = Counter(parseaddr(str(m["To"]))[1].lower() for m in messages)
    wanted = {r.lower() for r in recipients}
    lost = sorted(wanted - set(per_recipient))
    extra = {r: n - (1 if r in wanted else 0) for r, n in per_recipient.items() if n > (1 if r in wanted else 0)}
    return FaultCount(fault, len(lost), sum(extra.values()), {"lost": lost, "extra": extra})


# --- PostgreSQL: a connection terminated by the server ------------------------------------------------


@dataclass
class ConnectionKiller:
    """Terminates, for real, the warehouse connection that is about to run a matching statement.

    Listens to ``before_cursor_execute`` on the warehouse engine; on the ``nth`` statement matching
    ``pattern`` it asks PostgreSQL, over a second connection, to ``pg_terminate_backend`` the loading
    connection (or, ``everything=True``, every connection to the warehouse database: what a server
    restart does to its clients), waits until the backend is gone, then lets the statement run into
    the dead connection. Fires once."""

    engine: Engine
    pattern: str
    nth: int = 1
    everything: bool = False
    seen: int = 0
    killed: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._regex = re.compile(self.pattern, re.IGNORECASE | re.DOTALL)
        url = self.engine.url
        self._database = url.database
        # The admin database, so that terminating "everything" of the warehouse spares this connection.
        self._admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.killed or not self._regex.search(statement):
            return
        self.seen += 1
        if self.seen < self.nth:
            return
        victim = int(cursor.connection.info.backend_pid)
        where = "datname = :db" if self.everything else "pid = :pid"
        with self._admin.connect() as admin:
            # The 5 s timeout makes pg_terminate_backend wait until the backend has exited.
            pids = admin.execute(
                text(f"select pid from pg_stat_activity where {where} and pid <> pg_backend_pid()"),
                {"db": self._database, "pid": victim},
            ).scalars()
            for pid in list(pids):
                admin.execute(text("select pg_terminate_backend(:pid, 5000)"), {"pid": pid})
                self.killed.append(int(pid))
        assert victim in self.killed, f"the loading connection {victim} was not found to terminate"

    def __enter__(self) -> ConnectionKiller:
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc_info: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        self._admin.dispose()


# --- SMTP: a server that refuses the first sessions ---------------------------------------------------


class GreylistingHandler(SavingHandler):
    """aiosmtpd handler refusing the first ``refuse`` sessions with a temporary error, then saving each
    accepted message into ``folder`` as :class:`tests.support.mailsink.SavingHandler` does (run it with
    ``MailSink(folder, handler=…)``).

    The refusals rotate through the three places a real server says "try again later": 421 at MAIL
    FROM (service shutting down, connection closed), 451 at RCPT TO (greylisting) and 451 after DATA
    (the message was transmitted, then rejected: it must not count as delivered)."""

    REFUSALS = (
        ("MAIL", "421 4.3.2 Service not available, closing transmission channel"),
        ("RCPT", "451 4.7.1 Greylisted, please try again later"),
        ("DATA", "451 4.3.0 Temporary local problem, try again later"),
    )

    def __init__(self, folder: Path, refuse: int) -> None:
        super().__init__(folder)
        self.refuse = refuse
        self.sessions = 0
        self.refused: list[str] = []

    def _refusal(self, session: Any, stage: str) -> str | None:
        number = getattr(session, "nw_number", None)
        if number is None or number > self.refuse:
            return None
        where, reply = self.REFUSALS[(number - 1) % len(self.REFUSALS)]
        if where != stage:
            return None
        self.refused.append(reply[:3] + "@" + stage)
        return reply

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.lock:
            self.sessions += 1
            session.nw_number = self.sessions  # one message per connection: sessions are numbered here
        if reply := self._refusal(session, "MAIL"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if reply := self._refusal(session, "RCPT"):
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if reply := self._refusal(session, "DATA"):
            return reply
        return await super().handle_DATA(server, session, envelope)


# --- HTTP: garbage feeds and slow pages -------------------------------------------------------------


def garbage_bodies(feed_file: str) -> list[tuple[str, tuple[int, dict[str, str], bytes]]]:
    """Four kinds of garbage a broken server or proxy sends with a 200 instead of the feed ``feed_file``.

    The truncated feed is cut inside its first item, so feedparser "recovers" an entry without a link:
    nothing usable."""
    feed = (SITE / "feeds" / feed_file).read_bytes()
    cut = feed.index(b"<item") + 60
    xml = {"Content-Type": "application/rss+xml; charset=utf-8"}
    return [
        ("random bytes", (200, xml, random.Random(9).randbytes(4096))),
        (
            "HTML error page",
            (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                b"<body><h1>502 Bad Gateway</h1><hr><p>nginx</p></body></html>",
            ),
        ),
        ("truncated XML", (200, xml, feed[:cut])),
        ("JSON error", (200, {"Content-Type": "application/json"}, b'{"error": "upstream timeout"}')),
    ]


@dataclass
class SlowPages:
    """A FixtureServer hook delaying the pages under ``prefix`` by ``delay_s`` while ``slow`` is set."""

    prefix: str
    delay_s: float
    slow: threading.Event = field(default_factory=threading.Event)
    served: int = 0

    def __call__(self, path: str, headers: dict[str, str]) -> Answer:
        if path.startswith(self.prefix) and self.slow.is_set():
            time.sleep(self.delay_s)
            self.served += 1
        return None  # the file itself


# --- the Celery cluster -------------------------------------------------------------------------------


def kill_component_tree(pid_file: Path) -> dict[int, int]:
    """SIGKILL a ``scripts/cluster.sh`` component and every process under it, as if its machine died.

    Its process group (cluster.sh starts each component under setsid) is not enough: Airflow's task
    supervisor puts each task process in a process group of its own, which would survive, orphaned,
    and go on working. Returns the processes killed (pid → process group). Refuses a pid that is not
    a process group leader started when the pid file was written, so a recycled pid is never hit."""
    import psutil

    pid = int(pid_file.read_text().strip())
    root = psutil.Process(pid)
    if os.getpgid(pid) != pid or abs(root.create_time() - pid_file.stat().st_mtime) > 10:
        raise RuntimeError(f"pid {pid} of {pid_file} is not the component cluster.sh started: {root.cmdline()}")
    victims = [root, *root.children(recursive=True)]
    groups = {p.pid: os.getpgid(p.pid) for p in victims}
    for proc in victims:  # psutil checks that each pid is still the process it listed
        with suppress(psutil.NoSuchProcess):
            proc.kill()
    with suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)

    def dead(proc: psutil.Process) -> bool:
        try:
            return bool(proc.status() == psutil.STATUS_ZOMBIE)
        except psutil.NoSuchProcess:
            return True

    def all_dead() -> bool:
        return all(dead(p) for p in victims)

    wait_for(f"the processes of {pid_file.stem} to die", all_dead, timeout_s=15, interval_s=0.2)
    return groups


def wait_for(what: str, check: Callable[[], Any], timeout_s: float, interval_s: float = 0.5) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(interval_s)
    return value
