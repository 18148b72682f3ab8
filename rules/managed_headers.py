"""CloudFront's managed response headers policies: which ids a template may name without defining
a policy, and the ``Strict-Transport-Security`` max-age each adds (CFH011). A CloudFront fact,
kept beside :mod:`rules.endpoints` rather than in the rule catalogue that cites it.

Source: CloudFront Developer Guide, "Use managed response headers policies"
(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html),
which lists each policy's name and id and the headers it adds. The three security-header
policies add ``Strict-Transport-Security: max-age=31536000`` with "Override origin? No" (an
origin's own header wins); the two CORS-only policies add no HSTS header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

SOURCE = (
    "CloudFront Developer Guide, \"Use managed response headers policies\" "
    "(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
    "using-managed-response-headers-policies.html)")


@dataclass(frozen=True)
class ManagedHeadersPolicy:
    """A managed response headers policy: its id (what templates write), its name, and the
    ``Strict-Transport-Security`` max-age it adds (None: it adds no such header)."""

    id: str
    name: str
    hsts_max_age: Optional[int]


MANAGED_RESPONSE_HEADERS_POLICIES: Dict[str, ManagedHeadersPolicy] = {p.id: p for p in (
    ManagedHeadersPolicy("67f7725c-6f97-4210-82d7-5512b31e9d03", "SecurityHeadersPolicy", 31536000),
    ManagedHeadersPolicy("e61eb60c-9c35-4d20-a928-2b84e02af89c", "CORS-and-SecurityHeadersPolicy",
                         31536000),
    ManagedHeadersPolicy("eaab4381-ed33-4a86-88ca-d9558dc6cd63",
                         "CORS-with-preflight-and-SecurityHeadersPolicy", 31536000),
    ManagedHeadersPolicy("60669652-455b-4ae9-85a4-c4c02393f86c", "SimpleCORS", None),
    ManagedHeadersPolicy("5cc3b908-e619-4b99-88e5-2cf7f45965bd", "CORS-With-Preflight", None),
)}
