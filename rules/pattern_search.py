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

A search is a pure function of its patterns and its two limits (pattern-steps, product
states; ``rules.budget``): it returns its answer — :data:`UNDECIDED` when a limit was hit — with
the pattern-steps it took and the product states it visited, and leaves charging them to
``rules.pattern_answers``, which also remembers decided answers with that cost.
"""

from __future__ import annotations

import heapq
import string
from typing import Dict, Iterable, List, Optional, Tuple

from .budget import UNDECIDED
from .pattern_syntax import Pattern

# --------------------------------------------------------------------------- alphabets

_PREFERENCE = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_.~$@:+&'\"/"
_RANK = {c: i for i, c in enumerate(_PREFERENCE)}


def _alphabet(patterns: Iterable[Pattern]) -> str:
    """Literal characters of the patterns plus one fresh character, readable ones first (as a
    string: symbol i is ``alphabet[i]``, and it keys the per-pattern tables)."""
    literals: frozenset = frozenset()
    for p in patterns:
        literals = literals | p.literals
    chars = literals | {fresh_character(literals)}
    return "".join(sorted(chars, key=lambda c: (_RANK.get(c, len(_RANK)), c)))


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

def search_nonempty(inc: List[Pattern], exc: List[Pattern], limit: int, max_states: int):
    """Is L(inc...) minus L(exc...) non-empty? ``(answer, pattern-steps, states)``: the answer
    is True / False / UNDECIDED (no witness; ``limit`` pattern-steps or ``max_states`` product
    states were not enough).

    Depth-first and lazy: from each state it follows one successor at a time, trying first the
    symbols no live exclude pattern names (they escape the exclusions), and returns at the first
    state that accepts. When the answer is yes a path is usually found in about as many steps as
    the patterns are long; when it is no, every reachable product state is visited either way.
    Decided within ``limit`` and ``max_states``, it is decided the same way (same answer, same
    work) within any larger ones.
    """
    prod = _Product(inc, exc)
    alphabet = prod.alphabet

    def entry(state):
        symbols, moves, named = prod.expand(state)
        if len(symbols) > 1 and named:
            symbols = ([ci for ci in symbols if alphabet[ci] not in named]
                       + [ci for ci in symbols if alphabet[ci] in named])
        return state, iter(symbols), moves

    start = prod.start()
    if start is None:
        return False, prod.work, 0
    if prod.accepting(start):
        return True, prod.work, 1
    seen = {start}
    stack = [entry(start)]
    count = 1
    while stack:
        state, symbols, moves = stack[-1]
        for ci in symbols:
            nstate = prod.successor(state, ci, moves)
            if prod.work > limit:
                return UNDECIDED, prod.work, count
            if nstate is None or nstate in seen:
                continue
            seen.add(nstate)
            count += 1
            if count > max_states:
                return UNDECIDED, prod.work, count
            if prod.accepting(nstate):
                return True, prod.work, count
            stack.append(entry(nstate))
            break
        else:
            stack.pop()
    return False, prod.work, count


def search_example(inc: List[Pattern], exc: List[Pattern], limit: int, max_states: int):
    """A shortest readable path matched by every ``inc`` and no ``exc`` pattern (with its
    leading ``/``), None, or UNDECIDED, as ``(answer, pattern-steps, states)`` like
    :func:`search_nonempty` (states: those taken from the queue).

    Best-first over (readability cost, length); ties go to the earlier symbol in alphabet
    order, so letters come before other characters. Readability: fewer empty segments, hidden
    segments and trailing slashes.
    """
    prod = _Product(inc, exc)
    alphabet = prod.alphabet
    pstate = prod.start()
    if pstate is None:
        return None, prod.work, 0
    popped = 0
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
            return UNDECIDED, prod.work, popped
        if nxt is None:
            return None, prod.work, popped
        ch = alphabet[symbols[0]]
        rstate, extra = _read_step(rstate, ch)
        if (nxt, rstate) in walked:  # a cycle: the search would find the queue empty
            return None, prod.work, popped
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
            return "/" + word, prod.work, popped
        if best.get(state, (cost, length)) < (cost, length):
            continue
        popped += 1
        if popped > max_states:
            return UNDECIDED, prod.work, popped
        pstate, rstate = state
        if prod.accepting(pstate):
            counter += 1
            heapq.heappush(heap, (cost + _read_final(rstate), length, counter, None, word))
        symbols, moves, _ = prod.expand(pstate)
        for ci in symbols:
            nxt = prod.successor(pstate, ci, moves)
            if prod.work > limit:
                return UNDECIDED, prod.work, popped
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
    return None, prod.work, popped
