"""The News Monitor's FastAPI app: one server-rendered page and a small JSON API, all behind Airflow's login.

Mounted by the plugin under ``/newswatch`` on the Airflow API server:

- ``GET /newswatch/monitor``: the page (feed health, the day's events with their reports, near misses,
  digest preview, delivery ledger); the Airflow UI shows it at ``/plugin/news-monitor``.
- ``GET /newswatch/monitor/digest-preview``: the day's digest as it would be mailed now (``?recipient=``:
  that recipient's copy).
- ``GET /newswatch/api/feeds``, ``/api/events`` (the day's events, each with its stories and reports),
  ``/api/stories`` (the day's stories, one per story cluster, as before events), ``/api/near-misses``,
  ``/api/digest``, ``/api/deliveries``, ``/api/labels``: the same as JSON.
- ``POST /newswatch/api/labels``: an analyst's label of a story (relevant or not, with a note), which the
  page's "Relevant" / "Not relevant" buttons send; the one route that writes.

Every route depends on Airflow's authentication (the UI's ``_token`` cookie, or a ``Bearer`` token from
``POST /auth/token``) and on read access to the newswatch DAGs' runs, so an anonymous request gets 401
and a user without access 403; writing a label also needs edit access to the ingest DAG's runs. The
warehouse is read per request, through a read-only session, at the URL
:func:`newswatch.airflow_support.server_settings` finds then (not at import); labels go through a
separate read-write session used by the label route alone (:mod:`newswatch.monitor.labelling`).
Feed-derived text is untrusted: the template is autoescaped, only http(s) links are emitted, and the
page's script writes labels into the page as text, never as HTML.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel, ConfigDict, StrictBool, StringConstraints, ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from newswatch.airflow_support import RECIPIENTS_VARIABLE, server_recipients_variable, server_settings
from newswatch.alerts.render import safe_url
from newswatch.alerts.select import IST, ROME
from newswatch.config import TEMPLATES_DIR, ConfigError, Recipient, Settings, load_recipients_config
from newswatch.monitor import API_PATH, PAGE_PATH, URL_PREFIX, labelling
from newswatch.monitor import queries as q
from newswatch.monitor.airflow_links import DIGEST_DAG, INGEST_DAG, MAINTENANCE_DAG, LinkLookup, lookup_links
from newswatch.warehouse.labels import LabelError, LabelRecord, UnknownStory, label_history, latest_labels
from newswatch.warehouse.schema import NOTE_MAX_CHARS

LOGGER = logging.getLogger(__name__)

NAME_PATTERN = r"^[A-Za-z0-9_-]{0,64}$"  # topic tags and source names; "" means "all"
DAY_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"  # "" means today (UTC)
STORY_PATTERN = r"^[A-Za-z0-9_.:-]{1,40}$"  # a story (cluster) id: "s-" and 16 hex digits from dedup
# Sent by the page's script with every label. A cross-site form cannot set a header, and a cross-site
# script that sets one needs a CORS preflight, which this server does not grant: no CSRF through it.
LABEL_HEADER = "X-Newswatch-Label"
MAX_LABEL_BODY = 16_384  # bytes: a story id, a flag and a note of at most NOTE_MAX_CHARS characters
NO_STORE = {"Cache-Control": "no-store"}
# The digest preview is mail HTML built from feed text: no scripts, no requests, inline styles and the
# chart's data: image only; links open outside the (sandboxed) frame.
PREVIEW_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)


def _auth_dependencies() -> tuple[Callable[..., None], Callable[..., None], Callable[..., None], Callable[..., Any]]:
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
    from airflow.api_fastapi.core_api.security import get_user, requires_access_dag

    return (
        requires_access_dag("GET", DagAccessEntity.RUN, param_dag_id=INGEST_DAG),
        requires_access_dag("GET", DagAccessEntity.RUN, param_dag_id=DIGEST_DAG),
        # Labelling changes what the tagger learns: it takes the right to edit the ingest DAG's runs
        # (every role above Viewer), not just to read them.
        requires_access_dag("PUT", DagAccessEntity.RUN, param_dag_id=INGEST_DAG),
        get_user,
    )


# Module-level, so that tests can replace them with ``app.dependency_overrides``.
READ_INGEST, READ_DIGEST, EDIT_INGEST, AUTHENTICATED = _auth_dependencies()


# --- configuration ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """The taxonomy's score thresholds: a story at ``near_miss`` or more but under ``relevant`` is a near miss."""

    near_miss: float
    relevant: float


def taxonomy_thresholds(settings: Settings) -> Thresholds:
    """The thresholds of the taxonomy the DAGs tag with, read again when the file changes."""
    path = Path(settings.taxonomy_file)
    return _thresholds(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _thresholds(path: str, _mtime_ns: int) -> Thresholds:
    from newswatch.tagging import load_lexicon

    lexicon = load_lexicon(Path(path), with_model=False)  # the thresholds only: no model needed
    return Thresholds(lexicon.near_miss_threshold, lexicon.relevant_threshold)


@dataclass(frozen=True)
class MonitorConfig:
    """Where the app reads its settings, recipients, links and time from; replaced in tests."""

    settings: Callable[[], Settings] = server_settings
    recipients_text: Callable[[], str | None] = server_recipients_variable
    links: LinkLookup = lookup_links
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    thresholds: Callable[[Settings], Thresholds] = taxonomy_thresholds


def _config(request: Request) -> MonitorConfig:
    config: MonitorConfig = request.app.state.monitor
    return config


ConfigDep = Annotated[MonitorConfig, Depends(_config)]
TopicParam = Annotated[str, Query(max_length=64, pattern=NAME_PATTERN)]
SourceParam = Annotated[str, Query(max_length=64, pattern=NAME_PATTERN)]
DayParam = Annotated[str, Query(max_length=10, pattern=DAY_PATTERN, description="YYYY-MM-DD; default today (UTC)")]
RecipientParam = Annotated[str, Query(max_length=320, description="a recipient's address; default all stories")]


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


def _signed(weight: float) -> str:
    """A log-odds weight with its sign: "+1.42", "−0.80" (a true minus sign)."""
    return f"{weight:+.2f}".replace("-", "\u2212")


LANGUAGE_NAMES = {"en": "English", "it": "Italian"}


def _language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


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
    env.filters.update(
        safe_url=safe_url, when=_when, local_times=_local_times, signed=_signed, language_name=_language_name
    )
    env.globals.update(spark_bars=spark_bars, spark=(SPARK_W, SPARK_H, BAR_W), ago=_ago)
    return env


# --- the page --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageData:
    """Everything the page shows from the warehouse."""

    feeds: list[q.FeedStatus]
    events: q.EventDay
    near_misses: q.StoryDay | None  # None when the taxonomy's thresholds could not be read
    latest_day: date | None
    topics: list[str]
    sources: list[tuple[str, str]]
    digest: q.DigestSummary
    ledger: list[q.Delivery]


def _page_data(
    settings: Settings,
    recipients: list[Recipient],
    thresholds: Thresholds | None,
    now: datetime,
    day: date,
    topic: str,
    source: str,
) -> PageData:
    with q.read_only_session(settings.warehouse_url) as session:
        near = None
        if thresholds is not None:
            near = q.near_misses_for_day(
                session, day, thresholds.near_miss, thresholds.relevant, topic or None, source or None
            )
        return PageData(
            feeds=q.feed_statuses(session, now),
            events=q.events_for_day(session, day, topic or None, source or None),
            near_misses=near,
            latest_day=q.latest_story_day(session),
            topics=q.topic_names(session),
            sources=q.source_names(session),
            digest=q.digest_summary(session, day, recipients, _band(thresholds)),
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
    thresholds, thresholds_error = _page_thresholds(config, settings)
    data: PageData | None = None
    error = None
    try:
        data = _page_data(settings, recipients.recipients, thresholds, now, chosen, topic, source)
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
        "thresholds": thresholds,
        "thresholds_error": thresholds_error,
        "links": links,
        "href": _page_href(page_path, chosen, today, topic, source),
        "page_path": page_path,
        **_fixed_context(request, settings, chosen),
    }
    html = _environment().get_template("monitor.html.j2").render(context)
    code = status.HTTP_200_OK if data is not None else status.HTTP_503_SERVICE_UNAVAILABLE
    return HTMLResponse(html, status_code=code, headers=NO_STORE)


def _band(thresholds: Thresholds | None) -> tuple[float, float] | None:
    """The near-miss score band the digest DAG selects near misses in (``alerts.send.build_digest``)."""
    return (thresholds.near_miss, thresholds.relevant) if thresholds is not None else None


def _page_thresholds(config: MonitorConfig, settings: Settings) -> tuple[Thresholds | None, str | None]:
    """The thresholds, or why the taxonomy could not be read (the page then shows no near misses)."""
    try:
        return config.thresholds(settings), None
    except (ConfigError, OSError) as exc:
        LOGGER.warning("News Monitor: taxonomy unreadable: %s", exc)
        return None, str(exc)


def _fixed_context(request: Request, settings: Settings, day: date) -> dict[str, Any]:
    return {
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "dags": {"ingest": INGEST_DAG, "digest": DIGEST_DAG, "maintenance": MAINTENANCE_DAG},
        "preview_url": _own_path(request, f"{PAGE_PATH}/digest-preview?day={day.isoformat()}"),
        "api_base": _own_path(request, API_PATH),
        "label_header": LABEL_HEADER,
        "note_max": NOTE_MAX_CHARS,
        "warehouse": _describe_url(settings.warehouse_url),
    }


def _describe_url(url: str) -> str:
    """The warehouse URL without its password, for the page's footer."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable warehouse URL)"


def digest_preview(config: ConfigDep, day: DayParam = "", recipient: RecipientParam = "") -> HTMLResponse:
    """The day's digest as it would be mailed now, with the window's near misses selected in the
    taxonomy's band as the digest DAG does. Without ``recipient``: all stories, before any recipient's
    filters, and the "Possibly relevant" section when some recipient's group asks for near misses.
    With ``recipient`` (an address of the digest's recipients): exactly that recipient's copy."""
    from newswatch.alerts.chart import render_chart_png
    from newswatch.alerts.render import render_digest
    from newswatch.alerts.select import chart_days

    chosen = _day(day, config.clock().astimezone(UTC).date())
    settings = config.settings()
    thresholds, _error = _page_thresholds(config, settings)
    recipients = _recipients(config, settings).recipients
    wanted = [r for r in recipients if r.email.lower() == recipient.lower()] if recipient else []
    if recipient and not wanted:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{recipient!r} is not among the digest's recipients")
    with _warehouse(config) as session:
        digest = q.build_day_digest(session, chosen, _band(thresholds))
    if wanted:
        digest = digest.for_recipient(wanted[0])
    else:
        digest = dataclasses.replace(digest, show_near_misses=any(r.near_misses for r in recipients))
    png = render_chart_png(chart_days(digest))
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    html = render_digest(digest, chart_png=png, chart_src=src).html
    html = html.replace("<head>", '<head>\n<base target="_blank">', 1)  # links leave the preview frame
    return HTMLResponse(html, headers={**NO_STORE, "Content-Security-Policy": PREVIEW_CSP})


# A newspaper in two tones: dark ink outlining a white sheet. The UI shows a plugin's icon as an <img>, which
# takes no colour from the page (currentColor would be black everywhere), so the icon must read on every
# background the navigation gives it: the dark outline on the light bar, the white sheet on the selected
# item's brand colour and on the dark theme's bar.
ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" stroke="#1d2530" stroke-width="1.8" '
    'stroke-linecap="round" stroke-linejoin="round">'
    '<path d="M17 7.5h3.2v10.5a2 2 0 0 1-2 2H6" fill="#ffffff"/>'
    '<path d="M3.8 3.8h13.4v14.6a1.8 1.8 0 0 0 1.6 1.6H5.8a2 2 0 0 1-2-2z" fill="#ffffff"/>'
    '<path d="M7 8h7M7 11.5h7M7 15h4.5" fill="none"/></svg>'
)


def icon() -> Response:
    """The page's icon in the Airflow navigation (light and dark theme alike)."""
    return Response(ICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


# --- the JSON API ----------------------------------------------------------------------------------------


def api_feeds(config: ConfigDep) -> list[q.FeedStatus]:
    """Every source's feed health, failing ones first."""
    with _warehouse(config) as session:
        return q.feed_statuses(session, config.clock())


def api_events(config: ConfigDep, day: DayParam = "", topic: TopicParam = "", source: SourceParam = "") -> q.EventDay:
    """The relevant events of a UTC day, each with its stories and their reports, filtered by topic and
    source: an event is kept when one of its stories matches."""
    chosen = _day(day, config.clock().astimezone(UTC).date())
    with _warehouse(config) as session:
        return q.events_for_day(session, chosen, topic or None, source or None)


def api_stories(config: ConfigDep, day: DayParam = "", topic: TopicParam = "", source: SourceParam = "") -> q.StoryDay:
    """The relevant stories of a UTC day, filtered by topic and source (one per story cluster, ungrouped)."""
    chosen = _day(day, config.clock().astimezone(UTC).date())
    with _warehouse(config) as session:
        return q.stories_for_day(session, chosen, topic or None, source or None)


def api_near_misses(
    config: ConfigDep, day: DayParam = "", topic: TopicParam = "", source: SourceParam = ""
) -> q.StoryDay:
    """The stories of a UTC day that scored just under the relevance threshold, for analysts to review."""
    chosen = _day(day, config.clock().astimezone(UTC).date())
    settings = config.settings()
    thresholds, error = _page_thresholds(config, settings)
    if thresholds is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"taxonomy unreadable: {error}")
    with _warehouse(config) as session:
        return q.near_misses_for_day(
            session, chosen, thresholds.near_miss, thresholds.relevant, topic or None, source or None
        )


def api_digest(config: ConfigDep, day: DayParam = "") -> q.DigestSummary:
    """The digest sent (or to be sent) at 08:00 IST on a day, and its deliveries."""
    chosen = _day(day, config.clock().astimezone(UTC).date())
    settings = config.settings()
    recipients = _recipients(config, settings)
    thresholds, _error = _page_thresholds(config, settings)
    with _warehouse(config) as session:
        return q.digest_summary(session, chosen, recipients.recipients, _band(thresholds))


def api_deliveries(
    config: ConfigDep,
    digest_id: Annotated[str, Query(max_length=100, pattern=r"^[a-z0-9-]{0,100}$")] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = q.MAX_DELIVERIES,
) -> list[q.Delivery]:
    """The delivery ledger, newest first."""
    with _warehouse(config) as session:
        return q.deliveries(session, digest_id or None, limit)


def api_labels(
    config: ConfigDep, story: Annotated[str, Query(max_length=40, pattern=r"^[A-Za-z0-9_.:-]{0,40}$")] = ""
) -> list[LabelRecord]:
    """Every story's current label; with ``story``, that story's labels, newest first (its history)."""
    with _warehouse(config) as session:
        return label_history(session, story) if story else latest_labels(session)


class LabelRequest(BaseModel):
    """The body of ``POST /api/labels``: ``{"story": id, "relevant": bool, "note": str}``."""

    model_config = ConfigDict(extra="forbid")

    story: Annotated[str, StringConstraints(pattern=STORY_PATTERN)]
    relevant: StrictBool  # a real JSON boolean: "false" or 0 is refused, not read as a verdict
    note: Annotated[str, StringConstraints(max_length=NOTE_MAX_CHARS)] | None = None


def _refuse_cross_site(request: Request) -> None:
    """403 unless the request comes from a script of this origin that sends JSON (see LABEL_HEADER)."""
    if request.headers.get(LABEL_HEADER) != "1":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"labels are sent by the News Monitor page (header {LABEL_HEADER}: 1)"
        )
    # Browsers set Sec-Fetch-Site themselves; scripts cannot. Tools (curl) send none.
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "labels from another site are refused")
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "a label is sent as application/json")


async def _label_request(request: Request) -> LabelRequest:
    """The request's body as a :class:`LabelRequest`; 413 when too large, 422 when malformed."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_LABEL_BODY:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"a label is at most {MAX_LABEL_BODY} bytes")
    body = b""
    async for chunk in request.stream():  # counted as it arrives: the header may lie
        body += chunk
        if len(body) > MAX_LABEL_BODY:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"a label is at most {MAX_LABEL_BODY} bytes")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"not JSON: {exc}") from exc
    try:
        return LabelRequest.model_validate(payload)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from exc


def _user_name(user: Any) -> str:
    """The signed-in Airflow user's name (``BaseUser.get_name``)."""
    name = str(user.get_name() if user is not None else "").strip()
    if not name:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not signed in")
    return name


def _save_label(config: MonitorConfig, wanted: LabelRequest, user: str) -> LabelRecord:
    """Write the label through the monitor's one read-write session; errors as HTTP answers."""
    try:
        return labelling.save_label(
            config.settings().warehouse_url, wanted.story, wanted.relevant, wanted.note, user, config.clock()
        )
    except UnknownStory as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except LabelError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    except SQLAlchemyError as exc:
        LOGGER.warning("News Monitor: label not written: %s", exc)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"warehouse not writable: {_short(exc)}") from exc


async def api_record_label(
    request: Request, config: ConfigDep, user: Annotated[Any, Depends(AUTHENTICATED)]
) -> JSONResponse:
    """Record the signed-in user's label of a story; 201 with the label as stored.

    Checked in this order, each refusal changing nothing: sign-in and access (401, 403, by the route's
    dependencies), where the request comes from (403, 415), the body (413, 422), the story (404).
    """
    _refuse_cross_site(request)
    wanted = await _label_request(request)
    record = await run_in_threadpool(_save_label, config, wanted, _user_name(user))
    LOGGER.info(
        "News Monitor: %s labelled story %s relevant=%s", record.labelled_by, record.story_cluster_id, record.relevant
    )
    return JSONResponse(jsonable_encoder(record), status_code=status.HTTP_201_CREATED, headers=NO_STORE)


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
    app.add_api_route(f"{API_PATH}/events", api_events, methods=["GET"], dependencies=ingest)
    app.add_api_route(f"{API_PATH}/stories", api_stories, methods=["GET"], dependencies=ingest)
    app.add_api_route(f"{API_PATH}/near-misses", api_near_misses, methods=["GET"], dependencies=ingest)
    app.add_api_route(f"{API_PATH}/labels", api_labels, methods=["GET"], dependencies=ingest)
    labels = [*ingest, Depends(EDIT_INGEST)]
    app.add_api_route(f"{API_PATH}/labels", api_record_label, methods=["POST"], dependencies=labels, status_code=201)
    app.add_api_route(f"{API_PATH}/digest", api_digest, methods=["GET"], dependencies=digest)
    app.add_api_route(f"{API_PATH}/deliveries", api_deliveries, methods=["GET"], dependencies=digest)
    return app
