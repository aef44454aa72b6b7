"""The thin layer between Airflow and the pipeline: settings from Connections, SMTP transport, task errors.

Kept apart from the stage functions so that those stay plain Python; imported only inside tasks, so
that parsing a DAG file does no I/O.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from newswatch.alerts.deliver import SmtpTransport
from newswatch.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:  # the poll step (HTTP client, feed parser) loads only in the task that polls
    from newswatch.ingest.poll import PollOutcome

LOGGER = logging.getLogger(__name__)

WAREHOUSE_CONN_ID = "newswatch_warehouse"
DEFAULT_SMTP_CONN_ID = "smtp_default"


def _connection(conn_id: str) -> Any | None:
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return Connection.get(conn_id)
    except AirflowNotFoundException:
        return None


def task_settings() -> Settings:
    """Settings for a task: env vars first, then the ``newswatch_warehouse`` connection, then defaults."""
    settings = load_settings()
    if not os.environ.get("NEWSWATCH_WAREHOUSE_URL"):
        conn = _connection(WAREHOUSE_CONN_ID)
        if conn is not None:
            settings = dataclasses.replace(settings, warehouse_url=conn.get_uri())
    check_warehouse_reachable_by_all_workers(settings.warehouse_url, _executors())
    return settings


SINGLE_MACHINE_EXECUTORS = ("LocalExecutor", "SequentialExecutor")


def _executors() -> list[str]:
    from airflow.configuration import conf

    return [e.strip().split(".")[-1] for e in str(conf.get("core", "executor", fallback="")).split(",") if e.strip()]


def check_warehouse_reachable_by_all_workers(warehouse_url: str, executors: list[str]) -> None:
    """A SQLite warehouse is a file on one machine's disk: with Celery or Kubernetes workers each worker
    would silently load into its own copy. Refuse it with a clear error instead."""
    distributed = [e for e in executors if e not in SINGLE_MACHINE_EXECUTORS]
    if warehouse_url.startswith("sqlite") and distributed:
        raise ConfigError(
            f"the warehouse is SQLite ({warehouse_url}) but tasks run on {', '.join(distributed)}: every worker "
            "would write its own file. Set NEWSWATCH_WAREHOUSE_URL (or the newswatch_warehouse connection) "
            "to a PostgreSQL database all workers reach."
        )


def smtp_transport(conn_id: str | None = None) -> SmtpTransport | None:
    """An SMTP transport from the Airflow connection (default: the Variable ``newswatch_smtp_conn_id``,
    else ``smtp_default``), read the way the SMTP provider reads it; None when it is not set."""
    if conn_id is None:
        from airflow.sdk import Variable

        conn_id = str(Variable.get("newswatch_smtp_conn_id", default=DEFAULT_SMTP_CONN_ID))
    conn = _connection(conn_id)
    if conn is None or not conn.host:
        return None
    extra = conn.extra_dejson or {}
    use_ssl = not _flag(extra.get("disable_ssl", False))
    return SmtpTransport(
        host=conn.host,
        port=conn.port or (465 if use_ssl else 25),
        login=conn.login or None,
        password=conn.password or None,
        use_ssl=use_ssl,
        starttls=not use_ssl and not _flag(extra.get("disable_tls", False)),
        timeout_s=float(extra.get("timeout", 30)),
    )


RECIPIENTS_VARIABLE = "newswatch_recipients"


def recipients_variable() -> str | None:
    """The recipients YAML from the Airflow Variable ``newswatch_recipients``; None when unset, so the
    recipients file applies (NEWSWATCH_RECIPIENTS, else the bundled one). Lets ops change who gets the
    digest without a deploy."""
    from airflow.sdk import Variable

    value = Variable.get(RECIPIENTS_VARIABLE, default=None)
    return str(value) if value else None


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")


@contextmanager
def config_errors_fail_at_once() -> Iterator[None]:
    """A configuration mistake fails the task at once: retrying cannot fix a file or a Variable."""
    from airflow.sdk.exceptions import AirflowFailException

    try:
        yield
    except ConfigError as exc:
        raise AirflowFailException(f"configuration error: {exc}") from exc


def fail_task_for_poll(outcome: PollOutcome) -> None:
    """Turn a failed poll into a task failure: retried when the cause may pass, failed at once otherwise."""
    from airflow.sdk.exceptions import AirflowFailException

    if not outcome.failed:
        return
    message = f"source {outcome.source}: {outcome.error}"
    if outcome.transient:
        raise RuntimeError(message)
    raise AirflowFailException(message)
