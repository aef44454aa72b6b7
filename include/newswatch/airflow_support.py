"""The thin layer between Airflow and the pipeline: settings from Connections, SMTP transport, task errors.

Kept apart from the stage functions so that those stay plain Python; imported only inside tasks, so
that parsing a DAG file does no I/O.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterator
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


def resolve_settings(connection_uri: Callable[[str], str | None]) -> Settings:
    """Settings inside Airflow, the one order for tasks and the News Monitor alike: ``NEWSWATCH_*``
    variables first, then the ``newswatch_warehouse`` connection, then the defaults.

    ``connection_uri`` reads a connection's URI where the caller runs: a task through the Task SDK
    (:func:`task_connection_uri`), the API server's plugin from its secrets (:func:`server_connection_uri`).
    """
    settings = load_settings()
    if os.environ.get("NEWSWATCH_WAREHOUSE_URL"):
        return settings
    uri = connection_uri(WAREHOUSE_CONN_ID)
    return dataclasses.replace(settings, warehouse_url=uri) if uri else settings


def task_connection_uri(conn_id: str) -> str | None:
    conn = _connection(conn_id)
    return str(conn.get_uri()) if conn is not None else None


def server_connection_uri(conn_id: str) -> str | None:
    """A connection's URI read in the API server (no Task SDK there); None when absent or unreadable, so
    that a broken secrets backend shows the default warehouse rather than taking a page down."""
    try:
        from airflow.exceptions import AirflowNotFoundException
        from airflow.models.connection import Connection
    except ImportError:
        return None
    try:
        return str(Connection.get_connection_from_secrets(conn_id).get_uri())
    except AirflowNotFoundException:
        return None
    except Exception:
        LOGGER.warning("could not read connection %s", conn_id, exc_info=True)
        return None


def task_settings() -> Settings:
    """Settings for a task (see :func:`resolve_settings`), refusing a SQLite warehouse under a
    distributed executor."""
    settings = resolve_settings(task_connection_uri)
    check_warehouse_reachable_by_all_workers(settings.warehouse_url, _executors())
    return settings


def server_settings() -> Settings:
    """Settings for the News Monitor in the API server, read per request (see :func:`resolve_settings`)."""
    return resolve_settings(server_connection_uri)


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
    """The recipients YAML from the Airflow Variable ``newswatch_recipients``, read by a task; None when
    unset, so the recipients file applies (NEWSWATCH_RECIPIENTS, else the bundled one). Lets ops change
    who gets the digest without a deploy."""
    from airflow.sdk import Variable

    value = Variable.get(RECIPIENTS_VARIABLE, default=None)
    return str(value) if value else None


def server_recipients_variable() -> str | None:
    """The same Variable read in the API server (for the News Monitor's digest preview); None when unset
    or unreadable, and the page then shows the file's recipients."""
    try:
        from airflow.models.variable import Variable

        value = Variable.get(RECIPIENTS_VARIABLE, default_var=None)
    except Exception:
        LOGGER.warning("could not read Variable %s", RECIPIENTS_VARIABLE, exc_info=True)
        return None
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
