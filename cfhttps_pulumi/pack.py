"""Build the CrossGuard policy pack from the catalogue.

Kept importable (the pack's ``__main__.py`` only calls :func:`build_pack`, which blocks serving
gRPC), so tests and other packs can use the policies. Every validate/remediate callback is
wrapped so that no exception escapes: one escaping exception would fail the whole Analyze RPC
and drop every violation in it (crossguard notes).
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from pulumi_policy import (EnforcementLevel, PolicyConfigSchema, PolicyPack,
                           ResourceValidationPolicy, Severity, StackValidationPolicy)

from rules import engine, memo, suppression
from rules.catalog import CATALOG, Rule
from rules.config import Config, from_mapping
from rules.settings import json_schema
from rules.model import Finding, Note, NoteKind
from rules.sources import pulumi as source

try:  # speed only: a pulumi-policy whose internals moved still gets a working pack
    from . import sdk_sharing
except Exception as _exc:  # noqa: BLE001
    sdk_sharing = None  # type: ignore[assignment]
    _SHARING_ERROR = f"{type(_exc).__name__}: {_exc}"

PACK_NAME = "cfhttps"
UNKNOWNS_POLICY = "cloudfront-preview-unknowns"
SUPPRESSED_POLICY = "cloudfront-suppressed-findings"
INFERRED_POLICY = "cloudfront-s3-website-origin-https-inferred"
HSTS_STACK_POLICY = "cloudfront-hsts-stack"
VPC_POLICY = "cloudfront-vpc-origin-https"
_LEVEL = {"mandatory": EnforcementLevel.MANDATORY, "advisory": EnforcementLevel.ADVISORY}
_SEVERITY = {"error": Severity.HIGH, "warning": Severity.MEDIUM}


_DEFAULT = Config()


def _log(message: str) -> None:
    print(f"cfhttps: {message}", file=sys.stderr, flush=True)


# (code, the policy's settings written out) -> its Config. A policy's config changes only with
# ``Configure``, yet the SDK hands it to every call: parsed once, and its problems logged once
# rather than on every resource of a preview.
_CONFIGS = memo.table("pulumi.policy_configs", 256)


def config_for(code: str, policy_config: Mapping) -> Config:
    """The engine Config from one policy's config (keys outside its schema are ignored)."""
    if not policy_config:
        return _DEFAULT
    names = {s.name for s in CATALOG[code].settings}
    wanted = {k: v for k, v in dict(policy_config).items() if k in names}
    if not wanted:
        return _DEFAULT
    try:
        key = (code, repr(sorted(wanted.items())))
    except Exception:  # unorderable or odd values: do not remember
        key = None
    config = _CONFIGS.get(key) if key else None
    if config is None:
        config, errors = from_mapping(wanted)
        for err in errors:
            _log(f"policy config for {CATALOG[code].policy}: {err}")
        if key:
            _CONFIGS.remember(key, config)
    return config


def _raw(props: Any) -> Any:
    """The SDK proxy's underlying container (``__target``): itself a dict/list of proxies."""
    try:
        return props["__target"]
    except Exception:
        return props


def unproxy(value: Any, depth: int = 0) -> Any:
    """Plain dicts/lists from the SDK's read-only proxies (reading through the proxy would
    raise on unknowns, and costs a list copy per access). Unknown sentinels stay as they are:
    the Pulumi front-end reads them as ``Unknown``."""
    if depth > 100:
        return None
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        target = _raw(value)
        if not isinstance(target, dict):
            target = dict(target)
        return {k: unproxy(v, depth + 1) for k, v in target.items()}
    if isinstance(value, (list, tuple)):
        return [unproxy(v, depth + 1) for v in value]
    try:  # the SDK's list proxy is a Sequence whose __target is the list of proxies
        return [unproxy(v, depth + 1) for v in _raw(value)]
    except Exception:
        return value


class _Entry:
    """The model of one resource's properties and the results computed on it so far.

    ``notes`` are those of properties that gave no model (``dist`` is None); a model carries its
    own notes, which the engine reports with each evaluation."""

    __slots__ = ("target", "key", "dist", "notes", "results")

    def __init__(self, target: Any, key: tuple, dist, notes) -> None:
        self.target, self.key, self.dist, self.notes = target, key, dist, notes
        self.results: Dict[Any, Any] = {}


# The SDK runs every policy of one RPC on one thread of its pool, and several RPCs may run at
# once: the entry being shared is per thread.
_LOCAL = threading.local()


def _entry(resource_type: str, props: Any, urn: str) -> _Entry:
    """One model per resource properties, shared by the policies of one Analyze call.

    On the shared Analyze path (:mod:`.sdk_sharing`) every policy of a call is handed the same
    proxy, so identity (held by a strong reference) is the cache key, and the model is read from
    the plain dict behind it (unknown sentinels are read as ``Unknown``). On the SDK's own path
    each policy gets its own proxies and models them (same answers, more work).
    """
    data = sdk_sharing.plain_of(props) if sdk_sharing is not None else None
    target = _raw(props) if data is None else data  # the same object as props["__target"]
    key = (resource_type, urn)
    entry = getattr(_LOCAL, "entry", None)
    if entry is not None and entry.target is target and entry.key == key:
        return entry
    if data is None:  # not the request the SDK just converted: read through the proxies
        data = unproxy(props)
    dist, notes = source.distribution(resource_type, data, urn, converted=True)
    _LOCAL.entry = entry = _Entry(target, key, dist, notes)
    return entry


def _kept(dist, findings: List[Finding]) -> List[Finding]:
    """The findings the distribution's own ``cfhttps:ignore`` tag does not suppress
    (rules/suppression.py): a suppressed finding is no violation of its policy; the advisory
    policy ``cloudfront-suppressed-findings`` lists it instead (the policy SDK has no
    "suppressed" channel, and dropping it without a word would hide a decision)."""
    if not dist.ignore:
        return findings
    return suppression.apply(findings, [dist])[0]


def _default_results(entry: _Entry) -> Dict[str, Any]:
    """Findings (the tag-suppressed ones apart, under "suppressed") and notes per code under
    the default settings, computed once per model."""
    by_code = entry.results.get("all")
    if by_code is None:
        result = engine.evaluate([entry.dist], _DEFAULT)
        by_code = {c: ([], []) for c in CATALOG}
        kept, gone, _ = suppression.apply(result.findings, [entry.dist])
        entry.results["suppressed"] = gone
        for f in kept:
            by_code[f.code][0].append(f)
        for n in result.notes:
            by_code.setdefault(n.code, ([], []))[1].append(n)
        entry.results["all"] = by_code
    return by_code


def evaluate(code: str, resource_type: str, props: Any, urn: str,
             policy_config: Mapping) -> Tuple[List[Finding], List[Note]]:
    entry = _entry(resource_type, props, urn)
    dist = entry.dist
    if dist is None:
        return [], list(entry.notes)
    config = config_for(code, policy_config)
    if config is _DEFAULT or config == _DEFAULT:
        # Most policies run with default settings: one evaluation of every rule serves them all.
        return _default_results(entry)[code]
    rkey = (code, config)
    if rkey not in entry.results:
        result = engine.evaluate([dist], config, codes=[code])
        entry.results[rkey] = (_kept(dist, result.findings), result.notes)
    return entry.results[rkey]


def message_of(f: Finding) -> str:
    """A finding's violation message: its text, the example path, and where it is."""
    parts = [f.message] if f.message else []
    if f.example_path:
        parts.append(f"example path: {f.example_path}")
    if f.path:
        parts.append("at " + ".".join(map(str, f.path)))
    return "; ".join(parts)


def _validate(code: str):
    def validate(args, report_violation):
        if args.resource_type not in source.TYPES:
            return
        try:
            findings, _ = evaluate(code, args.resource_type, args.props, args.urn, args.get_config())
            for f in findings:
                report_violation(message_of(f))
        except Exception as exc:  # never fail the RPC; make the failure visible instead
            _log(f"{CATALOG[code].policy} failed on {args.urn}: {type(exc).__name__}: {exc}")
    return validate


def _set_path(doc: Any, path, value) -> bool:
    node = doc
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        node[path[-1]] = value
        return True
    except (KeyError, IndexError, TypeError):
        return False


def _remediate(code: str):
    def remediate(args):
        if args.resource_type not in source.TYPES:
            return None
        try:
            findings, _ = evaluate(code, args.resource_type, args.props, args.urn, args.get_config())
            fixes = [f.fix for f in findings if f.fix is not None]
            if not fixes:
                return None
            new_props = unproxy(args.props)
            changed = False
            for path, value in fixes:
                changed = _set_path(new_props, path, value) or changed
            return new_props if changed else None
        except Exception as exc:
            _log(f"{CATALOG[code].policy} remediation failed on {args.urn}: {type(exc).__name__}: {exc}")
            return None
    return remediate


def _schema(*rules: Rule) -> Optional[PolicyConfigSchema]:
    """The policy config schema of the settings of these rules (None when they have none)."""
    properties = {s.name: json_schema(s) for rule in rules for s in rule.settings}
    return PolicyConfigSchema(properties=properties) if properties else None


def resource_policy(rule: Rule) -> ResourceValidationPolicy:
    remediate = _remediate(rule.code) if rule.remediation else None
    return ResourceValidationPolicy(
        name=rule.policy,
        description=f"{rule.code}: {rule.title}",
        validate=_validate(rule.code),
        remediate=remediate,
        enforcement_level=_LEVEL[rule.enforcement],
        config_schema=_schema(rule),
        severity=_SEVERITY[rule.severity],
        remediation_steps=rule.fix,
        url=rule.url,
        tags=list(rule.tags),
    )


def _advisory(name: str, report):
    """An advisory resource policy over a distribution's modelled entry: ``report(entry,
    report_violation)`` runs only for a distribution the source could model, and an exception is
    logged under the policy's name (an advisory never fails an RPC)."""
    def validate(args, report_violation):
        if args.resource_type not in source.TYPES:
            return
        try:
            entry = _entry(args.resource_type, args.props, args.urn)
            if entry.dist is not None:
                report(entry, report_violation)
        except Exception as exc:
            _log(f"{name} failed on {args.urn}: {type(exc).__name__}: {exc}")
    return validate


def _report_unknowns(entry, report_violation):
    """What a rule could not decide because a deciding value is unknown in preview."""
    every = [n for _, code_notes in _default_results(entry).values() for n in code_notes]
    for n in every:
        if n.kind == NoteKind.UNKNOWN_VALUE and n.code != suppression.NOTE_CODE:
            report_violation(f"{n.code} ({CATALOG[n.code].policy if n.code in CATALOG else 'input'}) "
                             f"could not decide: {n.message}")


_validate_unknowns = _advisory(UNKNOWNS_POLICY, _report_unknowns)


def _report_suppressed(entry, report_violation):
    """Advisory: the findings a distribution's ``cfhttps:ignore`` tag suppresses (judged with
    the default settings: this policy does not see the other policies' config), and what is
    wrong with the tag (an unknown name, a value unknown during preview)."""
    by_code = _default_results(entry)
    for f, why in entry.results.get("suppressed", []):
        report_violation(f"{f.code} ({CATALOG[f.code].policy}) suppressed by {why}: "
                         f"{message_of(f)}")
    for n in by_code.get(suppression.NOTE_CODE, ([], []))[1]:
        report_violation(f"{n.message}")


_validate_suppressed = _advisory(SUPPRESSED_POLICY, _report_suppressed)


def _validate_inferred(args, report_violation):
    """Stack policy: an unknown origin domain fed by a website configuration is a website endpoint."""
    try:
        config = config_for("CFH002", args.get_config())
        for res in args.resources:
            if res.resource_type not in source.TYPES:
                continue
            key = "distributionConfig" if res.resource_type == source.NATIVE_TYPE else "origins"
            deps = [(d.urn, d.resource_type) for d in res.property_dependencies.get(key, [])]
            dist, _ = source.distribution(res.resource_type, unproxy(res.props), res.urn,
                                          converted=True)
            if dist is None:
                continue
            inferred_before = {id(o) for o in dist.origins if not isinstance(o.domain, str)}
            producer = source.infer_website_origins(dist, deps)
            if producer is None:
                continue
            inferred = {tuple(o.path) for o in dist.origins if id(o) in inferred_before}
            for f in _kept(dist, engine.evaluate([dist], config, codes=["CFH002"]).findings):
                if any(tuple(f.path[:len(p)]) == p for p in inferred):
                    report_violation(f"{message_of(f)} (domainName is unknown during preview; "
                                     f"`{key}` is fed by {producer}, so this origin is an S3 "
                                     f"website endpoint)", res.urn)
    except Exception as exc:
        _log(f"{INFERRED_POLICY} failed: {type(exc).__name__}: {exc}")


def _validate_hsts_stack(args, report_violation):
    """Stack policy (CFH011): a behaviour's response headers policy, found through the stack graph.

    During preview a new policy's id is unknown, and even when known the policy's headers are in
    another resource: the resource policy can only note it. Here the ``ResponseHeadersPolicy``
    that the behaviour's property depends on is read, and CFH011 judged with it. Only behaviours
    resolved this way are reported (the resource policy reports the others)."""
    try:
        config = config_for("CFH011", args.get_config())
        if "CFH011" not in engine.active_codes(config):
            return
        for res in args.resources:
            if res.resource_type not in source.TYPES:
                continue
            deps = {}
            for key in source.BEHAVIOR_PROPERTIES.get(res.resource_type, ()):
                deps[key] = [(d.urn, d.resource_type, unproxy(d.props))
                             for d in res.property_dependencies.get(key, [])]
            if not any(deps.values()):
                continue
            dist, _ = source.distribution(res.resource_type, unproxy(res.props), res.urn,
                                          converted=True)
            if dist is None:
                continue
            resolved = source.attach_headers_policies(dist, res.resource_type, deps)
            paths = {tuple(b.field_paths.get("response_headers_policy_id", ())) for b in resolved}
            if not resolved:
                continue
            for f in _kept(dist, engine.evaluate([dist], config, codes=["CFH011"]).findings):
                if tuple(f.path) in paths:
                    report_violation(message_of(f), res.urn)
    except Exception as exc:
        _log(f"{HSTS_STACK_POLICY} failed: {type(exc).__name__}: {exc}")


def _validate_vpc_origins(args, report_violation):
    """Stack policy: CFH003 and CFH010 for VPC origins, whose settings live on the VPC origin
    resources feeding a distribution's `origins` (rules/sources/pulumi.py vpc_origin_lookup).
    Reports what the resource policies could not see: findings that appear only once the VPC
    origins are read."""
    try:
        settings = args.get_config()
        for res in args.resources:
            if res.resource_type not in source.TYPES:
                continue
            key = "distributionConfig" if res.resource_type == source.NATIVE_TYPE else "origins"
            lookup = source.vpc_origin_lookup([(d.urn, d.resource_type, unproxy(d.props))
                                               for d in res.property_dependencies.get(key, [])])
            if lookup is None:
                continue
            props = unproxy(res.props)
            alone, _ = source.distribution(res.resource_type, props, res.urn, converted=True)
            dist, _ = source.distribution(res.resource_type, props, res.urn, converted=True,
                                          vpc_origins=lookup)
            if dist is None or alone is None:
                continue
            for code in ("CFH003", "CFH010"):
                config = config_for(code, settings)
                seen = {f.key() for f in engine.evaluate([alone], config, codes=[code]).findings}
                for f in _kept(dist, engine.evaluate([dist], config, codes=[code]).findings):
                    if f.key() not in seen:
                        report_violation(f"{code}: {message_of(f)}", res.urn)
    except Exception as exc:
        _log(f"{VPC_POLICY} failed: {type(exc).__name__}: {exc}")


def stack_policy(name: str, what: str, validate, *rules: Rule) -> StackValidationPolicy:
    """A stack policy that judges the given rules through the stack graph. Level, severity,
    remediation steps and link are the first rule's, the settings those of all of them (the
    catalogue stays the one source, as for :func:`resource_policy`)."""
    first = rules[0]
    return StackValidationPolicy(
        name=name,
        description=f"{'/'.join(r.code for r in rules)}: {what}",
        validate=validate,
        enforcement_level=_LEVEL[first.enforcement],
        config_schema=_schema(*rules),
        severity=_SEVERITY[first.severity],
        remediation_steps=first.fix,
        url=first.url,
    )


def policies() -> List[Any]:
    out: List[Any] = [resource_policy(rule) for rule in CATALOG.values()]
    out.append(stack_policy(
        INFERRED_POLICY, "HTTPS towards an S3 website endpoint (inferred from the stack graph)",
        _validate_inferred, CATALOG["CFH002"]))
    out.append(stack_policy(
        HSTS_STACK_POLICY, "HTTPS without Strict-Transport-Security (policies found through the "
        "stack graph)", _validate_hsts_stack, CATALOG["CFH011"]))
    out.append(stack_policy(
        VPC_POLICY, "plaintext or weak TLS towards a VPC origin (its settings are on the VPC "
        "origin resource)", _validate_vpc_origins, CATALOG["CFH003"], CATALOG["CFH010"]))
    out.append(ResourceValidationPolicy(
        name=UNKNOWNS_POLICY,
        description="Checks that could not decide because a value is unknown during preview",
        validate=_validate_unknowns,
        enforcement_level=EnforcementLevel.ADVISORY,
        severity=Severity.LOW,
    ))
    out.append(ResourceValidationPolicy(
        name=SUPPRESSED_POLICY,
        description="Findings a distribution's cfhttps:ignore tag suppresses, and mistakes in the tag",
        validate=_validate_suppressed,
        enforcement_level=EnforcementLevel.ADVISORY,
        severity=Severity.LOW,
    ))
    return out


def build_pack() -> PolicyPack:
    """Start serving (blocks): what the pack's __main__.py calls. The shared Analyze path
    (:mod:`.sdk_sharing`) serves these policies once its start-up probe agrees with the SDK."""
    served = policies()
    if sdk_sharing is not None:
        sdk_sharing.install(served)
    else:
        _log(f"running on the SDK's own Analyze path (sharing unavailable: {_SHARING_ERROR})")
    # Everything alive now (the SDK, grpc, protobuf, the engine, the catalogue: ~45,000 objects)
    # lives as long as the process. Left to the cyclic collector, every full collection walks
    # them again: 35-70 ms, a few times per few hundred requests that fill the pattern caches,
    # which is what a preview's slowest requests paid. Frozen, they are never walked.
    gc.freeze()
    return PolicyPack(name=PACK_NAME, policies=served,
                      description="cfhttps: insecure or broken HTTPS set-ups of Amazon CloudFront")
