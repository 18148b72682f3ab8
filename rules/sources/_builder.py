"""Build the model from a distribution-config-shaped tree, whatever its dialect.

CloudFormation (PascalCase, intrinsics), the CloudFront API (PascalCase, ``Quantity``/``Items``),
aws-native (camelCase CloudFormation) and pulumi-aws (camelCase, ``originId``,
``orderedCacheBehaviors``) differ mostly in key case and list shape, so one builder reads them
all through a :class:`Reader`: keys are matched case-insensitively, lists may be plain or
wrapped in ``Items``. Ill-typed parts become :class:`Unknown` or a note, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Callable, List, NamedTuple, Optional, Tuple, Union

from ..model import (CacheBehavior, Distribution, Note, NoteKind, Origin, OriginGroup, Path,
                     Symbolic, Unknown, ViewerCertificate, as_text)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

# CloudFormation's resource schema default for CustomOriginConfig.OriginSSLProtocols (and for
# AWS::CloudFront::VpcOrigin VpcOriginEndpointConfig.OriginSSLProtocols).
CFN_DEFAULT_ORIGIN_SSL = ("TLSv1", "SSLv3")
# AWS::CloudFront::VpcOrigin schema default for VpcOriginEndpointConfig.OriginProtocolPolicy.
CFN_DEFAULT_VPC_ORIGIN_POLICY = "match-viewer"


class VpcOriginEndpoint(NamedTuple):
    """A VPC origin's settings as a source found them: a distribution's origin names it by
    ``VpcOriginId``; its protocol policy and SSL protocols live on the VPC origin."""

    name: str  # how messages name it: template resource, VPC origin id, URN
    config: Any  # the VpcOriginEndpointConfig node (plain data, or intrinsics for the reader)
    path: Path  # where that node is (a finding about it points there)
    policy_default: Optional[str] = None  # OriginProtocolPolicy when omitted (None: unknown)
    ssl_default: Optional[Tuple[str, ...]] = None  # OriginSSLProtocols when omitted


# A source's lookup from a VpcOriginId as read to the VPC origin, or why it cannot be found.
VpcOrigins = Callable[[Any], Union[VpcOriginEndpoint, str]]


def is_mapping(v: Any) -> bool:
    return v.__class__ is dict or isinstance(v, Mapping)  # dict first: the ABC check is slow


def is_list(v: Any) -> bool:
    if v.__class__ is list:
        return True
    return isinstance(v, Sequence) and not isinstance(v, (str, bytes, bytearray))


_CAMEL: dict = {}


def _camel_new(name: str) -> str:
    _CAMEL[name] = out = name[:1].lower() + name[1:]
    return out


def camel(name: str) -> str:
    """Pulumi's (and aws-native's) spelling of most CloudFormation property names."""
    return _CAMEL.get(name) or _camel_new(name)


class Prop:
    """One property as :meth:`Reader.get` looks it up: its ``names`` (the CloudFormation
    spelling first, then aliases), the ``keys`` tried in order (each name as written, then
    camelCased) and the names lower-cased (the case-insensitive fallback). Worked out once per
    call site rather than once per read: the builder reads the same few on every behaviour."""

    __slots__ = ("names", "keys", "lowered")

    def __init__(self, *names: str) -> None:
        keys: List[str] = []
        for name in names:
            for key in (name, camel(name)):
                if key not in keys:
                    keys.append(key)
        self.names = names
        self.keys = tuple(keys)
        self.lowered = frozenset(name.lower() for name in names)

    def __repr__(self) -> str:
        return f"Prop{self.names!r}"


# A names tuple given to Reader.get -> its Prop. Call sites pass constants, so this stays small;
# bounded all the same.
_PROPS: dict = {}
_PROPS_MAX = 1024


def prop(names: Union[Prop, Tuple[str, ...]]) -> Prop:
    """``names`` as a :class:`Prop` (a Prop is returned as it is)."""
    if names.__class__ is Prop:
        return names
    found = _PROPS.get(names)
    if found is None:
        if len(_PROPS) >= _PROPS_MAX:
            _PROPS.clear()
        found = _PROPS[names] = Prop(*names)
    return found


# Mappings of one source come in a few shapes (every cache behaviour of a distribution has the
# same keys), so what depends only on a mapping's keys, in order, is remembered per shape:
# at most _SHAPES_MAX shapes per table, of at most _SHAPE_CHARS characters of keys each.
_SHAPES_MAX = 256
_SHAPE_CHARS = 4096


def _remember(table: dict, shape: tuple, value: Any) -> None:
    try:
        size = sum(map(len, shape))
    except TypeError:  # a key without a length: not remembered
        return
    if size <= _SHAPE_CHARS:
        if len(table) >= _SHAPES_MAX:
            table.clear()
        table[shape] = value


# shape -> its string keys lower-cased (str.lower), or None when a key is not a string.
_FOLDED: dict = {}


def _folded(shape: tuple) -> Optional[frozenset]:
    found = _FOLDED.get(shape, MISSING)
    if found is MISSING:
        try:
            found = frozenset(map(str.lower, shape))
        except TypeError:  # a key that is not a string
            found = None
        _remember(_FOLDED, shape, found)
    return found


def folded_key(node: Any, lowered: frozenset) -> Any:
    """The first string key of ``node`` that equals one of ``lowered`` ignoring case (keys in
    the mapping's order; ``str.lower`` folds), or None. Most reads that get here find nothing
    (an optional property left out): the shape's lower-cased keys say so without a loop."""
    shape = tuple(node.keys())
    try:
        folded = _folded(shape)
    except TypeError:  # an unhashable key (a mapping that is not a dict)
        folded = None
    if folded is not None and lowered.isdisjoint(folded):
        return None
    for key in shape:
        if isinstance(key, str) and str.lower(key) in lowered:
            return key
    return None


def key_of(node: Any, p: Prop) -> Any:
    """The key of mapping ``node`` that :meth:`Reader.get` reads for ``p``; None if none."""
    for key in p.keys:
        if key in node:
            return key
    return folded_key(node, p.lowered)


class Fields:
    """Properties a builder reads from one mapping, in this order (:meth:`Reader.fields`):
    ``props`` resolved, then ``raw`` ones as written (as :func:`_raw_get` reads them).

    For a plain dict, which key holds each depends only on the dict's keys, and a source's
    mappings of one kind share them: :meth:`keys_in` remembers the answer per shape."""

    __slots__ = ("props", "raw", "_keys")

    def __init__(self, *props: Prop, raw: Tuple[Prop, ...] = ()) -> None:
        self.props = props
        self.raw = raw
        self._keys: dict = {}

    def keys_in(self, node: dict) -> Tuple[Any, ...]:
        """:func:`key_of` of each property, ``props`` then ``raw``, in a plain dict (its keys
        are hashable)."""
        shape = tuple(node)
        found = self._keys.get(shape)
        if found is None:
            found = tuple(key_of(node, p) for p in self.props + self.raw)
            _remember(self._keys, shape, found)
        return found


class Reader:
    """Plain-data reader. Subclasses resolve intrinsics (CloudFormation) by overriding resolve."""

    def resolve(self, node: Any, path: Path) -> Tuple[Any, Path]:
        return node, path

    def get(self, node: Any, names: Union[Prop, Tuple[str, ...]], path: Path) -> Tuple[Any, Path]:
        """The first of ``names`` in ``node``: as written, else camelCased, else any key that
        equals one of them ignoring case; resolved. ``MISSING`` when none is there."""
        node, path = self.resolve(node, path)
        if not is_mapping(node):
            return MISSING, path
        p = names if names.__class__ is Prop else prop(names)
        key = key_of(node, p)
        if key is None:
            return MISSING, path + (p.names[0],)
        return self.resolve(node[key], path + (key,))

    def fields(self, node: Any, table: Fields, path: Path) -> List[Tuple[Any, Path]]:
        """:meth:`get` of each property of ``table`` in turn, then :func:`_raw_get` of each of
        its raw ones (a reader may read them in one go)."""
        out = [self.get(node, p, path) for p in table.props]
        for p in table.raw:
            out.append(_raw_get(node, p, path))
        return out

    def items(self, node: Any, path: Path) -> Optional[List[Tuple[Any, Path]]]:
        """List elements; a ``{Quantity, Items}`` wrapper is unwrapped. None when not a list."""
        node, path = self.resolve(node, path)
        if is_mapping(node):
            inner, ipath = self.get(node, ("Items",), path)
            if inner is MISSING:
                quantity, _ = self.get(node, ("Quantity",), path)
                return [] if quantity == 0 else None
            node, path = inner, ipath
        if not is_list(node):
            return None
        out = []
        for i, child in enumerate(node):
            value, cpath = self.resolve(child, path + (i,))
            if value is MISSING:
                continue
            out.append((value, cpath))
        return out

    def values(self, node: Any, path: Path) -> Optional[List[Any]]:
        """The elements of :meth:`items` without their paths (a list of strings needs none)."""
        elems = self.items(node, path)
        return None if elems is None else [value for value, _ in elems]


def _raw_get(node: Any, names: Union[Prop, Tuple[str, ...]], path: Path) -> Tuple[Any, Path]:
    """A property of an already-resolved mapping, *not* resolved itself (so that a reference to
    another resource can still be seen), matched as :meth:`Reader.get` matches names."""
    if not is_mapping(node):
        return MISSING, path
    key = key_of(node, names if names.__class__ is Prop else prop(names))
    if key is None:
        return MISSING, path
    return node[key], path + (key,)


def gather(results) -> Tuple[List[Distribution], List[Note]]:
    """Collect (distribution or None, notes) pairs from a front-end into two lists."""
    out: List[Distribution] = []
    notes: List[Note] = []
    for dist, more in results:
        notes.extend(more)
        if dist is not None:
            out.append(dist)
    return out, notes


def _text(value: Any) -> Any:
    """A string-typed property: strings and symbolic strings pass, others become Unknown."""
    if isinstance(value, (str, Symbolic, Unknown)):
        return value
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool):
        return Unknown(f"expected a string, got {str(value).lower()}")
    if isinstance(value, (int, float)):
        return Unknown(f"expected a string, got number {value}")
    return Unknown(f"expected a string, got {type(value).__name__}")


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value is MISSING or value is None:
        return None
    if isinstance(value, Unknown):
        return value
    return Unknown(f"expected true or false, got {value!r}")


def _present(value: Any) -> Any:
    """An optional id-like property: None when absent or empty (CloudFront's "not set")."""
    value = _text(value)
    return None if value == "" else value


# What the models of an origin, its protocols and a viewer certificate read, in this order.
_ORIGIN = Fields(Prop("Id", "OriginId"), Prop("DomainName"), Prop("S3OriginConfig"),
                 Prop("CustomOriginConfig"), Prop("VpcOriginConfig"), Prop("OriginAccessControlId"))
_PROTOCOLS = Fields(Prop("OriginProtocolPolicy"), Prop("OriginSSLProtocols", "OriginSslProtocols"))
_CERTIFICATE = Fields(Prop("CloudFrontDefaultCertificate"),
                      Prop("AcmCertificateArn", "ACMCertificateArn"),
                      Prop("IamCertificateId", "IAMCertificateId"), Prop("MinimumProtocolVersion"))
# What a cache behaviour's model reads, in this order (the default behaviour has no pattern).
_BEHAVIOR = Fields(Prop("TargetOriginId"), Prop("ViewerProtocolPolicy"), Prop("AllowedMethods"),
                   raw=(Prop("ResponseHeadersPolicyId"),))
_ORDERED_BEHAVIOR = Fields(Prop("PathPattern"), *_BEHAVIOR.props, raw=_BEHAVIOR.raw)


class Builder:
    """Models one distribution config. Input problems met on the way become notes: those of a
    modelled distribution travel with it (``Distribution.notes``; the engine reports them with
    its findings, once across variants), so ``self.notes`` is left holding only the notes of
    an input that could not be modelled. That is what a front-end's ``distribution()`` returns
    beside its ``None``; beside a distribution it returns an empty list.

    ``vpc_origins``: how this source finds a VPC origin's settings (None: it cannot, and VPC
    origins keep unknown protocols without a note — the Pulumi stack policy reads them)."""

    def __init__(self, reader: Reader, name: str, ssl_default: Optional[Tuple[str, ...]] = None,
                 vpc_origins: Optional[VpcOrigins] = None, headers_lookup=None):
        self.r = reader
        self.name = name
        self.ssl_default = ssl_default
        self.vpc_origins = vpc_origins
        # id -> HeadersPolicy or None: the live audit's GetResponseHeadersPolicy (CFH011).
        self.headers_lookup = headers_lookup
        self.notes: List[Note] = []

    def note(self, path: Path, message: str, kind: str = NoteKind.INPUT) -> None:
        self.notes.append(Note(code="input", kind=kind, message=message, resource=self.name,
                               path=tuple(path)))

    def _str_list(self, node: Any, path: Path) -> Any:
        values = self.r.values(node, path)
        if values is None:
            if isinstance(node, Unknown):
                return node
            return Unknown(f"expected a list, got {type(node).__name__}")
        for value in values:
            if value.__class__ is not str:
                break
        else:
            return tuple(values)  # plain strings, the usual list
        out = []
        for value in values:
            if isinstance(value, Unknown):
                return value
            out.append(value if isinstance(value, str) else _text(value))
        return tuple(out)

    def origin(self, node: Any, path: Path) -> Optional[Origin]:
        if not is_mapping(node):
            self.note(path, f"origin is {type(node).__name__}, not a mapping; skipped")
            return None
        origin = Origin(path=path)
        (oid, ipath), (dom, dpath), (s3, s3path), (custom, cpath), (vpc, vpath), (oac, opath) = \
            self.r.fields(node, _ORIGIN, path)
        origin.id = _text(oid) if oid is not MISSING else Unknown("origin without Id")
        origin.field_paths["id"] = ipath
        origin.domain = _text(dom) if dom is not MISSING else Unknown("origin without DomainName")
        origin.field_paths["domain"] = dpath
        origin.oac_id = _present(oac)
        origin.field_paths["oac_id"] = opath
        if custom is not MISSING and custom is not None:
            self._custom(origin, custom, cpath)
        elif s3 is not MISSING and s3 is not None:
            origin.kind = "s3"
            origin.config_path = s3path
            self._access_identity(origin, s3, s3path)
        elif vpc is not MISSING and vpc is not None:
            origin.kind = "vpc"
            origin.config_path = vpath
            self._vpc(origin, vpc, vpath)
        return origin

    def _access_identity(self, origin: Origin, s3: Any, s3path: Path) -> None:
        """``S3OriginConfig.OriginAccessIdentity`` (legacy ``S3Origin`` too): "" means none."""
        if isinstance(s3, Unknown):
            origin.oai = s3
            return
        oai, path = self.r.get(s3, ("OriginAccessIdentity",), s3path)
        origin.oai = _present(oai)
        origin.field_paths["oai"] = path

    def _vpc(self, origin: Origin, vpc: Any, vpath: Path) -> None:
        """Follow ``VpcOriginId`` to the VPC origin whose endpoint settings apply."""
        if not is_mapping(vpc):
            return
        vid, idpath = self.r.get(vpc, ("VpcOriginId",), vpath)
        origin.vpc_origin_id = _text(vid) if vid is not MISSING else Unknown("VpcOriginId missing")
        origin.field_paths["vpc_origin_id"] = idpath
        if self.vpc_origins is None:
            return
        found = self.vpc_origins(origin.vpc_origin_id)
        if not isinstance(found, VpcOriginEndpoint):
            origin.protocol_policy = origin.ssl_protocols = Unknown(str(found))
            origin.field_paths["protocol_policy"] = origin.field_paths["ssl_protocols"] = idpath
            self.note(idpath, f"origin {as_text(origin.id)!r} is a VPC origin: {found}; its "
                              f"OriginProtocolPolicy and OriginSSLProtocols cannot be judged",
                      kind=NoteKind.UNKNOWN_VALUE)
            return
        origin.vpc_origin = found.name
        config, cpath = self.r.resolve(found.config, found.path)
        if not is_mapping(config):
            what = "unknown" if isinstance(config, Unknown) else (
                "absent" if config is MISSING else type(config).__name__)
            origin.protocol_policy = origin.ssl_protocols = Unknown(
                f"VpcOriginEndpointConfig of {found.name} is {what}")
            origin.field_paths["protocol_policy"] = origin.field_paths["ssl_protocols"] = cpath
            self.note(cpath, f"origin {as_text(origin.id)!r} is a VPC origin whose "
                             f"VpcOriginEndpointConfig ({found.name}) is {what}; its protocols "
                             f"cannot be judged", kind=NoteKind.UNKNOWN_VALUE)
            return
        self._protocols(origin, config, cpath, found.policy_default, found.ssl_default)

    def _custom(self, origin: Origin, custom: Any, cpath: Path) -> None:
        origin.kind = "custom"
        origin.config_path = cpath
        if isinstance(custom, Unknown):
            origin.protocol_policy = custom
            origin.ssl_protocols = custom
            return
        if not is_mapping(custom):
            origin.protocol_policy = Unknown(f"CustomOriginConfig is {type(custom).__name__}")
            origin.ssl_protocols = origin.protocol_policy
            return
        self._protocols(origin, custom, cpath, None, self.ssl_default)

    def _protocols(self, origin: Origin, node: Any, cpath: Path, policy_default: Optional[str],
                   ssl_default: Optional[Tuple[str, ...]]) -> None:
        """OriginProtocolPolicy and OriginSSLProtocols of a custom origin or VPC origin node."""
        (pol, ppath), (ssl, spath) = self.r.fields(node, _PROTOCOLS, cpath)
        if pol is not MISSING:
            origin.protocol_policy = _text(pol)
            origin.field_paths["protocol_policy"] = ppath
        elif policy_default is not None:
            origin.protocol_policy = policy_default
            origin.field_paths["protocol_policy"] = cpath
        else:
            origin.protocol_policy = Unknown("OriginProtocolPolicy missing")
            origin.field_paths["protocol_policy"] = ppath
        if ssl is MISSING or ssl is None:
            if ssl_default is not None:
                origin.ssl_protocols = ssl_default
                origin.ssl_protocols_defaulted = True
                origin.field_paths["ssl_protocols"] = cpath
            else:
                origin.ssl_protocols = None
        else:
            origin.ssl_protocols = self._str_list(ssl, spath)
            origin.field_paths["ssl_protocols"] = spath

    def legacy_origins(self, dc: Any, path: Path) -> List[Origin]:
        """Legacy ``DistributionConfig.S3Origin`` / ``CustomOrigin`` (no Id of their own)."""
        out = []
        g = self.r.get
        s3, s3path = g(dc, ("S3Origin",), path)
        if is_mapping(s3):
            dns, dpath = g(s3, ("DNSName",), s3path)
            origin = Origin(path=s3path, id=Unknown("legacy S3Origin has no Id"),
                            domain=_text(dns) if dns is not MISSING else Unknown("no DNSName"),
                            kind="s3", config_path=s3path, field_paths={"domain": dpath})
            self._access_identity(origin, s3, s3path)
            out.append(origin)
        custom, cpath = g(dc, ("CustomOrigin",), path)
        if is_mapping(custom):
            dns, dpath = g(custom, ("DNSName",), cpath)
            origin = Origin(path=cpath, id=Unknown("legacy CustomOrigin has no Id"),
                            domain=_text(dns) if dns is not MISSING else Unknown("no DNSName"),
                            field_paths={"domain": dpath})
            self._custom(origin, custom, cpath)
            out.append(origin)
        return out

    def behavior(self, node: Any, path: Path, index: Optional[int]) -> Optional[CacheBehavior]:
        if not is_mapping(node):
            what = "DefaultCacheBehavior" if index is None else f"cache behaviour #{index + 1}"
            if isinstance(node, Unknown):
                node = {}
            else:
                self.note(path, f"{what} is {type(node).__name__}, not a mapping; skipped")
                return None
        b = CacheBehavior(path=path, index=index)
        paths = b.field_paths
        if index is None:
            (tgt, tpath), (vpp, vpath), (am, apath), (rhp, rpath) = self.r.fields(
                node, _BEHAVIOR, path)
        else:
            (pat, ppath), (tgt, tpath), (vpp, vpath), (am, apath), (rhp, rpath) = self.r.fields(
                node, _ORDERED_BEHAVIOR, path)
            # (A plain string, the usual value, is taken as it is: what _text would return.)
            b.path_pattern = pat if pat.__class__ is str else (
                _text(pat) if pat is not MISSING else Unknown("PathPattern missing"))
            paths["path_pattern"] = ppath
        b.target_origin_id = tgt if tgt.__class__ is str else _text(tgt)
        paths["target_origin_id"] = tpath
        b.viewer_protocol_policy = vpp if vpp.__class__ is str else (
            _text(vpp) if vpp is not MISSING else Unknown("ViewerProtocolPolicy missing"))
        paths["viewer_protocol_policy"] = vpath
        if am is not MISSING and am is not None:
            b.allowed_methods = self._str_list(am, apath)
            paths["allowed_methods"] = apath
        if rhp is not MISSING:
            self._headers_policy(b, rhp, rpath)
        return b

    def _headers_policy(self, b: CacheBehavior, raw: Any, rpath: Path) -> None:
        """``ResponseHeadersPolicyId`` (``raw``: as written, so that a reference to another
        resource can still be seen) and, where the document says, the policy it names (CFH011):
        a policy resource of the same template, or what the live look-up returns."""
        b.field_paths["response_headers_policy_id"] = rpath
        from . import related  # local: the module is only needed for behaviours that name one
        policy = related.cfn_headers_policy(self.r, raw, rpath)
        value, _ = self.r.resolve(raw, rpath)
        b.response_headers_policy_id = _present(value) if value is not MISSING else None
        if policy is None and self.headers_lookup is not None and \
                isinstance(b.response_headers_policy_id, str):
            try:
                policy = self.headers_lookup(b.response_headers_policy_id)
            except Exception:  # noqa: BLE001 - a failed look-up leaves the policy unresolved
                policy = None
        b.response_headers_policy = policy

    def viewer_certificate(self, dc: Any, path: Path) -> ViewerCertificate:
        g = self.r.get
        node, vpath = g(dc, ("ViewerCertificate",), path)
        cert = ViewerCertificate(path=vpath)
        if node is MISSING or node is None:
            cert.path = path
            return cert
        cert.present = True
        if isinstance(node, Unknown) or not is_mapping(node):
            cert.cloudfront_default = node if isinstance(node, Unknown) else Unknown(
                f"ViewerCertificate is {type(node).__name__}")
            return cert
        (cd, cdpath), (acm, _), (iam, _), (mpv, mpath) = self.r.fields(node, _CERTIFICATE, vpath)
        cert.cloudfront_default = _flag(cd)
        cert.field_paths["cloudfront_default"] = cdpath
        # An ARN or id that is given but empty (a parameter's Default '') is still a custom
        # certificate: CloudFront rejects an empty one, so the deployer must supply it. It is
        # not the default certificate.
        cert.custom_certificate = any(v is not MISSING and v is not None for v in (acm, iam))
        cert.minimum_protocol_version = None if mpv is MISSING or mpv is None else _text(mpv)
        cert.field_paths["minimum_protocol_version"] = mpath
        if cert.cloudfront_default is None and not cert.custom_certificate:
            # Neither a custom certificate nor the flag: CloudFront uses its default certificate.
            cert.cloudfront_default = True
            cert.default_implied = True
            cert.field_paths["cloudfront_default"] = vpath
        return cert

    def origin_group(self, node: Any, path: Path) -> Optional[OriginGroup]:
        if not is_mapping(node):
            self.note(path, f"origin group is {type(node).__name__}, not a mapping; skipped")
            return None
        g = self.r.get
        gid, gpath = g(node, ("Id", "OriginId"), path)
        members_node, mpath = g(node, ("Members", "Member"), path)
        members: list = []
        elems = self.r.items(members_node, mpath) if members_node is not MISSING else []
        for value, epath in elems or []:
            mid, _ = g(value, ("OriginId",), epath)
            members.append(_text(mid))
        return OriginGroup(path=path, id=_text(gid), members=tuple(members),
                           field_paths={"id": gpath})

    def _list(self, dc: Any, names, path: Path, build_one, what: str, plural: str):
        """Model each element of a list property; (models, whether the list could be read)."""
        node, lpath = self.r.get(dc, names, path)
        if node is MISSING or node is None:
            return [], True
        elems = self.r.items(node, lpath)
        if elems is None:
            self.note(lpath, f"{what} is not a list; {plural} skipped")
            return [], False
        out = []
        for value, epath in elems:
            item = build_one(value, epath)
            if item is not None:
                out.append(item)
        # A source may know some elements of a list and not all (Terraform: static origin
        # blocks beside a dynamic one over an unknown collection): each is judged, the ids are
        # not complete.
        return out, not getattr(node, "partial", False)

    def build(self, dc: Any, path: Path, condition: Optional[str] = None,
              scenario: tuple = ()) -> Optional[Distribution]:
        dc, path = self.r.resolve(dc, path)
        if not is_mapping(dc):
            what = "unknown" if isinstance(dc, Unknown) else type(dc).__name__
            self.note(path, f"distribution config is {what}, not a mapping; skipped")
            return None
        g = self.r.get
        dist = Distribution(path=path, name=self.name, condition=condition, scenario=scenario)
        origins, complete = self._list(dc, ("Origins",), path, self.origin, "Origins", "origins")
        dist.origins.extend(origins)
        dist.origin_ids_known = complete
        legacy = self.legacy_origins(dc, path)
        if legacy:
            dist.origins.extend(legacy)
            dist.origin_ids_known = False
        groups, complete = self._list(dc, ("OriginGroups",), path, self.origin_group,
                                      "OriginGroups", "groups")
        dist.origin_groups.extend(groups)
        dist.origin_ids_known = dist.origin_ids_known and complete
        dcb, dpath = g(dc, ("DefaultCacheBehavior",), path)
        if dcb is not MISSING and dcb is not None:
            dist.default_behavior = self.behavior(dcb, dpath, None)
        cbs, cpath = g(dc, ("CacheBehaviors", "OrderedCacheBehaviors"), path)
        if cbs is not MISSING and cbs is not None:
            elems = self.r.items(cbs, cpath)
            if elems is None:
                self.note(cpath, f"CacheBehaviors is {type(cbs).__name__}, not a list; "
                                 f"ordered behaviours skipped")
            else:
                for i, (value, epath) in enumerate(elems):
                    b = self.behavior(value, epath, i)
                    if b is not None:
                        dist.behaviors.append(b)
        dist.viewer_certificate = self.viewer_certificate(dc, path)
        dist.notes, self.notes = self.notes, []  # the notes travel with the distribution
        return dist
