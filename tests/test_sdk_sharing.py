"""The pack's shared Analyze path through pulumi-policy (cfhttps_pulumi/sdk_sharing.py) must be
invisible: the direct Struct conversion returns what json_format returns, the lazy proxies read
exactly as the SDK's eager ones (unknowns and their property paths included), one Analyze with the
provider attached models and evaluates once, and whenever an SDK internal it relies on is missing
or behaves differently the pack answers on the SDK's own path, saying so once on stderr."""

import math
import os

import pulumi_policy.policy as sdk
import pytest
from google.protobuf import json_format, struct_pb2
from google.protobuf.json_format import MessageToDict
from hypothesis import given, settings, strategies as st
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy import proxy as sdk_proxy
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, deserialize_properties

from cfhttps_pulumi import pack, sdk_sharing
from conftest import ROOT
from pulumi_harness import UNKNOWN, Pack, analyze_request, capture

pytestmark = pytest.mark.slow  # starts policy-pack processes and talks gRPC to them

SENTINELS = [sdk_proxy.UNKNOWN_STRING_VALUE, sdk_proxy.UNKNOWN_BOOLEAN_VALUE,
             sdk_proxy.UNKNOWN_OBJECT_VALUE, sdk_proxy.UNKNOWN_ARRAY_VALUE]

scalars = st.one_of(st.none(), st.booleans(), st.text(max_size=8), st.sampled_from(SENTINELS),
                    st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**6, 10**6))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=30)
documents = st.dictionaries(st.text(max_size=6), trees, max_size=5)


def to_struct(doc):
    s = struct_pb2.Struct()
    s.update(doc)
    return s


@settings(max_examples=300, deadline=None)
@given(documents)
def test_struct_conversion_equals_json_format(doc):
    message = to_struct(doc)
    expected = json_format.MessageToDict(message)
    got = sdk_sharing.struct_to_dict(message)
    assert got == expected
    assert repr(got) == repr(expected)  # same types (floats stay floats) and key order


@settings(max_examples=300, deadline=None)
@given(documents)
def test_struct_conversion_of_a_parsed_message_equals_json_format(doc):
    """As the servicer gets it: parsed from the wire (gRPC), not built in Python."""
    message = struct_pb2.Struct.FromString(to_struct(doc).SerializeToString())
    expected = json_format.MessageToDict(message)
    assert repr(sdk_sharing.struct_to_dict(message)) == repr(expected)


def test_struct_conversion_of_empty_values_equals_json_format():
    """Values the string-first read must hand to the kind dispatch: the empty string (a set
    string kind reading as ""), empty list and struct, false, zero, null and a Value with no kind
    at all (json_format: None)."""
    message = to_struct({"s": "", "l": [], "d": {}, "f": False, "z": 0, "n": None,
                         "nested": [["", []], {"": ""}]})
    message.fields.get_or_create("unset")
    parsed = struct_pb2.Struct.FromString(message.SerializeToString())
    for m in (message, parsed):
        assert m.fields["unset"].WhichOneof("kind") is None
        assert repr(sdk_sharing.struct_to_dict(m)) == repr(json_format.MessageToDict(m))


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_struct_conversion_refuses_what_json_format_refuses(bad):
    message = to_struct({"a": [1, {"b": bad}]})
    with pytest.raises(ValueError):
        json_format.MessageToDict(message)
    with pytest.raises(ValueError):
        sdk_sharing.struct_to_dict(message)


def read_all(node, depth=0):
    """Everything a policy could read through a proxy: values, or the exception's message and
    property path, for every key, index and slice."""
    out = []
    if isinstance(node, sdk_proxy._DictProxy):
        out.append(("keys", list(node), len(node)))
        for k in list(node):
            try:
                out.append((k, read_all(node[k], depth + 1)))
            except sdk_proxy.UnknownValueError as e:
                out.append((k, "unknown", e.message, e.props))
    elif isinstance(node, sdk_proxy._ListProxy):
        out.append(("len", len(node)))
        for i in range(len(node)):
            try:
                out.append((i, read_all(node[i], depth + 1)))
            except sdk_proxy.UnknownValueError as e:
                out.append((i, "unknown", e.message, e.props))
        out.append(("slice", [read_all(x, depth + 1) for x in node[0:2]]))
    else:
        out.append(node)
    return out


@settings(max_examples=300, deadline=None)
@given(documents)
def test_lazy_proxy_reads_as_the_sdk_proxy(doc):
    plain = json_format.MessageToDict(to_struct(doc))
    eager = sdk_proxy.unknown_checking_proxy(plain)
    lazy = sdk_sharing.lazy_proxy(plain)
    assert read_all(lazy) == read_all(eager)


def test_lazy_proxy_serializes_as_the_sdk_proxy():
    from pulumi_policy.deserialize import serialize_properties

    plain = {"a": [{"b": "x"}, 2.0], "c": {"d": True}}
    assert serialize_properties(sdk_sharing.lazy_proxy(plain)) == \
        serialize_properties(sdk_proxy.unknown_checking_proxy(plain))


# ---------------------------------------------------------------------------------------------
# The shared Analyze path against the SDK's own, in this process (real servicers)

AWS = "aws:cloudfront/distribution:Distribution"
PROGRAMS = os.path.join(ROOT, "tests", "pulumi_programs")


@pytest.fixture(scope="module")
def website():
    captured = capture(os.path.join(PROGRAMS, "website_https.py"), ROOT)
    return next(c for c in captured if c["type"] == AWS)


@pytest.fixture
def servicers():
    """(shared, plain): real SDK servicers over the cfhttps policies, the first one served by
    the shared Analyze path, the second by the SDK's own."""
    shared_policies, plain_policies = pack.policies(), pack.policies()
    assert sdk_sharing.install(shared_policies)
    try:
        yield tuple(sdk._PolicyAnalyzerServicer("cfhttps", "0.1.0", p, EnforcementLevel.ADVISORY)
                    for p in (shared_policies, plain_policies))
    finally:
        sdk_sharing.uninstall()


def _configure(servicer, config):
    pc = {}
    for name, value in config.items():
        value = dict(value)
        level = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
                 "remediate": analyzer_pb2.REMEDIATE, "disabled": analyzer_pb2.DISABLED}[value.pop("level")]
        pc[name] = analyzer_pb2.PolicyConfig(enforcementLevel=level, properties=to_struct(value))
    servicer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=pc), None)


SECRET_DOC = {"comment": {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": "hidden"}, "enabled": True,
              "origins": [{"domainName": UNKNOWN, "originId": "a"}]}


@pytest.mark.parametrize("doc", [SECRET_DOC, {"comment": "shown", "n": [1, 2.5, None]}, {}])
def test_convert_reads_as_the_sdk_conversion(doc):
    message = to_struct(doc)
    expected = sdk_proxy.unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(message)))
    assert read_all(sdk_sharing.convert(message)) == read_all(expected)


secret_trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4),
    st.builds(lambda v: {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": v}, inner)),
    max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), secret_trees, max_size=5))
def test_convert_reads_as_the_sdk_conversion_with_secrets_anywhere(doc):
    message = struct_pb2.Struct.FromString(to_struct(doc).SerializeToString())
    expected = sdk_proxy.unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(message)))
    assert read_all(sdk_sharing.convert(message)) == read_all(expected)


def test_probe_agrees_with_the_installed_sdk():
    assert sdk_sharing.probe(pack.policies()) is None


def test_one_modelling_and_one_evaluation_per_analyze(servicers, website, monkeypatch):
    """The engine's request (provider, options, parent attached): the shared path models the
    distribution once and evaluates the rules once for all policies; the SDK's own path, where
    each policy gets its own conversion, does not (which is why the shared path exists)."""
    from rules import engine
    from rules.sources import pulumi as source

    counts = {"model": 0, "evaluate": 0}
    real_distribution, real_evaluate = source.distribution, engine.evaluate

    def distribution(*args, **kwargs):
        counts["model"] += 1
        return real_distribution(*args, **kwargs)

    def evaluate(*args, **kwargs):
        counts["evaluate"] += 1
        return real_evaluate(*args, **kwargs)

    monkeypatch.setattr(source, "distribution", distribution)
    monkeypatch.setattr(engine, "evaluate", evaluate)
    request = analyze_request(AWS, "cdn", website["inputs"], website)
    assert request.HasField("provider") and request.provider.properties["region"]
    assert request.options.parent.endswith("pulumi:pulumi:Stack::proj-dev")
    shared, plain = servicers
    answers = {}
    for name, servicer in (("shared", shared), ("plain", plain)):
        counts.update(model=0, evaluate=0)
        answers[name] = servicer.Analyze(request, None)
        answers[name + " counts"] = dict(counts)
    assert answers["shared counts"] == {"model": 1, "evaluate": 1}
    assert answers["plain counts"]["model"] > 1  # the SDK path: one model per policy
    assert len(answers["shared"].diagnostics) >= 5
    assert answers["shared"].SerializeToString(deterministic=True) == \
        answers["plain"].SerializeToString(deterministic=True)


CONFIGS = [
    {},
    {"cloudfront-viewer-https": {"level": "remediate"},
     "cloudfront-origin-tls": {"level": "disabled"},
     "cloudfront-sensitive-path-https": {"level": "mandatory", "sensitive_paths": ["/admin/*"]},
     "cloudfront-viewer-tls": {"level": "advisory", "minimum_protocol_version": "TLSv1"},
     "cloudfront-preview-unknowns": {"level": "mandatory"}},
]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "configured"])
def test_same_diagnostics_shared_and_plain(servicers, website, config):
    """Same requests, sharing on and off: byte-identical responses (unknowns, a secret, odd
    values, with and without the provider)."""
    odd = dict(website["inputs"], comment=SECRET_DOC["comment"],
               orderedCacheBehaviors=website["inputs"]["orderedCacheBehaviors"] + [
                   {"pathPattern": UNKNOWN, "targetOriginId": "nowhere", "viewerProtocolPolicy": 3}])
    requests = [analyze_request(AWS, "cdn", website["inputs"], website),
                analyze_request(AWS, "odd", odd),
                analyzer_pb2.AnalyzeRequest(type=AWS, properties=to_struct(odd), urn="urn:x", name="x"),
                analyze_request("aws:s3/bucket:Bucket", "b", {"bucket": "b"})]
    shared, plain = servicers
    for servicer in servicers:
        _configure(servicer, config)
    for request in requests:
        got, expected = shared.Analyze(request, None), plain.Analyze(request, None)
        assert got.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)
    assert any(d.policyName == "cloudfront-viewer-https" for d in shared.Analyze(requests[0], None).diagnostics)


def test_a_failure_at_run_time_falls_back_once(servicers, website, monkeypatch, capsys):
    """An exception in the shared path where the SDK's own succeeds: the SDK's answer for that
    request and every later one, and one line on stderr."""
    calls = []

    def broken(message):
        calls.append(message)
        raise KeyError("a changed SDK")

    monkeypatch.setattr(sdk_sharing, "convert", broken)
    shared, plain = servicers
    request = analyze_request(AWS, "cdn", website["inputs"], website)
    for _ in range(3):
        assert shared.Analyze(request, None).SerializeToString(deterministic=True) == \
            plain.Analyze(request, None).SerializeToString(deterministic=True)
    assert len(calls) == 1  # after the first failure the shared path is not tried again
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("cfhttps: ") and "SDK's own path" in lines[0]


def test_an_input_the_sdk_refuses_is_refused_alike(servicers):
    """When the SDK's own path fails too (here: a NaN json_format refuses) the error is the
    SDK's, and the shared path stays on for the next request."""
    shared, _ = servicers
    bad = analyzer_pb2.AnalyzeRequest(type=AWS, properties=to_struct({"a": math.nan}), urn="u", name="n")
    with pytest.raises(ValueError):
        shared.Analyze(bad, None)
    assert not sdk_sharing._STATE["off"]


def test_other_servicers_keep_the_sdk_path(servicers, monkeypatch):
    """Only the servicer holding the list of policies the pack registered takes the shared path."""
    def never(*args):
        raise AssertionError("shared path used for another servicer")

    monkeypatch.setattr(sdk_sharing, "analyze", never)
    other = sdk._PolicyAnalyzerServicer("other", "1.0.0", pack.policies(), EnforcementLevel.ADVISORY)
    response = other.Analyze(analyze_request(AWS, "cdn", {"enabled": True}), None)
    assert isinstance(response, analyzer_pb2.AnalyzeResponse)


# ---------------------------------------------------------------------------------------------
# The pack process, as the CLI starts it, with an SDK internal changed before it starts

# pulumi-policy 1.19's _create_report_violation: diagnostics without a severity. The SDK's own
# path uses it; the shared path builds diagnostics itself, so the start-up probe must notice.
OLD_REPORTS = r'''
import pulumi_policy.policy as p
from pulumi.runtime import proto

def _create_report_violation(self, response, policy_name, policy_description, enforcement_level,
                             severity=None):
    def report_violation(message, urn=None):
        text = policy_description + (f"\n{message}" if message else "")
        response.diagnostics.append(proto.AnalyzeDiagnostic(
            policyName=policy_name, policyPackName=self._PolicyAnalyzerServicer__policy_pack_name,
            policyPackVersion=self._PolicyAnalyzerServicer__policy_pack_version, message=text,
            urn=urn or "", description=policy_description,
            enforcementLevel=self._map_enforcement_level(enforcement_level)))
    return report_violation

p._PolicyAnalyzerServicer._create_report_violation = _create_report_violation
'''
# A name the shared path relies on is gone (the SDK's own Analyze only needs it when a policy
# calls not_applicable, which no cfhttps policy does).
MISSING_NAME = "import pulumi_policy.policy as p\ndel p._NotApplicableError\n"


def _diagnostics(p, website):
    out = []
    for config in ({}, {"cloudfront-viewer-https": {"enforcementLevel": "remediate"},
                        "cloudfront-viewer-tls": {"enforcementLevel": "disabled"}}):
        p.configure(config)
        out.append([MessageToDict(d) for d in p.analyze(AWS, "cdn", website["inputs"], website)])
    return out


def _cfhttps_lines(p):
    return [line for line in p.stderr_lines() if line.startswith("cfhttps:")]


@pytest.mark.parametrize("prelude,reason", [(OLD_REPORTS, "differs from the SDK's"),
                                            (MISSING_NAME, "_NotApplicableError missing")],
                         ids=["internal-behaves-differently", "internal-missing"])
def test_pack_falls_back_cleanly(website, prelude, reason):
    packs = {"changed": Pack(ROOT, prelude=prelude),
             "changed, sharing off": Pack(ROOT, prelude=prelude, env={sdk_sharing.ENV: "off"}),
             "unchanged": Pack(ROOT)}
    try:
        got = {name: _diagnostics(p, website) for name, p in packs.items()}
        lines = {name: _cfhttps_lines(p) for name, p in packs.items()}
    finally:
        for p in packs.values():
            p.close()
    assert got["changed"] == got["changed, sharing off"]  # the SDK's own answers
    assert len(got["changed"][0]) >= 5
    assert len(lines["changed"]) == 1 and reason in lines["changed"][0], lines["changed"]
    assert "SDK's own Analyze path" in lines["changed"][0]
    assert lines["changed, sharing off"] == [] and lines["unchanged"] == []
    if prelude is OLD_REPORTS:  # the changed internal really was in effect
        assert all("severity" not in d for d in got["changed"][0])
        assert all("severity" in d for d in got["unchanged"][0])
    else:
        assert got["changed"] == got["unchanged"]


def test_pack_with_sharing_off_answers_alike(website):
    """The same engine-shaped requests to the pack as the CLI starts it, with the shared path on
    (the default) and off (CFHTTPS_SDK_SHARING=off): identical diagnostics, neither says a word."""
    native = next(c for c in capture(os.path.join(PROGRAMS, "native_allow_all.py"), ROOT)
                  if c["type"] == "aws-native:cloudfront:Distribution")
    packs = {"shared": Pack(ROOT), "off": Pack(ROOT, env={sdk_sharing.ENV: "off"})}
    try:
        got = {name: _diagnostics(p, website) + [[MessageToDict(d) for d in p.analyze(
            native["type"], native["name"], native["inputs"], native)]] for name, p in packs.items()}
        lines = {name: _cfhttps_lines(p) for name, p in packs.items()}
    finally:
        for p in packs.values():
            p.close()
    assert got["shared"] == got["off"]
    assert len(got["shared"][0]) >= 5 and got["shared"][2]
    assert lines == {"shared": [], "off": []}


def test_remembered_string_lists_are_fresh_and_exact():
    """A list of strings converted again comes from the remembered conversions: equal, yet a
    new list each time (a policy may change it); lists holding anything else are converted
    every time (a secret inside, a NaN refused)."""
    doc = {"a": ["GET", "HEAD"], "b": ["GET", "HEAD"], "c": ["GET", 1.5], "d": [],
           "e": [{SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": "s"}]}
    message = struct_pb2.Struct.FromString(to_struct(doc).SerializeToString())
    first, second = sdk_sharing.struct_to_dict(message), sdk_sharing.struct_to_dict(message)
    assert repr(first) == repr(second) == repr(json_format.MessageToDict(message))
    assert first["a"] is not second["a"] and first["a"] is not first["b"]
    first["a"].append("POST")
    assert sdk_sharing.struct_to_dict(message)["a"] == ["GET", "HEAD"]
    sigs = []
    sdk_sharing.struct_to_dict(message, sigs)
    assert sigs  # the secret inside a list is still seen
    with pytest.raises(ValueError):
        sdk_sharing.struct_to_dict(to_struct({"a": ["GET", "HEAD"], "n": ["x", math.nan]}))


def test_a_report_the_sdk_refuses_leaves_no_diagnostic():
    """A message protobuf cannot hold (a lone surrogate) raises inside report_violation on both
    paths, and leaves the response as the SDK leaves it: no half-built diagnostic."""
    from pulumi_policy import ResourceValidationPolicy

    def validate(args, report_violation):
        for message, urn in (("bad \ud800", None), ("fine", "urn:x:\ud800"), ("kept", None)):
            try:
                report_violation(message, urn)
            except Exception:  # noqa: BLE001
                pass

    policies = [ResourceValidationPolicy(name="p", description="d", validate=validate)]
    servicer = sdk._PolicyAnalyzerServicer("cfhttps", "0.1.0", policies, EnforcementLevel.ADVISORY)
    request = analyzer_pb2.AnalyzeRequest(type=AWS, properties=to_struct({"a": "b"}), urn="urn:x", name="x")
    real = getattr(sdk._PolicyAnalyzerServicer.Analyze, "_cfhttps_real", sdk._PolicyAnalyzerServicer.Analyze)
    expected = real(servicer, request, None)
    got = sdk_sharing.analyze(servicer, request, policies)
    assert [d.message for d in expected.diagnostics] == ["d\nkept"]
    assert got.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)
