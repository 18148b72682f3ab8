"""Terraform plan JSON (``terraform show -json``) as a source: the fixture is written by hand in
HashiCorp's documented "JSON Output Format" (resource_changes with after/after_unknown,
planned_values, configuration with references)."""

import copy
import json
import os

import pytest

from rules import config, engine
from rules.sources import terraform
from rules.model import NoteKind

HERE = os.path.dirname(__file__)
PLAN = os.path.join(HERE, "terraform", "plan", "mixed.json")
EU = 'module.cdn.aws_cloudfront_distribution.this["eu"]'


def load():
    with open(PLAN, encoding="utf-8") as fh:
        return json.load(fh)


def judge(plan, **settings):
    dists, notes = terraform.plan_distributions(plan, "plan.json")
    cfg = config.from_mapping(settings)[0]
    result = engine.evaluate(dists, cfg)
    found = {(f.code, f.resource, terraform.render_path(f.path)) for f in result.findings}
    return dists, notes + list(result.notes), found


def test_addresses_paths_and_codes():
    dists, notes, found = judge(load())
    assert {d.name for d in dists} == {EU, "aws_cloudfront_distribution.web"}
    assert ("CFH001", EU, "default_cache_behavior.viewer_protocol_policy") in found
    # domain_name unknown in the plan, but the configuration refers to a website endpoint.
    assert ("CFH002", EU, "origin[0].custom_origin_config.origin_protocol_policy") in found
    assert ("CFH004", EU, "ordered_cache_behavior[0].viewer_protocol_policy") in found
    assert ("CFH009", EU, "viewer_certificate.cloudfront_default_certificate") in found
    # The no-op distribution is what exists: judged, and clean on these rules.
    assert not [f for f in found if f[1] == "aws_cloudfront_distribution.web"]
    # OAC id unknown but a reference to an aws_cloudfront_origin_access_control: configured.
    assert not [f for f in found if f[0] == "CFH012"]


def test_delete_is_a_note_not_a_judgement():
    dists, notes, found = judge(load())
    assert "aws_cloudfront_distribution.legacy" not in {d.name for d in dists}
    deleted = [n for n in notes if n.resource == "aws_cloudfront_distribution.legacy"]
    assert deleted and deleted[0].kind == NoteKind.INPUT and "deleted" in deleted[0].message


def test_headers_policy_followed_through_configuration():
    _, _, found = judge(load(), require_hsts=True)
    # /api/* names the policy resource (max-age 300 < one year): judged from its planned values.
    assert ("CFH011", EU, "ordered_cache_behavior[0].response_headers_policy_id") in found
    plan = load()
    hsts = plan["resource_changes"][1]["change"]["after"]
    hsts["security_headers_config"][0]["strict_transport_security"][0][
        "access_control_max_age_sec"] = 63072000
    _, _, found = judge(plan, require_hsts=True)
    assert ("CFH011", EU, "ordered_cache_behavior[0].response_headers_policy_id") not in found


def test_unknown_domain_without_a_website_reference_is_not_guessed():
    plan = load()
    cfg = plan["configuration"]["root_module"]["module_calls"]["cdn"]["module"]["resources"][0]
    cfg["expressions"]["origin"][0]["domain_name"] = {"references": ["var.site_host"]}
    dists, notes, found = judge(plan)
    assert not [f for f in found if f[0] == "CFH002"]
    origin = [o for d in dists if d.name == EU for o in d.origins if o.id == "site"][0]
    assert type(origin.domain).__name__ == "Unknown"


def test_rest_endpoint_reference_without_oac():
    plan = load()
    rc = plan["resource_changes"][0]["change"]
    rc["after_unknown"]["origin"][2] = {"domain_name": True, "s3_origin_config": [{}]}
    rc["after"]["origin"][2]["domain_name"] = None
    cfg = plan["configuration"]["root_module"]["module_calls"]["cdn"]["module"]["resources"][0]
    cfg["expressions"]["origin"][2] = {"domain_name": {"references": [
        "aws_s3_bucket.assets.bucket_regional_domain_name", "aws_s3_bucket.assets"]}}
    _, _, found = judge(plan)
    assert ("CFH012", EU, "origin[2].s3_origin_config") in found


def test_planned_values_fallback_and_vpc_origin():
    vpc_values = {"vpc_origin_endpoint_config": [{
        "arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/x/1",
        "http_port": 80, "https_port": 443, "name": "alb", "origin_protocol_policy": "https-only",
        "origin_ssl_protocols": [{"items": ["TLSv1", "TLSv1.2"], "quantity": 2}]}]}
    dist_values = {
        "origin": [{"origin_id": "alb", "domain_name": "internal.example.com",
                    "custom_origin_config": [], "s3_origin_config": [],
                    "vpc_origin_config": [{"vpc_origin_id": None}]}],
        "default_cache_behavior": [{"target_origin_id": "alb", "viewer_protocol_policy": "https-only",
                                    "allowed_methods": ["GET", "HEAD"]}],
        "viewer_certificate": [{"acm_certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x",
                                "minimum_protocol_version": "TLSv1.2_2021"}]}
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_cloudfront_vpc_origin.alb", "mode": "managed",
         "type": "aws_cloudfront_vpc_origin", "name": "alb", "values": vpc_values},
        {"address": "aws_cloudfront_distribution.internal", "mode": "managed",
         "type": "aws_cloudfront_distribution", "name": "internal", "values": dist_values}]}},
        "configuration": {"root_module": {"resources": [
            {"address": "aws_cloudfront_distribution.internal", "mode": "managed",
             "type": "aws_cloudfront_distribution", "name": "internal", "expressions": {
                 "origin": [{"vpc_origin_config": [{"vpc_origin_id": {"references": [
                     "aws_cloudfront_vpc_origin.alb.id", "aws_cloudfront_vpc_origin.alb"]}}]}]}}]}}}
    # vpc_origin_id is null in planned_values (unknown until apply): the reference decides.
    plan["planned_values"]["root_module"]["resources"][1]["values"]["origin"][0][
        "vpc_origin_config"][0]["vpc_origin_id"] = None
    dists, notes, found = judge(plan)
    assert [d.name for d in dists] == ["aws_cloudfront_distribution.internal"]
    origin = dists[0].origins[0]
    assert origin.kind == "vpc"
    # null is not an unknown in planned_values: the reference is not followed without one.
    assert origin.vpc_origin is None


def test_vpc_origin_through_after_unknown():
    plan = {"format_version": "1.2", "resource_changes": [
        {"address": "aws_cloudfront_vpc_origin.alb", "mode": "managed",
         "type": "aws_cloudfront_vpc_origin", "name": "alb", "change": {"actions": ["create"],
            "after": {"vpc_origin_endpoint_config": [{"origin_protocol_policy": "https-only",
                      "origin_ssl_protocols": [{"items": ["TLSv1", "TLSv1.2"], "quantity": 2}]}]},
            "after_unknown": {"id": True}}},
        {"address": "aws_cloudfront_distribution.internal", "mode": "managed",
         "type": "aws_cloudfront_distribution", "name": "internal", "change": {
            "actions": ["create"], "after": {
                "origin": [{"origin_id": "alb", "domain_name": "internal.example.com",
                            "vpc_origin_config": [{}]}],
                "default_cache_behavior": [{"target_origin_id": "alb",
                                            "viewer_protocol_policy": "https-only",
                                            "allowed_methods": ["GET", "HEAD"]}],
                "viewer_certificate": [{"acm_certificate_arn": "arn:aws:acm:us-east-1:1:c/x",
                                        "minimum_protocol_version": "TLSv1.2_2021"}]},
            "after_unknown": {"origin": [{"vpc_origin_config": [{"vpc_origin_id": True}]}]}}}],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_cloudfront_distribution.internal", "mode": "managed",
             "type": "aws_cloudfront_distribution", "name": "internal", "expressions": {
                 "origin": [{"vpc_origin_config": [{"vpc_origin_id": {"references": [
                     "aws_cloudfront_vpc_origin.alb.id", "aws_cloudfront_vpc_origin.alb"]}}]}]}}]}}}
    dists, notes, found = judge(plan)
    origin = dists[0].origins[0]
    assert origin.vpc_origin == "aws_cloudfront_vpc_origin.alb"
    assert origin.ssl_protocols == ("TLSv1", "TLSv1.2")
    assert ("CFH010", "aws_cloudfront_distribution.internal", "aws_cloudfront_vpc_origin.alb"
            ".vpc_origin_endpoint_config.origin_ssl_protocols") in found


@pytest.mark.parametrize("doc", [
    {"format_version": "1.2"}, {"resource_changes": []}, [], "x", None,
])
def test_not_a_plan(doc):
    assert not terraform.looks_like_plan(doc)
    with pytest.raises(terraform.PlanError):
        terraform.plan_distributions(doc)


def test_hostile_shapes_never_raise():
    plan = load()
    for bad in (None, 7, "x", [], [None], {"change": None}, {"change": {"after": 5}},
                {"type": "aws_cloudfront_distribution", "change": {"actions": ["create"],
                 "after": {"origin": "nope", "default_cache_behavior": [[]]},
                 "after_unknown": [True]}}):
        p = copy.deepcopy(plan)
        p["resource_changes"].append(bad)
        judge(p)
    deep = {}
    node = deep
    for _ in range(500):
        node["origin"] = [{}]
        node = node["origin"][0]
    p = copy.deepcopy(plan)
    p["resource_changes"].append({"address": "aws_cloudfront_distribution.deep",
                                  "type": "aws_cloudfront_distribution", "name": "deep",
                                  "change": {"actions": ["create"], "after": deep,
                                             "after_unknown": deep}})
    judge(p)


def test_module_of_and_render_path():
    assert terraform._module_of('module.a["x.y"].module.b.aws_s3_bucket.z[0]') == \
        'module.a["x.y"].module.b'
    assert terraform.render_path(("ordered_cache_behavior", 2, "path_pattern")) == \
        "ordered_cache_behavior[2].path_pattern"
