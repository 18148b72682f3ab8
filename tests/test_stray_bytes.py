"""A stray byte does not hide a template (issue 13): a file that is UTF-8 except for a few bytes
(a Latin-1 'é' or a Windows-1252 quote in a comment) is audited, with a note naming the line
and the byte; binary files stay refused. Real files through the audit CLI."""

import json
import os
import subprocess
import sys

import pytest

from cfhttps_io.files import MAX_STRAY_SHARE, MIN_STRAY_ALLOWANCE, LoadError, decode
from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the cfhttps command in subprocesses

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
# Distribution pour le caf{e_acute} {quote}static{quote} site
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Comment: plain text
        Origins: [{{Id: a, DomainName: a.example.com, CustomOriginConfig: {{OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}}}}]
        DefaultCacheBehavior: {{TargetOriginId: a, ViewerProtocolPolicy: allow-all}}
        ViewerCertificate: {{AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2021}}
"""


def audit(path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", str(path),
                           "--format", "json"], cwd=ROOT, env=env, capture_output=True,
                          timeout=300)
    return proc.returncode, json.loads(proc.stdout)


def template_bytes(e_acute: bytes, quote: bytes) -> bytes:
    text = TEMPLATE.format(e_acute="\x00E", quote="\x00Q")
    return text.encode().replace(b"\x00E", e_acute).replace(b"\x00Q", quote)


@pytest.mark.parametrize("e_acute, quote, expected", [
    (b"\xe9", b'"', [(2, 0xE9)]),  # Latin-1
    (b"e", b"\x93", [(2, 0x93), (2, 0x93)]),  # Windows-1252 quotes (both 0x93 here)
    (b"\xe9", b"\x92", [(2, 0xE9), (2, 0x92), (2, 0x92)]),
])
def test_stray_bytes_in_a_comment_are_audited_with_a_note(tmp_path, e_acute, quote, expected):
    p = tmp_path / "t.yaml"
    raw = template_bytes(e_acute, quote)
    p.write_bytes(raw)
    assert decode(raw)[1] == expected
    rc, doc = audit(p)
    assert rc == 1 and not doc["errors"]
    assert {f["code"] for f in doc["findings"]} == {"CFH001"}
    notes = [n for n in doc["notes"] if n["kind"] == "input" and "not UTF-8" in n["message"]]
    assert len(notes) == 1 and notes[0]["message"].startswith("line 2: byte")
    assert all(f"0x{b:02X}" in notes[0]["message"] for _, b in expected)


def test_utf8_file_has_no_note(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_bytes(template_bytes("é".encode(), "“".encode()))
    rc, doc = audit(p)
    assert rc == 1 and not [n for n in doc["notes"] if "not UTF-8" in n["message"]]


def test_binary_files_stay_refused(tmp_path):
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(b"Resources: {}\n\x00\x1f\x8b\x08\xff\xfe")
    rc, doc = audit(nul)
    assert rc == 2 and "binary" in doc["errors"][0]["message"]
    noise = tmp_path / "noise.yaml"
    noise.write_bytes(bytes(range(0x80, 0x100)) * 8)  # no NUL, but mostly not UTF-8
    rc, doc = audit(noise)
    assert rc == 2 and "not UTF-8 text" in doc["errors"][0]["message"]


def test_allowance_is_a_share_of_the_file():
    text = b"a: 1\n" * 200  # 1000 bytes: about 5% of a file may be stray bytes
    assert MAX_STRAY_SHARE == 0.05
    assert len(decode(text + b"\xe9" * 52)[1]) == 52  # 52 of 1052 bytes
    with pytest.raises(LoadError):
        decode(text + b"\xe9" * 60)  # 60 of 1060
    assert len(decode(b"x\xe9" * MIN_STRAY_ALLOWANCE)[1]) == MIN_STRAY_ALLOWANCE  # small files
