"""
### newswatch immediate alerts

Runs each time the ingest DAG updates the `newswatch_articles` Asset (data-aware scheduling) and mails
any India–Italy defence story scoring above the recipients file's `immediate.min_score` at once,
within one ingest cycle of its loading, instead of waiting for the next morning's digest. **Off by
default**: `immediate: {enabled: true, min_score: 0.97}` in the recipients file (`NEWSWATCH_RECIPIENTS`,
default `newswatch/resources/config/recipients.yaml`) or the Variable `newswatch_recipients` turns it on.

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
from newswatch.dag_defaults import DAG_DEFAULTS, START_DATE, task_defaults


@dag(
    dag_id="newswatch_alerts",
    schedule=[ARTICLES],
    start_date=START_DATE,
    default_args=task_defaults(
        "newswatch-analysts",
        retries=2,
        retry_delay=timedelta(minutes=1),
        execution_timeout=timedelta(minutes=10),
        max_retry_delay=timedelta(minutes=10),
    ),
    **DAG_DEFAULTS,
    tags=["newswatch", "alerts"],
    doc_md=__doc__,
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
