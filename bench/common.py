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


# --------------------------------------------------------------------------- mixed real-world shapes

WORDS = ["api", "static", "images", "img", "docs", "admin", "media", "assets", "blog", "shop",
         "auth", "login", "users", "orders", "search", "cart", "help", "js", "css", "fonts",
         "video", "downloads", "account", "checkout", "products", "news", "en", "de", "fr",
         "graphql", "health", "uploads", "thumbs", "cdn", "public", "private", "beta", "app"]
EXTENSIONS = ["js", "css", "png", "jpg", "svg", "json", "html", "woff2", "map", "webp", "txt",
              "xml", "ico", "gif", "mp4", "pdf"]
FILES = ["index.html", "robots.txt", "favicon.ico", "sitemap.xml", "manifest.json", "sw.js",
         "health", "login", "ads.txt", "apple-app-site-association"]


def mixed_patterns(n: int, seed: int = 0):
    """``n`` distinct path patterns of the shapes real distributions mix, for distribution
    ``seed`` (every distribution gets its own: no two seeds share a pattern list, so caches
    stay cold): folders (``/api/*``, ``/api/v2/users/*``), extensions (``*.js``,
    ``/static/*.css``), nested wildcards (``/shop/*/cart/*``), ``?`` runs (``/v?/*``,
    ``/img/??/*.png``), exact files, and overlaps in both orders (a narrower folder before its
    parent — a carve-out — and a parent before a narrower folder — unreachable)."""
    import random
    rnd = random.Random(seed * 7919 + n)
    tag = f"s{seed}"
    out, seen = [], set()

    def word():
        return rnd.choice(WORDS)

    def seg(k):
        # Segment names are drawn per distribution; every third one carries the distribution's
        # tag or a number so that the lists differ between distributions.
        w = word()
        r = rnd.random()
        return w if r < 0.5 else f"{w}{rnd.randint(1, 99)}" if r < 0.8 else f"{w}-{tag}"

    def folder(depth):
        return "/" + "/".join(seg(k) for k in range(depth))

    recent = []
    while len(out) < n:
        kind = rnd.random()
        if kind < 0.34:
            p = folder(rnd.randint(1, 3)) + "/*"
        elif kind < 0.44:
            p = folder(rnd.randint(1, 2)) + f"/*.{rnd.choice(EXTENSIONS)}"
        elif kind < 0.48:
            ext = rnd.choice(EXTENSIONS)
            p = rnd.choice([f"*.{ext}", f"*.min.{ext}", f"*-{tag}.{ext}", f"*{rnd.randint(1, 99)}.{ext}"])
        elif kind < 0.56:
            p = folder(1) + "/*/" + seg(0) + "/*"
        elif kind < 0.64:
            q = "?" * rnd.randint(1, 3)
            p = rnd.choice([f"{folder(1)}/v{q}/*", f"{folder(1)}/{q}/*.{rnd.choice(EXTENSIONS)}",
                            f"{folder(1)}/{seg(0)}{q}*"])
        elif kind < 0.74:
            p = rnd.choice([folder(rnd.randint(0, 2)) + "/" + rnd.choice(FILES),
                            folder(1) + f"/{seg(0)}.{rnd.choice(EXTENSIONS)}"])
        elif kind < 0.80:
            p = folder(rnd.randint(1, 2)) + "*"
        elif recent and kind < 0.90:
            # A narrower folder under a recent one: it comes after its parent (unreachable).
            base = rnd.choice(recent)
            p = base[:-1] + seg(0) + "/*"
        elif recent:
            # A narrower folder placed before its parent (a carve-out): insert before it.
            base = rnd.choice(recent)
            p = base[:-1] + seg(0) + "/*"
            if p not in seen:
                seen.add(p)
                out.insert(out.index(base), p)
            continue
        else:
            continue
        if p in seen or len(p) > 255:
            continue
        seen.add(p)
        out.append(p)
        if p.endswith("/*") and "?" not in p and p.count("*") == 1:
            recent.append(p)
            recent = recent[-8:]
    return out[:n]


def mixed_behaviors(n: int, seed: int = 0):
    """(pattern, viewer protocol policy) pairs: mostly HTTPS, one in four allow-all."""
    rnd = random_for(seed)
    return [(p, "allow-all" if rnd.random() < 0.25 else rnd.choice(POLICIES[:2]))
            for p in mixed_patterns(n, seed)]


def random_for(seed: int):
    import random
    return random.Random(seed)


def mixed_cfn_template(n: int, seed: int = 0, distributions: int = 1) -> dict:
    """A CloudFormation template whose distributions each have ``n`` mixed behaviours of their
    own (distribution k uses seed ``seed + k``)."""
    resources = {}
    for d in range(distributions):
        template = cfn_template(0)
        config = template["Resources"]["Cdn"]["Properties"]["DistributionConfig"]
        config["CacheBehaviors"] = [
            {"PathPattern": p, "TargetOriginId": "app" if k % 2 else "site",
             "ViewerProtocolPolicy": v, "ForwardedValues": {"QueryString": False}}
            for k, (p, v) in enumerate(mixed_behaviors(n, seed + d))]
        resources[f"Cdn{d}"] = template["Resources"]["Cdn"]
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def mixed_api_config(n: int, seed: int = 0) -> dict:
    """:func:`api_config` with the mixed shapes of :func:`mixed_patterns` for distribution ``seed``."""
    config = api_config(0, seed)
    items = [{"PathPattern": p, "TargetOriginId": "app" if k % 2 else "site",
              "ViewerProtocolPolicy": v,
              "AllowedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"],
                                 "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}}}
             for k, (p, v) in enumerate(mixed_behaviors(n, seed))]
    config["CacheBehaviors"] = {"Quantity": len(items), "Items": items}
    return config
