"""Issue 4 targets, measured against an "empty" pack started the same way:
- Analyze latency for a 25-behaviour distribution, p50 and p99 over >= 1,000 calls: <= 1.5x;
- pack start-up (spawn to port line): <= 1.5x.
pulumi-policy refuses a pack with no policies, so the baseline pack has one policy that returns
at once. Calls alternate between the two packs in blocks so machine noise falls on both.
Usage: python bench/bench_pulumi.py [calls]"""

import os
import statistics
import sys
import tempfile
import time

from common import ROOT, api_config

sys.path.insert(0, os.path.join(ROOT, "tests"))
from pulumi_harness import Pack  # noqa: E402


EMPTY_MAIN = '''from pulumi_policy import PolicyPack, ResourceValidationPolicy, EnforcementLevel
PolicyPack(name="empty", policies=[ResourceValidationPolicy(
    name="noop", description="does nothing", validate=lambda args, report: None,
    enforcement_level=EnforcementLevel.ADVISORY)])
'''


def pulumi_props(n):
    """The API-shaped benchmark distribution as pulumi-aws input properties."""
    cfg = api_config(n)
    return {
        "enabled": True,
        "origins": [{"originId": "site", "domainName": "b.s3.us-east-1.amazonaws.com",
                     "s3OriginConfig": {"originAccessIdentity": ""}},
                    {"originId": "app", "domainName": "app.example.com",
                     "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80,
                                            "httpsPort": 443, "originSslProtocols": ["TLSv1.2"]}}],
        "orderedCacheBehaviors": [{"pathPattern": b["PathPattern"], "targetOriginId": b["TargetOriginId"],
                                   "viewerProtocolPolicy": b["ViewerProtocolPolicy"],
                                   "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]}
                                  for b in cfg["CacheBehaviors"]["Items"]],
        "defaultCacheBehavior": {"targetOriginId": "site", "viewerProtocolPolicy": "redirect-to-https",
                                 "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]},
        "restrictions": {"geoRestriction": {"restrictionType": "none"}},
        "viewerCertificate": {"cloudfrontDefaultCertificate": True},
    }


def startup(pack_dir):
    t = time.perf_counter()
    p = Pack(pack_dir)
    elapsed = time.perf_counter() - t
    p.close()
    return elapsed



def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as empty_dir:
        with open(os.path.join(empty_dir, "__main__.py"), "w") as fh:
            fh.write(EMPTY_MAIN)
        with open(os.path.join(empty_dir, "PulumiPolicy.yaml"), "w") as fh:
            fh.write("runtime: python\n")
        starts = {"cfhttps": [], "empty": []}
        for _ in range(7):
            starts["empty"].append(startup(empty_dir))
            starts["cfhttps"].append(startup(ROOT))
        ours, empty = Pack(ROOT), Pack(empty_dir)
        base = pulumi_props(25)
        rtype = "aws:cloudfront/distribution:Distribution"
        # Every call carries a different distribution (its comment changes), so nothing the pack
        # remembers from an earlier identical request can answer it.
        variants = [dict(base, comment=f"call {i}") for i in range(calls + 40)]
        for p in (ours, empty):
            p.configure({})
            for i in range(20):
                p.analyze(rtype, "cdn", variants[calls + i])  # warm-up
        lat = {"cfhttps": [], "empty": []}
        block = 50
        for b in range(max(1, calls // block)):
            for name, p in (("cfhttps", ours), ("empty", empty)):
                for i in range(b * block, (b + 1) * block):
                    props = variants[i]
                    t = time.perf_counter()
                    p.analyze(rtype, "cdn", props)
                    lat[name].append(time.perf_counter() - t)
        n_diag = len(ours.analyze(rtype, "cdn", base))
        # Informational, no target: every call with path patterns never seen before, so no
        # remembered pattern answer helps (a stack's first preview).
        cold = {"cfhttps": [], "empty": []}
        for i in range(200):
            props = dict(base, orderedCacheBehaviors=[
                dict(b, pathPattern=f"/n{i}{b['pathPattern']}") if b["pathPattern"].startswith("/")
                else dict(b, pathPattern=f"n{i}/{b['pathPattern']}")
                for b in base["orderedCacheBehaviors"]])
            for name, p in (("cfhttps", ours), ("empty", empty)):
                t = time.perf_counter()
                p.analyze(rtype, "cdn", props)
                cold[name].append(time.perf_counter() - t)
        ours.close()
        empty.close()

    print(f"Analyze, 25-behaviour distribution, {len(lat['cfhttps'])} calls each ({n_diag} violations reported)")
    for q in (0.5, 0.99):
        a, b = pct(lat["cfhttps"], q), pct(lat["empty"], q)
        print(f"  p{int(q * 100):<2}  cfhttps {a * 1000:6.2f} ms   empty {b * 1000:6.2f} ms   ratio {a / b:.2f} (target <= 1.5)")
    a, b = pct(cold["cfhttps"], 0.5), pct(cold["empty"], 0.5)
    print(f"  cold patterns (200 calls, every pattern new; no target): p50 cfhttps {a * 1000:.2f} ms, "
          f"empty {b * 1000:.2f} ms, ratio {a / b:.2f}")
    a, b = statistics.median(starts["cfhttps"]), statistics.median(starts["empty"])
    print(f"Start-up (spawn to port line, median of 7): cfhttps {a:.2f} s, empty {b:.2f} s, ratio {a / b:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
