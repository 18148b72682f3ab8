"""The ordering analysis's own shortcuts (rules/ordering_analysis.py) against plain references.

- The literal index (sorted keys, a sparse table of ORs) returns exactly the candidates of the
  plain definition: the behaviours whose (cut) literal end extends the asked one, and those
  whose uncut literal end the asked one extends. The set matters beyond correctness: every
  candidate pair is decided and its pattern-steps charged to the budget.
"""

from hypothesis import given, settings, strategies as st

from rules import ordering_analysis as ordering

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
    index = ordering.LiteralIndex(entries)
    for a in asked + keys:
        assert index.candidates(a) == reference_candidates(entries, a)


from rules import patterns  # noqa: E402

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
    """The inlined pair cost of ordering_analysis.Analysis._overlapping is overlap_cost, and it stops
    where the plain loop stops."""
    parsed = [parse(p) for p in pats]

    class Stub:  # the two fields _overlapping reads
        pass

    stub = Stub()
    stub.parsed = parsed
    for i, p in enumerate(parsed):
        candidates = (1 << len(parsed)) - 1
        stub.budget = patterns.Budget(total=total)
        got = ordering.Analysis._overlapping(stub, p, candidates)
        left, want = total, 0
        for k, q in enumerate(parsed):
            if left <= 0:
                want |= candidates & ~((1 << k) - 1)
                break
            left -= shapes.overlap_cost(p, q)
            if shapes.overlap(p, q):
                want |= 1 << k
        assert got == want and stub.budget.remaining == left
