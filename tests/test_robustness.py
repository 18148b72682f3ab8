"""Bad input never raises: fuzzed property trees through every front-end and every check."""


from hypothesis import HealthCheck, given, settings, strategies as st

from rules import engine
from rules.config import Config
from rules.model import NoteKind, Unknown
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
        assert n.kind != NoteKind.INTERNAL_ERROR, n.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree)
def test_cloudformation_never_raises(dc):
    template = {"Parameters": {"P": {"AllowedValues": ["allow-all", "https-only"]}},
                "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution",
                                      "Properties": {"DistributionConfig": dc}},
                              "B": {"Type": "AWS::S3::Bucket"}}}
    dists, _ = cloudformation.distributions(template)
    _eval(dists)


CONDITION_KEYS = ["Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition", "Ref"]
condition_tree = st.recursive(
    st.one_of(leaf, st.sampled_from(["C1", "C2", "C3", "P", "Q", "AWS::Region"])),
    lambda ch: st.one_of(st.lists(ch, max_size=3),
                         st.dictionaries(st.sampled_from(CONDITION_KEYS), ch, min_size=1, max_size=2)),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["C1", "C2", "C3"]), condition_tree, max_size=3),
       st.sampled_from([None, "C1", "C2", "Missing"]))
def test_any_condition_definitions_never_raise(conditions, exists_if):
    """Condition definitions of any shape (malformed, cyclic, nested) through Fn::If and a
    resource Condition: judged or noted, never an exception."""
    vpp = {"Fn::If": ["C1", "allow-all", {"Fn::If": ["C2", {"Ref": "P"}, {"Fn::If": ["C3", "x", "https-only"]}]}]}
    res = {"Type": "AWS::CloudFront::Distribution",
           "Properties": {"DistributionConfig": {
               "Origins": [{"Id": "a", "DomainName": "a.s3.amazonaws.com", "S3OriginConfig": {}}],
               "DefaultCacheBehavior": {"TargetOriginId": "a", "ViewerProtocolPolicy": vpp}}}}
    if exists_if:
        res["Condition"] = exists_if
    template = {"Parameters": {"P": {"AllowedValues": ["allow-all", "https-only"]},
                               "Q": {"Type": "String", "Default": "x"}},
                "Conditions": conditions, "Resources": {"Cdn": res}}
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
    undecided = [n for n in result.notes if n.kind == NoteKind.UNDECIDED]
    decided_codes = {f.code for f in result.findings}
    assert undecided or decided_codes & {"CFH005", "CFH006", "CFH007"}
    assert all(n.kind != NoteKind.INTERNAL_ERROR for n in result.notes)
