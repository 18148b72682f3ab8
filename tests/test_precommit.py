"""The pre-commit hook on a real commit: pre-commit passes every staged *.yaml/*.json/*.template
to the hook, so files that are not a supported input must not fail it, while a template with
findings, or one that cannot be read, still does.

The hook's command line is read from .pre-commit-hooks.yaml and run as a real process on real
files, exactly as pre-commit runs it (the entry, then the staged file names). A second test runs
pre-commit itself in a temporary git repository."""

import os
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs pre-commit and git in subprocesses

BIN = os.path.dirname(sys.executable)
CLEAN = """Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: site
            DomainName: site.s3.us-east-1.amazonaws.com
            S3OriginConfig: {}
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: https-only
        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/example
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
"""
BAD = CLEAN.replace("https-only", "allow-all")
# What a real repository has next to its templates: none of these is a supported input, and some
# are not even readable as one YAML document (merge keys, several documents, Helm templating).
NEIGHBOURS = {
    "package.json": '{"name": "site", "version": "1.0.0", "scripts": {"build": "vite build"}}\n',
    "docker-compose.yml": ("x-common: &common\n  restart: unless-stopped\nservices:\n  web:\n"
                           "    <<: *common\n    image: nginx:1.27\n    ports: ['8080:80']\n"),
    "k8s/deploy.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
                       "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n",
    "chart/templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
    ".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: make test}]\n",
    "tsconfig.json": "{\n  // comments are fine for tsc, not for JSON\n  \"compilerOptions\": {}\n}\n",
    "empty.yaml": "",
}


def hook_entry(hook_id):
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml")) as fh:
        hooks = {h["id"]: h for h in yaml.safe_load(fh)}
    return hooks[hook_id]


def run_hook(tmp_path, files, extra=()):
    """The cfhttps-audit hook as pre-commit runs it: entry + args + file names, in the repo root."""
    entry = shlex.split(hook_entry("cfhttps-audit")["entry"])
    entry[0] = os.path.join(BIN, entry[0])
    proc = subprocess.run([*entry, *extra, *files], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout, proc.stderr


def write(tmp_path, files):
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return sorted(files)


def test_hook_passes_the_option_and_matches_the_staged_files():
    hook = hook_entry("cfhttps-audit")
    assert "--skip-unsupported" in shlex.split(hook["entry"])
    import re
    for name in ["template.yaml", *NEIGHBOURS]:
        assert re.search(hook["files"], name), name  # so pre-commit does pass them all


def test_readme_pins_a_rev_that_exists():
    """The docs' pre-commit snippet names a tag that exists, or tells to pin a commit SHA."""
    import re
    with open(os.path.join(ROOT, "docs", "pre-commit.md"), encoding="utf-8") as fh:
        readme = fh.read()
    block = re.search(r"```yaml\n(repos:\n.*?)```", readme, re.S).group(1)
    rev = str(yaml.safe_load(block)["repos"][0]["rev"])
    tags = subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert rev in tags or "COMMIT-SHA" in rev.upper().replace(" ", "-"), rev


def test_clean_template_with_other_staged_files_passes(tmp_path):
    names = write(tmp_path, {"template.yaml": CLEAN, **NEIGHBOURS})
    rc, out, err = run_hook(tmp_path, names)
    assert rc == 0, out + err
    rc, out, err = run_hook(tmp_path, names, ["--verbose"])
    assert rc == 0
    for name in NEIGHBOURS:
        assert name in out, f"--verbose should list skipped {name}:\n{out}"
    assert "not a supported input" in out


def test_without_the_option_a_named_package_json_is_an_error(tmp_path):
    names = write(tmp_path, {"template.yaml": CLEAN, "package.json": NEIGHBOURS["package.json"]})
    proc = subprocess.run([os.path.join(BIN, "cfhttps"), "audit", "-q", *names], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "not a supported input" in proc.stdout + proc.stderr


def test_template_with_findings_still_fails_the_commit(tmp_path):
    names = write(tmp_path, {"template.yaml": BAD, **NEIGHBOURS})
    rc, out, err = run_hook(tmp_path, names)
    assert rc == 1, out + err
    assert "CFH001" in out and "template.yaml" in out


@pytest.mark.parametrize("name,text", [
    ("broken.yaml", CLEAN.replace("Enabled: true", "Enabled: [true")),          # YAML syntax error
    ("broken.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {'),  # JSON cut short
    ("merge.yaml", "Resources:\n  A: &a {Type: AWS::S3::Bucket}\n  B:\n    <<: *a\n"),
    ("api.json", '{"DistributionConfig": {"Origins": ]}}'),
    ("stack.json", '{"version": 3, "deployment": {"resources": [}'),
    ("plan.json", '{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": ['),
    ("main.tf", 'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  origin {\n'),
    ("infra/cdn.tf.json", '{"resource": {"aws_cloudfront_distribution": {'),
])
def test_a_template_that_cannot_be_read_still_errors(tmp_path, name, text):
    names = write(tmp_path, {"template.yaml": CLEAN, name: text, **NEIGHBOURS})
    rc, out, err = run_hook(tmp_path, names)
    assert rc == 2, out + err
    assert name in out + err


def test_forced_input_kind_keeps_errors(tmp_path):
    names = write(tmp_path, {"package.json": NEIGHBOURS["package.json"]})
    rc, out, err = run_hook(tmp_path, names, ["--input-kind", "cfn"])
    assert rc == 2, out + err


def test_a_fifo_named_by_the_hook_is_never_opened(tmp_path):
    """Sniffing what a file claims to be never reads a FIFO (it would block)."""
    from cfhttps_cli.unsupported import claims_supported
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    assert claims_supported(str(fifo)) is True  # not looked at: its error is kept


PRE_COMMIT = shutil.which("pre-commit", path=BIN)


def _git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


HOOK_REPO_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


def _package_dirs():
    """The top-level package folders pyproject.toml installs (a new package joins by itself)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        packages = tomllib.load(fh)["tool"]["setuptools"]["packages"]
    return sorted({name.split(".")[0] for name in packages})


HOOK_REPO_DIRS = tuple(_package_dirs())


def _hook_repo(dest):
    """This repository's installable part as its own git repository with one commit (what a
    `repo:` entry points at), so the test sees the working tree as it is; returns the SHA."""
    dest.mkdir()
    for name in HOOK_REPO_FILES:
        shutil.copy(os.path.join(ROOT, name), dest / name)
    for name in HOOK_REPO_DIRS:
        shutil.copytree(os.path.join(ROOT, name), dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert _git(dest, "init", "-q").returncode == 0
    _git(dest, "add", "-A")
    assert _git(dest, "commit", "-q", "-m", "hook repo").returncode == 0
    return _git(dest, "rev-parse", "HEAD").stdout.strip()


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install -e '.[test]')")
def test_real_commit_through_pre_commit(tmp_path):
    """A real `git commit` in a fresh repository whose .pre-commit-config.yaml pins the hook
    repository to a commit SHA (as the README says): pre-commit installs the hook and runs it on
    the staged files. A clean template staged with package.json and docker-compose.yml commits;
    a template with findings is refused."""
    sha = _hook_repo(tmp_path / "hooks")
    work = tmp_path / "project"
    work.mkdir()
    assert _git(work, "init", "-q").returncode == 0
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
        "repo": str(tmp_path / "hooks"), "rev": sha,
        "hooks": [{"id": "cfhttps-audit", "args": ["--verbose"], "verbose": True}]}]}))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=work, env=env, capture_output=True,
                               text=True, timeout=120)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    write(work, {"template.yaml": CLEAN, "package.json": NEIGHBOURS["package.json"],
                 "docker-compose.yml": NEIGHBOURS["docker-compose.yml"]})

    def commit(message):
        _git(work, "add", "-A")
        proc = subprocess.run(["git", "commit", "-m", message], cwd=work, capture_output=True,
                              text=True, timeout=900, stdin=subprocess.DEVNULL,
                              env={**env, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})
        return proc.returncode, proc.stdout + proc.stderr

    rc, out = commit("clean template next to package.json and docker-compose.yml")
    assert rc == 0, out
    assert "cfhttps audit" in out and "Passed" in out
    assert "package.json: skipped" in out and "docker-compose.yml: skipped" in out
    head = _git(work, "rev-parse", "HEAD").stdout
    (work / "template.yaml").write_text(BAD)
    rc, out = commit("allow-all")
    assert rc != 0, out
    assert "Failed" in out and "CFH001" in out
    assert _git(work, "rev-parse", "HEAD").stdout == head  # the commit was refused
