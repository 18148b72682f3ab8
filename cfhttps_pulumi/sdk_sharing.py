"""Make pulumi-policy convert an Analyze request's properties once, not once per policy.

The SDK's servicer converts ``request.properties`` for *every* resource policy: protobuf
``Struct`` → dict (``json_format.MessageToDict``), secrets and assets (``deserialize_properties``)
and a read-only proxy tree (``unknown_checking_proxy``). With twelve policies that was most of an
Analyze call. Within one RPC every policy is handed the same message object (protobuf keeps one
wrapper per field), so each step here remembers its last input *by identity* — held by a strong
reference, so an id can never be reused — and returns the same output for it. The SDK serves
RPCs from a pool of threads and runs all policies of one RPC on one of them, so what is
remembered is per thread: concurrent requests never see each other's conversions.

The proxy tree itself is built lazily (:class:`LazyDictProxy`): the SDK builds it eagerly, for
every value, although these policies read the plain dict behind it.

``MessageToDict`` on a bare ``Struct`` also takes a direct route (:func:`struct_to_dict`): the
generic converter dispatches on descriptors for every value, which cost ~4× more. It returns
exactly what ``json_format`` returns for a ``Struct`` (a property test compares the two).

Policies never mutate the properties they are handed (remediation copies them), so sharing one
conversion between them is safe. Violations are built in place in the response
(:func:`_direct_reports`) rather than built and copied.
"""

from __future__ import annotations

import math
import sys
import threading
from typing import Any, Dict, Optional

from google.protobuf import struct_pb2
from pulumi_policy import deserialize as sdk_deserialize
from pulumi_policy import proxy as sdk_proxy

_STRUCT = struct_pb2.Struct
# Objects carrying this key are secrets, assets or archives for deserialize_properties.
_SIG = sdk_deserialize.SPECIAL_SIG_KEY


def _value(v: Any, sigs: list) -> Any:
    kind = v.WhichOneof("kind")
    if kind == "string_value":
        return v.string_value
    if kind == "struct_value":
        fields = v.struct_value.fields
        if _SIG in fields:
            sigs.append(True)
        return {k: _value(fields[k], sigs) for k in fields}
    if kind == "list_value":
        return [_value(x, sigs) for x in v.list_value.values]
    if kind == "bool_value":
        return v.bool_value
    if kind == "number_value":
        number = v.number_value
        if math.isinf(number) or math.isnan(number):
            # json_format refuses these (they would parse back as strings); so do we.
            raise ValueError(f"Fail to serialize {number} for Value.number_value")
        return number
    return None  # null_value, or a Value with no kind set (json_format: null)


def struct_to_dict(message: Any, sigs: Optional[list] = None) -> Dict[str, Any]:
    """``json_format.MessageToDict`` for a ``google.protobuf.Struct``, without the dispatch.
    ``sigs`` (a list) gets an entry for each object with Pulumi's special signature key."""
    sigs = [] if sigs is None else sigs
    fields = message.fields
    if _SIG in fields:
        sigs.append(True)
    return {k: _value(fields[k], sigs) for k in fields}


class _SharedJsonFormat:
    """Stands in for the ``json_format`` module inside ``pulumi_policy.policy``."""

    def __init__(self, real: Any) -> None:
        self._real = real
        # Per thread: .last = (message, output); .plain = the last output that holds no
        # secret/asset/archive (deserialize_properties would only copy it: it is used as is).
        self.local = threading.local()

    def MessageToDict(self, message, *args, **kwargs):  # noqa: N802 (protobuf's name)
        if args or kwargs:
            return self._real.MessageToDict(message, *args, **kwargs)
        local = self.local
        last = getattr(local, "last", None)
        if last is not None and last[0] is message:
            return last[1]
        if type(message) is _STRUCT:
            sigs: list = []
            out = struct_to_dict(message, sigs)
            local.plain = None if sigs else out
        else:
            out = self._real.MessageToDict(message)
        local.last = (message, out)
        return out

    def plain(self) -> Any:
        return getattr(self.local, "plain", None)

    def __getattr__(self, name):
        return getattr(self._real, name)


class _Last:
    """The last (input, output) of one wrapped SDK function in this thread, reused for the
    same input."""

    def __init__(self, real) -> None:
        self.real = real
        self.local = threading.local()

    def __call__(self, value, *args, **kwargs):
        if args or kwargs:  # another variant (e.g. proxy_secrets=True): not shared
            return self.real(value, *args, **kwargs)
        last = getattr(self.local, "last", None)
        if last is not None and last[0] is value:
            return last[1]
        out = self.real(value)
        self.local.last = (value, out)
        return out

    def input_for(self, output: Any) -> Any:
        """The input whose output (in this thread) is ``output``, or None."""
        last = getattr(self.local, "last", None)
        return last[0] if last is not None and last[1] is output else None


def _child(key: Any, value: Any, acc: list) -> Any:
    if value.__class__ is str and sdk_proxy._is_unknown(value):
        raise sdk_proxy.UnknownValueError(value, sdk_proxy._append_prop(acc, key))
    return _wrap(key, value, acc)


def _wrap(key: Any, value: Any, acc: list) -> Any:
    if isinstance(value, dict):
        return LazyDictProxy(value, sdk_proxy._append_prop(acc, key))
    if isinstance(value, list):
        return LazyListProxy(value, sdk_proxy._append_prop(acc, key))
    return value


class LazyDictProxy(sdk_proxy._DictProxy):
    """The SDK's read-only proxy, built as it is read instead of all at once (the eager tree
    cost ~0.1 ms per request, for proxies the cfhttps policies never read). Reads behave as the
    SDK's: an unknown raises ``UnknownValueError`` with the same property path. ``["__target"]``
    is the plain dict (the SDK's serializer accepts either)."""

    def __init__(self, target: dict, props_acc: list) -> None:  # noqa: D107
        self._t = target
        self._acc = props_acc

    def __getitem__(self, key):
        if key == "__target":
            return self._t
        return _child(key, self._t[key], self._acc)

    def __setitem__(self, key, value):
        self._t[key] = value

    def __len__(self):
        return len(self._t)

    def __iter__(self):
        return iter(self._t)


class LazyListProxy(sdk_proxy._ListProxy):
    """The list counterpart of :class:`LazyDictProxy`."""

    def __init__(self, target: list, props_acc: list) -> None:  # noqa: D107
        self._t = target
        self._acc = props_acc

    def __getitem__(self, key):
        if key == "__target":
            return self._t
        if isinstance(key, slice):  # as the SDK: a plain list of proxies, unknowns unchecked
            return [_wrap(i, self._t[i], self._acc) for i in range(*key.indices(len(self._t)))]
        return _child(key, self._t[key], self._acc)

    def __len__(self):
        return len(self._t)


def lazy_proxy(props: Any) -> Any:
    """Drop-in for ``pulumi_policy.proxy.unknown_checking_proxy``."""
    if isinstance(props, dict):
        return LazyDictProxy(props, [])
    if isinstance(props, list):
        return LazyListProxy(props, [])
    return props


_STATE: Dict[str, Any] = {}


def share() -> bool:
    """Install the sharing (idempotent). Called by the pack before it starts serving.

    Only speed depends on it: if a future pulumi-policy no longer has the functions it wraps,
    nothing is installed, the pack says so on stderr and works as the SDK does. Returns whether
    the sharing is in place."""
    import pulumi_policy.policy as sdk

    if _STATE:
        return True
    wanted = ("json_format", "deserialize_properties", "unknown_checking_proxy")
    missing = [name for name in wanted if not hasattr(sdk, name)]
    if missing:
        print(f"cfhttps: pulumi_policy.policy has no {', '.join(missing)}; properties are "
              f"converted once per policy", file=sys.stderr, flush=True)
        return False
    sdk.json_format = fmt = _SharedJsonFormat(sdk.json_format)
    real = sdk.deserialize_properties

    def deserialize_properties(props, *args, **kwargs):
        # proxy_secrets=True (the remediation path) always takes the SDK's way.
        if not args and not kwargs and props is not None and props is fmt.plain():
            return props
        return real(props, *args, **kwargs)

    sdk.deserialize_properties = _STATE["deserialize"] = _Last(deserialize_properties)
    sdk.unknown_checking_proxy = _STATE["proxy"] = _Last(lazy_proxy)
    servicer = getattr(sdk, "_PolicyAnalyzerServicer", None)
    real_create = getattr(servicer, "_create_report_violation", None)
    if real_create is not None:
        servicer._create_report_violation = _direct_reports(real_create)
    return True


def _direct_reports(real_create):
    """The SDK's ``_create_report_violation``, building each diagnostic in place in the
    response (``diagnostics.add``) instead of building it and then copying it in (``append``):
    the same diagnostics, a third cheaper. Anything unexpected: the SDK's own closure."""

    def _create_report_violation(self, response, policy_name, policy_description,
                                 enforcement_level, severity=None):
        try:
            pack_name = self._PolicyAnalyzerServicer__policy_pack_name
            pack_version = self._PolicyAnalyzerServicer__policy_pack_version
            level = self._map_enforcement_level(enforcement_level)
            mapped_severity = self._map_severity(severity)
            add = response.diagnostics.add
        except Exception:  # noqa: BLE001 (an SDK that changed: use its own closure)
            return real_create(self, response, policy_name, policy_description,
                               enforcement_level, severity)

        def report_violation(message: str, urn: Optional[str] = None) -> None:
            if message and not isinstance(message, str):
                raise TypeError("Expected message to be a string")
            if urn is not None and not isinstance(urn, str):
                raise TypeError("Expected urn to be a string")
            text = policy_description
            if message:
                text += f"\n{message}"
            add(policyName=policy_name, policyPackName=pack_name, policyPackVersion=pack_version,
                message=text, urn=urn if urn else "", description=policy_description,
                enforcementLevel=level, severity=mapped_severity)

        return report_violation

    return _create_report_violation


def plain_of(props: Any) -> Any:
    """The SDK's plain (deserialized, unproxied) dict behind ``props`` when it is the proxy of
    the current request; None otherwise (sharing not installed, or another object)."""
    proxy = _STATE.get("proxy")
    if proxy is None or props is None:
        return None
    return proxy.input_for(props)
