"""Shared helpers for the benchmarks: realistic distributions, interleaved timing, peak memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
BIN = os.path.dirname(sys.executable)

SEGMENTS = ["api", "static", "images", "docs", "admin", "media", "assets", "blog", "shop", "auth",
            "v1", "v2", "users", "orders", "search", "cart", "help", "img", "js", "css"]
SUFFIXES = ["*.jpg", "*.png", "*.css", "*.js", "*.php", "*.html", "*.json", "*.svg"]
POLICIES = ["redirect-to-https", "https-only", "allow-all"]


def realistic_patterns(n: int):
    """Path patterns like real distributions have: prefixes, nested prefixes, suffix globs, a few `?`."""
    out = []
    i = 0
    while len(out) < n:
        a = SEGMENTS[i % len(SEGMENTS)]
        b = SEGMENTS[(i * 7 + 3) % len(SEGMENTS)]
        kind = i % 6
        if kind == 0:
            p = f"/{a}/*"
        elif kind == 1:
            p = f"/{a}/{b}/*"
        elif kind == 2:
            p = SUFFIXES[i % len(SUFFIXES)] if i < len(SUFFIXES) else f"/{a}/{SUFFIXES[i % len(SUFFIXES)]}"
        elif kind == 3:
            p = f"/{a}/v?/{b}/*"
        elif kind == 4:
            p = f"/{a}-{i}/*"
        else:
            p = f"/{b}/{a}/{i}/*.json"
        if p not in out:
            out.append(p)
        i += 1
    return out


def cfn_template(n: int) -> dict:
    behaviors = [{"PathPattern": p, "TargetOriginId": "app" if k % 2 else "site",
                  "ViewerProtocolPolicy": POLICIES[k % 3],
                  "ForwardedValues": {"QueryString": False}}
                 for k, p in enumerate(realistic_patterns(n))]
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Cdn": {
        "Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Enabled": True,
            "Origins": [{"Id": "site", "DomainName": "b.s3.us-east-1.amazonaws.com", "S3OriginConfig": {}},
                        {"Id": "app", "DomainName": "app.example.com",
                         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                "OriginSSLProtocols": ["TLSv1.2"]}}],
            "CacheBehaviors": behaviors,
            "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                     "ForwardedValues": {"QueryString": False}},
            "ViewerCertificate": {"AcmCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                                  "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}}}}}}


def api_config(n: int, seed: int = 0) -> dict:
    """A DistributionConfig as `aws cloudfront get-distribution-config` prints it."""
    items = [{"PathPattern": p, "TargetOriginId": "app" if k % 2 else "site",
              "ViewerProtocolPolicy": POLICIES[(k + seed) % 3],
              "AllowedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"],
                                 "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}}}
             for k, p in enumerate(realistic_patterns(n))]
    return {"CallerReference": f"ref-{seed}", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 2, "Items": [
                {"Id": "site", "DomainName": f"b{seed}.s3.us-east-1.amazonaws.com",
                 "S3OriginConfig": {"OriginAccessIdentity": ""}},
                {"Id": "app", "DomainName": f"app{seed}.example.com",
                 "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only",
                                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https"},
            "CacheBehaviors": {"Quantity": len(items), "Items": items},
            "ViewerCertificate": {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"}}


def timed(cmd, cwd=ROOT, env=None):
    """(wall seconds, CPU seconds user+system) of one run of a command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - t, usage.ru_utime + usage.ru_stime


def interleaved(commands: dict, runs: int, cpu: bool = False) -> dict:
    """Median wall (or CPU) time per command; runs interleaved A B C A B C ..., the order
    rotated each round, so that machine noise falls on all commands alike."""
    times = {k: [] for k in commands}
    keys = list(commands)
    for r in range(runs):
        order = keys[r % len(keys):] + keys[:r % len(keys)]
        for k in order:
            wall, cpu_s = timed(commands[k])
            times[k].append(cpu_s if cpu else wall)
    return {k: statistics.median(v) for k, v in times.items()}


# Peak RSS from /proc/self/status VmHWM: unlike getrusage's ru_maxrss, which Linux carries over
# from the parent across fork and exec, it belongs to this process's own address space.
PEAK_WRAPPER = ("import runpy, sys\n"
                "sys.argv = sys.argv[1:]\n"
                "try:\n"
                "    runpy.run_module(sys.argv[0], run_name='__main__')\n"
                "except SystemExit:\n"
                "    pass\n"
                "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
                "sys.stderr.write('PEAK_KB=%d\\n' % int(hwm.split()[1]))\n")


def run_with_peak(module_and_args, cwd=ROOT):
    """(wall seconds, peak RSS in MB) of `python -m module args...`."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, *module_and_args], cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    peak = [l for l in proc.stderr.splitlines() if l.startswith("PEAK_KB=")]
    return wall, int(peak[-1].split("=")[1]) / 1024 if peak else float("nan")


def write_json(path, data):
    with open(path, "w") as fh:
        json.dump(data, fh)
