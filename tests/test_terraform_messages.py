"""Findings speak Terraform in their messages too: a Terraform finding's report names the
properties as Terraform does (viewer_protocol_policy, origin_ssl_protocols), by the one table of
rules/spellings.py, in every report format; other sources keep CloudFormation's names; the
fingerprint does not move (it never reads the message)."""

import io
import json
import os

import pytest

from conftest import ROOT
from cfhttps_cli import report
from rules import engine, spellings
from rules.config import Config
from rules.sources import terraform

ESTATE = os.path.join(ROOT, "tests", "parity", "estate")


def findings_of_plan():
    with open(os.path.join(ESTATE, "plan.json"), encoding="utf-8") as fh:
        dists, _ = terraform.plan_distributions(json.load(fh), "plan.json")
    return engine.evaluate(dists, Config()).findings


@pytest.mark.parametrize("text, expected", [
    ("origin 'a' (OriginProtocolPolicy http-only)", "origin 'a' (origin_protocol_policy http-only)"),
    ("ViewerCertificate.MinimumProtocolVersion TLSv1", "viewer_certificate.minimum_protocol_version TLSv1"),
    ("OriginSSLProtocols: TLSv1, SSLv3", "origin_ssl_protocols: TLSv1, SSLv3"),
    ("CacheBehaviors #2", "ordered_cache_behavior #2"),
    ("SecurityHeadersConfig.StrictTransportSecurity", "security_headers_config.strict_transport_security"),
    # Whole words only, compound names only: English and look-alikes stay.
    ("XViewerProtocolPolicy ViewerProtocolPolicyX _DomainName", "XViewerProtocolPolicy ViewerProtocolPolicyX _DomainName"),
    ("Origins Id Members Items", "Origins Id Members Items"),
    ("Fn::GetAtt Bucket.WebsiteURL", "Fn::GetAtt Bucket.WebsiteURL"),
])
def test_in_terraform_replaces_catalogued_names_only(text, expected):
    assert spellings.in_terraform(text) == expected


def test_every_word_comes_from_the_table():
    cfn_parts = {p.replace("[i]", "") for cfn, _, _ in list(spellings.PROPERTIES.values())
                 + list(spellings.HEADERS_POLICY.values()) for p in cfn.split(".")}
    tf_parts = {p.replace("[i]", "") for _, _, tf in list(spellings.PROPERTIES.values())
                + list(spellings.HEADERS_POLICY.values()) for p in tf.split(".")}
    assert spellings.TERRAFORM_WORDS
    for cfn, tf in spellings.TERRAFORM_WORDS.items():
        assert cfn in cfn_parts and tf in tf_parts, (cfn, tf)
    # The names the builder reads in Terraform (rules/sources/terraform.py) agree.
    for cfn, tf in spellings.TERRAFORM_WORDS.items():
        if cfn != "CacheBehaviors":
            assert terraform.snake(cfn) == tf, cfn


def _records(findings, file):
    return [report.Record(f, file, 1, 1, file) for f in findings]


def _all_formats(records):
    out = {}
    for name, sink_cls in (("json", report.JsonSink), ("sarif", report.SarifSink),
                           ("md", report.MarkdownSink), ("text", report.TextSink)):
        buf = io.StringIO()
        rep = report.Report([sink_cls(buf)])
        rep.add_records(records)
        rep.finish()
        out[name] = buf.getvalue()
    return out


def test_terraform_reports_speak_terraform_and_fingerprints_stay():
    findings = findings_of_plan()
    cfn_words = [w for w in spellings.TERRAFORM_WORDS
                 if any(w in f.message for f in findings)]
    assert cfn_words, "the estate's findings name CloudFormation properties in their messages"
    records = _records(findings, "plan.json")
    shown = _all_formats(records)
    messages = {
        "json": "\n".join(f["message"] for f in json.loads(shown["json"])["findings"]),
        "sarif": "\n".join(r["message"]["text"]
                           for r in json.loads(shown["sarif"])["runs"][0]["results"]),
        "md": shown["md"], "text": shown["text"],
    }
    for name, text in messages.items():
        assert text.count("\n") >= len(findings) - 1, name
        for w in cfn_words:
            assert w not in text, (name, w)
        assert spellings.TERRAFORM_WORDS[cfn_words[0]] in text, name
    # The fingerprint is the message's no more: the same for any message.
    for r in records:
        other = report.Record(r.finding._replace(message="something else"),
                              r.file, r.line, r.column, r.location)
        assert other.fingerprint == r.fingerprint
        assert r.as_dict()["fingerprint"] == report.fingerprint(
            r.finding.code, "plan.json", r.finding.resource, r.finding.path)
    # The finding itself is unchanged (only its presentation).
    assert any(w in f.message for f in findings for w in cfn_words)


def test_other_sources_keep_cloudformations_names():
    with open(os.path.join(ESTATE, "plan.json"), encoding="utf-8") as fh:
        dists, _ = terraform.plan_distributions(json.load(fh), "plan.json")
    f = engine.evaluate(dists, Config()).findings[0]
    for resource in ("Order", "urn:pulumi:dev::estate::aws:cloudfront/distribution:Distribution::order"):
        g = f._replace(resource=resource, message="ViewerProtocolPolicy allow-all")
        assert report.shown_message(g) == "ViewerProtocolPolicy allow-all"
        assert report.Record(g, "t.yaml", 1, 1).as_dict()["message"] == "ViewerProtocolPolicy allow-all"
    g = f._replace(message="ViewerProtocolPolicy allow-all")
    assert report.shown_message(g) == "viewer_protocol_policy allow-all"
