"""The layout: no import circle between any two modules, short modules, a docstring per folder."""

from __future__ import annotations

import ast

import grimp

from bot.config import PROJECT_ROOT

MAX_LINES = 350
PACKAGE = PROJECT_ROOT / "bot"


def _circle(graph: grimp.ImportGraph) -> list[str] | None:
    """One import circle among the modules of `graph`, or None when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            found = visit(imported)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph.modules):
        found = visit(module)
        if found:
            return found
    return None


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("bot", include_external_packages=False)
    assert _circle(graph) is None


def test_a_planted_circle_is_found() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.b", "a.c"):
        graph.add_module(name)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    assert _circle(graph) == ["a.b", "a.c", "a.b"]


def test_modules_stay_short() -> None:
    long = {str(path.relative_to(PROJECT_ROOT)): lines for path in PACKAGE.rglob("*.py")
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_folder_says_what_lives_there() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and "\n" not in docstring, init
