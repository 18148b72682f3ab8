"""Viewer-side checks: CFH001 (allow-all) and CFH004 (redirect-to-https with write methods)."""

from __future__ import annotations

from ..model import Distribution, Unknown, is_known
from ._common import finding, note, write_methods


def viewer_https(dist: Distribution, config):
    """CFH001: a behaviour that serves plain HTTP."""
    for behavior in dist.all_behaviors():
        vpp = behavior.viewer_protocol_policy
        if vpp == "allow-all":
            # Writes cannot be redirected (CFH004), so they get https-only.
            safe = "https-only" if _allows_writes(behavior) else "redirect-to-https"
            yield finding("CFH001", dist, behavior.path_of("viewer_protocol_policy"),
                          f"{behavior.label} has ViewerProtocolPolicy allow-all: viewers can use "
                          f"plain HTTP; use redirect-to-https or https-only", fix=safe)
        elif vpp is None or not is_known(vpp):
            reason = vpp.reason if isinstance(vpp, Unknown) else "not set"
            yield note("CFH001", dist, behavior.path_of("viewer_protocol_policy"),
                       f"{behavior.label}: ViewerProtocolPolicy is unknown ({reason}); "
                       f"cannot tell whether it allows HTTP")


def _allows_writes(behavior) -> bool:
    methods = behavior.allowed_methods
    if isinstance(methods, Unknown):
        return True  # be safe: an unknown method list may include writes
    if not isinstance(methods, (list, tuple)):
        return False
    return bool(write_methods(methods))


def redirect_write_methods(dist: Distribution, config):
    """CFH004: redirect-to-https where HTTP writes cannot be redirected."""
    for behavior in dist.all_behaviors():
        if behavior.viewer_protocol_policy != "redirect-to-https":
            continue
        methods = behavior.allowed_methods
        if isinstance(methods, Unknown):
            yield note("CFH004", dist, behavior.path_of("allowed_methods"),
                       f"{behavior.label}: AllowedMethods unknown ({methods.reason})")
            continue
        if not isinstance(methods, (list, tuple)):
            continue  # omitted: GET, HEAD only
        writes = write_methods(methods)
        if writes:
            yield finding("CFH004", dist, behavior.path_of("viewer_protocol_policy"),
                          f"{behavior.label} redirects HTTP to HTTPS but allows "
                          f"{', '.join(writes)}: CloudFront does not redirect writes (403, or 307 "
                          f"after the body was sent in plaintext); use https-only")
