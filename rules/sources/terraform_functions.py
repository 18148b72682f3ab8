"""Terraform's built-in functions that a module's CloudFront settings are commonly computed with,
evaluated as Terraform defines them (https://developer.hashicorp.com/terraform/language/functions,
one page per function), over values that may be unknown before apply.

Why each answer is exact or unknown, never a guess: an unknown argument gives an unknown result
unless the function's definition decides without it (``coalesce("a", unknown)`` is ``"a"``);
an input Terraform rejects gives :class:`.terraform_values.Error`, which ``try``/``can`` catch as
Terraform's do. Semantics followed, from the function pages:

- ``try``: "evaluates all of its argument expressions in turn and returns the result of the first
  one that does not produce any errors"; an argument whose value is not known yet leaves the
  result unknown (Terraform cannot tell whether it will fail).
- ``can``: true when its argument evaluates without an error.
- ``coalesce``: "the first one that isn't null or an empty string"; ``coalescelist``: the first
  non-empty list.
- ``lookup(map, key, default)``: the default when the key is absent; without one, an error.
- ``merge``: later arguments' attributes win; null arguments are skipped.
- ``concat``, ``flatten`` (nested lists, recursively), ``length``, ``contains``, ``keys`` and
  ``values`` (in lexical key order), ``compact`` (drops null and ``""``), ``one`` (null for an
  empty list, an error for more than one element), ``tolist``/``toset``/``tomap`` and the
  ``to*`` primitives, ``format`` (``%s``/``%d``/``%v``/``%%``), ``join``, ``replace`` (a plain
  substring; a ``/regex/`` is not evaluated), ``lower``/``upper``, ``startswith``/``endswith``,
  ``trimprefix``/``trimsuffix``/``trimspace``, ``split``, ``distinct``, ``reverse``, ``sort``,
  ``element``, ``anytrue``/``alltrue``, ``zipmap``, ``substr``.

Anything else is an unknown naming the function. Standard library only.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

from ..model import Symbolic, Unknown
from .terraform_values import Error, Open, Runs, as_unknown, error_in, from_parts, \
    is_unknown, known, number_text, parts_of, plain, template, MAX_VALUE, TOO_BIG


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _first_problem(args: List[Any]) -> Any:
    """An error among the arguments (it wins), else an unknown one, else None."""
    for a in args:
        if isinstance(a, Error):
            return a
    for a in args:
        if is_unknown(a):
            return as_unknown(a, "an argument not known here")
    return None


def _problem_or(args: List[Any], why: str) -> Any:
    """The arguments' error or unknown (:func:`_first_problem`), else ``Error(why)``. Not
    ``_first_problem(args) or Error(why)``: an unknown is falsy, and would become an error."""
    found = _first_problem(args)
    return found if found is not None else Error(why)


def _try(args):
    for a in args:
        if error_in(a) is not None:
            continue
        if known(a) or is_unknown(a):
            return a  # a wholly unknown reference keeps what is known of it (its shape)
        return Unknown("try() over a value partly unknown here")
    return Error("try(): every argument is an error")


def _can(args):
    if len(args) != 1:
        return Error("can() takes one argument")
    if error_in(args[0]) is not None:
        return False
    return True if known(args[0]) else Unknown("can() over a value not known here")


def _coalesce(args):
    for a in args:
        if isinstance(a, Error):
            return a
        if is_unknown(a):
            return as_unknown(a, "coalesce() over a value not known here")
        if a is not None and a != "":
            return a
    return Error("coalesce(): no non-null, non-empty argument")


def _coalescelist(args):
    for a in args:
        if isinstance(a, Unknown):
            return a
        if not isinstance(a, list):
            return Error("coalescelist() over a non-list")
        if a:
            return a
    return Error("coalescelist(): every list is empty")


def _lookup(args):
    if len(args) not in (2, 3):
        return Error("lookup() takes 2 or 3 arguments")
    m, k = args[0], args[1]
    if isinstance(m, Unknown):
        return m
    if not isinstance(k, str):
        return as_unknown(k, "lookup() with a key not known here") if is_unknown(k) else \
            Error("lookup() with a non-string key")
    if not isinstance(m, dict):
        return Error("lookup() over a non-map")
    if k in m:
        return m[k]
    if isinstance(m, Open):
        return Unknown(f"lookup(): key {k!r} not known here")
    return args[2] if len(args) == 3 else Error(f"lookup(): no key {k!r}")


def _merge(args):
    out: Dict[str, Any] = {}
    opened = False
    for a in args:
        if a is None:
            continue
        if isinstance(a, Error):
            return a
        if isinstance(a, Unknown):
            out, opened = {}, True  # any attribute may come from it
            continue
        if not isinstance(a, dict):
            return Error("merge() over a non-object")
        if isinstance(a, Open):
            out, opened = {}, True  # its other attributes may override earlier ones
        out.update(a)
    return Open(out) if opened else out


def _concat(args):
    out: List[Any] = []
    reason = None
    for a in args:
        parts = parts_of(a, loose=True)
        if parts is None:
            return a if isinstance(a, Unknown) else Error("concat() over a non-list")
        if isinstance(a, Unknown) and reason is None:
            reason = a.reason
        out.extend(parts)
    return from_parts(out, reason or "")


def _flatten(args, depth=0):
    """Nested lists spliced; a part of a :class:`Runs` that is not sure stays not sure, with
    each element of its value (zero or more copies of each)."""
    if len(args) != 1:
        return Error("flatten() takes one argument")
    v = args[0]
    parts = parts_of(v)
    if parts is None:
        return v if isinstance(v, Unknown) else Error("flatten() over a non-list")
    if depth > 100:
        return Error("flatten() nested too deeply")
    reason = v.reason if isinstance(v, Runs) else ""
    out: List[Any] = []
    for sure, x in parts:
        if isinstance(x, Error):
            return x
        if isinstance(x, Unknown) and not isinstance(x, Runs):
            # One element, or a list of any length: zero or more elements not known.
            out.append((False, Unknown(x.reason)))
            reason = reason or x.reason
            continue
        if isinstance(x, (list, Runs)):
            inner = _flatten([x], depth + 1)
            inner_parts = parts_of(inner)
            if inner_parts is None:
                return inner
            if isinstance(inner, Runs):
                reason = reason or inner.reason
            out.extend((sure and s, y) for s, y in inner_parts)
        else:
            out.append((sure, x))
    return from_parts(out, reason)


def _length(args):
    v = args[0] if len(args) == 1 else Error("length() takes one argument")
    if isinstance(v, (Unknown, Symbolic, Open)):
        return as_unknown(v, "length() of a value not known here")
    if isinstance(v, (list, dict, str)):
        return len(v)
    return Error("length() of a value without a length")


def _contains(args):
    if len(args) != 2:
        return Error("contains() takes two arguments")
    coll, v = args
    if isinstance(coll, Unknown):
        return coll
    if not isinstance(coll, list):
        return Error("contains() over a non-list")
    if is_unknown(v):
        return as_unknown(v, "contains() of a value not known here")
    if any(not is_unknown(x) and x == v and type(x) is type(v) for x in coll):
        return True
    if any(is_unknown(x) for x in coll):
        return Unknown("contains() over elements not known here")
    return False


def _keys(args, values=False):
    m = args[0] if len(args) == 1 else None
    if isinstance(m, Open):
        # The keys known, in lexical order, and others not known here.
        why = "keys()/values() of a map with keys not known here"
        return Runs(why, [(True, m[k] if values else k) for k in sorted(m)]
                    + [(False, Unknown("a key not known here"))])
    if isinstance(m, Unknown):
        return Unknown("keys()/values() of a map not known here")
    if not isinstance(m, dict):
        return Error("keys()/values() of a non-map")
    ks = sorted(m)
    return [m[k] for k in ks] if values else ks


def _toset(args):
    v = args[0]
    if isinstance(v, Runs):
        # A set's order is not known with members not known: the sure ones once each, then
        # the others (order is only read from a wholly known list).
        firsts = _members([x for s, x in v.parts if s])
        if isinstance(firsts, Unknown):
            return firsts
        return Runs(v.reason, [(True, x) for x in firsts] + [p for p in v.parts if not p[0]])
    if isinstance(v, Unknown) or not isinstance(v, list):
        return v if isinstance(v, Unknown) else Error("toset() of a non-list")
    return _members(v)


def _members(v: List[Any]) -> Any:
    """A known list's members as a set iterates them: each once, strings in lexical order."""
    if not known(v):
        return Unknown("toset() of elements not known here (its order is not known)")
    if all(isinstance(x, str) for x in v):
        return sorted(dict.fromkeys(v))  # a set of strings iterates in lexical order
    return _unique(v, "toset")


# Past this many elements that are collections, removing duplicates (a comparison of each pair)
# is not done: a list of plain values is deduplicated by hashing, at any length.
MAX_PAIRWISE = 2000


def _unique(v: List[Any], name: str) -> Any:
    """The elements of ``v`` without repeats, first occurrences in order (``==`` as equality)."""
    if all(x is None or isinstance(x, (str, int, float)) for x in v):
        return list(dict.fromkeys(v))  # hashing agrees with == on these (1 == 1.0 == True)
    if len(v) > MAX_PAIRWISE:
        return Unknown(f"{name}() over more than {MAX_PAIRWISE} collections is not evaluated "
                       f"here")
    out: List[Any] = []
    for x in v:
        if x not in out:
            out.append(x)
    return out


def _tostring(args):
    v = args[0]
    if isinstance(v, bool):
        return "true" if v else "false"
    if _num(v):
        return number_text(v)
    if v is None or isinstance(v, (str, Unknown, Symbolic)):
        return v
    return Error("tostring() of a collection")


def _tonumber(args):
    v = args[0]
    if _num(v) or v is None or is_unknown(v):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return Error(f"tonumber({v!r})")
        return int(f) if f.is_integer() and re.fullmatch(r"-?\d+", v.strip()) else f
    return Error("tonumber() of a non-number")


def _tobool(args):
    v = args[0]
    if isinstance(v, bool) or v is None or is_unknown(v):
        return v
    if v in ("true", "false"):
        return v == "true"
    return Error("tobool() of a non-boolean")


def _format(args):
    if not args or not isinstance(args[0], str):
        return as_unknown(args[0], "format() with a format not known here") if args else \
            Error("format() without arguments")
    spec = args[0]
    if not re.fullmatch(r"(?:[^%]|%%|%[sdv])*", spec):
        return Unknown("format() with verbs other than %s, %d, %v")
    pieces: List[Any] = []
    rest = list(args[1:])
    for token in re.split(r"(%%|%[sdv])", spec):
        if token == "%%":
            pieces.append("%")
        elif token in ("%s", "%d", "%v"):
            if not rest:
                return Error("format(): too few arguments")
            v = rest.pop(0)
            if token == "%d" and not (_num(v) or is_unknown(v)):
                return Error("format(): %d of a non-number")
            pieces.append(v)
        elif token:
            pieces.append(token)
    return template(pieces) if pieces else ""


def _join(args):
    if len(args) < 2:
        return Error("join() takes a separator and lists")
    sep = args[0]
    if not isinstance(sep, str):
        return as_unknown(sep, "join() with a separator not known here")
    items: List[Any] = []
    for lst in args[1:]:
        if isinstance(lst, Unknown):
            return lst
        if not isinstance(lst, list):
            return Error("join() over a non-list")
        items.extend(lst)
    pieces: List[Any] = []
    for i, a in enumerate(items):
        if a is None:
            return Error("join() of a null element")
        if i:
            pieces.append(sep)
        pieces.append(a)
    return template(pieces) if pieces else ""


def _replace(args):
    if len(args) != 3:
        return Error("replace() takes three arguments")
    s, old, new = args
    if not all(isinstance(x, str) for x in (s, old, new)):
        return _problem_or(args, "replace() of non-strings")
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        return Unknown("replace() with a regular expression is not evaluated here")
    if len(s) + (s.count(old) if old else len(s) + 1) * len(new) > MAX_VALUE:
        return Unknown("replace() making " + TOO_BIG.format(n=MAX_VALUE))
    return s.replace(old, new)


def _strings(fn: Callable[..., Any], n: int):
    def call(args):
        if len(args) != n:
            return Error(f"takes {n} argument(s)")
        if all(isinstance(a, str) for a in args):
            return fn(*args)
        return _problem_or(args, "a non-string argument")
    return call


def _compact(args):
    v = args[0]
    if isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        return Error("compact() of a non-list")
    if any(is_unknown(x) for x in v):
        return Unknown("compact() over elements not known here")
    return [x for x in v if x is not None and x != ""]


def _one(args):
    v = args[0]
    if isinstance(v, Unknown):
        return v
    if not isinstance(v, list):
        return Error("one() of a non-list")
    if len(v) > 1:
        return Error("one() of more than one element")
    return v[0] if v else None


def _element(args):
    v, i = args
    if isinstance(v, Unknown) or is_unknown(i):
        return as_unknown(v if isinstance(v, Unknown) else i, "element() not known here")
    if not isinstance(v, list) or not _num(i) or not v:
        return Error("element() of a non-list or empty list")
    return v[int(i) % len(v)]


def _bools(all_: bool):
    def call(args):
        v = args[0]
        if isinstance(v, Unknown):
            return v
        if not isinstance(v, list):
            return Error("anytrue()/alltrue() of a non-list")
        if all_ and any(x is False for x in v) or not all_ and any(x is True for x in v):
            return not all_
        if any(is_unknown(x) for x in v):
            return Unknown("anytrue()/alltrue() over elements not known here")
        return all_
    return call


def _list_op(fn: Callable[[list], Any]):
    def call(args):
        v = args[0] if len(args) == 1 else Error("takes one list")
        if isinstance(v, Unknown):
            return v
        if not isinstance(v, list):
            return Error("not a list")
        if not known(v):
            return Unknown("a list with elements not known here")
        return fn(v)
    return call


def _zipmap(args):
    ks, vs = args
    if isinstance(ks, Unknown) or isinstance(vs, Unknown):
        return as_unknown(ks if isinstance(ks, Unknown) else vs, "zipmap() not known here")
    if not isinstance(ks, list) or not isinstance(vs, list) or len(ks) != len(vs):
        return Error("zipmap() of lists of different lengths")
    if not all(isinstance(k, str) for k in ks):
        return Unknown("zipmap() with keys not known here")
    return dict(zip(ks, vs))


def _substr(args):
    s, off, ln = args
    if not isinstance(s, str) or not _num(off) or not _num(ln):
        return _problem_or(args, "substr() arguments")
    off, ln = int(off), int(ln)
    if off < 0:
        off = max(len(s) + off, 0)
    return s[off:] if ln == -1 else s[off:off + ln]


def _split(sep, s):
    return s.split(sep) if sep else list(s)


FUNCTIONS: Dict[str, Callable[[List[Any]], Any]] = {
    "try": _try, "can": _can, "coalesce": _coalesce, "coalescelist": _coalescelist,
    "lookup": _lookup, "merge": _merge, "concat": _concat, "flatten": _flatten,
    "length": _length, "contains": _contains, "keys": _keys,
    "values": lambda a: _keys(a, values=True), "toset": _toset, "tostring": _tostring,
    "tonumber": _tonumber, "tobool": _tobool, "format": _format, "join": _join,
    "replace": _replace, "compact": _compact, "one": _one, "element": _element,
    "anytrue": _bools(False), "alltrue": _bools(True), "zipmap": _zipmap, "substr": _substr,
    "lower": _strings(str.lower, 1), "upper": _strings(str.upper, 1),
    "trimspace": _strings(str.strip, 1),
    "startswith": _strings(lambda s, p: s.startswith(p), 2),
    "endswith": _strings(lambda s, p: s.endswith(p), 2),
    "trimprefix": _strings(lambda s, p: s[len(p):] if p and s.startswith(p) else s, 2),
    "trimsuffix": _strings(lambda s, p: s[:-len(p)] if p and s.endswith(p) else s, 2),
    "split": _strings(_split, 2),
    "distinct": _list_op(lambda v: _unique(v, "distinct")),
    "reverse": _list_op(lambda v: list(reversed(v))),
    "sort": _list_op(lambda v: sorted(v) if all(isinstance(x, str) for x in v)
                     else Error("sort() of non-strings")),
}
_IDENTITY = ("tolist", "tomap")
# Functions whose result may be a list known in part (terraform_values.Runs): those that read
# the parts, and those that return an argument as it is when it is the list.
_KEEP_PARTS = frozenset(("concat", "flatten", "toset", "keys", "values", "try", "coalesce",
                         "coalescelist"))
_ONE_ARG = ("toset", "tostring", "tonumber", "tobool", "compact", "one", "flatten")


def call(name: str, args: List[Any]) -> Any:
    """``name(args...)`` as Terraform evaluates it, or an unknown naming the function."""
    if name in _IDENTITY:
        if len(args) != 1:
            return Error(f"{name}() takes one argument")
        return args[0] if name == "tolist" else plain(args[0])
    fn = FUNCTIONS.get(name)
    if fn is None:
        return Unknown(f"function {name}() is not evaluated here")
    if name in _ONE_ARG and len(args) != 1:
        return Error(f"{name}() takes one argument")
    if name not in ("try", "can"):
        found = next((a for a in args if isinstance(a, Error)), None)
        if found is not None:
            return found  # an argument that is an error makes the call one
    try:
        result = fn(args)
    except (RecursionError, ValueError, TypeError, IndexError) as exc:
        return Unknown(f"{name}() not evaluated ({type(exc).__name__})")
    # Only the functions that read a list's parts may give one (a lookup, a length or a
    # coalesce of strings taken from a list known in part is not that list).
    return result if name in _KEEP_PARTS else plain(result)
