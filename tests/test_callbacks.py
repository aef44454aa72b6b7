"""Airflow-side guards: the DAG failure callback's pieces (reading a task log's end, describing the
failure, the ops mail; the callback itself runs in a real failed DAG run in test_e2e.py), the refusal
of a SQLite warehouse under a distributed executor, and the task glue of issue #17: which poll outcomes
fail the poll task (at once, never retried), when a poll is forced, and the digest's skip param."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from airflow.sdk import PokeReturnValue
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from newswatch import airflow_support
from newswatch.airflow_support import (
    check_warehouse_reachable_by_all_workers,
    fail_task_for_poll,
    poll_forced,
    wait_for_ingest_poke,
)
from newswatch.alerts.ops import failed_run_message
from newswatch.callbacks import describe_failure, error_lines
from newswatch.config import ConfigError
from newswatch.ingest.poll import PollOutcome


def test_error_lines_reads_airflow_json_logs_from_the_first_error() -> None:
    raw = [
        json.dumps({"event": "Starting", "level": "info"}),
        json.dumps({"event": "polling ians", "level": "info"}),
        json.dumps(
            {
                "event": "Task failed with exception",
                "level": "error",
                "error_detail": [{"exc_type": "ConfigError", "exc_value": "recipients.yaml: groups.desk"}],
            }
        ),
        "plain text line",
    ]
    assert error_lines(raw) == [
        "ERROR Task failed with exception",
        "ConfigError: recipients.yaml: groups.desk",
        "plain text line",
    ]
    assert error_lines(["a", "b", "c"], lines=2) == ["b", "c"], "no error: the last lines"


def test_describe_failure_from_a_callback_context() -> None:
    ti = SimpleNamespace(
        dag_id="newswatch_ingest",
        run_id="scheduled__2026-02-28T01:00:00+00:00",
        task_id="source.poll_source",
        map_index=3,
        try_number=2,
        log_url="http://localhost:8080/dags/newswatch_ingest/runs/x/tasks/source.poll_source/mapped/3",
    )
    context = {"ti": ti, "reason": "task_failure", "exception": RuntimeError("source ians: HTTP 503\nretry later")}
    failure = describe_failure(context)
    assert failure["task_id"] == "source.poll_source" and failure["map_index"] == 3
    assert failure["error_tail"] == ["RuntimeError: source ians: HTTP 503", "retry later"]
    message = failed_run_message(failure, "newswatch@example.org", "ops@example.org")
    assert message["Subject"] == "[newswatch] newswatch_ingest run failed: source.poll_source[3]"
    assert message["Message-ID"] == "<run-failed.newswatch_ingest.scheduled__2026-02-28T01-00-00-00-00@newswatch>"
    body = message.get_content()
    assert "Failing task:  source.poll_source[3] (try 2)" in body
    assert "    RuntimeError: source ians: HTTP 503\n    retry later" in body
    assert ti.log_url in body


def test_describe_failure_with_a_bare_context_says_what_it_can() -> None:
    failure = describe_failure({"reason": "timed out"})
    message = failed_run_message(failure, "newswatch@example.org", "ops@example.org")
    assert "(not readable here: see the log)" in message.get_content()
    assert message["Subject"] == "[newswatch] ? run failed: (unknown task)"


def test_sqlite_warehouse_is_refused_on_distributed_executors() -> None:
    """Celery workers cannot share a SQLite file: the task fails with a message saying what to set."""
    check_warehouse_reachable_by_all_workers("sqlite:///var/warehouse.db", ["LocalExecutor"])
    check_warehouse_reachable_by_all_workers("postgresql://db/warehouse", ["CeleryExecutor"])
    with pytest.raises(ConfigError, match="every worker would write its own file"):
        check_warehouse_reachable_by_all_workers("sqlite:///var/warehouse.db", ["LocalExecutor", "CeleryExecutor"])


# --- issue #17: the poll task is red whenever its source is failing, and never retried by Airflow ---------


@pytest.mark.parametrize("status", ["ok", "partial", "not_modified", "unchanged", "not_due"])
def test_a_poll_that_did_not_fail_passes(status: str) -> None:
    fail_task_for_poll(PollOutcome(source="ians", status=status, error="a warning" if status == "partial" else None))


@pytest.mark.parametrize(("transient", "kind"), [(True, "transient"), (False, "permanent")])
def test_a_failed_poll_fails_the_task_at_once(transient: bool, kind: str) -> None:
    """AirflowFailException, not a retryable error: the source's backoff is the retry, and a retry moments
    later would find the source "not due" and turn the square green."""
    outcome = PollOutcome(
        source="ians",
        status="failed",
        error="ConnectError: [Errno -2] Name or service not known",
        transient=transient,
        consecutive_failures=3,
        next_poll_at="2026-03-02T09:40:00+00:00",
    )
    with pytest.raises(AirflowFailException) as raised:
        fail_task_for_poll(outcome)
    message = str(raised.value)
    assert message.startswith("source ians: ConnectError: [Errno -2] Name or service not known")
    assert kind in message and "3 failed poll(s) in a row" in message
    assert "next attempt at 2026-03-02 09:40 UTC" in message and "clear this task" in message


def test_a_source_still_failing_in_its_backoff_fails_the_task_too() -> None:
    error = "still failing since 2026-03-02 09:00 UTC (1 failed poll in a row), next attempt at 2026-03-02 09:10 UTC"
    with pytest.raises(AirflowFailException, match="source ians: still failing since 2026-03-02 09:00 UTC"):
        fail_task_for_poll(PollOutcome(source="ians", status="still_failing", error=error, consecutive_failures=1))


@pytest.mark.parametrize(
    ("params", "try_number", "forced"),
    [
        (None, 1, False),
        ({}, None, False),
        ({"force": False}, 1, False),
        ({"force": True}, 1, True),
        ({"force": "true"}, 1, True),
        ({"force": "false"}, 1, False),
        ({"force": False}, 2, True),  # a cleared task: someone wants the source polled now
        (None, 5, True),
    ],
)
def test_poll_forced_by_the_param_or_a_later_try(
    params: dict[str, Any] | None, try_number: int | None, forced: bool
) -> None:
    assert poll_forced(params, try_number) is forced


def test_skip_wait_for_ingest_skips_the_sensor_without_reading_the_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_warehouse(*args: object) -> object:
        raise AssertionError("the warehouse must not be read")

    monkeypatch.setattr(airflow_support, "task_settings", no_warehouse)
    until = datetime(2026, 2, 28, 2, 30, tzinfo=UTC)
    with pytest.raises(AirflowSkipException, match="skip_wait_for_ingest is set"):
        wait_for_ingest_poke({"skip_wait_for_ingest": True}, until)


def test_without_skip_the_sensor_waits_for_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    from newswatch.alerts import send

    seen: list[datetime] = []

    def coverage(settings: object, until: datetime) -> object:
        seen.append(until)
        return SimpleNamespace(covered=False, describe=lambda: "waiting for ians")

    monkeypatch.setattr(airflow_support, "task_settings", lambda: object())
    monkeypatch.setattr(send, "ingest_coverage", coverage)
    until = datetime(2026, 2, 28, 2, 30, tzinfo=UTC)
    for params in (None, {"skip_wait_for_ingest": False}):
        poke = wait_for_ingest_poke(params, until)
        assert isinstance(poke, PokeReturnValue)
        assert (poke.is_done, poke.xcom_value) == (False, "waiting for ians")
    assert seen == [until, until]
