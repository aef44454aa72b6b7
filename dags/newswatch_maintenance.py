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

from airflow.sdk import Variable, dag, task

from newswatch.dag_defaults import DAG_DEFAULTS, START_DATE, task_defaults


@dag(
    dag_id="newswatch_maintenance",
    schedule="30 3 * * *",
    start_date=START_DATE,
    default_args=task_defaults(
        "newswatch-ops", retries=2, retry_delay=timedelta(minutes=5), execution_timeout=timedelta(minutes=30)
    ),
    **DAG_DEFAULTS,
    tags=["newswatch", "maintenance"],
    doc_md=__doc__,
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
