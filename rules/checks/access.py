"""CFH012: an S3 REST origin without origin access control.

Without origin access control (OAC) or the legacy origin access identity (OAI), CloudFront's
requests to the bucket are anonymous, so the bucket must be readable by anyone — and anyone can
bypass CloudFront (and its HTTPS policy) by asking S3 directly. With an OAI the bucket is private,
but AWS recommends migrating to OAC. Only S3 REST hosts are in scope (``endpoints.REST``: global,
regional, dash-region and dual-stack forms, also behind ``Fn::GetAtt``/``Fn::Sub``); website
endpoints cannot use either mechanism (CFH002/CFH003 advise the REST endpoint with OAC).

A value that is present but unknown (a parameter without default, an import, a preview unknown,
``!GetAtt Oac.Id``) counts as configured: CloudFront takes any non-empty id as an OAC/OAI to use
(and rejects one that does not exist), and in practice such values are the ids of real resources.
An empty string (``''``, what the API returns for "none") is not configured.
"""

from __future__ import annotations

from .. import endpoints
from ..model import Distribution, Unknown, as_text
from ._common import finding, note


def origin_access_control(dist: Distribution, config):
    """CFH012: S3 REST origins with no access control at all, or only the legacy OAI."""
    for origin in dist.origins:
        if origin.kind == "vpc":
            continue
        kind = endpoints.classify(origin.domain)
        label = f"origin {as_text(origin.id)!r} ({as_text(origin.domain)})"
        if kind == endpoints.UNKNOWN:
            if origin.kind == "s3" and origin.oac_id is None and origin.oai is not None:
                # An origin access identity only works with an S3OriginConfig origin on a bucket's
                # REST endpoint (website endpoints can use neither): the host is one, unseen.
                yield finding("CFH012", dist, origin.path_of("oai"),
                              f"origin {as_text(origin.id)!r} uses a legacy origin access identity "
                              f"(an S3OriginConfig origin, so an S3 REST endpoint, though its "
                              f"DomainName is not known here); migrate to origin access control "
                              f"(OriginAccessControlId, and an empty OriginAccessIdentity)")
            elif origin.kind == "s3" and origin.oac_id is None and origin.oai is None:
                reason = origin.domain.reason if isinstance(origin.domain, Unknown) else "unknown"
                yield note("CFH012", dist, origin.path_of("domain"),
                           f"{label} is an S3OriginConfig origin whose DomainName is unknown "
                           f"({reason}); it has no origin access control, which matters if it is "
                           f"an S3 REST endpoint")
            continue
        if kind != endpoints.REST:
            continue
        if origin.oac_id is not None:
            continue
        if origin.oai is not None:
            # Named by id only: variants that differ in the host name are one finding.
            yield finding("CFH012", dist, origin.path_of("oai"),
                          f"origin {as_text(origin.id)!r} uses a legacy origin access identity on "
                          f"an S3 REST endpoint; migrate to origin "
                          f"access control (OriginAccessControlId, and an empty "
                          f"OriginAccessIdentity)")
            continue
        how = "a custom origin" if origin.kind == "custom" else "an S3 origin"
        yield finding("CFH012", dist, origin.config_path or origin.path_of("domain"),
                      f"{label} is {how} on an S3 REST endpoint with no access control at all "
                      f"(neither OriginAccessControlId nor an origin access identity): the bucket "
                      f"must be publicly readable, and viewers can bypass CloudFront and its "
                      f"HTTPS settings; add origin access control")
