"""kit is built in floors: no module imports, directly or through others, a module that imports it back, and the
parts a service without a database uses (problems, money, the event wire form) import no database code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import kit

KIT = Path(kit.__file__).parent


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _kit_imports(tree: ast.AST) -> set[str]:
    """The kit modules a module imports, at any depth, except under `if TYPE_CHECKING:` and in a module-level
    `__getattr__` (the shims that keep an old import path working import upwards only when asked)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.FunctionDef) and child.name == "__getattr__" and node is tree:
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                if child.module == "kit":
                    found.update(f"kit.{alias.name}" for alias in child.names)
                elif child.module.startswith("kit."):
                    found.add(child.module)
            elif isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.startswith("kit."))
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    return {
        f"kit.{path.stem}": _kit_imports(ast.parse(path.read_text()))
        for path in sorted(KIT.glob("*.py"))
        if path.stem != "__init__"
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return None


def test_no_kit_module_imports_one_that_imports_it_back() -> None:
    graph = import_graph()
    assert "kit.audit" in graph["kit.session"], "the graph is read (the request session attaches the trail)"
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_a_cycle_is_found() -> None:
    assert find_cycle({"kit.a": {"kit.b"}, "kit.b": {"kit.c"}, "kit.c": {"kit.a"}}) == [
        "kit.a",
        "kit.b",
        "kit.c",
        "kit.a",
    ]


def test_the_database_floor_imports_neither_the_session_nor_the_trail() -> None:
    graph = import_graph()
    for lower in ("kit.db", "kit.db_types", "kit.audit", "kit.audit_chain", "kit.audit_keys"):
        assert "kit.session" not in graph[lower], lower
    assert "kit.db" not in graph["kit.audit"]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(  # noqa: S603 - this interpreter, code of the test itself
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_the_floor_without_a_database_imports_no_sqlalchemy() -> None:
    loaded = _modules_after(
        "import kit.problems, kit.money, kit.event_schema, kit.openapi, kit.auth, kit.i18n, kit.limits, "
        "kit.conditional, kit.startup, kit.canonical, kit.upstream, kit.spreadsheet, kit.programme_reader"
    )
    assert "kit.problems" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "alembic")}


def test_old_import_paths_still_work() -> None:
    from kit.db import SessionDep, UtcDateTime
    from kit.db_types import RappenType
    from kit.money import RappenType as OldRappenType
    from kit.session import SessionDep as NewSessionDep

    assert SessionDep is NewSessionDep
    assert OldRappenType is RappenType
    assert UtcDateTime.__module__ == "kit.db_types"
