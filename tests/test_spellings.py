"""The rule pages' property names (rules/spellings.py) are the names the sources read: every
Terraform spelling is the Terraform reader's name for the CloudFormation one, every Pulumi
spelling one the Pulumi reader accepts, and a distribution written with the table's Terraform
and Pulumi names is judged as the CloudFormation one is."""

import re

from rules import engine
from rules.catalog import CATALOG
from rules.config import Config
from rules.docgen import render
from rules.sources import cloudformation, pulumi, terraform
from rules.sources.reader import camel
from rules.spellings import HEADERS_POLICY, PROPERTIES, RULE_PROPERTIES

# The builder's other names for a CloudFormation property (rules/sources/reader.py, builder.py).
ALIASES = {"Id": ("OriginId",), "CacheBehaviors": ("OrderedCacheBehaviors",),
           "OriginSSLProtocols": ("OriginSslProtocols",), "Members": ("Member",)}


def segments(path):
    return [s for s in re.sub(r"\[i\]", "", path).split(".") if s != "Items"]


def test_every_rule_lists_properties_that_exist():
    assert set(RULE_PROPERTIES) == set(CATALOG)
    for code, keys in RULE_PROPERTIES.items():
        assert keys, code
        for key in keys:
            assert key in PROPERTIES or key in HEADERS_POLICY, (code, key)
        assert "## Property names" in render(CATALOG[code])


def test_terraform_and_pulumi_spellings_are_the_readers_names():
    for key, (cfn, pul, tf) in {**PROPERTIES, **HEADERS_POLICY}.items():
        cfn_s, pul_s, tf_s = segments(cfn), segments(pul), segments(tf)
        if key in HEADERS_POLICY:
            cfn_s = cfn_s[1:]  # the policy resource's ResponseHeadersPolicyConfig level
        assert len(cfn_s) == len(pul_s) == len(tf_s), key
        for c, p, t in zip(cfn_s, pul_s, tf_s):
            names = (c,) + ALIASES.get(c, ())
            assert t in {terraform.snake(n) for n in names}, (key, c, t)
            # The Pulumi reader tries each name, camelCased, then ignoring case.
            assert p.lower() in {camel(n).lower() for n in names}, (key, c, p)
        # A list element in one dialect is one in the others ([i] at the same places).
        assert cfn.replace(".Items", "").count("[i]") == pul.count("[i]") == tf.count("[i]"), key


def _put(doc, dotted, value, style):
    """Set ``dotted`` (a table spelling, [i] as element 0) in ``doc``; Terraform blocks are
    lists of one mapping, as in a plan."""
    parts = [p for p in dotted.split(".")]
    node = doc
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        name, is_list = part.replace("[i]", ""), part.endswith("[i]")
        if last:
            node[name] = [value] if is_list else value
            return
        if is_list or style == "terraform":
            node = node.setdefault(name, [{}])[0]
        else:
            node = node.setdefault(name, {})


def test_a_distribution_written_with_the_table_is_judged_alike():
    """One bad distribution, its properties set through the table's three spellings: the same
    codes from the CloudFormation, Pulumi and Terraform readers."""
    values = {"origin.id": "site", "origin.domain": "api.example.com",
              "origin.protocol": "https-only", "origin.ssl": ["TLSv1", "TLSv1.2"],
              "default.viewer": "allow-all", "default.target": "site",
              "behavior.pattern": "/api/*", "behavior.viewer": "redirect-to-https",
              "behavior.target": "nowhere", "behavior.methods": ["GET", "HEAD", "POST", "PUT",
                                                                  "PATCH", "DELETE", "OPTIONS"],
              "cert.default": True}
    forms = {}
    for col, style in ((0, "cfn"), (1, "pulumi"), (2, "terraform")):
        doc = {}
        for key, value in values.items():
            _put(doc, PROPERTIES[key][col], value, style)
        forms[style] = doc
    cfn_dists, _ = cloudformation.distributions({"Resources": {"Cdn": {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {"DistributionConfig": forms["cfn"]}}}})
    pul_dist, _ = pulumi.distribution(pulumi.AWS_TYPE, forms["pulumi"], "cdn")
    tf_dists, _ = terraform.plan_distributions({"format_version": "1.2", "resource_changes": [{
        "address": "aws_cloudfront_distribution.cdn", "mode": "managed",
        "type": "aws_cloudfront_distribution", "name": "cdn",
        "change": {"actions": ["create"], "after": forms["terraform"]}}]})
    codes = [{f.code for f in engine.evaluate(d, Config()).findings}
             for d in (cfn_dists, [pul_dist], tf_dists)]
    assert codes[0] == {"CFH001", "CFH004", "CFH008", "CFH009", "CFH010"}, codes[0]
    assert codes[1] == codes[0] and codes[2] == codes[0], codes
