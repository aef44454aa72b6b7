"""The module layering of docs/architecture.md, checked on the import statements of every module.

Data flows one way: ingest → content → grouping → tagging → warehouse → digest; the steps (transactions
over the warehouse that the DAGs call) sit above all of them, and the edges (orchestrator, CLI, Airflow
glue, News Monitor) above the steps. A module may import modules of its own layer or of a lower one,
never of a higher one; there is no import cycle; and only the Airflow layer knows Airflow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "include" / "newswatch"

# Lowest first. A module belongs to the layer of the longest prefix below that names it or its package.
LAYERS: dict[str, tuple[str, ...]] = {
    "base": (
        "newswatch",
        "newswatch.config",
        "newswatch.records",
        "newswatch.language",
        "newswatch.metrics",
        "newswatch.urls",
        "newswatch.resources",
    ),
    "ingest": (
        "newswatch.ingest",
        "newswatch.ingest.http",
        "newswatch.ingest.feeds",
        "newswatch.ingest.schedule",
        "newswatch.ingest.rawstore",
    ),
    "content": ("newswatch.extract_select", "newswatch.extract", "newswatch.clean", "newswatch.dates"),
    "grouping": ("newswatch.dedup",),
    "tagging": ("newswatch.tagging",),
    "events": ("newswatch.events",),
    "warehouse": ("newswatch.warehouse",),
    "digest": ("newswatch.alerts",),
    "steps": (
        "newswatch.ingest.poll",
        "newswatch.ingest.fetch",
        "newswatch.ingest.retention",
        "newswatch.workers",
        "newswatch.process",
        "newswatch.retag",
        "newswatch.alerts.send",
    ),
    "edges": (
        "newswatch.pipeline",
        "newswatch.cli",
        "newswatch.checkfeeds",
        "newswatch.sourcecheck",
        "newswatch.assets",
        "newswatch.airflow_support",
        "newswatch.callbacks",
        "newswatch.dag_defaults",
        "newswatch.cluster",
        "newswatch.monitor",
    ),
}
RANK = {layer: rank for rank, layer in enumerate(LAYERS)}
# The warehouse stores records: it is handed plain data and imports no stage library, although they
# sit below it; and the tagger reads text, not pages.
FORBIDDEN = {
    "newswatch.warehouse": (
        "newswatch.ingest",
        "newswatch.extract",
        "newswatch.clean",
        "newswatch.dedup",
        "newswatch.tagging",
        "newswatch.events",
    ),
    "newswatch.tagging": ("newswatch.extract",),
}
# Stage code knows nothing of Airflow; metrics only tries Airflow's StatsD client when it is there.
AIRFLOW_ALLOWED = (
    "newswatch.assets",
    "newswatch.airflow_support",
    "newswatch.callbacks",
    "newswatch.monitor",
    "newswatch.metrics",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.relative_to(PACKAGE).parts}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> str:
    """The layer of the longest prefix naming ``module`` ("" when none does)."""
    found = [(len(p), layer) for layer, prefixes in LAYERS.items() for p in prefixes if _within(module, p)]
    return max(found)[1] if found else ""


def _resolve(module: str, name: str) -> str:
    """``from module import name``: the submodule when ``name`` is one, else the module."""
    candidate = f"{module}.{name}"
    return candidate if candidate in MODULES else module


def imports(module: str, *, module_level_only: bool = False) -> Iterator[tuple[str, int]]:
    """``(imported module, line)`` for every import in ``module`` (all of them, or only those run at import
    time: not inside functions nor under ``if TYPE_CHECKING``)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    nodes: list[ast.AST] = list(ast.walk(tree))
    if module_level_only:
        nodes = []
        todo: list[ast.AST] = list(tree.body)
        while todo:
            node = todo.pop()
            nodes.append(node)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                todo.extend(node.orelse)
            elif isinstance(node, ast.If | ast.Try | ast.ExceptHandler | ast.With):
                todo.extend(ast.iter_child_nodes(node))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                yield _resolve(base, alias.name), node.lineno


def internal_imports(module: str, *, module_level_only: bool = False) -> Iterator[tuple[str, int]]:
    for target, line in imports(module, module_level_only=module_level_only):
        if target != module and _within(target, "newswatch"):
            yield target, line


def test_every_module_has_a_layer() -> None:
    """A new module is given its place in LAYERS (and a line in docs/architecture.md)."""
    assert [m for m in MODULES if not layer_of(m)] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_layer(module: str) -> None:
    mine = layer_of(module)
    for target, line in internal_imports(module):
        theirs = layer_of(target)
        assert RANK[theirs] <= RANK[mine], (
            f"{module} ({mine}) imports {target} ({theirs}) at line {line}: data flows the other way"
        )
        for owner, banned in FORBIDDEN.items():
            if _within(module, owner):
                assert not any(_within(target, b) for b in banned), f"{module} imports {target} at line {line}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_airflow_layer_imports_airflow(module: str) -> None:
    if any(_within(module, allowed) for allowed in AIRFLOW_ALLOWED):
        return
    for target, line in imports(module):
        assert not _within(target, "airflow"), f"{module} imports {target} at line {line}"


def test_no_import_cycle() -> None:
    """Among the imports run when a module is imported; a package importing its own submodule inside a
    function (the News Monitor's lazy app) is no cycle."""
    graph = {m: sorted({t for t, _ in internal_imports(m, module_level_only=True) if t in MODULES}) for m in MODULES}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in graph[module]:
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module)


def test_the_dags_call_steps_not_libraries() -> None:
    """DAG tasks call the steps (and the Airflow glue); the stage libraries are the steps' business."""
    dags = Path(__file__).resolve().parents[1] / "dags"
    for path in sorted(dags.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newswatch"):
                for alias in node.names:
                    target = _resolve(node.module or "", alias.name)
                    layer = layer_of(target)
                    assert layer in ("steps", "edges") or target in (
                        "newswatch.warehouse.session",
                        "newswatch.warehouse.migrate",
                    ), f"{path.name} imports {target} ({layer}) at line {node.lineno}"
