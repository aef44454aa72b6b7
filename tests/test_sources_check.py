"""Tests of ``newswatch sources check``: every source probed against a real HTTP server on 127.0.0.1
(tests/support/fixtureserver.py), through the command in-process and once as a program.

One server answers every source of a test from a table of routes; each source is a path on it. The
feeds, pages and names are made up for these tests.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from newswatch.cli import main
from newswatch.config import Source, load_settings
from newswatch.sourcecheck import SourceCheck, check_source
from tests.support.fixtureserver import Answer, FixtureServer

NEWSWATCH = Path(sys.executable).with_name("newswatch")
RSS = "application/rss+xml; charset=utf-8"
UNRESOLVABLE = "http://feeds.harbour-gazette.invalid/rss.xml"  # .invalid never resolves (RFC 2606)

JSON_KEYS = [
    "source",
    "feed_url",
    "status",
    "stage",
    "error",
    "addresses",
    "http_status",
    "final_url",
    "content_type",
    "bytes",
    "elapsed_s",
    "items",
    "newest_published_at",
    "newest_title",
    "newest_link",
    "robots",
    "warnings",
]
SUMMARY_RE = re.compile(r"^(\d+) sources? in (.+): (\d+) ok, (\d+) failed, (\d+) skipped \(disabled\)$")


def rss(base: str, *items: tuple[str, str, str | None]) -> bytes:
    """An RSS 2.0 feed of (title, page path, pubDate or None) items, links on ``base``."""
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{page}</link><guid>{base}{page}</guid>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "</item>"
        for title, page, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Gazette</title>'
        f"<link>{base}/</link><description>Harbour news</description>{entries}</channel></rss>"
    ).encode()


@dataclass
class Site:
    """A FixtureServer answering from ``routes`` (path → response); anything else is a 404."""

    server: FixtureServer
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def answer(self, target: str, headers: dict[str, str]) -> Answer:
        return self.routes.get(urlsplit(target).path, (404, {"Content-Type": "text/plain"}, b"not found\n"))

    def paths(self) -> list[str]:
        return [urlsplit(target).path for target in self.server.requests]


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    """One server for the module (stopping one costs half a second); each test installs its own routes."""
    with FixtureServer(tmp_path_factory.mktemp("empty-site")) as server:
        yield server


@pytest.fixture
def site(shared_server: FixtureServer) -> Site:
    site = Site(shared_server)
    shared_server.requests.clear()
    shared_server.hook = site.answer
    base = shared_server.base_url
    site.routes["/good.xml"] = (
        200,
        {"Content-Type": RSS},
        rss(
            base,
            ("Tug fleet renewed", "/pages/tug.html", "Fri, 27 Feb 2026 09:00:00 +0000"),
            ("New pilot boat for the harbour", "/pages/pilot.html", "Sat, 28 Feb 2026 07:30:00 +0100"),
            ("Breakwater survey", "/pages/breakwater.html", None),
        ),
    )
    return site


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    @property
    def objects(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines()]


@pytest.fixture
def write_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Write a sources file of the given entries, point NEWSWATCH_SOURCES at it and give back its path."""

    def write(*entries: dict[str, Any]) -> Path:
        path = tmp_path / "my-sources.yaml"
        path.write_text(yaml.safe_dump({"sources": list(entries)}, sort_keys=False), encoding="utf-8")
        monkeypatch.setenv("NEWSWATCH_SOURCES", str(path))
        monkeypatch.setenv("NEWSWATCH_VAR", str(tmp_path / "var"))
        monkeypatch.setenv("NEWSWATCH_HTTP_TIMEOUT", "5")
        return path

    return write


def local(name: str, url: str, **extra: Any) -> dict[str, Any]:
    """A source on the test server: trusted to reach 127.0.0.1, no pause between requests."""
    return {"name": name, "feed_url": url, "allow_private": True, "host_delay_seconds": 0, **extra}


def run(*args: str) -> Run:
    out = io.StringIO()
    err = io.StringIO()
    stderr, sys.stderr = sys.stderr, err
    try:
        status = main(["sources", "check", *args], out=out)
    finally:
        sys.stderr = stderr
    return Run(status, out.getvalue(), err.getvalue())


def by_source(result: Run) -> dict[str, dict[str, Any]]:
    return {obj["source"]: obj for obj in result.objects}


# --- one source at a time ---------------------------------------------------------------------------


def test_good_feed(site: Site, write_sources: Any) -> None:
    """A good feed: resolved, HTTP 200 with a feed type, three items, the newest one by date, pages allowed."""
    write_sources(local("harbour-gazette", site.url("/good.xml")))
    result = run("--json")
    assert result.status == 0, result
    [check] = result.objects
    assert check["status"] == "ok" and check["stage"] is None and check["error"] is None
    assert check["addresses"] == ["127.0.0.1"]
    assert check["http_status"] == 200
    assert check["content_type"] == RSS
    assert check["final_url"] == site.url("/good.xml")
    assert check["bytes"] == len(site.routes["/good.xml"][2])
    assert check["items"] == 3
    # 07:30 +01:00 on the 28th is the newest, though the feed lists it second.
    assert check["newest_published_at"] == "2026-02-28T06:30:00+00:00"
    assert check["newest_title"] == "New pilot boat for the harbour"
    assert check["newest_link"] == site.url("/pages/pilot.html")
    assert check["robots"] == "allowed"
    assert check["warnings"] == []
    # One request for the feed and one for robots.txt: the probe never fetches the page itself.
    assert sorted(site.paths()) == ["/good.xml", "/robots.txt"]


def test_human_output_is_one_line_per_source_and_a_summary(site: Site, write_sources: Any) -> None:
    """Without --json: one line per source, verdict first, then the summary naming the file."""
    path = write_sources(local("harbour-gazette", site.url("/good.xml")), local("quay-news", site.url("/gone.xml")))
    result = run()
    assert result.status == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("harbour-gazette: ok; HTTP 200 application/rss+xml")
    assert "3 items" in lines[0]
    assert "newest 2026-02-28T06:30:00+00:00 'New pilot boat for the harbour'" in lines[0]
    assert lines[0].endswith("robots.txt: pages allowed")
    assert lines[1].startswith("quay-news: FAILED at http: HTTP 404")
    summary = SUMMARY_RE.match(lines[2])
    assert summary is not None and summary.groups() == ("2", str(path), "1", "1", "0")
    assert result.stderr == ""


def test_http_404(site: Site, write_sources: Any) -> None:
    """A missing feed fails at the HTTP step with the status, and nothing more is probed."""
    write_sources(local("quay-news", site.url("/gone.xml")))
    result = run("--json")
    assert result.status == 1
    [check] = result.objects
    assert (check["status"], check["stage"], check["error"], check["http_status"]) == (
        "failed",
        "http",
        "HTTP 404",
        404,
    )
    assert check["items"] is None and check["robots"] is None
    assert site.paths() == ["/gone.xml"]


def test_html_page_instead_of_a_feed(site: Site, write_sources: Any) -> None:
    """A web page (text/html) where the feed should be: a warning on the type, then a parse failure."""
    site.routes["/news"] = (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>News</body></html>")
    write_sources(local("harbour-gazette", site.url("/news")))
    [check] = run("--json").objects
    assert (check["status"], check["stage"]) == ("failed", "parse")
    assert check["error"] == "not a feed (no RSS or Atom root element)"
    assert check["content_type"] == "text/html; charset=utf-8"
    assert check["warnings"] == ["content type text/html is not a feed type"]


def test_feed_with_a_wrong_content_type_is_read_all_the_same(site: Site, write_sources: Any) -> None:
    """A good feed labelled text/plain passes, as the pipeline reads it, with a warning on the type."""
    site.routes["/plain.xml"] = (200, {"Content-Type": "text/plain"}, site.routes["/good.xml"][2])
    write_sources(local("harbour-gazette", site.url("/plain.xml")))
    result = run("--json")
    assert result.status == 0
    [check] = result.objects
    assert check["status"] == "ok" and check["items"] == 3
    assert check["warnings"] == ["content type text/plain is not a feed type"]


def test_malformed_feed(site: Site, write_sources: Any) -> None:
    """A feed the parser gets nothing from fails at parse with the parser's reason (as feed health shows)."""
    site.routes["/broken.xml"] = (200, {"Content-Type": RSS}, b'<?xml version="1.0"?><rss version="2.0"><channel><ti')
    write_sources(local("harbour-gazette", site.url("/broken.xml")))
    [check] = run("--json").objects
    assert (check["status"], check["stage"]) == ("failed", "parse")
    assert check["error"].startswith("not a valid feed")


def test_feed_cut_short_with_items_recovered_passes_with_a_warning(site: Site, write_sources: Any) -> None:
    """Malformed but with items recovered: the pipeline records a partial poll and goes on; so does the check."""
    body = site.routes["/good.xml"][2]
    site.routes["/cut.xml"] = (200, {"Content-Type": RSS}, body[: body.index(b"<item>", body.index(b"</item>"))])
    write_sources(local("harbour-gazette", site.url("/cut.xml")))
    [check] = run("--json").objects
    assert check["status"] == "ok" and check["items"] == 1
    assert check["warnings"][0].startswith("malformed feed, 1 item(s) recovered")


def test_empty_feed_and_undated_items_are_warnings(site: Site, write_sources: Any) -> None:
    """A feed with no items, or none dated, passes with a warning saying what that means."""
    base = site.server.base_url
    site.routes["/empty.xml"] = (200, {"Content-Type": RSS}, rss(base))
    site.routes["/undated.xml"] = (200, {"Content-Type": RSS}, rss(base, ("Quay works", "/pages/quay.html", None)))
    write_sources(local("empty-gazette", site.url("/empty.xml")), local("undated-gazette", site.url("/undated.xml")))
    checks = by_source(run("--json"))
    assert checks["empty-gazette"]["status"] == "ok"
    assert checks["empty-gazette"]["items"] == 0
    assert checks["empty-gazette"]["warnings"] == ["the feed has no items: nothing to fetch yet"]
    undated = checks["undated-gazette"]
    assert undated["status"] == "ok" and undated["newest_published_at"] is None
    assert undated["newest_title"] == "Quay works"
    assert undated["warnings"] == ["no item has a date: stories are dated from their pages or first sight"]


def test_robots_txt_disallowing_the_pages(site: Site, write_sources: Any) -> None:
    """robots.txt forbidding the article pages fails the source: the pipeline would never fetch one."""
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /pages/\n")
    write_sources(local("harbour-gazette", site.url("/good.xml")))
    result = run("--json")
    assert result.status == 1
    [check] = result.objects
    assert (check["status"], check["stage"], check["robots"]) == ("failed", "robots", "disallowed")
    assert "disallows our user agent" in check["error"] and site.url("/pages/pilot.html") in check["error"]
    assert check["items"] == 3, "what was found before the failing step is still reported"


def test_robots_txt_for_other_agents_only(site: Site, write_sources: Any) -> None:
    """A robots.txt that shuts out another crawler leaves ours alone."""
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: BadBot\nDisallow: /\n")
    write_sources(local("harbour-gazette", site.url("/good.xml")))
    [check] = run("--json").objects
    assert check["status"] == "ok" and check["robots"] == "allowed"


def test_dns_failure(write_sources: Any) -> None:
    """A host that does not resolve fails at the DNS step, before any request."""
    write_sources({"name": "harbour-gazette", "feed_url": UNRESOLVABLE})
    result = run("--json")
    assert result.status == 1
    [check] = result.objects
    assert (check["status"], check["stage"]) == ("failed", "dns")
    assert check["error"].startswith("cannot resolve host feeds.harbour-gazette.invalid")
    assert check["http_status"] is None and check["addresses"] == []


def test_private_address_without_allow_private_is_blocked(site: Site, write_sources: Any) -> None:
    """The address guard holds: a source not trusted with allow_private may not reach 127.0.0.1."""
    write_sources({"name": "harbour-gazette", "feed_url": site.url("/good.xml")})
    [check] = run("--json").objects
    assert (check["status"], check["stage"]) == ("failed", "http")
    assert check["error"].startswith("blocked: host 127.0.0.1 resolves to non-public address")
    assert site.paths() == [], "no request reached the server"


def test_disabled_source_is_skipped_without_a_request(site: Site, write_sources: Any) -> None:
    """enabled: false is listed as skipped and not probed; the run passes."""
    write_sources(
        local("harbour-gazette", site.url("/good.xml")), local("quay-news", site.url("/gone.xml"), enabled=False)
    )
    result = run("--json")
    assert result.status == 0
    checks = by_source(result)
    assert checks["quay-news"]["status"] == "skipped"
    assert checks["quay-news"]["error"] == "enabled: false"
    assert "/gone.xml" not in site.paths()
    assert SUMMARY_RE.match(result.stderr.strip()) is not None
    assert result.stderr.strip().endswith("1 ok, 0 failed, 1 skipped (disabled)")


# --- the run as a whole -----------------------------------------------------------------------------


def test_json_lines_keep_the_file_order_and_shape(site: Site, write_sources: Any) -> None:
    """--json: stdout has exactly one object per source, in the file's order, all with the same keys and
    types; the summary goes to stderr."""
    write_sources(
        local("harbour-gazette", site.url("/good.xml")),
        local("quay-news", site.url("/gone.xml")),
        {"name": "lost-gazette", "feed_url": UNRESOLVABLE},
        local("tide-tables", site.url("/good.xml"), enabled=False),
    )
    result = run("--json")
    assert result.status == 1
    objects = result.objects
    assert [o["source"] for o in objects] == ["harbour-gazette", "quay-news", "lost-gazette", "tide-tables"]
    assert [o["status"] for o in objects] == ["ok", "failed", "failed", "skipped"]
    for obj in objects:
        assert list(obj) == JSON_KEYS
        assert obj["status"] in ("ok", "failed", "skipped")
        assert obj["stage"] in (None, "dns", "http", "parse", "robots")
        assert (obj["stage"] is None) == (obj["status"] != "failed")
        assert isinstance(obj["addresses"], list) and isinstance(obj["warnings"], list)
        assert isinstance(obj["bytes"], int)
        assert obj["items"] is None or isinstance(obj["items"], int)
    summary = SUMMARY_RE.match(result.stderr.strip())
    assert summary is not None and summary.group(3, 4, 5) == ("1", "2", "1")


def test_invalid_sources_file_is_exit_2_naming_file_line_and_source(tmp_path: Path, write_sources: Any) -> None:
    """The file is validated first: a misspelt field is reported with file:line and the source's name."""
    path = write_sources({"name": "harbour-gazette", "feed_url": UNRESOLVABLE})
    path.write_text(
        "sources:\n  - name: harbour-gazette\n    feed_url: https://harbour.example/rss\n    pol_interval_minutes: 5\n",
        encoding="utf-8",
    )
    result = run()
    assert result.status == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"newswatch sources: {path}:4: sources[0] (harbour-gazette): unknown field(s)")
    assert "did you mean poll_interval_minutes?" in result.stderr


def test_check_source_never_raises_and_reports_what_it_found(site: Site, tmp_path: Path) -> None:
    """The library call behind the command, on a source object."""
    settings = load_settings({"NEWSWATCH_VAR": str(tmp_path)})
    source = Source(name="harbour-gazette", feed_url=site.url("/good.xml"), allow_private=True, host_delay_seconds=0)
    check = check_source(settings, source)
    assert isinstance(check, SourceCheck)
    assert check.status == "ok" and check.items == 3
    assert check.line().startswith("harbour-gazette: ok;")


def test_as_a_program_exit_status_and_output(site: Site, tmp_path: Path) -> None:
    """The installed `newswatch` program: 0 when every source answers, 1 when one fails."""
    sources = tmp_path / "my-sources.yaml"
    env = {
        **os.environ,
        "NEWSWATCH_SOURCES": str(sources),
        "NEWSWATCH_VAR": str(tmp_path / "var"),
        "NEWSWATCH_HTTP_TIMEOUT": "5",
    }
    good = local("harbour-gazette", site.url("/good.xml"))
    sources.write_text(yaml.safe_dump({"sources": [good]}), encoding="utf-8")
    ok = subprocess.run([NEWSWATCH, "sources", "check"], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0].startswith("harbour-gazette: ok;")
    sources.write_text(yaml.safe_dump({"sources": [good, local("quay-news", site.url("/gone.xml"))]}), encoding="utf-8")
    failed = subprocess.run(
        [NEWSWATCH, "sources", "check", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert failed.returncode == 1, failed.stderr
    assert [json.loads(line)["status"] for line in failed.stdout.splitlines()] == ["ok", "failed"]
    assert "1 ok, 1 failed" in failed.stderr
