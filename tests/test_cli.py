"""The audit command line as users run it: exit codes, report shapes, bad input."""

import json
import os
import subprocess
import sys

import pytest


from conftest import ROOT
from rules.catalog import CATALOG

pytestmark = pytest.mark.slow  # runs the cfhttps command in subprocesses

BAD = os.path.join(ROOT, "examples", "bad")
GOOD = os.path.join(ROOT, "examples", "good")


def run(*args, cwd=ROOT):
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def test_examples_bad_and_good():
    rc, out, err = run("audit", "examples/", "--format", "json")
    assert rc == 1, err
    doc = json.loads(out)
    assert doc["version"] == 1
    files = {f["file"] for f in doc["findings"]}
    template = os.path.join("examples", "bad", "website-and-order.yaml")
    module = os.path.join("examples", "bad", "terraform", "main.tf")
    plan = os.path.join("examples", "bad", "terraform-plan.json")
    api = os.path.join("examples", "bad", "cloudfront-api.json")
    stack = os.path.join("examples", "bad", "pulumi-stack.json")
    assert files == {template, module, plan, api, stack}, files
    by_file = {name: {f["code"] for f in doc["findings"] if f["file"] == name} for name in files}
    assert by_file[template] == {"CFH001", "CFH002", "CFH004", "CFH005", "CFH006", "CFH008",
                                 "CFH009", "CFH010"}
    assert by_file[module] == {"CFH004", "CFH008", "CFH009", "CFH012"}
    assert by_file[plan] == {"CFH002"}
    assert "CFH001" in by_file[api] and "CFH002" in by_file[stack]
    f = next(f for f in doc["findings"] if f["code"] == "CFH006")
    assert set(f) >= {"code", "cfn_lint_id", "policy", "severity", "message", "file", "resource",
                      "path", "example_path", "condition"}
    assert f["example_path"] == "/admin/a.php" and f["cfn_lint_id"] == "E9106"
    assert f["path"] == ["Resources", "Cdn", "Properties", "DistributionConfig", "CacheBehaviors", 1, "PathPattern"]
    assert doc["errors"] == [] and doc["summary"]["findings"] == len(doc["findings"])


def test_good_example_exits_zero():
    rc, out, _ = run("audit", "examples/good")
    assert rc == 0 and out.startswith("0 finding(s)")


def test_text_lines_have_file_line_col():
    rc, out, _ = run("audit", "examples/bad")
    first = next(line for line in out.splitlines() if "website-and-order.yaml" in line)
    assert first.startswith("examples/bad/website-and-order.yaml:21:15: CFH002 error:")
    assert any(line.startswith("examples/bad/terraform/main.tf:21:1: CFH012 warning:")
               for line in out.splitlines())
    assert any(line.startswith("examples/bad/cloudfront-api.json:34:7: CFH001 error:")
               for line in out.splitlines()), out


def test_fail_on(tmp_path):
    warn_only = tmp_path / "w.yaml"
    warn_only.write_text("""Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: https-only}
""")
    assert run("audit", str(warn_only))[0] == 0
    assert run("audit", str(warn_only), "--fail-on", "warning")[0] == 1
    assert run("audit", "examples/bad", "--fail-on", "never")[0] == 0


def test_bad_inputs_are_reported_and_others_still_audited(tmp_path):
    (tmp_path / "broken.yaml").write_text("Resources: [unclosed\n")
    (tmp_path / "bad.json").write_text('{"Resources": ')
    (tmp_path / "props.yaml").write_text("Resources:\n  D:\n    Type: AWS::CloudFront::Distribution\n    Properties: 7\n")
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "ok.yaml").write_text(open(os.path.join(BAD, "website-and-order.yaml")).read())
    rc, out, err = run("audit", str(tmp_path), "--format", "json")
    assert rc == 2, err
    doc = json.loads(out)
    msgs = {os.path.basename(e["file"]): e["message"] for e in doc["errors"]}
    assert set(msgs) == {"broken.yaml", "bad.json"}
    assert msgs["broken.yaml"].startswith("invalid YAML")
    assert msgs["bad.json"].startswith("invalid JSON")
    assert [os.path.basename(s["file"]) for s in doc["skipped"]] == ["ci.yml"]
    assert any("Properties is int" in n["message"] for n in doc["notes"])
    assert any(f["file"].endswith("ok.yaml") for f in doc["findings"])
    assert "Traceback" not in err


def test_named_non_template_is_an_error(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("hello: world\n")
    rc, out, _ = run("audit", str(p), "--format", "json")
    assert rc == 2 and "not a supported input" in json.loads(out)["errors"][0]["message"]


def test_missing_path():
    rc, out, _ = run("audit", "no/such/file.yaml")
    assert rc == 2 and "no such file" in out


def test_alias_bomb_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i-1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    lines.append("Resources: {}")
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines) + "\n")
    rc, out, _ = run("audit", str(p), "--format", "json")
    assert rc == 2 and "alias bomb" in json.loads(out)["errors"][0]["message"]


def test_size_limit(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text("Resources: {}\n# " + "x" * 5000 + "\n")
    rc, out, _ = run("audit", str(p), "--max-file-size", "1000", "--format", "json")
    assert rc == 2 and "byte limit" in json.loads(out)["errors"][0]["message"]


def test_config_file_and_flags(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('sensitive_paths = ["/admin/*"]\nminimum_protocol_version = "TLSv1"\n'
                   '[rules.CFH001]\nenabled = false\n[rules.CFH010]\nseverity = "error"\n')
    rc, out, _ = run("audit", "examples/bad", "--config", str(cfg), "--format", "json")
    doc = json.loads(out)
    found = {f["code"] for f in doc["findings"]}
    assert "CFH001" not in found and "CFH009" not in found
    assert {f["severity"] for f in doc["findings"] if f["code"] == "CFH010"} == {"error"}
    bad = tmp_path / "bad.toml"
    bad.write_text('minimum_protocol_version = "TLSv9"\nsurprise = 1\n')
    rc, out, err = run("audit", "examples/bad", "--config", str(bad))
    assert rc == 2 and "TLSv9" in err and "surprise" in err


def test_rules_and_explain():
    rc, out, _ = run("rules")
    assert rc == 0 and len(out.splitlines()) == len(CATALOG) and "E9106" in out
    rc, out, _ = run("explain", "CFH006")
    assert rc == 0 and "Worked example" in out and "/admin/a.php" in out
    rc, out, _ = run("explain", "E9102")
    assert rc == 0 and out.startswith("# CFH002")
    rc, _, err = run("explain", "CFH999")
    assert rc == 2 and "no rule" in err


def test_baseline_reports_only_new_findings(tmp_path):
    base = tmp_path / "base.json"
    rc, _, err = run("audit", "examples/bad", "--write-baseline", str(base), "-q")
    recorded = len(json.loads(base.read_text())["findings"])
    assert rc == 0 and recorded > 0  # adopting a baseline must not fail a CI step
    assert f"{recorded} finding(s) recorded" in err
    rc, out, _ = run("audit", "examples/bad", "--baseline", str(base), "--format", "json")
    doc = json.loads(out)
    assert rc == 0 and doc["findings"] == [] and doc["summary"]["baselined"] > 0


def test_output_file(tmp_path):
    out = tmp_path / "r.md"
    rc, stdout, _ = run("audit", "examples/bad", "--format", "markdown", "--output", str(out))
    assert stdout == "" and rc == 1
    text = out.read_text()
    assert text.startswith("# CloudFront HTTPS audit") and "| CFH006 |" in text and "`/admin/a.php`" in text


def test_reports_written_into_an_audited_folder_are_refused(tmp_path):
    """A report the sweep would read back is refused (exit 2) before anything is written; a
    hidden folder, which sweeps pass over, is a fine place for it."""
    (tmp_path / "t.yaml").write_text(open(os.path.join(BAD, "website-and-order.yaml")).read())
    out = tmp_path / "report.json"
    base = tmp_path / "base.json"
    rc, _, err = run("audit", str(tmp_path), "--format", "json", "--output", str(out),
                     "--write-baseline", str(base))
    assert rc == 2 and "would be read as an input" in err
    assert not out.exists() and not base.exists()
    hidden = tmp_path / ".cfhttps"
    hidden.mkdir()
    rc, _, _ = run("audit", str(tmp_path), "--format", "json", "--output", str(hidden / "r.json"),
                   "--write-baseline", str(hidden / "b.json"))
    doc = json.loads((hidden / "r.json").read_text())
    assert rc == 0 and doc["summary"]["inputs"] == 1 and doc["skipped"] == []


def test_invalid_sensitive_glob_is_a_configuration_error():
    rc, _, err = run("audit", "examples/", "--sensitive-path", "/admin page/*")
    assert rc == 2 and "sensitive_paths" in err and "does not allow" in err


# ------------------------------------------------------- the CLI explains itself (issue 23, item 5)

def _entry_point():
    """The console script pyproject.toml declares (`cfhttps = module:function`)."""
    from cfhttps_cli.config_file import load_toml
    target = load_toml(os.path.join(ROOT, "pyproject.toml"))["project"]["scripts"]["cfhttps"]
    module, function = target.split(":")
    return module, function


def cfhttps(*args, cwd=ROOT):
    """Run `cfhttps ARGS` through the declared entry point, as the installed script does."""
    module, function = _entry_point()
    code = (f"import sys; sys.argv[0] = 'cfhttps'; from {module} import {function} as m; "
            f"sys.exit(m())")
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def _project_version():
    from cfhttps_cli.config_file import load_toml
    return load_toml(os.path.join(ROOT, "pyproject.toml"))["project"]["version"]


@pytest.mark.slow
def test_version(tmp_path):
    rc, out, _ = cfhttps("--version")
    assert rc == 0 and out.split()[:2] == ["cfhttps", _project_version()], out
    # run from a checkout with nothing installed (-S: no site-packages), pyproject.toml says it;
    # a copy, because an editable install leaves cfhttps.egg-info metadata in the clone itself
    import shutil
    for package in ("cfhttps_cli", "rules"):
        shutil.copytree(os.path.join(ROOT, package), tmp_path / package)
    shutil.copy(os.path.join(ROOT, "pyproject.toml"), tmp_path / "pyproject.toml")
    proc = subprocess.run([sys.executable, "-S", "-c", "from cfhttps_cli.version import "
                           "describe; print(describe())"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert proc.stdout.strip() == f"cfhttps {_project_version()} (from the source tree, not installed)", \
        proc.stderr


EXIT_LINES = ("  0  ", "  1  ", "  2  ")


def test_help_explains_every_option_and_the_exit_codes():
    import argparse
    from cfhttps_cli.main import parser
    top = parser()
    subs = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in [("cfhttps", top)] + sorted(subs.choices.items()):
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and action.help.strip(), (name, action.option_strings or action.dest)
            if action.choices and action.option_strings:
                for choice in action.choices:  # every choice is explained, not only listed
                    assert choice in action.help, (name, action.option_strings, choice)
    for p in (top, subs.choices["audit"]):
        text = p.format_help()
        assert "exit codes:" in text
        lines = text[text.index("exit codes:"):].splitlines()[1:4]
        assert [line[:5] for line in lines] == list(EXIT_LINES), lines
        assert "--fail-on" in lines[0] and "findings" in lines[1] and "could not be read" in lines[2]


def test_help_exit_codes_match_the_docs():
    readme = open(os.path.join(ROOT, "docs", "audit.md"), encoding="utf-8").read()
    start = readme.index("**Exit codes**")
    section = readme[start:readme.index("\n- **", start)]
    for code, phrase in (("0 =", "--fail-on"), ("1 =", "findings"), ("2 =", "could not be read")):
        assert code in section and phrase in section, (code, section)


@pytest.mark.slow
def test_exit_codes_through_the_entry_point(tmp_path):
    assert cfhttps("audit", "examples/good")[0] == 0
    assert cfhttps("audit", "examples/bad")[0] == 1
    assert cfhttps("audit", "examples/bad", "--fail-on", "never")[0] == 0
    assert cfhttps("audit", "no/such/file.yaml")[0] == 2
    bad = tmp_path / "c.toml"
    bad.write_text('[rules.CFH006]\nseverity = "bogus"\n')
    rc, _, err = cfhttps("audit", "examples/bad", "--config", str(bad))
    assert rc == 2 and "bogus" in err
    rc, _, err = cfhttps("audit", "--no-such-option")
    assert rc == 2 and "unrecognized arguments" in err
    rc, _, err = cfhttps()
    assert rc == 2 and "usage: cfhttps" in err
    rc, out, _ = cfhttps("--help")
    assert rc == 0 and "exit codes:" in out
    base = tmp_path / "b.json"
    rc, out, err = cfhttps("audit", "examples/bad", "--write-baseline", str(base))
    written = json.loads(base.read_text())["findings"]
    assert rc == 0 and written and f"{len(written)} finding(s) recorded" in err
    assert out.splitlines()[-1].startswith(f"{len(written)} finding(s)")  # still reported
    # an unreadable input still fails a run that writes a baseline (the baseline is incomplete)
    rc, _, _ = cfhttps("audit", "examples/bad", "no/such.yaml", "--write-baseline", str(base))
    assert rc == 2
    rc, out, _ = cfhttps("rules", "--format", "json")
    assert rc == 0 and [r["code"] for r in json.loads(out)] == list(CATALOG)
