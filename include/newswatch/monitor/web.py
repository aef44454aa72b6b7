"""The News Monitor's FastAPI app: one server-rendered page and a small JSON API, all behind Airflow's login.

Mounted by the plugin under ``/newswatch`` on the Airflow API server:

- ``GET /newswatch/monitor``: the page (feed health, the day's stories, digest preview, delivery ledger);
  the Airflow UI shows it at ``/plugin/news-monitor``.
- ``GET /newswatch/monitor/digest-preview``: the day's digest as it would be mailed now.
- ``GET /newswatch/api/feeds``, ``/api/stories``, ``/api/digest``, ``/api/deliveries``: the same as JSON.

Every route depends on Airflow's authentication (the UI's ``_token`` cookie, or a ``Bearer`` token from
``POST /auth/token``) and on read access to the newswatch DAGs' runs, so an anonymous request gets 401
and a user without access 403. The warehouse is read per request, through a read-only session, at the
URL :func:`monitor_settings` finds then (not at import). Feed-derived text is untrusted: the template is
autoescaped and only http(s) links are emitted.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from newswatch.airflow_support import RECIPIENTS_VARIABLE, WAREHOUSE_CONN_ID
from newswatch.alerts.render import safe_url
from newswatch.alerts.select import IST, ROME
from newswatch.config import TEMPLATES_DIR, ConfigError, Recipient, Settings, load_recipients_config, load_settings
from newswatch.monitor import API_PATH, PAGE_PATH, URL_PREFIX
from newswatch.monitor import queries as q
from newswatch.monitor.airflow_links import DIGEST_DAG, INGEST_DAG, MAINTENANCE_DAG, LinkLookup, lookup_links

LOGGER = logging.getLogger(__name__)

NAME_PATTERN = r"^[A-Za-z0-9_-]{0,64}$"  # topic tags and source names; "" means "all"
DAY_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"  # "" means today (UTC)
NO_STORE = {"Cache-Control": "no-store"}
# The digest preview is mail HTML built from feed text: no scripts, no requests, inline styles and the
# chart's data: image only; links open outside the (sandboxed) frame.
PREVIEW_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)


def _auth_dependencies() -> tuple[Callable[..., None], Callable[..., None], Callable[..., Any]]:
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
    from airflow.api_fastapi.core_api.security import get_user, requires_access_dag

    return (
        requires_access_dag("GET", DagAccessEntity.RUN, param_dag_id=INGEST_DAG),
        requires_access_dag("GET", DagAccessEntity.RUN, param_dag_id=DIGEST_DAG),
        get_user,
    )


# Module-level, so that tests can replace them with ``app.dependency_overrides``.
READ_INGEST, READ_DIGEST, AUTHENTICATED = _auth_dependencies()


# --- configuration ---------------------------------------------------------------------------------------


def _warehouse_connection_uri() -> str | None:
    """The URI of the ``newswatch_warehouse`` Airflow connection, as the DAGs' tasks would use it."""
    try:
        from airflow.exceptions import AirflowNotFoundException
        from airflow.models.connection import Connection
    except ImportError:
        return None
    try:
        return str(Connection.get_connection_from_secrets(WAREHOUSE_CONN_ID).get_uri())
    except AirflowNotFoundException:
        return None
    except Exception:  # a broken secrets backend must not take the page down; the default is shown
        LOGGER.warning("News Monitor: could not read connection %s", WAREHOUSE_CONN_ID, exc_info=True)
        return None


def monitor_settings() -> Settings:
    """Settings read now: ``NEWSWATCH_*`` variables, else the ``newswatch_warehouse`` connection, else
    the default warehouse — the same order as the DAGs' tasks (``airflow_support.task_settings``)."""
    settings = load_settings()
    if os.environ.get("NEWSWATCH_WAREHOUSE_URL"):
        return settings
    uri = _warehouse_connection_uri()
    return dataclasses.replace(settings, warehouse_url=uri) if uri else settings


def recipients_variable() -> str | None:
    """The recipients YAML of the Airflow Variable ``newswatch_recipients`` (what the digest DAG uses
    instead of the file when it is set); None when unset or unreadable."""
    try:
        from airflow.models.variable import Variable

        value = Variable.get(RECIPIENTS_VARIABLE, default_var=None)
    except Exception:  # the page then shows the file's recipients
        LOGGER.warning("News Monitor: could not read Variable %s", RECIPIENTS_VARIABLE, exc_info=True)
        return None
    return str(value) if value else None


@dataclass(frozen=True)
class MonitorConfig:
    """Where the app reads its settings, recipients, links and time from; replaced in tests."""

    settings: Callable[[], Settings] = monitor_settings
    recipients_text: Callable[[], str | None] = recipients_variable
    links: LinkLookup = lookup_links
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


def _config(request: Request) -> MonitorConfig:
    config: MonitorConfig = request.app.state.monitor
    return config


ConfigDep = Annotated[MonitorConfig, Depends(_config)]
TopicParam = Annotated[str, Query(max_length=64, pattern=NAME_PATTERN)]
SourceParam = Annotated[str, Query(max_length=64, pattern=NAME_PATTERN)]
DayParam = Annotated[str, Query(max_length=10, pattern=DAY_PATTERN, description="YYYY-MM-DD; default today (UTC)")]


# --- helpers ---------------------------------------------------------------------------------------------


def _day(value: str, today: date) -> date:
    if not value:
        return today
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(422, f"not a date: {value!r}") from exc


@contextmanager
def _warehouse(config: MonitorConfig) -> Iterator[Session]:
    """A read-only warehouse session; 503 when the warehouse cannot be read (not created yet, down)."""
    url = config.settings().warehouse_url
    try:
        with q.read_only_session(url) as session:
            yield session
    except SQLAlchemyError as exc:
        LOGGER.warning("News Monitor: warehouse unreadable: %s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"warehouse unreadable: {_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]


@dataclass(frozen=True)
class Recipients:
    """The digest's recipients as the digest DAG would read them now, or why they could not be read."""

    recipients: list[Recipient]
    origin: str
    error: str | None = None


def _recipients(config: MonitorConfig, settings: Settings) -> Recipients:
    text = config.recipients_text()
    origin = f"Airflow Variable {RECIPIENTS_VARIABLE}" if text else str(settings.recipients_file)
    try:
        return Recipients(list(load_recipients_config(settings.recipients_file, text=text).recipients), origin)
    except (ConfigError, OSError) as exc:
        return Recipients([], origin, str(exc))


def _ui_base(request: Request) -> str:
    """The Airflow UI's root path, from where the API server mounted this app."""
    root = str(request.scope.get("root_path", ""))
    return root.removesuffix(URL_PREFIX)


def _own_path(request: Request, path: str) -> str:
    return str(request.scope.get("root_path", "")) + path


# --- template --------------------------------------------------------------------------------------------


def _when(value: datetime | None, fmt: str = "%d %b %Y %H:%M UTC") -> str:
    return value.astimezone(UTC).strftime(fmt) if value else "—"


def _ago(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "never"
    seconds = (now - value).total_seconds()
    if seconds < 0:
        return "in " + _span(-seconds)
    return _span(seconds) + " ago"


def _span(seconds: float) -> str:
    if seconds < 90:
        return f"{int(seconds)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


def _local_times(value: datetime) -> str:
    return f"{value.astimezone(IST):%d %b %H:%M} IST · {value.astimezone(ROME):%H:%M} Rome"


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    title: str
    empty: bool


SPARK_W, SPARK_H, BAR_W, BAR_GAP = 112, 24, 6, 2


def spark_bars(days: tuple[q.DayCount, ...]) -> list[Bar]:
    """A bar per day (oldest first), scaled to the busiest day; an empty day is a short grey tick."""
    top = max((d.count for d in days), default=0) or 1
    bars = []
    for n, day in enumerate(days):
        height = max(2, round(day.count / top * (SPARK_H - 2))) if day.count else 1
        title = f"{day.day:%d %b}: {day.count} new"
        bars.append(Bar(n * (BAR_W + BAR_GAP), SPARK_H - height, height, title, day.count == 0))
    return bars


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,  # everything shown came from feeds and pages
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(safe_url=safe_url, when=_when, local_times=_local_times)
    env.globals.update(spark_bars=spark_bars, spark=(SPARK_W, SPARK_H, BAR_W), ago=_ago)
    return env


# --- the page --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageData:
    """Everything the page shows from the warehouse."""

    feeds: list[q.FeedStatus]
    stories: q.StoryDay
    latest_day: date | None
    topics: list[str]
    sources: list[tuple[str, str]]
    digest: q.DigestSummary
    ledger: list[q.Delivery]


def _page_data(
    settings: Settings, recipients: list[Recipient], now: datetime, day: date, topic: str, source: str
) -> PageData:
    with q.read_only_session(settings.warehouse_url) as session:
        return PageData(
            feeds=q.feed_statuses(session, now),
            stories=q.stories_for_day(session, day, topic or None, source or None),
            latest_day=q.latest_story_day(session),
            topics=q.topic_names(session),
            sources=q.source_names(session),
            digest=q.digest_summary(session, day, recipients),
            ledger=q.deliveries(session),
        )


def _page_href(base: str, day: date, today: date, topic: str, source: str) -> Callable[..., str]:
    """``href(day=…, topic=…, source=…)``: this page with the current filters, some replaced."""

    def href(**changes: Any) -> str:
        params = {"day": day, "topic": topic, "source": source} | changes
        chosen = params["day"]
        query = {
            "day": "" if chosen in (None, today) else str(chosen),
            "topic": params["topic"] or "",
            "source": params["source"] or "",
        }
        encoded = urlencode({k: v for k, v in query.items() if v})
        return base + ("?" + encoded if encoded else "")

    return href


def page(
    request: Request, config: ConfigDep, day: DayParam = "", topic: TopicParam = "", source: SourceParam = ""
) -> HTMLResponse:
    """The News Monitor page."""
    now = config.clock()
    today = now.astimezone(UTC).date()
    chosen = _day(day, today)
    settings = config.settings()
    recipients = _recipients(config, settings)
    data: PageData | None = None
    error = None
    try:
        data = _page_data(settings, recipients.recipients, now, chosen, topic, source)
    except SQLAlchemyError as exc:
        LOGGER.warning("News Monitor: warehouse unreadable: %s", exc)
        error = _short(exc)
    link_days = {chosen} | ({d.day for d in data.ledger if d.day} if data else set())
    links = config.links(_ui_base(request), [f.source for f in data.feeds] if data else [], sorted(link_days))
    page_path = _own_path(request, PAGE_PATH)
    context = {
        "now": now,
        "today": today,
        "day": chosen,
        "topic": topic,
        "source": source,
        "data": data,
        "error": error,
        "recipients": recipients,
        "links": links,
        "href": _page_href(page_path, chosen, today, topic, source),
        "page_path": page_path,
        **_fixed_context(request, settings, chosen),
    }
    html = _environment().get_template("monitor.html.j2").render(context)
    code = status.HTTP_200_OK if data is not None else status.HTTP_503_SERVICE_UNAVAILABLE
    return HTMLResponse(html, status_code=code, headers=NO_STORE)


def _fixed_context(request: Request, settings: Settings, day: date) -> dict[str, Any]:
    return {
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "dags": {"ingest": INGEST_DAG, "digest": DIGEST_DAG, "maintenance": MAINTENANCE_DAG},
        "preview_url": _own_path(request, f"{PAGE_PATH}/digest-preview?day={day.isoformat()}"),
        "api_base": _own_path(request, API_PATH),
        "warehouse": _describe_url(settings.warehouse_url),
    }


def _describe_url(url: str) -> str:
    """The warehouse URL without its password, for the page's footer."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable warehouse URL)"


def digest_preview(config: ConfigDep, day: DayParam = "") -> HTMLResponse:
    """The day's digest as it would be mailed now (all stories, no recipient filter)."""
    from newswatch.alerts.chart import render_chart_png
    from newswatch.alerts.render import render_digest
    from newswatch.alerts.select import chart_days

    chosen = _day(day, config.clock().astimezone(UTC).date())
    with _warehouse(config) as session:
        digest = q.build_day_digest(session, chosen)
    png = render_chart_png(chart_days(digest))
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    html = render_digest(digest, chart_png=png, chart_src=src).html
    html = html.replace("<head>", '<head>\n<base target="_blank">', 1)  # links leave the preview frame
    return HTMLResponse(html, headers={**NO_STORE, "Content-Security-Policy": PREVIEW_CSP})


ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#5b6573" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M4 4h13v16H6a2 2 0 0 1-2-2z"/>'
    '<path d="M17 8h3v10a2 2 0 0 1-2 2"/><path d="M7 8h7M7 12h7M7 16h4"/></svg>'
)


def icon() -> Response:
    """The page's icon in the Airflow navigation."""
    return Response(ICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


# --- the JSON API ----------------------------------------------------------------------------------------


def api_feeds(config: ConfigDep) -> list[q.FeedStatus]:
    """Every source's feed health, failing ones first."""
    with _warehouse(config) as session:
        return q.feed_statuses(session, config.clock())


def api_stories(config: ConfigDep, day: DayParam = "", topic: TopicParam = "", source: SourceParam = "") -> q.StoryDay:
    """The relevant stories of a UTC day, filtered by topic and source."""
    chosen = _day(day, config.clock().astimezone(UTC).date())
    with _warehouse(config) as session:
        return q.stories_for_day(session, chosen, topic or None, source or None)


def api_digest(config: ConfigDep, day: DayParam = "") -> q.DigestSummary:
    """The digest sent (or to be sent) at 08:00 IST on a day, and its deliveries."""
    chosen = _day(day, config.clock().astimezone(UTC).date())
    recipients = _recipients(config, config.settings())
    with _warehouse(config) as session:
        return q.digest_summary(session, chosen, recipients.recipients)


def api_deliveries(
    config: ConfigDep,
    digest_id: Annotated[str, Query(max_length=100, pattern=r"^[a-z0-9-]{0,100}$")] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = q.MAX_DELIVERIES,
) -> list[q.Delivery]:
    """The delivery ledger, newest first."""
    with _warehouse(config) as session:
        return q.deliveries(session, digest_id or None, limit)


def create_app(config: MonitorConfig | None = None) -> FastAPI:
    """The app the plugin mounts under ``/newswatch``; no OpenAPI or docs routes (they would be public)."""
    app = FastAPI(title="newswatch News Monitor", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.monitor = config or MonitorConfig()
    ingest, digest = [Depends(READ_INGEST)], [Depends(READ_DIGEST)]
    app.add_api_route(PAGE_PATH, page, methods=["GET"], dependencies=ingest + digest, response_class=HTMLResponse)
    preview = f"{PAGE_PATH}/digest-preview"
    app.add_api_route(preview, digest_preview, methods=["GET"], dependencies=digest, response_class=HTMLResponse)
    app.add_api_route(f"{PAGE_PATH}/icon.svg", icon, methods=["GET"], dependencies=[Depends(AUTHENTICATED)])
    app.add_api_route(f"{API_PATH}/feeds", api_feeds, methods=["GET"], dependencies=ingest)
    app.add_api_route(f"{API_PATH}/stories", api_stories, methods=["GET"], dependencies=ingest)
    app.add_api_route(f"{API_PATH}/digest", api_digest, methods=["GET"], dependencies=digest)
    app.add_api_route(f"{API_PATH}/deliveries", api_deliveries, methods=["GET"], dependencies=digest)
    return app
