"""Pair questions decided from the patterns' shapes, in time linear in their length.

Real distributions mostly use exact paths, ``prefix*``, ``*suffix``, ``prefix*suffix`` and ``?``
runs. For those the answers follow from comparing heads and tails position by position; no
product automaton is needed. Every function here is exact (property-tested against the
automata and brute force in ``tests/test_pattern_shapes.py``) or returns None when the shape is
outside what it decides.

Two tokens are *compatible* when some character matches both (equal, or either is ``?``); a
token *refines* another when every character it matches the other matches too (equal, or the
other is ``?``).
"""

from __future__ import annotations

from typing import Optional

from .pattern_syntax import Pattern


def _compatible(a: str, b: str) -> bool:
    """Same-length token strings that some one string matches position by position."""
    if a == b:
        return True
    for x, y in zip(a, b):
        if x != y and x != "?" and y != "?":
            return False
    return True


def _refines(a: str, b: str) -> bool:
    """Same-length token strings: everything ``a`` matches, ``b`` matches."""
    if a == b:
        return True
    for x, y in zip(a, b):
        if x != y and y != "?":
            return False
    return True


def _some_word_matches(p: Pattern, tokens: str) -> bool:
    """Does ``p`` match some string of the star-free token string ``tokens``? One bitset step
    per token (``?``: the union over every character)."""
    mask = p.init
    for t in tokens:
        mask = p.step_any(mask) if t == "?" else p.step(mask, t)
        if not mask:
            return False
    return bool(mask & p.accept)


def overlap(p: Pattern, q: Pattern) -> bool:
    """Do two patterns share a path? Always decided.

    Both with a star: exactly when their heads agree on their common length and their tails on
    theirs — a long enough path puts each pattern's middle pieces where the other's stars absorb
    them. One star-free: a run of the other's automaton over it. Neither: same length, agreeing
    position by position.
    """
    if p.stars and q.stars:
        a, b = p.head, q.head
        n = min(len(a), len(b))
        if not _compatible(a[:n], b[:n]):
            return False
        a, b = p.tail, q.tail
        n = min(len(a), len(b))
        return n == 0 or _compatible(a[-n:], b[-n:])
    if p.stars:
        return _some_word_matches(p, q.tokens)
    if q.stars:
        return _some_word_matches(q, p.tokens)
    return len(p.tokens) == len(q.tokens) and _compatible(p.tokens, q.tokens)


def included(p: Pattern, q: Pattern) -> Optional[bool]:
    """Is every path of ``p`` a path of ``q``? Decided when ``q`` has at most one star (None
    otherwise).

    ``q`` star-free: ``p`` must be star-free, as long, refining it position by position.
    ``q = A*B``: every path of ``p`` must be at least ``|A|+|B|`` long, start with a match of
    ``A`` and end with one of ``B``. Position ``k`` of ``A`` is fixed by ``p``'s head while
    ``k`` is inside it; beyond it ``p``'s first star can put any character there, so ``A`` must
    have ``?`` there. Likewise ``B`` against ``p``'s tail.
    """
    if q.stars == 0:
        return p.stars == 0 and len(p.tokens) == len(q.tokens) and _refines(p.tokens, q.tokens)
    if q.stars > 1:
        return None
    a, b = q.head, q.tail
    if p.fixed < len(a) + len(b):
        return False
    if p.stars == 0:
        t = p.tokens
        return _refines(t[:len(a)], a) and (not b or _refines(t[-len(b):], b))
    h = p.head
    if len(a) <= len(h):
        if not _refines(h[:len(a)], a):
            return False
    elif not _refines(h, a[:len(h)]) or a[len(h):].strip("?"):
        return False
    if not b:
        return True
    t = p.tail
    if len(b) <= len(t):
        return _refines(t[-len(b):], b)
    cut = len(b) - len(t)
    return _refines(t, b[cut:]) and not b[:cut].strip("?")


def _spell(tokens: str, fill: str, star: str) -> str:
    return "".join(fill if t == "?" else star if t == "*" else t for t in tokens)


def _merge(a: str, b: str, fill: str) -> str:
    """One string matching two compatible token strings aligned at their start (the longer
    one's extra tokens spelled too)."""
    if len(a) < len(b):
        a, b = b, a
    out = []
    for k, x in enumerate(a):
        y = b[k] if k < len(b) else "?"
        out.append(x if x != "?" else y if y != "?" else fill)
    return "".join(out)


def witnesses(inc, fill: str):
    """Candidate paths (with the leading ``/``) that every pattern of ``inc`` (one or two)
    probably matches, wildcards spelled ``fill`` (a star also as nothing). The caller checks
    each one with :func:`matches`: these are guesses that are cheap to verify, not answers.

    Two patterns with stars: their merged heads, one middle then the other's, their merged
    tails — each pattern's stars absorb the other's pieces (as in :func:`overlap`)."""
    if len(inc) == 1:
        p = inc[0]
        return ["/" + _spell(p.tokens, fill, fill), "/" + _spell(p.tokens, fill, "")]
    p, q = inc
    if not (p.stars and q.stars):
        return ["/" + _spell(x.tokens, fill, "") for x in (p, q) if not x.stars]
    out = []
    for star in (fill, ""):
        head = _merge(p.head, q.head, fill)
        tail = _merge(p.tail[::-1], q.tail[::-1], fill)[::-1]
        mid_p = _spell(p.tokens[len(p.head) + 1:len(p.tokens) - len(p.tail) - 1], fill, star)
        mid_q = _spell(q.tokens[len(q.head) + 1:len(q.tokens) - len(q.tail) - 1], fill, star)
        out.append("/" + head + star + mid_p + star + mid_q + star + tail)
    return out
