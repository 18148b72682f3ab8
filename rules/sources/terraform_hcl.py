"""Evaluate a parsed Terraform module (plain data from :mod:`cfhttps_io.terraform`) into resource
bodies in the provider's schema, as far as the module decides them.

Decided: literals; ``var.X`` (a module call's argument, else the variable's ``default``);
``local.X``; string templates; arithmetic, comparisons and conditionals over known values;
a few pure functions (``lookup``, ``merge``, ``concat``, ``coalesce``, ``join``, ``format`` with
``%s``, ``lower``/``upper``, ``length``, ``tostring``/``tolist``/``toset``); ``dynamic`` blocks
and ``count``/``for_each`` over known collections; references to other resources of the module
(an S3 website or REST endpoint attribute keeps its host shape, other attributes are unknowns
that equal the same reference elsewhere, see :func:`.terraform.reference_value`). Everything
else (``data`` sources, module outputs, ``for`` expressions, other functions, directives) is an
:class:`Unknown` whose reason says what was not evaluated — never a guess.

Standard library only. Work is bounded: expression length, nesting, expansions.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..model import Symbolic, Unknown

MAX_EXPR_CHARS = 100_000
MAX_DEPTH = 100
MAX_EXPANSION = 1000  # instances of one count/for_each/dynamic block
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ROOTS_UNKNOWN = {"data": "a data source", "module": "a module output", "path": "a path",
                  "terraform": "terraform metadata", "self": "self"}


class Failure(Exception):
    """The expression text could not be read (inside this module only)."""


def _is_unknown(v: Any) -> bool:
    return isinstance(v, (Unknown, Symbolic))


def _as_unknown(v: Any, why: str) -> Unknown:
    return v if isinstance(v, Unknown) else Unknown(why)


def _concat(parts: List[Any]) -> Any:
    """A template's value: a string, a :class:`Symbolic` with holes, or one unknown."""
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]  # "${x}" is x itself
    out: List[Any] = []
    for p in parts:
        if isinstance(p, Symbolic):
            out.extend(p.parts)
        elif isinstance(p, bool):
            out.append("true" if p else "false")
        elif isinstance(p, (int, float)):
            out.append(str(p))
        elif isinstance(p, (str, Unknown)):
            out.append(p)
        elif p is None:
            return Unknown("a template interpolates null")
        else:
            return Unknown("a template interpolates a collection")
    merged: List[Any] = []
    for p in out:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    if all(isinstance(p, str) for p in merged):
        return "".join(merged)
    return Symbolic(merged)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


class Expr:
    """A recursive-descent reader that evaluates as it reads (HCL's expression syntax)."""

    def __init__(self, text: str, scope: "Scope") -> None:
        self.s = text
        self.i = 0
        self.scope = scope
        self.depth = 0

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
            if self.peek("."):
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
        return self.scope.finish(chain)

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
            raise Failure("heredoc")
        if c == "(":
            self.i += 1
            v = self.expr()
            self.need(")")
            return v
        if c == "[":
            self.i += 1
            if re.match(r"\s*for\s", s[self.i:self.i + 12]):
                self.skip_balanced("[", "]")
                return Unknown("a for expression")
            out = []
            while not self.eat("]"):
                out.append(self.expr())
                if not self.eat(","):
                    self.need("]")
                    break
            return out
        if c == "{":
            self.i += 1
            if re.match(r"\s*for\s", s[self.i:self.i + 12]):
                self.skip_balanced("{", "}")
                return Unknown("a for expression")
            obj: Dict[str, Any] = {}
            unknown_key = None
            while not self.eat("}"):
                key = self.object_key()
                if not (self.eat("=") or self.eat(":")):
                    raise Failure("expected = or : in an object")
                value = self.expr()
                if isinstance(key, str):
                    obj[key] = value
                else:
                    unknown_key = key
                self.eat(",")
            return _as_unknown(unknown_key, "an object key not known here") \
                if unknown_key is not None else obj
        m = _NUMBER.match(s, self.i)
        if m:
            self.i = m.end()
            text = m.group(0)
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
        if self.peek("::"):  # provider::name::function
            raise Failure("provider function")
        return _Chain((name,))

    def object_key(self) -> Any:
        self.ws()
        if self.peek("("):
            self.i += 1
            k = self.expr()
            self.need(")")
            return k
        if self.peek('"'):
            self.i += 1
            return self.template('"')
        name = self._ident()
        if name is None:
            raise Failure("expected an object key")
        return name

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
        if expand:
            return Unknown(f"{name}(...) with expanded arguments")
        return _call(name, args)

    def template(self, end: str) -> Any:
        parts: List[Any] = []
        buf: List[str] = []
        s, n = self.s, len(self.s)
        while True:
            if self.i >= n:
                raise Failure("unterminated string")
            c = s[self.i]
            if c == end:
                self.i += 1
                break
            if c == "\\" and self.i + 1 < n:
                nxt = s[self.i + 1]
                if nxt == "u" and re.match(r"[0-9a-fA-F]{4}", s[self.i + 2:self.i + 6]):
                    buf.append(chr(int(s[self.i + 2:self.i + 6], 16)))
                    self.i += 6
                    continue
                buf.append(_ESCAPES.get(nxt, "\\" + nxt))
                self.i += 2
                continue
            if s.startswith("$${", self.i) or s.startswith("%%{", self.i):
                buf.append(s[self.i + 1:self.i + 3])
                self.i += 3
                continue
            if s.startswith("${", self.i):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                self.i += 2
                self.eat("~")
                parts.append(self.expr())
                self.eat("~")
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
        if buf or not parts:
            parts.append("".join(buf))
        return _concat(parts)


class _Chain(tuple):
    """A reference being read: its root name and traversal steps, resolved when complete."""


def _step(value: Any, key: Any) -> Any:
    if isinstance(value, _Chain):
        return _Chain(value + (key,))
    return _index(value, key)


def _index(value: Any, key: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(key, Unknown):
        return key
    if isinstance(value, dict):
        if isinstance(key, str) and key in value:
            return value[key]
        return Unknown(f"no key {key!r}")
    if isinstance(value, list) and isinstance(key, (int, float)) and not isinstance(key, bool):
        k = int(key)
        return value[k] if 0 <= k < len(value) else Unknown(f"index {k} out of range")
    if isinstance(value, list) and isinstance(key, str) and key.isdigit():
        return _index(value, int(key))
    return Unknown(f"cannot index {type(value).__name__} with {key!r}")


def _same(a: Any, b: Any) -> bool:
    return not _is_unknown(a) and not _is_unknown(b) and type(a) is type(b) and a == b \
        and not isinstance(a, (list, dict))


def _operate(op: str, a: Any, b: Any) -> Any:
    if op in ("||", "&&"):
        if op == "||" and (a is True or b is True):
            return True
        if op == "&&" and (a is False or b is False):
            return False
        if isinstance(a, bool) and isinstance(b, bool):
            return a or b if op == "||" else a and b
        return Unknown(f"{op} over values not known here")
    if _is_unknown(a) or _is_unknown(b):
        return a if isinstance(a, Unknown) else (b if isinstance(b, Unknown) else
                                                 Unknown(f"{op} over values not known here"))
    if op in ("==", "!="):
        equal = a == b and type(a) is type(b) or (
            isinstance(a, (int, float)) and isinstance(b, (int, float))
            and not isinstance(a, bool) and not isinstance(b, bool) and a == b)
        return equal if op == "==" else not equal
    num = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
    if not num:
        return Unknown(f"{op} over non-numbers")
    try:
        return {"<": lambda: a < b, ">": lambda: a > b, "<=": lambda: a <= b,
                ">=": lambda: a >= b, "+": lambda: a + b, "-": lambda: a - b,
                "*": lambda: a * b, "/": lambda: a / b, "%": lambda: a % b}[op]()
    except (ZeroDivisionError, OverflowError):
        return Unknown(f"{op} failed")


def _known(v: Any) -> bool:
    if _is_unknown(v):
        return False
    if isinstance(v, list):
        return all(_known(x) for x in v)
    if isinstance(v, dict):
        return all(_known(x) for x in v.values())
    return True


def _call(name: str, args: List[Any]) -> Any:
    """The few pure functions evaluated here; any other is an unknown naming it."""
    try:
        if name in ("tostring", "tolist", "toset", "tomap", "tonumber", "tobool") and \
                len(args) == 1:
            v = args[0]
            if name == "tostring" and isinstance(v, (int, float)) and not isinstance(v, bool):
                return str(v)
            if name == "toset" and isinstance(v, list) and _known(v):
                return list(dict.fromkeys(v)) if all(isinstance(x, str) for x in v) else v
            return v
        if name == "lookup" and len(args) in (2, 3):
            m, k = args[0], args[1]
            if isinstance(m, dict) and isinstance(k, str):
                if k in m:
                    return m[k]
                return args[2] if len(args) == 3 else Unknown(f"lookup: no key {k!r}")
            return _as_unknown(m if isinstance(m, Unknown) else k, "lookup over unknowns")
        if name == "merge":
            out: Dict[str, Any] = {}
            for a in args:
                if a is None:
                    continue
                if not isinstance(a, dict):
                    return _as_unknown(a, "merge over values not known here")
                out.update(a)
            return out
        if name == "concat":
            out_l: List[Any] = []
            for a in args:
                if not isinstance(a, list):
                    return _as_unknown(a, "concat over values not known here")
                out_l.extend(a)
            return out_l
        if name == "coalesce":
            for a in args:
                if _is_unknown(a):
                    return _as_unknown(a, "coalesce over values not known here")
                if a is not None and a != "":
                    return a
            return Unknown("coalesce: no non-empty argument")
        if name == "join" and len(args) == 2 and isinstance(args[0], str) and \
                isinstance(args[1], list):
            pieces: List[Any] = []
            for i, a in enumerate(args[1]):
                if i:
                    pieces.append(args[0])
                pieces.append(a)
            return _concat(pieces) if pieces else ""
        if name == "format" and args and isinstance(args[0], str) and \
                re.fullmatch(r"(?:[^%]|%%|%s)*", args[0]):
            pieces = []
            rest = list(args[1:])
            for token in re.split(r"(%%|%s)", args[0]):
                if token == "%%":
                    pieces.append("%")
                elif token == "%s":
                    if not rest:
                        return Unknown("format: too few arguments")
                    pieces.append(rest.pop(0))
                elif token:
                    pieces.append(token)
            return _concat(pieces) if pieces else ""
        if name in ("lower", "upper") and len(args) == 1 and isinstance(args[0], str):
            return args[0].lower() if name == "lower" else args[0].upper()
        if name == "length" and len(args) == 1 and isinstance(args[0], (list, dict, str)) \
                and not isinstance(args[0], Symbolic):
            return len(args[0])
    except RecursionError:
        return Unknown(f"{name}() nested too deeply")
    return Unknown(f"function {name}() is not evaluated here")


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
            what = ".".join(str(p) for p in value[:3])
            return Unknown(f"{what} ({_ROOTS_UNKNOWN[root]}) is not evaluated here",
                           same_as=("terraform", m.prefix + what, ""))
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
                 arguments: Optional[Dict[str, Any]] = None) -> None:
        self.data = module
        self.prefix = prefix  # "" or "module.a." / 'module.a["k"].'
        self.arguments = arguments or {}
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
        """A serialized value (python-hcl2's form) evaluated in ``scope``."""
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
        text = raw[2:-1] if raw.startswith("${") and raw.endswith("}") else raw
        try:
            return Expr(text, scope).parse()
        except (Failure, RecursionError, IndexError, ValueError) as exc:
            return Unknown(f"expression not evaluated ({str(exc)[:80] or type(exc).__name__})")

    def variable(self, name: str) -> Any:
        if name in self.arguments:
            return self.arguments[name]
        block = self.variables.get(name)
        if block is None:
            return Unknown(f"var.{name} is not declared")
        default = block.get("attributes", {}).get("default")
        if default is None:
            return Unknown(f"var.{name} has no default (set when the module is applied)",
                           same_as=("terraform", f"{self.prefix}var.{name}", ""))
        return self.value(default.get("value"))

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self.locals_raw:
            return Unknown(f"local.{name} is not declared")
        if name in self._busy:
            return Unknown(f"local.{name} refers to itself")
        self._busy.add(name)
        try:
            value = self.value(self.locals_raw[name])
        finally:
            self._busy.discard(name)
        self._locals[name] = value
        return value

    def resource_attribute(self, rtype: str, name: str, rest: List[Any]) -> Any:
        from .terraform import reference_value
        index = ""
        if rest and isinstance(rest[0], (int, float)) and not isinstance(rest[0], bool):
            index, rest = f"[{int(rest[0])}]", rest[1:]
        elif rest and isinstance(rest[0], Unknown):
            index, rest = "[?]", rest[1:]
        address = f"{self.prefix}{rtype}.{name}"
        if not rest:
            return Unknown(f"{address}{index} (a whole resource) is not evaluated here")
        attr = str(rest[0])
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

def instances(block: Dict[str, Any], scope: Scope, address: str
              ) -> Tuple[List[Tuple[str, Scope]], Optional[str]]:
    """(address, scope) of each instance of a resource or module block, and a note when the
    instances are not known (then one instance stands for all, with ``each``/``count`` unknown)."""
    attrs = block.get("attributes", {})
    m = scope.module
    if "for_each" in attrs:
        coll = m.value(attrs["for_each"].get("value"), scope)
        if isinstance(coll, dict) and _known_keys(coll):
            items = list(coll.items())[:MAX_EXPANSION]
        elif isinstance(coll, list) and all(isinstance(x, str) for x in coll):
            items = [(x, x) for x in dict.fromkeys(coll)][:MAX_EXPANSION]
        else:
            why = coll.reason if isinstance(coll, Unknown) else "not a known map or set"
            return [(f"{address}[each]", scope.child(each=(Unknown("each.key not known here"),
                                                           Unknown("each.value not known here"))))], \
                f"for_each is not known here ({why}): judged once with each.* unknown"
        return [(f'{address}["{k}"]', scope.child(each=(k, v))) for k, v in items], None
    if "count" in attrs:
        n = m.value(attrs["count"].get("value"), scope)
        if isinstance(n, bool) or not isinstance(n, (int, float)):
            why = n.reason if isinstance(n, Unknown) else f"{n!r} is not a number"
            return [(f"{address}[count]", scope.child(count=Unknown("count.index not known")))], \
                f"count is not known here ({why}): judged once with count.index unknown"
        n = int(n)
        if n <= 0:
            return [], "count is 0: not created, not judged"
        return [(f"{address}[{i}]", scope.child(count=i)) for i in range(min(n, MAX_EXPANSION))], \
            None
    return [(address, scope)], None


def _known_keys(d: Dict[str, Any]) -> bool:
    return all(isinstance(k, str) for k in d)


Marks = Dict[tuple, Tuple[int, int]]


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
    for child in block.get("blocks", []):
        ctype = child.get("type")
        if ctype == "dynamic" and child.get("labels"):
            label = child["labels"][0]
            generated = _dynamic(child, scope, path, notes)
            if generated is None:
                undecided.add(label)
                continue
            for line, inner_scope, content in generated:
                nested.setdefault(label, []).append((line, (content, inner_scope), 1))
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
        out[ctype] = values
    for ctype in undecided:
        # Some blocks of this type are not known: the list is not judged as if complete.
        out[ctype] = Unknown(f"dynamic \"{ctype}\" blocks over a collection not known here")
        marks.setdefault(path + (ctype,), (block.get("line") or 1, 1))
    return out


def _dynamic(block: Dict[str, Any], scope: Scope, path: tuple, notes):
    """The content blocks a ``dynamic`` block generates: (line, scope, content) each."""
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
    if isinstance(coll, dict) and _known_keys(coll):
        items = list(coll.items())
    elif isinstance(coll, list):
        items = list(enumerate(coll))
    else:
        why = coll.reason if isinstance(coll, Unknown) else "not a known collection"
        notes(path + (label,), f"dynamic \"{label}\" block over a collection not known here "
                               f"({why}): the {label} blocks are not judged as a list")
        return None
    line = block.get("line") or 0
    return [(line + i / (MAX_EXPANSION + 1.0), scope.child(iterator=(iterator, {"key": k, "value": v})),
             content) for i, (k, v) in enumerate(items[:MAX_EXPANSION])]


# --------------------------------------------------------------------------- module walk

class Evaluated:
    """What a module (and the local modules it calls) declares, evaluated."""

    def __init__(self) -> None:
        # address -> (type, body, path, file)
        self.resources: Dict[str, Tuple[str, Any, tuple, str]] = {}
        self.marks: Dict[str, Marks] = {}  # file -> path -> (line, column)
        self.notes: List[Tuple[str, str, tuple, str]] = []  # (address, message, path, file)


def evaluate(module: Dict[str, Any], single: frozenset, wanted: frozenset,
             prefix: str = "", arguments: Optional[Dict[str, Any]] = None,
             out: Optional[Evaluated] = None, depth: int = 0) -> Evaluated:
    """Every resource of a ``wanted`` type in the module and its local module calls, one body per
    instance. A resource's path starts ``("resource", type, name)``, as it is written."""
    out = out if out is not None else Evaluated()
    m = ModuleEval(module, prefix, arguments)
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
            for address, scope in instances(block, m.scope, where)[0]:
                args = {k: m.value(a.get("value"), scope)
                        for k, a in block.get("attributes", {}).items()
                        if k not in ("source", "version", "count", "for_each", "providers",
                                     "depends_on")}
                evaluate(child, single, wanted, address + ".", args, out, depth + 1)
    return out
