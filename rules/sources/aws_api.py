"""CloudFront API JSON → distributions.

Accepts what ``aws cloudfront get-distribution-config``, ``get-distribution`` and
``list-distributions`` print (and the same boto3 responses): ``Quantity``/``Items`` lists,
``DistributionSummary`` items, or a bare ``DistributionConfig``. The API always returns
``OriginSslProtocols``, so no CloudFormation default applies here.

A VPC origin's protocol settings are not in the distribution config: they are read with
``GetVpcOrigin`` (the live audit does) and passed as ``vpc_origins``; a document read alone
says in a note which VPC origins it could not judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator, List, Mapping as MappingType, Optional, Tuple, Union

from ..model import Distribution, HeadersPolicy, Note, Path, as_text
from . import headers_policy as _headers_policy
from .builder import Builder, Related, VpcOriginEndpoint, VpcOrigins, gather
from .reader import Reader, is_list

SHAPES = ("get-distribution-config output ({ETag, DistributionConfig})",
          "create-distribution-with-tags input ({DistributionConfigWithTags: {DistributionConfig, "
          "Tags}})",
          "get-distribution output ({Distribution: {Id, DistributionConfig}})",
          "list-distributions output ({DistributionList: {Items: [...]}})",
          "a bare DistributionConfig ({Origins, DefaultCacheBehavior, ...})")


class ShapeError(ValueError):
    """JSON that is none of the CloudFront API shapes."""


def _is_config(node: Any) -> bool:
    return isinstance(node, Mapping) and "DefaultCacheBehavior" in node and "Origins" in node


def looks_like(doc: Any) -> bool:
    if not isinstance(doc, Mapping):
        return False
    return ("DistributionConfig" in doc and isinstance(doc.get("DistributionConfig"), Mapping)) \
        or isinstance(doc.get("DistributionConfigWithTags"), Mapping) \
        or isinstance(doc.get("Distribution"), Mapping) \
        or isinstance(doc.get("DistributionList"), Mapping) or _is_config(doc)


def configs(doc: Any) -> Iterator[Tuple[str, Any, Path]]:
    """(name, config node, path) for every distribution in an API document."""
    for name, config, path, _tags in tagged_configs(doc):
        yield name, config, path


def tagged_configs(doc: Any) -> Iterator[Tuple[str, Any, Path, Optional[Tuple[Any, Path]]]]:
    """(name, config node, path, (the mapping holding its ``Tags``, path) or None) for every
    distribution in an API document. Only ``DistributionConfigWithTags`` (what
    ``create-distribution-with-tags`` takes) carries tags; the read APIs return them apart
    (``ListTagsForResource``, which the live audit calls)."""
    if not isinstance(doc, Mapping):
        raise ShapeError("expected a JSON object")
    if isinstance(doc.get("DistributionConfigWithTags"), Mapping):
        inner = doc["DistributionConfigWithTags"]
        cfg = inner.get("DistributionConfig")
        name = (cfg.get("CallerReference") if isinstance(cfg, Mapping) else None) or \
            "DistributionConfigWithTags"
        yield (str(name), cfg, ("DistributionConfigWithTags", "DistributionConfig"),
               (inner, ("DistributionConfigWithTags",)))
        return
    for name, config, path in _configs(doc):
        yield name, config, path, None


def _configs(doc: Mapping) -> Iterator[Tuple[str, Any, Path]]:
    if isinstance(doc.get("DistributionList"), Mapping):
        items = doc["DistributionList"].get("Items") or []
        if not is_list(items):
            raise ShapeError("DistributionList.Items is not a list")
        for i, item in enumerate(items):
            name = item.get("Id") if isinstance(item, Mapping) else None
            yield (name if isinstance(name, str) else f"DistributionList.Items[{i}]", item,
                   ("DistributionList", "Items", i))
        return
    if isinstance(doc.get("Distribution"), Mapping):
        dist = doc["Distribution"]
        name = dist.get("Id") if isinstance(dist.get("Id"), str) else "Distribution"
        yield name, dist.get("DistributionConfig"), ("Distribution", "DistributionConfig")
        return
    if isinstance(doc.get("DistributionConfig"), Mapping):
        cfg = doc["DistributionConfig"]
        name = doc.get("Id") or cfg.get("CallerReference") or "DistributionConfig"
        yield str(name), cfg, ("DistributionConfig",)
        return
    if _is_config(doc):
        name = doc.get("Id") or doc.get("CallerReference") or "DistributionConfig"
        yield str(name), doc, ()
        return
    raise ShapeError("not a CloudFront API document; expected one of: " + "; ".join(SHAPES))


def vpc_origin_lookup(found: MappingType[str, Union[Any, str]]) -> VpcOrigins:
    """A lookup over VPC origins as ``GetVpcOrigin`` returns them (its ``VpcOrigin`` member),
    by id; a string value says why that one could not be read."""
    def lookup(value: Any) -> Union[VpcOriginEndpoint, str]:
        if not isinstance(value, str):
            return f"VpcOriginId {as_text(value)} is not a VPC origin id"
        got = found.get(value)
        if got is None:
            return (f"VPC origin {value} was not read (its settings are not in the distribution "
                    f"config: aws cloudfront get-vpc-origin --id {value}, or audit with --aws)")
        if isinstance(got, str):
            return f"VPC origin {value} could not be read ({got})"
        config = got.get("VpcOriginEndpointConfig") if isinstance(got, Mapping) else None
        return VpcOriginEndpoint(value, config, ("VpcOrigin", value, "VpcOriginEndpointConfig"))
    return lookup


def distribution(name: str, config: Any, path: Path = (), source: str = "",
                 vpc_origins: Optional[MappingType[str, Any]] = None, headers_lookup=None,
                 tags: Optional[Tuple[Any, Path]] = None,
                 ) -> Tuple[Optional[Distribution], List[Note]]:
    """``vpc_origins``: VPC origin id → ``GetVpcOrigin``'s ``VpcOrigin`` (or an error).
    ``headers_lookup``: response headers policy id -> HeadersPolicy (or None), e.g. the live
    audit's ``GetResponseHeadersPolicy``; without it a custom policy id is unresolved (CFH011
    notes it). ``tags``: (the mapping holding the distribution's ``Tags``, its path) — a
    ``ListTagsForResource`` answer, an AWS Config item (``tags``) —; a distribution config
    holds none."""
    builder = Builder(Reader(), name, ssl_default=None, related=Related(
        vpc_origin=vpc_origin_lookup(vpc_origins or {}),
        headers_policy=None if headers_lookup is None else _by_id(headers_lookup)))
    dist = builder.build(config, tuple(path), tags=tags)
    if dist is not None:
        dist.source = source
    return dist, builder.notes


def _by_id(lookup):
    """A builder's headers-policy resolver from a look-up by policy id (an empty id is none)."""
    def resolve(policy_id: Any, path: Path) -> Optional[HeadersPolicy]:
        return lookup(policy_id) if isinstance(policy_id, str) and policy_id else None
    return resolve


def distributions(doc: Any, source: str = "") -> Tuple[List[Distribution], List[Note]]:
    return gather(distribution(name, cfg, path, source, tags=tags)
                  for name, cfg, path, tags in tagged_configs(doc))


def headers_policy(policy_id: str, response: Any) -> Optional[HeadersPolicy]:
    """A HeadersPolicy from ``get-response-headers-policy`` output ({ResponseHeadersPolicy:
    {Id, ResponseHeadersPolicyConfig}}, or the inner object); None when it is neither."""
    if not isinstance(response, Mapping):
        return None
    inner = response.get("ResponseHeadersPolicy", response)
    if not isinstance(inner, Mapping) or "ResponseHeadersPolicyConfig" not in inner:
        return None
    config = inner["ResponseHeadersPolicyConfig"]
    name = config.get("Name") if isinstance(config, Mapping) else None
    label = f"{name} ({policy_id})" if isinstance(name, str) and name else policy_id
    return _headers_policy.from_config(Reader(), config, ("ResponseHeadersPolicyConfig",), label, "api")
