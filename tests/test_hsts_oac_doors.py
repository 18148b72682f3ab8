"""CFH011/CFH012 through every door, same findings: the audit (template, stack export, live
account), cfn-lint, and the Pulumi pack (resource policies and the stack policy) over properties
from real pulumi_aws / pulumi_aws_native declarations (tests/parity/hsts_oac*).

Expected everywhere, with require_hsts on: CFH011 for `api/*` (custom policy, max-age 300) and
`cors/*` (managed SimpleCORS); CFH012 for origin `legacy` (OAI) and `public` (nothing)."""

import json
import os
import re
import subprocess
import sys

import pytest

from cloudfront_stub import NS, LoopbackApi, summary
from conftest import ROOT
from pulumi_harness import LEVEL_NAMES, UNKNOWN, capture, urn_of

pytestmark = pytest.mark.slow  # runs every door: cfn-lint, the policy pack, a moto server

PARITY = os.path.join(ROOT, "tests", "parity")
TEMPLATE = os.path.join(PARITY, "templates", "hsts_and_oac.yaml")
CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
AWS = "aws:cloudfront/distribution:Distribution"
NATIVE = "aws-native:cloudfront:Distribution"
EXPECTED = {("CFH011", "api/*"), ("CFH011", "cors/*"), ("CFH012", "legacy"), ("CFH012", "public")}
HSTS_ON = {"enforcementLevel": "advisory", "require_hsts": True}
POLICY_CODE = {"cloudfront-hsts": "CFH011", "cloudfront-hsts-stack": "CFH011",
               "cloudfront-s3-origin-access-control": "CFH012", "W9111": "CFH011", "W9112": "CFH012"}


def subject(message):
    """What a message is about: a behaviour's pattern or an origin's id."""
    m = re.search(r"cache behaviour #\d+ \(([^)]*)\)", message) or re.search(r"origin '([^']*)'", message)
    assert m, message
    return m.group(1)


def run_cli(*args, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=ROOT, env=e,
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def audit_set(*args, env=None):
    rc, out, err = run_cli("audit", *args, "--require-hsts", "--format", "json", env=env)
    doc = json.loads(out)
    assert doc["errors"] == [], doc["errors"]
    return {(f["code"], subject(f["message"])) for f in doc["findings"] if f["code"] in ("CFH011", "CFH012")}


# --------------------------------------------------------------------------- CloudFormation

def test_audit_of_the_template():
    assert audit_set(TEMPLATE) == EXPECTED


def test_cfn_lint_matches_the_audit():
    proc = subprocess.run([CFN_LINT, "-a", "cfn_rules", "-x", "W9111:require_hsts=true",
                           "--format", "json", "--", TEMPLATE],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    matches = [m for m in json.loads(proc.stdout) if m["Rule"]["Id"] in ("W9111", "W9112")]
    assert {(POLICY_CODE[m["Rule"]["Id"]], subject(m["Message"])) for m in matches} == EXPECTED
    # Off by default: without the setting cfn-lint reports no W9111.
    proc = subprocess.run([CFN_LINT, "-a", "cfn_rules", "--format", "json", "--", TEMPLATE],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert not [m for m in json.loads(proc.stdout) if m["Rule"]["Id"] == "W9111"]


def test_explain_shows_worked_examples():
    for code, words in (("CFH011", "max-age=300"), ("CFH012", "legacy origin access identity")):
        rc, out, _ = run_cli("explain", code)
        assert rc == 0 and "## Worked example" in out and words in out
    rc, out, _ = run_cli("explain", "cloudfront-s3-origin-access-control")
    assert rc == 0 and out.startswith("# CFH012")


def test_worked_examples_are_what_the_engine_says():
    """The worked example's messages are the engine's, on the template the example describes."""
    from conftest import audit_yaml
    from rules.catalog import CATALOG
    from rules.config import Config
    template = """
Resources:
  Assets: {Type: AWS::S3::Bucket}
  Media: {Type: AWS::S3::Bucket}
  Site: {Type: AWS::S3::Bucket}
  Oai: {Type: AWS::CloudFront::CloudFrontOriginAccessIdentity}
  Oac: {Type: AWS::CloudFront::OriginAccessControl}
  Headers:
    Type: AWS::CloudFront::ResponseHeadersPolicy
    Properties:
      ResponseHeadersPolicyConfig:
        Name: short-hsts
        SecurityHeadersConfig:
          StrictTransportSecurity: {AccessControlMaxAgeSec: 300, Override: true}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: public, DomainName: !GetAtt Assets.RegionalDomainName, S3OriginConfig: {OriginAccessIdentity: ''}}
          - Id: legacy
            DomainName: logs.s3.amazonaws.com
            S3OriginConfig: {OriginAccessIdentity: !Sub 'origin-access-identity/cloudfront/${Oai}'}
          - {Id: private, DomainName: !GetAtt Media.DualStackDomainName, OriginAccessControlId: !GetAtt Oac.Id, S3OriginConfig: {OriginAccessIdentity: ''}}
          - Id: site
            DomainName: !Select [1, !Split ['//', !GetAtt Site.WebsiteURL]]
            CustomOriginConfig: {OriginProtocolPolicy: http-only}
        CacheBehaviors:
          - {PathPattern: api/*, TargetOriginId: public, ViewerProtocolPolicy: https-only, ResponseHeadersPolicyId: !GetAtt Headers.Id}
          - {PathPattern: cors/*, TargetOriginId: public, ViewerProtocolPolicy: redirect-to-https, ResponseHeadersPolicyId: 60669652-455b-4ae9-85a4-c4c02393f86c}
        DefaultCacheBehavior: {TargetOriginId: public, ViewerProtocolPolicy: redirect-to-https, ResponseHeadersPolicyId: 67f7725c-6f97-4210-82d7-5512b31e9d03}
"""
    findings, _ = audit_yaml(template, Config(require_hsts=True))
    for code in ("CFH011", "CFH012"):
        shown = " ".join(CATALOG[code].worked_example.split())
        found = [f for f in findings if f.code == code]
        assert len(found) == 2
        for f in found:
            head = " ".join(f.message.split())[:90]
            assert head in shown, (code, head)


# --------------------------------------------------------------------------- Pulumi

@pytest.fixture(scope="module")
def programs():
    return {AWS: capture(os.path.join(PARITY, "hsts_oac_pulumi.py"), ROOT),
            NATIVE: capture(os.path.join(PARITY, "hsts_oac_native.py"), ROOT)}


def _resources(captured, rtype, extra_deps=()):
    dist = next(c for c in captured if c["type"] == rtype)
    short = next(c for c in captured if c["type"].endswith("esponseHeadersPolicy:ResponseHeadersPolicy")
                 or c["type"] == "aws-native:cloudfront:ResponseHeadersPolicy")
    oac = next(c for c in captured if "OriginAccessControl" in c["type"])
    key = "orderedCacheBehaviors" if rtype == AWS else "distributionConfig"
    deps = {key: [urn_of(short["type"], short["name"])] + list(extra_deps)}
    if rtype == AWS:
        deps["origins"] = [urn_of(oac["type"], oac["name"])]
    else:
        deps[key].append(urn_of(oac["type"], oac["name"]))
    out = [{"type": r["type"], "name": r["name"], "props": r["inputs"]} for r in (short, oac)]
    out.append({"type": rtype, "name": dist["name"], "props": dist["inputs"], "property_dependencies": deps})
    return dist, out


@pytest.mark.parametrize("rtype", [AWS, NATIVE])
def test_pack_resource_and_stack_policies(pack, programs, rtype):
    captured = programs[rtype]
    dist, resources = _resources(captured, rtype)
    text = json.dumps(dist["inputs"])
    assert UNKNOWN in text  # the custom policy's id and the OAC's id are preview unknowns
    pack.configure({"cloudfront-hsts": HSTS_ON, "cloudfront-hsts-stack": HSTS_ON})
    diags = pack.analyze(rtype, dist["name"], dist["inputs"])
    got = {(POLICY_CODE[d.policyName], subject(d.message)) for d in diags if d.policyName in POLICY_CODE}
    stack = [d for d in pack.analyze_stack(resources) if d.policyName == "cloudfront-hsts-stack"]
    assert all(d.urn == urn_of(rtype, dist["name"]) for d in stack)
    assert all(LEVEL_NAMES[d.enforcementLevel] == "advisory" for d in diags + stack)
    got |= {("CFH011", subject(d.message)) for d in stack}
    assert got == EXPECTED
    assert len(stack) == 1 and "'short'" in stack[0].message and "max-age=300" in stack[0].message


def test_pack_hsts_is_off_by_default_and_inference_is_careful(pack, programs):
    dist, resources = _resources(programs[AWS], AWS)
    pack.configure({})
    diags = pack.analyze(AWS, dist["name"], dist["inputs"])
    assert not [d for d in diags if d.policyName == "cloudfront-hsts"]
    assert not [d for d in pack.analyze_stack(resources) if d.policyName == "cloudfront-hsts-stack"]
    # A producer that could supply any id (a stack reference) feeds the behaviours too: the
    # unknown id is not attributed to the policy, so the stack policy says nothing.
    pack.configure({"cloudfront-hsts": HSTS_ON, "cloudfront-hsts-stack": HSTS_ON})
    ref = urn_of("pulumi:pulumi:StackReference", "shared")
    _, resources = _resources(programs[AWS], AWS, extra_deps=[ref])
    resources.insert(0, {"type": "pulumi:pulumi:StackReference", "name": "shared", "props": {}})
    assert not [d for d in pack.analyze_stack(resources) if d.policyName == "cloudfront-hsts-stack"]


def test_audit_of_a_stack_export(tmp_path, programs):
    """`pulumi stack export` after an update: ids known, dependencies recorded per property."""
    captured = programs[AWS]
    dist, _ = _resources(captured, AWS)
    short = next(c for c in captured if c["type"].endswith("responseHeadersPolicy:ResponseHeadersPolicy"))
    oac = next(c for c in captured if "OriginAccessControl" in c["type"])
    outputs = json.loads(json.dumps(dist["inputs"]).replace(f'"{UNKNOWN}"', '"b5d2c6b4-0000-4000-8000-000000000001"'))
    outputs["origins"][0]["originAccessControlId"] = "E2QWRUHAPOMQZL"
    resources = [
        {"urn": urn_of(short["type"], "short"), "type": short["type"], "inputs": short["inputs"],
         "outputs": dict(short["inputs"], id="b5d2c6b4-0000-4000-8000-000000000001")},
        {"urn": urn_of(oac["type"], "oac"), "type": oac["type"], "inputs": oac["inputs"],
         "outputs": dict(oac["inputs"], id="E2QWRUHAPOMQZL")},
        {"urn": urn_of(AWS, "cdn"), "type": AWS, "inputs": dist["inputs"], "outputs": outputs,
         "propertyDependencies": {"orderedCacheBehaviors": [urn_of(short["type"], "short")],
                                  "origins": [urn_of(oac["type"], "oac")]}},
    ]
    path = tmp_path / "stack.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": resources}}))
    assert audit_set(str(path)) == EXPECTED


# --------------------------------------------------------------------------- live account

CUSTOM = "b5d2c6b4-0000-4000-8000-000000000001"


def _behavior(tag, pattern, origin, vpp, policy):
    pat = f"<PathPattern>{pattern}</PathPattern>" if pattern else ""
    return (f"<{tag}>{pat}<TargetOriginId>{origin}</TargetOriginId><ViewerProtocolPolicy>{vpp}"
            f"</ViewerProtocolPolicy><ResponseHeadersPolicyId>{policy}</ResponseHeadersPolicyId></{tag}>")


def _origin(oid, host, oai="", oac=""):
    return (f"<Origin><Id>{oid}</Id><DomainName>{host}</DomainName><OriginPath></OriginPath>"
            f"<S3OriginConfig><OriginAccessIdentity>{oai}</OriginAccessIdentity></S3OriginConfig>"
            f"<OriginAccessControlId>{oac}</OriginAccessControlId></Origin>")


CONFIG_XML = (
    f'<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="{NS}"><CallerReference>r'
    "</CallerReference><Comment></Comment><Enabled>true</Enabled><Origins><Quantity>3</Quantity><Items>"
    + _origin("private", "assets.s3.eu-west-1.amazonaws.com", oac="E2QWRUHAPOMQZL")
    + _origin("legacy", "logs.s3.amazonaws.com", oai="origin-access-identity/cloudfront/E74FTE3AEXAMPLE")
    + _origin("public", "media.s3.dualstack.eu-west-1.amazonaws.com")
    + "</Items></Origins>"
    + _behavior("DefaultCacheBehavior", None, "private", "redirect-to-https", "67f7725c-6f97-4210-82d7-5512b31e9d03")
    + "<CacheBehaviors><Quantity>3</Quantity><Items>"
    + _behavior("CacheBehavior", "api/*", "private", "https-only", CUSTOM)
    + _behavior("CacheBehavior", "cors/*", "public", "redirect-to-https", "60669652-455b-4ae9-85a4-c4c02393f86c")
    + _behavior("CacheBehavior", "logs/*", "legacy", "redirect-to-https", "e61eb60c-9c35-4d20-a928-2b84e02af89c")
    + "</Items></CacheBehaviors><ViewerCertificate><ACMCertificateArn>arn:aws:acm:us-east-1:1:certificate/x"
    "</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021"
    "</MinimumProtocolVersion></ViewerCertificate></DistributionConfig>")
POLICY_XML = (
    f'<?xml version="1.0" encoding="UTF-8"?><ResponseHeadersPolicy xmlns="{NS}"><Id>{CUSTOM}</Id>'
    "<LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime><ResponseHeadersPolicyConfig>"
    "<Name>short-hsts</Name><SecurityHeadersConfig><StrictTransportSecurity><Override>true</Override>"
    "<AccessControlMaxAgeSec>300</AccessControlMaxAgeSec></StrictTransportSecurity>"
    "</SecurityHeadersConfig></ResponseHeadersPolicyConfig></ResponseHeadersPolicy>")
LIST_XML = (f'<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker></Marker><MaxItems>100</MaxItems>'
            "<IsTruncated>false</IsTruncated><Quantity>1</Quantity><Items>" + summary("E1") + "</Items></DistributionList>")


class AccountStub(LoopbackApi):
    """The CloudFront API on loopback, shaped as the API reference documents it (moto 5.2 has no
    response headers policies and drops OriginAccessControlId from distribution configs)."""

    def respond(self, path):
        if "/response-headers-policy/" in path:
            return 200, POLICY_XML
        if path.endswith("/config"):
            return 200, CONFIG_XML
        return 200, LIST_XML


def test_live_audit_reads_custom_policies_once():
    env = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40,
           "AWS_DEFAULT_REGION": "us-east-1"}
    stub = AccountStub()
    try:
        got = audit_set("--aws", "--endpoint-url", stub.url, env=env)
        asked = [p for p in stub.paths if "/response-headers-policy/" in p]
        # Without --require-hsts the policy is not fetched at all.
        rc, _, _ = run_cli("audit", "--aws", "--endpoint-url", stub.url, "--format", "json", env=env)
        asked_without = [p for p in stub.paths if "/response-headers-policy/" in p]
    finally:
        stub.close()
    assert got == EXPECTED
    assert len(asked) == 1 and asked[0].endswith(CUSTOM)  # managed ids come from the catalogue
    assert asked_without == asked


# --------------------------------------------------------------------------- AWS Config and hook

def _api_config():
    from test_aws_helpers import api_config, behavior

    def origin(oid, host, oai="", oac=""):
        return {"Id": oid, "DomainName": host, "OriginAccessControlId": oac,
                "S3OriginConfig": {"OriginAccessIdentity": oai}}

    def rhp(b, policy):
        return dict(b, ResponseHeadersPolicyId=policy)
    return api_config(
        "hsts", [origin("private", "assets.s3.eu-west-1.amazonaws.com", oac="E2QWRUHAPOMQZL"),
                 origin("legacy", "logs.s3.amazonaws.com", oai="origin-access-identity/cloudfront/E74FTE3AEXAMPLE"),
                 origin("public", "media.s3.dualstack.eu-west-1.amazonaws.com")],
        rhp(behavior("private", "redirect-to-https"), "67f7725c-6f97-4210-82d7-5512b31e9d03"),
        [rhp(behavior("private", "https-only", "api/*"), CUSTOM),
         rhp(behavior("public", "redirect-to-https", "cors/*"), "60669652-455b-4ae9-85a4-c4c02393f86c"),
         rhp(behavior("legacy", "redirect-to-https", "logs/*"), "e61eb60c-9c35-4d20-a928-2b84e02af89c")],
        {"ACMCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
         "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"})


# What a door sees without the account: the custom policy is only an id (a note, not a finding).
WITHOUT_ACCOUNT = EXPECTED - {("CFH011", "api/*")}


def test_config_rule_item_and_hook(monkeypatch):
    """The change-triggered Config rule reads the configuration item, the hook the resolved
    CloudFormation properties: neither holds the custom policy's headers, so `api/*` is a note
    there and the rest is the same."""
    from cfhttps_aws import cfn_hook
    from rules import engine
    from rules.config import from_mapping
    from rules.model import NoteKind
    from rules.sources import aws_config
    from test_aws_helpers import cfn_properties, config_shape, hook_findings, resource_hook_event

    config, errors = from_mapping({"require_hsts": "true"})  # Config rule parameters are strings
    assert not errors
    dist, notes = aws_config.distribution("E1", {"distributionConfig": config_shape(_api_config())})
    result = engine.evaluate([dist], config)
    got = {(f.code, subject(f.message)) for f in result.findings if f.code in ("CFH011", "CFH012")}
    assert got == WITHOUT_ACCOUNT
    assert [n.kind for n in result.notes if n.code == "CFH011"] == [NoteKind.UNKNOWN_VALUE]

    monkeypatch.setenv("CFHTTPS_SETTINGS", json.dumps({"require_hsts": True}))
    answer = cfn_hook.handler(resource_hook_event(cfn_properties(_api_config())))
    got = {(code, subject(message)) for code, message in hook_findings(answer)
           if code in ("CFH011", "CFH012")}
    assert got == WITHOUT_ACCOUNT and answer["hookStatus"] == "SUCCESS"  # warnings only
