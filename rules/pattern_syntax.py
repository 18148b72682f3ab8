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

import re
import string
from typing import Dict, List, Optional, Sequence, Union

from . import memo

MAX_LENGTH = 255
ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_-.*$/~\"'@:+&?")


class PatternError(ValueError):
    """A value that CloudFront would not accept as a path pattern."""


class Pattern:
    """A parsed, normalised pattern: its shape, read at construction, and its bitset automaton,
    built on first use.

    Shape fields: ``head`` — the tokens before the first ``*`` (``?`` included; the whole
    pattern when it has no star), ``tail`` — the tokens after the last ``*`` (empty without a
    star), ``stars`` — how many ``*``, ``fixed`` — how many characters every match has at least
    (the non-star tokens). ``prefix``/``suffix``: the literal text before the first / after the
    last wildcard of either kind (the overlap index keys on them). ``literals``: the literal
    characters. All of these come from a few ``str.find``/``str.count`` calls.

    Automaton fields (``star``, ``quest``, ``lit``, ``litpos``, ``init``, ``accept``, ``sink``)
    and the integer codes of head and tail (``head_code``, ``tail_code``) are computed when
    first read (:meth:`__getattr__`): most patterns of a distribution are settled by their
    shapes alone and never stepped, and afterwards the fields are plain slots, as fast to read
    as ever.
    """

    __slots__ = ("source", "tokens", "star", "quest", "lit", "litpos", "init", "accept", "sink",
                 "literals", "prefix", "suffix", "head", "tail", "stars", "fixed", "head_code",
                 "tail_code")

    def __init__(self, source: str, tokens: str) -> None:
        self.source = source
        self.tokens = tokens
        n = len(tokens)
        first = tokens.find("*")
        if first < 0:
            self.stars = 0
            self.head = tokens
            self.tail = ""
            last = -1
        else:
            self.stars = tokens.count("*")
            self.head = tokens[:first]
            last = tokens.rfind("*")
            self.tail = tokens[last + 1:]
        self.fixed = n - self.stars
        quest = tokens.find("?")
        if quest < 0:
            self.prefix = self.head
            self.suffix = tokens[last + 1:]
            self.literals = frozenset(tokens.replace("*", "")) if first >= 0 else frozenset(tokens)
        else:
            self.prefix = tokens[:quest if first < 0 or quest < first else first]
            self.suffix = tokens[max(last, tokens.rfind("?")) + 1:]
            self.literals = frozenset(tokens.replace("*", "").replace("?", ""))

    def __getattr__(self, name: str):
        """Build the lazily computed fields the first time one of them is read (only called
        when the slot is still empty)."""
        if name in _AUTOMATON_FIELDS:
            self._build_automaton()
        elif name in _CODE_FIELDS:
            self.head_code = code(self.head)
            self.tail_code = code(self.tail)
        else:
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    def _build_automaton(self) -> None:
        tokens = self.tokens
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
        self.accept = 1 << len(tokens)
        self.litpos = (self.accept - 1) & ~(star | quest)  # positions whose next token is literal
        # A trailing star: once it is reached every continuation matches (the pattern is
        # "universal from here"), which lets the searches drop whole branches.
        self.sink = (1 << (len(tokens) - 1)) if tokens.endswith("*") else 0
        self.init = 1 | ((1 & star) << 1)

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

    def match_steps(self, body: str):
        """(does this pattern match the path body, pattern-steps its automaton takes on it,
        stopping where it dies). Computed from the shape without stepping when the pattern has
        at most one star: before its first star a pattern is a chain that dies on the first
        token the body disagrees with; once its star is reached it never dies. Stepped
        otherwise."""
        head = self.head
        n = len(head)
        k = _agreed(head, body, self.prefix)
        if k < n:  # the chain dies on position k, or the body ends before
            return False, k + 1 if k < len(body) else len(body)
        if self.stars == 0:
            return (True, n) if len(body) == n else (False, n + 1)
        if self.stars == 1:
            m = len(self.tail)
            if len(body) < self.fixed:
                return False, len(body)
            return _agreed(self.tail, body[len(body) - m:], "") == m, len(body)
        mask = self.init
        step = self.step
        for ch in body:
            mask = step(mask, ch)
        return bool(mask & self.accept), len(body)

    def is_universal(self) -> bool:
        return self.tokens == "*"

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other.tokens == self.tokens

    def __hash__(self) -> int:
        return hash(self.tokens)


_AUTOMATON_FIELDS = frozenset(("star", "quest", "lit", "litpos", "init", "accept", "sink"))
_CODE_FIELDS = frozenset(("head_code", "tail_code"))


def _agreed(tokens: str, text: str, prefix: str) -> int:
    """How many leading positions of the star-free token string ``tokens`` the text agrees
    with (a ``?`` agrees with any character) before they disagree or the text ends.
    ``prefix``: the literal start of ``tokens`` (up to its first ``?``)."""
    if text.startswith(tokens):
        return len(tokens)
    if not text.startswith(prefix):
        k = 0
    else:
        k = len(prefix)
    end = min(len(tokens), len(text))
    while k < end:
        t = tokens[k]
        if t != "?" and t != text[k]:
            return k
        k += 1
    return k


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
    if _FORBIDDEN.search(pattern) is not None:
        bad = sorted({c for c in pattern if c not in ALLOWED_CHARACTERS})
        shown = ", ".join(repr(c) for c in bad[:5])
        return f"path pattern contains character(s) CloudFront does not allow: {shown}"
    return None


# Any character outside ALLOWED_CHARACTERS (one regex scan instead of a loop per character).
_FORBIDDEN = re.compile("[^" + re.escape("".join(sorted(ALLOWED_CHARACTERS))) + "]")
_STAR_RUN = re.compile(r"\*\*+")


def _normalise(text: str) -> str:
    """One leading ``/`` dropped, runs of ``*`` collapsed to one (they match the same)."""
    if text.startswith("/"):
        text = text[1:]
    if "**" in text:
        text = _STAR_RUN.sub("*", text)
    return text


# Parsed patterns by their text (bounded: an estate audit must not grow memory with its size).
# A Pattern is a value: what it answers depends on its text alone.
_PARSED = memo.table("pattern_syntax.parsed", 4096)


def parsed_before(pattern: object) -> Optional[Pattern]:
    """The parsed pattern when this text was parsed before (and is still remembered), else
    None: a dictionary look-up, for callers that parse many patterns mostly seen before."""
    return _PARSED.get(pattern) if pattern.__class__ is str else None


def parse(pattern: Union[str, Pattern]) -> Pattern:
    """Parse a CloudFront path pattern; raises :class:`PatternError` for values CloudFront rejects."""
    if isinstance(pattern, Pattern):
        return pattern
    cached = _PARSED.get(pattern) if isinstance(pattern, str) else None
    if cached is not None:
        return cached
    reason = problem(pattern)
    if reason is not None:
        raise PatternError(reason)
    return _PARSED.remember(pattern, Pattern(pattern, _normalise(pattern)))


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


def parsed(patterns: Sequence) -> List[Pattern]:
    """Patterns and texts as parsed patterns (a text CloudFront refuses raises)."""
    return [p if p.__class__ is Pattern else parse(p) for p in patterns]
