"""The News Monitor in a real Airflow: the ingest and digest DAGs run (`airflow dags test`) over the fixture
site into a private SQLite warehouse, then `airflow api-server` serves the UI with our plugin on a free
local port. Headless Chromium logs in through the UI's own login form, opens the page inside the UI and
checks what it lists; the screenshot goes to var/screenshots/news-monitor.png (docs/news-monitor.png is a
copy of a good one). Plain HTTP checks that the plugin's API refuses anonymous requests, and that writing
a label takes a signed-in user with edit rights (a Viewer is refused). Chromium then labels a story "Not
relevant" with a note, as an analyst would, and the label is checked in the warehouse and on the page.

The feedback round trip, on SQLite and on a private PostgreSQL database: the real ingest fills the
warehouse from the fixture site, an API server with the plugin reads it, an analyst marks a story of the
day's digest "Not relevant" in Chromium, `newswatch train-tagger` refits (beside a copy of the taxonomy,
never the repository's model), `newswatch retag` applies the label, and the next digest leaves the story
out while keeping the others.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, select

from newswatch.config import CONFIG_DIR, load_settings
from newswatch.monitor import NAV_LABEL
from newswatch.warehouse.schema import TaggerLabelRow
from tests.support.browser import chromium, chromium_or_skip
from tests.support.fixtureserver import FixtureServer
from tests.support.fixturesite import DIGEST_DATE, EXPECTED, FIXTURES, INGEST_DATE, INGESTED_AT, ROOT
from tests.support.net import free_port
from tests.support.services import private_postgres_database

pytestmark = pytest.mark.e2e

SOURCES = yaml.safe_load((FIXTURES / "sources.yaml").read_text())["sources"]
SCREENSHOT = ROOT / "var" / "screenshots" / "news-monitor.png"
WINDOW = "--window-size=1280,1400"
STORY_DAY = "2026-02-27"
DIGEST_DAY = "2026-02-28"  # the digest sent at 08:00 IST that day lists the fixture day's stories
USER, PASSWORD = "admin", secrets.token_urlsafe(12)
VIEWER, VIEWER_PASSWORD = "viewer", secrets.token_urlsafe(12)  # may read the DAGs' runs, not edit them
API_ROUTES = [
    "/newswatch/api/feeds",
    "/newswatch/api/events",
    "/newswatch/api/stories",
    "/newswatch/api/near-misses",
    "/newswatch/api/labels",
    "/newswatch/api/digest",
    "/newswatch/monitor",
]
LABEL_HEADER = {"X-Newswatch-Label": "1"}


@dataclass(frozen=True)
class Server:
    base_url: str
    log: Path
    warehouse_url: str  # the warehouse the page reads and labels go to


def _airflow() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def _run(cmd: list[str], env: dict[str, str], timeout: int = 600) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(cmd[1:4])} failed:\n{log[-4000:]}"
    return log


def _environment(home: Path, tmp: Path, fixture_base: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSWATCH_", "AIRFLOW_", "AIRFLOW__"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW_CONFIG=str(ROOT / "airflow.cfg"),
        NEWSWATCH_ROOT=str(ROOT),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__PLUGINS_FOLDER=str(ROOT / "plugins"),
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{port}",
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_urlsafe(64),
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=f"{USER}:admin,{VIEWER}:viewer",
        PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        NEWSWATCH_FIXTURE_BASE=fixture_base,
        NEWSWATCH_SOURCES=str(FIXTURES / "sources.yaml"),
        NEWSWATCH_VAR=str(tmp / "var"),
        NEWSWATCH_WAREHOUSE_URL=f"sqlite:///{tmp / 'warehouse.db'}",
        NEWSWATCH_OUTBOX=str(tmp / "outbox"),
    )
    return env


def _airflow_home(tmp: Path) -> Path:
    """A new Airflow home whose simple auth manager knows the admin's and the viewer's passwords."""
    home = tmp / "airflow"
    home.mkdir()
    passwords = {USER: PASSWORD, VIEWER: VIEWER_PASSWORD}
    (home / "simple_auth_manager_passwords.json.generated").write_text(json.dumps(passwords))
    return home


@contextmanager
def _api_server(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """`airflow api-server` (with the plugin) on ``port``, up and answering; its base URL. Stopped on leaving."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [_airflow(), "api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown stops its workers too
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, process, log)
        yield base
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fixture_server: FixtureServer) -> Iterator[Server]:
    """The API server of a private Airflow whose newswatch DAGs have run once over the fixture site."""
    tmp = tmp_path_factory.mktemp("monitor-e2e")
    home = _airflow_home(tmp)
    port = free_port()
    env = _environment(home, tmp, fixture_server.base_url, port)
    _run([_airflow(), "db", "migrate"], env)
    _run([_airflow(), "pools", "set", "newswatch_http", "4", "HTTP work"], env)
    for dag_id, date in (("newswatch_ingest", INGEST_DATE), ("newswatch_digest", DIGEST_DATE)):
        assert "state=success" in _run([_airflow(), "dags", "test", dag_id, date], env)
    log = tmp / "api-server.log"
    with _api_server(env, port, log) as base:
        yield Server(base, log, env["NEWSWATCH_WAREHOUSE_URL"])


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 240) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"api-server exited {process.returncode}:\n{log.read_text()[-4000:]}"
        try:
            if httpx.get(f"{base}/api/v2/monitor/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"api-server not up after {timeout_s:.0f} s:\n{log.read_text()[-4000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the group started above, and nothing else
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _token(server: Server, user: str = USER, password: str = PASSWORD) -> str:
    response = httpx.post(f"{server.base_url}/auth/token", json={"username": user, "password": password}, timeout=30)
    assert response.status_code == 201, response.text
    return str(response.json()["access_token"])


def _labels(server: Server, story: str | None = None) -> list[tuple[str, bool, str | None, str]]:
    """(story, label, note, labelled_by) of every label in the server's warehouse, oldest first."""
    engine = create_engine(server.warehouse_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(
                    TaggerLabelRow.story_cluster_id,
                    TaggerLabelRow.label,
                    TaggerLabelRow.note,
                    TaggerLabelRow.labelled_by,
                ).order_by(TaggerLabelRow.id)
            ).all()
    finally:
        engine.dispose()
    return [(s, bool(label), note, by) for s, label, note, by in rows if story is None or s == story]


def test_plugin_api_refuses_anonymous_requests(server: Server) -> None:
    for path in API_ROUTES:
        anonymous = httpx.get(server.base_url + path, timeout=30)
        assert anonymous.status_code in (401, 403), (path, anonymous.status_code, anonymous.text[:300])
        forged = httpx.get(server.base_url + path, headers={"Authorization": "Bearer not-a-token"}, timeout=30)
        assert forged.status_code in (401, 403), (path, forged.status_code)
        cookie = httpx.get(server.base_url + path, cookies={"_token": "not-a-token"}, timeout=30)
        assert cookie.status_code in (401, 403), (path, cookie.status_code)


def test_label_route_refuses_anonymous_forged_and_read_only_users(server: Server) -> None:
    """Nothing is written by a request without a user (401), with a forged token (403), from a user who
    may only read the runs (403), without the page's header (403) or for a story the warehouse does not
    hold (404); the admin's token may label."""
    url = f"{server.base_url}/newswatch/api/labels"
    admin = {"Authorization": f"Bearer {_token(server)}"}
    stories = httpx.get(f"{server.base_url}/newswatch/api/stories?day={STORY_DAY}", headers=admin, timeout=30)
    story = stories.json()["stories"][-1]["cluster_id"]
    body = {"story": story, "relevant": True, "note": "by the API"}
    before = _labels(server)
    refused = {
        "anonymous": httpx.post(url, json=body, headers=LABEL_HEADER, timeout=30),
        "forged": httpx.post(url, json=body, headers={**LABEL_HEADER, "Authorization": "Bearer x.y.z"}, timeout=30),
        "forged cookie": httpx.post(url, json=body, headers=LABEL_HEADER, cookies={"_token": "x.y.z"}, timeout=30),
        "viewer": httpx.post(
            url,
            json=body,
            headers={**LABEL_HEADER, "Authorization": f"Bearer {_token(server, VIEWER, VIEWER_PASSWORD)}"},
            timeout=30,
        ),
        "no header": httpx.post(url, json=body, headers=admin, timeout=30),
        "unknown story": httpx.post(
            url, json={**body, "story": "s-0000000000000000"}, headers={**LABEL_HEADER, **admin}, timeout=30
        ),
    }
    codes = {name: response.status_code for name, response in refused.items()}
    assert codes == {
        "anonymous": 401,
        "forged": 403,
        "forged cookie": 403,
        "viewer": 403,
        "no header": 403,
        "unknown story": 404,
    }
    assert "no story 's-0000000000000000'" in refused["unknown story"].text
    assert _labels(server) == before
    accepted = httpx.post(url, json=body, headers={**LABEL_HEADER, **admin}, timeout=30)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["labelled_by"] == USER
    assert _labels(server) == [*before, (story, True, "by the API", USER)]


def test_plugin_api_answers_with_a_token(server: Server) -> None:
    headers = {"Authorization": f"Bearer {_token(server)}"}
    feeds = httpx.get(f"{server.base_url}/newswatch/api/feeds", headers=headers, timeout=30)
    assert feeds.status_code == 200, feeds.text[:500]
    assert {f["source"] for f in feeds.json()} == {s["name"] for s in SOURCES}
    stories = httpx.get(f"{server.base_url}/newswatch/api/stories?day={STORY_DAY}", headers=headers, timeout=30)
    assert stories.status_code == 200 and stories.json()["stories"]
    events = httpx.get(f"{server.base_url}/newswatch/api/events?day={STORY_DAY}", headers=headers, timeout=30)
    assert events.status_code == 200, events.text[:500]
    listed = sorted(s["cluster_id"] for e in events.json()["events"] for s in e["stories"])
    assert listed == sorted(s["cluster_id"] for s in stories.json()["stories"]), "every story in one event"


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """Skipped with the reason on a machine without Chromium and chromedriver; a failure under CI=true."""
    with chromium(1280, 1500) as driver:
        yield driver


FRAME = f"iframe[title='{NAV_LABEL}']"  # the UI titles the page's frame with the view's name
NAV_LINK = f"a[aria-label='{NAV_LABEL}']"


def _icon_contrast(icon: WebElement) -> float:
    """The share of the icon's pixels that stand out from the background it is drawn on (its box's corner):
    a luminance difference of at least 0.35 on a 0–1 scale."""
    image = Image.open(io.BytesIO(icon.screenshot_as_png)).convert("RGB")

    def luminance(pixel: tuple[int, int, int]) -> float:
        r, g, b = (c / 255 for c in pixel)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    background = luminance(image.getpixel((0, 0)))  # type: ignore[arg-type]
    pixels = [luminance(p) for p in image.getdata()]  # type: ignore[arg-type]
    return sum(abs(p - background) >= 0.35 for p in pixels) / len(pixels)


def _nav_label_fits_and_icon_shows(nav_link: WebElement, state: str) -> None:
    """The navigation button's label is shown whole (not cut with an ellipsis) and its icon is visible on
    the button's background, selected (the brand colour) or not."""
    label = nav_link.find_element(By.XPATH, f".//*[normalize-space(text())='{NAV_LABEL}']")
    widths = nav_link.parent.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth]", label)
    assert widths[0] <= widths[1], f"the label {NAV_LABEL!r} is cut ({state}): {widths}"
    icon = nav_link.find_element(By.TAG_NAME, "img")
    assert (icon.get_attribute("src") or "").endswith("/newswatch/monitor/icon.svg")
    assert _icon_contrast(icon) >= 0.12, f"the icon hardly shows when {state}: {_icon_contrast(icon):.2f}"


def _log_in(driver: WebDriver, server: Server) -> None:
    """Through the UI's own login form, which stores the ``_token`` cookie the UI and the plugin read."""
    driver.get(server.base_url + "/")
    wait = WebDriverWait(driver, 60)
    wait.until(ec.presence_of_element_located((By.NAME, "username"))).send_keys(USER)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: d.get_cookie("_token") is not None and "/auth/login" not in d.current_url)


def _open_event_of(card: WebElement) -> None:
    """Open the event that lists the story row ``card`` (its stories are in a closed ``<details>``) by
    clicking the event's summary, as an analyst does."""
    if not card.is_displayed():
        card.find_element(By.XPATH, "./ancestor::details[1]/summary").click()
        WebDriverWait(card.parent, 10).until(lambda _driver: card.is_displayed())


def _expected_headlines(day: str) -> list[set[str]]:
    """For each relevant fixture story published on the UTC ``day``: the titles of its copies."""
    stories: dict[str, set[str]] = {}
    for entry in EXPECTED:
        published = entry.get("published")
        if (
            entry["relevant"]
            and published
            and datetime.fromisoformat(published).astimezone(UTC).date().isoformat() == day
        ):
            stories.setdefault(entry["story"], set()).add(entry["title"])
    return list(stories.values())


def test_news_monitor_page_in_the_airflow_ui(server: Server, browser: WebDriver) -> None:
    _log_in(browser, server)
    wait = WebDriverWait(browser, 90)
    browser.get(f"{server.base_url}/")  # another page: the button is not selected
    home_link = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, NAV_LINK)))
    _nav_label_fits_and_icon_shows(home_link, "not selected")
    # The UI keeps the framed page's path after /plugin/news-monitor, so a day can be linked to.
    browser.get(f"{server.base_url}/plugin/news-monitor/newswatch/monitor?day={STORY_DAY}")
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, FRAME)))
    nav_link = browser.find_element(By.CSS_SELECTOR, NAV_LINK)  # in the UI's navigation
    assert (nav_link.get_attribute("href") or "").endswith("/plugin/news-monitor")
    _nav_label_fits_and_icon_shows(nav_link, "selected")
    browser.switch_to.frame(frame)
    wait.until(ec.presence_of_element_located((By.ID, "stories")))
    events = browser.find_elements(By.CSS_SELECTOR, "#stories article.event")
    assert events and not any(r.is_displayed() for r in browser.find_elements(By.CSS_SELECTOR, "#stories .story"))
    for summary in browser.find_elements(By.CSS_SELECTOR, "#stories details.reports > summary"):
        summary.click()  # each event opens to its stories
    text = browser.find_element(By.TAG_NAME, "body").text
    for source in SOURCES:
        assert source["title"] in text, source["title"]
    for titles in _expected_headlines(STORY_DAY):
        assert any(t in text for t in titles), titles
    assert "HTTP 404" in text and "india-italy-defence-2026-02-28" in text
    log_link = browser.find_element(
        By.XPATH, "//tr[.//small[text()='missing']]//a[contains(@href, '/tasks/source.poll_source/mapped/')]"
    )
    assert log_link.get_attribute("target") == "_top"
    # For the picture: the top of the page, the first event open to its stories.
    browser.execute_script(
        "document.querySelectorAll('#stories details.reports').forEach(function (d, i) { d.open = i === 0; });"
        "window.scrollTo(0, 0);"
    )
    browser.switch_to.default_content()
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(2)  # let the digest preview and the chart settle for the picture
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT)), "screenshot not written"

    # A link into Airflow opens in the whole window, not inside the frame.
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, FRAME))
    browser.find_element(
        By.XPATH, "//tr[.//small[text()='missing']]//a[contains(@href, '/tasks/source.poll_source/mapped/')]"
    ).click()
    browser.switch_to.default_content()
    wait.until(lambda d: "/dags/newswatch_ingest/runs/" in d.current_url and "/plugin/" not in d.current_url)
    assert "/tasks/source.poll_source/mapped/" in browser.current_url


def test_label_a_story_not_relevant_in_the_browser(server: Server, browser: WebDriver) -> None:
    """An analyst opens the page inside the UI, types a note on a story and clicks "Not relevant": the
    label is in the warehouse at once, shown on the story, and still there after a reload."""
    _log_in(browser, server)
    wait = WebDriverWait(browser, 90)
    browser.get(f"{server.base_url}/plugin/news-monitor/newswatch/monitor?day={STORY_DAY}")
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, FRAME)))
    browser.switch_to.frame(frame)
    card = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#stories article.story")))
    story = card.get_attribute("data-story")
    assert story
    _open_event_of(card)
    note = "Trade fair stand, no defence deal <b>here</b>"
    card.find_element(By.CSS_SELECTOR, "input.label-note").send_keys(note)
    card.find_element(By.CSS_SELECTOR, "button.label-btn[data-relevant='false']").click()
    state = card.find_element(By.CSS_SELECTOR, ".label-state")
    wait.until(lambda _driver: "labelled by" in state.text or "Not saved" in state.text)
    assert "Not saved" not in state.text, state.text
    assert state.text.startswith(f"Not relevant labelled by {USER} · ") and state.text.endswith(f"“{note}”")
    assert card.find_element(By.CSS_SELECTOR, "input.label-note").get_attribute("value") == ""
    assert card.find_elements(By.CSS_SELECTOR, ".label-state b") and not state.find_elements(By.TAG_NAME, "script")

    assert _labels(server, story)[-1] == (story, False, note, USER)

    browser.refresh()  # the page as the server renders it now
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, FRAME)))
    browser.switch_to.frame(frame)
    card = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f"#stories article[data-story='{story}']")))
    _open_event_of(card)
    rendered = card.find_element(By.CSS_SELECTOR, ".label-state").text
    assert rendered.startswith(f"Not relevant labelled by {USER} · ") and rendered.endswith(f"“{note}”")
    assert browser.find_elements(By.CSS_SELECTOR, "#near-misses h2"), "the near-miss section is on the page"


# --- the feedback round trip: label in the browser, train, retag, the next digest -------------------------


@dataclass(frozen=True)
class RoundTrip:
    server: Server
    env: dict[str, str]  # for the newswatch CLI: the server's warehouse and taxonomy copy
    model: Path  # the model file beside the taxonomy copy, which train-tagger may rewrite


@pytest.fixture(scope="module")
def round_trip_airflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Airflow home with a migrated metadata database, for the round trip's API servers (one per
    warehouse backend, one after the other): the page needs no DAG run, so none is made."""
    chromium_or_skip()  # before the set-up, not after it
    tmp = tmp_path_factory.mktemp("round-trip-airflow")
    home = _airflow_home(tmp)
    _run([_airflow(), "db", "migrate"], _environment(home, tmp, "http://127.0.0.1:9", free_port()))
    return home


@pytest.fixture
def round_trip_warehouse() -> Iterator[str]:
    """An empty PostgreSQL warehouse of this test's own, dropped afterwards. One backend is enough here: the
    browser tests above label a story through the same page on SQLite, and the label store's SQL runs on
    both backends in test_monitor.py; this is the one whole round trip on the production backend."""
    with private_postgres_database("newswatch_round_trip") as url:
        yield url


@pytest.fixture
def round_trip(
    round_trip_airflow: Path, round_trip_warehouse: str, tmp_path: Path, fixture_server: FixtureServer
) -> Iterator[RoundTrip]:
    """The warehouse filled by the real ingest of the fixture site, tagged with the model beside a copy
    of the taxonomy, and an API server with the plugin reading it."""
    config = tmp_path / "config"
    config.mkdir()
    for name in ("taxonomy.yaml", "tagger_model.json"):
        shutil.copyfile(CONFIG_DIR / name, config / name)
    port = free_port()
    env = _environment(round_trip_airflow, tmp_path, fixture_server.base_url, port)
    env.update(NEWSWATCH_WAREHOUSE_URL=round_trip_warehouse, NEWSWATCH_TAXONOMY=str(config / "taxonomy.yaml"))
    _ingest(env)
    log = tmp_path / "api-server.log"
    with _api_server(env, port, log) as base:
        yield RoundTrip(Server(base, log, round_trip_warehouse), env, config / "tagger_model.json")


def _ingest(env: dict[str, str]) -> None:
    """One run of the whole ingest, in this process, as observed after the fixture day's digest window."""
    from newswatch import pipeline
    from newswatch.warehouse.session import engine_for

    settings = load_settings(env)
    with pytest.MonkeyPatch.context() as patch:  # the sources file reads NEWSWATCH_FIXTURE_BASE from the env
        for key, value in env.items():
            if key.startswith("NEWSWATCH_"):
                patch.setenv(key, value)
        pipeline.run_ingest(settings, INGESTED_AT)
    engine_for(settings.warehouse_url).dispose()


def _newswatch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("newswatch")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _digest(env: dict[str, str]) -> tuple[list[str], str]:
    """The headlines `newswatch digest --date` lists for the fixture day's digest, and its whole text."""
    done = _newswatch(env, "digest", "--date", DIGEST_DAY)
    assert done.returncode == 0, done.stderr[-4000:]
    return re.findall(r"^\* (.+)$", done.stdout, flags=re.MULTILINE), done.stdout


@pytest.mark.postgres
def test_feedback_round_trip_label_train_retag_digest(round_trip: RoundTrip, browser: WebDriver) -> None:
    """An analyst marks a story of the day's digest "Not relevant" in the News Monitor; train-tagger
    writes the refitted model beside the taxonomy copy, or refuses one that scores worse and leaves the
    file as it was; retag applies the label; the next digest no longer lists the story, and lists the
    others still."""
    server, env = round_trip.server, round_trip.env
    headlines, _text = _digest(env)
    assert len(headlines) > 1, "the fixture day's digest lists several stories"

    _log_in(browser, server)
    wait = WebDriverWait(browser, 90)
    page = f"{server.base_url}/plugin/news-monitor/newswatch/monitor?day={STORY_DAY}"
    browser.get(page)
    browser.switch_to.frame(wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, FRAME))))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#stories article.story")))
    in_digest = [  # stories that lead a digest entry, alone in their event: the entry goes with the label
        card
        for card in browser.find_elements(By.CSS_SELECTOR, "#stories article.story")
        if (card.find_element(By.CSS_SELECTOR, "h4 a").get_attribute("textContent") or "").strip() in headlines
        and len(card.find_elements(By.XPATH, "./ancestor::article[@class='event']//article[@class='story']")) == 1
    ]
    assert in_digest, "a story on the page is in the day's digest"
    card = in_digest[-1]  # the weakest of them: the likeliest to be a wrong call
    story = card.get_attribute("data-story")
    _open_event_of(card)
    link = card.find_element(By.CSS_SELECTOR, "h4 a")
    headline, url = (link.get_attribute("textContent") or "").strip(), link.get_attribute("href")
    assert story and url
    note = "A conference round-up, no India–Italy defence news"
    card.find_element(By.CSS_SELECTOR, "input.label-note").send_keys(note)
    card.find_element(By.CSS_SELECTOR, "button.label-btn[data-relevant='false']").click()
    state = card.find_element(By.CSS_SELECTOR, ".label-state")
    wait.until(lambda _driver: "labelled by" in state.text or "Not saved" in state.text)
    assert state.text.startswith(f"Not relevant labelled by {USER} · "), state.text
    assert _labels(server) == [(story, False, note, USER)]

    original = round_trip.model.read_bytes()
    trained = _newswatch(env, "train-tagger")
    if trained.returncode == 0:
        assert f"written to {round_trip.model}\n" in trained.stdout, trained.stdout
        assert re.search(r"training examples: .*\b[1-9]\d* label\b", trained.stdout), trained.stdout
        assert round_trip.model.read_bytes() != original
    else:
        assert trained.returncode == 1, trained.stderr[-4000:]
        assert "scores worse" in trained.stderr and "was not overwritten" in trained.stderr, trained.stderr
        assert round_trip.model.read_bytes() == original

    retagged = _newswatch(env, "retag", "--since", STORY_DAY)
    assert retagged.returncode == 0, retagged.stderr[-4000:]
    assert json.loads(retagged.stdout)["no_longer_relevant"] >= 1, retagged.stdout

    after, text = _digest(env)
    assert headline not in after and url not in text, "the story left the digest"
    assert sorted(after) == sorted(h for h in headlines if h != headline), "the other stories stay"

    browser.get(page)  # and it leaves the day's stories on the page, its label kept in the warehouse
    browser.switch_to.frame(wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, FRAME))))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#stories article.story")))
    assert not browser.find_elements(By.CSS_SELECTOR, f"#stories article[data-story='{story}']")
    assert _labels(server) == [(story, False, note, USER)]
