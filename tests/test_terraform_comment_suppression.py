"""``# cfhttps:ignore ...`` comments in Terraform modules: the suppression spelling Terraform
users write (beside the ``cfhttps:ignore`` tag every source has), read from the resource block
or the comment lines right above it, counted and shown as suppressed, never dropped."""

import json
import subprocess
import sys

import pytest

pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")

from cfhttps_io import terraform as tf_io  # noqa: E402
from conftest import ROOT  # noqa: E402
from rules import config, engine, suppression  # noqa: E402
from rules.sources import terraform  # noqa: E402

MODULE = """
%(above)s
resource "aws_cloudfront_distribution" "legacy" {
  enabled = true
  origin {
    domain_name = "app.example.com"
    origin_id   = "app"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1", "TLSv1.2"]
    }
  }
  default_cache_behavior {
    %(inside)s
    target_origin_id       = "app"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:111111111111:certificate/abc"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_s3_bucket" "other" { # cfhttps:ignore CFH010
  bucket = "x"
}
"""


def judge(tmp_path, above="", inside=""):
    (tmp_path / "main.tf").write_text(MODULE % dict(above=above, inside=inside))
    dists, notes, _ = terraform.module_distributions(tf_io.load_module(str(tmp_path)))
    result = engine.evaluate(dists, config.from_mapping({})[0])
    kept, gone, tag_notes = suppression.apply(result.findings, dists)
    notes = [n.message for d in dists for n in d.notes if n.code == suppression.NOTE_CODE]
    return {f.code for f in kept}, {f.code: why for f, why in gone}, notes


def test_without_a_comment_every_finding_stands(tmp_path):
    kept, gone, notes = judge(tmp_path)
    assert kept == {"CFH001", "CFH010"} and gone == {} and notes == []


@pytest.mark.parametrize("above, inside", [
    ("# cfhttps:ignore CFH001 -- legacy clients, until 2027", ""),
    ("// cfhttps:ignore E9101", ""),
    ("/* cfhttps:ignore CFH001 */", ""),
    ("", "# cfhttps:ignore CFH001"),
])
def test_a_comment_suppresses_its_distribution(tmp_path, above, inside):
    kept, gone, notes = judge(tmp_path, above, inside)
    assert kept == {"CFH010"}  # the other resource's comment speaks for that resource only
    assert list(gone) == ["CFH001"] and gone["CFH001"].startswith("comment cfhttps:ignore (main.tf:")
    assert notes == []


def test_a_comment_separated_by_a_blank_line_or_after_code_is_not_the_blocks(tmp_path):
    kept, gone, _ = judge(tmp_path, above="# cfhttps:ignore CFH001\n")
    assert "CFH001" in kept and gone == {}


def test_unknown_names_are_notes_and_commas_separate(tmp_path):
    kept, gone, notes = judge(tmp_path, above="# cfhttps:ignore CFH010, CFH01 -- typo")
    assert kept == {"CFH001"} and list(gone) == ["CFH010"]
    assert len(notes) == 1 and "'CFH01'" in notes[0] and "main.tf:2" in notes[0]


@pytest.mark.slow
def test_the_audit_reports_comment_suppressions(tmp_path):
    (tmp_path / "main.tf").write_text(MODULE % dict(above="# cfhttps:ignore CFH001 -- waiver", inside=""))
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--format", "json",
                           "--quiet", "--no-config", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    doc = json.loads(proc.stdout)
    assert [f["code"] for f in doc["findings"]] == ["CFH010"]
    assert [f["code"] for f in doc["suppressed"]] == ["CFH001"]
    assert doc["suppressed"][0]["suppressed"]["justification"].startswith(
        "comment cfhttps:ignore (main.tf:2) CFH001")
    assert proc.returncode == 0  # CFH010 is a warning, below the default --fail-on error
