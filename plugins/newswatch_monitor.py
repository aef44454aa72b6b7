"""The News Monitor in the Airflow UI: feed health, the day's India–Italy defence stories and near misses,
the digest preview and the delivery ledger, read-only from the newswatch warehouse except for the labels
analysts give stories ("Relevant" / "Not relevant") to correct and train the tagger.

Airflow 3 plugin interfaces only: a FastAPI app on the API server (``/newswatch/…``, behind Airflow's
login) and an external view that shows its page inside the UI, in the navigation, at
``/plugin/news-monitor``. The app itself lives in ``newswatch.monitor`` and is built on first use, so
importing this file (every Airflow component loads plugins) costs next to nothing.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar
from urllib.parse import urlsplit

from airflow.configuration import conf
from airflow.plugins_manager import AirflowPlugin

from newswatch.monitor import PAGE_PATH, URL_PREFIX, URL_ROUTE, LazyMonitorApp

LOGGER = logging.getLogger(__name__)

# The UI may be served under a path (``[api] base_url = https://host/airflow``): the page is too.
_BASE_PATH = urlsplit(conf.get("api", "base_url", fallback="") or "").path.rstrip("/")
PAGE_URL = f"{_BASE_PATH}{URL_PREFIX}{PAGE_PATH}"


class NewswatchMonitorPlugin(AirflowPlugin):
    """Mounts the News Monitor app and puts its page in the UI's navigation."""

    name = "newswatch_monitor"
    # Airflow declares these as instance attributes but reads them from the plugin class.
    fastapi_apps: ClassVar[list[dict[str, Any]]] = [  # type: ignore[misc]
        {"app": LazyMonitorApp(), "url_prefix": URL_PREFIX, "name": "newswatch News Monitor"}
    ]
    external_views: ClassVar[list[dict[str, Any]]] = [  # type: ignore[misc]
        {
            "name": "News Monitor",
            "href": PAGE_URL,
            "url_route": URL_ROUTE,
            "destination": "nav",
            "nav_top_level": True,
            "icon": f"{PAGE_URL}/icon.svg",
        }
    ]
