"""Each rule: at least two bad and two good CloudFormation cases, asserting the exact code set."""

import pytest

from conftest import audit_yaml, dist_yaml
from rules.config import Config

S3_REST = """
- Id: s3
  DomainName: my-bucket.s3.us-east-1.amazonaws.com
  S3OriginConfig: {}
"""
API = """
- Id: api
  DomainName: api.example.com
  CustomOriginConfig:
    OriginProtocolPolicy: https-only
    OriginSSLProtocols: [TLSv1.2]
"""
GOOD_CERT = """
ViewerCertificate:
  AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/x
  SslSupportMethod: sni-only
  MinimumProtocolVersion: TLSv1.2_2021
"""


def cfg(origins, default="s3", vpp="https-only", behaviors="", cert=GOOD_CERT, extra="", dcb=""):
    import textwrap
    o = textwrap.indent(textwrap.dedent(origins).strip("\n"), "  ")
    b = ""
    if behaviors:
        b = "CacheBehaviors:\n" + textwrap.indent(textwrap.dedent(behaviors).strip("\n"), "  ") + "\n"
    return dist_yaml(f"Origins:\n{o}\n{b}DefaultCacheBehavior:\n  TargetOriginId: {default}\n"
                     f"  ViewerProtocolPolicy: {vpp}\n" + dcb + textwrap.dedent(cert).strip("\n") + "\n"
                     + extra)


def only(code, text, **kw):
    findings, _ = audit_yaml(text, **kw)
    return [f for f in findings if f.code == code]


CASES = {
    "CFH001": {
        "bad": [cfg(S3_REST, vpp="allow-all"),
                cfg(API, default="api", behaviors="""
                    - PathPattern: /img/*
                      TargetOriginId: api
                      ViewerProtocolPolicy: allow-all
                """)],
        "good": [cfg(S3_REST, vpp="redirect-to-https"), cfg(API, default="api", vpp="https-only")],
    },
    "CFH002": {
        "bad": [cfg("""
                    - Id: w
                      DomainName: b.s3-website-us-east-1.amazonaws.com
                      CustomOriginConfig: {OriginProtocolPolicy: https-only}
                """, default="w"),
                cfg("""
                    - Id: w
                      DomainName: b.s3-website.eu-central-1.amazonaws.com
                      CustomOriginConfig: {OriginProtocolPolicy: match-viewer}
                """, default="w"),
                cfg("""
                    - Id: w
                      DomainName: b.s3-website-us-west-2.amazonaws.com
                      S3OriginConfig: {}
                """, default="w")],
        "good": [cfg("""
                    - Id: w
                      DomainName: b.s3-website-us-east-1.amazonaws.com
                      CustomOriginConfig: {OriginProtocolPolicy: http-only}
                """, default="w"),
                 cfg(S3_REST)],
    },
    "CFH003": {
        "bad": [cfg("""
                    - Id: a
                      DomainName: api.example.com
                      CustomOriginConfig: {OriginProtocolPolicy: http-only}
                """, default="a"),
                cfg(S3_REST, vpp="allow-all"),
                cfg("""
                    - Id: a
                      DomainName: api.example.com
                      CustomOriginConfig: {OriginProtocolPolicy: match-viewer, OriginSSLProtocols: [TLSv1.2]}
                """, default="a", vpp="allow-all")],
        "good": [cfg(S3_REST, vpp="redirect-to-https"),
                 cfg("""
                    - Id: a
                      DomainName: api.example.com
                      CustomOriginConfig: {OriginProtocolPolicy: match-viewer, OriginSSLProtocols: [TLSv1.2]}
                 """, default="a", vpp="https-only")],
    },
    "CFH004": {
        "bad": [cfg(S3_REST, vpp="redirect-to-https",
                    dcb="  AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]\n"),
                cfg(API, default="api", behaviors="""
                    - PathPattern: /form
                      TargetOriginId: api
                      ViewerProtocolPolicy: redirect-to-https
                      AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
                """)],
        "good": [cfg(S3_REST, vpp="redirect-to-https", dcb="  AllowedMethods: [GET, HEAD, OPTIONS]\n"),
                 cfg(S3_REST, vpp="https-only",
                     dcb="  AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]\n")],
    },
    "CFH005": {
        "bad": [cfg(S3_REST, behaviors="""
                    - {PathPattern: /docs/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                    - {PathPattern: docs/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                """),
                cfg(S3_REST, behaviors="""
                    - {PathPattern: /docs, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                    - {PathPattern: "/docs?*", TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                    - {PathPattern: "/docs*", TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                """),
                cfg(S3_REST, behaviors="""
                    - {PathPattern: "*", TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                """)],
        "good": [cfg(S3_REST, behaviors="""
                    - {PathPattern: /docs/private/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                    - {PathPattern: /docs/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                """),
                 cfg(S3_REST, behaviors="""
                    - {PathPattern: /Admin/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                    - {PathPattern: /admin/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                 """)],
    },
    "CFH006": {
        "bad": [cfg(S3_REST, behaviors="""
                    - {PathPattern: "*.php", TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
                    - {PathPattern: admin/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                """),
                cfg(S3_REST, behaviors="""
                    - {PathPattern: /api/*, TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
                    - {PathPattern: /api/admin/*, TargetOriginId: s3, ViewerProtocolPolicy: redirect-to-https}
                """)],
        "good": [cfg(S3_REST, behaviors="""
                    - {PathPattern: /static/public/*, TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
                    - {PathPattern: /static/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                """),
                 cfg(S3_REST, behaviors="""
                    - {PathPattern: admin/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
                    - {PathPattern: "*.php", TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
                 """)],
    },
    "CFH008": {
        "bad": [cfg(S3_REST, default="nope"),
                cfg(S3_REST, behaviors="""
                    - {PathPattern: /x/*, TargetOriginId: gone, ViewerProtocolPolicy: https-only}
                """)],
        "good": [cfg(S3_REST),
                 cfg(S3_REST + API, default="grp", extra="""OriginGroups:
  Quantity: 1
  Items:
    - Id: grp
      FailoverCriteria: {StatusCodes: {Quantity: 1, Items: [500]}}
      Members:
        Quantity: 2
        Items: [{OriginId: s3}, {OriginId: api}]
""")],
    },
    "CFH009": {
        "bad": [cfg(S3_REST, cert=""),
                cfg(S3_REST, cert="ViewerCertificate: {CloudFrontDefaultCertificate: true}"),
                cfg(S3_REST, cert="ViewerCertificate: {AcmCertificateArn: arn:x, SslSupportMethod: sni-only}"),
                cfg(S3_REST, cert="ViewerCertificate: {AcmCertificateArn: arn:x, SslSupportMethod: sni-only, MinimumProtocolVersion: TLSv1.1_2016}")],
        "good": [cfg(S3_REST),
                 cfg(S3_REST, cert="ViewerCertificate: {AcmCertificateArn: arn:x, SslSupportMethod: sni-only, MinimumProtocolVersion: TLSv1.3_2025}")],
    },
    "CFH010": {
        "bad": [cfg("""
                    - Id: a
                      DomainName: api.example.com
                      CustomOriginConfig: {OriginProtocolPolicy: https-only}
                """, default="a"),
                cfg("""
                    - Id: a
                      DomainName: api.example.com
                      CustomOriginConfig: {OriginProtocolPolicy: match-viewer, OriginSSLProtocols: [TLSv1.1, TLSv1.2]}
                """, default="a")],
        "good": [cfg(API, default="api"),
                 cfg("""
                    - Id: a
                      DomainName: api.example.com
                      CustomOriginConfig: {OriginProtocolPolicy: http-only}
                 """, default="a")],
    },
    "CFH012": {
        "bad": [cfg(S3_REST),
                cfg("""
                    - Id: s3
                      DomainName: my-bucket.s3-eu-west-1.amazonaws.com
                      S3OriginConfig: {OriginAccessIdentity: origin-access-identity/cloudfront/E1}
                """)],
        "good": [cfg("""
                    - Id: s3
                      DomainName: my-bucket.s3.us-east-1.amazonaws.com
                      OriginAccessControlId: E2QWRUHAPOMQZL
                      S3OriginConfig: {OriginAccessIdentity: ''}
                 """),
                 cfg(API, default="api")],
    },
}


@pytest.mark.parametrize("code,idx", [(c, i) for c, v in CASES.items() for i in range(len(v["bad"]))])
def test_bad_cases_fire(code, idx):
    assert only(code, CASES[code]["bad"][idx]), f"{code} bad case {idx} did not fire"


@pytest.mark.parametrize("code,idx", [(c, i) for c, v in CASES.items() for i in range(len(v["good"]))])
def test_good_cases_are_clean(code, idx):
    assert not only(code, CASES[code]["good"][idx])


def test_every_rule_has_cases():
    from rules.catalog import CATALOG
    covered = set(CASES) | {"CFH007", "CFH011"}  # opt-in rules: their cases set the option
    # (CFH011: tests/test_hsts_oac.py)
    assert covered == set(CATALOG)
    for code, v in CASES.items():
        assert len(v["bad"]) >= 2 and len(v["good"]) >= 2, code


# CFH007 needs configuration.
SENS = Config(sensitive_paths=("/admin/*",))


def test_cfh007_bad_default_serves_sensitive():
    found = only("CFH007", cfg(S3_REST, vpp="allow-all"), config=SENS)
    assert found and found[0].example_path == "/admin/a"


def test_cfh007_bad_broad_earlier_behaviour():
    text = cfg(S3_REST, behaviors="""
        - {PathPattern: "*.php", TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
        - {PathPattern: /admin/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
    """)
    found = only("CFH007", text, config=SENS)
    assert [f.example_path for f in found] == ["/admin/a.php"]


def test_cfh007_good_https_behaviour_first():
    text = cfg(S3_REST, vpp="allow-all", behaviors="""
        - {PathPattern: /admin/*, TargetOriginId: s3, ViewerProtocolPolicy: https-only}
    """)
    assert not only("CFH007", text, config=SENS)


def test_cfh007_good_case_sensitive_and_off_by_default():
    text = cfg(S3_REST, vpp="https-only", behaviors="""
        - {PathPattern: /Admin/*, TargetOriginId: s3, ViewerProtocolPolicy: allow-all}
    """)
    assert not only("CFH007", text, config=SENS)
    assert not only("CFH007", cfg(S3_REST, vpp="allow-all"))  # no sensitive_paths: inactive


def test_cfh006_examples_and_location():
    findings, _ = audit_yaml(CASES["CFH006"]["bad"][0])
    f = [x for x in findings if x.code == "CFH006"][0]
    assert f.example_path == "/admin/a.php"
    assert f.path[-3:] == ("CacheBehaviors", 1, "PathPattern")
    findings, _ = audit_yaml(CASES["CFH006"]["bad"][1])
    assert [x.example_path for x in findings if x.code == "CFH006"] == ["/api/admin/a"]


def test_cfh005_names_the_covering_behaviours():
    findings, _ = audit_yaml(CASES["CFH005"]["bad"][1])
    f = [x for x in findings if x.code == "CFH005"]
    assert len(f) == 1 and "#1 (/docs)" in f[0].message and "#2 (/docs?*)" in f[0].message
    findings, _ = audit_yaml(CASES["CFH005"]["bad"][2])
    assert any("default cache behaviour is unreachable" in x.message for x in findings)


def test_require_origin_https_makes_cfh003_an_error():
    f = only("CFH003", CASES["CFH003"]["bad"][0], config=Config(require_origin_https=True))
    assert f and f[0].severity == "error"
    f = only("CFH003", CASES["CFH003"]["bad"][0])
    assert f[0].severity == "warning"


def test_rule_disable_and_severity_override():
    from rules.config import RuleSetting
    c = Config().with_rule("CFH001", RuleSetting(enabled=False))
    assert not only("CFH001", CASES["CFH001"]["bad"][0], config=c)
    c = Config().with_rule("CFH001", RuleSetting(severity="warning"))
    assert only("CFH001", CASES["CFH001"]["bad"][0], config=c)[0].severity == "warning"


def test_minimum_protocol_version_config():
    text = cfg(S3_REST, cert="ViewerCertificate: {AcmCertificateArn: arn:x, MinimumProtocolVersion: TLSv1.2_2019}")
    assert only("CFH009", text)
    assert not only("CFH009", text, config=Config(minimum_protocol_version="TLSv1.2_2018"))


def test_origin_group_members_are_judged():
    text = cfg("""
        - Id: a
          DomainName: a.example.com
          CustomOriginConfig: {OriginProtocolPolicy: match-viewer, OriginSSLProtocols: [TLSv1.2]}
        - Id: b
          DomainName: b.example.com
          CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginSSLProtocols: [TLSv1.2]}
    """, default="g", vpp="allow-all", extra="""OriginGroups:
  Quantity: 1
  Items:
    - Id: g
      Members: {Quantity: 2, Items: [{OriginId: a}, {OriginId: b}]}
""")
    f = only("CFH003", text)
    assert len(f) == 1 and "'a'" in f[0].message
    assert not only("CFH008", text)
