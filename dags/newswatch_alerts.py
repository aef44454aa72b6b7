"""
### newswatch immediate alerts

Runs each time the ingest DAG updates the `newswatch_articles` Asset (data-aware scheduling) and mails
any India–Italy defence story scoring above the recipients file's `immediate.min_score` at once,
within one ingest cycle of its loading, instead of waiting for the next morning's digest. **Off by
default**: `immediate: {enabled: true, min_score: 0.97}` in `include/config/recipients.yaml` (or the
Variable `newswatch_recipients`) turns it on.

**Tasks**
- `send_immediate_alerts`: selects the stories of the last two days at or above the threshold and mails
  each one to the recipients whose filters it passes, through the same SMTP connection as the digest
  (or the outbox). The `alert_deliveries` ledger (one entry per story and recipient) makes each alert
  go out once, however often this runs.

**When it fails**: the failing recipients are listed; a retry or the next ingest cycle sends only to
those not yet served.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from newswatch.assets import ARTICLES
from newswatch.callbacks import notify_ops_of_failed_run

DEFAULT_ARGS = {
    "owner": "newswatch-analysts",
    "retries": 2,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(minutes=10),
}


@dag(
    dag_id="newswatch_alerts",
    schedule=[ARTICLES],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["newswatch", "alerts"],
    doc_md=__doc__,
    on_failure_callback=notify_ops_of_failed_run,  # one mail to ops per failed run
)
def newswatch_alerts() -> None:
    @task
    def send_immediate_alerts() -> dict:
        """Mail each new story above the immediate-alert threshold, once per recipient."""
        from newswatch.airflow_support import (
            config_errors_fail_at_once,
            recipients_variable,
            smtp_transport,
            task_settings,
        )
        from newswatch.alerts import send

        with config_errors_fail_at_once():
            report = send.send_immediate_alerts(
                task_settings(), pendulum.now("UTC"), transport=smtp_transport(), recipients_text=recipients_variable()
            )
        if report.failed:
            raise RuntimeError(f"immediate alerts failed for {sorted(report.failed)}")
        return report.as_dict()

    send_immediate_alerts()


newswatch_alerts()
