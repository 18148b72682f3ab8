"""Search answers remembered with the work they cost, so that a remembered answer is charged and
bounded exactly as the search it replaces.

Estates repeat patterns across distributions, so the product searches (``rules.pattern_search``)
are worth remembering — but only as a saving of time: a process that has judged thousands of
distributions must decide exactly what a fresh one decides (DESIGN.md, "One input, one
answer"). A search is a pure function of its patterns and of two limits, the pattern-steps
the budget lets the question use (``Budget.limit()``) and ``max_states``; decided within them
it takes the same steps, and gives the same answer, within any larger ones. So:

- a decided answer is kept with the pattern-steps it took and the product states it visited.
  It is reused only when the current limits are at least those, and then charges exactly those
  pattern-steps; below them the search runs again (it is cut off as a cold search is, charging
  what that one charges) — a warm process never decides what a cold one leaves undecided;
- an undecided answer is kept with what it charged, for exactly the limits it was cut off at
  (the same question at the same limits is cut off at the same step).

Tables live in ``rules.memo`` (bounded, keyed on the patterns' text, emptied by
``memo.clear_all``).
"""

from __future__ import annotations

from typing import List

from . import memo
from .budget import UNDECIDED, Budget
from .pattern_search import search_example, search_nonempty
from .pattern_syntax import Pattern

# key -> (answer, pattern-steps, product states)
_DECIDED = memo.table("pattern_answers.decided", 8192)
# (key, pattern-step limit, max_states) -> pattern-steps charged when it was cut off
_CUT = memo.table("pattern_answers.cut", 4096)


def nonempty(inc: List[Pattern], exc: List[Pattern], budget: Budget):
    """``search_nonempty`` within the budget: True / False / UNDECIDED, its work charged."""
    return _answer("nonempty", search_nonempty, inc, exc, budget)


def example(inc: List[Pattern], exc: List[Pattern], budget: Budget):
    """``search_example`` within the budget: a path, None or UNDECIDED, its work charged."""
    return _answer("example", search_example, inc, exc, budget)


def _answer(kind: str, search, inc: List[Pattern], exc: List[Pattern], budget: Budget):
    key = (kind, tuple([p.tokens for p in inc]), tuple([q.tokens for q in exc]))
    limit = budget.limit()
    max_states = budget.max_states
    known = _DECIDED.get(key)
    if known is not None:
        answer, work, states = known
        if work <= limit and states <= max_states:
            budget.remaining -= work
            return answer
    cut_key = (key, limit, max_states)
    work = _CUT.get(cut_key)
    if work is not None:
        budget.remaining -= work
        budget.exhausted = True
        return UNDECIDED
    answer, work, states = search(inc, exc, limit, max_states)
    budget.remaining -= work
    if answer is UNDECIDED:
        budget.exhausted = True
        _CUT.remember(cut_key, work)
    else:
        _DECIDED.remember(key, (answer, work, states))
    return answer
