"""graphlab's modules import one another without a cycle.

The graph is built from the source with ``ast``, as Python would import it:
``import graphlab.a.b`` and ``from graphlab.a import b`` (``b`` a module)
depend on ``graphlab.a.b``; ``from graphlab.a import name`` depends on
``graphlab.a``'s ``__init__``. A parent package that is merely being
initialised is not an edge (Python handles that), and imports under
``if TYPE_CHECKING:`` never run. An import inside a function runs when the
function does: it must say why it waits, with the comment ``# lazy: <reason>``
on its line, and only such marked imports are left out of the graph.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "graphlab"
MARK = "# lazy:"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def targets(node: ast.Import | ast.ImportFrom, importer: str) -> list[str]:
    """The graphlab modules an import statement runs."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in MODULES]
    base = node.module or ""
    if node.level:  # relative: from the importer's package
        package = importer.split(".") if MODULES[importer].name == "__init__.py" else importer.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
    if base not in MODULES:
        return []
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(name: str) -> tuple[set[str], list[str]]:
    """What module ``name`` imports when it loads, and its unmarked imports inside functions (``file:line``)."""
    path = MODULES[name]
    lines = path.read_text().splitlines()
    at_load: set[str] = set()
    unmarked: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.If) and is_type_checking(node):
            for child in node.orelse:
                visit(child, in_function)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found = targets(node, name)
            if found and not in_function:
                at_load.update(found)
            elif found and MARK not in lines[node.lineno - 1]:
                unmarked.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
            return
        inside = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(path.read_text()), False)
    at_load.discard(name)
    return at_load, unmarked


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph``, as the modules along it, or None (an iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in sorted(graph):
        if state.get(start):
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                return path[path.index(following):] + [following]
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                stack.append(iter(sorted(graph[following])))
    return None


def test_graphlab_imports_no_module_in_a_cycle():
    graph = {name: imports(name)[0] for name in MODULES}
    found = cycle(graph)
    assert found is None, "import cycle: " + " → ".join(found)


def test_every_import_inside_a_function_says_why_it_waits():
    unmarked = [place for name in MODULES for place in imports(name)[1]]
    assert unmarked == [], f"mark these with '{MARK} <reason>' or import them at the top: {unmarked}"


def test_the_checker_finds_a_cycle_and_ignores_what_is_not_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_tensor_core_is_layered():
    """tensor.py imports no op, and recording imports the tensor's constructor only, not the ops."""
    graph = {name: imports(name)[0] for name in MODULES}
    assert graph["graphlab.tensor.tensor"] <= {"graphlab.backend", "graphlab.grad_mode", "graphlab.tensor.mode",
                                              "graphlab.tensor.anomaly"}  # the user's line of an in-place change
    assert graph["graphlab.tensor.function"] <= {"graphlab.grad_mode", "graphlab.tensor.anomaly",
                                                 "graphlab.tensor.tensor"}
