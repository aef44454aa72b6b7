"""Settings from environment variables and the YAML registries (sources, taxonomy, recipients).

Everything the pipeline reads from the outside world is validated here, so that a typo in a YAML file
fails early with the file, the entry and the field named, instead of deep inside a task.
"""

from __future__ import annotations

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
    url_confirmed: bool = True
    notes: str = ""


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning a syntax error into a :class:`ConfigError` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    return _parse_yaml_text(path, text)


def _parse_yaml_text(path: Path, text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc


def expand_env_refs(value: str, env: Mapping[str, str]) -> str:
    """Replace ``${NAME}`` with the environment variable's value; an unset variable is an error."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise ConfigError(f"environment variable {name} is referenced but not set")
        return env[name]

    return ENV_REF_RE.sub(repl, value)


def _source_from_entry(entry: Any, where: str, env: Mapping[str, str]) -> Source:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: each source must be a mapping, got {type(entry).__name__}")
    known = set(Source.__dataclass_fields__)
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for required in ("name", "feed_url"):
        if not entry.get(required):
            raise ConfigError(f"{where}: missing required field '{required}'")
    name = str(entry["name"])
    if not SOURCE_NAME_RE.match(name):
        raise ConfigError(f"{where}: source name {name!r} must be lower-case letters, digits, '-' or '_'")
    values = dict(entry)
    try:
        values["feed_url"] = expand_env_refs(str(entry["feed_url"]), env)
    except ConfigError as exc:
        raise ConfigError(f"{where} ({name}): {exc}") from exc
    if not values["feed_url"].startswith(("http://", "https://")):
        raise ConfigError(f"{where} ({name}): feed_url must be http or https, got {values['feed_url']!r}")
    for flag in BOOLEAN_FIELDS:
        if flag in values and not isinstance(values[flag], bool):
            raise ConfigError(f"{where} ({name}): {flag} must be true or false, got {values[flag]!r}")
    fmt = str(values.get("format", "auto"))
    if fmt not in FEED_FORMATS:
        raise ConfigError(f"{where} ({name}): format must be one of {sorted(FEED_FORMATS)}, got {fmt!r}")
    interval = values.get("poll_interval_minutes", 30)
    if not isinstance(interval, int) or not 1 <= interval <= 24 * 60:
        raise ConfigError(f"{where} ({name}): poll_interval_minutes must be an integer from 1 to 1440")
    return Source(**values)


def load_sources(path: Path, env: Mapping[str, str] | None = None) -> list[Source]:
    """Load and validate the sources registry. Names must be unique.

    Parsed once per content: a registry of hundreds of sources is read by every poll and fetch task,
    and YAML parsing it each time would dominate an unchanged poll. The cache key is the file's text
    and the values of the environment variables it refers to, so an edit is seen at once.
    """
    env = os.environ if env is None else env
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    refs = tuple(sorted((name, env.get(name)) for name in set(ENV_REF_RE.findall(text))))
    return list(_parse_sources(str(path), text, refs))


@functools.lru_cache(maxsize=16)
def _parse_sources(path_name: str, text: str, refs: tuple[tuple[str, str | None], ...]) -> tuple[Source, ...]:
    path = Path(path_name)
    env = {name: value for name, value in refs if value is not None}
    data = _parse_yaml_text(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'sources' list")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["sources"]):
        where = f"{path}: sources[{index}]"
        source = _source_from_entry(entry, where, env)
        if source.name in seen:
            raise ConfigError(f"{where}: duplicate source name {source.name!r}")
        seen.add(source.name)
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
    return list(parse_recipients(read_yaml(path), str(path), known_topics).recipients)


def load_recipients_config(
    path: Path, known_topics: Collection[str] | None = None, text: str | None = None
) -> RecipientsConfig:
    """The recipients file, or ``text`` (e.g. an Airflow Variable's value) in its place."""
    data = read_yaml(path) if text is None else _parse_yaml_text(Path("<variable newswatch_recipients>"), text)
    where = str(path) if text is None else "<variable newswatch_recipients>"
    return parse_recipients(data, where, known_topics)


def parse_recipients(data: Any, where: str, known_topics: Collection[str] | None = None) -> RecipientsConfig:
    """Validate the recipients mapping: groups of members, each group with optional filters.

    Every mistake names its place (``file: groups.NAME``) so that whoever edits the file can fix it;
    unknown keys are errors too, since a misspelt ``min_socre`` would otherwise silently mail everything.
    """
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise ConfigError(f"{where}: expected a mapping with a 'groups' mapping")
    _reject_unknown_keys(data, TOP_KEYS, where)
    recipients: list[Recipient] = []
    for group_name, group in data["groups"].items():
        recipients.extend(_parse_group(str(group_name), group, f"{where}: groups.{group_name}", known_topics))
    if not recipients:
        raise ConfigError(f"{where}: no recipients")
    return RecipientsConfig(tuple(recipients), _parse_policy(data, where))


def _reject_unknown_keys(mapping: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        expected = ", ".join(sorted(allowed))
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; expected some of {expected}")


def _parse_group(name: str, group: Any, where: str, known_topics: Collection[str] | None) -> list[Recipient]:
    if not isinstance(group, dict) or not isinstance(group.get("members"), list):
        raise ConfigError(f"{where}: expected a mapping with a 'members' list")
    _reject_unknown_keys(group, GROUP_KEYS, where)
    min_score = _score(group.get("min_score", 0.0), f"{where}.min_score")
    topics = _string_list(group.get("topics"), f"{where}.topics")
    if known_topics is not None:
        unknown = [t for t in topics if t not in known_topics]
        if unknown:
            raise ConfigError(f"{where}.topics: unknown topic(s) {', '.join(unknown)}; see taxonomy.yaml")
    languages = tuple(lang.lower() for lang in _string_list(group.get("languages"), f"{where}.languages"))
    for lang in languages:
        if not LANGUAGE_RE.match(lang):
            raise ConfigError(f"{where}.languages: {lang!r} is not a two-letter language code such as en or it")
    near_misses = group.get("near_misses", False)
    if not isinstance(near_misses, bool):  # a quoted "false" would otherwise be truthy and mail them
        raise ConfigError(f"{where}.near_misses: must be true or false, got {near_misses!r}")
    recipients = []
    for member in group["members"]:
        if not isinstance(member, str | dict):
            raise ConfigError(f"{where}: each member must be an email or a mapping with 'email', got {member!r}")
        email = member if isinstance(member, str) else member.get("email", "")
        member_name = "" if isinstance(member, str) else str(member.get("name", ""))
        if not EMAIL_RE.match(str(email)):
            raise ConfigError(f"{where}: invalid email address {email!r}")
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


def _parse_policy(data: dict[str, Any], where: str) -> AlertPolicy:
    empty_day = str(data.get("empty_day", "note"))
    if empty_day not in EMPTY_DAY_CHOICES:
        raise ConfigError(f"{where}: empty_day must be one of {', '.join(EMPTY_DAY_CHOICES)}, got {empty_day!r}")
    immediate = data.get("immediate")
    threshold: float | None = None
    if immediate is not None:
        if not isinstance(immediate, dict):
            raise ConfigError(f"{where}: immediate: expected a mapping with 'enabled' and 'min_score'")
        _reject_unknown_keys(immediate, frozenset({"enabled", "min_score"}), f"{where}: immediate")
        if immediate.get("enabled", False) is True:
            threshold = _score(immediate.get("min_score", 0.95), f"{where}: immediate.min_score")
    return AlertPolicy(empty_day=empty_day, immediate_min_score=threshold)
