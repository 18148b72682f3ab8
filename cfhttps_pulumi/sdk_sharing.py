"""One conversion, one model and one evaluation per Analyze request, through one interception point.

Why: pulumi-policy's servicer (``_PolicyAnalyzerServicer.Analyze``) converts the request for
*every* resource policy: the properties (protobuf ``Struct`` → dict with ``json_format``, secrets
and assets with ``deserialize_properties``, an eager read-only proxy tree) and, since the engine
attaches the resource's provider to every request, the provider's properties too. With twelve
policies that was most of an Analyze call, and the policies, each handed different objects, could
not share one model of the resource: 11 modellings and 10 evaluations per request.

How: :func:`install` replaces one method, ``_PolicyAnalyzerServicer.Analyze``, with a wrapper that
serves the servicer holding the cfhttps policies with :func:`analyze`: the SDK's loop over the
policies, written once here, converting the properties and the provider once per request (a
direct ``Struct`` conversion, :func:`struct_to_dict`, and lazily built proxies,
:class:`LazyDictProxy`). Every policy of the request receives the same ``props`` object, so the
pack (``pack._entry``) models and evaluates once. Other servicers, ``Remediate`` (which converts
once per request already) and ``AnalyzeStack`` (one stack policy) keep the SDK's own code.

What :func:`analyze` relies on beyond pulumi-policy's public API (:data:`REQUIRED`) is verified
when the pack starts: :func:`probe` sends probe requests (provider attached or not, options,
unknowns, a secret, configured enforcement levels and policy config) through two real servicers,
one answering with the SDK's own ``Analyze`` and one with :func:`analyze`, and compares the
responses byte for byte and everything a recording policy saw (each property read through the
proxies, options, provider, config). A missing name, a difference or an exception: the wrapper is
not installed, the pack runs on the SDK's own path (same answers, slower) and says so in one line
on stderr. At run time, an exception in :func:`analyze` where the SDK's own path succeeds switches
that request and every later one to the SDK's path, again with one line on stderr: no coupling
can fail an RPC. ``CFHTTPS_SDK_SHARING=off`` in the environment keeps the SDK's path throughout.
"""

from __future__ import annotations

import asyncio
import math
import os
import sys
import threading
from inspect import isawaitable
from typing import Any, Dict, List, Optional

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy
from pulumi_policy import deserialize as sdk_deserialize
from pulumi_policy import policy as sdk
from pulumi_policy import proxy as sdk_proxy

from rules import memo

ENV = "CFHTTPS_SDK_SHARING"
_STRUCT = struct_pb2.Struct
# Objects carrying this key are secrets, assets or archives for deserialize_properties.
_SIG = sdk_deserialize.SPECIAL_SIG_KEY
_SERVICER = "_PolicyAnalyzerServicer"
# What analyze() uses that is not pulumi-policy's public API (checked by name, then by the probe).
REQUIRED = {
    "pulumi_policy.policy": ("_PolicyAnalyzerServicer", "_NotApplicableError"),
    _SERVICER: ("Analyze", "Configure", "_configure_runtime_settings", "_get_enforcement_level",
                "_get_policy_config", "_get_resource_options", "_map_enforcement_level",
                "_map_severity"),
    "pulumi_policy.proxy": ("_DictProxy", "_ListProxy", "_is_unknown", "_append_prop"),
    "servicer instance": ("_PolicyAnalyzerServicer__policies",
                          "_PolicyAnalyzerServicer__policy_pack_name",
                          "_PolicyAnalyzerServicer__policy_pack_version",
                          "_PolicyAnalyzerServicer__stack_tags"),
}


def _fields_to_dict(fields: Any, sigs: list) -> Dict[str, Any]:
    """A ``Struct``'s ``fields`` map as a dict, in the map's own key order (as json_format).

    Why it reads each value's ``string_value`` first: every upb accessor builds a wrapper object,
    and ``WhichOneof`` is the dearest of them (~3x ``string_value``). Most values are strings, and
    a non-empty ``string_value`` can only come from a Value whose kind *is* ``string_value`` (an
    unset oneof member reads as its default, ""), so one accessor decides those; anything else
    (including the empty string) is dispatched on ``WhichOneof`` by :func:`_other`. Keys are
    iterated and indexed (``fields[k]``), which costs about half of ``fields.items()``."""
    if _SIG in fields:
        sigs.append(True)
    out = {}
    for key in fields:
        value = fields[key]
        out[key] = value.string_value or _other(value, sigs)
    return out


def _other(v: Any, sigs: list) -> Any:
    """A ``Value`` that is not a non-empty string, as json_format converts it."""
    kind = v.WhichOneof("kind")
    if kind == "list_value":
        return _list(v.list_value, sigs)
    if kind == "struct_value":
        return _fields_to_dict(v.struct_value.fields, sigs)
    if kind == "bool_value":
        return v.bool_value
    if kind == "number_value":
        number = v.number_value
        if math.isinf(number) or math.isnan(number):
            # json_format refuses these (they would parse back as strings); so do we.
            raise ValueError(f"Fail to serialize {number} for Value.number_value")
        return number
    if kind == "string_value":
        return ""
    return None  # null_value, or a Value with no kind set (json_format: null)


# A short list of strings as serialized -> its items (bounded; tfbridge's ``__defaults`` lists,
# every behaviour's methods and SSL protocols recur in every request).
_STRING_LISTS = memo.table("pulumi.string_lists", 1024)
_STRING_LIST_BYTES = 256


def _list(message: Any, sigs: list) -> List[Any]:
    """A ``ListValue`` as a list. A short list of strings is remembered by its serialized bytes,
    which is exactly what its conversion depends on: serializing costs about a third of
    converting item by item, which builds a wrapper per item (a slice of the repeated field
    builds them in one call, half the cost of iterating it). Measured worth it: without it a
    padded request (bench_pulumi_adapter.py ``padded``) costs ~70 us (4 %) more. A remembered list
    holds strings only (no secret can hide in it), so a shallow copy is a fresh answer."""
    key = message.SerializeToString()
    known = _STRING_LISTS.get(key)
    if known is not None:
        return list(known)
    out = [x.string_value or _other(x, sigs) for x in message.values[:]]
    if len(key) <= _STRING_LIST_BYTES and all(x.__class__ is str for x in out):
        _STRING_LISTS.remember(key, tuple(out))
    return out


def struct_to_dict(message: Any, sigs: Optional[list] = None) -> Dict[str, Any]:
    """``json_format.MessageToDict`` for a ``google.protobuf.Struct``, without the dispatch.
    ``sigs`` (a list) gets an entry for each object with Pulumi's special signature key."""
    return _fields_to_dict(message.fields, [] if sigs is None else sigs)


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


def plain_of(props: Any) -> Any:
    """The plain (deserialized, unproxied) dict behind ``props`` when :func:`analyze` built it;
    None for the SDK's own proxies."""
    return props._t if type(props) is LazyDictProxy else None


def convert(message: Any) -> Any:
    """What the SDK makes of a ``Struct`` for a policy — ``unknown_checking_proxy(
    deserialize_properties(json_format.MessageToDict(message)))`` — with the direct conversion
    and the lazy proxy; ``deserialize_properties`` only when the message holds a secret, asset or
    archive (otherwise it would return an equal copy)."""
    sigs: list = []
    plain = struct_to_dict(message, sigs)
    if sigs:
        plain = sdk_deserialize.deserialize_properties(plain)
    return lazy_proxy(plain)


def _provider(request: Any) -> Any:
    if not request.HasField("provider"):
        return None
    prov = request.provider
    return sdk.PolicyProviderResource(prov.type, convert(prov.properties), prov.urn, prov.name)


def _reporter(servicer: Any, response: Any, policy: Any, level: EnforcementLevel,
              pack: str, version: str):
    """The SDK's ``_create_report_violation``, building each diagnostic in place in the response
    (``diagnostics.add``) instead of building it from eight keywords and copying it in: the
    fields a policy's diagnostics share are serialized once, when the policy reports its first
    violation (most report none), and merged into each (about half the cost of setting them)."""
    add = response.diagnostics.add
    description = policy.description
    template = b""

    def report_violation(message: str, urn: Optional[str] = None) -> None:
        nonlocal template
        if message and not isinstance(message, str):
            raise TypeError("Expected message to be a string")
        if urn is not None and not isinstance(urn, str):
            raise TypeError("Expected urn to be a string")
        text = description
        if message:
            text += f"\n{message}"
        if not template:  # levels mapped here, as the SDK maps them: when a violation is reported
            template = analyzer_pb2.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=pack, policyPackVersion=version,
                description=description, enforcementLevel=servicer._map_enforcement_level(level),
                severity=servicer._map_severity(policy.severity)).SerializeToString()
        diagnostic = add()
        try:
            diagnostic.MergeFromString(template)
            diagnostic.message = text
            if urn:
                diagnostic.urn = urn
        except BaseException:  # e.g. a lone surrogate: as the SDK, no diagnostic at all
            del response.diagnostics[-1]
            raise

    return report_violation


def analyze(servicer: Any, request: Any, policies: List[Any]) -> Any:
    """``_PolicyAnalyzerServicer.Analyze`` with the request converted once for all policies."""
    servicer._configure_runtime_settings()
    response = analyzer_pb2.AnalyzeResponse()
    pack = servicer._PolicyAnalyzerServicer__policy_pack_name
    version = servicer._PolicyAnalyzerServicer__policy_pack_version
    shared = None
    for policy in policies:
        level = servicer._get_enforcement_level(policy)
        if level == EnforcementLevel.DISABLED or not isinstance(policy, ResourceValidationPolicy):
            continue
        if not policy.has_validation():
            response.not_applicable.append(analyzer_pb2.PolicyNotApplicable(
                policy_name=policy.name, reason="Policy does not implement validate"))
            continue
        if level == EnforcementLevel.REMEDIATE:
            level = EnforcementLevel.MANDATORY
        if shared is None:
            shared = (request.type, convert(request.properties), request.urn, request.name,
                      servicer._get_resource_options(request), _provider(request),
                      servicer._PolicyAnalyzerServicer__stack_tags)
        rtype, props, urn, name, opts, provider, tags = shared
        args = sdk.ResourceValidationArgs(rtype, props, urn, name, opts, provider,
                                          servicer._get_policy_config(policy.name), tags)
        report_violation = _reporter(servicer, response, policy, level, pack, version)
        try:
            result = policy.validate(args, report_violation)
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                task = asyncio.Task(result, loop=loop)
                loop.run_until_complete(task)
                loop.close()
        except sdk_proxy.UnknownValueError as e:
            response.diagnostics.add(
                policyName=policy.name, policyPackName=pack, policyPackVersion=version,
                message=(f"can't run policy '{policy.name}' from policy pack "
                         f"'{pack}@v{version}' during preview: {e.message}"),
                urn="", description=policy.description,
                enforcementLevel=servicer._map_enforcement_level(EnforcementLevel.ADVISORY))
        except sdk._NotApplicableError as e:
            response.not_applicable.append(analyzer_pb2.PolicyNotApplicable(
                policy_name=policy.name, reason=e.reason or ""))
    return response


# ---------------------------------------------------------------------------------------------
# The start-up probe

def _read(node: Any, depth: int = 0) -> Any:
    """Everything a policy could read through a proxy: values, or the unknown's message and
    property path, for every key, index and slice."""
    if depth > 50:
        return "deep"
    if isinstance(node, sdk_proxy._DictProxy):
        out: list = [("keys", list(node), len(node))]
        for k in list(node):
            try:
                out.append((k, _read(node[k], depth + 1)))
            except sdk_proxy.UnknownValueError as e:
                out.append((k, "unknown", e.message, list(e.props)))
        return out
    if isinstance(node, sdk_proxy._ListProxy):
        out = [("len", len(node))]
        for i in range(len(node)):
            try:
                out.append((i, _read(node[i], depth + 1)))
            except sdk_proxy.UnknownValueError as e:
                out.append((i, "unknown", e.message, list(e.props)))
        out.append(("slice", [_read(x, depth + 1) for x in node[0:2]]))
        return out
    return (type(node).__name__, node)


class _Recorder:
    """Probe policies around the real ones. The recorder records what it is handed, reports twice
    (with and without a URN) and then reads an unknown (the SDK turns that into its "can't run
    policy" diagnostic); the others take the loop's remaining turns: a policy without
    ``validate`` (not applicable), one that calls ``not_applicable``, an async one, a critical
    one and a stack policy (skipped by Analyze)."""

    NAME = "cfhttps-sdk-probe"

    def __init__(self) -> None:
        self.seen: list = []
        from pulumi_policy import Severity, StackValidationPolicy

        async def later(args, report_violation):
            report_violation("async")

        def not_applicable(args, report_violation):
            args.not_applicable("probe")

        self.policies = [
            ResourceValidationPolicy(name=self.NAME, description="records what it is handed",
                                     validate=self.validate,
                                     enforcement_level=EnforcementLevel.ADVISORY),
            ResourceValidationPolicy(name="cfhttps-sdk-probe-remediation-only", description="r",
                                     remediate=lambda args: None),
            ResourceValidationPolicy(name="cfhttps-sdk-probe-not-applicable", description="n",
                                     validate=not_applicable),
            ResourceValidationPolicy(name="cfhttps-sdk-probe-async", description="a",
                                     validate=later, severity=Severity.CRITICAL),
            StackValidationPolicy(name="cfhttps-sdk-probe-stack", description="s",
                                  validate=lambda args, report_violation: report_violation("s")),
        ]

    def validate(self, args, report_violation) -> None:
        o, p = args.opts, args.provider
        self.seen.append((
            args.resource_type, args.urn, args.name, _read(args.props), dict(args.get_config()),
            dict(args.stack_tags),
            (o.protect, list(o.ignore_changes), o.delete_before_replace, list(o.aliases),
             (o.custom_timeouts.create_seconds, o.custom_timeouts.update_seconds,
              o.custom_timeouts.delete_seconds), list(o.additional_secret_outputs), o.parent),
            None if p is None else (p.resource_type, p.urn, p.name, _read(p.props))))
        report_violation("seen")
        report_violation("", args.urn)
        args.props["origins"][0]["domainName"]  # unknown in the probe: UnknownValueError


_UNKNOWN = sdk_proxy.UNKNOWN_STRING_VALUE
_PROBE_DISTRIBUTION = {
    "comment": {_SIG: sdk_deserialize.SPECIAL_SECRET_SIG, "value": "probe"},
    "enabled": True,
    "origins": [{"originId": "site", "domainName": _UNKNOWN,
                 "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80,
                                        "httpsPort": 443, "originSslProtocols": ["TLSv1"]}},
                {"originId": "b", "domainName": "b.s3-website-us-east-1.amazonaws.com",
                 "s3OriginConfig": {"originAccessIdentity": ""}}],
    "orderedCacheBehaviors": [
        {"pathPattern": "*.php", "targetOriginId": "site", "viewerProtocolPolicy": "allow-all",
         "allowedMethods": ["GET", "HEAD", "POST"], "cachedMethods": ["GET", "HEAD"]},
        {"pathPattern": "/admin/*", "targetOriginId": "nowhere",
         "viewerProtocolPolicy": "https-only", "allowedMethods": sdk_proxy.UNKNOWN_ARRAY_VALUE}],
    "defaultCacheBehavior": {"targetOriginId": "b", "viewerProtocolPolicy": "allow-all",
                             "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]},
    "viewerCertificate": {"cloudfrontDefaultCertificate": True},
}
_PROBE_TYPE = "aws:cloudfront/distribution:Distribution"


def _struct(doc: Dict[str, Any]) -> Any:
    s = struct_pb2.Struct()
    s.update(doc)
    return s


def _probe_requests() -> List[Any]:
    urn = "urn:pulumi:probe::cfhttps::" + _PROBE_TYPE + "::cdn"
    provider = analyzer_pb2.AnalyzerProviderResource(
        type="pulumi:providers:aws", name="default_7_0_0",
        urn="urn:pulumi:probe::cfhttps::pulumi:providers:aws::default_7_0_0",
        properties=_struct({"region": "us-east-1", "skipRegionValidation": "true",
                            "version": "7.0.0", "token": {_SIG: sdk_deserialize.SPECIAL_SECRET_SIG,
                                                          "value": "t"}}))
    options = analyzer_pb2.AnalyzerResourceOptions(
        protect=True, ignoreChanges=["comment"], deleteBeforeReplace=True,
        deleteBeforeReplaceDefined=True, additionalSecretOutputs=["etag"],
        aliases=["urn:pulumi:probe::cfhttps::" + _PROBE_TYPE + "::old"],
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(create=60, update=30),
        parent="urn:pulumi:probe::cfhttps::pulumi:pulumi:Stack::cfhttps-probe")
    props = _struct(_PROBE_DISTRIBUTION)
    other, other_urn = "aws:s3/bucket:Bucket", "urn:pulumi:probe::cfhttps::aws:s3/bucket:Bucket::b"
    other_props = _struct({"bucket": "b", "tags": {"k": [1.5, None, True]},
                           "origins": [{"domainName": _UNKNOWN}]})
    return [
        analyzer_pb2.AnalyzeRequest(type=_PROBE_TYPE, properties=props, urn=urn, name="cdn",
                                    options=options, provider=provider),
        analyzer_pb2.AnalyzeRequest(type=other, properties=other_props, urn=other_urn, name="b",
                                    options=options, provider=provider),
        analyzer_pb2.AnalyzeRequest(type=other, properties=other_props, urn=other_urn, name="b"),
    ]


def _probe_configs(policies: List[Any]) -> List[Any]:
    """No configuration, then every enforcement level on some policy and a config object."""
    levels = [analyzer_pb2.REMEDIATE, analyzer_pb2.DISABLED, analyzer_pb2.ADVISORY,
              analyzer_pb2.MANDATORY]
    configured = {p.name: analyzer_pb2.PolicyConfig(enforcementLevel=levels[i % len(levels)])
                  for i, p in enumerate(policies[:len(levels)] + policies[-4:])}
    configured[_Recorder.NAME] = analyzer_pb2.PolicyConfig(
        enforcementLevel=analyzer_pb2.MANDATORY, properties=_struct({"probe": [1, "a"]}))
    return [analyzer_pb2.ConfigureAnalyzerRequest(),
            analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=configured)]


def _missing_names(servicer: Any) -> List[str]:
    import pulumi_policy.proxy as proxy_module
    owners = {"pulumi_policy.policy": sdk, "pulumi_policy.proxy": proxy_module,
              _SERVICER: sdk._PolicyAnalyzerServicer, "servicer instance": servicer}
    return [f"{owner}.{name}" for owner, names in REQUIRED.items() for name in names
            if not hasattr(owners[owner], name)]


def probe(policies: List[Any]) -> Optional[str]:
    """None when :func:`analyze` answers the probe requests exactly as the SDK's own ``Analyze``
    does on real servicers; otherwise what differs or is missing. Never raises."""
    try:
        cls = getattr(sdk, _SERVICER, None)
        if cls is None:
            return f"pulumi_policy.policy.{_SERVICER} is missing"
        real = getattr(cls.Analyze, "_cfhttps_real", cls.Analyze)
        recorder = _Recorder()
        probe_policies = list(policies) + recorder.policies
        # The real policies judge one distribution (the expensive part on the SDK's path); the
        # probe policies also run on the other requests, under every enforcement level.
        distribution, other, other_bare = _probe_requests()
        plan = list(zip(_probe_configs(probe_policies), ([distribution, other], [other, other_bare])))
        for config, requests in plan:
            plain = cls("cfhttps-probe", "0.0.1", probe_policies, EnforcementLevel.ADVISORY)
            fast = cls("cfhttps-probe", "0.0.1", probe_policies, EnforcementLevel.ADVISORY)
            missing = _missing_names(fast)
            if missing:
                return f"{', '.join(missing)} missing"
            plain.Configure(config, None)
            fast.Configure(config, None)
            for request in requests:
                expected = real(plain, request, None)
                seen_plain, recorder.seen = recorder.seen, []
                got = analyze(fast, request, probe_policies)
                seen_fast, recorder.seen = recorder.seen, []
                if (expected.SerializeToString(deterministic=True)
                        != got.SerializeToString(deterministic=True)):
                    return (f"the probe's {request.type} answer differs from the SDK's "
                            f"({len(got.diagnostics)} diagnostics, the SDK {len(expected.diagnostics)})")
                if seen_plain != seen_fast:
                    return "a policy would be handed different arguments than the SDK hands it"
                if not seen_plain and request.type == _PROBE_TYPE and not config.policyConfig:
                    return "the probe policy never ran"
        return None
    except Exception as exc:  # noqa: BLE001 (whatever it is, the SDK's own path is the answer)
        return f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------------------------------------
# The interception point

_REGISTERED: List[List[Any]] = []
_STATE = {"off": False}
_LOCK = threading.Lock()


def _say(message: str) -> None:
    print(f"cfhttps: {message}", file=sys.stderr, flush=True)


def _sdk_version() -> str:
    try:
        from pulumi_policy.version import VERSION
        return f"pulumi-policy {VERSION}"
    except Exception:  # noqa: BLE001
        return "pulumi-policy"


def _ours(servicer: Any) -> Optional[List[Any]]:
    policies = getattr(servicer, "_PolicyAnalyzerServicer__policies", None)
    return policies if any(policies is p for p in _REGISTERED) else None


def install(policies: List[Any]) -> bool:
    """Serve the servicer that holds this very list of policies with :func:`analyze`, once the
    probe agrees with the SDK. Returns whether the wrapper serves them; when it does not, one line
    on stderr says why (nothing when switched off with ``CFHTTPS_SDK_SHARING=off``)."""
    if os.environ.get(ENV, "").strip().lower() in ("0", "off", "false", "no"):
        return False
    problem = probe(policies)
    if problem is not None:
        _say(f"{_sdk_version()}: {problem}; running on the SDK's own Analyze path "
             f"(same results, the request converted once per policy)")
        return False
    with _LOCK:
        cls = sdk._PolicyAnalyzerServicer
        if not hasattr(cls.Analyze, "_cfhttps_real"):
            real = cls.Analyze

            def Analyze(self, request, context):  # noqa: N802 (the gRPC method's name)
                policies = None if _STATE["off"] else _ours(self)
                if policies is None:
                    return real(self, request, context)
                try:
                    return analyze(self, request, policies)
                except Exception as exc:  # noqa: BLE001
                    response = real(self, request, context)  # raises if the SDK fails too
                    if not _STATE["off"]:
                        _STATE["off"] = True
                        _say(f"{_sdk_version()}: {type(exc).__name__}: {exc} in the shared "
                             f"Analyze path; the SDK's own path from now on")
                    return response

            Analyze._cfhttps_real = real  # type: ignore[attr-defined]
            cls.Analyze = Analyze
        _REGISTERED.append(policies)
    return True


def uninstall() -> None:
    """Back to the SDK's own ``Analyze`` (tests)."""
    with _LOCK:
        cls = sdk._PolicyAnalyzerServicer
        real = getattr(cls.Analyze, "_cfhttps_real", None)
        if real is not None:
            cls.Analyze = real
        _REGISTERED.clear()
        _STATE["off"] = False
