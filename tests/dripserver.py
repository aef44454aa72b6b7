"""A local HTTP server that sends its headers at once, then the body one byte at a time (for timeout tests)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class DripServer:
    """Answers every GET with 200 and ``size`` bytes of ``fill``, one byte every ``interval_s`` seconds."""

    def __init__(self, interval_s: float, size: int, content_type: str = "text/plain", fill: bytes = b"x") -> None:
        self.stop_event = threading.Event()
        stop = self.stop_event

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                try:
                    for _ in range(size):
                        if stop.wait(interval_s):
                            return
                        self.wfile.write(fill)
                        self.wfile.flush()
                except OSError:
                    return

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url_for(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def __enter__(self) -> DripServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
