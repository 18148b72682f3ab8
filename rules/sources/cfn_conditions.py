"""CloudFormation conditions: what a named condition is worth in one scenario, and how the
variables a scenario fixes are named in a finding.

A *variable* is something the template itself does not decide:

- ``parameter``: a parameter with ``AllowedValues`` (each value is one variant);
- ``equals``: an ``Fn::Equals`` the template cannot decide (a parameter without
  ``AllowedValues`` — its ``Default`` is only a default —, a pseudo parameter, an import): true or
  false, one variable however many conditions are built on it, so mutually exclusive conditions
  are never judged true together;
- ``condition``: a condition whose definition cannot be read (missing, malformed, cyclic,
  nested beyond reason): true or false.

A *scenario* gives each variable one value; the front-end judges every scenario
(:func:`scenarios`) and a finding says under which values it holds (:func:`label`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any, Callable, Dict, Iterator, NamedTuple, Optional, Tuple

from ..model import Unknown
from .reader import is_list

# Every combination of the variables a distribution reads is judged up to this many; beyond it,
# each value of each variable one at a time (and a note says so).
MAX_VARIANTS = 256


class Variable(NamedTuple):
    """One thing a scenario fixes: ``kind`` is ``parameter``, ``equals`` or ``condition``."""

    kind: str
    name: str


Scenario = Dict[Variable, Any]


def scalar_text(value: Any) -> Any:
    """A scalar as CloudFormation compares and substitutes it (``true``, ``3``); others as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def equals_key(args: Any) -> str:
    """One name for one undecided Fn::Equals, however many conditions are built on it."""
    try:
        return json.dumps(args, sort_keys=True, default=str)
    except Exception:  # noqa: BLE001 (unorderable keys, or nested beyond the recursion limit)
        pass
    try:  # keys of mixed types: in the document's order, which is the same in every process
        return json.dumps(args, default=str)
    except Exception:  # noqa: BLE001 (nested beyond the recursion limit)
        # Never an object's id: it would reach a finding's condition text and differ between
        # processes. Such expressions share one name (and one true/false variable).
        return "<an Fn::Equals nested too deeply to name>"


class EqualsTables(NamedTuple):
    """What the template's ``Fn::Equals`` say, read once per template.

    ``names``: equals key → (the condition defined as it, or as its negation; negated?), so a
    finding names the condition the author wrote. ``parameters``: equals key → (parameter,
    literal) for an ``Fn::Equals`` between a ``Ref`` to a parameter without ``AllowedValues``
    and a literal, so the parameter's value follows the comparison's value.
    """

    names: Dict[str, Tuple[str, bool]]
    parameters: Dict[str, Tuple[str, str]]

    @classmethod
    def read(cls, template: Mapping) -> "EqualsTables":
        return cls(_equals_names(template), _equals_parameters(template))


def _equals_parameters(template: Mapping) -> Dict[str, Tuple[str, str]]:
    params = template.get("Parameters")
    params = params if isinstance(params, Mapping) else {}
    conds = template.get("Conditions")
    out: Dict[str, Tuple[str, str]] = {}
    stack = list(conds.values()) if isinstance(conds, Mapping) else []
    seen = 0
    while stack and seen < 10000:  # hostile templates: bounded walk
        seen += 1
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, args in node.items():
                if key == "Fn::Equals" and is_list(args) and len(args) == 2:
                    for ref, lit in ((args[0], args[1]), (args[1], args[0])):
                        name = ref.get("Ref") if isinstance(ref, Mapping) and len(ref) == 1 else None
                        param = params.get(name) if isinstance(name, str) else None
                        if isinstance(param, Mapping) and not param.get("AllowedValues") and \
                                isinstance(lit, (str, bool, int, float)):
                            out[equals_key(args)] = (name, scalar_text(lit))
                else:
                    stack.append(args)
        elif is_list(node):
            stack.extend(node)
    return out


def _equals_names(template: Mapping) -> Dict[str, Tuple[str, bool]]:
    conds = template.get("Conditions")
    out: Dict[str, Tuple[str, bool]] = {}
    if not isinstance(conds, Mapping):
        return out
    for name in sorted(conds, key=str):
        node, negated = conds[name], False
        if isinstance(node, Mapping) and len(node) == 1 and "Fn::Not" in node and \
                is_list(node["Fn::Not"]) and len(node["Fn::Not"]) == 1:
            node, negated = node["Fn::Not"][0], True
        if isinstance(node, Mapping) and len(node) == 1 and "Fn::Equals" in node:
            key = equals_key(node["Fn::Equals"])
            if key not in out or (out[key][1] and not negated):
                out[key] = (str(name), negated)
    return out


class Choices:
    """One scenario's values, and what reading the template under it revealed: the variables
    consulted that the scenario does not fix yet (each judged with its first value here, every
    value in the next round) and the named conditions evaluated, with their values."""

    __slots__ = ("scenario", "consulted", "evaluated")

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.consulted: Dict[Variable, list] = {}
        self.evaluated: Dict[str, bool] = {}

    def choose(self, var: Variable, values: list) -> Any:
        """The scenario's value of a variable, recording that the reader depends on it."""
        if var in self.scenario:
            return self.scenario[var]
        self.consulted.setdefault(var, values)
        return values[0]


# Resolves one side of an Fn::Equals with parameter Defaults ignored (in a condition a Default
# decides nothing): text when the template decides it, anything else when it does not. The
# second argument: the conditions being evaluated around it (an Fn::If in the operand that names
# one of them is a cycle).
Operand = Callable[[Any, Tuple[str, ...]], Any]


class Conditions:
    """The value of named conditions under one scenario (see the module docstring)."""

    __slots__ = ("definitions", "tables", "choices", "operand")

    def __init__(self, definitions: Mapping, tables: EqualsTables, choices: Choices,
                 operand: Operand) -> None:
        self.definitions = definitions
        self.tables = tables
        self.choices = choices
        self.operand = operand

    def value(self, name: str, active: Tuple[str, ...] = ()) -> bool:
        """The value of a named condition; ``active``: the conditions being evaluated around
        it (a cycle makes the condition a free variable)."""
        definition = self.definitions.get(name)
        choose = self.choices.choose
        if definition is None or name in active or len(active) > 20:
            value = choose(Variable("condition", name), [True, False])
        else:
            value = self._value_of(definition, active + (name,))
            if value is None:  # malformed: the condition itself is a free variable
                value = choose(Variable("condition", name), [True, False])
        self.choices.evaluated.setdefault(name, bool(value))
        return value

    def _value_of(self, node: Any, active: Tuple[str, ...], depth: int = 0) -> Optional[bool]:
        if depth > 50 or not (isinstance(node, Mapping) and len(node) == 1):
            return None  # malformed, or nested beyond reason
        (key, args), = node.items()
        if key == "Condition":
            return self.value(args, active) if isinstance(args, str) else None
        if key == "Fn::Not":
            if not (is_list(args) and len(args) == 1):
                return None
            inner = self._value_of(args[0], active, depth + 1)
            return None if inner is None else not inner
        if key in ("Fn::And", "Fn::Or"):
            if not is_list(args) or not args:
                return None
            want = key == "Fn::Or"  # the operand value that settles the whole
            for operand in args:
                inner = self._value_of(operand, active, depth + 1)
                if inner is None:
                    return None
                if inner is want:
                    return want
            return not want
        if key == "Fn::Equals":
            if not (is_list(args) and len(args) == 2):
                return None
            sides = [self.operand(a, active) for a in args]
            if all(isinstance(v, str) for v in sides):
                return sides[0] == sides[1]
            return self.choices.choose(Variable("equals", equals_key(args)), [True, False])
        return None

    def parameter_value(self, name: str, default: Any) -> Any:
        """A parameter's value in this scenario: what an undecided ``Fn::Equals`` on it fixes
        (true: the literal; false: not the literal, so not a Default equal to it), else its
        Default."""
        scenario = self.choices.scenario
        mine = [(key, literal) for key, (param, literal) in self.tables.parameters.items()
                if param == name]
        for key, literal in mine:
            if scenario.get(Variable("equals", key)) is True:
                return literal
        for key, literal in mine:
            if scenario.get(Variable("equals", key)) is False and literal == default:
                return Unknown(f"parameter {name}, not {literal!r} in this case",
                               same_as=("Ref", name))
        return default


def label(var: Variable, value: Any, tables: EqualsTables) -> Tuple[str, str]:
    """(what, its value) as a finding's condition names them; ``what`` is unique per variable."""
    kind, name = var
    if kind == "condition":
        return f"condition {name}", "is true" if value else "is false"
    if kind == "equals":
        named = tables.names.get(name)
        if named is not None:
            cond, negated = named
            return f"condition {cond}", "is true" if value != negated else "is false"
        pair = tables.parameters.get(name)
        if pair is not None:
            param, literal = pair
            if sum(1 for p, _ in tables.parameters.values() if p == param) == 1:
                return f"parameter {param}", f"= {literal!r}" if value else f"!= {literal!r}"
            return f"Fn::Equals [Ref {param}, {literal!r}]", "is true" if value else "is false"
        return f"Fn::Equals {name}", "is true" if value else "is false"
    return f"parameter {name}", f"= {value}"


def scenarios(variables: Dict[Variable, list]) -> Iterator[Tuple[Scenario, bool]]:
    """Every combination of the variables' values (partial=False) up to :data:`MAX_VARIANTS`;
    beyond it, every value of every variable one variable at a time (partial=True)."""
    keys = list(variables)
    total = 1
    for k in keys:
        total *= len(variables[k])
    if total <= MAX_VARIANTS:
        for combo in itertools.product(*(variables[k] for k in keys)):
            yield dict(zip(keys, combo)), False
        return
    base = {k: variables[k][0] for k in keys}
    yield dict(base), True
    for k in keys:
        for v in variables[k][1:]:
            s = dict(base)
            s[k] = v
            yield s, True
