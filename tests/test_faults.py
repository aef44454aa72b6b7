"""Faults (issue #9): each test injects one real fault into a real run and counts what it cost against
the fixture expectations (tests/fixtures/site/expected.yaml, one article per fixture page): ``lost``
(expected articles, or mails, missing) and ``duplicated`` (rows beyond one per canonical URL or story,
mails beyond one per recipient). Both must be zero; `pytest -s` prints them, one line per fault.

- A Celery worker killed in the middle of a fetch task (the cluster profile): the task is retried on the
  other worker, nothing is fetched or loaded twice.
- The warehouse connection terminated by PostgreSQL in the middle of the load, or every connection (as
  a server restart does): the load fails as a whole, the retry loads everything once.
- The SMTP server down (connection refused), or refusing the first sessions with 421/451: the delivery
  fails and is retried; the digest reaches each recipient once, with the same Message-ID.
- One source's feed answering garbage for several runs: that source shows failing in feed health and
  ops get one mail; the other sources keep loading; when it recovers, its articles load once.

Only real parts: PostgreSQL kills the connection (``pg_terminate_backend``), aiosmtpd listens on a real
port, the fixture site is served over HTTP, the cluster is ``scripts/cluster.sh``. No mocks.
"""

from __future__ import annotations

import ast
import os
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from newswatch.alerts.deliver import DeliveryReport, SmtpTransport
from newswatch.alerts.send import send_digest
from newswatch.cli import digest_window
from newswatch.config import Settings
from newswatch.ingest.fetch import fetch_pages
from newswatch.ingest.poll import PollOutcome, poll_source, sync_sources
from newswatch.process import process_articles
from newswatch.warehouse.schema import AlertDeliveryRow, FeedHealthRow
from newswatch.warehouse.session import engine_for, init_warehouse, warehouse
from tests.support.cluster import (
    Cluster,
    ClusterProfile,
    api_client,
    running_cluster,
    task_instances,
    trigger_run,
    unpause_when_parsed,
    wait_for_run,
)
from tests.support.faults import (
    Answer,
    ConnectionKiller,
    GreylistingHandler,
    SlowPages,
    garbage_bodies,
    kill_component_tree,
    mail_count,
    wait_for,
    warehouse_count,
)
from tests.support.fixtureserver import FixtureServer
from tests.support.fixturesite import (
    EXPECTED,
    INGEST_DATE,
    INGESTED_AT,
    ROOT,
    SITE,
    assert_warehouse_matches_fixtures,
    digest_recipients,
    fixture_env,
    query,
    settings_from,
)
from tests.support.mailsink import MailSink
from tests.support.net import free_port
from tests.support.services import reset_postgres

OBSERVED_AT = INGESTED_AT  # after the fixture stories' digest window closed
WINDOW_START, WINDOW_END = digest_window(date(2026, 2, 28))


def dag_retries(dag_file: str) -> int:
    """The ``retries`` in a DAG file's default arguments (a ``"retries"`` key, or the ``retries=`` of
    ``task_defaults(…)``), read from its source (no Airflow import): a test retrying "as Airflow would"
    must not retry more often than the DAG does."""
    for node in ast.walk(ast.parse((ROOT / "dags" / dag_file).read_text())):
        pairs: list[tuple[object, ast.expr]] = []
        if isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            pairs = list(zip(keys, node.values, strict=True))
        elif isinstance(node, ast.Call):
            pairs = [(keyword.arg, keyword.value) for keyword in node.keywords]
        for key, value in pairs:
            if key == "retries" and isinstance(value, ast.Constant):
                assert isinstance(value.value, int), f"retries in {dag_file} is not a number"
                return value.value
    raise AssertionError(f"no retries in {dag_file}")


def ingest_run(
    settings: Settings, observed_at: datetime, notifier: SmtpTransport | None = None, process: bool = True
) -> dict[str, PollOutcome]:
    """One ingest run in-process, as the DAG runs it: every source polled when due and its pages
    fetched, then everything fetched processed. (``pipeline.run_ingest`` takes no ops notifier.)"""
    init_warehouse(settings)
    outcomes = {}
    for name in sync_sources(settings):
        outcomes[name] = poll_source(settings, name, observed_at, notifier=notifier)
        fetch_pages(settings, name, observed_at)
    if process:
        process_articles(settings, observed_at)
    return outcomes


def item_statuses(url: str) -> dict[str, int]:
    return {status: int(n) for status, n in query(url, "select status, count(*) from feed_items group by status")}


# --- 1. a Celery worker killed in the middle of a fetch task ------------------------------------------

PROFILE = ClusterProfile(  # not test_cluster.py's: the two may run side by side
    meta_db="nw_faults_meta_test",
    warehouse_db="nw_faults_wh_test",
    redis_db=int(os.environ.get("NEWSWATCH_TEST_FAULTS_REDIS_DB", "12")),
    node="nwfaults",
)
SLOW_SOURCE = "ians"  # 9 pages, fetched 2 at a time (per-host limit): ~12 s at 2.5 s a page
PAGE_DELAY_S = 2.5
HEARTBEAT_TIMEOUT_S = 20  # the scheduler gives up on a silent task after this (default 300 s)


@pytest.fixture
def slow_site() -> Iterator[tuple[FixtureServer, SlowPages]]:
    """The fixture site with the slow source's pages delayed (while ``hook.slow`` is set)."""
    hook = SlowPages(f"/pages/{SLOW_SOURCE}/", PAGE_DELAY_S)
    hook.slow.set()
    with FixtureServer(SITE, hook=hook) as server:
        yield server, hook


@pytest.fixture
def fault_cluster(tmp_path: Path, slow_site: tuple[FixtureServer, SlowPages]) -> Iterator[Cluster]:
    """The cluster profile as test_cluster.py starts it, with a short task heartbeat timeout, so that
    the scheduler notices a dead worker's task in seconds, not in the default 5 minutes."""
    server, _ = slow_site
    with running_cluster(
        tmp_path / "cluster",
        PROFILE,
        server.base_url,
        AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT_S),
        AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL="5",
    ) as cluster:
        yield cluster


def _map_index(api: httpx.Client, run_id: str, source: str) -> int | None:
    """The map index of ``source``'s task group in the run: its place in list_sources' result (the
    rendered map index, the source's name, is only set once a task has finished)."""
    response = api.get(f"/dags/newswatch_ingest/dagRuns/{run_id}/taskInstances/list_sources/xcomEntries/return_value")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    names = response.json()["value"]
    return names.index(source) if source in names else None


def _running_fetch(api: httpx.Client, run_id: str, warehouse_url: str) -> dict[str, Any] | None:
    """The slow source's fetch_pages instance once it is running on a worker and has fetched some of
    its pages but not all: the moment to kill its worker."""
    index = _map_index(api, run_id, SLOW_SOURCE)
    if index is None:
        return None
    response = api.get(f"/dags/newswatch_ingest/dagRuns/{run_id}/taskInstances/source.fetch_pages/{index}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    instance: dict[str, Any] = response.json()
    if instance["state"] != "running" or not instance.get("hostname"):
        return None
    fetched, total = query(
        warehouse_url,
        f"select count(*) filter (where status = 'fetched'), count(*) from feed_items where source = '{SLOW_SOURCE}'",
    )[0]
    return instance if 1 <= fetched < total else None


@pytest.mark.cluster
@pytest.mark.postgres
@pytest.mark.e2e
def test_worker_killed_mid_fetch_is_retried_on_the_other_worker(
    fault_cluster: Cluster, slow_site: tuple[FixtureServer, SlowPages]
) -> None:
    cluster = fault_cluster
    server, hook = slow_site
    run_id = "faults_worker_kill"
    started = time.monotonic()
    with api_client(cluster) as api:
        unpause_when_parsed(api, "newswatch_ingest")
        trigger_run(api, "newswatch_ingest", run_id, {"logical_date": INGEST_DATE})

        victim = wait_for(
            f"{SLOW_SOURCE} fetch_pages running with some pages fetched",
            lambda: _running_fetch(api, run_id, cluster.warehouse_url),
            timeout_s=150,
        )
        killed_on = victim["hostname"]
        worker = killed_on.split("@", 1)[0]  # worker1@nwfaults → worker1, the name of its pid file
        fetched_before = query(
            cluster.warehouse_url,
            f"select count(*) from feed_items where source = '{SLOW_SOURCE}' and status = 'fetched'",
        )[0][0]
        killed = kill_component_tree(cluster.home / "pids" / f"{worker}.pid")
        killed_at = time.monotonic()
        hook.slow.clear()  # the retry need not wait: the kill has landed

        wait_for_run(api, cluster, "newswatch_ingest", run_id)
        recovered_s = time.monotonic() - killed_at
        response = api.get(
            f"/dags/newswatch_ingest/dagRuns/{run_id}/taskInstances/source.fetch_pages/{victim['map_index']}/tries"
        )
        assert response.status_code == 200, response.text
        tries = sorted(response.json()["task_instances"], key=lambda t: t["try_number"])
        final = {(ti["task_id"], ti["map_index"]): ti for ti in task_instances(api, "newswatch_ingest", run_id)}

    retried = final[("source.fetch_pages", victim["map_index"])]
    print(
        f"  killed {killed_on}: {len(killed)} processes in {len(set(killed.values()))} process groups, "
        f"with {fetched_before} page(s) fetched; "
        f"run succeeded {recovered_s:.0f} s after the kill, {time.monotonic() - started:.0f} s after the trigger"
    )
    assert retried["state"] == "success" and retried["rendered_map_index"] == SLOW_SOURCE, retried
    assert retried["try_number"] >= 2, f"the fetch was not retried: {retried}"
    assert retried["hostname"] and retried["hostname"] != killed_on, f"retried on the killed worker: {retried}"
    assert tries[0]["hostname"] == killed_on and tries[0]["state"] in ("failed", "up_for_retry"), tries

    count = warehouse_count("worker-kill", cluster.warehouse_url, server.base_url).report()
    assert count.lost == 0, count.detail
    assert count.duplicated == 0, count.detail
    assert_warehouse_matches_fixtures(cluster.warehouse_url, server.base_url)
    statuses = item_statuses(cluster.warehouse_url)
    assert set(statuses) <= {"done", "skipped"}, f"items left unprocessed or failed: {statuses}"


# --- 2. the warehouse connection dropped in the middle of the load -------------------------------------

# Where the connection dies, as a regular expression on the statement about to run:
KILL_POINTS = {
    # the INSERT … SELECT from the COPY stage table into articles: the load itself
    "load": (r"^\s*INSERT INTO articles\b", False),
    # after the articles, tags and entities are written, still in the same transaction
    "story-clusters": (r"^\s*INSERT INTO story_clusters\b", False),
    # every connection to the warehouse database at once, as a server restart does
    "restart": (r"^\s*INSERT INTO articles\b", True),
}


@pytest.fixture
def pg_settings(
    tmp_path: Path, postgres_url: str, fixture_server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings on this session's PostgreSQL test database, emptied, and the fixture site."""
    reset_postgres(postgres_url)
    return settings_from(fixture_env(tmp_path / "var", fixture_server.base_url, postgres_url), monkeypatch)


@pytest.mark.postgres
@pytest.mark.parametrize("kill_point", list(KILL_POINTS))
def test_connection_dropped_mid_load_is_retried(
    kill_point: str, pg_settings: Settings, fixture_server: FixtureServer
) -> None:
    settings = pg_settings
    url, base = settings.warehouse_url, fixture_server.base_url
    pattern, everything = KILL_POINTS[kill_point]
    ingest_run(settings, OBSERVED_AT, process=False)
    fetched = item_statuses(url).get("fetched", 0)
    assert fetched >= len(EXPECTED)

    started = time.monotonic()
    # The first try fails, as the Airflow task would.
    killer = ConnectionKiller(engine_for(url), pattern, everything=everything)
    with killer, pytest.raises(DBAPIError) as failure:
        process_articles(settings, OBSERVED_AT)
    assert killer.killed, "the fault did not fire"
    assert "terminat" in str(failure.value) or "closed" in str(failure.value), failure.value
    # The load is one transaction: nothing of it stayed, every page is still waiting.
    assert query(url, "select count(*) from articles")[0][0] == 0
    assert query(url, "select count(*) from story_clusters")[0][0] == 0
    assert item_statuses(url).get("fetched") == fetched

    retry = process_articles(settings, OBSERVED_AT)  # the retry, on the same connection pool
    assert retry["loaded"] == len(EXPECTED), retry
    again = process_articles(settings, OBSERVED_AT)  # the task cleared once more: nothing to do
    assert again["processed"] == 0, again
    elapsed = time.monotonic() - started

    count = warehouse_count(f"pg-{kill_point}", url, base).report()
    print(f"  killed backend(s) {killer.killed}; fail + retry {elapsed:.1f} s")
    assert count.lost == 0, count.detail
    assert count.duplicated == 0, count.detail
    assert item_statuses(url) == {"done": fetched}
    assert_warehouse_matches_fixtures(url, base)  # tags, stories and clusters as labelled


# --- 3. the SMTP server down for the first attempts, then up ------------------------------------------

DIGEST_TRIES = dag_retries("newswatch_digest.py") + 1


def ledger(settings: Settings) -> dict[str, tuple[str, str, str | None]]:
    """The delivery ledger: recipient → (status, message_id, error)."""
    with warehouse(settings) as session:
        rows = session.execute(
            select(
                AlertDeliveryRow.recipient, AlertDeliveryRow.status, AlertDeliveryRow.message_id, AlertDeliveryRow.error
            )
        ).all()
    return {r.lower(): (status, message_id, error) for r, status, message_id, error in rows}


def deliver_with_retries(
    settings: Settings, transport: SmtpTransport, before_try: Callable[[int], None] | None = None
) -> list[DeliveryReport]:
    """``deliver_digest`` as Airflow runs it: a try failing for any recipient fails the task, which is
    tried again, up to the DAG's retries. Returns every try's report."""
    reports = []
    for attempt in range(1, DIGEST_TRIES + 1):
        if before_try is not None:
            before_try(attempt)
        reports.append(send_digest(settings, WINDOW_START, WINDOW_END, transport))
        if not reports[-1].failed:
            break
    return reports


def assert_delivered_once(
    fault: str, settings: Settings, messages: list[EmailMessage], ids_before: dict[str, str], recipients: list[str]
) -> None:
    count = mail_count(fault, messages, recipients).report()
    assert count.lost == 0, count.detail
    assert count.duplicated == 0, count.detail
    final = ledger(settings)
    assert sorted(final) == recipients and all(status == "sent" for status, _, _ in final.values()), final
    for message in messages:
        recipient = message["To"].addresses[0].addr_spec.lower()
        # The same Message-ID in every try: had a failed try reached someone, clients would show one mail.
        assert message["Message-ID"] == final[recipient][1] == ids_before[recipient]


def test_smtp_refusing_connections_then_up_delivers_once(ingested_copy: Settings, tmp_path: Path) -> None:
    settings = ingested_copy
    recipients = digest_recipients()
    port = free_port()  # nothing listens here until the server comes up
    transport = SmtpTransport(host="127.0.0.1", port=port, timeout_s=5)
    sink = MailSink(tmp_path / "mailbox", port=port)
    ids_while_down: dict[str, str] = {}

    def before_try(attempt: int) -> None:
        if attempt == 3:  # down for the first two tries (connection refused), then up on the same port
            for recipient, (status, message_id, error) in ledger(settings).items():
                assert status == "failed" and error and "refused" in error.lower(), (recipient, error)
                ids_while_down[recipient] = message_id
            sink.__enter__()

    started = time.monotonic()
    try:
        reports = deliver_with_retries(settings, transport, before_try)
        # The day's run cleared and run again by an operator: the ledger sends nothing twice.
        rerun = send_digest(settings, WINDOW_START, WINDOW_END, transport)
        messages = sink.messages()
    finally:
        sink.__exit__(None, None, None)
    elapsed = time.monotonic() - started

    assert [sorted(r.failed) for r in reports[:2]] == [recipients, recipients]
    assert all(r.sent == [] for r in reports[:2])
    assert len(reports) == 3 and sorted(reports[2].sent) == recipients, reports
    assert rerun.sent == [] and sorted(rerun.skipped) == recipients
    assert_delivered_once("smtp-refused", settings, messages, ids_while_down, recipients)
    print(f"  {len(reports)} tries, {elapsed:.1f} s")


def test_smtp_answering_421_451_then_accepting_delivers_once(ingested_copy: Settings, tmp_path: Path) -> None:
    settings = ingested_copy
    recipients = digest_recipients()
    refuse = len(recipients) + 1  # every recipient refused in the first try, one in the second
    ids_first_try: dict[str, str] = {}
    started = time.monotonic()
    handler = GreylistingHandler(tmp_path / "mailbox", refuse=refuse)
    with MailSink(tmp_path / "mailbox", handler=handler) as sink:
        transport = SmtpTransport(host="127.0.0.1", port=sink.port, timeout_s=5)

        def before_try(attempt: int) -> None:
            if attempt == 2:
                ids_first_try.update({r: mid for r, (_, mid, _) in ledger(settings).items()})

        reports = deliver_with_retries(settings, transport, before_try)
        rerun = send_digest(settings, WINDOW_START, WINDOW_END, transport)
    elapsed = time.monotonic() - started
    messages = sink.messages()

    assert handler.refused == ["421@MAIL", "451@RCPT", "451@DATA", "421@MAIL"], handler.refused
    assert reports[0].sent == [] and sorted(reports[0].failed) == recipients
    assert len(reports[1].sent) == len(recipients) - 1 and len(reports[1].failed) == 1, reports[1]
    assert reports[2].sent == list(reports[1].failed) and not reports[2].failed, reports[2]
    assert sorted(reports[2].skipped) == sorted(reports[1].sent), "a recipient already served got it again"
    assert len(reports) == 3 <= DIGEST_TRIES
    assert rerun.sent == [] and sorted(rerun.skipped) == recipients
    assert_delivered_once("smtp-421-451", settings, messages, ids_first_try, recipients)
    print(f"  {len(reports)} tries, {handler.sessions} SMTP sessions, {elapsed:.1f} s")


# --- 4. one source's feed answering garbage for several runs -----------------------------------------

GARBAGE_SOURCE = "ians"  # its stories have syndicated copies elsewhere: its late copies must join them
RUN_STEP = timedelta(hours=25)  # each run a day later: every source is due (intervals and backoff ≤ 24 h)
ALERT_AFTER = 3


def test_garbage_feed_for_several_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    garbage = garbage_bodies(f"{GARBAGE_SOURCE}.xml")
    assert len(garbage) > ALERT_AFTER
    answer: dict[str, Any] = {"body": None}

    def hook(path: str, headers: dict[str, str]) -> Answer:
        return answer["body"] if path.startswith(f"/feeds/{GARBAGE_SOURCE}.xml") else None

    started = time.monotonic()
    with FixtureServer(SITE, hook=hook) as site, MailSink(tmp_path / "ops-mail") as ops_smtp:
        env = fixture_env(
            tmp_path / "var",
            site.base_url,
            f"sqlite:///{tmp_path / 'var' / 'warehouse.db'}",
            NEWSWATCH_FAILURE_ALERT_AFTER=str(ALERT_AFTER),
            NEWSWATCH_OPS_EMAIL="ops@example.org",
        )
        settings = settings_from(env, monkeypatch)
        url, base = settings.warehouse_url, site.base_url
        notifier = SmtpTransport(host="127.0.0.1", port=ops_smtp.port, timeout_s=5)
        others = [e for e in EXPECTED if e["source"] != GARBAGE_SOURCE]

        for run, (kind, body) in enumerate(garbage):
            answer["body"] = body
            observed_at = OBSERVED_AT + run * RUN_STEP
            outcomes = ingest_run(settings, observed_at, notifier)
            bad = outcomes[GARBAGE_SOURCE]
            assert bad.failed and not bad.transient, (kind, bad)
            for name, outcome in outcomes.items():
                if name not in (GARBAGE_SOURCE, "missing"):  # "missing" is the fixtures' 404 feed
                    assert outcome.status != "not_due" and not outcome.failed, (kind, outcome)
            # The other sources loaded in the first run, and nothing doubled by the later ones.
            count = warehouse_count(f"garbage-feed run {run + 1} ({kind})", url, base, others).report()
            assert count.lost == 0, count.detail
            assert count.duplicated == 0, count.detail
            assert query(url, f"select count(*) from articles where source = '{GARBAGE_SOURCE}'")[0][0] == 0
            health = feed_health(settings, GARBAGE_SOURCE)
            assert health.consecutive_failures == run + 1, (kind, health.consecutive_failures)
            assert health.last_error and health.last_error.startswith("not a"), (kind, health.last_error)
            assert health.http_status == 200
            # What the News Monitor page shows: this source failing, no other (but the fixtures' 404 feed).
            statuses = monitor_statuses(settings, observed_at)
            assert {n for n, v in statuses.items() if v == "failing"} == {GARBAGE_SOURCE, "missing"}, statuses

        health = feed_health(settings, GARBAGE_SOURCE)
        assert health.consecutive_failures == len(garbage)
        assert health.alerted_at == OBSERVED_AT + (ALERT_AFTER - 1) * RUN_STEP, "alerted at the 3rd failure"
        assert health.last_success_at is None
        about = ops_mails(ops_smtp, GARBAGE_SOURCE)
        assert len(about) == 1, [m["Subject"] for m in ops_smtp.messages()]
        assert f"{ALERT_AFTER} polls in a row" in about[0]["Subject"]
        assert "not a" in about[0].get_content(), "the mail says why"

        # The source recovers: its articles load once, its copies join the stories already loaded.
        answer["body"] = None
        recovered_at = OBSERVED_AT + len(garbage) * RUN_STEP
        outcomes = ingest_run(settings, recovered_at, notifier)
        assert outcomes[GARBAGE_SOURCE].status == "ok", outcomes[GARBAGE_SOURCE]
        health = feed_health(settings, GARBAGE_SOURCE)
        assert (health.consecutive_failures, health.last_error, health.alerted_at) == (0, None, None)
        assert health.last_success_at == recovered_at
        assert monitor_statuses(settings, recovered_at)[GARBAGE_SOURCE] == "ok"
        assert len(ops_mails(ops_smtp, GARBAGE_SOURCE)) == 1, "no second mail"
        assert len(ops_mails(ops_smtp, "missing")) == 1, "each failing source reported once"
    elapsed = time.monotonic() - started

    count = warehouse_count("garbage-feed", url, base).report()
    print(f"  {len(garbage)} garbage runs + recovery, {elapsed:.1f} s")
    assert count.lost == 0, count.detail
    assert count.duplicated == 0, count.detail
    assert set(item_statuses(url)) <= {"done", "skipped"}


def feed_health(settings: Settings, source: str) -> FeedHealthRow:
    with warehouse(settings) as session:
        row = session.get(FeedHealthRow, source)
        assert row is not None, f"no feed_health row for {source}"
        session.expunge(row)
        return row


def monitor_statuses(settings: Settings, now: datetime) -> dict[str, str]:
    """Each source's status as the News Monitor page shows it (ok, warning, failing)."""
    from newswatch.monitor.queries import feed_statuses

    with warehouse(settings) as session:
        return {feed.source: feed.status for feed in feed_statuses(session, now)}


def ops_mails(sink: MailSink, source: str) -> list[EmailMessage]:
    return [m for m in sink.messages() if f"source {source} failing" in str(m["Subject"])]
