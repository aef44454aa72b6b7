"""The Celery cluster profile (`scripts/cluster.sh`) for the tests that run on it (test_cluster.py,
test_faults.py): fresh PostgreSQL databases and an empty Redis database of a test's own, the cluster
started and stopped around a test, and a REST API client that triggers runs and waits for them.

Each test names its own :class:`ClusterProfile` (databases, Redis database, Celery node name), so that two
cluster tests may run side by side. Missing PostgreSQL or Redis skips the test; under ``CI=true`` it
fails instead."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.fixturesite import FIXTURES, ROOT
from tests.support.net import free_port
from tests.support.services import (
    PG_ADMIN_URL,
    create_databases,
    database_url,
    drop_databases,
    postgres_check,
    require,
)

CLUSTER_SH = ROOT / "scripts" / "cluster.sh"
REDIS_URL = os.environ.get("NEWSWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379")
RUN_TIMEOUT_S = 180
MUST_RUN = "the cluster tests"


@dataclass(frozen=True)
class ClusterProfile:
    """What one cluster test owns: its metadata and warehouse databases, its Redis database, and the
    Celery node name of its two workers (``worker1@{node}``, ``worker2@{node}``)."""

    meta_db: str
    warehouse_db: str
    redis_db: int
    node: str

    @property
    def workers(self) -> set[str]:
        return {f"worker1@{self.node}", f"worker2@{self.node}"}


@dataclass(frozen=True)
class Services:
    pg: str  # the server's URL without a database
    warehouse_url: str


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


def redis_client(db: int) -> Any:
    import redis

    return redis.Redis.from_url(f"{REDIS_URL}/{db}", socket_connect_timeout=3)


@contextmanager
def cluster_services(profile: ClusterProfile) -> Iterator[Services]:
    """Fresh metadata and warehouse databases and an empty Redis database, all removed afterwards."""
    require(f"PostgreSQL at {PG_ADMIN_URL}", postgres_check, MUST_RUN)
    require(f"Redis at {REDIS_URL}", lambda: redis_client(profile.redis_db).ping(), MUST_RUN)
    databases = (profile.meta_db, profile.warehouse_db)

    def drop() -> None:
        drop_databases(PG_ADMIN_URL, databases)
        redis_client(profile.redis_db).flushdb()

    drop()
    create_databases(PG_ADMIN_URL, databases)
    try:
        pg = PG_ADMIN_URL.rsplit("/", 1)[0]
        yield Services(pg=pg, warehouse_url=database_url(PG_ADMIN_URL, profile.warehouse_db))
    finally:
        drop()


def cluster_sh(command: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(CLUSTER_SH), command], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@contextmanager
def running_cluster(home: Path, profile: ClusterProfile, fixture_base: str, **extra_env: str) -> Iterator[Cluster]:
    """``cluster.sh start`` on the profile's fresh services (:func:`cluster_services`) and node, a free API
    port, the fixture sources served from ``fixture_base``, and ``extra_env`` on top; on leaving,
    ``cluster.sh stop`` (which must leave no pid file behind), then the services removed.

    Only the runs a test triggers happen: no scheduled runs, DAGs paused until the test unpauses them."""
    with cluster_services(profile) as services:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSWATCH_", "AIRFLOW_", "CLUSTER_"))}
        env.update(
            CLUSTER_HOME=str(home),
            CLUSTER_PG=services.pg,
            CLUSTER_META_DB=profile.meta_db,
            CLUSTER_WAREHOUSE_DB=profile.warehouse_db,
            CLUSTER_REDIS=REDIS_URL,
            CLUSTER_REDIS_DB=str(profile.redis_db),
            CLUSTER_API_PORT=str(port),
            CLUSTER_NODE=profile.node,
            CLUSTER_START_TIMEOUT="150",
            NEWSWATCH_SOURCES=str(FIXTURES / "sources.yaml"),
            NEWSWATCH_FIXTURE_BASE=fixture_base,
            AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",
            AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
            # Lighter on 2 cores: parse the DAG folder once, in one process, not again while the test runs.
            AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="300",
            AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="300",
            AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES="1",
        )
        env.update(extra_env)
        started = cluster_sh("start", env, timeout=420)
        cluster = Cluster(home, f"http://127.0.0.1:{port}", env, services.warehouse_url)
        try:
            assert started.returncode == 0, (
                f"cluster.sh start failed:\n{started.stdout[-3000:]}\n{started.stderr[-6000:]}"
            )
            yield cluster
        finally:
            stopped = cluster_sh("stop", env, timeout=120)
            assert stopped.returncode == 0, stopped.stdout + stopped.stderr
            left = list((cluster.home / "pids").glob("*.pid"))
            assert left == [], f"pid files left behind: {left}"


def api_client(cluster: Cluster) -> httpx.Client:
    """A REST API client with a JWT for the admin user (password generated by cluster.sh start)."""
    passwords = cluster.home / "airflow" / "simple_auth_manager_passwords.json.generated"
    password = json.loads(passwords.read_text())["admin"]
    response = httpx.post(f"{cluster.api}/auth/token", json={"username": "admin", "password": password}, timeout=30)
    assert response.status_code == 201, response.text
    token = response.json()["access_token"]
    return httpx.Client(base_url=f"{cluster.api}/api/v2", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def unpause_when_parsed(api: httpx.Client, dag_id: str, timeout: float = 90) -> None:
    """Wait until the DAG processor has parsed ``dag_id``, then unpause it."""
    deadline = time.monotonic() + timeout
    while (response := api.get(f"/dags/{dag_id}")).status_code == 404:
        assert time.monotonic() < deadline, f"{dag_id} not parsed after {timeout} s"
        time.sleep(1)
    assert response.status_code == 200, response.text
    response = api.patch(f"/dags/{dag_id}", json={"is_paused": False})
    assert response.status_code == 200, response.text


def trigger_run(api: httpx.Client, dag_id: str, run_id: str, body: dict[str, Any]) -> None:
    """Trigger a run of ``dag_id`` through the API (``body``: logical date, data interval)."""
    response = api.post(f"/dags/{dag_id}/dagRuns", json={"dag_run_id": run_id, **body})
    assert response.status_code == 200, response.text


def run_dag(api: httpx.Client, cluster: Cluster, dag_id: str, run_id: str, body: dict[str, Any]) -> None:
    """Trigger a run through the API and wait until it has succeeded."""
    trigger_run(api, dag_id, run_id, body)
    wait_for_run(api, cluster, dag_id, run_id)


def wait_for_run(api: httpx.Client, cluster: Cluster, dag_id: str, run_id: str) -> None:
    """Wait until the run has finished; fail, with the tasks' states and the logs' tails, unless it succeeded."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while (run := api.get(f"/dags/{dag_id}/dagRuns/{run_id}").json())["state"] not in ("success", "failed"):
        if time.monotonic() > deadline:
            break
        time.sleep(2)
    states = {(ti["task_id"], ti["map_index"]): ti["state"] for ti in task_instances(api, dag_id, run_id)}
    assert run["state"] == "success", f"{dag_id} run {run_id}: {run['state']}; tasks {states}\n{cluster.log_tails()}"


def task_instances(api: httpx.Client, dag_id: str, run_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 500})
    assert response.status_code == 200, response.text
    instances: list[dict[str, Any]] = response.json()["task_instances"]
    return instances
