"""The rule catalogue: the one source for codes, ids, names, docs and examples.

Docs pages, ``cfhttps rules``/``explain``, cfn-lint rule metadata, the Pulumi pack's policies and
SARIF rule metadata are all generated from these entries. Codes never change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Tuple

from .managed_headers import MANAGED_RESPONSE_HEADERS_POLICIES
from .managed_headers import SOURCE as MANAGED_HEADERS_SOURCE
from .settings import Setting, for_rule

DOCS_BASE = "https://github.com/cfhttps/cfhttps/blob/main/docs/rules"


@dataclass(frozen=True)
class Rule:
    code: str
    cfn_lint_id: str
    policy: str
    title: str
    severity: str  # "error" | "warning"
    enforcement: str  # "mandatory" | "advisory"
    what: str
    why: str
    facts: Tuple[str, ...]
    bad: str
    good: str
    fix: str
    tags: Tuple[str, ...] = field(default=("cloudfront", "https"))
    worked_example: str = ""
    # A setting that must be set (non-empty) for the rule to run at all; see :meth:`runs`.
    requires: str = ""
    # A boolean setting that, when true, makes the rule an error (mandatory) by default.
    escalated_by: str = ""
    # Where the safe value of a finding's ``fix`` comes from; empty: the rule offers no fix
    # (the Pulumi door remediates exactly the rules that have one).
    remediation: str = ""

    @property
    def url(self) -> str:
        return f"{DOCS_BASE}/{self.code}.md"

    @property
    def settings(self) -> Tuple[Setting, ...]:
        """The settings the rule reads (declared in the registry, :mod:`rules.settings`)."""
        return for_rule(self.code)

    def runs(self, config) -> bool:
        """Whether the rule has anything to do under ``config`` (its prerequisite is set).

        The one place that decides it: the engine asks it for every door."""
        return not self.requires or bool(getattr(config, self.requires))

    def severity_under(self, config) -> str:
        """The severity its findings get: the user's per-rule level, else the escalation, else
        the catalogue's."""
        chosen = config.rule(self.code).severity
        if chosen:
            return chosen
        if self.escalated_by and getattr(config, self.escalated_by):
            return "error"
        return self.severity


_DIST = """Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
"""

CATALOG: Dict[str, Rule] = {}


def _add(rule: Rule) -> None:
    CATALOG[rule.code] = rule


_add(Rule(
    code="CFH001", cfn_lint_id="E9101", policy="cloudfront-viewer-https",
    title="Viewers may use plain HTTP", severity="error", enforcement="mandatory",
    what="Finds cache behaviours (the default one or an ordered one) whose `ViewerProtocolPolicy` "
         "is `allow-all`.",
    why="With `allow-all`, CloudFront serves the same content over HTTP and HTTPS, so a viewer "
        "(or an attacker on the path) can read and alter it in transit. For an S3 REST origin "
        "the viewer's protocol is also the origin's, so the whole path can be plaintext.",
    facts=("Seed, as restated in [cloudfront-facts.md, Viewer protocol "
           "policy](../cloudfront-facts.md#viewer-protocol-policy): to require HTTPS, change "
           "Viewer Protocol Policy to *Redirect HTTP to HTTPS* or *HTTPS Only* for each cache "
           "behaviour.",
           "[cloudfront-facts.md, Viewer protocol "
           "policy](../cloudfront-facts.md#viewer-protocol-policy): `allow-all` serves HTTP and "
           "HTTPS."),
    bad=_DIST + """        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: allow-all
""",
    good=_DIST + """        Origins:
          - Id: site
            DomainName: site.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
""",
    fix="Set `ViewerProtocolPolicy` to `redirect-to-https` (read-only paths) or `https-only` "
        "(paths that accept writes, see CFH004).",
    remediation="`ViewerProtocolPolicy` becomes `redirect-to-https`, or `https-only` when the "
                "behaviour allows a write method (CFH004) or its methods are unknown.",
    tags=("cloudfront", "https", "viewer"),
))

_add(Rule(
    code="CFH002", cfn_lint_id="E9102", policy="cloudfront-s3-website-origin-https",
    title="HTTPS towards an S3 website endpoint", severity="error", enforcement="mandatory",
    what="Finds origins whose domain is an S3 *website* endpoint (`…s3-website-REGION…` or "
         "`…s3-website.REGION…`, also behind `Fn::GetAtt Bucket.WebsiteURL` or `Fn::Sub`) "
         "that CloudFront would reach over HTTPS: a custom origin with `OriginProtocolPolicy` "
         "`https-only` or `match-viewer`, or the endpoint used as an `S3OriginConfig` origin.",
    why="S3 website endpoints do not speak HTTPS. `https-only` fails every request and "
        "`match-viewer` fails every HTTPS request (viewers see 502/504 errors); a website "
        "endpoint under `S3OriginConfig` is rejected or misbehaves. The set-up looks more secure "
        "and is simply broken.",
    facts=("Seed, as restated in [cloudfront-facts.md, Origin "
           "protocol](../cloudfront-facts.md#origin-protocol): if your S3 bucket is configured "
           "as a website endpoint, you can't configure CloudFront to use HTTPS to communicate "
           "with your origin.",
           "[cloudfront-facts.md, Origin protocol](../cloudfront-facts.md#origin-protocol): a "
           "website endpoint must be a custom origin with `http-only` (CFN S3OriginConfig docs; "
           "S3UG Website endpoints)."),
    bad=_DIST + """        Origins:
          - Id: site
            DomainName: my-bucket.s3-website-us-east-1.amazonaws.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
""",
    good=_DIST + """        Origins:
          - Id: site
            DomainName: my-bucket.s3-website-us-east-1.amazonaws.com
            CustomOriginConfig:
              OriginProtocolPolicy: http-only
""",
    fix="Use `OriginProtocolPolicy: http-only` for a website endpoint — or, to get HTTPS all the "
        "way, switch to the bucket's REST endpoint (`RegionalDomainName`) as an `S3OriginConfig` "
        "origin with origin access control.",
    remediation="`OriginProtocolPolicy` of a custom origin on a website endpoint becomes "
                "`http-only` (a website endpoint under `S3OriginConfig` has no safe value).",
    tags=("cloudfront", "https", "origin", "s3"),
))

_add(Rule(
    code="CFH003", cfn_lint_id="W9103", policy="cloudfront-origin-plaintext",
    title="Plaintext leg between CloudFront and the origin", severity="warning",
    enforcement="advisory",
    what="Finds origins that CloudFront can reach over plain HTTP: a custom origin with "
         "`http-only` (website endpoints included), or a `match-viewer` custom origin or S3 REST "
         "origin that an `allow-all` behaviour reaches. Behaviours that target an origin group "
         "are judged against every member.",
    why="Content and headers cross the network between the edge and the origin unencrypted. For "
        "S3 REST origins the origin protocol is always the viewer's, so only the viewer policy "
        "can close the gap; for website endpoints only a move to the REST endpoint can.",
    facts=("Seed, as restated in [cloudfront-facts.md, Origin "
           "protocol](../cloudfront-facts.md#origin-protocol): an S3 origin that supports HTTPS "
           "always forwards using the protocol the viewer used (match-viewer, can't be "
           "changed); to require HTTPS to S3 change the viewer protocol policy.",
           "[cloudfront-facts.md, Origin protocol](../cloudfront-facts.md#origin-protocol): a "
           "website endpoint can never give HTTPS between CloudFront and S3."),
    bad=_DIST + """        Origins:
          - Id: api
            DomainName: api.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: http-only
""",
    good=_DIST + """        Origins:
          - Id: api
            DomainName: api.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
""",
    fix="Custom origins: `OriginProtocolPolicy: https-only`. S3 REST or `match-viewer` origins: "
        "make every behaviour that reaches them `redirect-to-https` or `https-only`. Website "
        "endpoints: serve from the REST endpoint with origin access control instead.",
    escalated_by="require_origin_https",
    tags=("cloudfront", "https", "origin"),
))

_add(Rule(
    code="CFH004", cfn_lint_id="W9104", policy="cloudfront-redirect-write-methods",
    title="redirect-to-https on a behaviour that accepts writes", severity="warning",
    enforcement="advisory",
    what="Finds behaviours with `ViewerProtocolPolicy: redirect-to-https` whose `AllowedMethods` "
         "include a write method (POST, PUT, PATCH or DELETE). `GET, HEAD, OPTIONS` alone does "
         "not trigger it.",
    why="CloudFront redirects only GET and HEAD. HTTP writes get a 403 (seed; HTTP/1.0) or a 307 "
        "after the client already sent the body in plaintext (current docs, HTTP/1.1+): either "
        "the write fails or its body leaked. `https-only` says what is meant.",
    facts=("Seed, as restated in [cloudfront-facts.md, Viewer protocol "
           "policy](../cloudfront-facts.md#viewer-protocol-policy): CloudFront doesn't redirect "
           "DELETE, OPTIONS, PATCH, POST, or PUT requests from HTTP to HTTPS … responds with "
           "HTTP status code 403.",
           "[cloudfront-facts.md, Viewer protocol "
           "policy](../cloudfront-facts.md#viewer-protocol-policy): current docs say 307 for "
           "HTTP/1.1+; the body has then crossed in plaintext."),
    bad=_DIST + """        DefaultCacheBehavior:
          TargetOriginId: api
          ViewerProtocolPolicy: redirect-to-https
          AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
""",
    good=_DIST + """        Origins:
          - Id: api
            DomainName: api.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        DefaultCacheBehavior:
          TargetOriginId: api
          ViewerProtocolPolicy: https-only
          AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
""",
    fix="Use `ViewerProtocolPolicy: https-only` on behaviours that accept writes.",
    tags=("cloudfront", "https", "viewer", "methods"),
))

_add(Rule(
    code="CFH005", cfn_lint_id="W9105", policy="cloudfront-unreachable-behavior",
    title="Cache behaviour no request can reach", severity="warning", enforcement="advisory",
    what="Finds cache behaviours whose path pattern is covered by the earlier patterns together "
         "(duplicates included, also `/docs/*` vs `docs/*`), so CloudFront never selects them. "
         "The default behaviour counts too: an ordered `*`, or ordered patterns that together "
         "cover every path, make it unreachable.",
    why="First match wins. An unreachable behaviour's settings (its viewer protocol policy, its "
        "origin) never apply, whatever the template says — a reviewer reading it is misled.",
    facts=("[cloudfront-facts.md, Cache behaviours and path "
           "patterns](../cloudfront-facts.md#cache-behaviours-and-path-patterns): first match "
           "wins; the default behaviour is tried last; a leading `/` makes no difference.",
           "Seed, as restated in [cloudfront-facts.md, Cache behaviours and path "
           "patterns](../cloudfront-facts.md#cache-behaviours-and-path-patterns): the cache "
           "behaviours are listed in the order you want CloudFront to evaluate them."),
    bad=_DIST + """        CacheBehaviors:
          - PathPattern: /docs/*
            TargetOriginId: site
            ViewerProtocolPolicy: https-only
          - PathPattern: docs/*      # same pattern: never selected
            TargetOriginId: site
            ViewerProtocolPolicy: redirect-to-https
""",
    good=_DIST + """        Origins:
          - Id: site
            DomainName: site.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        CacheBehaviors:
          - PathPattern: /docs/private/*
            TargetOriginId: site
            ViewerProtocolPolicy: https-only
          - PathPattern: /docs/*
            TargetOriginId: site
            ViewerProtocolPolicy: redirect-to-https
""",
    fix="Delete the unreachable behaviour or move it before the behaviours that cover it "
        "(more specific patterns first).",
    tags=("cloudfront", "path-pattern", "ordering"),
))

_add(Rule(
    code="CFH006", cfn_lint_id="E9106", policy="cloudfront-behavior-order-https",
    title="An earlier HTTP behaviour captures an HTTPS path", severity="error",
    enforcement="mandatory",
    what="Finds a behaviour that requires HTTPS (`redirect-to-https` or `https-only`) whose "
         "pattern names paths that an earlier `allow-all` behaviour serves first. A deliberate "
         "carve-out — the earlier pattern lies wholly inside the later one, like "
         "`/static/public/*` before `/static/*` — is not reported, so the default behaviour is "
         "never the victim. The finding gives a concrete example path.",
    why="The template says the path needs HTTPS; CloudFront serves it over HTTP because an "
        "earlier, broader behaviour matches first. The order downgrades it silently.",
    facts=("[cloudfront-facts.md, Cache behaviours and path "
           "patterns](../cloudfront-facts.md#cache-behaviours-and-path-patterns): first match "
           "wins; CFDG warns a careless order can give users undesired access.",
           "Seed, as restated in [cloudfront-facts.md, Cache behaviours and path "
           "patterns](../cloudfront-facts.md#cache-behaviours-and-path-patterns): confirm the "
           "path pattern in each cache behaviour applies only to the requests you want viewers "
           "to use HTTPS for, and that behaviours are in the intended order."),
    bad=_DIST + """        CacheBehaviors:
          - PathPattern: "*.php"
            TargetOriginId: app
            ViewerProtocolPolicy: allow-all
          - PathPattern: admin/*      # /admin/a.php is served by *.php over HTTP
            TargetOriginId: app
            ViewerProtocolPolicy: https-only
""",
    good=_DIST + """        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        CacheBehaviors:
          - PathPattern: admin/*      # the HTTPS behaviour first
            TargetOriginId: app
            ViewerProtocolPolicy: https-only
          - PathPattern: "*.php"
            TargetOriginId: app
            ViewerProtocolPolicy: redirect-to-https
""",
    fix="Move the HTTPS behaviour before the permissive one (more specific patterns first), or "
        "make the earlier behaviour require HTTPS too.",
    worked_example="""Behaviours, in order:
  1. *.php      allow-all
  2. admin/*    https-only
  default *     redirect-to-https

Behaviour 1 serves every path ending in .php, including /admin/a.php. Behaviour 2 says
admin/* needs HTTPS, but it only gets the /admin/ paths that do not end in .php: the
order downgrades /admin/a.php to plain HTTP. cfhttps reports:

  CFH006 cache behaviour #2 (admin/*) requires HTTPS, but cache behaviour #1 (*.php)
         allows HTTP and is matched first for some of its paths, e.g. /admin/a.php

Reorder so that admin/* comes first:
  1. admin/*    https-only
  2. *.php      allow-all
A carve-out is fine: /static/public/* allow-all before /static/* https-only is deliberate,
because every path of the earlier pattern is inside the later one.""",
    tags=("cloudfront", "https", "path-pattern", "ordering"),
))

_add(Rule(
    code="CFH007", cfn_lint_id="E9107", policy="cloudfront-sensitive-path-https",
    title="Sensitive path served over HTTP", severity="error", enforcement="mandatory",
    what="Only when `sensitive_paths` is configured: finds behaviours that admit HTTP "
         "(`allow-all`) and actually serve (first match, default behaviour included) some path "
         "matching a sensitive glob. The finding gives an example path.",
    why="Some paths (logins, admin consoles, APIs) must never be served over HTTP. The check "
        "follows CloudFront's first-match order, so it finds the behaviour that really serves "
        "the path, not just the one whose pattern looks related.",
    facts=("[cloudfront-facts.md, Cache behaviours and path "
           "patterns](../cloudfront-facts.md#cache-behaviours-and-path-patterns): `*` crosses "
           "`/`, `?` is one character, matching is case-sensitive, first match wins, default "
           "last.",),
    bad=_DIST + """        # sensitive_paths = ["/admin/*"]
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: allow-all
""",
    good=_DIST + """        # sensitive_paths = ["/admin/*"]
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        CacheBehaviors:
          - PathPattern: /admin/*
            TargetOriginId: app
            ViewerProtocolPolicy: https-only
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
""",
    fix="Add a `https-only` behaviour for the sensitive pattern before any permissive one, or "
        "require HTTPS on the behaviour that serves it.",
    requires="sensitive_paths",
    tags=("cloudfront", "https", "path-pattern"),
))

_add(Rule(
    code="CFH008", cfn_lint_id="E9108", policy="cloudfront-target-origin",
    title="Behaviour routed to an origin that does not exist", severity="error",
    enforcement="mandatory",
    what="Finds cache behaviours whose `TargetOriginId` names neither an origin nor an origin "
         "group of the distribution.",
    why="CloudFront rejects the configuration, or — after a rename — requests are routed "
        "nowhere. The seed's last check: the cache behaviours route requests to the correct "
        "origins.",
    facts=("Seed, as restated in [cloudfront-facts.md, Routing to "
           "origins](../cloudfront-facts.md#routing-to-origins): confirm that the cache "
           "behaviors are routing requests to the correct origins.",),
    bad=_DIST + """        Origins:
          - Id: site
            DomainName: my-bucket.s3.us-east-1.amazonaws.com
            S3OriginConfig: {}
        DefaultCacheBehavior:
          TargetOriginId: website   # no such origin
          ViewerProtocolPolicy: https-only
""",
    good=_DIST + """        Origins:
          - Id: site
            DomainName: my-bucket.s3.us-east-1.amazonaws.com
            S3OriginConfig: {}
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: https-only
""",
    fix="Point `TargetOriginId` at an existing origin `Id` or origin group `Id`.",
    tags=("cloudfront", "routing"),
))

_add(Rule(
    code="CFH009", cfn_lint_id="W9109", policy="cloudfront-viewer-tls",
    title="Viewer TLS below the minimum", severity="warning", enforcement="advisory",
    what="Finds distributions whose viewer security policy is below `minimum_protocol_version` "
         "(default `TLSv1.2_2021`): the default CloudFront certificate (no `ViewerCertificate`, or "
         "`CloudFrontDefaultCertificate: true`, which forces TLSv1), a custom certificate without "
         "`MinimumProtocolVersion` (not pinned: the legacy TLSv1 default), or a lower policy.",
    why="Old protocol versions and ciphers (TLSv1, TLSv1.1, SSLv3) have known weaknesses; HTTPS "
        "that negotiates them is weaker than it looks.",
    facts=("[cloudfront-facts.md, TLS settings](../cloudfront-facts.md#tls-settings): "
           "`CloudFrontDefaultCertificate: true` forces `TLSv1`; an omitted "
           "`MinimumProtocolVersion` is treated as not pinned (as Checkov CKV_AWS_174 does).",),
    bad=_DIST + """        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/abc
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1
""",
    good=_DIST + """        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/abc
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
""",
    fix="Use a custom certificate with `MinimumProtocolVersion: TLSv1.2_2021` (or newer).",
    tags=("cloudfront", "tls", "viewer"),
))

_add(Rule(
    code="CFH010", cfn_lint_id="W9110", policy="cloudfront-origin-tls",
    title="Weak TLS protocols towards the origin", severity="warning", enforcement="advisory",
    what="Finds custom origins reached over HTTPS (`https-only` or `match-viewer`) whose "
         "`OriginSSLProtocols` allow a protocol outside `allowed_origin_ssl_protocols` (default "
         "`TLSv1.2` only): SSLv3, TLSv1 or TLSv1.1. In CloudFormation an omitted "
         "`OriginSSLProtocols` means the schema default `[TLSv1, SSLv3]`, so it counts.",
    why="CloudFront negotiates with the origin using any listed protocol; a downgrade to SSLv3 or "
        "TLSv1 weakens the origin leg even though it is 'HTTPS'.",
    facts=("[cloudfront-facts.md, TLS settings](../cloudfront-facts.md#tls-settings): "
           "`OriginSSLProtocols` ∈ {SSLv3, TLSv1, TLSv1.1, TLSv1.2}; the CloudFormation schema "
           "default is `[TLSv1, SSLv3]`.",),
    bad=_DIST + """        Origins:
          - Id: api
            DomainName: api.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1, TLSv1.1, TLSv1.2]
""",
    good=_DIST + """        Origins:
          - Id: api
            DomainName: api.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
""",
    fix="Set `OriginSSLProtocols: [TLSv1.2]`.",
    tags=("cloudfront", "tls", "origin"),
))


# --------------------------------------------------------------------------- CFH011 facts

def _managed_table() -> str:
    rows = [f"`{p.name}` `{p.id}` → " + (f"`max-age={p.hsts_max_age}`" if p.hsts_max_age
                                         else "no Strict-Transport-Security")
            for p in MANAGED_RESPONSE_HEADERS_POLICIES.values()]
    return "; ".join(rows)


_add(Rule(
    code="CFH011", cfn_lint_id="W9111", policy="cloudfront-hsts",
    title="HTTPS without Strict-Transport-Security", severity="warning", enforcement="advisory",
    what="Only when `require_hsts` is on: finds behaviours that require HTTPS "
         "(`redirect-to-https` or `https-only`) whose response headers policy does not set "
         "`Strict-Transport-Security` with a max-age of at least `hsts_min_max_age` seconds "
         "(default 31536000, one year) — no `ResponseHeadersPolicyId` at all, a managed policy "
         "without the header (SimpleCORS, CORS-With-Preflight), or a custom policy whose "
         "`SecurityHeadersConfig.StrictTransportSecurity` is missing or shorter. Custom policies "
         "are read from the same template (`!Ref`/`!GetAtt Policy.Id` of an "
         "`AWS::CloudFront::ResponseHeadersPolicy`), the same Pulumi stack (the "
         "`ResponseHeadersPolicy` the behaviour's property depends on), or the account "
         "(`GetResponseHeadersPolicy`, live audit). An id that cannot be resolved (a parameter, "
         "an import, a preview unknown, a custom id outside the document) is a note, never a "
         "finding.",
    why="`redirect-to-https` answers the first plain-HTTP request with a redirect, and that "
        "request can be intercepted and the redirect stripped by anyone on the path. "
        "Strict-Transport-Security tells browsers to use HTTPS from the start for max-age "
        "seconds, so the plain-HTTP request is never sent. The rule is opt-in because an origin "
        "(or a CloudFront function) can add the header itself, which no template shows.",
    facts=("[cloudfront-facts.md, Response headers policies and HSTS]"
           "(../cloudfront-facts.md#response-headers-policies-and-hsts): a behaviour names one "
           "policy by id; `StrictTransportSecurity.AccessControlMaxAgeSec` is the max-age.",
           MANAGED_HEADERS_SOURCE + ": managed policies are attached by id; " + _managed_table()
           + ". Custom policies: `SecurityHeadersConfig.StrictTransportSecurity."
             "AccessControlMaxAgeSec` is the max-age (CloudFront API reference, "
             "ResponseHeadersPolicyStrictTransportSecurity).",
           "CloudFront Developer Guide, \"Add or remove HTTP headers in CloudFront responses with "
           "a policy\": response headers policies add security headers such as HSTS at the edge.",
           "Peers: checkov CKV_AWS_259 (Terraform only)."),
    bad=_DIST + """        # require_hsts = true
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https   # no ResponseHeadersPolicyId
""",
    good=_DIST + """        # require_hsts = true
        Origins:
          - Id: site
            DomainName: site.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
          ResponseHeadersPolicyId: 67f7725c-6f97-4210-82d7-5512b31e9d03  # SecurityHeadersPolicy
""",
    fix="Attach a response headers policy that sets Strict-Transport-Security to every behaviour "
        "that requires HTTPS: the managed `SecurityHeadersPolicy` "
        "(`67f7725c-6f97-4210-82d7-5512b31e9d03`), or a custom policy with "
        "`SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec` >= the minimum.",
    requires="require_hsts",
    worked_example="""Settings: require_hsts = true (hsts_min_max_age defaults to 31536000).

Resources:
  Headers:
    Type: AWS::CloudFront::ResponseHeadersPolicy
    Properties:
      ResponseHeadersPolicyConfig:
        Name: short-hsts
        SecurityHeadersConfig:
          StrictTransportSecurity: {AccessControlMaxAgeSec: 300, Override: true}
  Cdn:   (DistributionConfig)
    CacheBehaviors:
      - PathPattern: api/*      https-only         ResponseHeadersPolicyId: !GetAtt Headers.Id
      - PathPattern: cors/*     redirect-to-https  ResponseHeadersPolicyId: 60669652-...  (SimpleCORS)
    DefaultCacheBehavior:       redirect-to-https  ResponseHeadersPolicyId: 67f7725c-...  (SecurityHeadersPolicy)

cfhttps follows !GetAtt Headers.Id to the policy in the template and looks the two ids up in the
table of managed policies:

  CFH011 cache behaviour #1 (api/*) requires HTTPS, but response headers policy 'Headers' (in
         this template) sets Strict-Transport-Security max-age=300, below the minimum
         31536000 s (365 days)
  CFH011 cache behaviour #2 (cors/*) requires HTTPS, but its response headers policy SimpleCORS
         (managed) sets no Strict-Transport-Security header

The default behaviour passes: SecurityHeadersPolicy adds max-age=31536000. Had the id been
!ImportValue SharedHeadersPolicy, cfhttps would say in a note that it cannot see the policy,
and report nothing.""",
    tags=("cloudfront", "https", "viewer", "headers"),
))

_add(Rule(
    code="CFH012", cfn_lint_id="W9112", policy="cloudfront-s3-origin-access-control",
    title="S3 REST origin without origin access control", severity="warning",
    enforcement="advisory",
    what="Finds origins on an S3 REST endpoint (`BUCKET.s3.amazonaws.com`, "
         "`BUCKET.s3.REGION.amazonaws.com`, `BUCKET.s3-REGION.amazonaws.com`, "
         "`BUCKET.s3.dualstack.REGION.amazonaws.com`, also behind `Fn::GetAtt Bucket.DomainName|"
         "RegionalDomainName|DualStackDomainName` or `Fn::Sub`) that have no "
         "`OriginAccessControlId`: with no origin access identity either, the finding says "
         "\"no access control at all\"; with only an origin access identity, it says \"legacy "
         "origin access identity; migrate to OAC\". Website endpoints are out of scope (they can "
         "use neither; CFH002/CFH003 advise the REST endpoint with OAC). An `S3OriginConfig` "
         "origin with an origin access identity is judged even when its host is unknown (only a "
         "bucket's REST endpoint can use one). A present but unknown "
         "id (a parameter, an import, a preview unknown, `!GetAtt Oac.Id` of an "
         "`AWS::CloudFront::OriginAccessControl`) counts as configured: CloudFront treats any "
         "non-empty value as an id to use; `''` counts as none.",
    why="Without origin access control CloudFront's requests to the bucket are anonymous, so the "
        "bucket must be publicly readable: anyone can fetch the objects from S3 directly, "
        "bypassing CloudFront, its HTTPS settings, its TLS policy and any restriction it applies. "
        "An origin access identity keeps the bucket private but is the legacy mechanism: it does "
        "not support SSE-KMS, dynamic requests (PUT, DELETE) or Regions launched after December "
        "2022, and AWS recommends migrating to origin access control.",
    facts=("[cloudfront-facts.md, Origin access to S3](../cloudfront-facts.md#origin-access-to-s3): "
           "no OAC and no OAI means anonymous requests, so a public bucket; OAI is legacy.",
           "CloudFront Developer Guide, \"Restrict access to an Amazon S3 origin\" "
           "(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
           "private-content-restricting-access-to-s3.html): CloudFront provides OAC and OAI; AWS "
           "recommends OAC (all Regions incl. opt-in ones launched after December 2022, SSE-KMS, "
           "PUT/DELETE); a bucket configured as a website endpoint must be a custom origin and "
           "can use neither OAC nor OAI.",
           "AWS Security Hub control CloudFront.13 \"CloudFront distributions should use origin "
           "access control\" and AWS Config rule cloudfront-s3-origin-access-control-enabled: "
           "NON_COMPLIANT for distributions with S3 origins without OAC.",
           "[cloudfront-facts.md, S3 endpoint host names]"
           "(../cloudfront-facts.md#s3-endpoint-host-names): REST forms (global, regional, "
           "dash-region, dual-stack) versus website forms.",
           "Peers: cdk-nag CFR7; users' OAI/OAC confusion in cdk-nag#1582 is why the message says "
           "which case applies."),
    bad=_DIST + """        Origins:
          - Id: assets
            DomainName: my-bucket.s3.us-east-1.amazonaws.com
            S3OriginConfig:
              OriginAccessIdentity: ''   # no OAI, no OAC: the bucket must be public
""",
    good=_DIST + """        Origins:
          - Id: assets
            DomainName: my-bucket.s3.us-east-1.amazonaws.com
            OriginAccessControlId: !GetAtt AssetsOac.Id   # an AWS::CloudFront::OriginAccessControl
            S3OriginConfig:
              OriginAccessIdentity: ''
""",
    fix="Create an `AWS::CloudFront::OriginAccessControl` (`OriginAccessControlOriginType: s3`, "
        "`SigningBehavior: always`, `SigningProtocol: sigv4`), set the origin's "
        "`OriginAccessControlId` to its id, leave `S3OriginConfig.OriginAccessIdentity` empty, "
        "and allow `cloudfront.amazonaws.com` (conditioned on the distribution's ARN) in the "
        "bucket policy; then block public access to the bucket.",
    worked_example="""Origins:
  - Id: public     DomainName: !GetAtt Assets.RegionalDomainName   S3OriginConfig: {OriginAccessIdentity: ''}
  - Id: legacy     DomainName: logs.s3.amazonaws.com                S3OriginConfig:
                                                                       OriginAccessIdentity: !Sub origin-access-identity/cloudfront/${Oai}
  - Id: private    DomainName: !GetAtt Media.DualStackDomainName   OriginAccessControlId: !GetAtt Oac.Id
  - Id: site       DomainName: !Select [1, !Split ['//', !GetAtt Site.WebsiteURL]]   (website endpoint)

cfhttps classifies each host: the first three are S3 REST endpoints (regional, global,
dual-stack), the last a website endpoint (out of scope). It reports:

  CFH012 origin 'public' (${Assets}.s3.${AWS::Region}.amazonaws.com) is an S3 origin on an S3
         REST endpoint with no access control at all (neither OriginAccessControlId nor an
         origin access identity): the bucket must be publicly readable, ...
  CFH012 origin 'legacy' uses a legacy origin access identity on an S3 REST endpoint; migrate
         to origin access control

'private' passes: !GetAtt Oac.Id is an origin access control even though its id is only
known at deploy time.""",
    tags=("cloudfront", "origin", "s3", "access-control"),
))


def by_cfn_lint_id(rule_id: str) -> Rule:
    for rule in CATALOG.values():
        if rule.cfn_lint_id == rule_id:
            return rule
    raise KeyError(rule_id)


def by_policy(name: str) -> Rule:
    for rule in CATALOG.values():
        if rule.policy == name:
            return rule
    raise KeyError(name)
