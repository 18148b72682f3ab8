"""An exact oracle for the path-pattern engine, independent of its search core and shortcuts.

``profile`` is the first-match partition of a target pattern's paths among earlier patterns,
found by a plain breadth-first walk of the product of the patterns' automata (``Pattern.step``
on every alphabet character, no pruning, no shape shortcuts, no budget). It used to live in
``rules/patterns.py``; only tests need it. Brute-force enumeration of short paths is a lower
bound; this is exact for paths of any length.
"""

from collections import deque

from rules.pattern_syntax import parse


def _alphabet(pats):
    literals = set()
    for p in pats:
        literals |= p.literals
    fresh = next(c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                 if c not in literals)
    return sorted(literals | {fresh})


class Profile:
    """``servers``: indices of the earlier patterns that serve at least one path of the target
    first; ``uncovered``: some path of the target matches none of them."""

    def __init__(self, servers, uncovered):
        self.servers = servers
        self.uncovered = uncovered

    def __repr__(self):
        return f"Profile(servers={sorted(self.servers)}, uncovered={self.uncovered})"


def profile(target, earlier):
    t = parse(target)
    cand = [parse(q) for q in earlier]
    pats = [t] + cand
    alphabet = _alphabet(pats)
    start = tuple(p.init for p in pats)
    seen = {start}
    queue = deque([start])
    servers = set()
    uncovered = False
    while queue:
        state = queue.popleft()
        if t.accepts(state[0]):
            for k in range(1, len(pats)):
                if pats[k].accepts(state[k]):
                    servers.add(k - 1)
                    break
            else:
                uncovered = True
        for ch in alphabet:
            m0 = t.step(state[0], ch)
            if not m0:
                continue
            nstate = (m0,) + tuple(p.step(m, ch) for p, m in zip(pats[1:], state[1:]))
            if nstate not in seen:
                seen.add(nstate)
                queue.append(nstate)
    return Profile(servers, uncovered)


def nonempty(include, exclude):
    """Is some path matched by every include pattern and no exclude pattern? (exact)"""
    inc = [parse(p) for p in include]
    exc = [parse(q) for q in exclude]
    pats = inc + exc
    alphabet = _alphabet(pats)
    n = len(inc)
    start = tuple(p.init for p in pats)
    seen = {start}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if all(p.accepts(m) for p, m in zip(inc, state[:n])) and \
                not any(q.accepts(m) for q, m in zip(exc, state[n:])):
            return True
        for ch in alphabet:
            nstate = tuple(p.step(m, ch) for p, m in zip(pats, state))
            if all(nstate[:n]) and nstate not in seen:
                seen.add(nstate)
                queue.append(nstate)
    return False


def stepped(p, body):
    """(does pattern p match the path body, how many characters its automaton read before it
    died): the plain bitset run that the shortcuts counting pattern-steps must agree with."""
    mask, steps = p.init, 0
    for ch in body:
        mask = p.step(mask, ch)
        steps += 1
        if not mask:
            return False, steps
    return bool(mask & p.accept), steps
