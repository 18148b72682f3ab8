"""Do two checkouts' Pulumi packs answer alike? Speed work on the shared Analyze path must not
change one byte of any answer; this is how that was checked.

Usage: python bench/pulumi_answers.py <other-checkout> [count]
Builds `count` (default 1500) engine-shaped requests (tests/pulumi_harness.py: provider, options,
parent) from random distributions (seeded): varied path-pattern shapes, layouts repeated with
other viewer policies, methods and origins, unknown values, bad input, weak and strong TLS; runs
each through the SDK's servicer with the cfhttps policies on the shared path, and a third of them
again (warm). Each checkout runs in its own fresh process (cold caches); the script prints the
sha256 of every response (diagnostics and not-applicables, as JSON) for both and exits 1 when
they differ. ``--one <checkout> <out-file>`` is the per-process part.
"""
import hashlib, json, random, sys, os, subprocess

if len(sys.argv) > 1 and sys.argv[1] != "--one":
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    count = sys.argv[2] if len(sys.argv) > 2 else "1500"
    import tempfile
    hashes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, root in (("this", here), ("other", os.path.abspath(sys.argv[1]))):
            out = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", root,
                                  os.path.join(tmp, name + ".jsonl"), count],
                                 capture_output=True, text=True, check=True).stdout.split()
            hashes[name] = out[0]
            print(f"{name:5} {root}: sha256 {out[0]} over {out[1]} requests")
    print("identical" if hashes["this"] == hashes["other"] else "DIFFERENT")
    sys.exit(0 if hashes["this"] == hashes["other"] else 1)
if len(sys.argv) < 4:
    sys.exit(__doc__)
root = sys.argv[2]
sys.argv = sys.argv[1:]
sys.path.insert(0, root); sys.path.insert(0, os.path.join(root, "tests"))
from pulumi_harness import analyze_request, UNKNOWN
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as sdk
from cfhttps_pulumi import pack, sdk_sharing
from google.protobuf import json_format

rnd = random.Random(int(os.environ.get("ANSWERS_SEED", "7")))
WORDS = ["api", "img", "a", "b", "static", "v1", "docs", "x", "admin", "js"]
SUF = [".jpg", ".css", ".js", ".json", ".php", ""]

def pattern():
    k = rnd.randrange(12)
    w = lambda: rnd.choice(WORDS)
    if k == 0: return f"/{w()}/*"
    if k == 1: return f"/{w()}/{w()}/*"
    if k == 2: return f"*{rnd.choice(SUF) or '.txt'}"
    if k == 3: return f"/{w()}/v?/{w()}/*"
    if k == 4: return f"/{w()}*{rnd.choice(SUF)}"
    if k == 5: return f"{w()}/*/{w()}/*"
    if k == 6: return f"/{w()}/{w()}"
    if k == 7: return f"/{w()}?{w()}*"
    if k == 8: return "*"
    if k == 9: return f"*{w()}*{w()}*"
    if k == 10: return rnd.choice([UNKNOWN, "", "/bad pattern", 7, "/" + "a*" * 40])
    return f"/{w()}/??/*{rnd.choice(SUF)}"

VPP = ["allow-all", "redirect-to-https", "https-only"]
METHODS = [["GET", "HEAD"], ["GET", "HEAD", "OPTIONS"], ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]]

def origins():
    out = [{"originId": "s3", "domainName": rnd.choice(["b.s3.us-east-1.amazonaws.com", "b.s3-website-us-east-1.amazonaws.com", "b.s3-website.eu-west-1.amazonaws.com", UNKNOWN]),
            "s3OriginConfig": {"originAccessIdentity": rnd.choice(["", "origin-access-identity/cloudfront/E1"])}}]
    out.append({"originId": "app", "domainName": rnd.choice(["app.example.com", "b.s3-website-us-east-1.amazonaws.com", UNKNOWN]),
                "customOriginConfig": {"originProtocolPolicy": rnd.choice(["https-only", "http-only", "match-viewer", UNKNOWN]),
                                       "httpPort": 80, "httpsPort": 443,
                                       "originSslProtocols": rnd.choice([["TLSv1.2"], ["TLSv1", "TLSv1.2"], ["SSLv3"]])}})
    if rnd.random() < 0.3:
        out[0]["originAccessControlId"] = "oac"
    return out

def behavior(p):
    b = {"pathPattern": p, "targetOriginId": rnd.choice(["s3", "app", "app", "nowhere"]) ,
         "viewerProtocolPolicy": rnd.choice(VPP + ([UNKNOWN] if rnd.random() < 0.05 else [])),
         "allowedMethods": rnd.choice(METHODS), "cachedMethods": ["GET", "HEAD"]}
    if rnd.random() < 0.2:
        b["responseHeadersPolicyId"] = rnd.choice(["67f7725c-6f97-4210-82d7-5512b31e9d03", "x", UNKNOWN])
    return b

def distribution(layout):
    d = {"enabled": True, "origins": origins(),
         "orderedCacheBehaviors": [behavior(p) for p in layout],
         "defaultCacheBehavior": {"targetOriginId": "s3", "viewerProtocolPolicy": rnd.choice(VPP),
                                  "allowedMethods": rnd.choice(METHODS), "cachedMethods": ["GET", "HEAD"]},
         "viewerCertificate": rnd.choice([{"cloudfrontDefaultCertificate": True},
                                          {"acmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x", "sslSupportMethod": "sni-only",
                                           "minimumProtocolVersion": rnd.choice(["TLSv1", "TLSv1.2_2021", "TLSv1.1_2016"])}])}
    if rnd.random() < 0.05:
        d["orderedCacheBehaviors"] = UNKNOWN
    return d

count = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
layouts = [[pattern() for _ in range(rnd.randrange(0, 30))] for _ in range(count // 5)]
reqs = []
for i in range(count):
    layout = rnd.choice(layouts)
    if rnd.random() < 0.1:
        layout = list(layout); rnd.shuffle(layout)
    rtype = "aws:cloudfront/distribution:Distribution"
    reqs.append(analyze_request(rtype, f"cdn{i % 17}", distribution(layout)))
policies = pack.policies()
assert sdk_sharing.install(policies)
serv = sdk._PolicyAnalyzerServicer("cfhttps", "0.1.0", policies, EnforcementLevel.ADVISORY, None, None, None, None, None, None, None)
h = hashlib.sha256()
with open(sys.argv[2], "w") as out:
    for r in reqs + reqs[::3]:
        resp = serv.Analyze(r, None)
        line = json.dumps(json_format.MessageToDict(resp), sort_keys=True)
        out.write(line + "\n")
        h.update(line.encode())
print(h.hexdigest(), len(reqs))
