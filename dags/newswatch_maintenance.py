"""
### newswatch maintenance

Daily housekeeping of the warehouse's side storage.

**Tasks**
- `upgrade_warehouse`: runs the warehouse's Alembic migrations (a no-op when already at the newest
  revision), so a deployment picks up schema changes without a manual step.
- `prune_raw_html`: deletes raw HTML pages fetched more than `NEWSWATCH_RAW_RETENTION_DAYS` days
  (default 30; the Variable `newswatch_raw_retention_days` overrides it) before the end of the run's data
  interval. Article rows are kept; their `raw_ref` is cleared. Pages still waiting to be processed are
  never deleted.

**When it fails**: nothing downstream waits on it; clear the task after fixing the cause (disk
permissions, warehouse connection). Re-running a day deletes nothing more than the first run did.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Variable, dag, task

from newswatch.callbacks import notify_ops_of_failed_run

DEFAULT_ARGS = {
    "owner": "newswatch-ops",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(minutes=30),
}


@dag(
    dag_id="newswatch_maintenance",
    schedule="30 3 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newswatch", "maintenance"],
    doc_md=__doc__,
    on_failure_callback=notify_ops_of_failed_run,  # one mail to ops per failed run
)
def newswatch_maintenance() -> None:
    @task
    def upgrade_warehouse() -> str | None:
        """Run the warehouse migrations up to the newest revision."""
        from newswatch.airflow_support import task_settings
        from newswatch.warehouse.migrate import current_revision
        from newswatch.warehouse.session import engine_for, init_warehouse

        settings = task_settings()
        init_warehouse(settings)
        return current_revision(engine_for(settings.warehouse_url))

    @task
    def prune_raw_html(data_interval_end=None) -> dict:  # type: ignore[no-untyped-def]
        """Delete raw pages older than the retention age, counted back from the interval's end."""
        from newswatch.airflow_support import task_settings
        from newswatch.ingest.retention import prune_raw_store

        settings = task_settings()
        days = float(Variable.get("newswatch_raw_retention_days", default=settings.raw_retention_days))
        return prune_raw_store(settings, data_interval_end - timedelta(days=days))

    upgrade_warehouse() >> prune_raw_html()


newswatch_maintenance()
