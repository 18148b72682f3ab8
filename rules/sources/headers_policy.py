"""Read a response headers policy's configuration, in any dialect, into the model's
:class:`~rules.model.HeadersPolicy` (CFH011): the one job of this module.

The same ``ResponseHeadersPolicyConfig`` shape arrives from a CloudFormation template, a Pulumi
stack (pulumi-aws or aws-native) and ``GetResponseHeadersPolicy``, differing only in key case and
wrapping, so one reading through a :class:`~.reader.Reader` serves them all. Which policy a
behaviour names is the source's business (:mod:`.cfn_related`, :mod:`.pulumi`, the live audit).
"""

from __future__ import annotations

from typing import Any

from ..model import HeadersPolicy, Path, Unknown
from .reader import MISSING, Prop, Reader, is_mapping

_SECURITY = Prop("SecurityHeadersConfig")
_HSTS = Prop("StrictTransportSecurity")
_MAX_AGE = Prop("AccessControlMaxAgeSec")


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
    security, spath = reader.get(config, _SECURITY, path)
    if security is MISSING or security is None:
        return policy
    if not is_mapping(security):
        policy.hsts_max_age = _not_a_mapping(security, "SecurityHeadersConfig")
        return policy
    hsts, hpath = reader.get(security, _HSTS, spath)
    if hsts is MISSING or hsts is None:
        return policy
    policy.field_paths["hsts"] = hpath
    if not is_mapping(hsts):
        policy.hsts_max_age = _not_a_mapping(hsts, "StrictTransportSecurity")
        return policy
    age, apath = reader.get(hsts, _MAX_AGE, hpath)
    policy.field_paths["hsts_max_age"] = apath
    policy.hsts_max_age = Unknown("AccessControlMaxAgeSec missing") if age is MISSING else _max_age(age)
    return policy
