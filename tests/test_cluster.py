"""The cluster profile end to end: `scripts/cluster.sh start` brings up the scheduler, dag-processor, API
server, triggerer and two Celery workers against PostgreSQL and Redis; the ingest and digest DAGs are
triggered through the REST API against the fixture web server and an SMTP server of the test's own.

Checked: both workers ran tasks, the warehouse holds exactly the expected rows (the fixture site's
expectations, tests/support/fixturesite.py, as in test_e2e.py), and the digest reached each recipient
once, as the delivery ledger says.

The cluster (tests/support/cluster.py) gets its own databases (nw_cluster_meta_test, nw_cluster_wh_test,
dropped at the end), Redis database and API port, and runs without the DAGs' own schedules
(`[scheduler] use_job_schedule = False`), so only the runs triggered here happen. Skipped when
PostgreSQL or Redis does not answer; failing instead under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from email.utils import parseaddr
from pathlib import Path

import pytest

from tests.support.cluster import (
    Cluster,
    ClusterProfile,
    api_client,
    run_dag,
    running_cluster,
    task_instances,
    unpause_when_parsed,
    wait_for_run,
)
from tests.support.fixtureserver import FixtureServer
from tests.support.fixturesite import (
    DIGEST_DATE,
    DIGEST_INTERVAL_START,
    INGEST_DATE,
    assert_warehouse_matches_fixtures,
    digest_recipients,
    digest_subject,
    query,
)
from tests.support.mailsink import MailSink

pytestmark = [pytest.mark.cluster, pytest.mark.postgres, pytest.mark.e2e]

PROFILE = ClusterProfile(
    meta_db="nw_cluster_meta_test",
    warehouse_db="nw_cluster_wh_test",
    redis_db=int(os.environ.get("NEWSWATCH_TEST_CLUSTER_REDIS_DB", "13")),
    node="nwtest",  # the workers are worker1@nwtest and worker2@nwtest
)


@pytest.fixture
def mail_sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "mailbox") as sink:
        yield sink


@pytest.fixture
def cluster(tmp_path: Path, fixture_server: FixtureServer, mail_sink: MailSink) -> Iterator[Cluster]:
    """The cluster profile with the test's databases, Redis database, API port, sources and SMTP server."""
    with running_cluster(
        tmp_path / "cluster", PROFILE, fixture_server.base_url, AIRFLOW_CONN_SMTP_DEFAULT=mail_sink.airflow_connection
    ) as cluster:
        yield cluster


def test_ingest_and_digest_on_the_cluster(cluster: Cluster, fixture_server: FixtureServer, mail_sink: MailSink) -> None:
    with api_client(cluster) as api:
        for dag_id in ("newswatch_ingest", "newswatch_digest"):
            unpause_when_parsed(api, dag_id)
        run_dag(api, cluster, "newswatch_ingest", "cluster_ingest", {"logical_date": INGEST_DATE})
        digest_window = {
            "logical_date": DIGEST_DATE,
            "data_interval_start": DIGEST_INTERVAL_START,
            "data_interval_end": DIGEST_DATE,
        }
        run_dag(api, cluster, "newswatch_digest", "cluster_digest", digest_window)
        # The day's digest run once more (its tasks cleared, as an operator would): the ledger keeps
        # anyone from getting it twice.
        response = api.post(
            "/dags/newswatch_digest/clearTaskInstances",
            json={"dag_run_id": "cluster_digest", "dry_run": False, "only_failed": False},
        )
        assert response.status_code == 200, response.text
        wait_for_run(api, cluster, "newswatch_digest", "cluster_digest")
        tries = {ti["task_id"]: ti["try_number"] for ti in task_instances(api, "newswatch_digest", "cluster_digest")}
        assert tries["deliver_digest"] == 2, f"deliver_digest did not run again: {tries}"
        ran = {
            (dag_id, ti["task_id"], ti["map_index"]): ti["hostname"]
            for dag_id, run_id in (("newswatch_ingest", "cluster_ingest"), ("newswatch_digest", "cluster_digest"))
            for ti in task_instances(api, dag_id, run_id)
            if ti["state"] in ("success", "failed")
        }

    workers = PROFILE.workers
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
