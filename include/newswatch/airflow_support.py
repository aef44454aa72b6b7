"""The thin layer between Airflow and the pipeline: settings from Connections, SMTP transport, task errors.

Kept apart from the stage functions so that those stay plain Python; imported only inside tasks, so
that parsing a DAG file does no I/O.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newswatch.alerts.deliver import SmtpTransport
from newswatch.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:  # the poll step (HTTP client, feed parser) loads only in the task that polls
    from airflow.sdk import PokeReturnValue

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


FORCE_PARAM = "force"  # newswatch_ingest: poll every enabled source now, whatever its schedule
SKIP_WAIT_PARAM = "skip_wait_for_ingest"  # newswatch_digest: do not wait for ingest (backfills)


def _param(params: Mapping[str, Any] | None, name: str) -> bool:
    return _flag((params or {}).get(name, False))


def poll_forced(params: Mapping[str, Any] | None, try_number: int | None) -> bool:
    """Whether a poll task polls its source now, whatever the source's schedule and backoff: when the run
    was triggered with ``force``, or on any try after the first. The poll task has no automatic retries
    (the source's backoff is its retry), so a second try is a task cleared by hand: someone wants that
    source polled, and it must not end green because the source is "not due"."""
    return _param(params, FORCE_PARAM) or (try_number or 1) > 1


def run_poll_task(source_name: str) -> dict[str, Any]:
    """The body of the ingest DAG's ``source.poll_source`` task: poll the source (forced per
    :func:`poll_forced`), mail ops through the SMTP connection when it keeps failing, and fail the task
    when the source is failing (:func:`fail_task_for_poll`); return the outcome for XCom."""
    from airflow.sdk import get_current_context

    from newswatch.ingest import poll

    context = get_current_context()
    force = poll_forced(context.get("params"), getattr(context.get("ti"), "try_number", None))
    outcome = poll.poll_source(task_settings(), source_name, datetime.now(UTC), force=force, notifier=smtp_transport())
    fail_task_for_poll(outcome)
    return outcome.as_dict()


def fail_task_for_poll(outcome: PollOutcome) -> None:
    """Fail the task, at once and without retry, when the source is failing: a poll that failed now, or a
    source still failing from an earlier poll and waiting out its backoff. Ops see a red square on every
    run of an outage; the next real attempt is the source's backoff (or a clear of this task, which
    polls at once)."""
    from airflow.sdk.exceptions import AirflowFailException

    if not outcome.failing:
        return
    if outcome.failed:
        kind = "transient" if outcome.transient else "permanent: check the feed URL in the sources file"
        message = (
            f"source {outcome.source}: {outcome.error} ({kind}; {outcome.consecutive_failures} failed "
            f"poll(s) in a row; next attempt at {_utc_minute(outcome.next_poll_at)}, or clear this task to poll now)"
        )
    else:
        message = f"source {outcome.source}: {outcome.error} (clear this task to poll now)"
    raise AirflowFailException(message)


def _utc_minute(iso: str | None) -> str:
    if not iso:
        return "the next run"
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def wait_for_ingest_poke(params: Mapping[str, Any] | None, until: datetime) -> PokeReturnValue:
    """One poke of the digest DAG's ``wait_for_ingest`` sensor: done when the warehouse covers the window
    up to ``until``. With the run's ``skip_wait_for_ingest`` param, skips the sensor at once (a backfill of
    past days: ingest will never again "catch up" with a window long closed, nor needs to)."""
    from airflow.sdk import PokeReturnValue
    from airflow.sdk.exceptions import AirflowSkipException

    from newswatch.alerts.send import ingest_coverage

    if _param(params, SKIP_WAIT_PARAM):
        raise AirflowSkipException(f"{SKIP_WAIT_PARAM} is set: not waiting for ingest; the digest uses what is loaded")
    coverage = ingest_coverage(task_settings(), until)
    return PokeReturnValue(is_done=coverage.covered, xcom_value=coverage.describe())
