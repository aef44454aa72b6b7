"""The polite HTTP client: timeouts, size cap, checked redirects, SSRF guard, robots.txt, per-host pacing.

Feeds and pages are untrusted. Every hop of a redirect chain is checked against the address guard, the
body is streamed and abandoned past a size cap, and a failure is returned as a :class:`FetchResult` with a
short human-readable ``error`` rather than raised, so one bad URL never takes a batch down with it.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from newswatch.records import FetchResult

LOGGER = logging.getLogger(__name__)

MAX_REDIRECTS = 5
TRANSIENT_HTTP_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata"})


class BlockedAddressError(Exception):
    """The URL is not allowed: not http(s), or it resolves to a private/loopback/metadata address."""


class UnresolvableHostError(BlockedAddressError):
    """The host name does not resolve (now): the request cannot be checked, so it is not made."""


@dataclass(frozen=True)
class HttpPolicy:
    """Limits for one client. ``allow_private`` is only for sources explicitly trusted in config."""

    user_agent: str
    timeout_s: float = 20.0
    connect_timeout_s: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    # The pause between two requests to one host (feed, robots.txt, pages): the source's own setting,
    # host_delay_seconds in sources.yaml. Independent of allow_private, which only opens the address guard.
    min_host_delay_s: float = 1.0
    allow_private: bool = False
    obey_robots: bool = True
    per_host_concurrency: int = 2
    total_timeout_s: float | None = None  # whole response; default 3 × timeout_s

    @property
    def deadline_s(self) -> float:
        return self.total_timeout_s if self.total_timeout_s is not None else 3 * self.timeout_s


def _is_public_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global is False for private, loopback, link-local, reserved and shared (CGNAT, 100.64/10) ranges.
    return ip.is_global and not ip.is_multicast


def check_url_allowed(url: str, allow_private: bool = False) -> None:
    """Raise :class:`BlockedAddressError` unless ``url`` is http(s) and resolves only to public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddressError(f"scheme {parts.scheme or '(none)'!r} is not allowed")
    host = parts.hostname
    if not host:
        raise BlockedAddressError("URL has no host")
    if allow_private:
        return
    if host.lower() in METADATA_HOSTS:
        raise BlockedAddressError(f"host {host} is a cloud metadata endpoint")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnresolvableHostError(f"cannot resolve host {host}: {exc.strerror}") from exc
    for info in infos:
        address = str(info[4][0])
        if not _is_public_ip(address):
            raise BlockedAddressError(f"host {host} resolves to non-public address {address}")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle costs tens of milliseconds per client."""
    return ssl.create_default_context(cafile=certifi.where())


ROBOTS_TTL_S = 3600.0
# robots.txt answers per origin, shared by every client of the process, kept for an hour.
_ROBOTS_CACHE: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
_ROBOTS_CACHE_LOCK = threading.Lock()
_ROBOTS_LOCKS: dict[str, threading.Lock] = {}


def clear_robots_cache() -> None:
    """Forget every cached robots.txt answer (tests; a long-lived process after a policy change)."""
    with _ROBOTS_CACHE_LOCK:
        _ROBOTS_CACHE.clear()


class PoliteClient:
    """An httpx client wrapped with the project's fetching rules. Use as a context manager."""

    def __init__(self, policy: HttpPolicy, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy
        self._sleep = sleep
        self._client = httpx.Client(
            follow_redirects=False,
            verify=tls_context(),
            timeout=httpx.Timeout(policy.timeout_s, connect=policy.connect_timeout_s),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._last_request_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self.requests_made = 0

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        """The semaphore bounding how many requests to ``host`` are in flight at once."""
        with self._lock:
            slot = self._host_slots.get(host)
            if slot is None:
                slot = self._host_slots[host] = threading.BoundedSemaphore(max(1, self.policy.per_host_concurrency))
            return slot

    def _pace(self, host: str) -> None:
        with self._lock:
            last = self._last_request_at.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else self.policy.min_host_delay_s - (now - last)
            self._last_request_at[host] = now + max(0.0, wait)
        if wait > 0:
            self._sleep(wait)

    def robots_allows(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets our user agent fetch it (cached per host)."""
        if not self.policy.obey_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with _ROBOTS_CACHE_LOCK:
            origin_lock = _ROBOTS_LOCKS.setdefault(origin, threading.Lock())
        with origin_lock:  # one fetch of robots.txt per host, however many threads ask
            with _ROBOTS_CACHE_LOCK:
                cached = _ROBOTS_CACHE.get(origin)
            if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL_S:
                result = self.get(origin + "/robots.txt", check_robots=False)
                parser: urllib.robotparser.RobotFileParser | None = None
                if result.ok:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(result.body.decode("utf-8", "replace").splitlines())
                # A missing or broken robots.txt means no restrictions, as the convention says.
                cached = (time.monotonic(), parser)
                with _ROBOTS_CACHE_LOCK:
                    _ROBOTS_CACHE[origin] = cached
        parser = cached[1]
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = False,
    ) -> FetchResult:
        """GET ``url`` following at most 5 checked redirects; never raises for network or HTTP errors."""
        started = time.monotonic()
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        try:
            if check_robots and not self.robots_allows(url):
                return self._failure(url, current, 0, "disallowed by robots.txt", started, transient=False)
            for _hop in range(MAX_REDIRECTS + 1):
                check_url_allowed(current, self.policy.allow_private)
                host = urlsplit(current).netloc
                with self._slot(host):
                    self._pace(host)
                    result = self._get_once(url, current, headers, started)
                if result.status in REDIRECT_CODES and result.error is None:
                    location = result.final_url
                    current = location
                    continue
                return result
            return self._failure(url, current, 0, f"more than {MAX_REDIRECTS} redirects", started, transient=False)
        except UnresolvableHostError as exc:
            # DNS may answer next time: a network problem, not a refusal of ours.
            return self._failure(url, current, 0, str(exc), started, transient=True)
        except BlockedAddressError as exc:
            return self._failure(url, current, 0, f"blocked: {exc}", started, transient=False)

    def _get_once(self, url: str, current: str, headers: dict[str, str], started: float) -> FetchResult:
        self.requests_made += 1
        try:
            with self._client.stream("GET", current, headers=headers) as response:
                if response.status_code in REDIRECT_CODES:
                    location = response.headers.get("location")
                    if not location:
                        return self._failure(
                            url, current, response.status_code, "redirect without Location", started, transient=False
                        )
                    return FetchResult(url, urljoin(current, location), response.status_code)
                body = bytearray()
                deadline = started + self.policy.deadline_s
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    # httpx's read timeout is per read: a server dripping bytes would never trip it.
                    if time.monotonic() > deadline:
                        return self._failure(
                            url,
                            current,
                            response.status_code,
                            f"timeout (total, over {self.policy.deadline_s:g} s)",
                            started,
                            transient=True,
                        )
                    if len(body) > self.policy.max_bytes:
                        return self._failure(
                            url,
                            current,
                            response.status_code,
                            f"response larger than {self.policy.max_bytes} bytes",
                            started,
                            transient=False,
                        )
                status = response.status_code
                error = None if (200 <= status < 300 or status == 304) else f"HTTP {status}"
                return FetchResult(
                    url=url,
                    final_url=str(response.url),
                    status=status,
                    body=bytes(body),
                    content_type=response.headers.get("content-type", ""),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    error=error,
                    elapsed_s=time.monotonic() - started,
                    retry_after_s=parse_retry_after(response.headers.get("retry-after")),
                    transient=status in TRANSIENT_HTTP_STATUSES,
                )
        except httpx.TimeoutException as exc:
            return self._failure(url, current, 0, f"timeout ({type(exc).__name__})", started, transient=True)
        except httpx.HTTPError as exc:
            # Connection refused or reset, protocol errors: the network's, not the feed's, fault.
            return self._failure(url, current, 0, f"{type(exc).__name__}: {exc}"[:300], started, transient=True)

    @staticmethod
    def _failure(url: str, current: str, status: int, error: str, started: float, transient: bool) -> FetchResult:
        return FetchResult(url, current, status, error=error, elapsed_s=time.monotonic() - started, transient=transient)
