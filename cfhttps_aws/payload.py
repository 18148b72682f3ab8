"""Fetching the Lambda hook's ``requestData.payload``: the presigned Amazon S3 URL that stack and
change-set invocations carry instead of the template, under rules that keep the handler inside
the time CloudFormation gives it.

CloudFormation documents the URL as "an Amazon S3 presigned URL" that the function must fetch
("Create Lambda functions to evaluate resources for Lambda Hooks", sections *Lambda Hook stack
input syntax* and *Lambda Hook change set input syntax*,
https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html),
and waits at most 30 seconds for the function's answer (same page, *Developing a Lambda Hook*;
"Timeout and retry limits" in
https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/hooks-concepts.html).
So the fetch is as narrow as that description:

- ``https`` only, to a host under ``amazonaws.com`` or ``amazonaws.com.cn`` (where Amazon S3's
  endpoints live), on the default port, without user information in the URL; anything else is
  refused before a connection is opened, so nothing else is ever asked;
- no redirect is followed (:mod:`http.client` follows none; a 3xx answer is an error);
- a body larger than :data:`MAX_BYTES` is refused (by ``Content-Length`` before reading, and
  while reading when the length is not announced);
- one overall deadline covers connecting, the answer's headers and every read of the body (a
  server that sends a byte every few seconds is cut off when it passes): at most
  :data:`MAX_SECONDS`, and never more than half of the time the Lambda context says is left,
  so the function still has time to judge and answer.

``CFHTTPS_HOOK_PAYLOAD_PREFIXES`` is **for tests only**: a comma-separated list of URL prefixes
(``http://127.0.0.1:``) also allowed, scheme and host included, so that tests can serve payloads
from loopback. Never set it on a deployed function.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import time
import urllib.parse
from typing import Any, Optional, Tuple

MAX_BYTES = 10 * 1024 * 1024   # two templates (CloudFormation takes up to 1 MB each) and the
#                                change list, JSON-escaped, fit many times over
MAX_SECONDS = 10.0             # the fetch never takes longer than this …
SHARE_OF_REMAINING = 0.5       # … nor more than this share of the invocation's remaining time
DEFAULT_REMAINING_MS = 25_000  # deploy/lambda-hook.yaml's Timeout, when no context tells
ALLOWED_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn")
TEST_PREFIXES_ENV = "CFHTTPS_HOOK_PAYLOAD_PREFIXES"
CHUNK = 64 * 1024


class PayloadError(ValueError):
    """The payload could not be fetched under the rules; the message says which one."""


def remaining_ms(context: Any) -> float:
    """The invocation's remaining time from the Lambda context, else the deployed timeout."""
    getter = getattr(context, "get_remaining_time_in_millis", None)
    if callable(getter):
        try:
            value = float(getter())
        except (TypeError, ValueError):
            return float(DEFAULT_REMAINING_MS)
        if value == value:  # not NaN
            return max(value, 0.0)
    return float(DEFAULT_REMAINING_MS)


def budget_seconds(context: Any) -> float:
    """How long the fetch may take: half of what is left, at most :data:`MAX_SECONDS`."""
    return min(MAX_SECONDS, remaining_ms(context) / 1000.0 * SHARE_OF_REMAINING)


def _test_prefixes() -> Tuple[str, ...]:
    raw = os.environ.get(TEST_PREFIXES_ENV, "")
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def check_url(url: Any) -> urllib.parse.SplitResult:
    """The URL split, if the rules allow fetching it; :class:`PayloadError` otherwise."""
    if not isinstance(url, str) or not url:
        raise PayloadError("payload is not a URL")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise PayloadError("payload URL contains whitespace or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise PayloadError(f"payload URL cannot be read: {exc}") from None
    host = (parts.hostname or "").lower()
    if "@" in parts.netloc:
        raise PayloadError("payload URL carries user information; refused")
    if any(url.startswith(prefix) for prefix in _test_prefixes()):
        if parts.scheme not in ("http", "https") or not host:
            raise PayloadError(f"payload URL scheme {parts.scheme!r} is not http(s)")
        return parts
    if parts.scheme != "https":
        raise PayloadError(f"payload URL is not https (scheme {parts.scheme!r}); refused")
    if not host.endswith(ALLOWED_SUFFIXES):
        raise PayloadError(f"payload host {host!r} is not an Amazon S3 host "
                           f"(*.amazonaws.com, *.amazonaws.com.cn); refused")
    if port not in (None, 443):
        raise PayloadError(f"payload URL names port {port}; refused")
    return parts


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise PayloadError("payload fetch ran past its deadline; cut off")
    return left


def fetch(url: Any, seconds: float, max_bytes: Optional[int] = None) -> bytes:
    """The body behind ``url`` (rules above), within ``seconds`` overall."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    parts = check_url(url)
    if seconds <= 0:
        raise PayloadError("no time left to fetch the payload")
    deadline = time.monotonic() + seconds
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    conn = conn_cls(parts.hostname, parts.port, timeout=_left(deadline), **kwargs)
    try:
        try:
            conn.request("GET", target, headers={"Accept-Encoding": "identity"})
            sock = conn.sock  # kept: http.client drops it from conn once the response owns it
            sock.settimeout(_left(deadline))
            resp = conn.getresponse()
            if 300 <= resp.status < 400:
                raise PayloadError(f"payload URL answered a redirect (HTTP {resp.status}); "
                                   f"redirects are not followed")
            if resp.status != 200:
                raise PayloadError(f"payload URL answered HTTP {resp.status} {resp.reason}")
            length = resp.getheader("Content-Length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                raise PayloadError(f"payload is larger than {max_bytes} bytes ({length}); refused")
            return _read(sock, resp, deadline, max_bytes)
        except (socket.timeout, TimeoutError):
            raise PayloadError("payload fetch ran past its deadline; cut off") from None
        except (OSError, http.client.HTTPException) as exc:
            raise PayloadError(f"payload fetch failed: {type(exc).__name__}: {exc}") from None
    finally:
        conn.close()


def _read(sock, resp, deadline: float, max_bytes: int) -> bytes:
    """The body, one socket read at a time, each bounded by what is left of the deadline."""
    out = bytearray()
    while True:
        sock.settimeout(_left(deadline))
        chunk = resp.read1(CHUNK)
        _left(deadline)
        if not chunk:
            return bytes(out)
        out += chunk
        if len(out) > max_bytes:
            raise PayloadError(f"payload is larger than {max_bytes} bytes; refused")


def fetch_json(url: Any, seconds: float, max_bytes: Optional[int] = None) -> Any:
    """The JSON document behind ``url``."""
    data = fetch(url, seconds, max_bytes)
    try:
        return json.loads(data)
    except ValueError as exc:
        raise PayloadError(f"payload is not JSON: {exc}") from None
