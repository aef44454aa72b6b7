"""
### newswatch ingest

Every 10 minutes, polls each enabled source of the sources file (`NEWSWATCH_SOURCES`) that is due (each
feed has its own adaptive interval, 10 min to 24 h, in `feed_health.next_poll_at`), fetches the pages of new or
updated items, then extracts, cleans, de-duplicates, tags and loads them into the warehouse `articles`
table. HTTP tasks run in the `newswatch_http` pool.

**Params** (Trigger DAG with config)
- `force` (default `false`): poll every enabled source now, whatever its schedule or backoff, e.g. right
  after a fix or to see at once whether a source is back. Still polite: per-host pacing and robots.txt
  hold, and a server that answered 429 Too Many Requests is left alone until its wait is over. Same as
  `newswatch ingest --force`.

**Tasks**
- `list_sources`: mirrors the sources file into the warehouse; returns the enabled source names.
- `source.poll_source` (mapped, one per source): conditional GET of the feed; new items are queued in
  `feed_items`; `feed_health` is updated. **A red square here is a failing source, on every run while it
  fails**: the run that polled it and failed, and every later run while it waits out its backoff
  ("still failing since …, next attempt at …", no request made). Read its log or
  `feed_health.last_error`. This task has no Airflow retries: the source's own backoff is the retry
  (next run, then 20, 40, 80 min … up to 24 h; `Retry-After` honoured), so every attempt is real and
  counted in "failures in a row". A source failing 5 polls in a row (`NEWSWATCH_FAILURE_ALERT_AFTER`)
  mails ops once per outage, through `smtp_default` or the outbox.
- `source.fetch_pages` (mapped): fetches queued pages politely into the raw store.
- `process_articles`: runs even when some sources failed; updates the `newswatch_articles` Asset. The run's
  state is this task's: a run that loaded what the healthy sources had is green, its failing sources red.

**When it fails**: one source failing does not stop the others. To poll a red source again now, clear its
`source.poll_source` task (a cleared try polls at once, whatever the backoff) or trigger with `force`.
If `process_articles` fails, the fetched pages stay queued and the next run processes them.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task, task_group

from newswatch.assets import ARTICLES
from newswatch.dag_defaults import DAG_DEFAULTS, START_DATE, task_defaults

HTTP_POOL = "newswatch_http"  # bounds HTTP work across all tasks; created by `make airflow-init`


@dag(
    dag_id="newswatch_ingest",
    schedule=timedelta(minutes=10),
    start_date=START_DATE,
    default_args=task_defaults(
        "newswatch-ops",
        retries=2,
        retry_delay=timedelta(seconds=30),
        execution_timeout=timedelta(minutes=20),
        max_retry_delay=timedelta(minutes=10),
    ),
    **DAG_DEFAULTS,
    params={
        "force": Param(
            False,
            type="boolean",
            title="Poll every source now",
            description="Poll every enabled source now, whatever its schedule or backoff (robots.txt and "
            "per-host pacing still hold; a server's 429 is still waited out).",
        ),
    },
    tags=["newswatch", "ingest"],
    doc_md=__doc__,
)
def newswatch_ingest() -> None:
    @task
    def list_sources() -> list[str]:
        """Mirror the sources file (`NEWSWATCH_SOURCES`) into the `sources` table; return the enabled names.

        **In**: the sources file. **Out**: the list of source names (XCom), one mapped `source` group each.
        **When it fails**: the log names the file, line and key at fault; fix the file and clear the task.
        """
        from newswatch.airflow_support import task_settings
        from newswatch.ingest.poll import sync_sources
        from newswatch.warehouse.session import init_warehouse

        settings = task_settings()
        init_warehouse(settings)
        return sync_sources(settings)

    @task_group(group_id="source")
    def per_source(source_name: str) -> None:
        """One source: poll its feed, then fetch its new pages. One mapped instance per source, named by it.

        **In**: the source name. **Out**: `feed_items` rows queued and fetched, `feed_health` updated.
        **When it fails**: only this source is affected; its `feed_health.last_error` and the task log
        say why. A source failing 5 polls in a row mails ops once.
        """

        # retries=0: a retry moments later would find the source "not due" under its own backoff and end
        # green (or, forced, ignore that backoff and Retry-After). The source's backoff is the retry; a try
        # after the first (a clear) polls at once. See newswatch.ingest.poll.
        @task(map_index_template="{{ source_label }}", pool=HTTP_POOL, retries=0)
        def poll_source(source_name: str) -> dict:
            """Conditional GET of the feed when it is due (or forced); queue new or updated items; record feed health.

            **In**: the source name, the run's `force` param. **Out**: poll counts (XCom); `feed_items`,
            `feed_polls`, `feed_health`. **When it fails**: the source is failing. It fails on the run whose
            poll failed and on every later run while the source waits out its backoff ("still failing since
            …, next attempt at …"). No Airflow retries: the source's backoff is the retry. A 404 or "not a
            feed" needs the URL fixed in the sources file; timeouts, 5xx and 429 usually pass. Clear this
            task to poll the source again now.
            """
            from newswatch.airflow_support import run_poll_task

            get_current_context()["source_label"] = source_name  # type: ignore[typeddict-unknown-key]
            return run_poll_task(source_name)

        @task(map_index_template="{{ source_label }}", pool=HTTP_POOL)
        def fetch_pages(source_name: str, poll: dict) -> dict:
            """Fetch the pages of the source's queued items into the raw store (robots.txt obeyed).

            **In**: the source's queued `feed_items`. **Out**: gzip pages in the raw store, items marked fetched.
            **When it fails**: pages that failed stay queued and are retried (3 attempts) in later runs.
            """
            from newswatch.airflow_support import task_settings
            from newswatch.ingest import fetch

            get_current_context()["source_label"] = source_name  # type: ignore[typeddict-unknown-key]
            return fetch.fetch_pages(task_settings(), source_name, pendulum.now("UTC"))

        # A task's result is an XComArg here and the dict it stands for in the task: mypy sees only the former.
        fetch_pages(source_name, poll_source(source_name))  # type: ignore[arg-type]

    @task(trigger_rule="all_done", outlets=[ARTICLES])
    def process_articles(dag_run=None) -> dict:  # type: ignore[no-untyped-def]
        """Extract, clean, de-duplicate, tag and load every fetched page; report per-source counts.

        **In**: fetched `feed_items` and their raw pages. **Out**: `articles` (upserted), tags, entities,
        story clusters; the `newswatch_articles` Asset event; one `newswatch-metrics` log line and StatsD
        counters per source. **When it fails**: the pages stay fetched and the next run processes them;
        a page that cannot be processed is marked failed with its error, without stopping the batch.
        """
        from newswatch import process
        from newswatch.airflow_support import task_settings

        return process.process_articles(
            task_settings(),
            pendulum.now("UTC"),
            run_started_at=getattr(dag_run, "start_date", None),
            run_id=getattr(dag_run, "run_id", None),
        )

    per_source.expand(source_name=list_sources()) >> process_articles()


newswatch_ingest()
