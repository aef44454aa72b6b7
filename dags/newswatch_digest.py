"""
### newswatch daily digest

Every day at 08:00 Asia/Kolkata, mails analysts the India–Italy defence stories of the run's data
interval (the 24 hours before the run), one entry per story cluster, grouped by topic, with a chart of
the last 30 days. A re-run or backfill of any past day produces that day's digest, never "now minus
24 hours".

**Tasks**
- `wait_for_ingest`: waits (rescheduling itself, every 2 min, up to 2 h) until the warehouse covers
  the window: every enabled source polled since the window's end (or not due before it) and no
  fetched page left unprocessed. It reads the `newswatch_articles` Asset that the ingest DAG updates.
  If ingest stays behind for 2 h it gives up (skipped) and the digest goes out with what is loaded.
  Skipped at once when the run's `skip_wait_for_ingest` param is set.
- `preview_digest`: selects the stories of the data interval, renders them and writes a preview
  (HTML, text and the chart PNG) under `var/digests/`.
- `deliver_digest`: sends the digest through the Airflow SMTP connection (`smtp_default`, or the
  Variable `newswatch_smtp_conn_id`), or writes it to the outbox when no connection is set.
  Recipients come from the recipients file (`NEWSWATCH_RECIPIENTS`, default
  `newswatch/resources/config/recipients.yaml`), or the Variable `newswatch_recipients`.
  The `alert_deliveries` ledger makes delivery exactly-once per recipient: re-running a day sends
  nothing already sent.

**Params** (Trigger DAG with config)
- `skip_wait_for_ingest` (default `false`): do not wait for ingest; `wait_for_ingest` is skipped at once
  and the digest is built from what the warehouse holds. For a backfill or re-run of past days, whose
  windows ingest will never "catch up" with again: `airflow backfill create --dag-id newswatch_digest
  --from-date … --to-date … --dag-run-conf '{"skip_wait_for_ingest": true}'`, or "Trigger" in the UI.

**When it fails**: a failed `deliver_digest` lists the recipients that failed (retried with backoff
first); clearing the task sends only to them. A recipients-file mistake fails the task with the file,
group and key at fault.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import CronTriggerTimetable, Param, PokeReturnValue, dag, task

from newswatch.assets import ARTICLES
from newswatch.dag_defaults import DAG_DEFAULTS, task_defaults


@dag(
    dag_id="newswatch_digest",
    schedule=CronTriggerTimetable("0 8 * * *", timezone="Asia/Kolkata", interval=timedelta(days=1)),
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Kolkata"),
    default_args=task_defaults(
        "newswatch-analysts",
        retries=3,
        retry_delay=timedelta(minutes=1),
        execution_timeout=timedelta(minutes=15),
        max_retry_delay=timedelta(minutes=15),
    ),
    **DAG_DEFAULTS,
    params={
        "skip_wait_for_ingest": Param(
            False,
            type="boolean",
            title="Do not wait for ingest",
            description="Skip wait_for_ingest and build the digest from what is loaded: for backfills "
            "and re-runs of past days.",
        ),
    },
    tags=["newswatch", "alerts"],
    doc_md=__doc__,
)
def newswatch_digest() -> None:
    @task.sensor(
        inlets=[ARTICLES],
        poke_interval=120,
        timeout=2 * 3600,
        mode="reschedule",
        soft_fail=True,
        execution_timeout=timedelta(minutes=5),  # one poke; `timeout` bounds the whole wait
    )
    def wait_for_ingest(params=None, data_interval_end=None) -> PokeReturnValue:  # type: ignore[no-untyped-def]
        """Done when the warehouse holds everything published before the window's end.

        **In**: `feed_health` and `feed_items`; the run's `skip_wait_for_ingest` param (skipped at once when
        set: backfills of past days). **Out**: which sources it waited for (XCom). **When it fails**: it
        does not; after 2 h it is skipped and the digest goes out with what is loaded.
        """
        from newswatch.airflow_support import wait_for_ingest_poke

        return wait_for_ingest_poke(params, data_interval_end)

    @task(trigger_rule="none_failed")
    def preview_digest(data_interval_start=None, data_interval_end=None) -> dict:  # type: ignore[no-untyped-def]
        """Render the data interval's digest to var/digests/ and return its summary.

        **In**: the warehouse's relevant articles in the data interval. **Out**: HTML, text and chart PNG
        under var/digests/, a summary (XCom). **When it fails**: the warehouse is unreachable; clear it.
        """
        from newswatch.airflow_support import task_settings
        from newswatch.alerts import send

        return send.preview_digest(task_settings(), data_interval_start, data_interval_end)

    @task
    def deliver_digest(preview: dict, data_interval_start=None, data_interval_end=None) -> dict:  # type: ignore[no-untyped-def]
        """Send the digest to every recipient not yet served; fail if any recipient failed.

        **In**: the window's stories, the recipients file or Variable, the SMTP connection. **Out**: one
        mail per recipient, `alert_deliveries` rows. **When it fails**: failed recipients are listed and
        retried with backoff; a recipients-file mistake fails at once, naming the file, group and key.
        """
        from newswatch.airflow_support import (
            config_errors_fail_at_once,
            recipients_variable,
            smtp_transport,
            task_settings,
        )
        from newswatch.alerts.send import send_digest

        with config_errors_fail_at_once():
            report = send_digest(
                task_settings(),
                data_interval_start,
                data_interval_end,
                transport=smtp_transport(),
                recipients_text=recipients_variable(),
            )
        if report.failed:
            raise RuntimeError(f"digest {preview['digest_id']} failed for {sorted(report.failed)}")
        return {"digest_id": preview["digest_id"], "sent": report.sent, "skipped": report.skipped}

    preview = preview_digest()
    wait_for_ingest() >> preview
    deliver_digest(preview)  # type: ignore[arg-type]  # an XComArg here, the preview's dict in the task


newswatch_digest()
