"""Ops notifications: a source that keeps failing is reported once, not at every poll; a failed DAG run
is reported once, with its failing task and the end of its error."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

LOGGER = logging.getLogger(__name__)

SLUG_RE = re.compile(r"[^A-Za-z0-9_.-]+")


def feed_failing_message(
    source: str,
    feed_url: str,
    failures: int,
    last_error: str | None,
    last_success_at: datetime | None,
    observed_at: datetime,
    mail_from: str,
    to: str,
) -> EmailMessage:
    """The mail telling ops that ``source`` has failed ``failures`` polls in a row, and why."""
    message = EmailMessage()
    message["Subject"] = f"[newswatch] source {source} failing: {failures} polls in a row"
    message["From"] = mail_from
    message["To"] = to
    message["Date"] = format_datetime(observed_at)
    message["Message-ID"] = f"<feed-failing.{source}.{int(observed_at.timestamp())}@newswatch>"
    message["X-Newswatch-Digest"] = f"ops-feed-failing-{source}-{observed_at:%Y%m%dT%H%M%S}"
    last_ok = last_success_at.isoformat() if last_success_at else "never"
    message.set_content(
        f"The feed of source '{source}' has failed {failures} polls in a row.\n\n"
        f"Feed URL:      {feed_url}\n"
        f"Last error:    {last_error or '(none recorded)'}\n"
        f"Last success:  {last_ok}\n"
        f"Last attempt:  {observed_at.isoformat()}\n\n"
        "newswatch keeps polling it with exponential backoff (at least once a day) and will not mail\n"
        "again about it until it has recovered and failed again. See the feed_health table or the\n"
        "v_feed_health view, and the source.poll_source task logs in the newswatch_ingest DAG.\n"
    )
    return message


def failed_run_message(failure: dict[str, Any], mail_from: str, to: str) -> EmailMessage:
    """The one mail ops get when a DAG run fails: which task, the end of its error, where its log is."""
    dag_id, run_id = failure.get("dag_id") or "?", failure.get("run_id") or "?"
    task = failure.get("task_id") or "(unknown task)"
    if isinstance(failure.get("map_index"), int) and failure["map_index"] >= 0:
        task = f"{task}[{failure['map_index']}]"
    message = EmailMessage()
    message["Subject"] = f"[newswatch] {dag_id} run failed: {task}"
    message["From"] = mail_from
    message["To"] = to
    # One run, one Message-ID: should the callback ever fire twice, mail clients show one message.
    message["Message-ID"] = f"<run-failed.{_slug(dag_id)}.{_slug(run_id)}@newswatch>"
    message["X-Newswatch-Digest"] = f"ops-run-failed-{_slug(dag_id)}-{_slug(run_id)}"[:120]
    lines = failure.get("error_tail") or ["(not readable here: see the log)"]
    tail = "\n".join(f"    {line}" for line in lines)
    message.set_content(
        f"The {dag_id} DAG run {run_id} failed.\n\n"
        f"Failing task:  {task} (try {failure.get('try_number') or '?'})\n"
        f"Reason:        {failure.get('reason') or '(none given)'}\n"
        f"Log:           {failure.get('log_url') or '(no link)'}\n\n"
        f"The error's last lines:\n{tail}\n\n"
        "What to do: open the log; the DAG's documentation (Docs in the Airflow UI) says what each task\n"
        "does and what to do when it fails. Clearing the failed task re-runs it; nothing is loaded twice.\n"
    )
    return message


def _slug(value: str) -> str:
    return SLUG_RE.sub("-", value).strip("-")[:80]
