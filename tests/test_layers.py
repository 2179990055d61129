"""The layers, read from the source with `ast`: ingest → vectorstore → assistant → ui and evals → the CLI, with no
arrow back and no import cycle between modules."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "vectorstore", "assistant", "ui", "evals", "report_qa")
# What each package may import from the others.
ALLOWED = {
    "ingest": set(),
    "vectorstore": {"ingest"},
    "assistant": {"ingest", "vectorstore"},
    "ui": {"ingest", "vectorstore", "assistant"},
    "evals": {"ingest", "vectorstore", "assistant"},
    "report_qa": {"ingest", "vectorstore", "assistant", "ui", "evals"},
}


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _graph() -> dict[str, set[str]]:
    """module → the project modules it imports, anywhere in its body (function-level imports too). `from a import b`
    imports the module a.b when b is one, else the module a."""
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules]
                targets = subs if len(subs) == len(node.names) else [node.module, *subs]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def test_no_package_imports_a_layer_above_it():
    wrong = sorted((a, b) for a, targets in _graph().items() for b in targets
                   if b.split(".")[0] != a.split(".")[0] and b.split(".")[0] not in ALLOWED[a.split(".")[0]])
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycle_between_modules():
    assert _cycles(_graph()) == []


def test_the_checks_read_real_imports_and_find_a_cycle():
    # The checks above would pass on an empty graph: they read the project's imports, and a cycle is found.
    graph = _graph()
    assert {"ingest.models", "vectorstore.seams"} <= graph["vectorstore.hybrid"]
    assert "ui.cli" in graph["report_qa.cli"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
