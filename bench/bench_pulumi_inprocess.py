"""Where an Analyze call's time goes, without gRPC: the SDK's servicer called in-process with
(a) one no-op policy, (b) twelve no-op policies, (c) the cfhttps policies, on distinct
25-behaviour distributions. Usage: python bench/bench_pulumi_inprocess.py"""

import os
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

sdk_sharing.share()
base = pulumi_props(25)
reqs = [analyzer_pb2.AnalyzeRequest(type="aws:cloudfront/distribution:Distribution",
                                    properties=to_struct(dict(base, comment=f"c{i}")),
                                    urn="urn:pulumi:dev::p::aws:cloudfront/distribution:Distribution::cdn",
                                    name="cdn") for i in range(300)]


def run(policies, label, requests):
    serv = sdk._PolicyAnalyzerServicer("x", "0.1.0", policies, EnforcementLevel.ADVISORY,
                                       None, None, None, None, None, None, None)
    serv.Analyze(requests[0], None)
    t = time.perf_counter()
    for r in requests:
        serv.Analyze(r, None)
    print(f"{label:<20} {(time.perf_counter() - t) / len(requests) * 1000:.3f} ms per Analyze")


def noop(args, report):
    return None


run([ResourceValidationPolicy(name="p0", description="d", validate=noop)], "1 no-op policy", reqs[:100])
run([ResourceValidationPolicy(name=f"p{i}", description="d", validate=noop) for i in range(12)],
    "12 no-op policies", reqs[100:200])
run(pack.policies(), "cfhttps policies", reqs[200:300])
