"""TLS checks: CFH009 (viewer security policy) and CFH010 (origin SSL protocols)."""

from __future__ import annotations

from .. import endpoints
from ..settings import TLS_POLICIES
from ..model import Distribution, Unknown, as_text
from ._common import finding, note


def _rank(policy: str) -> int:
    return TLS_POLICIES.index(policy)


def viewer_tls(dist: Distribution, config):
    """CFH009: viewer TLS below the configured minimum."""
    minimum = config.minimum_protocol_version
    if minimum not in TLS_POLICIES:
        return
    cert = dist.viewer_certificate
    if not cert.present:
        if _rank("TLSv1") < _rank(minimum):
            yield finding("CFH009", dist, cert.path or dist.path,
                          f"no ViewerCertificate: the default CloudFront certificate forces "
                          f"security policy TLSv1, below {minimum}; use a custom certificate with "
                          f"MinimumProtocolVersion {minimum}")
        return
    if cert.cloudfront_default is True:
        # The message names what the branch at the path holds: the flag, or no certificate.
        what = ("ViewerCertificate names no certificate (no AcmCertificateArn, IamCertificateId "
                "or CloudFrontDefaultCertificate), so the default CloudFront certificate applies"
                if cert.default_implied else "CloudFrontDefaultCertificate is true")
        if _rank("TLSv1") < _rank(minimum):
            yield finding("CFH009", dist, cert.path_of("cloudfront_default"),
                          f"{what}, which forces security policy TLSv1 (below {minimum}); use a "
                          f"custom certificate with MinimumProtocolVersion {minimum}")
        return
    if isinstance(cert.cloudfront_default, Unknown):
        yield note("CFH009", dist, cert.path_of("cloudfront_default"),
                   "CloudFrontDefaultCertificate unknown; cannot judge viewer TLS")
        return
    mpv = cert.minimum_protocol_version
    if mpv is None:
        if cert.custom_certificate is True and _rank("TLSv1") < _rank(minimum):
            yield finding("CFH009", dist, cert.path,
                          f"custom certificate without MinimumProtocolVersion: the security "
                          f"policy is not pinned (legacy TLSv1 default); set "
                          f"MinimumProtocolVersion {minimum}")
        return
    if not isinstance(mpv, str) or mpv not in TLS_POLICIES:
        yield note("CFH009", dist, cert.path_of("minimum_protocol_version"),
                   f"MinimumProtocolVersion {as_text(mpv)} is unknown or not a CloudFront "
                   f"security policy; cannot judge viewer TLS")
        return
    if _rank(mpv) < _rank(minimum):
        yield finding("CFH009", dist, cert.path_of("minimum_protocol_version"),
                      f"MinimumProtocolVersion {mpv} is below {minimum}; use {minimum} or newer")


def origin_tls(dist: Distribution, config):
    """CFH010: origin SSL protocols outside the allowed set on an HTTPS origin leg."""
    allowed = set(config.allowed_origin_ssl_protocols)
    for origin in dist.origins:
        if origin.kind not in ("custom", "vpc"):  # a VPC origin: its VpcOrigin's settings
            continue
        if origin.protocol_policy not in ("https-only", "match-viewer"):
            continue
        if endpoints.classify(origin.domain) == endpoints.WEBSITE:
            continue  # no TLS to a website endpoint at all: CFH002 covers it
        protocols = origin.ssl_protocols
        if isinstance(protocols, Unknown):
            yield note("CFH010", dist, origin.path_of("ssl_protocols"),
                       f"origin {as_text(origin.id)!r}: OriginSSLProtocols unknown")
            continue
        if not isinstance(protocols, (list, tuple)):
            continue
        weak = [p for p in protocols if isinstance(p, str) and p not in allowed]
        if not weak:
            continue
        how = (" (omitted: CloudFormation's default is TLSv1, SSLv3)"
               if origin.ssl_protocols_defaulted else "")
        via = f" through VPC origin {origin.vpc_origin}" if origin.vpc_origin else ""
        yield finding("CFH010", dist, origin.path_of("ssl_protocols"),
                      f"origin {as_text(origin.id)!r}{via} is reached over HTTPS "
                      f"({origin.protocol_policy}) but OriginSSLProtocols allow "
                      f"{', '.join(weak)}{how}; allow only "
                      f"{', '.join(sorted(allowed)) or 'TLSv1.2'}")
