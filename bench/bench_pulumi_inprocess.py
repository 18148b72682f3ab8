"""Where an Analyze call's time goes, without gRPC: the SDK's servicer called in-process with
(a) one no-op policy, (b) twelve no-op policies, (c) the cfhttps policies, on distinct
25-behaviour distributions; then the cfhttps stages on their own. Medians per call.
The pack's SDK sharing (cfhttps_pulumi/sdk_sharing.py) is installed in this process, so (a) and
(b) also run with it: compare them with the gRPC benchmark's baseline, which runs without.
Usage: python bench/bench_pulumi_inprocess.py"""

import gc
import os
import statistics
import sys
import time

from common import ROOT

sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))
from bench_pulumi import pulumi_props  # noqa: E402  (defines the benchmark distribution)
from pulumi.runtime.proto import analyzer_pb2  # noqa: E402
from pulumi_harness import to_struct  # noqa: E402
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy  # noqa: E402
from pulumi_policy import policy as sdk  # noqa: E402

from cfhttps_pulumi import pack, sdk_sharing  # noqa: E402
from rules import engine  # noqa: E402
from rules.sources import pulumi as source  # noqa: E402

N = 400
sdk_sharing.share()
base = pulumi_props(25)
RTYPE = "aws:cloudfront/distribution:Distribution"


def requests(tag):
    return [analyzer_pb2.AnalyzeRequest(type=RTYPE, properties=to_struct(dict(base, comment=f"{tag}{i}")),
                                        urn="urn:pulumi:dev::p::aws:cloudfront/distribution:Distribution::cdn",
                                        name="cdn") for i in range(N)]


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
run(pack.policies(), "cfhttps policies")

plain = [sdk.deserialize_properties(sdk.json_format.MessageToDict(r.properties)) for r in requests("s")]
print(f"{'  modelling':<28} {median_call(lambda p: source.distribution(RTYPE, p, 'cdn', converted=True), plain):.3f} ms")
dists = [source.distribution(RTYPE, p, "cdn", converted=True)[0] for p in plain]
print(f"{'  evaluating all rules':<28} {median_call(lambda d: engine.evaluate([d]), dists):.3f} ms")
