"""One input, one answer, measured the way a user meets it (issue 20): generated templates whose
cache behaviours draw from one shared pool of path patterns, each audited alone in a fresh
process, then all of them in one `cfhttps audit` run, in sorted and in reversed order, at the
default settings and at `--max-states` 2000 and 200. Prints, per setting, how many file-runs
differ from the file alone (findings and notes: code, message, path, example path).

Usage: `python bench/one_answer_sweep.py [path/to/cfhttps]`; `SEED` and `COUNT` in the
environment choose the estate (default 1 and 40). tests/test_determinism.py holds the same
property as a test.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

POOL = ["/static/*", "/api/*", "*.php", "*.js", "*a?b*", "*/*/*a*b*", "/a??/*", "???*", "/img/*.png",
        "*.css", "/admin/*", "*/admin*", "/?/*", "*x*y*z*", "/static/public/*", "/api/v?/*",
        "*.??", "/*/*/*", "*a*a*a*b", "/doc/*/*.pdf", "*?*?*?", "/f*/*o?", "*/./*", "/a*b*c*d*e"]
VPP = ["allow-all", "redirect-to-https", "https-only"]


def template(rng, n):
    beh = []
    for i in range(n):
        beh.append({"PathPattern": rng.choice(POOL), "TargetOriginId": "o",
                    "ViewerProtocolPolicy": rng.choice(VPP)})
    return {"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {
        "DistributionConfig": {"Enabled": True,
            "Origins": [{"Id": "o", "DomainName": "example.com",
                         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                "OriginSSLProtocols": ["TLSv1.2"]}}],
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"},
            "CacheBehaviors": beh,
            "ViewerCertificate": {"AcmCertificateArn": "arn:x", "SslSupportMethod": "sni-only",
                                  "MinimumProtocolVersion": "TLSv1.2_2021"}}}}}}


def run(cli, files, extra):
    out = subprocess.run(cli + ["audit", "--format", "json", "--fail-on", "never", *extra, *files],
                         capture_output=True, text=True)
    data = json.loads(out.stdout)
    per = {}
    for kind in ("findings", "notes"):
        for f in data[kind]:
            per.setdefault(f.get("file"), []).append(
                (kind, f.get("code"), f.get("message"), json.dumps(f.get("path")), f.get("example_path")))
    return {k: sorted(v) for k, v in per.items()}


def main():
    """The estate is written to a temporary folder; the cfhttps command comes from argv[1]."""
    cli = [sys.argv[1]] if len(sys.argv) > 1 else ["cfhttps"]
    seed = int(os.environ.get("SEED", "1"))
    count = int(os.environ.get("COUNT", "40"))
    rng = random.Random(seed)
    d = tempfile.mkdtemp()
    files = []
    for k in range(count):
        p = os.path.join(d, f"t{k:03d}.json")
        with open(p, "w") as fh:
            json.dump(template(rng, rng.randint(3, 60)), fh)
        files.append(p)
    for extra in ([], ["--max-states", "2000"], ["--max-states", "200"]):
        alone = {}
        for p in files:
            alone.update(run(cli, [p], extra))
        diff = 0
        for order in (sorted(files), sorted(files, reverse=True)):
            together = run(cli, order, extra)
            for p in files:
                if alone.get(p, []) != together.get(p, []):
                    diff += 1
        print(f"{extra or 'default'}: {diff} of {2*len(files)} file-runs differ", flush=True)


if __name__ == "__main__":
    main()
