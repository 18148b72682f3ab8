"""The ordering analysis of one distribution: its patterns in order, which pairs overlap, and
the narrow questions the order checks (``rules.checks.ordering``) ask about them, within the
distribution's work allowance.

Pairwise overlaps are decided first, once per pair that a literal index leaves (each in time
linear in the patterns' length), and kept as one bitmask per behaviour; every later question
includes only the patterns that matter and goes to ``rules.patterns``. All questions of a
distribution share one :class:`~rules.budget.Budget` of ``allowance(behaviours, max_states)``
pattern-steps, asked in the checks' fixed order.

What it remembers between distributions (``rules.memo``), keyed on everything each depends
on and charged again on every reuse:

- a *layout*'s literal indexes and overlap rows, with the pattern-steps they cost, keyed on
  the patterns in order, whether the last is the default behaviour, and ``max_states``;
- the outcome of each *step* (:meth:`Analysis.step`: a check's questions, asked in the checks'
  fixed order) with the analysis's whole state after it — work left, answers paid for — keyed
  on the layout and the steps taken so far with their inputs (the HTTP flags for CFH006, and
  the sensitive globs too for CFH007, which steps on a fork). A distribution starts from a
  fixed allowance and each step is a pure function of the state before it and its inputs, so
  the state after a step is a function of that key: a remembered step leaves the analysis
  exactly as computing it would, and what follows answers the same.
"""

from __future__ import annotations

import copy
from bisect import bisect_left
from typing import List, Optional

from . import memo, pattern_shapes, patterns
from .budget import Budget, allowance
from .model import Distribution, as_text

def before(i: int) -> int:
    """The mask of the behaviours tried before behaviour ``i`` (bits 0 .. i-1)."""
    return (1 << i) - 1


def bits(mask: int) -> List[int]:
    """Indices of the set bits, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


_INDEX_DEPTH = 32  # literal characters the overlap index keys on (longer ones share a key)
_ABOVE = "\x7f"  # sorts after every character a pattern may contain (all ASCII below it)


class LiteralIndex:
    """Behaviours indexed by a literal end of their pattern (the text before the first
    wildcard, or after the last one, mirrored). Two patterns can share a path only if one's
    literal end extends the other's, so :meth:`candidates` returns, as a bitmask, a superset of
    the behaviours that may overlap a pattern. Keys are cut to ``_INDEX_DEPTH`` characters; a
    behaviour whose key was cut is found only by keys that its cut key extends.

    The keys are kept sorted: the keys that extend a key follow it in one run, and the keys it
    extends come before it. For the indexed keys themselves (what the overlap rows ask) both
    are collected in two passes over the sorted keys, each with a stack. Another key finds the
    run of keys that extend it by bisection and unites it from a sparse table of ORs (built
    when first needed), and the keys it extends at the lengths uncut keys have. Building takes
    O(n log n), a question one lookup for an indexed key and O(log n + distinct key lengths)
    for another, whatever the number of behaviours.
    """

    __slots__ = ("keys", "masks", "table", "whole", "lengths", "own")

    def __init__(self, keys) -> None:
        """``keys``: (literal end, bit) of every behaviour with a usable pattern."""
        by_key: dict = {}
        whole: dict = {}  # an uncut key -> behaviours with exactly it
        for key, bit in keys:
            short = key[:_INDEX_DEPTH]
            by_key[short] = by_key.get(short, 0) | bit
            if len(key) <= _INDEX_DEPTH:
                whole[short] = whole.get(short, 0) | bit
        self.keys = ordered = sorted(by_key)
        self.masks = [by_key[k] for k in ordered]
        self.whole = whole
        self.lengths = None  # built with the table, for keys that are not indexed
        self.table = None
        self.own = own = {}
        # Backwards: a key's run of extensions is what it absorbs from the top of the stack of
        # runs already united (each entry: a key and the union of its run).
        stack: list = []
        for key in reversed(ordered):
            union = by_key[key]
            while stack and stack[-1][0].startswith(key):
                union |= stack.pop()[1]
            stack.append((key, union))
            own[key] = union
        # Forwards: the keys a key extends are on the stack below it (each entry: a key and
        # the union of the uncut behaviours of itself and the entries under it).
        stack = []
        for key in ordered:
            while stack and not key.startswith(stack[-1][0]):
                stack.pop()
            starts = (stack[-1][1] if stack else 0) | whole.get(key, 0)
            stack.append((key, starts))
            own[key] |= starts

    def candidates(self, key: str) -> int:
        short = key[:_INDEX_DEPTH]
        known = self.own.get(short)
        if known is not None:
            return known
        if self.table is None:
            self._build_table()
        keys = self.keys
        lo = bisect_left(keys, short)
        hi = bisect_left(keys, short + _ABOVE, lo)
        mask = 0
        if hi > lo:  # the keys that extend this one
            level = (hi - lo).bit_length() - 1
            row = self.table[level]
            mask = row[lo] | row[hi - (1 << level)]
        whole = self.whole
        for n in self.lengths:  # uncut keys this one extends
            if n > len(short):
                break
            mask |= whole.get(short[:n], 0)
        return mask

    def _build_table(self) -> None:
        row = self.masks
        table = [row]  # table[j][i]: the union of the masks of keys i .. i + 2**j - 1
        span = 1
        while 2 * span <= len(self.keys):
            row = [row[i] | row[i + span] for i in range(len(row) - span)]
            table.append(row)
            span *= 2
        self.table = table
        self.lengths = sorted({len(k) for k in self.whole})


# Layouts remembered (bounded); a layout of more behaviours than this is not remembered (its
# overlap rows grow with the square of its behaviours).
_LAYOUTS = memo.table("ordering_analysis.layouts", 256)
_LARGEST_REMEMBERED = 256
# Steps remembered: (layout, steps so far) -> (outcome, state after it), or _SEEN when the step
# was taken once. A state holds every answer paid for, keyed on the patterns asked about, so it
# grows with the square of the behaviours: only layouts of up to _LARGEST_STEPPED behaviours
# have their steps remembered (measured with tracemalloc: 240 kept steps of 75-behaviour
# layouts hold ~5 MB, of 25-behaviour ones ~1 MB).
_STEPS = memo.table("ordering_analysis.steps", 256)
_LARGEST_STEPPED = 100
_SEEN = "seen once"


def _step_key(layout: tuple, history: tuple) -> tuple:
    """What a step's outcome and the state after it are a function of: the layout (patterns in
    order, default behaviour last or not, ``max_states``, hence the allowance) and the steps
    taken on it, each with its inputs, this one last."""
    return layout, history


class Analysis:
    """One distribution's patterns and the ordering questions already answered about them.

    Questions are asked narrowly and stop at the first witness: "can behaviour i be reached?",
    "does j serve some path of i?". Pairwise overlaps are decided first, once per pair that the
    literal index leaves (each in time linear in the patterns' length, ``pattern_shapes``), and
    kept as one bitmask per behaviour, so a question with no overlapping earlier pattern is
    answered without any search, and each product search includes only the patterns that
    matter. All questions of a distribution share one work allowance (``budget.allowance``,
    proportional to its behaviours and to ``max_states``).
    """

    __slots__ = ("behaviors", "parsed", "problems", "budget", "first_unknown", "ov", "verdicts",
                 "_memo", "_masks", "_prefixes", "_suffixes", "_all", "_layout", "_history",
                 "_mark")

    def __init__(self, dist: Distribution, max_states: int) -> None:
        self.behaviors = behaviors = dist.all_behaviors()
        self.budget = Budget(max_states, total=allowance(len(behaviors), max_states))
        self.parsed = parsed = []
        self.problems: List[Optional[str]] = [None] * len(behaviors)
        self.first_unknown: Optional[int] = None
        tokens = []
        known = patterns.parsed_before  # a pattern seen before, or None
        for k, behavior in enumerate(behaviors):
            raw = "*" if behavior.is_default else behavior.path_pattern
            p = known(raw)
            if p is None:
                try:
                    p = patterns.parse(raw)
                except patterns.PatternError as exc:
                    self.problems[k] = (str(exc) if isinstance(raw, str) or raw is None
                                        else f"path pattern is unknown ({as_text(raw)})")
                    if self.first_unknown is None:
                        self.first_unknown = k
            parsed.append(p)
            tokens.append(p.tokens if p is not None else None)
        # What the order checks decided (``rules.checks.ordering``), once per analysis.
        self.verdicts: dict = {}
        self._memo: dict = {}
        self._masks: dict = {}
        # The literal indexes and the overlap rows depend only on the patterns in order and on
        # the allowance, itself a function of their number and max_states: distributions with
        # the same layout (estates, a stack's resources, repeated previews) share them, with
        # the pattern-steps they cost charged again. Whether the last behaviour is the default
        # does not change them, but it changes which questions the checks ask (a default is
        # never reported nor judged as HTTPS-requiring), so the steps' key holds it.
        key = (tuple(tokens), dist.default_behavior is not None, self.budget.max_states)
        known = _LAYOUTS.get(key)
        if known is None:
            before = self.budget.remaining
            usable = [(q, 1 << k) for k, q in enumerate(self.parsed) if q is not None]
            self._prefixes = LiteralIndex([(q.prefix, bit) for q, bit in usable])
            self._suffixes = LiteralIndex([(q.suffix[::-1], bit) for q, bit in usable])
            self._all = sum(bit for _, bit in usable)
            self.ov = self._overlap_rows()
            if len(tokens) <= _LARGEST_REMEMBERED:
                _LAYOUTS.remember(key, (self._prefixes, self._suffixes, self._all, self.ov,
                                        before - self.budget.remaining, self.budget.exhausted))
        else:
            self._prefixes, self._suffixes, self._all, self.ov, spent, exhausted = known
            self.budget.remaining -= spent
            self.budget.exhausted = exhausted
        # Steps (below) are remembered for small layouts; the history starts empty.
        self._layout = key if len(tokens) <= _LARGEST_STEPPED else None
        self._history: tuple = ()
        self._mark = self._state_mark()

    def step(self, name: str, inputs, decide):
        """``decide(self, inputs)`` as a tuple: one step of questions, asked once per analysis.

        ``decide`` must read only the layout (patterns, overlap rows, which behaviour is the
        default) and ``inputs`` (a hashable value: what else it depends on), and ask its
        questions through this analysis. Steps are taken in a fixed order by the checks; the
        outcome and the whole state after the step are then a function of the layout and the
        steps taken with their inputs (``_step_key``), and are remembered under it (bounded,
        ``rules.memo``): a remembered step restores that state, so the questions after it pay
        and answer exactly as after computing it. A question asked of the analysis outside a
        step changes its state (each part of it only grows or shrinks one way, so the mark
        tells) and ends remembering for this analysis.

        A step's state is kept the second time it is computed; the first time only that it was
        seen. A process that never sees a layout twice (a stack's first preview) then keeps no
        states alive: keeping every one doubled the garbage collector's time per cold Pulumi
        request (0.08 -> 0.17 ms, ``bench/bench_pulumi.py``'s cold requests in process)."""
        own = (name, inputs)
        done = self.verdicts.get(own)
        if done is not None:
            return done
        key = None
        if self._layout is not None and self._state_mark() == self._mark:
            self._history = history = self._history + (own,)
            key = _step_key(self._layout, history)
            known = _STEPS.get(key)
            if known is not None and known is not _SEEN:
                outcome, state = known
                self._restore(state)
                self.verdicts[own] = outcome
                self._mark = self._state_mark()
                return outcome
        else:
            self._layout = None
        outcome = self.verdicts[own] = tuple(decide(self, inputs))
        if key is not None:
            _STEPS.remember(key, _SEEN if known is None else (outcome, self._snapshot()))
            self._mark = self._state_mark()
        return outcome

    def _state_mark(self) -> tuple:
        """Changes whenever a question changes the state: work left only falls, ``exhausted``
        only turns on, the answer tables only gain entries."""
        budget = self.budget
        return (budget.remaining, budget.exhausted, len(budget.asked), len(self._memo),
                len(self._masks))

    def _snapshot(self) -> tuple:
        budget = self.budget
        return (budget.remaining, budget.exhausted, dict(budget.asked), dict(self._memo),
                dict(self._masks))

    def _restore(self, state: tuple) -> None:
        budget = self.budget
        budget.remaining, budget.exhausted, asked, answered, masks = state
        budget.asked = dict(asked)
        self._memo = dict(answered)
        self._masks = dict(masks)

    def fork(self) -> "Analysis":
        """The same layout with the work left now, answered anew: what a question asked of the
        fork decides depends on this moment's budget only, not on what the fork was asked
        before (a check that reads its settings, CFH007, starts each run from one).

        The fork's state is a function of this one's (the work left and the answers paid for,
        nothing answered by the analysis itself), so its steps are remembered as steps taken
        after this analysis's, unless a question outside the steps made this one's state
        other than its steps say."""
        other = copy.copy(self)
        other.budget = Budget(self.budget.max_states, total=self.budget.remaining)
        other.budget.asked = dict(self.budget.asked)
        other.verdicts = {}
        other._memo = {}
        other._masks = {}
        if self._layout is not None and self._state_mark() == self._mark:
            other._history = self._history + (("fork", None),)
        else:
            other._layout = None
        other._mark = other._state_mark()
        return other

    def unknown_before(self, index: int) -> Optional[int]:
        k = self.first_unknown
        return k if k is not None and k < index else None

    def _candidates(self, p: patterns.Pattern) -> int:
        return (self._all & self._prefixes.candidates(p.prefix)
                & self._suffixes.candidates(p.suffix[::-1]))

    def _overlapping(self, p: patterns.Pattern, candidates: int) -> int:
        """The bits of ``candidates`` whose pattern shares a path with p, decided exactly while
        the allowance lasts (each decision's pattern-steps are counted,
        ``pattern_shapes.overlap_cost``); once it is spent the rest count as overlapping, which
        only makes later questions undecided, never wrong."""
        parsed, budget = self.parsed, self.budget
        overlap = pattern_shapes.overlap
        left = budget.remaining
        mask = 0
        # overlap_cost, inlined: 1, or 1 + the length of the star-free side of a pair with
        # exactly one starred pattern.
        p_stars, p_cost = p.stars, 1 + len(p.tokens)
        try:
            while candidates:
                low = candidates & -candidates
                if left <= 0:
                    budget.exhausted = True
                    return mask | candidates
                q = parsed[low.bit_length() - 1]
                if p_stars:
                    left -= 1 if q.stars else 1 + len(q.tokens)
                else:
                    left -= p_cost if q.stars else 1
                if overlap(p, q):
                    mask |= low
                candidates ^= low
            return mask
        finally:
            budget.remaining = left

    def _overlap_rows(self) -> tuple:
        """Per behaviour i: bit k set when pattern k shares a path with pattern i. Each
        unordered pair the index leaves is decided once."""
        parsed = self.parsed
        ov = [0] * len(parsed)
        for i, p in enumerate(parsed):
            if p is None:
                continue
            row = self._overlapping(p, self._candidates(p) & before(i))
            ov[i] |= row | (1 << i)
            for k in bits(row):
                ov[k] |= 1 << i
        return tuple(ov)

    def _mask(self, p: patterns.Pattern) -> int:
        """Bit k set: behaviour k's pattern shares a path with p."""
        m = self._masks.get(p.tokens)
        if m is None:
            m = self._masks[p.tokens] = self._overlapping(p, self._candidates(p))
        return m

    def _patterns(self, mask: int) -> List[patterns.Pattern]:
        parsed = self.parsed
        return [parsed[k] for k in bits(mask)]

    def _spent(self) -> bool:
        """The allowance is used up: every further search question is undecided at once
        (checked before building its pattern lists, so a cut-off costs nothing)."""
        if self.budget.remaining <= 0:
            self.budget.exhausted = True
            return True
        return False

    def served_by(self, include, j: int):
        """Does behaviour j serve (first match) some path matched by every include pattern?"""
        key = (tuple(p.tokens for p in include), j)
        asked = self._memo
        if key not in asked:
            pj = self.parsed[j]
            ov = self.ov
            m = ov[j] & before(j) if pj is not None else 0
            for p in include:
                if pj is None or not (self._mask(p) >> j) & 1:
                    asked[key] = False
                    return False
                m &= self._mask(p)
            if m and self._spent():
                return patterns.UNDECIDED
            asked[key] = patterns.nonempty_parsed(list(include) + [pj], self._patterns(m),
                                                 self.budget)
        return asked[key]

    def served_by_behavior(self, i: int, j: int):
        """Does behaviour j (< i) serve some path of behaviour i's pattern?"""
        key = (i, j)
        asked = self._memo
        if key not in asked:
            ov = self.ov
            if not (ov[i] >> j) & 1:
                asked[key] = False
            else:
                m = ov[i] & ov[j] & before(j)
                if m and self._spent():
                    return patterns.UNDECIDED
                asked[key] = patterns.nonempty_parsed([self.parsed[i], self.parsed[j]],
                                                     self._patterns(m), self.budget)
        return asked[key]

    def servers_of(self, i: int) -> dict:
        """For each earlier behaviour j overlapping i: does j serve some path of i first?
        Once an earlier pattern c covers i's whole pattern, no behaviour after c serves any
        path of i (c overlaps every pattern that overlaps i's, so c is among its blockers)."""
        p = self.parsed[i]
        answers = {}
        covered = False
        for j in bits(self.ov[i] & before(i)):
            if covered:
                answers[j] = False
                continue
            answers[j] = self.served_by_behavior(i, j)
            covered = pattern_shapes.included(p, self.parsed[j]) is True
        return answers

    def capture(self, i: int, j: int):
        """(served, inside, example) of :func:`patterns.capture` for behaviours j < i."""
        ov = self.ov
        if not (ov[i] >> j) & 1:
            return False, None, None
        m = ov[i] & ov[j] & before(j)
        if m and self._spent():
            return patterns.UNDECIDED, None, None
        return patterns.capture(self.parsed[i], self.parsed[j], self._patterns(m), self.budget)

    def reachable(self, i: int):
        m = self.ov[i] & before(i)
        if not m:
            return True
        if self._spent():
            return patterns.UNDECIDED
        return patterns.nonempty_parsed([self.parsed[i]], self._patterns(m), self.budget)

    def example(self, include, j: int):
        """A readable path of every include pattern that behaviour j serves (or None)."""
        m = self.ov[j] & before(j)
        for p in include:
            m &= self._mask(p)
        if self._spent():
            return None
        ex = patterns.example(list(include) + [self.parsed[j]], self._patterns(m), self.budget)
        return ex if isinstance(ex, str) else None


def analysis(dist: Distribution, config) -> Analysis:
    """The distribution's ordering analysis under ``config.max_states``, made once and shared
    by the three order checks (``Distribution.analyses``)."""
    key = ("ordering", config.max_states)
    found = dist.analyses.get(key)
    if found is None:
        found = dist.analyses[key] = Analysis(dist, config.max_states)
    return found


