"""The offline demo (`make demo`): fixture feeds served on 127.0.0.1, then the ingest and digest DAGs as
real DAG runs. Run from the checkout root as ``python -m scripts.demo``, with ``scripts/env.sh`` sourced.

It lives in the checkout, not in the ``newswatch`` package: it serves the test fixtures
(``tests/fixtures/``) with the tests' fixture server and SMTP sink (``tests/support/``, aiosmtpd), none
of which ships with the package. It uses its own warehouse, raw store and outbox under ``var/demo/``
(wiped at each start), so it never mixes with what ``make run`` collected. The digest is delivered over
SMTP: to the server of the ``AIRFLOW_CONN_SMTP_DEFAULT`` connection when the environment sets one,
otherwise to a local SMTP server the demo starts itself, which keeps each message under
``var/demo/mailbox/``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
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
SMTP_CONN_ENV = "AIRFLOW_CONN_SMTP_DEFAULT"


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
        warning = [
            f"{h.source} ({(h.last_error or '')[:60]})" for h in health if h.last_error and not h.consecutive_failures
        ]
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


def run_demo(out: TextIO) -> int:
    started = time.monotonic()
    var_dir = load_settings().var_dir / "demo"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
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
    width = max(len(k) for k, _ in rows)
    out.write("\nnewswatch demo summary\n" + "-" * (width + 40) + "\n")
    for key, value in rows:
        out.write(f"{key:<{width}}  {value}\n")
    out.write(
        "\nBrowse it in the Airflow UI's News Monitor: make demo-ui, then open\n"
        "http://localhost:8080/plugin/news-monitor/newswatch/monitor?day=2026-02-27\n"
    )
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    sys.exit(run_demo(sys.stdout))
