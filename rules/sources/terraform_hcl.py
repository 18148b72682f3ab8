"""Evaluate a parsed Terraform module (plain data from :mod:`cfhttps_io.terraform`) into resource
bodies in the provider's schema, as far as the module decides them.

Decided: literals; ``var.X`` (a module call's argument, else the variable's ``default``);
``local.X``; string templates; arithmetic, comparisons and conditionals over known values;
a few pure functions (``lookup``, ``merge``, ``concat``, ``coalesce``, ``join``, ``format`` with
``%s``, ``lower``/``upper``, ``length``, ``tostring``/``tolist``/``toset``); ``dynamic`` blocks
and ``count``/``for_each`` over known collections; references to other resources of the module
(an S3 website or REST endpoint attribute keeps its host shape, other attributes are unknowns
that equal the same reference elsewhere, see :func:`.terraform_refs.reference_value`). Everything
else (``data`` sources, module outputs, ``for`` expressions, other functions, directives) is an
:class:`Unknown` whose reason says what was not evaluated — never a guess.

Standard library only. Work is bounded: expression length, nesting, expansions.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..model import Symbolic, Unknown
from .terraform_refs import reference_value

from . import terraform_functions, terraform_types
from .terraform_values import Error, Open, Runs, as_unknown, error_in, from_parts, \
    is_unknown, known, number_text, plain, template, MAX_VALUE, TOO_BIG, size_of

MAX_EXPR_CHARS = 100_000
MAX_DEPTH = 50  # nested expressions (about ten Python frames each)
MAX_EXPANSION = 1000  # instances of one count/for_each/dynamic block
MAX_WORK = 100_000  # for-expression element evaluations in one module instance
MAX_WEIGHED = 5_000_000  # value sizes counted (see Expr.bounded) in one module instance
MAX_NUMBER_BITS = 1024  # Terraform's numbers are 512-bit floats: a larger integer is not read
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ROOTS_UNKNOWN = {"data": "a data source", "module": "a module output", "path": "a path",
                  "terraform": "terraform metadata", "self": "self"}


class Failure(Exception):
    """The expression text could not be read (inside this module only)."""


_is_unknown = is_unknown
_as_unknown = as_unknown
_concat = template


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


class Expr:
    """A recursive-descent reader that evaluates as it reads (HCL's expression syntax)."""

    def __init__(self, text: str, scope: Optional["Scope"], types: bool = False) -> None:
        self.s = text
        self.i = 0
        self.scope = scope
        self.depth = 0
        self.types = types  # a type constraint: names are types, calls build them

    # -- lexing helpers
    def ws(self) -> None:
        s, n = self.s, len(self.s)
        while self.i < n:
            c = s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif s.startswith("#", self.i) or s.startswith("//", self.i):
                j = s.find("\n", self.i)
                self.i = n if j < 0 else j
            elif s.startswith("/*", self.i):
                j = s.find("*/", self.i + 2)
                self.i = n if j < 0 else j + 2
            else:
                break

    def peek(self, tok: str) -> bool:
        self.ws()
        return self.s.startswith(tok, self.i)

    def eat(self, tok: str) -> bool:
        if self.peek(tok):
            self.i += len(tok)
            return True
        return False

    def need(self, tok: str) -> None:
        if not self.eat(tok):
            raise Failure(f"expected {tok!r} at {self.i}")

    def bounded(self, value: Any, what: str) -> Any:
        """``value`` (a list or object just built), or an unknown when it is larger than
        :data:`.terraform_values.MAX_VALUE`: a part shared by reference counts each time it occurs,
        so ``[local.a, local.a]`` over thirty locals cannot build a tree no later walk finishes.
        What the sizing costs is charged to the module (:data:`MAX_WEIGHED`)."""
        if not isinstance(value, (list, dict, Runs)):
            return value
        module = self.scope.module if self.scope is not None else None
        if module is not None and module.weighed > MAX_WEIGHED:
            return Unknown(f"{what} not evaluated: the module's values are too large to "
                           f"evaluate (more than {MAX_WEIGHED} characters and elements)")
        n = size_of(value)
        if module is not None:
            module.weighed += n
        return Unknown(f"{what} making " + TOO_BIG.format(n=MAX_VALUE)) if n > MAX_VALUE \
            else value

    def skip_balanced(self, open_: str, close: str) -> None:
        """Past the bracket that closes the one just read (strings respected)."""
        depth, s, n = 1, self.s, len(self.s)
        while self.i < n and depth:
            c = s[self.i]
            if c == '"':
                self.i += 1
                while self.i < n and s[self.i] != '"':
                    self.i += 2 if s[self.i] == "\\" else 1
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            self.i += 1
        if depth:
            raise Failure("unbalanced brackets")

    # -- grammar
    def parse(self) -> Any:
        value = self.expr()
        self.ws()
        if self.i != len(self.s):
            raise Failure(f"unexpected text at {self.i}")
        return value

    def expr(self) -> Any:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Failure("nested too deeply")
        try:
            cond = self.binary(0)
            if self.eat("?"):
                yes = self.expr()
                self.need(":")
                no = self.expr()
                if isinstance(cond, bool):
                    return yes if cond else no
                if _same(yes, no):
                    return yes
                return _as_unknown(cond, "a condition that is not decided here") \
                    if isinstance(cond, Unknown) else Unknown(
                        f"a condition on {cond!r}, not true or false")
            return cond
        finally:
            self.depth -= 1

    _LEVELS = (("||",), ("&&",), ("==", "!="), ("<=", ">=", "<", ">"), ("+", "-"),
               ("*", "/", "%"))

    def binary(self, level: int) -> Any:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            self.ws()
            op = next((o for o in self._LEVELS[level] if self.s.startswith(o, self.i)), None)
            if op is None or (op in ("<", ">") and self.s.startswith(op + "<", self.i)):
                return left
            if op == "-" and self.s.startswith("->", self.i):
                return left
            self.i += len(op)
            right = self.binary(level + 1)
            left = _operate(op, left, right)

    def unary(self) -> Any:
        if self.eat("!"):
            v = self.unary()
            return (not v) if isinstance(v, bool) else _as_unknown(v, "! of a non-boolean")
        if self.peek("-") and not self.s.startswith("->", self.i):
            self.i += 1
            v = self.unary()
            return -v if isinstance(v, (int, float)) and not isinstance(v, bool) else \
                _as_unknown(v, "- of a non-number")
        return self.postfix()

    def postfix(self) -> Any:
        chain = self.primary()
        while True:
            if self.peek(".*") or self.peek("[*]"):
                self.i += 2 if self.peek(".*") else 3
                chain = Unknown("a splat expression")
                while self.eat(".") and self._ident() or self.eat("["):
                    if self.s[self.i - 1] == "[":
                        self.skip_balanced("[", "]")
                continue
            if self.peek(".") and not self.s.startswith("...", self.i):
                self.i += 1
                self.ws()
                m = _IDENT.match(self.s, self.i) or re.compile(r"\d+").match(self.s, self.i)
                if not m:
                    raise Failure("expected a name after '.'")
                self.i = m.end()
                key: Any = m.group(0)
                chain = _step(chain, int(key) if key.isdigit() else key)
                continue
            if self.peek("["):
                self.i += 1
                key = self.expr()
                self.need("]")
                chain = _step(chain, key)
                continue
            break
        return chain if self.scope is None else self.scope.finish(chain)

    def _ident(self) -> Optional[str]:
        self.ws()
        m = _IDENT.match(self.s, self.i)
        if m:
            self.i = m.end()
            return m.group(0)
        return None

    def primary(self) -> Any:
        self.ws()
        s = self.s
        if self.i >= len(s):
            raise Failure("unexpected end")
        c = s[self.i]
        if c == '"':
            self.i += 1
            return self.template('"')
        if s.startswith("<<", self.i):
            return self.heredoc()
        if c == "(":
            self.i += 1
            v = self.expr()
            self.need(")")
            return v
        if c == "[":
            self.i += 1
            self.ws()  # comments may stand between the bracket and `for`
            if _FOR.match(s, self.i):
                return self.for_expr("]")
            out = []
            while not self.eat("]"):
                out.append(self.expr())
                if not self.eat(","):
                    self.need("]")
                    break
            return self.bounded(out, "a list")
        if c == "{":
            self.i += 1
            self.ws()
            if _FOR.match(s, self.i):
                return self.for_expr("}")
            obj: Dict[str, Any] = {}
            bad_key: Any = None
            while not self.eat("}"):
                key = _key_string(self.object_key())
                if not (self.eat("=") or self.eat(":")):
                    raise Failure("expected = or : in an object")
                value = self.expr()
                if isinstance(key, str):
                    obj[key] = value
                elif bad_key is None or isinstance(key, Error):
                    bad_key = key
                self.eat(",")
            if bad_key is None:
                return self.bounded(obj, "an object")
            return bad_key if isinstance(bad_key, Error) else \
                _as_unknown(bad_key, "an object key not known here")
        m = _NUMBER.match(s, self.i)
        if m:
            self.i = m.end()
            text = m.group(0)
            if len(text) > 310:  # past any 1024-bit number: int() of it would be slow
                return Unknown(f"a number literal of {len(text)} digits (not evaluated here)")
            return float(text) if any(ch in text for ch in ".eE") else int(text)
        name = self._ident()
        if name is None:
            raise Failure(f"unexpected {c!r}")
        if name in ("true", "false"):
            return name == "true"
        if name == "null":
            return None
        if self.peek("("):
            self.i += 1
            return self.call(name)
        if self.types:
            return terraform_types.Type(name) if name in terraform_types._PRIMITIVES else \
                Unknown(f"type {name} not read")
        if self.peek("::"):  # provider::name::function
            raise Failure("provider function")
        return _Chain((name,))

    def object_key(self) -> Any:
        """An object key: a bare name is itself (``{a = 1}``); any other key is an expression,
        evaluated (``(var.k)``, ``"k-${var.x}"``, ``aws.iam``), as HCL's object constructor
        reads it."""
        self.ws()
        start = self.i
        name = self._ident()
        if name is not None:
            self.ws()
            if self.s.startswith(":", self.i) or (
                    self.s.startswith("=", self.i) and not self.s.startswith("==", self.i)):
                return name
            self.i = start
        return self.expr()

    def call(self, name: str) -> Any:
        args = []
        expand = False
        while not self.eat(")"):
            args.append(self.expr())
            if self.eat("..."):
                expand = True
            if not self.eat(","):
                self.need(")")
                break
        if self.types:
            return terraform_types.constructor(name, args)
        if expand:  # f(a, list...): the list's elements are the last arguments
            last = args.pop() if args else None
            if not isinstance(last, list):
                return _as_unknown(last, f"{name}(...) over a list not known here")
            args.extend(last)
        return self.bounded(_call(name, args), f"{name}()")

    def for_expr(self, close: str) -> Any:
        """``[for k, v in coll : value if cond]`` / ``{for k, v in coll : key => value...}``,
        after the opening bracket: the body is read again for each element (in Terraform's
        order: a list by index, a map or object by key in lexical order). Over a collection
        known only in part (:class:`.terraform_values.Runs`, an object with other keys, or not
        at all) the body is read once more with the element unknown, and the result is known
        in part: a list of the elements known and "zero or more like this" for the others; an
        object of the keys known (:class:`.terraform_values.Open`)."""
        self.need("for")
        first = self._ident()
        second = self._ident() if self.eat(",") else None
        if first is None or self._ident() != "in":
            raise Failure("a for expression without 'NAME in'")
        coll = self.expr()
        self.need(":")
        rounds = _rounds(coll)
        start, outer = self.i, self.scope
        as_map = close == "}"
        parts: List[Tuple[bool, Any]] = []
        out_map: Dict[str, Any] = {}
        opened = False
        result: Any = None
        reason = coll.reason if isinstance(coll, Unknown) else \
            "a for expression over elements not known here"
        if not isinstance(rounds, list):
            result = rounds
            rounds = [(False, Unknown("an element not known here"),
                       Unknown("an element not known here"))]
        elif not rounds:
            result = {} if as_map else []
            rounds = [(True, Unknown("no element"), Unknown("no element"))]
        elif len(rounds) > MAX_EXPANSION:
            result = Unknown(f"a for expression over more than {MAX_EXPANSION} elements")
        module = outer.module if outer is not None else None
        for sure, k, v in rounds[:MAX_EXPANSION]:
            if module is not None:
                module.work += 1
                if module.work > MAX_WORK and result is None:
                    result = Unknown(f"more than {MAX_WORK} for-expression steps in one "
                                     f"module: not evaluated further")
            self.i = start
            bound = {first: v} if second is None else {first: k, second: v}
            self.scope = outer.child(bindings=bound) if outer is not None else None
            key = self.expr() if as_map else None
            if as_map:
                self.need("=>")
            value = self.expr()
            group = as_map and self.eat("...")
            cond: Any = True
            self.ws()
            if self.s.startswith("if", self.i) and not _IDENT.match(self.s, self.i + 2):
                self.i += 2
                cond = self.expr()
            self.need(close)
            if result is not None:
                break  # decided (empty, unknown, an error): the body is only read past, once
            if isinstance(cond, Error):
                result = cond
                continue
            if cond is False:
                continue
            if not isinstance(cond, Unknown) and cond is not True:
                result = Error("a for expression's filter is not a boolean")
                continue
            here = sure and cond is True  # surely an element of the result
            if not as_map:
                parts.append((here, value))
            elif group and not (here and isinstance(key, str)):
                result = key if isinstance(key, Error) else \
                    Unknown("a grouping for expression over elements not known here")
            elif isinstance(key, Error):
                result = key
            elif not here or not isinstance(key, str):
                opened = True  # an attribute that may exist, under a key not known here
            elif group:
                out_map.setdefault(key, []).append(value)
            elif key in out_map:
                result = Error(f"a for expression makes key {key!r} twice")
            else:
                out_map[key] = value
        self.scope = outer
        if result is not None:
            return result
        if as_map:
            return self.bounded(Open(out_map) if opened else out_map, "a for expression")
        return self.bounded(from_parts(parts, reason), "a for expression")

    def heredoc(self) -> Any:
        """``<<EOT`` / ``<<-EOT`` ... ``EOT``: the lines between the markers as a template, without
        backslash escapes (the HCL syntax spec gives escapes to quoted templates only); ``<<-``
        removes the smallest indentation of the lines from every line (see
        :func:`_flush_heredoc`)."""
        m = _HEREDOC.match(self.s, self.i)
        if not m:
            raise Failure("a heredoc without its marker line")
        close = re.compile(r"^[ \t]*" + re.escape(m.group(2)) + r"[ \t]*\r?$", re.M)
        e = close.search(self.s, m.end())
        if e is None:
            raise Failure(f"heredoc {m.group(2)} is not closed")
        content = self.s[m.end():e.start()]
        self.i = e.end()
        inner = Expr(content, self.scope, self.types)
        inner.depth = self.depth
        return inner.template(None, flush=bool(m.group(1)))

    def template(self, end: Optional[str], flush: bool = False) -> Any:
        """A quoted template up to ``end``; ``end=None``: a heredoc's text, to its end, where a
        backslash is itself (``flush``: a ``<<-`` heredoc)."""
        parts: List[Tuple[bool, Any]] = []  # (literal text?, value); a heredoc's text by line
        buf: List[str] = []
        s, n = self.s, len(self.s)

        def literal() -> None:
            if buf:
                parts.append((True, "".join(buf)))
                buf.clear()

        while True:
            if self.i >= n:
                if end is None:
                    break
                raise Failure("unterminated string")
            c = s[self.i]
            if c == end:
                self.i += 1
                break
            if c == "\\" and self.i + 1 < n and end is not None:
                nxt = s[self.i + 1]
                if nxt == "u" and re.match(r"[0-9a-fA-F]{4}", s[self.i + 2:self.i + 6]):
                    buf.append(chr(int(s[self.i + 2:self.i + 6], 16)))
                    self.i += 6
                    continue
                if nxt == "U" and re.match(r"[0-9a-fA-F]{8}", s[self.i + 2:self.i + 10]):
                    code = int(s[self.i + 2:self.i + 10], 16)
                    if code > 0x10FFFF:
                        raise Failure("a \\U escape past the last Unicode character")
                    buf.append(chr(code))
                    self.i += 10
                    continue
                buf.append(_ESCAPES.get(nxt, "\\" + nxt))
                self.i += 2
                continue
            if s.startswith("$${", self.i) or s.startswith("%%{", self.i):
                buf.append(s[self.i + 1:self.i + 3])
                self.i += 3
                continue
            if s.startswith("${", self.i):
                literal()
                self.i += 2
                if s.startswith("~", self.i):  # ${~ : the whitespace before is removed
                    self.i += 1
                    while parts and parts[-1][0]:
                        kept = parts[-1][1].rstrip()
                        if kept:
                            parts[-1] = (True, kept)
                            break
                        parts.pop()
                parts.append((False, self.expr()))
                if self.eat("~"):  # ~} : the whitespace after is removed
                    self.need("}")
                    while self.i < n and s[self.i] in " \t\r\n":
                        self.i += 1
                    continue
                self.need("}")
                continue
            if s.startswith("%{", self.i):
                # A directive: the whole string depends on it; read to the closing quote.
                self.i += 2
                self.skip_balanced("{", "}")
                while self.i < n and s[self.i] != end:
                    self.i += 2 if s[self.i] == "\\" else 1
                self.i += 1
                return Unknown("a template directive (%{...})")
            buf.append(c)
            self.i += 1
            if c == "\n" and end is None:
                literal()
        literal()
        if flush:
            _flush_heredoc(parts)
        return _concat([v for _, v in parts] or [""])


def _flush_heredoc(parts: List[Tuple[bool, Any]]) -> None:
    """``<<-``: the fewest leading whitespace characters of the lines' literal starts, removed from
    each of them. As hclsyntax's flushHeredocTemplateParts: a line that starts with an
    interpolation counts as unindented, a blank line does not count, and lines inside a
    multi-line ``${...}`` are expression text, not lines of the string."""
    fewest: Optional[int] = None
    at_line_start = True
    adjust: List[int] = []
    for idx, (is_text, value) in enumerate(parts):
        if at_line_start:
            at_line_start = False
            spaces: Optional[int] = 0
            if is_text:
                rest = value.lstrip()
                if not rest and value.endswith("\n"):
                    spaces = None  # a blank line
                else:
                    spaces = len(value) - len(rest)
                    adjust.append(idx)
            if spaces is not None and (fewest is None or spaces < fewest):
                fewest = spaces
        if is_text and value.endswith("\n"):
            at_line_start = True
    for idx in adjust:
        parts[idx] = (True, parts[idx][1][fewest:])


def _key_string(key: Any) -> Any:
    """An object key's value as the string Terraform converts it to; an :class:`Error` for null
    or a collection (Terraform refuses them), the key itself when it is not known."""
    if isinstance(key, str) or _is_unknown(key):
        return key
    if key is None:
        return Error("an object key is null")
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and not (key.is_integer() and abs(key) < 1e15):
        return Unknown("an object key from a fractional number")
    if isinstance(key, (int, float)):
        return number_text(key)
    return Error("an object key is not a string")


# Most arguments are plain literals ("redirect-to-https", ["GET", "HEAD"], 443, true): read
# without the expression reader, to the same value (no escape, interpolation, directive or
# comment can be in them; tests/test_terraform_expressions.py compares both readings).
_PLAIN_STRING = r'"[^"\\$%\n\r]*"'
_SIMPLE_STRING = re.compile(_PLAIN_STRING)
_SIMPLE_LIST = re.compile(r"\[\s*(?:" + _PLAIN_STRING + r"\s*(?:,\s*|(?=\])))*\]")
_SIMPLE_INT = re.compile(r"-?[0-9]{1,15}")
_SIMPLE_WORDS = {"true": True, "false": False, "null": None}
_NOT_SIMPLE = object()


def _literal(text: str) -> Any:
    """The value of a plain literal expression, or ``_NOT_SIMPLE``."""
    first = text[:1]
    if first == '"':
        return text[1:-1] if _SIMPLE_STRING.fullmatch(text) else _NOT_SIMPLE
    if first == "[":
        if _SIMPLE_LIST.fullmatch(text):
            return [s[1:-1] for s in _SIMPLE_STRING.findall(text)]
        return _NOT_SIMPLE
    if text in _SIMPLE_WORDS:
        return _SIMPLE_WORDS[text]
    if _SIMPLE_INT.fullmatch(text):
        return int(text)
    return _NOT_SIMPLE


_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_FOR = re.compile(r"\s*for\s+[A-Za-z_][A-Za-z0-9_-]*\s*(?:,\s*[A-Za-z_][A-Za-z0-9_-]*\s*)?in\s")


def parse_type(text: Any) -> Any:
    """A ``type = ...`` expression (its source text) as a :class:`.terraform_types.Type`, or None."""
    if not isinstance(text, str) or len(text) > 100_000:
        return None
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    try:
        found = Expr(text, None, types=True).parse()
    except (Failure, RecursionError, IndexError, ValueError):
        return None
    return found if isinstance(found, terraform_types.Type) else None


_NOT_KNOWN = "an element not known here"


def _rounds(coll: Any) -> Any:
    """``(sure, key, value)`` for each element a ``for`` expression visits, in Terraform's order,
    ``sure`` False for a stand-in of elements not known here (key and value unknown where not
    known); or an unknown/error that decides the expression (a string, a non-collection)."""
    if isinstance(coll, Error):
        return coll
    if isinstance(coll, Runs):
        out, index, exact = [], 0, True
        for sure, v in coll.parts:
            known_index = sure and exact
            out.append((sure, index if known_index else Unknown("an index not known here"), v))
            index += 1
            exact = exact and sure
        return out
    if isinstance(coll, Open):
        return [(True, k, coll[k]) for k in sorted(coll)] + [
            (False, Unknown("a key not known here"), Unknown(_NOT_KNOWN))]
    if isinstance(coll, Symbolic):
        return Unknown("a collection not known here")
    if isinstance(coll, Unknown):
        return [(False, Unknown("a key not known here"), Unknown(_NOT_KNOWN))]
    if isinstance(coll, list):
        return [(True, i, x) for i, x in enumerate(coll)]
    if isinstance(coll, dict):
        return [(True, k, coll[k]) for k in sorted(coll)]
    if coll is None:
        return Error("iteration over null (a for expression or dynamic block over null is an "
                     "error in Terraform)")
    return Error(f"cannot iterate over {type(coll).__name__}")


class _Chain(tuple):
    """A reference being read: its root name and traversal steps, resolved when complete."""


def _step(value: Any, key: Any) -> Any:
    if isinstance(value, _Chain):
        return _Chain(value + (key,))
    return _index(value, key)


def _index(value: Any, key: Any) -> Any:
    """``value[key]`` / ``value.key``: an :class:`Error` where Terraform fails (an attribute of
    null, a key a known map lacks, an index out of range), unknown where it cannot tell."""
    if isinstance(value, Unknown):
        return plain(value)
    if isinstance(key, Unknown):
        return plain(key)
    if isinstance(key, Symbolic):
        return Unknown("a key not known here")
    if value is None:
        return Error(f"{key!r} of null")
    if isinstance(value, dict):
        if isinstance(key, str) and key in value:
            return value[key]
        if isinstance(value, Open):
            return Unknown(f"key {key!r} not known here")
        return Error(f"no key {key!r}")
    if isinstance(value, list) and isinstance(key, (int, float)) and not isinstance(key, bool):
        k = int(key)
        return value[k] if 0 <= k < len(value) else Error(f"index {k} out of range")
    if isinstance(value, list) and isinstance(key, str) and key.isdigit():
        return _index(value, int(key))
    if isinstance(value, Symbolic):
        return Unknown("an index into a string not known here")
    return Error(f"cannot index {type(value).__name__} with {key!r}")


def _same(a: Any, b: Any) -> bool:
    return not _is_unknown(a) and not _is_unknown(b) and type(a) is type(b) and a == b \
        and not isinstance(a, (list, dict))


def _operate(op: str, a: Any, b: Any) -> Any:
    for v in (a, b):
        if isinstance(v, Error):
            return v
    if op in ("||", "&&"):
        if op == "||" and (a is True or b is True):
            return True
        if op == "&&" and (a is False or b is False):
            return False
        if isinstance(a, bool) and isinstance(b, bool):
            return a or b if op == "||" else a and b
        return Unknown(f"{op} over values not known here")
    if _is_unknown(a) or _is_unknown(b):
        return plain(a) if isinstance(a, Unknown) else (
            plain(b) if isinstance(b, Unknown) else Unknown(f"{op} over values not known here"))
    if op in ("==", "!="):
        if (a is None) != (b is None):
            return op == "!="  # null against a value, known or not in part
        if not known(a) or not known(b):
            return Unknown(f"{op} over collections not wholly known here")
        equal = a == b and type(a) is type(b) or (
            isinstance(a, (int, float)) and isinstance(b, (int, float))
            and not isinstance(a, bool) and not isinstance(b, bool) and a == b)
        return equal if op == "==" else not equal
    num = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
    if not num:
        return Unknown(f"{op} over non-numbers")
    try:
        out = {"<": lambda: a < b, ">": lambda: a > b, "<=": lambda: a <= b,
               ">=": lambda: a >= b, "+": lambda: a + b, "-": lambda: a - b,
               "*": lambda: a * b, "/": lambda: a / b, "%": lambda: a % b}[op]()
    except (ZeroDivisionError, OverflowError):
        return Unknown(f"{op} failed")
    if isinstance(out, int) and not isinstance(out, bool) and \
            out.bit_length() > MAX_NUMBER_BITS:
        # local.b = local.a * local.a thirty times over is a billion-digit integer
        return Unknown(f"{op} making a number of more than {MAX_NUMBER_BITS} bits (not "
                       f"evaluated here)")
    return out


_known = known


def _call(name: str, args: List[Any]) -> Any:
    return terraform_functions.call(name, args)


# --------------------------------------------------------------------------- scope

class Scope:
    """What names mean inside one module instance (and one resource or dynamic instance)."""

    def __init__(self, module: "ModuleEval", each: Any = None, count: Any = None,
                 iterators: Optional[Dict[str, Any]] = None) -> None:
        self.module = module
        self.each = each  # (key, value) or None
        self.count = count
        self.iterators = iterators or {}

    def child(self, **changes) -> "Scope":
        out = Scope(self.module, self.each, self.count, dict(self.iterators))
        for k, v in changes.items():
            if k == "iterator":
                out.iterators[v[0]] = v[1]
            elif k == "bindings":
                out.iterators.update(v)
            else:
                setattr(out, k, v)
        return out

    def finish(self, value: Any) -> Any:
        if not isinstance(value, _Chain):
            return value
        root, rest = value[0], list(value[1:])
        m = self.module
        if root in self.iterators:
            return _walk(self.iterators[root], rest)
        if root == "var" and rest:
            return _walk(m.variable(str(rest[0])), rest[1:])
        if root == "local" and rest:
            return _walk(m.local(str(rest[0])), rest[1:])
        if root == "each" and rest:
            if self.each is None:
                return Unknown("each.* outside for_each")
            key, val = self.each
            return _walk(key if rest[0] == "key" else val if rest[0] == "value" else
                         Unknown(f"each.{rest[0]}"), rest[1:])
        if root == "count" and rest == ["index"]:
            return self.count if self.count is not None else Unknown("count.index outside count")
        if root in _ROOTS_UNKNOWN:
            steps = value[:3]
            named = all(isinstance(p, str) or type(p) is int for p in steps)
            what = ".".join(str(p) if isinstance(p, str) or type(p) is int else "[?]"
                            for p in steps)
            # Named by content only when every step is a known name or index: two references
            # through keys not known here are not known to be the same.
            same = ("terraform", m.prefix + what, "") if named else None
            return Unknown(f"{what} ({_ROOTS_UNKNOWN[root]}) is not evaluated here",
                           same_as=same)
        if len(rest) >= 1 and isinstance(rest[0], str):
            return m.resource_attribute(root, rest[0], rest[1:])
        return Unknown(f"{root} is not a name known here")


def _walk(value: Any, steps: List[Any]) -> Any:
    for s in steps:
        value = _index(value, s)
    return value


class ModuleEval:
    """One module instance: its blocks, variables (arguments or defaults) and address prefix."""

    def __init__(self, module: Dict[str, Any], prefix: str = "",
                 arguments: Optional[Dict[str, Any]] = None,
                 from_defaults: frozenset = frozenset()) -> None:
        self.data = module
        self.prefix = prefix  # "" or "module.a." / 'module.a["k"].'
        self.arguments = arguments or {}
        # Arguments the caller computed from its own variables' defaults.
        self.from_defaults = from_defaults
        # How many times a variable's default (here or in a caller) was read: an expression's
        # value "depends on defaults" when the count grows while it is evaluated.
        self.default_reads = 0
        self.work = 0  # for-expression steps taken (bounded by MAX_WORK)
        self.weighed = 0  # value sizes counted (bounded by MAX_WEIGHED)
        self._variables: Dict[str, Any] = {}
        self._local_defaults: Dict[str, bool] = {}
        self.blocks = [b for b in module.get("blocks", []) if isinstance(b, dict)]
        self.variables = {b["labels"][0]: b for b in self.blocks
                          if b.get("type") == "variable" and b.get("labels")}
        self.locals_raw: Dict[str, Any] = {}
        for b in self.blocks:
            if b.get("type") == "locals":
                for k, a in b.get("attributes", {}).items():
                    self.locals_raw[k] = a.get("value")
        self.resources: Dict[Tuple[str, str], Dict[str, Any]] = {}
        for b in self.blocks:
            labels = b.get("labels") or []
            if b.get("type") == "resource" and len(labels) >= 2:
                self.resources.setdefault((labels[0], labels[1]), b)
        self._locals: Dict[str, Any] = {}
        self._busy: set = set()
        self.scope = Scope(self)

    def value(self, raw: Any, scope: Optional[Scope] = None, depth: int = 0) -> Any:
        """An attribute's value (its expression's source text, or the lists and dicts a ``.tf.json``
        file holds) evaluated in ``scope``."""
        scope = scope or self.scope
        if depth > MAX_DEPTH:
            return Unknown("nested too deeply")
        if isinstance(raw, (bool, int, float)) or raw is None:
            return raw
        if isinstance(raw, list):
            return [self.value(x, scope, depth + 1) for x in raw]
        if isinstance(raw, dict):
            out = {}
            for k, v in raw.items():
                key = k[1:-1] if isinstance(k, str) and len(k) >= 2 and k[0] == k[-1] == '"' \
                    else str(k)
                out[key] = self.value(v, scope, depth + 1)
            return out
        if not isinstance(raw, str):
            return Unknown(f"unsupported value {type(raw).__name__}")
        if len(raw) > MAX_EXPR_CHARS:
            return Unknown("expression too long to evaluate")
        simple = _literal(raw)
        if simple is not _NOT_SIMPLE:
            return simple
        text = raw[2:-1] if raw.startswith("${") and raw.endswith("}") else raw
        try:
            return Expr(text, scope).parse()
        except RecursionError:
            return Unknown("expression nested too deeply to evaluate")
        except (Failure, IndexError, ValueError) as exc:
            return Unknown(f"expression not evaluated ({str(exc)[:80] or type(exc).__name__})")

    def variable(self, name: str) -> Any:
        """An argument of the module call, else the variable's default; either converted by the
        variable's type constraint (:mod:`.terraform_types`: ``optional()`` defaults)."""
        if name in self.arguments:
            if name in self.from_defaults:
                self.default_reads += 1
            raw_value: Any = self.arguments[name]
        else:
            block = self.variables.get(name)
            if block is None:
                return Unknown(f"var.{name} is not declared here",
                           same_as=("terraform", f"{self.prefix}var.{name}", ""))
            default = block.get("attributes", {}).get("default")
            if default is None:
                return Unknown(f"var.{name} has no default (set when the module is applied)",
                               same_as=("terraform", f"{self.prefix}var.{name}", ""))
            self.default_reads += 1
            raw_value = None
        if name in self._variables:
            return self._variables[name]
        block = self.variables.get(name) or {}
        if raw_value is None and name not in self.arguments:
            raw_value = self.value(block["attributes"]["default"].get("value"))
        type_raw = block.get("attributes", {}).get("type")
        vtype = parse_type(type_raw.get("value")) if type_raw else None
        value = terraform_types.convert(raw_value, vtype)
        self._variables[name] = value
        return value

    def local(self, name: str) -> Any:
        if name in self._locals:
            if self._local_defaults.get(name):
                self.default_reads += 1
            return self._locals[name]
        if name not in self.locals_raw:
            return Unknown(f"local.{name} is not declared here",
                           same_as=("terraform", f"{self.prefix}local.{name}", ""))
        if name in self._busy:
            return Unknown(f"local.{name} refers to itself")
        self._busy.add(name)
        before = self.default_reads
        try:
            value = self.value(self.locals_raw[name])
        finally:
            self._busy.discard(name)
        self._locals[name] = value
        self._local_defaults[name] = self.default_reads > before
        return value

    def resource_attribute(self, rtype: str, name: str, rest: List[Any]) -> Any:
        index = ""
        declared = self.resources.get((rtype, name), {}).get("attributes", {})
        if rest and isinstance(rest[0], (int, float)) and not isinstance(rest[0], bool):
            index, rest = f"[{int(rest[0])}]", rest[1:]
        elif rest and isinstance(rest[0], str) and "for_each" in declared:
            # aws_x.y["key"].attr: with for_each the first step is always the instance key.
            index, rest = '["' + rest[0] + '"]', rest[1:]
        elif rest and isinstance(rest[0], (Unknown, Symbolic)):
            index, rest = "[?]", rest[1:]
        address = f"{self.prefix}{rtype}.{name}"
        if not rest:
            return Unknown(f"{address}{index} (a whole resource) is not evaluated here")
        attr = str(rest[0])
        if index == "[?]":
            # Which instance is not known: its shape may be, but it equals nothing else.
            found = reference_value(rtype, attr, address + index)
            return _walk(found if isinstance(found, Symbolic) else
                         Unknown(f"{address}[?].{attr}, known after apply"), rest[1:])
        address += index
        if (rtype, name) not in self.resources:
            # Not declared here (another file, a partial copy): the reference still names its
            # type, and equals the same reference elsewhere.
            return Unknown(f"{address}.{attr}: no such resource in this module",
                           same_as=("terraform", address, attr))
        block = self.resources[(rtype, name)]
        literal = block.get("attributes", {}).get(attr)
        value = reference_value(rtype, attr, address)
        if isinstance(value, Unknown) and literal is not None and \
                "count" not in block.get("attributes", {}) and \
                "for_each" not in block.get("attributes", {}):
            # An argument written in the module (e.g. aws_s3_bucket.x.bucket): its value.
            found = self.value(literal.get("value"))
            if _known(found):
                return _walk(found, rest[1:])
        return _walk(value, rest[1:])


# --------------------------------------------------------------------------- expansion

AS_IF_CREATED = ("{what} only with the variables' defaults ({why}); a module is called "
                 "with other values, so this resource is judged as if created ({detail})")


def instances(block: Dict[str, Any], scope: Scope, address: str
              ) -> Tuple[List[Tuple[str, Scope]], Optional[str]]:
    """(address, scope) of each instance of a resource or module block, and a note when the
    instances are not known (then one instance stands for all, with ``each``/``count`` unknown).

    A ``count`` of 0 or an empty ``for_each`` is not created and not judged — unless it is so
    only through variables' defaults: a module is meant to be called with other values, and a
    linter judges every resource a module declares, so that resource is judged once, as if
    created, under its address without an index."""
    attrs = block.get("attributes", {})
    m = scope.module
    if "for_each" in attrs:
        before = m.default_reads
        coll = m.value(attrs["for_each"].get("value"), scope)
        from_defaults = m.default_reads > before
        if isinstance(coll, dict) and not isinstance(coll, Open) and _known_keys(coll):
            items = [(k, coll[k]) for k in sorted(coll)][:MAX_EXPANSION]
        elif isinstance(coll, list) and all(isinstance(x, str) for x in coll):
            items = [(x, x) for x in sorted(dict.fromkeys(coll))][:MAX_EXPANSION]
        else:
            why = coll.reason if isinstance(coll, Unknown) else "not a known map or set"
            return [(f"{address}[each]", scope.child(each=(Unknown("each.key not known here"),
                                                           Unknown("each.value not known here"))))], \
                f"for_each is not known here ({why}): judged once with each.* unknown"
        if not items:
            if from_defaults:
                return [(address, scope.child(each=(Unknown("each.key: no element"),
                                                    Unknown("each.value: no element"))))], \
                    AS_IF_CREATED.format(what="for_each is empty", why="for_each depends on "
                                         "variables", detail="each.key and each.value unknown")
            return [], "for_each is empty: not created, not judged"
        return [(f'{address}["{k}"]', scope.child(each=(k, v))) for k, v in items], None
    if "count" in attrs:
        before = m.default_reads
        n = m.value(attrs["count"].get("value"), scope)
        from_defaults = m.default_reads > before
        if isinstance(n, bool) or not isinstance(n, (int, float)):
            why = n.reason if isinstance(n, Unknown) else f"{n!r} is not a number"
            return [(f"{address}[count]", scope.child(count=Unknown("count.index not known")))], \
                f"count is not known here ({why}): judged once with count.index unknown"
        n = int(n)
        if n <= 0:
            if from_defaults:
                return [(address, scope.child(count=0))], AS_IF_CREATED.format(
                    what="count is 0", why="count depends on variables",
                    detail="count.index 0")
            return [], "count is 0: not created, not judged"
        return [(f"{address}[{i}]", scope.child(count=i)) for i in range(min(n, MAX_EXPANSION))], \
            None
    return [(address, scope)], None


def _known_keys(d: Dict[str, Any]) -> bool:
    return all(isinstance(k, str) for k in d)


Marks = Dict[tuple, Tuple[int, int]]

# Block lists whose order means nothing (origins are found by id): when some blocks are known
# and a dynamic block adds others not known here, the known ones are still judged.
ORDER_FREE = frozenset(("origin", "origin_group"))


class Partial(list):
    """Some of a block list's elements: others exist that are not known here."""

    partial = True


def body(block: Dict[str, Any], scope: Scope, path: tuple, marks: Marks,
         single: frozenset, notes: Callable[[tuple, str], None], depth: int = 0) -> Dict[str, Any]:
    """A block's arguments and nested blocks as the provider's schema shapes them (nested blocks
    as lists in source order, ``dynamic`` ones expanded), recording each part's line."""
    m = scope.module
    out: Dict[str, Any] = {}
    if depth > 32:
        notes(path, "blocks nested too deeply: the rest is not read")
        return out
    for name, attr in block.get("attributes", {}).items():
        if name in ("count", "for_each", "depends_on", "lifecycle", "provider"):
            continue
        out[name] = m.value(attr.get("value"), scope)
        marks[path + (name,)] = (attr.get("line") or block.get("line") or 1, 1)
    nested: Dict[str, List[Tuple[int, Any, int]]] = {}
    undecided: set = set()
    maybe: set = set()  # block types with blocks that may or may not be generated
    for child in block.get("blocks", []):
        ctype = child.get("type")
        if ctype == "dynamic" and child.get("labels"):
            label = child["labels"][0]
            generated = _dynamic(child, scope, path, notes)
            if generated is None:
                undecided.add(label)
                continue
            for line, inner_scope, content, sure in generated:
                nested.setdefault(label, []).append((line, (content, inner_scope), 1))
                if not sure:
                    maybe.add(label)
        elif ctype in ("lifecycle", "provisioner", "connection"):
            continue
        else:
            nested.setdefault(ctype, []).append((child.get("line") or 0, (child, scope), 0))
    for ctype, entries in nested.items():
        entries.sort(key=lambda e: e[0])  # source order, dynamic blocks where they stand
        values = []
        for i, (line, (child, cscope), _) in enumerate(entries):
            cpath = path + (ctype,) + (() if ctype in single else (i,))
            marks.setdefault(cpath, (line or 1, 1))
            values.append(body(child, cscope, cpath, marks, single, notes, depth + 1))
        out[ctype] = Partial(values) if ctype in maybe else values
    for ctype in undecided:
        marks.setdefault(path + (ctype,), (block.get("line") or 1, 1))
        if ctype in ORDER_FREE and out.get(ctype):
            # Origins have no order: the ones known are judged, the list is marked incomplete.
            out[ctype] = Partial(out[ctype])
            continue
        # Some blocks of this type are not known: the list is not judged as if complete.
        out[ctype] = Unknown(f"dynamic \"{ctype}\" blocks over a collection not known here")
    return out


def _dynamic(block: Dict[str, Any], scope: Scope, path: tuple, notes):
    """The content blocks a ``dynamic`` block generates: (line, scope, content, sure) each, or
    None when they cannot be told (the collection is an error or not a collection).

    Over a collection known only in part, or not at all, each element not known stands for
    zero or more blocks (``sure`` False): its content is judged once with the iterator's key
    and value unknown — what the content decides without them holds for every block it
    generates, as a resource with an unknown ``for_each`` is judged once — and the list is
    then incomplete (its order is not judged)."""
    m = scope.module
    label = block["labels"][0]
    attrs = block.get("attributes", {})
    iterator = label
    if "iterator" in attrs:
        it = attrs["iterator"].get("value")
        iterator = it.strip("${}\"") if isinstance(it, str) else label
    contents = [b for b in block.get("blocks", []) if b.get("type") == "content"]
    if not contents:
        return []
    content = contents[0]
    coll = m.value(attrs.get("for_each", {}).get("value"), scope)
    rounds = _rounds(coll)
    if not isinstance(rounds, list):
        if isinstance(rounds, Error):
            notes(path + (label,), f"dynamic \"{label}\" block: its for_each is an error here "
                                   f"({rounds.reason}): the {label} blocks are not judged")
        else:
            notes(path + (label,), f"dynamic \"{label}\" block over a collection not known "
                                   f"here ({rounds.reason}): the {label} blocks are not judged")
        return None
    if any(not sure for sure, _, _ in rounds):
        why = coll.reason if isinstance(coll, Unknown) else "members not known here"
        notes(path + (label,), f"dynamic \"{label}\" block over a collection not known here "
                               f"({why}): each {label} block it may generate is judged with "
                               f"{iterator}.key and {iterator}.value as far as known; the order "
                               f"of the {label} blocks is not judged")
    line = block.get("line") or 0
    return [(line + i / (MAX_EXPANSION + 1.0),
             scope.child(iterator=(iterator, {"key": k, "value": v})), content, sure)
            for i, (sure, k, v) in enumerate(rounds[:MAX_EXPANSION])]


# --------------------------------------------------------------------------- module walk

class Evaluated:
    """What a module (and the local modules it calls) declares, evaluated."""

    def __init__(self) -> None:
        # address -> (type, body, path, file)
        self.resources: Dict[str, Tuple[str, Any, tuple, str]] = {}
        self.marks: Dict[str, Marks] = {}  # file -> path -> (line, column)
        self.notes: List[Tuple[str, str, tuple, str]] = []  # (address, message, path, file)
        # address -> the resource block's cfhttps:ignore comments, [(line, text)]
        self.ignores: Dict[str, list] = {}


def evaluate(module: Dict[str, Any], single: frozenset, wanted: frozenset,
             prefix: str = "", arguments: Optional[Dict[str, Any]] = None,
             out: Optional[Evaluated] = None, depth: int = 0,
             from_defaults: frozenset = frozenset()) -> Evaluated:
    """Every resource of a ``wanted`` type in the module and its local module calls, one body per
    instance. A resource's path starts ``("resource", type, name)``, as it is written."""
    out = out if out is not None else Evaluated()
    m = ModuleEval(module, prefix, arguments, from_defaults)
    for err in module.get("errors", []):
        out.notes.append(("", str(err), (), ""))
    for block in m.blocks:
        labels = block.get("labels") or []
        file = str(block.get("file", ""))
        if block.get("type") == "resource" and len(labels) >= 2 and labels[0] in wanted:
            rtype, name = labels[0], labels[1]
            path = ("resource", rtype, name)
            marks = out.marks.setdefault(file, {})
            marks.setdefault(path, (block.get("line") or 1, 1))
            found, note = instances(block, m.scope, f"{prefix}{rtype}.{name}")
            if note:
                out.notes.append((f"{prefix}{rtype}.{name}", note, path, file))
            for address, scope in found:
                def add_note(npath, message, _a=address, _f=file):
                    out.notes.append((_a, message, npath, _f))
                value = body(block, scope, path, marks, single, add_note)
                out.resources[address] = (rtype, value, path, file)
                if block.get("ignore"):
                    out.ignores[address] = list(block["ignore"])
                # References in the module name the resource without its instance key.
                out.resources.setdefault(f"{prefix}{rtype}.{name}", (rtype, value, path, file))
        elif block.get("type") == "module" and labels:
            call = labels[0]
            child = module.get("calls", {}).get(call)
            where = f"{prefix}module.{call}"
            file_path = ("module", call)
            if not isinstance(child, dict) or "remote" in child or "error" in child:
                why = (f"a remote module ({child['remote']}): not read" if isinstance(child, dict)
                       and "remote" in child else (child or {}).get("error", "not read")
                       if isinstance(child, dict) else "not read")
                out.notes.append((where, f"module {call} is {why}" if "remote" in str(why) else
                                  f"module {call}: {why}", file_path, file))
                continue
            if depth >= 16:
                out.notes.append((where, "modules nested too deeply: not followed", file_path, file))
                continue
            found, note = instances(block, m.scope, where)
            if note:
                out.notes.append((where, note, file_path, file))
            for address, scope in found:
                args, tainted = {}, set()
                for k, a in block.get("attributes", {}).items():
                    if k in ("source", "version", "count", "for_each", "providers",
                             "depends_on"):
                        continue
                    before = m.default_reads
                    args[k] = m.value(a.get("value"), scope)
                    if m.default_reads > before:
                        tainted.add(k)
                evaluate(child, single, wanted, address + ".", args, out, depth + 1,
                         frozenset(tainted))
    return out
