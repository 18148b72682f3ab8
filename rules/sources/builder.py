"""Build the engine's model of one distribution config, whatever its dialect: the one job of
:class:`Builder`.

The tree is read through a :class:`~.reader.Reader` (key case, list shapes, intrinsics); what
the config only names — a VPC origin's settings, a response headers policy — is found by the
:class:`Related` resolver each source injects (:mod:`.cfn_related` for a CloudFormation
template, look-ups the live audit or a Pulumi stack policy supplies). Ill-typed parts become
:class:`~rules.model.Unknown` or a note, never an exception.
"""

from __future__ import annotations

from typing import Any, Callable, List, NamedTuple, Optional, Tuple, Union

from .. import suppression
from ..model import (CacheBehavior, Distribution, HeadersPolicy, Note, NoteKind, Origin,
                     OriginGroup, Path, Symbolic, Unknown, ViewerCertificate, as_text)
from .reader import MISSING, Fields, Prop, Reader, is_list, is_mapping, key_of

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
# A source's lookup of a behaviour's response headers policy: (ResponseHeadersPolicyId as
# written, path) -> the policy, or None when the source cannot tell which it is.
HeadersPolicies = Callable[[Any, Path], Optional[HeadersPolicy]]


class Related(NamedTuple):
    """How a source finds the resources a distribution config refers to. None: it cannot (VPC
    origins then keep unknown protocols without a note — the Pulumi stack policy reads them —
    and custom response headers policies stay unresolved, which CFH011 notes)."""

    vpc_origin: Optional[VpcOrigins] = None
    headers_policy: Optional[HeadersPolicies] = None


NOTHING_RELATED = Related()


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


# What the builder reads (each property's spellings worked out once, see reader.Prop). The
# models of an origin, its protocols and a viewer certificate read these, in this order.
_ORIGIN = Fields(Prop("Id", "OriginId"), Prop("DomainName"), Prop("S3OriginConfig"),
                 Prop("CustomOriginConfig"), Prop("VpcOriginConfig"), Prop("OriginAccessControlId"))
_PROTOCOLS = Fields(Prop("OriginProtocolPolicy"), Prop("OriginSSLProtocols", "OriginSslProtocols"))
_CERTIFICATE = Fields(Prop("CloudFrontDefaultCertificate"),
                      Prop("AcmCertificateArn", "ACMCertificateArn"),
                      Prop("IamCertificateId", "IAMCertificateId"), Prop("MinimumProtocolVersion"))
_ORIGIN_ID, _OAI, _VPC_ORIGIN_ID = Prop("OriginId"), Prop("OriginAccessIdentity"), Prop("VpcOriginId")
_S3_ORIGIN, _CUSTOM_ORIGIN, _DNS_NAME = Prop("S3Origin"), Prop("CustomOrigin"), Prop("DNSName")
_VIEWER_CERTIFICATE = Prop("ViewerCertificate")
_GROUP_ID, _MEMBERS = Prop("Id", "OriginId"), Prop("Members", "Member")
_ORIGINS, _ORIGIN_GROUPS = Prop("Origins"), Prop("OriginGroups")
_DEFAULT_BEHAVIOR = Prop("DefaultCacheBehavior")
_CACHE_BEHAVIORS = Prop("CacheBehaviors", "OrderedCacheBehaviors")
# What a cache behaviour's model reads, in this order (the default behaviour has no pattern).
_BEHAVIOR = Fields(Prop("TargetOriginId"), Prop("ViewerProtocolPolicy"), Prop("AllowedMethods"),
                   raw=(Prop("ResponseHeadersPolicyId"),))
_ORDERED_BEHAVIOR = Fields(Prop("PathPattern"), *_BEHAVIOR.props, raw=_BEHAVIOR.raw)
# Tags: CloudFormation/aws-native ``Tags: [{Key, Value}]``, the API's ``{Items: [{Key, Value}]}``,
# pulumi-aws/Terraform/AWS Config ``tags: {key: value}``; ``TagsAll`` (Terraform ``tags_all``,
# pulumi-aws ``tagsAll``) adds the provider's default tags where the source records them.
_TAGS, _TAGS_ALL, _KEY, _VALUE = Prop("Tags"), Prop("TagsAll"), Prop("Key"), Prop("Value")
_LIST_SHAPE = (Prop("Items"), Prop("Quantity"))


class Builder:
    """Models one distribution config. Input problems met on the way become notes: those of a
    modelled distribution travel with it (``Distribution.notes``; the engine reports them with
    its findings, once across variants), so ``self.notes`` is left holding only the notes of
    an input that could not be modelled. That is what a front-end's ``distribution()`` returns
    beside its ``None``; beside a distribution it returns an empty list.

    ``related``: how this source finds the VPC origins and response headers policies the config
    refers to (:class:`Related`)."""

    def __init__(self, reader: Reader, name: str, ssl_default: Optional[Tuple[str, ...]] = None,
                 related: Related = NOTHING_RELATED):
        self.r = reader
        self.name = name
        self.ssl_default = ssl_default
        self.related = related
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
        oai, path = self.r.get(s3, _OAI, s3path)
        origin.oai = _present(oai)
        origin.field_paths["oai"] = path

    def _vpc(self, origin: Origin, vpc: Any, vpath: Path) -> None:
        """Follow ``VpcOriginId`` to the VPC origin whose endpoint settings apply."""
        if not is_mapping(vpc):
            return
        vid, idpath = self.r.get(vpc, _VPC_ORIGIN_ID, vpath)
        origin.vpc_origin_id = _text(vid) if vid is not MISSING else Unknown("VpcOriginId missing")
        origin.field_paths["vpc_origin_id"] = idpath
        if self.related.vpc_origin is None:
            return
        found = self.related.vpc_origin(origin.vpc_origin_id)
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
        s3, s3path = g(dc, _S3_ORIGIN, path)
        if is_mapping(s3):
            dns, dpath = g(s3, _DNS_NAME, s3path)
            origin = Origin(path=s3path, id=Unknown("legacy S3Origin has no Id"),
                            domain=_text(dns) if dns is not MISSING else Unknown("no DNSName"),
                            kind="s3", config_path=s3path, field_paths={"domain": dpath})
            self._access_identity(origin, s3, s3path)
            out.append(origin)
        custom, cpath = g(dc, _CUSTOM_ORIGIN, path)
        if is_mapping(custom):
            dns, dpath = g(custom, _DNS_NAME, cpath)
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
        resource can still be seen) and the policy it names where the source can tell (CFH011)."""
        b.field_paths["response_headers_policy_id"] = rpath
        policy = None
        if self.related.headers_policy is not None:
            try:
                policy = self.related.headers_policy(raw, rpath)
            except Exception:  # noqa: BLE001 - a failed look-up leaves the policy unresolved
                policy = None
        value, _ = self.r.resolve(raw, rpath)
        b.response_headers_policy_id = _present(value) if value is not MISSING else None
        b.response_headers_policy = policy

    def viewer_certificate(self, dc: Any, path: Path) -> ViewerCertificate:
        g = self.r.get
        node, vpath = g(dc, _VIEWER_CERTIFICATE, path)
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
        gid, gpath = g(node, _GROUP_ID, path)
        members_node, mpath = g(node, _MEMBERS, path)
        members: list = []
        elems = self.r.items(members_node, mpath) if members_node is not MISSING else []
        for value, epath in elems or []:
            mid, _ = g(value, _ORIGIN_ID, epath)
            members.append(_text(mid))
        return OriginGroup(path=path, id=_text(gid), members=tuple(members),
                           field_paths={"id": gpath})

    def _list(self, dc: Any, names: Prop, path: Path, build_one, what: str, plural: str):
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

    def _tag_map(self, node: Any, path: Path, where: dict) -> Any:
        """One tags property, any dialect, as {key: value as read} (None when absent, Unknown
        when it cannot be read); ``where`` gets each key's path."""
        node, path = self.r.resolve(node, path)
        if node is MISSING or node is None:
            return None
        if isinstance(node, Unknown):
            return node
        if is_mapping(node) and not any(key_of(node, p) is not None for p in _LIST_SHAPE):
            out = {}
            for key, value in node.items():
                value, vpath = self.r.resolve(value, path + (key,))
                if isinstance(key, str) and value is not MISSING:
                    out[key] = value
                    where[key] = vpath
            return out
        elems = self.r.items(node, path) if is_mapping(node) or is_list(node) else None
        if elems is None:
            return Unknown(f"Tags is {type(node).__name__}, not a list or a mapping")
        out = {}
        for elem, epath in elems:
            key, _ = self.r.get(elem, _KEY, epath)
            value, _ = self.r.get(elem, _VALUE, epath)
            if isinstance(key, (Unknown, Symbolic)):
                return Unknown(f"the key of tag #{epath[-1] + 1 if isinstance(epath[-1], int) else '?'} "
                               f"is not known")
            if isinstance(key, str):
                out[key] = "" if value is MISSING or value is None else value
                where[key] = epath
        return out

    def tags(self, holder: Any, path: Path) -> Tuple[Any, dict]:
        """(the tags ``holder`` carries — its ``Tags``, over its ``TagsAll`` when that is a
        known mapping —, each key's path)."""
        where: dict = {}
        node, tpath = self.r.get(holder, _TAGS, path)
        tags = self._tag_map(node, tpath, where) if node is not MISSING else None
        every, apath = self.r.get(holder, _TAGS_ALL, path)
        if every is not MISSING:
            more = self._tag_map(every, apath, where)
            if is_mapping(more):
                tags = dict(more, **tags) if is_mapping(tags) else more
        return tags, where

    def _read_tags(self, dist: Distribution, holder: Any, path: Path) -> None:
        """The distribution's tags and what its ``cfhttps:ignore`` tag suppresses
        (:mod:`rules.suppression`); what cannot be read or understood becomes a note."""
        tags, where = self.tags(holder, path)
        dist.tags = tags
        dist.ignore, problems = suppression.of_tags(tags)
        for kind, text, key in problems:
            self.notes.append(Note(code=suppression.NOTE_CODE, kind=kind, message=text,
                                   resource=self.name, path=tuple(where.get(key[0], path)
                                                                  if key else path)))

    def build(self, dc: Any, path: Path, condition: Optional[str] = None,
              scenario: tuple = (), tags: Optional[Tuple[Any, Path]] = None,
              ) -> Optional[Distribution]:
        """``tags``: (the mapping holding the distribution's ``Tags``, its path) when that is
        not the config itself (a CloudFormation resource's Properties, an aws-native
        resource, a ListTagsForResource answer, an AWS Config item); pulumi-aws and Terraform
        keep ``tags`` in the resource body, which is the config."""
        dc, path = self.r.resolve(dc, path)
        if not is_mapping(dc):
            what = "unknown" if isinstance(dc, Unknown) else type(dc).__name__
            self.note(path, f"distribution config is {what}, not a mapping; skipped")
            return None
        g = self.r.get
        dist = Distribution(path=path, name=self.name, condition=condition, scenario=scenario)
        origins, complete = self._list(dc, _ORIGINS, path, self.origin, "Origins", "origins")
        dist.origins.extend(origins)
        dist.origin_ids_known = complete
        legacy = self.legacy_origins(dc, path)
        if legacy:
            dist.origins.extend(legacy)
            dist.origin_ids_known = False
        groups, complete = self._list(dc, _ORIGIN_GROUPS, path, self.origin_group,
                                      "OriginGroups", "groups")
        dist.origin_groups.extend(groups)
        dist.origin_ids_known = dist.origin_ids_known and complete
        dcb, dpath = g(dc, _DEFAULT_BEHAVIOR, path)
        if dcb is not MISSING and dcb is not None:
            dist.default_behavior = self.behavior(dcb, dpath, None)
        cbs, cpath = g(dc, _CACHE_BEHAVIORS, path)
        dist.behaviors_known = not getattr(cbs, "partial", False)
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
        self._read_tags(dist, *(tags if tags is not None else (dc, path)))
        dist.notes, self.notes = self.notes, []  # the notes travel with the distribution
        return dist
