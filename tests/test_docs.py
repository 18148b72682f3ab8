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
    assert len(ids) == len(CATALOG)


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


def _anchors(markdown_path):
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes."""
    import re
    out = set()
    with open(markdown_path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                title = line.lstrip("#").strip().lower()
                out.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return out


def test_every_fact_cites_the_projects_own_facts_page():
    """Each rule rests on a section of docs/cloudfront-facts.md, linked from its page; the link
    resolves to a heading that exists (nothing outside the repository is cited)."""
    import re
    facts_page = os.path.join(ROOT, "docs", "cloudfront-facts.md")
    anchors = _anchors(facts_page)
    for code, rule in CATALOG.items():
        links = [m for fact in rule.facts
                 for m in re.findall(r"\]\(\.\./cloudfront-facts\.md#([a-z0-9_-]+)\)", fact)]
        assert links, f"{code}: no fact links docs/cloudfront-facts.md"
        for anchor in links:
            assert anchor in anchors, f"{code}: docs/cloudfront-facts.md has no section #{anchor}"


def test_readme_and_docs_stay_inside_the_repository():
    """A clone has nothing beside it: the README and the docs never send readers to `shared/`
    or `../corpus` (the facts live in docs/cloudfront-facts.md)."""
    texts = [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "docs", "cloudfront-facts.md")]
    texts += [os.path.join(ROOT, "docs", "rules", n) for n in os.listdir(os.path.join(ROOT, "docs", "rules"))]
    for path in texts:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for outside in ("shared/", "../corpus", "/work/"):
            assert outside not in text, f"{os.path.relpath(path, ROOT)} points outside the repository: {outside}"
