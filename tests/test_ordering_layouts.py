"""The ordering analysis shares a layout's literal indexes and overlap rows between
distributions with the same patterns (rules/checks/ordering.py, ``patterns.LAYOUTS``): the
findings and notes must be exactly those of an analysis that starts from nothing, including
when the work allowance runs out while the overlap rows are decided."""

from hypothesis import given, settings, strategies as st

from rules import engine, patterns
from rules.config import Config
from rules.sources import pulumi as source

RTYPE = "aws:cloudfront/distribution:Distribution"
word = st.sampled_from(["a", "ab", "b/", "x.", "/a"])
pattern_st = st.tuples(word, st.sampled_from(["", "*", "?", "*.", "/*"]), word).map(
    lambda t: t[0] + t[1] + t[2])


def props(pats, policies, comment):
    return {
        "enabled": True, "comment": comment,
        "origins": [{"originId": "app", "domainName": "app.example.com",
                     "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80,
                                            "httpsPort": 443, "originSslProtocols": ["TLSv1.2"]}}],
        "orderedCacheBehaviors": [{"pathPattern": p, "targetOriginId": "app",
                                   "viewerProtocolPolicy": v} for p, v in zip(pats, policies)],
        "defaultCacheBehavior": {"targetOriginId": "app", "viewerProtocolPolicy": "allow-all"},
        "viewerCertificate": {"cloudfrontDefaultCertificate": True},
    }


def judged(pats, policies, comment, config):
    dist, _ = source.distribution(RTYPE, props(pats, policies, comment), "cdn", converted=True)
    result = engine.evaluate([dist], config)
    return ([(f.code, f.message, getattr(f, "example_path", None)) for f in result.findings],
            [(n.code, n.message) for n in result.notes])


@settings(max_examples=150, deadline=None)
@given(st.lists(pattern_st, min_size=1, max_size=8),
       st.lists(st.sampled_from(["allow-all", "https-only"]), min_size=8, max_size=8),
       st.lists(st.sampled_from(["allow-all", "https-only"]), min_size=8, max_size=8),
       st.sampled_from([20000, 30, 3]))
def test_a_shared_layout_judges_as_a_fresh_analysis(pats, first, second, max_states):
    config = Config(sensitive_paths=("*.x", "a*"), max_states=max_states)
    patterns.forget()
    fresh_second = judged(pats, second, "two", config)
    patterns.forget()
    judged(pats, first, "one", config)  # leaves the layout behind
    assert patterns.LAYOUTS
    # Only the layout is kept: remembered pattern answers (and the order checks' verdicts built
    # from them) cost no budget, so under a small max_states they alone change what a later
    # analysis decides (that is not at stake here).
    patterns.forget_answers()
    assert judged(pats, second, "two", config) == fresh_second


def test_forget_drops_the_layouts():
    judged(["a*", "*.x"], ["allow-all", "https-only"], "c", Config())
    assert patterns.LAYOUTS
    patterns.forget()
    assert not patterns.LAYOUTS
