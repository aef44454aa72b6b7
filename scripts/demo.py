"""The offline demo (`make demo`): fixture feeds served on 127.0.0.1, then the ingest and digest DAGs as
real DAG runs. Run from the checkout root as ``python -m scripts.demo``, with ``scripts/env.sh`` sourced.

It lives in the checkout, not in the ``newswatch`` package: it serves the test fixtures
(``tests/fixtures/``) with the tests' fixture server and SMTP sink (``tests/support/``, aiosmtpd), none
of which ships with the package. It uses its own warehouse, raw store and outbox under ``var/demo/``
(wiped at each start), and its own Airflow home, ``var/demo/airflow/`` (metadata database, logs, admin
password; kept between runs, migrated by ``make demo``), so it never mixes with what ``make run``
collected nor touches its Airflow. The digest is delivered over SMTP: to the server of the
``AIRFLOW_CONN_SMTP_DEFAULT`` connection when the environment sets one, otherwise to a local SMTP server
the demo starts itself, which keeps each message under ``var/demo/mailbox/``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from newswatch.config import load_settings
from tests.support.fixtureserver import FixtureServer
from tests.support.mailsink import MailSink

LOGGER = logging.getLogger(__name__)

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
# The fixture stories are dated 26–28 Feb 2026; the digest sent at 08:00 IST on 28 Feb covers them.
INGEST_LOGICAL_DATE = "2026-02-28T01:00:00+00:00"
DIGEST_LOGICAL_DATE = "2026-02-28T02:30:00+00:00"
# The day to open in the News Monitor: the digest is named by the day it is sent (28 Feb, covering the
# 24 h before, when most fixture stories were published), so that day's page previews the digest the demo
# sent, and its day before lists the stories in it.
MONITOR_DAY = "2026-02-28"
SMTP_CONN_ENV = "AIRFLOW_CONN_SMTP_DEFAULT"
AIRFLOW_DIR = "airflow"  # the demo's Airflow home, inside its var folder; kept when the rest is wiped
VALUE_WIDTH = 72  # the summary's values wrap at word boundaries beyond this many characters


def demo_environment(base_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NEWSWATCH_FIXTURE_BASE=base_url,
        NEWSWATCH_SOURCES=str(FIXTURES / "sources.yaml"),
        NEWSWATCH_VAR=str(var_dir),
        NEWSWATCH_WAREHOUSE_URL=f"sqlite:///{var_dir / 'warehouse.db'}",
        NEWSWATCH_OUTBOX=str(var_dir / "outbox"),
        NEWSWATCH_RAW_STORE=str(var_dir / "raw"),
    )
    return env


def run_dag(dag_id: str, logical_date: str, env: dict[str, str], log_dir: Path) -> float:
    """``airflow dags test`` one DAG; its output goes to a log file. Returns the seconds it took."""
    airflow = Path(sys.executable).with_name("airflow")
    log_path = log_dir / f"{dag_id}.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        completed = subprocess.run(
            [str(airflow), "dags", "test", dag_id, logical_date],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"airflow dags test {dag_id} exited {completed.returncode}; see {log_path}")
    return time.monotonic() - started


def summary_rows(env: dict[str, str]) -> list[tuple[str, str]]:
    """The figures the demo prints, read back from the demo warehouse."""
    from newswatch.warehouse.queries import table_counts
    from newswatch.warehouse.schema import AlertDeliveryRow, FeedHealthRow
    from newswatch.warehouse.session import warehouse

    settings = load_settings(env)
    with warehouse(settings) as session:
        counts = table_counts(session)
        health = list(session.scalars(select(FeedHealthRow).order_by(FeedHealthRow.source)))
        delivered = session.scalar(
            select(func.count()).select_from(AlertDeliveryRow).where(AlertDeliveryRow.status == "sent")
        )
        failing = [f"{h.source} ({h.last_error})" for h in health if h.consecutive_failures]
        warning = [f"{h.source} ({h.last_error})" for h in health if h.last_error and not h.consecutive_failures]
        items_seen = sum(h.items_seen for h in health)
        polled = len(health)
    digests = sorted((settings.var_dir / "digests").glob("*.html"))
    return [
        ("sources polled", str(polled)),
        ("sources failing", "; ".join(failing) or "none"),
        ("sources with warnings", "; ".join(warning) or "none"),
        ("feed items seen", str(items_seen)),
        ("new articles", str(counts["articles"])),
        ("India–Italy defence articles", str(counts["relevant_articles"])),
        ("India–Italy defence stories", str(counts["relevant_stories"])),
        ("digests delivered (ledger)", str(delivered)),
        ("digest preview", str(digests[-1]) if digests else "none"),
    ]


def mailbox_rows(sink: MailSink | None) -> list[tuple[str, str]]:
    """What the demo's own SMTP server received (nothing to show when a real server took the mail)."""
    if sink is None:
        return [("digest sent to", "the SMTP server of AIRFLOW_CONN_SMTP_DEFAULT")]
    messages = sink.messages()
    rows = [("digest sent over SMTP to", f"127.0.0.1:{sink.port}, {len(messages)} message(s) in {sink.folder}")]
    rows += [(f"  to {m['To']}", str(m["Subject"])) for m in messages]
    return rows


def summary_lines(rows: list[tuple[str, str]], value_width: int = VALUE_WIDTH) -> list[str]:
    """The summary table: keys in a column, values wrapped at word boundaries with the continuation lines
    under the value column. Nothing is cut: a word longer than the width (a path) keeps a line of its own."""
    width = max(len(k) for k, _ in rows)
    lines = []
    for key, value in rows:
        wrapped = textwrap.wrap(value, value_width, break_long_words=False, break_on_hyphens=False) or [""]
        lines.append(f"{key:<{width}}  {wrapped[0]}")
        lines.extend(f"{'':<{width}}  {more}" for more in wrapped[1:])
    return lines


def clear_demo_dir(var_dir: Path) -> None:
    """Empty the demo's var folder, all but its Airflow home (``make demo`` migrated it just before)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    for child in var_dir.iterdir():
        if child.name == AIRFLOW_DIR:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def airflow_home_is_the_demos(var_dir: Path) -> bool:
    """Whether ``AIRFLOW_HOME`` is the demo's own (``make demo`` sets it), not ``make run``'s."""
    home = os.environ.get("AIRFLOW_HOME")
    return bool(home) and Path(home).resolve() == (var_dir / AIRFLOW_DIR).resolve()


def run_demo(out: TextIO) -> int:
    started = time.monotonic()
    var_dir = load_settings().var_dir / "demo"
    if not airflow_home_is_the_demos(var_dir):
        out.write(
            f"The demo runs in its own Airflow home, {var_dir / AIRFLOW_DIR}, never in make run's: start it "
            f"with `make demo` (AIRFLOW_HOME is {os.environ.get('AIRFLOW_HOME') or 'not set'}).\n"
        )
        return 2
    clear_demo_dir(var_dir)
    sink = None if os.environ.get(SMTP_CONN_ENV) else MailSink(var_dir / "mailbox")
    with FixtureServer(FIXTURES / "site") as server, sink or contextlib.nullcontext():
        env = demo_environment(server.base_url, var_dir)
        if sink is not None:
            env[SMTP_CONN_ENV] = sink.airflow_connection
        out.write(f"fixture server on {server.base_url}; logs in {var_dir}\n")
        out.flush()
        ingest_s = run_dag("newswatch_ingest", INGEST_LOGICAL_DATE, env, var_dir)
        digest_s = run_dag("newswatch_digest", DIGEST_LOGICAL_DATE, env, var_dir)
        rows = summary_rows(env) + mailbox_rows(sink)
    rows += [
        ("ingest DAG run", f"{ingest_s:.1f} s"),
        ("digest DAG run", f"{digest_s:.1f} s"),
        ("demo total", f"{time.monotonic() - started:.1f} s (finished {datetime.now(UTC):%H:%M:%S} UTC)"),
    ]
    lines = summary_lines(rows)
    out.write("\nnewswatch demo summary\n" + "-" * max(map(len, lines)) + "\n")
    out.write("".join(line.rstrip() + "\n" for line in lines))
    out.write(
        "\nBrowse it in the Airflow UI's News Monitor: make demo-ui, then open\n"
        f"http://localhost:8080/plugin/news-monitor/newswatch/monitor?day={MONITOR_DAY}\n"
        f"(the digest the demo sent is named by its send day, {MONITOR_DAY}; the stories in it are on the day before)\n"
    )
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sys.exit(run_demo(sys.stdout))
