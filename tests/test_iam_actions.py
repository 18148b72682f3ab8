"""The deploy templates' IAM policies list exactly the CloudFront and Config actions the Config
rule's code calls (issue 21): the boto3 operations are found with ast in the modules the rule
runs (``cfhttps_io`` and ``cfhttps_aws/config_rule.py``) and named through botocore's own service
models (operation ``GetVpcOrigin`` ↔ method ``get_vpc_origin``), not from a list kept by hand."""

import ast
import os

import botocore.session
from botocore import xform_name

from cfhttps_io import cloudfront
from cfhttps_io.templates import parse_text
from conftest import ROOT

RULE_MODULES = [os.path.join(ROOT, "cfhttps_io", n) for n in sorted(os.listdir(os.path.join(ROOT, "cfhttps_io")))
                if n.endswith(".py")] + [os.path.join(ROOT, "cfhttps_aws", "config_rule.py")]


def operations(service):
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


def called_actions():
    ops = {"cloudfront": operations("cloudfront"), "config": operations("config")}
    found = set()
    for path in RULE_MODULES:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            names = [node.func.attr]
            if node.func.attr == "get_paginator" and node.args and isinstance(node.args[0], ast.Constant):
                names = [node.args[0].value]
            for name in names:
                # An operation both services have (ListTagsForResource) belongs to the service
                # the module talks to: cfhttps_io reads CloudFront only.
                services = ["cloudfront"] if os.sep + "cfhttps_io" + os.sep in path else list(ops)
                for service in services:
                    table = ops[service]
                    if name in table and not name.startswith(("get_paginator", "can_paginate")):
                        found.add(f"{service}:{table[name]}")
    return found


def policy_actions(template, logical_id=None):
    with open(os.path.join(ROOT, "deploy", template), encoding="utf-8") as fh:
        doc = parse_text(fh.read(), template)[0]
    out = set()
    for lid, res in doc["Resources"].items():
        if res["Type"] != "AWS::IAM::Role" or (logical_id and lid != logical_id):
            continue
        for policy in res["Properties"].get("Policies", []):
            for st in policy["PolicyDocument"]["Statement"]:
                acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
                out |= {a for a in acts if a.startswith(("cloudfront:", "config:"))}
    return out


def test_the_code_calls_what_the_policies_allow():
    called = called_actions()
    assert {"cloudfront:GetVpcOrigin", "cloudfront:GetResponseHeadersPolicy",
            "cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
            "cloudfront:ListTagsForResource", "config:PutEvaluations"} <= called
    assert {a for a in called if a.startswith("cloudfront:")} == set(cloudfront.IAM_ACTIONS)
    assert policy_actions("config-rule.yaml") == called
    assert policy_actions("member-role.yaml") == called
    assert policy_actions("organization-config-rule.yaml") == called
