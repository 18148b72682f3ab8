"""Terraform (and OpenTofu) ``aws_cloudfront_distribution`` resources → distributions.

Two inputs, one model: a plan in Terraform's JSON output format (``terraform show -json
plan.out``; HashiCorp, "JSON Output Format",
https://developer.hashicorp.com/terraform/internals/json-format — OpenTofu's is the same) and a
module's ``.tf`` files, parsed by :mod:`cfhttps_io.terraform` into plain data and evaluated by
:mod:`.terraform_hcl`. Both give a resource body in the provider's schema (snake_case, nested
blocks as lists), which :class:`TerraformReader` lets the shared builder read: property paths and
resource names stay Terraform's (``origin/1/custom_origin_config/origin_protocol_policy`` under
``module.cdn.aws_cloudfront_distribution.this["eu"]``).

Related resources are followed through references, not values: a ``domain_name`` written as
``aws_s3_bucket_website_configuration.X.website_endpoint`` is an S3 website endpoint even while
the plan says its value is unknown (as ``Fn::GetAtt Bucket.WebsiteURL`` in CloudFormation), and
a behaviour's ``response_headers_policy_id`` or an origin's ``vpc_origin_id`` leads to the
``aws_cloudfront_response_headers_policy`` / ``aws_cloudfront_vpc_origin`` it names.

Provider defaults are the provider's (Terraform AWS provider, resource
``aws_cloudfront_distribution``): ``custom_origin_config.origin_ssl_protocols`` is required (no
schema default is assumed, unlike CloudFormation's ``[TLSv1, SSLv3]``); an omitted
``viewer_certificate.minimum_protocol_version`` is ``TLSv1``, which the builder's "not pinned"
reading already gives.
"""

from __future__ import annotations

import bisect
import ntpath
import re
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from ..model import Distribution, Note, NoteKind, Path, Symbolic, Unknown
from .. import suppression
from . import headers_policy
from .builder import Builder, VpcOriginEndpoint
from .builder import Related as Resolvers
from .reader import MISSING, Prop, Reader, is_list, is_mapping, prop
from .terraform_refs import reference_value

DISTRIBUTION = "aws_cloudfront_distribution"
HEADERS_POLICY = "aws_cloudfront_response_headers_policy"
VPC_ORIGIN = "aws_cloudfront_vpc_origin"

# Nested blocks the provider allows at most once: a list of one mapping in the plan and the
# parsed module, read as that mapping (paths then name no index: ``viewer_certificate/...``).
SINGLE_BLOCKS = frozenset((
    "default_cache_behavior", "viewer_certificate", "custom_origin_config", "s3_origin_config",
    "vpc_origin_config", "vpc_origin_endpoint_config", "origin_ssl_protocols",
    "response_headers_policy_config", "security_headers_config", "strict_transport_security",
))

# The builder asks for CloudFormation's names; Terraform's where plain snake_case is not it.
_NAMES = {
    "Origins": "origin", "OriginGroups": "origin_group", "CacheBehaviors": "ordered_cache_behavior",
    "OrderedCacheBehaviors": "ordered_cache_behavior", "Members": "member",
    "CloudFrontDefaultCertificate": "cloudfront_default_certificate",
    "OriginSSLProtocols": "origin_ssl_protocols", "ACMCertificateArn": "acm_certificate_arn",
    "IAMCertificateId": "iam_certificate_id", "S3Origin": "", "CustomOrigin": "",
    "DNSName": "",
}
_CAMEL_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    """Terraform's spelling of a CloudFormation property name ('' when it has none)."""
    found = _NAMES.get(name)
    if found is not None:
        return found
    return _CAMEL_BREAK.sub("_", name).lower()


_KEYS: Dict[Any, Tuple[str, ...]] = {}


def _keys(p: Prop) -> Tuple[str, ...]:
    found = _KEYS.get(p.names)
    if found is None:
        found = _KEYS[p.names] = tuple(k for k in dict.fromkeys(snake(n) for n in p.names) if k)
    return found


class TerraformReader(Reader):
    """Reads a resource body in the provider's schema for the builder: CloudFormation names are
    looked up by their Terraform spelling, and a once-only block's one-element list is that
    block. ``resolve`` is the identity: values are evaluated before (plan) or by a subclass
    (:class:`.terraform_hcl.ModuleReader`)."""

    def get(self, node: Any, names, path: Path) -> Tuple[Any, Path]:
        node, path = self.resolve(node, path)
        if not is_mapping(node):
            return MISSING, path
        keys = _keys(prop(names))
        for key in keys:
            if key in node:
                value, vpath = self.resolve(node[key], path + (key,))
                if key in SINGLE_BLOCKS and is_list(value):
                    if not value:
                        return MISSING, vpath
                    if len(value) == 1 and is_mapping(value[0]):
                        return self.resolve(value[0], vpath)
                return value, vpath
        return MISSING, path + ((keys[0],) if keys else ())

    def fields(self, node: Any, table, path: Path) -> List[Tuple[Any, Path]]:
        return [self.get(node, p, path) for p in table.props + table.raw]

    def items(self, node: Any, path: Path) -> Optional[List[Tuple[Any, Path]]]:
        node, path = self.resolve(node, path)
        if is_mapping(node) and "items" in node:  # origin_ssl_protocols { items = [...] }
            node, path = self.resolve(node["items"], path + ("items",))
        if not is_list(node):
            return None
        out = []
        for i, child in enumerate(node):
            value, cpath = self.resolve(child, path + (i,))
            if value is not MISSING:
                out.append((value, cpath))
        return out


# --------------------------------------------------------------------------- references

def referenced(value: Any, rtype: str) -> Optional[str]:
    """The address of the ``rtype`` resource an unknown value refers to (by :func:`reference_value`'s
    ``same_as``), or None."""
    same = getattr(value, "same_as", None) if isinstance(value, Unknown) else None
    if isinstance(same, tuple) and len(same) == 3 and same[0] == "terraform" and \
            isinstance(same[1], str):
        if _type_of(same[1]) == rtype:
            return same[1]
    return None


def _type_of(address: str) -> str:
    """The resource type of an address (``module.a.aws_x.name["k"]`` → ``aws_x``)."""
    parts = re.sub(r"\[[^\]]*\]", "", address).split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    return parts[0] if len(parts) >= 2 else ""


class Related:
    """The resources of a module or plan that a distribution may name, by address."""

    def __init__(self, bodies: Dict[str, Tuple[str, Any, Path]], reader_for) -> None:
        self.bodies = bodies  # address -> (type, body, path)
        self.reader_for = reader_for  # address -> the Reader that reads that body

    def vpc_origins(self, value: Any):
        address = referenced(value, VPC_ORIGIN)
        if address is None:
            if isinstance(value, str):
                return f"VPC origin {value} is not declared here (an id, not a reference)"
            return "its vpc_origin_id is not a reference to an aws_cloudfront_vpc_origin here"
        found = self.bodies.get(address)
        if found is None:
            return f"{address} is not in this configuration"
        _, body, path = found
        config, cpath = self.reader_for(address).get(body, ("VpcOriginEndpointConfig",), path)
        return VpcOriginEndpoint(address, config, cpath)

    def attach_headers(self, dist: Distribution) -> None:
        """Behaviours whose ``response_headers_policy_id`` refers to a policy resource here get
        that policy (CFH011)."""
        for b in dist.all_behaviors():
            address = referenced(b.response_headers_policy_id, HEADERS_POLICY)
            if address is None or address not in self.bodies:
                continue
            _, body, path = self.bodies[address]
            reader = self.reader_for(address)
            # The provider's policy is the config itself (no ResponseHeadersPolicyConfig level).
            b.response_headers_policy = headers_policy.from_config(reader, body, path, address,
                                                                   "module")


# Resources (and data sources) whose ARN/id attributes are a certificate's, never empty.
_CERTIFICATE_TYPES = ("aws_acm_certificate", "aws_acm_certificate_validation",
                      "aws_iam_server_certificate")


def _given(value: Any) -> bool:
    """A certificate ARN/id the provider sends: a non-empty string, a symbolic one, or a
    reference to a certificate resource's attribute (known after apply, never empty)."""
    if isinstance(value, Unknown):
        return any(referenced(value, t) for t in _CERTIFICATE_TYPES)
    return (isinstance(value, str) and value != "") or isinstance(value, Symbolic)


def as_provider_sends(body: Any) -> Any:
    """The body as the AWS provider turns it into a DistributionConfig, where that differs from
    reading the arguments one by one (terraform-provider-aws, internal/service/cloudfront,
    ``expandViewerCertificate`` and ``expandOrigin``):

    - ``viewer_certificate``: an ``iam_certificate_id``, else an ``acm_certificate_arn``, that is
      a non-empty string is sent and ``cloudfront_default_certificate`` is then not sent at all;
    - an ``origin`` with neither ``custom_origin_config`` nor ``s3_origin_config`` is sent with
      an empty ``S3OriginConfig`` (``OriginAccessIdentity: ""``), as the provider's comment says
      "One or the other must be specified, but the S3 origin can be empty".

    Unknown certificate values change nothing (the builder reads both settings as written)."""
    if not isinstance(body, Mapping):
        return body
    out = dict(body)
    certs = out.get("viewer_certificate")
    if is_list(certs) and len(certs) == 1 and isinstance(certs[0], Mapping):
        cert = certs[0]
        if "cloudfront_default_certificate" in cert and (
                _given(cert.get("iam_certificate_id")) or _given(cert.get("acm_certificate_arn"))):
            cert = {k: v for k, v in cert.items() if k != "cloudfront_default_certificate"}
            out["viewer_certificate"] = [cert]
    origins = out.get("origin")
    if is_list(origins):
        shaped = []
        for origin in origins:
            if isinstance(origin, Mapping) and not _has_block(origin, "custom_origin_config") \
                    and not _has_block(origin, "s3_origin_config") \
                    and not _has_block(origin, "vpc_origin_config"):
                origin = dict(origin, s3_origin_config=[{"origin_access_identity": ""}])
            shaped.append(origin)
        out["origin"] = type(origins)(shaped) if isinstance(origins, list) else shaped
    return out


def _has_block(node: Mapping, name: str) -> bool:
    """Present in any form but an empty list / null: an unknown block counts as present."""
    value = node.get(name)
    return value is not None and not (is_list(value) and len(value) == 0)


def build(body: Any, address: str, path: Path, reader: Reader, related: Related,
          source: str = "") -> Tuple[Optional[Distribution], List[Note]]:
    """One ``aws_cloudfront_distribution`` body → its model (the builder's one use here)."""
    builder = Builder(reader, address, ssl_default=None,
                      related=Resolvers(vpc_origin=related.vpc_origins))
    dist = builder.build(as_provider_sends(body), path)
    if dist is None:
        return None, builder.notes
    dist.source = source
    related.attach_headers(dist)
    for origin in dist.origins:
        if origin.kind == "custom" and origin.ssl_protocols is None:
            dist.notes.append(Note(
                "input", NoteKind.INPUT, f"origin {origin.id!s}: custom_origin_config has no "
                f"origin_ssl_protocols, which the AWS provider requires (terraform validate "
                f"rejects it); its origin TLS is not judged", address, origin.config_path))
    return dist, []


# --------------------------------------------------------------------------- plan JSON

def looks_like_plan(doc: Any) -> bool:
    """A ``terraform show -json`` document: ``format_version`` and changes or planned values."""
    return isinstance(doc, Mapping) and "format_version" in doc and (
        "resource_changes" in doc or "planned_values" in doc)


class PlanError(ValueError):
    """The document is not a Terraform plan we can read."""


MAX_DEPTH = 64


def _merge_unknown(after: Any, unknown: Any, depth: int = 0) -> Any:
    """``change.after`` with every part ``after_unknown`` marks ``true`` as :class:`Unknown`
    (the JSON Output Format: "after_unknown ... each value is replaced with true if it is
    unknown")."""
    if depth > MAX_DEPTH:
        return Unknown("nested too deeply")
    if unknown is True:
        return Unknown("known after apply")
    if isinstance(after, Mapping):
        u = unknown if isinstance(unknown, Mapping) else {}
        out = {str(k): _merge_unknown(v, u.get(k), depth + 1) for k, v in after.items()}
        for k, v in u.items():  # an unknown attribute may be absent from after
            if k not in out and v is True:
                out[str(k)] = Unknown("known after apply")
        return out
    if isinstance(after, list):
        u = unknown if isinstance(unknown, list) else []
        out_list = [_merge_unknown(v, u[i] if i < len(u) else None, depth + 1)
                    for i, v in enumerate(after)]
        for i in range(len(after), len(u)):  # elements entirely unknown
            if u[i] is True:
                out_list.append(Unknown("known after apply"))
        return out_list
    if after is None and isinstance(unknown, (Mapping, list)):
        return _merge_unknown({} if isinstance(unknown, Mapping) else [], unknown, depth + 1)
    return after


def _planned_resources(module: Any, depth: int = 0):
    """Every resource of ``planned_values.root_module`` and its child modules."""
    if not isinstance(module, Mapping) or depth > MAX_DEPTH:
        return
    for res in module.get("resources") or []:
        if isinstance(res, Mapping):
            yield res
    for child in module.get("child_modules") or []:
        yield from _planned_resources(child, depth + 1)


def _config_module(configuration: Any, module_address: str):
    """The ``configuration`` module that declares resources of ``module_address`` (``""`` for
    the root, ``module.a.module.b[0]`` for a nested call, instance keys ignored)."""
    node = configuration.get("root_module") if isinstance(configuration, Mapping) else None
    if not module_address:
        return node
    names = re.findall(r"module\.([^.\[]+)", module_address)
    for name in names:
        calls = node.get("module_calls") if isinstance(node, Mapping) else None
        call = calls.get(name) if isinstance(calls, Mapping) else None
        node = call.get("module") if isinstance(call, Mapping) else None
        if node is None:
            return None
    return node


def _module_of(address: str) -> str:
    """``module.a["x"].module.b.aws_y.z[0]`` → ``module.a["x"].module.b``."""
    out = []
    rest = address
    while rest.startswith("module."):
        m = re.match(r'module\.[^.\[]+(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?', rest)
        if not m:
            break
        out.append(m.group(0))
        rest = rest[m.end() + 1:]
    return ".".join(out)


def _config_resource(configuration: Any, address: str, rtype: str, name: str):
    module = _config_module(configuration, _module_of(address))
    for res in (module.get("resources") or []) if isinstance(module, Mapping) else []:
        if isinstance(res, Mapping) and res.get("type") == rtype and res.get("name") == name \
                and res.get("mode", "managed") == "managed":
            return res
    return None


def _ref_address(ref: str, module_prefix: str) -> Optional[Tuple[str, str, str]]:
    """``aws_x.y.attr`` / ``aws_x.y[0].attr`` as (type, address, attr) in the module."""
    m = re.match(r'^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)((?:\[[^\]]*\])?)\.([a-z_0-9]+)', ref)
    if not m or m.group(1) in ("var", "local", "module", "data", "each", "count", "path",
                               "terraform", "self"):
        return None
    prefix = module_prefix + "." if module_prefix else ""
    return m.group(1), f"{prefix}{m.group(1)}.{m.group(2)}{m.group(3)}", m.group(4)


# Blocks the AWS provider keeps as sets (schema.TypeSet): a plan lists their elements in the
# set's hash order, not in source order, so a configuration block is paired with a planned
# element by the attribute that names it (terraform-provider-aws, resource
# aws_cloudfront_distribution: ``origin`` and ``origin_group`` are sets keyed by origin_id).
SET_BLOCKS = {"origin": "origin_id", "origin_group": "origin_id"}


def _from_expressions(value: Any, expr: Any, module_prefix: str, depth: int = 0,
                      key: str = "") -> Any:
    """Fill the unknown parts of ``value`` that a configuration expression tells about: an
    expression whose ``references`` name a resource attribute (website endpoint, OAC, policy,
    VPC origin). Known values stay as the plan says."""
    if depth > MAX_DEPTH or expr is None:
        return value
    if isinstance(value, Unknown) and isinstance(expr, Mapping) and \
            isinstance(expr.get("references"), list):
        # Terraform lists the reference and its prefixes (``a.b.attr``, ``a.b``): the longest.
        refs = sorted((r for r in expr["references"] if isinstance(r, str)), key=len, reverse=True)
        for ref in refs:
            found = _ref_address(ref, module_prefix)
            if found is not None:
                rtype, address, attr = found
                return reference_value(rtype, attr, address)
        return value
    if isinstance(value, Mapping) and isinstance(expr, Mapping):
        return {k: _from_expressions(v, expr.get(k), module_prefix, depth + 1, str(k))
                for k, v in value.items()}
    if isinstance(value, list) and isinstance(expr, list):
        if key in SET_BLOCKS and depth == 1:
            return _from_set_expressions(value, expr, SET_BLOCKS[key], key, module_prefix, depth)
        # Blocks in configuration are lists in the same order as in the value, unless dynamic.
        if len(expr) == len(value):
            return [_from_expressions(v, e, module_prefix, depth + 1) for v, e in zip(value, expr)]
        if len(expr) == 1:
            return [_from_expressions(v, expr[0], module_prefix, depth + 1) for v in value]
    return value


def _constant(expr: Any, attr: str) -> Any:
    """The constant value of ``attr`` in a configuration block, or MISSING."""
    node = expr.get(attr) if isinstance(expr, Mapping) else None
    if isinstance(node, Mapping) and "constant_value" in node and \
            isinstance(node["constant_value"], (str, int, float, bool)):
        return node["constant_value"]
    return MISSING


def _agrees(value: Any, expr: Any) -> bool:
    """Every constant scalar attribute of the configuration block equals the planned element's."""
    if not isinstance(value, Mapping) or not isinstance(expr, Mapping):
        return False
    for attr in expr:
        const = _constant(expr, attr)
        if const is not MISSING and attr in value and not isinstance(value[attr], Unknown) \
                and value[attr] != const:
            return False
    return True


def _pair_set(value: List[Any], expr: List[Any], ident: str) -> List[Optional[int]]:
    """For each planned element of a set, the index of the configuration block that declares
    it, or None when that cannot be proven. A block with a constant ``ident`` is the element
    with that value (unique on both sides); the others are paired only when exactly one
    remaining block agrees with an element's constant attributes and that block agrees with no
    other remaining element — never by position, which in a set is the hash order."""
    pairs: List[Optional[int]] = [None] * len(value)
    ids: Dict[Any, List[int]] = {}
    for j, e in enumerate(expr):
        c = _constant(e, ident)
        if c is not MISSING:
            ids.setdefault(c, []).append(j)
    used = set()
    for i, v in enumerate(value):
        vid = v.get(ident) if isinstance(v, Mapping) else None
        if isinstance(vid, (str, int, float, bool)) and len(ids.get(vid, ())) == 1:
            if sum(1 for w in value if isinstance(w, Mapping) and w.get(ident) == vid) == 1:
                pairs[i] = ids[vid][0]
                used.add(pairs[i])
    free = [j for j in range(len(expr)) if j not in used and _constant(expr[j], ident) is MISSING]
    left = [i for i in range(len(value)) if pairs[i] is None]
    for i in left:
        cands = [j for j in free if _agrees(value[i], expr[j])]
        if len(cands) == 1 and sum(1 for k in left if _agrees(value[k], expr[cands[0]])) == 1:
            pairs[i] = cands[0]
    return pairs


def _still_unknown(value: Any, reason: str, depth: int = 0) -> Any:
    """``value`` with its unknown parts saying why no configuration could tell more."""
    if isinstance(value, Unknown):
        return Unknown(f"{value.reason}; {reason}", value.token, value.same_as)
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return {k: _still_unknown(v, reason, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_still_unknown(v, reason, depth + 1) for v in value]
    return value


def _from_set_expressions(value: List[Any], expr: List[Any], ident: str, key: str,
                          module_prefix: str, depth: int) -> List[Any]:
    """:func:`_from_expressions` for a set block: each element with the block that declares it
    (:func:`_pair_set`); an element no block can be proven to declare keeps its unknown parts
    unknown, saying why."""
    out = []
    for v, j in zip(value, _pair_set(value, expr, ident)):
        if j is not None:
            out.append(_from_expressions(v, expr[j], module_prefix, depth + 1))
        else:
            out.append(_still_unknown(v, f"the plan lists {key} blocks as a set and the "
                                         f"configuration block declaring this one is not "
                                         f"known by its {ident}"))
    return out


def plan_distributions(plan: Any, source: str = "") -> Tuple[List[Distribution], List[Note]]:
    """Every ``aws_cloudfront_distribution`` the plan creates, updates or keeps (a no-op is what
    exists; a delete is not judged and a note says so)."""
    if not looks_like_plan(plan):
        raise PlanError("not a Terraform plan: expected format_version and resource_changes "
                        "or planned_values (terraform show -json plan.out)")
    version = str(plan.get("format_version"))
    if not version.startswith(("0.", "1.")):
        raise PlanError(f"plan format_version {version} is not supported (1.x expected)")
    configuration = plan.get("configuration")
    notes: List[Note] = []
    bodies: Dict[str, Tuple[str, Any, Path]] = {}
    targets: List[Tuple[str, str, Any, Path]] = []
    changes = plan.get("resource_changes")
    seen = set()
    if isinstance(changes, list):
        for i, rc in enumerate(changes):
            if not isinstance(rc, Mapping) or rc.get("mode", "managed") != "managed":
                continue
            address, rtype = str(rc.get("address", "?")), rc.get("type")
            change = rc.get("change") if isinstance(rc.get("change"), Mapping) else {}
            actions = change.get("actions") if isinstance(change.get("actions"), list) else []
            seen.add(address)
            if actions == ["delete"]:
                if rtype == DISTRIBUTION:
                    notes.append(Note("input", NoteKind.INPUT, "deleted by this plan: not judged",
                                      address, ()))
                continue
            body = _merge_unknown(change.get("after"), change.get("after_unknown"))
            cres = _config_resource(configuration, address, rtype, rc.get("name"))
            if isinstance(cres, Mapping):
                body = _from_expressions(body, cres.get("expressions"), _module_of(address))
            # A related resource's paths start at its address (a finding may point into it).
            bodies[address] = (str(rtype), body, () if rtype == DISTRIBUTION else (address,))
            if rtype == DISTRIBUTION:
                targets.append((address, str(rtype), body, ()))
    planned = plan.get("planned_values")
    if isinstance(planned, Mapping):
        for res in _planned_resources(planned.get("root_module")):
            address = str(res.get("address", "?"))
            if address in seen or res.get("mode", "managed") != "managed":
                continue
            body = res.get("values")
            cres = _config_resource(configuration, address, res.get("type"), res.get("name"))
            if isinstance(cres, Mapping):
                body = _from_expressions(body, cres.get("expressions"), _module_of(address))
            is_dist = res.get("type") == DISTRIBUTION
            bodies[address] = (str(res.get("type")), body, () if is_dist else (address,))
            if is_dist:
                targets.append((address, DISTRIBUTION, body, ()))
    reader = TerraformReader()
    related = Related(bodies, lambda _address: reader)
    out: List[Distribution] = []
    for address, _, body, path in targets:
        if not is_mapping(body):
            notes.append(Note("input", NoteKind.INPUT, "no planned values (after); not judged",
                              address, path))
            continue
        dist, more = build(body, address, path, reader, related, source)
        notes.extend(more)
        if dist is not None:
            out.append(dist)
    return out, notes


# --------------------------------------------------------------------------- HCL modules

RELATED_TYPES = frozenset((DISTRIBUTION, HEADERS_POLICY, VPC_ORIGIN))


def module_distributions(module: Any, source: str = ""
                         ) -> Tuple[List[Distribution], List[Note], Dict[str, dict]]:
    """Every ``aws_cloudfront_distribution`` instance of a parsed module (plain data from
    :func:`cfhttps_io.terraform.load_module`) and its local modules: the distributions (each
    ``source`` is the ``.tf`` file that declares it), notes, and per file the line of each path."""
    from . import terraform_hcl
    if not isinstance(module, Mapping):
        raise ValueError("a Terraform module is a mapping of parsed blocks")
    ev = terraform_hcl.evaluate(dict(module), SINGLE_BLOCKS, RELATED_TYPES)
    notes = [Note("input", NoteKind.INPUT, message, address, tuple(path))
             for address, message, path, _file in ev.notes]
    bodies = {address: (rtype, body, path) for address, (rtype, body, path, _f)
              in ev.resources.items()}
    reader = TerraformReader()
    related = Related(bodies, lambda _address: reader)
    out: List[Distribution] = []
    addresses = sorted(ev.resources)
    for address, (rtype, body, path, file) in ev.resources.items():
        if rtype != DISTRIBUTION or _is_base_of_instances(address, addresses):
            continue
        dist, more = build(body, address, path, reader, related, file or source)
        notes.extend(more)
        if dist is not None:
            _comment_suppressions(dist, ev.ignores.get(address, ()), file, path)
            out.append(dist)
    return out, notes, ev.marks


def _comment_suppressions(dist: Distribution, comments, file: str, path: Path) -> None:
    """What the resource's ``# cfhttps:ignore ...`` comments suppress, beside its tag
    (:func:`rules.suppression.of_comment`); a name that is no code is a note."""
    for line, text in comments:
        where = f"{ntpath.basename(file)}:{line}"  # either separator
        codes, problems = suppression.of_comment(text, where)
        for code, why in codes.items():
            dist.ignore.setdefault(code, why)
        for kind, problem in problems:
            dist.notes.append(Note(suppression.NOTE_CODE, kind, problem, dist.name, tuple(path)))


def _is_base_of_instances(address: str, addresses: List[str]) -> bool:
    """``aws_x.y`` kept only as the target of references when ``aws_x.y[...]`` exist.
    ``addresses`` is sorted: the first one not below ``aws_x.y[`` is the only candidate (a scan
    of every address for every resource was quadratic: 27 500 distributions in one module took
    minutes)."""
    if address.endswith("]"):
        return False
    i = bisect.bisect_left(addresses, address + "[")
    return i < len(addresses) and addresses[i].startswith(address + "[")


def is_address(resource: str) -> bool:
    """A Terraform resource address (``module.a.aws_cloudfront_distribution.x["k"]``)."""
    return isinstance(resource, str) and _type_of(resource) == DISTRIBUTION


def render_path(path: Path) -> str:
    """A property path as Terraform prints one: ``ordered_cache_behavior[2].path_pattern``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
