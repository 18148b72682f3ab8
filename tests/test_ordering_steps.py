"""Remembered steps of the ordering analysis (rules/ordering_analysis.py, ``Analysis.step``):
CFH005's and CFH006's verdicts taken from an earlier distribution with the same layout must
leave the analysis exactly as computing them does — the same verdicts, the same work left, the
same answers paid for — so that CFH007, which continues from that budget, says the same too.

Distributions share layouts (patterns in order) but differ in what the key must hold: the HTTP
flags, ``max_states`` (down to sizes where questions are left undecided) and whether the last
behaviour is the default or an ordered ``*``. Each is judged alone in a fresh process state and
again after the others, in a shuffled order; and the same comparison, run with a key that drops
one of those components, must find the difference (so the test can fail).
"""

import random

import pytest

from rules import engine, memo, ordering_analysis
from rules import patterns as patterns_api
from rules.checks import ordering
from rules.config import Config
from rules.sources import aws_api

POOL = [
    "/api/*", "/api/v1/*", "/api/v?/*", "/static/*", "/static/*.js", "*.js", "*.css",
    "/images/*.png", "*a?b*", "*/*/*a*b*", "/v??/*", "/a?b/*", "*a*b*", "*b*a*", "*a*b*a*",
    "/docs/*/?/*", "*/admin/*", "/admin/*", "*.env", "/*.json", "*?a?*", "*.???", "/x*y*z",
]
POLICIES = ["allow-all", "https-only", "redirect-to-https"]
# Globs as users write them, one with a behaviour's very pattern (its questions were paid for by
# CFH005/CFH006), one CloudFront refuses.
GLOB_SETS = [("/admin/*", "*.env", "*a*b*"), ("/api/*", "*.js", "/bad glob")]
ORDERING = ["CFH005", "CFH006", "CFH007"]
MAX_STATES = [20000, 200, 30]


def dist_config(patterns, policies, default_policy, has_default):
    """A DistributionConfig whose behaviours' patterns in order are ``patterns`` then ``*``:
    the default behaviour, or (``has_default`` false) an ordered ``*`` and no default."""
    items = [{"PathPattern": p, "TargetOriginId": "app", "ViewerProtocolPolicy": v}
             for p, v in zip(patterns, policies)]
    config = {"CallerReference": "r", "Comment": "", "Enabled": True,
              "Origins": {"Quantity": 1, "Items": [
                  {"Id": "app", "DomainName": "app.example.com",
                   "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                          "OriginProtocolPolicy": "https-only"}}]}}
    last = {"TargetOriginId": "app", "ViewerProtocolPolicy": default_policy}
    if has_default:
        config["DefaultCacheBehavior"] = last
    else:
        items.append(dict(last, PathPattern="*"))
    config["CacheBehaviors"] = {"Quantity": len(items), "Items": items}
    return config


def cases(seed):
    """Distributions over four shared layouts, varied in flags, max_states, default and
    globs."""
    rng = random.Random(seed)
    layouts = [[rng.choice(POOL) for _ in range(rng.randint(6, 18))] for _ in range(4)]
    out = []
    for patterns in layouts:
        flag_sets = [[rng.choice(POLICIES) for _ in patterns] for _ in range(3)]
        for policies in flag_sets:
            for max_states in MAX_STATES:
                for has_default in (True, False):
                    for globs in GLOB_SETS:
                        out.append((patterns, policies, "https-only", has_default, max_states,
                                    globs))
    return out


def judged(case):
    """What the three order checks say, and the analysis's state after CFH005 and CFH006 (what
    CFH007 continues from)."""
    patterns, policies, default_policy, has_default, max_states, globs = case
    dist, _ = aws_api.distribution("d", dist_config(patterns, policies, default_policy,
                                                    has_default))
    config = Config(sensitive_paths=globs, max_states=max_states)
    result = engine.evaluate([dist], config, codes=ORDERING)
    a = dist.analyses[("ordering", max_states)]
    state = (a.budget.remaining, a.budget.exhausted, a.budget.asked, a._memo, a._masks,
             {name: verdict for (name, _), verdict in a.verdicts.items()})
    said = (sorted((f.code, f.path, f.message, f.example_path) for f in result.findings),
            sorted((n.code, n.kind, n.path, n.message) for n in result.notes))
    return said, state


def mismatches(all_cases, rng, monkeypatch=None):
    """Cases whose answer or state after others differs from a fresh one, judged three times
    each in a shuffled order; and (with ``monkeypatch``) how many steps were computed, and how
    many distinct steps there were."""
    fresh = []
    for case in all_cases:
        memo.clear_all()
        fresh.append(judged(case))
    memo.clear_all()
    computed = [0]
    if monkeypatch is not None:
        for name in ("_unreachable", "_captures", "_sensitive"):
            decide = getattr(ordering, name)

            def counted(a, inputs, decide=decide):
                computed[0] += 1
                return decide(a, inputs)
            monkeypatch.setattr(ordering, name, counted)
    order = list(range(len(all_cases))) * 3
    rng.shuffle(order)
    wrong = []
    for k in order:
        if judged(all_cases[k]) != fresh[k]:
            wrong.append(all_cases[k])
    return wrong, computed[0], len(ordering_analysis._STEPS)


@pytest.mark.parametrize("seed", [1, 2])
def test_remembered_steps_answer_and_charge_as_computed(seed, monkeypatch):
    all_cases = cases(seed)
    monkeypatch.setattr(ordering_analysis._STEPS, "limit", 4096)  # room for every step
    wrong, computed, distinct = mismatches(all_cases, random.Random(seed), monkeypatch)
    assert not wrong, wrong[:3]
    # A step is computed when first seen, computed and kept when seen again, then taken: of the
    # 3 x 144 x 3 steps, at most two per distinct step are computed.
    assert computed <= 2 * distinct < 3 * len(all_cases) * 3
    # Questions left undecided are among the cases, and CFH007 findings.
    memo.clear_all()
    assert any(judged(c)[1][1] for c in all_cases if c[4] == 30)
    assert any(f[0] == "CFH007" for c in all_cases[:12] for f in judged(c)[0][0])


def drop_flags(layout, history):
    return layout, tuple((name, None) for name, _ in history)


def drop_max_states(layout, history):
    return layout[:-1], history


def drop_default(layout, history):
    return (layout[0], layout[2]), history


def drop_globs(layout, history):
    return layout, tuple((name, inputs[0] if name == "CFH007" else inputs)
                         for name, inputs in history)


@pytest.mark.parametrize("mutant", [drop_flags, drop_max_states, drop_default, drop_globs])
def test_a_key_missing_a_component_is_caught(monkeypatch, mutant):
    """The comparison above fails when the steps' key leaves out the HTTP flags,
    ``max_states``, whether the last behaviour is the default, or the sensitive globs."""
    monkeypatch.setattr(ordering_analysis, "_step_key", mutant)
    wrong, _, _ = mismatches(cases(1), random.Random(1))
    assert wrong


def test_a_question_asked_outside_the_steps_ends_remembering():
    """A caller that asks the analysis a question of its own between the steps changes the
    state the steps' key stands for: the steps after it are computed, not taken."""
    case = cases(3)[0]
    patterns, policies, default_policy, has_default, max_states, _ = case
    memo.clear_all()
    expected = judged(case)
    assert judged(case) == judged(case) == expected  # the table now holds the steps' states

    def with_question():
        dist, _ = aws_api.distribution("d", dist_config(patterns, policies, default_policy,
                                                        has_default))
        a = ordering_analysis.analysis(dist, Config(max_states=max_states))
        ordering._verdict(a, "CFH005")
        a.served_by([patterns_api.parse("/zzz*")], len(a.parsed) - 1)  # not a step
        return a, ordering._verdict(a, "CFH006")

    a, got = with_question()
    assert a._layout is None
    assert got == expected[1][5]["CFH006"]
