"""Airflow-side guards: the DAG failure callback's pieces (reading a task log's end, describing the
failure, the ops mail; the callback itself runs in a real failed DAG run in test_e2e.py) and the refusal
of a SQLite warehouse under a distributed executor."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from newswatch.airflow_support import check_warehouse_reachable_by_all_workers
from newswatch.alerts.ops import failed_run_message
from newswatch.callbacks import describe_failure, error_lines
from newswatch.config import ConfigError


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
