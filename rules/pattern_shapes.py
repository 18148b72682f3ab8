"""Questions decided from the patterns' shapes, in time linear in their length.

Real distributions mostly use exact paths, ``prefix*``, ``*suffix``, ``prefix*suffix`` and ``?``
runs. For those the answers follow from comparing heads and tails position by position; no
product automaton is needed. Every function here is exact (property-tested against the
automata and brute force in ``tests/test_pattern_shapes.py``) or returns None when the shape is
outside what it decides. The one example spelled here (:func:`prefix_suffix_example`) is the
shortest readable path the search would find, for the commonest pair shape.

Two tokens are *compatible* when some character matches both (equal, or either is ``?``); a
token *refines* another when every character it matches the other matches too (equal, or the
other is ``?``).
"""

from __future__ import annotations

from typing import Optional

from .pattern_syntax import Pattern


# Token strings are compared as integer codes (``pattern_syntax.code``): the characters, ``?``
# as 0, and a mask of the literal positions, one byte per token, most significant first.

def _first(c, length: int, n: int):
    """The code of the first ``n`` tokens of a coded string of ``length`` tokens."""
    shift = 8 * (length - n)
    return c[0] >> shift, c[1] >> shift


def _last(c, n: int):
    """The code of the last ``n`` tokens."""
    keep = (1 << (8 * n)) - 1
    return c[0] & keep, c[1] & keep


def _compatible(a, b) -> bool:
    """Same-length coded token strings that some one string matches position by position:
    wherever both are literals they are equal."""
    return not ((a[0] ^ b[0]) & a[1] & b[1])


def _refines(a, b) -> bool:
    """Same-length coded token strings: everything ``a`` matches, ``b`` matches — wherever
    ``b`` is a literal, ``a`` is the same literal."""
    return not ((a[0] ^ b[0]) & b[1])


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
    them. One star-free: a run of the other's automaton over it (read off the shape when the
    other has one star). Neither: same length, agreeing position by position.
    """
    if p.stars and q.stars:
        a, b = p.head, q.head
        if len(p.prefix) == len(a) and len(q.prefix) == len(b):  # heads without ``?``
            if not (a.startswith(b) if len(a) >= len(b) else b.startswith(a)):
                return False
        elif not _heads_agree(p, q):
            return False
        a, b = p.tail, q.tail
        if len(p.suffix) == len(a) and len(q.suffix) == len(b):  # tails without ``?``
            return a.endswith(b) if len(a) >= len(b) else b.endswith(a)
        return _tails_agree(p, q)
    if p.stars:
        return _matches_some_word(p, q)
    if q.stars:
        return _matches_some_word(q, p)
    if len(p.tokens) != len(q.tokens):
        return False
    if p.tokens == q.tokens:
        return True
    return (_has_quest(p) or _has_quest(q)) and _compatible(p.head_code, q.head_code)


def _has_quest(p: Pattern) -> bool:
    """Does a star-free pattern contain ``?`` (its literal prefix stops short)?"""
    return len(p.prefix) < len(p.tokens)


# A pattern's head has no ``?`` exactly when its literal prefix is all of it, and a starred
# pattern's tail has none exactly when its literal suffix is all of it: then the position-by-
# position comparisons below are plain string comparisons.

def _heads_agree(p: Pattern, q: Pattern) -> bool:
    """Two patterns' heads agree (are compatible) on their common length."""
    a, b = p.head, q.head
    if len(p.prefix) == len(a) and len(q.prefix) == len(b):
        return a.startswith(b) if len(a) >= len(b) else b.startswith(a)
    n = min(len(a), len(b))
    return not n or _compatible(_first(p.head_code, len(a), n), _first(q.head_code, len(b), n))


def _tails_agree(p: Pattern, q: Pattern) -> bool:
    """Two starred patterns' tails agree on their common length (counted from the end)."""
    a, b = p.tail, q.tail
    if len(p.suffix) == len(a) and len(q.suffix) == len(b):
        return a.endswith(b) if len(a) >= len(b) else b.endswith(a)
    n = min(len(a), len(b))
    return not n or _compatible(_last(p.tail_code, n), _last(q.tail_code, n))


def _matches_some_word(p: Pattern, w: Pattern) -> bool:
    """Does the starred pattern ``p`` match some string of the star-free pattern ``w``? With one
    star: ``w`` is long enough, and its start agrees with p's head and its end with p's tail
    (the star takes what lies between). Otherwise a run of p's automaton."""
    if p.stars > 1:
        return _some_word_matches(p, w.tokens)
    t = w.tokens
    if len(t) < p.fixed:
        return False
    head, tail = p.head, p.tail
    if len(p.prefix) == len(head) and len(w.prefix) >= len(head):
        if not t.startswith(head):
            return False
    elif head and not _compatible(_first(w.head_code, len(t), len(head)), p.head_code):
        return False
    if len(p.suffix) == len(tail) and len(w.suffix) >= len(tail):
        return t.endswith(tail)
    return not tail or _compatible(_last(w.head_code, len(tail)), p.tail_code)


def overlap_cost(p: Pattern, q: Pattern) -> int:
    """Pattern-steps :func:`overlap` takes (an automaton run over a star-free side costs its
    length; integer comparisons count one)."""
    if p.stars and not q.stars:
        return 1 + len(q.tokens)
    if q.stars and not p.stars:
        return 1 + len(p.tokens)
    return 1


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
        if len(q.prefix) == len(q.tokens):  # no ``?``: refining it is being it
            return p.tokens == q.tokens
        return p.stars == 0 and len(p.tokens) == len(q.tokens) and _refines(p.head_code,
                                                                            q.head_code)
    if q.stars > 1:
        return None
    la, lb = len(q.head), len(q.tail)
    if p.fixed < la + lb:
        return False
    if len(q.prefix) == la and len(q.suffix) == lb:
        return _included_in_plain(p, q.head, q.tail)
    ca, cb = q.head_code, q.tail_code
    if p.stars == 0:
        n = len(p.tokens)
        return (_refines(_first(p.head_code, n, la), ca)
                and (not lb or _refines(_last(p.head_code, lb), cb)))
    lh, lt = len(p.head), len(p.tail)
    if la <= lh:
        if not _refines(_first(p.head_code, lh, la), ca):
            return False
    # A longer A: p's head against A's start, and only ``?`` beyond it.
    elif not _refines(p.head_code, _first(ca, la, lh)) or _last(ca, la - lh)[1]:
        return False
    if not lb:
        return True
    if lb <= lt:
        return _refines(_last(p.tail_code, lb), cb)
    return _refines(p.tail_code, _last(cb, lt)) and not _first(cb, lb, lb - lt)[1]


def _included_in_plain(p: Pattern, a: str, b: str) -> bool:
    """:func:`included` for ``q = A*B`` without ``?`` (and ``p`` long enough): refining a
    literal is being it, so the comparisons are string comparisons; where ``p``'s star could
    put any character, ``A`` (or ``B``) would need a ``?``, which it has not."""
    if p.stars == 0:
        return p.tokens.startswith(a) and p.tokens.endswith(b)
    if not p.head.startswith(a):  # also when A reaches beyond p's head
        return False
    return not b or p.tail.endswith(b)


def _spell(tokens: str, fill: str, star: str) -> str:
    return tokens.replace("?", fill).replace("*", star)


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


# --------------------------------------------------------------------------- a spelled example

def prefix_suffix_example(inc: List[Pattern], exc: List[Pattern]) -> Optional[str]:
    """``pattern_search.search_example`` without a search for its commonest question: two includes, one
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
    ``pattern_search.search_example`` on generated patterns (tests/test_pattern_shapes.py).
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
    spelled ``a`` (the alphabet's first character, literal or not: it heads ``pattern_search._PREFERENCE``, so
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
    """The readability automaton's cost of a path body (``pattern_search._read_step``), per segment: an
    empty one before a '/', one that starts with '.', an empty last one (a trailing '/'; the
    word is never empty)."""
    if "//" not in word and word[0] != "/":  # no empty segment but perhaps the last one
        return word.count("/.") + (word[0] == ".") + (word[-1] == "/")
    segments = word.split("/")
    return (sum(1 for seg in segments[:-1] if not seg)
            + sum(1 for seg in segments if seg[:1] == ".") + (segments[-1] == ""))


def _matches_body(p: Pattern, body: str) -> bool:
    return p.match_steps(body)[0]
