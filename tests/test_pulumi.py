"""The Pulumi door over the real analyzer protocol, with properties from real pulumi_aws /
pulumi_aws_native declarations run under Pulumi's mock runtime (see tests/pulumi_harness.py)."""

import copy
import os

import pytest

from conftest import CORPUS, ROOT
from rules.catalog import CATALOG
from pulumi_harness import LEVEL_NAMES, UNKNOWN, capture, urn_of

pytestmark = pytest.mark.slow  # starts the policy pack and talks gRPC to it

PROGRAMS = os.path.join(ROOT, "tests", "pulumi_programs")
AWS = "aws:cloudfront/distribution:Distribution"
NATIVE = "aws-native:cloudfront:Distribution"


@pytest.fixture(scope="module")
def website():
    return capture(os.path.join(PROGRAMS, "website_https.py"), ROOT)


def dist_of(captured, rtype=AWS):
    return next(c for c in captured if c["type"] == rtype)


def by_policy(diags):
    out = {}
    for d in diags:
        out.setdefault(d.policyName, []).append(d)
    return out


def test_analyzer_info_from_catalogue(pack):
    info = pack.info()
    assert info.name == "cfhttps"
    policies = {p.name: p for p in info.policies}
    for rule in CATALOG.values():
        p = policies[rule.policy]
        assert p.description == f"{rule.code}: {rule.title}"
        assert LEVEL_NAMES[p.enforcementLevel] == rule.enforcement
        assert p.url == rule.url and p.remediation_steps == rule.fix
    assert set(policies["cloudfront-sensitive-path-https"].configSchema.properties) == {"sensitive_paths", "max_states"}
    assert set(policies["cloudfront-viewer-tls"].configSchema.properties) == {"minimum_protocol_version"}


def test_preview_unknowns_do_not_hide_known_violations(pack, website):
    pack.configure({})
    d = dist_of(website)
    assert d["inputs"]["origins"][0]["domainName"] == UNKNOWN  # a real preview unknown
    diags = by_policy(pack.analyze(AWS, "cdn", d["inputs"], d))
    # allow-all is still a mandatory violation although domainName is unknown.
    viewer = diags["cloudfront-viewer-https"]
    assert {LEVEL_NAMES[x.enforcementLevel] for x in viewer} == {"mandatory"} and len(viewer) == 2
    order = diags["cloudfront-behavior-order-https"]
    assert "/admin/a.php" in order[0].message
    # Nothing was dropped with the SDK's "can't run policy ... during preview".
    assert not any("can't run policy" in x.message for xs in diags.values() for x in xs)
    # The undecided website question is advisory, never a violation of CFH002.
    assert "cloudfront-s3-website-origin-https" not in diags
    unknowns = diags["cloudfront-preview-unknowns"]
    assert all(LEVEL_NAMES[x.enforcementLevel] == "advisory" for x in unknowns)
    assert any("CFH002" in x.message and "DomainName unknown" in x.message for x in unknowns)


def test_stack_policy_infers_website_endpoint(pack, website):
    pack.configure({})
    d = dist_of(website)
    cfg = next(c for c in website if c["type"].startswith("aws:s3/bucketWebsiteConfiguration"))
    bucket = next(c for c in website if c["type"] == "aws:s3/bucket:Bucket")
    resources = [
        {"type": bucket["type"], "name": bucket["name"], "props": bucket["inputs"], "resource": bucket},
        {"type": cfg["type"], "name": cfg["name"], "props": cfg["inputs"], "resource": cfg},
        {"type": AWS, "name": "cdn", "props": d["inputs"], "resource": d},
    ]
    # The dependencies are the ones the SDK registered: `origins` is fed by the website config.
    assert d["registration"]["propertyDependencies"]["origins"] == [urn_of(cfg["type"], cfg["name"])]
    diags = pack.analyze_stack(resources)
    inferred = [x for x in diags if x.policyName == "cloudfront-s3-website-origin-https-inferred"]
    assert len(inferred) == 1 and LEVEL_NAMES[inferred[0].enforcementLevel] == "mandatory"
    assert inferred[0].urn == urn_of(AWS, "cdn")
    assert "bucketWebsiteConfiguration" in inferred[0].message and "https-only" in inferred[0].message
    # A plain Bucket as the producer is ambiguous (it also has REST domains): no inference.
    resources[2]["property_dependencies"] = {"origins": [urn_of(bucket["type"], bucket["name"])]}
    resources[2]["props"] = copy.deepcopy(d["inputs"])
    assert not [x for x in pack.analyze_stack(resources)
                if x.policyName == "cloudfront-s3-website-origin-https-inferred"]
    # Website config plus a producer that could supply another host: no inference either.
    resources[2]["property_dependencies"] = {"origins": [urn_of(cfg["type"], cfg["name"]),
                                                         urn_of("aws:lb/loadBalancer:LoadBalancer", "alb")]}
    resources.append({"type": "aws:lb/loadBalancer:LoadBalancer", "name": "alb", "props": {}})
    assert not [x for x in pack.analyze_stack(resources)
                if x.policyName == "cloudfront-s3-website-origin-https-inferred"]


def test_remediation_fixes_and_passes(pack, website):
    pack.configure({"cloudfront-viewer-https": {"enforcementLevel": "remediate"},
                    "cloudfront-s3-website-origin-https": {"enforcementLevel": "remediate"}})
    props = copy.deepcopy(dist_of(website)["inputs"])
    props["origins"][0]["domainName"] = "site.s3-website-us-east-1.amazonaws.com"
    rems = pack.remediate(AWS, "cdn", props, dist_of(website))
    assert [r.policyName for r in rems] == ["cloudfront-viewer-https", "cloudfront-s3-website-origin-https"]
    final = dict(rems[-1].properties)
    from google.protobuf.json_format import MessageToDict
    final = MessageToDict(rems[-1].properties)
    assert final["defaultCacheBehavior"]["viewerProtocolPolicy"] == "https-only"  # it allows writes
    assert final["orderedCacheBehaviors"][0]["viewerProtocolPolicy"] == "redirect-to-https"
    assert final["origins"][0]["customOriginConfig"]["originProtocolPolicy"] == "http-only"
    diags = by_policy(pack.analyze(AWS, "cdn", final, dist_of(website)))
    assert "cloudfront-viewer-https" not in diags and "cloudfront-s3-website-origin-https" not in diags
    assert "cloudfront-redirect-write-methods" not in diags
    assert "cloudfront-origin-plaintext" in diags  # the REST + origin access control advice remains


def test_configuration_through_configure(pack, website):
    pack.configure({"cloudfront-sensitive-path-https": {"enforcementLevel": "mandatory",
                                                        "sensitive_paths": ["/admin/*"]},
                    "cloudfront-viewer-tls": {"enforcementLevel": "advisory",
                                              "minimum_protocol_version": "TLSv1"}})
    diags = by_policy(pack.analyze(AWS, "cdn", dist_of(website)["inputs"], dist_of(website)))
    sens = diags["cloudfront-sensitive-path-https"]
    assert any("/admin/a.php" in x.message for x in sens)
    assert "cloudfront-viewer-tls" not in diags  # default cert (TLSv1) meets a TLSv1 minimum
    pack.configure({})
    assert "cloudfront-sensitive-path-https" not in by_policy(
        pack.analyze(AWS, "cdn", dist_of(website)["inputs"], dist_of(website)))


def test_aws_native_shape(pack):
    captured = capture(os.path.join(PROGRAMS, "native_allow_all.py"), ROOT)
    pack.configure({})
    native = dist_of(captured, NATIVE)
    diags = by_policy(pack.analyze(NATIVE, "native", native["inputs"], native))
    assert {"cloudfront-viewer-https", "cloudfront-origin-plaintext", "cloudfront-target-origin"} <= set(diags)


def test_good_program_has_no_mandatory_violation(pack):
    captured = capture(os.path.join(PROGRAMS, "rest_oac_good.py"), ROOT)
    pack.configure({})
    diags = pack.analyze(AWS, "cdn", dist_of(captured)["inputs"], dist_of(captured))
    assert not [d for d in diags if LEVEL_NAMES[d.enforcementLevel] == "mandatory"]


@pytest.mark.parametrize("props", [
    {}, {"origins": 7}, {"origins": [None, "x", {"originId": 5}]}, {"defaultCacheBehavior": UNKNOWN},
    {"orderedCacheBehaviors": {"a": 1}}, {"viewerCertificate": [1, 2]},
    {"orderedCacheBehaviors": [{"pathPattern": "*" * 300, "viewerProtocolPolicy": "allow-all"}]},
    {"origins": UNKNOWN, "defaultCacheBehavior": {"viewerProtocolPolicy": "allow-all", "targetOriginId": UNKNOWN}},
])
def test_never_fails_an_rpc(pack, props):
    pack.configure({})
    diags = pack.analyze(AWS, "bad", props)  # raises grpc.RpcError if anything escaped
    assert isinstance(diags, list)
    assert pack.remediate(AWS, "bad", props) is not None


STATIC_SITE_CONFIG = {"proj:targetDomain": "www.example.com",
                      "proj:certificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x"}
# The project's own programs in the shapes real static-site stacks take (the corpus below is the
# real-world layer on top): the policies that must (and only may) fire.
STATIC_SITE_EXPECTED = {
    # S3 REST origin (regional name) + OAI (legacy: CFH012), redirect-to-https, default certificate.
    "static_rest_oai_default_cert.py": {"cloudfront-viewer-tls", "cloudfront-s3-origin-access-control"},
    # S3 REST (global name) + OAI (legacy: CFH012), redirect-to-https, ACM certificate pinned to
    # TLSv1.2_2021.
    "static_rest_oai_pinned_acm.py": {"cloudfront-s3-origin-access-control"},
    # Website endpoint as a custom http-only origin (a plaintext leg); ACM certificate unpinned.
    "static_website_http_only.py": {"cloudfront-origin-plaintext", "cloudfront-viewer-tls"},
    # S3 REST + OAC (dict arguments), redirect-to-https, default certificate.
    "static_rest_oac_default_cert.py": {"cloudfront-viewer-tls"},
}


def _fired(pack, program, config, tmp_path):
    captured = capture(program, ROOT, config, cwd=str(tmp_path))
    pack.configure({})
    dists = [c for c in captured if c["type"] in (AWS, NATIVE)]
    assert dists
    fired = set()
    for d in dists:
        for diag in pack.analyze(d["type"], d["name"], d["inputs"], d):
            assert "can't run policy" not in diag.message
            if diag.policyName != "cloudfront-preview-unknowns":
                fired.add(diag.policyName)
    return fired


@pytest.mark.parametrize("name", sorted(STATIC_SITE_EXPECTED))
def test_static_site_programs(pack, name, tmp_path):
    fired = _fired(pack, os.path.join(PROGRAMS, name), STATIC_SITE_CONFIG, tmp_path)
    assert fired == STATIC_SITE_EXPECTED[name]


CORPUS_CONFIG = {"proj:targetDomain": "www.example.com", "proj:pathToWebsiteContents": "www",
                 "proj:certificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x"}
# Reviewed by hand against each program: the policies that must (and only may) fire.
CORPUS_EXPECTED = {
    # S3 REST origin (bucket_regional_domain_name) + a literal OAI path (legacy: CFH012),
    # redirect-to-https, default certificate.
    "GirishaDaggula__pulumi-s3-cloudfront__pulumi-lab7____main__.py": {"cloudfront-viewer-tls",
                                                                       "cloudfront-s3-origin-access-control"},
    # S3 REST + OAI (legacy: CFH012), redirect-to-https, ACM certificate pinned to TLSv1.2_2021.
    "Kartoshnikov__pulumi-s3-cloudfront____main__.py": {"cloudfront-s3-origin-access-control"},
    # Website endpoint as a custom http-only origin (correct, but a plaintext leg); ACM
    # certificate without minimum_protocol_version.
    "pulumi__examples__aws-py-static-website____main__.py": {"cloudfront-origin-plaintext", "cloudfront-viewer-tls"},
    # S3 REST + OAC, redirect-to-https, default certificate.
    "pulumi__templates__static-website-aws-python____main__.py": {"cloudfront-viewer-tls"},
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_corpus_python_programs(pack, name, tmp_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("<h1>hi</h1>")
    fired = _fired(pack, os.path.join(CORPUS, "pulumi", name), CORPUS_CONFIG, tmp_path)
    assert fired == CORPUS_EXPECTED[name]


@pytest.mark.corpus
def test_every_python_corpus_program_is_covered():
    names = {n for n in os.listdir(os.path.join(CORPUS, "pulumi")) if n.endswith(".py")}
    assert names == set(CORPUS_EXPECTED)


def test_parity_with_cloudformation(pack):
    """The same distribution as a CloudFormation template and as pulumi-aws props: same codes."""
    from conftest import audit_yaml
    text = open(os.path.join(ROOT, "tests", "parity", "distribution.yaml")).read()
    cfn_codes = {f.code for f in audit_yaml(text)[0]}
    captured = capture(os.path.join(ROOT, "tests", "parity", "distribution_pulumi.py"), ROOT)
    pack.configure({})
    diags = pack.analyze(AWS, "cdn", dist_of(captured)["inputs"], dist_of(captured))
    names = {d.policyName for d in diags} - {"cloudfront-preview-unknowns"}
    by_name = {r.policy: r.code for r in CATALOG.values()}
    assert {by_name[n] for n in names} == cfn_codes
    assert len(cfn_codes) >= 6


def _variant(k):
    """Distributions that differ in what is wrong with them (k selects which)."""
    behaviors = [{"pathPattern": f"/v{k}/part{i}/*", "targetOriginId": "site",
                  "viewerProtocolPolicy": "allow-all" if i < k + 1 else "https-only",
                  "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]}
                 for i in range(6)]
    if k % 2:
        behaviors.insert(0, {"pathPattern": "*.css", "targetOriginId": "nowhere",
                             "viewerProtocolPolicy": "allow-all",
                             "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]})
    return {"enabled": True,
            "origins": [{"originId": "site", "domainName": f"b{k}.s3.us-east-1.amazonaws.com",
                         "s3OriginConfig": {"originAccessIdentity": ""}}],
            "orderedCacheBehaviors": behaviors,
            "defaultCacheBehavior": {"targetOriginId": "site", "viewerProtocolPolicy": "allow-all",
                                     "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]},
            "restrictions": {"geoRestriction": {"restrictionType": "none"}},
            "viewerCertificate": {"cloudfrontDefaultCertificate": True}}


def test_concurrent_requests_are_judged_apart(pack):
    """pulumi-policy serves up to four RPCs at once, and the engine sends resources in
    parallel: every response must carry the violations of its own request only."""
    from concurrent.futures import ThreadPoolExecutor

    pack.configure({})

    def judged(k):
        return sorted((d.policyName, d.message, d.urn) for d in pack.analyze(AWS, f"cdn{k % 4}", _variant(k % 4)))

    expected = [judged(k) for k in range(4)]
    assert len({tuple(e) for e in expected}) == 4  # the four really differ
    jobs = [k % 4 for k in range(160)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(judged, jobs))
    wrong = [k for k, g in zip(jobs, got) if g != expected[k]]
    assert not wrong, f"{len(wrong)} of {len(jobs)} concurrent responses differ from sequential ones"


def test_stack_policy_reads_vpc_origins(pack):
    """The VPC origin's settings live on aws:cloudfront/vpcOrigin:VpcOrigin; the stack policy
    follows `origins`' property dependency to it (the id is a preview unknown)."""
    pack.configure({})
    captured = capture(os.path.join(PROGRAMS, "vpc_origin_http.py"), ROOT)
    d = dist_of(captured)
    vpc = next(c for c in captured if c["type"] == "aws:cloudfront/vpcOrigin:VpcOrigin")
    assert d["inputs"]["origins"][0]["vpcOriginConfig"]["vpcOriginId"] == UNKNOWN
    # The resource policies cannot see the VPC origin's settings: no CFH003 there.
    assert "cloudfront-origin-plaintext" not in by_policy(pack.analyze(AWS, "cdn", d["inputs"], d))
    # The dependency is the one the SDK registered: `origins` is fed by the VPC origin.
    assert d["registration"]["propertyDependencies"]["origins"] == [urn_of(vpc["type"], vpc["name"])]
    resources = [{"type": vpc["type"], "name": vpc["name"], "props": vpc["inputs"], "resource": vpc},
                 {"type": AWS, "name": "cdn", "props": d["inputs"], "resource": d,
                  "property_dependencies": {"origins": [urn_of(vpc["type"], vpc["name"])]}}]
    found = by_policy(pack.analyze_stack(resources)).get("cloudfront-vpc-origin-https", [])
    assert len(found) == 1 and LEVEL_NAMES[found[0].enforcementLevel] == "advisory"
    assert found[0].urn == urn_of(AWS, "cdn")
    assert found[0].message.startswith("CFH003") and "http-only" in found[0].message, found[0].message
    assert urn_of(vpc["type"], vpc["name"]) in found[0].message
    # Two VPC origins configured differently feed `origins`: cannot tell which; nothing reported.
    other = {"type": vpc["type"], "name": "other", "props": copy.deepcopy(vpc["inputs"])}
    other["props"]["vpcOriginEndpointConfig"]["originProtocolPolicy"] = "https-only"
    resources[1]["property_dependencies"]["origins"].append(urn_of(vpc["type"], "other"))
    assert not by_policy(pack.analyze_stack(resources + [other])).get("cloudfront-vpc-origin-https")


def test_explicit_provider_parent_and_options(pack):
    """A distribution in a component on an explicit provider: the request carries that provider
    (its inputs and version), the component as parent and the resource's options, as the engine
    sends them; the verdicts do not depend on them."""
    captured = capture(os.path.join(PROGRAMS, "explicit_provider_component.py"), ROOT)
    d = dist_of(captured)
    reg = d["registration"]
    assert reg["parent"] == urn_of("proj:index:Site", "site")
    assert reg["urn"] == urn_of("proj:index:Site$" + AWS, "cdn")
    provider = reg["provider_resource"]
    assert provider["type"] == "pulumi:providers:aws" and provider["name"] == "use1"
    assert provider["inputs"]["region"] == "us-east-1" and provider["inputs"]["version"]
    from pulumi_harness import analyze_request
    request = analyze_request(AWS, "cdn", d["inputs"], d)
    assert request.options.protect and list(request.options.ignoreChanges) == ["comment"]
    assert request.options.parent == reg["parent"] and request.provider.name == "use1"
    pack.configure({})
    on_explicit = sorted(x.policyName for x in pack.analyze(AWS, "cdn", d["inputs"], d))
    on_default = sorted(x.policyName for x in pack.analyze(AWS, "cdn", d["inputs"]))
    assert on_explicit == on_default and "cloudfront-viewer-https" in on_explicit


def test_shared_path_served_the_session(pack):
    """Runs last in this module: nothing above made the pack leave the shared Analyze path (it
    would have said so on stderr, at start-up or on the first failing request)."""
    pack.analyze(AWS, "cdn", _variant(1))
    assert not [line for line in pack.stderr_lines() if line.startswith("cfhttps:")], pack.stderr_lines()
