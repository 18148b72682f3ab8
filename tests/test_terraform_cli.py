"""The audit door on Terraform: a sweep finds modules (.tf directories) and plan JSON by
content; findings carry Terraform addresses, .tf lines (SARIF regions) and baseline fingerprints."""

import json
import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "terraform")


def audit(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path))
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=120)
    return proc


@pytest.mark.slow
def test_sweep_json_sarif_baseline(tmp_path):
    tree = tmp_path / "repo"
    shutil.copytree(FIXTURES, tree)
    proc = audit(str(tree), "--format", "json", "--quiet")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    found = {(f["code"], f["resource"], f["line"]) for f in doc["findings"]}
    assert ("CFH002", "aws_cloudfront_distribution.site", 38) in found
    assert ("CFH008", 'module.edge.aws_cloudfront_distribution.this["eu"]', 50) in found
    assert any(f[1] == 'module.cdn.aws_cloudfront_distribution.this["eu"]' for f in found)
    # The called module is judged through its caller, not again on its own.
    assert not any(f[1].startswith("aws_cloudfront_distribution.this") for f in found)
    sarif = json.loads(audit(str(tree), "--format", "sarif", "--quiet").stdout)
    regions = [r["locations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"]]
    assert any(p["artifactLocation"]["uri"].endswith("site/main.tf") and
               p.get("region", {}).get("startLine") == 38 for p in regions)
    base = tmp_path / "baseline.json"
    audit(str(tree), "--write-baseline", str(base), "--quiet")
    again = audit(str(tree), "--baseline", str(base), "--format", "json", "--quiet")
    assert again.returncode == 0 and json.loads(again.stdout)["findings"] == []


@pytest.mark.slow
def test_input_kinds_and_fail_on(tmp_path):
    plan = os.path.join(FIXTURES, "plan", "mixed.json")
    proc = audit(plan, "--input-kind", "tf-plan", "--format", "json", "--quiet")
    assert proc.returncode == 1
    codes = {f["code"] for f in json.loads(proc.stdout)["findings"]}
    assert {"CFH001", "CFH002", "CFH004", "CFH009"} <= codes
    assert audit(plan, "--fail-on", "never", "--quiet").returncode == 0
    # A module named by one of its files; a plan swept with --input-kind terraform is passed over.
    tf = os.path.join(FIXTURES, "modules", "cdn", "main.tf")
    proc = audit(tf, "--format", "json", "--quiet")
    doc = json.loads(proc.stdout)
    assert {f["resource"] for f in doc["findings"]} == {"aws_cloudfront_distribution.this[each]"}
    proc = audit(os.path.join(FIXTURES, "plan"), "--input-kind", "terraform", "--format",
                 "json", "--quiet")
    assert json.loads(proc.stdout)["findings"] == []
    (tmp_path / "broken.tf").write_text("resource {")
    proc = audit(str(tmp_path / "broken.tf"), "--format", "json", "--quiet")
    assert proc.returncode == 2 and "broken.tf" in proc.stdout + proc.stderr


@pytest.mark.slow
def test_a_folder_of_tf_json_only_is_a_module_in_a_sweep(tmp_path):
    """What cdktf writes: a folder holding only ``.tf.json`` files is a module, found in a sweep
    beside other inputs (not passed over as JSON that is no template)."""
    stack = tmp_path / "cdktf.out" / "stacks" / "web"
    stack.mkdir(parents=True)
    doc = {
        "variable": {"policy": {"default": "allow-all"}},
        "resource": {"aws_cloudfront_distribution": {"cdn": {
            "enabled": True,
            "origin": [{"domain_name": "app.example.com", "origin_id": "app",
                        "custom_origin_config": {"http_port": 80, "https_port": 443,
                                                 "origin_protocol_policy": "https-only",
                                                 "origin_ssl_protocols": ["TLSv1.2"]}}],
            "default_cache_behavior": {"target_origin_id": "app",
                                       "viewer_protocol_policy": "${var.policy}",
                                       "allowed_methods": ["GET", "HEAD"],
                                       "cached_methods": ["GET", "HEAD"]},
            "restrictions": {"geo_restriction": {"restriction_type": "none"}},
            "viewer_certificate": {"cloudfront_default_certificate": True}}}},
    }
    (stack / "cdk.tf.json").write_text(json.dumps(doc, indent=2))
    (tmp_path / "package.json").write_text('{"name": "x"}')
    proc = audit(str(tmp_path), "--format", "json", "--quiet")
    found = {(f["code"], f["resource"]) for f in json.loads(proc.stdout)["findings"]}
    assert ("CFH001", "aws_cloudfront_distribution.cdn") in found, proc.stdout + proc.stderr
    assert proc.returncode == 1
