"""Pulumi resource properties → distributions (pulumi-aws v6/v7 and aws-native), and stack exports.

Preview unknowns arrive as sentinel strings. The reader (:class:`_SentinelReader`) turns each
into an explicit :class:`Unknown` as it is read, so the known parts of a distribution are still
checked; :func:`plain` first copies the policy SDK's read-only proxies into plain data when the
caller has not (``converted=False``).

Every unknown of a type is the same sentinel (pulumi_policy/proxy.py), and property
dependencies name the resources feeding a top-level property, not the output behind one value.
So an origin ``originId`` and a ``targetOriginId`` fed by the same output cannot be told equal
(unlike the same CloudFormation expression): they stay unknown, and CFH008/CFH003 say so in a
note rather than guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Iterator, List, Optional, Tuple

from ..model import Distribution, Note, NoteKind, Unknown
from ..managed_headers import MANAGED_RESPONSE_HEADERS_POLICIES
from ..model import HeadersPolicy, Symbolic
from . import headers_policy as _headers_policy
from .builder import (CFN_DEFAULT_ORIGIN_SSL, CFN_DEFAULT_VPC_ORIGIN_POLICY, Builder, Related,
                      VpcOriginEndpoint, VpcOrigins, gather)
from .reader import MISSING, Prop, Reader, key_of, prop

AWS_TYPE = "aws:cloudfront/distribution:Distribution"
NATIVE_TYPE = "aws-native:cloudfront:Distribution"
TYPES = (AWS_TYPE, NATIVE_TYPE)

# Pulumi's unknown sentinels, as defined in pulumi_policy/proxy.py (pulumi-policy 1.21.0).
UNKNOWN_SENTINELS = {
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (and the generic UNKNOWN)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
}

PREVIEW_UNKNOWN = "unknown during preview"


def plain(value: Any, depth: int = 0) -> Any:
    """Deep-copy into dicts/lists, sentinels → Unknown. Never raises on odd values."""
    if depth > 100:
        return Unknown("nested too deeply")
    if isinstance(value, str):
        return Unknown(PREVIEW_UNKNOWN) if value in UNKNOWN_SENTINELS else value
    if isinstance(value, Unknown) or value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Mapping):
        out = {}
        try:
            keys = list(value.keys())
        except Exception:  # a proxy that refuses even keys: treat the whole value as unknown
            return Unknown(PREVIEW_UNKNOWN)
        for k in keys:
            try:
                v = value[k]
            except Exception:  # pulumi_policy raises UnknownValueError for unknown entries
                v = Unknown(PREVIEW_UNKNOWN)
            out[k] = plain(v, depth + 1)
        return out
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        out_list = []
        try:
            n = len(value)
        except Exception:
            return Unknown(PREVIEW_UNKNOWN)
        for i in range(n):
            try:
                v = value[i]
            except Exception:
                v = Unknown(PREVIEW_UNKNOWN)
            out_list.append(plain(v, depth + 1))
        return out_list
    return Unknown(f"unsupported value {type(value).__name__}")


def _read(value: Any) -> Any:
    """A value as the model reads it: a preview unknown's sentinel string becomes ``Unknown``."""
    return Unknown(PREVIEW_UNKNOWN) if value.__class__ is str and value in UNKNOWN_SENTINELS \
        else value


class _SentinelReader(Reader):
    """Reads plain data in which preview unknowns are still sentinel strings: each value is
    looked at once as it is read, which spares a walk over the whole tree. ``get``,
    ``fields``, ``items`` and ``values`` take a direct route for plain dicts and lists (the
    SDK's data), with the same results."""

    def resolve(self, node: Any, path):
        return _read(node), path

    def get(self, node: Any, names, path):
        if node.__class__ is dict:
            p = names if names.__class__ is Prop else prop(names)
            key = key_of(node, p)
            if key is None:
                return MISSING, path + (p.names[0],)
            return _read(node[key]), path + (key,)
        return super().get(node, names, path)

    def fields(self, node: Any, table, path):
        if node.__class__ is dict:
            out = []
            keys = table.keys_in(node)
            for p, key in zip(table.props, keys):
                if key is None:
                    out.append((MISSING, path + (p.names[0],)))
                    continue
                out.append((_read(node[key]), path + (key,)))
            for key in keys[len(table.props):]:  # the raw ones, as _raw_get reads them
                out.append((MISSING, path) if key is None else (node[key], path + (key,)))
            return out
        return super().fields(node, table, path)

    def items(self, node: Any, path):
        if node.__class__ is list:
            return [(_read(v), path + (i,)) for i, v in enumerate(node)]
        return super().items(node, path)

    def values(self, node: Any, path):
        if node.__class__ is list:
            return [_read(v) for v in node]
        return super().values(node, path)


def distribution(resource_type: str, props: Any, name: str, source: str = "",
                 converted: bool = False, vpc_origins: Optional[VpcOrigins] = None,
                 ) -> Tuple[Optional[Distribution], List[Note]]:
    """Model one resource's properties; ``name`` is its URN or logical name. ``converted``:
    the caller passes plain dicts/lists/scalars (as the policy SDK deserializes them, sentinels
    and all), so the :func:`plain` walk over proxies is not needed. ``vpc_origins``: the stack
    policy's lookup of VPC origin resources (:func:`vpc_origin_lookup`)."""
    if not converted:
        props = plain(props)
    props, _ = _SentinelReader().resolve(props, ())
    if resource_type == NATIVE_TYPE:
        builder = Builder(_SentinelReader(), name, ssl_default=CFN_DEFAULT_ORIGIN_SSL,
                          related=Related(vpc_origin=vpc_origins))
        if not isinstance(props, Mapping):
            return None, [Note("input", NoteKind.INPUT, "properties are not a mapping", name, ())]
        dc = props.get("distributionConfig", props.get("DistributionConfig"))
        if dc is None:
            return None, [Note("input", NoteKind.INPUT, "no distributionConfig", name, ("distributionConfig",))]
        key = "distributionConfig" if "distributionConfig" in props else "DistributionConfig"
        dist = builder.build(dc, (key,), tags=(props, ()))
    else:
        builder = Builder(_SentinelReader(), name, ssl_default=None,
                          related=Related(vpc_origin=vpc_origins))
        dist = builder.build(props, ())
    if dist is not None:
        dist.source = source
    return dist, builder.notes


def stack_resources(export: Any, types: Any = TYPES) -> Iterator[Tuple[str, str, Any]]:
    """(urn, type, props) of every resource of ``types`` (CloudFront distributions unless told)
    in a ``pulumi stack export``; the resource's provider ``id`` is added to its props."""
    if not isinstance(export, Mapping):
        raise ValueError("a stack export is a JSON object")
    deployment = export.get("deployment")
    if not isinstance(deployment, Mapping):
        raise ValueError("not a Pulumi stack export: no 'deployment' object")
    resources = deployment.get("resources") or []
    if not isinstance(resources, list):
        raise ValueError("deployment.resources is not a list")
    for res in resources:
        if not isinstance(res, Mapping) or res.get("type") not in types:
            continue
        outputs = res.get("outputs")
        inputs = res.get("inputs")
        props = outputs if isinstance(outputs, Mapping) and outputs else inputs
        if isinstance(props, Mapping) and isinstance(res.get("id"), str) and "id" not in props:
            props = dict(props, id=res["id"])
        yield str(res.get("urn", "?")), res["type"], props


def looks_like_stack_export(doc: Any) -> bool:
    return isinstance(doc, Mapping) and isinstance(doc.get("deployment"), Mapping) and \
        "resources" in doc["deployment"]


def stack_distributions(export: Any, source: str = "") -> Tuple[List[Distribution], List[Note]]:
    """Every distribution of a stack export; VPC origins are read from the export's VpcOrigin
    resources, matched by id (an export holds the ids the deployment assigned)."""
    vpcs = list(stack_resources(export, VPC_ORIGIN_TYPES))
    lookup = vpc_origin_lookup(vpcs) if vpcs else (
        lambda value: f"VPC origin {value} is not in this stack export")
    dists, notes = gather(distribution(rtype, props, urn, source, vpc_origins=lookup)
                          for urn, rtype, props in stack_resources(export))
    _attach_from_export(export, dists)
    return dists, notes


def _attach_from_export(export: Any, dists: List[Distribution]) -> None:
    """Response headers policies of the same stack, through each distribution's recorded
    ``propertyDependencies`` (as the stack policy does with the engine's)."""
    try:
        resources = export["deployment"]["resources"]
        by_urn = {r.get("urn"): r for r in resources if isinstance(r, Mapping)}
    except Exception:  # noqa: BLE001 - stack_resources already validated what it needed
        return
    for dist in dists:
        res = by_urn.get(dist.name)
        deps = res.get("propertyDependencies") if isinstance(res, Mapping) else None
        if not isinstance(deps, Mapping):
            continue
        table = {}
        for key, urns in deps.items():
            producers = []
            for urn in urns if isinstance(urns, list) else []:
                other = by_urn.get(urn)
                if not isinstance(other, Mapping):
                    producers.append((urn, "?", None))
                    continue
                props = other.get("outputs") or other.get("inputs")
                producers.append((urn, other.get("type"), props))
            table[key] = producers
        attach_headers_policies(dist, res.get("type"), table)


# --------------------------------------------------------------------------- stack inference

# Producers whose outputs name an S3 *website* endpoint and nothing else (crossguard notes:
# websiteEndpoint / websiteDomain). A plain Bucket also has REST domain outputs: ambiguous.
WEBSITE_PRODUCERS = (
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
)
# Producers that may feed `origins` without being able to supply a non-S3 host name for it.
_BENIGN_PREFIXES = ("aws:s3/", "aws:cloudfront/", "pulumi:", "aws-native:s3:")


def infer_website_origins(dist: Distribution, producer_types: List[Tuple[str, str]]) -> Optional[str]:
    """Mark unknown-domain origins as S3 website endpoints when `origins` is fed by a website
    configuration and by nothing that could supply another host. Returns the producer URN used
    (for the message) or None when no sound inference is possible.

    ``producer_types``: (urn, type) of the resources that `origins` depends on.
    """
    website = [urn for urn, rtype in producer_types if rtype in WEBSITE_PRODUCERS]
    if not website:
        return None
    others = [rtype for _, rtype in producer_types
              if rtype not in WEBSITE_PRODUCERS and not rtype.startswith(_BENIGN_PREFIXES)]
    if others:
        return None
    unknown = [o for o in dist.origins if isinstance(o.domain, Unknown)]
    if not unknown or len(unknown) > len(website):
        return None
    for origin in unknown:
        origin.domain = Symbolic([Unknown("website bucket", token=True), ".s3-website.",
                                  Unknown("region", token=True), ".amazonaws.com"])
    return website[0]


# --------------------------------------------------------------------------- response headers

HEADERS_POLICY_AWS = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
HEADERS_POLICY_NATIVE = "aws-native:cloudfront:ResponseHeadersPolicy"
HEADERS_POLICY_TYPES = (HEADERS_POLICY_AWS, HEADERS_POLICY_NATIVE)
# The distribution properties that hold cache behaviours (and so their policy ids).
BEHAVIOR_PROPERTIES = {AWS_TYPE: ("defaultCacheBehavior", "orderedCacheBehaviors"),
                       NATIVE_TYPE: ("distributionConfig",)}
# Producers that may feed a behaviour property without being able to supply a policy id.
_ID_BENIGN_PREFIXES = ("aws:cloudfront/", "aws-native:cloudfront:", "aws:s3/", "aws-native:s3:",
                       "aws:lambda/", "aws:acm/", "pulumi:providers:")


def _short(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if isinstance(urn, str) else str(urn)


def headers_policy(resource_type: str, props: Any, urn: str):
    """A HeadersPolicy from a pulumi-aws or aws-native ResponseHeadersPolicy's properties."""
    props = plain(props)
    if resource_type == HEADERS_POLICY_NATIVE and isinstance(props, Mapping):
        key = "responseHeadersPolicyConfig"
        return _headers_policy.from_config(_SentinelReader(), props.get(key), (key,), _short(urn), "stack")
    return _headers_policy.from_config(_SentinelReader(), props, (), _short(urn), "stack")


def _unresolved(behavior) -> bool:
    pid = behavior.response_headers_policy_id
    if behavior.response_headers_policy is not None or pid is None:
        return False
    return not (isinstance(pid, str) and pid in MANAGED_RESPONSE_HEADERS_POLICIES)


def attach_headers_policies(dist: Distribution, resource_type: str, dependencies) -> list:
    """Resolve behaviours' response headers policies through the stack graph (CFH011).

    ``dependencies``: property name -> [(urn, type, props)] of the resources that property
    depends on (the engine's ``propertyDependencies``). A behaviour whose policy id is unknown
    (preview) or not a managed id gets the ``ResponseHeadersPolicy`` its property depends on,
    when that is the only policy there and nothing else feeding the property could supply an id.
    Several policies that agree on the header count as one; otherwise the behaviour stays
    undecided. Returns the behaviours resolved this way.
    """
    resolved = []
    for key in BEHAVIOR_PROPERTIES.get(resource_type, ()):
        behaviors = [b for b in dist.all_behaviors() if b.path[:1] == (key,) and _unresolved(b)]
        producers = dependencies.get(key) or []
        if not behaviors or not producers:
            continue
        policies = [(urn, rtype, props) for urn, rtype, props in producers
                    if rtype in HEADERS_POLICY_TYPES]
        others = [rtype for _, rtype, _ in producers if rtype not in HEADERS_POLICY_TYPES and
                  not str(rtype).startswith(_ID_BENIGN_PREFIXES)]
        if not policies or others:
            continue
        models = [headers_policy(rtype, props, urn) for urn, rtype, props in policies]
        if len(models) == 1:
            chosen = models[0]
        else:
            names = ", ".join(repr(m.name) for m in models)
            ages = [m.hsts_max_age for m in models]
            same = all(type(a) is type(ages[0]) and a == ages[0] for a in ages) and \
                not isinstance(ages[0], Unknown)
            chosen = HeadersPolicy(name=f"one of {names}", origin="stack",
                                   hsts_max_age=ages[0] if same else Unknown(
                                       f"{len(models)} response headers policies feed `{key}` "
                                       f"({names}) and they differ"))
        for b in behaviors:
            b.response_headers_policy = chosen
            resolved.append(b)
    return resolved


# --------------------------------------------------------------------------- VPC origins

# A VPC origin's protocol policy and SSL protocols live on its own resource; the stack policy
# follows the distribution's `origins` property dependencies to it.
VPC_ORIGIN_TYPES = {
    # pulumi-aws: both settings are required inputs, no default applies.
    "aws:cloudfront/vpcOrigin:VpcOrigin": (None, None),
    # aws-native follows the CloudFormation schema, defaults included.
    "aws-native:cloudfront:VpcOrigin": (CFN_DEFAULT_VPC_ORIGIN_POLICY, CFN_DEFAULT_ORIGIN_SSL),
}


def _endpoint_settings(props: Any) -> Any:
    config = props.get("vpcOriginEndpointConfig") if isinstance(props, Mapping) else None
    if not isinstance(config, Mapping):
        return None
    return (repr(config.get("originProtocolPolicy")), repr(config.get("originSslProtocols")))


def vpc_origin_lookup(producers: List[Tuple[str, str, Any]]) -> Optional[VpcOrigins]:
    """The VPC origins feeding a distribution's `origins`, as a lookup for its builder; None
    when no VPC origin resource feeds it. ``producers``: (urn, type, props) of those resources.

    A known VpcOriginId is matched to the resource whose outputs carry that ``id``. A preview
    id is unknown, and every unknown is the same sentinel, so it cannot be matched by value: it
    is read when the answer is the same whichever VPC origin it is (one feeds `origins`, or all
    that do are configured alike); otherwise the lookup says it cannot tell."""
    candidates = [(urn, rtype, props) for urn, rtype, props in producers
                  if rtype in VPC_ORIGIN_TYPES and isinstance(props, Mapping)]
    if not candidates:
        return None

    def lookup(value: Any):
        pool = candidates
        if isinstance(value, str):  # a known id: the resource whose outputs carry that id
            pool = [c for c in candidates if c[2].get("id") == value]
            if not pool:
                return f"VpcOriginId {value} is none of the VPC origin resources known here"
        if len(pool) > 1 and len({_endpoint_settings(props) for _, _, props in pool}) > 1:
            return (f"`origins` is fed by {len(pool)} VPC origins configured differently "
                    f"({', '.join(urn for urn, _, _ in pool)}); cannot tell which one it is")
        urn, rtype, props = pool[0]
        policy_default, ssl_default = VPC_ORIGIN_TYPES[rtype]
        key = "vpcOriginEndpointConfig" if "vpcOriginEndpointConfig" in props else \
            "VpcOriginEndpointConfig"
        name = urn if len(pool) == 1 else f"{urn} (or {len(pool) - 1} more configured alike)"
        return VpcOriginEndpoint(name, props.get(key), (urn, key), policy_default, ssl_default)
    return lookup
