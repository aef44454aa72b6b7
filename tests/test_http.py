"""Tests of newswatch.ingest.http against real HTTP servers on 127.0.0.1 (no mocked transport).

Most tests use :class:`FixtureServer` with a ``hook`` that answers each request; the timeout tests use
:class:`DripServer`, which sends its body a byte at a time (both in tests/support/).
"""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newswatch.ingest.http import (
    MAX_REDIRECTS,
    BlockedAddressError,
    HttpPolicy,
    PoliteClient,
    check_url_allowed,
    parse_retry_after,
)
from tests.support.fixtureserver import Answer, FixtureServer, Hook
from tests.support.httpserver import DripServer
from tests.support.net import free_port

USER_AGENT = "newswatch-test/1.0 (+tests; qa@example.org)"


def policy(**overrides: object) -> HttpPolicy:
    """A fast policy for tests: short timeouts, no pacing, loopback allowed unless overridden."""
    values: dict[str, object] = {
        "user_agent": USER_AGENT,
        "timeout_s": 2.0,
        "connect_timeout_s": 1.0,
        "min_host_delay_s": 0.0,
        "allow_private": True,
    }
    values.update(overrides)
    return HttpPolicy(**values)  # type: ignore[arg-type]


def lower_keys(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


@pytest.fixture(scope="module")
def server_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[FixtureServer]]:
    """Two FixtureServers (on an empty folder) shared by the module: stopping one costs 0.5 s."""
    root = tmp_path_factory.mktemp("empty-site")
    servers = [FixtureServer(root).start() for _ in range(2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def serve(server_pool: list[FixtureServer]) -> Iterator[Callable[[Hook], FixtureServer]]:
    """Hand out a server of the pool answering through ``hook``, with its request log emptied."""
    free = list(server_pool)

    def start(hook: Hook) -> FixtureServer:
        server = free.pop(0)
        server.requests.clear()
        server.hook = hook
        return server

    yield start
    for server in server_pool:
        server.hook = lambda path, headers: (500, {}, b"no hook installed")


def paths(server: FixtureServer) -> list[str]:
    """The request paths the server received (absolute-form proxy requests reduced to their path)."""
    return [urlsplit(p).path for p in server.requests]


# --- plain GETs ------------------------------------------------------------------------------------


def test_get_200_returns_body_and_validators(serve: Callable[[Hook], FixtureServer]) -> None:
    """A 200 gives the body, content type, ETag, Last-Modified; our User-Agent is sent."""
    seen: dict[str, str] = {}

    def hook(path: str, headers: dict[str, str]) -> Answer:
        seen.update(lower_keys(headers))
        return (
            200,
            {
                "Content-Type": "text/html; charset=utf-8",
                "ETag": '"abc123"',
                "Last-Modified": "Fri, 27 Feb 2026 10:00:00 GMT",
            },
            f"<p>you asked for {path}</p>".encode(),
        )

    server = serve(hook)
    url = server.base_url + "/news/today.html"
    with PoliteClient(policy()) as client:
        result = client.get(url)
    assert result.ok and result.error is None
    assert result.status == 200
    assert result.body == b"<p>you asked for /news/today.html</p>"
    assert result.url == result.final_url == url
    assert result.content_type.startswith("text/html")
    assert result.etag == '"abc123"'
    assert result.last_modified == "Fri, 27 Feb 2026 10:00:00 GMT"
    assert result.retry_after_s is None
    assert result.elapsed_s >= 0
    assert seen["user-agent"] == USER_AGENT
    assert "if-none-match" not in seen


def test_fixture_server_files_are_served(fixture_server: FixtureServer) -> None:
    """The shared fixture server's feeds come back with the {{BASE}} placeholder replaced."""
    with PoliteClient(policy()) as client:
        result = client.get(fixture_server.base_url + "/feeds/ians.xml")
    assert result.ok
    assert b"{{BASE}}" not in result.body
    assert fixture_server.base_url.encode() + b"/pages/ians/" in result.body


@pytest.mark.parametrize("conditional", ["etag", "last_modified"])
def test_conditional_get_gives_304(serve: Callable[[Hook], FixtureServer], conditional: str) -> None:
    """If-None-Match / If-Modified-Since are sent and a 304 is reported as not modified, not an error."""
    etag, modified = '"v7"', "Thu, 26 Feb 2026 08:00:00 GMT"

    def hook(path: str, headers: dict[str, str]) -> Answer:
        h = lower_keys(headers)
        if h.get("if-none-match") == etag or h.get("if-modified-since") == modified:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Last-Modified": modified}, b"<rss/>"

    server = serve(hook)
    url = server.base_url + "/feed.xml"
    with PoliteClient(policy()) as client:
        first = client.get(url)
        assert first.status == 200 and first.body == b"<rss/>"
        kwargs = {"etag": first.etag} if conditional == "etag" else {"last_modified": first.last_modified}
        second = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert second.status == 304
    assert second.not_modified
    assert second.error is None
    assert not second.ok, "a 304 has no body to process"
    assert second.body == b""


# --- redirects -------------------------------------------------------------------------------------


def test_redirect_chain_is_followed(serve: Callable[[Hook], FixtureServer]) -> None:
    """Relative and absolute Location headers are followed; final_url is the last hop."""
    base: list[str] = []

    def hook(path: str, headers: dict[str, str]) -> Answer:
        if path == "/old":
            return 301, {"Location": "/moved/once"}, b""
        if path == "/moved/once":
            return 302, {"Location": base[0] + "/final?x=1"}, b""
        if path == "/final?x=1":
            return 200, {"Content-Type": "text/plain"}, b"arrived"
        return None

    server = serve(hook)
    base.append(server.base_url)
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/old")
    assert result.ok, result.error
    assert result.body == b"arrived"
    assert result.url == server.base_url + "/old"
    assert result.final_url == server.base_url + "/final?x=1"
    assert server.requests == ["/old", "/moved/once", "/final?x=1"]


def test_redirect_loop_gives_up(serve: Callable[[Hook], FixtureServer]) -> None:
    """A redirect loop ends with an error after the first request plus MAX_REDIRECTS hops."""
    server = serve(lambda path, headers: (302, {"Location": "/loop"}, b""))
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/loop")
    assert not result.ok
    assert result.error == f"more than {MAX_REDIRECTS} redirects"
    assert len(server.requests) == MAX_REDIRECTS + 1


def test_redirect_without_location(serve: Callable[[Hook], FixtureServer]) -> None:
    """A 3xx without Location is an error, not an empty success."""
    server = serve(lambda path, headers: (302, {}, b""))
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/x")
    assert not result.ok
    assert result.status == 302
    assert result.error == "redirect without Location"


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/pub/file", "gopher://127.0.0.1/"])
def test_redirect_to_non_http_scheme_is_blocked(serve: Callable[[Hook], FixtureServer], location: str) -> None:
    """Every hop is checked: a redirect to a non-http(s) scheme is blocked even for trusted sources."""
    server = serve(lambda path, headers: (302, {"Location": location}, b""))
    with PoliteClient(policy(allow_private=True)) as client:
        result = client.get(server.base_url + "/start")
    assert not result.ok
    assert result.error is not None and result.error.startswith("blocked:")
    assert "scheme" in result.error
    assert result.final_url == location
    assert server.requests == ["/start"]


# --- the address guard -----------------------------------------------------------------------------


def test_private_first_url_is_blocked_before_any_request(serve: Callable[[Hook], FixtureServer]) -> None:
    """With allow_private=False a loopback URL is refused and no request reaches the server."""
    server = serve(lambda path, headers: (200, {}, b"secret"))
    with PoliteClient(policy(allow_private=False)) as client:
        result = client.get(server.base_url + "/admin")
    assert not result.ok
    assert result.status == 0
    assert result.body == b""
    assert result.error is not None and result.error.startswith("blocked:")
    assert "127.0.0.1" in result.error
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/x",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/router",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/",
        "http://2130706433/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://METADATA/",
    ],
)
def test_check_url_allowed_blocks_non_public(url: str) -> None:
    """Loopback, private, link-local (cloud metadata), unspecified and metadata host names are blocked."""
    with pytest.raises(BlockedAddressError):
        check_url_allowed(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://10.0.0.1/", "http://169.254.169.254/"])
def test_check_url_allowed_allow_private(url: str) -> None:
    """allow_private=True (trusted sources only) lets private addresses through."""
    check_url_allowed(url, allow_private=True)


@pytest.mark.parametrize("url", ["http://93.184.216.34/", "https://8.8.8.8:8443/dns", "http://[2606:4700::1111]/"])
def test_check_url_allowed_public_literals(url: str) -> None:
    """Public addresses pass (IP literals, so no DNS is needed)."""
    check_url_allowed(url)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.org/", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("//example.org/x", "scheme '(none)'"),
        ("http:///no-host", "no host"),
    ],
)
def test_check_url_allowed_rejects_bad_urls(url: str, fragment: str) -> None:
    """Non-http(s) schemes and host-less URLs are refused, whatever allow_private says."""
    with pytest.raises(BlockedAddressError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        check_url_allowed(url, allow_private=True)


@pytest.mark.parametrize("url", ["http://100.100.100.200/latest/meta-data/", "http://100.64.0.1/"])
def test_check_url_allowed_blocks_shared_address_space(url: str) -> None:
    """100.64.0.0/10 is not publicly routable (and hosts a cloud metadata service): it must be blocked."""
    with pytest.raises(BlockedAddressError):
        check_url_allowed(url)


def test_get_with_non_http_scheme_is_blocked() -> None:
    """get() refuses non-http schemes with a 'blocked' error instead of raising."""
    with PoliteClient(policy()) as client:
        result = client.get("file:///etc/passwd")
    assert not result.ok
    assert result.error is not None and result.error.startswith("blocked:")


FAKE_PUBLIC_HOST = "news.public-wire.test"
FAKE_PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def public_host_via_proxy(
    serve: Callable[[Hook], FixtureServer], monkeypatch: pytest.MonkeyPatch
) -> Callable[[Hook], FixtureServer]:
    """A server reachable as http://news.public-wire.test/ that the guard sees as a public host.

    The invented host name resolves (for this test only) to a public address, and HTTP_PROXY points
    httpx at the local server, which answers the absolute-form requests. httpx and the server are
    real; only the DNS answer for one invented name is faked. This lets a redirect from an allowed
    public host to a private address be checked hop by hop with allow_private=False.
    """
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> object:
        if host == FAKE_PUBLIC_HOST:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (FAKE_PUBLIC_IP, port or 80))]
        return real_getaddrinfo(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)

    def start(hook: Hook) -> FixtureServer:
        server = serve(hook)
        monkeypatch.setenv("HTTP_PROXY", server.base_url)
        monkeypatch.setenv("http_proxy", server.base_url)
        return server

    return start


def test_redirect_between_public_hosts_is_followed(public_host_via_proxy: Callable[[Hook], FixtureServer]) -> None:
    """Control for the test below: with allow_private=False a public-to-public redirect works."""

    def hook(path: str, headers: dict[str, str]) -> Answer:
        if urlsplit(path).path == "/start":
            return 302, {"Location": f"http://{FAKE_PUBLIC_HOST}/final"}, b""
        return 200, {}, b"public page"

    server = public_host_via_proxy(hook)
    with PoliteClient(policy(allow_private=False)) as client:
        result = client.get(f"http://{FAKE_PUBLIC_HOST}/start")
    assert result.ok, result.error
    assert result.body == b"public page"
    assert result.final_url == f"http://{FAKE_PUBLIC_HOST}/final"
    assert paths(server) == ["/start", "/final"]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/secret",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_redirect_to_private_address_is_blocked(
    public_host_via_proxy: Callable[[Hook], FixtureServer], target: str
) -> None:
    """A public page redirecting to loopback/private/metadata addresses is stopped before that hop."""
    location: list[str] = []

    def hook(path: str, headers: dict[str, str]) -> Answer:
        if urlsplit(path).path == "/start":
            return 302, {"Location": location[0]}, b""
        return 200, {}, b"internal data"

    server = public_host_via_proxy(hook)
    location.append(target.format(port=urlsplit(server.base_url).port))
    with PoliteClient(policy(allow_private=False)) as client:
        result = client.get(f"http://{FAKE_PUBLIC_HOST}/start")
    assert not result.ok
    assert result.body == b""
    assert result.error is not None and result.error.startswith("blocked:"), result.error
    assert result.final_url == location[0]
    assert paths(server) == ["/start"], "the private hop must never be requested"


# --- size, encoding, errors ------------------------------------------------------------------------


def test_oversize_body_is_abandoned(serve: Callable[[Hook], FixtureServer]) -> None:
    """A body over max_bytes is an error; no partial body is returned."""
    server = serve(lambda path, headers: (200, {"Content-Type": "text/html"}, b"x" * 50_000))
    with PoliteClient(policy(max_bytes=10_000)) as client:
        result = client.get(server.base_url + "/huge")
    assert not result.ok
    assert result.error == "response larger than 10000 bytes"
    assert result.body == b""
    with PoliteClient(policy(max_bytes=50_000)) as client:
        exact = client.get(server.base_url + "/huge")
    assert exact.ok and len(exact.body) == 50_000, "a body of exactly max_bytes is accepted"


def test_gzip_response_is_decoded(serve: Callable[[Hook], FixtureServer]) -> None:
    """We advertise gzip; a gzip-encoded body comes back decoded."""
    original = ("<rss><channel><title>Compressed feed</title></channel></rss>\n" * 50).encode()

    def hook(path: str, headers: dict[str, str]) -> Answer:
        if "gzip" not in lower_keys(headers).get("accept-encoding", ""):
            return 200, {}, original
        return 200, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}, gzip.compress(original)

    server = serve(hook)
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/feed.xml")
    assert result.ok, result.error
    assert result.body == original


def test_gzip_bomb_is_capped_on_decoded_size(serve: Callable[[Hook], FixtureServer]) -> None:
    """The size cap applies to decoded bytes: a small gzip that inflates past max_bytes is abandoned."""
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 100_000
    server = serve(lambda path, headers: (200, {"Content-Encoding": "gzip"}, bomb))
    with PoliteClient(policy(max_bytes=100_000)) as client:
        result = client.get(server.base_url + "/bomb")
    assert not result.ok
    assert result.error == "response larger than 100000 bytes"


@pytest.mark.parametrize("status", [404, 500, 503])
def test_http_error_status(serve: Callable[[Hook], FixtureServer], status: int) -> None:
    """A 4xx/5xx is a result with 'HTTP <status>' and ok False, never an exception."""
    server = serve(lambda path, headers: (status, {"Content-Type": "text/plain"}, b"server says no"))
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/broken")
    assert not result.ok
    assert result.status == status
    assert result.error == f"HTTP {status}"


def test_retry_after_is_reported(serve: Callable[[Hook], FixtureServer]) -> None:
    """A 429/503 with Retry-After carries the wait in retry_after_s."""
    server = serve(lambda path, headers: (429, {"Retry-After": "120"}, b"slow down"))
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/busy")
    assert result.error == "HTTP 429"
    assert result.retry_after_s == 120.0


def test_connection_refused_is_an_error_result() -> None:
    """Nothing listening on the port: an error result with status 0, no exception."""
    port = free_port()
    with PoliteClient(policy()) as client:
        result = client.get(f"http://127.0.0.1:{port}/")
    assert not result.ok
    assert result.status == 0
    assert result.error and "ConnectError" in result.error


# --- Retry-After parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0, 1, 120, 86_400])
def test_parse_retry_after_seconds(seconds: int) -> None:
    """Delta-seconds are returned as a float."""
    assert parse_retry_after(f" {seconds} ") == float(seconds)


@pytest.mark.parametrize("delta_s", [1, 90, 3_600])
def test_parse_retry_after_http_date(delta_s: int) -> None:
    """An HTTP date gives the seconds from ``now`` until then."""
    now = datetime(2026, 2, 27, 12, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=delta_s), usegmt=True)
    assert parse_retry_after(header, now=now.timestamp()) == pytest.approx(delta_s)


def test_parse_retry_after_past_date_and_garbage() -> None:
    """A date in the past means 'now' (0); missing or unparseable values give None."""
    now = datetime(2026, 2, 27, 12, 0, 0, tzinfo=UTC)
    past = format_datetime(now - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(past, now=now.timestamp()) == 0.0
    for value in (None, "", "soon", "-5", "1.5e3"):
        assert parse_retry_after(value) is None, value


# --- robots.txt ------------------------------------------------------------------------------------


def robots_hook(robots: str | None) -> Hook:
    def hook(path: str, headers: dict[str, str]) -> Answer:
        if path == "/robots.txt":
            return (200, {"Content-Type": "text/plain"}, robots.encode()) if robots is not None else (404, {}, b"")
        return 200, {"Content-Type": "text/html"}, f"page {path}".encode()

    return hook


def test_robots_disallow_is_honoured(serve: Callable[[Hook], FixtureServer]) -> None:
    """A disallowed path is not requested at all; allowed paths are; robots.txt is fetched once."""
    server = serve(robots_hook("User-agent: *\nDisallow: /private/\n"))
    with PoliteClient(policy()) as client:
        blocked = client.get(server.base_url + "/private/report.html", check_robots=True)
        allowed = client.get(server.base_url + "/public/story.html", check_robots=True)
        again = client.get(server.base_url + "/private/other.html", check_robots=True)
    assert not blocked.ok and blocked.error == "disallowed by robots.txt"
    assert not again.ok and again.error == "disallowed by robots.txt"
    assert allowed.ok and allowed.body == b"page /public/story.html"
    assert server.requests == ["/robots.txt", "/public/story.html"]


def test_robots_group_for_our_agent(serve: Callable[[Hook], FixtureServer]) -> None:
    """A group naming our product token applies to us, and not to the '*' group's rules."""
    server = serve(robots_hook("User-agent: newswatch-test\nDisallow: /\n\nUser-agent: *\nDisallow:\n"))
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/any.html", check_robots=True)
    assert result.error == "disallowed by robots.txt"
    assert "/any.html" not in server.requests


def test_robots_ignored_when_not_asked_or_not_obeyed(serve: Callable[[Hook], FixtureServer]) -> None:
    """check_robots=False, or a policy with obey_robots=False, fetches without consulting robots.txt."""
    server = serve(robots_hook("User-agent: *\nDisallow: /\n"))
    with PoliteClient(policy()) as client:
        assert client.get(server.base_url + "/a.html").ok
    with PoliteClient(policy(obey_robots=False)) as client:
        assert client.get(server.base_url + "/b.html", check_robots=True).ok
    assert server.requests == ["/a.html", "/b.html"]


def test_missing_robots_means_allowed(serve: Callable[[Hook], FixtureServer]) -> None:
    """A 404 robots.txt places no restriction."""
    server = serve(robots_hook(None))
    with PoliteClient(policy()) as client:
        result = client.get(server.base_url + "/story.html", check_robots=True)
    assert result.ok
    assert server.requests == ["/robots.txt", "/story.html"]


# --- pacing ----------------------------------------------------------------------------------------


def test_requests_to_one_host_are_paced(serve: Callable[[Hook], FixtureServer]) -> None:
    """A second request to the same host waits min_host_delay_s (through the injected sleep)."""
    server = serve(lambda path, headers: (200, {}, b"ok"))
    other = serve(lambda path, headers: (200, {}, b"ok"))
    sleeps: list[float] = []
    with PoliteClient(policy(min_host_delay_s=30.0), sleep=sleeps.append) as client:
        client.get(server.base_url + "/1")
        assert sleeps == [], "the first request to a host does not wait"
        client.get(other.base_url + "/1")
        assert sleeps == [], "another host (port) has its own pace"
        client.get(server.base_url + "/2")
    assert len(sleeps) == 1
    assert 25.0 < sleeps[0] <= 30.0


@pytest.mark.parametrize(
    ("allow_private", "host_delay", "expected"),
    [(False, None, 1.0), (True, None, 1.0), (True, 0.0, 0.0), (False, 5.0, 5.0)],
)
def test_pacing_is_the_sources_own_setting(
    tmp_path: Path, allow_private: bool, host_delay: float | None, expected: float
) -> None:
    """The pipeline's client for a source pauses host_delay_seconds (1 s by default) between requests to a
    host, whatever allow_private says: trusting an address no longer silently drops the pause."""
    from newswatch.config import Source, load_settings
    from newswatch.ingest.poll import http_client

    extra = {} if host_delay is None else {"host_delay_seconds": host_delay}
    source = Source(name="harbour", feed_url="http://127.0.0.1/feed.xml", allow_private=allow_private, **extra)
    with http_client(load_settings({"NEWSWATCH_VAR": str(tmp_path)}), source) as client:
        assert client.policy.min_host_delay_s == expected
        assert client.policy.allow_private is allow_private


def test_a_trusted_source_is_still_paced(serve: Callable[[Hook], FixtureServer], tmp_path: Path) -> None:
    """Two requests to one host through a trusted source's client are at least its pause apart (real time)."""
    from newswatch.config import Source, load_settings
    from newswatch.ingest.poll import http_client

    server = serve(lambda path, headers: (200, {}, b"ok"))
    source = Source(name="harbour", feed_url=server.base_url, allow_private=True, host_delay_seconds=0.3)
    with http_client(load_settings({"NEWSWATCH_VAR": str(tmp_path)}), source) as client:
        started = time.monotonic()
        assert client.get(server.base_url + "/1").ok
        assert client.get(server.base_url + "/2").ok
        assert time.monotonic() - started >= 0.3


# --- timeouts (a slow server) ----------------------------------------------------------------------


def test_stalled_body_times_out() -> None:
    """A server that sends headers and then nothing for longer than timeout_s gives a timeout error."""
    with (
        DripServer(interval_s=10.0, size=5) as slow,
        PoliteClient(policy(timeout_s=1.0, connect_timeout_s=1.0)) as client,
    ):
        started = time.monotonic()
        result = client.get(slow.url_for("/slow"))
        elapsed = time.monotonic() - started
    assert not result.ok
    assert result.error is not None and "timeout" in result.error
    assert elapsed < 3.0


def test_slow_drip_body_times_out() -> None:
    """A body dripped a byte every 0.2 s (each read under the 0.5 s timeout) still times out overall."""
    with (
        DripServer(interval_s=0.2, size=12) as slow,
        PoliteClient(policy(timeout_s=0.5, connect_timeout_s=0.5)) as client,
    ):
        started = time.monotonic()
        result = client.get(slow.url_for("/slow"))
        elapsed = time.monotonic() - started
    assert result.error is not None and "timeout" in result.error, (result.status, len(result.body))
    assert elapsed < 2.0
