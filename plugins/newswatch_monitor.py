"""The News Monitor in the Airflow UI: feed health, the day's India–Italy defence stories and near misses,
the digest preview and the delivery ledger, read-only from the newswatch warehouse except for the labels
analysts give stories ("Relevant" / "Not relevant") to correct and train the tagger.

Airflow 3 plugin interfaces only: a FastAPI app on the API server (``/newswatch/…``, behind Airflow's
login) and an external view that shows its page inside the UI, in the navigation as "News", at
``/plugin/news-monitor``. The app itself lives in ``newswatch.monitor`` and is built on first use, so
importing this file (every Airflow component loads plugins) costs next to nothing.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar
from urllib.parse import urlsplit

from airflow.configuration import conf
from airflow.plugins_manager import AirflowPlugin

from newswatch.monitor import NAV_LABEL, PAGE_PATH, URL_PREFIX, URL_ROUTE, LazyMonitorApp

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
            # The navigation's buttons are 56 px wide with one line of 10 px text, cut with an ellipsis:
            # "News Monitor" showed as "News Mo…". The page itself is titled News Monitor.
            "name": NAV_LABEL,
            "href": PAGE_URL,
            "url_route": URL_ROUTE,
            "destination": "nav",
            "nav_top_level": True,
            # An <img> in the UI: one two-tone icon that reads on the light bar, the selected item and the
            # dark theme (see newswatch.monitor.web.ICON_SVG).
            "icon": f"{PAGE_URL}/icon.svg",
            "icon_dark_mode": f"{PAGE_URL}/icon.svg",
        }
    ]
