"""Issue 22 item 7: Terraform inputs judged by whole ``cfhttps audit`` processes, against checkov
on the same input in the same run, and how the audit's time grows with the input.

Two shapes, both generated here (plan in HashiCorp's documented ``terraform show -json``
format; modules as ``.tf`` text):
  plan     one plan JSON of N resources: N/20 distributions of 25 behaviours (each with its own
           mixed real-world path patterns, bench/common.py ``mixed_patterns``), the rest the
           resources that surround a distribution (buckets and their policies and settings,
           OACs, Route 53 records, certificates, IAM, logs), with ``configuration`` references
           (bucket domain names, OAC ids) as a real plan has them.
  modules  a folder of N module directories, each a small module with one distribution
           (variables, locals, a bucket, an OAC, five behaviours, one of them a dynamic block).
  mixed    a folder of N module directories as a repository holds them: one in ten declares a
           distribution (as above), the others network, storage and compute modules, roots
           calling two of them locally and roots calling a registry module (every tenth).

Comparison (size ``--compare``, default 1000): cfhttps and checkov interleaved A B A B, ``--runs``
rounds (default 3), medians of wall and CPU (user+system of the process and its children).
  cfhttps audit --no-config -q --format json --output FILE INPUT
  checkov -f plan.json --framework terraform_plan --skip-download --quiet --compact -o json
  checkov -d DIR --framework terraform --skip-download --quiet --compact -o json
Growth (sizes ``--sizes``, default 250,500,1000): cfhttps alone, ``--runs`` rounds interleaved
across sizes, exponent k of t = c * N^k fitted on the medians by least squares in log-log.

Usage: python bench/bench_terraform.py [--runs 3] [--compare 1000] [--sizes 250,500,1000]
                                       [--checkov PATH] [--shape plan|modules|mixed|both|all]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time

from common import ROOT, mixed_patterns

GET = ["GET", "HEAD"]
ALL = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
POLICIES = ["redirect-to-https", "https-only", "redirect-to-https", "allow-all"]
PROVIDER = "registry.terraform.io/hashicorp/aws"
ACCOUNT = "111122223333"


# --------------------------------------------------------------------------- plan JSON

def _behavior(k, pattern, target):
    b = {"allowed_methods": ALL if k % 7 == 3 else GET, "cache_policy_id": "",
         "cached_methods": GET, "compress": True, "default_ttl": 86400,
         "field_level_encryption_id": "",
         "forwarded_values": [{"cookies": [{"forward": "none", "whitelisted_names": []}],
                               "headers": [], "query_string": False,
                               "query_string_cache_keys": []}],
         "function_association": [], "lambda_function_association": [], "max_ttl": 31536000,
         "min_ttl": 0, "origin_request_policy_id": "", "realtime_log_config_arn": "",
         "response_headers_policy_id": "", "smooth_streaming": False,
         "target_origin_id": target, "trusted_key_groups": [], "trusted_signers": [],
         "viewer_protocol_policy": POLICIES[k % len(POLICIES)]}
    if pattern is not None:
        b["path_pattern"] = pattern
    return b


def _distribution(i):
    """(after, after_unknown, configuration expressions) of distribution ``i``."""
    origins = [
        {"connection_attempts": 3, "connection_timeout": 10, "custom_header": [],
         "custom_origin_config": [], "origin_id": "assets", "origin_path": "",
         "origin_shield": [], "s3_origin_config": [], "vpc_origin_config": []},
        {"connection_attempts": 3, "connection_timeout": 10, "custom_header": [],
         "custom_origin_config": [{"http_port": 80, "https_port": 443,
                                   "origin_keepalive_timeout": 5,
                                   "origin_protocol_policy": "https-only",
                                   "origin_read_timeout": 30,
                                   "origin_ssl_protocols": ["TLSv1.2"] if i % 5 else
                                   ["TLSv1.1", "TLSv1.2"]}],
         "domain_name": f"api{i}.example.com", "origin_access_control_id": "",
         "origin_id": "api", "origin_path": "", "origin_shield": [], "s3_origin_config": [],
         "vpc_origin_config": []},
    ]
    ordered = [_behavior(k, p, "api" if k % 2 else "assets")
               for k, p in enumerate(mixed_patterns(25, seed=i))]
    after = {"aliases": [f"www{i}.example.com"], "comment": f"site {i}",
             "continuous_deployment_policy_id": "", "custom_error_response": [],
             "default_cache_behavior": [_behavior(0, None, "assets")],
             "default_root_object": "index.html", "enabled": True, "http_version": "http2",
             "is_ipv6_enabled": True, "logging_config": [], "ordered_cache_behavior": ordered,
             "origin": origins, "origin_group": [], "price_class": "PriceClass_100",
             "restrictions": [{"geo_restriction": [{"locations": [], "restriction_type": "none"}]}],
             "retain_on_delete": False, "staging": False, "tags": {"site": str(i)},
             "viewer_certificate": [{"acm_certificate_arn": None,
                                     "cloudfront_default_certificate": False,
                                     "iam_certificate_id": "",
                                     "minimum_protocol_version": "TLSv1.2_2021",
                                     "ssl_support_method": "sni-only"}],
             "wait_for_deployment": True, "web_acl_id": ""}
    unknown = {"arn": True, "caller_reference": True, "domain_name": True, "etag": True,
               "hosted_zone_id": True, "id": True, "last_modified_time": True, "status": True,
               "tags_all": True, "origin": [{"domain_name": True, "origin_access_control_id": True},
                                            {}],
               "viewer_certificate": [{"acm_certificate_arn": True}]}
    ref = lambda a: {"references": [a, a.rsplit(".", 1)[0]]}  # noqa: E731
    exprs = {"enabled": {"constant_value": True},
             "origin": [{"origin_id": {"constant_value": "assets"},
                         "domain_name": ref(f"aws_s3_bucket.site{i}.bucket_regional_domain_name"),
                         "origin_access_control_id": ref(
                             f"aws_cloudfront_origin_access_control.site{i}.id")},
                        {"origin_id": {"constant_value": "api"},
                         "domain_name": {"constant_value": f"api{i}.example.com"}}],
             "viewer_certificate": [{"acm_certificate_arn": ref(
                 f"aws_acm_certificate_validation.site{i}.certificate_arn")}]}
    return after, unknown, exprs


def _others(i):
    """The resources around distribution ``i``: (type, name, after, after_unknown)."""
    bucket = f"site-{i}-assets"
    zone = "Z0123456789ABCDEFGHIJ"
    return [
        ("aws_s3_bucket", f"site{i}", {"bucket": bucket, "force_destroy": False,
                                       "tags": {"site": str(i)}},
         {"arn": True, "bucket_domain_name": True, "bucket_regional_domain_name": True,
          "id": True, "region": True}),
        ("aws_s3_bucket_policy", f"site{i}", {"policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})},
         {"bucket": True, "id": True}),
        ("aws_s3_bucket_public_access_block", f"site{i}",
         {"block_public_acls": True, "block_public_policy": True, "ignore_public_acls": True,
          "restrict_public_buckets": True}, {"bucket": True, "id": True}),
        ("aws_s3_bucket_versioning", f"site{i}",
         {"versioning_configuration": [{"status": "Enabled"}]}, {"bucket": True, "id": True}),
        ("aws_s3_bucket_server_side_encryption_configuration", f"site{i}",
         {"rule": [{"apply_server_side_encryption_by_default": [
             {"sse_algorithm": "AES256", "kms_master_key_id": ""}],
             "bucket_key_enabled": True}]}, {"bucket": True, "id": True}),
        ("aws_s3_bucket_ownership_controls", f"site{i}",
         {"rule": [{"object_ownership": "BucketOwnerEnforced"}]}, {"bucket": True, "id": True}),
        ("aws_s3_bucket", f"logs{i}", {"bucket": f"site-{i}-logs", "force_destroy": False},
         {"arn": True, "id": True}),
        ("aws_s3_bucket_lifecycle_configuration", f"logs{i}",
         {"rule": [{"id": "expire", "status": "Enabled",
                    "expiration": [{"days": 90}]}]}, {"bucket": True, "id": True}),
        ("aws_cloudfront_origin_access_control", f"site{i}",
         {"description": "", "name": f"site{i}", "origin_access_control_origin_type": "s3",
          "signing_behavior": "always", "signing_protocol": "sigv4"}, {"etag": True, "id": True}),
        ("aws_acm_certificate", f"site{i}",
         {"domain_name": f"www{i}.example.com", "validation_method": "DNS",
          "key_algorithm": "RSA_2048"}, {"arn": True, "id": True,
                                         "domain_validation_options": True}),
        ("aws_acm_certificate_validation", f"site{i}", {},
         {"certificate_arn": True, "id": True, "validation_record_fqdns": True}),
        ("aws_route53_record", f"validation{i}",
         {"allow_overwrite": True, "ttl": 60, "type": "CNAME", "zone_id": zone},
         {"fqdn": True, "id": True, "name": True, "records": True}),
        ("aws_route53_record", f"a{i}",
         {"name": f"www{i}.example.com", "type": "A", "zone_id": zone,
          "alias": [{"evaluate_target_health": False}]},
         {"fqdn": True, "id": True, "alias": [{"name": True, "zone_id": True}]}),
        ("aws_route53_record", f"aaaa{i}",
         {"name": f"www{i}.example.com", "type": "AAAA", "zone_id": zone,
          "alias": [{"evaluate_target_health": False}]},
         {"fqdn": True, "id": True, "alias": [{"name": True, "zone_id": True}]}),
        ("aws_cloudfront_function", f"rewrite{i}",
         {"code": "function handler(event) { return event.request; }", "comment": "",
          "name": f"rewrite{i}", "publish": True, "runtime": "cloudfront-js-2.0"},
         {"arn": True, "etag": True, "id": True, "live_stage_etag": True, "status": True}),
        ("aws_iam_role", f"deploy{i}",
         {"name": f"deploy{i}", "assume_role_policy": json.dumps({
             "Version": "2012-10-17", "Statement": [{
                 "Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}]}),
          "max_session_duration": 3600, "path": "/"}, {"arn": True, "id": True,
                                                       "unique_id": True}),
        ("aws_iam_role_policy", f"deploy{i}",
         {"name": "deploy", "policy": json.dumps({"Version": "2012-10-17", "Statement": [{
             "Effect": "Allow", "Action": ["s3:PutObject", "cloudfront:CreateInvalidation"],
             "Resource": "*"}]})}, {"id": True, "role": True}),
        ("aws_cloudwatch_log_group", f"edge{i}",
         {"name": f"/aws/cloudfront/site{i}", "retention_in_days": 30, "skip_destroy": False},
         {"arn": True, "id": True}),
        ("aws_cloudwatch_metric_alarm", f"errors{i}",
         {"alarm_name": f"site{i}-5xx", "comparison_operator": "GreaterThanThreshold",
          "evaluation_periods": 1, "metric_name": "5xxErrorRate", "namespace": "AWS/CloudFront",
          "period": 300, "statistic": "Average", "threshold": 5},
         {"arn": True, "id": True, "dimensions": True}),
    ]


def make_plan(path, n_resources):
    n_dist = max(1, n_resources // 20)
    changes, planned, config = [], [], []

    def add(rtype, name, after, unknown, exprs=None):
        address = f"{rtype}.{name}"
        changes.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": PROVIDER,
                        "change": {"actions": ["create"], "before": None, "after": after,
                                   "after_unknown": unknown, "before_sensitive": False,
                                   "after_sensitive": {}}})
        planned.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": PROVIDER, "schema_version": 0, "values": after,
                        "sensitive_values": {}})
        config.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                       "provider_config_key": "aws", "expressions": exprs or {},
                       "schema_version": 0})

    for i in range(n_dist):
        after, unknown, exprs = _distribution(i)
        add("aws_cloudfront_distribution", f"site{i}", after, unknown, exprs)
    remaining = n_resources - n_dist
    sites = [_others(i) for i in range(-(-remaining // 19))]
    # Round robin over the sites (buckets first, then their settings, ...), cut at N.
    flat = [site[j] for j in range(19) for site in sites]
    for item in flat[:remaining]:
        add(*item)
    plan = {"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": planned}},
            "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
                              "root_module": {"resources": config}},
            "timestamp": "2026-12-01T00:00:00Z", "errored": False}
    with open(path, "w") as fh:
        json.dump(plan, fh)
    return n_dist, len(changes)


# --------------------------------------------------------------------------- modules

MIXED_SHARE = 0.1  # the "mixed" shape: one module in ten declares a distribution

MODULE = """\
variable "domain" {{
  type    = string
  default = "www{i}.example.com"
}}

variable "static_paths" {{
  type    = list(string)
  default = ["/static/*", "/img/*.png"]
}}

locals {{
  origin_id = "assets-{i}"
  api_mode  = var.domain == "" ? "allow-all" : "{api_mode}"
}}

resource "aws_s3_bucket" "assets" {{
  bucket = "site-{i}-assets"
}}

resource "aws_cloudfront_origin_access_control" "assets" {{
  name                              = "site-{i}"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}}

resource "aws_cloudfront_distribution" "this" {{
  enabled             = true
  aliases             = [var.domain]
  default_root_object = "index.html"

  origin {{
    domain_name              = aws_s3_bucket.assets.bucket_regional_domain_name
    origin_id                = local.origin_id
    origin_access_control_id = aws_cloudfront_origin_access_control.assets.id
  }}

  origin {{
    domain_name = "api{i}.example.com"
    origin_id   = "api"
    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = {ssl}
    }}
  }}

  default_cache_behavior {{
    target_origin_id       = local.origin_id
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }}

  ordered_cache_behavior {{
    path_pattern           = "/api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = local.api_mode
    allowed_methods        = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  }}

  ordered_cache_behavior {{
    path_pattern           = "{p0}"
    target_origin_id       = "api"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  }}

  dynamic "ordered_cache_behavior" {{
    for_each = var.static_paths
    content {{
      path_pattern           = ordered_cache_behavior.value
      target_origin_id       = local.origin_id
      viewer_protocol_policy = "{static_mode}"
      allowed_methods        = ["GET", "HEAD"]
      cached_methods         = ["GET", "HEAD"]
      cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    }}
  }}

  ordered_cache_behavior {{
    path_pattern           = "{p1}"
    target_origin_id       = local.origin_id
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }}

  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}

  viewer_certificate {{
    acm_certificate_arn      = "arn:aws:acm:us-east-1:{account}:certificate/site-{i}"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }}
}}
"""


OTHER_MODULES = [
    # network
    """variable "cidr" {{
  type    = string
  default = "10.{j}.0.0/16"
}}

resource "aws_vpc" "main" {{
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags = {{ Name = "vpc-{i}" }}
}}

resource "aws_subnet" "private" {{
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  availability_zone = element(["eu-west-1a", "eu-west-1b", "eu-west-1c"], count.index)
}}

resource "aws_security_group" "web" {{
  name   = "web-{i}"
  vpc_id = aws_vpc.main.id
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
""",
    # storage
    """resource "aws_s3_bucket" "data" {{
  bucket = "data-{i}"
}}

resource "aws_s3_bucket_public_access_block" "data" {{
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {{
  bucket = aws_s3_bucket.data.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm = "aws:kms"
    }}
  }}
}}
""",
    # compute and IAM
    """data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "fn" {{
  name               = "fn-{i}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}}

resource "aws_lambda_function" "fn" {{
  function_name = "fn-{i}"
  role          = aws_iam_role.fn.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  environment {{
    variables = {{ STAGE = "prod" }}
  }}
}}

resource "aws_cloudwatch_log_group" "fn" {{
  name              = "/aws/lambda/fn-{i}"
  retention_in_days = 30
}}
""",
]
# A root module that calls local modules only (an environment), and one that calls a registry
# module (parsed: the remote call is a note the audit reports).
LOCAL_ROOT = """module "network" {{
  source = "../net{i:04d}"
  cidr   = "10.{j}.0.0/16"
}}

module "storage" {{
  source = "../data{i:04d}"
}}
"""
REMOTE_ROOT = """module "vpc" {{
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  name    = "vpc-{i}"
  cidr    = "10.{j}.0.0/16"
}}
"""


def make_modules(folder, n, cloudfront_share=1.0):
    """``n`` module directories. ``cloudfront_share`` 1.0: every one declares a distribution
    (MODULE); below that, a repository's mix: that share of CloudFront modules, the rest network,
    storage and compute modules, roots that call two of them locally, and roots that call a
    registry module (every 10th)."""
    if cloudfront_share < 1.0:
        return _make_mixed(folder, n, cloudfront_share)
    os.makedirs(folder)
    for i in range(n):
        patterns = mixed_patterns(2, seed=100000 + i)
        d = os.path.join(folder, f"site{i:04d}")
        os.makedirs(d)
        with open(os.path.join(d, "main.tf"), "w") as fh:
            fh.write(MODULE.format(
                i=i, account=ACCOUNT, p0=patterns[0], p1=patterns[1],
                api_mode="redirect-to-https" if i % 4 == 0 else "https-only",
                static_mode="allow-all" if i % 3 == 0 else "redirect-to-https",
                ssl='["TLSv1.1", "TLSv1.2"]' if i % 5 == 0 else '["TLSv1.2"]'))


def _write(folder, name, text):
    d = os.path.join(folder, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.tf"), "w") as fh:
        fh.write(text)


def _make_mixed(folder, n, share):
    """Per ten directories: ``share * 10`` CloudFront modules (one at 0.1), one root calling a
    registry module, an environment root with the two local modules it calls (three
    directories), and the rest stand-alone network/storage/compute modules."""
    os.makedirs(folder)
    sites = max(0, min(5, round(share * 10)))
    for k in range(n):
        i, slot, j = k, k % 10, (k // 10) % 250
        if slot < sites:
            patterns = mixed_patterns(2, seed=100000 + i)
            _write(folder, f"site{i:04d}", MODULE.format(
                i=i, account=ACCOUNT, p0=patterns[0], p1=patterns[1],
                api_mode="redirect-to-https" if i % 4 == 0 else "https-only",
                static_mode="allow-all" if i % 3 == 0 else "redirect-to-https",
                ssl='["TLSv1.1", "TLSv1.2"]' if i % 5 == 0 else '["TLSv1.2"]'))
        elif slot == sites:
            _write(folder, f"root{i:04d}", REMOTE_ROOT.format(i=i, j=j))
        elif slot == sites + 1 and k + 2 < n:
            _write(folder, f"net{i:04d}", OTHER_MODULES[0].format(i=i, j=j))
            _write(folder, f"data{i:04d}", OTHER_MODULES[1].format(i=i, j=j))
            _write(folder, f"env{i:04d}", LOCAL_ROOT.format(i=i, j=j))
        elif slot in (sites + 2, sites + 3) and k - slot + sites + 3 < n:
            continue  # the trio's other two directories
        else:
            _write(folder, f"mod{i:04d}", OTHER_MODULES[i % 3].format(i=i, j=j))


# --------------------------------------------------------------------------- timing

def timed(cmd, env=None):
    """(wall, CPU of the process and its children) of one run; output discarded."""
    import subprocess
    t = time.perf_counter()
    before = os.times()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system -
                                                          before.children_system)
    return time.perf_counter() - t, cpu, proc.returncode


def audit_cmd(target, report):
    return [sys.executable, "-m", "cfhttps_cli.main", "audit", "--no-config", "-q",
            "--format", "json", "--output", report, target]


def checkov_cmd(checkov, shape, target):
    if shape == "plan":  # "modules" and "mixed" are both folders of modules
        return [checkov, "-f", target, "--framework", "terraform_plan", "--skip-download",
                "--quiet", "--compact", "-o", "json"]
    return [checkov, "-d", target, "--framework", "terraform", "--skip-download", "--quiet",
            "--compact", "-o", "json"]


def fit_exponent(points):
    """k of t = c * n^k, least squares on (log n, log t)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def make(shape, tmp, n):
    target = os.path.join(tmp, f"{shape}-{n}" + (".json" if shape == "plan" else ""))
    if not os.path.exists(target):
        if shape == "plan":
            make_plan(target, n)
        elif shape == "mixed":
            make_modules(target, n, MIXED_SHARE)
        else:
            make_modules(target, n)
    return target


def summary_of(report):
    with open(report) as fh:
        return json.load(fh)["summary"]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--compare", type=int, default=1000)
    ap.add_argument("--sizes", default="250,500,1000")
    ap.add_argument("--shape", choices=("plan", "modules", "mixed", "both", "all"),
                    default="both")
    ap.add_argument("--checkov", default=os.environ.get("CHECKOV") or shutil.which("checkov")
                    or os.path.join(ROOT, ".venv-checkov", "bin", "checkov"))
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    shapes = {"both": ("plan", "modules"), "all": ("plan", "modules", "mixed")}.get(
        args.shape, (args.shape,))
    env = {**os.environ, "PYTHONPATH": ROOT}
    print(f"python {sys.executable}; checkov {args.checkov}; load {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        for shape in shapes:
            target = make(shape, tmp, args.compare)
            walls = {"cfhttps": [], "checkov": []}
            cpus = {"cfhttps": [], "checkov": []}
            for r in range(args.runs):
                order = ("cfhttps", "checkov") if r % 2 == 0 else ("checkov", "cfhttps")
                for tool in order:
                    cmd = (audit_cmd(target, report) if tool == "cfhttps"
                           else checkov_cmd(args.checkov, shape, target))
                    wall, cpu, rc = timed(cmd, env if tool == "cfhttps" else None)
                    if tool == "cfhttps" and rc not in (0, 1):
                        raise SystemExit(f"cfhttps audit failed ({rc}): {' '.join(cmd)}")
                    walls[tool].append(wall)
                    cpus[tool].append(cpu)
            s = summary_of(report)
            a, c = statistics.median(walls["cfhttps"]), statistics.median(walls["checkov"])
            ac, cc = statistics.median(cpus["cfhttps"]), statistics.median(cpus["checkov"])
            print(f"{shape} {args.compare}: cfhttps {a:.2f} s wall {ac:.2f} s CPU "
                  f"({s['distributions']} distributions, {s['findings']} findings, "
                  f"{s['notes']} notes); checkov {c:.2f} s wall {cc:.2f} s CPU; "
                  f"checkov/cfhttps {c / a:.1f}x wall, {cc / ac:.1f}x CPU (target >= 10)")
            print(f"  walls cfhttps {[round(x, 2) for x in walls['cfhttps']]} "
                  f"checkov {[round(x, 2) for x in walls['checkov']]}")
        for shape in shapes:
            targets = {n: make(shape, tmp, n) for n in sizes}
            walls = {n: [] for n in sizes}
            cpus = {n: [] for n in sizes}
            for r in range(args.runs):
                order = sizes if r % 2 == 0 else sizes[::-1]
                for n in order:
                    wall, cpu, _ = timed(audit_cmd(targets[n], report), env)
                    walls[n].append(wall)
                    cpus[n].append(cpu)
            med = {n: statistics.median(walls[n]) for n in sizes}
            medc = {n: statistics.median(cpus[n]) for n in sizes}
            print(f"growth {shape}: " + ", ".join(f"{n}: {med[n]:.2f} s wall {medc[n]:.2f} s CPU"
                                                  for n in sizes)
                  + f"; exponent {fit_exponent(list(med.items())):.2f} wall, "
                  f"{fit_exponent(list(medc.items())):.2f} CPU (1 = linear)")
    print(f"load after {os.getloadavg()}")


if __name__ == "__main__":
    main()
