"""What every newswatch DAG shares, in one place: start date, one active run, no catch-up, the failed-run
mail to ops, and retries with exponential backoff under an execution timeout.

Imported by the DAG files at parse time, so it imports nothing heavy: ``pendulum`` and the callback.
Each DAG still says its own ``dag_id``, ``schedule``, tags and docs where a reader looks for them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum

from newswatch.callbacks import notify_ops_of_failed_run

START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")

# Spread into every @dag(...): catch-up would replay months of polls; two runs of one DAG would race.
DAG_DEFAULTS: dict[str, Any] = {
    "catchup": False,
    "max_active_runs": 1,
    "on_failure_callback": notify_ops_of_failed_run,  # one mail to ops per failed run
}


def task_defaults(
    owner: str,
    *,
    retries: int = 2,
    retry_delay: timedelta,
    execution_timeout: timedelta,
    max_retry_delay: timedelta | None = None,
) -> dict[str, Any]:
    """``default_args`` for a DAG's tasks: its owner, retries with exponential backoff, a timeout."""
    args: dict[str, Any] = {
        "owner": owner,
        "retries": retries,
        "retry_delay": retry_delay,
        "retry_exponential_backoff": True,
        "execution_timeout": execution_timeout,
    }
    if max_retry_delay is not None:
        args["max_retry_delay"] = max_retry_delay
    return args
