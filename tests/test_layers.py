"""Imports flow one way: ui, scripts → bench → search → index (PLAN.md, Layout).

Walks every module's imports with `ast` (inside functions too) and fails on an import of a
package above the importer's own.
"""

from __future__ import annotations

import ast

import pytest

from index.config import REPO_ROOT

# Each package may import the packages listed after it, never those before it.
LAYERS = ("ui", "scripts", "bench", "search", "index")
ALLOWED = {
    "index": {"index"},
    "search": {"search", "index"},
    "bench": {"bench", "search", "index"},
    "scripts": {"scripts", "bench", "search", "index", "ui"},
    "ui": {"ui", "search", "index"},
}


def _imported_packages(path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


@pytest.mark.parametrize("package", LAYERS)
def test_no_upward_imports(package):
    wrong = {
        str(path.relative_to(REPO_ROOT)): sorted(_imported_packages(path) - ALLOWED[package])
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
    }
    assert not {p: w for p, w in wrong.items() if w}
