"""CloudFormation template (a parsed dict) → distributions, one per variant.

The work is split by job: :mod:`.cfn_intrinsics` resolves intrinsic functions under one
scenario, :mod:`.cfn_conditions` evaluates conditions and names the variables a scenario fixes;
this module finds the distributions and enumerates their variants to a fixpoint:

- ``Ref`` to a parameter: its ``AllowedValues`` (each one a variant), else its ``Default``, else
  unknown. ``Fn::If``: the condition is evaluated from its definition (``Fn::Equals``,
  ``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Condition``) as far as the template decides it: an
  ``Fn::Equals`` over literals, mappings and parameters with ``AllowedValues`` follows those
  parameters' variants, so mutually exclusive conditions are never judged true together. An
  ``Fn::Equals`` the template cannot decide (a parameter without ``AllowedValues`` — its
  ``Default`` is only a default —, a pseudo parameter, an import) is a free variable: both values
  are judged, once for every condition built on it, and a finding says under which value it holds.
  A distribution with a resource ``Condition`` is judged only where that condition holds.
- ``Fn::Sub``, ``Fn::Join``, ``Fn::GetAtt`` … : see :mod:`.cfn_intrinsics`.
- VPC origins and response headers policies of the same template: see :mod:`.cfn_related`.
- Serverless Framework files (``resources: {Resources: …}``) are read the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from ..model import Distribution, Note, NoteKind, Path, Unknown
from . import cfn_related
from .builder import CFN_DEFAULT_ORIGIN_SSL, Builder
from .cfn_conditions import MAX_VARIANTS, Variable, label, scenarios
from .cfn_intrinsics import CfnReader, TemplateFacts
from .reader import MISSING, Prop, is_mapping

DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"
# Discovery rounds: a branch judged in one round may read variables no earlier round met.
MAX_ROUNDS = 32
_DISTRIBUTION_CONFIG = Prop("DistributionConfig")


class TemplateError(ValueError):
    """The document is not a CloudFormation template we can read."""


def resources_of(template: Any) -> Tuple[Mapping, Path]:
    """The Resources mapping and its path; raises TemplateError when there is none."""
    if not isinstance(template, Mapping):
        raise TemplateError(f"not a CloudFormation template: top level is "
                            f"{type(template).__name__}, not a mapping")
    res = template.get("Resources")
    if isinstance(res, Mapping):
        return res, ("Resources",)
    sls = template.get("resources")
    if isinstance(sls, Mapping) and isinstance(sls.get("Resources"), Mapping):
        return sls["Resources"], ("resources", "Resources")
    if res is not None:
        raise TemplateError(f"Resources is {type(res).__name__}, not a mapping")
    raise TemplateError("not a CloudFormation template: no Resources section")


class _Target(NamedTuple):
    """One ``AWS::CloudFront::Distribution`` resource to judge."""

    name: str
    path: Path
    resource: Mapping
    source: str


class _Round(NamedTuple):
    """What judging every scenario of one round gave."""

    distributions: List[Distribution]
    new_variables: Dict[Variable, list]  # read in this round, fixed by no scenario yet
    truncated: bool  # too many combinations: variables were varied one at a time
    failed: bool  # the distribution cannot be modelled: stop, the notes say why
    notes: List[Note]


def distributions(template: Any, source: str = "") -> Tuple[List[Distribution], List[Note]]:
    """Every ``AWS::CloudFront::Distribution`` of the template, one Distribution per variant.

    Raises :class:`TemplateError` only when the document is not a template at all.
    """
    resources, rpath = resources_of(template)
    facts: Optional[TemplateFacts] = None  # read once, when the first distribution needs them
    out: List[Distribution] = []
    notes: List[Note] = []
    for name, res in resources.items():
        if isinstance(name, str) and name.startswith("Fn::ForEach::") and _declares_distribution(res):
            notes.append(Note("input", NoteKind.INPUT,
                              f"{name} (AWS::LanguageExtensions) creates distributions that are "
                              f"not judged: Fn::ForEach is not expanded", name, rpath + (name,)))
            continue
        if not isinstance(res, Mapping) or res.get("Type") != DISTRIBUTION_TYPE:
            continue
        name = str(name)
        path = rpath + (name,)
        props = res.get("Properties", MISSING)
        if props is MISSING or props is None:
            notes.append(Note("input", NoteKind.INPUT, "distribution has no Properties; skipped",
                              name, path))
            continue
        if facts is None:
            facts = TemplateFacts.read(template, resources, rpath)
        target = _Target(name, path, res, source)
        variables: Dict[Variable, list] = {}
        for _round in range(MAX_ROUNDS):
            # Discover the conditions/parameters the distribution really reads, then judge every
            # combination of them; a branch may reveal further variables, hence the rounds.
            result = _judge_round(facts, target, variables)
            notes.extend(result.notes)
            if result.failed or not result.new_variables:
                break
            variables.update(result.new_variables)
        out.extend(result.distributions)
        if not result.distributions and not result.failed and isinstance(res.get("Condition"), str):
            notes.append(Note("input", NoteKind.INPUT,
                              f"created only when condition {res['Condition']} holds, "
                              f"which it never does: not judged", name, path))
        if result.truncated:
            notes.append(Note("input", NoteKind.INPUT,
                              f"more than {MAX_VARIANTS} combinations of conditions and "
                              f"parameters: each value was judged one variable at a time",
                              name, path))
    return out, _dedupe(notes)


def _declares_distribution(node: Any, depth: int = 0) -> bool:
    """Does an ``Fn::ForEach`` fragment hold an ``AWS::CloudFront::Distribution`` resource?"""
    if depth > 12:
        return False
    if isinstance(node, Mapping):
        return node.get("Type") == DISTRIBUTION_TYPE or any(
            _declares_distribution(v, depth + 1) for v in node.values())
    if isinstance(node, list):
        return any(_declares_distribution(v, depth + 1) for v in node)
    return False


def _judge_round(facts: TemplateFacts, target: _Target, variables: Dict[Variable, list]) -> _Round:
    """Model the distribution under every scenario of ``variables``."""
    res, name = target.resource, target.name
    props = res.get("Properties", MISSING)
    exists_if = res.get("Condition")  # the resource is created only where this holds
    built: List[Distribution] = []
    new_vars: Dict[Variable, list] = {}
    truncated = False
    for scenario, partial in scenarios(variables):
        truncated = truncated or partial
        reader = CfnReader.for_scenario(facts, scenario)
        consulted = reader.choices.consulted
        if isinstance(exists_if, str) and not reader.conditions.value(exists_if):
            for k, v in consulted.items():  # not created here: nothing to judge
                if k not in variables:
                    new_vars.setdefault(k, v)
            continue
        pnode, ppath = reader.resolve(props, target.path + ("Properties",))
        if not is_mapping(pnode):
            what = "unknown" if isinstance(pnode, Unknown) else (
                "absent" if pnode is MISSING else type(pnode).__name__)
            return _Round([], {}, truncated, True, [Note(
                "input", NoteKind.INPUT, f"Properties is {what}, not a mapping; skipped",
                name, ppath)])
        dc, dpath = reader.get(pnode, _DISTRIBUTION_CONFIG, ppath)
        if dc is MISSING:
            return _Round([], {}, truncated, True, [Note(
                "input", NoteKind.INPUT, "no DistributionConfig; skipped", name, dpath)])
        labels = [label(k, v, facts.equals) for k, v in scenario.items()]
        cond = " and ".join(f"{a} {b}" for a, b in labels) or None
        builder = Builder(reader, name, ssl_default=CFN_DEFAULT_ORIGIN_SSL,
                          related=cfn_related.related(reader))
        dist = builder.build(dc, dpath, condition=cond, scenario=tuple(labels),
                             tags=(pnode, ppath))
        if dist is not None:
            # The named conditions this variant read, as facts a finding's condition may cite
            # (a condition decided by several variables names their combination in one word).
            heads = {head for head, _ in labels}
            dist.scenario = dist.scenario + tuple(
                (f"condition {c}", "is true" if v else "is false")
                for c, v in sorted(reader.choices.evaluated.items())
                if f"condition {c}" not in heads)
        for k, v in consulted.items():
            if k not in variables:
                new_vars.setdefault(k, v)
        if dist is None:
            return _Round([], new_vars, truncated, True, list(builder.notes))
        dist.source = target.source
        built.append(dist)
    return _Round(built, new_vars, truncated, False, [])


def _dedupe(notes: List[Note]) -> List[Note]:
    seen = set()
    out = []
    for n in notes:
        k = n.key()
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out
