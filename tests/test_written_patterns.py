"""Templates as people write them (issue 13), through both CloudFormation doors.

Each template below is one general pattern seen in public templates: the same unresolved
expression as an origin's Id and a behaviour's TargetOriginId, optional certificates (a
parameter with Default ''), VPC origins whose settings live on an AWS::CloudFront::VpcOrigin
resource. Every template is judged by the audit (the engine) and by the real cfn-lint with
``-a cfn_rules``; the two must report the same (rule, property path) pairs, and the audit's
findings are checked in detail.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from cfhttps_cli import inputs
from rules import engine
from rules.catalog import CATALOG
from rules.config import Config
from rules.model import NoteKind

pytestmark = pytest.mark.slow  # runs the real cfn-lint command

CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
OUR_IDS = {r.cfn_lint_id for r in CATALOG.values()}

DIST = "Resources/Cdn/Properties/DistributionConfig"

TEMPLATES = {
    # 1. The same Ref as origin Id and target: an S3 origin reached over allow-all.
    "same_ref": """
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: !Ref Bucket
            DomainName: !GetAtt Bucket.RegionalDomainName
            S3OriginConfig: {}
        DefaultCacheBehavior:
          TargetOriginId: !Ref Bucket
          ViewerProtocolPolicy: allow-all
          ForwardedValues: {QueryString: false}
        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:111111111111:certificate/x, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
""",
    # 1. The same string built by !Sub on one side and a long-form Fn::Join on the other; a
    #    third target (!Ref Env alone) is a different expression: undecided, never a finding.
    "same_sub_join": """
Parameters:
  Env: {Type: String}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: !Sub "${Env}-api"
            DomainName: api.example.com
            CustomOriginConfig: {OriginProtocolPolicy: match-viewer, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior:
          TargetOriginId: {"Fn::Join": ["", [{"Ref": "Env"}, "-api"]]}
          ViewerProtocolPolicy: allow-all
          ForwardedValues: {QueryString: false}
        CacheBehaviors:
          - PathPattern: /other/*
            TargetOriginId: !Ref Env
            ViewerProtocolPolicy: https-only
            ForwardedValues: {QueryString: false}
        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:111111111111:certificate/x, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
""",
    # 1. A parameter without a default on both sides, and a literal target that may or may not
    #    be that parameter's value: no CFH008 finding, a note.
    "same_param": """
Parameters:
  OriginName: {Type: String}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: !Ref OriginName
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior:
          TargetOriginId: !Ref OriginName
          ViewerProtocolPolicy: redirect-to-https
          ForwardedValues: {QueryString: false}
        CacheBehaviors:
          - PathPattern: /x/*
            TargetOriginId: app
            ViewerProtocolPolicy: https-only
            ForwardedValues: {QueryString: false}
        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:111111111111:certificate/x, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
""",
    # 2. Optional certificate: the ARN parameter defaults to ''; the custom branch pins
    #    TLSv1.2_2021, the other branch is the real default certificate.
    "optional_certificate": """
Parameters:
  DomainName: {Type: String, Default: ''}
  CertificateArn: {Type: String, Default: ''}
Conditions:
  HasCustomDomain: !Not [!Equals [!Ref DomainName, '']]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases: !If [HasCustomDomain, [!Ref DomainName], !Ref AWS::NoValue]
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          ForwardedValues: {QueryString: false}
        ViewerCertificate: !If
          - HasCustomDomain
          - AcmCertificateArn: !Ref CertificateArn
            MinimumProtocolVersion: TLSv1.2_2021
            SslSupportMethod: sni-only
          - CloudFrontDefaultCertificate: true
""",
    # 2. A CertificateType parameter choosing ACM, IAM or none; ExistingCertificate defaults
    #    to ''. Only the None branch uses the default certificate.
    "certificate_type": """
Parameters:
  CertificateType:
    Type: String
    Default: None
    AllowedValues: [AcmCertificateArn, IamCertificateId, None]
  ExistingCertificate: {Type: String, Default: ''}
Conditions:
  HasAcm: !Equals [!Ref CertificateType, AcmCertificateArn]
  HasIam: !Equals [!Ref CertificateType, IamCertificateId]
  HasNoCertificate: !Equals [!Ref CertificateType, None]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          ForwardedValues: {QueryString: false}
        ViewerCertificate:
          AcmCertificateArn: !If [HasAcm, !Ref ExistingCertificate, !Ref AWS::NoValue]
          IamCertificateId: !If [HasIam, !Ref ExistingCertificate, !Ref AWS::NoValue]
          CloudFrontDefaultCertificate: !If [HasNoCertificate, true, !Ref AWS::NoValue]
          MinimumProtocolVersion: !If [HasNoCertificate, TLSv1, TLSv1.2_2025]
          SslSupportMethod: !If [HasNoCertificate, !Ref AWS::NoValue, sni-only]
""",
    # 2. Every branch supplies a certificate and pins TLSv1.2_2025: nothing to report.
    "certificate_type_all_pinned": """
Parameters:
  CertificateType:
    Type: String
    Default: IamCertificateId
    AllowedValues: [AcmCertificateArn, IamCertificateId]
  ExistingCertificate: {Type: String, Default: ''}
Conditions:
  HasAcm: !Equals [!Ref CertificateType, AcmCertificateArn]
  HasIam: !Equals [!Ref CertificateType, IamCertificateId]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          ForwardedValues: {QueryString: false}
        ViewerCertificate:
          AcmCertificateArn: !If [HasAcm, !Ref ExistingCertificate, !Ref AWS::NoValue]
          IamCertificateId: !If [HasIam, !Ref ExistingCertificate, !Ref AWS::NoValue]
          MinimumProtocolVersion: TLSv1.2_2025
          SslSupportMethod: sni-only
""",
    # 2. A branch that names no certificate at all: the default certificate, and the message
    #    says what that branch holds (no CloudFrontDefaultCertificate is written there).
    "no_certificate_branch": """
Parameters:
  CertificateArn: {Type: String, Default: ''}
Conditions:
  HasCertificate: !Not [!Equals [!Ref CertificateArn, '']]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          ForwardedValues: {QueryString: false}
        ViewerCertificate: !If
          - HasCertificate
          - {AcmCertificateArn: !Ref CertificateArn, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
          - {MinimumProtocolVersion: TLSv1}
""",
}


VPC_DIST = """
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: internal-app.example.com
            VpcOriginConfig: {VpcOriginId: %s}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: %s
          ForwardedValues: {QueryString: false}
        ViewerCertificate: {AcmCertificateArn: arn:aws:acm:us-east-1:111111111111:certificate/x, MinimumProtocolVersion: TLSv1.2_2021, SslSupportMethod: sni-only}
"""
ALB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/internal/1"


def vpc_template(endpoint, vpc_origin_id="!GetAtt AppVpcOrigin.Id", viewer="redirect-to-https",
                 head=""):
    return head + f"""
Resources:
  AppVpcOrigin:
    Type: AWS::CloudFront::VpcOrigin
    Properties:
      VpcOriginEndpointConfig:
        Name: app
        Arn: {ALB}
{textwrap.indent(textwrap.dedent(endpoint).strip(), " " * 8)}
""" + VPC_DIST % (vpc_origin_id, viewer)


TEMPLATES.update({
    # 3. The protocol settings live on the VpcOrigin resource: plaintext to the origin.
    "vpc_origin_http_only": vpc_template("OriginProtocolPolicy: http-only"),
    # 3. Weak OriginSSLProtocols on the VpcOrigin, referenced with !Ref (its Id).
    "vpc_origin_weak_tls": vpc_template("""
        OriginProtocolPolicy: https-only
        OriginSSLProtocols: [TLSv1, TLSv1.2]""", vpc_origin_id="!Ref AppVpcOrigin"),
    # 3. Omitted settings take the schema's defaults: match-viewer and TLSv1 + SSLv3.
    "vpc_origin_defaults": vpc_template("HTTPSPort: 443", viewer="allow-all"),
    # 3. The VpcOrigin's policy under a condition: the finding says when it holds.
    "vpc_origin_conditional": vpc_template(
        "OriginProtocolPolicy: !If [IsProd, https-only, http-only]\nOriginSSLProtocols: [TLSv1.2]",
        head="Parameters:\n  Env: {Type: String, AllowedValues: [prod, dev]}\n"
             "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"),
    # 3. A well-configured VPC origin.
    "vpc_origin_good": vpc_template("""
        OriginProtocolPolicy: https-only
        OriginSSLProtocols: [TLSv1.2]"""),
    # 3. A VPC origin made elsewhere (an id literal): its settings cannot be read here.
    "vpc_origin_elsewhere": vpc_template("OriginProtocolPolicy: http-only",
                                         vpc_origin_id="vo_0123456789abcdef"),
})


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """name -> (file, audit result, cfn-lint matches of our rules); one cfn-lint run for all."""
    folder = tmp_path_factory.mktemp("written")
    files = {}
    for name, text in TEMPLATES.items():
        path = folder / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).lstrip())
        files[name] = str(path)
    proc = subprocess.run([CFN_LINT, "-a", "cfn_rules", "--format", "json", "--", *files.values()],
                          capture_output=True, text=True, timeout=600)
    matches = json.loads(proc.stdout)
    assert not [m for m in matches if m["Rule"]["Id"] in ("E0000", "E0002")], matches
    out = {}
    for name, file in files.items():
        loaded = inputs.load(file)
        assert loaded.error is None, loaded.error
        result = engine.evaluate(loaded.distributions, Config())
        ours = [m for m in matches if m["Filename"] == file and m["Rule"]["Id"] in OUR_IDS]
        out[name] = (file, loaded, result, ours)
    return out


def _paths(result, code):
    return sorted("/".join(map(str, f.path)) for f in result.findings if f.code == code)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_both_doors_agree(written, name):
    _, _, result, ours = written[name]
    audit = {(CATALOG[f.code].cfn_lint_id, tuple(map(str, f.path))) for f in result.findings}
    lint = {(m["Rule"]["Id"], tuple(map(str, m["Location"]["Path"]))) for m in ours}
    assert audit == lint


def test_same_ref_on_both_sides_is_judged(written):
    _, loaded, result, _ = written["same_ref"]
    assert _paths(result, "CFH003") == [f"{DIST}/DefaultCacheBehavior/ViewerProtocolPolicy"]
    assert not [n for n in result.notes if n.code == "CFH008"]


def test_same_string_in_short_and_long_form_is_judged(written):
    _, _, result, _ = written["same_sub_join"]
    assert _paths(result, "CFH003") == [f"{DIST}/DefaultCacheBehavior/ViewerProtocolPolicy"]
    # !Ref Env is another expression than "${Env}-api": undecided, a note and no finding.
    assert not _paths(result, "CFH008")
    notes = [n for n in result.notes if n.code == "CFH008"]
    assert [n.path[-2:] for n in notes] == [(0, "TargetOriginId")]
    assert notes[0].kind == NoteKind.UNKNOWN_VALUE


def test_parameter_without_default_routes_to_itself(written):
    _, _, result, _ = written["same_param"]
    assert not _paths(result, "CFH008")
    notes = [n for n in result.notes if n.code == "CFH008"]
    # The default behaviour is routed (same parameter); "app" may or may not be its value.
    assert len(notes) == 1 and "CacheBehaviors" in notes[0].path and "'app'" in notes[0].message


def test_optional_certificate_reports_only_the_default_branch(written):
    _, _, result, _ = written["optional_certificate"]
    found = [f for f in result.findings if f.code == "CFH009"]
    assert [("/".join(map(str, f.path)), f.condition) for f in found] == [
        (f"{DIST}/ViewerCertificate/Fn::If/2/CloudFrontDefaultCertificate",
         "condition HasCustomDomain is false")]
    assert "CloudFrontDefaultCertificate is true" in found[0].message


def test_certificate_type_reports_only_the_none_branch(written):
    _, _, result, _ = written["certificate_type"]
    found = [f for f in result.findings if f.code == "CFH009"]
    assert [("/".join(map(str, f.path)), f.condition) for f in found] == [
        (f"{DIST}/ViewerCertificate/CloudFrontDefaultCertificate/Fn::If/1",
         "parameter CertificateType = None")]


def test_every_branch_pinned_is_clean(written):
    _, _, result, _ = written["certificate_type_all_pinned"]
    assert not result.findings


def test_branch_without_certificate_names_what_it_holds(written):
    _, _, result, _ = written["no_certificate_branch"]
    found = [f for f in result.findings if f.code == "CFH009"]
    assert [("/".join(map(str, f.path)), f.condition) for f in found] == [
        (f"{DIST}/ViewerCertificate/Fn::If/2", "condition HasCertificate is false")]
    assert "names no certificate" in found[0].message
    assert "CloudFrontDefaultCertificate is true" not in found[0].message


def test_pulumi_preview_unknowns_are_never_equal():
    """Pulumi's preview gives every unknown string the same sentinel: an origin id and a target
    fed by one output cannot be told equal, so routing stays a note (never a finding)."""
    from rules.sources import pulumi
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the string sentinel
    assert unknown in pulumi.UNKNOWN_SENTINELS
    props = {"origins": [{"originId": unknown, "domainName": "b.s3.amazonaws.com",
                          "s3OriginConfig": {"originAccessIdentity": ""}}],
             "defaultCacheBehavior": {"targetOriginId": unknown, "viewerProtocolPolicy": "allow-all",
                                      "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]},
             "viewerCertificate": {"cloudfrontDefaultCertificate": True}}
    dist, _ = pulumi.distribution(pulumi.AWS_TYPE, props, "urn:cdn", converted=True)
    result = engine.evaluate([dist], Config())
    # no CFH003, no CFH008 (CFH012: the S3 REST origin has neither OAC nor OAI)
    assert {f.code for f in result.findings} == {"CFH001", "CFH009", "CFH012"}
    notes = [n for n in result.notes if n.code == "CFH008"]
    assert len(notes) == 1 and notes[0].kind == NoteKind.UNKNOWN_VALUE


VPC = "Resources/AppVpcOrigin/Properties/VpcOriginEndpointConfig"


def test_vpc_origin_plaintext_is_found_on_the_vpc_origin(written):
    _, _, result, _ = written["vpc_origin_http_only"]
    found = [f for f in result.findings if f.code == "CFH003"]
    assert [("/".join(map(str, f.path)), f.resource) for f in found] == [
        (f"{VPC}/OriginProtocolPolicy", "Cdn")]
    assert "through VPC origin AppVpcOrigin" in found[0].message


def test_vpc_origin_weak_tls(written):
    _, _, result, _ = written["vpc_origin_weak_tls"]
    assert _paths(result, "CFH010") == [f"{VPC}/OriginSSLProtocols"]
    assert not _paths(result, "CFH003")


def test_vpc_origin_schema_defaults(written):
    _, _, result, _ = written["vpc_origin_defaults"]
    # match-viewer (default) reached by allow-all; TLSv1 + SSLv3 (default) over HTTPS.
    assert _paths(result, "CFH003") == [f"{DIST}/DefaultCacheBehavior/ViewerProtocolPolicy"]
    cfh010 = [f for f in result.findings if f.code == "CFH010"]
    assert ["/".join(map(str, f.path)) for f in cfh010] == [VPC]
    assert "CloudFormation's default is TLSv1, SSLv3" in cfh010[0].message


def test_vpc_origin_condition(written):
    _, _, result, _ = written["vpc_origin_conditional"]
    found = [f for f in result.findings if f.code == "CFH003"]
    assert [("/".join(map(str, f.path)), f.condition) for f in found] == [
        (f"{VPC}/OriginProtocolPolicy/Fn::If/2", "parameter Env = dev")]


def test_vpc_origin_good_is_clean(written):
    _, _, result, _ = written["vpc_origin_good"]
    assert not result.findings
    assert not [n for n in result.notes if n.kind == NoteKind.UNKNOWN_VALUE]


def test_vpc_origin_elsewhere_is_a_note(written):
    _, loaded, result, _ = written["vpc_origin_elsewhere"]
    assert not [f for f in result.findings if f.code in ("CFH003", "CFH010")]
    notes = [n for n in result.notes if n.kind == NoteKind.UNKNOWN_VALUE and "VPC origin" in n.message]
    assert len(notes) == 1 and notes[0].path[-1] == "VpcOriginId"
    assert "vo_0123456789abcdef" in notes[0].message


@pytest.mark.parametrize("vpc_config, vpc_resource, cfh003, noted", [
    ([1, 2], {"Type": "AWS::CloudFront::VpcOrigin"}, False, False),  # ill-typed: not followed
    ({"VpcOriginId": {"Fn::GetAtt": ["AppVpcOrigin", "Id"]}},
     {"Type": "AWS::CloudFront::VpcOrigin"}, False, True),  # no Properties
    ({"VpcOriginId": {"Ref": "AppVpcOrigin"}},
     {"Type": "AWS::CloudFront::VpcOrigin", "Properties": {"VpcOriginEndpointConfig": "text"}},
     False, True),
    ({"VpcOriginId": {"Fn::GetAtt": "AppVpcOrigin.Id"}},
     {"Type": "AWS::CloudFront::VpcOrigin", "Properties": {"VpcOriginEndpointConfig": {
         "OriginProtocolPolicy": {"Fn::If": ["Nope"]}, "OriginSSLProtocols": {"a": 1}}}},
     False, False),  # malformed values are unknown (no CFH003, no CFH010)
    ({"VpcOriginId": {"Fn::ImportValue": {"Fn::Sub": ["${X}", {}]}}}, {"Type": "AWS::S3::Bucket"},
     False, True),
    ({"VpcOriginId": {"Ref": "AppVpcOrigin"}},
     {"Type": "AWS::CloudFront::VpcOrigin", "Properties": {"VpcOriginEndpointConfig": {
         "Fn::If": ["Missing", {"OriginProtocolPolicy": "http-only"}, {"Ref": "AWS::NoValue"}]}}},
     True, True),  # an undefined condition is a free variable: each branch judged
])
def test_hostile_vpc_origin_shapes_never_raise(vpc_config, vpc_resource, cfh003, noted):
    from rules.sources import cloudformation
    template = {"Resources": {"AppVpcOrigin": vpc_resource, "Cdn": {
        "Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Origins": [{"Id": "app", "DomainName": "x.example.com", "VpcOriginConfig": vpc_config}],
            "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "https-only"}}}}}}
    dists, notes = cloudformation.distributions(template)
    result = engine.evaluate(dists, Config())
    assert dists and not [n for n in result.notes if n.kind == NoteKind.INTERNAL_ERROR]
    assert not [f for f in result.findings if f.code == "CFH010"]
    assert bool([f for f in result.findings if f.code == "CFH003"]) is cfh003
    assert bool([n for n in notes + result.notes if n.kind == NoteKind.UNKNOWN_VALUE
                 and "VPC origin" in n.message]) is noted
