"""The engine's per-request shortcuts give the answers of the plain routes they replace.

Modelling reads properties through precomputed spellings (:class:`Prop`), remembers per mapping
shape which key holds a property (:class:`Fields`), and the Pulumi reader reads plain dicts
directly. Evaluation merges a distribution
without variants directly, and remembers a method list's write methods and a host's class. Each is compared here with the straightforward computation it
replaces, on generated inputs (mixed key cases, unknown sentinels, non-string keys) and on
templates with condition variants.
"""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from cfhttps_io.templates import parse_text
from rules import endpoints, engine
from rules.checks import _common
from rules.config import Config
from rules.model import Finding, Unknown
from rules.sources import builder as _builder
from rules.sources import cloudformation, pulumi, reader
from rules.sources.reader import MISSING, Fields, Prop, Reader, _raw_get

SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

# Names as the builder asks for them, several with an alias.
NAMES = [("PathPattern",), ("Id", "OriginId"), ("OriginSSLProtocols", "OriginSslProtocols"),
         ("AcmCertificateArn", "ACMCertificateArn"), ("CacheBehaviors", "OrderedCacheBehaviors"),
         ("ResponseHeadersPolicyId",)]


def _spellings(name: str):
    return [name, name[:1].lower() + name[1:], name.lower(), name.upper(), name.swapcase()]


KEYS = st.one_of(
    st.sampled_from(sorted({k for names in NAMES for n in names for k in _spellings(n)})),
    st.sampled_from(["comment", "enabled", "Other", "İd", "ıd", "ID"]),  # non-ASCII folds
    st.integers(min_value=0, max_value=3),  # keys that are not strings
)
VALUES = st.one_of(st.text(max_size=5), st.just(SENTINEL), st.integers(), st.booleans(),
                   st.none(), st.lists(st.sampled_from(["GET", SENTINEL, "post"]), max_size=3))
NODES = st.dictionaries(KEYS, VALUES, max_size=8)


def reference_key(node, names):
    """Reader.get's key choice as first written: each name, then camelCased, then the first
    string key equal to a name ignoring case (``str.lower``)."""
    for name in names:
        for key in (name, name[:1].lower() + name[1:]):
            if key in node:
                return key
    lowered = {n.lower() for n in names}
    for key in node.keys():
        if isinstance(key, str) and str.lower(key) in lowered:
            return key
    return None


def reference_get(node, names, path):
    key = reference_key(node, names)
    return (MISSING, path + (names[0],)) if key is None else (node[key], path + (key,))


def sentinel_free(value):
    return Unknown(pulumi.PREVIEW_UNKNOWN) if value == SENTINEL else value


@settings(max_examples=400, deadline=None)
@given(node=NODES, names=st.sampled_from(NAMES))
def test_reads_match_the_plain_lookup(node, names):
    path = ("root", 1)
    want = reference_get(node, names, path)
    for _ in range(2):  # the second read answers from the remembered shape
        assert Reader().get(node, names, path) == want
        assert Reader().get(node, Prop(*names), path) == want
        raw = _raw_get(node, names, path)
        assert raw == (want if want[0] is not MISSING else (MISSING, path))
        value, wpath = pulumi._SentinelReader().get(node, names, path)
        assert (value, wpath) == (sentinel_free(want[0]), want[1])


@settings(max_examples=300, deadline=None)
@given(node=NODES, picks=st.lists(st.sampled_from(NAMES), min_size=1, max_size=4),
       raw=st.lists(st.sampled_from(NAMES), max_size=2))
def test_fields_read_each_property_as_get_does(node, picks, raw):
    table = Fields(*(Prop(*names) for names in picks), raw=tuple(Prop(*names) for names in raw))
    path = ("origins", 0)
    as_written = [_raw_get(node, names, path) for names in raw]
    for _ in range(2):
        want = [pulumi._SentinelReader().get(node, names, path) for names in picks]
        assert pulumi._SentinelReader().fields(node, table, path) == want + as_written
        want = [Reader().get(node, names, path) for names in picks]
        assert Reader().fields(node, table, path) == want + as_written


@settings(max_examples=200, deadline=None)
@given(items=st.lists(VALUES, max_size=5))
def test_values_are_the_items_without_paths(items):
    for reader in (Reader(), pulumi._SentinelReader()):
        got = reader.values(items, ("x",))
        assert got == [v for v, _ in reader.items(items, ("x",))]
    builder = _builder.Builder(pulumi._SentinelReader(), "n")
    listed = builder._str_list(items, ("x",))
    expected = []
    for value in items:
        value = sentinel_free(value)
        if isinstance(value, Unknown):
            expected = value
            break
        expected.append(value if isinstance(value, str) else _builder._text(value))
    assert listed == (expected if isinstance(expected, Unknown) else tuple(expected))


def test_shapes_remembered_stay_bounded():
    table = Fields(Prop("PathPattern"))
    remembered = reader._FIELD_KEYS
    for i in range(3 * remembered.limit):
        node = {f"k{i}": 1, "pathpattern": i}
        assert pulumi._SentinelReader().fields(node, table, ()) == [(i, ("pathpattern",))]
        assert len(remembered) <= remembered.limit
    # A shape with very long keys is answered, not remembered.
    long_key = "x" * (reader._SHAPE_CHARS + 1)
    before = dict(remembered)
    read = pulumi._SentinelReader().fields({long_key: 1}, table, ())
    assert read == [(MISSING, ("PathPattern",))]
    assert dict(remembered) == before


@settings(max_examples=200, deadline=None)
@given(methods=st.lists(st.sampled_from(["GET", "head", "Post", "PUT", "patch", "DELETE",
                                         "OPTIONS", ""]), max_size=7))
def test_write_methods_in_catalogue_order_case_ignored(methods):
    given_ = {m.upper() for m in methods}
    want = tuple(m for m in _common.WRITE_METHODS if m in given_)
    assert _common.write_methods(tuple(methods)) == want
    assert _common.write_methods(list(methods)) == want
    assert _common.write_methods(tuple(methods) + (["PUT"],)) == want  # not a string: ignored


def test_long_hosts_are_classified():
    assert endpoints.classify("b" * 600 + ".s3.amazonaws.com") == endpoints.REST


def test_with_severity_is_replace():
    f = Finding("CFH001", "m", "", "r", ("a", 1), "/x", "C", "n", (("a", 1), "v"))
    assert f.with_severity("error") == f._replace(severity="error")
    assert type(f.with_severity("error")) is Finding


def reference_evaluate(distributions, config, codes=None):
    """engine.evaluate without its shortcut: every group, one variant or several, goes through
    the general merge across variants (``_merge_variants``)."""
    plan = engine._plan(config, None if codes is None else tuple(codes))
    groups = {}
    for dist in distributions:
        groups.setdefault(dist.name, []).append(dist)
    findings, notes = [], []
    for variants in groups.values():
        engine._merge_variants(variants, config, plan, findings, notes)
    return findings, notes


VARIANTS = """
Parameters:
  Stage: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  Prod: !Equals [!Ref Stage, prod]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: site
            DomainName: b.s3.amazonaws.com
            S3OriginConfig: {OriginAccessIdentity: ''}
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: !If [Prod, https-only, http-only]
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: !If [Prod, redirect-to-https, allow-all]
        CacheBehaviors:
          - PathPattern: /api/*
            TargetOriginId: app
            ViewerProtocolPolicy: allow-all
            AllowedMethods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
          - PathPattern: /api/x
            TargetOriginId: !If [Prod, app, nowhere]
            ViewerProtocolPolicy: https-only
  Plain:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: match-viewer}}
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: allow-all}
        ViewerCertificate: {CloudFrontDefaultCertificate: true}
"""


def test_evaluation_matches_the_merge_of_variants():
    dists, _ = cloudformation.distributions(parse_text(VARIANTS)[0])
    assert len([d for d in dists if d.name == "Cdn"]) > 1 and any(d.name == "Plain" for d in dists)
    configs = [Config(), Config(require_origin_https=True, sensitive_paths=("/api/*",)),
               Config().with_rule("CFH001", _common_rule_setting())]
    for config in configs:
        for codes in (None, ["CFH001", "CFH008"]):
            result = engine.evaluate(dists, config, codes)
            want_findings, want_notes = reference_evaluate(dists, config, codes)
            assert result.findings == want_findings
            assert result.notes == want_notes
            assert any(f.condition for f in result.findings)  # the variants did differ


def test_evaluation_of_pulumi_requests_matches_the_merge():
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "bench"))
    from bench_pulumi import pulumi_props
    props = json.loads(json.dumps(pulumi_props(25)))
    props["orderedCacheBehaviors"][2]["viewerProtocolPolicy"] = SENTINEL
    props["origins"][1]["customOriginConfig"]["originProtocolPolicy"] = "http-only"
    dist, _ = pulumi.distribution(pulumi.AWS_TYPE, props, "urn:cdn", converted=True)
    result = engine.evaluate([dist], Config())
    assert (result.findings, result.notes) == reference_evaluate([dist], Config())
    assert result.findings and result.notes


def _common_rule_setting():
    from rules.config import RuleSetting
    return RuleSetting(enabled=True, severity="warning")
