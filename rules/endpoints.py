"""Classify an origin host: S3 website endpoint, S3 REST endpoint, something else, or unknown.

The distinction decides whether HTTPS to the origin is *possible* (REST) or *broken* (website):
S3UG "Website endpoints" — a website endpoint does not support HTTPS; host name forms from
``docs/cloudfront-facts.md`` ("S3 endpoint host names"). Works on plain strings and on
:class:`~rules.model.Symbolic` strings whose holes are unknown bucket names or regions.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Symbolic, Unknown

WEBSITE = "s3-website"
REST = "s3-rest"
OTHER = "other"
UNKNOWN = "unknown"

_HOLE = "\x00"
_SUFFIX = r"amazonaws\.com(?:\.cn)?"
_REGION = r"(?:[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d|\x00)"
# Website: BUCKET.s3-website-REGION.amazonaws.com or BUCKET.s3-website.REGION.amazonaws.com(.cn)
_WEBSITE_RE = re.compile(rf"^(?:.+\.)?s3-website[.-]{_REGION}\.(?:{_SUFFIX}|\x00)$")
# REST: BUCKET.s3.amazonaws.com, BUCKET.s3.REGION..., BUCKET.s3-REGION..., BUCKET.s3.dualstack.REGION...
_REST_RE = re.compile(
    rf"^.+\.s3(?:\.dualstack)?(?:[.-]{_REGION})?\.(?:{_SUFFIX}|\x00)$"
)
# A hole followed by a marker still tells us the shape when the marker is literal.
_WEBSITE_MARK = re.compile(r"(?:^|[.\x00])s3-website[.-]")
_REST_MARK = re.compile(r"\.s3(?:\.dualstack)?(?:[.-](?:[a-z]{2}-[a-z]+-\d|\x00))?\.(?:amazonaws\.com|\x00)")


def _host_of(text: str) -> str:
    text = text.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0]
    if text.count(":") == 1:  # strip a port, leave IPv6 literals alone
        text = text.split(":", 1)[0]
    return text.rstrip(".")


def _flatten(value: Any):
    """A string to match with holes as NUL, or None when nothing literal is known."""
    if isinstance(value, str):
        return value
    if isinstance(value, Symbolic):
        return "".join(p if isinstance(p, str) else _HOLE for p in value.parts)
    return None


def classify(domain: Any) -> str:
    """Return WEBSITE, REST, OTHER or UNKNOWN for an origin domain (string, Symbolic or Unknown)."""
    if isinstance(domain, Unknown) or domain is None:
        return UNKNOWN
    text = _flatten(domain)
    if text is None:
        return UNKNOWN
    host = _host_of(text)
    if not host:
        return UNKNOWN
    if _WEBSITE_RE.match(host):
        return WEBSITE
    if _REST_RE.match(host):
        return REST
    if _HOLE not in host:
        return OTHER
    # With holes, a literal marker is as far as we can see: an unknown suffix could follow it.
    if _WEBSITE_MARK.search(host):
        return WEBSITE
    if _REST_MARK.search(host):
        return REST
    tail = host.rsplit(_HOLE, 1)[1]
    if "." in tail.strip(".") and not re.search(r"amazonaws\.com(?:\.cn)?$", tail):
        return OTHER  # a known non-AWS domain suffix: not S3 whatever the hole holds
    return UNKNOWN
