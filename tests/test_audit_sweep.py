"""Sweeps read infrastructure, not environments and tool folders, and say what they passed over
(cfhttps_cli/sweep.py; docs/audit.md, "What a sweep passes over")."""

import json
import os
import subprocess
import sys
import venv

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # the real CLI in subprocesses, a real virtual environment

BAD_TEMPLATE = open(os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")).read()


def run(*args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def put(path, text=BAD_TEMPLATE):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def project(tmp_path):
    """A Pulumi/CDK-style project: templates beside a real venv, packages, caches and CDK output.
    Every file planted where a sweep must not go is a template with findings, so reading it
    would show."""
    proj = tmp_path / "proj"
    put(proj / "templates" / "site.yaml")
    # a real virtual environment under Pulumi's default name, with JSON/YAML inside
    venv.EnvBuilder(with_pip=False, symlinks=True).create(proj / "venv")
    assert (proj / "venv" / "pyvenv.cfg").is_file()
    site = next((proj / "venv" / "lib").glob("python*")) / "site-packages"
    put(site / "somepkg" / "data" / "template.yaml")
    put(site / "somepkg" / "schema.json", '{"Resources": {"X": 1}}')
    # a virtual environment under any name is recognised by its pyvenv.cfg
    put(proj / "py-env" / "pyvenv.cfg", "home = /usr/bin\n")
    put(proj / "py-env" / "lib" / "t.yaml")
    put(proj / "condaenv" / "conda-meta" / "history", "")
    put(proj / "condaenv" / "t.yaml")
    put(proj / "node_modules" / "pkg" / "template.yaml")
    put(proj / ".terraform" / "modules" / "t.yaml")
    put(proj / ".git" / "t.yaml")
    put(proj / "__pycache__" / "t.yaml")
    # CDK: the synthesized template is audited, the bundled assets are not
    put(proj / "cdk.out" / "manifest.json", '{"version": "36.0.0", "artifacts": {}}')
    put(proj / "cdk.out" / "Site.template.json", json.dumps(
        {"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {
            "DistributionConfig": {"Origins": [{"Id": "a", "DomainName": "a.example.com",
                                                "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}],
                                   "DefaultCacheBehavior": {"TargetOriginId": "a",
                                                            "ViewerProtocolPolicy": "allow-all"}}}}}}))
    put(proj / "cdk.out" / "asset.0123abcd" / "template.yaml")
    return proj


SKIPPED = {
    "venv": "virtual environment (holds pyvenv.cfg)",
    "py-env": "virtual environment (holds pyvenv.cfg)",
    "condaenv": "conda environment",
    "node_modules": "Node.js packages",
    ".terraform": "hidden folder",
    ".git": "hidden folder",
    "__pycache__": "bytecode cache",
    os.path.join("cdk.out", "asset.0123abcd"): "CDK asset folder",
}


def test_environments_and_tool_folders_are_not_swept_and_each_is_reported(project):
    rc, out, err = run("audit", ".", "--format", "json", cwd=project)
    doc = json.loads(out)
    audited = {f["file"] for f in doc["findings"]}
    assert audited == {os.path.join(".", "templates", "site.yaml"),
                       os.path.join(".", "cdk.out", "Site.template.json")}, audited
    assert doc["summary"]["inputs"] == 3  # the two templates and cdk.out's manifest.json
    assert [os.path.basename(s["file"]) for s in doc["skipped"]] == ["manifest.json"]
    folders = {os.path.relpath(s["folder"], "."): s["reason"] for s in doc["skipped_folders"]}
    assert set(folders) == set(SKIPPED), folders
    for name, why in SKIPPED.items():
        assert why in folders[name], (name, folders[name])
    assert doc["summary"]["skipped_folders"] == len(SKIPPED)
    # text: a count without --verbose, each folder and its reason with it
    rc, out, _ = run("audit", ".", cwd=project)
    assert out.rstrip().endswith(f"; {len(SKIPPED)} folder(s) not swept (--verbose shows which "
                                 f"and why)"), out
    rc, out, _ = run("audit", ".", "-v", cwd=project)
    for name, why in SKIPPED.items():
        assert any(line.startswith(os.path.join(".", name) + "/: skipped folder: ") and why in line
                   for line in out.splitlines()), (name, out)
    # Markdown says so too
    rc, out, _ = run("audit", ".", "--format", "markdown", cwd=project)
    assert f"{len(SKIPPED)} folder(s) were not swept" in out


def test_a_folder_named_on_the_command_line_is_swept_whatever_it_is(project):
    """The rules apply to folders a sweep finds: naming one audits it (its own tool folders
    are still passed over, and reported)."""
    rc, out, _ = run("audit", "venv", "--format", "json", cwd=project)
    doc = json.loads(out)
    assert doc["findings"] == [] and [os.path.basename(s["folder"]) for s in
                                      doc["skipped_folders"]] == ["site-packages"]
    site = next((project / "venv" / "lib").glob("python*")) / "site-packages"
    rc, out, _ = run("audit", str(site), "--format", "json", cwd=project)
    doc = json.loads(out)
    assert rc == 1 and {os.path.basename(f["file"]) for f in doc["findings"]} == {"template.yaml"}


def test_exclude_flags_and_configuration(project):
    put(project / "templates" / "fixtures" / "broken.yaml", "Resources: [unclosed\n")
    put(project / "templates" / "old" / "site.yaml")
    put(project / "stacks" / "a" / "old" / "site.yaml")
    put(project / "stacks" / "a" / "new" / "site.generated.yaml")
    rc, out, _ = run("audit", ".", "--format", "json", cwd=project)
    assert rc == 2  # the broken fixture is read: it is an error until excluded
    rc, out, err = run("audit", ".", "--format", "json", "--exclude", "fixtures",
                       "--exclude", "stacks/*/old", "--exclude", "*.generated.yaml",
                       "--exclude", "templates/old/", cwd=project)
    doc = json.loads(out)
    assert rc == 1 and doc["errors"] == [], err
    files = {os.path.relpath(f["file"], ".") for f in doc["findings"]}
    assert files == {os.path.join("templates", "site.yaml"),
                     os.path.join("cdk.out", "Site.template.json")}, files
    folders = {os.path.relpath(s["folder"], "."): s["reason"] for s in doc["skipped_folders"]}
    assert "excluded by 'fixtures' (--exclude)" == folders[os.path.join("templates", "fixtures")]
    assert "excluded by 'stacks/*/old'" in folders[os.path.join("stacks", "a", "old")]
    assert "excluded by 'templates/old/'" in folders[os.path.join("templates", "old")]
    skipped = {os.path.relpath(s["file"], "."): s["reason"] for s in doc["skipped"]}
    assert "excluded by '*.generated.yaml'" in \
        skipped[os.path.join("stacks", "a", "new", "site.generated.yaml")]
    # the same from the configuration, relative to its folder, run from a subfolder
    assert (project / ".git").is_dir()  # the repository root: discovery stops here
    (project / "cfhttps.toml").write_text(
        'exclude = ["fixtures", "stacks/*/old", "*.generated.yaml", "templates/old"]\n')
    rc, out, err = run("audit", "..", "--format", "json", "-v", cwd=project / "templates")
    doc = json.loads(out)
    assert rc == 1 and doc["errors"] == [], (out, err)
    assert {os.path.basename(f["file"]) for f in doc["findings"]} == {"site.yaml",
                                                                      "Site.template.json"}
    assert all(os.path.relpath(f["file"], "..") in (os.path.join("templates", "site.yaml"),
                                                    os.path.join("cdk.out", "Site.template.json"))
               for f in doc["findings"])
    assert str(project / "cfhttps.toml") in err


def test_an_absolute_exclude_names_absolute_paths(project):
    put(project / "templates" / "old" / "site.yaml")
    rc, out, err = run("audit", ".", "--format", "json", "--no-config",
                       "--exclude", str(project / "templates" / "old"),
                       "--exclude", str(project / "cdk.*"), cwd=project)
    doc = json.loads(out)
    files = {os.path.relpath(f["file"], ".") for f in doc["findings"]}
    assert files == {os.path.join("templates", "site.yaml")}, (files, err)
    folders = {os.path.relpath(s["folder"], ".") for s in doc["skipped_folders"]}
    assert {os.path.join("templates", "old"), "cdk.out"} <= folders


def test_exclude_applies_to_named_files_as_pre_commit_passes_them(project):
    put(project / "fixtures" / "broken.yaml", "Resources: [unclosed\n")
    rc, out, _ = run("audit", "fixtures/broken.yaml", "templates/site.yaml", "--format", "json",
                     "--exclude", "fixtures", cwd=project)
    doc = json.loads(out)
    assert rc == 1 and doc["errors"] == []
    assert [(os.path.normpath(s["file"]), s["reason"]) for s in doc["skipped"]] == \
        [(os.path.join("fixtures", "broken.yaml"), "excluded by 'fixtures' (--exclude)")]


def test_a_configuration_exclude_does_not_reach_outside_its_project(project, tmp_path):
    other = put(tmp_path / "elsewhere" / "fixtures" / "t.yaml")
    (project / ".git").mkdir(exist_ok=True)
    (project / "cfhttps.toml").write_text('exclude = ["fixtures"]\n')
    rc, out, _ = run("audit", str(other.parent), "--format", "json", cwd=project)
    assert rc == 1 and json.loads(out)["findings"]
