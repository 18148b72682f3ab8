"""The rule pages are generated from the catalogue; fail when they drift."""

import os

from conftest import ROOT
from rules.catalog import CATALOG
from rules.docgen import pages


def test_docs_match_catalogue():
    folder = os.path.join(ROOT, "docs", "rules")
    for name, text in pages().items():
        path = os.path.join(folder, name)
        assert os.path.exists(path), f"{path} missing: run `make docs`"
        with open(path, encoding="utf-8") as fh:
            assert fh.read() == text, f"{path} is stale: run `make docs`"


def test_catalogue_entries_are_complete():
    ids = set()
    for code, rule in CATALOG.items():
        assert rule.code == code
        assert rule.cfn_lint_id[0] in "EW" and rule.cfn_lint_id[1:] == "91" + code[-2:]
        assert (rule.cfn_lint_id[0] == "E") == (rule.severity == "error")
        assert rule.facts and rule.bad and rule.good and rule.fix and rule.why and rule.what
        assert rule.policy.startswith("cloudfront-")
        ids.add(rule.cfn_lint_id)
    assert len(ids) == len(CATALOG) == 12


def test_rules_import_only_the_standard_library():
    import ast
    import sys
    stdlib = set(sys.stdlib_module_names)
    for root, _, files in os.walk(os.path.join(ROOT, "rules")):
        for f in files:
            if not f.endswith(".py"):
                continue
            tree = ast.parse(open(os.path.join(root, f)).read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for n in names:
                    assert n.split(".")[0] in stdlib | {"__future__"}, f"{f} imports {n}"
