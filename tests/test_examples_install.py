"""Every example installs cfhttps from a pinned source the user controls, never by bare name.

No package named cfhttps is published on PyPI: `pip install cfhttps` fails today, and once anyone
publishes that name it would run their code (in the CI example, inside a job that may write
security events). So an example installs from a repository pinned to a full commit SHA, and its
third-party actions are pinned by SHA too.
"""

import os
import re
import shlex
import subprocess

import pytest
import yaml

from conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")
# Files whose lines are commands or configuration users copy; in Markdown pages, their code blocks.
COPIED = sorted(os.path.join(EXAMPLES, n) for n in os.listdir(EXAMPLES)
                if os.path.isfile(os.path.join(EXAMPLES, n))) + \
    [os.path.join(ROOT, ".pre-commit-hooks.yaml"), os.path.join(ROOT, "README.md")]
SHA = re.compile(r"[0-9a-f]{40}")
# What the examples and the README write where the user puts the commit they reviewed: not a
# ref pip or pre-commit can resolve, so an install copied unedited fails instead of running code.
PLACEHOLDER = "FULL-40-CHARACTER-COMMIT-SHA"
NAMED = re.compile(r"^cfhttps(\[[^\]]*\])?($|[\s<>=!~;@])", re.I)


def install_requirements(text, is_yaml=False):
    """(line, requirement) for every requirement a `pip install` line or a pre-commit
    `additional_dependencies` entry names (comments are not commands)."""
    out = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        code = line.split(" #")[0]
        m = re.search(r"\bpip3?\s+install\b(.*)", code)
        if m:
            for tok in shlex.split(m.group(1), posix=True):
                if not tok.startswith("-"):
                    out.append((line, tok))
    for doc in [yaml.safe_load(text)] if is_yaml else []:
        hooks = doc if isinstance(doc, list) else [h for r in (doc or {}).get("repos", [])
                                                   for h in r.get("hooks", [])]
        for hook in hooks:
            for dep in hook.get("additional_dependencies", []) if isinstance(hook, dict) else []:
                out.append((dep, dep))
    return out


def pinned(requirement):
    """A direct reference to a git repository at a full commit SHA (or at the variable the same
    step checks to be one)."""
    m = re.search(r"@\s*git\+(?:https://[^@\s]+|\$\{CFHTTPS_REPO\})@(\S+)$", requirement)
    return bool(m) and (SHA.fullmatch(m.group(1)) or m.group(1) in ("${CFHTTPS_COMMIT}", PLACEHOLDER))


def copied_text(path):
    """What a user copies from the file: all of it, or a Markdown page's fenced code blocks."""
    text = open(path, encoding="utf-8").read()
    if path.endswith(".md"):
        text = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M))
    return text


def test_the_checker_catches_bare_and_unpinned_installs():
    bad = ['pip install cfhttps', 'pip install "cfhttps[cfn-lint]"', 'pip install cfhttps==0.1.0',
           'python -m pip install -U "cfhttps @ git+https://github.com/o/cfhttps@main"',
           'pip install "cfhttps @ git+https://github.com/o/cfhttps"']
    bad.append("- id: x\n  additional_dependencies: [cfhttps]")
    for line in bad:
        reqs = [r for _, r in install_requirements(line, line.startswith("-")) if NAMED.match(r)]
        assert reqs and not all(pinned(r) for r in reqs), line
    sha = "a" * 40
    good = f'pip install "cfhttps[cfn-lint] @ git+https://github.com/o/cfhttps@{sha}"'
    assert all(pinned(r) for _, r in install_requirements(good))
    readme = "```sh\npip install 'cfhttps @ git+https://github.com/o/cfhttps@main'\n```\nnever `pip install cfhttps`\n"
    code = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", readme, re.S | re.M))
    (req,) = [r for _, r in install_requirements(code)]
    assert not pinned(req)  # a branch in a Markdown code block is caught; prose is not a command


@pytest.mark.parametrize("path", COPIED, ids=os.path.basename)
def test_no_example_installs_cfhttps_unpinned(path):
    text = copied_text(path)
    for line, req in install_requirements(text, path.endswith((".yaml", ".yml"))):
        if NAMED.match(req) or "cfhttps" in req.lower():
            assert pinned(req), f"{os.path.basename(path)}: unpinned install of cfhttps: {line.strip()}"


def _workflow():
    with open(os.path.join(EXAMPLES, "github-actions.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_workflow_pins_actions_by_commit():
    steps = [s for job in _workflow()["jobs"].values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses and all(SHA.fullmatch(u.rsplit("@", 1)[1]) for u in uses), uses
    assert _workflow()["env"]["CFHTTPS_REPO"].startswith("https://")


@pytest.mark.slow
def test_workflow_refuses_to_install_until_the_commit_is_filled_in(tmp_path):
    """The install step, run as GitHub runs it (bash -e), stops before pip while the placeholder
    is there; pip itself is never reached here (no network is needed)."""
    wf = _workflow()
    step = next(s for job in wf["jobs"].values() for s in job["steps"]
                if "pip install" in s.get("run", ""))
    assert "${CFHTTPS_COMMIT}" in step["run"]
    env = dict(os.environ, **{k: str(v) for k, v in wf["env"].items()})
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 1 and "::error::set CFHTTPS_COMMIT" in proc.stdout, proc
    assert "pip" not in proc.stderr


def test_pre_commit_example_uses_hooks_this_repository_defines():
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as fh:
        defined = {h["id"] for h in yaml.safe_load(fh)}
    with open(os.path.join(EXAMPLES, "pre-commit-config.yaml"), encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    (repo,) = config["repos"]
    assert {h["id"] for h in repo["hooks"]} <= defined
    # a tag could move; the example asks for the commit the user reviewed
    assert repo["rev"] == "FULL-40-CHARACTER-COMMIT-SHA" or SHA.fullmatch(repo["rev"])
