"""No door imports another door's package (issue 21): every module of every package is read with
ast, imports inside functions included, so a lazy import cannot borrow another door's code.

Layers: ``rules`` (the engine) imports neither the I/O layer nor a door; ``cfhttps_io`` imports
the engine only; each door (the audit CLI, the Pulumi pack, the AWS doors, the cfn-lint rules,
the pack's ``__main__.py``) imports the engine, the I/O layer and itself."""

import ast
import os

from conftest import ROOT

DOORS = ("cfhttps_cli", "cfhttps_pulumi", "cfhttps_aws", "cfn_rules")
LAYERS = {"rules": ("rules",), "cfhttps_io": ("rules", "cfhttps_io")}
PROJECT = set(DOORS) | set(LAYERS)


def modules():
    for package in DOORS + tuple(LAYERS):
        for folder, dirs, files in os.walk(os.path.join(ROOT, package)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if name.endswith(".py"):
                    yield package, os.path.join(folder, name)
    yield "cfhttps_pulumi", os.path.join(ROOT, "__main__.py")  # the Pulumi pack's entry point


def imported(path):
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module.split(".")[0], node.lineno
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) \
                in ("import_module", "__import__") and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            yield node.args[0].value.split(".")[0], node.lineno


def test_no_door_imports_another_door():
    seen = 0
    wrong = []
    for package, path in modules():
        seen += 1
        allowed = LAYERS.get(package, ("rules", "cfhttps_io", package))
        for top, line in imported(path):
            if top in PROJECT and top not in allowed:
                wrong.append(f"{os.path.relpath(path, ROOT)}:{line} imports {top}")
    assert seen > 40
    assert wrong == []


def test_the_check_sees_a_lazy_import(tmp_path):
    """The walk finds an import inside a function (the way the AWS doors once borrowed the CLI)."""
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from cfhttps_cli import aws_live\n    return aws_live\n")
    assert list(imported(str(path))) == [("cfhttps_cli", 2)]
