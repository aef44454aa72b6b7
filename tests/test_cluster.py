"""The cluster profile end to end: `scripts/cluster.sh start` brings up the scheduler, dag-processor, API
server, triggerer and two Celery workers against PostgreSQL and Redis; the ingest and digest DAGs are
triggered through the REST API against the fixture web server and an SMTP server of the test's own.

Checked: both workers ran tasks, the warehouse holds exactly the expected rows (the expectations of
test_e2e.py), and the digest reached each recipient once, as the delivery ledger says.

The cluster gets its own databases (nw_cluster_meta_test, nw_cluster_wh_test, dropped at the end), Redis
database and API port, and runs without the DAGs' own schedules (`[scheduler] use_job_schedule = False`),
so only the runs triggered here happen. Skipped when PostgreSQL or Redis does not answer; failing
instead under CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import httpx
import pytest
from airflow_helpers import (
    DIGEST_DATE,
    DIGEST_INTERVAL_START,
    FIXTURES,
    INGEST_DATE,
    ROOT,
    assert_warehouse_matches_fixtures,
    digest_recipients,
    digest_subject,
    query,
)
from conftest import PG_ADMIN_URL
from sqlalchemy import create_engine, text

from tests.support.fixtureserver import FixtureServer
from tests.support.mailsink import MailSink, free_port

pytestmark = [pytest.mark.cluster, pytest.mark.postgres, pytest.mark.e2e]

CLUSTER_SH = ROOT / "scripts" / "cluster.sh"
REDIS_URL = os.environ.get("NEWSWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("NEWSWATCH_TEST_CLUSTER_REDIS_DB", "13"))
META_DB = "nw_cluster_meta_test"
WAREHOUSE_DB = "nw_cluster_wh_test"
RUN_TIMEOUT_S = 180
NODE = "nwtest"  # the workers are worker1@nwtest and worker2@nwtest


def _require(service: str, check: Any) -> None:
    try:
        check()
    except Exception as exc:  # any failure to connect means "no server here"
        message = f"{service} does not answer: {type(exc).__name__}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: the cluster test must run)")
        pytest.skip(message)


def _pg_check() -> None:
    engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
    with engine.connect() as conn:
        conn.execute(text("select 1"))
    engine.dispose()


def _redis(db: int) -> Any:
    import redis

    return redis.Redis.from_url(f"{REDIS_URL}/{db}", socket_connect_timeout=3)


@pytest.fixture
def services() -> Iterator[dict[str, str]]:
    """Fresh metadata and warehouse databases and an empty Redis database, all removed afterwards."""
    _require(f"PostgreSQL at {PG_ADMIN_URL}", _pg_check)
    _require(f"Redis at {REDIS_URL}", lambda: _redis(REDIS_DB).ping())
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as conn:
            for name in (META_DB, WAREHOUSE_DB):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        _redis(REDIS_DB).flushdb()

    drop()
    with admin.connect() as conn:
        for name in (META_DB, WAREHOUSE_DB):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield {"pg": base, "warehouse_url": f"{base}/{WAREHOUSE_DB}"}
    finally:
        drop()
        admin.dispose()


@pytest.fixture
def mail_sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "mailbox") as sink:
        yield sink


@dataclass
class Cluster:
    home: Path
    api: str
    env: dict[str, str]
    warehouse_url: str

    def log_tails(self, lines: int = 40) -> str:
        out = []
        for log in sorted((self.home / "logs").glob("*.log")):
            out.append(f"----- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(out)


def _cluster_sh(command: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(CLUSTER_SH), command], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def cluster(
    tmp_path: Path, services: dict[str, str], fixture_server: FixtureServer, mail_sink: MailSink
) -> Iterator[Cluster]:
    """The cluster profile with the test's databases, Redis database, API port, sources and SMTP server."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSWATCH_", "AIRFLOW_", "CLUSTER_"))}
    env.update(
        CLUSTER_HOME=str(tmp_path / "cluster"),
        CLUSTER_PG=services["pg"],
        CLUSTER_META_DB=META_DB,
        CLUSTER_WAREHOUSE_DB=WAREHOUSE_DB,
        CLUSTER_REDIS=REDIS_URL,
        CLUSTER_REDIS_DB=str(REDIS_DB),
        CLUSTER_API_PORT=str(port),
        CLUSTER_NODE=NODE,
        CLUSTER_START_TIMEOUT="150",
        NEWSWATCH_SOURCES=str(FIXTURES / "sources.yaml"),
        NEWSWATCH_FIXTURE_BASE=fixture_server.base_url,
        AIRFLOW_CONN_SMTP_DEFAULT=mail_sink.airflow_connection,
        # Only the runs this test triggers: no scheduled runs, DAGs paused until the test unpauses them.
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
        # Lighter on 2 cores: parse the DAG folder once, in one process, not again while the test runs.
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="300",
        AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="300",
        AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES="1",
    )
    started = _cluster_sh("start", env, timeout=420)
    cluster = Cluster(tmp_path / "cluster", f"http://127.0.0.1:{port}", env, services["warehouse_url"])
    try:
        assert started.returncode == 0, f"cluster.sh start failed:\n{started.stdout[-3000:]}\n{started.stderr[-6000:]}"
        yield cluster
    finally:
        stopped = _cluster_sh("stop", env, timeout=120)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        left = list((cluster.home / "pids").glob("*.pid"))
        assert left == [], f"pid files left behind: {left}"


def _api(cluster: Cluster) -> httpx.Client:
    """A REST API client with a JWT for the admin user (password generated by cluster.sh start)."""
    passwords = cluster.home / "airflow" / "simple_auth_manager_passwords.json.generated"
    password = json.loads(passwords.read_text())["admin"]
    response = httpx.post(f"{cluster.api}/auth/token", json={"username": "admin", "password": password}, timeout=30)
    assert response.status_code == 201, response.text
    token = response.json()["access_token"]
    return httpx.Client(base_url=f"{cluster.api}/api/v2", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _wait_for_dag(api: httpx.Client, dag_id: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while (response := api.get(f"/dags/{dag_id}")).status_code == 404:
        assert time.monotonic() < deadline, f"{dag_id} not parsed after {timeout} s"
        time.sleep(1)
    assert response.status_code == 200, response.text


def _run_dag(api: httpx.Client, cluster: Cluster, dag_id: str, run_id: str, body: dict[str, Any]) -> None:
    """Trigger a run through the API and wait until it has succeeded."""
    response = api.post(f"/dags/{dag_id}/dagRuns", json={"dag_run_id": run_id, **body})
    assert response.status_code == 200, response.text
    _wait_for_run(api, cluster, dag_id, run_id)


def _wait_for_run(api: httpx.Client, cluster: Cluster, dag_id: str, run_id: str) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while (run := api.get(f"/dags/{dag_id}/dagRuns/{run_id}").json())["state"] not in ("success", "failed"):
        if time.monotonic() > deadline:
            break
        time.sleep(2)
    states = {(ti["task_id"], ti["map_index"]): ti["state"] for ti in _task_instances(api, dag_id, run_id)}
    assert run["state"] == "success", f"{dag_id} run {run_id}: {run['state']}; tasks {states}\n{cluster.log_tails()}"


def _task_instances(api: httpx.Client, dag_id: str, run_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 500})
    assert response.status_code == 200, response.text
    instances: list[dict[str, Any]] = response.json()["task_instances"]
    return instances


def test_ingest_and_digest_on_the_cluster(cluster: Cluster, fixture_server: FixtureServer, mail_sink: MailSink) -> None:
    with _api(cluster) as api:
        for dag_id in ("newswatch_ingest", "newswatch_digest"):
            _wait_for_dag(api, dag_id)
            response = api.patch(f"/dags/{dag_id}", json={"is_paused": False})
            assert response.status_code == 200, response.text
        _run_dag(api, cluster, "newswatch_ingest", "cluster_ingest", {"logical_date": INGEST_DATE})
        digest_window = {
            "logical_date": DIGEST_DATE,
            "data_interval_start": DIGEST_INTERVAL_START,
            "data_interval_end": DIGEST_DATE,
        }
        _run_dag(api, cluster, "newswatch_digest", "cluster_digest", digest_window)
        # The day's digest run once more (its tasks cleared, as an operator would): the ledger keeps
        # anyone from getting it twice.
        response = api.post(
            "/dags/newswatch_digest/clearTaskInstances",
            json={"dag_run_id": "cluster_digest", "dry_run": False, "only_failed": False},
        )
        assert response.status_code == 200, response.text
        _wait_for_run(api, cluster, "newswatch_digest", "cluster_digest")
        tries = {ti["task_id"]: ti["try_number"] for ti in _task_instances(api, "newswatch_digest", "cluster_digest")}
        assert tries["deliver_digest"] == 2, f"deliver_digest did not run again: {tries}"
        ran = {
            (dag_id, ti["task_id"], ti["map_index"]): ti["hostname"]
            for dag_id, run_id in (("newswatch_ingest", "cluster_ingest"), ("newswatch_digest", "cluster_digest"))
            for ti in _task_instances(api, dag_id, run_id)
            if ti["state"] in ("success", "failed")
        }

    workers = {f"worker1@{NODE}", f"worker2@{NODE}"}
    assert workers <= set(ran.values()), f"tasks ran on {sorted(set(ran.values()))}, expected both of {workers}"
    assert set(ran.values()) <= workers, f"a task ran outside the cluster's workers: {ran}"

    assert_warehouse_matches_fixtures(cluster.warehouse_url, fixture_server.base_url)

    recipients = digest_recipients()
    mails = mail_sink.messages()
    assert sorted(parseaddr(str(m["To"]))[1].lower() for m in mails) == recipients, (
        "the digest once per recipient, not again when the run was repeated"
    )
    assert {m["X-Newswatch-Digest"] for m in mails} == {"india-italy-defence-2026-02-28"}
    analysts = next(m for m in mails if "analysts@example.org" in str(m["To"]))
    assert analysts["Subject"] == digest_subject()
    ledger = query(cluster.warehouse_url, "select recipient, status, channel from alert_deliveries order by recipient")
    assert ledger == [(r, "sent", "smtp") for r in recipients]
