"""Notes carry a kind, and code acts on the kind: these tests never look at a note's wording."""

from conftest import audit_yaml, dist_yaml
from rules import engine
from rules.checks import CHECKS
from rules.config import Config
from rules.model import NoteKind
from rules.sources import aws_api


def _kinds(notes, code=None):
    return {n.kind for n in notes if code is None or n.code == code}


def test_unknown_viewer_policy_is_an_unknown_value_note():
    _, notes = audit_yaml(dist_yaml("""
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: !ImportValue SharedPolicy
        Origins:
          - Id: o
            DomainName: api.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
    """))
    assert _kinds(notes, "CFH001") == {NoteKind.UNKNOWN_VALUE}


def test_bad_shape_is_an_input_note():
    _, notes = audit_yaml("""
        Resources:
          Cdn:
            Type: AWS::CloudFront::Distribution
            Properties: [not, a, mapping]
    """)
    assert _kinds(notes) == {NoteKind.INPUT}


def test_exhausted_bound_is_an_undecided_note():
    dc = {"DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"},
          "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "a.example.com"}]},
          "CacheBehaviors": {"Quantity": 2, "Items": [
              {"PathPattern": "*a*b*a*b*a*b*a*b*a*b*a*b*a*b*", "TargetOriginId": "o",
               "ViewerProtocolPolicy": "allow-all"},
              {"PathPattern": "*b*a*b*a*b*a*b*a*b*a*b*a*b*a*a*", "TargetOriginId": "o",
               "ViewerProtocolPolicy": "https-only"}]}}
    dist, _ = aws_api.distribution("d", dc)
    result = engine.evaluate([dist], Config(max_states=3))
    assert NoteKind.UNDECIDED in _kinds(result.notes)
    assert NoteKind.UNDECIDED not in _kinds(engine.evaluate([dist], Config()).notes)


def test_a_raising_check_is_an_internal_error_note(monkeypatch):
    def broken(dist, config):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(CHECKS, "CFH004", broken)
    dc = {"DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"},
          "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "a.example.com"}]}}
    dist, _ = aws_api.distribution("d", dc)
    result = engine.evaluate([dist], Config())
    assert [n.code for n in result.notes if n.kind == NoteKind.INTERNAL_ERROR] == ["CFH004"]


def test_every_kind_is_declared():
    assert set(NoteKind.ALL) == {NoteKind.UNKNOWN_VALUE, NoteKind.UNDECIDED,
                                 NoteKind.INTERNAL_ERROR, NoteKind.INPUT}


def test_a_note_is_labelled_with_the_condition_it_arises_under_and_none_when_always():
    """Notes are merged across a distribution's variants like findings: a value unknown in every
    variant carries no condition (it is not "a problem only when Env = dev"), one unknown in some
    variants says when."""
    from conftest import audit_yaml
    findings, notes = audit_yaml(NOTE_CONDITIONS)
    by_path = {n.path[-1]: n for n in notes if n.code in ("CFH001", "CFH009")}
    assert by_path["ViewerProtocolPolicy"].condition is None, by_path
    assert {f.code: f.condition for f in findings}["CFH009"] == "parameter Env = dev"
    sometimes = audit_yaml(NOTE_CONDITIONS.replace(
        "ViewerProtocolPolicy: !Ref NoDef", "ViewerProtocolPolicy: !If [Prod, !Ref NoDef, https-only]"))[1]
    labelled = [n for n in sometimes if n.code == "CFH001"]
    assert labelled and all(n.condition == "parameter Env = prod" for n in labelled), labelled


NOTE_CONDITIONS = """\
Parameters:
  NoDef: {Type: String}
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: o
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
        DefaultCacheBehavior: {TargetOriginId: o, ViewerProtocolPolicy: !Ref NoDef}
        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:1:certificate/x
          SslSupportMethod: sni-only
          MinimumProtocolVersion: !If [Prod, TLSv1.2_2021, TLSv1]
"""
