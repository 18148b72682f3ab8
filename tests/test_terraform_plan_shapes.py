"""More plan JSON shapes (``terraform show -json``, HashiCorp "JSON Output Format"), written by
hand for these tests with the expected findings decided from the plan before running cfhttps:
nested module calls with ``for_each`` keys, website endpoints known only through the
configuration's references, every change action (create, delete, replace, update, no-op, read),
related resources (VPC origin, OAC) followed by reference, a resource only in planned_values."""

import copy
import json
import os

import pytest

from rules import config, engine
from rules.sources import terraform

PLANS = os.path.join(os.path.dirname(__file__), "terraform", "plan")


def judge(name, mutate=None):
    with open(os.path.join(PLANS, name), encoding="utf-8") as fh:
        plan = json.load(fh)
    if mutate:
        mutate(plan)
    dists, notes = terraform.plan_distributions(plan, name)
    result = engine.evaluate(dists, config.from_mapping({})[0])
    found = {}
    for d in dists:
        found[d.name] = set()
    for f in result.findings:
        found[f.resource].add((f.code, terraform.render_path(f.path)))
    return found, notes + list(result.notes)


PROD = 'module.edge["prod"].module.cdn.aws_cloudfront_distribution.this'
DEV = 'module.edge["dev"].module.cdn.aws_cloudfront_distribution.this'


def test_nested_module_instances_and_website_endpoints_by_reference():
    found, notes = judge("nested_for_each.json")
    assert found == {
        # domain_name unknown; the configuration of module cdn refers to the website endpoint.
        PROD + '["eu"]': {("CFH002", "origin[0].custom_origin_config.origin_protocol_policy")},
        PROD + '["us"]': {("CFH003", "origin[0].custom_origin_config.origin_protocol_policy")},
        # Replaced (delete then create): judged as planned; its domain is known, not a website.
        DEV + '["eu"]': {("CFH010", "origin[0].custom_origin_config.origin_ssl_protocols")},
    }


def test_without_the_configuration_an_unknown_domain_is_not_guessed():
    found, notes = judge("nested_for_each.json", lambda p: p.pop("configuration"))
    assert found[PROD + '["eu"]'] == set()
    assert any("DomainName unknown" in n.message or "unknown" in n.message for n in notes
               if n.resource == PROD + '["eu"]')


def test_every_change_action():
    found, notes = judge("actions.json")
    assert found == {
        "aws_cloudfront_distribution.kept": {  # a no-op is what exists
            ("CFH001", "default_cache_behavior.viewer_protocol_policy"),
            ("CFH009", "viewer_certificate.cloudfront_default_certificate")},
        "aws_cloudfront_distribution.fixed": set(),  # judged on after, not before
        "aws_cloudfront_distribution.tagged": {
            ("CFH004", "default_cache_behavior.viewer_protocol_policy")},
        "aws_cloudfront_distribution.pool[0]": {("CFH012", "origin[0].s3_origin_config.origin_access_identity")},
        "aws_cloudfront_distribution.pool[1]": {("CFH012", "origin[0].s3_origin_config.origin_access_identity")},
    }
    assert [n.resource for n in notes if "deleted by this plan" in n.message] == \
        ["aws_cloudfront_distribution.old"]


def test_related_resources_by_reference_and_planned_values_only():
    found, notes = judge("references.json")
    app = found["aws_cloudfront_distribution.app"]
    assert ("CFH002", "origin[0].custom_origin_config.origin_protocol_policy") in app
    assert any(code == "CFH003" and "vpc_origin_endpoint_config" in path for code, path in app)
    assert {code for code, _ in app} == {"CFH002", "CFH003"}  # the OAC reference counts as set
    assert {code for code, _ in found["aws_cloudfront_distribution.static"]} == \
        {"CFH001", "CFH009"}


def test_the_vpc_origin_policy_decides():
    def https(plan):
        for rc in plan["resource_changes"]:
            if rc["type"] == "aws_cloudfront_vpc_origin":
                rc["change"]["after"]["vpc_origin_endpoint_config"][0][
                    "origin_protocol_policy"] = "https-only"
    found, _ = judge("references.json", https)
    assert {code for code, _ in found["aws_cloudfront_distribution.app"]} == {"CFH002"}


@pytest.mark.parametrize("name", ["nested_for_each.json", "actions.json", "references.json"])
def test_plans_survive_damage(name):
    """Bad shapes in any part give notes or nothing, never an exception."""
    with open(os.path.join(PLANS, name), encoding="utf-8") as fh:
        plan = json.load(fh)
    for rc in plan["resource_changes"]:
        broken = copy.deepcopy(plan)
        target = [r for r in broken["resource_changes"] if r["address"] == rc["address"]][0]
        target["change"]["after_unknown"] = ["not", "a", "map"]
        target["change"]["after"] = {"origin": "text", "default_cache_behavior": [None]}
        terraform.plan_distributions(broken, name)
