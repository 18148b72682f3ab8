"""rules/suppression.py: which findings a resource's Metadata suppresses (both spellings)."""

from rules import suppression
from rules.model import Finding


def finding(code, resource, path=None):
    return Finding(code, "m", "error", resource, tuple(path or ("Resources", resource, "Properties")))


def template(**metadata):
    return {"Resources": {name: {"Type": "AWS::CloudFront::Distribution", "Metadata": md}
                          for name, md in metadata.items()}}


def test_cfn_lint_form_by_exact_id_and_cfhttps_form_by_code_or_id():
    t = template(A={"cfn-lint": {"config": {"ignore_checks": ["E9101", "E91", "W9999"]}}},
                 B={"cfhttps": {"ignore": ["CFH003", "E9106", "bogus"]}})
    s = suppression.from_template(t)
    assert s == {"A": {"CFH001": "Metadata cfn-lint config ignore_checks E9101"},
                 "B": {"CFH003": "Metadata cfhttps ignore CFH003",
                       "CFH006": "Metadata cfhttps ignore E9106"}}
    # cfn-lint matches ids exactly, so a prefix ("E91") suppresses nothing, here as there
    assert suppression.reason(finding("CFH006", "A"), s) is None
    assert suppression.from_template(t, cfn_lint_form=False) == {"B": s["B"]}


def test_finding_belongs_to_the_resource_its_path_names():
    s = {"Origin": {"CFH003": "why"}}
    on_vpc_origin = finding("CFH003", "Dist", ("Resources", "Origin", "Properties"))
    kept, gone = suppression.split([on_vpc_origin, finding("CFH003", "Dist")], s)
    assert [f.resource for f in kept] == ["Dist"] and gone == [(on_vpc_origin, "why")]
    assert suppression.owner(finding("CFH001", "Api", ())) == "Api"  # API documents: no path


def test_odd_metadata_is_no_suppression_and_never_raises():
    for md in (None, "x", [], {"cfn-lint": "x"}, {"cfn-lint": {"config": {"ignore_checks": "E9101"}}},
               {"cfhttps": {"ignore": [1, None, "CFH001"]}}, {"cfhttps": []}):
        suppression.from_template(template(A=md))
    assert suppression.from_template(template(A={"cfn-lint": {"config": {"ignore_checks": "E9101"}}})) \
        == {"A": {"CFH001": "Metadata cfn-lint config ignore_checks E9101"}}
    assert suppression.from_template([]) == {} and suppression.from_template({"Resources": 3}) == {}
