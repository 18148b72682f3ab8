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

from rules import memo, pattern_search, pattern_shapes as shapes, patterns
from rules.pattern_syntax import code, matches, parse

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
    memo.clear_all()
    exact = oracle.nonempty(inc, exc)
    assert patterns.nonempty(inc, exc) is exact
    # The search core alone (no shortcut) agrees, and so does the example search.
    assert pattern_search.search_nonempty([parse(p) for p in inc], [parse(q) for q in exc],
                                          10 ** 8, 10 ** 6)[0] is exact
    ex = patterns.example(inc, exc)
    assert isinstance(ex, str) is exact
    if exact:
        assert all(ref_match(p, ex) for p in inc) and not any(ref_match(q, ex) for q in exc)


@settings(max_examples=300, deadline=None)
@given(any_st, any_st, st.lists(any_st, max_size=3))
def test_capture_with_its_shortcuts_is_exact(later, earlier, blockers):
    memo.clear_all()
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


def test_single_symbol_cycles_end_in_no_path():
    """A search whose only symbol leads back to a state already seen ends with "no path" (a
    regression: the walk along a forced start once followed such a cycle until the budget)."""
    for inc, exc in ((["*?"], ["/*?"]), (["*"], ["*?", "/"]), (["?*"], ["*?"])):
        memo.clear_all()
        budget = patterns.Budget()
        assert patterns.example(inc, exc, budget) is None
        assert not budget.exhausted
        assert oracle.nonempty(inc, exc) is False


# The example shortcut for an ``L*`` / ``*R`` pair (rules.shapes.prefix_suffix_example)
# must spell exactly what the search would find: same path, character for character.
_PS_CHARS = "abA0/.?-~"
_ps_part = st.text(alphabet=_PS_CHARS, min_size=1, max_size=7)


@settings(max_examples=1500, deadline=None)
@given(_ps_part, _ps_part, st.booleans(), st.booleans())
def test_prefix_suffix_example_equals_the_search(left, right, lead, swap):
    p, q = parse(("/" if lead else "") + left + "*"), parse("*" + right)
    inc = [q, p] if swap else [p, q]
    if p.tokens == "*" or q.tokens == "*":  # a lone "/" is normalised away: not the shape
        return
    quick = shapes.prefix_suffix_example(inc, [])
    searched = pattern_search.search_example(inc, [], 10 ** 8, 10 ** 6)[0]
    assert quick is not None and quick == searched
    assert patterns.example(inc) == searched


@settings(max_examples=300, deadline=None)
@given(st.lists(any_st, min_size=1, max_size=3), st.lists(any_st, max_size=2))
def test_prefix_suffix_example_declines_other_shapes_or_agrees(inc, exc):
    inc_p, exc_p = [parse(p) for p in inc], [parse(q) for q in exc]
    quick = shapes.prefix_suffix_example(inc_p, exc_p)
    if quick is not None:
        assert quick == pattern_search.search_example(inc_p, exc_p, 10 ** 8, 10 ** 6)[0]


@settings(max_examples=1000, deadline=None)
@given(_ps_part, _ps_part, st.lists(st.one_of(any_st, _ps_part.map(lambda t: t + "*"),
                                              _ps_part.map(lambda t: "*" + t)),
                                    min_size=1, max_size=3))
def test_prefix_suffix_example_with_excludes_equals_the_search(left, right, exc):
    inc, exc_p = [parse(left + "*"), parse("*" + right)], [parse(x) for x in exc]
    if inc[0].tokens == "*" or inc[1].tokens == "*":
        return
    quick = shapes.prefix_suffix_example(inc, exc_p)
    searched = pattern_search.search_example(inc, exc_p, 10 ** 8, 10 ** 6)[0]
    if quick is None:  # an exclude matches the includes' own answer: the search decides
        assert any(matches(x, shapes.prefix_suffix_example(inc, [])) for x in exc)
    else:
        assert quick == searched


def test_prefix_suffix_example_when_letters_are_all_literal():
    """Every letter literal: the filler is still "a" (the alphabet's first character is "a"
    whether it is literal or the fresh character), and the search agrees."""
    import string
    left = string.ascii_letters + "/"
    inc = [parse(left + "*"), parse("*.x")]
    quick = shapes.prefix_suffix_example(inc, [])
    assert quick == pattern_search.search_example(inc, [], 10 ** 8, 10 ** 6)[0]
    assert quick == "/" + left + "a.x"


# Pattern.match_steps (used by the spelled-witness shortcut, whose pattern-steps are charged to
# the budget) must give the automaton's answer and exactly the steps the automaton takes before
# it dies, for any body: short, long, with or without the pattern's literal ends.
@settings(max_examples=1500, deadline=None)
@given(any_st, st.text(alphabet=CHARS + "?b", max_size=9))
def test_match_steps_is_the_automatons_count(p, body):
    fresh = patterns.Pattern(p, parse(p).tokens)  # a new object: lazy fields built on demand
    assert fresh.match_steps(body) == oracle.stepped(parse(p), body)


@settings(max_examples=300, deadline=None)
@given(any_st)
def test_lazy_fields_are_those_of_a_full_construction(p):
    """The shape fields read at construction and the automaton and codes built on first use
    agree with a plain token-by-token reading of the pattern."""
    got = patterns.Pattern(p, parse(p).tokens)
    tokens = got.tokens
    wild = [i for i, t in enumerate(tokens) if t in "*?"]
    assert got.prefix == tokens[:wild[0] if wild else len(tokens)]
    assert got.suffix == tokens[wild[-1] + 1 if wild else 0:]
    assert got.literals == frozenset(t for t in tokens if t not in "*?")
    assert got.stars == tokens.count("*") and got.fixed == len(tokens) - got.stars
    assert (got.head_code, got.tail_code) == (code(got.head), code(got.tail))
    assert got.star == sum(1 << i for i, t in enumerate(tokens) if t == "*")
    assert got.init == (0b11 if tokens.startswith("*") else 1)
