"""Load and validate the taxonomy YAML into a :class:`Lexicon` of terms and their labels.

A label says what a term stands for: ``country:india``, ``third:France``, ``defence``, ``defence:weak``
(the bare word, void in a sport or court context), ``context:sport``, ``topic:naval``, ``org:Leonardo``,
``ambiguous-org:Leonardo`` (counts only beside another defence term), ``person:Guido Crosetto`` or
``exclude``. One term may carry several
labels ("Indo-Italian" names both countries; "Leonardo" is an organisation, Italy's side and defence).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newswatch.config import ConfigError

LOGGER = logging.getLogger(__name__)

LANGUAGES = ("en", "it")
SIDES = ("india", "italy")


@dataclass(frozen=True)
class EntityInfo:
    """What the taxonomy says of a named organisation or person."""

    name: str
    kind: str  # organisation, person
    country: str  # india, italy
    description: str = ""


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Terms per language, each mapped to its labels, plus the decision thresholds.

    Compared and hashed by identity, so compiled matchers can be cached per loaded lexicon.
    """

    terms: dict[str, dict[str, frozenset[str]]]  # language -> term -> labels
    relevant_threshold: float = 0.5
    # Stories scoring at least this but under ``relevant_threshold`` are near misses: shown to analysts
    # for review in the News Monitor and, where a recipient group asks, in the digest.
    near_miss_threshold: float = 0.2
    multilateral_countries: int = 4
    calibration: tuple[float, float] = (1.0, 0.0)  # score = sigmoid(slope * weight + intercept)
    topics: tuple[str, ...] = ()
    entities: dict[str, EntityInfo] = field(default_factory=dict)  # name -> what it is

    @property
    def roles(self) -> dict[str, str]:
        """Each known person's role (office), from the taxonomy's people."""
        return {name: e.description for name, e in self.entities.items() if e.kind == "person"}

    def for_language(self, language: str) -> dict[str, frozenset[str]]:
        return self.terms.get(language, self.terms["en"])


class _Builder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.terms: dict[str, dict[str, set[str]]] = {lang: defaultdict(set) for lang in LANGUAGES}

    def add(self, terms: Any, label: str, where: str, languages: tuple[str, ...] = LANGUAGES) -> None:
        if not isinstance(terms, list) or not all(isinstance(t, str | int | float) for t in terms):
            raise ConfigError(f"{self.path}: {where}: expected a list of terms")
        for term in terms:
            text = " ".join(str(term).split())
            if not text:
                raise ConfigError(f"{self.path}: {where}: empty term")
            for lang in languages:
                self.terms[lang][text].add(label)

    def add_by_language(self, block: Any, label: str, where: str) -> None:
        if isinstance(block, list):
            self.add(block, label, where)
            return
        if not isinstance(block, dict):
            raise ConfigError(f"{self.path}: {where}: expected a list or a mapping of en/it/any lists")
        unknown = set(block) - {"any", "label", *LANGUAGES}
        if unknown:
            raise ConfigError(f"{self.path}: {where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key, terms in block.items():
            if key == "label":
                continue
            languages = LANGUAGES if key == "any" else (key,)
            self.add(terms, label, f"{where}.{key}", languages)


def _line_of(path: Path, needle: str) -> str:
    """``path:line`` of the first non-comment line containing ``needle``, to point editors at the culprit."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if needle in code:
                return f"{path}:{number}"
    except OSError:
        pass
    return str(path)


def load_lexicon(path: Path) -> Lexicon:
    """Read the taxonomy file; raise :class:`ConfigError` naming the file, line and entry on error."""
    from newswatch.config import read_yaml

    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    for required in ("countries", "defence", "topics"):
        if required not in data:
            raise ConfigError(f"{path}: missing section '{required}'")
    builder = _Builder(path)
    countries = data["countries"]
    for side in SIDES:
        if side not in countries:
            raise ConfigError(f"{_line_of(path, 'countries:')}: countries must define '{side}'")
        builder.add_by_language(countries[side], f"country:{side}", f"countries.{side}")
    for name, terms in (data.get("third_countries") or {}).items():
        builder.add(terms, f"third:{name}", f"third_countries.{name}")
    builder.add_by_language(data["defence"], "defence", "defence")
    builder.add_by_language(data.get("defence_weak") or [], "defence:weak", "defence_weak")
    for context, block in (data.get("contexts") or {}).items():
        builder.add_by_language(block, f"context:{context}", f"contexts.{context}")
    for kind in ("organisations", "people"):
        for index, entry in enumerate(data.get(kind) or []):
            where = f"{kind}[{index}]"
            if not isinstance(entry, dict) or "name" not in entry:
                raise ConfigError(f"{path}: {where}: expected a mapping with a 'name'")
            side = str(entry.get("country"))
            if side not in SIDES:
                raise ConfigError(
                    f"{_line_of(path, 'name: ' + str(entry['name']))}: {where} ({entry['name']}): "
                    f"country must be one of {', '.join(SIDES)}, got {entry.get('country')!r}"
                )
            label = "org" if kind == "organisations" else "person"
            aliases = entry.get("aliases") or [entry["name"]]
            builder.add(aliases, f"{label}:{entry['name']}", where)
            builder.add(aliases, f"country:{side}", where)
            if entry.get("defence", kind == "people"):
                builder.add(aliases, "defence", where)
            for topic in entry.get("topics") or []:
                builder.add(aliases, f"topic:{topic}", f"{where}.topics")
            ambiguous = entry.get("ambiguous") or []
            builder.add(ambiguous, f"ambiguous-{label}:{entry['name']}", f"{where}.ambiguous")
            builder.add(ambiguous, f"ambiguous-country:{side}", f"{where}.ambiguous")
    builder.add_by_language(data.get("exclusions") or [], "exclude", "exclusions")
    topics = data["topics"]
    if not isinstance(topics, dict) or not topics:
        raise ConfigError(f"{path}: topics must be a non-empty mapping")
    for topic, block in topics.items():
        builder.add_by_language(block, f"topic:{topic}", f"topics.{topic}")
    thresholds = data.get("thresholds") or {}
    relevant = float(thresholds.get("relevant", 0.5))
    if not 0.0 < relevant < 1.0:
        raise ConfigError(f"{_line_of(path, 'relevant:')}: thresholds.relevant must be between 0 and 1")
    near_miss = float(thresholds.get("near_miss", 0.2))
    if not 0.0 < near_miss < relevant:
        raise ConfigError(f"{_line_of(path, 'near_miss:')}: thresholds.near_miss must be between 0 and thresholds.relevant")
    calibration = thresholds.get("calibration") or {}
    try:
        slope, intercept = float(calibration.get("slope", 1.0)), float(calibration.get("intercept", 0.0))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{_line_of(path, 'calibration:')}: calibration needs numeric slope and intercept") from exc
    if slope <= 0:
        raise ConfigError(f"{_line_of(path, 'slope:')}: calibration slope must be positive")
    entities = {
        str(e["name"]): EntityInfo(
            str(e["name"]),
            "organisation" if kind == "organisations" else "person",
            str(e["country"]),
            str(e.get("role", "")),
        )
        for kind in ("organisations", "people")
        for e in data.get(kind) or []
    }
    return Lexicon(
        terms={lang: {t: frozenset(labels) for t, labels in terms.items()} for lang, terms in builder.terms.items()},
        relevant_threshold=relevant,
        near_miss_threshold=near_miss,
        multilateral_countries=int(thresholds.get("multilateral_countries", 4)),
        topics=tuple(str(t) for t in topics),
        entities=entities,
        calibration=(slope, intercept),
    )
