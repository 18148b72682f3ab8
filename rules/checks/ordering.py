"""The path-pattern order checks: CFH005 (unreachable behaviour), CFH006 (HTTPS path captured
by an earlier HTTP behaviour) and CFH007 (sensitive path served over HTTP).

Each reads the distribution's one ordering analysis (``rules.ordering_analysis``) and turns its
answers into findings and notes; questions the work allowance could not settle become
"undecided" notes, never findings. Each first decides a *verdict* (behaviour indices and
answers, nothing rendered), then renders it.

The three share the distribution's allowance in one fixed order, whichever is asked first and
however often (a door may run them one by one, or again with other settings): CFH005's
verdict, then CFH006's, each decided once per analysis; then CFH007 from the work left after
both, anew for every run (it reads the configured globs). So what each says depends on the
distribution and the settings only. The three verdicts are steps of the analysis
(``Analysis.step``): a distribution with the same layout, HTTP flags (and, for CFH007, globs)
takes them, with the work left after them, from one judged before it.
"""

from __future__ import annotations

from .. import patterns
from ..model import Distribution, NoteKind
from ..ordering_analysis import Analysis, analysis, before, bits
from ._common import admits_http, finding, note


def _http(a: Analysis) -> tuple:
    """Per behaviour: does it admit HTTP (True / False, None when its policy is unknown)?"""
    return tuple([admits_http(b) for b in a.behaviors])


def _http_mask(a: Analysis, http: tuple) -> int:
    """Bit k: behaviour k admits HTTP and has a usable pattern."""
    mask = 0
    for k, admits in enumerate(http):
        if admits is True and a.parsed[k] is not None:
            mask |= 1 << k
    return mask


def _verdict(a: Analysis, code: str) -> tuple:
    """CFH005's or CFH006's verdict, deciding the ones before it first (the fixed order), each
    a step of the analysis (``Analysis.step``, which may take it from a distribution with the
    same layout): CFH005's depends on the layout only, CFH006's also on the HTTP flags."""
    unreachable = a.step("CFH005", None, _unreachable)
    if code == "CFH005":
        return unreachable
    if code == "CFH006":
        return a.step("CFH006", _http(a), _captures)
    raise ValueError(code)


def _order_unknown(code: str, dist: Distribution):
    """The one note a check gives when the list of behaviours is known only in part (some
    behaviours may be generated in places not known here): no verdict on the order."""
    where = dist.behaviors[0].path[:-1] if dist.behaviors and dist.behaviors[0].path else \
        dist.path
    return note(code, dist, where, "the ordered cache behaviours are known only in part (some "
                "are generated from a collection not known here): their order is not judged")


def _names(a: Analysis, indices) -> str:
    return ", ".join(a.behaviors[j].label for j in sorted(indices))


def _unreachable(a: Analysis, _inputs=None):
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
    if not dist.behaviors_known:
        yield _order_unknown("CFH005", dist)
        return
    a = analysis(dist, config)
    decided = iter(_verdict(a, "CFH005"))
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


def _captures(a: Analysis, http: tuple):
    """CFH006's verdict: ``(i, what, j, detail)`` in report order (see the kinds above;
    ``detail``: the example path, or the behaviour with the unknown pattern), for the HTTP
    flags ``http`` (:func:`_http`)."""
    http_mask = _http_mask(a, http)
    for i, behavior in enumerate(a.behaviors):
        if behavior.is_default or a.parsed[i] is None or http[i] is not False:
            continue
        undecided = False
        # Only earlier HTTP-admitting behaviours whose pattern may overlap can capture paths.
        for j in bits(a.ov[i] & http_mask & before(i)):
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
    if not dist.behaviors_known:
        yield _order_unknown("CFH006", dist)
        return
    a = analysis(dist, config)
    for i, what, j, detail in _verdict(a, "CFH006"):
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


# What CFH007 decides about a glob: it is no pattern (detail: why), an HTTP behaviour j serves
# some of its paths (detail: an example path, or None) or may (detail: the behaviour with the
# unknown pattern), or some of its questions are undecided.
_BAD_GLOB, _SERVES, _MAY_SERVE = "bad glob", "serves", "may serve"


def _sensitive(a: Analysis, inputs: tuple):
    """CFH007's verdict: ``(glob, what, j, detail)`` in report order for ``inputs``, the HTTP
    flags (:func:`_http`) and the configured globs."""
    http, globs = inputs
    for glob in globs:
        try:
            sensitive = patterns.parse(glob)
        except patterns.PatternError as exc:
            yield glob, _BAD_GLOB, None, str(exc)
            continue
        undecided = False
        for j, p in enumerate(a.parsed):
            if http[j] is not True or p is None:
                continue
            served = a.served_by([sensitive], j)
            if served is False:
                continue
            if served is patterns.UNDECIDED:
                undecided = True
                continue
            unknown = a.unknown_before(j)
            if unknown is not None:
                yield glob, _MAY_SERVE, j, unknown
                continue
            yield glob, _SERVES, j, a.example([sensitive], j)
        if undecided:
            yield glob, _UNDECIDED, None, None


def sensitive_path_https(dist: Distribution, config):
    """CFH007: a configured sensitive glob is served by a behaviour that admits HTTP (the engine
    runs it only when globs are configured: catalogue ``requires``). It starts from the work
    left after CFH005's and CFH006's verdicts, on a fork of the analysis, anew for every run:
    its verdict depends on the globs of this run."""
    if not dist.behaviors_known:
        yield _order_unknown("CFH007", dist)
        return
    whole = analysis(dist, config)
    _verdict(whole, "CFH006")
    a = whole.fork()
    for glob, what, j, detail in a.step("CFH007", (_http(a), config.sensitive_paths),
                                        _sensitive):
        if what == _BAD_GLOB:
            yield note("CFH007", dist, dist.path, f"sensitive path {glob!r}: {detail}",
                       kind=NoteKind.INPUT)
        elif what == _UNDECIDED:
            yield note("CFH007", dist, dist.path,
                       f"sensitive path {glob!r}: undecided which behaviours serve it "
                       f"(work bound max_states={config.max_states} reached)",
                       kind=NoteKind.UNDECIDED)
        elif what == _MAY_SERVE:
            behavior = a.behaviors[j]
            yield note("CFH007", dist, behavior.path_of("viewer_protocol_policy"),
                       f"{behavior.label} allows HTTP and may serve sensitive path {glob!r} "
                       f"({a.behaviors[detail].label} has an unknown pattern)")
        else:
            behavior = a.behaviors[j]
            shown = f", e.g. {detail}" if detail else ""
            yield finding("CFH007", dist, behavior.path_of("viewer_protocol_policy"),
                          f"{behavior.label} allows HTTP and serves paths matching the sensitive "
                          f"pattern {glob!r}{shown}; require HTTPS for them",
                          example_path=detail)
