"""The import graph of the project: imports flow one way and never in a circle.

Layers, top to bottom: scripts → ui and bench → search → index. A package may import its
own modules and the layers below it: scripts may import ui (to serve the page) and bench (the
measurement commands); ui imports search and index only; nothing but scripts imports ui or
bench. Every `import` counts, including those inside
functions: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "search", "bench", "ui", "scripts")
# What each package may import (itself included).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "index": frozenset({"index"}),
    "search": frozenset({"search", "index"}),
    "bench": frozenset({"bench", "search", "index"}),
    "ui": frozenset({"ui", "search", "index"}),
    "scripts": frozenset({"scripts", "ui", "bench", "search", "index"}),
}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name → file, for every .py file of the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterable[str]:
    """Every module name an `import` anywhere in `tree` may refer to (relative ones resolved).

    `from a.b import c` yields both "a.b.c" and "a.b": c may be a module or a name in a.b.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                anchor = here[: len(here) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module → the project modules it imports."""
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = imported_names(tree, module, path.name == "__init__.py")
        graph[module] = {n for n in names if n in modules and n != module}
    return graph


def unresolved_imports(modules: Mapping[str, Path]) -> list[tuple[str, str]]:
    """(importer, missing module) for project imports of modules that do not exist, e.g.
    a module left behind by a move; deferred imports would only fail when their code runs."""
    missing = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                wanted = [node.module]
            else:
                continue
            missing += [
                (module, name)
                for name in wanted
                if name.split(".")[0] in PACKAGES and name not in modules
            ]
    return sorted(missing)


def upward_imports(graph: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs that break the layer order."""
    return sorted(
        (a, b)
        for a, targets in graph.items()
        for b in targets
        if b.split(".")[0] not in MAY_IMPORT[a.split(".")[0]]
    )


def import_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return sorted(cycles)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(project_modules())


def test_the_graph_sees_deferred_and_relative_imports(graph):
    # scripts/cli.py imports the searcher inside a function; ui/app.py at module level
    assert "search.searcher" in graph["scripts.cli"]
    assert "ui.render" in graph["ui.app"]
    assert "index.structure.common" in graph["index.structure.cases"]


def test_every_project_import_resolves():
    assert unresolved_imports(project_modules()) == []


def test_no_upward_imports(graph):
    assert upward_imports(graph) == []


def test_no_import_cycles(graph):
    assert import_cycles(graph) == []


# ------------------------------------------------------------------ the checks themselves


def test_checks_find_an_upward_import_and_a_cycle():
    graph = {
        "index.a": {"search.b"},  # upward
        "search.b": {"search.c"},
        "search.c": {"search.b"},  # circle b → c → b
        "ui.page": {"index.a"},
        "bench.run": {"ui.page"},  # bench must not import ui
        "scripts.cli": {"ui.page", "bench.run"},
    }
    assert upward_imports(graph) == [("bench.run", "ui.page"), ("index.a", "search.b")]
    assert import_cycles(graph) == [["search.b", "search.c"]]
    assert import_cycles({"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}) == [
        ["a.x", "a.y", "a.z"]
    ]


def test_relative_imports_are_resolved():
    tree = ast.parse("from . import common\nfrom ..types import Unit\n")
    names = set(imported_names(tree, "index.structure.cases", is_package=False))
    assert {"index.structure.common", "index.types", "index.types.Unit"} <= names
    tree = ast.parse("from .cases import PARSERS\n")
    names = set(imported_names(tree, "index.structure", is_package=True))
    assert "index.structure.cases" in names
