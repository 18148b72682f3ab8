"""The kinds of value a Terraform expression has while a module is evaluated without applying it,
and the few operations every other part needs on them.

Why a kind beside :class:`~rules.model.Unknown`: Terraform tells apart a value that is not known
before apply (``try`` and ``coalesce`` cannot see past it) from an expression that is an error
(an attribute of ``null``, a key a map does not have): ``try`` skips errors and returns the first
argument that evaluates without one (Terraform, "try Function",
https://developer.hashicorp.com/terraform/language/functions/try). :class:`Error` is that error;
it is still an :class:`Unknown`, so anything that does not catch it judges nothing from it.
:class:`Open` is an object of which some attributes are known and others may exist
(``merge(module.x.out, {create = true})``): reading a known attribute is exact, any other read
is unknown, never an error.

Standard library only.
"""

from __future__ import annotations

from typing import Any, List

from ..model import Symbolic, Unknown


class Error(Unknown):
    """An expression Terraform would reject when evaluating it (``try``/``can`` catch it)."""

    __slots__ = ()


class Open(dict):
    """An object whose listed attributes are known; other attributes may exist, unknown."""


class Runs(Unknown):
    """A list known in part: ``parts`` are ``(sure, value)`` pairs in order, ``sure`` an element
    that is there, not sure zero or more elements each equal to ``value`` — what a ``for``
    expression over a collection not known here gives (its body read once with the element
    unknown: what the body decides without the element holds for every element).

    It is an :class:`Unknown` (its length, order and members are not known), so whatever does
    not read its parts judges nothing from it; ``for`` expressions, ``concat``, ``flatten``,
    ``toset``, ``keys`` and ``dynamic`` blocks read them. Its reason is the collection's."""

    __slots__ = ("parts",)

    def __init__(self, reason: str, parts) -> None:
        super().__init__(reason)
        self.parts = tuple(parts)

    def __repr__(self) -> str:
        return f"Runs({self.reason!r}, {list(self.parts)!r})"


def parts_of(v: Any, loose: bool = False):
    """A list's or a :class:`Runs`'s ``(sure, value)`` parts; None for anything else. With
    ``loose``, a list not known at all (an unknown that is not an error) is zero or more
    elements not known, under its reason (and not "the same as" it: an element is not the
    list)."""
    if isinstance(v, Runs):
        return list(v.parts)
    if isinstance(v, list):
        return [(True, x) for x in v]
    if loose and isinstance(v, Unknown) and not isinstance(v, Error):
        return [(False, Unknown(v.reason))]
    return None


def from_parts(parts, reason: str) -> Any:
    """A plain list when every part is sure, else a :class:`Runs`."""
    if all(sure for sure, _ in parts):
        return [x for _, x in parts]
    return Runs(reason, parts)


# The largest value evaluated: string characters plus elements and keys, a part shared by
# reference counted each time it occurs (``"${local.a}${local.a}"`` doubles in 30 locals to a
# gigabyte; ``[local.a, local.a]`` to a tree no walk finishes). As large as the longest expression
# read (``MAX_EXPR_CHARS``): a CloudFront argument is never near it.
MAX_VALUE = 100_000
TOO_BIG = "a value of more than {n} characters and elements (not evaluated here)"


def size_of(value: Any, limit: int = MAX_VALUE) -> int:
    """How large ``value`` is, counted up to just past ``limit`` (so the walk costs no more than
    about ``limit`` however large the value is): more than ``limit`` means too large."""
    total, stack = 0, [value]
    while stack:
        v = stack.pop()
        total += 1
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, list):
            total += len(v)
            if total <= limit:
                stack.extend(v)
        elif isinstance(v, dict):
            total += len(v) + sum(len(k) for k in v if isinstance(k, str))
            if total <= limit:
                stack.extend(v.values())
        elif isinstance(v, Symbolic):
            stack.extend(v.parts)
        elif isinstance(v, Runs):
            total += len(v.parts)
            if total <= limit:
                stack.extend(x for _, x in v.parts)
        if total > limit:
            break
    return total


def is_unknown(v: Any) -> bool:
    return isinstance(v, (Unknown, Symbolic))


def plain(v: Any) -> Any:
    """``v``, but a :class:`Runs` as a plain unknown with its reason: a value taken from a list
    known in part (an element, an attribute, a comparison, a function's result) is not that
    list, and must not be read as one."""
    if type(v) is Runs:
        return Unknown(v.reason, v.token, v.same_as)
    return v


def as_unknown(v: Any, why: str) -> Unknown:
    return plain(v) if isinstance(v, Unknown) else Unknown(why)


def known(v: Any, depth: int = 0) -> bool:
    """Wholly known: no unknown part anywhere (what ``try`` needs to return a value)."""
    if depth > 100 or is_unknown(v) or isinstance(v, Open):
        return False
    if isinstance(v, list):
        return all(known(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return all(known(x, depth + 1) for x in v.values())
    return True


def error_in(v: Any, depth: int = 0) -> Any:
    """The first :class:`Error` anywhere in ``v``, or None."""
    if isinstance(v, Error):
        return v
    if depth > 100:
        return None
    if isinstance(v, list):
        items = v
    elif isinstance(v, dict):
        items = list(v.values())
    else:
        return None
    for x in items:
        found = error_in(x, depth + 1)
        if found is not None:
            return found
    return None


def template(parts: List[Any]) -> Any:
    """A template's value: a string, a :class:`Symbolic` with holes, or one unknown."""
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]  # "${x}" is x itself
    out: List[Any] = []
    for p in parts:
        if isinstance(p, Error):
            return p
        if isinstance(p, Symbolic):
            out.extend(p.parts)
        elif isinstance(p, bool):
            out.append("true" if p else "false")
        elif isinstance(p, (int, float)):
            out.append(number_text(p))
        elif isinstance(p, (str, Unknown)):
            out.append(p)
        elif p is None:
            return Error("a template interpolates null")
        else:
            return Error("a template interpolates a collection")
    if sum(len(p) if isinstance(p, str) else 1 for p in out) > MAX_VALUE:
        return Unknown("a string template making " + TOO_BIG.format(n=MAX_VALUE))
    merged: List[Any] = []
    for p in out:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    if all(isinstance(p, str) for p in merged):
        return "".join(merged)
    return Symbolic(merged)


def number_text(n: Any) -> str:
    """A number as Terraform writes it in a string: ``1``, ``1.5`` (no ``1.0``)."""
    if isinstance(n, float) and n.is_integer() and abs(n) < 1e16:
        return str(int(n))
    return str(n)
