"""Origins and origin groups are sets in the AWS provider (schema.TypeSet): a plan lists them in
the set's hash order, not in source order. The plan reader must pair each planned origin with the
configuration block that declares it by its ``origin_id`` — never by position — and leave an
origin unknown when no pairing can be proven. Plans written by hand in the JSON Output Format."""

import copy

from rules import config, engine
from rules.sources import terraform
from rules.model import Unknown

ADDRESS = "aws_cloudfront_distribution.d"
WEBSITE = {"references": ["aws_s3_bucket_website_configuration.site.website_endpoint",
                          "aws_s3_bucket_website_configuration.site"]}
CUSTOM = [{"http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
           "origin_ssl_protocols": ["TLSv1.2"]}]
CUSTOM_EXPR = [{"http_port": {"constant_value": 80}, "https_port": {"constant_value": 443},
                "origin_protocol_policy": {"constant_value": "https-only"},
                "origin_ssl_protocols": {"constant_value": ["TLSv1.2"]}}]


def plan(planned, unknown, expressions):
    """A plan creating one distribution whose origins are ``planned`` (in the plan's order),
    ``unknown`` their after_unknown, ``expressions`` the configuration's origin blocks."""
    after = {
        "origin": planned,
        "default_cache_behavior": [{"target_origin_id": planned[0]["origin_id"] or "x",
                                    "viewer_protocol_policy": "redirect-to-https",
                                    "allowed_methods": ["GET", "HEAD"],
                                    "cached_methods": ["GET", "HEAD"]}],
        "ordered_cache_behavior": [],
        "viewer_certificate": [{"cloudfront_default_certificate": False,
                                "acm_certificate_arn": "arn:aws:acm:us-east-1:1:certificate/x",
                                "minimum_protocol_version": "TLSv1.2_2021",
                                "ssl_support_method": "sni-only"}],
        "enabled": True,
    }
    return {
        "format_version": "1.2",
        "resource_changes": [{
            "address": ADDRESS, "mode": "managed", "type": "aws_cloudfront_distribution",
            "name": "d", "change": {"actions": ["create"], "after": after,
                                    "after_unknown": {"origin": unknown}}}],
        "configuration": {"root_module": {"resources": [{
            "address": ADDRESS, "mode": "managed", "type": "aws_cloudfront_distribution",
            "name": "d", "expressions": {"origin": expressions}}]}},
    }


def origin(oid, domain):
    return {"origin_id": oid, "domain_name": domain, "custom_origin_config": copy.deepcopy(CUSTOM)}


def expr(oid, domain):
    return {"origin_id": oid, "domain_name": domain,
            "custom_origin_config": copy.deepcopy(CUSTOM_EXPR)}


def judge(doc):
    dists, notes = terraform.plan_distributions(doc, "plan.json")
    result = engine.evaluate(dists, config.from_mapping({})[0])
    origins = {str(o.id): o for d in dists for o in d.origins}
    cfh002 = {m for f in result.findings if f.code == "CFH002"
              for m in [terraform.render_path(f.path)]}
    return origins, cfh002, result



def const(v):
    return {"constant_value": v}


def test_constant_ids_pair_origins_listed_in_hash_order():
    # Source order [site, app]; the plan lists the set as [app, site].
    doc = plan([origin("app", "app.example.com"), origin("site", None)],
               [{}, {"domain_name": True}],
               [expr(const("site"), WEBSITE), expr(const("app"), const("app.example.com"))])
    origins, cfh002, _ = judge(doc)
    assert type(origins["site"].domain).__name__ == "Symbolic"  # the website endpoint's shape
    assert origins["app"].domain == "app.example.com"
    assert cfh002 == {"origin[1].custom_origin_config.origin_protocol_policy"}


def test_ids_that_are_not_constants_are_never_paired_by_position():
    # Both ids come from variables and nothing constant tells the blocks apart: the website
    # reference cannot be given to either origin — no CFH002, and the unknown says why.
    ids = [{"references": ["var.a"]}, {"references": ["var.b"]}]
    doc = plan([origin("b", None), origin("a", None)],
               [{"domain_name": True}, {"domain_name": True}],
               [expr(ids[0], WEBSITE), expr(ids[1], {"references": ["var.host"]})])
    origins, cfh002, result = judge(doc)
    assert not cfh002
    for o in origins.values():
        assert isinstance(o.domain, Unknown) and "as a set" in o.domain.reason
    # Before the fix, position 0 (b) would have been read as the website endpoint.


def test_ids_not_constant_but_told_apart_by_a_constant_attribute():
    doc = plan([dict(origin("b", None), origin_path="/b"), dict(origin("a", None), origin_path="/a")],
               [{"domain_name": True}, {"domain_name": True}],
               [dict(expr({"references": ["var.a"]}, WEBSITE), origin_path=const("/a")),
                dict(expr({"references": ["var.b"]}, {"references": ["var.host"]}),
                     origin_path=const("/b"))])
    origins, cfh002, _ = judge(doc)
    assert type(origins["a"].domain).__name__ == "Symbolic"
    assert isinstance(origins["b"].domain, Unknown)
    assert cfh002 == {"origin[1].custom_origin_config.origin_protocol_policy"}


def test_one_origin_with_a_variable_id_is_paired():
    doc = plan([origin("site", None)], [{"domain_name": True}],
               [expr({"references": ["local.id"]}, WEBSITE)])
    origins, cfh002, _ = judge(doc)
    assert cfh002 == {"origin[0].custom_origin_config.origin_protocol_policy"}


def test_dynamic_origins_do_not_borrow_the_static_blocks_expression():
    # One static block (the website) and two origins from a dynamic block, which the
    # configuration section does not list: only the static one is known to be the website.
    doc = plan([origin("dyn1", None), origin("site", None), origin("dyn2", None)],
               [{"domain_name": True}] * 3, [expr(const("site"), WEBSITE)])
    origins, cfh002, _ = judge(doc)
    assert type(origins["site"].domain).__name__ == "Symbolic"
    assert isinstance(origins["dyn1"].domain, Unknown)
    assert isinstance(origins["dyn2"].domain, Unknown)
    assert cfh002 == {"origin[1].custom_origin_config.origin_protocol_policy"}


def test_duplicate_constant_ids_are_not_paired():
    doc = plan([origin("site", None), origin("site", None)],
               [{"domain_name": True}] * 2,
               [expr(const("site"), WEBSITE), expr(const("site"), {"references": ["var.h"]})])
    origins, cfh002, _ = judge(doc)
    assert not cfh002


def test_pairing_is_independent_of_the_plans_order():
    planned = [origin("app", "app.example.com"), origin("site", None), origin("api", None)]
    unknown = [{}, {"domain_name": True}, {"domain_name": True}]
    exprs = [expr(const("site"), WEBSITE), expr(const("api"), {"references": ["var.api"]}),
             expr(const("app"), const("app.example.com"))]
    answers = set()
    for shift in range(3):
        doc = plan(planned[shift:] + planned[:shift], unknown[shift:] + unknown[:shift], exprs)
        origins, _, result = judge(doc)
        answers.add(tuple(sorted((f.code, str(f.message)) for f in result.findings)))
        assert type(origins["site"].domain).__name__ == "Symbolic"
        assert isinstance(origins["api"].domain, Unknown)
    assert len(answers) == 1
