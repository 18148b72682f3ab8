"""CloudFormation template (a parsed dict) → distributions, following intrinsics.

- ``Ref`` to a parameter: its ``AllowedValues`` (each one a variant), else its ``Default``, else
  unknown. ``Fn::If``: the condition is evaluated from its definition (``Fn::Equals``,
  ``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Condition``) as far as the template decides it: an
  ``Fn::Equals`` over literals, mappings and parameters with ``AllowedValues`` follows those
  parameters' variants, so mutually exclusive conditions are never judged true together. An
  ``Fn::Equals`` the template cannot decide (a parameter without ``AllowedValues`` — its
  ``Default`` is only a default —, a pseudo parameter, an import) is a free variable: both values
  are judged, once for every condition built on it, and a finding says under which value it holds.
  A distribution with a resource ``Condition`` is judged only where that condition holds.
- ``Fn::Sub``/``Fn::Join``/``Fn::Select``/``Fn::Split``/``Fn::FindInMap``: values or symbolic
  strings. ``Fn::GetAtt Bucket.WebsiteURL`` is an S3 website URL; ``DomainName``,
  ``RegionalDomainName``, ``DualStackDomainName`` are S3 REST hosts (facts: "S3 endpoint host
  names"). ``Fn::ImportValue`` and everything else unknown is :class:`Unknown`.
- Serverless Framework files (``resources: {Resources: …}``) are read the same way.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple

from ..model import Distribution, Note, NoteKind, Path, Symbolic, Unknown
from ._builder import CFN_DEFAULT_ORIGIN_SSL, MISSING, Builder, Reader, is_list, is_mapping

DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"
BUCKET_TYPE = "AWS::S3::Bucket"
# Every combination of the variables a distribution reads is judged up to this many; beyond it,
# each value of each variable one at a time (and a note says so).
MAX_VARIANTS = 256

_PSEUDO_TOKENS = {"AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::Partition",
                  "AWS::URLSuffix"}
_SUB_RE = re.compile(r"\$\{([^}]*)\}")


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


class CfnReader(Reader):
    """Resolves intrinsics under one scenario (condition and parameter choices)."""

    def __init__(self, template: Mapping, resources: Mapping, scenario: Dict[str, Any],
                 equals_parameters: Optional[Dict[str, Tuple[str, str]]] = None):
        self.template = template
        # Undecided Fn::Equals between a parameter and a literal: its value in a scenario says
        # what the parameter is (true) or is not (false).
        self.equals_parameters = equals_parameters or {}
        self.resources = resources
        self.scenario = scenario
        params = template.get("Parameters")
        self.parameters = params if isinstance(params, Mapping) else {}
        maps = template.get("Mappings")
        self.mappings = maps if isinstance(maps, Mapping) else {}
        conds = template.get("Conditions")
        self.conditions = conds if isinstance(conds, Mapping) else {}
        self.depth = 0
        self.consulted: Dict[tuple, list] = {}
        self.strict_parameters = False  # in a condition a Default decides nothing
        self.evaluated: Dict[str, bool] = {}  # named conditions read, and their values here

    def choose(self, key: tuple, values: list) -> Any:
        """The scenario's value of a variable, recording that this resource depends on it."""
        if key in self.scenario:
            return self.scenario[key]
        self.consulted.setdefault(key, values)
        return values[0]

    def _as_conditions_say(self, name: str, default: Any) -> Any:
        """A parameter's value in this scenario: what an undecided ``Fn::Equals`` on it fixes
        (true: the literal; false: not the literal, so not a Default equal to it), else its
        Default."""
        mine = [(key, literal) for key, (param, literal) in self.equals_parameters.items()
                if param == name]
        for key, literal in mine:
            if self.scenario.get(("equals", key)) is True:
                return literal
        for key, literal in mine:
            if self.scenario.get(("equals", key)) is False and literal == default:
                return Unknown(f"parameter {name}, not {literal!r} in this case")
        return default

    # -- conditions -----------------------------------------------------------------------
    def condition(self, name: str, active: Tuple[str, ...] = ()) -> bool:
        """The value of a named condition in this scenario (see the module docstring)."""
        definition = self.conditions.get(name)
        if definition is None or name in active or len(active) > 20:
            value = self.choose(("condition", name), [True, False])
        else:
            value = self._condition_value(definition, active + (name,))
            if value is None:  # malformed: the condition itself is a free variable
                value = self.choose(("condition", name), [True, False])
        self.evaluated.setdefault(name, bool(value))
        return value

    def _condition_value(self, node: Any, active: Tuple[str, ...], depth: int = 0) -> Optional[bool]:
        if depth > 50 or not (isinstance(node, Mapping) and len(node) == 1):
            return None  # malformed, or nested beyond reason
        (key, args), = node.items()
        if key == "Condition":
            return self.condition(args, active) if isinstance(args, str) else None
        if key == "Fn::Not":
            if not (is_list(args) and len(args) == 1):
                return None
            inner = self._condition_value(args[0], active, depth + 1)
            return None if inner is None else not inner
        if key in ("Fn::And", "Fn::Or"):
            if not is_list(args) or not args:
                return None
            want = key == "Fn::Or"  # the operand value that settles the whole
            for operand in args:
                inner = self._condition_value(operand, active, depth + 1)
                if inner is None:
                    return None
                if inner is want:
                    return want
            return not want
        if key == "Fn::Equals":
            if not (is_list(args) and len(args) == 2):
                return None
            sides = [self._condition_operand(a) for a in args]
            if all(isinstance(v, str) for v in sides):
                return sides[0] == sides[1]
            return self.choose(("equals", _equals_key(args)), [True, False])
        return None

    def _condition_operand(self, node: Any) -> Any:
        """A side of Fn::Equals as text when the template decides it, else not a string."""
        self.strict_parameters, before = True, self.strict_parameters
        try:
            value, _ = self.resolve(node, ())
        finally:
            self.strict_parameters = before
        return _scalar_text(value) if isinstance(value, (str, bool, int, float)) else value

    # -- helpers --------------------------------------------------------------------------
    def _resource_type(self, name: str) -> Optional[str]:
        res = self.resources.get(name)
        if isinstance(res, Mapping) and isinstance(res.get("Type"), str):
            return res["Type"]
        return None

    def ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("Ref to a non-string")
        if name == "AWS::NoValue":
            return MISSING
        if name in _PSEUDO_TOKENS:
            return Unknown(name, token=True)
        if name.startswith("AWS::"):
            return Unknown(name)
        if name in self.parameters:
            param = self.parameters[name]
            if isinstance(param, Mapping):
                allowed = param.get("AllowedValues")
                if is_list(allowed) and allowed:
                    values = []
                    for v in allowed:
                        v = _scalar_text(v)
                        if v not in values:
                            values.append(v)
                    return self.choose(("parameter", name), values)
                if "Default" in param and not self.strict_parameters:
                    default = param["Default"]
                    ptype = param.get("Type")
                    if isinstance(ptype, str) and ptype.startswith(("List<", "CommaDelimitedList")) \
                            and isinstance(default, str):
                        return [s.strip() for s in default.split(",")]
                    return self._as_conditions_say(name, _scalar_text(default))
            return Unknown(f"parameter {name}")
        rtype = self._resource_type(name)
        if rtype == BUCKET_TYPE:
            return Unknown(name, token=True)
        if rtype is not None:
            return Unknown(name)
        return Unknown(f"Ref to undefined {name}")

    def getatt(self, args: Any) -> Any:
        if isinstance(args, str) and "." in args:
            args = args.split(".", 1)
        if not is_list(args) or len(args) != 2:
            return Unknown("malformed Fn::GetAtt")
        res, attr = args
        if not isinstance(res, str) or not isinstance(attr, str):
            return Unknown("Fn::GetAtt with computed names")
        if self._resource_type(res) == BUCKET_TYPE:
            b = Unknown(res, token=True)
            region = Unknown("AWS::Region", token=True)
            if attr == "WebsiteURL":
                return Symbolic(["http://", b, ".s3-website.", region, ".amazonaws.com"])
            if attr == "DomainName":
                return Symbolic([b, ".s3.amazonaws.com"])
            if attr == "RegionalDomainName":
                return Symbolic([b, ".s3.", region, ".amazonaws.com"])
            if attr == "DualStackDomainName":
                return Symbolic([b, ".s3.dualstack.", region, ".amazonaws.com"])
        return Unknown(f"{res}.{attr}")  # may be a URL: not a token that Fn::Split can keep whole

    def text(self, node: Any, path: Path) -> Any:
        value, _ = self.resolve(node, path)
        return value

    def sub(self, args: Any, path: Path) -> Any:
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
                value = self.text(variables[name], path + (1, name))
            elif "." in name and not name.startswith("AWS::"):
                value = self.getatt(name.split(".", 1))
            else:
                value = self.ref(name)
            parts.append(_part(value))
        parts.append(template[pos:])
        return _join(parts)

    def join(self, args: Any, path: Path) -> Any:
        if not is_list(args) or len(args) != 2 or not isinstance(args[0], str):
            return Unknown("malformed Fn::Join")
        delim = args[0]
        values = self.text(args[1], path + (1,))
        if not is_list(values):
            return Unknown("Fn::Join over an unknown list")
        parts: List[Any] = []
        for i, v in enumerate(values):
            if i:
                parts.append(delim)
            parts.append(_part(self.text(v, path + (1, i))))
        return _join(parts)

    def split(self, args: Any, path: Path) -> Any:
        if not is_list(args) or len(args) != 2 or not isinstance(args[0], str) or not args[0]:
            return Unknown("malformed Fn::Split")
        delim = args[0]
        source = self.text(args[1], path + (1,))
        if isinstance(source, str):
            return source.split(delim)
        if isinstance(source, Symbolic):
            # Holes that are name-like tokens never contain these delimiters.
            if not all(p.token for p in source.parts if isinstance(p, Unknown)) or \
                    any(c not in "/:, " for c in delim):
                return Unknown("Fn::Split of a partly unknown string")
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
        return Unknown("Fn::Split of an unknown string")

    def select(self, args: Any, path: Path) -> Any:
        if not is_list(args) or len(args) != 2:
            return Unknown("malformed Fn::Select")
        index = self.text(args[0], path + (0,))
        values = self.text(args[1], path + (1,))
        try:
            index = int(index)
        except (TypeError, ValueError):
            return Unknown("Fn::Select with an unknown index")
        if is_list(values) and 0 <= index < len(values):
            return self.text(values[index], path + (1, index))
        return Unknown("Fn::Select from an unknown list")

    def find_in_map(self, args: Any, path: Path) -> Any:
        if not is_list(args) or len(args) not in (3, 4):
            return Unknown("malformed Fn::FindInMap")
        keys = [self.text(a, path + (i,)) for i, a in enumerate(args[:3])]
        if not all(isinstance(k, str) for k in keys):
            return Unknown("Fn::FindInMap with unknown keys")
        level: Any = self.mappings
        for k in keys:
            if not isinstance(level, Mapping) or k not in level:
                return Unknown(f"Fn::FindInMap {'/'.join(keys)} not found")
            level = level[k]
        return level

    # -- the resolver ---------------------------------------------------------------------
    def resolve(self, node: Any, path: Path) -> Tuple[Any, Path]:
        for _ in range(64):  # nested Fn::If chains; deeper is treated as unknown
            if not (isinstance(node, Mapping) and len(node) == 1):
                return node, path
            (key, args), = node.items()
            if key == "Fn::If":
                if not is_list(args) or len(args) != 3 or not isinstance(args[0], str):
                    return Unknown("malformed Fn::If"), path
                branch = 1 if self.condition(args[0]) else 2
                node, path = args[branch], path + ("Fn::If", branch)
                continue
            if key == "Ref":
                value = self.ref(args)
                return value, path
            handler = {
                "Fn::Sub": self.sub, "Fn::Join": self.join, "Fn::Split": self.split,
                "Fn::Select": self.select, "Fn::FindInMap": self.find_in_map,
            }.get(key)
            if handler is not None:
                self.depth += 1
                try:
                    if self.depth > 50:
                        return Unknown(f"{key} nested too deeply"), path
                    return handler(args, path + (key,)), path
                finally:
                    self.depth -= 1
            if key == "Fn::GetAtt":
                return self.getatt(args), path
            if isinstance(key, str) and key.startswith("Fn::"):
                return Unknown(key), path
            return node, path
        return Unknown("Fn::If nested too deeply"), path


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _part(value: Any) -> Any:
    if isinstance(value, (str, Symbolic, Unknown)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return Unknown("non-string in a string")


def _join(parts: List[Any]) -> Any:
    sym = Symbolic(parts)
    literal = sym.literal()
    return literal if literal is not None else sym


# --------------------------------------------------------------------------- variables

def _equals_key(args: Any) -> str:
    """One name for one undecided Fn::Equals, however many conditions are built on it."""
    try:
        return json.dumps(args, sort_keys=True, default=str)
    except Exception:  # noqa: BLE001 (unorderable keys, or nested beyond the recursion limit)
        return f"#{id(args)}"  # stable while the template is being read


def _equals_parameters(template: Mapping) -> Dict[str, Tuple[str, str]]:
    """Every Fn::Equals in the template's conditions between a Ref to a parameter without
    AllowedValues and a literal: key → (parameter, literal as text)."""
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
                            out[_equals_key(args)] = (name, _scalar_text(lit))
                else:
                    stack.append(args)
        elif is_list(node):
            stack.extend(node)
    return out


def _equals_names(template: Mapping) -> Dict[str, Tuple[str, bool]]:
    """Undecided Fn::Equals → (the condition defined as it, or as its negation; negated?)."""
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
            key = _equals_key(node["Fn::Equals"])
            if key not in out or (out[key][1] and not negated):
                out[key] = (str(name), negated)
    return out


def _label(var: tuple, value: Any, equals_names: Optional[Dict[str, Tuple[str, bool]]] = None,
           equals_parameters: Optional[Dict[str, Tuple[str, str]]] = None) -> Tuple[str, str]:
    """(what, its value) as a finding's condition names them; ``what`` is unique per variable."""
    kind, name = var
    if kind == "condition":
        return f"condition {name}", "is true" if value else "is false"
    if kind == "equals":
        named = (equals_names or {}).get(name)
        if named is not None:
            cond, negated = named
            return f"condition {cond}", "is true" if value != negated else "is false"
        pair = (equals_parameters or {}).get(name)
        if pair is not None:
            param, literal = pair
            if sum(1 for p, _ in equals_parameters.values() if p == param) == 1:
                return f"parameter {param}", f"= {literal!r}" if value else f"!= {literal!r}"
            return f"Fn::Equals [Ref {param}, {literal!r}]", "is true" if value else "is false"
        return f"Fn::Equals {name}", "is true" if value else "is false"
    return f"parameter {name}", f"= {value}"


def _scenarios(variables: Dict[tuple, list]):
    keys = list(variables)
    total = 1
    for k in keys:
        total *= len(variables[k])
    if total <= MAX_VARIANTS:
        for combo in itertools.product(*(variables[k] for k in keys)):
            yield dict(zip(keys, combo)), False
        return
    # Too many combinations: every value of every variable, one variable at a time.
    base = {k: variables[k][0] for k in keys}
    yield dict(base), True
    for k in keys:
        for v in variables[k][1:]:
            s = dict(base)
            s[k] = v
            yield s, True


# --------------------------------------------------------------------------- entry point

def distributions(template: Any, source: str = "") -> Tuple[List[Distribution], List[Note]]:
    """Every ``AWS::CloudFront::Distribution`` of the template, one Distribution per variant.

    Raises :class:`TemplateError` only when the document is not a template at all.
    """
    resources, rpath = resources_of(template)
    tables = None  # the template's Fn::Equals names and parameters: read once, when needed
    out: List[Distribution] = []
    notes: List[Note] = []
    for name, res in resources.items():
        if not isinstance(res, Mapping) or res.get("Type") != DISTRIBUTION_TYPE:
            continue
        name = str(name)
        path = rpath + (name,)
        props = res.get("Properties", MISSING)
        if props is MISSING or props is None:
            notes.append(Note("input", NoteKind.INPUT, "distribution has no Properties; skipped", name, path))
            continue
        if tables is None:
            tables = (_equals_names(template), _equals_parameters(template))
        variables: Dict[tuple, list] = {}
        built: List[Distribution] = []
        truncated = False
        for _round in range(32):
            # Discover the conditions/parameters the distribution really reads, then judge every
            # combination of them; a branch may reveal further variables, hence the rounds.
            built, new_vars, truncated, failed = _build_all(template, resources, res, name, path,
                                                            variables, source, notes, tables)
            if failed or not new_vars:
                break
            variables.update(new_vars)
        out.extend(built)
        if not built and not failed and isinstance(res.get("Condition"), str):
            notes.append(Note("input", NoteKind.INPUT, f"created only when condition {res['Condition']} holds, "
                                       f"which it never does: not judged", name, path))
        if truncated:
            notes.append(Note("input", NoteKind.INPUT, f"more than {MAX_VARIANTS} combinations of conditions and "
                                       f"parameters: each value was judged one variable at a time",
                              name, path))
    return out, _dedupe(notes)


def _build_all(template, resources, res, name, path, variables, source, notes, tables):
    props = res.get("Properties", MISSING)
    exists_if = res.get("Condition")  # the resource is created only where this holds
    equals_names, equals_parameters = tables
    built: List[Distribution] = []
    new_vars: Dict[tuple, list] = {}
    truncated = False
    for scenario, partial in _scenarios(variables):
        truncated = truncated or partial
        reader = CfnReader(template, resources, scenario, equals_parameters)
        if isinstance(exists_if, str) and not reader.condition(exists_if):
            for k, v in reader.consulted.items():  # not created here: nothing to judge
                if k not in variables:
                    new_vars.setdefault(k, v)
            continue
        pnode, ppath = reader.resolve(props, path + ("Properties",))
        if not is_mapping(pnode):
            what = "unknown" if isinstance(pnode, Unknown) else (
                "absent" if pnode is MISSING else type(pnode).__name__)
            notes.append(Note("input", NoteKind.INPUT, f"Properties is {what}, not a mapping; skipped", name, ppath))
            return [], {}, truncated, True
        dc, dpath = reader.get(pnode, ("DistributionConfig",), ppath)
        if dc is MISSING:
            notes.append(Note("input", NoteKind.INPUT, "no DistributionConfig; skipped", name, dpath))
            return [], {}, truncated, True
        labels = [_label(k, v, equals_names, equals_parameters) for k, v in scenario.items()]
        cond = " and ".join(f"{a} {b}" for a, b in labels) or None
        builder = Builder(reader, name, ssl_default=CFN_DEFAULT_ORIGIN_SSL)
        dist = builder.build(dc, dpath, condition=cond, scenario=tuple(labels))
        if dist is not None:
            # The named conditions this variant read, as facts a finding's condition may cite
            # (a condition decided by several variables names their combination in one word).
            heads = {head for head, _ in labels}
            dist.scenario = dist.scenario + tuple(
                (f"condition {c}", "is true" if v else "is false")
                for c, v in sorted(reader.evaluated.items()) if f"condition {c}" not in heads)
        for k, v in reader.consulted.items():
            if k not in variables:
                new_vars.setdefault(k, v)
        if dist is None:
            notes.extend(builder.notes)
            return [], new_vars, truncated, True
        dist.source = source
        built.append(dist)
    return built, new_vars, truncated, False


def _dedupe(notes: List[Note]) -> List[Note]:
    seen = set()
    out = []
    for n in notes:
        k = (n.code, n.resource, n.path, n.message)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out
