"""Hostile and careless .tf input: values that double through locals, numbers that square, quadratic
functions, malformed files that make the parser work hard. Each must end with a clear unknown or
a refusal, never a blow-up of time or memory (which the audit could not catch).

The evaluator cases are sized so that without the bound the value would still be built (a few
megabytes, quickly) and the assertion that it is refused fails; the process cases use the sizes an
attacker would (sixty doublings) and only ask that the audit finishes."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")

from rules.model import Unknown  # noqa: E402
from rules.sources import terraform_functions  # noqa: E402
from rules.sources.terraform_hcl import MAX_NUMBER_BITS, ModuleEval  # noqa: E402
from rules.sources.terraform_values import MAX_VALUE, is_unknown, known, size_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def chain(step, seed, levels):
    """A module whose locals a1..aN each apply ``step`` (with ``{p}`` the previous local)."""
    attrs = {"a0": {"value": seed}}
    for i in range(1, levels + 1):
        attrs[f"a{i}"] = {"value": step.format(p=f"local.a{i - 1}")}
    return ModuleEval({"blocks": [{"type": "locals", "labels": [], "blocks": [],
                                   "attributes": attrs}]})


@pytest.mark.parametrize("step,seed", [
    ('"${{{p}}}${{{p}}}"', '"xxxxxxxxxx"'),            # string doubling by interpolation
    ('join("", [{p}, {p}])', '"xxxxxxxxxx"'),           # ... by join()
    ('format("%s%s", {p}, {p})', '"xxxxxxxxxx"'),       # ... by format()
    ('[{p}, {p}]', '["x"]'),                            # a tree of shared lists
    ('{{a = {p}, b = {p}}}', '{x = 1}'),                # ... of shared objects
    ('concat({p}, {p})', '["x"]'),                      # list doubling
])
def test_values_that_double_become_unknown(step, seed):
    # 18 doublings: 2.6 million characters or 262 144 elements, past MAX_VALUE.
    module = chain(step, seed, 18)
    found = module.local("a18")
    # Unknown, or built again from such unknowns ("${unknown}${unknown}", [unknown, unknown]):
    # either way small, and not a wrong known value.
    assert not known(found), type(found)
    assert "not evaluated here" in repr(found)[:3000], repr(found)[:3000]
    assert size_of(found) <= MAX_VALUE
    small = module.local("a3")  # the first doublings are ordinary values
    assert not isinstance(small, Unknown)


def test_string_doubling_through_interpolation_keeps_holes_bounded():
    # Unknown parts double too: "${local.a}${local.a}" over an unknown makes 2^n holes.
    module = chain('"${{{p}}}-${{{p}}}"', "var.not_declared", 18)
    found = module.local("a18")
    assert is_unknown(found) and size_of(found) <= MAX_VALUE
    assert "not evaluated here" in repr(found)[:3000]


def test_squaring_numbers_stop_at_the_bit_bound():
    module = chain("{p} * {p}", "10", 12)  # 10^4096: 13 606 bits
    assert module.local("a6") == 10 ** 64
    found = module.local("a12")
    assert isinstance(found, Unknown) and f"{MAX_NUMBER_BITS} bits" in found.reason
    long_literal = ModuleEval({"blocks": []}).value("1" * 400)
    assert isinstance(long_literal, Unknown) and "400 digits" in long_literal.reason


def test_nested_replace_in_one_expression():
    text = "replace(" * 8 + '"xx"' + ', "x", "xxxxxxxxxx")' * 8  # 2 * 10^8 characters
    found = ModuleEval({"blocks": []}).value(text)
    assert isinstance(found, Unknown) and "replace()" in found.reason
    assert ModuleEval({"blocks": []}).value('replace("ab", "b", "cc")') == "acc"


def test_distinct_and_toset_are_not_quadratic_on_plain_values():
    values = list(range(60_000)) * 2 + ["a", 1.0, True, None]
    assert terraform_functions.call("distinct", [values]) == list(range(60_000)) + ["a", None]
    # Collections are compared pairwise up to a bound, then not evaluated.
    few = [[1], [1], [2]]
    assert terraform_functions.call("distinct", [few]) == [[1], [2]]
    many = [[i] for i in range(terraform_functions.MAX_PAIRWISE + 1)]
    assert isinstance(terraform_functions.call("distinct", [many]), Unknown)
    assert isinstance(terraform_functions.call("toset", [many]), Unknown)


def test_values_up_to_the_bound_are_evaluated():
    text = "[" + ",".join(str(i) for i in range(MAX_VALUE // 10)) + "]"
    assert len(ModuleEval({"blocks": []}).value(text)) == MAX_VALUE // 10


DIST = """
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  comment = %s
  origin {
    domain_name = "example.com"
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
    forwarded_values {
      query_string = false
      cookies { forward = "none" }
    }
  }
  restrictions {
    geo_restriction { restriction_type = "none" }
  }
  viewer_certificate { cloudfront_default_certificate = true }
}
"""


def audit(directory, timeout=120):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--no-config", "-q",
                           str(directory)], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=ROOT)


@pytest.mark.slow
@pytest.mark.parametrize("step,seed,use", [
    ('"${{{p}}}${{{p}}}"', '"xxxxxxxxxx"', "local.a60"),
    ('[{p}, {p}]', '["x"]', "length(flatten(local.a60))"),
    ('{p} * {p}', "10", '"${local.a60}"'),
    ('concat({p}, {p})', '["x", "y"]', "length(distinct(local.a60))"),
])
def test_sixty_doublings_finish(tmp_path, step, seed, use):
    lines = [f"  a{i} = " + step.format(p=f"local.a{i - 1}") for i in range(1, 61)]
    (tmp_path / "main.tf").write_text("locals {\n  a0 = %s\n%s\n}\n" % (seed, "\n".join(lines))
                                      + DIST % use)
    done = audit(tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "CFH001" in done.stdout  # the distribution is still judged


@pytest.mark.slow
def test_parse_that_does_not_finish_is_refused(monkeypatch, tmp_path):
    """An unclosed "${ early in a file of interpolated strings: tree-sitter's error recovery takes
    a minute on these 325 kB (worse than quadratic in the lines after the error)."""
    from cfhttps_io import hcl_syntax, terraform as tf_io
    monkeypatch.setattr(hcl_syntax, "MAX_PARSE_SECONDS", 1.0)
    path = tmp_path / "main.tf"
    path.write_text('a = "${x\n' + "".join(f'b{i} = "${{"${{x}}"}}"\n' for i in range(16000)))
    start = time.monotonic()
    with pytest.raises(tf_io.TerraformError, match="main.tf: .*gave up after 1 s"):
        tf_io.parse_file(str(path))
    assert time.monotonic() - start < 20
    # The same bound leaves an ordinary file alone.
    path.write_text("".join(f'b{i} = "${{"${{x}}"}}"\n' for i in range(16000)))
    assert len(tf_io.parse_file(str(path))["attributes"]) == 16000


def test_base_address_of_instances_found_by_bisection():
    from rules.sources.terraform import _is_base_of_instances
    addresses = sorted(["aws_x.y", "aws_x.y2[0]", "aws_x.z", 'aws_x.z["k"]', "aws_x.z_other",
                        'module.m["a"].aws_x.y', 'module.m["a"].aws_x.y[3]'])
    assert not _is_base_of_instances("aws_x.y", addresses)  # aws_x.y2[0] is another resource
    assert _is_base_of_instances("aws_x.z", addresses)
    assert _is_base_of_instances('module.m["a"].aws_x.y', addresses)
    assert not _is_base_of_instances('aws_x.z["k"]', addresses)
