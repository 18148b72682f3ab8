"""Bad input never raises: fuzzed property trees through every front-end and every check."""


from hypothesis import HealthCheck, given, settings, strategies as st

from rules import engine
from rules.config import Config
from rules.model import Unknown
from rules.sources import aws_api, cloudformation, pulumi

KEYS = ["Origins", "DefaultCacheBehavior", "CacheBehaviors", "PathPattern", "TargetOriginId",
        "ViewerProtocolPolicy", "AllowedMethods", "Id", "DomainName", "CustomOriginConfig",
        "S3OriginConfig", "OriginProtocolPolicy", "OriginSSLProtocols", "ViewerCertificate",
        "MinimumProtocolVersion", "CloudFrontDefaultCertificate", "OriginGroups", "Members",
        "Items", "Quantity", "OriginId", "Ref", "Fn::If", "Fn::Sub", "Fn::Join", "Fn::Select",
        "Fn::Split", "Fn::GetAtt", "Fn::FindInMap", "S3Origin", "CustomOrigin", "DNSName",
        "orderedCacheBehaviors", "originId", "distributionConfig"]
VALUES = ["allow-all", "https-only", "redirect-to-https", "match-viewer", "http-only", "*",
          "/a/*", "*.php", "b.s3-website-us-east-1.amazonaws.com", "x.s3.amazonaws.com",
          "TLSv1", "SSLv3", "POST", "AWS::NoValue", "AWS::Region", "Cond", "", "?*?*"]

leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 300), st.sampled_from(VALUES),
                 st.text(max_size=8))
tree = st.recursive(leaf, lambda ch: st.one_of(
    st.lists(ch, max_size=4),
    st.dictionaries(st.sampled_from(KEYS), ch, max_size=5)), max_leaves=40)

CONFIG = Config(sensitive_paths=("/admin/*", "*.key"), max_states=500)


def _eval(dists):
    result = engine.evaluate(dists, CONFIG)
    for f in result.findings:
        assert f.code.startswith("CFH") and f.severity in ("error", "warning")
    for n in result.notes:
        assert "internal error" not in n.message, n.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree)
def test_cloudformation_never_raises(dc):
    template = {"Parameters": {"P": {"AllowedValues": ["allow-all", "https-only"]}},
                "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution",
                                      "Properties": {"DistributionConfig": dc}},
                              "B": {"Type": "AWS::S3::Bucket"}}}
    dists, _ = cloudformation.distributions(template)
    _eval(dists)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree)
def test_properties_of_any_type(props):
    template = {"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": props}}}
    dists, _ = cloudformation.distributions(template)
    _eval(dists)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree)
def test_api_and_pulumi_never_raise(dc):
    dist, _ = aws_api.distribution("d", dc)
    _eval([dist] if dist else [])
    for rtype in pulumi.TYPES:
        dist, _ = pulumi.distribution(rtype, dc if rtype == pulumi.AWS_TYPE else {"distributionConfig": dc}, "urn")
        _eval([dist] if dist else [])


def test_unknown_everywhere():
    u = Unknown("x")
    dist, _ = aws_api.distribution("d", {"Origins": u, "DefaultCacheBehavior": u, "CacheBehaviors": [u, {"PathPattern": u}],
                                         "ViewerCertificate": u})
    _eval([dist])


def test_hostile_distribution_finishes_with_decisions_or_notes():
    from hostile import hostile_config
    dc = hostile_config()
    dist, _ = aws_api.distribution("hostile", dc)
    result = engine.evaluate([dist], Config(sensitive_paths=("*a*b*",)))
    # Every ordering question is either decided (a finding or silence) or reported undecided.
    undecided = [n for n in result.notes if "undecided" in n.message]
    decided_codes = {f.code for f in result.findings}
    assert undecided or decided_codes & {"CFH005", "CFH006", "CFH007"}
    assert all("internal error" not in n.message for n in result.notes)
