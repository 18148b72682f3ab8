"""CFH011: a behaviour that requires HTTPS without a Strict-Transport-Security header policy.

``redirect-to-https`` answers a viewer's first plain-HTTP request with a redirect that anyone on
the path can intercept; HSTS makes the browser skip that request. The header is set by a response
headers policy: a managed one (:mod:`rules.managed_headers`, from the CloudFront Developer Guide)
or a custom one whose ``SecurityHeadersConfig.StrictTransportSecurity`` the document shows. An id the
engine cannot resolve is a note, never a finding (precision first: the rule is opt-in because an
origin or a function can add the header itself, which no template shows).
"""

from __future__ import annotations

from ..managed_headers import MANAGED_RESPONSE_HEADERS_POLICIES
from ..model import Distribution, HeadersPolicy, Unknown, as_text
from ._common import HTTPS_REQUIRING, finding, note


def _years(seconds: int) -> str:
    return f"{seconds} s" if seconds % 86400 else f"{seconds} s ({seconds // 86400} days)"


def _judge(dist, behavior, policy_name: str, max_age, minimum: int, path, where: str):
    """Findings/notes for one behaviour whose policy is known by name and HSTS max-age."""
    if max_age is None:
        yield finding("CFH011", dist, path,
                      f"{behavior.label} requires HTTPS, but its response headers policy "
                      f"{policy_name}{where} sets no Strict-Transport-Security header; add "
                      f"StrictTransportSecurity with AccessControlMaxAgeSec >= {minimum}")
    elif isinstance(max_age, Unknown):
        yield note("CFH011", dist, path,
                   f"{behavior.label}: the Strict-Transport-Security max-age of response headers "
                   f"policy {policy_name} is unknown ({max_age.reason})")
    elif max_age < minimum:
        yield finding("CFH011", dist, path,
                      f"{behavior.label} requires HTTPS, but response headers policy "
                      f"{policy_name}{where} sets Strict-Transport-Security max-age={max_age}, "
                      f"below the minimum {_years(minimum)}; raise AccessControlMaxAgeSec")


def hsts(dist: Distribution, config):
    """CFH011: HTTPS-requiring behaviours whose response headers policy sets no (or a short) HSTS."""
    minimum = config.hsts_min_max_age
    for behavior in dist.all_behaviors():
        if behavior.viewer_protocol_policy not in HTTPS_REQUIRING:
            continue  # allow-all is CFH001's; an unknown policy is CFH001's note
        pid = behavior.response_headers_policy_id
        path = behavior.field_paths.get("response_headers_policy_id") or \
            behavior.path_of("viewer_protocol_policy")
        policy: HeadersPolicy = behavior.response_headers_policy
        if policy is not None:
            where = {"template": " (in this template)", "stack": " (in this stack)",
                     "api": ""}.get(policy.origin, "")
            yield from _judge(dist, behavior, repr(policy.name), policy.hsts_max_age, minimum,
                              path, where)
            continue
        if pid is None:
            yield finding("CFH011", dist, path,
                          f"{behavior.label} requires HTTPS ({behavior.viewer_protocol_policy}) "
                          f"but has no response headers policy, so no Strict-Transport-Security "
                          f"header tells browsers to skip plain HTTP; attach one that sets it "
                          f"(e.g. the managed SecurityHeadersPolicy)")
            continue
        if isinstance(pid, str):
            managed = MANAGED_RESPONSE_HEADERS_POLICIES.get(pid)
            if managed is not None:
                yield from _judge(dist, behavior, f"{managed.name} (managed)", managed.hsts_max_age,
                                  minimum, path, "")
                continue
            yield note("CFH011", dist, path,
                       f"{behavior.label}: response headers policy {pid} is not a managed policy "
                       f"and not defined here; cannot see whether it sets Strict-Transport-Security")
            continue
        reason = pid.reason if isinstance(pid, Unknown) else as_text(pid)
        yield note("CFH011", dist, path,
                   f"{behavior.label}: ResponseHeadersPolicyId is unknown ({reason}); cannot see "
                   f"whether its policy sets Strict-Transport-Security")
