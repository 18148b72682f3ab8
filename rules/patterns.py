"""CloudFront's path-pattern language, decided exactly: the questions the ordering checks ask.

First match wins and the default behaviour (``*``) is tried last, so behaviour *i* serves
``R_i = L(p_i) minus the union of L(p_j), j < i``. The questions here — do two patterns
overlap, is one pattern inside the union of others, which paths does an earlier pattern take
from a later one, a shortest readable example path — are answered in layers:

- the syntax (``rules.pattern_syntax``): parsing, normal form, matching;
- shape decisions (``rules.pattern_shapes``), linear in the patterns' length: pair overlaps
  always, pair inclusion when the covering pattern has at most one star, a spelled-out
  witness path that often proves a behaviour reachable, the example of an ``L*``/``*R`` pair;
- the one search core (``rules.pattern_search``) for the rest, reached through
  ``rules.pattern_answers`` (which remembers its answers with what they cost): product
  automata within the work budget (``rules.budget``); when it runs out the answer is
  :data:`UNDECIDED`, never a guess.

This module holds no state: every answer is a function of the patterns and the budget it is
given (a question already paid for by that budget is answered again for free:
``Budget.asked``), and charges that budget the same whatever the process asked before.
``from rules import patterns`` is the API; the other modules are its parts.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Union

from . import pattern_answers as answers
from . import pattern_shapes as shapes
from .budget import DEFAULT_MAX_STATES, UNDECIDED, Budget, allowance  # noqa: F401
from .pattern_search import fresh_character
from .pattern_syntax import (ALLOWED_CHARACTERS, MAX_LENGTH, Pattern, PatternError,  # noqa: F401
                             matches, parse, parsed, parsed_before, path_body, problem)

# Pattern-steps charged per pattern character for an example spelled without a search
# (``pattern_shapes.prefix_suffix_example``): about what the search it replaces spends per
# character (measured on the benchmark's pairs: 18-20), so the budget of the questions after
# it stays the same.
_SHORTCUT_WORK = 20


_ABSENT = object()


def _budget(budget: Optional[Budget]) -> Budget:
    return budget if budget is not None else Budget()


def _paid(budget: Budget, key: tuple, answer):
    """Keep a decided answer with the budget that paid for it (``Budget.asked``)."""
    if answer is not UNDECIDED:
        budget.asked[key] = answer
    return answer


def example(include: Sequence[Union[str, Pattern]], exclude: Sequence[Union[str, Pattern]] = (),
            budget: Optional[Budget] = None):
    """A shortest readable path matched by every ``include`` pattern and no ``exclude`` pattern.

    Returns the path (with its leading ``/``), ``None`` when there is none, or ``UNDECIDED``.
    "Readable" breaks ties among candidates: fewer empty segments, hidden segments and trailing
    slashes first, then shorter, then letters before other characters.
    """
    return _example(parsed(include) or [parse("*")], parsed(exclude), budget)


def _example(inc: List[Pattern], exc: List[Pattern], budget: Optional[Budget]):
    """:func:`example` for parsed patterns."""
    budget = _budget(budget)
    key = ("example", tuple([p.tokens for p in inc]), tuple([p.tokens for p in exc]))
    known = budget.asked.get(key, _ABSENT)  # None ("no such path") is an answer too
    if known is not _ABSENT:
        return known
    if budget.remaining <= 0:
        budget.exhausted = True
        return UNDECIDED
    quick = shapes.prefix_suffix_example(inc, exc)
    if quick is not None:
        budget.remaining -= _SHORTCUT_WORK * (len(inc[0].tokens) + len(inc[1].tokens))
        return _paid(budget, key, quick)
    return _paid(budget, key, answers.example(inc, exc, budget))


def intersection(p: Union[str, Pattern], q: Union[str, Pattern], budget: Optional[Budget] = None):
    """A shortest readable path both patterns match, ``None``, or ``UNDECIDED``."""
    return example([p, q], (), budget)


def nonempty(include: Sequence, exclude: Sequence = (), budget: Optional[Budget] = None):
    """Is there a path every ``include`` pattern matches and no ``exclude`` pattern matches?
    True / False / UNDECIDED."""
    return nonempty_parsed(parsed(include), parsed(exclude), budget)


def nonempty_parsed(inc: List[Pattern], exc: List[Pattern], budget: Optional[Budget] = None):
    """:func:`nonempty` for already parsed patterns (the ordering checks ask many)."""
    budget = _budget(budget)
    key = ("nonempty", tuple([p.tokens for p in inc]), tuple([q.tokens for q in exc]))
    known = budget.asked.get(key)
    if known is not None:
        return known
    quick = _shortcut(inc, exc, budget)
    if quick is not None:
        return _paid(budget, key, quick)
    if budget.remaining <= 0:
        budget.exhausted = True
        return UNDECIDED
    if len(inc) == 2:
        # One include inside the other: the pair is the smaller one alone.
        if shapes.included(inc[0], inc[1]) is True:
            inc = [inc[0]]
        elif shapes.included(inc[1], inc[0]) is True:
            inc = [inc[1]]
    return _paid(budget, key, answers.nonempty(inc, exc, budget))


def _shortcut(inc: List[Pattern], exc: List[Pattern], budget: Budget) -> Optional[bool]:
    """:func:`nonempty` when it follows without a search, else None. Each step is exact: a
    universal exclude leaves nothing; with no excludes two includes are an overlap question;
    an include inside a single exclude (a shape decision) leaves nothing; a path spelled from
    the includes' shapes that every include and no exclude matches is a yes.

    The spelled path is tried first (it usually settles a reachable behaviour, and then no
    include lies inside an exclude), but its pattern-steps are charged as if it came second:
    not at all when an include lies inside an exclude."""
    if not exc and len(inc) <= 2:
        return True if len(inc) < 2 else shapes.overlap(inc[0], inc[1])
    found, work = _spelled_witness(inc, exc, budget.limit())
    if found:
        budget.remaining -= work
        return True
    if _covered(inc, exc):
        return False
    budget.remaining -= work
    return None


def _covered(inc: List[Pattern], exc: List[Pattern]) -> bool:
    """Is some include pattern inside a single exclude pattern (a shape decision; ``*``
    covers everything)? Then nothing is left."""
    for q in exc:
        if q.stars <= 1:
            if q.tokens == "*":
                return True
            for p in inc:
                if shapes.included(p, q):
                    return True
    return False


def _spelled_witness(inc: List[Pattern], exc: List[Pattern], limit: int):
    """``(found, pattern-steps)``: found is True when a path spelled from the includes' shapes
    (``shapes.witnesses``, wildcards in a character no pattern names) is matched by every
    include and no exclude. Stops trying once past ``limit`` pattern-steps; the caller
    charges them (:func:`_match_counted` counts them)."""
    if len(inc) > 2:
        return False, 0
    # The characters the patterns name, as one string: for the characters fresh_character
    # tries (never a wildcard) "in it" is "a literal of some pattern".
    named = "".join([p.tokens for p in inc] + [q.tokens for q in exc])
    work = 0
    for path in shapes.witnesses(inc, fresh_character(named)):
        body = path_body(path)
        # A path spelled from one pattern is one of its paths; one spelled from two may not be.
        if len(inc) == 2 and not all(_match_counted(p, body)[0] for p in inc):
            continue
        size = len(body)
        for q in exc:
            # _match_counted, with its common "no" (a literal end missing) inlined
            if size < q.fixed or not body.startswith(q.prefix) or not body.endswith(q.suffix):
                work += 1
                continue
            hit, steps = q.match_steps(body)
            work += steps
            if hit:
                break
        else:
            return True, work
        if work > limit:
            break
    return False, work


def _match_counted(p: Pattern, body: str):
    """(does p match the path body, pattern-steps its automaton takes): it stops where the
    automaton dies (``Pattern.match_steps``), or before it starts when the body lacks p's
    literal prefix or suffix or is too short."""
    if len(body) < p.fixed or not body.startswith(p.prefix) or not body.endswith(p.suffix):
        return False, 1
    return p.match_steps(body)


def overlaps(p, q) -> bool:
    """Do two patterns share a path? Always decided, in time linear in their length."""
    p = p if p.__class__ is Pattern else parse(p)
    q = q if q.__class__ is Pattern else parse(q)
    return shapes.overlap(p, q)


def included(p, qs: Sequence, budget: Optional[Budget] = None):
    """Is L(p) inside the union of L(q) for q in qs? True / False / UNDECIDED."""
    p = p if p.__class__ is Pattern else parse(p)
    qs = parsed(qs)
    if len(qs) == 1:
        answer = shapes.included(p, qs[0])
        if answer is not None:
            return answer
    result = nonempty_parsed([p], qs, budget)
    if result is UNDECIDED:
        return UNDECIDED
    return not result


def capture(later: Pattern, earlier: Pattern, blockers: List[Pattern],
            budget: Optional[Budget] = None):
    """How an earlier pattern, tried after ``blockers``, takes paths from a later one:
    ``(served, inside, example)`` — does it serve some path of ``later`` first (True / False /
    UNDECIDED); when it does, does its whole language lie inside ``later``'s (a deliberate
    carve-out; True / False / UNDECIDED); and when it does not, a shortest readable such path.
    One answer for the three questions the order checks ask of a pair."""
    budget = _budget(budget)
    key = ("capture", later.tokens, earlier.tokens, tuple([q.tokens for q in blockers]))
    known = budget.asked.get(key)
    if known is not None:
        return known
    if not shapes.overlap(later, earlier):
        return _paid(budget, key, (False, None, None))
    inside = shapes.included(earlier, later)
    if inside is None:
        inside = included(earlier, [later], budget)
    if inside is True:
        # A carve-out whatever it serves: "served?" only matters as far as it is decidable.
        served = nonempty_parsed([later, earlier], blockers, budget)
        answer = (served, True if served is True else None, None)
    else:
        # Usually the earlier pattern does serve some path and the example is wanted anyway:
        # the example search answers "served?" too (None: no such path). A shape shortcut may
        # show first that it serves none.
        if blockers and _covered([later, earlier], blockers):
            return _paid(budget, key, (False, None, None))
        found = _example([later, earlier], list(blockers), budget)
        if found is UNDECIDED:  # the cheaper yes/no search may still settle it
            served = nonempty_parsed([later, earlier], blockers, budget)
        else:
            served = found is not None
        if served is True:
            answer = (True, inside, found if inside is False else None)
        else:
            answer = (served, None, None)
    if any(v is UNDECIDED for v in answer):
        return answer
    return _paid(budget, key, answer)
