"""Path-pattern order checks: CFH005 (unreachable), CFH006 (HTTPS path captured by an earlier
HTTP behaviour) and CFH007 (sensitive path served over HTTP).

All three read one analysis per distribution (pairwise overlaps, then narrow questions to
``rules.patterns`` about the pairs that overlap), computed once and shared. Questions the work
allowance could not settle become "undecided" notes, never findings.

CFH005 and CFH006 first decide a *verdict* (behaviour indices and answers, nothing rendered),
then render it into findings and notes for the distribution at hand; a later distribution with
the same layout, HTTP flags and work left reads the verdict (``_Analysis.verdict``).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import List, Optional

from .. import pattern_shapes, patterns
from ..model import Distribution, NoteKind, as_text
from ._common import admits_http, finding, note


def _before(i: int) -> int:
    """The mask of the behaviours tried before behaviour ``i`` (bits 0 .. i-1)."""
    return (1 << i) - 1


def _bits(mask: int) -> List[int]:
    """Indices of the set bits, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


_INDEX_DEPTH = 32  # literal characters the overlap index keys on (longer ones share a key)
_ABOVE = "\x7f"  # sorts after every character a pattern may contain (all ASCII below it)


class _LiteralIndex:
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


class _Analysis:
    """One distribution's patterns and the ordering questions already answered about them.

    Questions are asked narrowly and stop at the first witness: "can behaviour i be reached?",
    "does j serve some path of i?". Pairwise overlaps are decided first, once per pair that the
    literal index leaves (each in time linear in the patterns' length, ``pattern_shapes``), and
    kept as one bitmask per behaviour, so a question with no overlapping earlier pattern is
    answered without any search, and each product search includes only the patterns that
    matter. All questions of a distribution share one work allowance (``patterns.allowance``,
    proportional to its behaviours and to ``max_states``).
    """

    __slots__ = ("behaviors", "parsed", "problems", "budget", "http", "http_mask", "first_unknown",
                 "layout", "ov", "_memo", "_masks", "_prefixes", "_suffixes", "_all")

    def __init__(self, dist: Distribution, config) -> None:
        self.behaviors = behaviors = dist.all_behaviors()
        self.budget = patterns.Budget(config.max_states,
                                      total=patterns.allowance(len(behaviors),
                                                               config.max_states))
        self.parsed = parsed = []
        self.problems: List[Optional[str]] = [None] * len(behaviors)
        self.http = http = []
        self.first_unknown: Optional[int] = None
        tokens = []
        http_mask = 0  # bit k: behaviour k admits HTTP and has a usable pattern
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
            admits = admits_http(behavior)
            http.append(admits)
            if admits is True and p is not None:
                http_mask |= 1 << k
        self.http_mask = http_mask
        self._memo: dict = {}
        self._masks: dict = {}
        # The literal indexes and the overlap rows depend only on the patterns, in order, and
        # on the allowance: distributions with the same layout (estates, a stack's resources,
        # repeated previews) share them, with the pattern-steps they cost charged again.
        self.layout = key = (tuple(tokens), self.budget.max_states, self.budget.remaining)
        known = patterns.LAYOUTS.get(key)
        if known is None:
            before = self.budget.remaining
            usable = [(q, 1 << k) for k, q in enumerate(self.parsed) if q is not None]
            self._prefixes = _LiteralIndex([(q.prefix, bit) for q, bit in usable])
            self._suffixes = _LiteralIndex([(q.suffix[::-1], bit) for q, bit in usable])
            self._all = sum(bit for _, bit in usable)
            self.ov = self._overlap_rows()
            patterns.LAYOUTS.remember(key, len(self.parsed), (
                self._prefixes, self._suffixes, self._all, self.ov,
                before - self.budget.remaining, self.budget.exhausted))
        else:
            self._prefixes, self._suffixes, self._all, self.ov, spent, exhausted = known
            self.budget.remaining -= spent
            self.budget.exhausted = exhausted

    def verdict(self, check: str, depends: tuple, decide):
        """What one check decided about this distribution, as ``decide(self)`` gives it:
        behaviour indices and answers, nothing rendered.

        It depends only on the layout, the work left when the check starts and ``depends``
        (what else the check reads: whether the last behaviour is the default, the HTTP
        flags), so a later distribution with the same ones reads it from
        ``patterns.VERDICTS``. Only a verdict reached within the allowance is kept (every
        answer in it decided, hence remembered in ``patterns``); it lives as long as those
        remembered answers (``patterns.forget_answers``). Asking its questions again would
        answer each from memory at no cost in pattern-steps, so reading it costs none either:
        what the checks after it decide is the same either way."""
        key = (check, self.layout, self.budget.remaining, depends)
        known = patterns.VERDICTS.get(key)
        if known is not None:
            return known
        generation = patterns.generation()
        decided = tuple(decide(self))
        if not self.budget.exhausted and patterns.generation() == generation:
            patterns.VERDICTS.remember(key, len(self.parsed), decided)
        return decided

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
            row = self._overlapping(p, self._candidates(p) & _before(i))
            ov[i] |= row | (1 << i)
            for k in _bits(row):
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
        return [parsed[k] for k in _bits(mask)]

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
        memo = self._memo
        if key not in memo:
            pj = self.parsed[j]
            ov = self.ov
            m = ov[j] & _before(j) if pj is not None else 0
            for p in include:
                if pj is None or not (self._mask(p) >> j) & 1:
                    memo[key] = False
                    return False
                m &= self._mask(p)
            if m and self._spent():
                return patterns.UNDECIDED
            memo[key] = patterns.nonempty_parsed(list(include) + [pj], self._patterns(m),
                                                 self.budget)
        return memo[key]

    def served_by_behavior(self, i: int, j: int):
        """Does behaviour j (< i) serve some path of behaviour i's pattern?"""
        key = (i, j)
        memo = self._memo
        if key not in memo:
            ov = self.ov
            if not (ov[i] >> j) & 1:
                memo[key] = False
            else:
                m = ov[i] & ov[j] & _before(j)
                if m and self._spent():
                    return patterns.UNDECIDED
                memo[key] = patterns.nonempty_parsed([self.parsed[i], self.parsed[j]],
                                                     self._patterns(m), self.budget)
        return memo[key]

    def servers_of(self, i: int) -> dict:
        """For each earlier behaviour j overlapping i: does j serve some path of i first?
        Once an earlier pattern c covers i's whole pattern, no behaviour after c serves any
        path of i (c overlaps every pattern that overlaps i's, so c is among its blockers)."""
        p = self.parsed[i]
        answers = {}
        covered = False
        for j in _bits(self.ov[i] & _before(i)):
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
        m = ov[i] & ov[j] & _before(j)
        if m and self._spent():
            return patterns.UNDECIDED, None, None
        return patterns.capture(self.parsed[i], self.parsed[j], self._patterns(m), self.budget)

    def reachable(self, i: int):
        m = self.ov[i] & _before(i)
        if not m:
            return True
        if self._spent():
            return patterns.UNDECIDED
        return patterns.nonempty_parsed([self.parsed[i]], self._patterns(m), self.budget)

    def example(self, include, j: int):
        """A readable path of every include pattern that behaviour j serves (or None)."""
        m = self.ov[j] & _before(j)
        for p in include:
            m &= self._mask(p)
        if self._spent():
            return None
        ex = patterns.example(list(include) + [self.parsed[j]], self._patterns(m), self.budget)
        return ex if isinstance(ex, str) else None


def _analysis(dist: Distribution, config) -> _Analysis:
    key = ("ordering", config.max_states)
    analysis = dist.analyses.get(key)
    if analysis is None:
        analysis = dist.analyses[key] = _Analysis(dist, config)
    return analysis


def _names(a: _Analysis, indices) -> str:
    return ", ".join(a.behaviors[j].label for j in sorted(indices))


def _has_default(a: _Analysis) -> bool:
    return bool(a.behaviors) and a.behaviors[-1].is_default


def _unreachable(a: _Analysis):
    """CFH005's verdict: ``(i, servers, duplicates)`` for each behaviour i it reports —
    ``servers`` the earlier behaviours that serve its paths, ``duplicates`` those of them with
    its very pattern, or ``servers`` None when it is undecided; patterns CloudFront would
    refuse are reported apart (:func:`unreachable_behavior`)."""
    for i, p in enumerate(a.parsed):
        if p is None or i == 0:
            continue
        reach = a.reachable(i)
        if reach is True:
            continue
        servers = set()
        if reach is False:
            answers = a.servers_of(i)
            servers = {j for j, v in answers.items() if v is True}
            if any(v is patterns.UNDECIDED for v in answers.values()):
                reach = patterns.UNDECIDED
        if reach is patterns.UNDECIDED:
            yield i, None, ()
            continue
        yield i, tuple(sorted(servers)), tuple(j for j in servers if a.parsed[j] == p)


def unreachable_behavior(dist: Distribution, config):
    """CFH005: a behaviour whose every path is served by earlier ones."""
    a = _analysis(dist, config)
    decided = iter(a.verdict("CFH005", (_has_default(a),), _unreachable))
    upcoming = next(decided, None)
    for i, behavior in enumerate(a.behaviors):
        if a.parsed[i] is None:
            if not behavior.is_default:
                yield note("CFH005", dist, behavior.path_of("path_pattern"),
                           f"{behavior.label}: {a.problems[i]}; order analysis skips it",
                           kind=NoteKind.INPUT)
            continue
        if upcoming is None or upcoming[0] != i:
            continue
        _, servers, dup = upcoming
        upcoming = next(decided, None)
        if servers is None:
            yield note("CFH005", dist, behavior.path_of("path_pattern"),
                       f"{behavior.label}: undecided whether earlier behaviours cover it "
                       f"(work bound max_states={config.max_states} reached)",
                       kind=NoteKind.UNDECIDED)
            continue
        if behavior.is_default:
            msg = (f"the default cache behaviour is unreachable: the ordered patterns together "
                   f"match every path ({_names(a, servers)}); its settings never apply")
            path = behavior.path or dist.path
        else:
            how = (f"duplicates {_names(a, dup)}" if dup and len(servers) == 1
                   else f"every path it matches is served first by {_names(a, servers)}")
            msg = f"{behavior.label} is unreachable: {how}; its settings never apply"
            path = behavior.path_of("path_pattern")
        yield finding("CFH005", dist, path, msg)


# What CFH006 decides about a pair (i, j): an earlier HTTP behaviour j serves paths of the
# HTTPS behaviour i (with an example path, or None); it may, but an unknown pattern before j
# leaves it open; or, for i alone, some of its questions are undecided.
_CAPTURES, _MAY_CAPTURE, _UNDECIDED = "captures", "may capture", "undecided"


def _captures(a: _Analysis):
    """CFH006's verdict: ``(i, what, j, detail)`` in report order (see the kinds above;
    ``detail``: the example path, or the behaviour with the unknown pattern)."""
    for i, behavior in enumerate(a.behaviors):
        if behavior.is_default or a.parsed[i] is None or a.http[i] is not False:
            continue
        undecided = False
        # Only earlier HTTP-admitting behaviours whose pattern may overlap can capture paths.
        for j in _bits(a.ov[i] & a.http_mask & _before(i)):
            served, carve, example_path = a.capture(i, j)
            if served is False:
                continue
            if carve is True:
                continue  # deliberate carve-out: the earlier pattern lies inside the later one
            unknown = a.unknown_before(j)
            if served is patterns.UNDECIDED or carve is patterns.UNDECIDED:
                undecided = True
                continue
            if unknown is not None:
                yield i, _MAY_CAPTURE, j, unknown
                continue
            yield i, _CAPTURES, j, example_path if isinstance(example_path, str) else None
        if undecided:
            yield i, _UNDECIDED, None, None


def behavior_order_https(dist: Distribution, config):
    """CFH006: an earlier allow-all behaviour serves paths a later HTTPS behaviour names."""
    a = _analysis(dist, config)
    for i, what, j, detail in a.verdict("CFH006", (_has_default(a), tuple(a.http)), _captures):
        behavior = a.behaviors[i]
        if what == _UNDECIDED:
            yield note("CFH006", dist, behavior.path_of("path_pattern"),
                       f"{behavior.label}: order analysis undecided (work bound max_states="
                       f"{config.max_states} reached)", kind=NoteKind.UNDECIDED)
            continue
        earlier = a.behaviors[j]
        if what == _MAY_CAPTURE:
            yield note("CFH006", dist, behavior.path_of("path_pattern"),
                       f"{behavior.label} requires HTTPS and {earlier.label} allows HTTP "
                       f"and may capture some of its paths "
                       f"({a.behaviors[detail].label} has an unknown pattern)")
            continue
        shown = f", e.g. {detail}" if detail else ""
        yield finding("CFH006", dist, behavior.path_of("path_pattern"),
                      f"{behavior.label} requires HTTPS "
                      f"({behavior.viewer_protocol_policy}), but {earlier.label} allows "
                      f"HTTP and is matched first for some of its paths{shown}; move it "
                      f"before {earlier.label}",
                      example_path=detail)


def sensitive_path_https(dist: Distribution, config):
    """CFH007: a configured sensitive glob is served by a behaviour that admits HTTP (the engine
    runs it only when globs are configured: catalogue ``requires``)."""
    a = _analysis(dist, config)
    for glob in config.sensitive_paths:
        try:
            sensitive = patterns.parse(glob)
        except patterns.PatternError as exc:
            yield note("CFH007", dist, dist.path, f"sensitive path {glob!r}: {exc}",
                       kind=NoteKind.INPUT)
            continue
        undecided = False
        for j, behavior in enumerate(a.behaviors):
            if a.http[j] is not True or a.parsed[j] is None:
                continue
            served = a.served_by([sensitive], j)
            if served is False:
                continue
            if served is patterns.UNDECIDED:
                undecided = True
                continue
            unknown = a.unknown_before(j)
            if unknown is not None:
                yield note("CFH007", dist, behavior.path_of("viewer_protocol_policy"),
                           f"{behavior.label} allows HTTP and may serve sensitive path {glob!r} "
                           f"({a.behaviors[unknown].label} has an unknown pattern)")
                continue
            example_path = a.example([sensitive], j)
            shown = f", e.g. {example_path}" if example_path else ""
            yield finding("CFH007", dist, behavior.path_of("viewer_protocol_policy"),
                          f"{behavior.label} allows HTTP and serves paths matching the sensitive "
                          f"pattern {glob!r}{shown}; require HTTPS for them",
                          example_path=example_path)
        if undecided:
            yield note("CFH007", dist, dist.path,
                       f"sensitive path {glob!r}: undecided which behaviours serve it "
                       f"(work bound max_states={config.max_states} reached)",
                       kind=NoteKind.UNDECIDED)
