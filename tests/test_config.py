"""Tests of newswatch.config: settings from the environment and validation of the YAML registries."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from newswatch.config import (
    CONFIG_DIR,
    DEFAULT_HOST_DELAY_S,
    EMAIL_RE,
    FEED_FORMATS,
    SOURCE_NAME_RE,
    TEMPLATES_DIR,
    ConfigError,
    YamlLines,
    load_recipients,
    load_recipients_config,
    load_settings,
    load_sources,
)

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SITE = FIXTURES / "site"

VALID_SOURCE = "  - name: harbour-news\n    feed_url: https://harbour.example/feed.xml\n"


def write_sources(tmp_path: Path, body: str, name: str = "sources.yaml") -> Path:
    """Write a sources file with a ``sources:`` list made of ``body`` and return its path."""
    path = tmp_path / name
    path.write_text("sources:\n" + body, encoding="utf-8")
    return path


# --- load_settings ---------------------------------------------------------------------------------


def test_load_settings_defaults_live_under_var_and_the_package_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no variables set, run-time state lives under ./var and the config files are the package's."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    var = tmp_path / "var"
    assert settings.var_dir == var
    assert settings.sources_file == CONFIG_DIR / "sources.yaml"
    assert settings.taxonomy_file == CONFIG_DIR / "taxonomy.yaml"
    assert settings.recipients_file == CONFIG_DIR / "recipients.yaml"
    for path in (settings.sources_file, settings.taxonomy_file, settings.recipients_file):
        assert path.is_file(), path
    assert settings.warehouse_url == f"sqlite:///{var / 'warehouse.db'}"
    assert settings.outbox_dir == var / "outbox"
    assert settings.raw_store_dir == var / "raw"
    assert settings.airflow_home == var / "airflow"
    assert settings.http_timeout_s > 0
    assert settings.user_agent.startswith("newswatch/")
    assert "@" in settings.user_agent, "the user agent must carry a contact address"


def test_load_settings_var_defaults_to_the_deployment_root(tmp_path: Path) -> None:
    """NEWSWATCH_ROOT (scripts/env.sh sets it to the checkout) holds var/ wherever the process runs."""
    settings = load_settings({"NEWSWATCH_ROOT": str(tmp_path / "checkout")})
    assert settings.var_dir == tmp_path / "checkout" / "var"
    assert settings.warehouse_url == f"sqlite:///{tmp_path / 'checkout' / 'var' / 'warehouse.db'}"


def test_default_config_and_templates_are_package_data() -> None:
    """The bundled config and templates come with the package (importlib.resources), not the source tree."""
    import importlib.resources

    package_data = Path(str(importlib.resources.files("newswatch.resources")))
    assert package_data / "config" == CONFIG_DIR
    assert package_data / "templates" == TEMPLATES_DIR
    assert {p.name for p in CONFIG_DIR.iterdir()} >= {
        "sources.yaml",
        "taxonomy.yaml",
        "recipients.yaml",
        "tagger_model.json",
    }
    assert {p.name for p in TEMPLATES_DIR.glob("*.j2")} == {"digest.html.j2", "digest.txt.j2", "monitor.html.j2"}


def test_load_settings_var_moves_every_derived_path(tmp_path: Path) -> None:
    """NEWSWATCH_VAR moves the default warehouse, outbox and raw store along with it."""
    var = tmp_path / "elsewhere"
    settings = load_settings({"NEWSWATCH_VAR": str(var)})
    assert settings.var_dir == var
    assert settings.warehouse_url == f"sqlite:///{var / 'warehouse.db'}"
    assert settings.outbox_dir == var / "outbox"
    assert settings.raw_store_dir == var / "raw"
    # The config files are not under var/, so they stay put.
    assert settings.sources_file == CONFIG_DIR / "sources.yaml"


def test_load_settings_explicit_overrides_win(tmp_path: Path) -> None:
    """NEWSWATCH_SOURCES, NEWSWATCH_WAREHOUSE_URL and NEWSWATCH_OUTBOX override the defaults."""
    env = {
        "NEWSWATCH_VAR": str(tmp_path / "var"),
        "NEWSWATCH_SOURCES": str(tmp_path / "my-sources.yaml"),
        "NEWSWATCH_WAREHOUSE_URL": "postgresql+psycopg://nw@db.example:5432/newswatch",
        "NEWSWATCH_OUTBOX": str(tmp_path / "mail"),
        "NEWSWATCH_CONTACT": "desk@harbour.example",
    }
    settings = load_settings(env)
    assert settings.sources_file == tmp_path / "my-sources.yaml"
    assert settings.warehouse_url == env["NEWSWATCH_WAREHOUSE_URL"]
    assert settings.outbox_dir == tmp_path / "mail"
    assert settings.raw_store_dir == tmp_path / "var" / "raw"
    assert "desk@harbour.example" in settings.user_agent


def test_load_settings_empty_values_fall_back_to_defaults(tmp_path: Path) -> None:
    """An empty variable (as docker-compose often leaves them) means 'use the default'."""
    settings = load_settings({"NEWSWATCH_VAR": str(tmp_path), "NEWSWATCH_OUTBOX": "", "NEWSWATCH_WAREHOUSE_URL": ""})
    assert settings.outbox_dir == tmp_path / "outbox"
    assert settings.warehouse_url == f"sqlite:///{tmp_path / 'warehouse.db'}"


def test_load_settings_reads_os_environ_and_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an explicit mapping the process environment is read, and ``~`` is expanded."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NEWSWATCH_VAR", "~/nw-var")
    monkeypatch.setenv("NEWSWATCH_OUTBOX", "~/nw-outbox")
    monkeypatch.delenv("NEWSWATCH_WAREHOUSE_URL", raising=False)
    settings = load_settings()
    assert settings.var_dir == tmp_path / "nw-var"
    assert settings.outbox_dir == tmp_path / "nw-outbox"
    assert settings.warehouse_url == f"sqlite:///{tmp_path / 'nw-var' / 'warehouse.db'}"


def test_load_settings_bad_timeout_names_the_variable() -> None:
    """A non-numeric NEWSWATCH_HTTP_TIMEOUT is a ConfigError that names the variable."""
    with pytest.raises(ConfigError, match="NEWSWATCH_HTTP_TIMEOUT"):
        load_settings({"NEWSWATCH_HTTP_TIMEOUT": "20s"})


# --- load_sources: the real files ------------------------------------------------------------------


def test_bundled_sources_are_valid() -> None:
    """The bundled sources.yaml (package data) loads with no environment and every entry is well-formed."""
    path = CONFIG_DIR / "sources.yaml"
    sources = load_sources(path, env={})
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    assert len(sources) == len(raw) > 0
    assert len({s.name for s in sources}) == len(sources)
    for source in sources:
        assert SOURCE_NAME_RE.match(source.name)
        assert urlsplit(source.feed_url).scheme == "https", source.name
        assert urlsplit(source.feed_url).hostname
        assert source.format in FEED_FORMATS
        assert source.language in {"en", "it"}
        assert 1 <= source.poll_interval_minutes <= 1440
        assert source.allow_private is False, "production sources must never reach private addresses"
        assert source.host_delay_seconds >= DEFAULT_HOST_DELAY_S, "publishers' servers get the 1 s pause"
        if not source.url_confirmed:
            assert "unconfirmed" in source.notes, f"{source.name}: say in notes that the URL is unconfirmed"
    assert [s.name for s in sources] == [entry["name"] for entry in raw], "file order is kept"


def test_bundled_sources_note_their_evidence() -> None:
    """Every bundled source has a comment just above it giving the public evidence for its URL."""
    lines = (CONFIG_DIR / "sources.yaml").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("  - name: ")]
    assert starts
    for start in starts:
        comment: list[str] = []
        for line in reversed(lines[:start]):
            if not line.strip().startswith("#"):
                break
            comment.insert(0, line)
        assert any("Evidence:" in line for line in comment), f"no evidence comment above {lines[start]!r}"


def test_fixture_sources_expand_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/fixtures/sources.yaml expands ${NEWSWATCH_FIXTURE_BASE} and points at real fixture feeds."""
    base = "http://127.0.0.1:45678"
    monkeypatch.setenv("NEWSWATCH_FIXTURE_BASE", base)
    sources = load_sources(FIXTURES / "sources.yaml")
    assert sources
    for source in sources:
        assert source.feed_url.startswith(base + "/feeds/"), source.feed_url
        assert "${" not in source.feed_url
        assert source.allow_private, "the fixture server is on 127.0.0.1"
        assert source.host_delay_seconds == 0, "our own server needs no pause: tests and demo stay fast"
        feed_file = SITE / urlsplit(source.feed_url).path.lstrip("/")
        # Every feed exists except the one that is there to produce a 404.
        assert feed_file.is_file() == (source.name != "missing"), source.name
    by_name = {s.name: s for s in sources}
    assert by_name["gnews"].aggregator is True
    assert by_name["ians"].aggregator is False
    assert by_name["pib"].wire is None


def test_fixture_sources_need_the_base_variable() -> None:
    """Without NEWSWATCH_FIXTURE_BASE the fixture registry fails and says which variable is missing."""
    with pytest.raises(ConfigError) as info:
        load_sources(FIXTURES / "sources.yaml", env={})
    message = str(info.value)
    assert "NEWSWATCH_FIXTURE_BASE" in message
    assert str(FIXTURES / "sources.yaml") in message
    assert "(ians)" in message, "the first source using the variable is named"


# --- load_sources: errors name the file, the entry and the problem ---------------------------------


def test_invalid_yaml_reports_file_and_line(tmp_path: Path) -> None:
    """A YAML syntax error becomes a ConfigError with ``file:line``."""
    text = (
        "# comment\n"
        "sources:\n"
        "  - name: harbour-news\n"
        "    feed_url: https://harbour.example/feed.xml\n"
        "\t- name: tabbed\n"
    )
    bad_line = text.splitlines().index("\t- name: tabbed") + 1
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    assert str(info.value).startswith(f"{path}:{bad_line}: invalid YAML")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    """A missing registry is reported as such, naming the path."""
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match=re.escape(f"{path}: file not found")):
        load_sources(path, env={})


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "sources: {name: x}\n"])
def test_wrong_top_level_shape(tmp_path: Path, text: str) -> None:
    """The file must be a mapping with a ``sources`` list."""
    path = tmp_path / "shape.yaml"
    path.write_text(text, encoding="utf-8")
    expected = re.escape(str(path)) + r"(:1)?: expected a mapping with a 'sources' list"
    with pytest.raises(ConfigError, match=expected):
        load_sources(path, env={})


def test_unknown_field_is_named(tmp_path: Path) -> None:
    """A misspelt field is rejected with the entry index and the field's name."""
    path = write_sources(
        tmp_path, VALID_SOURCE + "  - name: other\n    feed_url: https://o.example/f\n    pol_interval_minutes: 5\n"
    )
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    message = str(info.value)
    assert message.startswith(f"{path}:6: sources[1] (other): unknown field(s) pol_interval_minutes")
    assert "did you mean poll_interval_minutes?" in message


def test_duplicate_name_is_rejected(tmp_path: Path) -> None:
    """Two sources with one name are an error naming the second entry and the name."""
    path = write_sources(tmp_path, VALID_SOURCE + VALID_SOURCE.replace("feed.xml", "other.xml"))
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    message = str(info.value)
    assert message.startswith(f"{path}:4: sources[1] (harbour-news): duplicate source name 'harbour-news'")
    assert "first used by sources[0], line 2" in message


@pytest.mark.parametrize("name", ["Harbour News", "UPPER", "-leading-dash", "dots.not.allowed", "x" * 65])
def test_bad_source_name_is_rejected(tmp_path: Path, name: str) -> None:
    """Names must be short lower-case identifiers; the message quotes the bad name."""
    path = write_sources(tmp_path, f"  - name: '{name}'\n    feed_url: https://h.example/f.xml\n")
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    message = str(info.value)
    assert message.startswith(f"{path}:2: sources[0]")
    assert repr(name) in message


@pytest.mark.parametrize("url", ["ftp://harbour.example/feed.xml", "file:///etc/passwd", "harbour.example/feed"])
def test_non_http_feed_url_is_rejected(tmp_path: Path, url: str) -> None:
    """Only http and https feed URLs are accepted; the message names the source and the URL."""
    path = write_sources(tmp_path, f"  - name: harbour-news\n    feed_url: '{url}'\n")
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    message = str(info.value)
    assert message.startswith(f"{path}:3: sources[0] (harbour-news)")
    assert "http or https" in message
    assert url in message


def test_unset_env_reference_is_named(tmp_path: Path) -> None:
    """``${VAR}`` with VAR unset is an error naming the variable, the file and the source."""
    path = write_sources(tmp_path, "  - name: harbour-news\n    feed_url: ${HARBOUR_FEED_HOST}/feed.xml\n")
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={"SOMETHING_ELSE": "x"})
    message = str(info.value)
    assert message.startswith(f"{path}:3: sources[0] (harbour-news)")
    assert "HARBOUR_FEED_HOST" in message
    assert "not set" in message


def test_env_reference_is_expanded(tmp_path: Path) -> None:
    """``${VAR}`` is replaced by the variable's value, wherever it appears in the URL."""
    path = write_sources(tmp_path, "  - name: harbour-news\n    feed_url: https://${HOST}/f.xml?k=${KEY}\n")
    [source] = load_sources(path, env={"HOST": "feeds.harbour.example", "KEY": "abc"})
    assert source.feed_url == "https://feeds.harbour.example/f.xml?k=abc"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("    format: json\n", "format must be one of"),
        ("    poll_interval_minutes: 0\n", "poll_interval_minutes"),
        ("    poll_interval_minutes: 1441\n", "poll_interval_minutes"),
        ("    poll_interval_minutes: '30'\n", "poll_interval_minutes"),
    ],
)
def test_bad_field_values_are_rejected(tmp_path: Path, extra: str, fragment: str) -> None:
    """format and poll_interval_minutes are range/enum-checked with the source named."""
    path = write_sources(tmp_path, VALID_SOURCE + extra)
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    assert str(info.value).startswith(f"{path}:4: sources[0] (harbour-news)")
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("  - name: harbour-news\n", "missing required field 'feed_url'"),
        ("  - feed_url: https://h.example/f\n", "missing required field 'name'"),
        ("  - just-a-string\n", "must be a mapping"),
    ],
)
def test_malformed_entries_are_rejected(tmp_path: Path, entry: str, fragment: str) -> None:
    """Entries that are not mappings or lack required fields are reported by index."""
    path = write_sources(tmp_path, VALID_SOURCE + entry)
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    assert str(info.value).startswith(f"{path}:4: sources[1]")
    assert fragment in str(info.value)


def test_minimal_entry_gets_defaults(tmp_path: Path) -> None:
    """A source with only name and feed_url gets the documented defaults."""
    [source] = load_sources(write_sources(tmp_path, VALID_SOURCE), env={})
    assert source.name == "harbour-news"
    assert source.format == "auto"
    assert source.enabled is True
    assert source.allow_private is False
    assert source.aggregator is False
    assert source.host_delay_seconds == DEFAULT_HOST_DELAY_S == 1.0


def test_quoted_boolean_cannot_silently_enable_a_source(tmp_path: Path) -> None:
    """``enabled: 'false'`` must either be rejected or mean disabled, never truthy."""
    path = write_sources(tmp_path, VALID_SOURCE + "    enabled: 'false'\n")
    try:
        [source] = load_sources(path, env={})
    except ConfigError as exc:
        assert "enabled" in str(exc)
    else:
        assert source.enabled is False


@pytest.mark.parametrize(
    ("body", "place", "fragment"),
    [
        # The line is the offending key's, else the entry's; the entry is named by index and name.
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    langauge: it\n",
            "7: sources[1] (quay-news)",
            "unknown field(s) langauge (did you mean language?)",
        ),
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    enabled: 'no'\n",
            "7: sources[1] (quay-news)",
            "enabled must be true or false, got 'no'",
        ),
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    country: NO\n",
            "7: sources[1] (quay-news)",
            "country must be text, got False; put it in quotes",
        ),
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    title: 2024\n",
            "7: sources[1] (quay-news)",
            "title must be text, got 2024",
        ),
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    wire: [IANS]\n",
            "7: sources[1] (quay-news)",
            "wire must be text or null",
        ),
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    format: [rss]\n",
            "7: sources[1] (quay-news)",
            "format must be one of",
        ),
        (
            "  - name: quay-news\n    feed_url: https://q.example/f\n    poll_interval_minutes: true\n",
            "7: sources[1] (quay-news)",
            "poll_interval_minutes must be an integer from 1 to 1440, got True",
        ),
        (
            "  - name: quay-news\n\n    # a comment\n    feed_url: gopher://q.example/f\n",
            "8: sources[1] (quay-news)",
            "feed_url must be http or https",
        ),
        ("  - name: 2024\n    feed_url: https://q.example/f\n", "5: sources[1]", "source name must be text, got 2024"),
        ("  - title: Quay News\n    feed_url: https://q.example/f\n", "5: sources[1]", "missing required field 'name'"),
        ("  - name: quay-news\n    feed_url:\n", "6: sources[1] (quay-news)", "missing required field 'feed_url'"),
        (
            "  - name: quay-news\n    title: Quay News\n",
            "5: sources[1] (quay-news)",
            "missing required field 'feed_url'",
        ),
    ],
)
def test_every_sources_error_names_file_line_and_source(tmp_path: Path, body: str, place: str, fragment: str) -> None:
    """README: config errors say file:line, the entry and the source's name, then what is wrong."""
    # Line 1 is "sources:", 2 a comment, 3-4 a good source; the entry under test starts on line 5.
    path = write_sources(tmp_path, "  # my sources\n" + VALID_SOURCE.replace("harbour-news", "harbour") + body)
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    assert str(info.value).startswith(f"{path}:{place}: "), str(info.value)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0.0), ("2.5", 2.5), ("60", 60.0)],
)
def test_host_delay_seconds_is_the_pacing_setting(tmp_path: Path, value: str, expected: float) -> None:
    """host_delay_seconds: the pause between two requests to one host, 0 to 60 s, whatever allow_private says."""
    path = write_sources(tmp_path, VALID_SOURCE + f"    host_delay_seconds: {value}\n    allow_private: true\n")
    [source] = load_sources(path, env={})
    assert source.host_delay_seconds == expected
    assert isinstance(source.host_delay_seconds, float)
    [trusted] = load_sources(write_sources(tmp_path, VALID_SOURCE + "    allow_private: true\n", "t.yaml"), env={})
    assert trusted.host_delay_seconds == 1.0, "allow_private no longer removes the pause"


@pytest.mark.parametrize("value", ["-1", "61", "'1'", "true", "[1]", "fast"])
def test_bad_host_delay_is_rejected(tmp_path: Path, value: str) -> None:
    path = write_sources(tmp_path, VALID_SOURCE + f"    host_delay_seconds: {value}\n")
    with pytest.raises(ConfigError) as info:
        load_sources(path, env={})
    assert str(info.value).startswith(f"{path}:4: sources[0] (harbour-news): host_delay_seconds must be a number")


def test_top_level_shape_error_points_at_the_sources_key(tmp_path: Path) -> None:
    path = tmp_path / "shape.yaml"
    path.write_text("# comment\nsettings: {}\nsources:\n  name: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3: expected a mapping with a 'sources' list")):
        load_sources(path, env={})


def test_yaml_lines_fall_back_to_the_nearest_known_place() -> None:
    lines = YamlLines("a:\n  b:\n    - x\n    - y: 1\n      z: 2\n")
    assert lines.line() == 1
    assert lines.line("a", "b", 1, "z") == 5
    assert lines.line("a", "b", 1, "missing") == 4
    assert lines.line("nothing", "here") == 1
    assert YamlLines("").line("a") is None
    assert YamlLines("a: [unclosed").line("a") is None


def test_yaml_lines_survive_an_alias_bomb() -> None:
    """A document whose aliases expand to a huge tree is indexed up to a bound, quickly."""
    import time

    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghij":
        text += f"{level}: &{level} [" + ", ".join(["*" + chr(ord(level) - 1)] * 9) + "]\n"
    started = time.monotonic()
    lines = YamlLines(text)
    assert lines.line("j") == 10
    assert lines.line("j", 0, 0, 0, 0, 0, 0) is not None
    assert time.monotonic() - started < 5


# --- load_recipients -------------------------------------------------------------------------------


def test_bundled_recipients_match_the_file() -> None:
    """The bundled recipients.yaml gives one Recipient per member with its group's filters."""
    path = CONFIG_DIR / "recipients.yaml"
    recipients = load_recipients(path)
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
    expected = [
        (m if isinstance(m, str) else m["email"], group_name)
        for group_name, group in groups.items()
        for m in group["members"]
    ]
    assert [(r.email, r.group) for r in recipients] == expected
    for recipient in recipients:
        group = groups[recipient.group]
        assert EMAIL_RE.match(recipient.email)
        assert recipient.min_score == float(group.get("min_score", 0.0))
        assert recipient.topics == tuple(group.get("topics") or ())
        assert recipient.languages == tuple(group.get("languages") or ())
        assert recipient.near_misses is group.get("near_misses", False)
    named = [r for r in recipients if r.name]
    assert named, "the bundled file has at least one member given as a mapping with a name"


def _write_recipients(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipients.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.org", "a b@example.org", "<x@example.org>"])
def test_invalid_email_is_rejected(tmp_path: Path, email: str) -> None:
    """An invalid address is an error naming the file, the group and the address."""
    path = _write_recipients(tmp_path, f"groups:\n  desk:\n    members:\n      - ok@example.org\n      - '{email}'\n")
    with pytest.raises(ConfigError) as info:
        load_recipients(path)
    message = str(info.value)
    assert message.startswith(f"{path}:5: groups.desk.members[1]: invalid email address")
    assert repr(email) in message


def test_recipient_min_score_out_of_range(tmp_path: Path) -> None:
    """min_score must lie in [0, 1]."""
    path = _write_recipients(tmp_path, "groups:\n  desk:\n    min_score: 1.5\n    members: [a@example.org]\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3: groups.desk.min_score: must be between 0 and 1")):
        load_recipients(path)


@pytest.mark.parametrize("value", ["'true'", "1", "maybe", "[true]", "null"])
def test_recipient_near_misses_must_be_true_or_false(tmp_path: Path, value: str) -> None:
    """near_misses takes only true or false: a quoted 'true' or a number is refused, naming file and group."""
    path = _write_recipients(tmp_path, f"groups:\n  desk:\n    near_misses: {value}\n    members: [a@example.org]\n")
    with pytest.raises(ConfigError) as info:
        load_recipients_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}:3: groups.desk.near_misses: must be true or false, got ")


def test_recipient_near_misses_is_off_unless_asked(tmp_path: Path) -> None:
    """A group's near_misses flag reaches each of its members; other groups keep it off."""
    path = _write_recipients(
        tmp_path,
        "groups:\n  review:\n    near_misses: true\n    members: [r@example.org, s@example.org]\n"
        "  desk:\n    near_misses: false\n    members: [d@example.org]\n  plain:\n    members: [p@example.org]\n",
    )
    config = load_recipients_config(path)
    assert [(r.email, r.near_misses) for r in config.recipients] == [
        ("r@example.org", True),
        ("s@example.org", True),
        ("d@example.org", False),
        ("p@example.org", False),
    ]


def test_recipient_group_without_members_list(tmp_path: Path) -> None:
    """A group must have a ``members`` list."""
    path = _write_recipients(tmp_path, "groups:\n  desk:\n    members: a@example.org\n")
    with pytest.raises(ConfigError, match=re.escape("groups.desk: expected a mapping with a 'members' list")):
        load_recipients(path)


def test_recipient_null_member_is_a_config_error(tmp_path: Path) -> None:
    """An empty member entry is a ConfigError naming the group, not a crash."""
    path = _write_recipients(tmp_path, "groups:\n  desk:\n    members:\n      - ok@example.org\n      -\n")
    with pytest.raises(ConfigError, match=re.escape("groups.desk")):
        load_recipients(path)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("groups:\n  desk:\n    min_socre: 0.5\n    members: [a@example.org]\n", "unknown key(s) min_socre"),
        ("groups:\n  desk:\n    languages: [english]\n    members: [a@example.org]\n", "'english' is not a two"),
        ("groups:\n  desk:\n    languages: it\n    members: [a@example.org]\n", "desk.languages: expected a list"),
        ("groups:\n  desk:\n    topics: [navy]\n    members: [a@example.org]\n", "unknown topic(s) navy"),
        ("groups:\n  desk:\n    min_score: high\n    members: [a@example.org]\n", "expected a number between 0 and 1"),
        ("empty_day: maybe\ngroups:\n  desk:\n    members: [a@example.org]\n", "empty_day must be one of note, skip"),
        ("immediate: yes\ngroups:\n  desk:\n    members: [a@example.org]\n", "immediate: expected a mapping"),
        ("grups: {}\ngroups:\n  desk:\n    members: [a@example.org]\n", "unknown key(s) grups"),
        ("groups: {}\n", "no recipients"),
    ],
)
def test_recipients_file_mistakes_are_named(tmp_path: Path, text: str, fault: str) -> None:
    """Each mistake in the recipients file is a ConfigError that names the file and the fault."""
    path = _write_recipients(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_recipients_config(path, known_topics={"naval", "procurement"})
    assert str(info.value).startswith(str(path))
    assert fault in str(info.value)


def test_recipients_policy_and_languages(tmp_path: Path) -> None:
    """empty_day, the immediate alert threshold and a group's languages are read from the file."""
    path = _write_recipients(
        tmp_path,
        "empty_day: skip\nimmediate: {enabled: true, min_score: 0.9}\n"
        "groups:\n  rome:\n    languages: [IT]\n    members: [r@example.org]\n",
    )
    config = load_recipients_config(path)
    assert config.policy.send_empty is False
    assert config.policy.immediate_min_score == 0.9
    assert config.recipients[0].languages == ("it",)


def test_recipients_from_variable_text_replace_the_file(tmp_path: Path) -> None:
    """Text given in place of the file (the Airflow Variable) is parsed and validated the same way."""
    path = _write_recipients(tmp_path, "groups:\n  desk:\n    members: [file@example.org]\n")
    config = load_recipients_config(path, text="groups:\n  desk:\n    members: [variable@example.org]\n")
    assert [r.email for r in config.recipients] == ["variable@example.org"]
    with pytest.raises(ConfigError, match="variable newswatch_recipients"):
        load_recipients_config(path, text="groups: [unclosed\n")


def test_immediate_alerts_are_off_by_default() -> None:
    """The bundled file keeps immediate alerts off, and its topics exist in the bundled taxonomy."""
    from newswatch.tagging.lexicon import load_lexicon

    topics = load_lexicon(CONFIG_DIR / "taxonomy.yaml").topics
    config = load_recipients_config(CONFIG_DIR / "recipients.yaml", known_topics=topics)
    assert config.policy.immediate_min_score is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "groups:\n  desk:\n    members:\n      - ok@example.org\n      - {name: X}\n",
            ":5: groups.desk.members[1]: invalid email address ''",
        ),
        (
            "groups:\n  desk:\n    members: [a@example.org]\n    topics: [navy]\n",
            ":4: groups.desk.topics: unknown topic(s) navy",
        ),
        (
            "groups:\n  desk:\n    members: [a@example.org]\n    min_socre: 0.5\n",
            ":4: groups.desk: unknown key(s) min_socre",
        ),
        ("# recipients\nempty_day: maybe\ngroups:\n  desk:\n    members: [a@example.org]\n", ":2: empty_day must be"),
        (
            "groups:\n  desk:\n    members: [a@example.org]\nimmediate:\n  enabled: true\n  min_score: 2\n",
            ":6: immediate.min_score: must be between 0 and 1",
        ),
        (
            "groups:\n  desk:\n    members: [a@example.org]\nimmediate: {enabeld: true}\n",
            ":4: immediate: unknown key(s) enabeld",
        ),
        ("groups:\n  desk: {members: []}\n", ":1: no recipients"),
    ],
)
def test_recipients_errors_name_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    """The recipients file's errors say file:line and the place in the file (group, member, key)."""
    path = _write_recipients(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_recipients_config(path, known_topics={"naval"})
    assert str(info.value).startswith(str(path) + expected), str(info.value)


def test_recipients_variable_errors_name_the_line_too(tmp_path: Path) -> None:
    path = _write_recipients(tmp_path, "groups:\n  desk:\n    members: [file@example.org]\n")
    with pytest.raises(ConfigError) as info:
        load_recipients_config(path, text="groups:\n  desk:\n    min_score: 9\n    members: [v@example.org]\n")
    assert str(info.value).startswith("<variable newswatch_recipients>:3: groups.desk.min_score: must be between")
