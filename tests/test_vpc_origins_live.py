"""VPC origins in the live audit (issue 13): the distribution config names a VPC origin by id;
its OriginProtocolPolicy / OriginSslProtocols come from ``GetVpcOrigin``. moto 5.2 does not
implement VPC origins, so a loopback stand-in answers the three calls in the CloudFront API's
XML (shapes from botocore's cloudfront service model), and the real CLI and boto3 talk to it."""

import json
import os
import subprocess
import sys

import pytest

from cloudfront_stub import NS, LoopbackApi, summary
from conftest import ROOT
from rules import engine
from rules.sources import aws_api

pytestmark = pytest.mark.slow  # runs the cfhttps command against a moto server

CREDS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40,
         "AWS_DEFAULT_REGION": "us-east-1"}


def _config(vpc_origin_id):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="{NS}"><CallerReference>r</CallerReference><Comment></Comment><Enabled>true</Enabled>
<Origins><Quantity>1</Quantity><Items><Origin><Id>app</Id><DomainName>internal.example.com</DomainName>
<VpcOriginConfig><VpcOriginId>{vpc_origin_id}</VpcOriginId></VpcOriginConfig></Origin></Items></Origins>
<DefaultCacheBehavior><TargetOriginId>app</TargetOriginId><ViewerProtocolPolicy>https-only</ViewerProtocolPolicy></DefaultCacheBehavior>
<ViewerCertificate><ACMCertificateArn>arn:x</ACMCertificateArn><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>
</DistributionConfig>"""


VPC_ORIGIN = f"""<?xml version="1.0" encoding="UTF-8"?>
<VpcOrigin xmlns="{NS}"><Id>vo_plain</Id><Arn>arn:aws:cloudfront::111111111111:vpcorigin/vo_plain</Arn>
<Status>Deployed</Status><VpcOriginEndpointConfig><Name>app</Name>
<Arn>arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/internal/1</Arn>
<HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>match-viewer</OriginProtocolPolicy>
<OriginSslProtocols><Quantity>2</Quantity><Items><SslProtocol>TLSv1</SslProtocol><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
</VpcOriginEndpointConfig></VpcOrigin>"""

LIST = f"""<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker></Marker><MaxItems>100</MaxItems>
<IsTruncated>false</IsTruncated><Quantity>3</Quantity><Items>
""" + summary("E1") + summary("E2") + summary("E3") + """</Items></DistributionList>"""

NO_SUCH = f"""<?xml version="1.0"?><ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>
<Code>EntityNotFound</Code><Message>The VPC origin does not exist.</Message></Error><RequestId>r</RequestId></ErrorResponse>"""


class VpcStub(LoopbackApi):
    """E1 and E2 use VPC origin vo_plain; E3 names vo_gone, which does not exist."""

    def respond(self, path):
        path = path.split("?")[0]
        if path.endswith("/distribution"):
            return 200, LIST
        if path.endswith("/config"):
            dist_id = path.rstrip("/").split("/")[-2]
            return 200, _config("vo_gone" if dist_id == "E3" else "vo_plain")
        if path.endswith("/vpc-origin/vo_plain"):
            return 200, VPC_ORIGIN
        return 404, NO_SUCH


def test_live_audit_reads_vpc_origins():
    stub = VpcStub()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(CREDS, AWS_MAX_ATTEMPTS="1")
        proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--aws",
                               "--endpoint-url", stub.url, "--format", "json", "--fail-on", "warning"],
                              cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=300)
    finally:
        stub.close()
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr
    found = {(f["resource"], f["code"], tuple(f["path"])) for f in doc["findings"]}
    assert found == {(d, "CFH010", ("VpcOrigin", "vo_plain", "VpcOriginEndpointConfig",
                                    "OriginSslProtocols")) for d in ("E1", "E2")}
    # vo_plain was read once for both distributions; vo_gone's failure is a note on E3.
    assert sum(1 for c in stub.paths if "/vpc-origin/" in c) == 2
    notes = [n for n in doc["notes"] if n["resource"] == "E3" and n["kind"] == "unknown-value"]
    assert len(notes) == 1 and "vo_gone" in notes[0]["message"] and "EntityNotFound" in notes[0]["message"]


def test_api_document_without_vpc_origin_says_so():
    config = {"Origins": {"Quantity": 1, "Items": [{"Id": "app", "DomainName": "internal.example.com",
                                                    "VpcOriginConfig": {"VpcOriginId": "vo_1"}}]},
              "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "allow-all"}}
    dists, _ = aws_api.distributions({"DistributionConfig": config})
    result = engine.evaluate(dists)
    assert {f.code for f in result.findings} == {"CFH001", "CFH009"}  # the VPC leg: not judged
    assert any("get-vpc-origin --id vo_1" in n.message for n in result.notes)
    # With the VPC origin supplied, the match-viewer leg reached by allow-all is plaintext.
    vpc = {"Id": "vo_1", "VpcOriginEndpointConfig": {"OriginProtocolPolicy": "match-viewer",
                                                     "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}
    dist, _ = aws_api.distribution("E", config, (), vpc_origins={"vo_1": vpc})
    assert {f.code for f in engine.evaluate([dist]).findings} == {"CFH001", "CFH003", "CFH009"}


def test_stack_export_reads_its_vpc_origins(tmp_path):
    vpc_urn = "urn:pulumi:dev::proj::aws:cloudfront/vpcOrigin:VpcOrigin::app"
    export = {"version": 3, "deployment": {"resources": [
        {"urn": vpc_urn, "type": "aws:cloudfront/vpcOrigin:VpcOrigin", "id": "vo_1",
         "outputs": {"vpcOriginEndpointConfig": {
             "name": "app", "arn": "arn:x", "httpPort": 80, "httpsPort": 443,
             "originProtocolPolicy": "https-only",
             "originSslProtocols": {"items": ["TLSv1", "TLSv1.2"], "quantity": 2}}}},
        {"urn": "urn:pulumi:dev::proj::aws:cloudfront/distribution:Distribution::cdn",
         "type": "aws:cloudfront/distribution:Distribution", "id": "E1", "outputs": {
             "origins": [{"originId": "app", "domainName": "internal.example.com",
                          "vpcOriginConfig": {"vpcOriginId": "vo_1"}},
                         {"originId": "ext", "domainName": "other.example.com",
                          "vpcOriginConfig": {"vpcOriginId": "vo_elsewhere"}}],
             "defaultCacheBehavior": {"targetOriginId": "app", "viewerProtocolPolicy": "https-only"},
             "viewerCertificate": {"acmCertificateArn": "arn:x", "minimumProtocolVersion": "TLSv1.2_2021"}}},
    ]}}
    p = tmp_path / "export.json"
    p.write_text(json.dumps(export))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", str(p), "--format",
                           "json", "--fail-on", "warning"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr
    assert [(f["code"], f["path"]) for f in doc["findings"]] == [
        ("CFH010", [vpc_urn, "vpcOriginEndpointConfig", "originSslProtocols"])]
    assert any("vo_elsewhere" in n["message"] and n["kind"] == "unknown-value" for n in doc["notes"])
