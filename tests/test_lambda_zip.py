"""The Lambda package run as Lambda runs it (issue 21 items 1-2).

``make lambda``'s builder makes the zip; an isolated interpreter (``python -I -S``: no site
packages, nothing from PYTHON* variables) whose ``sys.path`` is the zip and boto3's stack only
(boto3, botocore, s3transfer, jmespath, dateutil, six, urllib3 — what Lambda's Python runtime
provides, copied as links from this venv; recipes/lambda_runtime.py, which ``make lambda-local``
runs too) runs both handlers on the events AWS sends: YAML and
JSON stacks through the hook's payload URL (a loopback stand-in for S3), a resource target, and
an AWS Config change notification put to a loopback Config endpoint."""

import ast
import json
import zipfile

import pytest

from cfhttps_aws.package import build
from recipes import lambda_runtime
from test_aws_helpers import (ACCOUNT, CREDS, RecordingConfig, StaticFiles,  # noqa: F401
                              change_event, configuration_item)

pytestmark = pytest.mark.slow

OTHER_DOORS = ("cfhttps_cli", "cfhttps_pulumi", "cfn_rules")

# Short-form tags as people write them, around a distribution that allows HTTP (CFH001).
YAML_STACK = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Sizes: {prod: {Class: PriceClass_All}, dev: {Class: PriceClass_100}}
Resources:
  Site:
    Type: AWS::S3::Bucket
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      AvailabilityZone: !Select [0, !GetAZs '']
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Comment: !Base64 site
        PriceClass: !FindInMap [Sizes, !Ref Env, Class]
        WebACLId: !If [IsProd, !ImportValue shared-waf, !Ref AWS::NoValue]
        Origins:
          - Id: s3
            DomainName: !GetAtt Site.RegionalDomainName
            S3OriginConfig: {}
        DefaultCacheBehavior:
          TargetOriginId: s3
          ViewerProtocolPolicy: allow-all
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
        ViewerCertificate:
          AcmCertificateArn: !Sub 'arn:aws:acm:us-east-1:${AWS::AccountId}:certificate/1'
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
"""

# The same kind of stack without any distribution: tags, nothing to judge.
YAML_NO_CDN = """\
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${AWS::StackName}-site'
Outputs:
  Arn: {Value: !GetAtt Site.Arn, Export: {Name: !Sub '${AWS::StackName}-arn'}}
"""

CLEAN_PROPS = {"DistributionConfig": {
    "Enabled": True,
    "Origins": [{"Id": "s3", "DomainName": "b.s3.us-east-1.amazonaws.com", "S3OriginConfig": {},
                 "OriginAccessControlId": "E1OAC"}],
    "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "https-only",
                             "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    "ViewerCertificate": {"AcmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/1",
                          "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}}}
BAD_PROPS = json.loads(json.dumps(CLEAN_PROPS))
BAD_PROPS["DistributionConfig"]["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "allow-all"

RECORDED = {
    "enabled": True, "callerReference": "r", "comment": "",
    "origins": {"quantity": 1, "items": [{"id": "s3", "domainName": "b.s3.amazonaws.com",
                                          "s3OriginConfig": {"originAccessIdentity": ""}}]},
    "defaultCacheBehavior": {"targetOriginId": "s3", "viewerProtocolPolicy": "allow-all"},
    "viewerCertificate": {"cloudFrontDefaultCertificate": True}}

@pytest.fixture(scope="module")
def lambda_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("lambda") / "cfhttps-lambda.zip"
    build(str(out))
    return out


@pytest.fixture(scope="module")
def boto_stack(tmp_path_factory):
    """boto3's stack alone, as Lambda's runtime provides it: links into this venv."""
    return lambda_runtime.boto_stack(tmp_path_factory.mktemp("runtime"))


def run_in_lambda(zip_path, stack, events, env_extra):
    return lambda_runtime.run(zip_path, stack, events, {**CREDS, **env_extra})


def stack_event(url, token):
    return {"clientRequestToken": token, "awsAccountId": ACCOUNT,
            "stackId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/web/1",
            "hookTypeName": "Private::Cfhttps::CloudFrontHttps", "hookTypeVersion": "00000001",
            "hookModel": {}, "actionInvocationPoint": "CREATE_PRE_PROVISION",
            "requestData": {"targetName": "STACK", "targetType": "STACK",
                            "targetLogicalId": "web", "payload": url},
            "requestContext": {"invocation": 1, "callbackContext": None}}


def resource_event(props, token):
    event = stack_event("", token)
    event["requestData"] = {"targetName": "AWS::CloudFront::Distribution",
                            "targetType": "AWS::CloudFront::Distribution",
                            "targetLogicalId": "Cdn", "targetModel": {"resourceProperties": props}}
    return event


def payload(template_text):
    return json.dumps({"template": template_text, "previousTemplate": None}).encode()


def test_the_zip_runs_both_handlers_as_lambda_does(lambda_zip, boto_stack):
    json_stack = json.dumps({"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution",
                                                    "Properties": BAD_PROPS}}}, indent=2)
    files = {"/yaml": payload(YAML_STACK), "/yaml-clean": payload(YAML_NO_CDN),
             "/json": payload(json_stack), "/bom": payload("\ufeff" + json_stack),
             "/empty": payload(""), "/cut": payload(json_stack[:40])}
    s3 = StaticFiles(files)
    config = RecordingConfig()
    events = {name.strip("/"): ("hook", stack_event(s3.url + name + "?X-Amz-Signature=x", name))
              for name in files}
    events["resource-bad"] = ("hook", resource_event(BAD_PROPS, "r1"))
    events["resource-clean"] = ("hook", resource_event(CLEAN_PROPS, "r2"))
    events["config"] = ("config", change_event(configuration_item("E1ZIP", RECORDED), token="tok"))
    try:
        out = run_in_lambda(lambda_zip, boto_stack, events, {
            "AWS_ENDPOINT_URL_CONFIG_SERVICE": config.url,
            "CFHTTPS_HOOK_PAYLOAD_PREFIXES": "http://127.0.0.1:",
            "AWS_MAX_ATTEMPTS": "1"})
    finally:
        s3.close()
        config.close()

    # nothing but the zip and boto3's stack was imported; PyYAML's pure-Python parser
    assert not set(out["_modules"]) & set(OTHER_DOORS + ("cfnlint", "pulumi", "_yaml"))
    assert out["_yaml"][0].startswith(str(lambda_zip)) and out["_yaml"][1] is False
    assert all(f.startswith(str(lambda_zip)) for f in out["_files"]), out["_files"]

    yaml_answer = out["yaml"]
    assert (yaml_answer["hookStatus"], yaml_answer.get("errorCode")) == ("FAILED", "NonCompliant"), yaml_answer
    assert "CFH001" in yaml_answer["message"] and "Cdn" in yaml_answer["message"]
    assert out["yaml-clean"]["hookStatus"] == "SUCCESS", out["yaml-clean"]
    for name in ("json", "bom"):  # a byte order mark is read past, as CloudFormation does
        assert (out[name]["hookStatus"], out[name].get("errorCode")) == ("FAILED", "NonCompliant"), out[name]
        assert "CFH001" in out[name]["message"]
    assert out["empty"]["hookStatus"] == "FAILED" and "empty template" in out["empty"]["message"]
    assert "truncated" in out["cut"]["message"], out["cut"]
    assert "PyYAML" not in json.dumps(out)
    assert (out["resource-bad"]["hookStatus"], out["resource-bad"].get("errorCode")) == ("FAILED", "NonCompliant")
    assert out["resource-clean"]["hookStatus"] == "SUCCESS", out["resource-clean"]

    (put,) = out["config"]
    assert (put["ComplianceResourceId"], put["ComplianceType"]) == ("E1ZIP", "NON_COMPLIANT")
    assert put["Annotation"].startswith("CFH001")
    (batch,) = config.batches()
    assert batch["ResultToken"] == "tok" and batch["Evaluations"][0]["ComplianceResourceId"] == "E1ZIP"


def test_the_zip_is_whole_packages_and_no_other_door(lambda_zip, tmp_path):
    from cfhttps_aws import package
    with zipfile.ZipFile(lambda_zip) as zf:
        names = zf.namelist()
        sources = {n: zf.read(n) for n in names if n.endswith(".py")}
    tops = {n.split("/")[0] for n in names}
    assert tops == {"rules", "cfhttps_io", "cfhttps_aws", "yaml", package.PYYAML_DIST_INFO}
    # whole packages: every module of the project's three packages is in it
    for _, name in package.sources():
        assert name in names, name
    assert not [n for n in names if n.endswith((".so", ".pyd", ".pyc"))]
    assert f"{package.PYYAML_DIST_INFO}/licenses/LICENSE" in names
    for name, text in sources.items():
        if name.startswith("yaml/"):
            continue
        for node in ast.walk(ast.parse(text, name)):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                    [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for mod in mods:
                assert mod.split(".")[0] not in OTHER_DOORS, (name, mod)
    # reproducible: the same sources give the same bytes
    again = tmp_path / "again.zip"
    build(str(again))
    assert again.read_bytes() == lambda_zip.read_bytes()
    assert lambda_zip.stat().st_size < 1024 * 1024
