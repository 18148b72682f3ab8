"""The one search core: questions over several path patterns as a product automaton.

"Is there a path every include pattern matches and no exclude pattern matches?" — and, when
wanted, a shortest readable one. The product state is every include pattern's bitset state plus
the bitset states of the exclude patterns still alive (an exclude that dies is dropped; one that
reaches its trailing star excludes every continuation, so the branch is dead). The alphabet is
the literal characters involved plus one fresh character standing for all others: any two
characters outside the literal set behave alike, so the answers are exact.

One successor function (:meth:`_Product.successor`) and one choice of symbols
(:meth:`_Product.expand`) serve two strategies: a lazy depth-first search for yes/no, and a
best-first search for the shortest readable example.

Work is counted in *pattern-steps* — one pattern's automaton advanced by one symbol — which is
what the time of a search is proportional to (a state over 75 long patterns costs 75, one over
two short ones costs 2). A :class:`Budget` bounds the pattern-steps of a distribution's
questions and the product states of each question; when it runs out the answer is
:data:`UNDECIDED` — never a guess, never a hang.
"""

from __future__ import annotations

import heapq
import string
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .pattern_syntax import Pattern, parse

DEFAULT_MAX_STATES = 20000


class _Undecided:
    """The answer when the work bound was hit. Falsy-safe: compare with ``is UNDECIDED``."""

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

# Pattern-steps one question may always use while anything is left, so that a large total is
# not handed out in slivers.
_MIN_SHARE = 2000


class Budget:
    """The work a set of questions (one distribution) may still do.

    ``max_states``: product states one question may explore (the user's ``max_states``).
    ``remaining``: pattern-steps left for all questions together (the ordering checks give a
    distribution :func:`allowance`; a lone question gets ten times ``max_states``).
    """

    __slots__ = ("max_states", "remaining", "exhausted")

    def __init__(self, max_states: int = DEFAULT_MAX_STATES, total: Optional[int] = None) -> None:
        self.max_states = max(1, int(max_states))
        self.remaining = self.max_states * 10 if total is None else int(total)
        self.exhausted = False  # some question was cut off

    @property
    def per_question(self) -> int:  # the name earlier versions used
        return self.max_states

    def limit(self) -> int:
        """Pattern-steps the next question may use: never more than a sixteenth of what is
        left (but at least a small share), so that a few hard questions cannot starve all the
        easy ones after them."""
        share = max(_MIN_SHARE, self.remaining // 16)
        return max(0, min(share, self.remaining))


# Pattern-steps per behaviour per unit of max_states. Measured (bench/bench_ordering.py): one
# pattern-step, with the fixed cost per call and the analysis around the searches, costs about
# 1 us of CPU on hostile patterns (less on real ones); plain cfn-lint spends about 2.5 s plus
# 5 ms per cache behaviour of a template. With the default max_states (20000) a distribution of
# n behaviours may use 20000 * (n + 1) / 6, about 3,300 pattern-steps (~3 ms) per behaviour:
# its ordering analysis stays below cfn-lint's own time on it (hostile 75 behaviours: ~0.1x,
# 1,000: ~0.5x).
_STEPS_PER_STATE = 1 / 6


def allowance(behaviours: int, max_states: int = DEFAULT_MAX_STATES) -> int:
    """Pattern-steps for the ordering questions of a distribution with ``behaviours``
    behaviours (the default included): proportional to both."""
    return int(max(1, max_states) * (max(0, behaviours) + 1) * _STEPS_PER_STATE)


# --------------------------------------------------------------------------- alphabets

_PREFERENCE = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_.~$@:+&'\"/"
_RANK = {c: i for i, c in enumerate(_PREFERENCE)}
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
    chars = literals | {fresh_character(literals)}
    _ALPHABETS[literals] = result = "".join(
        sorted(chars, key=lambda c: (_RANK.get(c, len(_RANK)), c)))
    return result


def fresh_character(literals) -> str:
    """The most readable character none of ``literals`` is (never ``/``). ``literals``: any
    container of characters (a set, or a text holding them: only ``in`` is asked)."""
    fresh = next((c for c in _PREFERENCE if c not in literals and c != "/"), None)
    if fresh is None:  # every printable choice is literal: any other character will do
        fresh = next(chr(c) for c in range(0x100, 0x10000) if chr(c) not in literals)
    return fresh


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


# --------------------------------------------------------------------------- the product

_LIVE_LIMIT = 24  # live literal positions beyond which every symbol is simply tried
# The fixed cost of computing one successor or one expansion, in pattern-steps (measured:
# a call costs about as much as stepping four patterns), so that work over few patterns is
# not undercounted.
_CALL = 4


class _Product:
    """The product automaton of include and exclude patterns over their common alphabet.

    A state is ``(include masks, ((k, mask) for each live exclude k))``. ``work`` counts the
    pattern-steps spent, for the budget.
    """

    __slots__ = ("inc", "exc", "alphabet", "index", "t_inc", "t_exc", "acc_inc", "work")

    def __init__(self, inc: List[Pattern], exc: List[Pattern]) -> None:
        self.inc = inc
        self.exc = exc
        self.alphabet = alphabet = _alphabet(inc + exc)
        self.t_inc = [(p.lit, p.quest, p.star, p.sink) for p in inc]
        self.t_exc = [(q.lit, q.quest, q.star, q.sink) for q in exc]
        self.acc_inc = [p.accept for p in inc]
        self.index = {ch: ci for ci, ch in enumerate(alphabet)}
        self.work = 0

    def start(self):
        live = []
        for k, q in enumerate(self.exc):
            if q.init & q.sink:
                return None  # a universal exclude: nothing escapes it
            live.append((k, q.init))
        return tuple(p.init for p in self.inc), tuple(live)

    def accepting(self, state) -> bool:
        inc_m, exc_live = state
        for a, m in zip(self.acc_inc, inc_m):
            if not m & a:
                return False
        exc = self.exc
        for k, m in exc_live:
            if m & exc[k].accept:
                return False
        return True

    def expand(self, state):
        """What the successors of ``state`` need: ``(symbols, moves, named)``.

        ``symbols``: the symbols worth trying, in alphabet (readability) order. An include
        pattern with no wildcard active can only take its next literal, so only those are
        tried. Otherwise the symbols no pattern could consume next as a literal (other than '/'
        and '.', which readability tells apart) all lead to one and the same state: the first
        of them stands for all. When states are busy (hostile patterns with hundreds of live
        positions) computing that costs more than it saves, and every symbol is tried.

        ``moves``: the live excludes split into those with a wildcard active (stepped on every
        symbol) and the others by their one next literal (stepped only on it; any other symbol
        kills them), so that a symbol costs only the excludes it can move.

        ``named``: the characters live excludes could consume next (None when not computed).
        """
        inc_m, exc_live = state
        alphabet = self.alphabet
        exc = self.exc
        self.work += _CALL + len(inc_m) + len(exc_live)
        wild = []
        buckets: Dict[str, list] = {}
        named: Optional[set] = set()
        room = _LIVE_LIMIT
        for entry in exc_live:
            k, m = entry
            q = exc[k]
            if m & (q.star | q.quest):
                wild.append(entry)
                if named is not None:
                    room -= _add_live(q, m, named, room)
                    if room < 0:
                        named = None
            else:  # before any wildcard: one position, one next literal (none at the end)
                mm = m & q.litpos
                if mm:
                    ch = q.tokens[mm.bit_length() - 1]
                    buckets.setdefault(ch, []).append(entry)
                    if named is not None:
                        named.add(ch)
        moves = (wild, buckets)
        allowed = None
        for p, m in zip(self.inc, inc_m):
            if not m & (p.star | p.quest):
                # Before any wildcard a pattern is deterministic: one position, one literal.
                mm = m & p.litpos
                ci = self.index[p.tokens[mm.bit_length() - 1]] if mm else -1
                if allowed is None:
                    allowed = [ci] if ci >= 0 else []
                elif ci not in allowed:
                    allowed = []
        if allowed is not None:
            return allowed, moves, named
        everything = list(range(len(alphabet)))
        if named is None:
            return everything, moves, None
        live = set(_READ_SPECIAL) | named
        for p, m in zip(self.inc, inc_m):
            room -= _add_live(p, m, live, room)
            if room < 0:
                return everything, moves, named
        out = []
        spare = True
        for ci, ch in enumerate(alphabet):
            if ch in live:
                out.append(ci)
            elif spare:
                out.append(ci)
                spare = False
        return out, moves, named

    def successor(self, state, ci: int, moves):
        """The state after symbol ``ci`` (``moves`` from :meth:`expand`), or None when no
        accepting state can follow (an include pattern died or an exclude pattern reached its
        trailing star)."""
        inc_m = state[0]
        wild, buckets = moves
        ch = self.alphabet[ci]
        movers = buckets.get(ch, ())
        self.work += _CALL + len(inc_m) + len(wild) + len(movers)
        n_inc = []
        for (lit, quest, star, _), m in zip(self.t_inc, inc_m):
            nm = ((m & (lit.get(ch, 0) | quest)) << 1) | (m & star)
            nm |= (nm & star) << 1
            if not nm:
                return None
            n_inc.append(nm)
        n_exc = []
        t_exc = self.t_exc
        for group in (wild, movers):
            for k, m in group:
                lit, quest, star, sink = t_exc[k]
                nm = ((m & (lit.get(ch, 0) | quest)) << 1) | (m & star)
                if nm:
                    nm |= (nm & star) << 1
                    if nm & sink:
                        return None
                    n_exc.append((k, nm))
        if wild and movers:
            n_exc.sort()  # one canonical order: equal states must compare equal
        return tuple(n_inc), tuple(n_exc)


def _add_live(p: Pattern, m: int, out: set, budget: int) -> int:
    """Add the literals ``p`` could consume next from ``m``; returns the live positions counted
    (more than ``budget`` means it stopped early, ``out`` incomplete)."""
    mm = m & p.litpos
    n = mm.bit_count()
    if n > budget:
        return n
    tokens = p.tokens
    while mm:
        low = mm & -mm
        out.add(tokens[low.bit_length() - 1])
        mm ^= low
    return n


# --------------------------------------------------------------------------- the two strategies

def search_nonempty(inc: List[Pattern], exc: List[Pattern], budget: Budget):
    """Is L(inc...) minus L(exc...) non-empty? True / False / UNDECIDED (no witness).

    Depth-first and lazy: from each state it follows one successor at a time, trying first the
    symbols no live exclude pattern names (they escape the exclusions), and returns at the first
    state that accepts. When the answer is yes a path is usually found in about as many steps as
    the patterns are long; when it is no, every reachable product state is visited either way.
    """
    prod = _Product(inc, exc)
    limit = budget.limit()
    max_states = budget.max_states
    alphabet = prod.alphabet

    def entry(state):
        symbols, moves, named = prod.expand(state)
        if len(symbols) > 1 and named:
            symbols = ([ci for ci in symbols if alphabet[ci] not in named]
                       + [ci for ci in symbols if alphabet[ci] in named])
        return state, iter(symbols), moves

    start = prod.start()
    if start is None:
        return False
    if prod.accepting(start):
        return True
    seen = {start}
    stack = [entry(start)]
    count = 1
    try:
        while stack:
            state, symbols, moves = stack[-1]
            for ci in symbols:
                nstate = prod.successor(state, ci, moves)
                if prod.work > limit:
                    budget.exhausted = True
                    return UNDECIDED
                if nstate is None or nstate in seen:
                    continue
                seen.add(nstate)
                count += 1
                if count > max_states:
                    budget.exhausted = True
                    return UNDECIDED
                if prod.accepting(nstate):
                    return True
                stack.append(entry(nstate))
                break
            else:
                stack.pop()
        return False
    finally:
        budget.remaining -= prod.work


def search_example(inc: List[Pattern], exc: List[Pattern], budget: Budget):
    """A shortest readable path matched by every ``inc`` and no ``exc`` pattern (with its
    leading ``/``), None, or UNDECIDED.

    Best-first over (readability cost, length); ties go to the earlier symbol in alphabet
    order, so letters come before other characters. Readability: fewer empty segments, hidden
    segments and trailing slashes.
    """
    prod = _Product(inc, exc)
    limit = budget.limit()
    max_states = budget.max_states
    alphabet = prod.alphabet
    pstate = prod.start()
    if pstate is None:
        return None
    popped = 0
    try:
        # A forced start (an include pattern's literal head): while the only state queued has
        # exactly one successor, the best-first search would pop and push it alone; walk it
        # directly (same states, same order, same answer).
        cost, rstate, word = 0, 0, ""
        walked = {(pstate, rstate)}
        while not prod.accepting(pstate):
            symbols, moves, _ = prod.expand(pstate)
            if len(symbols) != 1:
                break
            nxt = prod.successor(pstate, symbols[0], moves)
            popped += 1
            if popped > max_states or prod.work > limit:
                budget.exhausted = True
                return UNDECIDED
            if nxt is None:
                return None
            ch = alphabet[symbols[0]]
            rstate, extra = _read_step(rstate, ch)
            if (nxt, rstate) in walked:  # a cycle: the search would find the queue empty
                return None
            walked.add((nxt, rstate))
            cost += extra
            word += ch
            pstate = nxt
        start = (pstate, rstate)
        heap: list = [(cost, len(word), 0, start, word)]
        best: Dict[tuple, Tuple[int, int]] = {start: (cost, len(word))}
        counter = 0
        while heap:
            cost, length, _, state, word = heapq.heappop(heap)
            if state is None:  # the sink: an accepting word with its final cost settled
                return "/" + word
            if best.get(state, (cost, length)) < (cost, length):
                continue
            popped += 1
            if popped > max_states:
                budget.exhausted = True
                return UNDECIDED
            pstate, rstate = state
            if prod.accepting(pstate):
                counter += 1
                heapq.heappush(heap, (cost + _read_final(rstate), length, counter, None, word))
            symbols, moves, _ = prod.expand(pstate)
            for ci in symbols:
                nxt = prod.successor(pstate, ci, moves)
                if prod.work > limit:
                    budget.exhausted = True
                    return UNDECIDED
                if nxt is None:
                    continue
                ch = alphabet[ci]
                n_r, extra = _read_step(rstate, ch)
                nstate = (nxt, n_r)
                key = (cost + extra, length + 1)
                if nstate in best and best[nstate] <= key:
                    continue
                best[nstate] = key
                counter += 1
                heapq.heappush(heap, (key[0], key[1], counter, nstate, word + ch))
        return None
    finally:
        budget.remaining -= prod.work


def prefix_suffix_example(inc: List[Pattern], exc: List[Pattern]) -> Optional[str]:
    """:func:`search_example` without a search for its commonest question: two includes, one
    ``L*`` and one ``*R`` (``L`` and ``R`` without ``*``, ``?`` allowed), and excludes that do
    not match the answer for the includes alone. None when the question has another shape or
    an exclude matches (then the search answers it).

    Every word of both is ``L`` then ``R``, overlapping or with free characters between them, so
    the candidates are one per length from ``max(|L|, |R|)`` (full overlap) to ``|L| + |R| + 1``
    (one free character): every free position (a ``?`` or a gap) takes ``a`` (the alphabet's
    first character), which costs nothing and leaves the readability automaton
    inside a segment, from where nothing that follows costs more; so a longer word never costs
    less, and at each length that spelling is the cheapest and the first in alphabet order.
    The least (readability cost, length) wins, as in the search; tests check equality with
    :func:`search_example` on generated patterns (tests/test_pattern_shapes.py).
    """
    if len(inc) != 2:
        return None
    p, q = inc
    if p.stars != 1 or q.stars != 1:
        return None
    if not p.tokens.endswith("*"):
        p, q = q, p
    left, right = p.tokens, q.tokens
    if not left.endswith("*") or not right.startswith("*"):
        return None
    left, right = left[:-1], right[1:]
    if not left or not right:
        return None
    best = None
    for n, word in _spellings(left, right):
        key = (_readability_cost(word), n)
        if best is None or key < best[0]:
            best = (key, word)
            if key[0] == 0:
                break  # nothing cheaper can follow, and every later word is longer
    path = "/" + best[1]
    # With excludes: the best path of the includes alone is the best of what the excludes
    # leave when no exclude matches it (the ranking is one total order); else search.
    for x in exc:
        if _matches_body(x, best[1]):
            return None
    return path


def _spellings(left: str, right: str):
    """``(length, word)`` for each length a word of both ``left*`` and ``*right`` can have,
    shortest first, up to one free character between them, ``?`` and the free character
    spelled ``a`` (the alphabet's first character, literal or not: it heads _PREFERENCE, so
    it is the fresh character whenever no pattern names it)."""
    nl, nr = len(left), len(right)
    if "?" not in left and "?" not in right:
        # R may start inside L where what L has from there on starts R: R's first v
        # characters end with L's last one, longest overlap (shortest word) first.
        last = left[-1]
        pos = right.rfind(last, 0, min(nl, nr))
        while pos >= 0:
            if left.endswith(right[:pos + 1]):
                yield nl + nr - pos - 1, left + right[pos + 1:]
            pos = right.rfind(last, 0, pos)
        yield nl + nr, left + right
        yield nl + nr + 1, left + "a" + right
        return
    for n in range(max(nl, nr), nl + nr + 2):
        off = n - nr  # where R starts; positions off .. nl - 1 belong to both
        if off < nl:
            word = _merged(left, right, off)
            if word is None:
                continue  # the overlap disagrees somewhere
        else:
            word = left + "?" * (off - nl) + right
        yield n, word.replace("?", "a")


def _merged(left: str, right: str, off: int) -> Optional[str]:
    """``left`` with ``right`` laid over it from position ``off`` (a ``?`` takes the other's
    character), or None where two literals disagree."""
    merged = []
    for a, b in zip(left[off:], right):
        if a == "?":
            a = b
        elif b != "?" and a != b:
            return None
        merged.append(a)
    return left[:off] + "".join(merged) + right[len(left) - off:]


def _readability_cost(word: str) -> int:
    """The readability automaton's cost of a path body (:func:`_read_step`), per segment: an
    empty one before a '/', one that starts with '.', an empty last one (a trailing '/'; the
    word is never empty)."""
    if "//" not in word and word[0] != "/":  # no empty segment but perhaps the last one
        return word.count("/.") + (word[0] == ".") + (word[-1] == "/")
    segments = word.split("/")
    return (sum(1 for seg in segments[:-1] if not seg)
            + sum(1 for seg in segments if seg[:1] == ".") + (segments[-1] == ""))


def _matches_body(p: Pattern, body: str) -> bool:
    return p.match_steps(body)[0]


def parsed(patterns: Sequence) -> List[Pattern]:
    return [p if p.__class__ is Pattern else parse(p) for p in patterns]
