"""Settings from environment variables and the YAML registries (sources, taxonomy, recipients).

Everything the pipeline reads from the outside world is validated here, so that a typo in a YAML file
fails early with the file, the entry and the field named, instead of deep inside a task.
"""

from __future__ import annotations

import difflib
import functools
import logging
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newswatch import resources

LOGGER = logging.getLogger(__name__)

# The default configuration and the templates are package data (newswatch/resources/).
CONFIG_DIR = resources.CONFIG_DIR
TEMPLATES_DIR = resources.TEMPLATES_DIR

SOURCE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
ENV_REF_RE = re.compile(r"\$\{([A-Z0-9_]+)\}")
FEED_FORMATS = frozenset({"rss", "atom", "auto"})
BOOLEAN_FIELDS = ("enabled", "aggregator", "allow_private", "url_confirmed")
TEXT_FIELDS = ("title", "language", "country", "notes")
DEFAULT_HOST_DELAY_S = 1.0  # the pause between two requests to one host (feed, robots.txt, pages)
MAX_HOST_DELAY_S = 60.0


class ConfigError(ValueError):
    """A configuration file or variable is invalid; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    """Where things live. Built from environment variables by :func:`load_settings`."""

    var_dir: Path
    sources_file: Path
    taxonomy_file: Path
    recipients_file: Path
    warehouse_url: str
    outbox_dir: Path
    raw_store_dir: Path
    user_agent: str
    mail_from: str
    http_timeout_s: float = 20.0
    max_response_bytes: int = 10 * 1024 * 1024
    max_items_per_feed: int = 500
    raw_retention_days: float = 30.0
    ops_email: str = "newswatch-ops@example.org"
    failure_alert_after: int = 5
    fetch_workers: int = 4
    per_host_concurrency: int = 2
    # Processes that extract, clean and tag a batch of pages; 0 means one per CPU core.
    process_workers: int = 0

    @property
    def airflow_home(self) -> Path:
        return self.var_dir / "airflow"


def _env_path(env: Mapping[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser() if value else default


def deployment_root(env: Mapping[str, str] | None = None) -> Path:
    """The folder the deployment runs from: ``NEWSWATCH_ROOT`` (``scripts/env.sh`` sets it to the checkout;
    ``airflow.cfg`` finds ``dags/`` and ``plugins/`` there), else the current directory. Run-time state
    goes to its ``var/`` unless ``NEWSWATCH_VAR`` says otherwise."""
    env = os.environ if env is None else env
    root = env.get("NEWSWATCH_ROOT")
    return Path(root).expanduser() if root else Path.cwd()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: ``os.environ``); every variable has an embedded default."""
    env = os.environ if env is None else env
    var_dir = _env_path(env, "NEWSWATCH_VAR", deployment_root(env) / "var")
    default_db = f"sqlite:///{var_dir / 'warehouse.db'}"
    contact = env.get("NEWSWATCH_CONTACT", "newswatch-ops@example.org")
    return Settings(
        var_dir=var_dir,
        sources_file=_env_path(env, "NEWSWATCH_SOURCES", CONFIG_DIR / "sources.yaml"),
        taxonomy_file=_env_path(env, "NEWSWATCH_TAXONOMY", CONFIG_DIR / "taxonomy.yaml"),
        recipients_file=_env_path(env, "NEWSWATCH_RECIPIENTS", CONFIG_DIR / "recipients.yaml"),
        warehouse_url=env.get("NEWSWATCH_WAREHOUSE_URL") or default_db,
        outbox_dir=_env_path(env, "NEWSWATCH_OUTBOX", var_dir / "outbox"),
        raw_store_dir=_env_path(env, "NEWSWATCH_RAW_STORE", var_dir / "raw"),
        user_agent=env.get("NEWSWATCH_USER_AGENT", f"newswatch/0.1 (+https://github.com/newswatch; {contact})"),
        mail_from=env.get("NEWSWATCH_MAIL_FROM", "newswatch@localhost"),
        http_timeout_s=_env_float(env, "NEWSWATCH_HTTP_TIMEOUT", 20.0),
        raw_retention_days=_env_float(env, "NEWSWATCH_RAW_RETENTION_DAYS", 30.0),
        ops_email=env.get("NEWSWATCH_OPS_EMAIL", "newswatch-ops@example.org"),
        failure_alert_after=int(_env_float(env, "NEWSWATCH_FAILURE_ALERT_AFTER", 5)),
        fetch_workers=int(_env_float(env, "NEWSWATCH_FETCH_WORKERS", 4)),
        per_host_concurrency=int(_env_float(env, "NEWSWATCH_PER_HOST_CONCURRENCY", 2)),
        process_workers=int(_env_float(env, "NEWSWATCH_PROCESS_WORKERS", 0)),
    )


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"environment variable {name} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise ConfigError(f"environment variable {name} must be positive, got {raw!r}")
    return value


@dataclass(frozen=True)
class Source:
    """One configured news source: a feed we poll, and how to read what it links to."""

    name: str
    feed_url: str
    title: str = ""
    format: str = "auto"
    language: str = "en"
    country: str = ""
    wire: str | None = None
    enabled: bool = True
    poll_interval_minutes: int = 30
    aggregator: bool = False
    allow_private: bool = False
    host_delay_seconds: float = DEFAULT_HOST_DELAY_S
    url_confirmed: bool = True
    notes: str = ""


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning a syntax error into a :class:`ConfigError` naming file and line."""
    return _parse_yaml_text(path, _read_text(path))


def _parse_yaml_text(path: Path, text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc


class YamlLines:
    """The line (1-based) where each part of a YAML document starts, for error messages.

    ``line("sources", 3, "feed_url")`` is the line of that key; for a path that is not in the document,
    the line of its longest prefix that is. The document is composed again only when a line is first
    asked for, i.e. when there is an error to report: a valid file costs nothing more to load.
    """

    MAX_NODES = 100_000  # aliases can make a small document a huge tree: stop indexing there

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: dict[tuple[str, ...], int] | None = None

    def line(self, *path: str | int) -> int | None:
        lines = self._index()
        key = tuple(str(part) for part in path)
        while key not in lines:
            if not key:
                return None
            key = key[:-1]
        return lines[key]

    def _index(self) -> dict[tuple[str, ...], int]:
        if self._lines is None:
            self._lines = {}
            try:
                root = yaml.compose(self._text, Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                root = None
            if root is not None:
                self._walk(root, self._lines)
        return self._lines

    @classmethod
    def _walk(cls, root: yaml.Node, lines: dict[tuple[str, ...], int]) -> None:
        lines[()] = root.start_mark.line + 1
        stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())]
        visited = 0
        while stack and visited < cls.MAX_NODES:
            node, path = stack.pop()
            visited += 1
            if isinstance(node, yaml.MappingNode):
                children = [(str(key.value), key, value) for key, value in node.value]
            elif isinstance(node, yaml.SequenceNode):
                children = [(str(index), item, item) for index, item in enumerate(node.value)]
            else:
                continue
            for part, mark_node, value in children:
                lines[(*path, part)] = mark_node.start_mark.line + 1  # a repeated key: the last one wins
                stack.append((value, (*path, part)))


def _place(name: str, lines: YamlLines | None, path: tuple[str | int, ...], label: str = "") -> str:
    """``file:line: label`` (``file: label`` when the line is unknown) for an error message."""
    line = lines.line(*path) if lines is not None else None
    head = f"{name}:{line}" if line is not None else name
    return f"{head}: {label}" if label else head


def expand_env_refs(value: str, env: Mapping[str, str]) -> str:
    """Replace ``${NAME}`` with the environment variable's value; an unset variable is an error."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise ConfigError(f"environment variable {name} is referenced but not set")
        return env[name]

    return ENV_REF_RE.sub(repl, value)


SOURCE_FIELDS = tuple(Source.__dataclass_fields__)


def _unknown_fields_message(unknown: list[str]) -> str:
    described = []
    for name in unknown:
        close = difflib.get_close_matches(name, SOURCE_FIELDS, n=1)
        described.append(f"{name} (did you mean {close[0]}?)" if close else name)
    return f"unknown field(s) {', '.join(described)}; the fields are {', '.join(SOURCE_FIELDS)}"


def _source_from_entry(entry: Any, index: int, path_name: str, lines: YamlLines, env: Mapping[str, str]) -> Source:
    """Validate entry ``index`` of the sources list; every error names file:line, the entry and its name."""
    label = f"sources[{index}]"
    if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"]:
        label += f" ({entry['name']})"

    def where(*field: str) -> str:
        return _place(path_name, lines, ("sources", index, *field), label)

    if not isinstance(entry, dict):
        raise ConfigError(f"{where()}: each source must be a mapping, got {type(entry).__name__}")
    unknown = sorted(str(key) for key in entry if key not in SOURCE_FIELDS)
    if unknown:
        raise ConfigError(f"{where(unknown[0])}: {_unknown_fields_message(unknown)}")
    for required in ("name", "feed_url"):
        if not entry.get(required):
            raise ConfigError(f"{where(required)}: missing required field '{required}'")
    name = entry["name"]
    if not isinstance(name, str):
        raise ConfigError(f"{where('name')}: source name must be text, got {name!r}; put it in quotes")
    if not SOURCE_NAME_RE.match(name):
        raise ConfigError(f"{where('name')}: source name {name!r} must be lower-case letters, digits, '-' or '_'")
    values = dict(entry)
    try:
        values["feed_url"] = expand_env_refs(str(entry["feed_url"]), env)
    except ConfigError as exc:
        raise ConfigError(f"{where('feed_url')}: {exc}") from exc
    if not values["feed_url"].startswith(("http://", "https://")):
        raise ConfigError(f"{where('feed_url')}: feed_url must be http or https, got {values['feed_url']!r}")
    for flag in BOOLEAN_FIELDS:
        if flag in values and not isinstance(values[flag], bool):
            raise ConfigError(f"{where(flag)}: {flag} must be true or false, got {values[flag]!r}")
    for text_field in TEXT_FIELDS:
        if text_field in values and not isinstance(values[text_field], str):
            # YAML reads NO, yes, off, 2024... as booleans and numbers: `country: NO` is not Norway.
            raise ConfigError(
                f"{where(text_field)}: {text_field} must be text, got {values[text_field]!r}; put it in quotes"
            )
    if values.get("wire") is not None and not isinstance(values["wire"], str):
        raise ConfigError(f"{where('wire')}: wire must be text or null, got {values['wire']!r}")
    fmt = values.get("format", "auto")
    if not isinstance(fmt, str) or fmt not in FEED_FORMATS:
        raise ConfigError(f"{where('format')}: format must be one of {sorted(FEED_FORMATS)}, got {fmt!r}")
    interval = values.get("poll_interval_minutes", 30)
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 24 * 60:
        raise ConfigError(
            f"{where('poll_interval_minutes')}: poll_interval_minutes must be an integer from 1 to 1440, "
            f"got {interval!r}"
        )
    delay = values.get("host_delay_seconds", DEFAULT_HOST_DELAY_S)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= MAX_HOST_DELAY_S:
        raise ConfigError(
            f"{where('host_delay_seconds')}: host_delay_seconds must be a number of seconds from 0 to "
            f"{MAX_HOST_DELAY_S:g}, got {delay!r}"
        )
    values["host_delay_seconds"] = float(delay)
    return Source(**values)


def load_sources(path: Path, env: Mapping[str, str] | None = None) -> list[Source]:
    """Load and validate the sources registry. Names must be unique.

    Parsed once per content: a registry of hundreds of sources is read by every poll and fetch task,
    and YAML parsing it each time would dominate an unchanged poll. The cache key is the file's text
    and the values of the environment variables it refers to, so an edit is seen at once.
    """
    env = os.environ if env is None else env
    text = _read_text(path)
    refs = tuple(sorted((name, env.get(name)) for name in set(ENV_REF_RE.findall(text))))
    return list(_parse_sources(str(path), text, refs))


@functools.lru_cache(maxsize=16)
def _parse_sources(path_name: str, text: str, refs: tuple[tuple[str, str | None], ...]) -> tuple[Source, ...]:
    path = Path(path_name)
    env = {name: value for name, value in refs if value is not None}
    data = _parse_yaml_text(path, text)
    lines = YamlLines(text)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{_place(path_name, lines, ('sources',))}: expected a mapping with a 'sources' list")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["sources"]):
        source = _source_from_entry(entry, index, path_name, lines, env)
        if source.name in seen:
            where = _place(path_name, lines, ("sources", index, "name"), f"sources[{index}] ({source.name})")
            first = lines.line("sources", seen[source.name])
            raise ConfigError(
                f"{where}: duplicate source name {source.name!r} (first used by sources[{seen[source.name]}]"
                + (f", line {first})" if first is not None else ")")
            )
        seen[source.name] = index
        sources.append(source)
    return tuple(sources)


@dataclass(frozen=True)
class Recipient:
    """One digest recipient and the filters applied to their copy."""

    email: str
    name: str = ""
    group: str = ""
    min_score: float = 0.0
    topics: tuple[str, ...] = field(default_factory=tuple)
    languages: tuple[str, ...] = field(default_factory=tuple)  # ISO 639-1; empty means every language
    near_misses: bool = False  # add the window's near misses ("Possibly relevant") to their copy


@dataclass(frozen=True)
class AlertPolicy:
    """What the recipients file says beyond who gets the digest."""

    empty_day: str = "note"  # "note": a short "nothing new" mail; "skip": no mail on a day with no story
    immediate_min_score: float | None = None  # mail a story at once when it scores this much; None: off

    @property
    def send_empty(self) -> bool:
        return self.empty_day == "note"


@dataclass(frozen=True)
class RecipientsConfig:
    recipients: tuple[Recipient, ...]
    policy: AlertPolicy


EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+$")
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
GROUP_KEYS = frozenset({"members", "min_score", "topics", "languages", "near_misses"})
TOP_KEYS = frozenset({"groups", "empty_day", "immediate"})
EMPTY_DAY_CHOICES = ("note", "skip")


def load_recipients(path: Path, known_topics: Collection[str] | None = None) -> list[Recipient]:
    """The recipients of the recipients file (see :func:`parse_recipients`)."""
    return list(load_recipients_config(path, known_topics).recipients)


VARIABLE_NAME = "<variable newswatch_recipients>"


def load_recipients_config(
    path: Path, known_topics: Collection[str] | None = None, text: str | None = None
) -> RecipientsConfig:
    """The recipients file, or ``text`` (e.g. an Airflow Variable's value) in its place."""
    where = str(path) if text is None else VARIABLE_NAME
    if text is None:
        text = _read_text(path)
    data = _parse_yaml_text(Path(where), text)
    return parse_recipients(data, where, known_topics, YamlLines(text))


def parse_recipients(
    data: Any, where: str, known_topics: Collection[str] | None = None, lines: YamlLines | None = None
) -> RecipientsConfig:
    """Validate the recipients mapping: groups of members, each group with optional filters.

    Every mistake names its place (``file:line: groups.NAME…``; the line when ``lines`` of the parsed
    text are given) so that whoever edits the file can fix it; unknown keys are errors too, since a
    misspelt ``min_socre`` would otherwise silently mail everything.
    """
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise ConfigError(f"{_place(where, lines, ('groups',))}: expected a mapping with a 'groups' mapping")
    _reject_unknown_keys(data, TOP_KEYS, where, lines, ())
    recipients: list[Recipient] = []
    for group_name, group in data["groups"].items():
        recipients.extend(_parse_group(str(group_name), group, where, lines, known_topics))
    if not recipients:
        raise ConfigError(f"{_place(where, lines, ('groups',))}: no recipients")
    return RecipientsConfig(tuple(recipients), _parse_policy(data, where, lines))


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _reject_unknown_keys(
    mapping: dict[str, Any], allowed: frozenset[str], where: str, lines: YamlLines | None, path: tuple[str, ...]
) -> None:
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        expected = ", ".join(sorted(allowed))
        place = _place(where, lines, (*path, unknown[0]), _dotted(path))
        raise ConfigError(f"{place}: unknown key(s) {', '.join(unknown)}; expected some of {expected}")


def _parse_group(
    name: str, group: Any, where: str, lines: YamlLines | None, known_topics: Collection[str] | None
) -> list[Recipient]:
    path = ("groups", name)

    def at(*key: str | int) -> str:
        return _place(where, lines, (*path, *key), _dotted((*path, *key)))

    if not isinstance(group, dict) or not isinstance(group.get("members"), list):
        raise ConfigError(f"{at()}: expected a mapping with a 'members' list")
    _reject_unknown_keys(group, GROUP_KEYS, where, lines, path)
    min_score = _score(group.get("min_score", 0.0), at("min_score"))
    topics = _string_list(group.get("topics"), at("topics"))
    if known_topics is not None:
        unknown = [t for t in topics if t not in known_topics]
        if unknown:
            raise ConfigError(f"{at('topics')}: unknown topic(s) {', '.join(unknown)}; see taxonomy.yaml")
    languages = tuple(lang.lower() for lang in _string_list(group.get("languages"), at("languages")))
    for lang in languages:
        if not LANGUAGE_RE.match(lang):
            raise ConfigError(f"{at('languages')}: {lang!r} is not a two-letter language code such as en or it")
    near_misses = group.get("near_misses", False)
    if not isinstance(near_misses, bool):  # a quoted "false" would otherwise be truthy and mail them
        raise ConfigError(f"{at('near_misses')}: must be true or false, got {near_misses!r}")
    recipients = []
    for index, member in enumerate(group["members"]):
        if not isinstance(member, str | dict):
            raise ConfigError(
                f"{at('members', index)}: each member must be an email or a mapping with 'email', got {member!r}"
            )
        email = member if isinstance(member, str) else member.get("email", "")
        member_name = "" if isinstance(member, str) else str(member.get("name", ""))
        if not EMAIL_RE.match(str(email)):
            raise ConfigError(f"{at('members', index)}: invalid email address {email!r}")
        recipients.append(Recipient(str(email), member_name, name, min_score, topics, languages, near_misses))
    return recipients


def _score(value: Any, where: str) -> float:
    try:
        score = float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: expected a number between 0 and 1, got {value!r}") from exc
    if not 0.0 <= score <= 1.0:
        raise ConfigError(f"{where}: must be between 0 and 1, got {score}")
    return score


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list, got {value!r}")
    return tuple(str(v) for v in value)


def _parse_policy(data: dict[str, Any], where: str, lines: YamlLines | None = None) -> AlertPolicy:
    empty_day = str(data.get("empty_day", "note"))
    if empty_day not in EMPTY_DAY_CHOICES:
        raise ConfigError(
            f"{_place(where, lines, ('empty_day',))}: empty_day must be one of {', '.join(EMPTY_DAY_CHOICES)}, "
            f"got {empty_day!r}"
        )
    immediate = data.get("immediate")
    threshold: float | None = None
    if immediate is not None:
        if not isinstance(immediate, dict):
            place = _place(where, lines, ("immediate",), "immediate")
            raise ConfigError(f"{place}: expected a mapping with 'enabled' and 'min_score'")
        _reject_unknown_keys(immediate, frozenset({"enabled", "min_score"}), where, lines, ("immediate",))
        if immediate.get("enabled", False) is True:
            place = _place(where, lines, ("immediate", "min_score"), "immediate.min_score")
            threshold = _score(immediate.get("min_score", 0.95), place)
    return AlertPolicy(empty_day=empty_day, immediate_min_score=threshold)
