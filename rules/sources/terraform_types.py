"""A variable's ``type`` constraint applied to its value, as Terraform converts a module argument or
a default before the module sees it.

Why: modules declare settings as objects with optional attributes
(``type = object({create = optional(bool, false)})``, ``default = {}``); the module reads
``var.domain.create`` as ``false``, not as a missing attribute. Terraform (>= 1.3), "Type
Constraints", https://developer.hashicorp.com/terraform/language/expressions/type-constraints:
an object type's ``optional(type, default)`` attribute that is omitted or null takes the default
(null when there is none), recursively in nested objects and collections; attributes the type
does not declare are dropped; a number or bool given for a string becomes a string, ``"true"``/
``"false"`` for a bool a bool, a numeric string for a number. A value that does not convert is
left as it is (Terraform would reject the configuration; nothing is guessed).

Standard library only.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..model import Symbolic, Unknown
from .terraform_values import Open, number_text

_PRIMITIVES = ("string", "number", "bool", "any")
_CONSTRUCTORS = ("object", "list", "set", "map", "tuple", "optional")


class Type:
    """A type constraint: ``kind`` is a primitive name or a constructor; ``of`` its element
    type(s) (a Type, a dict of attribute types, or a list for tuples)."""

    __slots__ = ("kind", "of", "default", "has_default")

    def __init__(self, kind: str, of: Any = None, default: Any = None,
                 has_default: bool = False) -> None:
        self.kind, self.of, self.default, self.has_default = kind, of, default, has_default

    def __repr__(self) -> str:
        return f"Type({self.kind}, {self.of!r})"


def constructor(name: str, args) -> Any:
    """What a call in a type expression builds (used by the expression reader)."""
    if name == "optional" and len(args) in (1, 2) and isinstance(args[0], Type):
        return Type("optional", args[0], args[1] if len(args) == 2 else None, len(args) == 2)
    if name == "object" and len(args) == 1 and isinstance(args[0], dict) and \
            all(isinstance(t, Type) for t in args[0].values()):
        return Type("object", dict(args[0]))
    if name == "tuple" and len(args) == 1 and isinstance(args[0], list) and \
            all(isinstance(t, Type) for t in args[0]):
        return Type("tuple", list(args[0]))
    if name in ("list", "set", "map") and len(args) == 1 and isinstance(args[0], Type):
        return Type(name, args[0])
    return Unknown(f"type {name}(...) not read")


def convert(value: Any, t: Optional[Type], depth: int = 0) -> Any:
    """``value`` as the type constraint ``t`` makes it (see the module docstring)."""
    if t is None or depth > 64 or value is None or isinstance(value, (Unknown, Symbolic)):
        return value
    kind = t.kind
    if kind == "optional":
        return convert(value, t.of, depth + 1)
    if kind == "any":
        return value
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return number_text(value)
        return value
    if kind == "bool":
        return (value == "true") if value in ("true", "false") else value
    if kind == "number":
        if isinstance(value, str):
            try:
                f = float(value)
            except ValueError:
                return value
            return int(f) if f.is_integer() and "." not in value else f
        return value
    if kind == "object" and isinstance(value, dict) and not isinstance(value, Open):
        out: Dict[str, Any] = {}
        for name, at in t.of.items():
            given = value.get(name)
            if at.kind == "optional":
                if given is None:
                    given = at.default if at.has_default else None
                out[name] = convert(given, at.of, depth + 1)
            elif name in value:
                out[name] = convert(given, at, depth + 1)
            else:
                return value  # a required attribute missing: Terraform rejects it
        return out
    if kind in ("list", "set") and isinstance(value, list):
        return [convert(x, t.of, depth + 1) for x in value]
    if kind == "map" and isinstance(value, dict) and not isinstance(value, Open):
        return {k: convert(v, t.of, depth + 1) for k, v in value.items()}
    if kind == "tuple" and isinstance(value, list) and len(value) == len(t.of):
        return [convert(x, tt, depth + 1) for x, tt in zip(value, t.of)]
    return value
