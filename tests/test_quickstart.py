"""The README's two commands on a fresh clone: `make demo` installs only what the demo runs (the
engine, PyYAML and the `terraform` extra's HCL parser), `make test` everything; and the demo
really runs on nothing more."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs make and the demo in subprocesses


def make_dry_run(target, venv):
    """The commands `make TARGET` would run for a venv that does not exist yet (a fresh clone)."""
    proc = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if "pip install" in line]


def test_make_demo_installs_the_engine_with_the_terraform_extra_only(tmp_path):
    installs = make_dry_run("demo", tmp_path / "venv")
    project = [line for line in installs if " -e " in line]
    assert project and all(line.rstrip().endswith('-e ".[terraform]"') for line in project), installs


def test_make_test_installs_every_extra(tmp_path):
    installs = make_dry_run("test", tmp_path / "venv")
    assert any('-e ".[all,test]"' in line for line in installs), installs


def _copy_package(site, module):
    """A copy of an installed package (its folder, or its module file, and any compiled
    ``_name*`` extension beside it) into ``site``."""
    import glob
    base = module.__file__
    if os.path.basename(base) == "__init__.py":
        folder = os.path.dirname(base)
        shutil.copytree(folder, site / os.path.basename(folder))
        parent = os.path.dirname(folder)
        name = os.path.basename(folder)
    else:
        shutil.copy(base, site / os.path.basename(base))
        parent, name = os.path.dirname(base), os.path.basename(base).split(".")[0]
    for ext in glob.glob(os.path.join(parent, f"_{name}*")):
        (shutil.copytree if os.path.isdir(ext) else shutil.copy)(ext, site / os.path.basename(ext))


def test_demo_runs_on_the_engine_pyyaml_and_the_hcl_parser_alone(tmp_path):
    """`cfhttps audit examples/` in an interpreter that sees only the repository and copies of
    PyYAML and of tree-sitter with its HCL grammar, the `terraform` extra (no site-packages: no
    cfn-lint, pulumi, boto3): findings in examples/bad from every kind of input (template,
    Terraform module, Terraform plan), none from examples/good, exit 1."""
    import tree_sitter
    import tree_sitter_hcl
    site = tmp_path / "site"
    site.mkdir()
    for module in (yaml, tree_sitter, tree_sitter_hcl):
        _copy_package(site, module)
    code = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; sys.argv[1:] = ['audit', '-q', 'examples/'];"
            "from cfhttps_cli.main import main; raise SystemExit(main())")
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", code, ROOT, str(site)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "examples/bad/website-and-order.yaml" in proc.stdout and "CFH002" in proc.stdout
    found = {}
    for line in proc.stdout.splitlines():
        if line.startswith("examples/"):
            found.setdefault(line.split(":")[0], set()).add(line.split()[1])
    assert found["examples/bad/terraform/main.tf"] == {"CFH004", "CFH008", "CFH009", "CFH012"}
    assert found["examples/bad/terraform-plan.json"] == {"CFH002"}
    assert "error" not in proc.stderr.lower(), proc.stderr
    # the API document and the stack export are read with the engine alone too
    for name, code in (("cloudfront-api.json", "CFH001"), ("pulumi-stack.json", "CFH002")):
        assert re.search(rf"^examples/bad/{name}:\d+:\d+: {code} error", proc.stdout, re.M), proc.stdout
    assert "examples/good" not in proc.stdout


def test_make_demo_reads_as_intended(tmp_path):
    """`make demo` itself (its venv made before, so nothing is installed): the findings of every
    kind of example, the summary line, then the line saying exit code 1 is intended; make's own
    exit code is 0 and the run takes seconds."""
    import time
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "cfhttps").write_text(
        f"#!/bin/sh\nPYTHONPATH={ROOT} exec {sys.executable} -m cfhttps_cli.main \"$@\"\n")
    (venv / "bin" / "cfhttps").chmod(0o755)
    (venv / ".installed-engine").touch()
    start = time.monotonic()
    proc = subprocess.run(["make", "--no-print-directory", "demo", f"VENV={venv}", f"PY={sys.executable}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    took = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[-1].startswith("(exit code 1: the findings above are in examples/bad, as intended"), lines[-1]
    assert re.match(r"\d+ finding\(s\) \(\d+ error, \d+ warning\) in \d+ distribution\(s\)", lines[-2]), lines[-2]
    files = {line.split(":", 1)[0] for line in lines[:-2] if line.startswith("examples/")}
    assert {"examples/bad/website-and-order.yaml", "examples/bad/cloudfront-api.json",
            "examples/bad/pulumi-stack.json"} <= files, files
    assert all(f.startswith("examples/bad/") for f in files), files
    assert took < 60, took
