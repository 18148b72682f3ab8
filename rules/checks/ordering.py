"""Path-pattern order checks: CFH005 (unreachable), CFH006 (HTTPS path captured by an earlier
HTTP behaviour) and CFH007 (sensitive path served over HTTP).

All three read one analysis per distribution (first-match profiles from ``rules.patterns``),
computed once and shared. Undecided questions become notes, never findings.
"""

from __future__ import annotations

from typing import List, Optional

from .. import patterns
from ..model import Distribution, as_text
from ._common import admits_http, finding, note


class _Analysis:
    __slots__ = ("behaviors", "parsed", "problems", "rows", "budget", "first_unknown")

    def __init__(self, dist: Distribution, config) -> None:
        self.behaviors = dist.all_behaviors()
        self.budget = patterns.Budget(config.max_states)
        self.parsed: List[Optional[patterns.Pattern]] = []
        self.problems: List[Optional[str]] = []
        for behavior in self.behaviors:
            raw = "*" if behavior.is_default else behavior.path_pattern
            try:
                self.parsed.append(patterns.parse(raw))
                self.problems.append(None)
            except patterns.PatternError as exc:
                self.parsed.append(None)
                self.problems.append(str(exc) if isinstance(raw, str) or raw is None
                                     else f"path pattern is unknown ({as_text(raw)})")
        self.rows = {}

    def unknown_before(self, index: int) -> Optional[int]:
        for k in range(index):
            if self.parsed[k] is None:
                return k
        return None

    def row(self, index: int) -> patterns.Profile:
        if index not in self.rows:
            self.rows[index] = patterns.profile(self.parsed[index], self.parsed[:index], self.budget)
        return self.rows[index]


def _analysis(dist: Distribution, config) -> _Analysis:
    cached = getattr(dist, "_ordering", None)
    if cached is None or cached[0] != config.max_states:
        cached = (config.max_states, _Analysis(dist, config))
        dist._ordering = cached  # type: ignore[attr-defined]
    return cached[1]


def _names(a: _Analysis, indices) -> str:
    return ", ".join(a.behaviors[j].label for j in sorted(indices))


def _served_example(a: _Analysis, include, server: int):
    exclude = [p for p in a.parsed[:server] if p is not None]
    return patterns.example(include + [a.parsed[server]], exclude, a.budget)


def unreachable_behavior(dist: Distribution, config):
    """CFH005: a behaviour whose every path is served by earlier ones."""
    a = _analysis(dist, config)
    for i, behavior in enumerate(a.behaviors):
        if a.parsed[i] is None:
            if not behavior.is_default:
                yield note("CFH005", dist, behavior.path_of("path_pattern"),
                           f"{behavior.label}: {a.problems[i]}; order analysis skips it")
            continue
        if i == 0:
            continue
        prof = a.row(i)
        if not prof.decided:
            yield note("CFH005", dist, behavior.path_of("path_pattern"),
                       f"{behavior.label}: undecided whether earlier behaviours cover it "
                       f"(state bound {config.max_states} reached)")
            continue
        if prof.uncovered:
            continue
        if behavior.is_default:
            msg = (f"the default cache behaviour is unreachable: the ordered patterns together "
                   f"match every path ({_names(a, prof.servers)}); its settings never apply")
            path = behavior.path or dist.path
        else:
            dup = [j for j in prof.servers if a.parsed[j] == a.parsed[i]]
            how = (f"duplicates {_names(a, dup)}" if dup and len(prof.servers) == 1
                   else f"every path it matches is served first by {_names(a, prof.servers)}")
            msg = f"{behavior.label} is unreachable: {how}; its settings never apply"
            path = behavior.path_of("path_pattern")
        yield finding("CFH005", dist, path, msg)


def behavior_order_https(dist: Distribution, config):
    """CFH006: an earlier allow-all behaviour serves paths a later HTTPS behaviour names."""
    a = _analysis(dist, config)
    for i, behavior in enumerate(a.behaviors):
        if behavior.is_default or a.parsed[i] is None or admits_http(behavior) is not False:
            continue
        prof = a.row(i)
        candidates = sorted(j for j in prof.servers if admits_http(a.behaviors[j]) is True)
        if not prof.decided:
            yield note("CFH006", dist, behavior.path_of("path_pattern"),
                       f"{behavior.label}: order analysis undecided (state bound "
                       f"{config.max_states} reached)")
        for j in candidates:
            earlier = a.behaviors[j]
            carve = patterns.included(a.parsed[j], [a.parsed[i]], a.budget)
            if carve is True:
                continue  # deliberate carve-out: the earlier pattern lies inside the later one
            unknown = a.unknown_before(j)
            if carve is patterns.UNDECIDED or unknown is not None:
                why = ("carve-out test undecided" if carve is patterns.UNDECIDED
                       else f"{a.behaviors[unknown].label} has an unknown pattern")
                yield note("CFH006", dist, behavior.path_of("path_pattern"),
                           f"{behavior.label} requires HTTPS and {earlier.label} allows HTTP "
                           f"and may capture some of its paths ({why})")
                continue
            ex = _served_example(a, [a.parsed[i]], j)
            example_path = ex if isinstance(ex, str) else None
            shown = f", e.g. {example_path}" if example_path else ""
            yield finding("CFH006", dist, behavior.path_of("path_pattern"),
                          f"{behavior.label} requires HTTPS "
                          f"({behavior.viewer_protocol_policy}), but {earlier.label} allows "
                          f"HTTP and is matched first for some of its paths{shown}; move it "
                          f"before {earlier.label}",
                          example_path=example_path)


def sensitive_path_https(dist: Distribution, config):
    """CFH007: a configured sensitive glob is served by a behaviour that admits HTTP."""
    if not config.sensitive_paths:
        return
    a = _analysis(dist, config)
    for glob in config.sensitive_paths:
        try:
            sensitive = patterns.parse(glob)
        except patterns.PatternError as exc:
            yield note("CFH007", dist, dist.path, f"sensitive path {glob!r}: {exc}")
            continue
        prof = patterns.profile(sensitive, a.parsed, a.budget)
        if not prof.decided:
            yield note("CFH007", dist, dist.path,
                       f"sensitive path {glob!r}: undecided which behaviours serve it "
                       f"(state bound {config.max_states} reached)")
        for j in sorted(prof.servers):
            behavior = a.behaviors[j]
            if admits_http(behavior) is not True:
                continue
            unknown = a.unknown_before(j)
            if unknown is not None:
                yield note("CFH007", dist, behavior.path_of("viewer_protocol_policy"),
                           f"{behavior.label} allows HTTP and may serve sensitive path {glob!r} "
                           f"({a.behaviors[unknown].label} has an unknown pattern)")
                continue
            ex = _served_example(a, [sensitive], j)
            example_path = ex if isinstance(ex, str) else None
            shown = f", e.g. {example_path}" if example_path else ""
            yield finding("CFH007", dist, behavior.path_of("viewer_protocol_policy"),
                          f"{behavior.label} allows HTTP and serves paths matching the sensitive "
                          f"pattern {glob!r}{shown}; require HTTPS for them",
                          example_path=example_path)
