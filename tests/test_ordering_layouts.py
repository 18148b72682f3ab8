"""The ordering analysis shares a layout's literal indexes and overlap rows between
distributions with the same patterns (rules/ordering_analysis.py, its layouts table): the
findings and notes must be exactly those of an analysis that starts from nothing, including
when the work allowance runs out while the overlap rows are decided."""

from hypothesis import given, settings, strategies as st

from rules import engine, memo, ordering_analysis
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
    memo.clear_all()
    fresh_second = judged(pats, second, "two", config)
    memo.clear_all()
    judged(pats, first, "one", config)  # leaves the layout (and remembered answers) behind
    assert ordering_analysis._LAYOUTS
    # Remembered answers are charged what they cost (rules/pattern_answers.py), so they may
    # stay: the second distribution is judged as a fresh process judges it.
    assert judged(pats, second, "two", config) == fresh_second


def test_clear_all_drops_the_layouts():
    judged(["a*", "*.x"], ["allow-all", "https-only"], "c", Config())
    assert ordering_analysis._LAYOUTS
    memo.clear_all()
    assert not ordering_analysis._LAYOUTS
