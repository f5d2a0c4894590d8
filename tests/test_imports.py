"""The package's modules import each other strictly top-down: no cycle, not even through an
import inside a function (a newcomer reads the layers from data to the command line)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "seq2seq"


def imports_of(path: Path) -> set[str]:
    """The package modules that ``path`` imports anywhere (top level or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:  # from .x / from . import x
            names = [node.module] if node.module else [a.name for a in node.names]
            found.update(name.split(".")[0] for name in names)
    return found & {p.stem for p in PACKAGE.glob("*.py")}


def test_no_module_imports_one_that_imports_it_back():
    graph = {p.stem: imports_of(p) - {p.stem} for p in PACKAGE.glob("*.py")}
    state: dict[str, str] = {}

    def visit(module, path):
        state[module] = "open"
        for other in sorted(graph[module]):
            assert state.get(other) != "open", f"import cycle: {' -> '.join([*path, other])}"
            if other not in state:
                visit(other, [*path, other])
        state[module] = "done"

    assert {"device", "distributed", "vocabulary", "subwords"} <= graph.keys()
    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
