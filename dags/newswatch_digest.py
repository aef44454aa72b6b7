"""
### newswatch daily digest

Every day at 08:00 Asia/Kolkata, mails analysts the India–Italy defence stories of the run's data
interval (the 24 hours before the run), one entry per story cluster.

**Tasks**
- `preview_digest`: selects the stories of the data interval (never "now"), renders them and writes a
  preview under `var/digests/`.
- `deliver_digest`: sends the digest through the Airflow SMTP connection (`smtp_default`, or the
  Variable `newswatch_smtp_conn_id`), or writes it to the outbox when no connection is set. The
  `alert_deliveries` ledger makes delivery exactly-once per recipient: re-running a day sends nothing
  already sent.

**When it fails**: a failed `deliver_digest` lists the recipients that failed; clearing the task sends
only to them.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, task

DEFAULT_ARGS = {
    "owner": "newswatch-analysts",
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=15),
    "execution_timeout": timedelta(minutes=15),
}


@dag(
    dag_id="newswatch_digest",
    schedule=CronTriggerTimetable("0 8 * * *", timezone="Asia/Kolkata", interval=timedelta(days=1)),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Kolkata"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newswatch", "alerts"],
    doc_md=__doc__,
)
def newswatch_digest() -> None:
    @task
    def preview_digest(data_interval_start=None, data_interval_end=None) -> dict:  # type: ignore[no-untyped-def]
        """Render the data interval's digest to var/digests/ and return its summary."""
        from newswatch import pipeline
        from newswatch.airflow_support import task_settings

        return pipeline.preview_digest(task_settings(), data_interval_start, data_interval_end)

    @task
    def deliver_digest(preview: dict, data_interval_start=None, data_interval_end=None) -> dict:  # type: ignore[no-untyped-def]
        """Send the digest to every recipient not yet served; fail if any recipient failed."""
        from newswatch import pipeline
        from newswatch.airflow_support import smtp_transport, task_settings

        report = pipeline.send_digest(
            task_settings(), data_interval_start, data_interval_end, transport=smtp_transport()
        )
        if report.failed:
            raise RuntimeError(f"digest {preview['digest_id']} failed for {sorted(report.failed)}")
        return {"digest_id": preview["digest_id"], "sent": report.sent, "skipped": report.skipped}

    deliver_digest(preview_digest())


newswatch_digest()
