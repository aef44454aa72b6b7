"""`python -m benchmarks.bench_poll`: polling many feeds on a local server: first poll, unchanged, 5 % new.

A threaded HTTP server on 127.0.0.1 (started here, in a thread) serves N synthetic RSS 2.0 feeds
(default 500) of M items each (default 50), every item linking to its own article page
``/pages/f{feed}/i{item}.html`` (5–20 KB of HTML built from a template), and a robots.txt that allows
everything. Feeds answer conditional GETs properly: a strong ETag (hash of the body) and a
Last-Modified per feed, and 304 when If-None-Match matches (or, without If-None-Match, when
If-Modified-Since is not older than the feed). The server counts every request by kind.

The pipeline is driven through its public stage functions only (``sync_sources``, ``poll_source``,
``fetch_pages``), source after source on a small thread pool (default 4 workers), against a fresh
SQLite warehouse in ``var/bench/poll/``. Three rounds, each observed two days after the previous one
(so that no source is ever "not due"):

* ``first_poll``: everything is new; every page is fetched.
* ``unchanged_poll``: nothing changed on the server. Goals: at most one request per feed, no page
  fetched, and under 10 % of the first poll's time.
* ``five_percent_new``: 5 % of all items are new (spread over half of the feeds, which drop their
  oldest items to keep M), so those feeds' bodies and ETags change; only the new pages are fetched.

Seconds are wall-clock seconds of the whole round. Results go to ``var/bench/poll.json``; the exit
status is 1 when a goal or an expected count fails.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.common import BENCH_DIR, machine, print_table, write_result
from tests.support.httpserver import NOT_FOUND, ROBOTS_ALLOW_ALL, LocalServer, QuietHandler, not_modified

ROUND_GAP = timedelta(days=2)  # more than the longest poll interval (24 h): every source is due
WORDS = (
    "India Italy defence ministry naval cooperation industry seminar Rome New Delhi frigate contract "
    "delegation secretary officials agreed partnership technology transfer exercise port call radar "
    "helicopter shipyard agreement strategic dialogue security maritime the of and to in on with for "
    "minister said week talks visit companies production joint research programme procurement budget "
    "parliament committee analysts export licence engines missile systems training officers embassy"
).split()
PAGE_RE = re.compile(r"^/pages/f(\d+)/i(\d+)\.html$")
FEED_RE = re.compile(r"^/feeds/f(\d+)\.xml$")


# --------------------------------------------------------------------------------------------------
# The synthetic site


def _paragraph_pool(count: int = 300, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 140))]
        words[0] = words[0].capitalize()
        pool.append(" ".join(words) + ".")
    return pool


PAGE_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | Synthetic Feed {feed}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{lead_short}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="Staff Reporter {feed}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header class="site-header"><a class="logo" href="/">Synthetic Feed {feed}</a>
<nav><ul><li><a href="/india">India</a></li><li><a href="/world">World</a></li>
<li><a href="/defence">Defence</a></li><li><a href="/business">Business</a></li>
<li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By Staff Reporter {feed} · <time datetime="{published}">{published_human}</time></p>
<p class="lead"><strong>NEW DELHI:</strong> {lead}</p>
"""
PAGE_TAIL = """</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
</main>
<footer><p>© Synthetic Feed {feed}. All rights reserved.</p>
<p><a href="/about">About</a> · <a href="/privacy">Privacy</a> · <a href="/contact">Contact</a></p></footer>
</body>
</html>
"""


class SyntheticSite:
    """N feeds of M items; item ids grow per feed, a feed lists its M newest items, newest first."""

    def __init__(self, feeds: int, items: int, start: datetime) -> None:
        self.feeds = feeds
        self.items = items
        self.base_url = ""  # set once the server has its port
        self._pool = _paragraph_pool()
        self._lock = threading.Lock()
        self._ids: list[deque[int]] = []
        self._published: list[dict[int, datetime]] = []
        self._next: list[int] = []
        self._modified: list[datetime] = []
        self._cache: dict[int, tuple[bytes, str, str]] = {}  # feed -> (body, etag, last-modified)
        for _ in range(feeds):
            published = {i: start - timedelta(minutes=30 * (items - i)) for i in range(items)}
            self._published.append(published)
            self._ids.append(deque(range(items - 1, -1, -1), maxlen=items))  # newest first
            self._next.append(items)
            self._modified.append(published[items - 1])

    # -- state changes ---------------------------------------------------------------------------

    def add_items(self, new_total: int, when: datetime) -> int:
        """Add ``new_total`` items spread over every second feed; return how many feeds changed."""
        changed = list(range(0, self.feeds, 2)) or [0]
        per_feed = Counter(changed[k % len(changed)] for k in range(new_total))
        with self._lock:
            for feed, count in per_feed.items():
                for k in range(count):
                    item = self._next[feed]
                    self._next[feed] += 1
                    self._published[feed][item] = when - timedelta(minutes=count - k)
                    self._ids[feed].appendleft(item)  # the oldest falls off the end
                self._modified[feed] = when
                self._cache.pop(feed, None)
        return len(per_feed)

    # -- representations ---------------------------------------------------------------------------

    def page_url(self, feed: int, item: int) -> str:
        return f"{self.base_url}/pages/f{feed}/i{item}.html"

    def feed(self, feed: int) -> tuple[bytes, str, str]:
        """(body, strong ETag, Last-Modified) of a feed, built once per version."""
        with self._lock:
            cached = self._cache.get(feed)
            if cached is not None:
                return cached
            ids = list(self._ids[feed])
            published = {i: self._published[feed][i] for i in ids}
            modified = self._modified[feed]
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n',
            f"<title>Synthetic Feed {feed}</title>\n<link>{self.base_url}/</link>\n",
            f"<description>Synthetic news feed number {feed}</description>\n<language>en</language>\n",
            f"<lastBuildDate>{format_datetime(modified, usegmt=True)}</lastBuildDate>\n",
        ]
        for item in ids:
            url = self.page_url(feed, item)
            parts.append(
                f"<item>\n<title>{html.escape(self.title(feed, item))}</title>\n<link>{url}</link>\n"
                f'<guid isPermaLink="true">{url}</guid>\n'
                f"<pubDate>{format_datetime(published[item], usegmt=True)}</pubDate>\n"
                f"<description>{html.escape(self.lead(feed, item)[:240])}</description>\n</item>\n"
            )
        parts.append("</channel>\n</rss>\n")
        body = "".join(parts).encode("utf-8")
        answer = (body, f'"{hashlib.sha256(body).hexdigest()[:40]}"', format_datetime(modified, usegmt=True))
        with self._lock:
            if self._modified[feed] == modified:  # not changed while we built it
                self._cache[feed] = answer
        return answer

    def title(self, feed: int, item: int) -> str:
        words = [WORDS[(feed * 31 + item * 17 + k * 7) % len(WORDS)] for k in range(6)]
        return f"Story {item} of feed {feed}: {' '.join(words).capitalize()}"

    def lead(self, feed: int, item: int) -> str:
        return f"Report {item} from feed {feed}. " + self._pool[(feed * 13 + item * 7) % len(self._pool)]

    def page(self, feed: int, item: int) -> bytes | None:
        with self._lock:
            if not 0 <= feed < self.feeds or item not in self._published[feed]:
                return None
            published = self._published[feed][item]
        seed = feed * 7919 + item * 104_729
        paragraphs = [self._pool[(seed + k * 37) % len(self._pool)] for k in range(5 + seed % 16)]
        lead = self.lead(feed, item)
        related = "".join(
            f'<li><a href="{self.page_url(feed, r)}">{html.escape(self.title(feed, r))}</a></li>'
            for r in range(max(0, item - 5), item)
        )
        text = (
            PAGE_HEAD.format(
                title=html.escape(self.title(feed, item)),
                feed=feed,
                url=self.page_url(feed, item),
                published=published.isoformat(),
                published_human=published.strftime("%d %b %Y, %H:%M UTC"),
                lead=html.escape(lead),
                lead_short=html.escape(lead[:150]),
            )
            + "".join(f"<p>{p}</p>\n" for p in paragraphs)
            + PAGE_TAIL.format(related=related, feed=feed)
        )
        return text.encode("utf-8")


# --------------------------------------------------------------------------------------------------
# The server


class RequestLog:
    """Thread-safe request counters, reset per round, and the pages ever served (to spot refetches)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self._feed_hits: Counter[str] = Counter()
        self._pages_served: set[str] = set()

    def record(self, kind: str, path: str = "", request: bool = True) -> None:
        """Count one request of ``kind`` (``request=False``: a property of a request already counted)."""
        with self._lock:
            self.counts[kind] += 1
            if not request:
                return
            self.counts["total"] += 1
            if kind.startswith("feed"):
                self._feed_hits[path] += 1
            elif kind == "page":
                if path in self._pages_served:
                    self.counts["page_refetch"] += 1
                self._pages_served.add(path)

    def take(self) -> dict[str, int]:
        """This round's counts; the counters start again from zero."""
        with self._lock:
            counts = dict(self.counts)
            counts["feeds_requested_twice"] = sum(1 for n in self._feed_hits.values() if n > 1)
            self.counts.clear()
            self._feed_hits.clear()
        return counts


def make_handler(site: SyntheticSite, log: RequestLog) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/robots.txt":
                log.record("robots")
                self.send(*ROBOTS_ALLOW_ALL)
            elif match := FEED_RE.match(path):
                self._feed(int(match.group(1)), path)
            elif (match := PAGE_RE.match(path)) and (body := site.page(int(match[1]), int(match[2]))) is not None:
                log.record("page", path)
                self.send(200, {"Content-Type": "text/html; charset=utf-8"}, body)
            else:
                log.record("not_found")
                self.send(*NOT_FOUND)

        def _feed(self, feed: int, path: str) -> None:
            if not 0 <= feed < site.feeds:
                log.record("not_found")
                self.send(*NOT_FOUND)
                return
            body, etag, last_modified = site.feed(feed)
            validators = {"ETag": etag, "Last-Modified": last_modified}
            if self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") is None:
                log.record("feed_unconditional", request=False)
            if not_modified(self.headers, etag, last_modified):
                log.record("feed_304", path)
                self.send_head(304, validators)
                return
            log.record("feed_200", path)
            self.send(200, {"Content-Type": "application/rss+xml; charset=utf-8", **validators}, body)

    return Handler


# --------------------------------------------------------------------------------------------------
# The rounds


def write_sources(path: Path, site: SyntheticSite) -> None:
    lines = ["# bench_poll: synthetic feeds on the benchmark's local server", "sources:"]
    for feed in range(site.feeds):
        lines += [
            f"  - name: f{feed:04d}",
            f"    title: Synthetic Feed {feed}",
            f"    feed_url: {site.base_url}/feeds/f{feed}.xml",
            "    format: rss",
            "    language: en",
            "    country: IN",
            "    enabled: true",
            "    poll_interval_minutes: 30",
            "    allow_private: true",
            "    host_delay_seconds: 0",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_round(
    label: str,
    settings: Any,
    names: list[str],
    observed_at: datetime,
    workers: int,
    log: RequestLog,
    show_progress: bool | None = None,
) -> dict[str, Any]:
    """Poll then fetch every source; wall seconds, server-side counts and the pipeline's own counts."""
    from newswatch.ingest.fetch import fetch_pages
    from newswatch.ingest.poll import poll_source

    statuses: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    errors: list[str] = []
    timing = {"poll": 0.0, "fetch": 0.0}
    lock = threading.Lock()

    def one(name: str) -> None:
        t0 = time.perf_counter()
        outcome = poll_source(settings, name, observed_at)
        t1 = time.perf_counter()
        fetched = fetch_pages(settings, name, observed_at)
        t2 = time.perf_counter()
        with lock:
            statuses[outcome.status] += 1
            totals["new_items"] += outcome.new_items
            totals["items_seen"] += outcome.items_seen
            for key, value in fetched.items():
                totals[key] += value
            timing["poll"] += t1 - t0
            timing["fetch"] += t2 - t1
            if outcome.error:
                errors.append(f"{name}: {outcome.status}: {outcome.error}")

    log.take()
    done = 0
    started = time.perf_counter()
    step = max(1, len(names) // 10)
    progress = show_progress if show_progress is not None else sys.stderr.isatty()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench-poll") as pool:
        futures = {pool.submit(one, name): name for name in names}
        for future in as_completed(futures):
            done += 1
            if (exc := future.exception()) is not None:
                errors.append(f"{futures[future]}: {type(exc).__name__}: {exc}")
            if progress and done % step == 0 and done < len(names):
                print(f"  {label}: {done}/{len(names)} sources, {time.perf_counter() - started:.1f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
    seconds = time.perf_counter() - started
    served = log.take()
    for error in errors[:5]:
        print(f"  {label}: {error}", file=sys.stderr)
    if len(errors) > 5:
        print(f"  {label}: … and {len(errors) - 5} more errors", file=sys.stderr)
    return {
        "seconds": round(seconds, 2),
        "requests": served.get("total", 0),
        "feed_requests": served.get("feed_200", 0) + served.get("feed_304", 0),
        "feed_200": served.get("feed_200", 0),
        "feed_304": served.get("feed_304", 0),
        "feed_unconditional": served.get("feed_unconditional", 0),
        "feeds_requested_twice": served.get("feeds_requested_twice", 0),
        "robots_requests": served.get("robots", 0),
        "page_requests": served.get("page", 0),
        "page_refetches": served.get("page_refetch", 0),
        "not_found": served.get("not_found", 0),
        "pages_fetched": totals["fetched"],
        "pages_queued": totals["queued"],
        "pages_skipped": totals["skipped"],
        "pages_failed": totals["failed"],
        "new_items": totals["new_items"],
        "items_seen": totals["items_seen"],
        "statuses": dict(sorted(statuses.items())),
        "errors": len(errors),
        "poll_source_s": round(timing["poll"], 2),  # summed over workers
        "fetch_pages_s": round(timing["fetch"], 2),
    }


def check(label: str, ok: bool, detail: str, failures: list[str]) -> None:
    print(f"  {'PASS' if ok else 'FAIL'}  {label}: {detail}")
    if not ok:
        failures.append(label)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=int(os.environ.get("BENCH_POLL_FEEDS", "500")))
    parser.add_argument("--items", type=int, default=int(os.environ.get("BENCH_POLL_ITEMS", "50")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_POLL_WORKERS", "4")))
    parser.add_argument("--new-share", type=float, default=0.05, help="share of items new in round 3")
    parser.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress on stderr (default: on a tty)"
    )
    args = parser.parse_args(argv)
    if args.feeds < 1 or args.items < 1 or args.workers < 1 or not 0 < args.new_share <= 1:
        parser.error("--feeds, --items and --workers must be positive, --new-share in (0, 1]")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    total_items = args.feeds * args.items
    new_total = max(1, round(total_items * args.new_share))
    changed_feeds = len(range(0, args.feeds, 2))
    if new_total > changed_feeds * args.items:
        parser.error("--new-share too large: half of the feeds cannot hold that many new items")
    print(
        f"bench-poll: {args.feeds:,} feeds × {args.items} items on a local server, "
        f"{args.workers} worker(s); {machine()}",
        flush=True,
    )

    first_at = datetime.now(UTC).replace(microsecond=0) - 2 * ROUND_GAP
    site = SyntheticSite(args.feeds, args.items, first_at - timedelta(minutes=5))
    log = RequestLog()
    server = LocalServer(make_handler(site, log), name="bench-poll-server", request_queue_size=128)
    site.base_url = server.base_url
    server.start()

    folder = BENCH_DIR / "poll"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    results: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
            sources_file = Path(tmp) / "sources.yaml"
            write_sources(sources_file, site)
            os.environ["NEWSWATCH_SOURCES"] = str(sources_file)
            os.environ["NEWSWATCH_VAR"] = str(folder)
            os.environ["NEWSWATCH_WAREHOUSE_URL"] = f"sqlite:///{folder / 'warehouse.db'}"

            from newswatch.config import load_settings, load_sources
            from newswatch.ingest.poll import sync_sources
            from newswatch.warehouse.session import init_warehouse

            settings = load_settings()
            init_warehouse(settings)
            names = sync_sources(settings)
            if len(names) != args.feeds:
                raise SystemExit(f"sync_sources returned {len(names)} sources, expected {args.feeds}")
            t0 = time.perf_counter()
            load_sources(sources_file)
            load_sources_ms = round((time.perf_counter() - t0) * 1000, 1)
            sizes = [len(site.page(f, i) or b"") for f in range(min(args.feeds, 20)) for i in range(args.items)]
            feed_bytes = len(site.feed(0)[0])
            mean = sum(sizes) / len(sizes) / 1024
            print(
                f"pages {min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB (mean {mean:.1f}), "
                f"feed {feed_bytes / 1024:.1f} KB; one load_sources() of the {args.feeds}-source file: "
                f"{load_sources_ms} ms",
                flush=True,
            )
            params = {
                "feeds": args.feeds,
                "items_per_feed": args.items,
                "workers": args.workers,
                "load_sources_ms": load_sources_ms,
            }
            # Knobs of the pipeline's own fetching, when this version of Settings has them.
            for knob in ("fetch_workers", "per_host_concurrency"):
                if hasattr(settings, knob):
                    params[knob] = getattr(settings, knob)

            rounds: list[tuple[str, Callable[[datetime], Any] | None]] = [
                ("first_poll", None),
                ("unchanged_poll", None),
                ("five_percent_new", lambda when: site.add_items(new_total, when - timedelta(minutes=10))),
            ]
            for index, (label, change) in enumerate(rounds):
                observed_at = first_at + index * ROUND_GAP
                if change is not None:
                    change(observed_at)
                result = run_round(label, settings, names, observed_at, args.workers, log, args.progress)
                results[label] = {**params, **result}
                print(
                    f"  {label}: {result['seconds']:.1f} s, {result['requests']:,} requests, "
                    f"{result['pages_fetched']:,} pages fetched, statuses {result['statuses']}",
                    flush=True,
                )
    finally:
        server.stop()

    header = ["round", "requests", "feed reqs", "304s", "robots", "page reqs", "pages fetched", "new items", "seconds"]
    rows = [
        [label, r["requests"], r["feed_requests"], r["feed_304"], r["robots_requests"], r["page_requests"],
         r["pages_fetched"], r["new_items"], r["seconds"]]
        for label, r in results.items()
    ]  # fmt: skip
    print_table("per round (requests counted by the server)", header, rows)
    first, same, new = results["first_poll"], results["unchanged_poll"], results["five_percent_new"]
    print(
        "\ntime inside the stage calls, summed over workers (s): "
        + ", ".join(f"{k} poll {r['poll_source_s']:.1f} / fetch {r['fetch_pages_s']:.1f}" for k, r in results.items())
    )

    failures: list[str] = []
    print("\ngoals (unchanged_poll)")
    check("requests", same["requests"] <= args.feeds, f"{same['requests']:,} ≤ {args.feeds:,}", failures)
    check("pages fetched", same["pages_fetched"] == 0, f"{same['pages_fetched']:,} = 0", failures)
    ratio = same["seconds"] / first["seconds"] if first["seconds"] else 0.0
    check("time", ratio < 0.10, f"{same['seconds']:.2f} s = {ratio:.1%} of first poll (< 10%)", failures)
    print("\nexpected counts")
    expected = [
        ("first_poll new items", first["new_items"], total_items),
        ("first_poll pages", first["pages_fetched"], total_items),
        ("unchanged_poll 304s", same["feed_304"], args.feeds),
        ("five_percent_new new items", new["new_items"], new_total),
        ("five_percent_new pages", new["pages_fetched"], new_total),
    ]
    for label, got, want in expected:
        check(label, got == want, f"{got:,} = {want:,}", failures)
    check(
        "five_percent_new feeds",
        (new["feed_200"], new["feed_304"]) == (changed_feeds, args.feeds - changed_feeds),
        f"{new['feed_200']:,} × 200 (changed: {changed_feeds:,}), {new['feed_304']:,} × 304",
        failures,
    )
    for label, r in results.items():
        if r["errors"] or r["page_refetches"] or r["feeds_requested_twice"] or r["not_found"]:
            check(
                f"{label} clean",
                False,
                f"{r['errors']} errors, {r['page_refetches']} page refetches, "
                f"{r['feeds_requested_twice']} feeds requested twice, {r['not_found']} 404s",
                failures,
            )  # fmt: skip
    path = write_result("poll", results)
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"\nwritten to {shown}" + (f"; FAILED: {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
