"""The one test HTTP server: a threaded ``http.server`` on 127.0.0.1 in a background thread, and the request
handler base that every test and benchmark server answers through.

:class:`LocalServer` owns the plumbing (bind, thread, base URL, start/stop, context manager);
:class:`QuietHandler` owns the send routine: headers and body leave in one write (the response is
buffered and flushed after each request) with Nagle off, since otherwise a keep-alive client waits ~40 ms
per response for the delayed ACK of the headers. Built on them: :class:`~tests.support.fixtureserver.FixtureServer`
(fixture files and hooks), :class:`DripServer` (a body dripped a byte at a time, for timeouts), and the
benchmarks' synthetic sites (``benchmarks/bench_poll.py``, ``benchmarks/corpus.py``), which answer
conditional GETs through :func:`not_modified`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

# A response: (status, headers, body).
Response = tuple[int, dict[str, str], bytes]
NOT_FOUND: Response = (404, {"Content-Type": "text/plain"}, b"not found\n")
ROBOTS_ALLOW_ALL: Response = (200, {"Content-Type": "text/plain; charset=utf-8"}, b"User-agent: *\nAllow: /\n")


class QuietHandler(BaseHTTPRequestHandler):
    """A keep-alive (HTTP/1.1) handler that logs nothing and sends each response in one write."""

    protocol_version = "HTTP/1.1"
    wbufsize = 256 * 1024  # flushed after every request: headers and body in one write
    disable_nagle_algorithm = True

    def send(self, status: int, headers: Mapping[str, str], body: bytes) -> None:  # send(*response) too
        """A whole response: status, ``headers`` in their order, Content-Length, body."""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        """Status and ``headers`` only, as given (a 304, or the head of a body the caller writes)."""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer:
    """Serves ``handler`` on 127.0.0.1 (``port`` 0: any free port) from a daemon thread.

    ``with server:`` (or ``start()`` … ``stop()``). ``poll_interval`` is how often the serving loop looks
    for a shutdown request: stopping takes up to that long."""

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        port: int = 0,
        *,
        name: str = "test-http-server",
        poll_interval: float = 0.5,
        request_queue_size: int | None = None,
    ) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler, bind_and_activate=False)
        self._server.daemon_threads = True
        if request_queue_size is not None:  # the listen() backlog: it counts only when set before listening
            self._server.request_queue_size = request_queue_size
        try:
            self._server.server_bind()
            self._server.server_activate()
        except BaseException:
            self._server.server_close()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(poll_interval,), name=name, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url_for(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def not_modified(request_headers: Message | Mapping[str, str], etag: str, last_modified: str) -> bool:
    """Whether a conditional GET for a representation with ``etag`` and ``last_modified`` gets a 304.

    If-None-Match uses the weak comparison (RFC 9110 13.1.2: W/ prefixes ignored, ``*`` matches);
    If-Modified-Since is only evaluated when If-None-Match is absent (RFC 9110 13.2.2)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        bare = etag.removeprefix("W/")
        return any(candidate.strip().removeprefix("W/") == bare for candidate in if_none_match.split(","))
    if_modified_since = request_headers.get("If-Modified-Since")
    if not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    return int(modified.timestamp()) <= int(since.timestamp())


class DripServer(LocalServer):
    """Answers every GET with 200 and ``size`` bytes of ``fill``: the headers at once, then the body one
    byte every ``interval_s`` seconds (for timeout tests). Leaving the ``with`` block ends the drips."""

    def __init__(self, interval_s: float, size: int, content_type: str = "text/plain", fill: bytes = b"x") -> None:
        self.stop_event = threading.Event()
        stop = self.stop_event

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                self.send_head(200, {"Content-Type": content_type, "Content-Length": str(size)})
                try:
                    self.wfile.flush()
                    for _ in range(size):
                        if stop.wait(interval_s):
                            return
                        self.wfile.write(fill)
                        self.wfile.flush()
                except OSError:
                    return

        super().__init__(Handler, name="drip-server", poll_interval=0.05)

    def stop(self) -> None:
        self.stop_event.set()
        super().stop()
