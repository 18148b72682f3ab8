"""The sweep's textual screen (cfhttps_io.terraform.screen): a module whose files never name
aws_cloudfront_distribution, nor do the local modules it calls, is passed over unparsed. It
must be exact: it skips only what parsing would have found empty, and anything it cannot prove
(remote calls, odd headers, escapes, cycles) is parsed as before."""

import glob
import json
import os

import pytest

from conftest import ROOT
from cfhttps_io import terraform as tf_io
from rules.sources import terraform

DIST = '''resource "aws_cloudfront_distribution" "d" {
  enabled = true
  origin {
    domain_name = "app.example.com"
    origin_id   = "app"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
'''
VPC = '''# This module creates a VPC; no module { here
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
'''


def write(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


def call(name, source):
    return f'module "{name}" {{\n  source = "{source}"\n  name   = "x"\n}}\n'


@pytest.mark.parametrize("files, proven", [
    ({"m/main.tf": VPC}, True),
    ({"m/main.tf": VPC, "m/cdn.tf": DIST}, False),  # the other file of the module
    ({"m/main.tf": call("net", "../net"), "net/main.tf": VPC}, True),
    ({"m/main.tf": call("cdn", "../cdn"), "cdn/main.tf": DIST}, False),
    ({"m/main.tf": call("a", "./a") + call("b", "./b"), "m/a/main.tf": call("c", "../c"),
      "m/b/main.tf": call("c", "../c"), "m/c/main.tf": VPC}, True),  # a diamond
    ({"m/main.tf": call("a", "./a"), "m/a/main.tf": call("c", "../c"),
      "m/c/main.tf": call("cdn", "../../cdn"), "cdn/main.tf": DIST}, False),  # two calls away
    ({"m/main.tf": call("x", "terraform-aws-modules/cloudfront/aws")}, False),  # remote: a note
    ({"m/main.tf": call("x", "./missing")}, False),
    ({"m/main.tf": 'module "x" {\n  source = "./${var.p}"\n}\n'}, False),
    ({"m/main.tf": 'module /* c */ "x" {\n  source = "./a"\n}\n', "m/a/main.tf": DIST}, False),
    ({"m/main.tf": 'module "x" /* c */ {\n  source = "./a"\n}\n', "m/a/main.tf": DIST}, False),
    ({"m/main.tf": '/* c */ module "x" {\n  source = "./a"\n}\n', "m/a/main.tf": DIST}, False),
    ({"m/main.tf": '\ufeffmodule "x" {\n  source = "./a"\n}\n', "m/a/main.tf": DIST}, False),
    ({"m/main.tf": 'module "x" {\n  source = "./a"\n}\nresource "aws_s3_object" "o" {\n'
                   '  source = "./index.html"\n}\n', "m/a/main.tf": VPC}, False),
    ({"m/main.tf": 'resource "aws_cloudfront_\\u0064istribution" "d" {}\n'}, False),
    ({"m/main.tf.json": json.dumps({"resource": {"aws_vpc": {"v": {}}}})}, True),
    ({"m/main.tf.json": json.dumps({"module": {"x": {"source": "./a"}}}),
      "m/a/main.tf": DIST}, False),
    ({"m/main.tf": call("b", "../b"), "b/main.tf": call("m", "../m")}, False),  # a cycle
    ({"m/main.tf": VPC, "m/main_override.tf": DIST}, True),  # override files are not read
])
def test_screen_proves_only_what_parsing_would_find(tmp_path, files, proven):
    write(str(tmp_path), files)
    reason = tf_io.screen(str(tmp_path / "m"))
    assert (reason is not None) == proven, reason
    if proven and tf_io.parser_available():
        # What parsing would have said: nothing to judge and nothing to note.
        dists, notes, _ = terraform.module_distributions(tf_io.load_module(str(tmp_path / "m")))
        assert not dists and not notes


def _project_modules():
    dirs = set()
    for pattern in ("tests/**/*.tf", "tests/**/*.tf.json", "examples/**/*.tf"):
        dirs.update(os.path.dirname(p) for p in glob.glob(os.path.join(ROOT, pattern),
                                                          recursive=True))
    for case in glob.glob(os.path.join(ROOT, "..", "shared", "corpus", "tf", "*")):
        if os.path.isdir(case):
            dirs.add(case)
    return sorted(dirs)


def test_screen_never_skips_a_module_that_parses_to_something():
    pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")
    modules = _project_modules()
    assert modules
    for d in modules:
        reason = tf_io.screen(d)
        module = tf_io.load_module(d)
        dists, notes, _ = terraform.module_distributions(module)
        if reason is not None:
            assert not dists and not notes and not module["errors"], d
        else:
            assert dists or notes or module["errors"] or any(
                "aws_cloudfront_distribution" in open(os.path.join(d, n), encoding="utf-8",
                                                      errors="replace").read()
                for n in module["files"]), d


@pytest.mark.slow
def test_sweep_passes_over_screened_modules_and_says_why(tmp_path):
    pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")
    from test_terraform_cli import audit
    write(str(tmp_path), {
        "net/main.tf": VPC,
        "app/main.tf": call("lib", "../lib"), "lib/main.tf": VPC,
        "cdn/main.tf": DIST,
        "edge/main.tf": call("cdn", "../cdn2"), "cdn2/main.tf": DIST.replace('"d"', '"e"'),
        "remote/main.tf": call("x", "terraform-aws-modules/cloudfront/aws"),
    })
    proc = audit(str(tmp_path), "--no-config", "--format", "json")
    doc = json.loads(proc.stdout)
    skipped = {os.path.basename(s["file"]): s["reason"] for s in doc["skipped"]}
    assert "no aws_cloudfront_distribution in its files: not parsed" in skipped["net"]
    assert "nor in the local modules it calls" in skipped["app"]
    assert "lib" in skipped  # called, and proven empty too
    resources = {f["resource"] for f in doc["findings"]}
    assert resources == {"aws_cloudfront_distribution.d", "module.cdn.aws_cloudfront_distribution.e"}
    # The remote call is still read, and its note reported.
    assert any("remote module" in n["message"] for n in doc["notes"]), doc["notes"]
    assert doc["summary"]["skipped"] >= 3
    text = audit(str(tmp_path), "--no-config", "--verbose").stdout
    assert "net: skipped: a Terraform module with no aws_cloudfront_distribution" in text
