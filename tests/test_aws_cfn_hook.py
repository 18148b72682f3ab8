"""The CloudFormation Lambda hook door: requests in the documented shapes ("Create Lambda
functions to evaluate resources for Lambda Hooks", CloudFormation Hooks User Guide: resource,
stack and change set inputs), answers in the documented shape; stack and change-set payloads
fetched from a loopback server standing in for S3 (allowed through the test-only
``CFHTTPS_HOOK_PAYLOAD_PREFIXES``; the fetch rules themselves are tested in
test_aws_hook_payload.py)."""

import json
import os

import pytest

from cfhttps_aws import cfn_hook
from conftest import ROOT
from test_aws_helpers import (StaticFiles, api_configs, cfn_properties, hook_event,  # noqa: F401
                              hook_findings, resource_hook_event, stack_hook_event)
from cfhttps_io.templates import parse_text
from rules import engine
from rules.sources import cloudformation

BAD_TEMPLATE = os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")
GOOD_TEMPLATE = os.path.join(ROOT, "examples", "good", "s3-rest-oac.yaml")


@pytest.fixture(autouse=True)
def no_settings(monkeypatch):
    monkeypatch.delenv("CFHTTPS_SETTINGS", raising=False)
    monkeypatch.setenv("CFHTTPS_HOOK_PAYLOAD_PREFIXES", "http://127.0.0.1:")


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def shape_ok(answer, token):
    assert set(answer) <= {"hookStatus", "errorCode", "message", "clientRequestToken"}
    assert answer["hookStatus"] in ("SUCCESS", "FAILED")
    assert answer["clientRequestToken"] == token
    assert len(answer["message"]) <= 4096
    if answer["hookStatus"] == "FAILED":
        assert answer["errorCode"] in ("NonCompliant", "InternalFailure")
    else:
        assert "errorCode" not in answer


# ------------------------------------------------------------------------ resource targets

def test_resource_create_non_compliant():
    props = cfn_properties(api_configs()[0])
    answer = cfn_hook.handler(resource_hook_event(props, token="tok-a"))
    shape_ok(answer, "tok-a")
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "NonCompliant")
    lines = answer["message"].splitlines()
    assert lines[0] == "cfhttps: 7 finding(s) at or above error:"
    assert lines[1].startswith("CFH001 [error] Cdn: cache behaviour #1 (*.php) has ViewerProtocolPolicy allow-all")
    assert {c for c, _ in hook_findings(answer)} >= {"CFH001", "CFH002", "CFH006", "CFH008", "CFH004"}


def test_resource_update_compliant_and_string_scalars():
    """Hooks hand over resolved properties with scalars as strings ("true", "443")."""
    props = cfn_properties(api_configs()[2], as_strings=True)
    answer = cfn_hook.handler(resource_hook_event(props, point="UPDATE_PRE_PROVISION", token="tok-b"))
    shape_ok(answer, "tok-b")
    assert answer["hookStatus"] == "SUCCESS" and answer["message"] == "cfhttps: no findings"


def test_warnings_pass_unless_fail_on_warning(monkeypatch):
    props = cfn_properties(api_configs()[1])
    answer = cfn_hook.handler(resource_hook_event(props))
    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"].startswith("cfhttps: no finding at or above error; 2 below it:")
    assert {c for c, _ in hook_findings(answer)} == {"CFH003", "CFH009"}
    monkeypatch.setenv("CFHTTPS_SETTINGS", json.dumps({"fail_on": "warning"}))
    answer = cfn_hook.handler(resource_hook_event(props))
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "NonCompliant")


def test_settings_use_the_shared_names(monkeypatch):
    props = cfn_properties(api_configs()[3])
    before = {c for c, _ in hook_findings(cfn_hook.handler(resource_hook_event(props)))}
    assert "CFH007" not in before
    monkeypatch.setenv("CFHTTPS_SETTINGS", json.dumps({"sensitive_paths": ["/login"],
                                                       "rules": {"CFH001": {"enabled": False}}}))
    after = {c for c, _ in hook_findings(cfn_hook.handler(resource_hook_event(props)))}
    assert "CFH007" in after and "CFH001" not in after


def test_bad_settings_are_an_internal_failure(monkeypatch):
    monkeypatch.setenv("CFHTTPS_SETTINGS", json.dumps({"minimum_protocol_version": "TLSv9", "fail_on": 3}))
    answer = cfn_hook.handler(resource_hook_event(cfn_properties(api_configs()[2])))
    shape_ok(answer, "tok-1")
    assert answer["errorCode"] == "InternalFailure"
    assert "minimum_protocol_version" in answer["message"] and "fail_on" in answer["message"]


def test_delete_and_other_types_are_not_judged():
    answer = cfn_hook.handler(resource_hook_event(cfn_properties(api_configs()[0]),
                                                  point="DELETE_PRE_PROVISION"))
    assert answer["hookStatus"] == "SUCCESS"
    other = hook_event({"targetName": "AWS::S3::Bucket", "targetType": "AWS::S3::Bucket",
                        "targetLogicalId": "B", "targetModel": {"resourceProperties": {}}})
    answer = cfn_hook.handler(other)
    assert answer["hookStatus"] == "SUCCESS" and "not a CloudFront distribution" in answer["message"]


def test_resource_model_behind_a_payload_url():
    props = cfn_properties(api_configs()[0])
    files = StaticFiles({"/model.json": json.dumps({"resourceProperties": props})})
    try:
        event = resource_hook_event(props, model=False)
        event["requestData"]["payload"] = files.url + "/model.json?X-Amz-Signature=abc"
        answer = cfn_hook.handler(event)
    finally:
        files.close()
    assert answer["errorCode"] == "NonCompliant"


# --------------------------------------------------------------------------- stack targets

@pytest.mark.parametrize("form", ["json-text", "yaml-text", "object"])
def test_stack_template_cross_resource_facts(form):
    """examples/bad reaches its website endpoint through Fn::GetAtt SiteBucket.WebsiteURL: only
    the whole template shows it is one (CFH002)."""
    text = read(BAD_TEMPLATE)
    doc, _ = parse_text(text)
    template = {"json-text": json.dumps(doc), "yaml-text": text, "object": doc}[form]
    payload = json.dumps({"template": template, "previousTemplate": None})
    files = StaticFiles({"/hooks/stack.json": payload})
    try:
        answer = cfn_hook.handler(stack_hook_event(files.url + "/hooks/stack.json?X-Amz-Expires=300"))
    finally:
        files.close()
    shape_ok(answer, "tok-2")
    assert answer["errorCode"] == "NonCompliant"
    found = hook_findings(answer)
    assert any(c == "CFH002" and "S3 website endpoint" in m for c, m in found)
    # exactly what the audit finds in the same template
    want = {(f.code, f.message) for f in engine.evaluate(cloudformation.distributions(doc)[0]).findings}
    assert found == want
    assert "Cdn:" in answer["message"]


def test_stack_template_clean():
    files = StaticFiles({"/s.json": json.dumps({"template": read(GOOD_TEMPLATE)})})
    try:
        answer = cfn_hook.handler(stack_hook_event(files.url + "/s.json", point="UPDATE_PRE_PROVISION"))
    finally:
        files.close()
    assert answer["hookStatus"] == "SUCCESS"


@pytest.mark.parametrize("files,path,expect", [
    ({}, "/missing.json", "HTTP 404"),
    ({"/x.json": "not json"}, "/x.json", "payload is not JSON"),
    ({"/x.json": json.dumps({"previousTemplate": "{}"})}, "/x.json", "no template"),
    ({"/x.json": json.dumps({"template": "Resources: [unclosed"})}, "/x.json", "template cannot be read"),
])
def test_stack_payload_problems_are_internal_failures(files, path, expect):
    server = StaticFiles(files)
    try:
        answer = cfn_hook.handler(stack_hook_event(server.url + path))
    finally:
        server.close()
    shape_ok(answer, "tok-2")
    assert answer["errorCode"] == "InternalFailure" and expect in answer["message"]


def test_non_http_payload_is_refused():
    answer = cfn_hook.handler(stack_hook_event("file:///etc/passwd"))
    assert answer["errorCode"] == "InternalFailure" and "not https" in answer["message"]


@pytest.mark.parametrize("event", [None, [], {}, {"requestData": 5, "actionInvocationPoint": "CREATE_PRE_PROVISION"},
                                   {"actionInvocationPoint": "CREATE_PRE_PROVISION",
                                    "requestData": {"targetName": "AWS::CloudFront::Distribution"}},
                                   {"actionInvocationPoint": "CREATE_PRE_PROVISION", "clientRequestToken": "t",
                                    "requestData": {"targetName": "AWS::CloudFront::Distribution",
                                                    "targetModel": {"resourceProperties": "x"}}}])
def test_garbage_never_raises(event):
    answer = cfn_hook.handler(event)
    assert answer["hookStatus"] == "FAILED" and answer["errorCode"] == "InternalFailure"


def test_long_messages_are_cut_at_4096():
    cfg = api_configs()[0]
    many = [dict(b, PathPattern=f"/p{i}/*") for i, b in enumerate(cfg["CacheBehaviors"]["Items"] * 40)]
    cfg = dict(cfg, CacheBehaviors={"Quantity": len(many), "Items": many})
    answer = cfn_hook.handler(resource_hook_event(cfn_properties(cfg)))
    assert answer["errorCode"] == "NonCompliant"
    assert len(answer["message"]) <= 4096 and answer["message"].rstrip().endswith("more")


# ------------------------------------------------- notes and distributions not evaluated

UNDECIDED_YAML = """\
Parameters:
  Policy: {Type: String}
  Origin: {Type: String}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: o
            DomainName: !Ref Origin
            CustomOriginConfig: {OriginProtocolPolicy: !Ref Policy}
        DefaultCacheBehavior: {TargetOriginId: o, ViewerProtocolPolicy: !Ref Policy}
        ViewerCertificate:
          AcmCertificateArn: !Sub "arn:${AWS::Partition}:acm:us-east-1:${AWS::AccountId}:certificate/x"
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
"""


def serve_stack(template_text, point="CREATE_PRE_PROVISION"):
    files = StaticFiles({"/s.json": json.dumps({"template": template_text, "previousTemplate": ""})})
    try:
        return cfn_hook.handler(stack_hook_event(files.url + "/s.json", point=point))
    finally:
        files.close()


def test_undecided_values_reach_the_message_and_decide_nothing():
    """Parameters without defaults decide the viewer and origin policies: the audit has notes
    for them; the hook says so instead of "no findings", and still answers SUCCESS."""
    doc, _ = parse_text(UNDECIDED_YAML)
    audit = engine.evaluate(cloudformation.distributions(doc)[0])
    assert audit.findings == [] and len(audit.notes) == 2
    answer = serve_stack(UNDECIDED_YAML)
    shape_ok(answer, "tok-2")
    assert answer["hookStatus"] == "SUCCESS"
    lines = answer["message"].splitlines()
    assert lines[0] == "cfhttps: no findings; 2 values could not be decided:"
    assert {line.split(" ", 1)[0] for line in lines[1:]} == {n.code for n in audit.notes}
    assert all("Cdn:" in line and "parameter Policy" in line for line in lines[1:])


def test_notes_follow_the_findings():
    text = UNDECIDED_YAML.replace("ViewerCertificate:", "ViewerCertificateX:")
    answer = serve_stack(text)
    assert answer["hookStatus"] == "SUCCESS"  # CFH009 (default certificate) is a warning
    lines = answer["message"].splitlines()
    assert lines[0] == "cfhttps: no finding at or above error; 1 below it:"
    assert lines[1].startswith("CFH009 [warning] Cdn:")
    assert lines[2] == "cfhttps: 2 values could not be decided:"
    assert {c for c, _ in hook_findings(answer)} == {"CFH009"}


@pytest.mark.parametrize("config", ["x", None, [], [{"Enabled": True}]], ids=repr)
def test_a_distribution_config_that_is_not_a_mapping_is_not_evaluated(config):
    event = resource_hook_event({"DistributionConfig": config}, token="tok-n")
    answer = cfn_hook.handler(event)
    shape_ok(answer, "tok-n")
    assert answer["hookStatus"] == "SUCCESS"
    assert answer["message"].startswith("cfhttps: not evaluated: Cdn: distribution config is ")
    assert "no findings" not in answer["message"]


def test_a_stack_with_one_unreadable_distribution_still_judges_the_others():
    bad = cfn_properties(api_configs()[0])
    doc = {"Resources": {"Broken": {"Type": "AWS::CloudFront::Distribution",
                                    "Properties": {"DistributionConfig": "x"}},
                         "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": bad}}}
    answer = serve_stack(json.dumps(doc))
    assert answer["errorCode"] == "NonCompliant"
    assert answer["message"].splitlines()[-1].startswith("cfhttps: not evaluated: Broken: ")
    assert all(m for c, m in hook_findings(answer))


def test_a_stack_without_distributions_has_nothing_to_judge():
    answer = serve_stack("Resources:\n  B: {Type: 'AWS::S3::Bucket'}\n")
    assert answer["hookStatus"] == "SUCCESS" and "nothing to judge" in answer["message"]


def test_notes_keep_their_place_when_findings_fill_the_message():
    cfg = api_configs()[0]
    many = [dict(b, PathPattern=f"/p{i}/*") for i, b in enumerate(cfg["CacheBehaviors"]["Items"] * 40)]
    props = cfn_properties(dict(cfg, CacheBehaviors={"Quantity": len(many), "Items": many}))
    props["DistributionConfig"]["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = {"Ref": "Policy"}
    doc = {"Parameters": {"Policy": {"Type": "String"}},
           "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": props}}}
    answer = serve_stack(json.dumps(doc))
    message = answer["message"]
    assert answer["errorCode"] == "NonCompliant" and len(message) <= 4096
    assert "\n+" in message and " more\n" in message  # the findings were cut …
    assert message.splitlines()[-2] == "cfhttps: 1 value could not be decided:"  # … the note was not
    assert "parameter Policy" in message.splitlines()[-1]


# ------------------------------------------------------------------- YAML and JSON stacks

SHORT_FORMS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev], Default: dev}
Mappings:
  Hosts: {prod: {Name: app.example.com}, dev: {Name: dev.example.com}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Comment: !Sub "${AWS::StackName} ${Env}"
        Origins:
          - Id: site
            DomainName: !Select [1, !Split ["//", !GetAtt Site.WebsiteURL]]
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
          - Id: app
            DomainName: !FindInMap [Hosts, !Ref Env, Name]
            CustomOriginConfig: {OriginProtocolPolicy: !If [IsProd, https-only, http-only]}
        DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}
        CacheBehaviors:
          - {PathPattern: /api/*, TargetOriginId: app, ViewerProtocolPolicy: allow-all}
        Logging: {Bucket: !ImportValue logs-bucket}
        WebACLId: !Base64 "x"
Outputs:
  Zones: {Value: !Select [0, !GetAZs ""]}
  Net: {Value: !Select [0, !Cidr ["10.0.0.0/16", 2, 8]]}
"""


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_yaml_short_forms_and_json_give_the_audits_answer(form):
    doc, _ = parse_text(SHORT_FORMS)
    text = SHORT_FORMS if form == "yaml" else json.dumps(doc)
    answer = serve_stack(text, point="UPDATE_PRE_PROVISION")
    shape_ok(answer, "tok-2")
    want = {(f.code, f.message + (f" (when {f.condition})" if f.condition else ""))
            for f in engine.evaluate(cloudformation.distributions(doc)[0]).findings}
    assert {"CFH001", "CFH002"} <= {c for c, _ in want} and any("when parameter Env" in m for _, m in want)
    assert answer["errorCode"] == "NonCompliant" and hook_findings(answer) == want


# --------------------------------------------------------------------- change set targets

def change_set_event(url, point="CREATE_PRE_PROVISION", token="tok-c"):
    data = {"targetName": "CHANGE_SET", "targetType": "CHANGE_SET",
            "targetLogicalId": "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1a2b",
            "payload": url}
    event = hook_event(data, point, token)
    event["changeSetId"] = data["targetLogicalId"]
    if point is None:
        del event["actionInvocationPoint"]  # the documented change-set input shape has none
    return event


def change(logical_id, action, rtype="AWS::CloudFront::Distribution", after=None, before=None):
    """One entry of ``changedResources`` as documented (contexts are JSON text, scalars strings)."""
    return {"logicalResourceId": logical_id, "resourceType": rtype, "action": action,
            "lineNumber": None if action == "DELETE" else 3,
            "beforeContext": json.dumps(before) if before is not None else None,
            "afterContext": json.dumps(after) if after is not None else None}


def two_distributions():
    bad = cfn_properties(api_configs()[0])
    good = cfn_properties(api_configs()[2])
    return {"Resources": {"Bad": {"Type": "AWS::CloudFront::Distribution", "Properties": bad},
                          "Good": {"Type": "AWS::CloudFront::Distribution", "Properties": good},
                          "Queue": {"Type": "AWS::SQS::Queue"}}}


def serve_change_set(doc, changes, point="CREATE_PRE_PROVISION"):
    files = StaticFiles({"/cs.json": json.dumps({"template": json.dumps(doc), "changedResources": changes})})
    try:
        return cfn_hook.handler(change_set_event(files.url + "/cs.json", point))
    finally:
        files.close()


@pytest.mark.parametrize("point", ["CREATE_PRE_PROVISION", None])
def test_change_set_judges_the_distributions_it_creates_or_updates(point):
    doc = two_distributions()
    answer = serve_change_set(doc, [change("Bad", "UPDATE", after={"Properties": {}}),
                                    change("Queue", "CREATE", rtype="AWS::SQS::Queue")], point)
    shape_ok(answer, "tok-c")
    assert answer["errorCode"] == "NonCompliant"
    want = {(f.code, f.message) for f in engine.evaluate(cloudformation.distributions(doc)[0]).findings
            if f.resource == "Bad"}
    assert hook_findings(answer) == want and "Bad:" in answer["message"]


def test_change_set_leaves_unchanged_and_deleted_distributions_alone():
    doc = two_distributions()
    answer = serve_change_set(doc, [change("Good", "CREATE", after={"Properties": {}}),
                                    change("Old", "DELETE", before={"Properties": {}})])
    assert answer["hookStatus"] == "SUCCESS" and "Bad" not in answer["message"]
    answer = serve_change_set(doc, [change("Queue", "DELETE", rtype="AWS::SQS::Queue"),
                                    change("Bad", "DELETE", before={"Properties": {}})])
    assert answer["hookStatus"] == "SUCCESS" and "nothing to judge" in answer["message"]


def test_change_set_naming_a_distribution_its_template_lacks():
    answer = serve_change_set(two_distributions(), [change("Ghost", "CREATE", after={"Properties": {}})])
    assert answer["hookStatus"] == "SUCCESS"
    assert "cfhttps: not evaluated: Ghost: " in answer["message"]


def test_change_set_payload_without_a_change_list_is_an_internal_failure():
    files = StaticFiles({"/cs.json": json.dumps({"template": "{}"})})
    try:
        answer = cfn_hook.handler(change_set_event(files.url + "/cs.json"))
    finally:
        files.close()
    assert answer["errorCode"] == "InternalFailure" and "changedResources" in answer["message"]


SUPPRESSED_YAML = """\
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Metadata:
      cfn-lint: {config: {ignore_checks: [E9101]}}
    Properties:
      DistributionConfig:
        Origins:
          - Id: o
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior: {TargetOriginId: o, ViewerProtocolPolicy: allow-all}
        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:1:certificate/x
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
"""


def test_resource_metadata_suppression_is_the_audits():
    """The suppression model of the audit and the cfn-lint door (rules/suppression.py): a
    resource's ``ignore_checks`` silences its rule in the hook too — it blocks nothing, and the
    message says what was silenced and why."""
    from rules import suppression
    doc, _ = parse_text(SUPPRESSED_YAML)
    audit = engine.evaluate(cloudformation.distributions(doc)[0])
    kept, gone = suppression.split(audit.findings, suppression.from_template(doc))
    assert {f.code for f, _ in gone} == {"CFH001"} and "CFH001" not in {f.code for f in kept}
    answer = serve_stack(SUPPRESSED_YAML)
    assert answer["hookStatus"] == "SUCCESS", answer["message"]
    assert "1 finding(s) suppressed by resource metadata" in answer["message"]
    assert "CFH001 Cdn:" in answer["message"]
    unsuppressed = serve_stack(SUPPRESSED_YAML.replace("ignore_checks: [E9101]", "ignore_checks: []"))
    assert unsuppressed["hookStatus"] == "FAILED"
    assert {c for c, _ in hook_findings(unsuppressed)} >= {"CFH001"}


def test_duplicate_keys_are_told_as_the_audit_tells_them():
    """A duplicate mapping key is an input note in the audit (cfhttps_io.templates); the hook
    tells it too, and it decides nothing by itself."""
    text = SUPPRESSED_YAML.replace("    Metadata:\n      cfn-lint: {config: {ignore_checks: [E9101]}}\n", "").replace(
        "ViewerProtocolPolicy: allow-all}", "ViewerProtocolPolicy: https-only}").replace(
        "          SslSupportMethod: sni-only\n",
        "          SslSupportMethod: sni-only\n          SslSupportMethod: vip\n")
    answer = serve_stack(text)
    assert answer["hookStatus"] == "SUCCESS", answer["message"]
    assert "SslSupportMethod" in answer["message"] and "could not be decided" in answer["message"]
