"""Run the checks over distributions: configuration, variant merging, and the never-raise guard.

A front-end may produce several *variants* of one distribution (one per resolution of
``Fn::If`` conditions and parameter ``AllowedValues``). A finding that holds in every variant is
unconditional; one that holds in some is reported once with the condition under which it holds.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from . import memo
from .catalog import CATALOG
from .checks import CHECKS
from .config import Config
from .model import Distribution, Finding, Note, NoteKind


class Result:
    __slots__ = ("findings", "notes")

    def __init__(self, findings: List[Finding], notes: List[Note]) -> None:
        self.findings = findings
        self.notes = notes


def severity_for(code: str, config: Config) -> str:
    return CATALOG[code].severity_under(config)


def enabled_codes(config: Config) -> List[str]:
    """The rules the configuration leaves on (whether they have work to do aside)."""
    return [code for code in CATALOG if config.rule(code).enabled]


def active_codes(config: Config, codes: Optional[Iterable[str]] = None) -> List[str]:
    """The rules to run: ``codes`` (default: the enabled ones) whose prerequisite setting is
    set. Every door runs rules through here, so "does CFH007 run" has one answer."""
    chosen = enabled_codes(config) if codes is None else codes
    return [code for code in chosen if CATALOG[code].runs(config)]


def _new_plan(config: Config, codes: Optional[Tuple[str, ...]]) -> List[Tuple[str, str]]:
    return [(code, severity_for(code, config)) for code in active_codes(config, codes)]


# (configuration, codes) -> the plan. A Config is a value (frozen, hashable), so equal settings
# share a plan whatever object carries them. Worth remembering: ~13 us per evaluation otherwise,
# and a Pulumi pack evaluates every request under the same settings.
_PLANS = memo.table("engine.plans", 64)


def _plan(config: Config, codes: Optional[Iterable[str]]) -> List[Tuple[str, str]]:
    """(code, severity) of each rule to run: what depends on the settings alone (the check
    itself is looked up when it runs, so the table holds values only)."""
    key = (config, None if codes is None else tuple(codes))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS.remember(key, _new_plan(config, key[1]))
    return plan


_DEFAULT_CONFIG = Config()


def _run_plan(dist: Distribution, config: Config, plan) -> Tuple[List[Finding], List[Note]]:
    """Findings and notes of one distribution variant. Never raises. The one place a finding
    gets its severity (the catalogue's, or the configured one)."""
    findings: List[Finding] = []
    notes: List[Note] = list(dist.notes)
    for code, severity in plan:
        try:
            for item in CHECKS[code](dist, config):
                if item.__class__ is Finding:
                    findings.append(item.with_severity(severity))
                else:
                    notes.append(item)
        except Exception as exc:  # a bug must not take a door down: say so instead
            notes.append(Note(code=code, kind=NoteKind.INTERNAL_ERROR, resource=dist.name,
                              path=tuple(dist.path),
                              message=f"internal error in {code}: {type(exc).__name__}: {exc}"))
    return findings, notes


def _condition_label(fired: List[Distribution], all_variants: List[Distribution]) -> Optional[str]:
    """The fewest "variable value(s)" literals true wherever the finding holds and false elsewhere.

    A literal is a variable and the values it takes where the finding holds ("parameter P = a or
    b"), kept when those are not all its values. Greedy set cover over the variants where the
    finding does not hold; exact for the usual case of one condition or one parameter deciding
    the finding.
    """
    if len(fired) == len(all_variants):
        return None
    fired_ids = {id(v) for v in fired}
    others = [dict(v.scenario) for v in all_variants if id(v) not in fired_ids]
    fired_sc = [dict(v.scenario) for v in fired]
    literals: List[Tuple[str, Tuple[str, ...]]] = []
    for var in fired_sc[0]:
        values: List[str] = []
        for sc in fired_sc:
            value = sc.get(var)
            if value is None:
                break
            if value not in values:
                values.append(value)
        else:
            if any(sc.get(var) not in values for sc in others):
                literals.append((var, tuple(values)))
    chosen: List[Tuple[str, Tuple[str, ...]]] = []
    remaining = others
    while remaining and literals:
        # A variant that did not read the variable is not excluded by it.
        best = max(literals, key=lambda lit: sum(1 for s in remaining if _excludes(lit, s)))
        excluded = [s for s in remaining if _excludes(best, s)]
        if not excluded:
            break
        chosen.append(best)
        literals.remove(best)
        remaining = [s for s in remaining if not _excludes(best, s)]
    if not chosen or remaining:
        shown = f", e.g. when {fired[0].condition}" if fired[0].condition else ""
        return f"in some combinations of conditions/parameters{shown}"
    return " and ".join(_render(var, values) for var, values in chosen)


def _excludes(literal: Tuple[str, Tuple[str, ...]], scenario: Dict[str, str]) -> bool:
    value = scenario.get(literal[0])
    return value is not None and value not in literal[1]


def _render(var: str, values: Tuple[str, ...]) -> str:
    if len(values) == 1:
        return f"{var} {values[0]}"
    if all(v.startswith("= ") for v in values):
        return f"{var} = " + " or ".join(v[2:] for v in values)
    return f"{var} " + " or ".join(values)


def evaluate(distributions: Iterable[Distribution], config: Optional[Config] = None,
             codes: Optional[Iterable[str]] = None) -> Result:
    """Evaluate every distribution (variants grouped by name). Never raises."""
    config = config or _DEFAULT_CONFIG
    plan = _plan(config, codes)
    groups: Dict[str, List[Distribution]] = {}
    for dist in distributions:
        groups.setdefault(dist.name, []).append(dist)
    findings: List[Finding] = []
    notes: List[Note] = []
    for variants in groups.values():
        if len(variants) == 1:
            _merge_one(variants[0], config, plan, findings, notes)
        else:
            _merge_variants(variants, config, plan, findings, notes)
    return Result(findings, notes)


def _merge_one(dist: Distribution, config: Config, plan, findings: List[Finding],
               notes: List[Note]) -> None:
    """:func:`_merge_variants` for a distribution without variants (the usual case): each
    finding and note once, and a finding that holds in the only variant is unconditional."""
    f_list, n_list = _run_plan(dist, config, plan)
    seen = set()
    for f in f_list:
        k = f.key()
        if k not in seen:
            seen.add(k)
            findings.append(f if f.condition is None else f._replace(condition=None))
    noted: Dict[tuple, Note] = {}
    for n in n_list:
        noted.setdefault(n.key(), n)
    notes.extend(noted.values())


def _merge_variants(variants: List[Distribution], config: Config, plan,
                    findings: List[Finding], notes: List[Note]) -> None:
    """Findings and notes merged across the variants of one distribution, each told once and
    labelled with the condition under which it holds."""
    fired: Dict[tuple, Tuple[Finding, List[Distribution]]] = {}
    noted: Dict[tuple, Tuple[Note, List[Distribution]]] = {}
    for variant in variants:
        f_list, n_list = _run_plan(variant, config, plan)
        for items, found in ((f_list, fired), (n_list, noted)):
            seen_here = set()
            for item in items:
                k = item.key()
                if k in seen_here:
                    continue
                seen_here.add(k)
                if k in found:
                    found[k][1].append(variant)
                else:
                    found[k] = (item, [variant])
    # A note is labelled like a finding: with the condition under which it arises, and none
    # when every variant has it (an unconditional unknown is not "a problem only in dev").
    for merged, out in ((fired, findings), (noted, notes)):
        for item, held_in in merged.values():
            label = _condition_label(held_in, variants)
            out.append(item if item.condition == label else item._replace(condition=label))
