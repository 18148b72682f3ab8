"""What the AWS provider sends, where it differs from the arguments read one by one (a custom
certificate wins over cloudfront_default_certificate; an origin with no *_origin_config block is
an S3 origin), and Terraform's JSON syntax (.tf.json) read like .tf. Own fixtures."""

import json

import pytest

from cfhttps_io import terraform as tf_io
from rules import config, engine
from rules.sources import terraform

pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")


def codes(tmp_path, text, name="main.tf"):
    (tmp_path / name).write_text(text)
    module = tf_io.load_module(str(tmp_path))
    dists, _notes, _ = terraform.module_distributions(module)
    assert dists, module["errors"]
    return {f.code for f in engine.evaluate(dists, config.from_mapping({})[0]).findings}


DIST = """
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  origin {
    domain_name = "%(domain)s"
    origin_id   = "o"
    origin_access_control_id = "%(oac)s"
  }
  default_cache_behavior {
    target_origin_id       = "o"
    viewer_protocol_policy = "%(vpp)s"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  viewer_certificate {
    cloudfront_default_certificate = true
    %(cert)s
  }
  restrictions {
    geo_restriction { restriction_type = "none" }
  }
}
"""


def test_a_custom_certificate_wins_over_the_default_flag(tmp_path):
    text = DIST % {"domain": "b.s3.us-east-1.amazonaws.com", "oac": "E1", "vpp": "https-only",
                   "cert": 'acm_certificate_arn = aws_acm_certificate.c.arn\n'
                           '    ssl_support_method = "sni-only"\n'
                           '    minimum_protocol_version = "TLSv1.2_2021"'}
    assert codes(tmp_path, text) == set()


def test_the_default_flag_alone_is_the_default_certificate(tmp_path):
    text = DIST % {"domain": "b.s3.us-east-1.amazonaws.com", "oac": "E1", "vpp": "https-only",
                   "cert": 'minimum_protocol_version = "TLSv1.2_2021"'}
    assert codes(tmp_path, text) == {"CFH009"}


def test_an_empty_certificate_arn_leaves_the_default_certificate(tmp_path):
    text = DIST % {"domain": "b.s3.us-east-1.amazonaws.com", "oac": "E1", "vpp": "https-only",
                   "cert": 'acm_certificate_arn = ""'}
    assert codes(tmp_path, text) == {"CFH009"}


def test_a_bare_origin_is_an_s3_origin(tmp_path):
    # No OAC, no config block: an S3 origin with an empty OAI, reached over HTTP by allow-all.
    text = DIST % {"domain": "b.s3.amazonaws.com", "oac": "", "vpp": "allow-all", "cert": ""}
    assert codes(tmp_path, text) == {"CFH001", "CFH003", "CFH009", "CFH012"}


def test_tf_json_is_read_like_hcl(tmp_path):
    doc = {"resource": {"aws_s3_bucket_website_configuration": {"w": {"bucket": "b"}},
                        "aws_cloudfront_distribution": {"d": {
        "//": {"metadata": {"path": "x"}},
        "enabled": True,
        "origin": [{"domain_name": "${aws_s3_bucket_website_configuration.w.website_endpoint}",
                    "origin_id": "site",
                    "custom_origin_config": {"http_port": 80, "https_port": 443,
                                             "origin_protocol_policy": "https-only",
                                             "origin_ssl_protocols": ["TLSv1.2"]}}],
        "default_cache_behavior": {"target_origin_id": "${var.target}",
                                   "viewer_protocol_policy": "redirect-to-https",
                                   "allowed_methods": ["GET", "HEAD"],
                                   "cached_methods": ["GET", "HEAD"]},
        "viewer_certificate": {"cloudfront_default_certificate": True},
        "restrictions": {"geo_restriction": {"restriction_type": "none"}}}}},
        "variable": {"target": {"default": "site"}}}
    got = codes(tmp_path, json.dumps(doc), "cdk.tf.json")
    # https-only towards a website endpoint (CFH002); default certificate (CFH009).
    assert got == {"CFH002", "CFH009"}


def test_bad_tf_json_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "x.tf.json").write_text("{not json")
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] and "not valid JSON" in module["errors"][0]


def test_reports_spell_paths_as_terraform_does():
    from cfhttps_cli import report
    from rules.model import Finding
    f = Finding(code="CFH005", severity="warning", message="m",
                resource='module.a.aws_cloudfront_distribution.x["k"]',
                path=("resource", "aws_cloudfront_distribution", "x",
                      "ordered_cache_behavior", 2, "path_pattern"))
    assert report.shown_path(f) == \
        "resource.aws_cloudfront_distribution.x.ordered_cache_behavior[2].path_pattern"
    g = Finding(code="CFH005", severity="warning", message="m", resource="Cdn",
                path=("Properties", "CacheBehaviors", 2))
    assert report.shown_path(g) == "Properties/CacheBehaviors/2"
