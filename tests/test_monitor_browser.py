"""The News Monitor in a real Airflow: the ingest and digest DAGs run (`airflow dags test`) over the fixture
site into a private SQLite warehouse, then `airflow api-server` serves the UI with our plugin on a free
local port. Headless Chromium logs in through the UI's own login form, opens the page inside the UI and
checks what it lists; the screenshot goes to var/screenshots/news-monitor.png (docs/news-monitor.png is a
copy of a good one). Plain HTTP checks that the plugin's API refuses anonymous requests, and that writing
a label takes a signed-in user with edit rights (a Viewer is refused). Chromium then labels a story "Not
relevant" with a note, as an analyst would, and the label is checked in the warehouse and on the page.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml
from browser import CHROMEDRIVER, CHROMIUM, chromium_or_skip
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from newswatch.fixtureserver import FixtureServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXPECTED = yaml.safe_load((FIXTURES / "site" / "expected.yaml").read_text())
SOURCES = yaml.safe_load((FIXTURES / "sources.yaml").read_text())["sources"]
SCREENSHOT = ROOT / "var" / "screenshots" / "news-monitor.png"
WINDOW = "--window-size=1280,1400"
INGEST_DATE = "2026-02-28T01:00:00+00:00"
DIGEST_DATE = "2026-02-28T02:30:00+00:00"  # 08:00 IST on 28 Feb: the digest of the fixture stories
STORY_DAY = "2026-02-27"
USER, PASSWORD = "admin", secrets.token_urlsafe(12)
VIEWER, VIEWER_PASSWORD = "viewer", secrets.token_urlsafe(12)  # may read the DAGs' runs, not edit them
API_ROUTES = [
    "/newswatch/api/feeds",
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
    warehouse: Path  # the SQLite file the DAGs filled and the page reads


def _airflow() -> str:
    return str(Path(sys.executable).with_name("airflow"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fixture_server: FixtureServer) -> Iterator[Server]:
    """The API server of a private Airflow whose newswatch DAGs have run once over the fixture site."""
    tmp = tmp_path_factory.mktemp("monitor-e2e")
    home = tmp / "airflow"
    home.mkdir()
    passwords = {USER: PASSWORD, VIEWER: VIEWER_PASSWORD}
    (home / "simple_auth_manager_passwords.json.generated").write_text(json.dumps(passwords))
    port = _free_port()
    env = _environment(home, tmp, fixture_server.base_url, port)
    _run([_airflow(), "db", "migrate"], env)
    _run([_airflow(), "pools", "set", "newswatch_http", "4", "HTTP work"], env)
    for dag_id, date in (("newswatch_ingest", INGEST_DATE), ("newswatch_digest", DIGEST_DATE)):
        assert "state=success" in _run([_airflow(), "dags", "test", dag_id, date], env)
    log = tmp / "api-server.log"
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
        yield Server(base, log, tmp / "warehouse.db")
    finally:
        _stop(process)


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
    """(story, label, note, labelled_by) of every label in the warehouse, oldest first."""
    with sqlite3.connect(f"file:{server.warehouse}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT story_cluster_id, label, note, labelled_by FROM tagger_labels ORDER BY id"
        ).fetchall()
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
    may only read the runs (403), or without the page's header (403); the admin's token may label."""
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
    }
    codes = {name: response.status_code for name, response in refused.items()}
    assert codes == {"anonymous": 401, "forged": 403, "forged cookie": 403, "viewer": 403, "no header": 403}
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


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    chromium_or_skip()  # skipped with the reason on a machine without Chromium; a failure under CI=true
    options = Options()
    options.binary_location = CHROMIUM  # with the driver's path below, selenium-manager never runs
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1500",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _log_in(driver: WebDriver, server: Server) -> None:
    """Through the UI's own login form, which stores the ``_token`` cookie the UI and the plugin read."""
    driver.get(server.base_url + "/")
    wait = WebDriverWait(driver, 60)
    wait.until(ec.presence_of_element_located((By.NAME, "username"))).send_keys(USER)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: d.get_cookie("_token") is not None and "/auth/login" not in d.current_url)


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
    # The UI keeps the framed page's path after /plugin/news-monitor, so a day can be linked to.
    browser.get(f"{server.base_url}/plugin/news-monitor/newswatch/monitor?day={STORY_DAY}")
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe[title='News Monitor']")))
    nav_link = browser.find_element(By.CSS_SELECTOR, "a[aria-label='News Monitor']")  # in the UI's navigation
    assert (nav_link.get_attribute("href") or "").endswith("/plugin/news-monitor")
    browser.switch_to.frame(frame)
    wait.until(ec.presence_of_element_located((By.ID, "stories")))
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
    browser.switch_to.default_content()
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    time.sleep(2)  # let the digest preview and the chart settle for the picture
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT)), "screenshot not written"

    # A link into Airflow opens in the whole window, not inside the frame.
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe[title='News Monitor']"))
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
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe[title='News Monitor']")))
    browser.switch_to.frame(frame)
    card = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#stories article.story")))
    story = card.get_attribute("data-story")
    assert story
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
    frame = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe[title='News Monitor']")))
    browser.switch_to.frame(frame)
    card = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f"#stories article[data-story='{story}']")))
    rendered = card.find_element(By.CSS_SELECTOR, ".label-state").text
    assert rendered.startswith(f"Not relevant labelled by {USER} · ") and rendered.endswith(f"“{note}”")
    assert browser.find_elements(By.CSS_SELECTOR, "#near-misses h2"), "the near-miss section is on the page"
