"""Template loading in cfhttps_io (issue 21 item 1, issue 20 item 4): specific errors, a byte
order mark accepted, duplicate keys told as ``input`` notes with the key and its lines."""

import json
import os
import subprocess
import sys

import pytest

from cfhttps_io import templates
from cfhttps_io.templates import EmptyTemplate, LoadError, input_notes, load_template, parse_text
from conftest import ROOT
from rules.model import NoteKind

JSON = json.dumps({"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution",
                                          "Properties": {"DistributionConfig": {"Enabled": True}}}}},
                  indent=2)


@pytest.mark.parametrize("text", ["", "   \n\t\n", "# only a comment\n", "\ufeff", "\ufeff\n# x\n"])
def test_empty_templates_say_so(text):
    with pytest.raises(EmptyTemplate, match="empty template"):
        parse_text(text)


def test_truncated_json_says_truncated_with_its_line():
    for cut in (JSON[:40], JSON[:-3], JSON[: JSON.index("Enabled") + 3]):
        with pytest.raises(LoadError, match=r"^invalid JSON: truncated: the text ends at line \d+"):
            parse_text(cut, "t.json")
    with pytest.raises(LoadError, match=r"^invalid JSON at line 1, column 6: Expecting .:. delimiter"):
        parse_text('{"a" 1}\t', "t.json")


def test_byte_order_mark_is_read_past():
    want = json.loads(JSON)
    assert load_template("\ufeff" + JSON)[0] == want
    assert load_template(("\ufeff" + JSON).encode("utf-8"))[0] == want
    assert load_template(b"\xef\xbb\xbfResources: {}\n")[0] == {"Resources": {}}
    with pytest.raises(LoadError, match="not UTF-8"):
        load_template(b"\xff\xfe{}")
    with pytest.raises(LoadError, match="int, not text"):
        load_template(7)
    assert load_template({"Resources": {}})[0] == {"Resources": {}}


def test_yaml_errors_name_line_and_column():
    text = "Resources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n   Properties: [\n"
    with pytest.raises(LoadError) as err:
        parse_text(text, "t.yaml")
    assert str(err.value).startswith("invalid YAML at line 4, column ")


def test_short_form_tags_become_long_forms():
    data, _ = parse_text("A: !GetAtt B.WebsiteURL\nC: !Sub '${X}'\nD: !If [c, !Ref E, !ImportValue F]\n"
                         "G: !Select [0, !GetAZs '']\nH: !Cidr [!Ref I, 2, 8]\nJ: !Base64 k\n"
                         "K: !FindInMap [M, a, b]\n")
    assert data == {"A": {"Fn::GetAtt": ["B", "WebsiteURL"]}, "C": {"Fn::Sub": "${X}"},
                    "D": {"Fn::If": ["c", {"Ref": "E"}, {"Fn::ImportValue": "F"}]},
                    "G": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                    "H": {"Fn::Cidr": [{"Ref": "I"}, 2, 8]}, "J": {"Fn::Base64": "k"},
                    "K": {"Fn::FindInMap": ["M", "a", "b"]}}


DUPLICATED = """\
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: https-only
          ViewerProtocolPolicy: allow-all
        Origins:
          - {Id: o, DomainName: b.s3.amazonaws.com, S3OriginConfig: {}}
"""


def test_duplicate_keys_are_input_notes_with_key_and_lines():
    data, marks = parse_text(DUPLICATED)
    behaviour = data["Resources"]["Cdn"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "allow-all"  # the last value, as read
    (note,) = input_notes(marks)
    assert note.kind == NoteKind.INPUT and note.resource == "Cdn"
    assert "'ViewerProtocolPolicy'" in note.message and "lines 8 and 9" in note.message
    assert note.path[-1] == "ViewerProtocolPolicy"
    # JSON read by the YAML composer keeps lines; strict JSON (a tab YAML refuses) names the key
    _, marks = parse_text('{\n"A": 1,\n"A": 2\n}')
    assert "lines 2 and 3" in input_notes(marks)[0].message
    data, marks = parse_text('{"A":\t1, "A": 2, "B": "\\/"}', "t.json")
    assert data == {"A": 2, "B": "/"} and "'A'" in input_notes(marks)[0].message


def test_the_audit_reports_the_duplicate_and_judges_the_last_value(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(DUPLICATED)
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", str(path), "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    doc = json.loads(proc.stdout)
    notes = [n for n in doc["notes"] if n["kind"] == "input"]
    assert len(notes) == 1 and "ViewerProtocolPolicy" in notes[0]["message"] and "8 and 9" in notes[0]["message"]
    assert "CFH001" in {f["code"] for f in doc["findings"]}


def test_templates_needs_no_other_door():
    assert templates.__name__ == "cfhttps_io.templates"
    assert os.path.dirname(templates.__file__).endswith("cfhttps_io")
