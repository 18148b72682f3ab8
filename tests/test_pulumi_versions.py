"""The pack on both ends of the pulumi-policy range it pins (requirements.txt): the installed
version (the newest the range allows when the venv was made) and the lowest, with the lowest
pulumi the pack allows, in a second virtual environment this module creates once and keeps
(``.venv/sdk-oldest-*``; a stamp file says it is complete). Both packs get the same requests in
the engine's shape and must give the same answers, each on the shared Analyze path.

Creating that venv needs the package registry; when the registry cannot be reached the tests
skip and say so. Any other failure to create it is a failure."""

import copy
import fcntl
import os
import re
import subprocess
import sys

import pytest
from google.protobuf import empty_pb2
from google.protobuf.json_format import MessageToDict

from conftest import ROOT
from pulumi_harness import Pack, capture

pytestmark = pytest.mark.slow  # builds a second virtual environment with the lowest pinned SDK

PROGRAMS = os.path.join(ROOT, "tests", "pulumi_programs")
AWS = "aws:cloudfront/distribution:Distribution"
NATIVE = "aws-native:cloudfront:Distribution"


def pinned(package):
    """(lowest, upper bound) of ``package`` in requirements.txt."""
    text = open(os.path.join(ROOT, "requirements.txt")).read()
    m = re.search(rf"^{re.escape(package)}>=([\d.]+),<([\d.]+)\s*$", text, re.M)
    assert m, f"{package} has no '>=low,<high' pin in requirements.txt"
    return m.group(1), m.group(2)


def _version_tuple(v):
    return tuple(int(x) for x in v.split("."))


def test_pulumi_policy_pin_has_an_upper_bound_and_the_installed_version_is_in_it():
    from pulumi_policy.version import VERSION
    low, high = pinned("pulumi-policy")
    assert _version_tuple(low) <= _version_tuple(VERSION) < _version_tuple(high)
    pyproject = open(os.path.join(ROOT, "pyproject.toml")).read()
    assert f'"pulumi-policy>={low.rsplit(".0", 1)[0]},<{high.rsplit(".0", 1)[0]}"' in pyproject


def _registry_unreachable(python, package):
    """A reason string when the package registry cannot be reached (pip's own check), else None."""
    probe = subprocess.run([python, "-m", "pip", "download", "--no-deps", "--quiet", "-d",
                            os.path.join(ROOT, ".venv", "sdk-probe-download"), package],
                           capture_output=True, text=True, timeout=600)
    if probe.returncode == 0:
        return None
    tail = (probe.stderr or probe.stdout).strip().splitlines()[-1:] or ["no output"]
    return f"the package registry could not be reached to fetch {package}: {tail[0]}"


@pytest.fixture(scope="module")
def oldest_python():
    policy, _ = pinned("pulumi-policy")
    pulumi, _ = pinned("pulumi")
    wanted = [f"pulumi-policy=={policy}", f"pulumi=={pulumi}"]
    venv = os.path.join(ROOT, ".venv", f"sdk-oldest-{policy}-{pulumi}")
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".complete")
    os.makedirs(os.path.join(ROOT, ".venv"), exist_ok=True)
    with open(os.path.join(ROOT, ".venv", "sdk-oldest.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(stamp):
            subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True, timeout=600)
            proc = subprocess.run([python, "-m", "pip", "install", "--quiet", *wanted],
                                  capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0:
                reason = _registry_unreachable(python, wanted[0])
                if reason:
                    pytest.skip(reason)
                pytest.fail(f"could not install {wanted} into {venv}:\n{proc.stdout}\n{proc.stderr}")
            open(stamp, "w").write(" ".join(wanted) + "\n")
    return python


@pytest.fixture(scope="module")
def packs(oldest_python):
    both = {"installed": Pack(ROOT), "oldest": Pack(ROOT, python=oldest_python)}
    yield both
    for p in both.values():
        p.close()


def test_oldest_pack_runs_the_lowest_pinned_sdk(packs):
    low, _ = pinned("pulumi-policy")
    assert packs["oldest"].stub.GetPluginInfo(empty_pb2.Empty(), timeout=60).version == low
    from pulumi_policy.version import VERSION
    assert packs["installed"].stub.GetPluginInfo(empty_pb2.Empty(), timeout=60).version == VERSION


def _answers(p, captured):
    """Every RPC the engine sends, on real program captures, under two configurations."""
    out = []
    dists = [c for c in captured if c["type"] in (AWS, NATIVE)]
    for config in ({}, {"cloudfront-viewer-https": {"enforcementLevel": "remediate"},
                        "cloudfront-s3-website-origin-https": {"enforcementLevel": "remediate"},
                        "cloudfront-sensitive-path-https": {"enforcementLevel": "mandatory",
                                                            "sensitive_paths": ["/admin/*"]},
                        "cloudfront-viewer-tls": {"enforcementLevel": "disabled"}}):
        p.configure(config)
        for d in dists:
            out.append([MessageToDict(x) for x in p.analyze(d["type"], d["name"], d["inputs"], d)])
            out.append([MessageToDict(x) for x in p.remediate(d["type"], d["name"],
                                                                copy.deepcopy(d["inputs"]), d)])
        stack = [{"type": c["type"], "name": c["name"], "props": c["inputs"], "resource": c}
                 for c in captured]
        out.append([MessageToDict(x) for x in p.analyze_stack(stack)])
    return out


@pytest.mark.parametrize("program,reports", [("website_https.py", True), ("native_allow_all.py", True),
                                             ("rest_oac_good.py", False)])
def test_oldest_and_installed_sdk_answer_alike(packs, program, reports):
    captured = capture(os.path.join(PROGRAMS, program), ROOT)
    answers = {name: _answers(p, captured) for name, p in packs.items()}
    assert answers["oldest"] == answers["installed"]
    assert any(answers["installed"]) == reports


def test_both_packs_stayed_on_the_shared_path(packs):
    """Runs after the requests above: the start-up probe agreed on both SDK versions and no
    request made a pack leave the shared path (either would be one 'cfhttps:' line on stderr)."""
    for name, p in packs.items():
        p.analyze(AWS, "cdn", {"enabled": True})
        assert not [line for line in p.stderr_lines() if line.startswith("cfhttps:")], (name, p.stderr_lines())
