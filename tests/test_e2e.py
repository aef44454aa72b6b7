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
from datetime import datetime
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
from tests.support.net import free_port

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


def _dags_test(home: Path, env: dict[str, str], dag_id: str, date: str, *options: str) -> str:
    done = subprocess.run(
        [_airflow(), "dags", "test", dag_id, date, *options],
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
    assert rome["Subject"] == digest_subject(len(italian))  # the source down is in every copy
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


# On the production backend only: the failure mail's path does not touch the warehouse but for the check that
# nothing was delivered, and the ledger's exactly-once behaviour is tested on both backends above.
@pytest.mark.parametrize("warehouse_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
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


def _task_states(home: Path, env: dict[str, str], dag_id: str, date: str) -> dict[str, list[str]]:
    """The states of a DAG run's task instances as Airflow's metadata database has them (the CLI over the
    same models the REST API serves): task id → the states of its instances (one per map index)."""
    done = subprocess.run(
        [_airflow(), "tasks", "states-for-dag-run", dag_id, date, "--output", "json"],
        env=_airflow_env(home, env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = json.loads(done.stdout[done.stdout.index("[") :])
    states: dict[str, list[str]] = {}
    for row in rows:
        states.setdefault(row["task_id"], []).append(row["state"])
    return states


def test_outage_fails_the_poll_task_on_every_run_and_mails_ops_once(airflow_home: Path, tmp_path: Path) -> None:
    """Issue #17, "a total outage looks green": a source whose host is unreachable (127.0.0.1, a closed
    port) fails its poll task in the run that polls it, fails it again in the next run while it waits out
    its backoff (no request: "still failing since …"), and in a forced run that polls it again; the
    failures in a row count the two real attempts; ops get one mail for the outage, and no failed-run
    mail: the run itself loaded what there was (its state is process_articles')."""
    port = free_port()  # nothing listens there: connection refused
    sources = tmp_path / "sources.yaml"
    feed = {"name": "unreachable", "feed_url": f"http://127.0.0.1:{port}/feed.xml", "allow_private": True}
    sources.write_text(yaml.safe_dump({"sources": [feed]}), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'var' / 'warehouse.db'}"
    env = {
        "NEWSWATCH_VAR": str(tmp_path / "var"),
        "NEWSWATCH_SOURCES": str(sources),
        "NEWSWATCH_WAREHOUSE_URL": url,
        "NEWSWATCH_OUTBOX": str(tmp_path / "outbox"),
        "NEWSWATCH_OPS_EMAIL": "ops@example.org",
        "NEWSWATCH_FAILURE_ALERT_AFTER": "1",
        "NEWSWATCH_HTTP_TIMEOUT": "3",
    }
    runs = ["2026-03-02T09:00:00+00:00", "2026-03-02T09:10:00+00:00", "2026-03-02T09:20:00+00:00"]
    with MailSink(tmp_path / "ops-mailbox") as sink:
        env["AIRFLOW_CONN_SMTP_DEFAULT"] = sink.airflow_connection
        logs = [
            _dags_test(airflow_home, env, "newswatch_ingest", runs[0]),
            _dags_test(airflow_home, env, "newswatch_ingest", runs[1]),
            _dags_test(airflow_home, env, "newswatch_ingest", runs[2], "--conf", '{"force": true}'),
        ]
        messages = sink.messages()

    for date, log in zip(runs, logs, strict=True):
        states = _task_states(airflow_home, env, "newswatch_ingest", date)
        assert states["source.poll_source"] == ["failed"], (date, states, log[-3000:])
        assert states["source.fetch_pages"] == ["upstream_failed"], (date, states)
        assert states["process_articles"] == ["success"], (date, states)
    assert "ConnectError" in logs[0] and "still failing" not in logs[0]
    assert "source unreachable: still failing since" in logs[1], logs[1][-3000:]
    assert "ConnectError" in logs[2] and "2 failed poll(s) in a row" in logs[2], logs[2][-3000:]
    ((failures, error),) = query(url, "select consecutive_failures, last_error from feed_health")
    assert failures == 2, "the two real attempts, not the run that found the source in backoff"
    assert "ConnectError" in error
    assert [status for (status,) in query(url, "select status from feed_polls order by id")] == ["failed", "failed"]

    assert len(messages) == 1, [m["Subject"] for m in messages]
    (mail,) = messages
    assert mail["To"] == "ops@example.org"
    assert "unreachable" in mail["Subject"] and "run failed" not in mail["Subject"]
    assert not (tmp_path / "outbox" / "ops").exists(), "with a connection set, nothing goes to the outbox"


def test_digest_backfill_skips_wait_for_ingest(
    airflow_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #17: a backfill of a past day whose window ingest never covered would wait for ingest for 2 h;
    with ``skip_wait_for_ingest`` the sensor is skipped at once and the digest goes out from what is loaded."""
    from newswatch.alerts.send import ingest_coverage
    from newswatch.ingest.poll import sync_sources
    from newswatch.warehouse.session import engine_for, init_warehouse
    from tests.support.fixturesite import settings_from

    sources = tmp_path / "sources.yaml"
    feed = {"name": "never-polled", "feed_url": "http://127.0.0.1:9/feed.xml", "allow_private": True}
    sources.write_text(yaml.safe_dump({"sources": [feed]}), encoding="utf-8")
    env = {
        "NEWSWATCH_VAR": str(tmp_path / "var"),
        "NEWSWATCH_SOURCES": str(sources),
        "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'var' / 'warehouse.db'}",
        "NEWSWATCH_OUTBOX": str(tmp_path / "outbox"),
    }
    settings = settings_from(env, monkeypatch)
    init_warehouse(settings)
    sync_sources(settings)
    window_end = datetime.fromisoformat(DIGEST_DATE)  # the run's data interval ends at its logical date
    assert not ingest_coverage(settings, window_end).covered, "without the param the sensor would wait"
    engine_for(settings.warehouse_url).dispose()

    started = time.monotonic()
    _dags_test(airflow_home, env, "newswatch_digest", DIGEST_DATE, "--conf", '{"skip_wait_for_ingest": true}')
    assert time.monotonic() - started < 300
    states = _task_states(airflow_home, env, "newswatch_digest", DIGEST_DATE)
    assert states == {"wait_for_ingest": ["skipped"], "preview_digest": ["success"], "deliver_digest": ["success"]}


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
