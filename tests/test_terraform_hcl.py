"""Terraform modules (.tf files) as a source: hand-written modules with variables, locals,
dynamic blocks, for_each, local and remote module calls; expression evaluation; per-rule
good and bad cases in Terraform's shape."""

import os
import textwrap

import pytest

pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")

from cfhttps_io import terraform as tf_io  # noqa: E402
from rules import config, engine  # noqa: E402
from rules.model import Symbolic, Unknown  # noqa: E402
from rules.sources import terraform  # noqa: E402
from rules.sources.terraform_hcl import ModuleEval  # noqa: E402
from rules.sources.terraform_values import Error, Open, Runs  # noqa: E402

HERE = os.path.dirname(__file__)
SITE = os.path.join(HERE, "terraform", "modules", "site")
D = ("resource", "aws_cloudfront_distribution")


def judge_module(module, **settings):
    dists, notes, marks = terraform.module_distributions(module)
    result = engine.evaluate(dists, config.from_mapping(settings)[0])
    found = {(f.code, f.resource, terraform.render_path(f.path[3:])) for f in result.findings}
    return dists, notes + list(result.notes), found, marks, result.findings


def test_site_module_with_local_and_remote_calls():
    dists, notes, found, marks, findings = judge_module(tf_io.load_module(SITE, "site"),
                                                        require_hsts=True)
    names = {d.name for d in dists}
    assert names == {"aws_cloudfront_distribution.site",
                     'module.edge.aws_cloudfront_distribution.this["eu"]',
                     'module.edge.aws_cloudfront_distribution.this["us"]'}
    site = "aws_cloudfront_distribution.site"
    # website endpoint by reference -> CFH002; dynamic blocks over a variable default -> CFH001.
    assert ("CFH002", site, "origin[0].custom_origin_config.origin_protocol_policy") in found
    assert ("CFH001", site, "ordered_cache_behavior[1].viewer_protocol_policy") in found
    assert ("CFH001", site, "ordered_cache_behavior[2].viewer_protocol_policy") in found
    # local.api_policy is a conditional decided by var.environment's default: https-only.
    assert not any(c == "CFH004" for c, _, _ in found)
    assert ("CFH010", site, "origin[1].custom_origin_config.origin_ssl_protocols") in found
    # Provider default: minimum_protocol_version omitted with a custom certificate is TLSv1.
    assert ("CFH009", site, "viewer_certificate") in found
    # The headers policy resource is followed: one year of HSTS on the default behaviour.
    assert ("CFH011", site, "default_cache_behavior.viewer_protocol_policy") not in found
    assert ("CFH011", site, "ordered_cache_behavior[0].viewer_protocol_policy") in found
    for key in ("eu", "us"):
        edge = f'module.edge.aws_cloudfront_distribution.this["{key}"]'
        assert ("CFH008", edge, "ordered_cache_behavior[0].target_origin_id") in found
        assert ("CFH009", edge, "viewer_certificate.cloudfront_default_certificate") in found
        assert not any(c in ("CFH003", "CFH012", "CFH001") and r == edge for c, r, _ in found)
    # The remote module is a note; the unknown api host is a note, never a guess.
    assert any(n.resource == "module.shared" and "remote" in n.message for n in notes)
    assert any("var.api_host" in n.message for n in notes)
    # Lines point into the .tf file that declares the distribution.
    main = os.path.join("site", "main.tf")
    cfh002 = [f for f in findings if f.code == "CFH002"][0]
    assert marks[main][tuple(cfh002.path)][0] == 38
    edge_file = os.path.join("cdn", "main.tf")
    cfh008 = [f for f in findings if f.code == "CFH008"][0]
    assert marks[edge_file][tuple(cfh008.path)][0] == 50
    assert {d.source for d in dists} == {main, edge_file}


def write(tmp_path, text, name="main.tf"):
    (tmp_path / name).write_text(textwrap.dedent(text))
    return tf_io.load_module(str(tmp_path))


def value(expr, **locals_):
    module = {"blocks": [{"type": "locals", "labels": [], "attributes": {
        k: {"value": v} for k, v in locals_.items()}, "blocks": []},
        {"type": "variable", "labels": ["v"], "attributes": {"default": {"value": '"x"'}},
         "blocks": []},
        {"type": "variable", "labels": ["free"], "attributes": {}, "blocks": []}]}
    return ModuleEval(module).value(expr)


@pytest.mark.parametrize("expr,expected", [
    ('"a-${var.v}"', "a-x"),
    ("${var.v == \"x\" ? \"yes\" : \"no\"}", "yes"),
    ("${local.n + 2}", 3),
    ('${lookup({a = "b"}, "a", "c")}', "b"),
    ('${join(",", ["a", "b"])}', "a,b"),
    ('${format("%s.%s", "a", var.v)}', "a.x"),
    ('"$${literal}"', "${literal}"),
    ("${[1, 2][1]}", 2),
    ('${merge({a = 1}, {b = 2})}', {"a": 1, "b": 2}),
])
def test_decided_expressions(expr, expected):
    assert value(expr, n="${1}") == expected


@pytest.mark.parametrize("expr", [
    "${var.free}", "${data.aws_s3_bucket.x.bucket}", "${module.m.out}",
    "${var.free == \"a\" ? \"https-only\" : \"allow-all\"}", "${[for p in var.v : p]}",
    "${sha1(\"x\")}", '"%{if var.v == "x"}a%{endif}"', "${var.v[", "${local.loop}",
])
def test_undecided_expressions_are_unknown(expr):
    assert isinstance(value(expr, loop="${local.loop}"), Unknown)


def test_template_with_unknown_keeps_host_shape():
    v = value('"${var.free}.s3-website-eu-west-1.amazonaws.com"')
    assert isinstance(v, Symbolic)
    from rules.endpoints import WEBSITE, classify
    assert classify(v) == WEBSITE


BASE = """
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  origin {
    domain_name = "%(domain)s"
    origin_id   = "o"
    %(origin_config)s
  }
  default_cache_behavior {
    target_origin_id       = "%(target)s"
    viewer_protocol_policy = "%(vpp)s"
    allowed_methods        = %(methods)s
    cached_methods         = ["GET", "HEAD"]
  }
  %(ordered)s
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    %(cert)s
  }
}
"""
GOOD = dict(domain="app.example.com", target="o", vpp="https-only", methods='["GET", "HEAD"]',
            origin_config='custom_origin_config {\n http_port = 80\n https_port = 443\n'
                          ' origin_protocol_policy = "https-only"\n'
                          ' origin_ssl_protocols = ["TLSv1.2"]\n }',
            ordered="", cert='acm_certificate_arn = "arn:aws:acm:us-east-1:1:certificate/x"\n'
                             'ssl_support_method = "sni-only"\n'
                             'minimum_protocol_version = "TLSv1.2_2021"')


def behavior(pattern, vpp, target="o"):
    return (f'ordered_cache_behavior {{\n path_pattern = "{pattern}"\n target_origin_id = '
            f'"{target}"\n viewer_protocol_policy = "{vpp}"\n allowed_methods = ["GET", "HEAD"]\n'
            f' cached_methods = ["GET", "HEAD"]\n }}')


WEBSITE_HTTP = 'custom_origin_config {\n http_port = 80\n https_port = 443\n' \
               ' origin_protocol_policy = "%s"\n origin_ssl_protocols = ["TLSv1.2"]\n }'
CASES = [
    # (code, changes to GOOD, expected) — at least two bad and two good per rule that applies.
    ("CFH001", dict(vpp="allow-all"), True),
    ("CFH001", dict(ordered=behavior("/a/*", "allow-all")), True),
    ("CFH001", dict(vpp="redirect-to-https"), False),
    ("CFH001", dict(ordered=behavior("/a/*", "https-only")), False),
    ("CFH002", dict(domain="b.s3-website-eu-west-1.amazonaws.com",
                    origin_config=WEBSITE_HTTP % "https-only"), True),
    ("CFH002", dict(domain="b.s3-website.eu-west-1.amazonaws.com",
                    origin_config=WEBSITE_HTTP % "match-viewer"), True),
    ("CFH002", dict(domain="b.s3-website-eu-west-1.amazonaws.com",
                    origin_config=WEBSITE_HTTP % "http-only"), False),
    ("CFH002", dict(domain="b.s3.eu-west-1.amazonaws.com",
                    origin_config=WEBSITE_HTTP % "https-only"), False),
    ("CFH003", dict(origin_config=WEBSITE_HTTP % "http-only"), True),
    ("CFH003", dict(origin_config=WEBSITE_HTTP % "match-viewer", vpp="allow-all"), True),
    ("CFH003", dict(origin_config=WEBSITE_HTTP % "match-viewer"), False),
    ("CFH003", dict(), False),
    ("CFH004", dict(vpp="redirect-to-https", methods='["GET", "HEAD", "OPTIONS", "PUT", "POST",'
                    ' "PATCH", "DELETE"]'), True),
    ("CFH004", dict(vpp="redirect-to-https", methods='["GET", "HEAD", "OPTIONS", "PUT", "POST",'
                    ' "PATCH", "DELETE"]', ordered=behavior("/x", "https-only")), True),
    ("CFH004", dict(vpp="redirect-to-https", methods='["GET", "HEAD", "OPTIONS"]'), False),
    ("CFH004", dict(methods='["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]'), False),
    ("CFH005", dict(ordered=behavior("/a/*", "https-only") + behavior("/a/b/*", "https-only")), True),
    ("CFH005", dict(ordered=behavior("*", "https-only")), True),
    ("CFH005", dict(ordered=behavior("/a/b/*", "https-only") + behavior("/a/*", "https-only")), False),
    ("CFH005", dict(ordered=behavior("/a/*", "https-only")), False),
    ("CFH006", dict(ordered=behavior("/a*", "allow-all") + behavior("/admin/*", "https-only")), True),
    ("CFH006", dict(ordered=behavior("*.js", "allow-all") + behavior("/secure/*", "https-only")), True),
    ("CFH006", dict(ordered=behavior("/secure/public/*", "allow-all") +
                    behavior("/secure/*", "https-only")), False),
    ("CFH006", dict(ordered=behavior("/a/*", "https-only") + behavior("/b/*", "https-only")), False),
    ("CFH008", dict(target="missing"), True),
    ("CFH008", dict(ordered=behavior("/a/*", "https-only", target="nope")), True),
    ("CFH008", dict(), False),
    ("CFH008", dict(ordered=behavior("/a/*", "https-only", target="o")), False),
    ("CFH009", dict(cert="cloudfront_default_certificate = true"), True),
    ("CFH009", dict(cert='acm_certificate_arn = "arn:x"\nminimum_protocol_version = "TLSv1.1_2016"'), True),
    ("CFH009", dict(cert='acm_certificate_arn = "arn:x"\nminimum_protocol_version = "TLSv1.2_2021"'), False),
    ("CFH009", dict(), False),
    ("CFH010", dict(origin_config=WEBSITE_HTTP.replace('["TLSv1.2"]', '["TLSv1", "TLSv1.2"]')
                    % "https-only"), True),
    ("CFH010", dict(origin_config=WEBSITE_HTTP.replace('["TLSv1.2"]', '["SSLv3"]') % "match-viewer"), True),
    ("CFH010", dict(origin_config=WEBSITE_HTTP.replace('["TLSv1.2"]', '["SSLv3"]') % "http-only"), False),
    ("CFH010", dict(), False),
    ("CFH012", dict(domain="b.s3.eu-west-1.amazonaws.com",
                    origin_config='s3_origin_config {\n origin_access_identity = ""\n }'), True),
    ("CFH012", dict(domain="b.s3.amazonaws.com", origin_config='s3_origin_config {\n'
                    ' origin_access_identity = "origin-access-identity/cloudfront/E1"\n }'), True),
    ("CFH012", dict(domain="b.s3.eu-west-1.amazonaws.com", origin_config='origin_access_control_id'
                    ' = "E2QWRUHEXAMPLE"\n s3_origin_config {\n origin_access_identity = ""\n }'), False),
    ("CFH012", dict(), False),
]


@pytest.mark.parametrize("code,changes,expected", CASES)
def test_rule_cases(tmp_path, code, changes, expected):
    module = write(tmp_path, BASE % dict(GOOD, **changes))
    _, notes, found, _, _ = judge_module(module)
    assert any(c == code for c, _, _ in found) is expected, (found, notes)


DYNAMIC_BEHAVIORS = ('dynamic "ordered_cache_behavior" {\n for_each = %s\n content {\n'
                     ' path_pattern = ordered_cache_behavior.value\n target_origin_id = "o"\n'
                     ' viewer_protocol_policy = "%s"\n allowed_methods = ["GET", "HEAD"]\n'
                     ' cached_methods = ["GET", "HEAD"]\n }\n }\n'
                     'ordered_cache_behavior {\n path_pattern = "/*"\n target_origin_id = "o"\n'
                     ' viewer_protocol_policy = "allow-all"\n allowed_methods = ["GET", "HEAD"]\n'
                     ' cached_methods = ["GET", "HEAD"]\n }')


def test_dynamic_blocks_over_an_unknown_collection_are_judged_each_not_in_order(tmp_path):
    """A dynamic block over a required variable: the blocks it may generate are judged with
    the iterator unknown (what the content decides holds for each), the list's order is not."""
    module = write(tmp_path, BASE % dict(GOOD, ordered=DYNAMIC_BEHAVIORS % (
        "var.paths", "https-only")) + 'variable "paths" {\n type = list(string)\n}\n')
    dists, notes, found, _, _ = judge_module(module)
    d = dists[0]
    assert not d.behaviors_known and len(d.behaviors) == 2
    # "/*" (allow-all) after the generated https-only behaviours would capture their paths if
    # it came first — but the order of a list known in part is not judged: notes only.
    assert not any(c in ("CFH005", "CFH006") for c, _, _ in found), found
    assert any(n.code == "CFH005" and "known only in part" in n.message for n in notes)
    assert any("dynamic \"ordered_cache_behavior\"" in n.message for n in notes)
    # A setting the content decides alone is judged for each generated block.
    module = write(tmp_path, BASE % dict(GOOD, ordered=DYNAMIC_BEHAVIORS % (
        "var.paths", "allow-all")) + 'variable "paths" {\n type = list(string)\n}\n')
    _, _, found, _, _ = judge_module(module)
    assert ("CFH001", "aws_cloudfront_distribution.d",
            "ordered_cache_behavior[0].viewer_protocol_policy") in found


def test_dynamic_blocks_over_a_partly_known_collection(tmp_path):
    """concat of a known list and a required variable: the known element is a sure block, the
    others "zero or more like this"; the list is incomplete."""
    module = write(tmp_path, BASE % dict(GOOD, ordered=DYNAMIC_BEHAVIORS % (
        'concat(["/api/*"], var.paths)', "redirect-to-https")) +
        'variable "paths" {\n type = list(string)\n}\n')
    dists, _, _, _, _ = judge_module(module)
    d = dists[0]
    assert not d.behaviors_known
    assert [b.path_pattern for b in d.behaviors][:1] == ["/api/*"]
    assert len(d.behaviors) == 3


def test_for_expressions_over_collections_known_in_part(tmp_path):
    (tmp_path / "main.tf").write_text(textwrap.dedent('''\
        variable "zones" {
          type = list(object({ name = string }))
        }
        variable "extra" {
          type = map(string)
        }
        locals {
          each_zone = [for z in var.zones : { policy = "redirect-to-https", name = z.name }]
          both      = concat([{ policy = "https-only", name = "root" }], local.each_zone)
          flat      = flatten([for z in var.zones : [["a"], ["b"]]])
          keys      = keys(merge(var.extra, { root = "x" }))
          set       = toset(concat(["b", "a", "b"], var.zones))
          policies  = [for b in local.both : b.policy]
          known_map = { for k, v in merge(var.extra, { root = "x" }) : k => v }
        }
        '''))
    m = ModuleEval(tf_io.load_module(str(tmp_path)))
    runs = m.local("each_zone")
    assert isinstance(runs, Runs) and len(runs.parts) == 1 and runs.parts[0][0] is False
    assert runs.parts[0][1]["policy"] == "redirect-to-https"
    assert isinstance(runs.parts[0][1]["name"], Unknown)
    both = m.local("both")
    assert [(s, v["policy"]) for s, v in both.parts] == [(True, "https-only"),
                                                          (False, "redirect-to-https")]
    flat = m.local("flat")
    assert list(flat.parts) == [(False, "a"), (False, "b")]
    assert m.local("keys").parts[0] == (True, "root") and m.local("keys").parts[1][0] is False
    assert [p for p in m.local("set").parts if p[0]] == [(True, "a"), (True, "b")]
    assert m.local("policies").parts == ((True, "https-only"), (False, "redirect-to-https"))
    known_map = m.local("known_map")
    assert isinstance(known_map, Open) and known_map == {"root": "x"}
    # Whatever does not read the parts sees an unknown, never a guessed list.
    assert isinstance(m.value("length(local.both)"), Unknown)
    assert isinstance(m.value("local.both[1]"), Unknown)


def test_count_zero_and_unknown_for_each(tmp_path):
    # count 0 only through a variable's default: judged as if created, without an index.
    module = write(tmp_path, BASE.replace('enabled = true', 'count = var.on ? 1 : 0')
                   % dict(GOOD, vpp="allow-all") + 'variable "on" {\n default = false\n}\n')
    dists, notes, found, _, _ = judge_module(module)
    assert [d.name for d in dists] == ["aws_cloudfront_distribution.d"]
    assert any("count is 0 only with the variables' defaults" in n.message for n in notes)
    assert any(c == "CFH001" for c, _, _ in found)
    # A literal count = 0 is not created: not judged, a note says so.
    module = write(tmp_path, BASE.replace('enabled = true', 'count = 0')
                   % dict(GOOD, vpp="allow-all"))
    dists, notes, found, _, _ = judge_module(module)
    assert not dists and any("count is 0: not created" in n.message for n in notes)
    module = write(tmp_path, BASE.replace('enabled = true', 'for_each = var.sites')
                   % dict(GOOD, vpp="allow-all") + 'variable "sites" {}\n')
    dists, notes, found, _, _ = judge_module(module)
    assert [d.name for d in dists] == ["aws_cloudfront_distribution.d[each]"]
    assert any(c == "CFH001" for c, _, _ in found)


def test_missing_origin_ssl_protocols_is_a_note(tmp_path):
    module = write(tmp_path, BASE % dict(GOOD, origin_config='custom_origin_config {\n'
                                         ' http_port = 80\n https_port = 443\n'
                                         ' origin_protocol_policy = "https-only"\n }'))
    dists, notes, found, _, _ = judge_module(module)
    assert not any(c == "CFH010" for c, _, _ in found)
    assert any("origin_ssl_protocols" in n.message for n in notes)


@pytest.mark.parametrize("text", [
    "resource {", 'resource "aws_cloudfront_distribution" "x" { origin = }', "\x00\xff",
    'a = 1\na = 2\n', 'resource "a_${var.t}" "x" {}\n', "a {\n" * 70 + "}\n" * 70,
    'a = "unterminated\n', "a = <<EOT\nno end marker\n",
])
def test_bad_hcl_is_an_error_not_a_crash(tmp_path, text):
    (tmp_path / "bad.tf").write_text(text, encoding="utf-8", errors="replace")
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] and "bad.tf" in module["errors"][0]
    dists, notes, _, _ = terraform.module_distributions(module) + (None,)
    assert dists == []


def test_syntax_errors_name_the_line(tmp_path):
    (tmp_path / "main.tf").write_text('variable "a" {\n  default = 1\n}\n\nlocals {\n  x = [1,\n}\n')
    module = tf_io.load_module(str(tmp_path))
    assert len(module["errors"]) == 1 and "main.tf: not valid HCL (line " in module["errors"][0]
    (tmp_path / "main.tf").write_text('locals {\n  a = 1\n  b = 2\n  a = 3\n}\n')
    assert "line 4: the argument 'a' was already set at line 2" in \
        tf_io.load_module(str(tmp_path))["errors"][0]


def test_deeply_nested_expression_is_read_and_bounded(tmp_path):
    """3,000 nested brackets are valid HCL: the file is read, the value is an unknown."""
    (tmp_path / "deep.tf").write_text("locals {\n  deep = " + "[" * 3000 + "]" * 3000 + "\n}\n")
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] == []
    value = ModuleEval(module).local("deep")
    assert isinstance(value, Unknown) and "nested too deeply" in value.reason


def test_heredocs_are_templates_without_escapes(tmp_path):
    """HCL syntax spec, "Template Expressions": ``<<-`` removes the smallest indentation; escapes
    belong to quoted templates only; interpolations are read."""
    (tmp_path / "main.tf").write_text(textwrap.dedent('''\
        variable "who" {
          default = "web"
        }
        locals {
          plain = <<EOT
        a\\n "${var.who}"
        EOT
          indented = <<-EOT
              one
                two
            EOT
          inline = upper(<<EOT
        x
        EOT
          )
        }
        '''))
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] == []
    m = ModuleEval(module)
    assert m.local("plain") == 'a\\n "web"\n'
    assert m.local("indented") == "one\n  two\n"
    assert m.local("inline") == "X\n"


def test_flush_heredoc_indentation_counts_only_the_strings_lines(tmp_path):
    """hclsyntax's flushHeredocTemplateParts: the smallest indentation is taken over the literal
    text that starts each line; the lines inside a multi-line ``${...}`` are expression text
    (not counted, not trimmed), a line that starts with an interpolation counts as unindented,
    blank lines do not count, and a tab is one whitespace character like a space."""
    (tmp_path / "main.tf").write_text(
        'variable "v" {\n  default = "x"\n}\n'
        "locals {\n"
        "  spanning = <<-END\n"
        "    #cloud-config\n"
        "    ${upper(join(\",\", [\n"
        "  \"a\",\n"
        "\"b\"\n"
        "]))}\n"
        "  END\n"
        "  starts = <<-END\n"
        "      one\n"
        "${var.v}\n"
        "  END\n"
        "  blank = <<-END\n"
        "      one\n"
        "\n"
        "        two\n"
        "    END\n"
        "  tabs = <<-END\n"
        "  \tx\n"
        "\ty\n"
        "  END\n"
        "}\n")
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] == []
    m = ModuleEval(module)
    assert m.local("spanning") == "#cloud-config\nA,B\n"
    assert m.local("starts") == "      one\nx\n"
    assert m.local("blank") == "one\n\n  two\n"
    assert m.local("tabs") == " \tx\ny\n"


def test_comments_before_for_and_computed_object_keys(tmp_path):
    """A comment may stand between the bracket and ``for``; an object key other than a bare name
    is an expression (HCL's object constructor): ``(var.k)`` and ``"k-${...}"`` are evaluated, a
    number or bool becomes its string, null is an error, and an unknown key makes the whole
    object unknown."""
    (tmp_path / "main.tf").write_text(textwrap.dedent('''\
        variable "key" {
          default = "CostCentre"
        }
        variable "nothing" {
          default = null
        }
        locals {
          listed = [
            # one per name
            for s in ["a", "b"] : upper(s)
          ]
          mapped = {
            # keyed by name
            for s in ["a"] :
            (length(s) > 0 ? "k-${s}" : s)
            => s
          }
          tags = {
            (var.key)     = "x"
            "k-${var.key}" = "y"
            (1)           = "one"
            (true)        = "yes"
            plain         = "z"
          }
          null_key    = { (var.nothing) = 1 }
          unknown_key = { (data.x.y.id) = 1, a = 2 }
          traversal   = { aws.east = 1 }
        }
        '''))
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] == []
    m = ModuleEval(module)
    assert m.local("listed") == ["A", "B"]
    assert m.local("mapped") == {"k-a": "a"}
    assert m.local("tags") == {"CostCentre": "x", "k-CostCentre": "y", "1": "one",
                               "true": "yes", "plain": "z"}
    assert isinstance(m.local("null_key"), Error)
    for name in ("unknown_key", "traversal"):
        got = m.local(name)
        assert isinstance(got, Unknown) and not isinstance(got, Error), got
        assert "not evaluated (" not in got.reason, got  # read, not a failed parse


def test_exponent_without_fraction_and_strip_markers(tmp_path):
    """HCL's NumericLit takes ``1e3`` (tree-sitter-hcl 1.2 wants ``1.0e3``: the file is read
    again with the fraction added outside strings, comments and heredocs, lines kept); a
    template's ``${~`` / ``~}`` remove the whitespace beside them."""
    (tmp_path / "main.tf").write_text(textwrap.dedent('''\
        locals {
          thousand = 1e3 # 1e3
          hundred  = 1E+2
          text     = "1e3 ${1e1}"
          listed   = [2e0, 1.5e1]
          tight    = "a ${~ "b" ~} c"
          lines    = <<EOT
        1e3
        x
          ${~ "y"}
        EOT
        }
        '''))
    module = tf_io.load_module(str(tmp_path))
    assert module["errors"] == []
    m = ModuleEval(module)
    assert m.local("thousand") == 1000 and m.local("hundred") == 100
    assert m.local("text") == "1e3 10"
    assert m.local("listed") == [2, 15]
    assert m.local("tight") == "abc"
    assert m.local("lines") == "1e3\nxy\n"
    block = next(b for b in module["blocks"] if b["type"] == "locals")
    assert block["attributes"]["lines"]["line"] == 7
    (tmp_path / "main.tf").write_text("locals {\n  a = 1e3 +\n}\n")
    module = tf_io.load_module(str(tmp_path))
    assert len(module["errors"]) == 1 and "not valid HCL" in module["errors"][0]


def test_block_labels_are_decoded(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" b {\n}\nvariable "a\\u0062" {\n}\n')
    blocks = tf_io.load_module(str(tmp_path))["blocks"]
    assert [(b["type"], b["labels"], b["line"]) for b in blocks] == [
        ("resource", ["aws_s3_bucket", "b"], 1), ("variable", ["ab"], 3)]


def test_module_cycle_is_bounded(tmp_path):
    (tmp_path / "main.tf").write_text('module "self" {\n source = "./"\n}\n')
    module = tf_io.load_module(str(tmp_path))
    dists, notes, _ = terraform.module_distributions(module)
    assert dists == []


def test_references_through_unknown_keys_are_not_the_same_expression(tmp_path):
    """``module.m[var.k].host`` twice: not known to be equal (the key is not known), and
    rendered without Python reprs; ``module.m.host`` is named by content."""
    (tmp_path / "main.tf").write_text('variable "k" {\n  type = string\n}\nlocals {\n'
                                      '  a = module.m[var.k].host\n  c = module.m.host\n}\n')
    m = ModuleEval(tf_io.load_module(str(tmp_path)))
    a, c = m.local("a"), m.local("c")
    assert "module.m.[?]" in a.reason and "Unknown(" not in a.reason and a.same_as is None
    assert c.same_as == ("terraform", "module.m.host", "")


def test_a_value_taken_from_a_list_known_in_part_is_not_that_list(tmp_path):
    """An element, an attribute, a comparison or a lookup of a list known in part is a plain
    unknown: a for expression or a dynamic block over it must not read the list's parts."""
    (tmp_path / "main.tf").write_text(textwrap.dedent('''\
        variable "zones" {
          type = list(string)
        }
        locals {
          zones  = [for z in var.zones : { policy = "allow-all" }]
          first  = local.zones[0]
          n      = length(local.zones) > 0 ? "a" : "b"
          looked = lookup({ a = "x" }, local.zones, "d")
          picked = var.zones == null ? local.zones : local.zones
          over   = [for x in local.first : x]
        }
        '''))
    m = ModuleEval(tf_io.load_module(str(tmp_path)))
    assert isinstance(m.local("zones"), Runs)
    for name in ("first", "n", "looked"):
        value = m.local(name)
        assert isinstance(value, Unknown) and not isinstance(value, Runs), (name, value)
    over = m.local("over")
    assert all(isinstance(v, Unknown) and not isinstance(v, Runs) for _, v in over.parts)
