"""Parity: the same distributions give the same findings through `cfhttps audit --aws`, the
AWS Config rule (scheduled, oversized and change-triggered paths) and the Lambda hook.

The distributions live in moto's CloudFront on loopback; every door reads what moto returns
(GetDistributionConfig), spelled as that door receives it: the API shape for the audit and the
scheduled/oversized rule, the configuration item Config records for the change-triggered rule,
CloudFormation properties for the hook."""

import json
import os
import subprocess
import sys

import pytest

from cfhttps_aws import config_rule, cfn_hook
from cfhttps_aws.text import annotation
from conftest import ROOT
from rules.model import Finding
from rules.sources import aws_config
from rules import engine
from rules.config import Config
from test_aws_helpers import (CREDS, api_configs, aws_env, cfn_properties, change_event,  # noqa: F401
                              cloudfront_client, config_shape, configuration_item, create_all,
                              hook_findings, moto_server, oversized_event, resource_hook_event,
                              scheduled_event)

pytestmark = pytest.mark.slow  # runs the audit, the Config rule and the hook against moto


def audit(url, *flags):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(CREDS)
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--aws", "--endpoint-url",
                           url, "--format", "json", "--quiet", *flags], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    doc = json.loads(proc.stdout)
    assert doc["errors"] == [], doc["errors"]
    return doc["findings"]


def test_same_findings_through_audit_config_and_hook(aws_env, moto_server, monkeypatch):
    """One setting, given to each door in its own way (flag, rule parameter, hook settings)."""
    params = {"sensitive_paths": "/login"}
    monkeypatch.setenv("CFHTTPS_SETTINGS", json.dumps({"sensitive_paths": ["/login"]}))
    aws_env("CLOUDFRONT", moto_server)
    aws_env("CONFIG_SERVICE", moto_server)
    cf = cloudfront_client(moto_server)
    ids = create_all(cf, api_configs())
    audited = audit(moto_server, "--sensitive-path", "/login")
    by_id = {i: [f for f in audited if f["resource"] == i] for i in ids}
    # moto keeps its own defaults (it drops S3OriginConfig, and keeps the default-certificate flag
    # beside an ACM certificate), so every door judges what moto returns, not what was sent
    assert len({f["code"] for f in audited}) >= 8 and "CFH007" in {f["code"] for f in audited}

    scheduled = {e["ComplianceResourceId"]: e for e in config_rule.handler(scheduled_event(params=params))}
    assert set(scheduled) == set(ids)
    for dist_id in ids:
        want = {(f["code"], f["message"]) for f in by_id[dist_id]}
        as_findings = [Finding(f["code"], f["message"], f["severity"], dist_id, (),
                               example_path=f.get("example_path")) for f in by_id[dist_id]]
        expected_compliance = ("NON_COMPLIANT" if any(f["severity"] == "error" for f in by_id[dist_id])
                               else "COMPLIANT")
        expected_note = annotation(as_findings)

        # AWS Config, scheduled and oversized (CloudFront API reads)
        oversized = config_rule.handler(oversized_event(dist_id, params=params))[0]
        for ev in (scheduled[dist_id], oversized):
            assert ev["ComplianceType"] == expected_compliance, dist_id
            assert ev.get("Annotation", "") == expected_note

        # AWS Config, change-triggered (the recorded configuration item)
        recorded = config_shape(cf.get_distribution_config(Id=dist_id)["DistributionConfig"])
        item = configuration_item(dist_id, recorded)
        changed = config_rule.handler(change_event(item, params=params))[0]
        assert (changed["ComplianceType"], changed.get("Annotation", "")) == (expected_compliance, expected_note)
        dist, _ = aws_config.distribution(dist_id, item["configuration"])
        assert {(f.code, f.message) for f in engine.evaluate([dist], Config(sensitive_paths=("/login",))).findings} == want

        # CloudFormation Lambda hook (the same configuration as resource properties)
        props = cfn_properties(cf.get_distribution_config(Id=dist_id)["DistributionConfig"],
                               as_strings=True)
        answer = cfn_hook.handler(resource_hook_event(props, logical_id=dist_id))
        assert hook_findings(answer) == want, dist_id
        assert answer["hookStatus"] == ("FAILED" if expected_compliance == "NON_COMPLIANT" else "SUCCESS")
