"""End to end: the ingest and digest DAGs as real Airflow DAG runs (`airflow dags test`) against the
fixture web server, into a SQLite warehouse and into PostgreSQL. Expectations come from
tests/fixtures/site/expected.yaml, the hand-made labels of every fixture page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.support.fixtureserver import FixtureServer
from tests.support.fixturesite import (
    DIGEST_DATE,
    EXPECTED,
    FIXTURES,
    INGEST_DATE,
    ROOT,
    articles,
    assert_warehouse_matches_fixtures,
    digest_subject,
    fixture_env,
    query,
)
from tests.support.mailsink import MailSink

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private Airflow home with a migrated SQLite metadata database."""
    home = tmp_path_factory.mktemp("airflow")
    env = _airflow_env(home, {})
    done = subprocess.run([_airflow(), "db", "migrate"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    pool = [_airflow(), "pools", "set", "newswatch_http", "4", "HTTP work"]
    done = subprocess.run(pool, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return home


def _airflow() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def _airflow_env(home: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSWATCH_", "AIRFLOW_CONN_"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW_CONFIG=str(ROOT / "airflow.cfg"),
        NEWSWATCH_ROOT=str(ROOT),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    )
    env.update(extra)
    return env


def _dags_test(home: Path, env: dict[str, str], dag_id: str, date: str) -> str:
    done = subprocess.run(
        [_airflow(), "dags", "test", dag_id, date],
        env=_airflow_env(home, env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    assert "state=success" in log, log[-4000:]
    return log


@pytest.fixture
def pipeline_env(warehouse_url: str, tmp_path: Path, fixture_server: FixtureServer) -> dict[str, str]:
    """The fixture site, a temporary var/ and outbox, and an empty warehouse on each backend."""
    return fixture_env(
        tmp_path / "var", fixture_server.base_url, warehouse_url, NEWSWATCH_OUTBOX=str(tmp_path / "outbox")
    )


def test_ingest_and_digest_dag_runs(airflow_home: Path, pipeline_env: dict[str, str]) -> None:
    """One ingest run loads every fixture page once, tags the labelled stories, clusters syndicated
    copies; a second run changes nothing; the digest goes out once per recipient, also on re-run."""
    url = pipeline_env["NEWSWATCH_WAREHOUSE_URL"]
    base = pipeline_env["NEWSWATCH_FIXTURE_BASE"]
    with StatsdListener() as statsd:
        metrics_env = {
            **pipeline_env,
            "AIRFLOW__METRICS__STATSD_ON": "True",
            "AIRFLOW__METRICS__STATSD_HOST": "127.0.0.1",
            "AIRFLOW__METRICS__STATSD_PORT": str(statsd.port),
            "AIRFLOW__METRICS__STATSD_PREFIX": "airflow",
        }
        log = _dags_test(airflow_home, metrics_env, "newswatch_ingest", INGEST_DATE)
    # One structured metrics line per source in the task log, and the same counts through StatsD.
    decoder = json.JSONDecoder()
    records = [
        decoder.raw_decode(line.split("newswatch-metrics ", 1)[1])[0]
        for line in log.splitlines()
        if "newswatch-metrics {" in line
    ]
    per_source = {r["source"]: r for r in records}
    configured = {s["name"] for s in yaml.safe_load((FIXTURES / "sources.yaml").read_text())["sources"]}
    assert set(per_source) == configured, "one metrics line per polled source"
    assert sum(r["loaded"] for r in records) == len(EXPECTED), "every fixture page loaded, counted once"
    assert sum(r["tagged"] for r in records) == sum(e["relevant"] for e in EXPECTED)
    assert all(r["items"] >= r["loaded"] for r in records)
    assert per_source["missing"]["errors"] == 1 and per_source["missing"]["items"] == 0
    counters = statsd.counters()
    for source, record in per_source.items():
        for name in ("items", "new", "fetched", "tagged", "loaded"):
            assert counters.get(f"airflow.newswatch.{source}.{name}", 0) == record[name], (source, name, counters)

    rows = assert_warehouse_matches_fixtures(url, base)

    _dags_test(airflow_home, pipeline_env, "newswatch_ingest", INGEST_DATE)
    assert articles(url) == rows, "a second ingest run must change nothing"

    # The digest DAG, twice, delivering over SMTP to a real server through the Airflow connection.
    with MailSink(Path(pipeline_env["NEWSWATCH_VAR"]) / "mailbox") as sink:
        smtp_env = {**pipeline_env, "AIRFLOW_CONN_SMTP_DEFAULT": sink.airflow_connection}
        _dags_test(airflow_home, smtp_env, "newswatch_digest", DIGEST_DATE)
        _dags_test(airflow_home, smtp_env, "newswatch_digest", DIGEST_DATE)
        mails = {str(m["To"]): m for m in sink.messages()}
    assert len(sink.messages()) == 3, "one mail per recipient, none again on re-run"
    assert not Path(pipeline_env["NEWSWATCH_OUTBOX"]).exists(), "with a connection set, nothing goes to the outbox"
    analysts = mails["Defence analysts <analysts@example.org>"]
    assert analysts["Subject"] == digest_subject()
    html = analysts.get_body(("html",)).get_content()
    assert html.count(" outlets:</p>") >= 2  # entries reported by several outlets: the syndicated wire stories
    # The Rome desk asked for Italian only: the events reported in Italian, led by the Italian report.
    italian = {e.get("event") or e["story"] for e in EXPECTED if e["relevant"] and e["language"] == "it"}
    rome = mails["Rome desk <rome-desk@example.org>"]
    assert rome["Subject"] == f"India–Italy defence: {len(italian)} events — 28 Feb 2026"
    rome_text = rome.get_body(("plain",)).get_content()
    for e in EXPECTED:
        if e["relevant"] and e["language"] == "it":
            assert e["title"] in rome_text
    ledger = query(url, "select recipient, status, channel from alert_deliveries order by recipient")
    assert ledger == [
        ("analysts@example.org", "sent", "smtp"),
        ("industry-desk@example.org", "sent", "smtp"),
        ("rome-desk@example.org", "sent", "smtp"),
    ]


def test_failed_run_mails_ops_once(airflow_home: Path, pipeline_env: dict[str, str]) -> None:
    """A digest run that fails (a broken recipients Variable) fails at once, without retries, and the DAG's
    failure callback mails ops one message naming the failing task, its error and the log link."""
    _dags_test(airflow_home, pipeline_env, "newswatch_ingest", INGEST_DATE)
    with MailSink(Path(pipeline_env["NEWSWATCH_VAR"]) / "ops-mailbox") as sink:
        env = {
            **pipeline_env,
            "AIRFLOW_CONN_SMTP_DEFAULT": sink.airflow_connection,
            "AIRFLOW_VAR_NEWSWATCH_RECIPIENTS": "groups:\n  desk:\n    min_socre: 0.5\n    members: [a@example.org]\n",
            "NEWSWATCH_OPS_EMAIL": "ops@example.org",
        }
        done = subprocess.run(
            [_airflow(), "dags", "test", "newswatch_digest", DIGEST_DATE],
            env=_airflow_env(airflow_home, env),
            capture_output=True,
            text=True,
            timeout=600,
        )
        messages = sink.messages()
    log = done.stdout + done.stderr
    assert "state=failed" in log or done.returncode != 0, log[-3000:]
    assert len(messages) == 1, f"{len(messages)} mails; log: {log[-3000:]}"
    (mail,) = messages
    assert mail["To"] == "ops@example.org"
    assert mail["Subject"] == "[newswatch] newswatch_digest run failed: deliver_digest"
    body = mail.get_body(("plain",)).get_content()
    assert "Failing task:  deliver_digest (try 1)" in body, body
    assert "/dags/newswatch_digest/runs/" in body and "/tasks/deliver_digest" in body
    assert not query(pipeline_env["NEWSWATCH_WAREHOUSE_URL"], "select 1 from alert_deliveries")


class StatsdListener:
    """A UDP socket on 127.0.0.1 that collects StatsD counter packets (``name:value|c``)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.packets: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._collect, daemon=True)

    def __enter__(self) -> StatsdListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.5)  # the last datagrams of the run
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def _collect(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            self.packets.extend(data.decode("utf-8", "replace").splitlines())

    def counters(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for packet in self.packets:
            name, _, rest = packet.partition(":")
            value, _, kind = rest.partition("|")
            if kind.startswith("c"):
                totals[name] = totals.get(name, 0) + int(float(value))
        return totals
