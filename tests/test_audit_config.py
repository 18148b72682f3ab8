"""The audit's configuration as users write it: one layout, found without --config, never
silently dropped (docs/configuration.md; cfhttps_cli/config_file.py)."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # each test runs the real CLI in subprocesses

BAD = os.path.join(ROOT, "examples", "bad")
KEYS = ("sensitive_paths", "minimum_protocol_version", "rules", "exclude")


def run(*args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def severities(out, code="CFH006"):
    return {f["severity"] for f in json.loads(out)["findings"] if f["code"] == code}


@pytest.fixture
def repo(tmp_path):
    """A repository (a .git folder) with a nested working directory."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "infra" / "stacks").mkdir(parents=True)
    return tmp_path / "repo"


LAYOUTS = {
    "top-level": ("cfhttps.toml", '[rules.CFH006]\nseverity = "warning"\n'),
    "cfhttps-table": ("cfhttps.toml", '[cfhttps]\nrequire_hsts = false\n'
                                      '[cfhttps.rules.CFH006]\nseverity = "warning"\n'),
    "pyproject": ("pyproject.toml", '[project]\nname = "infra"\n[tool.black]\nline-length = 99\n'
                                    '[tool.cfhttps.rules.CFH006]\nseverity = "warning"\n'),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_documented_layout_is_found_and_applied(repo, layout):
    name, text = LAYOUTS[layout]
    (repo / name).write_text(text)
    rc, out, err = run("audit", BAD, "--format", "json", "-v", cwd=repo / "infra" / "stacks")
    assert severities(out) == {"warning"}, (layout, err)
    assert f"configuration: {repo / name}" in err and "(discovered)" in err
    rc, out, err = run("audit", BAD, "--format", "json", "--no-config", "-v",
                       cwd=repo / "infra" / "stacks")
    assert severities(out) == {"error"} and "--no-config" in err


MISPLACED = {
    # a [cfhttps] table makes everything outside it an error, named, whatever it is
    "rules-outside-cfhttps": ('[cfhttps]\nrequire_hsts = false\n[rules.CFH006]\nseverity = "warning"\n',
                              ["[rules.CFH006]", "[cfhttps.rules.CFH006]"]),
    "bad-value-outside-cfhttps": ('[cfhttps]\n[rules.CFH006]\nseverity = "bogus"\n[typo]\nx = 1\n',
                                  ["[rules.CFH006]", "[typo]", "outside the [cfhttps] table"]),
    "typo-table-top-level": ('[typo]\nx = 1\n', ["typo: unknown setting", *KEYS]),
    "bad-severity-top-level": ('[rules.CFH006]\nseverity = "bogus"\n',
                               ["rules.CFH006.severity", "'bogus'", "error or warning"]),
    "bad-severity-in-cfhttps": ('[cfhttps.rules.CFH006]\nseverity = "bogus"\n',
                                ["cfhttps.rules.CFH006.severity", "'bogus'", "error or warning"]),
    "unknown-key-in-cfhttps": ('[cfhttps]\nsensitve_paths = ["/admin/*"]\n',
                               ["cfhttps.sensitve_paths: unknown setting", *KEYS]),
    "bad-choice": ('minimum_protocol_version = "TLSv9"\n',
                   ["minimum_protocol_version", "TLSv9", "TLSv1.2_2021"]),
    "unknown-rule": ('[rules.CFH999]\nenabled = false\n', ["rules.CFH999", "no such rule"]),
    "bad-exclude": ('exclude = "fixtures"\nexclude_more = 1\n', ["exclude_more: unknown setting"]),
    "exclude-not-strings": ('exclude = [1]\n', ["exclude: expected a list of glob strings"]),
    "tool-table-in-standalone": ('[tool.cfhttps]\nrequire_hsts = true\n',
                                 ["[tool.cfhttps] belongs in pyproject.toml"]),
    "invalid-toml": ('[rules.CFH006\nseverity = "warning"\n', ["invalid TOML"]),
}


@pytest.mark.parametrize("case", sorted(MISPLACED))
def test_misplaced_unknown_or_bad_configuration_fails_loudly(repo, case):
    text, wanted = MISPLACED[case]
    cfg = repo / "cfhttps.toml"
    cfg.write_text(text)
    for argv, cwd in ((["audit", BAD], repo / "infra"),  # discovered
                      (["audit", BAD, "--config", str(cfg)], repo.parent)):  # named
        rc, out, err = run(*argv, cwd=cwd)
        assert rc == 2 and out == "", (case, argv, out, err)
        assert str(cfg) in err, (case, err)
        for w in wanted:
            assert w in err, (case, w, err)
        assert "Traceback" not in err


def test_pyproject_layout_mistakes_fail_loudly(repo):
    py = repo / "pyproject.toml"
    py.write_text('[project]\nname = "x"\n[cfhttps]\nrequire_hsts = true\n')
    rc, _, err = run("audit", BAD, cwd=repo / "infra")
    assert rc == 2 and str(py) in err and "rename it [tool.cfhttps]" in err
    py.write_text('[tool.cfhttps]\nrequire_hsts = "maybe"\n[tool.cfhttps.rules.CFH001]\nlevel = 1\n')
    rc, _, err = run("audit", BAD, cwd=repo / "infra")
    assert rc == 2 and "tool.cfhttps.require_hsts: expected true or false" in err
    assert "tool.cfhttps.rules.CFH001.level: unknown setting (enabled, severity)" in err
    py.write_text('[project]\nname = "x"\n')  # --config names a pyproject without our table
    rc, _, err = run("audit", BAD, "--config", str(py), cwd=repo)
    assert rc == 2 and "no [tool.cfhttps] table" in err


def test_discovery_order_and_where_it_stops(repo, tmp_path):
    stacks = repo / "infra" / "stacks"
    # above the repository root: never read
    (tmp_path / "cfhttps.toml").write_text('[rules.CFH006]\nenabled = false\n')
    rc, out, err = run("audit", BAD, "--format", "json", "-v", cwd=stacks)
    assert severities(out) == {"error"} and "none found" in err and str(repo) in err
    # a pyproject.toml without [tool.cfhttps] is passed over; the next folder up is searched
    (stacks / "pyproject.toml").write_text('[project]\nname = "stacks"\n')
    (repo / "pyproject.toml").write_text('[tool.cfhttps.rules.CFH006]\nseverity = "warning"\n')
    rc, out, err = run("audit", BAD, "--format", "json", "-v", cwd=stacks)
    assert severities(out) == {"warning"} and str(repo / "pyproject.toml") in err
    # in one folder, cfhttps.toml comes before pyproject.toml; the nearest folder wins
    (repo / "infra" / "cfhttps.toml").write_text('[rules.CFH006]\nenabled = false\n')
    rc, out, err = run("audit", BAD, "--format", "json", "-v", cwd=stacks)
    assert severities(out) == set() and str(repo / "infra" / "cfhttps.toml") in err
    # --config wins over discovery; flags win over the file
    named = tmp_path / "other.toml"
    named.write_text('minimum_protocol_version = "TLSv1"\n'
                     '[rules.CFH006]\nseverity = "warning"\n')
    rc, out, _ = run("audit", BAD, "--format", "json", "--config", str(named), cwd=stacks)
    assert severities(out) == {"warning"} and severities(out, "CFH009") == set()
    rc, out, _ = run("audit", BAD, "--format", "json", "--config", str(named),
                     "--minimum-protocol-version", "TLSv1.2_2021", cwd=stacks)
    assert severities(out, "CFH009") == {"warning"}
    # --config and --no-config together: a usage error
    rc, _, err = run("audit", BAD, "--config", str(named), "--no-config", cwd=stacks)
    assert rc == 2 and "not allowed with" in err


def test_a_discovered_configuration_is_never_overwritten(repo):
    cfg = repo / "cfhttps.toml"
    cfg.write_text('require_hsts = false\n')
    rc, _, err = run("audit", BAD, "--output", str(cfg), cwd=repo)
    assert rc == 2 and "configuration discovery" in err and cfg.read_text() == 'require_hsts = false\n'


def test_the_example_configuration_is_valid_and_applies():
    example = os.path.join(ROOT, "examples", "cfhttps.example.toml")
    rc, out, err = run("audit", BAD, "--config", example, "--format", "json", cwd=ROOT)
    assert rc == 1, err
    assert severities(out, "CFH005") == {"error"}  # the example raises CFH005 to an error
