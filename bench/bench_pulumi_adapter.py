"""The Pulumi adapter (cfhttps_pulumi/) of this checkout against another checkout's, in one process,
request by request: both adapters' shared Analyze path (sdk_sharing.analyze) on real SDK servicers,
over the same rules/ package (this checkout's), each request parsed from its bytes as gRPC hands it
over, the order of the two flipping every request. Every pair of responses must be byte-identical.

On a machine shared with other work, separate runs differ by tens of percent; the per-request
difference measured this way is what a change to the adapter alone is worth.

- warm: bench_pulumi's warm requests (same patterns, a new distribution each time);
- padded: the same, every object padded with defaulted fields and ``__defaults`` lists in the
  way tfbridge's Check fills pulumi-aws inputs (plausible values, not a captured request): more
  values to convert per request, as real requests have;
- cold: bench_pulumi's cold requests; rules/ is shared, so only the side that sees a request
  first pays its pattern work: medians over the requests each side saw first.

Usage: python bench/bench_pulumi_adapter.py <other-checkout> [warm|padded|cold] [requests]"""

import importlib
import importlib.util
import os
import statistics
import sys
import time

from common import ROOT

sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))
from bench_pulumi import cold_requests, warm_requests  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from pulumi.runtime.proto import analyzer_pb2  # noqa: E402
from pulumi_harness import to_struct  # noqa: E402
from pulumi_policy import EnforcementLevel  # noqa: E402
from pulumi_policy import policy as sdk  # noqa: E402


def load(root, name):
    """cfhttps_pulumi of ``root`` as the package ``name`` (its pack and sdk_sharing)."""
    folder = os.path.join(root, "cfhttps_pulumi")
    spec = importlib.util.spec_from_file_location(name, os.path.join(folder, "__init__.py"),
                                                  submodule_search_locations=[folder])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return importlib.import_module(name + ".pack"), importlib.import_module(name + ".sdk_sharing")


def padded(props):
    """``props`` with tfbridge-style defaults on the distribution, its origins and behaviours."""
    def behavior(b):
        return dict(b, compress=False, defaultTtl=0, maxTtl=0, minTtl=0, smoothStreaming=False,
                    fieldLevelEncryptionId="", realtimeLogConfigArn="", originRequestPolicyId="",
                    cachePolicyId="", responseHeadersPolicyId="", trustedKeyGroups=[],
                    trustedSigners=[], functionAssociations=[], lambdaFunctionAssociations=[],
                    __defaults=["compress", "defaultTtl", "maxTtl", "minTtl", "smoothStreaming"])

    def origin(o):
        return dict(o, connectionAttempts=3, connectionTimeout=10, originPath="", customHeaders=[],
                    originAccessControlId="", __defaults=["connectionAttempts", "connectionTimeout"])

    return dict(props, httpVersion="http2", isIpv6Enabled=False, priceClass="PriceClass_All",
                retainOnDelete=False, waitForDeployment=True, staging=False, aliases=[],
                customErrorResponses=[], tags={"env": "prod"}, defaultRootObject="", webAclId="",
                __defaults=["httpVersion", "isIpv6Enabled", "priceClass", "retainOnDelete",
                            "waitForDeployment", "staging"],
                origins=[origin(o) for o in props["origins"]],
                orderedCacheBehaviors=[behavior(b) for b in props["orderedCacheBehaviors"]],
                defaultCacheBehavior=behavior(props["defaultCacheBehavior"]))


def requests(mode, n):
    if mode == "cold":
        return cold_requests(n, 0)
    out = warm_requests(n, 0)
    if mode == "padded":
        for r in out:
            r.properties.CopyFrom(to_struct(padded(json_format.MessageToDict(r.properties))))
    return out


def main():
    other = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else "warm"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    sides = {}
    for label, root in (("other", other), ("this", ROOT)):
        pack, sharing = load(root, "cfhttps_pulumi_" + label)
        policies = pack.policies()
        servicer = sdk._PolicyAnalyzerServicer("cfhttps", "0.1.0", policies, EnforcementLevel.ADVISORY)
        sides[label] = (sharing, servicer, policies)
    parse = analyzer_pb2.AnalyzeRequest.FromString
    blobs = [r.SerializeToString() for r in requests("warm" if mode == "cold" else mode, 20)]
    for blob in blobs:  # first calls (imports, caches of the shapes)
        for sharing, servicer, policies in sides.values():
            sharing.analyze(servicer, parse(blob), policies)
    times = {label: [] for label in sides}
    first = {label: [] for label in sides}
    for i, blob in enumerate(r.SerializeToString() for r in requests(mode, n)):
        order = list(sides) if i % 2 == 0 else list(sides)[::-1]
        answers = {}
        for label in order:
            sharing, servicer, policies = sides[label]
            request = parse(blob)
            t = time.perf_counter()
            answers[label] = sharing.analyze(servicer, request, policies).SerializeToString()
            times[label].append(time.perf_counter() - t)
            if label == order[0]:
                first[label].append(times[label][-1])
        assert answers["other"] == answers["this"], f"request {i}: the answers differ"
    pick = first if mode == "cold" else times
    a, b = (statistics.median(pick[k]) * 1e3 for k in ("other", "this"))
    print(f"{mode}, {n} requests, identical answers: other {a:.3f} ms, this {b:.3f} ms per Analyze, "
          f"ratio {b / a:.3f}", end="")
    if mode != "cold":
        saving = statistics.median(x - y for x, y in zip(times["other"], times["this"])) * 1e3
        print(f", median per-request saving {saving:.3f} ms", end="")
    print()


if __name__ == "__main__":
    main()
