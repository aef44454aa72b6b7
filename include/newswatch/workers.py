"""Extract, clean and tag a batch of fetched pages across processes.

Each page is independent of the others until clustering, so the CPU-heavy part of the process step
(parsing, extraction, cleaning, tagging: nearly all of its time) runs in a pool of worker processes,
one per core by default (``NEWSWATCH_PROCESS_WORKERS``), while clustering and loading stay in the
calling process, in one transaction, in the batch's order. Results come back in the order of the jobs,
so a batch gives the same articles whatever the number of processes.

A worker gets a :class:`PageJob` (plain data: which page, from which source) and reads the page from the
raw store itself, so no page travels through a pipe. A worker that dies (killed, out of memory) breaks
the pool: the jobs whose results had not come back are then done in the calling process, so nothing is
lost, and nothing is written twice, since nothing is written before the whole batch is back.

Workers are started with ``spawn`` rather than ``fork``: the calling process may be an Airflow task or a
Celery worker with threads of its own, which a forked child would inherit in whatever state they were.
Starting costs about a second per worker, so small batches are done in the calling process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

from newswatch.clean import clean_article_text, summarise
from newswatch.config import Settings, Source, load_sources
from newswatch.dates import publication_date, source_zone
from newswatch.dedup import canonicalize_url, content_hash
from newswatch.extract import extract_article
from newswatch.ingest.rawstore import RawStore
from newswatch.records import Article
from newswatch.tagging import Lexicon, classify, load_lexicon

LOGGER = logging.getLogger(__name__)

# Below this many pages per worker a batch is done in the calling process: starting the workers
# (importing the extractors, reading the taxonomy) would cost more than it saves.
MIN_PAGES_PER_WORKER = 20
CHUNK_PAGES = 8  # pages sent to a worker at a time: few round trips, and even shares of a batch


@dataclass(frozen=True)
class PageJob:
    """One fetched feed item to turn into an article: everything needed, as plain data."""

    item_id: int
    source: str
    link: str
    final_url: str | None
    canonical_url: str
    title: str
    summary: str
    published_at: datetime | None
    first_seen_at: datetime
    fetched_at: datetime | None
    raw_ref: str | None
    content_type: str | None
    publisher: str = ""  # the outlet an aggregator's item named (feed_items.publisher)


@dataclass(frozen=True)
class PageResult:
    """What became of a job: an article, no article text (``article`` None), or an error."""

    item_id: int
    article: Article | None = None
    error: str | None = None


class PageBuilder:
    """Builds articles from page jobs with one process's sources, taxonomy and raw store."""

    def __init__(self, settings: Settings) -> None:
        self.sources = {s.name: s for s in load_sources(settings.sources_file)}
        self.lexicon = load_lexicon(settings.taxonomy_file)
        self.store = RawStore(settings.raw_store_dir)

    def __call__(self, job: PageJob, observed_at: datetime) -> PageResult:
        try:
            article = build_article(job, self.sources.get(job.source), self.store, self.lexicon, observed_at)
        except Exception as exc:  # one bad page must not stop the batch; it is recorded on its item
            LOGGER.exception("processing %s failed", job.link)
            return PageResult(job.item_id, error=f"{type(exc).__name__}: {exc}"[:1000])
        return PageResult(job.item_id, article)


def build_article(
    job: PageJob, source: Source | None, store: RawStore, lexicon: Lexicon, observed_at: datetime
) -> Article | None:
    """One fetched page to an :class:`Article` (``None`` when the page has no article text)."""
    if job.raw_ref is None:  # a fetched item always has its page; a row edited by hand may not
        raise KeyError(f"fetched item {job.item_id} has no raw page")
    raw = store.get(job.raw_ref)
    url = job.final_url or job.link
    extracted = extract_article(
        raw,
        url,
        default_language=source.language if source else "en",
        content_type=job.content_type,
        zone=source_zone(source),
    )
    if extracted is None:
        LOGGER.warning("no article text in %s", url)
        return None
    title = extracted.title or job.title
    cleaned = clean_article_text(extracted.text, default_wire=source.wire if source else None, title=title)
    # The feed's own date first; then the page's declarations and the wire dateline's day, each only when
    # plausible for when the item was first seen or corroborated; else none (published_from "first_seen").
    published, published_from = publication_date(
        job.published_at, extracted.dates, cleaned.dateline_day, job.first_seen_at, url
    )
    canonical = canonicalize_url(extracted.canonical_url or job.canonical_url)
    verdict = classify(title, cleaned.text, lexicon, language=extracted.language)
    return Article(
        source=job.source,
        url=url,
        canonical_url=canonical,
        title=title,
        text=cleaned.text,
        summary=summarise(cleaned.text) or job.summary,
        language=verdict.language,
        published_at=published,
        published_from=published_from,
        first_seen_at=job.first_seen_at,
        fetched_at=job.fetched_at or observed_at,
        author=extracted.author,
        publisher=job.publisher,
        dateline=cleaned.dateline,
        wire=cleaned.wire,
        content_hash=content_hash(cleaned.text),
        raw_ref=job.raw_ref,
        verdict=verdict,
    )


def worker_count(settings: Settings) -> int:
    """The processes to use: the setting, or one per core."""
    return settings.process_workers if settings.process_workers > 0 else (os.cpu_count() or 1)


# The worker process's builder, made once by the pool's initializer.
_BUILDER: PageBuilder | None = None


def _start_worker(settings: Settings) -> None:
    global _BUILDER
    _BUILDER = PageBuilder(settings)


def _build_in_worker(job: PageJob, observed_at: datetime) -> PageResult:
    assert _BUILDER is not None, "the pool's initializer makes the builder"
    return _BUILDER(job, observed_at)


def build_pages(settings: Settings, jobs: Sequence[PageJob], observed_at: datetime) -> Iterator[PageResult]:
    """One result per job, in the jobs' order: across :func:`worker_count` processes for a batch big
    enough to gain from them, else in this process."""
    workers = min(worker_count(settings), len(jobs) // MIN_PAGES_PER_WORKER)
    if workers > 1 and multiprocessing.current_process().daemon:
        # A Celery worker's task process inherits the prefork child's daemon flag, and multiprocessing
        # refuses children to a daemonic process (AssertionError): there the Celery workers' own
        # concurrency is what uses the cores, and the batch is built here.
        LOGGER.info("in a daemonic process (a Celery worker's task): building %d pages in this process", len(jobs))
        workers = 1
    if workers <= 1:
        builder = PageBuilder(settings)
        for job in jobs:
            yield builder(job, observed_at)
        return
    done = 0
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(settings,)) as pool:
            for result in pool.map(_build_in_worker, jobs, [observed_at] * len(jobs), chunksize=CHUNK_PAGES):
                done += 1
                yield result
    except BrokenProcessPool:
        LOGGER.warning(
            "a page worker died after %d of %d pages; doing the other %d here", done, len(jobs), len(jobs) - done
        )
        builder = PageBuilder(settings)
        for job in jobs[done:]:
            yield builder(job, observed_at)
