"""Terraform expressions a module computes its CloudFront settings with, evaluated as Terraform
defines them: ``for`` expressions, ``try``/``coalesce``/``lookup``/``merge``/... (errors apart
from unknowns), type constraints' ``optional()`` defaults, ``count``/``for_each`` that are 0 only
through variable defaults, origin ids told apart by their literal parts (CFH008). The modules
here are written for these tests, in the shapes public modules use."""

import textwrap

import pytest

pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")

from cfhttps_io import terraform as tf_io  # noqa: E402
from rules import config, engine  # noqa: E402
from rules.model import Symbolic, Unknown  # noqa: E402
from rules.sources import terraform  # noqa: E402
from rules.sources.terraform_hcl import ModuleEval  # noqa: E402
from rules.sources.terraform_values import Error, Open  # noqa: E402


def value(expr, variables=None, **locals_):
    """``expr`` evaluated in a module with these locals and variables ({name: (type, default)})."""
    blocks = [{"type": "locals", "labels": [], "blocks": [],
               "attributes": {k: {"value": v} for k, v in locals_.items()}}]
    for name, (vtype, default) in (variables or {}).items():
        attrs = {}
        if vtype is not None:
            attrs["type"] = {"value": vtype}
        if default is not None:
            attrs["default"] = {"value": default}
        blocks.append({"type": "variable", "labels": [name], "attributes": attrs, "blocks": []})
    return ModuleEval({"blocks": blocks}).value(expr)


NULLS = {"nothing": (None, "${null}"), "free": (None, None)}


@pytest.mark.parametrize("expr,expected", [
    # for expressions: lists, maps (lexical key order), filters, two names.
    ('${[for s in ["b", "a"] : upper(s)]}', ["B", "A"]),
    ('${[for k, v in {z = 1, a = 2} : "${k}=${v}"]}', ["a=2", "z=1"]),
    ('${[for i, s in ["x", "y"] : i]}', [0, 1]),
    ('${{for s in ["a", "bb"] : s => length(s) if s != "a"}}', {"bb": 2}),
    ('${{for p in [{n = "a", v = 1}, {n = "a", v = 2}] : p.n => p.v...}}', {"a": [1, 2]}),
    ('${[for o in local.origins : o.id if o.on]}', ["x"]),
    ('${[for s in [] : s]}', []),
    # try: the first argument without an error; null has no attributes, a map lacks keys.
    ('${try(var.nothing.cert, "default")}', "default"),
    ('${try({a = 1}.b, {a = 1}.a)}', 1),
    ('${try(local.origins[5].id, "none")}', "none"),
    ('${can(var.nothing.x)}', False),
    ('${can(local.origins[0].id)}', True),
    # coalesce: the first non-null, non-empty string; coalescelist: the first non-empty list.
    ('${coalesce(null, "", "b")}', "b"),
    ('${coalesce(try(var.nothing.a, null), "redirect-to-https")}', "redirect-to-https"),
    ('${coalescelist([], ["GET"])}', ["GET"]),
    # lookup, merge, concat, flatten, keys/values, contains, to*, one, compact.
    ('${lookup({a = "b"}, "x", "d")}', "d"),
    ('${merge({a = 1, b = 1}, null, {b = 2})}', {"a": 1, "b": 2}),
    ('${concat(["a"], [], ["b"])}', ["a", "b"]),
    ('${flatten([["a"], [["b"]], "c"])}', ["a", "b", "c"]),
    ('${keys({b = 1, a = 2})}', ["a", "b"]),
    ('${values({b = 1, a = 2})}', [2, 1]),
    ('${contains(["GET", "POST"], "POST")}', True),
    ('${contains(["GET"], "POST")}', False),
    ('${toset(["b", "a", "b"])}', ["a", "b"]),
    ('${tolist(["a"])}', ["a"]),
    ('${tomap({a = 1})}', {"a": 1}),
    ('${tostring(2)}', "2"),
    ('${one([])}', None),
    ('${one(["x"])}', "x"),
    ('${compact(["a", "", null, "b"])}', ["a", "b"]),
    # strings: format, join, replace, lower/upper, trims, split.
    ('${format("%s-%d", "o", 2)}', "o-2"),
    ('${join("-", ["a", "b"], ["c"])}', "a-b-c"),
    ('${replace("a.b.c", ".", "-")}', "a-b-c"),
    ('${lower("HTTPS-Only")}', "https-only"),
    ('${trimprefix("https://api.example.com", "https://")}', "api.example.com"),
    ('${split(",", "a,b")}', ["a", "b"]),
    ('${merge(local.origins...)}', None),  # expanded arguments: each list element (see below)
])
def test_functions_and_for_expressions(expr, expected):
    locals_ = {"origins": '${[{id = "x", on = true}, {id = "y", on = false}]}'}
    got = value(expr, NULLS, **locals_)
    if expected is None and "..." in expr:
        assert got == {"id": "y", "on": False}
    else:
        assert got == expected, got


@pytest.mark.parametrize("expr", [
    '${[for s in var.free : s]}',  # over a value not known here
    '${[for s in ["a", var.free] : s if s == "a"]}',  # a filter not decided for one element
    '${try(var.free.x, "d")}',  # not known: it might not fail
    '${coalesce(var.free, "b")}',  # the unknown might be non-empty
    '${keys(merge(var.free, {a = 1}))}',  # other keys may come from the unknown
    '${length(merge(var.free, {a = 1}))}',
    '${lookup(merge(var.free, {a = 1}), "b", "d")}',
    '${replace("a", "/a/", "b")}',  # regular expressions are not evaluated
    '${toset([var.free])}',
])
def test_undecided_stays_unknown(expr):
    got = value(expr, NULLS)
    assert isinstance(got, Unknown) and not isinstance(got, Error), got


@pytest.mark.parametrize("expr", [
    '${var.nothing.x}', '${{a = 1}.b}', '${["a"][3]}', '${coalesce(null, "")}',
    '${one(["a", "b"])}', '${lookup({}, "a")}', '${[for s in ["a"] : s if "x"]}',
    '${{for s in ["a", "a"] : s => 1}}',
])
def test_terraform_errors_are_errors(expr):
    assert isinstance(value(expr, NULLS), Error)


@pytest.mark.parametrize("expr", [
    '${replace(var.free, "a", "b")}', '${split("/", var.free)}', '${upper(var.free)}',
    '${substr(var.free, 0, 1)}', '${trimprefix(var.free, "x")}',
])
def test_an_unknown_string_argument_is_unknown_not_an_error(expr):
    """An unknown is falsy: ``_first_problem(args) or Error(...)`` turned it into an error, and
    ``try(upper(x), null)`` then gave null where Terraform waits for x."""
    got = value(expr, NULLS)
    assert isinstance(got, Unknown) and not isinstance(got, Error), got
    assert isinstance(value('${try(upper(var.free), null)}', NULLS), Unknown)


def test_merge_with_an_unknown_keeps_later_attributes():
    got = value('${merge(var.free, {create = true})}', NULLS)
    assert isinstance(got, Open) and got == {"create": True}
    assert value('${merge(var.free, {create = true}).create}', NULLS) is True
    assert isinstance(value('${merge(var.free, {create = true}).other}', NULLS), Unknown)
    assert not isinstance(value('${merge(var.free, {c = 1}).other}', NULLS), Error)


def test_try_keeps_the_shape_of_a_wholly_unknown_reference():
    module = {"blocks": [{"type": "resource", "labels": ["aws_s3_bucket", "b"],
                          "attributes": {}, "blocks": []}]}
    got = ModuleEval(module).value('${try(aws_s3_bucket.b.website_endpoint, "")}')
    assert isinstance(got, Symbolic)


DOMAIN = 'object({ create = optional(bool, false), name = optional(string), ' \
         'cert = optional(object({ arn = string, tls = optional(string, "TLSv1.2_2021") })), ' \
         'zones = optional(list(object({ name = string, root = optional(bool, false) })), []) })'


@pytest.mark.parametrize("expr,expected", [
    ("${var.domain.create}", False),
    ("${var.domain.name}", None),
    ("${var.domain.cert}", None),
    ("${var.domain.zones}", []),
    ('${try(var.domain.cert.arn, null) == null ? "default" : "acm"}', "default"),
    ("${var.site.cert.tls}", "TLSv1.2_2021"),
    ("${var.site.zones[0].root}", False),
    ("${var.site.extra}", None),  # attributes the type does not declare are dropped
    ("${var.port}", "443"),
])
def test_type_constraint_defaults(expr, expected):
    variables = {
        "domain": (DOMAIN, "${{}}"),
        "site": (DOMAIN, '${{cert = {arn = "a"}, zones = [{name = "z"}], extra = 1}}'),
        "port": ("string", "${443}"),
    }
    got = value(expr, variables)
    if expected is None and "extra" in expr:
        assert isinstance(got, Error)
    else:
        assert got == expected, got


def judge(tmp_path, text, name="main.tf", **settings):
    (tmp_path / name).write_text(textwrap.dedent(text))
    module = tf_io.load_module(str(tmp_path))
    dists, notes, _ = terraform.module_distributions(module)
    result = engine.evaluate(dists, config.from_mapping(settings)[0])
    codes = {}
    for f in result.findings:
        codes.setdefault(f.resource, set()).add((f.code, terraform.render_path(f.path[3:])))
    return dists, notes + list(result.notes), codes


# A module in the shape of public CDN modules: origins and behaviours come from variables of
# object types with optional() defaults, turned into blocks by `for` expressions in locals, with
# try()/coalesce() fallbacks; the viewer certificate is chosen by try() on a null default.
GENERATED = """
variable "origins" {
  type = map(object({
    domain_name = string
    protocol    = optional(string, "https-only")
    tls         = optional(list(string), ["TLSv1.2"])
    s3          = optional(bool, false)
  }))
  default = {
    web    = { domain_name = "app.example.com" }
    legacy = { domain_name = "old.example.com", protocol = "match-viewer", tls = ["TLSv1", "TLSv1.2"] }
    files  = { domain_name = "files.s3.eu-west-1.amazonaws.com", s3 = true }
  }
}
variable "behaviors" {
  type = list(object({
    path    = string
    origin  = string
    policy  = optional(string)
    methods = optional(list(string))
  }))
  default = [
    { path = "/api/*", origin = "web", methods = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"] },
    { path = "/files/*", origin = "files", policy = "allow-all" },
    { path = "/old/*", origin = "gone" },
  ]
}
variable "domain" {
  type = object({
    certificate = optional(object({ arn = string, tls = optional(string, "TLSv1.2_2021") }))
  })
  default = null
}
locals {
  custom = { for k, o in var.origins : k => o if !o.s3 }
  behaviors = [for b in var.behaviors : {
    path    = b.path
    origin  = b.origin
    policy  = coalesce(b.policy, "redirect-to-https")
    methods = try(coalescelist(b.methods), ["GET", "HEAD"])
  } if b.path != "*"]
}
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  dynamic "origin" {
    for_each = local.custom
    content {
      domain_name = origin.value.domain_name
      origin_id   = origin.key
      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = origin.value.protocol
        origin_ssl_protocols   = origin.value.tls
      }
    }
  }
  dynamic "origin" {
    for_each = { for k, o in var.origins : k => o if o.s3 }
    content {
      domain_name              = origin.value.domain_name
      origin_id                = origin.key
      origin_access_control_id = "E2OAC"
    }
  }
  default_cache_behavior {
    target_origin_id       = "web"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  dynamic "ordered_cache_behavior" {
    for_each = local.behaviors
    iterator = b
    content {
      path_pattern           = b.value.path
      target_origin_id       = b.value.origin
      viewer_protocol_policy = b.value.policy
      allowed_methods        = b.value.methods
      cached_methods         = ["GET", "HEAD"]
    }
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  dynamic "viewer_certificate" {
    for_each = try(var.domain.certificate.arn, null) == null ? [{ default = true }] : [var.domain.certificate]
    content {
      cloudfront_default_certificate = try(viewer_certificate.value.default, null)
      acm_certificate_arn            = try(viewer_certificate.value.arn, null)
      minimum_protocol_version       = try(viewer_certificate.value.tls, null)
      ssl_support_method             = try(viewer_certificate.value.arn, null) == null ? null : "sni-only"
    }
  }
}
"""


def test_for_expressions_and_defaults_in_dynamic_blocks(tmp_path):
    dists, notes, codes = judge(tmp_path, GENERATED)
    cdn = codes["aws_cloudfront_distribution.cdn"]
    # Origins: a map iterated in lexical key order (legacy, web), then the S3 origin.
    assert [o.id for o in dists[0].origins] == ["legacy", "web", "files"]
    assert ("CFH010", "origin[0].custom_origin_config.origin_ssl_protocols") in cdn
    assert ("CFH004", "ordered_cache_behavior[0].viewer_protocol_policy") in cdn
    assert ("CFH001", "ordered_cache_behavior[1].viewer_protocol_policy") in cdn
    assert ("CFH008", "ordered_cache_behavior[2].target_origin_id") in cdn
    assert ("CFH009", "viewer_certificate.cloudfront_default_certificate") in cdn
    # The S3 origin is reached over HTTP through the allow-all behaviour; it has an OAC.
    assert ("CFH003", "ordered_cache_behavior[1].viewer_protocol_policy") in cdn
    assert not any(code == "CFH012" for code, _ in cdn)
    assert not any("not known here" in n.message for n in notes)


def test_a_certificate_given_by_a_module_caller(tmp_path):
    child = tmp_path / "cdn"
    child.mkdir()
    (child / "main.tf").write_text(GENERATED)
    dists, notes, codes = judge(tmp_path, """
    module "cdn" {
      source = "./cdn"
      domain = { certificate = { arn = "arn:aws:acm:us-east-1:1:certificate/x" } }
      behaviors = [{ path = "/a/*", origin = "web" }]
    }
    """)
    cdn = codes["module.cdn.aws_cloudfront_distribution.cdn"]
    # optional(string, "TLSv1.2_2021") fills the caller's certificate: no CFH009, no CFH004.
    assert not any(code in ("CFH009", "CFH004", "CFH001", "CFH008") for code, _ in cdn), cdn
    assert ("CFH010", "origin[0].custom_origin_config.origin_ssl_protocols") in cdn


COUNTED = """
variable "enabled" {
  default = false
}
variable "sites" {
  type    = map(string)
  default = {}
}
resource "aws_cloudfront_distribution" "%(name)s" {
  %(meta)s
  enabled = true
  origin {
    domain_name = "app.example.com"
    origin_id   = "o"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "o"
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
    cloudfront_default_certificate = true
  }
}
"""


@pytest.mark.parametrize("meta,judged", [
    ("count = var.enabled ? 1 : 0", True),
    ("for_each = var.sites", True),
    ("count = local.on", True),
    ("count = 0", False),
    ("for_each = {}", False),
    ("count = 1 - 1", False),
])
def test_count_zero_through_defaults_is_judged_as_if_created(tmp_path, meta, judged):
    text = COUNTED % dict(name="d", meta=meta) + \
        'locals {\n  on = var.enabled ? 1 : 0\n}\n'
    dists, notes, codes = judge(tmp_path, text)
    if judged:
        assert [d.name for d in dists] == ["aws_cloudfront_distribution.d"]
        assert "CFH001" in {c for c, _ in codes["aws_cloudfront_distribution.d"]}
        assert any("only with the variables' defaults" in n.message and
                   "judged as if created" in n.message for n in notes)
    else:
        assert dists == []
        assert any("not created, not judged" in n.message for n in notes)


def test_count_through_a_callers_arguments(tmp_path):
    child = tmp_path / "cdn"
    child.mkdir()
    (child / "main.tf").write_text(COUNTED % dict(name="d", meta="count = var.enabled ? 1 : 0"))
    # The caller passes its own variable's default: still only a default, judged as if created.
    dists, notes, _ = judge(tmp_path, """
    variable "on" {
      default = false
    }
    module "a" {
      source  = "./cdn"
      enabled = var.on
    }
    module "b" {
      source  = "./cdn"
      enabled = false
    }
    """)
    assert [d.name for d in dists] == ["module.a.aws_cloudfront_distribution.d"]
    assert any(n.resource == "module.b.aws_cloudfront_distribution.d" and
               "not created" in n.message for n in notes)


ROUTED = """
resource "aws_s3_bucket" "site" {}
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  origin {
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_id                = "${aws_s3_bucket.site.id}-origin"
    origin_access_control_id = "E2OAC"
  }
  default_cache_behavior {
    target_origin_id       = %(target)s
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:1:certificate/x"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
variable "target" {}
"""


@pytest.mark.parametrize("target,expected", [
    ('"site.s3.amazonaws.com"', "finding"),  # cannot end with "-origin"
    ('"${aws_s3_bucket.site.id}-origin"', None),  # the same expression: the origin
    ('"${aws_s3_bucket.site.id}-primary"', "finding"),  # different literal tail
    ('"assets-origin"', "note"),  # the bucket could be named "assets"
    ("var.target", "note"),  # anything
])
def test_target_ids_told_apart_only_when_provable(tmp_path, target, expected):
    dists, notes, codes = judge(tmp_path, ROUTED % dict(target=target))
    found = {c for c, _ in codes.get("aws_cloudfront_distribution.d", set())}
    noted = any(n.code == "CFH008" for n in notes)
    assert ("CFH008" in found) == (expected == "finding"), (found, notes)
    assert noted == (expected == "note")


def test_newlines_inside_a_template_interpolation(tmp_path):
    text = COUNTED % dict(name="d", meta="") + 'output "o" {\n  value = "${\n    ' \
        'aws_cloudfront_distribution.d.id\n  }"\n}\nlocals {\n  x = "a"\n}\n'
    dists, notes, codes = judge(tmp_path, text)
    assert [d.name for d in dists] == ["aws_cloudfront_distribution.d"]
    assert not any("not valid HCL" in n.message for n in notes)


# Shapes met in public code (written anew here): a VPC origin chosen by its for_each key in a map
# of VPC origins; a static S3 origin beside a dynamic block of origins over an unknown variable.
KEYED = """
variable "vpc_origins" {
  default = {
    app = { arn = "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/y", policy = "http-only" }
    api = { arn = "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/z/w", policy = "https-only" }
  }
}
variable "backends" {}
resource "aws_cloudfront_vpc_origin" "this" {
  for_each = var.vpc_origins
  vpc_origin_endpoint_config {
    name                   = each.key
    arn                    = each.value.arn
    http_port              = 80
    https_port             = 443
    origin_protocol_policy = each.value.policy
    origin_ssl_protocols {
      items    = ["TLSv1.2"]
      quantity = 1
    }
  }
}
resource "aws_cloudfront_origin_access_identity" "legacy" {}
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  origin {
    domain_name = "%(host)s"
    origin_id   = "vpc"
    vpc_origin_config {
      vpc_origin_id = aws_cloudfront_vpc_origin.this["%(key)s"].id
    }
  }
  origin {
    domain_name = "assets.s3.eu-west-1.amazonaws.com"
    origin_id   = "assets"
    s3_origin_config {
      origin_access_identity = aws_cloudfront_origin_access_identity.legacy.cloudfront_access_identity_path
    }
  }
  dynamic "origin" {
    for_each = var.backends
    content {
      domain_name = origin.value
      origin_id   = origin.key
      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }
  }
  default_cache_behavior {
    target_origin_id       = "vpc"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "somewhere"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = "arn:aws:acm:us-east-1:1:certificate/x"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
"""


@pytest.mark.parametrize("key,plaintext", [("app", True), ("api", False)])
def test_keyed_vpc_origin_and_partly_known_origins(tmp_path, key, plaintext):
    dists, notes, codes = judge(tmp_path, KEYED % dict(host="internal.example.com", key=key))
    found = {c for c, _ in codes["aws_cloudfront_distribution.d"]}
    # The VPC origin is the instance the key names: http-only for "app" only.
    assert ("CFH003" in found) == plaintext, (found, notes)
    # The static S3 origin is judged although other origins come from an unknown collection.
    assert "CFH012" in found
    # A target that may be one of the unknown origins is undecided, not dangling.
    assert "CFH008" not in found
    assert any(n.code == "CFH008" for n in notes)


@pytest.mark.parametrize("target,expected", [
    ("site.s3.amazonaws.com", "finding"), ({"Fn::Sub": "${Bucket}-primary"}, "finding"),
    ({"Fn::Sub": "${Bucket}-origin"}, None), ("assets-origin", "note")])
def test_cloudformation_fn_sub_ids_are_told_apart_the_same_way(target, expected):
    from rules.sources import cloudformation
    template = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}, "D": {
        "Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Enabled": True,
            "Origins": [{"Id": {"Fn::Sub": "${Bucket}-origin"},
                         "DomainName": {"Fn::GetAtt": ["Bucket", "RegionalDomainName"]},
                         "S3OriginConfig": {}, "OriginAccessControlId": "E2OAC"}],
            "DefaultCacheBehavior": {"TargetOriginId": target,
                                     "ViewerProtocolPolicy": "https-only"}}}}}}
    dists, _ = cloudformation.distributions(template, "t.yaml")
    result = engine.evaluate(dists, config.from_mapping({})[0])
    assert ("CFH008" in {f.code for f in result.findings}) == (expected == "finding")
    assert any(n.code == "CFH008" for n in result.notes) == (expected == "note")


def test_nested_for_expressions_are_bounded(tmp_path):
    """Three nested for expressions over 1,000 elements would be 10^9 steps: cut short, unknown."""
    import time
    start = time.monotonic()
    got = value("${[for a in local.big : [for b in local.big : [for c in local.big : 1]]]}",
                big='${[' + ", ".join(["1"] * 1000) + ']}')
    assert isinstance(got, Unknown)
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("text", [
    '"redirect-to-https"', '""', '"a b/c*.d"', '["GET", "HEAD"]', '[ "a" ,"b", ]', "[]",
    "[\n  \"a\",\n  \"b\"\n]", "443", "-1", "007", "true", "false", "null",
    # not plain: the expression reader answers these
    '"a${1}"', '"a\\\\b"', '"%{if true}x%{endif}"', '["a", 1]', '["a", # c\n "b"]', "1.5",
    '"a" == "a"', "[\"a\"] ", "truex",
])
def test_plain_literals_read_as_the_expression_reader_reads_them(text):
    """ModuleEval.value reads plain literals without the expression reader (speed): the value
    must be the reader's."""
    from rules.sources.terraform_hcl import Expr, ModuleEval
    m = ModuleEval({"blocks": []})
    want = Expr(text, m.scope).parse()
    got = m.value(text)
    assert got == want and type(got) is type(want)
