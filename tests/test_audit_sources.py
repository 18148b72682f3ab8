"""The governance door: API JSON, stack exports, SARIF/Markdown reports, progress, live AWS
(moto's server on loopback for the happy path, a loopback stub for the faults)."""

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from cloudfront_stub import Stub
from conftest import ROOT
from rules.catalog import CATALOG

pytestmark = pytest.mark.slow  # runs the cfhttps command in subprocesses, against moto servers

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def run(*args, env=None, cwd=ROOT):
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


API_CONFIG = {
    "CallerReference": "r", "Enabled": True,
    "Origins": {"Quantity": 1, "Items": [{"Id": "site", "DomainName": "b.s3-website-us-east-1.amazonaws.com",
                "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "match-viewer",
                                       "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
    "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all",
                             "AllowedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"],
                                                "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}}},
    "CacheBehaviors": {"Quantity": 2, "Items": [
        {"PathPattern": "*.php", "TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all"},
        {"PathPattern": "admin/*", "TargetOriginId": "site", "ViewerProtocolPolicy": "https-only"}]},
    "OriginGroups": {"Quantity": 0},
    "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"},
}
EXPECTED = {"CFH001", "CFH002", "CFH003", "CFH006", "CFH009"}


@pytest.mark.parametrize("shape", ["get-distribution-config", "get-distribution", "list-distributions", "bare"])
def test_api_json_shapes(tmp_path, shape):
    doc = {"get-distribution-config": {"ETag": "E1", "DistributionConfig": API_CONFIG},
           "get-distribution": {"Distribution": {"Id": "EDFDVBD6EXAMPLE", "DistributionConfig": API_CONFIG}},
           "list-distributions": {"DistributionList": {"Items": [dict(API_CONFIG, Id="EDFDVBD6EXAMPLE")]}},
           "bare": API_CONFIG}[shape]
    p = tmp_path / "api.json"
    p.write_text(json.dumps(doc))
    rc, out, err = run("audit", str(p), "--format", "json")
    doc = json.loads(out)
    assert rc == 1, err
    assert {f["code"] for f in doc["findings"]} == EXPECTED
    if shape in ("get-distribution", "list-distributions"):
        assert {f["resource"] for f in doc["findings"]} == {"EDFDVBD6EXAMPLE"}


def test_same_findings_through_every_source(tmp_path):
    """The same distribution as a template, an API document and a stack export: same codes."""
    cfn = {"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
        "Origins": [{"Id": "site", "DomainName": "b.s3-website-us-east-1.amazonaws.com",
                     "CustomOriginConfig": {"OriginProtocolPolicy": "match-viewer", "OriginSSLProtocols": ["TLSv1.2"]}}],
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all"},
        "CacheBehaviors": [{"PathPattern": "*.php", "TargetOriginId": "site", "ViewerProtocolPolicy": "allow-all"},
                           {"PathPattern": "admin/*", "TargetOriginId": "site", "ViewerProtocolPolicy": "https-only"}],
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True}}}}}}
    export = {"version": 3, "deployment": {"resources": [
        {"urn": "urn:pulumi:dev::p::aws:cloudfront/distribution:Distribution::cdn",
         "type": "aws:cloudfront/distribution:Distribution",
         "inputs": {}, "outputs": {
             "origins": [{"originId": "site", "domainName": "b.s3-website-us-east-1.amazonaws.com",
                          "customOriginConfig": {"originProtocolPolicy": "match-viewer", "originSslProtocols": ["TLSv1.2"],
                                                 "httpPort": 80, "httpsPort": 443}}],
             "defaultCacheBehavior": {"targetOriginId": "site", "viewerProtocolPolicy": "allow-all"},
             "orderedCacheBehaviors": [
                 {"pathPattern": "*.php", "targetOriginId": "site", "viewerProtocolPolicy": "allow-all"},
                 {"pathPattern": "admin/*", "targetOriginId": "site", "viewerProtocolPolicy": "https-only"}],
             "viewerCertificate": {"cloudfrontDefaultCertificate": True}}},
        {"urn": "urn:pulumi:dev::p::aws-native:cloudfront:Distribution::native",
         "type": "aws-native:cloudfront:Distribution", "outputs": {},
         "inputs": {"distributionConfig": {
             "origins": [{"id": "site", "domainName": "b.s3-website-us-east-1.amazonaws.com",
                          "customOriginConfig": {"originProtocolPolicy": "match-viewer", "originSslProtocols": ["TLSv1.2"]}}],
             "defaultCacheBehavior": {"targetOriginId": "site", "viewerProtocolPolicy": "allow-all"},
             "cacheBehaviors": [{"pathPattern": "*.php", "targetOriginId": "site", "viewerProtocolPolicy": "allow-all"},
                                {"pathPattern": "admin/*", "targetOriginId": "site", "viewerProtocolPolicy": "https-only"}],
             "viewerCertificate": {"cloudFrontDefaultCertificate": True}}}}]}}
    (tmp_path / "t.json").write_text(json.dumps(cfn))
    (tmp_path / "api.json").write_text(json.dumps({"DistributionConfig": API_CONFIG}))
    (tmp_path / "stack.json").write_text(json.dumps(export))
    rc, out, _ = run("audit", str(tmp_path), "--format", "json")
    doc = json.loads(out)
    by_resource = {}
    for f in doc["findings"]:
        by_resource.setdefault(f["resource"], set()).add(f["code"])
    assert len(by_resource) == 4
    assert all(codes == EXPECTED for codes in by_resource.values()), by_resource


def test_unknown_json_shape_and_truncated(tmp_path):
    (tmp_path / "odd.json").write_text('{"hello": 1}')
    (tmp_path / "cut.json").write_text('{"DistributionConfig": {"Origins": ')
    rc, out, _ = run("audit", str(tmp_path / "odd.json"), str(tmp_path / "cut.json"), "--format", "json")
    doc = json.loads(out)
    assert rc == 2
    msgs = {os.path.basename(e["file"]): e["message"] for e in doc["errors"]}
    assert "stack export" in msgs["odd.json"] and "get-distribution-config" in msgs["odd.json"]
    assert msgs["cut.json"].startswith("invalid JSON")
    rc, out, _ = run("audit", str(tmp_path / "odd.json"), "--input-kind", "api", "--format", "json")
    assert rc == 2 and "not a CloudFront API document" in json.loads(out)["errors"][0]["message"]


def test_api_config_missing_fields(tmp_path):
    p = tmp_path / "partial.json"
    p.write_text(json.dumps({"DistributionConfig": {"Origins": {"Quantity": 1},
                                                    "DefaultCacheBehavior": {"ViewerProtocolPolicy": "allow-all"}}}))
    rc, out, err = run("audit", str(p), "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and "CFH001" in {f["code"] for f in doc["findings"]} and "Traceback" not in err


def test_sarif_is_valid_and_stable():
    with open(os.path.join(ROOT, "tests", "schemas", "sarif-2.1.0-rtm.5.json")) as fh:
        schema = json.load(fh)
    rc, out1, _ = run("audit", "examples/", "--format", "sarif")
    rc, out2, _ = run("audit", "examples/", "--format", "sarif")
    doc = json.loads(out1)
    jsonschema.validate(doc, schema)
    run0 = doc["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CATALOG)
    assert rules[5]["helpUri"] == CATALOG["CFH006"].url and rules[5]["defaultConfiguration"]["level"] == "error"
    res = run0["results"]
    assert res and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in res)
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in res)
    fps = [r["partialFingerprints"]["cfhttps/v2"] for r in res]
    assert len(set(fps)) == len(fps)
    assert fps == [r["partialFingerprints"]["cfhttps/v2"] for r in json.loads(out2)["runs"][0]["results"]]


def test_sarif_for_api_input_uses_logical_locations(tmp_path):
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"Distribution": {"Id": "EABC", "DistributionConfig": API_CONFIG}}))
    rc, out, _ = run("audit", str(p), "--format", "sarif")
    res = json.loads(out)["runs"][0]["results"]
    assert res and all(r["locations"][0]["logicalLocations"][0]["name"] == "EABC" for r in res)


def test_markdown_summary():
    rc, out, _ = run("audit", "examples/", "--format", "markdown")
    assert "## Totals per rule" in out and "| [CFH006](" in out
    assert "### Cdn — `examples/bad/website-and-order.yaml`" in out and "`/admin/a.php`" in out


def test_progress_bar_only_on_a_terminal(tmp_path):
    import pty
    rc, out, err = run("audit", "examples/")
    assert "\r" not in err and err == ""
    master, slave = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "examples/"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    data = b""
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    os.close(master)
    from cfhttps_cli.inputs import EXTENSIONS
    n = sum(f.endswith(EXTENSIONS) for _, _, fs in os.walk(os.path.join(ROOT, "examples")) for f in fs)
    assert f"{n}/{n} files".encode() in data and f"1/{n} files".encode() in data
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "examples/", "-q"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    assert proc.stderr == b""


def test_github_actions_example():
    import yaml
    with open(os.path.join(ROOT, "examples", "github-actions.yml")) as fh:
        wf = yaml.safe_load(fh)
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    text = json.dumps(steps)
    assert "cfhttps audit" in text and "--format sarif" in text and "upload-sarif" in text


# ------------------------------------------------------------------------------------ live AWS

@pytest.fixture
def moto_server():
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    # moto's backends live in the process, not in the server: start empty whatever ran before
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST"), timeout=30).read()
    yield url
    server.stop()


CREDS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": SECRET,
         "AWS_DEFAULT_REGION": "us-east-1"}


def test_live_audit_against_moto(moto_server):
    import boto3
    cf = boto3.client("cloudfront", endpoint_url=moto_server, region_name="us-east-1",
                      aws_access_key_id=CREDS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=SECRET)
    ids = []
    for i in range(3):
        cfg = json.loads(json.dumps(API_CONFIG))
        cfg["CallerReference"] = f"r{i}"
        for b in [cfg["DefaultCacheBehavior"]] + cfg["CacheBehaviors"]["Items"]:
            b.setdefault("ForwardedValues", {"QueryString": False, "Cookies": {"Forward": "none"}})
            b.setdefault("MinTTL", 0)
        cfg["Comment"] = ""
        ids.append(cf.create_distribution(DistributionConfig=cfg)["Distribution"]["Id"])
    rc, out, err = run("audit", "--aws", "--endpoint-url", moto_server, "--format", "json", env=CREDS)
    doc = json.loads(out)
    assert rc == 1, err
    assert {f["resource"] for f in doc["findings"]} == set(ids)
    for i in ids:
        assert {f["code"] for f in doc["findings"] if f["resource"] == i} == EXPECTED
    assert doc["summary"]["inputs"] == 3 and doc["errors"] == []
    assert SECRET not in out + err


def test_live_no_credentials():
    env = {"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
    stub = Stub("deleted")
    try:
        rc, out, err = run("audit", "--aws", "--endpoint-url", stub.url, "--format", "json", env=env)
    finally:
        stub.close()
    doc = json.loads(out)
    assert rc == 2 and "no AWS credentials" in doc["errors"][0]["message"] and "Traceback" not in err


@pytest.mark.parametrize("mode,expect", [("denied", "AccessDenied"), ("throttle", "throttled")])
def test_live_access_denied_and_throttling(mode, expect):
    stub = Stub(mode)
    try:
        rc, out, err = run("audit", "--aws", "--endpoint-url", stub.url, "--format", "json",
                           env={**CREDS, "AWS_MAX_ATTEMPTS": "3"})
    finally:
        stub.close()
    doc = json.loads(out)
    assert rc == 2 and expect in doc["errors"][0]["message"]
    if mode == "throttle":
        assert stub.calls >= 3  # boto3 standard retry mode retried before giving up
    assert SECRET not in out + err and "Traceback" not in err


def test_live_deleted_mid_run_and_pagination():
    stub = Stub("deleted")
    try:
        rc, out, err = run("audit", "--aws", "--endpoint-url", stub.url, "--format", "json", env=CREDS)
    finally:
        stub.close()
    doc = json.loads(out)
    assert rc == 2
    assert [e["file"] for e in doc["errors"]] == ["aws/E2"] and "deleted" in doc["errors"][0]["message"]
    assert {f["resource"] for f in doc["findings"]} == {"E1", "E3"}  # both pages were read
