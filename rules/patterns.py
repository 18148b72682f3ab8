"""CloudFront's path-pattern language, decided exactly with automata.

Semantics (``docs/cloudfront-facts.md``, CFDG "Path pattern"): ``*`` matches any string
including ``/``, ``?`` exactly one character, everything else is a literal, case-sensitive;
one leading ``/`` is insignificant; at most 255 characters from a fixed set. First match wins and
the default behaviour (``*``) is tried last, so behaviour *i* serves
``R_i = L(p_i) minus the union of L(p_j), j < i``.

A pattern is an NFA whose states are token positions. We simulate it with bitsets (bit *i* set =
"the first *i* tokens are consumed"), which *is* the subset construction, one pattern at a time;
questions over several patterns explore the product of those bitsets. The alphabet is the set of
literal characters involved plus one fresh character standing for all others: any two characters
outside the literal set behave alike, so the answers are exact.

Worst cases are exponential, so every exploration takes a :class:`Budget`. When it runs out the
answer is :data:`UNDECIDED` — never a guess, never a hang.
"""

from __future__ import annotations

import heapq
import string
from collections import deque
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

MAX_LENGTH = 255
ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_-.*$/~\"'@:+&?")
DEFAULT_MAX_STATES = 20000


class _Undecided:
    """The answer when the state bound was hit. Falsy-safe: compare with ``is UNDECIDED``."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDECIDED"

    def __bool__(self) -> bool:
        raise TypeError("UNDECIDED has no truth value; test `is UNDECIDED`")


UNDECIDED = _Undecided()


class PatternError(ValueError):
    """A value that CloudFront would not accept as a path pattern."""


class Budget:
    """States that may still be explored, shared by several questions (one distribution)."""

    __slots__ = ("per_question", "remaining")

    def __init__(self, per_question: int = DEFAULT_MAX_STATES, total: Optional[int] = None) -> None:
        self.per_question = max(1, int(per_question))
        self.remaining = self.per_question * 10 if total is None else int(total)

    def limit(self) -> int:
        """States the next question may use: never more than a sixteenth of what is left (at
        least 500), so that a few hard questions cannot starve all the easy ones after them."""
        share = max(500, self.remaining // 16)
        return max(0, min(self.per_question, share, self.remaining))


class Pattern:
    """A parsed, normalised pattern with its bitset automaton."""

    __slots__ = ("source", "tokens", "star", "quest", "lit", "litpos", "init", "accept",
                 "literals", "prefix", "suffix", "_reversed", "_tables")

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
        self.init = self.close(1)
        # The literal text before the first and after the last wildcard (cheap overlap tests).
        cut = min((i for i, t in enumerate(tokens) if t in "*?"), default=len(tokens))
        self.prefix = tokens[:cut]
        cut = max((i for i, t in enumerate(tokens) if t in "*?"), default=-1)
        self.suffix = tokens[cut + 1:]
        self._reversed = None
        self._tables: Dict[str, tuple] = {}

    def reversed(self) -> "Pattern":
        """The mirror pattern: matches the reversed paths (for suffix questions)."""
        if self._reversed is None:
            self._reversed = Pattern(self.source, self.tokens[::-1])
        return self._reversed

    def close(self, mask: int) -> int:
        # Stars are collapsed during parsing, so one pass reaches the fixpoint.
        return mask | ((mask & self.star) << 1)

    def step(self, mask: int, char: str) -> int:
        if not mask:
            return 0
        moved = (mask & (self.lit.get(char, 0) | self.quest)) << 1
        return self.close(moved | (mask & self.star))

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


def _glob(pattern: Union[str, Pattern]) -> Pattern:
    """Parse unless already parsed: the questions below accept strings or Patterns."""
    if isinstance(pattern, Pattern):
        return pattern
    return parse(pattern)


def _path_body(path: str) -> str:
    return path[1:] if path.startswith("/") else path


def matches(pattern: Union[str, Pattern], path: str) -> bool:
    """Does CloudFront's pattern match this request path?"""
    p = _glob(pattern)
    mask = p.init
    for ch in _path_body(path):
        mask = p.step(mask, ch)
        if not mask:
            return False
    return p.accepts(mask)


# --------------------------------------------------------------------------- alphabets

_PREFERENCE = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_.~$@:+&'\"/"


_ALPHABETS: Dict[frozenset, str] = {}


def _alphabet(patterns: Iterable[Pattern]) -> str:
    """Literal characters of the patterns plus one fresh character, readable ones first (as a
    string: symbol i is ``alphabet[i]``, and it keys the per-pattern tables)."""
    literals: frozenset = frozenset()
    for p in patterns:
        literals = literals | p.literals
    cached = _ALPHABETS.get(literals)
    if cached is not None:
        return cached
    if len(_ALPHABETS) > 4096:
        _ALPHABETS.clear()
    _ALPHABETS[literals] = result = _make_alphabet(literals)
    return result


def _make_alphabet(literals: frozenset) -> str:
    fresh = next((c for c in _PREFERENCE if c not in literals and c != "/"), None)
    if fresh is None:  # every printable choice is literal: any other character will do
        fresh = next(chr(c) for c in range(0x100, 0x10000) if chr(c) not in literals)
    chars = literals | {fresh}
    rank = {c: i for i, c in enumerate(_PREFERENCE)}
    return "".join(sorted(chars, key=lambda c: (rank.get(c, len(rank)), c)))


# --------------------------------------------------------------------------- readability

# Readability automaton over the path body: 0 = start of path, 1 = start of a segment,
# 2 = inside a segment. Costs: an empty segment, a segment starting with '.', a trailing '/'.
def _read_step(state: int, ch: str) -> Tuple[int, int]:
    if ch == "/":
        return 1, (1 if state != 2 else 0)
    if state != 2 and ch == ".":
        return 2, 1
    return 2, 0


_READ_SPECIAL = frozenset("/.")  # the characters the readability automaton distinguishes


def _read_final(state: int) -> int:
    return 1 if state == 1 else 0


def _live_literals(pats: Sequence[Pattern], masks: Sequence[int], out: set) -> bool:
    """Add to ``out`` the literal characters some pattern could consume next from these states:
    every other symbol moves all of them alike (wildcards only), so one stands for all. Returns
    False, leaving ``out`` incomplete, when the states are too busy for this to pay (hostile
    patterns with hundreds of live positions: then every symbol is simply tried)."""
    live_bits = 0
    for p, m in zip(pats, masks):
        live_bits += (m & p.litpos).bit_count()
        if live_bits > _LIVE_LIMIT:
            return False
    for p, m in zip(pats, masks):
        mm = m & p.litpos
        tokens = p.tokens
        while mm:
            low = mm & -mm
            out.add(tokens[low.bit_length() - 1])
            mm ^= low
    return True


_LIVE_LIMIT = 24


def _tables(pats: List[Pattern], alphabet: str):
    """Per pattern: the positions each alphabet symbol may advance, and the star positions.
    Remembered on the pattern (at most eight alphabets each, so memory stays bounded)."""
    out = []
    for p in pats:
        table = p._tables.get(alphabet)
        if table is None:
            if len(p._tables) >= 8:
                p._tables.clear()
            table = p._tables[alphabet] = ([p.lit.get(ch, 0) | p.quest for ch in alphabet], p.star)
        out.append(table)
    return out


def example(include: Sequence[Union[str, Pattern]], exclude: Sequence[Union[str, Pattern]] = (),
            budget: Optional[Budget] = None):
    """A shortest readable path matched by every ``include`` pattern and no ``exclude`` pattern.

    Returns the path (with its leading ``/``), ``None`` when there is none, or ``UNDECIDED``.
    "Readable" breaks ties among candidates: fewer empty segments, hidden segments and trailing
    slashes first, then shorter, then letters before other characters.
    """
    inc = [p if p.__class__ is Pattern else parse(p) for p in include] or [parse("*")]
    exc = [p if p.__class__ is Pattern else parse(p) for p in exclude]
    key = ("example", tuple([p.tokens for p in inc]), tuple([p.tokens for p in exc]))
    known = _MEMO.get(key, _ABSENT)  # None ("no such path") is a remembered answer too
    if known is not _ABSENT:
        return known
    return _remember(key, _example(inc, exc, budget or Budget()))


def _example(inc: List[Pattern], exc: List[Pattern], budget: Budget):
    limit = budget.limit()
    alphabet = _alphabet(inc + exc)
    t_inc = _tables(inc, alphabet)
    t_exc = _tables(exc, alphabet)
    lead_lit = [inc[0].lit.get(ch, 0) for ch in alphabet]
    wild0 = inc[0].star | inc[0].quest
    everything = range(len(alphabet))
    start = (tuple(p.init for p in inc), tuple(p.init for p in exc), 0)
    heap: list = [(0, 0, 0, start, "")]
    best: Dict[tuple, Tuple[int, int]] = {start: (0, 0)}
    counter = 0
    popped = 0
    try:
        while heap:
            cost, length, _, state, word = heapq.heappop(heap)
            if state is None:  # the sink: an accepting word with its final cost settled
                return "/" + word
            if best.get(state, (cost, length)) < (cost, length):
                continue
            popped += 1
            if popped > limit:
                return UNDECIDED
            inc_m, exc_m, rstate = state
            if all(p.accepts(m) for p, m in zip(inc, inc_m)) and \
                    not any(p.accepts(m) for p, m in zip(exc, exc_m)):
                counter += 1
                heapq.heappush(heap, (cost + _read_final(rstate), length, counter, None, word))
            m0 = inc_m[0]
            if m0 & wild0:
                # Symbols no pattern could consume next as a literal (other than '/' and '.',
                # which readability tells apart) all lead to the same state at the same cost:
                # the first of them in alphabet order is the only one that could be kept.
                live = set(_READ_SPECIAL)
                if _live_literals(inc, inc_m, live) and _live_literals(exc, exc_m, live):
                    symbols = []
                    spare = True
                    for ci in everything:
                        if alphabet[ci] in live:
                            symbols.append(ci)
                        elif spare:
                            symbols.append(ci)
                            spare = False
                else:
                    symbols = everything
            else:  # no wildcard active in the first pattern: only its literals keep it alive
                symbols = [ci for ci in everything if m0 & lead_lit[ci]]
            for ci in symbols:
                ch = alphabet[ci]
                n_inc = _advance(t_inc, inc_m, ci, True)
                if n_inc is None:
                    continue
                n_exc = _advance(t_exc, exc_m, ci, False)
                n_r, extra = _read_step(rstate, ch)
                nstate = (n_inc, n_exc, n_r)
                key = (cost + extra, length + 1)
                if nstate in best and best[nstate] <= key:
                    continue
                best[nstate] = key
                counter += 1
                heapq.heappush(heap, (key[0], key[1], counter, nstate, word + ch))
        return None
    finally:
        budget.remaining -= popped


def intersection(p: Union[str, Pattern], q: Union[str, Pattern], budget: Optional[Budget] = None):
    """A shortest readable path both patterns match, ``None``, or ``UNDECIDED``."""
    return example([p, q], (), budget)


def _advance(tables, masks, ci: int, strict: bool):
    """One step of several bitset automata on symbol index ci; None if strict and one dies."""
    out = []
    for (adv, star), m in zip(tables, masks):
        if m:
            nm = ((m & adv[ci]) << 1) | (m & star)
            m = nm | ((nm & star) << 1)
        if strict and not m:
            return None
        out.append(m)
    return tuple(out)


def _explore_nonempty(inc: List[Pattern], exc: List[Pattern], budget: Budget):
    """Is L(inc...) minus L(exc...) non-empty? True / False / UNDECIDED (no witness).

    Depth-first and lazy: from each state it follows one successor at a time, trying first the
    characters that advance the first include pattern, then those no exclude pattern names, and
    returns at the first state that accepts. When the answer is yes, a path is usually found in
    about as many steps as the patterns are long, having computed about one successor per step;
    when it is no, every reachable product state is visited either way. The step is inlined over
    precomputed tables: this is the engine's hot loop.
    """
    limit = budget.limit()
    alphabet = _alphabet(inc + exc)
    n_sym = len(alphabet)
    t_inc = _tables(inc, alphabet)
    t_exc = _tables(exc, alphabet)
    lead_lit = [inc[0].lit.get(ch, 0) for ch in alphabet]
    # Symbols no exclude pattern names literally: trying them early keeps exclusions from
    # progressing, which finds paths that escape them quickly.
    excluded_literals = frozenset().union(*(q.literals for q in exc))
    neutral = [ci for ci, ch in enumerate(alphabet) if ch not in excluded_literals]
    named = [ci for ci, ch in enumerate(alphabet) if ch in excluded_literals]
    acc_inc = [p.accept for p in inc]
    acc_exc = [p.accept for p in exc]

    def accepting(inc_m, exc_m) -> bool:
        for a, m in zip(acc_inc, inc_m):
            if not m & a:
                return False
        for a, m in zip(acc_exc, exc_m):
            if m & a:
                return False
        return True

    wild0 = inc[0].star | inc[0].quest
    rest = neutral + named

    def order(inc_m, exc_m) -> List[int]:
        m0 = inc_m[0]
        first = [ci for ci in range(n_sym) if m0 & lead_lit[ci]]
        if not m0 & wild0:
            return first  # no wildcard is active: any other symbol kills the first pattern
        # Symbols no pattern could consume next as a literal all lead to one and the same
        # state: one of them stands for all.
        live: set = set()
        if not (_live_literals(inc, inc_m, live) and _live_literals(exc, exc_m, live)):
            return first + [ci for ci in rest if not m0 & lead_lit[ci]]
        spare = True
        for ci in rest:
            if alphabet[ci] in live:
                if not m0 & lead_lit[ci]:
                    first.append(ci)
            elif spare:
                first.append(ci)
                spare = False
        return first

    start = (tuple(p.init for p in inc), tuple(p.init for p in exc))
    if accepting(*start):
        return True
    seen = {start}
    stack = [(start, iter(order(*start)))]
    count = 1
    try:
        while stack:
            (inc_m, exc_m), symbols = stack[-1]
            for ci in symbols:
                n_inc = []
                for (adv, star), m in zip(t_inc, inc_m):
                    nm = ((m & adv[ci]) << 1) | (m & star)
                    nm |= (nm & star) << 1
                    if not nm:
                        break
                    n_inc.append(nm)
                else:
                    n_exc = []
                    for (adv, star), m in zip(t_exc, exc_m):
                        if m:
                            nm = ((m & adv[ci]) << 1) | (m & star)
                            m = nm | ((nm & star) << 1)
                        n_exc.append(m)
                    nstate = (tuple(n_inc), tuple(n_exc))
                    if nstate in seen:
                        continue
                    seen.add(nstate)
                    count += 1
                    if count > limit:
                        return UNDECIDED
                    if accepting(*nstate):
                        return True
                    stack.append((nstate, iter(order(*nstate))))
                    break
            else:
                stack.pop()
        return False
    finally:
        budget.remaining -= count


# Decided answers are pure functions of the patterns, and estates repeat the same patterns across
# many distributions: remember them (bounded, so memory stays flat). UNDECIDED is never stored.
_MEMO: Dict[tuple, object] = {}
_ABSENT = object()
_MEMO_LIMIT = 8192


def _remember(key: tuple, value):
    if value is not UNDECIDED:
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        _MEMO[key] = value
    return value


def nonempty(include: Sequence, exclude: Sequence = (), budget: Optional[Budget] = None):
    """Is there a path every ``include`` pattern matches and no ``exclude`` pattern matches?
    True / False / UNDECIDED. Stops at the first such path (a depth-first product search)."""
    return nonempty_parsed([p if p.__class__ is Pattern else parse(p) for p in include],
                           [p if p.__class__ is Pattern else parse(p) for p in exclude], budget)


def nonempty_parsed(inc: List[Pattern], exc: List[Pattern], budget: Optional[Budget] = None):
    """:func:`nonempty` for already parsed patterns (the ordering checks ask many)."""
    exc_tokens = tuple([q.tokens for q in exc])
    if "*" in exc_tokens:  # a universal pattern excludes everything
        return False
    key = ("nonempty", tuple([p.tokens for p in inc]), exc_tokens)
    known = _MEMO.get(key)
    if known is not None:
        return known
    return _remember(key, _explore_nonempty(inc, exc, budget or Budget()))


def overlaps(p, q, budget: Optional[Budget] = None):
    """True / False / UNDECIDED: do two patterns share a path?"""
    if p.__class__ is not Pattern:
        p = parse(p)
    if q.__class__ is not Pattern:
        q = parse(q)
    a, b = p.tokens, q.tokens
    key = ("overlap", a, b) if a <= b else ("overlap", b, a)
    known = _MEMO.get(key)
    if known is not None:
        return known
    quick = _quick_overlap(p, q)
    if quick is not None:
        return _remember(key, quick)
    return _remember(key, _explore_nonempty([p, q], [], budget or Budget()))


def included(p, qs: Sequence, budget: Optional[Budget] = None):
    """Is L(p) inside the union of L(q) for q in qs? True / False / UNDECIDED."""
    result = nonempty_parsed([p if p.__class__ is Pattern else parse(p)],
                             [q if q.__class__ is Pattern else parse(q) for q in qs], budget)
    if result is UNDECIDED:
        return UNDECIDED
    return not result


def capture(later: Pattern, earlier: Pattern, blockers: List[Pattern],
            budget: Optional[Budget] = None):
    """How an earlier pattern, tried after ``blockers``, takes paths from a later one:
    ``(served, inside, example)`` — does it serve some path of ``later`` first (True / False /
    UNDECIDED); when it does, does its whole language lie inside ``later``'s (a deliberate
    carve-out; True / False / UNDECIDED); and when it does not, a shortest readable such path.
    One remembered answer for the three questions the order checks ask of a pair."""
    key = ("capture", later.tokens, earlier.tokens, tuple([q.tokens for q in blockers]))
    known = _MEMO.get(key)
    if known is not None:
        return known
    # Usually the earlier pattern does serve some path and the example is wanted anyway: the
    # example search answers "served?" too (None: no such path), so it goes first.
    found = example([later, earlier], blockers, budget)
    if found is UNDECIDED:  # the cheaper yes/no search may still settle it
        served = nonempty_parsed([later, earlier], blockers, budget)
    else:
        served = found is not None
    inside = example_path = None
    if served is True:
        inside = nonempty_parsed([earlier], [later], budget)
        inside = UNDECIDED if inside is UNDECIDED else not inside
        if inside is False:
            example_path = found
    answer = (served, inside, example_path)
    if served is UNDECIDED or inside is UNDECIDED or example_path is UNDECIDED:
        return answer
    return _remember(key, answer)


def overlap_mask(p: Pattern, pats: Sequence[Pattern], candidates: int,
                 budget: Optional[Budget] = None) -> int:
    """Bit k set for each bit k of ``candidates`` where ``pats[k]`` may share a path with p
    (overlap True or UNDECIDED): a row of an overlap matrix in one call."""
    b = p.tokens
    memo = _MEMO
    mask = 0
    while candidates:
        low = candidates & -candidates
        candidates ^= low
        q = pats[low.bit_length() - 1]
        a = q.tokens
        known = memo.get(("overlap", a, b) if a <= b else ("overlap", b, a))
        if known is None:
            known = overlaps(q, p, budget)
        if known is not False:
            mask |= low
    return mask


def _quick_overlap(p: Pattern, q: Pattern) -> Optional[bool]:
    """Cheap certain answers: differing literal prefixes or suffixes never overlap."""
    a, b = p.prefix, q.prefix
    n = min(len(a), len(b))
    if a[:n] != b[:n]:
        return False
    a, b = p.suffix, q.suffix
    n = min(len(a), len(b))
    if n and a[-n:] != b[-n:]:
        return False
    if "*" not in p.tokens and "*" not in q.tokens and len(p.tokens) != len(q.tokens):
        return False  # fixed-length patterns of different lengths
    if p.is_universal() or q.is_universal():
        return True
    # `X*` (X without stars): q shares a path with it iff q's automaton can still be alive after
    # reading some string X matches (a live state can always reach acceptance in a glob).
    # `*X` likewise on the mirror images; a star-free X needs q to accept such a string.
    for a, b in ((p, q), (q, p)):
        t = a.tokens
        if "*" not in t:
            return bool(_alive_after(b, t) & b.accept)
        if t.endswith("*") and "*" not in t[:-1]:
            return bool(_alive_after(b, t[:-1]))
        if t.startswith("*") and "*" not in t[1:]:
            return bool(_alive_after(b.reversed(), t[1:][::-1]))
    return None


def _alive_after(q: Pattern, tokens: str) -> int:
    """Positions of q reachable by *some* string matched by the star-free pattern ``tokens``
    (``?`` = any character): the union over those strings, one token at a time."""
    mask = q.init
    others = list(q.literals) + ["\x00"]  # "\x00" stands for every non-literal character
    for t in tokens:
        if t == "?":
            nxt = 0
            for ch in others:
                nxt |= q.step(mask, ch)
            mask = nxt
        else:
            mask = q.step(mask, t)
        if not mask:
            return 0
    return mask


class Profile:
    """Who serves the paths of a target pattern, given patterns tried in order before it.

    ``servers``: indices (into the ``earlier`` list) of the patterns that serve at least one path
    of the target first. ``uncovered``: some path of the target matches none of them.
    ``decided``: False when the budget ran out (then the sets are lower bounds).
    """

    __slots__ = ("servers", "uncovered", "decided")

    def __init__(self, servers, uncovered, decided) -> None:
        self.servers = servers
        self.uncovered = uncovered
        self.decided = decided

    def __repr__(self) -> str:
        return f"Profile(servers={sorted(self.servers)}, uncovered={self.uncovered}, decided={self.decided})"


def profile(target: Union[str, Pattern], earlier: Sequence[Optional[Union[str, Pattern]]],
            budget: Optional[Budget] = None) -> Profile:
    """First-match partition of the target's paths among the earlier patterns (None = skip)."""
    budget = budget or Budget()
    t = _glob(target)
    # Only patterns that share a path with the target can serve any of its paths.
    cand: List[Tuple[int, Pattern]] = []
    for idx, q in enumerate(earlier):
        if q is None:
            continue
        qq = _glob(q)
        ov = overlaps(t, qq, budget)
        if ov is UNDECIDED or ov:  # an undecided pair stays in the product: still exact
            cand.append((idx, qq))
    if not cand:
        return Profile(set(), True, True)
    # A universal earlier pattern swallows everything after it.
    for pos, (_, qq) in enumerate(cand):
        if qq.is_universal():
            cand = cand[: pos + 1]
            break
    pats = [t] + [qq for _, qq in cand]
    alphabet = _alphabet(pats)
    limit = budget.limit()
    start = tuple(p.init for p in pats)
    seen = {start}
    queue = deque([start])
    servers = set()
    uncovered = False
    want = len(cand) + 1
    count = 0
    while queue:
        state = queue.popleft()
        count += 1
        if count > limit:
            budget.remaining -= count
            return Profile(servers, uncovered, False)
        if t.accepts(state[0]):
            for k in range(1, len(pats)):
                if pats[k].accepts(state[k]):
                    servers.add(cand[k - 1][0])
                    break
            else:
                uncovered = True
            if len(servers) + (1 if uncovered else 0) == want:
                break
        for ch in alphabet:
            m0 = t.step(state[0], ch)
            if not m0:
                continue
            nstate = (m0,) + tuple(p.step(m, ch) for p, m in zip(pats[1:], state[1:]))
            if nstate not in seen:
                seen.add(nstate)
                queue.append(nstate)
    budget.remaining -= count
    return Profile(servers, uncovered, True)
