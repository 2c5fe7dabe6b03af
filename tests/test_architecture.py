"""The layering of jaxvac's modules (docs/architecture.md), read from the source with ``ast``.

Every ``import`` statement counts, function-local ones included (they hide a dependency
from the reader, not from this test); imports under ``if TYPE_CHECKING:`` do not run and
are not counted. No module is imported, so this test needs no JAX.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "jaxvac"

#: The bottom layer: vocabulary, errors and models import nothing above them.
LEAVES = {
    "jaxvac._errors": set(),
    "jaxvac._solution": set(),
}
#: What the model layer may import (the pure geometry and float64 tools below it).
MODEL_LAYER = {
    "jaxvac._model": {
        "jaxvac._config",
        "jaxvac._errors",
        "jaxvac._geometry",
        "jaxvac._linalg",
        "jaxvac._range",
        "jaxvac._rounding",
        "jaxvac._interpret",
        "jaxvac._lazy",
        "jaxvac._cache",
    },
}
#: Solver modules: they compute, and never read files, print, parse the command line,
#: write reports or run scans.
SOLVERS = (
    "jaxvac._geometry",
    "jaxvac._model",
    "jaxvac._slice",
    "jaxvac._potential",
    "jaxvac._analysis",
    "jaxvac._point",
    "jaxvac._region",
    "jaxvac._search",
    "jaxvac._implicit",
    "jaxvac._continuation",
    "jaxvac._linalg",
    "jaxvac._range",
    "jaxvac._rounding",
    "jaxvac._solution",
    "jaxvac._errors",
    "jaxvac._classify",
    "jaxvac._parallel",
)
FORBIDDEN_FOR_SOLVERS = (
    "jaxvac._io",
    "jaxvac._cli",
    "jaxvac._report",
    "jaxvac.scan",
    "jaxvac._display",
    "jaxvac.export",
    "jaxvac.cli",
    "jaxvac._find",
    "jaxvac._precision",
)


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: pathlib.Path, modules: set[str]) -> set[str]:
    """The jaxvac modules ``path`` imports (resolved to module names in ``modules``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                root = ".".join(base + ([node.module] if node.module else []))
            else:
                root = node.module or ""
            targets = [root] + [f"{root}.{a.name}" for a in node.names]
        for t in targets:
            # the longest prefix that is a jaxvac module
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t.startswith("jaxvac") and t != name:
                found.add(t)
    return found


def _graph() -> dict[str, set[str]]:
    paths = [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]
    modules = {_module_name(p) for p in paths}
    graph = {_module_name(p): _imports(p, modules) for p in paths}
    # importing a module of a package runs the package's __init__: not an edge of the
    # module's own, so a package's __init__ re-exporting its modules is no cycle
    return {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}


def _cycles(graph: dict[str, set[str]], within) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), among ``within``."""
    nodes = [m for m in graph if within(m)]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if not within(w) or w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in nodes:
        if v not in index:
            visit(v)
    return out


GRAPH = _graph()


def test_the_graph_is_read():
    # a few edges every reader of the code can check by eye
    assert "jaxvac._analysis" in GRAPH["jaxvac._search"]
    assert "jaxvac._model" in GRAPH["jaxvac._search"]
    assert "jaxvac._errors" in GRAPH["jaxvac._io"]
    assert "jaxvac._search" in GRAPH["jaxvac._find"]
    assert len(GRAPH) > 40


def test_no_import_cycles_anywhere():
    """No cycles in the whole package, the scan engine and the reproductions included
    (function-local imports count: they are read from the syntax tree too)."""
    assert _cycles(GRAPH, lambda m: True) == []


def test_a_cycle_is_found():
    # the detector itself: a function-local import back up would be reported
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph, lambda m: True)


@pytest.mark.parametrize("module,allowed", sorted({**LEAVES, **MODEL_LAYER}.items()))
def test_bottom_layers_import_nothing_above_them(module, allowed):
    assert GRAPH[module] <= allowed, GRAPH[module] - allowed


@pytest.mark.parametrize("module", SOLVERS)
def test_solvers_do_not_import_the_edges(module):
    bad = {
        d
        for d in GRAPH[module]
        if any(d == f or d.startswith(f + ".") for f in FORBIDDEN_FOR_SOLVERS)
    }
    assert not bad, f"{module} imports {sorted(bad)}"


def test_errors_and_vocabulary_load_without_jax():
    """``_errors`` and ``_solution`` import no third-party package at module level, so the
    command line can name them before JAX is loaded."""
    for name in ("_errors", "_solution"):
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        modules = {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
        modules |= {n.module for n in top if isinstance(n, ast.ImportFrom) and not n.level}
        assert modules <= {"__future__", "enum"}, (name, modules)


def test_public_api_is_deliberate():
    """``__all__`` lists only names jaxvac exports on purpose; internals stay reachable
    as attributes for earlier code but are not in it."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                values[target.id] = ast.literal_eval(node.value)
    public = set(values["__all__"])
    assert len(public) == len(values["__all__"])
    assert public <= set(values["_EXPORTS"]) | set(values["_SUBPACKAGES"])
    assert not public & set(values["_INTERNAL"])
    assert {"ensure_x64", "canonical", "wirtinger", "point_record", "EPS"} <= set(
        values["_INTERNAL"]
    )
    assert "run_scan" in public
