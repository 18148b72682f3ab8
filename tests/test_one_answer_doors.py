"""One input, one answer through the doors that live long: a Pulumi analyzer that has served
many other requests (sequentially and from many threads at once), cfn-lint judging many
templates in one run, and a warm CloudFormation hook container must each answer a distribution
exactly as a fresh process does (DESIGN.md, "One input, one answer").

The estate is generated: behaviours drawn from one shared pool of path patterns (folders,
extensions, ``?`` runs, several stars), so the processes meet the same patterns in other
distributions before the one under test — what made a warm process decide questions a cold one
left undecided."""

import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

POOL = ["/static/*", "/api/*", "*.php", "*.js", "*a?b*", "*/*/*a*b*", "/a??/*", "???*",
        "/img/*.png", "*.css", "/admin/*", "*/admin*", "/?/*", "*x*y*z*", "/static/public/*",
        "/api/v?/*", "*.??", "/*/*/*", "*a*a*a*b", "/doc/*/*.pdf", "*?*?*?", "/f*/*o?",
        "/a*b*c*d*e"]
POLICIES = ["allow-all", "redirect-to-https", "https-only"]
AWS = "aws:cloudfront/distribution:Distribution"


def _estate(seed, count):
    rng = random.Random(seed)
    return [[(rng.choice(POOL), rng.choice(POLICIES)) for _ in range(rng.randint(3, 60))]
            for _ in range(count)]


def _pulumi_props(behaviours):
    methods = ["GET", "HEAD"]
    return {"enabled": True,
            "origins": [{"originId": "o", "domainName": "app.example.com",
                         "customOriginConfig": {"originProtocolPolicy": "https-only",
                                                "httpPort": 80, "httpsPort": 443,
                                                "originSslProtocols": ["TLSv1.2"]}}],
            "defaultCacheBehavior": {"targetOriginId": "o", "viewerProtocolPolicy": "https-only",
                                     "allowedMethods": methods, "cachedMethods": methods},
            "orderedCacheBehaviors": [{"pathPattern": p, "targetOriginId": "o",
                                       "viewerProtocolPolicy": v, "allowedMethods": methods,
                                       "cachedMethods": methods} for p, v in behaviours],
            "restrictions": {"geoRestriction": {"restrictionType": "none"}},
            "viewerCertificate": {"acmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
                                  "sslSupportMethod": "sni-only",
                                  "minimumProtocolVersion": "TLSv1.2_2021"}}


def _template(behaviours):
    return {"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {
        "DistributionConfig": {
            "Enabled": True,
            "Origins": [{"Id": "o", "DomainName": "app.example.com",
                         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                "OriginSSLProtocols": ["TLSv1.2"]}}],
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"},
            "CacheBehaviors": [{"PathPattern": p, "TargetOriginId": "o",
                                "ViewerProtocolPolicy": v} for p, v in behaviours],
            "ViewerCertificate": {"AcmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x",
                                  "SslSupportMethod": "sni-only",
                                  "MinimumProtocolVersion": "TLSv1.2_2021"}}}}}}


def _answer(pack, k, behaviours):
    return sorted((d.policyName, d.message, d.enforcementLevel)
                  for d in pack.analyze(AWS, f"cdn{k}", _pulumi_props(behaviours)))


@pytest.mark.parametrize("max_states", [None, 300])
def test_pulumi_pack_after_other_requests_answers_as_a_fresh_one(max_states):
    from pulumi_harness import Pack
    estate = _estate(7, 40)
    targets = list(range(0, 40, 5))
    config = {} if max_states is None else {
        "cloudfront-behavior-order-https": {"max_states": max_states},
        "cloudfront-unreachable-behavior": {"max_states": max_states}}
    fresh = {}
    for k in targets:  # each target is the first request of its own pack
        pack = Pack(ROOT)
        try:
            pack.configure(config)
            fresh[k] = _answer(pack, k, estate[k])
        finally:
            pack.close()
    pack = Pack(ROOT)
    try:
        pack.configure(config)
        order = list(range(len(estate)))
        random.Random(3).shuffle(order)
        for k in order:
            _answer(pack, k, estate[k])
        warm = {k: _answer(pack, k, estate[k]) for k in targets}
        jobs = order * 2
        with ThreadPoolExecutor(max_workers=8) as pool:
            concurrent = list(pool.map(lambda k: (k, _answer(pack, k, estate[k])), jobs))
    finally:
        pack.close()
    differ = [k for k in targets if warm[k] != fresh[k]]
    assert not differ, f"after the estate, {len(differ)} of {len(targets)} targets differ: {differ}"
    differ = sorted({k for k, got in concurrent if k in fresh and got != fresh[k]})
    assert not differ, f"under concurrent requests, targets {differ} differ from a fresh pack"


def _cfn_lint(paths):
    out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "cfn-lint"), "-a", os.path.join(ROOT, "cfn_rules"),
                          "-c", "I", "--format", "json", "--", *paths],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode in (0, 2, 4, 6, 8, 10, 12, 14), out.stderr
    per = {}
    for m in json.loads(out.stdout or "[]"):
        if m["Rule"]["Id"].startswith(("E91", "W91", "I91")):
            per.setdefault(os.path.basename(m["Filename"]), []).append(
                (m["Rule"]["Id"], m["Message"], m["Location"]["Start"]["LineNumber"]))
    return {k: sorted(v) for k, v in per.items()}


def test_cfn_lint_run_over_many_templates_answers_as_one_alone(tmp_path):
    estate = _estate(11, 24)
    paths = []
    for k, behaviours in enumerate(estate):
        path = tmp_path / f"t{k:02d}.json"
        path.write_text(json.dumps(_template(behaviours), indent=1))
        paths.append(str(path))
    alone = {}
    for path in paths[::4]:
        alone.update(_cfn_lint([path]))
    together = _cfn_lint(sorted(paths, reverse=True))
    differ = [name for name in alone if alone[name] != together.get(name)]
    assert alone and not differ, f"{len(differ)} templates judged differently in one run: {differ}"
