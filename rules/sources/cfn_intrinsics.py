"""CloudFormation intrinsic functions resolved under one scenario.

- ``Ref`` to a parameter: its ``AllowedValues`` (a variable, see :mod:`.cfn_conditions`), else
  its ``Default`` (or what an undecided ``Fn::Equals`` on it says in this scenario), else unknown.
  ``Fn::If``: the branch the scenario's value of the condition selects, its path recorded.
- ``Fn::Sub``/``Fn::Join``/``Fn::Select``/``Fn::Split``/``Fn::FindInMap``: values or symbolic
  strings. ``Fn::GetAtt Bucket.WebsiteURL`` is an S3 website URL; ``DomainName``,
  ``RegionalDomainName``, ``DualStackDomainName`` are S3 REST hosts (facts: "S3 endpoint host
  names"). ``Fn::ImportValue`` and everything else unknown is :class:`Unknown`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, List, NamedTuple, Optional, Tuple

from ..model import Path, Symbolic, Unknown
from .cfn_conditions import Choices, Conditions, EqualsTables, Scenario, Variable, scalar_text
from .reader import MISSING, Reader, is_list

BUCKET_TYPE = "AWS::S3::Bucket"
# Intrinsics nested deeper than this (Fn::Join in Fn::Select in ...) are unknown, not a crash.
MAX_DEPTH = 50

_PSEUDO_TOKENS = {"AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::Partition",
                  "AWS::URLSuffix"}
_SUB_RE = re.compile(r"\$\{([^}]*)\}")


def _section(template: Mapping, name: str) -> Mapping:
    value = template.get(name)
    return value if isinstance(value, Mapping) else {}


class TemplateFacts(NamedTuple):
    """The parts of a template every scenario reads, gathered once per template."""

    resources: Mapping
    resources_path: Path
    parameters: Mapping
    mappings: Mapping
    conditions: Mapping
    equals: EqualsTables

    @classmethod
    def read(cls, template: Mapping, resources: Mapping, resources_path: Path) -> "TemplateFacts":
        return cls(resources, resources_path, _section(template, "Parameters"),
                   _section(template, "Mappings"), _section(template, "Conditions"),
                   EqualsTables.read(template))


class CfnReader(Reader):
    """Resolves intrinsics under one scenario (condition and parameter choices).

    An ``Fn::Equals`` operand is read by a reader of its own: ``parameter_defaults`` False (in a
    condition a parameter's ``Default`` decides nothing) and ``active`` naming the conditions
    being evaluated around it, so an ``Fn::If`` on one of them is a cycle, not a recursion
    without end. All readers of a scenario share its :class:`Choices` and :class:`Conditions`.
    """

    def __init__(self, facts: TemplateFacts, choices: Choices,
                 conditions: Optional[Conditions] = None, parameter_defaults: bool = True,
                 active: Tuple[str, ...] = ()):
        self.facts = facts
        self.choices = choices
        self.parameter_defaults = parameter_defaults
        self.active = active
        if conditions is None:
            conditions = Conditions(facts.conditions, facts.equals, choices, self._operand)
        self.conditions = conditions

    @classmethod
    def for_scenario(cls, facts: TemplateFacts, scenario: Scenario) -> "CfnReader":
        return cls(facts, Choices(scenario))

    def _operand(self, node: Any, active: Tuple[str, ...]) -> Any:
        """A side of Fn::Equals as text when the template decides it, else not a string."""
        reader = CfnReader(self.facts, self.choices, self.conditions, parameter_defaults=False,
                           active=active)
        value = reader.value(node, ())
        return scalar_text(value) if isinstance(value, (str, bool, int, float)) else value

    # -- helpers --------------------------------------------------------------------------
    def resource_type(self, name: str) -> Optional[str]:
        res = self.facts.resources.get(name)
        if isinstance(res, Mapping) and isinstance(res.get("Type"), str):
            return res["Type"]
        return None

    def value(self, node: Any, path: Path, depth: int = 0) -> Any:
        """The resolved value of a node: a string, a symbolic string, a list, a mapping…"""
        return self.resolve(node, path, depth)[0]

    def text(self, node: Any, path: Path, depth: int = 0) -> Any:
        """The node as a string: text, a symbolic string, or :class:`Unknown`."""
        return _part(self.resolve(node, path, depth)[0])

    # -- the functions --------------------------------------------------------------------
    def ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("Ref to a non-string")
        if name == "AWS::NoValue":
            return MISSING
        same = ("Ref", name)  # one value per deployment: equal to itself (model.same_value)
        if name in _PSEUDO_TOKENS:
            return Unknown(name, token=True, same_as=same)
        if name.startswith("AWS::"):
            return Unknown(name, same_as=same)
        params = self.facts.parameters
        if name in params:
            param = params[name]
            if isinstance(param, Mapping):
                allowed = param.get("AllowedValues")
                if is_list(allowed) and allowed:
                    values = []
                    for v in allowed:
                        v = scalar_text(v)
                        if v not in values:
                            values.append(v)
                    return self.choices.choose(Variable("parameter", name), values)
                if "Default" in param and self.parameter_defaults:
                    default = param["Default"]
                    ptype = param.get("Type")
                    if isinstance(ptype, str) and ptype.startswith(("List<", "CommaDelimitedList")) \
                            and isinstance(default, str):
                        return [s.strip() for s in default.split(",")]
                    return self.conditions.parameter_value(name, scalar_text(default))
            return Unknown(f"parameter {name}", same_as=same)
        rtype = self.resource_type(name)
        if rtype == BUCKET_TYPE:
            return Unknown(name, token=True, same_as=same)
        if rtype is not None:
            return Unknown(name, same_as=same)
        return Unknown(f"Ref to undefined {name}")

    def getatt(self, args: Any) -> Any:
        if isinstance(args, str) and "." in args:
            args = args.split(".", 1)
        if not is_list(args) or len(args) != 2:
            return Unknown("malformed Fn::GetAtt")
        res, attr = args
        if not isinstance(res, str) or not isinstance(attr, str):
            return Unknown("Fn::GetAtt with computed names")
        if self.resource_type(res) == BUCKET_TYPE:
            b = Unknown(res, token=True, same_as=("Ref", res))
            region = Unknown("AWS::Region", token=True, same_as=("Ref", "AWS::Region"))
            if attr == "WebsiteURL":
                return Symbolic(["http://", b, ".s3-website.", region, ".amazonaws.com"])
            if attr == "DomainName":
                return Symbolic([b, ".s3.amazonaws.com"])
            if attr == "RegionalDomainName":
                return Symbolic([b, ".s3.", region, ".amazonaws.com"])
            if attr == "DualStackDomainName":
                return Symbolic([b, ".s3.dualstack.", region, ".amazonaws.com"])
        # May be a URL: not a token that Fn::Split can keep whole.
        return Unknown(f"{res}.{attr}", same_as=("Fn::GetAtt", res, attr))

    def sub(self, args: Any, path: Path, depth: int) -> Any:
        variables: Mapping = {}
        if is_list(args):
            if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], Mapping):
                return Unknown("malformed Fn::Sub")
            template, variables = args
        elif isinstance(args, str):
            template = args
        else:
            return Unknown("malformed Fn::Sub")
        parts: List[Any] = []
        pos = 0
        for m in _SUB_RE.finditer(template):
            parts.append(template[pos:m.start()])
            pos = m.end()
            name = m.group(1).strip()
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
                continue
            if name in variables:
                value = self.text(variables[name], path + (1, name), depth)
            elif "." in name and not name.startswith("AWS::"):
                value = self.getatt(name.split(".", 1))
            else:
                value = self.ref(name)
            parts.append(_part(value))
        parts.append(template[pos:])
        return _join(parts)

    def join(self, args: Any, path: Path, depth: int) -> Any:
        if not is_list(args) or len(args) != 2 or not isinstance(args[0], str):
            return Unknown("malformed Fn::Join")
        delim = args[0]
        values = self.value(args[1], path + (1,), depth)
        if not is_list(values):
            return _opaque("Fn::Join over an unknown list", "Fn::Join", args)
        parts: List[Any] = []
        for i, v in enumerate(values):
            if i:
                parts.append(delim)
            parts.append(self.text(v, path + (1, i), depth))
        return _join(parts)

    def split(self, args: Any, path: Path, depth: int) -> Any:
        if not is_list(args) or len(args) != 2 or not isinstance(args[0], str) or not args[0]:
            return Unknown("malformed Fn::Split")
        delim = args[0]
        source = self.value(args[1], path + (1,), depth)
        if isinstance(source, str):
            return source.split(delim)
        if isinstance(source, Symbolic):
            # Holes that are name-like tokens never contain these delimiters.
            if not all(p.token for p in source.parts if isinstance(p, Unknown)) or \
                    any(c not in "/:, " for c in delim):
                return _opaque("Fn::Split of a partly unknown string", "Fn::Split", args)
            pieces: List[List[Any]] = [[]]
            for p in source.parts:
                if isinstance(p, str):
                    chunks = p.split(delim)
                    pieces[-1].append(chunks[0])
                    for chunk in chunks[1:]:
                        pieces.append([chunk])
                else:
                    pieces[-1].append(p)
            return [_join(piece) for piece in pieces]
        return _opaque("Fn::Split of an unknown string", "Fn::Split", args)

    def select(self, args: Any, path: Path, depth: int) -> Any:
        if not is_list(args) or len(args) != 2:
            return Unknown("malformed Fn::Select")
        index = self.value(args[0], path + (0,), depth)
        values = self.value(args[1], path + (1,), depth)
        try:
            index = int(index)
        except (TypeError, ValueError):
            return _opaque("Fn::Select with an unknown index", "Fn::Select", args)
        if is_list(values) and 0 <= index < len(values):
            return self.value(values[index], path + (1, index), depth)
        return _opaque("Fn::Select from an unknown list", "Fn::Select", args)

    def find_in_map(self, args: Any, path: Path, depth: int) -> Any:
        if not is_list(args) or len(args) not in (3, 4):
            return Unknown("malformed Fn::FindInMap")
        keys = [self.value(a, path + (i,), depth) for i, a in enumerate(args[:3])]
        if not all(isinstance(k, str) for k in keys):
            return Unknown("Fn::FindInMap with unknown keys")
        level: Any = self.facts.mappings
        for k in keys:
            if not isinstance(level, Mapping) or k not in level:
                # AWS::LanguageExtensions: a 4th argument {DefaultValue: v} is what CloudFormation
                # deploys when a key is missing (AWS docs, "Fn::FindInMap enhancements").
                fallback = args[3] if len(args) == 4 else None
                if isinstance(fallback, Mapping) and list(fallback) == ["DefaultValue"]:
                    return self.value(fallback["DefaultValue"], path + (3, "DefaultValue"), depth)
                return Unknown(f"Fn::FindInMap {'/'.join(keys)} not found")
            level = level[k]
        return level

    _HANDLERS = {"Fn::Sub": sub, "Fn::Join": join, "Fn::Split": split, "Fn::Select": select,
                 "Fn::FindInMap": find_in_map}

    # -- the resolver ---------------------------------------------------------------------
    def resolve(self, node: Any, path: Path, depth: int = 0) -> Tuple[Any, Path]:
        """(value, path of the value): ``Fn::If`` branches are followed and their path kept;
        ``depth`` counts the functions this node is nested in."""
        for _ in range(64):  # nested Fn::If chains; deeper is treated as unknown
            if not (isinstance(node, Mapping) and len(node) == 1):
                return node, path
            (key, args), = node.items()
            if key == "Fn::If":
                if not is_list(args) or len(args) != 3 or not isinstance(args[0], str):
                    return Unknown("malformed Fn::If"), path
                branch = 1 if self.conditions.value(args[0], self.active) else 2
                node, path = args[branch], path + ("Fn::If", branch)
                continue
            if key == "Ref":
                return self.ref(args), path
            handler = self._HANDLERS.get(key)
            if handler is not None:
                if depth >= MAX_DEPTH:
                    return Unknown(f"{key} nested too deeply"), path
                return handler(self, args, path + (key,), depth + 1), path
            if key == "Fn::GetAtt":
                return self.getatt(args), path
            if isinstance(key, str) and key.startswith("Fn::"):
                return _opaque(key, key, args), path
            return node, path
        return Unknown("Fn::If nested too deeply"), path


def _opaque(reason: str, key: str, args: Any) -> Unknown:
    """An expression the reader cannot resolve (``Fn::ImportValue``, ``Fn::Select`` with an
    unknown index …): unknown, but the same expression is the same value in one deployment."""
    return Unknown(reason, same_as=_expression_name(key, args))


def _expression_name(key: str, args: Any) -> Optional[str]:
    """The expression written out canonically: short and long forms, and an ``Fn::Sub``
    without variables, read the same. None when it cannot be written out."""
    try:
        return json.dumps(_canonical({key: args}, 0), sort_keys=True)
    except (TypeError, ValueError, RecursionError):
        return None


def _canonical(node: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(node, Mapping):
        if len(node) == 1:
            (key, args), = node.items()
            if key == "Fn::GetAtt" and isinstance(args, str) and "." in args:
                args = args.split(".", 1)
            elif key == "Fn::Sub" and is_list(args) and len(args) == 2 and args[1] == {}:
                args = args[0]
            if not isinstance(key, str):
                raise ValueError("non-string key")
            return {key: _canonical(args, depth + 1)}
        if not all(isinstance(k, str) for k in node):
            raise ValueError("non-string keys")
        return {k: _canonical(v, depth + 1) for k, v in node.items()}
    if is_list(node):
        return [_canonical(v, depth + 1) for v in node]
    return node


def _part(value: Any) -> Any:
    """A value inside a string: text as is, numbers as text, anything else unknown."""
    if isinstance(value, (str, Symbolic, Unknown)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return Unknown("non-string in a string")


def _join(parts: List[Any]) -> Any:
    sym = Symbolic(parts)
    literal = sym.literal()
    return literal if literal is not None else sym
