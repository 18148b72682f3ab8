"""Shared pieces of the AWS door tests (no tests here): loopback servers and the event and
configuration shapes AWS documents, built from our own fixtures.

- AWS Config rule events: "Example Events for AWS Config Rules" (AWS Config Developer Guide):
  ``invokingEvent`` is JSON text holding ``configurationItem`` (change), ``configurationItemSummary``
  (oversized) or ``notificationCreationTime`` (scheduled), beside ``ruleParameters`` (JSON text),
  ``resultToken``, ``eventLeftScope``, ``accountId``.
- The configuration item of a CloudFront distribution: property names as AWS publishes them for
  the resource type (awslabs/aws-config-resource-schema,
  ``AWS::CloudFront::Distribution.properties.json``): ``configuration.distributionConfig`` with
  lowerCamelCase members (``httpPort``, ``httpsPort``, ``acmCertificateArn``,
  ``originSslProtocols``, ``quantity``/``items``).
- Lambda hook requests: "Create Lambda functions to evaluate resources for Lambda Hooks"
  (CloudFormation Hooks User Guide); stack targets carry ``requestData.payload``, a presigned URL
  (as cloudformation-cli-python-plugin's ``HookRequestData`` reads it).
"""

import json

import pytest

# The events, the credentials and the loopback servers live in recipes/ (`make lambda-local` runs
# the handlers with the same ones); the tests import them from here as before.
from recipes.aws_events import (ACCOUNT, CAPTURE_TIME, CREDS, SECRET, hook_event,  # noqa: F401
                                rule_event, scheduled_event, stack_hook_event)
from recipes.loopback import RecordingConfig, StaticFiles  # noqa: F401


# ------------------------------------------------------------------------------- moto, boto3

@pytest.fixture
def moto_server():
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    # moto's backends live in the process, not in the server: start every test empty
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST"), timeout=30).read()
    yield url
    server.stop()


@pytest.fixture
def aws_env(monkeypatch):
    """Credentials and region for boto3, nothing from the developer's own AWS set-up; returns a
    function pointing a service at a loopback endpoint (boto3's AWS_ENDPOINT_URL_<SERVICE>)."""
    import os
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    for key, value in CREDS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("CFHTTPS_SETTINGS", raising=False)
    monkeypatch.delenv("CFHTTPS_MEMBER_ROLE", raising=False)

    def point(service, url):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", url)
    return point


def cloudfront_client(url):
    import boto3
    return boto3.client("cloudfront", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id=CREDS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=SECRET)


# ----------------------------------------------------------------- CloudFront API distributions

def q(items):
    return {"Quantity": len(items), "Items": list(items)}


def custom_origin(oid, domain, policy, ssl=("TLSv1.2",)):
    return {"Id": oid, "DomainName": domain,
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy,
                                   "OriginSslProtocols": q(ssl)}}


def s3_origin(oid, domain):
    return {"Id": oid, "DomainName": domain, "S3OriginConfig": {"OriginAccessIdentity": ""}}


def behavior(target, vpp, pattern=None, methods=None):
    b = {"TargetOriginId": target, "ViewerProtocolPolicy": vpp,
         "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}, "MinTTL": 0}
    if pattern is not None:
        b = {"PathPattern": pattern, **b}
    if methods:
        b["AllowedMethods"] = {**q(methods), "CachedMethods": q(["GET", "HEAD"])}
    return b


def api_config(ref, origins, default, behaviors=(), certificate=None):
    return {"CallerReference": ref, "Comment": "", "Enabled": True, "Origins": q(origins),
            "DefaultCacheBehavior": default, "CacheBehaviors": q(list(behaviors)),
            "ViewerCertificate": certificate or {"CloudFrontDefaultCertificate": True}}


def api_configs():
    """Distinct distributions covering every rule; each a realistic API DistributionConfig."""
    acm = {"ACMCertificateArn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/abc",
           "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    return [
        # website endpoint over HTTPS, order downgrade, missing origin, writes redirected
        api_config("order", [custom_origin("site", "b.s3-website-us-east-1.amazonaws.com", "match-viewer"),
                             custom_origin("app", "app.example.com", "https-only", ("TLSv1", "TLSv1.2"))],
                   behavior("site", "allow-all"),
                   [behavior("app", "allow-all", "*.php"),
                    behavior("app", "https-only", "admin/*"),
                    behavior("nowhere", "redirect-to-https", "/api/*",
                             ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]),
                    behavior("app", "https-only", "api/*")]),
        # clean but for warnings: default certificate, plaintext origin leg
        api_config("warn", [custom_origin("web", "b.s3-website-eu-west-1.amazonaws.com", "http-only")],
                   behavior("web", "redirect-to-https")),
        # fully clean: an HTTPS-only custom origin (TLSv1.2), custom certificate pinned to
        # TLSv1.2_2021. (Not an S3 REST origin: that needs origin access control (CFH012), and
        # moto 5.2 drops OriginAccessControlId from the configs it returns.)
        api_config("good", [custom_origin("s3", "origin.example.net", "https-only")],
                   behavior("s3", "https-only"), [behavior("s3", "https-only", "/static/*")], acm),
        # sensitive path served over HTTP through the default behaviour
        api_config("sensitive", [custom_origin("app", "app.example.org", "https-only")],
                   behavior("app", "allow-all"), [behavior("app", "https-only", "/public/*")], acm),
    ]


def create_all(cf, configs):
    return [cf.create_distribution(DistributionConfig=c)["Distribution"]["Id"] for c in configs]


# --------------------------------------------------------- shapes: Config item, CFN properties

_CONFIG_NAMES = {"HTTPPort": "httpPort", "HTTPSPort": "httpsPort", "ACMCertificateArn": "acmCertificateArn",
                 "IAMCertificateId": "iamCertificateId", "SSLSupportMethod": "sslSupportMethod"}


def config_shape(node, nulls=True):
    """An API DistributionConfig in AWS Config's recorded spelling; absent origin kinds as null."""
    if isinstance(node, dict):
        out = {(_CONFIG_NAMES.get(k) or k[:1].lower() + k[1:]): config_shape(v, nulls)
               for k, v in node.items()}
        if nulls and "domainName" in out and "id" in out:  # an origin: the other kind is null
            out.setdefault("s3OriginConfig", None)
            out.setdefault("customOriginConfig", None)
        return out
    if isinstance(node, list):
        return [config_shape(v, nulls) for v in node]
    return node


def configuration_item(dist_id, distribution_config, status="OK"):
    """A configuration item as the change notification embeds it."""
    return {
        "configurationItemVersion": "1.3", "configurationItemCaptureTime": CAPTURE_TIME,
        "configurationStateId": 1701339302123, "awsAccountId": ACCOUNT,
        "configurationItemStatus": status, "resourceType": "AWS::CloudFront::Distribution",
        "resourceId": dist_id, "resourceName": None,
        "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{dist_id}", "awsRegion": "global",
        "availabilityZone": "Not Applicable", "resourceCreationTime": "2026-11-30T10:00:00.000Z",
        "tags": {}, "relationships": [],
        "configuration": None if distribution_config is None else {
            "id": dist_id, "arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{dist_id}",
            "status": "Deployed", "lastModifiedTime": "2026-11-30T10:00:00.000Z",
            "domainName": f"{dist_id.lower()}.cloudfront.net", "isStaging": False,
            "distributionConfig": distribution_config},
        "supplementaryConfiguration": {},
    }


def change_event(item, **kw):
    return rule_event({"configurationItem": item, "notificationCreationTime": CAPTURE_TIME,
                       "messageType": "ConfigurationItemChangeNotification", "recordVersion": "1.3"}, **kw)


def oversized_event(dist_id, status="OK", **kw):
    summary = {"changeType": "UPDATE", "configurationItemVersion": "1.3",
               "configurationItemCaptureTime": CAPTURE_TIME, "configurationStateId": 0,
               "awsAccountId": ACCOUNT, "configurationItemStatus": status,
               "resourceType": "AWS::CloudFront::Distribution", "resourceId": dist_id,
               "resourceName": None, "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{dist_id}",
               "awsRegion": "global", "availabilityZone": "Not Applicable",
               "configurationStateMd5Hash": "8f1ee69b287895a0f8bc5753eca68e96",
               "resourceCreationTime": "2026-11-30T10:00:00.000Z"}
    return rule_event({"configurationItemSummary": summary,
                       "messageType": "OversizedConfigurationItemChangeNotification",
                       "notificationCreationTime": CAPTURE_TIME, "recordVersion": "1.0"}, **kw)


_LISTS = {"Origins", "CacheBehaviors", "OriginGroups", "Aliases", "Items", "Members",
          "AllowedMethods", "CachedMethods", "OriginSslProtocols", "StatusCodes"}
_CFN_NAMES = {"OriginSslProtocols": "OriginSSLProtocols", "ACMCertificateArn": "AcmCertificateArn",
              "IAMCertificateId": "IamCertificateId", "SSLSupportMethod": "SslSupportMethod"}


def cfn_properties(api_dc, as_strings=False):
    """An API DistributionConfig as CloudFormation ``DistributionConfig`` properties (plain
    lists); ``as_strings`` renders scalars as the strings hooks receive."""
    def conv(node):
        if isinstance(node, dict):
            if set(node) <= {"Quantity", "Items", "CachedMethods", "Enabled"} and "Quantity" in node:
                return [conv(v) for v in node.get("Items") or []]
            out = {}
            for k, v in node.items():
                if k in ("CallerReference", "CachedMethods"):
                    continue
                out[_CFN_NAMES.get(k, k)] = conv(v)
            return out
        if isinstance(node, list):
            return [conv(v) for v in node]
        if as_strings and isinstance(node, bool):
            return "true" if node else "false"
        if as_strings and isinstance(node, int):
            return str(node)
        return node
    return {"DistributionConfig": conv(api_dc)}


def resource_hook_event(props, logical_id="Cdn", point="CREATE_PRE_PROVISION", token="tok-1",
                        model=True):
    data = {"targetName": "AWS::CloudFront::Distribution", "targetType": "AWS::CloudFront::Distribution",
            "targetLogicalId": logical_id}
    if model:
        data["targetModel"] = {"resourceProperties": props}
    return hook_event(data, point, token)


def hook_findings(answer):
    """{(code, message)} from a hook answer's finding lines ("CODE [sev] resource: message");
    note lines ("CODE (kind) resource: …") and section heads ("cfhttps: …") are not findings."""
    out = set()
    for line in answer["message"].splitlines()[1:]:
        head, _, message = line.partition(": ")
        parts = head.split(" ", 2)
        if len(parts) < 2 or not parts[1].startswith("["):
            continue
        out.add((parts[0], message))
    return out
