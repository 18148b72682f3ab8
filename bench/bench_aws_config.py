"""Issue 15: the AWS Config rule's scheduled path over 1,000+ distributions.

A loopback CloudFront server holds N distributions (25 behaviours each, distinct domain names and
partly distinct path patterns per distribution) and answers ListDistributions (pages of 100, with
markers, as CloudFront does) and GetDistributionConfig with the DistributionConfig XML that
botocore itself serialises for CreateDistribution, i.e. the API's own document. (moto, which
the tests use, needs ~5 s to list 20 such distributions and ~0.2 s per read, so at this size it
would measure moto.) A loopback server answers Config's PutEvaluations in real mode and counts
what it receives. Each measurement is a whole, cold Python process:

- ``rule``: ``cfhttps_aws.config_rule.handler`` on a documented ``ScheduledNotification`` event
  (list, read, judge, put in batches of 100);
- ``reads``: the baseline any scheduled rule pays, the same listing and ``GetDistributionConfig``
  reads with nothing judged or put (``cfhttps_io.cloudfront.configs``).

Runs are interleaved, order rotated; medians are reported, with the rule/reads ratio, the
rate, and peak RSS against Lambda's memory settings (128 MB minimum; the template uses 256 MB)
and the projected time against Lambda's 900 s limit.
Usage: python bench/bench_aws_config.py [distributions=1000] [runs=3]
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import ROOT, api_config

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
ENV = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "bench",
       "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent",
       "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true",
       "PATH": os.environ.get("PATH", ""), "PYTHONPATH": ROOT}

CHILD = {
    "rule": """
import json
from cfhttps_aws import config_rule
event = {"invokingEvent": json.dumps({"awsAccountId": "123456789012", "messageType": "ScheduledNotification",
         "notificationCreationTime": "2026-12-01T00:00:00.000Z", "recordVersion": "1.0"}),
         "ruleParameters": json.dumps({"sensitive_paths": ["/admin/*", "/login"]}),
         "resultToken": "real-token", "eventLeftScope": False, "accountId": "123456789012"}
count = len(config_rule.handler(event))
""",
    "reads": """
import json
from cfhttps_io import cloudfront as aws_live
count = sum(1 for _ in aws_live.configs(aws_live.client()))
""",
}
TAIL = """
hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]
print(json.dumps({"count": count, "peak_kb": int(hwm.split()[1])}))
"""


class Recorder:
    """PutEvaluations in real mode (moto implements only TestMode): counts evaluations."""

    def __init__(self):
        self.evaluations = 0
        self.calls = 0
        rec = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                rec.calls += 1
                rec.evaluations += len(body.get("Evaluations", []))
                data = b'{"FailedEvaluations": []}'
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def moto_config(seed):
    cfg = api_config(25, seed=seed)
    for k, b in enumerate(cfg["CacheBehaviors"]["Items"]):
        if k % 5 == 0:  # a fifth of the patterns differ per distribution (cold pattern caches)
            b["PathPattern"] = b["PathPattern"].replace("/", f"/d{seed}-", 1)
        b.update(ForwardedValues={"QueryString": False, "Cookies": {"Forward": "none"}}, MinTTL=0)
    cfg["DefaultCacheBehavior"].update(ForwardedValues={"QueryString": False, "Cookies": {"Forward": "none"}},
                                       MinTTL=0)
    return cfg


def run(kind, env):
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD[kind] + TAIL], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(proc.stderr)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return wall, out["peak_kb"] / 1024, out["count"]


NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"


class CloudFront:
    """ListDistributions / GetDistributionConfig on loopback, from pre-serialised XML."""

    def __init__(self, configs):
        import botocore.session
        from botocore import serialize
        model = botocore.session.get_session().get_service_model("cloudfront")
        op = model.operation_model("CreateDistribution")
        ser = serialize.create_serializer("rest-xml")
        self.ids = [f"E{i:012d}" for i in range(len(configs))]
        self.xml = {i: ser.serialize_to_request({"DistributionConfig": c}, op)["body"]
                    for i, c in zip(self.ids, configs)}
        cf = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stalls

            def log_message(self, *args):
                pass

            def do_GET(self):
                status, body = cf.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("ETag", "E2QWRUHEXAMPLE")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def respond(self, path):
        from urllib.parse import parse_qs, urlsplit
        parts = urlsplit(path)
        if parts.path.endswith("/config"):
            body = self.xml.get(parts.path.rstrip("/").split("/")[-2])
            return (200, body) if body else (404, b"")
        marker = parse_qs(parts.query).get("Marker", [""])[0]
        start = self.ids.index(marker) if marker else 0
        page = self.ids[start:start + 100]
        nxt = self.ids[start + 100] if start + 100 < len(self.ids) else ""
        items = "".join(f"<DistributionSummary><Id>{i}</Id></DistributionSummary>" for i in page)
        more = f"<NextMarker>{nxt}</NextMarker>" if nxt else ""
        body = (f'<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker>{marker}</Marker>{more}'
                f"<MaxItems>100</MaxItems><IsTruncated>{'true' if nxt else 'false'}</IsTruncated>"
                f"<Quantity>{len(page)}</Quantity><Items>{items}</Items></DistributionList>")
        return 200, body.encode()


def main():
    t = time.perf_counter()
    cloudfront = CloudFront([moto_config(i) for i in range(N)])
    print(f"serialised {N} distribution configs in {time.perf_counter() - t:.1f} s")
    recorder = Recorder()
    env = dict(ENV, AWS_ENDPOINT_URL_CLOUDFRONT=cloudfront.url,
               AWS_ENDPOINT_URL_CONFIG_SERVICE=recorder.url)
    times = {"rule": [], "reads": []}
    peaks = {"rule": [], "reads": []}
    kinds = list(times)
    for r in range(RUNS):
        for kind in kinds[r % 2:] + kinds[:r % 2]:
            before = recorder.evaluations
            wall, peak, count = run(kind, env)
            assert count == N, (kind, count)
            if kind == "rule":
                assert recorder.evaluations - before == N
            times[kind].append(wall)
            peaks[kind].append(peak)
            print(f"  run {r + 1} {kind:5}: {wall:6.1f} s, peak {peak:5.1f} MB")
    rule, reads = statistics.median(times["rule"]), statistics.median(times["reads"])
    peak = max(peaks["rule"])
    print(f"\n{N} distributions, median of {RUNS} interleaved runs (whole processes, cold):")
    print(f"  reads only (list + GetDistributionConfig): {reads:6.1f} s  {N / reads:6.1f} distributions/s")
    print(f"  Config rule (reads + judge + put):        {rule:6.1f} s  {N / rule:6.1f} distributions/s")
    print(f"  rule / reads: {rule / reads:.2f}; judging and putting cost "
          f"{(rule - reads) / N * 1000:.1f} ms per distribution")
    print(f"  peak RSS: rule {peak:.1f} MB (reads {max(peaks['reads']):.1f} MB): "
          f"{peak / 128 * 100:.0f}% of Lambda's 128 MB minimum, {peak / 256 * 100:.0f}% of the template's 256 MB")
    print(f"  PutEvaluations calls in total: {recorder.calls} (batches of at most 100)")
    print(f"  at this rate Lambda's 900 s limit allows ~{int(900 * N / rule)} distributions per "
          f"scheduled run before CloudFront's own latency is added")


if __name__ == "__main__":
    main()
