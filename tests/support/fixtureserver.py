"""A local HTTP server for a folder of fixture feeds and pages (the demo and the tests use it).

It serves files as they are, except that the placeholder ``{{BASE}}`` in text files is replaced by the
server's own base URL, so fixtures can link to each other whatever port the server got.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOGGER = logging.getLogger(__name__)

PLACEHOLDER = b"{{BASE}}"
TEXT_SUFFIXES = frozenset({".xml", ".html", ".htm", ".txt", ".json", ".rss", ".atom"})
CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8"}

# A hook may answer a path itself (status, headers, body) or return None to serve the file.
Hook = Callable[[str, dict[str, str]], tuple[int, dict[str, str], bytes] | None]


class FixtureServer:
    """Serves ``root`` on 127.0.0.1 in a background thread. Use as a context manager."""

    def __init__(self, root: Path, port: int = 0, hook: Hook | None = None) -> None:
        self.root = root.resolve()
        self.hook = hook
        self.requests: list[str] = []
        handler = self._handler_class()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fixture-server", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def file_body(self, relative: str) -> bytes | None:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        body = path.read_bytes()
        if path.suffix in TEXT_SUFFIXES:
            body = body.replace(PLACEHOLDER, self.base_url.encode())
        return body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one write (the buffer is flushed after each request), with Nagle
            # off: otherwise a keep-alive client waits ~40 ms per response for the delayed ACK.
            wbufsize = 256 * 1024
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                path = unquote(urlsplit(self.path).path)
                server.requests.append(self.path)
                if server.hook is not None:
                    answer = server.hook(self.path, dict(self.headers.items()))
                    if answer is not None:
                        self._send(*answer)
                        return
                body = server.file_body(path.lstrip("/"))
                if body is None:
                    self._send(HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain"}, b"not found\n")
                    return
                suffix = Path(path).suffix
                content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
                self._send(HTTPStatus.OK, {"Content-Type": content_type}, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                LOGGER.debug("fixture server: " + format, *args)

        return Handler
