"""Resources a distribution refers to: response headers policies (CFH011) and their HSTS header.

A cache behaviour names its response headers policy by id. Whether that policy sets
``Strict-Transport-Security`` is written elsewhere: in the same CloudFormation template (an
``AWS::CloudFront::ResponseHeadersPolicy`` reached by ``!Ref``/``!GetAtt .Id``), in the same
Pulumi stack (a ``ResponseHeadersPolicy`` resource the behaviour's property depends on), or in
the account (``GetResponseHeadersPolicy``). One reader of the policy's configuration serves all of
them, since the shapes differ only in key case and wrapping (see ``_builder.Reader``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Optional, Tuple

from ..model import HeadersPolicy, Path, Unknown
from ._builder import MISSING, Reader, is_list, is_mapping

CFN_HEADERS_POLICY_TYPE = "AWS::CloudFront::ResponseHeadersPolicy"

# A live or stack look-up: policy id -> the policy, or None when it cannot be found.
Lookup = Callable[[str], Optional[HeadersPolicy]]


def _max_age(value: Any) -> Any:
    if isinstance(value, bool):
        return Unknown(f"AccessControlMaxAgeSec is {str(value).lower()}, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():  # CloudFormation accepts "31536000"
        return int(value.strip())
    if isinstance(value, Unknown):
        return value
    return Unknown(f"AccessControlMaxAgeSec {value!r} is not a number")


def _not_a_mapping(value: Any, what: str) -> Unknown:
    """What a part that should be a mapping but is not leaves the HSTS setting: unknown, with
    the reason (the value's own when it is already unknown)."""
    return value if isinstance(value, Unknown) else Unknown(f"{what} is not a mapping")


def from_config(reader: Reader, config: Any, path: Path, name: str, origin: str) -> HeadersPolicy:
    """A HeadersPolicy from a ``ResponseHeadersPolicyConfig``-shaped node (any dialect).

    A policy without ``SecurityHeadersConfig.StrictTransportSecurity`` sets no HSTS header
    (``hsts_max_age`` None); parts the document does not decide are :class:`Unknown`.
    """
    policy = HeadersPolicy(path=path, name=name, origin=origin)
    config, path = reader.resolve(config, path)
    if not is_mapping(config):
        policy.hsts_max_age = _not_a_mapping(config, "response headers policy configuration")
        return policy
    security, spath = reader.get(config, ("SecurityHeadersConfig",), path)
    if security is MISSING or security is None:
        return policy
    if not is_mapping(security):
        policy.hsts_max_age = _not_a_mapping(security, "SecurityHeadersConfig")
        return policy
    hsts, hpath = reader.get(security, ("StrictTransportSecurity",), spath)
    if hsts is MISSING or hsts is None:
        return policy
    policy.field_paths["hsts"] = hpath
    if not is_mapping(hsts):
        policy.hsts_max_age = _not_a_mapping(hsts, "StrictTransportSecurity")
        return policy
    age, apath = reader.get(hsts, ("AccessControlMaxAgeSec",), hpath)
    policy.field_paths["hsts_max_age"] = apath
    policy.hsts_max_age = Unknown("AccessControlMaxAgeSec missing") if age is MISSING else _max_age(age)
    return policy


_BRANCH = "cfhttps:branch"  # a marker key no reader resolves (not an intrinsic function name)


def _through_if(reader: Reader, node: Any) -> Any:
    """Follow ``Fn::If`` branches as the reader's scenario decides them (CloudFormation only).

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


def _resources(reader: Reader) -> Optional[Mapping]:
    facts = getattr(reader, "facts", None)  # the CloudFormation reader's template facts
    resources = getattr(facts, "resources", None) if facts is not None else None
    if resources is None:
        resources = getattr(reader, "resources", None)
    return resources if isinstance(resources, Mapping) else None


def cfn_reference(reader: Reader, node: Any, resource_type: str,
                  attributes: Tuple[str, ...] = ("Id",)) -> Optional[Tuple[str, Mapping]]:
    """(logical name, resource) when ``node`` is a ``Ref`` or ``Fn::GetAtt NAME.Id`` to a resource
    of ``resource_type`` in the reader's template; None otherwise (not CloudFormation, another
    kind of value, or another resource type)."""
    resources = _resources(reader)
    if resources is None:
        return None
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
    resource = resources.get(name)
    if isinstance(resource, Mapping) and resource.get("Type") == resource_type:
        return name, resource
    return None


def _resources_path(where: Path) -> Path:
    """The path of the Resources section, from the path of something inside it."""
    if tuple(where[:2]) == ("resources", "Resources"):
        return ("resources", "Resources")  # Serverless Framework files
    return ("Resources",)


def cfn_headers_policy(reader: Reader, node: Any, where: Path = ()) -> Optional[HeadersPolicy]:
    """The ``AWS::CloudFront::ResponseHeadersPolicy`` of the same template that ``node`` names
    (``where``: the path of the reference, to locate the policy in the same document)."""
    found = cfn_reference(reader, node, CFN_HEADERS_POLICY_TYPE)
    if found is None:
        return None
    name, resource = found
    path = _resources_path(where) + (name,)
    props = resource.get("Properties")
    if not is_mapping(props):
        return HeadersPolicy(path=path, name=name, origin="template",
                             hsts_max_age=Unknown(f"{name} has no Properties"))
    config, cpath = reader.get(props, ("ResponseHeadersPolicyConfig",), path + ("Properties",))
    if config is MISSING:
        return HeadersPolicy(path=path, name=name, origin="template",
                             hsts_max_age=Unknown(f"{name} has no ResponseHeadersPolicyConfig"))
    return from_config(reader, config, cpath, name, "template")
