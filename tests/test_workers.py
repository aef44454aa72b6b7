"""The page workers (newswatch.workers): a batch built across processes gives exactly the serial
path's articles, in the same order, and a worker killed mid-batch loses and duplicates nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import replace

import pytest
from sqlalchemy import select

from newswatch import workers
from newswatch.config import Settings
from newswatch.process import page_job
from newswatch.warehouse.schema import FeedItemRow
from newswatch.warehouse.session import warehouse
from newswatch.workers import PageJob, PageResult, build_pages
from tests.support.fixturesite import INGESTED_AT


def fixture_jobs(settings: Settings) -> list[PageJob]:
    """Every fetched page of the ingested fixture site, as jobs, three times over (a bigger batch)."""
    with warehouse(settings) as session:
        items = session.scalars(select(FeedItemRow).where(FeedItemRow.raw_ref.is_not(None)).order_by(FeedItemRow.id))
        jobs = [page_job(item) for item in items]
    assert len(jobs) >= 30, "the fixture site has dozens of pages"
    return [replace(job, item_id=job.item_id + 10_000 * copy) for copy in range(3) for job in jobs]


def serial(settings: Settings, jobs: list[PageJob]) -> list[PageResult]:
    return list(build_pages(replace(settings, process_workers=1), jobs, INGESTED_AT))


def test_two_processes_give_the_serial_results(ingested_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = fixture_jobs(ingested_copy)
    monkeypatch.setattr(workers, "MIN_PAGES_PER_WORKER", 5)
    parallel = list(build_pages(replace(ingested_copy, process_workers=2), jobs, INGESTED_AT))
    expected = serial(ingested_copy, jobs)
    assert [r.item_id for r in parallel] == [j.item_id for j in jobs]
    assert parallel == expected
    assert sum(r.article is not None for r in parallel) >= 60


def test_a_killed_worker_loses_and_duplicates_nothing(ingested_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = fixture_jobs(ingested_copy)
    monkeypatch.setattr(workers, "MIN_PAGES_PER_WORKER", 5)
    monkeypatch.setattr(workers, "CHUNK_PAGES", 1)  # results come back one by one: the kill lands mid-batch
    results = build_pages(replace(ingested_copy, process_workers=2), jobs, INGESTED_AT)
    got = [next(results)]  # the pool is up and working
    children = multiprocessing.active_children()
    assert children, "the batch runs in worker processes"
    os.kill(children[0].pid or 0, signal.SIGKILL)
    got.extend(results)
    assert [r.item_id for r in got] == [j.item_id for j in jobs], "every page once, in order"
    assert got == serial(ingested_copy, jobs)


def test_small_batches_stay_in_this_process(ingested_copy: Settings) -> None:
    jobs = fixture_jobs(ingested_copy)[:5]
    before = set(multiprocessing.active_children())
    results = build_pages(replace(ingested_copy, process_workers=4), jobs, INGESTED_AT)
    first = next(results)
    assert set(multiprocessing.active_children()) == before
    assert [first, *results] == serial(ingested_copy, jobs)


def test_a_bad_page_is_an_error_result_not_a_broken_batch(ingested_copy: Settings) -> None:
    jobs = fixture_jobs(ingested_copy)[:3]
    broken = replace(jobs[1], raw_ref="0" * 64)  # a page missing from the raw store
    results = serial(ingested_copy, [jobs[0], broken, jobs[2]])
    assert results[1].article is None and results[1].error and "0000" in results[1].error
    assert results[0].error is None and results[2].error is None


def _build_in_a_daemon(settings: Settings, jobs: list[PageJob], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    try:
        out.put(list(build_pages(settings, jobs, INGESTED_AT)))
    except BaseException as error:  # the parent asserts on what happened here
        out.put(repr(error))


def test_a_daemonic_process_builds_the_batch_itself(ingested_copy: Settings) -> None:
    """In a Celery worker the task process is daemonic, and multiprocessing refuses it children: the batch
    is built in that process instead of failing the task (found by `make bench` on the Celery profile)."""
    jobs = fixture_jobs(ingested_copy)
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    settings = replace(ingested_copy, process_workers=2)  # a pool would start: over 40 pages for 2 workers
    assert len(jobs) // workers.MIN_PAGES_PER_WORKER >= 2
    child = context.Process(target=_build_in_a_daemon, args=(settings, jobs, out), daemon=True)
    child.start()
    got = out.get(timeout=300)
    child.join(30)
    assert not isinstance(got, str), got
    assert got == serial(ingested_copy, jobs)
