"""The ``cfhttps:ignore`` tag (rules/suppression.py): read in every dialect by the builder, and
heard alike by every door — the audit of each input kind, cfn-lint, the CloudFormation hook,
the Pulumi pack over gRPC, ``cfhttps audit --aws`` and the AWS Config rule (moto's server on
loopback answers ListTagsForResource). One distribution (viewer leg allow-all: CFH001; origin
allows TLSv1: CFH010) carries the tag in each door's own spelling; every door must suppress
the same codes and say the same thing about a name that is no rule."""

import json
import logging
import os
import subprocess
import sys

import pytest

from cfhttps_aws import cfn_hook, config_rule
from conftest import ROOT
from rules import engine, suppression
from rules.config import Config
from rules.model import NoteKind
from rules.sources import aws_api, aws_config, cloudformation, pulumi, terraform
from test_aws_helpers import (CREDS, aws_env, change_event, cloudfront_client,  # noqa: F401
                              config_shape, configuration_item, moto_server, oversized_event,
                              resource_hook_event, scheduled_event)

# tag value -> (codes suppressed, codes kept): CFH999 is no rule, so it suppresses nothing and
# each door says so in a note (code "suppression").
CASES = {"CFH001 CFH999": ({"CFH001"}, {"CFH010"}),
         "CFH999": (set(), {"CFH001", "CFH010"})}
ACM = "arn:aws:acm:us-east-1:111111111111:certificate/abc"
SSL = ["TLSv1", "TLSv1.2"]


def api_config(ref="legacy"):
    return {"CallerReference": ref, "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{
                "Id": "app", "DomainName": "app.example.com",
                "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                       "OriginProtocolPolicy": "https-only",
                                       "OriginSslProtocols": {"Quantity": 2, "Items": SSL}}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "allow-all",
                                     "ForwardedValues": {"QueryString": False,
                                                         "Cookies": {"Forward": "none"}},
                                     "MinTTL": 0},
            "ViewerCertificate": {"ACMCertificateArn": ACM, "SSLSupportMethod": "sni-only",
                                  "MinimumProtocolVersion": "TLSv1.2_2021"}}


def cfn_template(value):
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Legacy": {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Enabled": True,
                "Origins": [{"Id": "app", "DomainName": "app.example.com",
                             "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                    "OriginSSLProtocols": SSL}}],
                "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "allow-all",
                                         "ForwardedValues": {"QueryString": False}},
                "ViewerCertificate": {"AcmCertificateArn": ACM, "SslSupportMethod": "sni-only",
                                      "MinimumProtocolVersion": "TLSv1.2_2021"}},
            "Tags": [{"Key": "team", "Value": "web"}, {"Key": "cfhttps:ignore", "Value": value}]}}}}


def tf_body(value, tags_all=True):
    body = {"enabled": True,
            "origin": [{"origin_id": "app", "domain_name": "app.example.com",
                        "custom_origin_config": [{"http_port": 80, "https_port": 443,
                                                  "origin_protocol_policy": "https-only",
                                                  "origin_ssl_protocols": SSL}]}],
            "default_cache_behavior": [{"target_origin_id": "app",
                                        "viewer_protocol_policy": "allow-all",
                                        "allowed_methods": ["GET", "HEAD"],
                                        "cached_methods": ["GET", "HEAD"]}],
            "viewer_certificate": [{"acm_certificate_arn": ACM, "ssl_support_method": "sni-only",
                                    "minimum_protocol_version": "TLSv1.2_2021"}],
            "tags": {"cfhttps:ignore": value}}
    if tags_all:  # the provider's default tags join the resource's own in tags_all
        body["tags_all"] = {"cfhttps:ignore": value, "owner": "platform"}
    return body


def tf_plan(value):
    return {"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [{
        "address": "aws_cloudfront_distribution.legacy", "mode": "managed",
        "type": "aws_cloudfront_distribution", "name": "legacy",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": None, "after": tf_body(value),
                   "after_unknown": {}}}]}


TF_MODULE = """
variable "waiver" {
  type    = string
  default = "%s"
}

resource "aws_cloudfront_distribution" "legacy" {
  enabled = true
  origin {
    domain_name = "app.example.com"
    origin_id   = "app"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1", "TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn      = "%s"
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
  tags = {
    team             = "web"
    "cfhttps:ignore" = var.waiver
  }
}
"""


def pulumi_props(value):
    return {"origins": [{"originId": "app", "domainName": "app.example.com",
                         "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80,
                                                "httpsPort": 443, "originSslProtocols": SSL}}],
            "defaultCacheBehavior": {"targetOriginId": "app", "viewerProtocolPolicy": "allow-all",
                                     "allowedMethods": ["GET", "HEAD"],
                                     "cachedMethods": ["GET", "HEAD"]},
            "viewerCertificate": {"acmCertificateArn": ACM, "sslSupportMethod": "sni-only",
                                  "minimumProtocolVersion": "TLSv1.2_2021"},
            "tags": {"cfhttps:ignore": value}, "tagsAll": {"cfhttps:ignore": value}}


def stack_export(value):
    return {"version": 3, "deployment": {"manifest": {}, "resources": [{
        "urn": "urn:pulumi:dev::site::aws:cloudfront/distribution:Distribution::legacy",
        "type": "aws:cloudfront/distribution:Distribution", "id": "E2LEGACY",
        "inputs": pulumi_props(value), "outputs": pulumi_props(value)}]}}


def tag_noted(notes):
    """Did a note say that CFH999 suppresses nothing?"""
    return any(suppression.TAG_KEY in m and "'CFH999'" in m and "suppresses nothing" in m
               for m in notes)


# --------------------------------------------------------------------------- the model

def judged(dists, notes=()):
    """(suppressed codes, kept codes, the CFH999 note) of modelled distributions."""
    result = engine.evaluate(dists)
    tagged, tag_notes = suppression.by_tags(dists)
    kept, gone = suppression.split(result.findings, {}, tagged)
    said = [n.message for n in list(notes) + result.notes + tag_notes
            if n.code == suppression.NOTE_CODE]
    return {f.code for f, _ in gone}, {f.code for f in kept}, tag_noted(said)


@pytest.mark.parametrize("value", CASES)
def test_every_dialect_reads_the_tag_alike(value):
    want = CASES[value] + (True,)
    cfn = cloudformation.distributions(cfn_template(value))
    api = aws_api.distributions({"DistributionConfigWithTags": {
        "DistributionConfig": api_config(),
        "Tags": {"Items": [{"Key": "cfhttps:ignore", "Value": value}]}}})
    live = aws_api.distribution("E1", api_config(), tags=(
        {"Tags": {"Quantity": 1, "Items": [{"Key": "cfhttps:ignore", "Value": value}]}}, ()))
    item = configuration_item("E1", config_shape(api_config()))
    item["tags"] = {"cfhttps:ignore": value}
    recorded = aws_config.distribution("E1", item["configuration"], item=item)
    native = pulumi.distribution(pulumi.NATIVE_TYPE, {
        "distributionConfig": cloudformation.resources_of(cfn_template(value))[0]["Legacy"][
            "Properties"]["DistributionConfig"],
        "tags": [{"key": "cfhttps:ignore", "value": value}]}, "urn:native")
    classic = pulumi.distribution(pulumi.AWS_TYPE, pulumi_props(value), "urn:aws")
    plan = terraform.plan_distributions(tf_plan(value))
    for name, (dists, notes) in {"cfn": cfn, "api": api, "live": live, "config": recorded,
                                 "native": native, "pulumi-aws": classic, "plan": plan}.items():
        dists = dists if isinstance(dists, list) else [dists]
        assert judged(dists, notes) == want, name
    assert dict(cfn[0][0].tags) == {"team": "web", "cfhttps:ignore": value}
    assert plan[0][0].tags == {"cfhttps:ignore": value, "owner": "platform"}  # tags over tags_all


def notes_of(dist):
    return [(n.kind, n.message) for n in dist.notes if n.code == suppression.NOTE_CODE]


def test_an_unreadable_tag_suppresses_nothing_and_says_why():
    def model(tags):
        props = pulumi_props("")
        props.pop("tagsAll")
        props["tags"] = tags
        dist, _ = pulumi.distribution(pulumi.AWS_TYPE, props, "urn:x")
        return dist
    # a preview unknown: the value, or the whole tags map
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    for tags in ({"cfhttps:ignore": unknown}, unknown):
        dist = model(tags)
        assert dist.ignore == {} and [k for k, _ in notes_of(dist)] == [NoteKind.UNKNOWN_VALUE]
    # commas (not allowed in a CloudFront tag value), a case slip, a key in the wrong case
    dist = model({"cfhttps:ignore": "CFH001,CFH010 cfh003", "CFHTTPS:Ignore": "CFH009"})
    said = " | ".join(m for _, m in notes_of(dist))
    assert dist.ignore == {}
    assert "separate names with spaces" in said and "did you mean CFH003?" in said
    assert "'CFHTTPS:Ignore' is not cfhttps:ignore" in said
    # an empty value, a value that is not a string, a bad Tags shape
    for tags, says in (({"cfhttps:ignore": ""}, "is empty"), ({"cfhttps:ignore": 3}, "not a string"),
                       ("CFH001", "not a list or a mapping")):
        dist = model(tags)
        assert dist.ignore == {} and says in " ".join(m for _, m in notes_of(dist)), tags
    # cfn-lint ids work as codes do; several spaces and tabs separate as one
    dist = model({"cfhttps:ignore": " E9101\tW9110  "})
    assert set(dist.ignore) == {"CFH001", "CFH010"} and notes_of(dist) == []


def test_variants_must_agree_for_a_tag_to_suppress():
    template = cfn_template({"Fn::If": ["Prod", "CFH001", "CFH001 CFH010"]})
    template["Parameters"] = {"Env": {"Type": "String", "AllowedValues": ["prod", "dev"]}}
    template["Conditions"] = {"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}
    dists, _ = cloudformation.distributions(template)
    assert len(dists) == 2
    tagged, notes = suppression.by_tags(dists)
    assert tagged == {"Legacy": {"CFH001": "tag cfhttps:ignore CFH001"}}
    assert len(notes) == 1 and "CFH010 not suppressed" in notes[0].message


def test_metadata_and_tags_combine():
    template = cfn_template("CFH010")
    template["Resources"]["Legacy"]["Metadata"] = {"cfhttps": {"ignore": ["CFH001"]}}
    dists, _ = cloudformation.distributions(template)
    tagged, _ = suppression.by_tags(dists)
    kept, gone = suppression.split(engine.evaluate(dists).findings,
                                   suppression.from_template(template), tagged)
    assert kept == [] and {(f.code, why) for f, why in gone} == {
        ("CFH001", "Metadata cfhttps ignore CFH001"), ("CFH010", "tag cfhttps:ignore CFH010")}


# --------------------------------------------------------------------------- the doors

def cli(*args, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--format", "json",
                           "--quiet", "--no-config", *args], cwd=ROOT, env=e, capture_output=True,
                          text=True, timeout=600)
    return json.loads(proc.stdout)


def per_file(doc, key="file"):
    out = {}
    for f in doc["findings"]:
        out.setdefault(f[key], (set(), set(), []))[1].add(f["code"])
    for f in doc.get("suppressed", []):
        out.setdefault(f[key], (set(), set(), []))[0].add(f["code"])
        assert f["suppressed"]["justification"].startswith("tag cfhttps:ignore ")
    for n in doc["notes"]:
        out.setdefault(n[key], (set(), set(), []))[2].append(n["message"])
    return {k: (s, kept, tag_noted(notes)) for k, (s, kept, notes) in out.items()}


@pytest.mark.slow
@pytest.mark.parametrize("value", CASES)
def test_the_audit_hears_the_tag_in_every_input_kind(tmp_path, value):
    from cfhttps_io import terraform as tf_io
    files = {"template.json": cfn_template(value), "api.json": {"DistributionConfigWithTags": {
        "DistributionConfig": api_config(), "Tags": {"Items": [
            {"Key": "cfhttps:ignore", "Value": value}]}}},
        "plan.json": tf_plan(value), "export.json": stack_export(value)}
    for name, doc in files.items():
        (tmp_path / name).write_text(json.dumps(doc))
    if tf_io.parser_available():
        (tmp_path / "tf").mkdir()
        (tmp_path / "tf" / "main.tf").write_text(TF_MODULE % (value, ACM))
        files["tf/main.tf"] = None
    doc = cli(str(tmp_path))
    assert doc["errors"] == []
    got = per_file(doc)
    want = CASES[value] + (True,)
    assert {os.path.relpath(f, tmp_path): v for f, v in got.items()} == {f: want for f in files}
    assert doc["summary"]["suppressed"] == len(CASES[value][0]) * len(files)


def cfn_lint(path, *args):
    exe = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    proc = subprocess.run([exe, "-a", "cfn_rules", "-f", "json", *args, "--", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    return json.loads(proc.stdout or "[]")


@pytest.mark.slow
@pytest.mark.parametrize("value", CASES)
def test_cfn_lint_hears_the_tag(tmp_path, value):
    from rules.catalog import CATALOG
    by_id = {r.cfn_lint_id: c for c, r in CATALOG.items()}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(cfn_template(value), indent=1))
    matches = cfn_lint(path, "-c", "I9100")
    codes = {by_id[m["Rule"]["Id"]] for m in matches if m["Rule"]["Id"] in by_id}
    suppressed, kept = CASES[value]
    assert codes == kept
    assert tag_noted([m["Message"] for m in matches if m["Rule"]["Id"] == "I9100"])
    # the same template without the tag: every finding stands
    bare = cfn_template(value)
    bare["Resources"]["Legacy"]["Properties"]["Tags"] = []
    path.write_text(json.dumps(bare))
    assert {by_id[m["Rule"]["Id"]] for m in cfn_lint(path) if m["Rule"]["Id"] in by_id} == \
        suppressed | kept


@pytest.mark.parametrize("value", CASES)
def test_the_hook_hears_the_tag(value, monkeypatch):
    monkeypatch.delenv("CFHTTPS_SETTINGS", raising=False)
    props = cloudformation.resources_of(cfn_template(value))[0]["Legacy"]["Properties"]
    answer = cfn_hook.handler(resource_hook_event(props, logical_id="Legacy"))
    suppressed, kept = CASES[value]
    message = answer["message"]
    assert answer["hookStatus"] == ("FAILED" if "CFH001" in kept else "SUCCESS"), message
    for code in kept:
        assert f"{code} [" in message
    if suppressed:
        assert f"{len(suppressed)} finding(s) suppressed by resource metadata or tags" in message
        assert "CFH001 Legacy: tag cfhttps:ignore CFH001" in message
    assert "'CFH999'" in message and "suppresses nothing" in message
    judgement = cfn_hook.judge_template(cfn_template(value), Config(), "t")
    assert {f.code for f, _ in judgement.suppressed} == suppressed
    assert {f.code for f in judgement.findings} == kept


@pytest.mark.slow
def test_the_pulumi_pack_hears_the_tag(pack):
    from pulumi_harness import LEVEL_NAMES, capture
    from cfhttps_pulumi.pack import SUPPRESSED_POLICY
    from rules.catalog import CATALOG
    policy_code = {r.policy: c for c, r in CATALOG.items()}
    pack.configure({})
    program = os.path.join(ROOT, "tests", "pulumi_programs", "tagged_waiver.py")
    for value, (suppressed, kept) in CASES.items():
        captured = capture(program, ROOT, config={"proj:waiver": value})
        dists = [c for c in captured if c["type"] in pulumi.TYPES]
        assert len(dists) == 2  # pulumi-aws (tags map) and aws-native (Tags list)
        for d in dists:
            diags = pack.analyze(d["type"], d["name"], d["inputs"], d)
            violated = {policy_code[x.policyName] for x in diags if x.policyName in policy_code}
            assert violated == kept, (value, d["type"])
            advisory = [x for x in diags if x.policyName == SUPPRESSED_POLICY]
            assert all(LEVEL_NAMES[x.enforcementLevel] == "advisory" for x in advisory)
            listed = {x.message.splitlines()[-1].split(" ", 1)[0] for x in advisory
                      if " suppressed by tag " in x.message}
            assert listed == suppressed, (value, d["type"])
            assert tag_noted([x.message for x in advisory]), (value, d["type"])


def moto_distribution(cf, value):
    return cf.create_distribution_with_tags(DistributionConfigWithTags={
        "DistributionConfig": api_config(f"ref-{value}"),
        "Tags": {"Items": [{"Key": "cfhttps:ignore", "Value": value}]}})["Distribution"]


def logged(caplog):
    out = {}
    for record in caplog.records:
        text = record.getMessage()
        if text.startswith("cfhttps: evaluated "):
            doc = json.loads(text[len("cfhttps: evaluated "):])
            out[doc["resource"]] = ({s[0] for s in doc["suppressed"]},
                                    {f[0] for f in doc["findings"]},
                                    tag_noted([n[2] for n in doc["notes"]]))
    return out


@pytest.mark.slow
def test_the_live_audit_and_the_config_rule_hear_the_tag(aws_env, moto_server, caplog):
    aws_env("CLOUDFRONT", moto_server)
    aws_env("CONFIG_SERVICE", moto_server)
    cf = cloudfront_client(moto_server)
    ids = {moto_distribution(cf, value)["Id"]: value for value in CASES}
    doc = cli("--aws", "--endpoint-url", moto_server, env={**CREDS, "AWS_MAX_ATTEMPTS": "1"})
    assert doc["errors"] == []
    want = per_file(doc, "resource")
    for dist_id, value in ids.items():
        suppressed, kept, noted = want[dist_id]
        # (moto 5.2 returns the default certificate whatever was sent: CFH009 may stand too)
        assert suppressed == CASES[value][0] and kept >= CASES[value][1] and noted, dist_id
        assert not kept & suppressed
    caplog.set_level(logging.INFO, logger="cfhttps.config_rule")
    scheduled = {e["ComplianceResourceId"]: e for e in config_rule.handler(scheduled_event())}
    assert logged(caplog) == want
    for dist_id, value in ids.items():
        annotation = scheduled[dist_id].get("Annotation", "")
        assert scheduled[dist_id]["ComplianceType"] == (
            "NON_COMPLIANT" if "CFH001" in CASES[value][1] else "COMPLIANT")
        if CASES[value][0]:
            assert "1 suppressed by tag: CFH001" in annotation
        caplog.clear()
        (ev,) = config_rule.handler(oversized_event(dist_id))
        assert logged(caplog) == {dist_id: want[dist_id]}
        assert ev.get("Annotation") == scheduled[dist_id].get("Annotation")
        # a change notification: the configuration item records the tags itself
        caplog.clear()
        item = configuration_item(dist_id, config_shape(
            cf.get_distribution_config(Id=dist_id)["DistributionConfig"]))
        item["tags"] = {"cfhttps:ignore": value}
        (ev,) = config_rule.handler(change_event(item))
        assert logged(caplog) == {dist_id: want[dist_id]}
        assert ev.get("Annotation") == scheduled[dist_id].get("Annotation")
