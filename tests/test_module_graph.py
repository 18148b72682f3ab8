"""The engine's modules import each other without a cycle, and each imports on its own.

A cycle (``_builder`` imported ``related``, which imported it back) forces local imports and
makes a module's behaviour depend on who was imported first. The graph is read from the source
(every ``import`` anywhere in a module, function-level ones included), so a cycle hidden behind
a local import is found too.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "rules"


def modules():
    """Dotted name -> file of every module of the package."""
    out = {}
    for folder, _, files in os.walk(os.path.join(ROOT, PACKAGE)):
        for name in files:
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(folder, name), ROOT)[:-3].split(os.sep)
                if rel[-1] == "__init__":
                    rel = rel[:-1]
                out[".".join(rel)] = os.path.join(folder, name)
    return out


def imports_of(name, path, known):
    """The package's modules that module ``name`` imports (anywhere in its source)."""
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(open(path, encoding="utf-8").read(), path)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # "from . import x" names a module; "from .x import y" names x (y may be a module)
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph():
    known = modules()
    edges = {name: imports_of(name, path, known) for name, path in known.items()}
    # A package's __init__ is imported with any of its modules: not an edge of its own.
    return {name: {t for t in targets if not (name.startswith(t + ".") and t in edges)}
            for name, targets in edges.items()}


def cycle(edges):
    """One import cycle as a list of modules, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, trail + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(edges):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_graph_reader_sees_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    edges = graph()
    assert "rules.sources.reader" in edges["rules.sources.builder"]  # relative imports resolved
    assert "rules.sources.headers_policy" in edges["rules.sources.aws_api"]  # "from . import x"


def test_no_import_cycle_in_the_engine():
    found = cycle(graph())
    assert found is None, "import cycle: " + " -> ".join(found)


@pytest.mark.slow
def test_every_module_imports_in_a_fresh_interpreter():
    failed = []
    for name in sorted(modules()):
        run = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT,
                             capture_output=True, text=True)
        if run.returncode:
            failed.append(f"{name}: {run.stderr.strip().splitlines()[-1]}")
    assert not failed, "\n".join(failed)
