"""CFH011 (HSTS on HTTPS behaviours, opt-in) and CFH012 (origin access control for S3 REST
origins) on CloudFormation templates and CloudFront API JSON, through the engine."""

import json

import pytest

from conftest import audit_yaml, codes, dist_yaml
from rules import engine
from rules.managed_headers import MANAGED_RESPONSE_HEADERS_POLICIES
from rules.config import Config, from_mapping
from rules.model import NoteKind
from rules.sources import aws_api

SECURITY = "67f7725c-6f97-4210-82d7-5512b31e9d03"  # SecurityHeadersPolicy (managed)
SIMPLE_CORS = "60669652-455b-4ae9-85a4-c4c02393f86c"  # SimpleCORS (managed, no HSTS)
HSTS = Config(require_hsts=True)

ORIGIN = """Origins:
  - Id: app
    DomainName: api.example.com
    CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
ViewerCertificate:
  AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/abc
  SslSupportMethod: sni-only
  MinimumProtocolVersion: TLSv1.2_2021
"""


def headers_policy(name="Headers", hsts="StrictTransportSecurity: {AccessControlMaxAgeSec: 63072000, Override: true}"):
    return f"""{name}:
  Type: AWS::CloudFront::ResponseHeadersPolicy
  Properties:
    ResponseHeadersPolicyConfig:
      Name: {name.lower()}
      SecurityHeadersConfig:
        ContentTypeOptions: {{Override: true}}
        {hsts}
"""


def behaviour(vpp="redirect-to-https", policy=None):
    line = f"\n  ResponseHeadersPolicyId: {policy}" if policy is not None else ""
    return f"DefaultCacheBehavior:\n  TargetOriginId: app\n  ViewerProtocolPolicy: {vpp}{line}\n"


def only(findings, code):
    return [f for f in findings if f.code == code]


def notes_of(notes, code):
    return [n for n in notes if n.code == code]


# --------------------------------------------------------------------------- CFH011: CloudFormation

def test_hsts_is_opt_in():
    text = dist_yaml(ORIGIN + behaviour())
    assert not only(audit_yaml(text)[0], "CFH011")
    found = only(audit_yaml(text, HSTS)[0], "CFH011")
    assert len(found) == 1 and "has no response headers policy" in found[0].message
    assert found[0].path[-1] == "ViewerProtocolPolicy" and found[0].severity == "warning"


@pytest.mark.parametrize("vpp", ["redirect-to-https", "https-only"])
def test_bad_managed_policy_without_hsts(vpp):
    findings, _ = audit_yaml(dist_yaml(ORIGIN + behaviour(vpp, SIMPLE_CORS)), HSTS)
    found = only(findings, "CFH011")
    assert len(found) == 1 and "SimpleCORS (managed) sets no Strict-Transport-Security" in found[0].message
    assert found[0].path[-1] == "ResponseHeadersPolicyId"


def test_bad_custom_policy_in_template_short_or_missing():
    short = dist_yaml(ORIGIN + behaviour(policy="!GetAtt Headers.Id"),
                      headers_policy(hsts="StrictTransportSecurity: {AccessControlMaxAgeSec: 300, Override: true}"))
    found = only(audit_yaml(short, HSTS)[0], "CFH011")
    assert len(found) == 1 and "'Headers' (in this template) sets Strict-Transport-Security max-age=300" in found[0].message
    missing = dist_yaml(ORIGIN + behaviour(policy="!Ref Headers"), headers_policy(hsts="ReferrerPolicy: {ReferrerPolicy: no-referrer, Override: true}"))
    found = only(audit_yaml(missing, HSTS)[0], "CFH011")
    assert len(found) == 1 and "sets no Strict-Transport-Security header" in found[0].message


def test_good_managed_and_custom_policies():
    assert not only(audit_yaml(dist_yaml(ORIGIN + behaviour(policy=SECURITY)), HSTS)[0], "CFH011")
    for ref in ("!GetAtt Headers.Id", "!Ref Headers", "{'Fn::GetAtt': [Headers, Id]}"):
        text = dist_yaml(ORIGIN + behaviour("https-only", ref), headers_policy())
        findings, notes = audit_yaml(text, HSTS)
        assert not only(findings, "CFH011") and not notes_of(notes, "CFH011"), ref
    # A max-age written as a string (CloudFormation accepts it) is read as the number.
    text = dist_yaml(ORIGIN + behaviour(policy="!Ref Headers"),
                     headers_policy(hsts="StrictTransportSecurity: {AccessControlMaxAgeSec: '31536000', Override: false}"))
    assert not only(audit_yaml(text, HSTS)[0], "CFH011")


def test_every_managed_security_policy_passes_and_cors_ones_fail():
    for pid, managed in MANAGED_RESPONSE_HEADERS_POLICIES.items():
        found = only(audit_yaml(dist_yaml(ORIGIN + behaviour(policy=pid)), HSTS)[0], "CFH011")
        assert bool(found) == (managed.hsts_max_age is None), managed.name


def test_allow_all_is_not_cfh011s_business():
    findings, _ = audit_yaml(dist_yaml(ORIGIN + behaviour("allow-all")), HSTS)
    assert not only(findings, "CFH011") and only(findings, "CFH001")


def test_minimum_is_configurable():
    text = dist_yaml(ORIGIN + behaviour(policy="!Ref Headers"),
                     headers_policy(hsts="StrictTransportSecurity: {AccessControlMaxAgeSec: 86400, Override: true}"))
    assert only(audit_yaml(text, HSTS)[0], "CFH011")
    assert not only(audit_yaml(text, Config(require_hsts=True, hsts_min_max_age=86400))[0], "CFH011")
    config, errors = from_mapping({"require_hsts": "yes", "hsts_min_max_age": 600})
    assert not errors and config.require_hsts and config.hsts_min_max_age == 600
    _, errors = from_mapping({"hsts_min_max_age": -1})
    assert errors and "hsts_min_max_age" in errors[0]


@pytest.mark.parametrize("ref, why", [
    ("!ImportValue shared-headers-policy", "Fn::ImportValue"),
    ("!Ref PolicyParam", "parameter PolicyParam"),
    ("0123abcd-0000-4000-8000-000000000000", "not a managed policy"),
    ("!GetAtt Other.Id", "Other.Id"),
])
def test_unresolvable_ids_are_notes_never_findings(ref, why):
    text = "Parameters:\n  PolicyParam: {Type: String}\n" + dist_yaml(
        ORIGIN + behaviour(policy=ref), "Other: {Type: AWS::CloudFront::CachePolicy}\n")
    findings, notes = audit_yaml(text, HSTS)
    assert not only(findings, "CFH011")
    noted = notes_of(notes, "CFH011")
    assert len(noted) == 1 and noted[0].kind == NoteKind.UNKNOWN_VALUE and why in noted[0].message


def test_conditional_policy_id_gives_a_conditional_finding():
    text = ("Conditions:\n  Hardened: !Equals [!Ref 'AWS::Region', us-east-1]\n" +
            dist_yaml(ORIGIN + behaviour(policy=f"!If [Hardened, {SECURITY}, !Ref 'AWS::NoValue']")))
    found = only(audit_yaml(text, HSTS)[0], "CFH011")
    assert len(found) == 1 and found[0].condition == "condition Hardened is false"


def test_conditional_reference_to_a_template_policy():
    text = ("Conditions:\n  Strict: !Equals [!Ref 'AWS::Region', us-east-1]\n" +
            dist_yaml(ORIGIN + behaviour(policy="!If [Strict, !GetAtt Long.Id, !GetAtt Short.Id]"),
                      headers_policy("Long") + headers_policy(
                          "Short", "StrictTransportSecurity: {AccessControlMaxAgeSec: 60, Override: true}")))
    found = only(audit_yaml(text, HSTS)[0], "CFH011")
    assert len(found) == 1 and "'Short'" in found[0].message and found[0].condition == "condition Strict is false"


# --------------------------------------------------------------------------- CFH012: CloudFormation

def s3_origin(domain, extra="", oai="''"):
    return f"""Origins:
  - Id: app
    DomainName: {domain}{extra}
    S3OriginConfig:
      OriginAccessIdentity: {oai}
DefaultCacheBehavior: {{TargetOriginId: app, ViewerProtocolPolicy: https-only}}
"""


BUCKET = "Bucket: {Type: AWS::S3::Bucket}\nOac: {Type: AWS::CloudFront::OriginAccessControl}\nOai: {Type: AWS::CloudFront::CloudFrontOriginAccessIdentity}\n"


@pytest.mark.parametrize("domain", [
    "my-bucket.s3.amazonaws.com", "my-bucket.s3.eu-west-1.amazonaws.com",
    "my-bucket.s3-eu-west-1.amazonaws.com", "my-bucket.s3.dualstack.eu-west-1.amazonaws.com",
    "!GetAtt Bucket.DomainName", "!GetAtt Bucket.RegionalDomainName",
    "!GetAtt Bucket.DualStackDomainName", "!Sub '${Bucket}.s3.${AWS::Region}.amazonaws.com'",
])
def test_bad_rest_origin_without_any_access_control(domain):
    found = only(audit_yaml(dist_yaml(s3_origin(domain), BUCKET))[0], "CFH012")
    assert len(found) == 1 and "no access control at all" in found[0].message
    assert found[0].path[-1] == "S3OriginConfig"


def test_bad_legacy_origin_access_identity():
    oai = "!Sub 'origin-access-identity/cloudfront/${Oai}'"
    found = only(audit_yaml(dist_yaml(s3_origin("!GetAtt Bucket.RegionalDomainName", oai=oai), BUCKET))[0], "CFH012")
    assert len(found) == 1 and "legacy origin access identity on an S3 REST endpoint; migrate to origin access control" in found[0].message
    assert found[0].path[-1] == "OriginAccessIdentity"
    legacy = dist_yaml("S3Origin:\n  DNSName: b.s3.amazonaws.com\n  OriginAccessIdentity: origin-access-identity/cloudfront/E1\n"
                       "DefaultCacheBehavior: {TargetOriginId: x, ViewerProtocolPolicy: https-only}\n")
    found = only(audit_yaml(legacy)[0], "CFH012")
    assert len(found) == 1 and "legacy" in found[0].message


def test_bad_custom_origin_on_a_rest_host():
    text = dist_yaml("Origins:\n  - Id: app\n    DomainName: b.s3.amazonaws.com\n"
                     "    CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}\n"
                     "DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: https-only}\n")
    found = only(audit_yaml(text)[0], "CFH012")
    assert len(found) == 1 and "a custom origin on an S3 REST endpoint with no access control" in found[0].message


@pytest.mark.parametrize("oac", ["!GetAtt Oac.Id", "!Ref Oac", "!Ref OacParam", "!ImportValue shared-oac", "E2QWRUHAPOMQZL"])
def test_good_origin_access_control_in_any_form(oac):
    text = "Parameters:\n  OacParam: {Type: String}\n" + dist_yaml(
        s3_origin("!GetAtt Bucket.RegionalDomainName", extra=f"\n    OriginAccessControlId: {oac}"), BUCKET)
    findings, notes = audit_yaml(text)
    assert not only(findings, "CFH012") and not notes_of(notes, "CFH012")


def test_good_out_of_scope_origins():
    website = dist_yaml("Origins:\n  - Id: app\n    DomainName: b.s3-website-us-east-1.amazonaws.com\n"
                        "    CustomOriginConfig: {OriginProtocolPolicy: http-only}\n"
                        "DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: https-only}\n")
    assert not only(audit_yaml(website)[0], "CFH012")
    assert not only(audit_yaml(dist_yaml(ORIGIN + behaviour()))[0], "CFH012")


def test_empty_oac_is_none_and_a_parameter_default_decides():
    text = dist_yaml(s3_origin("b.s3.amazonaws.com", extra="\n    OriginAccessControlId: ''"))
    assert "no access control at all" in only(audit_yaml(text)[0], "CFH012")[0].message
    text = "Parameters:\n  OacId: {Type: String, Default: ''}\n" + dist_yaml(
        s3_origin("b.s3.amazonaws.com", extra="\n    OriginAccessControlId: !Ref OacId"))
    assert only(audit_yaml(text)[0], "CFH012")


def test_conditional_oac_gives_a_conditional_finding():
    text = ("Conditions:\n  UseOac: !Equals [!Ref 'AWS::Region', us-east-1]\n" + dist_yaml(
        s3_origin("!GetAtt Bucket.RegionalDomainName",
                  extra="\n    OriginAccessControlId: !If [UseOac, !GetAtt Oac.Id, !Ref 'AWS::NoValue']"), BUCKET))
    found = only(audit_yaml(text)[0], "CFH012")
    assert len(found) == 1 and found[0].condition == "condition UseOac is false"


def test_unknown_domain_under_s3_origin_config_is_a_note():
    text = "Parameters:\n  Host: {Type: String}\n" + dist_yaml(s3_origin("!Ref Host"))
    findings, notes = audit_yaml(text)
    assert not only(findings, "CFH012")
    assert [n.kind for n in notes_of(notes, "CFH012")] == [NoteKind.UNKNOWN_VALUE]


def test_unknown_domain_with_an_origin_access_identity_is_still_legacy():
    """Only an S3OriginConfig origin on a REST endpoint can use an OAI: the unseen host is one."""
    text = "Parameters:\n  Host: {Type: String}\n" + dist_yaml(
        s3_origin("!Ref Host", oai="origin-access-identity/cloudfront/E1"))
    findings, notes = audit_yaml(text)
    found = only(findings, "CFH012")
    assert len(found) == 1 and "legacy origin access identity" in found[0].message
    assert not notes_of(notes, "CFH012")
    text = "Parameters:\n  Host: {Type: String}\n" + dist_yaml(
        s3_origin("!Ref Host", extra="\n    OriginAccessControlId: E2", oai="origin-access-identity/cloudfront/E1"))
    assert not only(audit_yaml(text)[0], "CFH012")


# --------------------------------------------------------------------------- API JSON

def api_config(origin_extra, behaviour_extra):
    origin = {"Id": "s3", "DomainName": "assets.s3.eu-west-1.amazonaws.com", "OriginPath": "",
              "OriginAccessControlId": "", "S3OriginConfig": {"OriginAccessIdentity": ""},
              "CustomHeaders": {"Quantity": 0}}
    origin.update(origin_extra)
    dcb = {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
           "AllowedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}}
    dcb.update(behaviour_extra)
    return {"DistributionConfig": {
        "CallerReference": "r", "Enabled": True, "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": dcb, "CacheBehaviors": {"Quantity": 0},
        "ViewerCertificate": {"ACMCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
                              "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}}}


def api_audit(doc, config=HSTS, lookup=None):
    dists, notes = [], []
    for name, cfg, path in aws_api.configs(doc):
        dist, more = aws_api.distribution(name, cfg, path, headers_lookup=lookup)
        dists.append(dist)
        notes += more
    result = engine.evaluate(dists, config)
    return result.findings, notes + result.notes


@pytest.mark.parametrize("origin, expect", [
    ({}, "no access control at all"),
    ({"S3OriginConfig": {"OriginAccessIdentity": "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"}}, "legacy"),
    ({"DomainName": "assets.s3.dualstack.eu-west-1.amazonaws.com"}, "no access control at all"),
])
def test_api_bad_origins(origin, expect):
    found = only(api_audit(api_config(origin, {"ResponseHeadersPolicyId": SECURITY}))[0], "CFH012")
    assert len(found) == 1 and expect in found[0].message


@pytest.mark.parametrize("origin", [
    {"OriginAccessControlId": "E2QWRUHAPOMQZL"},
    {"DomainName": "assets.s3-website.eu-west-1.amazonaws.com", "S3OriginConfig": None,
     "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only",
                            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}},
])
def test_api_good_origins(origin):
    assert not only(api_audit(api_config(origin, {}))[0], "CFH012")


def test_api_hsts_bad_good_and_live_lookup():
    bad = only(api_audit(api_config({"OriginAccessControlId": "E1"}, {}))[0], "CFH011")
    assert len(bad) == 1 and "no response headers policy" in bad[0].message
    bad = only(api_audit(api_config({}, {"ResponseHeadersPolicyId": SIMPLE_CORS}))[0], "CFH011")
    assert len(bad) == 1 and "SimpleCORS" in bad[0].message
    assert not only(api_audit(api_config({}, {"ResponseHeadersPolicyId": SECURITY}))[0], "CFH011")
    custom = api_config({}, {"ResponseHeadersPolicyId": "b5d2c6b4-0000-4000-8000-000000000001"})
    findings, notes = api_audit(custom)
    assert not only(findings, "CFH011") and notes_of(notes, "CFH011")[0].kind == NoteKind.UNKNOWN_VALUE
    response = {"ETag": "E1", "ResponseHeadersPolicy": {"Id": "b5d2c6b4-0000-4000-8000-000000000001",
                "ResponseHeadersPolicyConfig": {"Name": "team-headers", "SecurityHeadersConfig": {
                    "StrictTransportSecurity": {"Override": True, "IncludeSubdomains": True,
                                                "AccessControlMaxAgeSec": 3600}}}}}
    asked = []

    def lookup(pid):
        asked.append(pid)
        return aws_api.headers_policy(pid, json.loads(json.dumps(response)))
    found = only(api_audit(custom, lookup=lookup)[0], "CFH011")
    assert asked == ["b5d2c6b4-0000-4000-8000-000000000001"]
    assert len(found) == 1 and "team-headers (b5d2c6b4" in found[0].message and "max-age=3600" in found[0].message


# --------------------------------------------------------------------------- corpus (reviewed by hand)

import os  # noqa: E402

from conftest import CORPUS  # noqa: E402

CFN_CORPUS = os.path.join(CORPUS, "cfn")
# Read against the templates by hand (file -> CFH012 messages' kind, or () for none).
CORPUS_REVIEWED = {
    # CustomOriginConfig https-only to cc-project-resources.s3.amazonaws.com, no OAC: the bucket
    # must be public for CloudFront to read it.
    "concord-consortium__cloud-formation__project-resources-with-domain.yml": ["no access control at all"],
    # S3OriginConfig.OriginAccessIdentity !Sub origin-access-identity/cloudfront/${...}.
    "widdix__aws-cf-templates__static-website__static-website.yaml": ["legacy origin access identity"],
    # OriginAccessControlId: !Ref CloudFrontOriginAccessControl, OriginAccessIdentity "".
    "aws-samples__serverless-patterns__cloudfront-s3-oac-sam__template.yaml": [],
    # OriginAccessControlId: !If [UseS3Origin, !GetAtt CloudFrontOriginAccessControl.Id, NoValue]
    # with S3OriginConfig only under the same condition (a custom origin otherwise).
    "aws-samples__cloudfront-authorization-at-edge__template.yaml": [],
    # DomainName !Ref S3BucketDNSName (a parameter) under S3OriginConfig with OriginAccessIdentity
    # !Ref CloudFrontOAI: an OAI, so a bucket's REST endpoint, though the host is not known.
    "li0nel__laravelaws__infrastructure__cloudfront.yaml": ["legacy origin access identity"],
    # DomainName !Ref a parameter, OriginAccessControlId !Ref OriginAccessControl: no finding.
    "aws-samples__amazon-cloudfront-secure-static-site__templates__cloudfront-site.yaml": [],
}


@pytest.mark.slow  # reads the corpus
@pytest.mark.skipif(not os.path.isdir(CFN_CORPUS), reason="../shared/corpus/cfn is absent")
@pytest.mark.parametrize("name", [n for n, v in CORPUS_REVIEWED.items() if v is not None])
def test_corpus_cfh012_reviewed(name):
    from cfhttps_cli import inputs
    loaded = inputs.load(os.path.join(CFN_CORPUS, name))
    found = only(engine.evaluate(loaded.distributions, Config()).findings, "CFH012")
    expected = CORPUS_REVIEWED[name]
    assert len(found) == len(expected)
    for f, words in zip(found, expected):
        assert words in f.message


# --------------------------------------------------------------------------- never raises

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from rules.sources import pulumi as pulumi_source  # noqa: E402

FUZZ_KEYS = ["ResponseHeadersPolicyId", "OriginAccessControlId", "S3OriginConfig",
             "OriginAccessIdentity", "ResponseHeadersPolicyConfig", "SecurityHeadersConfig",
             "StrictTransportSecurity", "AccessControlMaxAgeSec", "Ref", "Fn::GetAtt", "Fn::If",
             "Fn::Sub", "DomainName", "Id", "ViewerProtocolPolicy", "securityHeadersConfig",
             "responseHeadersPolicyConfig", "Properties", "Type"]
FUZZ_VALUES = ["Headers", "Headers.Id", "Oac", "Oac.Id", "Cond", "redirect-to-https", "",
               SECURITY, SIMPLE_CORS, "b.s3.amazonaws.com", "AWS::NoValue",
               "AWS::CloudFront::ResponseHeadersPolicy"]
fuzz_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 10 ** 9), st.floats(allow_nan=True),
                      st.sampled_from(FUZZ_VALUES), st.text(max_size=6))
fuzz_tree = st.recursive(fuzz_leaf, lambda ch: st.one_of(
    st.lists(ch, max_size=3), st.dictionaries(st.sampled_from(FUZZ_KEYS), ch, max_size=4)),
    max_leaves=25)


def _never_internal(dists):
    result = engine.evaluate(dists, Config(require_hsts=True))
    assert not [n for n in result.notes if n.kind == NoteKind.INTERNAL_ERROR]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzz_tree, fuzz_tree, fuzz_tree)
def test_fuzzed_policies_origins_and_references_never_raise(policy_props, origin, policy_id):
    from rules.sources import cloudformation
    template = {"Conditions": {"Cond": {"Fn::Equals": ["a", "b"]}}, "Resources": {
        "Headers": {"Type": "AWS::CloudFront::ResponseHeadersPolicy", "Properties": policy_props},
        "Oac": {"Type": "AWS::CloudFront::OriginAccessControl"},
        "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Origins": [origin, {"Id": "a", "DomainName": "a.s3.amazonaws.com", "S3OriginConfig": origin}],
            "DefaultCacheBehavior": {"TargetOriginId": "a", "ViewerProtocolPolicy": "https-only",
                                     "ResponseHeadersPolicyId": policy_id}}}}}}
    dists, _ = cloudformation.distributions(template)
    _never_internal(dists)
    props = {"origins": [origin], "defaultCacheBehavior": {
        "targetOriginId": "a", "viewerProtocolPolicy": "redirect-to-https",
        "responseHeadersPolicyId": policy_id}}
    dist, _ = pulumi_source.distribution(pulumi_source.AWS_TYPE, props, "urn")
    if dist is not None:
        pulumi_source.attach_headers_policies(dist, pulumi_source.AWS_TYPE, {
            "defaultCacheBehavior": [("urn:p", pulumi_source.HEADERS_POLICY_AWS, policy_props),
                                     ("urn:q", pulumi_source.HEADERS_POLICY_NATIVE, policy_props)]})
        _never_internal([dist])
    policy = aws_api.headers_policy("id", {"ResponseHeadersPolicy": {"ResponseHeadersPolicyConfig": policy_props}})
    dist, _ = aws_api.distribution("d", {"Origins": [origin], "DefaultCacheBehavior": {
        "TargetOriginId": "a", "ViewerProtocolPolicy": "https-only", "ResponseHeadersPolicyId": "custom"}},
        headers_lookup=lambda pid: policy)
    _never_internal([dist] if dist else [])


@pytest.mark.slow  # reads the corpus
@pytest.mark.skipif(not os.path.isdir(CFN_CORPUS), reason="../shared/corpus/cfn is absent")
def test_corpus_cfh011_reviewed():
    """Read by hand: the two corpus templates that define a response headers policy."""
    from cfhttps_cli import inputs

    def cfh011(name):
        loaded = inputs.load(os.path.join(CFN_CORPUS, name))
        return only(engine.evaluate(loaded.distributions, HSTS).findings, "CFH011")
    # !Ref GhostResponseHeadersPolicy: ContentTypeOptions, FrameOptions, ReferrerPolicy,
    # XSSProtection, but no StrictTransportSecurity.
    found = cfh011("villeparonen__nordcloud-ghost-blog__cloudformation__cloudfront.yaml")
    assert len(found) == 1 and "'GhostResponseHeadersPolicy' (in this template) sets no Strict-Transport-Security" in found[0].message
    # !Ref ResponseHeadersPolicy with StrictTransportSecurity AccessControlMaxAgeSec 63072000.
    assert not cfh011("aws-samples__amazon-cloudfront-secure-static-site__templates__cloudfront-site.yaml")
