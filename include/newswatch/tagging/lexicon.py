"""Load and validate the taxonomy YAML into a :class:`Lexicon` of terms and their labels.

A label says what a term stands for: ``country:india``, ``third:France``, ``defence``, ``defence:weak``
(the bare word, void in a sport or court context), ``context:sport``, ``topic:naval``, ``org:Leonardo``,
``ambiguous-org:Leonardo`` (counts only beside another defence term), ``person:Guido Crosetto``,
``place:india`` (a place that implies a side: "Kochi", "La Spezia"), ``case`` (a defence matter that
reaches courts: "AgustaWestland", "marò") or ``exclude``. One term may carry several
labels ("Indo-Italian" names both countries; "Leonardo" is an organisation, Italy's side and defence).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newswatch.config import CONFIG_DIR, ConfigError
from newswatch.records import EntityInfo
from newswatch.tagging.model import TaggerModel, load_model

LOGGER = logging.getLogger(__name__)

LANGUAGES = ("en", "it")
SIDES = ("india", "italy")


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
    topics: tuple[str, ...] = ()
    entities: dict[str, EntityInfo] = field(default_factory=dict)  # name -> what it is
    model_file: TaggerModel | None = None  # the learned weights (tagger_model.json)
    taxonomy_sha256: str = ""  # of the taxonomy file's bytes, recorded in the models trained on it

    @property
    def model(self) -> TaggerModel:
        if self.model_file is None:
            raise ConfigError("no tagger model loaded: load the lexicon with its model file")
        return self.model_file

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
        self.country_names: set[str] = set()  # the countries' own names, inherited by longer terms

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

    def inherit_countries(self) -> None:
        """A longer term that contains a country's name names that country too: "Italian marines" is a
        defence-case term and Italy's side, since the longest match hides the "Italian" inside it."""
        for terms in self.terms.values():
            countries = {
                _key_words(term): {lb for lb in labels if lb.startswith(("country:", "third:"))}
                for term, labels in terms.items()
                if term in self.country_names
            }
            for term, labels in terms.items():
                if "exclude" in labels:
                    continue
                words = _key_words(term)
                if len(words) < 2:
                    continue
                for size in range(1, len(words)):
                    for start in range(len(words) - size + 1):
                        labels |= countries.get(words[start : start + size], set())


def _key_words(term: str) -> tuple[str, ...]:
    return tuple(term.lower().replace("'", " ").split())


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


DEFAULT_MODEL = CONFIG_DIR / "tagger_model.json"
MODEL_FILE_NAME = "tagger_model.json"


def model_path_for(taxonomy: Path) -> Path:
    """The model beside the taxonomy when there is one, else the bundled model."""
    beside = taxonomy.with_name(MODEL_FILE_NAME)
    return beside if beside.exists() else DEFAULT_MODEL


def taxonomy_hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_lexicon(path: Path, model_path: Path | None = None, with_model: bool = True) -> Lexicon:
    """Read the taxonomy file and its model; raise :class:`ConfigError` naming the file, line and entry
    on error. ``model_path`` defaults to :func:`model_path_for`; ``with_model=False`` reads the taxonomy
    alone (to train a first model)."""
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
    builder.country_names = {term for lang_terms in builder.terms.values() for term in lang_terms}
    for side, block in (data.get("places") or {}).items():
        if side not in SIDES:
            raise ConfigError(f"{_line_of(path, 'places:')}: places: unknown side {side!r} (india or italy)")
        builder.add_by_language(block, f"place:{side}", f"places.{side}")
    builder.add_by_language(data.get("pairs") or [], "pair", "pairs")
    builder.add_by_language(data["defence"], "defence", "defence")
    cases = data.get("defence_cases") or []
    builder.add_by_language(cases, "defence", "defence_cases")
    builder.add_by_language(cases, "case", "defence_cases")
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
    builder.inherit_countries()
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
        raise ConfigError(
            f"{_line_of(path, 'near_miss:')}: thresholds.near_miss must be between 0 and thresholds.relevant"
        )
    model = load_model(model_path or model_path_for(path)) if with_model else None
    digest = taxonomy_hash(path)
    trained_on = model.training.get("taxonomy_sha256") if model else None
    if trained_on and trained_on != digest:
        LOGGER.warning(
            "%s was edited after the tagger model was trained (model %s): the weights still apply to the "
            "new terms; run `newswatch train-tagger` to refit and see the figures",
            path,
            model.version if model else "",
        )
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
        model_file=model,
        taxonomy_sha256=digest,
    )
