"""CloudFormation intrinsic resolution: the values rules see behind Ref, Fn::If, Fn::Sub, ..."""

from conftest import audit_yaml, codes
from rules.model import NoteKind

BUCKET = """
Site:
  Type: AWS::S3::Bucket
"""


def website_origin(domain, policy="https-only"):
    return f"""
Resources:
  Site:
    Type: AWS::S3::Bucket
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: w
            DomainName: {domain}
            CustomOriginConfig: {{OriginProtocolPolicy: {policy}}}
        DefaultCacheBehavior: {{TargetOriginId: w, ViewerProtocolPolicy: https-only}}
        ViewerCertificate: {{AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}}
"""


def test_getatt_websiteurl_split_select_is_a_website():
    f, _ = audit_yaml(website_origin('!Select [2, !Split ["/", !GetAtt Site.WebsiteURL]]'))
    assert "CFH002" in codes(f)


def test_long_form_getatt_and_join():
    f, _ = audit_yaml(website_origin(
        '{"Fn::Select": [1, {"Fn::Split": ["//", {"Fn::GetAtt": ["Site", "WebsiteURL"]}]}]}'))
    assert "CFH002" in codes(f)
    f, _ = audit_yaml(website_origin('!Join ["", [!Ref Site, ".s3-website-", !Ref "AWS::Region", ".amazonaws.com"]]'))
    assert "CFH002" in codes(f)


def test_sub_symbolic_website_dash_and_dot_forms():
    for d in ['!Sub "${Site}.s3-website-${AWS::Region}.amazonaws.com"',
              '!Sub "${Site}.s3-website.${AWS::Region}.${AWS::URLSuffix}"']:
        f, _ = audit_yaml(website_origin(d))
        assert "CFH002" in codes(f), d


def test_rest_attributes_are_not_websites():
    for attr in ("DomainName", "RegionalDomainName", "DualStackDomainName"):
        f, _ = audit_yaml(website_origin(f"!GetAtt Site.{attr}"))
        assert "CFH002" not in codes(f), attr


def test_import_value_is_unknown_not_a_guess():
    f, _ = audit_yaml(website_origin('!ImportValue other-stack-domain'))
    assert "CFH002" not in codes(f)


def test_parameter_allowed_values_each_judged_with_condition():
    text = """
Parameters:
  Policy:
    Type: String
    AllowedValues: [allow-all, redirect-to-https, https-only]
    Default: https-only
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}}]
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: !Ref Policy}
        ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}
"""
    f, _ = audit_yaml(text)
    cfh001 = [x for x in f if x.code == "CFH001"]
    assert len(cfh001) == 1 and cfh001[0].condition == "parameter Policy = allow-all"


def test_parameter_default_used_without_allowed_values():
    text = """
Parameters:
  Policy: {Type: String, Default: allow-all}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: !Ref Policy}
        Origins: [{Id: a, DomainName: a.example.com, S3OriginConfig: {}}]
"""
    f, _ = audit_yaml(text)
    assert [x.condition for x in f if x.code == "CFH001"] == [None]


def test_fn_if_both_branches_and_named_condition():
    text = """
Conditions:
  NoSSL: !Equals [!Ref "AWS::Region", "nowhere"]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !If [NoSSL, allow-all, redirect-to-https]
        ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}
"""
    f, _ = audit_yaml(text)
    c = [x for x in f if x.code == "CFH001"]
    assert len(c) == 1 and c[0].condition == "condition NoSSL is true"
    assert c[0].path[-2:] == ("Fn::If", 1)


def test_find_in_map_and_novalue():
    text = """
Mappings:
  Policies:
    prod: {viewer: allow-all}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}
          - !Ref AWS::NoValue
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !FindInMap [Policies, prod, viewer]
        ViewerCertificate: !Ref AWS::NoValue
"""
    f, _ = audit_yaml(text)
    assert {"CFH001", "CFH009"} <= set(codes(f))
    assert "CFH008" not in codes(f)


def test_legacy_s3origin_and_customorigin():
    text = """
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        CustomOrigin:
          DNSName: b.s3-website-us-east-1.amazonaws.com
          OriginProtocolPolicy: match-viewer
        DefaultCacheBehavior: {TargetOriginId: x, ViewerProtocolPolicy: allow-all}
"""
    f, notes = audit_yaml(text)
    assert "CFH002" in codes(f)
    # Legacy origins have no Id: routing cannot be judged, so CFH008 says so instead of guessing.
    assert "CFH008" not in codes(f)
    assert any(n.code == "CFH008" for n in notes)


def test_serverless_framework_resources():
    text = """
service: x
resources:
  Resources:
    Cdn:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
          DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: allow-all}
"""
    f, _ = audit_yaml(text)
    assert "CFH001" in codes(f)
    assert f[0].path[:2] == ("resources", "Resources")


CERT_TYPES = """
Parameters:
  CertificateType:
    Type: String
    Default: Acm
    AllowedValues: [Acm, Iam, Create]
  Policy:
    Type: String
    Default: redirect-to-https
Conditions:
  HasAcm: !Equals [!Ref CertificateType, Acm]
  HasIam: !Equals [!Ref CertificateType, Iam]
  HasCreate: !Equals [!Ref CertificateType, Create]
  NotAcm: !Not [!Condition HasAcm]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !If [NotAcm, !If [HasAcm, allow-all, https-only], redirect-to-https]
        ViewerCertificate:
          AcmCertificateArn: !If [HasCreate, arn:created, !If [HasAcm, arn:acm, !Ref AWS::NoValue]]
          IamCertificateId: !If [HasIam, iam-id, !Ref AWS::NoValue]
          MinimumProtocolVersion: TLSv1.2_2021
"""


def test_exclusive_conditions_are_never_true_together():
    """Three conditions on one parameter with AllowedValues: exactly one holds, so there is
    always a custom certificate (no CFH009), and NotAcm with HasAcm (contradictory) never yields
    allow-all (no CFH001)."""
    f, notes = audit_yaml(CERT_TYPES)
    assert "CFH009" not in codes(f) and "CFH001" not in codes(f), [(x.code, x.condition) for x in f]
    assert not [n for n in notes if n.kind == NoteKind.INPUT]  # e.g. too many combinations


FREE = """
Parameters:
  Cert: {Type: String, Default: ""}
Conditions:
  NoCert: !Equals [!Ref Cert, ""]
  HasCert: !Not [!Equals [!Ref Cert, ""]]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !If [NoCert, !If [HasCert, allow-all, redirect-to-https], https-only]
        ViewerCertificate: !If
          - HasCert
          - {AcmCertificateArn: !Ref Cert, MinimumProtocolVersion: TLSv1}
          - !Ref AWS::NoValue
"""


def test_undecided_equals_is_one_variable_for_every_condition_on_it():
    """A parameter without AllowedValues: its Default decides nothing, both values are judged,
    but NoCert and HasCert (its negation) share one variable, so never hold together."""
    f, _ = audit_yaml(FREE)
    assert "CFH001" not in codes(f)
    cfh009 = sorted(x.condition for x in f if x.code == "CFH009")
    # Without a certificate: CloudFront's default certificate (TLSv1); with one: TLSv1 pinned.
    assert cfh009 == ["condition NoCert is false", "condition NoCert is true"], cfh009


def test_a_parameter_follows_an_undecided_equals_on_it():
    """Where `Equals [Ref Domain, ""]` is false, Domain is not its empty Default; where it is
    true, Domain is exactly the literal."""
    text = """
Parameters:
  Domain: {Type: String, Default: ""}
Conditions:
  IsWebsite: !Equals [!Ref Domain, "b.s3-website-us-east-1.amazonaws.com"]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: a
            DomainName: !If [IsWebsite, !Ref Domain, other.example.com]
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: https-only}
        ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}
"""
    f, _ = audit_yaml(text)
    cfh002 = [x for x in f if x.code == "CFH002"]
    assert len(cfh002) == 1 and cfh002[0].condition == "condition IsWebsite is true"


def test_malformed_and_cyclic_conditions_are_free_variables():
    text = """
Conditions:
  A: !Condition B
  B: !Condition A
  Bad: {Fn::Equals: [only-one]}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !If [A, !If [Bad, allow-all, https-only], https-only]
        ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}
"""
    f, _ = audit_yaml(text)
    c = [x.condition for x in f if x.code == "CFH001"]
    assert len(c) == 1 and "condition Bad is true" in c[0], c


def test_a_finding_in_two_of_three_parameter_values_says_so():
    text = """
Parameters:
  Mode: {Type: String, Default: a, AllowedValues: [a, b, c]}
Conditions:
  IsC: !Equals [!Ref Mode, c]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !If [IsC, https-only, allow-all]
        ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}
"""
    f, _ = audit_yaml(text)
    c = [x.condition for x in f if x.code == "CFH001"]
    assert c == ["parameter Mode = a or b"], c


def _judged_dict(conditions, viewer_protocol_policy):
    """Findings for a template built as a dict (YAML cannot carry these hostile shapes)."""
    from rules import engine
    from rules.sources import cloudformation

    template = {
        "Conditions": conditions,
        "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {
            "DistributionConfig": {
                "Origins": [{"Id": "a", "DomainName": "a.s3.amazonaws.com", "S3OriginConfig": {}}],
                "DefaultCacheBehavior": {"TargetOriginId": "a",
                                         "ViewerProtocolPolicy": viewer_protocol_policy},
                "ViewerCertificate": {"AcmCertificateArn": "arn:x",
                                      "MinimumProtocolVersion": "TLSv1.2_2021"}}}}}}
    dists, _ = cloudformation.distributions(template)
    return engine.evaluate(dists).findings


def test_deeply_nested_condition_is_a_free_variable_not_a_crash():
    deep = {"Fn::Equals": ["a", "a"]}
    for _ in range(3000):
        deep = {"Fn::Not": [deep]}
    found = _judged_dict({"Deep": deep}, {"Fn::If": ["Deep", "allow-all", "https-only"]})
    assert [f.condition for f in found if f.code == "CFH001"] == ["condition Deep is true"]


def test_hostile_equals_operands_do_not_crash():
    deep = "x"
    for _ in range(3000):
        deep = [deep]
    found = _judged_dict(
        {"Odd": {"Fn::Equals": [deep, "x"]}, "Keys": {"Fn::Equals": [{1: "a", "b": 2}, "x"]}},
        {"Fn::If": ["Odd", {"Fn::If": ["Keys", "allow-all", "https-only"]}, "https-only"]})
    # allow-all in the one reachable branch (CFH012: the S3 REST origin has no access control)
    assert codes(found) == ["CFH001", "CFH003", "CFH012"]


def test_distribution_judged_only_where_its_resource_condition_holds():
    text = """
Parameters:
  Mode: {Type: String, Default: open, AllowedValues: [open, closed, off]}
Conditions:
  Create: !Not [!Equals [!Ref Mode, "off"]]
  Open: !Equals [!Ref Mode, open]
  Never: !Equals [a, b]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Condition: Create
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior:
          TargetOriginId: a
          ViewerProtocolPolicy: !If [Open, allow-all, !If [Create, https-only, allow-all]]
        ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}
  Ghost:
    Type: AWS::CloudFront::Distribution
    Condition: Never
    Properties:
      DistributionConfig:
        Origins: [{Id: a, DomainName: a.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: allow-all}
"""
    f, notes = audit_yaml(text)
    # Mode=off would give allow-all, but then Cdn is not created; Ghost is never created.
    assert [(x.resource, x.condition) for x in f if x.code == "CFH001"] == [("Cdn", "parameter Mode = open")]
    assert any(n.resource == "Ghost" and n.kind == NoteKind.INPUT for n in notes)


def test_fn_if_in_its_own_condition_is_a_cycle_not_a_crash():
    # C's definition reads an Fn::If on C: before, the reader recursed until RecursionError.
    found = _judged_dict({"C": {"Fn::Equals": [{"Fn::If": ["C", "a", "b"]}, "a"]}},
                         {"Fn::If": ["C", "allow-all", "https-only"]})
    assert [f.condition for f in found if f.code == "CFH001"] == ["condition C is true"]


def test_an_unsortable_equals_is_named_by_its_content():
    """An Fn::Equals whose operands have keys of mixed types (YAML allows ``1:`` beside ``b:``)
    is named by what it says, not by the object read: equal copies get one name, which a
    finding's condition may print, so every process prints the same."""
    from rules.sources.cfn_conditions import equals_key
    first = [{1: "a", "b": {"Ref": "P"}}, "x"]
    second = [{1: "a", "b": {"Ref": "P"}}, "x"]
    assert equals_key(first) == equals_key(second) == '[{"1": "a", "b": {"Ref": "P"}}, "x"]'
    assert equals_key([{1: "a", "b": 2}, "y"]) != equals_key(first)
