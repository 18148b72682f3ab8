"""Origin-side checks: CFH002 (HTTPS to an S3 website endpoint) and CFH003 (plaintext origin leg)."""

from __future__ import annotations

from .. import endpoints
from ..model import Distribution, Unknown, as_text
from ._common import finding, note


def _domain_text(origin) -> str:
    return as_text(origin.domain)


def s3_website_origin_https(dist: Distribution, config):
    """CFH002: CloudFront would speak HTTPS to an endpoint that cannot."""
    for origin in dist.origins:
        kind = endpoints.classify(origin.domain)
        if kind != endpoints.WEBSITE:
            continue
        label = f"origin {as_text(origin.id)!r} ({_domain_text(origin)})"
        if origin.kind == "s3":
            yield finding("CFH002", dist, origin.config_path or origin.path_of("domain"),
                          f"{label} is an S3 website endpoint used as an S3OriginConfig origin; "
                          f"website endpoints must be custom origins with OriginProtocolPolicy "
                          f"http-only (or use the bucket's REST endpoint with origin access control)")
        elif origin.kind in ("custom", "vpc"):
            policy = origin.protocol_policy
            if policy in ("https-only", "match-viewer"):
                yield finding("CFH002", dist, origin.path_of("protocol_policy"),
                              f"{label} is an S3 website endpoint, which does not support HTTPS, "
                              f"but OriginProtocolPolicy is {policy}: "
                              f"{'every' if policy == 'https-only' else 'every HTTPS'} request "
                              f"fails; use http-only (or the REST endpoint with origin access "
                              f"control)", fix="http-only")
            elif isinstance(policy, Unknown):
                yield note("CFH002", dist, origin.path_of("protocol_policy"),
                           f"{label} is an S3 website endpoint; OriginProtocolPolicy unknown "
                           f"({policy.reason}): must be http-only")
    for origin in dist.origins:
        if isinstance(origin.domain, Unknown) and origin.kind == "custom" and \
                origin.protocol_policy in ("https-only", "match-viewer"):
            yield note("CFH002", dist, origin.path_of("domain"),
                       f"origin {as_text(origin.id)!r}: DomainName unknown "
                       f"({origin.domain.reason}); cannot tell whether it is an S3 website "
                       f"endpoint, which would fail with {origin.protocol_policy}")


def _protocol_of(origin):
    """'http-only' | 'https-only' | 'match-viewer' | None (unknown) for the origin leg."""
    if origin.kind == "s3":
        return "match-viewer"  # seed: S3 REST origins always use the viewer's protocol
    if origin.kind in ("custom", "vpc"):
        policy = origin.protocol_policy
        return policy if isinstance(policy, str) else None
    return None


def origin_plaintext(dist: Distribution, config):
    """CFH003: CloudFront can reach the origin over plain HTTP."""
    for origin in dist.origins:
        if origin.kind == "custom" and isinstance(origin.protocol_policy, Unknown):
            yield note("CFH003", dist, origin.path_of("protocol_policy"),
                       f"origin {as_text(origin.id)!r}: OriginProtocolPolicy is unknown "
                       f"({origin.protocol_policy.reason}); cannot tell whether CloudFront "
                       f"reaches it over plain HTTP")
        if origin.kind in ("custom", "vpc") and origin.protocol_policy == "http-only":
            website = endpoints.classify(origin.domain) == endpoints.WEBSITE
            extra = (" (an S3 website endpoint cannot do HTTPS: serve from the bucket's REST "
                     "endpoint with origin access control instead)" if website
                     else "; use https-only")
            via = f" through VPC origin {origin.vpc_origin}" if origin.vpc_origin else ""
            yield finding("CFH003", dist, origin.path_of("protocol_policy"),
                          f"origin {as_text(origin.id)!r} ({as_text(origin.domain)}){via} is "
                          f"reached over plain HTTP (OriginProtocolPolicy http-only){extra}")
    for behavior in dist.all_behaviors():
        if behavior.viewer_protocol_policy != "allow-all":
            continue
        for origin in dist.targets_of(behavior):
            protocol = _protocol_of(origin)
            if protocol != "match-viewer":
                continue
            if origin.kind == "s3" and endpoints.classify(origin.domain) == endpoints.WEBSITE:
                continue  # broken anyway: CFH002 says so
            what = "an S3 origin (always the viewer's protocol)" if origin.kind == "s3" \
                else "a match-viewer origin"
            yield finding("CFH003", dist, behavior.path_of("viewer_protocol_policy"),
                          f"{behavior.label} allows HTTP and reaches {what} "
                          f"{as_text(origin.id)!r}, so requests can travel to the origin in "
                          f"plaintext; use redirect-to-https or https-only")
