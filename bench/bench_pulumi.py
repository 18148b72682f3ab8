"""The Pulumi analyzer under the engine's real requests (Pulumi issue 14), against a pack with one
no-op policy started the same way (``python -u -m pulumi.policy <engine> <pack-dir>``, as the
CLI starts a policy pack). pulumi-policy refuses a pack with no policies, hence the one policy.

Every request is built as the engine builds it (tests/pulumi_harness.py ``analyze_request``): a
25-behaviour distribution in pulumi-aws v7 input shape, its default provider attached with the
provider's inputs, options with the parent. Requests alternate between the two packs one by one
(the order flips every pair) so that machine noise falls on both.

- cold: every request carries path patterns this process has never seen (each request renames
  every literal word of the patterns, keeping their shapes: prefixes, nested prefixes, suffix
  globs, ``?``), so no remembered pattern answer helps: a stack's first preview.
  Targets: p50 <= 2.0x, p99 <= 2.5x.
- warm: the same patterns in every request (the S3 origin's bucket and the comment change, so each
  request is still a new message and a new model): later resources with the same layouts.
  Target: p50 <= 1.3x.
- each pack process's CPU time per request (user + system, /proc), beside the latencies: on a
  shared, oversubscribed machine wall-clock latency punishes the longer computation more than
  its CPU share (it is more likely to be pre-empted mid-request), so both are reported.
- start-up (spawn to port line, median of interleaved runs) of both packs, and what of the
  difference is the pack's own: importing cfhttps_pulumi.pack (with rules/) after pulumi_policy,
  and the start-up probe of the SDK internals (cfhttps_pulumi/sdk_sharing.py).

Usage: python bench/bench_pulumi.py [warm-calls] [cold-calls] [startups]"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from common import ROOT, api_config

sys.path.insert(0, ROOT)  # the harness may import the project's own helpers (recipes/)
sys.path.insert(0, os.path.join(ROOT, "tests"))
from pulumi_harness import Pack, analyze_request  # noqa: E402

RTYPE = "aws:cloudfront/distribution:Distribution"
NOOP_MAIN = '''from pulumi_policy import PolicyPack, ResourceValidationPolicy, EnforcementLevel
PolicyPack(name="noop", policies=[ResourceValidationPolicy(
    name="noop", description="does nothing", validate=lambda args, report: None,
    enforcement_level=EnforcementLevel.ADVISORY)])
'''


def pulumi_props(n, rename=None):
    """The API-shaped benchmark distribution as pulumi-aws input properties; ``rename`` maps
    each literal word of a path pattern to another (cold requests)."""
    cfg = api_config(n)
    pattern = (lambda p: re.sub(r"[a-z]+", lambda m: rename(m.group(0)), p)) if rename else (lambda p: p)
    return {
        "enabled": True,
        "origins": [{"originId": "site", "domainName": "b.s3.us-east-1.amazonaws.com",
                     "s3OriginConfig": {"originAccessIdentity": ""}},
                    {"originId": "app", "domainName": "app.example.com",
                     "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80,
                                            "httpsPort": 443, "originSslProtocols": ["TLSv1.2"]}}],
        "orderedCacheBehaviors": [{"pathPattern": pattern(b["PathPattern"]),
                                   "targetOriginId": b["TargetOriginId"],
                                   "viewerProtocolPolicy": b["ViewerProtocolPolicy"],
                                   "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]}
                                  for b in cfg["CacheBehaviors"]["Items"]],
        "defaultCacheBehavior": {"targetOriginId": "site", "viewerProtocolPolicy": "redirect-to-https",
                                 "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]},
        "restrictions": {"geoRestriction": {"restrictionType": "none"}},
        "viewerCertificate": {"cloudfrontDefaultCertificate": True},
    }


def _tag(i):
    """A letters-only tag unique to request i (patterns keep their character classes)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(97 + r) + out
    return out


def cold_requests(count, start):
    return [analyze_request(RTYPE, "cdn", pulumi_props(25, rename=lambda w, t=_tag(start + i): f"{w}{t}"))
            for i in range(count)]


def warm_requests(count, start):
    """Same patterns, but each request a different distribution to model (its S3 origin's bucket
    and the comment change), so nothing above the pattern questions can be reused."""
    base = pulumi_props(25)
    site, app = base["origins"]
    return [analyze_request(RTYPE, "cdn", dict(
        base, comment=f"call {start + i}",
        origins=[dict(site, domainName=f"b{start + i}.s3.us-east-1.amazonaws.com"), app]))
        for i in range(count)]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def cpu_seconds(pid):
    """User + system CPU time of a process so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(packs, requests):
    """Latency per pack, and each pack process's CPU time per request; requests alternate
    between the packs, the order flipping every pair."""
    lat = {name: [] for name in packs}
    names = list(packs)
    cpu0 = {name: cpu_seconds(p.proc.pid) for name, p in packs.items()}
    for i, request in enumerate(requests):
        for name in (names if i % 2 == 0 else names[::-1]):
            stub = packs[name].stub
            t = time.perf_counter()
            stub.Analyze(request, timeout=60)
            lat[name].append(time.perf_counter() - t)
    lat["cpu"] = {name: (cpu_seconds(p.proc.pid) - cpu0[name]) / len(requests) for name, p in packs.items()}
    return lat


def startup(pack_dir):
    t = time.perf_counter()
    p = Pack(pack_dir)
    elapsed = time.perf_counter() - t
    p.close()
    return elapsed


OWN_COST = r'''
import sys, time
sys.path.insert(0, sys.argv[1])
import pulumi_policy
t = time.perf_counter()
from cfhttps_pulumi import pack, sdk_sharing
t1 = time.perf_counter()
problem = sdk_sharing.probe(pack.policies())
t2 = time.perf_counter()
assert problem is None, problem
print(t1 - t, t2 - t1)
'''


def own_costs(runs):
    imports, probes = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", OWN_COST, ROOT], capture_output=True, text=True,
                             check=True).stdout.split()
        imports.append(float(out[0]))
        probes.append(float(out[1]))
    return statistics.median(imports), statistics.median(probes)


def main():
    warm_calls = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    cold_calls = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    startups = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    with tempfile.TemporaryDirectory() as noop_dir:
        with open(os.path.join(noop_dir, "__main__.py"), "w") as fh:
            fh.write(NOOP_MAIN)
        with open(os.path.join(noop_dir, "PulumiPolicy.yaml"), "w") as fh:
            fh.write("runtime: python\n")
        starts = {"cfhttps": [], "noop": []}
        for r in range(startups):
            for name in (("noop", "cfhttps") if r % 2 == 0 else ("cfhttps", "noop")):
                starts[name].append(startup(ROOT if name == "cfhttps" else noop_dir))
        packs = {"cfhttps": Pack(ROOT), "noop": Pack(noop_dir)}
        try:
            for p in packs.values():
                p.configure({})
            run(packs, warm_requests(20, 10**6))  # connections, first calls
            # Cold first: nothing this process has seen may answer a cold request.
            cold = run(packs, cold_requests(cold_calls, 0))
            warm = run(packs, warm_requests(warm_calls, 0))
            n_diag = len(packs["cfhttps"].stub.Analyze(warm_requests(1, 0)[0], timeout=60).diagnostics)
            fallbacks = [line for line in packs["cfhttps"].stderr_lines() if line.startswith("cfhttps:")]
        finally:
            for p in packs.values():
                p.close()
    import_s, probe_s = own_costs(max(3, startups // 2))

    print("Analyze, engine request shape (provider with its inputs, options, parent), "
          f"25-behaviour distribution, {n_diag} violations reported per request")
    if fallbacks:
        print(f"  WARNING: the pack left the shared path: {fallbacks}")
    for label, lat, targets in (("cold (patterns never seen)", cold, {0.5: 2.0, 0.99: 2.5}),
                                ("warm (patterns seen before)", warm, {0.5: 1.3})):
        print(f"  {label}, {len(lat['cfhttps'])} calls each")
        for q in (0.5, 0.99):
            a, b = pct(lat["cfhttps"], q), pct(lat["noop"], q)
            target = f"(target <= {targets[q]})" if q in targets else "(no target)"
            print(f"    p{int(q * 100):<2}  cfhttps {a * 1000:6.2f} ms   no-op pack {b * 1000:6.2f} ms"
                  f"   ratio {a / b:.2f} {target}")
        a, b = lat["cpu"]["cfhttps"], lat["cpu"]["noop"]
        print(f"    pack CPU per request  cfhttps {a * 1000:6.2f} ms   no-op pack {b * 1000:6.2f} ms"
              f"   ratio {a / b:.2f} (user+system of the pack process, /proc)")
    a, b = statistics.median(starts["cfhttps"]), statistics.median(starts["noop"])
    print(f"Start-up, spawn to port line, median of {startups}: cfhttps {a:.3f} s, no-op pack {b:.3f} s, "
          f"difference {(a - b) * 1000:.0f} ms, ratio {a / b:.2f}")
    print(f"  of which the pack's own (medians in fresh processes): import cfhttps_pulumi.pack + rules "
          f"{import_s * 1000:.0f} ms, start-up probe of the SDK internals {probe_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
