"""CloudFront's path-pattern syntax: what a pattern may contain, its normal form, matching.

Semantics (``docs/cloudfront-facts.md``, CFDG "Path pattern"): ``*`` matches any string
including ``/``, ``?`` exactly one character, everything else is a literal, case-sensitive;
one leading ``/`` is insignificant; at most 255 characters from a fixed set.

A parsed :class:`Pattern` is also an NFA whose states are token positions, simulated with
bitsets (bit *i* set = "the first *i* tokens are consumed"); the searches over several patterns
(``rules.pattern_search``) and the linear-time shape decisions (``rules.pattern_shapes``) read
its fields. Nothing here searches.
"""

from __future__ import annotations

import string
from typing import Dict, Optional, Union

MAX_LENGTH = 255
ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_-.*$/~\"'@:+&?")


class PatternError(ValueError):
    """A value that CloudFront would not accept as a path pattern."""


class Pattern:
    """A parsed, normalised pattern with its bitset automaton and its shape.

    Shape fields: ``head`` — the tokens before the first ``*`` (``?`` included; the whole
    pattern when it has no star), ``tail`` — the tokens after the last ``*`` (empty without a
    star), ``stars`` — how many ``*``, ``fixed`` — how many characters every match has at least
    (the non-star tokens). ``prefix``/``suffix``: the literal text before the first / after the
    last wildcard of either kind (the overlap index keys on them).
    """

    __slots__ = ("source", "tokens", "star", "quest", "lit", "litpos", "init", "accept", "sink",
                 "literals", "prefix", "suffix", "head", "tail", "stars", "fixed", "head_code",
                 "tail_code", "_tables")

    def __init__(self, source: str, tokens: str) -> None:
        self.source = source
        self.tokens = tokens
        star = quest = 0
        lit: Dict[str, int] = {}
        for i, t in enumerate(tokens):
            if t == "*":
                star |= 1 << i
            elif t == "?":
                quest |= 1 << i
            else:
                lit[t] = lit.get(t, 0) | (1 << i)
        self.star = star
        self.quest = quest
        self.lit = lit
        self.literals = frozenset(lit)
        self.accept = 1 << len(tokens)
        self.litpos = (self.accept - 1) & ~(star | quest)  # positions whose next token is literal
        # A trailing star: once it is reached every continuation matches (the pattern is
        # "universal from here"), which lets the searches drop whole branches.
        self.sink = (1 << (len(tokens) - 1)) if tokens.endswith("*") else 0
        self.init = self.close(1)
        cut = min((i for i, t in enumerate(tokens) if t in "*?"), default=len(tokens))
        self.prefix = tokens[:cut]
        cut = max((i for i, t in enumerate(tokens) if t in "*?"), default=-1)
        self.suffix = tokens[cut + 1:]
        self.stars = tokens.count("*")
        self.fixed = len(tokens) - self.stars
        first = tokens.find("*")
        self.head = tokens if first < 0 else tokens[:first]
        self.tail = "" if first < 0 else tokens[tokens.rfind("*") + 1:]
        self.head_code = code(self.head)
        self.tail_code = code(self.tail)
        self._tables: Dict[str, tuple] = {}

    def close(self, mask: int) -> int:
        # Stars are collapsed during parsing, so one pass reaches the fixpoint.
        return mask | ((mask & self.star) << 1)

    def step(self, mask: int, char: str) -> int:
        if not mask:
            return 0
        moved = (mask & (self.lit.get(char, 0) | self.quest)) << 1
        return self.close(moved | (mask & self.star))

    def step_any(self, mask: int) -> int:
        """The union of :meth:`step` over every character: each literal or ``?`` position
        advances on some character, stars stay."""
        return self.close(((mask & ~self.star & (self.accept - 1)) << 1) | (mask & self.star))

    def accepts(self, mask: int) -> bool:
        return bool(mask & self.accept)

    def is_universal(self) -> bool:
        return self.tokens == "*"

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other.tokens == self.tokens

    def __hash__(self) -> int:
        return hash(self.tokens)


_QUESTION_TO_ZERO = bytes.maketrans(b"?", b"\x00")
_LITERAL_TO_FF = bytes(0 if c == ord("?") else 0xFF for c in range(256))


def code(tokens: str):
    """A star-free token string as two integers, one byte per token: its characters (``?`` as
    0) and a mask (0xFF where the token is a literal). Position-by-position comparisons of two
    token strings then take a few integer operations (``pattern_shapes``) instead of a loop."""
    raw = tokens.encode("ascii", "replace")
    return (int.from_bytes(raw.translate(_QUESTION_TO_ZERO), "big"),
            int.from_bytes(raw.translate(_LITERAL_TO_FF), "big"))


def problem(pattern: object) -> Optional[str]:
    """Why CloudFront would not accept this pattern, or None when it would."""
    if not isinstance(pattern, str):
        return f"path pattern must be a string, got {type(pattern).__name__}"
    if pattern == "":
        return "path pattern is empty"
    if len(pattern) > MAX_LENGTH:
        return f"path pattern is {len(pattern)} characters long; CloudFront allows at most {MAX_LENGTH}"
    bad = sorted({c for c in pattern if c not in ALLOWED_CHARACTERS})
    if bad:
        shown = ", ".join(repr(c) for c in bad[:5])
        return f"path pattern contains character(s) CloudFront does not allow: {shown}"
    return None


def _normalise(text: str) -> str:
    if text.startswith("/"):
        text = text[1:]
    out = []
    for ch in text:
        if ch == "*" and out and out[-1] == "*":
            continue
        out.append(ch)
    return "".join(out)


_CACHE: Dict[str, Pattern] = {}


def parse(pattern: Union[str, Pattern]) -> Pattern:
    """Parse a CloudFront path pattern; raises :class:`PatternError` for values CloudFront rejects."""
    if isinstance(pattern, Pattern):
        return pattern
    cached = _CACHE.get(pattern) if isinstance(pattern, str) else None
    if cached is not None:
        return cached
    reason = problem(pattern)
    if reason is not None:
        raise PatternError(reason)
    parsed = Pattern(pattern, _normalise(pattern))
    if len(_CACHE) >= 4096:  # bounded: an estate audit must not grow memory with its size
        _CACHE.clear()
    _CACHE[pattern] = parsed
    return parsed


def path_body(path: str) -> str:
    """The path without its one insignificant leading ``/``."""
    return path[1:] if path.startswith("/") else path


def matches(pattern: Union[str, Pattern], path: str) -> bool:
    """Does CloudFront's pattern match this request path?"""
    p = parse(pattern)
    mask = p.init
    for ch in path_body(path):
        mask = p.step(mask, ch)
        if not mask:
            return False
    return p.accepts(mask)
