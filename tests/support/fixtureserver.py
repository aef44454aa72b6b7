"""A local HTTP server for a folder of fixture feeds and pages (the demo and the tests use it).

It serves files as they are, except that the placeholder ``{{BASE}}`` in text files is replaced by the
server's own base URL, so fixtures can link to each other whatever port the server got. A ``hook`` may
answer any request itself (the tests' hand-made answers: status codes, redirects, conditional GETs,
robots.txt, slow or garbage bodies).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.support.httpserver import NOT_FOUND, LocalServer, QuietHandler, Response

LOGGER = logging.getLogger(__name__)

PLACEHOLDER = b"{{BASE}}"
TEXT_SUFFIXES = frozenset({".xml", ".html", ".htm", ".txt", ".json", ".rss", ".atom"})
CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".html": "text/html; charset=utf-8"}

# A hook answers a response (status, headers, body), or None to serve the file.
Answer = Response | None
# A hook gets the request target (path and query) and the request headers.
Hook = Callable[[str, dict[str, str]], Answer]


class FixtureServer(LocalServer):
    """Serves ``root`` on 127.0.0.1 in a background thread. Use as a context manager.

    ``requests`` lists the request targets received, in order; ``hook`` may be replaced at any time."""

    def __init__(self, root: Path, port: int = 0, hook: Hook | None = None) -> None:
        self.root = root.resolve()
        self.hook = hook
        self.requests: list[str] = []
        super().__init__(self._handler_class(), port, name="fixture-server")

    def file_body(self, relative: str) -> bytes | None:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        body = path.read_bytes()
        if path.suffix in TEXT_SUFFIXES:
            body = body.replace(PLACEHOLDER, self.base_url.encode())
        return body

    def _handler_class(self) -> type[QuietHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                path = unquote(urlsplit(self.path).path)
                server.requests.append(self.path)
                if server.hook is not None:
                    answer = server.hook(self.path, dict(self.headers.items()))
                    if answer is not None:
                        self.send(*answer)
                        return
                body = server.file_body(path.lstrip("/"))
                if body is None:
                    self.send(*NOT_FOUND)
                    return
                suffix = Path(path).suffix
                content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
                self.send(HTTPStatus.OK, {"Content-Type": content_type}, body)

            def log_message(self, format: str, *args: object) -> None:
                LOGGER.debug("fixture server: " + format, *args)

        return Handler
