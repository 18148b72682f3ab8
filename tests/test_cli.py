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
    assert files == {os.path.join("examples", "bad", "website-and-order.yaml")}
    found = {f["code"] for f in doc["findings"]}
    assert found == {"CFH001", "CFH002", "CFH004", "CFH005", "CFH006", "CFH008", "CFH009", "CFH010"}
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
    first = out.splitlines()[0]
    assert first.startswith("examples/bad/website-and-order.yaml:21:15: CFH002 error:")


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
    rc, _, _ = run("audit", "examples/bad", "--write-baseline", str(base), "-q")
    assert rc == 1 and base.exists()
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
    assert rc == 1 and doc["summary"]["inputs"] == 1 and doc["skipped"] == []


def test_invalid_sensitive_glob_is_a_configuration_error():
    rc, _, err = run("audit", "examples/", "--sensitive-path", "/admin page/*")
    assert rc == 2 and "sensitive_paths" in err and "does not allow" in err
