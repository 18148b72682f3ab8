"""Every shortcut of the path-pattern engine against the exact oracle and brute force.

The shape decisions (``rules/pattern_shapes.py``) and the shortcuts ``rules.patterns`` takes
before a search must give exactly the automata's answers. Patterns are drawn in the shapes real
distributions use — exact paths, ``prefix*``, ``*suffix``, ``prefix*suffix``, ``?`` runs, several
stars — over an alphabet with ``/`` (which ``*`` crosses), ``.`` and both cases of a letter (case
sensitivity), with and without the insignificant leading ``/``.
"""

import itertools
import re

from hypothesis import given, settings, strategies as st

from rules import pattern_search, pattern_shapes as shapes, patterns
from rules.pattern_syntax import matches, parse

import pattern_oracle as oracle

CHARS = "aA/."
PATHS = ["/" + "".join(p) for n in range(0, 6) for p in itertools.product(CHARS, repeat=n)]

literal = st.text(alphabet=CHARS + "?", max_size=4)
slash = st.sampled_from(["", "/"])


def _shape(parts):
    lead, a, b, c, kind = parts
    body = {"exact": a, "prefix": a + "*", "suffix": "*" + a, "both": a + "*" + b,
            "many": a + "*" + b + "*" + c, "free": a + b}[kind]
    return (lead + body) or "?"


shape_st = st.tuples(slash, literal, literal, literal,
                     st.sampled_from(["exact", "prefix", "suffix", "both", "many", "free"])
                     ).map(_shape)
any_st = st.one_of(shape_st, st.text(alphabet=CHARS + "*?", min_size=1, max_size=7))


def ref_match(pattern, path):
    body = pattern[1:] if pattern.startswith("/") else pattern
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in body)
    return re.fullmatch(rx, path[1:], flags=re.S) is not None


@settings(max_examples=300, deadline=None)
@given(any_st, st.sampled_from(PATHS))
def test_matching_is_case_sensitive_and_star_crosses_slash(p, path):
    assert matches(p, path) == ref_match(p, path)


@settings(max_examples=600, deadline=None)
@given(any_st, any_st)
def test_shape_overlap_is_exact(p, q):
    exact = oracle.nonempty([p, q], [])
    assert shapes.overlap(parse(p), parse(q)) is exact
    assert patterns.overlaps(q, p) is exact
    if not exact:  # brute force agrees on short paths
        assert not [w for w in PATHS if ref_match(p, w) and ref_match(q, w)]


@settings(max_examples=600, deadline=None)
@given(any_st, any_st)
def test_shape_inclusion_is_exact_where_it_decides(p, q):
    got = shapes.included(parse(p), parse(q))
    exact = not oracle.nonempty([p], [q])
    if parse(q).stars <= 1:
        assert got is exact
    else:
        assert got is None
    assert patterns.included(p, [q]) is exact
    if exact:
        assert all(ref_match(q, w) for w in PATHS if ref_match(p, w))


@settings(max_examples=400, deadline=None)
@given(st.lists(any_st, min_size=1, max_size=2), st.sampled_from("bzZ"))
def test_spelled_witnesses_match_the_patterns_they_are_spelled_from(inc, fill):
    ps = [parse(p) for p in inc]
    paths = shapes.witnesses(ps, fill)
    if len(ps) == 1:
        assert all(matches(ps[0], w) for w in paths)
    elif all(p.stars for p in ps) and shapes.overlap(*ps):
        assert paths and all(matches(p, w) for p in ps for w in paths)


@settings(max_examples=500, deadline=None)
@given(st.lists(any_st, min_size=1, max_size=2), st.lists(any_st, max_size=4))
def test_nonempty_with_its_shortcuts_is_exact(inc, exc):
    patterns.forget()
    exact = oracle.nonempty(inc, exc)
    assert patterns.nonempty(inc, exc) is exact
    # The search core alone (no shortcut) agrees, and so does the example search.
    budget = patterns.Budget(max_states=10 ** 6, total=10 ** 8)
    assert pattern_search.search_nonempty([parse(p) for p in inc], [parse(q) for q in exc],
                                          budget) is exact
    ex = patterns.example(inc, exc)
    assert isinstance(ex, str) is exact
    if exact:
        assert all(ref_match(p, ex) for p in inc) and not any(ref_match(q, ex) for q in exc)


@settings(max_examples=300, deadline=None)
@given(any_st, any_st, st.lists(any_st, max_size=3))
def test_capture_with_its_shortcuts_is_exact(later, earlier, blockers):
    patterns.forget()
    served, inside, ex = patterns.capture(parse(later), parse(earlier),
                                          [parse(b) for b in blockers])
    assert served is oracle.nonempty([later, earlier], blockers)
    if served:
        assert inside is (not oracle.nonempty([earlier], [later]))
        assert (ex is None) is inside
        if ex is not None:
            assert ref_match(later, ex) and ref_match(earlier, ex)
            assert not any(ref_match(b, ex) for b in blockers)
    else:
        assert inside is None and ex is None


def test_leading_slash_and_case_in_shapes():
    assert shapes.included(parse("/docs/*"), parse("docs/*")) is True
    assert shapes.included(parse("docs/?"), parse("/docs/*")) is True
    assert shapes.overlap(parse("/Docs/*"), parse("/docs/*")) is False
    assert shapes.overlap(parse("*.JS"), parse("*.js")) is False
    assert shapes.overlap(parse("/a*/b"), parse("/a/*")) is True  # '*' crosses '/'
    assert shapes.included(parse("/a/?/*"), parse("/a/*")) is True
    assert shapes.included(parse("/a/*"), parse("/a/?/*")) is False
    assert shapes.included(parse("a?c*"), parse("a??*")) is True
    assert shapes.included(parse("a*c"), parse("a?*")) is True
    assert shapes.included(parse("a*"), parse("a?*")) is False
