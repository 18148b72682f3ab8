"""The CloudFormation Lambda hook door: requests in the documented shapes, answers in the
documented shape; stack payloads fetched from a loopback server standing in for S3."""

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
    ({}, "/missing.json", "HTTPError"),
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
    assert answer["errorCode"] == "InternalFailure" and "not an http(s) URL" in answer["message"]


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
