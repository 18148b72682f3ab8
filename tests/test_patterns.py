"""The path-pattern engine against brute force, plus the documented examples."""

import itertools
import re

import pytest
from hypothesis import given, settings, strategies as st

from rules import memo, patterns
from rules.model import NoteKind
from rules.patterns import UNDECIDED, Budget

import pattern_oracle as oracle

ALPHABET = "ab/"
PATHS = ["/" + "".join(p) for n in range(0, 6) for p in itertools.product(ALPHABET, repeat=n)]


def ref_match(pattern, path):
    """Reference semantics straight from the facts, via a regular expression."""
    body = pattern[1:] if pattern.startswith("/") else pattern
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in body)
    return re.fullmatch(rx, path[1:], flags=re.S) is not None


pattern_st = st.text(alphabet="ab/*?", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(pattern_st, st.sampled_from(PATHS))
def test_matches_agrees_with_reference(p, path):
    assert patterns.matches(p, path) == ref_match(p, path)


@settings(max_examples=200, deadline=None)
@given(pattern_st, pattern_st)
def test_intersection_agrees_with_brute_force(p, q):
    brute = [w for w in PATHS if ref_match(p, w) and ref_match(q, w)]
    got = patterns.intersection(p, q)
    if got is None:
        assert not brute  # short paths suffice: any witness has one no longer than |p|+|q|
    else:
        assert ref_match(p, got) and ref_match(q, got) and got.startswith("/")


@settings(max_examples=200, deadline=None)
@given(pattern_st, st.lists(pattern_st, min_size=1, max_size=3))
def test_union_inclusion_agrees_with_brute_force(p, qs):
    got = patterns.included(p, qs)
    counter = [w for w in PATHS if ref_match(p, w) and not any(ref_match(q, w) for q in qs)]
    if got is True:
        assert not counter
    else:
        assert got is False
        # Not included: a counterexample exists; find it via the engine and check it.
        ex = patterns.example([p], qs)
        assert ex is not None and ref_match(p, ex) and not any(ref_match(q, ex) for q in qs)


@settings(max_examples=200, deadline=None)
@given(st.lists(pattern_st, min_size=1, max_size=4), pattern_st)
def test_oracle_profile_is_the_first_match_partition(earlier, target):
    """The test oracle (tests/pattern_oracle.py) against brute force, and the engine's
    questions against the oracle: who serves the target's paths, and is some path left."""
    prof = oracle.profile(target, earlier)
    servers = set()
    uncovered = False
    for w in PATHS:
        if not ref_match(target, w):
            continue
        for j, q in enumerate(earlier):
            if ref_match(q, w):
                servers.add(j)
                break
        else:
            uncovered = True
    # Brute force over short paths is a lower bound; the oracle must include it ...
    assert servers <= prof.servers
    assert uncovered <= prof.uncovered
    # ... and everything the oracle claims must be witnessed by the engine, which agrees.
    for j in range(len(earlier)):
        ex = patterns.example([target, earlier[j]], earlier[:j])
        assert (j in prof.servers) == isinstance(ex, str)
        assert patterns.nonempty([target, earlier[j]], earlier[:j]) is (j in prof.servers)
        if isinstance(ex, str):
            assert ref_match(target, ex) and ref_match(earlier[j], ex)
            assert not any(ref_match(q, ex) for q in earlier[:j])
    ex = patterns.example([target], earlier)
    assert isinstance(ex, str) == prof.uncovered
    assert patterns.nonempty([target], earlier) is prof.uncovered
    if prof.uncovered:
        assert not any(ref_match(q, ex) for q in earlier)


@settings(max_examples=200, deadline=None)
@given(pattern_st, pattern_st, st.lists(pattern_st, max_size=3))
def test_capture_agrees_with_brute_force(later, earlier, blockers):
    """capture(): does `earlier`, tried after `blockers`, serve a path of `later`; is all of
    `earlier` inside `later`; and if not, an example path it takes from `later`."""
    parse = patterns.parse
    served, inside, ex = patterns.capture(parse(later), parse(earlier), [parse(b) for b in blockers])
    taken = [w for w in PATHS if ref_match(later, w) and ref_match(earlier, w)
             and not any(ref_match(b, w) for b in blockers)]
    if taken:
        assert served is True
    if served is not True:
        assert served is False and inside is None and ex is None
        return
    outside = [w for w in PATHS if ref_match(earlier, w) and not ref_match(later, w)]
    if outside:
        assert inside is False
    if inside is True:
        assert ex is None
    else:
        assert inside is False
        assert isinstance(ex, str) and ref_match(later, ex) and ref_match(earlier, ex)
        assert not any(ref_match(b, ex) for b in blockers)


@settings(max_examples=200, deadline=None)
@given(pattern_st, pattern_st)
def test_example_is_shortest_among_readable_ties(p, q):
    got = patterns.intersection(p, q)
    brute = [w for w in PATHS if ref_match(p, w) and ref_match(q, w)]
    if got is not None and brute:
        # No path both match is more readable, or as readable and shorter. (An earlier bound,
        # "at most one character longer per wildcard run", was wrong: for ??b* and */a? the
        # only shorter path, //ab, has an empty segment, and /aab/aa is three longer.)
        assert _readability(got) <= min(_readability(w) for w in brute)


def _readability(path):
    """(cost, length) as the example search ranks paths, computed independently: an empty
    segment, a segment starting with '.', a trailing '/' each cost one."""
    body = path[1:]
    starts = [i for i in range(len(body)) if i == 0 or body[i - 1] == "/"]
    cost = sum(1 for i in starts if body[i] in "/.") + (1 if body.endswith("/") else 0)
    return cost, len(path)


def test_documented_examples():
    assert patterns.intersection("*.php", "admin/*") == "/admin/a.php"
    assert patterns.intersection("/api/*", "/api/admin/*") == "/api/admin/a"
    assert patterns.intersection("/Admin/*", "/admin/*") is None
    assert patterns.matches("images/*.jpg", "/images/sub/dir/x.jpg")
    assert not patterns.matches("*.jpg", "/LOGO.JPG")
    assert patterns.matches("/images/*", "/images/a") == patterns.matches("images/*", "/images/a")


def test_union_only_cover():
    assert patterns.included("/docs*", ["/docs", "/docs?*"]) is True
    assert patterns.included("/docs*", ["/docs"]) is False
    assert patterns.included("/docs*", ["/docs?*"]) is False


def test_leading_slash_duplicates():
    assert patterns.included("docs/*", ["/docs/*"]) is True
    assert patterns.included("/docs/*", ["docs/*"]) is True


@pytest.mark.parametrize("bad", ["", "a" * 256, "/a b", "/caf\u00e9", "/a%20", 7, None, ["x"]])
def test_invalid_patterns_are_reported(bad):
    assert patterns.problem(bad) is not None
    with pytest.raises(patterns.PatternError):
        patterns.parse(bad)


def test_255_is_allowed():
    assert patterns.problem("a" * 255) is None


def test_bound_gives_undecided_not_a_guess():
    p = "*a*b*a*b*a*b*a*b*a*b*a*b*a*b*"
    q = "*b*a*b*a*b*a*b*a*b*a*b*a*b*a*a*"
    tiny = Budget(max_states=3)
    assert patterns.example([p], [q], tiny) is UNDECIDED
    assert tiny.exhausted
    assert patterns.example([p], [q], Budget()) is not UNDECIDED
    with pytest.raises(TypeError):
        bool(UNDECIDED)


def test_work_is_counted_in_pattern_steps():
    """The allowance tracks time: the same question costs more with more patterns in it, and a
    total allowance too small for the question leaves it undecided however many states
    ``max_states`` would allow."""
    p = "*a*b*a*b*a*b*"
    few = ["*b*a*b*a*b*a*a*"]
    many = few * 1 + [f"*b*a*b*a*b*a*{c}*" for c in "cdefghij"]
    spent = []
    for exc in (few, many):
        memo.clear_all()
        budget = Budget(max_states=10 ** 6, total=10 ** 7)
        assert patterns.example([p], exc, budget) is not UNDECIDED
        spent.append(10 ** 7 - budget.remaining)
    assert spent[1] > 2 * spent[0] > 0
    memo.clear_all()
    budget = Budget(max_states=10 ** 6, total=spent[1] // 4)
    assert patterns.example([p], many, budget) is UNDECIDED
    assert budget.exhausted
    # Overshoot is at most one state's successors past the limit.
    assert budget.remaining > -spent[1]


def test_allowance_grows_with_behaviours_and_max_states():
    assert patterns.allowance(400) > patterns.allowance(100) > patterns.allowance(0) > 0
    assert abs(patterns.allowance(100, 40000) - 2 * patterns.allowance(100, 20000)) <= 2


# ---------------------------------------------------------------- the ordering checks themselves

behaviour_st = st.lists(st.tuples(pattern_st, st.sampled_from(["allow-all", "https-only"])),
                        min_size=1, max_size=4)


def _first_match(pats, w):
    for j, p in enumerate(pats):
        if ref_match(p, w):
            return j
    return None


@settings(max_examples=150, deadline=None)
@given(behaviour_st, st.sampled_from(["allow-all", "https-only"]), pattern_st)
def test_ordering_checks_agree_with_brute_force(behaviours, default_vpp, sensitive):
    from rules import engine
    from rules.config import Config
    from rules.sources import aws_api
    dc = {"Origins": [{"Id": "o", "DomainName": "o.example.com"}],
          "CacheBehaviors": [{"PathPattern": p, "TargetOriginId": "o", "ViewerProtocolPolicy": v}
                             for p, v in behaviours],
          "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": default_vpp}}
    dist, _ = aws_api.distribution("d", dc)
    result = engine.evaluate([dist], Config(sensitive_paths=(sensitive,)),
                             codes=["CFH005", "CFH006", "CFH007"])
    assert not [n for n in result.notes if n.kind in (NoteKind.UNDECIDED, NoteKind.INTERNAL_ERROR)]
    pats = [p for p, _ in behaviours] + ["*"]
    vpps = [v for _, v in behaviours] + [default_vpp]
    unreachable = {f.path[1] if isinstance(f.path[1], int) else len(behaviours)
                   for f in result.findings if f.code == "CFH005" and len(f.path) > 1}
    if any(f.code == "CFH005" and "default" in f.message for f in result.findings):
        unreachable.add(len(behaviours))
    served = {}
    for w in PATHS:
        j = _first_match(pats, w)
        served.setdefault(j, []).append(w)
    for i in range(len(pats)):
        if i in unreachable:  # sound: no short path is served by it
            assert i not in served
        # exact: the oracle's product walk agrees on every behaviour
        assert (i in unreachable) is (i > 0 and not oracle.nonempty([pats[i]], pats[:i]))
    for f in result.findings:
        if f.code in ("CFH006", "CFH007"):
            w = f.example_path
            j = _first_match(pats, w)
            assert vpps[j] == "allow-all"
            if f.code == "CFH006":
                i = f.path[1]
                assert ref_match(pats[i], w) and j < i and vpps[i] == "https-only"
            else:
                assert ref_match(sensitive, w)
    # Completeness for CFH007 on short paths: every sensitive short path served over HTTP is reported.
    reported = {f.path[1] if isinstance(f.path[1], int) else len(behaviours)
                for f in result.findings if f.code == "CFH007"}
    for w in PATHS:
        if ref_match(sensitive, w):
            j = _first_match(pats, w)
            if vpps[j] == "allow-all":
                assert j in reported


@settings(max_examples=400, deadline=None)
@given(st.one_of(pattern_st, pattern_st.map(lambda p: p.replace("*", "") + "*"),
                 pattern_st.map(lambda p: "*" + p.replace("*", "")),
                 st.text(alphabet="ab/?", min_size=1, max_size=6)), pattern_st)
def test_overlaps_shortcuts_agree_with_the_product_search(p, q):
    """The prefix/suffix shortcuts of overlaps() give the product search's answer."""
    exact = patterns.intersection(p, q) is not None
    assert patterns.overlaps(p, q) is exact
    assert patterns.overlaps(q, p) is exact
