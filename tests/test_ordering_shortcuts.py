"""The ordering analysis's own shortcuts (rules/checks/ordering.py) against plain references.

- The literal index (sorted keys, a sparse table of ORs) returns exactly the candidates of the
  plain definition: the behaviours whose (cut) literal end extends the asked one, and those
  whose uncut literal end the asked one extends. The set matters beyond correctness: every
  candidate pair is decided and its pattern-steps charged to the budget.
"""

from hypothesis import given, settings, strategies as st

from rules.checks import ordering

DEPTH = ordering._INDEX_DEPTH


def reference_candidates(keys, asked):
    short = asked[:DEPTH]
    mask = 0
    for key, bit in keys:
        cut = key[:DEPTH]
        if cut.startswith(short) or (len(key) <= DEPTH and short.startswith(key)):
            mask |= bit
    return mask


# Short keys over few characters (so that keys extend one another often), and long ones that
# the index cuts.
key_st = st.one_of(st.text(alphabet="ab/", max_size=5),
                   st.text(alphabet="ab", min_size=DEPTH - 2, max_size=DEPTH + 3))


@settings(max_examples=400, deadline=None)
@given(st.lists(key_st, max_size=40), st.lists(key_st, min_size=1, max_size=10))
def test_literal_index_gives_the_plain_definitions_candidates(keys, asked):
    entries = [(k, 1 << i) for i, k in enumerate(keys)]
    index = ordering._LiteralIndex(entries)
    for a in asked + keys:
        assert index.candidates(a) == reference_candidates(entries, a)


# - The order checks' verdicts (``patterns.VERDICTS``): reading a verdict gives exactly what
#   asking its questions again gives, for any sequence of distributions sharing layouts with
#   other HTTP flags, under any max_states (a verdict costs no pattern-steps, as the remembered
#   answers it sums up cost none); and, when nothing is undecided, what a fresh analysis gives.

import pytest  # noqa: E402

from rules import patterns  # noqa: E402
from rules.config import Config  # noqa: E402

from test_ordering_layouts import judged, pattern_st  # noqa: E402

policy_st = st.lists(st.sampled_from(["allow-all", "https-only", "redirect-to-https"]),
                     min_size=8, max_size=8)


def run_sequence(pats_list, calls, config):
    out = []
    for layout, policies in calls:
        out.append(judged(pats_list[layout], policies, f"c{len(out)}", config))
    return out


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(pattern_st, min_size=1, max_size=8), min_size=1, max_size=2),
       st.lists(policy_st, min_size=1, max_size=3),
       st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2)), min_size=2, max_size=6),
       st.sampled_from([20000, 30, 3]))
def test_verdicts_judge_as_asking_again(pats_list, policy_list, picks, max_states):
    config = Config(max_states=max_states)
    calls = [(layout % len(pats_list), policy_list[p % len(policy_list)]) for layout, p in picks]
    patterns.forget()
    with_verdicts = run_sequence(pats_list, calls, config)
    patterns.forget()
    remember = patterns.VERDICTS.remember
    patterns.VERDICTS.remember = lambda *args: None  # every check asks its questions again
    try:
        asked_again = run_sequence(pats_list, calls, config)
    finally:
        patterns.VERDICTS.remember = remember
    assert with_verdicts == asked_again
    for (layout, policies), got in zip(calls, with_verdicts):
        if not any("undecided" in message for _, message in got[1]):
            patterns.forget()
            assert judged(pats_list[layout], policies, "fresh", config) == got


def test_a_repeated_layout_reads_its_verdicts():
    """The second distribution with a layout and HTTP flags reads both checks' verdicts
    (nothing is asked again) and reports the same; other HTTP flags ask CFH006 again."""
    patterns.forget()
    pats = ["/api/*", "/api/v1/*", "*.js", "/static/*.js", "/api/v1/x"]
    policies = ["allow-all", "https-only", "allow-all", "https-only", "https-only"]
    first = judged(pats, policies, "one", Config())
    assert {key[0] for key in patterns.VERDICTS} == {"CFH005", "CFH006"}
    asked = []
    original = patterns.nonempty_parsed, patterns.capture
    patterns.nonempty_parsed = lambda *a, **k: asked.append(a) or original[0](*a, **k)
    patterns.capture = lambda *a, **k: asked.append(a) or original[1](*a, **k)
    try:
        # The first run charged CFH005's questions; a run that reads their answers starts
        # CFH006 with more work left: one more run records that verdict, then nothing is asked.
        assert judged(pats, policies, "two", Config()) == first
        asked.clear()
        assert judged(pats, policies, "three", Config()) == first
        assert asked == []
        judged(pats, ["https-only", "allow-all", "https-only", "allow-all", "https-only"],
               "four", Config())
        assert asked
    finally:
        patterns.nonempty_parsed, patterns.capture = original
    assert first[0] and any(code == "CFH005" for code, _, _ in first[0])
    assert any(code == "CFH006" for code, _, _ in first[0])


def test_a_verdict_reached_when_work_ran_out_is_not_kept():
    patterns.forget()
    _, notes = judged(["*a*b*a*", "*b*a*b*", "*a*a*", "*b*b*"], ["allow-all", "https-only"] * 2,
                      "c", Config(max_states=1))
    assert any("undecided" in message for code, message in notes if code == "CFH005")
    assert not [key for key in patterns.VERDICTS if key[0] == "CFH005"]


@pytest.mark.parametrize("overflow", [False, True])
def test_verdicts_go_with_the_remembered_answers(overflow):
    patterns.forget()
    judged(["/a/*", "/a/b/*"], ["allow-all", "https-only"], "c", Config())
    assert patterns.VERDICTS
    if overflow:  # the answers memory starts over when full: the verdicts go with it
        for k in range(patterns._MEMO_LIMIT + 1):
            patterns._remember(("filler", k), True)
    else:
        patterns.forget_answers()
    assert not patterns.VERDICTS


# - Pattern-steps charged: the shortcuts were made cheaper to run, not cheaper to count. The
#   references below are the plain versions (automaton stepped character by character, the
#   cover test before the spelled path, the cost of each pair from overlap_cost); under any
#   budget they must answer the same and leave exactly the same work.

from rules import pattern_shapes as shapes  # noqa: E402
from rules.pattern_search import fresh_character  # noqa: E402
from rules.pattern_syntax import parse, path_body  # noqa: E402
from pattern_oracle import stepped  # noqa: E402

any_pattern = st.text(alphabet="aA/.*?", min_size=1, max_size=7)


def ref_match_counted(p, body):
    if len(body) < p.fixed or not body.startswith(p.prefix) or not body.endswith(p.suffix):
        return False, 1
    return stepped(p, body)


def ref_shortcut(inc, exc, budget):
    if not exc and len(inc) <= 2:
        return True if len(inc) < 2 else shapes.overlap(inc[0], inc[1])
    if patterns._covered(inc, exc):
        return False
    if len(inc) > 2:
        return None
    limit = budget.limit()
    literals = set()
    for p in inc + exc:
        literals |= p.literals
    work = 0
    try:
        for path in shapes.witnesses(inc, fresh_character(literals)):
            body = path_body(path)
            if not all(ref_match_counted(p, body)[0] for p in inc):
                continue
            for q in exc:
                hit, steps = ref_match_counted(q, body)
                work += steps
                if hit:
                    break
            else:
                return True
            if work > limit:
                return None
    finally:
        budget.remaining -= work
    return None


@settings(max_examples=1500, deadline=None)
@given(st.lists(any_pattern, min_size=1, max_size=3), st.lists(any_pattern, max_size=5),
       st.integers(-5, 3000))
def test_the_nonempty_shortcut_answers_and_charges_as_the_plain_one(inc, exc, total):
    inc, exc = [parse(p) for p in inc], [parse(q) for q in exc]
    got, want = patterns.Budget(total=total), patterns.Budget(total=total)
    assert patterns._shortcut(inc, exc, got) == ref_shortcut(inc, exc, want)
    assert got.remaining == want.remaining


@settings(max_examples=300, deadline=None)
@given(st.lists(any_pattern, min_size=1, max_size=12), st.integers(-5, 400))
def test_overlap_rows_charge_as_overlap_cost(pats, total):
    """The inlined pair cost of ordering._Analysis._overlapping is overlap_cost, and it stops
    where the plain loop stops."""
    parsed = [parse(p) for p in pats]

    class Stub:  # the two fields _overlapping reads
        pass

    stub = Stub()
    stub.parsed = parsed
    for i, p in enumerate(parsed):
        candidates = (1 << len(parsed)) - 1
        stub.budget = patterns.Budget(total=total)
        got = ordering._Analysis._overlapping(stub, p, candidates)
        left, want = total, 0
        for k, q in enumerate(parsed):
            if left <= 0:
                want |= candidates & ~((1 << k) - 1)
                break
            left -= shapes.overlap_cost(p, q)
            if shapes.overlap(p, q):
                want |= 1 << k
        assert got == want and stub.budget.remaining == left
