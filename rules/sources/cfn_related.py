"""Find, in the same CloudFormation template, the resources a distribution config refers to:
the one job of :func:`related`, the resolver :mod:`.cloudformation` hands its builder.

- An origin's ``VpcOriginConfig.VpcOriginId`` (``!GetAtt X.Id`` / ``!Ref X``) names the
  ``AWS::CloudFront::VpcOrigin`` X, whose ``VpcOriginEndpointConfig`` holds the origin's protocol
  policy and SSL protocols (resource schema defaults: match-viewer, TLSv1 + SSLv3).
- A behaviour's ``ResponseHeadersPolicyId`` (``!Ref P`` / ``!GetAtt P.Id``, possibly behind
  ``Fn::If``) names the ``AWS::CloudFront::ResponseHeadersPolicy`` P (CFH011).

Both are read under the reader's scenario, so a variant sees the values its conditions choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional, Tuple, Union

from ..model import HeadersPolicy, Path, Unknown, as_text
from . import headers_policy
from .builder import (CFN_DEFAULT_ORIGIN_SSL, CFN_DEFAULT_VPC_ORIGIN_POLICY, Related,
                      VpcOriginEndpoint)
from .cfn_intrinsics import CfnReader
from .reader import MISSING, Prop, is_list, is_mapping

HEADERS_POLICY_TYPE = "AWS::CloudFront::ResponseHeadersPolicy"
VPC_ORIGIN_TYPE = "AWS::CloudFront::VpcOrigin"

_ENDPOINT_CONFIG = Prop("VpcOriginEndpointConfig")
_POLICY_CONFIG = Prop("ResponseHeadersPolicyConfig")
_BRANCH = "cfhttps:branch"  # a marker key no reader resolves (not an intrinsic function name)


def related(reader: CfnReader) -> Related:
    """The resolver for one scenario's reader."""
    return Related(vpc_origin=lambda value: vpc_origin(reader, value),
                   headers_policy=lambda raw, where: cfn_headers_policy(reader, raw))


def vpc_origin(reader: CfnReader, value: Any) -> Union[VpcOriginEndpoint, str]:
    """The ``AWS::CloudFront::VpcOrigin`` of this template a ``VpcOriginId`` (as resolved) names,
    or why there is none. Its endpoint settings are read under the reader's scenario; omitted
    ones take the resource schema's defaults."""
    same = value.same_as if isinstance(value, Unknown) else None
    name = None
    if isinstance(same, tuple) and same[:1] == ("Ref",) and len(same) == 2:
        name = same[1]
    elif isinstance(same, tuple) and same[:1] == ("Fn::GetAtt",) and same[2:] == ("Id",):
        name = same[1]
    if name is None or reader.resource_type(name) != VPC_ORIGIN_TYPE:
        return (f"VpcOriginId {as_text(value)} names no AWS::CloudFront::VpcOrigin of "
                f"this template")
    facts = reader.facts
    props, ppath = reader.resolve(facts.resources[name].get("Properties", MISSING),
                                  facts.resources_path + (name, "Properties"))
    config, cpath = reader.get(props, _ENDPOINT_CONFIG, ppath)
    return VpcOriginEndpoint(name, config, cpath, CFN_DEFAULT_VPC_ORIGIN_POLICY,
                             CFN_DEFAULT_ORIGIN_SSL)


def _through_if(reader: CfnReader, node: Any) -> Any:
    """Follow ``Fn::If`` branches as the reader's scenario decides them.

    The reader itself picks the branch (so the scenario's choice is recorded as usual): it is
    asked to resolve the ``Fn::If`` with marker branches, which it returns as they are."""
    for _ in range(64):
        if not (isinstance(node, Mapping) and len(node) == 1 and "Fn::If" in node):
            return node
        args = node["Fn::If"]
        if not (is_list(args) and len(args) == 3 and isinstance(args[0], str)):
            return None
        picked, _ = reader.resolve({"Fn::If": [args[0], {_BRANCH: 1}, {_BRANCH: 2}]}, ())
        if not (isinstance(picked, Mapping) and picked.get(_BRANCH) in (1, 2)):
            return None
        node = args[picked[_BRANCH]]
    return None


def cfn_reference(reader: CfnReader, node: Any, resource_type: str,
                  attributes: Tuple[str, ...] = ("Id",)) -> Optional[Tuple[str, Mapping]]:
    """(logical name, resource) when ``node`` is a ``Ref`` or ``Fn::GetAtt NAME.Id`` to a resource
    of ``resource_type`` in the reader's template; None otherwise (another kind of value, or
    another resource type)."""
    node = _through_if(reader, node)
    if not (isinstance(node, Mapping) and len(node) == 1):
        return None
    (key, args), = node.items()
    name = None
    if key == "Ref" and isinstance(args, str):
        name = args
    elif key == "Fn::GetAtt":
        if isinstance(args, str) and "." in args:
            args = args.split(".", 1)
        if is_list(args) and len(args) == 2 and isinstance(args[0], str) and args[1] in attributes:
            name = args[0]
    if name is None:
        return None
    resource = reader.facts.resources.get(name)
    if isinstance(resource, Mapping) and resource.get("Type") == resource_type:
        return name, resource
    return None


def cfn_headers_policy(reader: CfnReader, node: Any) -> Optional[HeadersPolicy]:
    """The ``AWS::CloudFront::ResponseHeadersPolicy`` of the same template that ``node`` (a
    ``ResponseHeadersPolicyId`` as written) names; None when it names none."""
    found = cfn_reference(reader, node, HEADERS_POLICY_TYPE)
    if found is None:
        return None
    name, resource = found
    path: Path = tuple(reader.facts.resources_path) + (name,)
    props = resource.get("Properties")
    if not is_mapping(props):
        return HeadersPolicy(path=path, name=name, origin="template",
                             hsts_max_age=Unknown(f"{name} has no Properties"))
    config, cpath = reader.get(props, _POLICY_CONFIG, path + ("Properties",))
    if config is MISSING:
        return HeadersPolicy(path=path, name=name, origin="template",
                             hsts_max_age=Unknown(f"{name} has no ResponseHeadersPolicyConfig"))
    return headers_policy.from_config(reader, config, cpath, name, "template")
