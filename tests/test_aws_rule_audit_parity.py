"""The AWS Config rule sees what ``cfhttps audit --aws`` sees (issue 21 item 1): the same
account, read by both doors, gives the same findings and the same notes per distribution — VPC
origins (``GetVpcOrigin``) and custom response headers policies (``GetResponseHeadersPolicy``)
included, on all three of the rule's paths (scheduled, oversized, change-triggered).

moto implements neither VPC origins nor response headers policies, so the account is a loopback
stand-in answering the four calls in the CloudFront API's XML (shapes from botocore's service
model, as in test_vpc_origins_live.py); real boto3 talks to it from both doors."""

import json
import logging
import os
import subprocess
import sys

import pytest

from cfhttps_aws import config_rule
from cloudfront_stub import NS, LoopbackApi, summary
from conftest import ROOT
from test_aws_helpers import (CREDS, aws_env, change_event, cloudfront_client, config_shape,  # noqa: F401
                              configuration_item, moto_server, oversized_event, scheduled_event)

pytestmark = pytest.mark.slow

CERT = ("<ViewerCertificate><ACMCertificateArn>arn:x</ACMCertificateArn><SSLSupportMethod>sni-only"
        "</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>")


def _origin(kind):
    if kind.startswith("vo_"):
        return (f"<Origin><Id>app</Id><DomainName>internal.example.com</DomainName>"
                f"<VpcOriginConfig><VpcOriginId>{kind}</VpcOriginId></VpcOriginConfig></Origin>")
    return ("<Origin><Id>app</Id><DomainName>api.example.com</DomainName><CustomOriginConfig>"
            "<HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only"
            "</OriginProtocolPolicy><OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>"
            "TLSv1.2</SslProtocol></Items></OriginSslProtocols></CustomOriginConfig></Origin>")


def _config(origin, viewer, policy=""):
    rhp = f"<ResponseHeadersPolicyId>{policy}</ResponseHeadersPolicyId>" if policy else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="{NS}">'
            f"<CallerReference>r</CallerReference><Comment></Comment><Enabled>true</Enabled>"
            f"<Origins><Quantity>1</Quantity><Items>{_origin(origin)}</Items></Origins>"
            f"<DefaultCacheBehavior><TargetOriginId>app</TargetOriginId><ViewerProtocolPolicy>{viewer}"
            f"</ViewerProtocolPolicy>{rhp}</DefaultCacheBehavior>{CERT}</DistributionConfig>")


# E1: a VPC origin spoken to as the viewer speaks (allow-all: plaintext leg, CFH003) with TLSv1
# (CFH010); E2: a custom headers policy with a 300 s HSTS (CFH011); E3: a custom policy that is
# gone (a note); E4: a VPC origin that is gone (a note); E5: clean.
DISTRIBUTIONS = {
    "E1": _config("vo_plain", "allow-all"),
    "E2": _config("custom", "https-only", "rhp-weak"),
    "E3": _config("custom", "https-only", "rhp-gone"),
    "E4": _config("vo_gone", "https-only"),
    "E5": _config("custom", "https-only", "67f7725c-6f97-4210-82d7-5512b31e9d03"),
}

VPC_ORIGIN = f"""<?xml version="1.0" encoding="UTF-8"?>
<VpcOrigin xmlns="{NS}"><Id>vo_plain</Id><Arn>arn:aws:cloudfront::111111111111:vpcorigin/vo_plain</Arn>
<Status>Deployed</Status><VpcOriginEndpointConfig><Name>app</Name>
<Arn>arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/internal/1</Arn>
<HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>match-viewer</OriginProtocolPolicy>
<OriginSslProtocols><Quantity>2</Quantity><Items><SslProtocol>TLSv1</SslProtocol><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>
</VpcOriginEndpointConfig></VpcOrigin>"""

HEADERS_POLICY = f"""<?xml version="1.0" encoding="UTF-8"?>
<ResponseHeadersPolicy xmlns="{NS}"><Id>rhp-weak</Id><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime>
<ResponseHeadersPolicyConfig><Name>weak-hsts</Name><SecurityHeadersConfig><StrictTransportSecurity>
<Override>true</Override><IncludeSubdomains>true</IncludeSubdomains><AccessControlMaxAgeSec>300</AccessControlMaxAgeSec>
</StrictTransportSecurity></SecurityHeadersConfig></ResponseHeadersPolicyConfig></ResponseHeadersPolicy>"""

LIST = (f'<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker></Marker><MaxItems>100</MaxItems>'
        f"<IsTruncated>false</IsTruncated><Quantity>{len(DISTRIBUTIONS)}</Quantity><Items>"
        + "".join(summary(i) for i in DISTRIBUTIONS)
        + "</Items></DistributionList>")


def _not_found(what):
    return 404, (f'<?xml version="1.0"?><ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>'
                 f"<Code>{what}</Code><Message>not found</Message></Error><RequestId>r</RequestId></ErrorResponse>")


class Account(LoopbackApi):
    def respond(self, path):
        path = path.split("?")[0].rstrip("/")
        if path.endswith("/distribution"):
            return 200, LIST
        if path.endswith("/config"):
            return 200, DISTRIBUTIONS[path.split("/")[-2]]
        if path.endswith("/vpc-origin/vo_plain"):
            return 200, VPC_ORIGIN
        if path.endswith("/response-headers-policy/rhp-weak"):
            return 200, HEADERS_POLICY
        if "/response-headers-policy/" in path:
            return _not_found("NoSuchResponseHeadersPolicy")
        return _not_found("EntityNotFound")


@pytest.fixture
def account():
    stub = Account()
    yield stub
    stub.close()


def audit(url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(CREDS, AWS_MAX_ATTEMPTS="1")
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--aws", "--endpoint-url",
                           url, "--format", "json", "--quiet", "--require-hsts"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    doc = json.loads(proc.stdout)
    assert doc["errors"] == [], doc["errors"]
    out = {i: ({(f["code"], f["message"]) for f in doc["findings"] if f["resource"] == i},
               {(n["code"], n["kind"], n["message"]) for n in doc["notes"] if n["resource"] == i})
           for i in DISTRIBUTIONS}
    return out


def logged(caplog):
    """What the rule logged per distribution (its CloudWatch line), as (findings, notes) sets."""
    out = {}
    for record in caplog.records:
        text = record.getMessage()
        if text.startswith("cfhttps: evaluated "):
            doc = json.loads(text[len("cfhttps: evaluated "):])
            out[doc["resource"]] = ({(c, m) for c, _s, m in doc["findings"]},
                                    {tuple(n) for n in doc["notes"]})
    return out


def test_config_rule_and_audit_agree_on_vpc_origins_and_headers_policies(account, aws_env, moto_server,
                                                                           caplog):
    aws_env("CLOUDFRONT", account.url)
    aws_env("CONFIG_SERVICE", moto_server)
    want = audit(account.url)
    codes = {i: {c for c, _ in want[i][0]} for i in want}
    # the account holds what the rule must decide through the two extra reads
    assert {"CFH003", "CFH010"} <= codes["E1"] and "CFH011" in codes["E2"]
    assert any("rhp-gone" in m for _, _, m in want["E3"][1])
    assert any("vo_gone" in m for _, _, m in want["E4"][1])
    assert codes["E5"] == set() and want["E5"][1] == set()
    params = {"require_hsts": "true"}
    caplog.set_level(logging.INFO, logger="cfhttps.config_rule")

    scheduled = {e["ComplianceResourceId"]: e for e in config_rule.handler(scheduled_event(params=params))}
    assert set(scheduled) == set(DISTRIBUTIONS)
    assert logged(caplog) == want
    cf = cloudfront_client(account.url)
    for dist_id in DISTRIBUTIONS:
        caplog.clear()
        (ev,) = config_rule.handler(oversized_event(dist_id, params=params))
        assert ev["ComplianceType"] == scheduled[dist_id]["ComplianceType"]
        assert ev.get("Annotation") == scheduled[dist_id].get("Annotation")
        assert logged(caplog) == {dist_id: want[dist_id]}, dist_id
        caplog.clear()
        recorded = config_shape(cf.get_distribution_config(Id=dist_id)["DistributionConfig"])
        (ev,) = config_rule.handler(change_event(configuration_item(dist_id, recorded), params=params))
        assert logged(caplog) == {dist_id: want[dist_id]}, dist_id
        assert ev.get("Annotation") == scheduled[dist_id].get("Annotation")
    # what could not be decided is told in the annotation too
    assert scheduled["E3"]["Annotation"].endswith("undecided: CFH011")
    assert scheduled["E1"]["ComplianceType"] == "NON_COMPLIANT"
