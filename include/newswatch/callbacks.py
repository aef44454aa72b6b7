"""Airflow callbacks: one mail to ops when a DAG run fails, naming the failing task, the end of its
error and a link to its log.

DAG files import this module at parse time, so it imports nothing heavy at module level. The callback
is a DAG-level ``on_failure_callback``: Airflow calls it once when a run fails (not once per failed
task or retry), in the DAG processor, with the last failing task instance in its context.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LOGGER = logging.getLogger(__name__)

LOG_TAIL_LINES = 12


def notify_ops_of_failed_run(context: Mapping[str, Any]) -> None:
    """DAG ``on_failure_callback``: mail ops (SMTP connection, else the outbox) about the failed run."""
    from newswatch.airflow_support import smtp_transport, task_settings
    from newswatch.alerts.deliver import OutboxTransport, Transport
    from newswatch.alerts.ops import failed_run_message

    settings = task_settings()
    failure = describe_failure(context)
    message = failed_run_message(failure, settings.mail_from, settings.ops_email)
    transport: Transport | None = smtp_transport()
    if transport is None:
        transport = OutboxTransport(settings.outbox_dir / "ops")
    try:
        transport.send(message, settings.ops_email)
    except Exception as exc:  # a callback that raises only adds noise to the processor's log
        LOGGER.error("could not tell ops about failed run %s: %s", failure.get("run_id"), exc)
        return
    LOGGER.warning("told %s that %s run %s failed", settings.ops_email, failure.get("dag_id"), failure.get("run_id"))


def describe_failure(context: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of a failed run from an Airflow callback context (missing ones are None)."""
    ti = context.get("ti") or context.get("task_instance")
    dag = context.get("dag")
    run_id = context.get("run_id") or getattr(ti, "run_id", None)
    dag_id = getattr(dag, "dag_id", None) or getattr(ti, "dag_id", None)
    failure: dict[str, Any] = {
        "dag_id": dag_id,
        "run_id": run_id,
        "reason": str(context.get("reason") or ""),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", None),
        "try_number": getattr(ti, "try_number", None),
        "log_url": _safe(lambda: ti.log_url) if ti is not None else None,
        "error_tail": [],
    }
    exception = context.get("exception")
    if exception is not None:
        failure["error_tail"] = f"{type(exception).__name__}: {exception}".splitlines()[-LOG_TAIL_LINES:]
    elif ti is not None:
        failure["error_tail"] = task_log_tail(dag_id, run_id, ti)
    return failure


def task_log_tail(dag_id: str | None, run_id: str | None, ti: Any, lines: int = LOG_TAIL_LINES) -> list[str]:
    """The last error lines of the task's local log file, when this process can read it (single machine
    or a shared log volume); [] otherwise — the mail then relies on the log link."""
    if not (dag_id and run_id and getattr(ti, "task_id", None)):
        return []
    try:
        from airflow.configuration import conf

        base = Path(conf.get("logging", "base_log_folder"))
    except Exception:
        return []
    folder = base / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={ti.task_id}"
    map_index = getattr(ti, "map_index", -1)
    if isinstance(map_index, int) and map_index >= 0:
        folder = folder / f"map_index={map_index}"
    logs = sorted(folder.glob("attempt=*.log"), key=lambda p: p.stat().st_mtime)
    if not logs:
        return []
    return error_lines(logs[-1].read_text(encoding="utf-8", errors="replace").splitlines(), lines)


def error_lines(raw_lines: list[str], lines: int = LOG_TAIL_LINES) -> list[str]:
    """Readable text of a task log's last lines; Airflow 3 writes JSON records, one per line."""
    text: list[str] = []
    for raw in raw_lines:
        try:
            record = json.loads(raw)
        except ValueError:
            text.append(raw)
            continue
        if not isinstance(record, dict):
            text.append(raw)
            continue
        event = str(record.get("event", ""))
        level = str(record.get("level", "")).upper()
        text.append(f"{level} {event}".strip())
        for frame in record.get("error_detail") or []:
            if isinstance(frame, dict) and frame.get("exc_type"):
                text.append(f"{frame.get('exc_type')}: {frame.get('exc_value', '')}")
    errors_from = next((i for i, line in enumerate(text) if line.startswith(("ERROR", "CRITICAL"))), None)
    tail = text[errors_from:] if errors_from is not None else text
    return [line[:500] for line in tail[-lines:]]


def _safe(read: Any) -> Any:
    try:
        return read()
    except Exception:
        return None
