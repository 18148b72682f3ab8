"""CloudFront's API, read-only: the client and the reads every AWS-facing door makes.

Used by ``cfhttps audit --aws`` and the AWS Config rule (through :mod:`.account`). Calls only ``cloudfront:ListDistributions``, ``cloudfront:GetDistributionConfig``,
``cloudfront:ListTagsForResource`` (a distribution's tags: its ``cfhttps:ignore`` tag suppresses
findings, rules/suppression.py) and, for
distributions with VPC origins, ``cloudfront:GetVpcOrigin`` (each VPC origin once) and,
when CFH011 is on, ``cloudfront:GetResponseHeadersPolicy`` (each custom policy once), with
boto3's ``standard`` retry mode for throttling. An endpoint that refuses connections or never
answers fails within seconds instead (a short connect timeout, and at most
:data:`CONNECTION_ATTEMPTS` tries when the connection itself fails), while throttling and
server errors keep every retry. Errors are turned into messages that never contain credentials.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Tuple

# The IAM actions behind the calls below (a test greps the boto3 calls against this list and
# against the deploy templates' policies).
IAM_ACTIONS = ("cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
               "cloudfront:ListTagsForResource", "cloudfront:GetVpcOrigin",
               "cloudfront:GetResponseHeadersPolicy")

IAM_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
               "cloudfront:ListTagsForResource", "cloudfront:GetVpcOrigin",
               "cloudfront:GetResponseHeadersPolicy"],
    "Resource": "*"
  }]
}"""


CONNECT_TIMEOUT = 5  # seconds per connection attempt (botocore's default is 60)
CONNECTION_ATTEMPTS = 2  # tries when the connection fails (refused, unreachable, timed out)


class AwsError(RuntimeError):
    """An AWS failure that stops the whole listing (credentials, access to the list)."""


def _describe(exc: Exception) -> str:
    try:
        from botocore.exceptions import (ClientError, ConnectTimeoutError, EndpointConnectionError,
                                         NoCredentialsError, PartialCredentialsError,
                                         ProfileNotFound)
    except ImportError:  # pragma: no cover
        return type(exc).__name__
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return "no AWS credentials found (configure a profile or the AWS_* environment variables)"
    if isinstance(exc, ProfileNotFound):
        return f"AWS profile not found: {exc.kwargs.get('profile', '?')}"
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        return f"cannot reach the CloudFront endpoint ({exc.kwargs.get('endpoint_url', '?')})"
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code", "Unknown")
        if code in ("Throttling", "ThrottlingException", "TooManyRequestsException"):
            return f"{code}: throttled by CloudFront after all retries"
        return f"{code}: {err.get('Message', '')}".rstrip(": ")
    return f"{type(exc).__name__}"


describe = _describe  # public name for the AWS doors (cfhttps_aws): credential-free messages


def _get(node: Any, name: str) -> Any:
    """A member by name, case-insensitively: the API spells ``VpcOriginConfig``, a Config
    configuration item ``vpcOriginConfig``."""
    if not isinstance(node, dict):
        return None
    if name in node:
        return node[name]
    lower = name.lower()
    for key, value in node.items():
        if isinstance(key, str) and key.lower() == lower:
            return value
    return None


def vpc_origin_ids(config: Any) -> List[str]:
    """The VPC origin ids a distribution config names (API or Config spelling), in order."""
    items = _get(_get(config, "Origins"), "Items")
    out: List[str] = []
    for origin in items if isinstance(items, list) else []:
        vid = _get(_get(origin, "VpcOriginConfig"), "VpcOriginId")
        if isinstance(vid, str) and vid and vid not in out:
            out.append(vid)
    return out


def client(profile: Optional[str] = None, endpoint_url: Optional[str] = None,
           max_attempts: Optional[int] = None, session=None):
    try:
        import boto3
        from botocore.config import Config as BotoConfig
    except ImportError as exc:
        raise AwsError("boto3 is not installed: pip install 'cfhttps[aws]'") from exc
    if max_attempts is None:  # boto3's own variable, honoured as boto3 would
        try:
            max_attempts = int(os.environ.get("AWS_MAX_ATTEMPTS", "10"))
        except ValueError:
            max_attempts = 10
    try:
        if session is None:  # a caller may bring its own (assumed-role) session
            session = boto3.Session(profile_name=profile) if profile else boto3.Session()
        # total_max_attempts counts the first try, as AWS_MAX_ATTEMPTS does (the `max_attempts`
        # key counts retries only: one more request than the variable says).
        cfg = BotoConfig(retries={"mode": "standard", "total_max_attempts": max_attempts},
                         connect_timeout=CONNECT_TIMEOUT)
        cf = session.client("cloudfront", endpoint_url=endpoint_url, config=cfg,
                            region_name=session.region_name or "us-east-1")
    except Exception as exc:
        raise AwsError(_describe(exc)) from None
    _limit_connection_retries(cf)
    return cf


def _limit_connection_retries(cf) -> None:
    """Stop retrying a failed *connection* after CONNECTION_ATTEMPTS tries.

    botocore asks its ``needs-retry`` handlers before every retry and follows the first answer
    that is not None; this one runs first and, for a connection error past the allowance,
    answers False (no retry: the call fails now with botocore's own exception) instead of letting
    the standard retry mode back off ten times. Any other case it leaves to the standard mode
    (None), so throttling and 5xx keep their retries.
    """
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import ReadTimeoutError

    def handler(attempts=0, caught_exception=None, **_kwargs):
        if isinstance(caught_exception, BotoConnectionError) and \
                not isinstance(caught_exception, ReadTimeoutError) and \
                attempts >= CONNECTION_ATTEMPTS:
            return False
        return None

    cf.meta.events.register_first("needs-retry.cloudfront", handler,
                                  unique_id="cfhttps-connection-attempts")


def distribution_ids(cf) -> Iterator[str]:
    for dist_id, _arn in distributions(cf):
        yield dist_id


def distributions(cf) -> Iterator[Tuple[str, Optional[str]]]:
    """(id, ARN) of every distribution (``ListDistributions``; the ARN names it to
    ``ListTagsForResource``)."""
    try:
        paginator = cf.get_paginator("list_distributions")
        for page in paginator.paginate():
            for item in (page.get("DistributionList") or {}).get("Items") or []:
                if isinstance(item, dict) and item.get("Id"):
                    arn = item.get("ARN")
                    yield item["Id"], arn if isinstance(arn, str) and arn else None
    except Exception as exc:
        raise AwsError(f"listing distributions failed: {_describe(exc)}") from None


def read_tags(cf, arn: Optional[str]) -> Any:
    """A distribution's tags as ``ListTagsForResource`` returns them (``{Items: [{Key,
    Value}]}``), or why they could not be read (a string: nothing is then suppressed by tag,
    and the model says so in a note)."""
    if not arn:
        return "no ARN for the distribution"
    try:
        client_ = cf() if callable(cf) and not hasattr(cf, "list_tags_for_resource") else cf
        return client_.list_tags_for_resource(Resource=arn).get("Tags") or {"Items": []}
    except AwsError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - unreadable: unknown tags, not a crash
        return f"ListTagsForResource failed: {_describe(exc)}"


GONE = "deleted while the audit ran (NoSuchDistribution)"


def read_config(cf, dist_id: str) -> Tuple[Optional[Any], Optional[str]]:
    """(DistributionConfig or None, error or None) for one distribution; ``GONE`` when deleted.

    Public for the AWS Config rule (cfhttps_aws), which reads one distribution at a time."""
    try:
        resp = cf.get_distribution_config(Id=dist_id)
        return resp.get("DistributionConfig"), None
    except Exception as exc:
        message = _describe(exc)
        if "NoSuchDistribution" in message:
            message = GONE
        return None, message


def configs(cf) -> Iterator[Tuple[str, Optional[Any], Optional[str]]]:
    """(distribution id, DistributionConfig or None, error or None) for every distribution."""
    for dist_id in distribution_ids(cf):
        cfg, error = read_config(cf, dist_id)
        yield dist_id, cfg, error


def vpc_origins(cf, config: Any, cache: Dict[str, Any]) -> Dict[str, Any]:
    """VPC origin id → ``GetVpcOrigin``'s ``VpcOrigin`` (or an error message) for the VPC
    origins one distribution config names; ``cache`` spares a second read of a shared one.

    ``cf`` is a client or a callable that makes one (called only when a VPC origin is named;
    when it fails, each VPC origin's entry is the reason)."""
    out: Dict[str, Any] = {}
    for vid in vpc_origin_ids(config):
        if vid not in cache:
            try:
                client_ = cf() if callable(cf) and not hasattr(cf, "get_vpc_origin") else cf
                cache[vid] = client_.get_vpc_origin(Id=vid).get("VpcOrigin") or "empty response"
            except AwsError as exc:
                cache[vid] = str(exc)
            except Exception as exc:  # noqa: BLE001 - unreadable: an unknown, not a crash
                cache[vid] = _describe(exc)
        out[vid] = cache[vid]
    return out


class HeadersPolicies:
    """``GetResponseHeadersPolicy`` by id, each id asked once per run (many distributions share a
    policy). A policy that cannot be read (access denied, deleted, no client) is None: CFH011
    then says in a note that it cannot see the policy, and reports nothing. ``cf`` is a client
    or a callable that makes one when a custom policy is first asked for."""

    def __init__(self, cf) -> None:
        self.cf = cf
        self.seen: dict = {}

    def _client(self):
        if callable(self.cf) and not hasattr(self.cf, "get_response_headers_policy"):
            self.cf = self.cf()
        return self.cf

    def __call__(self, policy_id: str):
        from rules.managed_headers import MANAGED_RESPONSE_HEADERS_POLICIES
        from rules.sources import aws_api
        if policy_id in MANAGED_RESPONSE_HEADERS_POLICIES:
            return None  # rules.managed_headers answers for managed policies
        if policy_id not in self.seen:
            try:
                resp = self._client().get_response_headers_policy(Id=policy_id)
                self.seen[policy_id] = aws_api.headers_policy(policy_id, resp)
            except Exception:  # noqa: BLE001 - unreadable: unresolved, not a crash
                self.seen[policy_id] = None
        return self.seen[policy_id]
