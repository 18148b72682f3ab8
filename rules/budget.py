"""The work-budget policy of the path-pattern questions: how much work a distribution's
ordering questions may do, and the answer when they may do no more.

Work is counted in *pattern-steps* — one pattern's automaton advanced by one symbol — which is
what the time of a search is proportional to (a state over 75 long patterns costs 75, one over
two short ones costs 2). Two limits hold: the distribution's *allowance* in pattern-steps
(:func:`allowance`, shared by all its ordering questions, asked in a fixed order) and the
user's ``max_states``, the product states one question may explore. When either runs out the
answer is :data:`UNDECIDED` — never a guess, never a hang. Both limits depend on the
distribution and the settings only; a remembered answer is charged what it cost when it was
computed (``rules.pattern_answers``), so what is decided never depends on what the process did
before.
"""

from __future__ import annotations

from typing import Optional

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
    ``remaining``: pattern-steps left for all questions together (the ordering analysis gives a
    distribution :func:`allowance`; a lone question gets ten times ``max_states``).
    ``exhausted``: some question was cut off (kept for tests and benchmarks; no answer reads it).
    ``asked``: the decided answers this budget has paid for (``rules.patterns``), by question:
    asked again of the same budget — the same distribution, whose questions come in one fixed
    order — a question costs nothing more. It belongs to the budget, so it depends on the
    distribution and the settings only.
    """

    __slots__ = ("max_states", "remaining", "exhausted", "asked")

    def __init__(self, max_states: int = DEFAULT_MAX_STATES, total: Optional[int] = None) -> None:
        self.max_states = max(1, int(max_states))
        self.remaining = self.max_states * 10 if total is None else int(total)
        self.exhausted = False
        self.asked: dict = {}

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
