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


# --- the README and the pages under docs/: generated where they can be, tested where they run --

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from rules import docgen


def _read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
        return fh.read()


def _doc_pages():
    """README.md and every hand-written page under docs/ (the rule pages are generated whole)."""
    return ["README.md"] + sorted(os.path.join("docs", n) for n in os.listdir(os.path.join(ROOT, "docs"))
                                  if n.endswith(".md"))


def test_generated_blocks_match_docgen():
    """The README's rule table and layout, the settings table and the Pulumi config example are
    docgen's output as it is now; a page with a generated block is one `make docs` refreshes."""
    for rel in _doc_pages():
        names = docgen.block_names(_read(rel))
        assert not names or rel in docgen.BLOCK_PAGES, f"{rel}: add it to docgen.BLOCK_PAGES"
    for rel in docgen.BLOCK_PAGES:
        text = _read(rel)
        assert docgen.block_names(text), f"{rel} has no generated block"
        assert docgen.fill(text) == text, f"{rel}: a generated block is stale: run `make docs`"
    assert {"rule-table", "layout"} <= set(docgen.block_names(_read("README.md")))
    assert "settings-table" in docgen.block_names(_read("docs/configuration.md"))
    assert "policy-config" in docgen.block_names(_read("docs/pulumi.md"))


def _readme_rule_rows():
    text = _read("README.md")
    block = text.split(docgen.BEGIN.format(name="rule-table"), 1)[1].split(
        docgen.END.format(name="rule-table"), 1)[0]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        match = re.match(r"\[(CFH\d{3})\]", cells[0])
        if match:
            rows[match.group(1)] = cells
    return rows


def test_readme_rule_table_default_is_what_the_engine_runs():
    """The "default" column says "off" exactly for the rules the engine does not run under default
    settings (CFH007 and CFH011 need a setting first), and the enforcement the Pulumi door uses
    for the others."""
    from rules import engine
    from rules.config import Config

    rows = _readme_rule_rows()
    assert set(rows) == set(CATALOG)
    running = set(engine.active_codes(Config()))
    for code, rule in CATALOG.items():
        cells = rows[code]
        assert cells[1] == rule.cfn_lint_id and cells[2] == f"`{rule.policy}`", code
        assert cells[3] == rule.severity, code
        if code in running:
            assert cells[4].startswith(rule.enforcement), (code, cells[4])
        else:
            assert cells[4].startswith(f"off until `{rule.requires}` is set"), (code, cells[4])
    assert rows["CFH007"][4].startswith("off") and rows["CFH011"][4].startswith("off")


def test_notes_rule_id_is_the_cfn_lint_rules():
    pytest.importorskip("cfnlint")
    from cfn_rules.EngineNotes import NOTE_RULE_ID
    assert docgen.NOTES_RULE_ID == NOTE_RULE_ID


def test_layout_names_every_top_level_folder():
    """Every folder of the repository is in the README's layout, and every folder the layout
    names exists, unless it is marked planned (a package another branch adds)."""
    proc = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        pytest.skip(f"not a git work tree, cannot list the tracked folders: {proc.stderr.strip()}")
    tracked = {line.split("/", 1)[0] for line in proc.stdout.splitlines()
               if "/" in line and not line.startswith(".")}
    listed = {path.rstrip("/") for path, _, _ in docgen.LAYOUT}
    assert tracked <= listed, f"add to docgen.LAYOUT: {sorted(tracked - listed)}"
    for path, _, planned in docgen.LAYOUT:
        assert planned or os.path.isdir(os.path.join(ROOT, path)), path


def test_architecture_names_only_paths_that_exist():
    text = _read("docs/architecture.md")
    spans = re.findall(r"`([^`\s]+)`", text)
    paths = [s for s in spans if re.fullmatch(r"[\w.-]+(/[\w.*-]*)*", s)
             and ("/" in s or re.search(r"\.(py|md|ya?ml|json|toml)$", s))]
    assert len(paths) > 10, paths
    missing = [p for p in paths if not os.path.exists(os.path.join(ROOT, p))]
    assert not missing, missing


def test_links_between_pages_resolve():
    """Every relative link of the README and the pages under docs/ names a file that exists, and
    a #fragment names a heading of that file."""
    for rel in _doc_pages():
        base = os.path.dirname(os.path.join(ROOT, rel))
        for target in re.findall(r"\]\(([^)\s]+)\)", _read(rel)):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, fragment = target.partition("#")
            full = os.path.normpath(os.path.join(base, path)) if path else os.path.join(ROOT, rel)
            assert os.path.exists(full), f"{rel}: {target}"
            if fragment and full.endswith(".md"):
                assert fragment in _anchors(full), f"{rel}: {target}"


def test_no_page_installs_the_package_by_bare_name():
    """Until cfhttps is published, an install line names the repository (pinned) or a clone:
    a bare `pip install cfhttps` would install whatever someone else publishes under the name."""
    for rel in _doc_pages():
        code = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", _read(rel), re.S | re.M))
        for line in code.splitlines():
            if "pip install" not in line:
                continue
            for req in re.findall(r"pip install\s+(?:-\S+\s+)*[\"']?(cfhttps[^\"'\s]*[\"']?[^#]*)", line):
                assert " @ git+" in req, f"{rel}: {line.strip()}"


def test_precommit_hook_names_the_catalogue_range():
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as fh:
        hooks = {h["id"]: h for h in yaml.safe_load(fh)}
    ids = [rule.cfn_lint_id for rule in CATALOG.values()]
    assert f"({ids[0]}-{ids[-1]})" in hooks["cfhttps-cfn-lint"]["description"]


def test_readme_runs_cfhttps_from_where_make_demo_puts_it():
    """After `make demo` the command is in the venv the Makefile makes, not on PATH."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        assert "cfhttps" in tomllib.load(fh)["project"]["scripts"]
    venv = re.search(r"^VENV \?= (\S+)$", _read("Makefile"), re.M).group(1)
    readme = _read("README.md")
    assert f"{venv}/bin/cfhttps rules" in readme and f". {venv}/bin/activate" in readme


def _audit(tmp_path, text, settings_toml=""):
    """`cfhttps audit` on one template, as a user runs it; the JSON report's findings."""
    from cfhttps_cli.main import main
    template = tmp_path / "in" / "template.yaml"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(text, encoding="utf-8")
    args = ["audit", "-q", "--format", "json", "--output", str(tmp_path / "report.json"),
            "--fail-on", "never", str(template)]
    if settings_toml:
        (tmp_path / "cfhttps.toml").write_text(settings_toml, encoding="utf-8")
        args += ["--config", str(tmp_path / "cfhttps.toml")]
    assert main(args) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert not report["errors"], report["errors"]
    return report["findings"]


def _settings_in_comments(snippet):
    """A snippet says the settings it needs in comments (`# sensitive_paths = ["/admin/*"]`)."""
    from rules.settings import BY_NAME
    lines = [m.group(1) for m in re.finditer(r"^\s*#\s*(\w+\s*=.*)$", snippet, re.M)
             if m.group(1).split("=")[0].strip() in BY_NAME]
    return "\n".join(lines) + "\n" if lines else ""



@pytest.mark.parametrize("code", sorted(CATALOG))
def test_use_instead_snippet_audits_clean(tmp_path, code):
    """A rule page's "Use instead" snippet, audited as written (with the settings its comments
    name), has no finding of that rule and no error of any rule; its "Example" has the finding.
    (Warnings of other rules may remain: the snippets are fragments without, e.g., a
    ViewerCertificate.)"""
    rule = CATALOG[code]
    good = _audit(tmp_path / "good", rule.good, _settings_in_comments(rule.good))
    assert not [f for f in good if f["code"] == code or f["severity"] == "error"], good
    bad = _audit(tmp_path / "bad", rule.bad, _settings_in_comments(rule.bad))
    assert any(f["code"] == code for f in bad), bad


def test_configuration_example_works_in_the_audit(tmp_path):
    """The TOML example of docs/configuration.md, given to the audit as written, is accepted and
    does what it says (CFH009 becomes an error)."""
    from cfhttps_cli.main import main
    example = re.search(r"```toml\n(.*?)```", _read("docs/configuration.md"), re.S).group(1)
    example = "\n".join(line.strip() for line in example.splitlines()) + "\n"
    config = tmp_path / "cfhttps.toml"
    config.write_text(example, encoding="utf-8")
    report = tmp_path / "report.json"
    rc = main(["audit", "-q", "--format", "json", "--output", str(report), "--config", str(config),
               os.path.join(ROOT, "examples", "bad")])
    assert rc == 1
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    cfh009 = [f for f in findings if f["code"] == "CFH009"]
    assert cfh009 and all(f["severity"] == "error" for f in cfh009), cfh009


@pytest.mark.slow  # runs the real cfn-lint command
def test_i9100_example_runs_as_documented(tmp_path):
    """docs/cfn-lint.md's I9100 example: the template, the command and its output as shown,
    and the exit codes the page states (8 with -c I9100; 0 with --non-zero-exit-code warning)."""
    cfn_lint = shutil.which("cfn-lint", path=os.path.dirname(sys.executable))
    assert cfn_lint, "cfn-lint is not installed beside this Python (pip install -e '.[cfn-lint]')"
    page = _read("docs/cfn-lint.md")
    section = page.split("## What was not decided: I9100", 1)[1]
    template = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    command = re.search(r"```sh\n(.*?)\n```", section, re.S).group(1)
    shown = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    (tmp_path / "template.yaml").write_text(template, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": ROOT}
    argv = command.split()
    assert argv[0] == "cfn-lint"

    def run(*extra):
        return subprocess.run([cfn_lint, *argv[1:-2], *extra, *argv[-2:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)

    proc = run()
    assert proc.stdout.strip() == shown.strip(), proc.stdout + proc.stderr
    assert proc.returncode == 8, proc.returncode
    assert run("--non-zero-exit-code", "warning").returncode == 0
    parseable = run("--format", "parseable").stdout.strip()
    prefix = re.search(r"With `--format parseable` the same match is one line:\n`([^`]*?)…`",
                       section).group(1)
    assert parseable.startswith(prefix), parseable


# README command lines that cannot run in a test, and why; every other line of a ```sh block runs.
NOT_RUN_HERE = {
    "make ": "the Makefile's targets: tests/test_quickstart.py checks what they install and run",
    "pip install ": "installs from the network",
    "pulumi ": "needs the Pulumi CLI and a stack (tests/test_pulumi.py starts the pack as it does)",
    "aws ": "deploys to an AWS account",
    "terraform ": "needs the Terraform CLI and a plan (tests/test_terraform_plan.py reads plan JSON)",
    "cfhttps audit infra/": "names the reader's own folder",
}


@pytest.mark.slow  # runs the commands in subprocesses
def test_every_readme_command_runs(tmp_path):
    """Each command line of the README's shell blocks runs as written (with `.venv/bin/` being
    this interpreter's bin folder) and exits as the README says: 0, or 1 for the audit of
    examples/ (its planted findings), and cfn-lint's error|warning bits for examples/bad."""
    bindir = os.path.dirname(sys.executable)
    env = {**os.environ, "PYTHONPATH": ROOT, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    blocks = re.findall(r"^```sh\n(.*?)^```", _read("README.md"), re.S | re.M)
    text = "\n".join(blocks).replace("\\\n", " ")
    ran = []
    for line in text.splitlines():
        command = line.split("#", 1)[0].strip()
        if not command or any(command.startswith(p) for p in NOT_RUN_HERE):
            continue
        command = command.replace(". .venv/bin/activate && ", "").replace(".venv/bin/", "")
        argv = command.split()
        assert argv[0] in ("cfhttps", "cfn-lint"), f"README runs {command!r}: add it here or to NOT_RUN_HERE"
        exe = shutil.which(argv[0], path=bindir)
        assert exe, f"{argv[0]} is not installed beside this Python"
        proc = subprocess.run([exe, *argv[1:]], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert "Traceback" not in proc.stderr, proc.stderr
        if argv[:2] == ["cfhttps", "audit"]:
            assert proc.returncode == 1 and "CFH002" in proc.stdout, (command, proc.returncode)
        elif argv[0] == "cfn-lint":
            assert proc.returncode in (2, 6) and "E9102" in proc.stdout, (command, proc.returncode)
        else:
            assert proc.returncode == 0 and proc.stdout.strip(), (command, proc.stderr)
        ran.append(command)
    assert len(ran) >= 4, ran


# docs/recipes.md: every command runs, and the output shown after it is what it prints. Lines
# that cannot run here, and why (each still sits in the page beside one that runs):
RECIPES_NOT_RUN_HERE = {
    "aws ": "reads a real AWS account",
    "pulumi ": "needs the Pulumi CLI and a stack (make pulumi-local, run below, is the local run)",
}


def _commands_and_output(text):
    """(command lines, the ```text block right after, or None) for each ```sh block."""
    found = re.findall(r"^```sh\n(.*?)^```\n(?:\n*^```text\n(.*?)^```)?", text, re.S | re.M)
    return [(commands, shown or None) for commands, shown in found]


def _missing_line(shown, printed):
    """The first line of ``shown`` that ``printed`` lacks, in order (None: all there). A shown line
    ending in "…" is a prefix; lines may be left out of ``shown``; ports and the zip path vary."""
    def norm(s):
        s = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", s)
        return re.sub(r"^zip: \S+,", "zip: ZIP,", s, flags=re.M).splitlines()
    actual, at = norm(printed), 0
    for line in norm(shown):
        while at < len(actual):
            at += 1
            got = actual[at - 1]
            if got == line or (line.endswith("…") and got.startswith(line[:-1])):
                break
        else:
            return line
    return None


@pytest.mark.slow  # runs make's recipes, the policy pack and the Lambda handlers
def test_every_recipes_page_command_runs_and_prints_what_it_shows(tmp_path):
    from test_recipes import run_make
    bindir = os.path.dirname(sys.executable)
    env = {**os.environ, "PYTHONPATH": ROOT}
    ran = []
    for i, (commands, shown) in enumerate(_commands_and_output(_read("docs/recipes.md"))):
        for line in commands.splitlines():
            command, _, comment = line.partition("#")
            command = command.strip()
            if not command or any(command.startswith(p) for p in RECIPES_NOT_RUN_HERE):
                continue
            want = int(re.search(r"exit (\d+)", comment).group(1)) if "exit" in comment else 0
            argv = command.split()
            if argv[0] == "make":
                assert len(argv) == 2 and want == 0, command
                printed = run_make(argv[1], tmp_path / f"make{i}")  # exit 0 checked there
            else:
                assert argv[0].startswith(".venv/bin/"), f"docs/recipes.md runs {command!r}"
                exe = os.path.join(bindir, argv[0][len(".venv/bin/"):])
                proc = subprocess.run([exe, *argv[1:]], cwd=ROOT, env=env, capture_output=True,
                                      text=True, timeout=600)
                assert proc.returncode == want, (command, proc.returncode, proc.stderr[-2000:])
                printed = proc.stdout
            if shown:
                missing = _missing_line(shown, printed)
                assert missing is None, f"docs/recipes.md shows for {command!r} a line it does not print:\n{missing}\n--- printed:\n{printed}"
            ran.append(command)
    assert {"make pulumi-local", "make lambda-local"} <= set(ran), ran
