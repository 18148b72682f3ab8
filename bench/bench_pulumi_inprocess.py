"""Where an Analyze call's time goes, without gRPC: the SDK's servicer called in-process, with
requests in the engine's shape (provider attached, options, parent), on distinct 25-behaviour
distributions whose patterns were seen before (warm): (a) one no-op policy, (b) twelve no-op
policies, (c) the cfhttps policies on the SDK's own Analyze path, (d) the cfhttps policies on
the shared path (cfhttps_pulumi/sdk_sharing.py); then the cfhttps stages on their own.
Medians per call. Usage: python bench/bench_pulumi_inprocess.py"""

import gc
import os
import statistics
import sys
import time

from common import ROOT

sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))
from bench_pulumi import pulumi_props  # noqa: E402  (defines the benchmark distribution)
from pulumi_harness import analyze_request  # noqa: E402
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy  # noqa: E402
from pulumi_policy import policy as sdk  # noqa: E402

from cfhttps_pulumi import pack, sdk_sharing  # noqa: E402
from rules import engine  # noqa: E402
from rules.sources import pulumi as source  # noqa: E402

N = 400
base = pulumi_props(25)
RTYPE = "aws:cloudfront/distribution:Distribution"


def requests(tag):
    return [analyze_request(RTYPE, "cdn", dict(base, comment=f"{tag}{i}")) for i in range(N)]


def median_call(fn, items):
    fn(items[0])
    gc.collect()
    times = []
    for x in items[1:]:
        t = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def run(policies, label):
    serv = sdk._PolicyAnalyzerServicer("x", "0.1.0", policies, EnforcementLevel.ADVISORY,
                                       None, None, None, None, None, None, None)
    ms = median_call(lambda r: serv.Analyze(r, None), requests(label))
    print(f"{label:<28} {ms:.3f} ms per Analyze")


def noop(args, report):
    return None


run([ResourceValidationPolicy(name="p0", description="d", validate=noop)], "1 no-op policy")
run([ResourceValidationPolicy(name=f"p{i}", description="d", validate=noop) for i in range(12)],
    "12 no-op policies")
run(pack.policies(), "cfhttps, SDK's own path")
shared = pack.policies()
assert sdk_sharing.install(shared)
run(shared, "cfhttps, shared path")

plain = [sdk_sharing.plain_of(sdk_sharing.convert(r.properties)) for r in requests("s")]
print(f"{'  modelling':<28} {median_call(lambda p: source.distribution(RTYPE, p, 'cdn', converted=True), plain):.3f} ms")
dists = [source.distribution(RTYPE, p, "cdn", converted=True)[0] for p in plain]
print(f"{'  evaluating all rules':<28} {median_call(lambda d: engine.evaluate([d]), dists):.3f} ms")
