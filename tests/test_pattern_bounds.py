"""The ordering analysis's work bound on hostile distributions (tests/hostile.py): it stops
within its allowance (counted in pattern-steps, which track time; the time itself is measured
in bench/bench_ordering.py), what it cuts off is an "undecided" note, and what it does decide
is right."""

import pytest

from rules import engine, memo, patterns
from rules.config import Config
from rules.model import NoteKind
from rules.pattern_syntax import matches
from rules.sources import aws_api

from hostile import SHAPES, hostile_config

ORDERING = ["CFH005", "CFH006", "CFH007"]


def _first_match(pats, path):
    return next(j for j, p in enumerate(pats) if matches(p, path))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_shapes_stay_within_the_allowance(shape):
    dc = hostile_config(75, shape)
    dist, _ = aws_api.distribution("hostile", dc)
    memo.clear_all()
    result = engine.evaluate([dist], Config(sensitive_paths=("*a*b*",)), codes=ORDERING)
    (analysis,) = dist.analyses.values()
    allowance = patterns.allowance(76)
    spent = allowance - analysis.budget.remaining
    # Overshoot: at most one question's last step past the limit (one path through every pattern).
    assert 0 < spent <= allowance + 256 * 76 * 2
    assert not [n for n in result.notes if n.kind == NoteKind.INTERNAL_ERROR]
    undecided = [n for n in result.notes if n.kind == NoteKind.UNDECIDED]
    assert undecided and analysis.budget.exhausted
    assert {n.code for n in undecided} <= set(ORDERING)
    # Whatever was decided is right: every example path is served first by an HTTP behaviour.
    pats = [b["PathPattern"] for b in dc["CacheBehaviors"]] + ["*"]
    vpps = [b["ViewerProtocolPolicy"] for b in dc["CacheBehaviors"]] + ["https-only"]
    for f in result.findings:
        if f.example_path is None:  # decided, but the example search was cut off
            continue
        if f.code == "CFH006":
            i = f.path[1]
            j = _first_match(pats, f.example_path)
            assert matches(pats[i], f.example_path) and j < i and vpps[j] == "allow-all"
        elif f.code == "CFH007":
            assert matches("*a*b*", f.example_path)
            assert vpps[_first_match(pats, f.example_path)] == "allow-all"


def test_a_larger_max_states_decides_more():
    dc = hostile_config(20, "mixed * and ?")
    counts = []
    for max_states in (2000, 200000):
        dist, _ = aws_api.distribution("hostile", dc)
        memo.clear_all()
        result = engine.evaluate([dist], Config(max_states=max_states), codes=ORDERING)
        counts.append(sum(n.kind == NoteKind.UNDECIDED for n in result.notes))
    assert counts[0] > counts[1]


def test_realistic_distributions_are_fully_decided():
    """Mixed real-world shapes (the benchmark's generator) need no cut-off."""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "bench"))
    from common import mixed_api_config
    for seed in range(3):
        dist, _ = aws_api.distribution("d", mixed_api_config(150, seed=seed))
        memo.clear_all()
        result = engine.evaluate([dist], Config(sensitive_paths=("/admin/*", "*.env")),
                                 codes=ORDERING)
        assert not [n for n in result.notes if n.kind == NoteKind.UNDECIDED]
        assert result.findings
