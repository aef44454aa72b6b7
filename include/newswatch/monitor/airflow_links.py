"""Links from the News Monitor into the Airflow UI: the newswatch DAGs' runs and task instances (logs).

Run ids and states come from Airflow's metadata database, read through Airflow's own ORM in the API
server that serves the page (never written). Without that database (a unit test, a broken connection)
the page still works: it links to each DAG's list of runs instead.

UI routes (Airflow 3): ``/dags/{dag_id}/runs``, ``/dags/{dag_id}/runs/{run_id}`` and, for one mapped
task instance with its log, ``/dags/{dag_id}/runs/{run_id}/tasks/{task_id}/mapped/{map_index}``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import quote

from newswatch.monitor.queries import digest_window

LOGGER = logging.getLogger(__name__)

INGEST_DAG = "newswatch_ingest"
DIGEST_DAG = "newswatch_digest"
MAINTENANCE_DAG = "newswatch_maintenance"
DAG_IDS = (INGEST_DAG, DIGEST_DAG, MAINTENANCE_DAG)
POLL_TASK = "source.poll_source"  # mapped per source; its map index is rendered as the source name
RECENT_INGEST_RUNS = 24  # how far back to look for a source's latest poll task


def ui_url(base: str, *segments: str) -> str:
    """``base`` (the UI's root path, "" at the server root) joined with URL-quoted path segments."""
    return base.rstrip("/") + "/" + "/".join(quote(s, safe="") for s in segments)


@dataclass(frozen=True)
class RunRef:
    dag_id: str
    run_id: str
    state: str | None
    run_after: datetime | None
    url: str


@dataclass(frozen=True)
class TaskRef:
    dag_id: str
    run_id: str
    task_id: str
    map_index: int
    state: str | None
    url: str


@dataclass(frozen=True)
class AirflowLinks:
    """Where to click through to Airflow; empty mappings when the metadata database was not read."""

    base: str = ""
    latest_runs: Mapping[str, RunRef] = field(default_factory=dict)  # by DAG id
    poll_tasks: Mapping[str, TaskRef] = field(default_factory=dict)  # by source: its latest poll
    digest_runs: Mapping[date, RunRef] = field(default_factory=dict)  # by digest day

    def dag_url(self, dag_id: str) -> str:
        return ui_url(self.base, "dags", dag_id)

    def runs_url(self, dag_id: str) -> str:
        return ui_url(self.base, "dags", dag_id, "runs")


class LinkLookup(Protocol):
    """Finds the links for a page: ``(ui_base, source names, digest days) -> AirflowLinks``."""

    def __call__(self, base: str, sources: Sequence[str], digest_days: Sequence[date]) -> AirflowLinks: ...


def run_url(base: str, dag_id: str, run_id: str) -> str:
    return ui_url(base, "dags", dag_id, "runs", run_id)


def task_url(base: str, dag_id: str, run_id: str, task_id: str, map_index: int) -> str:
    if map_index < 0:
        return ui_url(base, "dags", dag_id, "runs", run_id, "tasks", task_id)
    return ui_url(base, "dags", dag_id, "runs", run_id, "tasks", task_id, "mapped", str(map_index))


def lookup_links(base: str, sources: Sequence[str], digest_days: Sequence[date]) -> AirflowLinks:
    """Read the links from Airflow's metadata database (in the API server); empty ones if it cannot."""
    try:
        from airflow.utils.session import create_session

        with create_session(scoped=False) as session:
            return AirflowLinks(
                base=base,
                latest_runs=_latest_runs(session, base),
                poll_tasks=_poll_tasks(session, base, sources),
                digest_runs=_digest_runs(session, base, digest_days),
            )
    except Exception:  # links are a convenience: the page must not fail because Airflow's database did
        LOGGER.warning("News Monitor: could not read DAG runs from Airflow's metadata database", exc_info=True)
        return AirflowLinks(base=base)


def no_links(base: str, sources: Sequence[str], digest_days: Sequence[date]) -> AirflowLinks:
    """A :class:`LinkLookup` that never reads Airflow's database (tests, or running without Airflow)."""
    return AirflowLinks(base=base)


def _run_ref(base: str, run: Any) -> RunRef:
    return RunRef(run.dag_id, run.run_id, _state(run.state), run.run_after, run_url(base, run.dag_id, run.run_id))


def _state(state: Any) -> str | None:
    return None if state is None else str(getattr(state, "value", state))


def _latest_runs(session: Any, base: str) -> dict[str, RunRef]:
    from airflow.models.dagrun import DagRun
    from sqlalchemy import select

    latest = {}
    for dag_id in DAG_IDS:
        run = session.scalars(
            select(DagRun).where(DagRun.dag_id == dag_id).order_by(DagRun.run_after.desc()).limit(1)
        ).first()
        if run is not None:
            latest[dag_id] = _run_ref(base, run)
    return latest


def _poll_tasks(session: Any, base: str, sources: Sequence[str]) -> dict[str, TaskRef]:
    """The latest ``source.poll_source`` task instance of each source, among the recent ingest runs."""
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from sqlalchemy import select

    if not sources:
        return {}
    runs = list(
        session.scalars(
            select(DagRun.run_id)
            .where(DagRun.dag_id == INGEST_DAG)
            .order_by(DagRun.run_after.desc())
            .limit(RECENT_INGEST_RUNS)
        )
    )
    if not runs:
        return {}
    label = TaskInstance.__table__.c.rendered_map_index  # the column behind the hybrid property
    rows = session.execute(
        select(TaskInstance.run_id, TaskInstance.map_index, TaskInstance.state, label).where(
            TaskInstance.dag_id == INGEST_DAG,
            TaskInstance.task_id == POLL_TASK,
            TaskInstance.run_id.in_(runs),
            label.in_(list(sources)),
        )
    ).all()
    rank = {run_id: n for n, run_id in enumerate(runs)}  # newest first
    tasks: dict[str, TaskRef] = {}
    for run_id, map_index, state, source in sorted(rows, key=lambda r: rank[r[0]]):
        if source not in tasks:
            url = task_url(base, INGEST_DAG, run_id, POLL_TASK, map_index)
            tasks[source] = TaskRef(INGEST_DAG, run_id, POLL_TASK, map_index, _state(state), url)
    return tasks


def _digest_runs(session: Any, base: str, days: Sequence[date]) -> dict[date, RunRef]:
    """The digest DAG run of each day, found by its data interval (the digest's window)."""
    from airflow.models.dagrun import DagRun
    from sqlalchemy import select

    ends = {digest_window(day)[1]: day for day in days}
    if not ends:
        return {}
    runs = session.scalars(
        select(DagRun)
        .where(DagRun.dag_id == DIGEST_DAG, DagRun.data_interval_end.in_(list(ends)))
        .order_by(DagRun.run_after.desc())
    )
    found: dict[date, RunRef] = {}
    for run in runs:
        day = ends.get(run.data_interval_end)
        if day is not None and day not in found:
            found[day] = _run_ref(base, run)
    return found
