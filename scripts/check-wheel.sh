#!/usr/bin/env bash
# `make check-wheel` (CI runs it): the newswatch package installs from its own metadata and runs.
#
# Builds a wheel from a clean copy of the package sources (pyproject.toml, README.md, include/newswatch),
# installs it into a fresh venv with only the dependencies it declares, pinned to the lock
# (`pip install -c requirements.txt`), and checks, from a folder outside the checkout:
#   1. the wheel holds the templates, the default config and the migrations, and no test double or demo;
#   2. without Airflow installed: `newswatch --help`, `newswatch tag` on an India–Italy defence text
#      (relevant: true), `newswatch db upgrade` on a new SQLite warehouse, and the default settings
#      pointing into the installed package (config, templates) and ./var;
#   3. with the `airflow` extra added: the DAG files of dags/ import through a DagBag with no errors,
#      importing newswatch from the venv, and the News Monitor plugin and its FastAPI app load.
# Everything goes under var/check-wheel/ (CHECK_WHEEL_DIR), wiped at each start.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${CHECK_WHEEL_DIR:-$ROOT/var/check-wheel}"
PYTHON="${PYTHON:-python3}"
VENV="$WORK/venv"
started=$SECONDS

step() { printf '\n== check-wheel: %s\n' "$*"; }
# pip, minus this machine's warnings about index folders of its global pip configuration that do not exist.
pip_in_venv() {
  "$VENV/bin/pip" "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
}
# Test-only dependencies must not come with the package.
no_test_deps() {
  "$VENV/bin/python" - <<'PY'
import importlib.metadata as md

installed = {d.metadata["Name"].lower() for d in md.distributions()}
test_only = {"aiosmtpd", "pytest", "hypothesis", "selenium", "ruff", "mypy"} & installed
assert not test_only, f"test-only distributions installed: {sorted(test_only)}"
print(f"{len(installed)} distributions installed, none of them test-only")
PY
}
# The checks run from $WORK/run with none of the checkout's settings: no NEWSWATCH_* or AIRFLOW_*
# variables (scripts/env.sh exports some), the fresh venv first on PATH.
clean_env() {
  env $(env | sed -n 's/^\(\(NEWSWATCH\|AIRFLOW\)_[A-Za-z0-9_]*\)=.*/-u \1/p') \
    PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin" PYTHONPATH= PYTHONNOUSERSITE=1 "$@"
}

rm -rf "$WORK"
mkdir -p "$WORK/src/include" "$WORK/dist" "$WORK/run"

step "build a wheel from a clean copy of pyproject.toml, README.md and include/newswatch"
cp "$ROOT/pyproject.toml" "$ROOT/README.md" "$WORK/src/"
cp -r "$ROOT/include/newswatch" "$WORK/src/include/"
find "$WORK/src" -name __pycache__ -prune -exec rm -rf {} +
"$ROOT/.venv/bin/pip" wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$WORK/src"
WHEEL="$(ls "$WORK"/dist/newswatch-*.whl)"
echo "built $(basename "$WHEEL")"

step "the wheel's contents: package data in, test doubles and the demo out"
"$ROOT/.venv/bin/python" - "$WHEEL" <<'PY'
import sys
import zipfile

names = set(zipfile.ZipFile(sys.argv[1]).namelist())
needed = {f"newswatch/resources/config/{n}" for n in ("sources.yaml", "taxonomy.yaml", "recipients.yaml", "tagger_model.json", "event_names.yaml", "common_words.txt")}
needed |= {f"newswatch/resources/templates/{n}" for n in ("digest.html.j2", "digest.txt.j2", "monitor.html.j2")}
needed |= {"newswatch/warehouse/migrations/script.py.mako", "newswatch/warehouse/migrations/env.py"}
missing = sorted(needed - names)
unwanted = sorted(
    n for n in names
    if not n.startswith(("newswatch/", "newswatch-"))
    or n.rsplit("/", 1)[-1] in {"fixtureserver.py", "mailsink.py", "demo.py"}
)
assert not missing, f"missing from the wheel: {missing}"
assert not unwanted, f"should not be in the wheel: {unwanted}"
print(f"{len(names)} files; package data present; no test doubles, demo or tests")
PY

step "a fresh venv with the wheel and its declared dependencies only (pinned by requirements.txt)"
"$PYTHON" -m venv "$VENV"
pip_in_venv install --quiet --upgrade pip  # as `make install` does: the bundled pip may be old
pip_in_venv install --quiet -c "$ROOT/requirements.txt" "$WHEEL"
pip_in_venv check
no_test_deps

cd "$WORK/run"
step "without Airflow: newswatch --help"
clean_env python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('airflow') is not None)" \
  || { echo "Airflow is installed, but the core package must not need it"; exit 1; }
clean_env newswatch --help > help.txt
head -3 help.txt

step "without Airflow: newswatch tag on an India–Italy defence text"
SAMPLE='{"id": 1, "title": "India and Italy sign defence cooperation pact", "text": "Defence Minister Rajnath Singh and his Italian counterpart Guido Crosetto signed a memorandum of understanding on defence industrial cooperation in Rome on Tuesday. The agreement covers joint production of military equipment and training between the Indian and Italian armed forces."}'
echo "$SAMPLE" | clean_env newswatch tag > tag.json
clean_env python - <<'PY'
import json

verdict = json.loads(open("tag.json", encoding="utf-8").readline())
print(f"relevant {verdict['relevant']}, score {verdict['score']}, tags {verdict['tags']}")
assert verdict["relevant"] is True, verdict
PY

step "without Airflow: newswatch db upgrade on a new SQLite warehouse"
clean_env NEWSWATCH_WAREHOUSE_URL="sqlite:///$WORK/run/warehouse.db" newswatch db upgrade

step "without Airflow: default settings point into the installed package and ./var"
clean_env python - "$VENV" <<'PY'
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

import newswatch
from newswatch.config import TEMPLATES_DIR, load_settings
from newswatch.tagging.lexicon import DEFAULT_MODEL

venv = Path(sys.argv[1]).resolve()
package = Path(newswatch.__file__).resolve().parent
assert package.is_relative_to(venv), f"newswatch imported from {package}, not the venv"
settings = load_settings()
for path in (settings.sources_file, settings.taxonomy_file, settings.recipients_file, DEFAULT_MODEL, TEMPLATES_DIR):
    assert path.exists() and path.resolve().is_relative_to(package), path
assert settings.var_dir == Path.cwd() / "var", settings.var_dir
templates = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)))
for name in ("digest.html.j2", "digest.txt.j2", "monitor.html.j2"):
    templates.parse(templates.loader.get_source(templates, name)[0])  # found and well-formed
print(f"newswatch from {package}; config, model and templates there; var {settings.var_dir}")
PY

step "with the airflow extra: the DAGs of dags/ and the News Monitor plugin load from the installed package"
pip_in_venv install --quiet -c "$ROOT/requirements.txt" "$WHEEL[airflow]"
pip_in_venv check
no_test_deps
mkdir -p "$WORK/airflow"
clean_env AIRFLOW_HOME="$WORK/airflow" AIRFLOW__CORE__LOAD_EXAMPLES=False AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags" \
  python - "$VENV" "$ROOT" <<'PY'
import importlib.util
import sys
from pathlib import Path

from airflow.dag_processing.dagbag import DagBag

venv, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
bag = DagBag(dag_folder=str(root / "dags"))
assert not bag.import_errors, bag.import_errors
expected = {"newswatch_ingest", "newswatch_digest", "newswatch_alerts", "newswatch_maintenance"}
assert expected <= set(bag.dag_ids), sorted(bag.dag_ids)
import newswatch

assert Path(newswatch.__file__).resolve().is_relative_to(venv), newswatch.__file__
print(f"DagBag of {root / 'dags'}: {len(bag.dag_ids)} DAGs ({', '.join(sorted(bag.dag_ids))}), no import errors")

spec = importlib.util.spec_from_file_location("newswatch_monitor_plugin", root / "plugins" / "newswatch_monitor.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
apps = module.NewswatchMonitorPlugin.fastapi_apps
from newswatch.monitor import web  # FastAPI and pydantic come with the airflow extra

print(f"News Monitor plugin: {[a['url_prefix'] for a in apps]}; {web.__name__} imports")
PY

step "passed in $((SECONDS - started)) s"
