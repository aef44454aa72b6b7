"""The News Monitor: a page and JSON API inside the Airflow 3 UI (see ``plugins/newswatch_monitor.py``), read-only
but for analysts' labels of stories.

Airflow imports every plugin in its scheduler, DAG processor and workers too, where only the API server
ever serves the page; so this module stays light. :class:`LazyMonitorApp` is the ASGI app the plugin
mounts: it builds the FastAPI app of :mod:`newswatch.monitor.web` (FastAPI, Jinja2, SQLAlchemy, the
Airflow security dependencies) on the first request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

LOGGER = logging.getLogger(__name__)

URL_PREFIX = "/newswatch"  # where the plugin's FastAPI app is mounted on the API server
PAGE_PATH = "/monitor"  # the HTML page, relative to URL_PREFIX
API_PATH = "/api"  # the JSON endpoints, relative to URL_PREFIX
URL_ROUTE = "news-monitor"  # the page inside the Airflow UI: /plugin/news-monitor
NAV_LABEL = "News"  # the page's button in the Airflow navigation (a longer name is cut: "News Mo…")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class LazyMonitorApp:
    """An ASGI app that builds the real one (``newswatch.monitor.web.create_app()``) when first called."""

    def __init__(self) -> None:
        self._app: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None
        self._lock = threading.Lock()

    def _build(self) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
        with self._lock:
            if self._app is None:
                from newswatch.monitor.web import create_app

                self._app = create_app()
                LOGGER.info("News Monitor app ready under %s", URL_PREFIX)
        return self._app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # nothing to start or stop; answer so the server is not kept waiting
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        app = self._app or self._build()
        await app(scope, receive, send)
