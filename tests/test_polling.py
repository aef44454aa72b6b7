"""The poll and fetch steps as a whole: poll_source / fetch_pages against real HTTP servers on
127.0.0.1 and a SQLite warehouse, checked through what they leave in feed_health, feed_polls,
feed_items and articles.

The HTTP client and the feed parser have their own tests (test_http.py, test_feeds.py); here every
case goes through poll_source end to end, and each failure case also polls a second, healthy source
in the same warehouse to show that one bad feed affects nothing else.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from newswatch import cli
from newswatch.alerts.deliver import SmtpTransport
from newswatch.config import Settings, load_settings
from newswatch.ingest.fetch import MAX_FETCH_ATTEMPTS, fetch_pages
from newswatch.ingest.poll import poll_source, sync_sources
from newswatch.ingest.rawstore import RawStore
from newswatch.process import process_articles
from newswatch.warehouse import load as load_module
from newswatch.warehouse.schema import ArticleRow, FeedHealthRow, FeedItemRow, FeedPollRow
from newswatch.warehouse.session import engine_for, init_warehouse
from tests.support.fixtureserver import FixtureServer, Response
from tests.support.httpserver import NOT_FOUND, DripServer
from tests.support.mailsink import serve_smtp
from tests.support.net import free_port

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Route = Response | Callable[[dict[str, str]], Response]
RSS_TYPE = "application/rss+xml; charset=utf-8"

# --- a shared web site whose answers each test sets -------------------------------------------------


class Site:
    """One FixtureServer for the module (stopping one costs 0.5 s); each test installs its routes.

    A route is an answer ``(status, headers, body)`` or a function of the request headers giving one;
    an unknown path is a 404. Every request is logged with its headers.
    """

    def __init__(self, root: Path) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self.server = FixtureServer(root, hook=self._hook)

    def _hook(self, raw_path: str, headers: dict[str, str]) -> Response:
        path = urlsplit(raw_path).path
        with self._lock:
            self.log.append((path, headers))
            route = self.routes.get(path)
        if route is None:
            return NOT_FOUND
        return route(headers) if callable(route) else route

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.log if p == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [{k.lower(): v for k, v in h.items()} for p, h in self.log if p == path]

    def reset(self) -> None:
        with self._lock:
            self.routes.clear()
            self.log.clear()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    the_site = Site(tmp_path_factory.mktemp("empty-site"))
    the_site.server.start()
    yield the_site
    the_site.server.stop()


# --- feeds and pages (invented text) ----------------------------------------------------------------


def rss(items: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (
        f'{declaration}\n<rss version="2.0"><channel><title>Harbour Gazette</title>'
        f"<link>http://harbour.test/</link><description>News from the quays</description>{items}</channel></rss>"
    )


def rss_item(
    title: str, link: str, guid: str | None = None, pub: str | None = "Mon, 02 Mar 2026 07:00:00 +0000"
) -> str:
    guid_xml = f'<guid isPermaLink="false">{guid}</guid>' if guid else ""
    pub_xml = f"<pubDate>{pub}</pubDate>" if pub else ""
    return (
        f"<item><title>{title}</title><link>{link}</link>{guid_xml}{pub_xml}<description>{title}.</description></item>"
    )


def feed_answer(body: str | bytes, **headers: str) -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return 200, {"Content-Type": RSS_TYPE, **headers}, data


PARAGRAPHS = [
    "The harbour authority of Porto Vello opened a new pilot station on the northern quay, officials said, "
    "after months of work by local engineers and crews.",
    "The station will coordinate the movement of cargo ships and ferries through the narrow channel, which "
    "has grown busier as trade with neighbouring ports increased.",
    "Local fishermen welcomed the decision but asked for more berths for small boats, saying the current "
    "moorings are crowded during the winter season.",
    "The mayor said the town council would review the request and publish a plan for the southern basin, "
    "including new lighting and a repaired breakwater.",
]


def page(title: str, paragraphs: list[str] = PARAGRAPHS, meta: str = "") -> Response:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
        f'<body><header><nav><a href="/">Home</a></nav></header><article><h1>{title}</h1>{body}</article>'
        "<footer>Harbour Gazette</footer></body></html>"
    )
    return 200, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8")


# --- settings, warehouse and reading it back --------------------------------------------------------


@dataclass
class World:
    """A temporary newswatch installation pointed at the shared site."""

    tmp_path: Path
    site: Site
    monkeypatch: pytest.MonkeyPatch
    urls: list[str] = field(default_factory=list)

    def source(self, name: str, path: str, **extra: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": name,
            "feed_url": self.site.url(path),
            "allow_private": True,
            "host_delay_seconds": 0,
        }
        entry.update(extra)
        return entry

    def settings(self, *sources: dict[str, Any], good: bool = True, **env: str) -> Settings:
        """Write the sources file (plus the healthy 'good' source), set the environment, create the warehouse."""
        entries = list(sources)
        if good:
            entries.append(self.source("good", "/good/feed.xml"))
            self.site.routes["/good/feed.xml"] = feed_answer(
                rss(
                    rss_item("Good one", self.site.url("/good/one.html"))
                    + rss_item("Good two", self.site.url("/good/two.html"))
                )
            )
        sources_file = self.tmp_path / "sources.yaml"
        sources_file.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
        values = {
            "NEWSWATCH_SOURCES": str(sources_file),
            "NEWSWATCH_VAR": str(self.tmp_path / "var"),
            "NEWSWATCH_WAREHOUSE_URL": f"sqlite:///{self.tmp_path / 'warehouse.db'}",
            "NEWSWATCH_OUTBOX": str(self.tmp_path / "outbox"),
            **env,
        }
        for key, value in values.items():
            self.monkeypatch.setenv(key, value)
        settings = load_settings()
        self.urls.append(settings.warehouse_url)
        init_warehouse(settings)
        sync_sources(settings)
        return settings


@pytest.fixture
def world(tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    for key in [k for k in os.environ if k.startswith("NEWSWATCH_")]:
        monkeypatch.delenv(key)
    engine_for.cache_clear()
    site.reset()
    the_world = World(tmp_path, site, monkeypatch)
    yield the_world
    for url in the_world.urls:
        engine_for(url).dispose()
    engine_for.cache_clear()
    site.reset()


def columns(row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in row.__table__.columns}


def health(settings: Settings, name: str) -> dict[str, Any]:
    with Session(engine_for(settings.warehouse_url)) as session:
        row = session.get(FeedHealthRow, name)
        assert row is not None, f"no feed_health row for {name}"
        return columns(row)


def polls(settings: Settings, name: str) -> list[dict[str, Any]]:
    with Session(engine_for(settings.warehouse_url)) as session:
        rows = session.scalars(select(FeedPollRow).where(FeedPollRow.source == name).order_by(FeedPollRow.id))
        return [columns(r) for r in rows]


def items(settings: Settings, name: str) -> list[dict[str, Any]]:
    with Session(engine_for(settings.warehouse_url)) as session:
        rows = session.scalars(select(FeedItemRow).where(FeedItemRow.source == name).order_by(FeedItemRow.id))
        return [columns(r) for r in rows]


def articles(settings: Settings) -> list[dict[str, Any]]:
    with Session(engine_for(settings.warehouse_url)) as session:
        return [columns(r) for r in session.scalars(select(ArticleRow).order_by(ArticleRow.id))]


def assert_good_source_unaffected(settings: Settings, observed_at: datetime = T0) -> None:
    """The healthy source polled in the same warehouse still loads its two items."""
    outcome = poll_source(settings, "good", observed_at, force=True)
    assert (outcome.status, outcome.new_items, outcome.error) == ("ok", 2, None)
    record = health(settings, "good")
    assert (record["consecutive_failures"], record["last_error"], record["new_items"]) == (0, None, 2)
    assert sorted(i["link"].rsplit("/", 1)[-1] for i in items(settings, "good")) == ["one.html", "two.html"]


def assert_failed_health(
    settings: Settings, name: str, error_fragment: str, http_status: int | None, failures: int = 1
) -> dict[str, Any]:
    record = health(settings, name)
    assert record["http_status"] == http_status
    assert record["consecutive_failures"] == failures
    assert record["last_error"] is not None and error_fragment in record["last_error"], record["last_error"]
    assert (record["items_seen"], record["new_items"]) == (0, 0)
    assert record["last_success_at"] is None
    assert polls(settings, name)[-1]["status"] == "failed"
    assert items(settings, name) == []
    return record


# --- conditional GET: 304, and servers whose validators lie -----------------------------------------

TWO_ITEMS = rss(
    rss_item("Pilot station opens", "http://harbour.test/news/pilot-station.html")
    + rss_item("Breakwater repairs", "http://harbour.test/news/breakwater.html")
)


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_304_keeps_validators_and_adds_nothing(world: World, validator: str) -> None:
    """The second poll sends the stored validator, gets a 304: not_modified, one request, no new items."""
    etag, modified = '"v1-harbour"', "Mon, 02 Mar 2026 08:55:00 GMT"

    def answer(headers: dict[str, str]) -> Response:
        lower = {k.lower(): v for k, v in headers.items()}
        if validator == "etag":
            if lower.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return feed_answer(TWO_ITEMS, ETag=etag)
        if lower.get("if-modified-since") == modified:
            return 304, {}, b""
        return feed_answer(TWO_ITEMS, **{"Last-Modified": modified})

    world.site.routes["/feed.xml"] = answer
    settings = world.settings(world.source("harbour", "/feed.xml"))

    first = poll_source(settings, "harbour", T0, force=True)
    assert (first.status, first.new_items) == ("ok", 2)
    second = poll_source(settings, "harbour", T0 + timedelta(hours=1), force=True)

    assert world.site.hits("/feed.xml") == 2, "exactly one request per poll"
    sent = world.site.headers_of("/feed.xml")[1]
    if validator == "etag":
        assert sent.get("if-none-match") == etag
    else:
        assert sent.get("if-modified-since") == modified
    assert (second.status, second.http_status, second.new_items, second.error) == ("not_modified", 304, 0, None)
    record = health(settings, "harbour")
    assert record["http_status"] == 304
    assert (record["items_seen"], record["new_items"], record["consecutive_failures"]) == (0, 0, 0)
    assert record["last_error"] is None
    assert record["last_success_at"] == T0 + timedelta(hours=1)
    assert (record["etag"], record["last_modified"]) == ((etag, None) if validator == "etag" else (None, modified)), (
        "a 304 keeps the validators of the last 200"
    )
    assert record["last_new_item_at"] == T0
    assert [p["status"] for p in polls(settings, "harbour")] == ["ok", "not_modified"]
    assert len(items(settings, "harbour")) == 2
    # A third poll still sends the kept validator.
    third = poll_source(settings, "harbour", T0 + timedelta(hours=2), force=True)
    assert third.status == "not_modified"
    assert_good_source_unaffected(settings)


def test_wrong_etag_with_same_body_is_unchanged(world: World) -> None:
    """A server ignoring If-None-Match (new ETag, same body): status unchanged, nothing queued again."""
    counter = {"n": 0}

    def answer(headers: dict[str, str]) -> Response:
        counter["n"] += 1
        return feed_answer(TWO_ITEMS, ETag=f'"random-{counter["n"]}"')

    world.site.routes["/feed.xml"] = answer
    settings = world.settings(world.source("harbour", "/feed.xml"))
    assert poll_source(settings, "harbour", T0, force=True).new_items == 2
    second = poll_source(settings, "harbour", T0 + timedelta(hours=1), force=True)

    assert world.site.headers_of("/feed.xml")[1].get("if-none-match") == '"random-1"'
    assert (second.status, second.http_status, second.new_items, second.items_seen) == ("unchanged", 200, 0, 0)
    record = health(settings, "harbour")
    assert (record["http_status"], record["new_items"], record["items_seen"]) == (200, 0, 0)
    assert (record["consecutive_failures"], record["last_error"]) == (0, None)
    assert record["etag"] == '"random-2"'
    assert record["last_success_at"] == T0 + timedelta(hours=1)
    assert len(items(settings, "harbour")) == 2
    assert_good_source_unaffected(settings)


# --- HTTP errors, Retry-After, failure counting ----------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limit_and_unavailable_are_transient_and_honour_retry_after(world: World, status: int) -> None:
    world.site.routes["/feed.xml"] = (status, {"Retry-After": "120", "Content-Type": "text/plain"}, b"slow down")
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.http_status, outcome.transient) == ("failed", status, True)
    assert outcome.error == f"HTTP {status}"
    record = assert_failed_health(settings, "harbour", f"HTTP {status}", status)
    assert record["next_poll_at"] >= T0 + timedelta(seconds=120)
    assert world.site.hits("/feed.xml") == 1, "no retry inside one poll"
    assert_good_source_unaffected(settings)


def test_retry_after_longer_than_backoff_sets_next_poll(world: World) -> None:
    """A Retry-After of 2 h beats the 30 min backoff; one of 10 days is capped at 24 h."""
    retry_after = {"value": "7200"}
    world.site.routes["/feed.xml"] = lambda h: (429, {"Retry-After": retry_after["value"]}, b"")
    settings = world.settings(world.source("harbour", "/feed.xml"))

    poll_source(settings, "harbour", T0, force=True)
    assert health(settings, "harbour")["next_poll_at"] == T0 + timedelta(hours=2)

    retry_after["value"] = str(10 * 24 * 3600)
    later = T0 + timedelta(hours=3)
    poll_source(settings, "harbour", later, force=True)
    record = health(settings, "harbour")
    assert record["next_poll_at"] == later + timedelta(hours=24)
    assert record["consecutive_failures"] == 2


def test_http_500_counts_failures_and_success_resets(world: World) -> None:
    state = {"broken": True}
    world.site.routes["/feed.xml"] = lambda h: (
        (500, {"Content-Type": "text/plain"}, b"oops") if state["broken"] else feed_answer(TWO_ITEMS)
    )
    settings = world.settings(world.source("harbour", "/feed.xml"))

    for n in range(1, 4):
        outcome = poll_source(settings, "harbour", T0 + timedelta(hours=n), force=True)
        assert (outcome.status, outcome.error, outcome.transient) == ("failed", "HTTP 500", True)
        record = assert_failed_health(settings, "harbour", "HTTP 500", 500, failures=n)
        assert record["last_error"] == "HTTP 500"
        assert record["last_attempt_at"] == T0 + timedelta(hours=n)

    state["broken"] = False
    recovered = T0 + timedelta(hours=4)
    outcome = poll_source(settings, "harbour", recovered, force=True)
    assert (outcome.status, outcome.new_items) == ("ok", 2)
    record = health(settings, "harbour")
    assert (record["consecutive_failures"], record["last_error"], record["http_status"]) == (0, None, 200)
    assert record["last_success_at"] == recovered
    assert (record["items_seen"], record["new_items"]) == (2, 2)
    assert [p["status"] for p in polls(settings, "harbour")] == ["failed", "failed", "failed", "ok"]
    assert_good_source_unaffected(settings)


@pytest.mark.parametrize("status", [404, 410, 403])
def test_client_errors_are_permanent_failures(world: World, status: int) -> None:
    """README: permanent feed errors (404, ...) fail the task at once: not transient."""
    world.site.routes["/feed.xml"] = (status, {"Content-Type": "text/plain"}, b"gone")
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.error, outcome.transient) == ("failed", f"HTTP {status}", False)
    assert_failed_health(settings, "harbour", f"HTTP {status}", status)
    assert_good_source_unaffected(settings)


# --- network failures: refused, timeouts, drip, size, redirects, SSRF ------------------------------


def test_connection_refused(world: World) -> None:
    port = free_port()  # nothing listens there
    settings = world.settings(
        {"name": "harbour", "feed_url": f"http://127.0.0.1:{port}/feed.xml", "allow_private": True},
        NEWSWATCH_HTTP_TIMEOUT="1",
    )
    started = time.monotonic()
    outcome = poll_source(settings, "harbour", T0, force=True)
    assert time.monotonic() - started < 5
    assert (outcome.status, outcome.http_status, outcome.transient) == ("failed", None, True)
    assert_failed_health(settings, "harbour", "ConnectError", None)
    assert_good_source_unaffected(settings)


def test_listener_that_never_accepts_times_out(world: World) -> None:
    """A port whose listener never accepts: the kernel completes the handshake, no answer ever comes."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        settings = world.settings(
            {"name": "harbour", "feed_url": f"http://127.0.0.1:{port}/feed.xml", "allow_private": True},
            NEWSWATCH_HTTP_TIMEOUT="1",
        )
        started = time.monotonic()
        outcome = poll_source(settings, "harbour", T0, force=True)
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert (outcome.status, outcome.transient) == ("failed", True)
    assert_failed_health(settings, "harbour", "timeout", None)
    assert_good_source_unaffected(settings)


def test_read_timeout(world: World) -> None:
    """A server that answers later than NEWSWATCH_HTTP_TIMEOUT: a timeout failure, transient."""

    def sleepy(headers: dict[str, str]) -> Response:
        time.sleep(2.5)
        return feed_answer(TWO_ITEMS)

    world.site.routes["/feed.xml"] = sleepy
    settings = world.settings(world.source("harbour", "/feed.xml"), NEWSWATCH_HTTP_TIMEOUT="1")
    started = time.monotonic()
    outcome = poll_source(settings, "harbour", T0, force=True)
    assert time.monotonic() - started < 3, "gave up after about the 1 s read timeout"
    assert (outcome.status, outcome.transient) == ("failed", True)
    record = assert_failed_health(settings, "harbour", "timeout", None)
    assert "ReadTimeout" in record["last_error"]
    assert_good_source_unaffected(settings)


def test_slow_drip_body_hits_the_total_deadline(world: World) -> None:
    """A byte every 0.2 s never trips the 0.5 s read timeout, but the whole response gets 3 × 0.5 s."""
    with DripServer(interval_s=0.2, size=40, content_type=RSS_TYPE, fill=b" ") as drip:
        settings = world.settings(
            {"name": "harbour", "feed_url": drip.url_for("/feed.xml"), "allow_private": True},
            NEWSWATCH_HTTP_TIMEOUT="0.5",
        )
        started = time.monotonic()
        outcome = poll_source(settings, "harbour", T0, force=True)
        elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert outcome.status == "failed"
    record = assert_failed_health(settings, "harbour", "timeout (total, over 1.5 s)", 200)
    assert record["bytes"] == 0
    assert_good_source_unaffected(settings)


def test_total_deadline_timeout_is_transient_like_other_timeouts(world: World) -> None:
    """README: timeouts are transient (retried); the slow-drip timeout must be too."""
    with DripServer(interval_s=0.2, size=40, content_type=RSS_TYPE, fill=b" ") as drip:
        settings = world.settings(
            {"name": "harbour", "feed_url": drip.url_for("/feed.xml"), "allow_private": True},
            NEWSWATCH_HTTP_TIMEOUT="0.5",
            good=False,
        )
        outcome = poll_source(settings, "harbour", T0, force=True)
    assert outcome.error is not None and outcome.error.startswith("timeout")
    assert outcome.transient is True


def test_oversize_feed_is_abandoned(world: World) -> None:
    big = rss("".join(rss_item(f"Item {i}", f"http://harbour.test/n/{i}.html") for i in range(400)))
    assert len(big) > 20_000
    world.site.routes["/feed.xml"] = feed_answer(big)
    settings = replace(world.settings(world.source("harbour", "/feed.xml")), max_response_bytes=20_000)

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.error, outcome.transient) == (
        "failed",
        "response larger than 20000 bytes",
        False,
    )
    assert_failed_health(settings, "harbour", "response larger than 20000 bytes", 200)
    assert_good_source_unaffected(settings)


def test_redirect_loop_fails(world: World) -> None:
    world.site.routes["/loop-a"] = (302, {"Location": "/loop-b"}, b"")
    world.site.routes["/loop-b"] = (301, {"Location": "/loop-a"}, b"")
    settings = world.settings(world.source("harbour", "/loop-a"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert outcome.status == "failed"
    assert_failed_health(settings, "harbour", "more than 5 redirects", None)
    assert world.site.hits("/loop-a") + world.site.hits("/loop-b") == 6
    assert_good_source_unaffected(settings)


def test_loopback_feed_of_untrusted_source_is_blocked_without_a_request(world: World) -> None:
    """A source without allow_private may not reach 127.0.0.1 (not even its first URL)."""
    world.site.routes["/internal/feed.xml"] = feed_answer(TWO_ITEMS)
    settings = world.settings(world.source("outsider", "/internal/feed.xml", allow_private=False))

    outcome = poll_source(settings, "outsider", T0, force=True)

    assert outcome.status == "failed"
    record = assert_failed_health(settings, "outsider", "blocked", None)
    assert record["last_error"].startswith("blocked:") and "127.0.0.1" in record["last_error"]
    assert world.site.hits("/internal/feed.xml") == 0
    assert_good_source_unaffected(settings)


def test_blocked_feed_is_a_permanent_failure(world: World) -> None:
    """A URL refused by the address guard cannot succeed on retry: the failure must not be transient."""
    settings = world.settings(world.source("outsider", "/internal/feed.xml", allow_private=False), good=False)
    outcome = poll_source(settings, "outsider", T0, force=True)
    assert outcome.error is not None and outcome.error.startswith("blocked:")
    assert outcome.transient is False


FAKE_PUBLIC_HOST = "feeds.harbour-wire.test"


def test_public_feed_redirecting_to_loopback_is_blocked(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 'public' feed (invented host faked to a public address, reached through HTTP_PROXY) redirecting to
    127.0.0.1: the loopback hop is never requested and the poll fails as blocked."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> object:
        if host == FAKE_PUBLIC_HOST:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port or 80))]
        return real_getaddrinfo(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", world.site.base_url)
    monkeypatch.setenv("http_proxy", world.site.base_url)
    world.site.routes["/public/feed.xml"] = (302, {"Location": world.site.url("/secret/feed.xml")}, b"")
    world.site.routes["/secret/feed.xml"] = feed_answer(TWO_ITEMS)
    settings = world.settings(
        {"name": "outsider", "feed_url": f"http://{FAKE_PUBLIC_HOST}/public/feed.xml"}, good=False
    )

    outcome = poll_source(settings, "outsider", T0, force=True)

    assert outcome.status == "failed"
    record = assert_failed_health(settings, "outsider", "blocked", None)
    assert "127.0.0.1" in record["last_error"]
    assert world.site.hits("/public/feed.xml") == 1
    assert world.site.hits("/secret/feed.xml") == 0


# --- encodings and compression ---------------------------------------------------------------------


def test_latin1_feed_with_xml_declaration(world: World) -> None:
    body = rss(
        rss_item("Difesa: città più sicure, novità in banchina", "http://harbour.test/it/difesa.html"),
        declaration='<?xml version="1.0" encoding="ISO-8859-1"?>',
    ).encode("iso-8859-1")
    world.site.routes["/feed.xml"] = 200, {"Content-Type": "application/rss+xml"}, body
    settings = world.settings(world.source("gazzetta", "/feed.xml"))

    outcome = poll_source(settings, "gazzetta", T0, force=True)

    assert (outcome.status, outcome.new_items, outcome.error) == ("ok", 1, None)
    assert [i["title"] for i in items(settings, "gazzetta")] == ["Difesa: città più sicure, novità in banchina"]
    assert health(settings, "gazzetta")["bytes"] == len(body)
    assert_good_source_unaffected(settings)


def test_windows_1252_declared_only_in_content_type(world: World) -> None:
    title = "\u201cQuay\u201d works \u2013 caf\u00e9 owners\u2019 worries"
    body = rss(rss_item(title, "http://harbour.test/cafe.html"), declaration="").encode("cp1252")
    assert b"\x93" in body  # a real windows-1252 byte, invalid as UTF-8
    world.site.routes["/feed.xml"] = 200, {"Content-Type": "application/rss+xml; charset=windows-1252"}, body
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.new_items, outcome.error) == ("ok", 1, None)
    assert [i["title"] for i in items(settings, "harbour")] == [title]
    assert_good_source_unaffected(settings)


def test_gzip_encoded_feed(world: World) -> None:
    plain = TWO_ITEMS.encode()
    world.site.routes["/feed.xml"] = 200, {"Content-Type": RSS_TYPE, "Content-Encoding": "gzip"}, gzip.compress(plain)
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.new_items) == ("ok", 2)
    assert "gzip" in world.site.headers_of("/feed.xml")[0].get("accept-encoding", "")
    record = health(settings, "harbour")
    assert (record["items_seen"], record["new_items"], record["bytes"]) == (2, 2, len(plain))
    assert_good_source_unaffected(settings)


# --- what is in the feed ---------------------------------------------------------------------------


def test_malformed_feed_is_partial_with_items_recovered(world: World) -> None:
    """An unescaped '&' breaks the XML; feedparser's loose parser recovers both items: status partial."""
    body = rss(
        rss_item("Ships & ferries", "http://harbour.test/news/ships.html")
        + rss_item("Quay lights", "http://harbour.test/news/lights.html")
    )
    world.site.routes["/feed.xml"] = feed_answer(body)
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.items_seen, outcome.new_items, outcome.transient) == ("partial", 2, 2, False)
    record = health(settings, "harbour")
    assert record["last_error"].startswith("malformed feed, 2 item(s) recovered")
    assert (record["consecutive_failures"], record["http_status"], record["items_seen"]) == (0, 200, 2)
    assert record["last_success_at"] == T0
    assert polls(settings, "harbour")[-1]["status"] == "partial"
    assert sorted(i["title"] for i in items(settings, "harbour")) == ["Quay lights", "Ships & ferries"]
    assert_good_source_unaffected(settings)


def test_html_page_served_as_feed_fails(world: World) -> None:
    html = b"<!DOCTYPE html><html><head><title>Harbour</title></head><body><h1>Welcome</h1><p>Hi.</p></body></html>"
    world.site.routes["/feed.xml"] = 200, {"Content-Type": "text/html; charset=utf-8"}, html
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.transient) == ("failed", False)
    record = assert_failed_health(settings, "harbour", "not a feed", 200)
    assert record["body_hash"] is None, "a body that is no feed is not remembered as the feed's content"
    # The same page again is still a failure, not 'unchanged'.
    again = poll_source(settings, "harbour", T0 + timedelta(hours=1), force=True)
    assert again.status == "failed"
    assert health(settings, "harbour")["consecutive_failures"] == 2
    assert_good_source_unaffected(settings)


def test_empty_feed_is_ok_with_no_items(world: World) -> None:
    world.site.routes["/feed.xml"] = feed_answer(rss(""))
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.items_seen, outcome.new_items, outcome.error) == ("ok", 0, 0, None)
    record = health(settings, "harbour")
    assert (record["consecutive_failures"], record["last_error"], record["http_status"]) == (0, None, 200)
    assert record["last_success_at"] == T0 and record["last_new_item_at"] is None
    assert items(settings, "harbour") == []
    assert_good_source_unaffected(settings)


def test_duplicate_guids_are_counted_once(world: World) -> None:
    body = rss(
        rss_item("First copy", "http://harbour.test/a.html", guid="story-1")
        + rss_item("Second copy", "http://harbour.test/a-again.html", guid="story-1")
        + rss_item("Other", "http://harbour.test/b.html", guid="story-2")
    )
    world.site.routes["/feed.xml"] = feed_answer(body)
    settings = world.settings(world.source("harbour", "/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.items_seen, outcome.new_items) == ("ok", 2, 2)
    record = health(settings, "harbour")
    assert (record["items_seen"], record["new_items"]) == (2, 2)
    assert [(i["guid"], i["title"]) for i in items(settings, "harbour")] == [
        ("story-1", "First copy"),
        ("story-2", "Other"),
    ]
    assert_good_source_unaffected(settings)


def test_relative_links_resolve_against_the_final_feed_url(world: World) -> None:
    """The feed moved (302): its relative links resolve against where it was actually read."""
    world.site.routes["/old/feed.xml"] = (302, {"Location": "/news/en/feed.xml"}, b"")
    world.site.routes["/news/en/feed.xml"] = feed_answer(
        rss(
            rss_item("Sibling", "quay.html")
            + rss_item("Up one", "../it/porto.html")
            + rss_item("Rooted", "/archive/lights.html")
        )
    )
    settings = world.settings(world.source("harbour", "/old/feed.xml"))

    outcome = poll_source(settings, "harbour", T0, force=True)

    assert (outcome.status, outcome.new_items) == ("ok", 3)
    base = world.site.base_url
    assert [i["link"] for i in items(settings, "harbour")] == [
        f"{base}/news/en/quay.html",
        f"{base}/news/it/porto.html",
        f"{base}/archive/lights.html",
    ]
    assert_good_source_unaffected(settings)


def test_undated_items_take_the_page_date_or_stay_undated(world: World) -> None:
    """No feed date: published_at comes from the page's meta tag ('meta'); a page with no date leaves it
    None, and the article keeps its first_seen_at (what the digest falls back to)."""
    world.site.routes["/feed.xml"] = feed_answer(
        rss(
            rss_item("Pilot station opens", world.site.url("/pages/pilot.html"), pub=None)
            + rss_item("Breakwater repairs", world.site.url("/pages/breakwater.html"), pub=None)
        )
    )
    world.site.routes["/pages/pilot.html"] = page(
        "Pilot station opens on the northern quay",
        meta='<meta property="article:published_time" content="2026-02-27T14:05:00+05:30">',
    )
    world.site.routes["/pages/breakwater.html"] = page(
        "Breakwater repairs begin in the southern basin", [p.replace("station", "office") for p in PARAGRAPHS]
    )
    settings = world.settings(world.source("harbour", "/feed.xml"))

    assert poll_source(settings, "harbour", T0, force=True).new_items == 2
    assert [i["published_at"] for i in items(settings, "harbour")] == [None, None]
    fetched = fetch_pages(settings, "harbour", T0)
    assert fetched == {"queued": 2, "fetched": 2, "skipped": 0, "failed": 0}
    processed = process_articles(settings, T0)
    assert processed["loaded"] == 2 and processed["failed"] == 0

    by_title = {a["title"]: a for a in articles(settings)}
    dated = by_title["Pilot station opens on the northern quay"]
    assert dated["published_at"] == datetime(2026, 2, 27, 8, 35, tzinfo=UTC)
    assert dated["published_from"] == "meta"
    undated = by_title["Breakwater repairs begin in the southern basin"]
    assert undated["published_at"] is None
    assert undated["published_from"] == "first_seen"  # windowed by when it was first seen
    assert undated["first_seen_at"] == T0
    assert_good_source_unaffected(settings)


def test_ten_thousand_items_are_capped(world: World) -> None:
    body = rss("".join(rss_item(f"Item {i}", f"http://harbour.test/n/{i}.html", guid=f"g{i}") for i in range(10_000)))
    world.site.routes["/feed.xml"] = feed_answer(body)
    settings = world.settings(world.source("harbour", "/feed.xml"))

    started = time.monotonic()
    outcome = poll_source(settings, "harbour", T0, force=True)
    elapsed = time.monotonic() - started

    assert elapsed < 8, elapsed
    cap = settings.max_items_per_feed
    assert cap == 500
    assert (outcome.status, outcome.items_seen, outcome.new_items) == ("ok", cap, cap)
    record = health(settings, "harbour")
    assert (record["items_seen"], record["new_items"], record["bytes"]) == (cap, cap, len(body.encode()))
    stored = items(settings, "harbour")
    assert len(stored) == cap
    assert stored[0]["guid"] == "g0" and stored[-1]["guid"] == f"g{cap - 1}"
    assert_good_source_unaffected(settings)


def atom(updated: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Harbour Gazette</title><id>urn:harbour</id><updated>{updated}</updated>"
        "<entry><title>Pilot station opens</title><id>urn:harbour:pilot</id>"
        '<link href="/pages/pilot.html"/>'
        f"<updated>{updated}</updated><summary>The pilot station.</summary></entry></feed>"
    )


def test_updated_atom_entry_is_refetched_and_the_article_versioned(world: World) -> None:
    version: dict[str, Any] = {"feed": "2026-03-02T07:00:00Z", "page": PARAGRAPHS}
    world.site.routes["/atom.xml"] = lambda h: feed_answer(
        atom(version["feed"]), **{"Content-Type": "application/atom+xml"}
    )
    world.site.routes["/pages/pilot.html"] = lambda h: page("Pilot station opens on the northern quay", version["page"])
    settings = world.settings(world.source("harbour", "/atom.xml"))

    assert poll_source(settings, "harbour", T0, force=True).new_items == 1
    assert fetch_pages(settings, "harbour", T0)["fetched"] == 1
    assert process_articles(settings, T0)["loaded"] == 1
    [first] = articles(settings)
    assert first["version"] == 1
    [item] = items(settings, "harbour")
    assert item["status"] == "done" and item["updated_at"] == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)

    version["feed"] = "2026-03-02T11:30:00Z"
    version["page"] = [*PARAGRAPHS, "Update: the station will also guide yachts entering the marina at night."]
    later = T0 + timedelta(hours=3)
    outcome = poll_source(settings, "harbour", later, force=True)
    assert (outcome.status, outcome.new_items, outcome.updated_items, outcome.items_seen) == ("ok", 0, 1, 1)
    [item] = items(settings, "harbour")
    assert (item["status"], item["attempts"], item["error"]) == ("new", 0, None)
    assert item["updated_at"] == datetime(2026, 3, 2, 11, 30, tzinfo=UTC)

    fetched = fetch_pages(settings, "harbour", later)
    assert fetched == {"queued": 1, "fetched": 1, "skipped": 0, "failed": 0}
    assert world.site.hits("/pages/pilot.html") == 2
    assert process_articles(settings, later)["loaded"] == 1
    [second] = articles(settings)
    assert second["id"] == first["id"], "updated in place, not duplicated"
    assert second["version"] == 2
    assert "yachts" in second["text"]
    assert second["first_seen_at"] == T0
    assert items(settings, "harbour")[0]["status"] == "done"

    # The same feed again: nothing re-queued, nothing fetched.
    again = poll_source(settings, "harbour", later + timedelta(hours=1), force=True)
    assert (again.status, again.updated_items) == ("unchanged", 0)
    assert fetch_pages(settings, "harbour", later)["queued"] == 0
    assert_good_source_unaffected(settings)


# --- the adaptive schedule -------------------------------------------------------------------------


def test_not_due_source_is_skipped_without_a_request(world: World) -> None:
    world.site.routes["/feed.xml"] = feed_answer(TWO_ITEMS)
    settings = world.settings(world.source("harbour", "/feed.xml", poll_interval_minutes=30))

    first = poll_source(settings, "harbour", T0)
    assert (first.status, first.new_items) == ("ok", 2)
    record = health(settings, "harbour")
    interval = record["interval_minutes"]
    assert interval == pytest.approx(30 * 0.75)  # two new items: a little more often
    assert record["next_poll_at"] == T0 + timedelta(minutes=interval)

    skipped = poll_source(settings, "harbour", T0 + timedelta(minutes=1))
    assert skipped.status == "not_due"
    assert world.site.hits("/feed.xml") == 1, "a source that is not due makes no request"
    assert len(polls(settings, "harbour")) == 1 and health(settings, "harbour") == record

    due = poll_source(settings, "harbour", T0 + timedelta(minutes=interval))
    assert due.status == "unchanged"
    assert world.site.hits("/feed.xml") == 2
    assert health(settings, "harbour")["interval_minutes"] == pytest.approx(interval * 1.5)
    assert_good_source_unaffected(settings)


def test_failing_source_in_backoff_is_still_failing_not_not_due(world: World) -> None:
    """Issue #17: a run that finds a failing source waiting out its backoff must not look healthy. It is
    ``still_failing`` with the last error, since when and the next attempt, makes no request and records
    nothing: "failures in a row" counts real attempts only."""
    state = {"broken": True}
    world.site.routes["/feed.xml"] = lambda h: (500, {}, b"down") if state["broken"] else feed_answer(TWO_ITEMS)
    settings = world.settings(world.source("harbour", "/feed.xml", poll_interval_minutes=60))

    first = poll_source(settings, "harbour", T0)
    assert (first.status, first.failing, first.consecutive_failures) == ("failed", True, 1)
    assert first.next_poll_at == (T0 + timedelta(minutes=10)).isoformat(), "the first retry is the next run"

    waiting = poll_source(settings, "harbour", T0 + timedelta(minutes=1))
    assert (waiting.status, waiting.failed, waiting.failing) == ("still_failing", False, True)
    assert waiting.error == (
        "still failing since 2026-03-02 09:00 UTC (1 failed poll in a row), next attempt at 2026-03-02 09:10 UTC; "
        "last error: HTTP 500"
    )
    assert (waiting.http_status, waiting.consecutive_failures) == (500, 1)
    assert world.site.hits("/feed.xml") == 1, "no request while the source waits out its backoff"
    assert len(polls(settings, "harbour")) == 1 and health(settings, "harbour")["consecutive_failures"] == 1

    again = poll_source(settings, "harbour", T0 + timedelta(minutes=10))
    assert (again.status, again.consecutive_failures) == ("failed", 2)
    assert world.site.hits("/feed.xml") == 2
    later = poll_source(settings, "harbour", T0 + timedelta(minutes=11))
    assert later.status == "still_failing"
    assert later.error is not None
    assert later.error.startswith("still failing since 2026-03-02 09:00 UTC (2 failed polls in a row)"), later.error
    assert "next attempt at 2026-03-02 09:30 UTC" in later.error

    state["broken"] = False
    recovered = poll_source(settings, "harbour", T0 + timedelta(minutes=30))
    assert (recovered.status, recovered.failing, recovered.consecutive_failures) == ("ok", False, 0)
    healthy = poll_source(settings, "harbour", T0 + timedelta(minutes=31))
    assert (healthy.status, healthy.failing) == ("not_due", False), "a healthy source that is not due is fine"
    assert_good_source_unaffected(settings)


def test_failing_since_survives_a_recovery_and_a_new_outage(world: World) -> None:
    """The outage's start is its first failure after the last success, not the first failure ever."""
    state = {"broken": True}
    world.site.routes["/feed.xml"] = lambda h: (503, {}, b"") if state["broken"] else feed_answer(TWO_ITEMS)
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    poll_source(settings, "harbour", T0)
    state["broken"] = False
    poll_source(settings, "harbour", T0 + timedelta(hours=1))
    state["broken"] = True
    poll_source(settings, "harbour", T0 + timedelta(hours=3))
    waiting = poll_source(settings, "harbour", T0 + timedelta(hours=3, minutes=1))
    assert waiting.status == "still_failing"
    assert waiting.error is not None and waiting.error.startswith("still failing since 2026-03-02 12:00 UTC"), (
        waiting.error
    )


def test_force_polls_a_source_in_backoff_and_counts_the_attempt(world: World) -> None:
    world.site.routes["/feed.xml"] = (500, {}, b"down")
    settings = world.settings(world.source("harbour", "/feed.xml"))
    poll_source(settings, "harbour", T0)
    forced = poll_source(settings, "harbour", T0 + timedelta(minutes=1), force=True)
    assert (forced.status, forced.consecutive_failures) == ("failed", 2)
    assert world.site.hits("/feed.xml") == 2, "forced: a real request, whatever the backoff"
    assert health(settings, "harbour")["consecutive_failures"] == 2
    assert [p["status"] for p in polls(settings, "harbour")] == ["failed", "failed"]
    assert_good_source_unaffected(settings)


def test_force_still_waits_out_a_servers_429(world: World) -> None:
    """Forcing overrides our schedule, not a server that said Too Many Requests: until its Retry-After has
    passed the source is still failing, with no request; then a forced poll goes out."""
    world.site.routes["/feed.xml"] = (429, {"Retry-After": "3600"}, b"")
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    poll_source(settings, "harbour", T0)
    held = poll_source(settings, "harbour", T0 + timedelta(minutes=5), force=True)
    assert held.status == "still_failing"
    assert held.error is not None and "429 Too Many Requests" in held.error and "10:00 UTC" in held.error
    assert world.site.hits("/feed.xml") == 1
    world.site.routes["/feed.xml"] = feed_answer(TWO_ITEMS)
    assert poll_source(settings, "harbour", T0 + timedelta(minutes=61), force=True).status == "ok"
    assert world.site.hits("/feed.xml") == 2


def test_cli_ingest_force_polls_every_source_again(world: World) -> None:
    """Issue #17: a second `newswatch ingest` right after the first polls nothing (every source is not
    due); `newswatch ingest --force` polls them all again, with the usual conditional GET."""
    world.site.routes["/feed.xml"] = feed_answer(TWO_ITEMS, ETag='"v1"')
    world.site.routes["/good/one.html"] = page("Good one")
    world.site.routes["/good/two.html"] = page("Good two")
    world.settings(world.source("harbour", "/feed.xml"))

    def ingest(*args: str) -> dict[str, Any]:
        out = io.StringIO()
        assert cli.main(["ingest", *args], out=out) == 0
        return json.loads(out.getvalue())["sources"]

    first = ingest()
    assert {name: o["status"] for name, o in first.items()} == {"harbour": "ok", "good": "ok"}
    second = ingest()
    assert {name: o["status"] for name, o in second.items()} == {"harbour": "not_due", "good": "not_due"}
    assert (world.site.hits("/feed.xml"), world.site.hits("/good/feed.xml")) == (1, 1)
    forced = ingest("--force")
    assert forced["harbour"]["status"] in ("unchanged", "not_modified")
    assert forced["good"]["status"] in ("unchanged", "not_modified")
    assert (world.site.hits("/feed.xml"), world.site.hits("/good/feed.xml")) == (2, 2)
    assert world.site.headers_of("/feed.xml")[-1].get("if-none-match") == '"v1"', "still a conditional GET"


def test_poll_task_is_red_on_every_run_of_an_outage_and_a_later_try_polls_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll task's body as the ingest DAG runs it (Airflow's task context faked): a failed poll fails the
    task; the next run, with the source in backoff, fails it again without a request; a second try (a task
    cleared by hand) really polls; the run's ``force`` param does too."""
    import airflow.sdk
    from airflow.sdk.exceptions import AirflowFailException

    from newswatch import airflow_support

    state = {"broken": True}
    world.site.routes["/feed.xml"] = lambda h: (503, {}, b"") if state["broken"] else feed_answer(TWO_ITEMS)
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    context: dict[str, Any] = {}
    monkeypatch.setattr(airflow.sdk, "get_current_context", lambda: context)
    monkeypatch.setattr(airflow_support, "task_settings", lambda: settings)
    monkeypatch.setattr(airflow_support, "smtp_transport", lambda: None)

    def run(try_number: int = 1, force: bool = False) -> dict[str, Any]:
        context.update(params={"force": force}, ti=SimpleNamespace(try_number=try_number))
        return airflow_support.run_poll_task("harbour")

    with pytest.raises(AirflowFailException, match=r"source harbour: HTTP 503 \(transient; 1 failed poll"):
        run()
    with pytest.raises(AirflowFailException, match=r"source harbour: still failing since .* next attempt at"):
        run()
    assert world.site.hits("/feed.xml") == 1 and health(settings, "harbour")["consecutive_failures"] == 1
    with pytest.raises(AirflowFailException, match=r"HTTP 503 \(transient; 2 failed poll"):
        run(try_number=2)
    with pytest.raises(AirflowFailException, match=r"HTTP 503 \(transient; 3 failed poll"):
        run(force=True)
    assert world.site.hits("/feed.xml") == 3 and health(settings, "harbour")["consecutive_failures"] == 3

    state["broken"] = False
    assert run(try_number=2)["status"] == "ok"
    assert run()["status"] == "not_due", "healthy and not due: green, no request"
    assert world.site.hits("/feed.xml") == 4


# --- ops alerts -------------------------------------------------------------------------------------


def test_ops_alerted_once_per_run_of_failures_through_the_outbox(world: World) -> None:
    state = {"broken": True}
    world.site.routes["/feed.xml"] = lambda h: (500, {}, b"down") if state["broken"] else feed_answer(TWO_ITEMS)
    settings = world.settings(world.source("harbour", "/feed.xml"), NEWSWATCH_FAILURE_ALERT_AFTER="3")
    ops = settings.outbox_dir / "ops"
    when = iter(T0 + timedelta(hours=n) for n in range(100))

    def mails() -> list[EmailMessage]:
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(ops.glob("*.eml"))]

    alerted = None
    for n in range(1, 6):
        now = next(when)
        poll_source(settings, "harbour", now, force=True)
        record = health(settings, "harbour")
        assert record["consecutive_failures"] == n
        if n < 3:
            assert record["alerted_at"] is None and not ops.exists()
        elif n == 3:
            alerted = now
        assert record["alerted_at"] == alerted
    [mail] = mails()
    assert "harbour" in mail["Subject"] and "3 polls in a row" in mail["Subject"]
    assert mail["To"] == settings.ops_email
    assert "HTTP 500" in mail.get_content()

    state["broken"] = False
    poll_source(settings, "harbour", next(when), force=True)
    record = health(settings, "harbour")
    assert (record["alerted_at"], record["consecutive_failures"]) == (None, 0)

    state["broken"] = True
    for _ in range(3):
        poll_source(settings, "harbour", next(when), force=True)
    assert health(settings, "harbour")["alerted_at"] is not None
    assert len(mails()) == 2
    assert_good_source_unaffected(settings)


@dataclass
class Recorder:
    received: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, SmtpTransport]]:
    recorder = Recorder()
    with serve_smtp(recorder) as port:
        yield recorder, SmtpTransport(host="127.0.0.1", port=port, timeout_s=5.0)


def test_ops_alert_through_smtp_arrives_once(world: World, smtp: tuple[Recorder, SmtpTransport]) -> None:
    recorder, transport = smtp
    world.site.routes["/feed.xml"] = (503, {}, b"")
    settings = world.settings(world.source("harbour", "/feed.xml"), NEWSWATCH_FAILURE_ALERT_AFTER="3")

    for n in range(5):
        poll_source(settings, "harbour", T0 + timedelta(hours=n), force=True, notifier=transport)

    assert len(recorder.received) == 1
    rcpts, content = recorder.received[0]
    assert rcpts == [settings.ops_email]
    mail = message_from_bytes(content, policy=policy.default)
    assert "harbour" in mail["Subject"]
    assert not (settings.outbox_dir / "ops").exists(), "the notifier replaces the outbox"
    assert health(settings, "harbour")["alerted_at"] == T0 + timedelta(hours=2)


def test_ops_alert_that_could_not_be_sent_is_retried(world: World) -> None:
    @dataclass
    class Flaky:
        down: int = 1
        sent: list[EmailMessage] = field(default_factory=list)
        channel: str = "smtp"

        def send(self, message: EmailMessage, recipient: str) -> None:
            if self.down:
                self.down -= 1
                raise ConnectionRefusedError("smtp relay down")
            self.sent.append(message)

    notifier = Flaky()
    world.site.routes["/feed.xml"] = (500, {}, b"")
    settings = world.settings(world.source("harbour", "/feed.xml"), NEWSWATCH_FAILURE_ALERT_AFTER="3", good=False)
    for n in range(5):
        poll_source(settings, "harbour", T0 + timedelta(hours=n), force=True, notifier=notifier)
    assert notifier.down == 0, "the alert was attempted"
    assert len(notifier.sent) == 1, "the failed alert is sent at a later failing poll"


# --- fetch_pages ------------------------------------------------------------------------------------


def test_fetch_respects_per_host_concurrency(world: World) -> None:
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow_page(headers: dict[str, str]) -> Response:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.2)
        with lock:
            state["now"] -= 1
        return page("Pilot station opens on the northern quay")

    links = [f"/pages/p{n}.html" for n in range(6)]
    for link in links:
        world.site.routes[link] = slow_page
    world.site.routes["/feed.xml"] = feed_answer(
        rss("".join(rss_item(f"P{n}", world.site.url(link)) for n, link in enumerate(links)))
    )
    settings = world.settings(
        world.source("harbour", "/feed.xml"), NEWSWATCH_PER_HOST_CONCURRENCY="2", NEWSWATCH_FETCH_WORKERS="6"
    )
    assert poll_source(settings, "harbour", T0, force=True).new_items == 6

    started = time.monotonic()
    counts = fetch_pages(settings, "harbour", T0)
    elapsed = time.monotonic() - started

    assert counts == {"queued": 6, "fetched": 6, "skipped": 0, "failed": 0}
    assert state["max"] == 2, "at most two page requests in flight to one host, and two used"
    assert elapsed >= 0.55, "six 0.2 s pages two at a time take three rounds"
    assert world.site.hits("/robots.txt") == 1
    assert all(i["status"] == "fetched" and i["raw_ref"] for i in items(settings, "harbour"))
    assert_good_source_unaffected(settings)


def test_fetch_obeys_robots_txt(world: World) -> None:
    world.site.routes["/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /pages/private/\n",
    )
    world.site.routes["/pages/public.html"] = page("Pilot station opens on the northern quay")
    world.site.routes["/pages/private/memo.html"] = page("Internal memo")
    world.site.routes["/feed.xml"] = feed_answer(
        rss(
            rss_item("Public", world.site.url("/pages/public.html"))
            + rss_item("Private", world.site.url("/pages/private/memo.html"))
        )
    )
    settings = world.settings(world.source("harbour", "/feed.xml"))
    poll_source(settings, "harbour", T0, force=True)

    counts = fetch_pages(settings, "harbour", T0)

    assert counts == {"queued": 2, "fetched": 1, "skipped": 0, "failed": 1}
    assert world.site.hits("/pages/private/memo.html") == 0
    assert world.site.hits("/pages/public.html") == 1
    by_title = {i["title"]: i for i in items(settings, "harbour")}
    assert by_title["Public"]["status"] == "fetched"
    private = by_title["Private"]
    assert private["error"] == "disallowed by robots.txt"
    # robots.txt will not change its mind by the next run: given up at once, never requested.
    assert private["raw_ref"] is None
    assert (private["status"], private["attempts"]) == ("failed", MAX_FETCH_ATTEMPTS)
    assert fetch_pages(settings, "harbour", T0)["queued"] == 0
    assert world.site.hits("/pages/private/memo.html") == 0
    assert world.site.hits("/pages/private/memo.html") == 0
    assert_good_source_unaffected(settings)


def test_fetch_skips_a_page_another_source_brought_in(world: World) -> None:
    shared = world.site.url("/pages/pilot.html")
    world.site.routes["/pages/pilot.html"] = page("Pilot station opens on the northern quay")
    world.site.routes["/wire.xml"] = feed_answer(rss(rss_item("Pilot station opens", shared)))
    world.site.routes["/portal.xml"] = feed_answer(
        rss(rss_item("Pilot station opens (portal)", shared + "?utm_source=rss"))
    )
    settings = world.settings(world.source("wire", "/wire.xml"), world.source("portal", "/portal.xml"))

    poll_source(settings, "wire", T0, force=True)
    assert fetch_pages(settings, "wire", T0)["fetched"] == 1
    assert process_articles(settings, T0)["loaded"] == 1
    assert world.site.hits("/pages/pilot.html") == 1

    later = T0 + timedelta(minutes=30)
    assert poll_source(settings, "portal", later, force=True).new_items == 1
    counts = fetch_pages(settings, "portal", later)

    assert counts == {"queued": 1, "fetched": 0, "skipped": 1, "failed": 0}
    assert world.site.hits("/pages/pilot.html") == 1, "not fetched again"
    [item] = items(settings, "portal")
    assert (item["status"], item["error"], item["raw_ref"]) == ("skipped", "already in the warehouse", None)
    assert [a["source"] for a in articles(settings)] == ["wire"]
    assert_good_source_unaffected(settings)


def test_failing_page_does_not_stop_the_others(world: World) -> None:
    """One page 500s, one is oversize, one loops: the good page is still fetched; each error is kept."""
    world.site.routes["/pages/ok.html"] = page("Pilot station opens on the northern quay")
    world.site.routes["/pages/broken.html"] = (500, {}, b"")
    world.site.routes["/pages/loop.html"] = (302, {"Location": "/pages/loop.html"}, b"")
    links = ["/pages/ok.html", "/pages/broken.html", "/pages/loop.html"]
    world.site.routes["/feed.xml"] = feed_answer(rss("".join(rss_item(p, world.site.url(p)) for p in links)))
    settings = world.settings(world.source("harbour", "/feed.xml"))
    poll_source(settings, "harbour", T0, force=True)

    counts = fetch_pages(settings, "harbour", T0)

    assert counts == {"queued": 3, "fetched": 1, "skipped": 0, "failed": 2}
    by_link = {i["link"].rsplit("/", 1)[-1]: i for i in items(settings, "harbour")}
    assert by_link["ok.html"]["status"] == "fetched"
    assert by_link["broken.html"]["error"] == "HTTP 500"
    assert "redirects" in by_link["loop.html"]["error"]
    # A 500 may pass and is tried again later; a redirect loop will not and is given up at once.
    assert (by_link["broken.html"]["status"], by_link["loop.html"]["status"]) == ("new", "failed")


def test_unchanged_malformed_feed_keeps_its_warning(world: World) -> None:
    """A malformed feed that answers with the same bytes next time still shows its warning in feed health;
    a recovered feed clears it."""
    cut = rss(rss_item("Kept one", world.site.url("/cut/one.html")) + "<item><title>Cut sh")
    world.site.routes["/cut/feed.xml"] = feed_answer(cut)
    settings = world.settings(world.source("cut", "/cut/feed.xml"), good=False)
    first = poll_source(settings, "cut", T0, force=True)
    assert first.status == "partial" and first.error and "malformed" in first.error
    second = poll_source(settings, "cut", T0 + timedelta(hours=1), force=True)
    assert second.status in ("unchanged", "not_modified") and second.error is None
    row = health(settings, "cut")
    assert row["last_error"] == first.error and row["consecutive_failures"] == 0

    world.site.routes["/cut/feed.xml"] = feed_answer(rss(rss_item("Kept one", world.site.url("/cut/one.html"))))
    third = poll_source(settings, "cut", T0 + timedelta(hours=2), force=True)
    assert third.status == "ok" and health(settings, "cut")["last_error"] is None


def many_pages(world: World, count: int, broken_every: int = 0) -> str:
    """A feed of ``count`` items, each with its own page; every ``broken_every``-th page answers 500."""
    entries = []
    for i in range(count):
        path = f"/pages/many/{i}.html"
        broken = broken_every and i % broken_every == broken_every - 1
        world.site.routes[path] = (500, {}, b"down") if broken else page(f"Quay notice number {i}")
        entries.append(rss_item(f"Notice {i}", world.site.url(path), guid=f"n{i}"))
    return rss("".join(entries))


def test_fetch_writes_results_in_batches_and_keeps_each_page_its_own(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.site.routes["/feed.xml"] = feed_answer(many_pages(world, 120, broken_every=10))
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    assert poll_source(settings, "harbour", T0, force=True).new_items == 120
    writes: list[int] = []
    real_mark = load_module.mark_fetched_items

    def counted(session: Session, rows: Any) -> None:
        writes.append(len(rows))
        real_mark(session, rows)

    monkeypatch.setattr(load_module, "mark_fetched_items", counted)

    counts = fetch_pages(settings, "harbour", T0)

    assert counts == {"queued": 120, "fetched": 108, "skipped": 0, "failed": 12}
    assert sum(writes) == 108 and len(writes) < 120 / 4, writes  # batched, not a commit per page
    store = RawStore(settings.raw_store_dir)
    for item in items(settings, "harbour"):
        number = item["link"].rsplit("/", 1)[-1].removesuffix(".html")
        if int(number) % 10 == 9:
            assert (item["status"], item["attempts"], item["error"]) == ("new", 1, "HTTP 500")
            assert item["raw_ref"] is None
        else:
            assert (item["status"], item["fetched_at"], item["final_url"]) == ("fetched", T0, item["link"])
            assert f"Quay notice number {number}<".encode() in store.get(item["raw_ref"])


def test_pages_fetched_before_a_failure_are_kept(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The raw store fails at the 70th page (a full disk): what came before is written, and the next run
    fetches only the rest."""
    world.site.routes["/feed.xml"] = feed_answer(many_pages(world, 120))
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    poll_source(settings, "harbour", T0, force=True)
    real_put = RawStore.put

    def failing_put(self: RawStore, body: bytes) -> str:
        if b"Quay notice number 69<" in body:
            raise OSError(28, "No space left on device")
        return real_put(self, body)

    monkeypatch.setattr(RawStore, "put", failing_put)
    with pytest.raises(OSError, match="No space left"):
        fetch_pages(settings, "harbour", T0)

    fetched = [i for i in items(settings, "harbour") if i["status"] == "fetched"]
    assert len(fetched) >= 69, "the pages before the failure are written, not lost with the batch"
    monkeypatch.setattr(RawStore, "put", real_put)
    again = fetch_pages(settings, "harbour", T0 + timedelta(minutes=10))
    assert again["queued"] == 120 - len(fetched) and again["fetched"] == again["queued"]
    assert all(i["status"] == "fetched" for i in items(settings, "harbour"))
    for i in range(69):
        assert world.site.hits(f"/pages/many/{i}.html") == 1, i


def test_a_backlog_drains_in_one_run_a_batch_per_transaction(world: World) -> None:
    """Issue #16: 30 fetched pages and batches of 8 — one call takes all four batches (each committed
    on its own), so a backlog does not cost an ingest run, with all its task starts, per batch."""
    world.site.routes["/feed.xml"] = feed_answer(many_pages(world, 30))
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    poll_source(settings, "harbour", T0, force=True)
    assert fetch_pages(settings, "harbour", T0)["fetched"] == 30

    counts = process_articles(settings, T0, limit=8)

    assert (counts["batches"], counts["processed"], counts["loaded"]) == (4, 30, 30), counts
    assert {item["status"] for item in items(settings, "harbour")} == {"done"}


def test_a_spent_time_budget_leaves_the_rest_for_the_next_run(world: World) -> None:
    world.site.routes["/feed.xml"] = feed_answer(many_pages(world, 20))
    settings = world.settings(world.source("harbour", "/feed.xml"), good=False)
    poll_source(settings, "harbour", T0, force=True)
    fetch_pages(settings, "harbour", T0)

    first = process_articles(settings, T0, limit=8, time_budget=timedelta(0))
    statuses = Counter(item["status"] for item in items(settings, "harbour"))
    rest = process_articles(settings, T0, limit=8)

    assert (first["batches"], first["loaded"]) == (1, 8), first
    assert statuses == {"done": 8, "fetched": 12}, statuses
    assert (rest["batches"], rest["loaded"]) == (2, 12), rest
