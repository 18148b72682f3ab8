"""The pack's shortcuts through pulumi-policy (cfhttps_pulumi/sdk_sharing.py) must be invisible:
the direct Struct conversion returns what json_format returns, and the lazy proxies read exactly
as the SDK's eager ones, unknowns and their property paths included."""

import math

import pytest
from google.protobuf import json_format, struct_pb2
from hypothesis import given, settings, strategies as st
from pulumi_policy import proxy as sdk_proxy

from cfhttps_pulumi import sdk_sharing

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


def test_secrets_still_deserialized_by_the_sdk():
    """A request holding a secret (a special-signature object) takes the SDK's own path."""
    import pulumi_policy.policy as sdk
    from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY

    sdk_sharing.share()
    message = to_struct({"comment": {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": "hidden"},
                         "enabled": True})
    plain = sdk.deserialize_properties(sdk.json_format.MessageToDict(message))
    assert plain == {"comment": "hidden", "enabled": True}
    clean = to_struct({"comment": "shown"})
    converted = sdk.json_format.MessageToDict(clean)
    assert sdk.deserialize_properties(converted) == {"comment": "shown"}


def test_shared_functions_accept_the_sdk_signatures():
    """Keyword arguments (as a future SDK might pass them) go to the SDK's own functions."""
    import pulumi_policy.policy as sdk
    from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY

    sdk_sharing.share()
    message = to_struct({"comment": {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": "hidden"}})
    converted = sdk.json_format.MessageToDict(message)
    kept = sdk.deserialize_properties(converted, proxy_secrets=True)
    assert kept["comment"] == "hidden"
    assert sdk.unknown_checking_proxy({"a": 1})["a"] == 1


SCRIPT = r'''
import json, sys
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as sdk
from cfhttps_pulumi import pack, sdk_sharing
if sys.argv[1] == "shared":
    assert sdk_sharing.share()
props = json.loads(sys.argv[2])
s = struct_pb2.Struct()
s.update(props)
serv = sdk._PolicyAnalyzerServicer("cfhttps", "0.1.0", pack.policies(), EnforcementLevel.ADVISORY,
                                   None, None, None, None, None, None, None)
out = []
for rtype in ("aws:cloudfront/distribution:Distribution",):
    req = analyzer_pb2.AnalyzeRequest(type=rtype, properties=s, urn="urn:pulumi:d::p::" + rtype + "::cdn",
                                      name="cdn")
    resp = serv.Analyze(req, None)
    out += [json_format.MessageToDict(d) for d in resp.diagnostics]
print(json.dumps(out))
'''


def test_same_violations_with_and_without_sharing():
    """The pack judges the same with the SDK's own per-policy conversion as with the shared one
    (unknown sentinels, a secret and odd values included)."""
    import json
    import subprocess
    import sys

    from conftest import ROOT
    from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY

    props = {
        "comment": {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": "secret comment"},
        "origins": [{"originId": "site", "domainName": sdk_proxy.UNKNOWN_STRING_VALUE,
                     "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80,
                                            "httpsPort": 443, "originSslProtocols": ["TLSv1"]}},
                    {"originId": "b", "domainName": "b.s3-website-us-east-1.amazonaws.com",
                     "s3OriginConfig": {"originAccessIdentity": ""}}],
        "orderedCacheBehaviors": [
            {"pathPattern": "*.php", "targetOriginId": "site", "viewerProtocolPolicy": "allow-all",
             "allowedMethods": ["GET", "HEAD", "POST", "PUT", "PATCH", "OPTIONS", "DELETE"]},
            {"pathPattern": "/api/*", "targetOriginId": "nowhere",
             "viewerProtocolPolicy": "redirect-to-https", "allowedMethods": sdk_proxy.UNKNOWN_ARRAY_VALUE},
            {"pathPattern": sdk_proxy.UNKNOWN_STRING_VALUE, "targetOriginId": "b",
             "viewerProtocolPolicy": 3}],
        "defaultCacheBehavior": {"targetOriginId": "b", "viewerProtocolPolicy": "allow-all"},
        "viewerCertificate": {"cloudfrontDefaultCertificate": True},
    }
    runs = {}
    for mode in ("plain", "shared"):
        proc = subprocess.run([sys.executable, "-c", SCRIPT, mode, json.dumps(props)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs[mode] = json.loads(proc.stdout)
    assert runs["plain"] == runs["shared"]
    policies = {d["policyName"] for d in runs["shared"]}
    assert {"cloudfront-viewer-https", "cloudfront-target-origin", "cloudfront-origin-tls",
            "cloudfront-preview-unknowns"} <= policies, policies
