"""One input, one answer (issue 20, item 1): a distribution's ordering findings and notes are a
function of the distribution and the settings only — the same in a cold process and in one that
has judged a whole estate before it, in any order, at any ``max_states``.

Estates are generated as users build them: every distribution draws its behaviours (3 to 60)
from one shared pool of path patterns (folders, extensions, ``*a?b*``, ``*/*/*a*b*``, ``?``
runs, a few hostile ones), with HTTP and HTTPS behaviours mixed, so that a process that has seen
the others holds remembered answers about most of the patterns of the next one.
"""

import json
import os
import random
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from rules import engine, memo
from rules.config import Config
from rules.model import NoteKind
from rules.sources import aws_api

POOL = [
    "/api/*", "/api/v1/*", "/api/v?/*", "/api/v1/users/*", "/static/*", "/static/*.js",
    "/static/public/*", "*.js", "*.css", "*.php", "/images/*.png", "*a?b*", "*/*/*a*b*",
    "/v??/*", "/????/*", "/a?b/*", "*a*b*", "*b*a*", "*a*b*a*", "*b*a*b*", "/docs/*/?/*",
    "*/admin/*", "/admin/*", "*.env", "/*.json", "/a/*/b/*/c", "*?a?*", "*.???", "/x*y*z",
]
POLICIES = ["allow-all", "https-only", "redirect-to-https"]
SENSITIVE = ("/admin/*", "*.env", "*a*b*")
ORDERING = ["CFH005", "CFH006", "CFH007"]


def api_config(behaviours):
    """A DistributionConfig (the CloudFront API's shape) with these (pattern, policy) pairs."""
    items = [{"PathPattern": p, "TargetOriginId": "app", "ViewerProtocolPolicy": v}
             for p, v in behaviours]
    return {"CallerReference": "r", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [
                {"Id": "app", "DomainName": "app.example.com",
                 "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443,
                                        "OriginProtocolPolicy": "https-only",
                                        "OriginSslProtocols": {"Quantity": 1,
                                                               "Items": ["TLSv1.2"]}}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "allow-all"},
            "CacheBehaviors": {"Quantity": len(items), "Items": items}}


def estate(rng: random.Random, size: int, low: int = 3, high: int = 60):
    return [[(rng.choice(POOL), rng.choice(POLICIES)) for _ in range(rng.randint(low, high))]
            for _ in range(size)]


def judged(name, behaviours, config):
    """Everything the ordering checks say about one distribution, messages included."""
    dist, _ = aws_api.distribution(name, api_config(behaviours))
    result = engine.evaluate([dist], config, codes=ORDERING)
    assert not [n for n in result.notes if n.kind == NoteKind.INTERNAL_ERROR], result.notes
    return (sorted((f.code, f.path, f.message, f.example_path) for f in result.findings),
            sorted((n.code, n.kind, n.path, n.message) for n in result.notes))


def cold(name, behaviours, config):
    memo.clear_all()
    return judged(name, behaviours, config)


def check_estate(distributions, config, rng):
    alone = [cold(f"d{k}", b, config) for k, b in enumerate(distributions)]
    order = list(range(len(distributions)))
    rng.shuffle(order)
    memo.clear_all()
    warm = {k: judged(f"d{k}", distributions[k], config) for k in order}
    for k in order:
        assert warm[k] == alone[k], (f"distribution {k} ({distributions[k]}) differs after "
                                     f"{order[:order.index(k)]} at max_states={config.max_states}")


@pytest.mark.parametrize("max_states", [20000, 2000, 500, 50])
def test_a_seeded_estate_judges_each_distribution_as_alone(max_states):
    rng = random.Random(max_states)
    check_estate(estate(rng, 12), Config(sensitive_paths=SENSITIVE, max_states=max_states), rng)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2 ** 32), st.integers(2, 6), st.sampled_from([20000, 2000, 500, 50]))
def test_generated_estates_judge_each_distribution_as_alone(seed, size, max_states):
    rng = random.Random(seed)
    check_estate(estate(rng, size), Config(sensitive_paths=SENSITIVE, max_states=max_states), rng)


def test_the_same_distribution_twice_in_one_process_gets_one_answer():
    rng = random.Random(7)
    (one,) = estate(rng, 1, 40, 60)
    config = Config(sensitive_paths=SENSITIVE, max_states=500)
    memo.clear_all()
    first = judged("a", one, config)
    assert judged("a", one, config) == first


def test_threads_sharing_the_memo_tables_judge_as_alone():
    """A Pulumi analyzer serves several Analyze calls at once on one set of memo tables."""
    from concurrent.futures import ThreadPoolExecutor
    rng = random.Random(11)
    distributions = estate(rng, 16, 10, 60)
    config = Config(sensitive_paths=SENSITIVE, max_states=2000)
    alone = [cold(f"d{k}", b, config) for k, b in enumerate(distributions)]
    memo.clear_all()
    jobs = [k % len(distributions) for k in range(3 * len(distributions))]
    rng.shuffle(jobs)
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda k: judged(f"d{k}", distributions[k], config), jobs))
    assert got == [alone[k] for k in jobs]


@pytest.mark.parametrize("max_states", [20000, 500, 50])
def test_each_order_check_says_the_same_however_the_checks_are_asked(max_states):
    """A door may run the three checks one by one, in another order, or again on the same
    model with other settings (the Pulumi pack runs a policy with its own configuration on the
    model its default run used): each says what a run of all three on a fresh model says."""
    config = Config(sensitive_paths=SENSITIVE, max_states=max_states)
    rng = random.Random(max_states + 1)
    for behaviours in estate(rng, 6, 20, 60):
        def fresh():
            return aws_api.distribution("d", api_config(behaviours))[0]

        def per_code(result):
            return {code: (sorted((f.path, f.message, f.example_path) for f in result.findings
                                  if f.code == code),
                           sorted((n.path, n.message) for n in result.notes if n.code == code))
                    for code in ORDERING}

        memo.clear_all()
        whole = per_code(engine.evaluate([fresh()], config, codes=ORDERING))
        for order in (ORDERING[::-1], ["CFH007", "CFH005", "CFH006"]):
            memo.clear_all()
            dist = fresh()
            for code in order:  # one by one on one model, twice
                for _ in range(2):
                    got = per_code(engine.evaluate([dist], config, codes=[code]))
                    assert got[code] == whole[code], (code, order)
        # Other settings on a model already judged: CFH007 with other globs is CFH007 alone.
        dist = fresh()
        engine.evaluate([dist], config, codes=ORDERING)
        other = Config(sensitive_paths=("*.js",), max_states=max_states)
        assert (per_code(engine.evaluate([dist], other, codes=["CFH007"]))
                == per_code(engine.evaluate([fresh()], other, codes=["CFH007"])))


# ------------------------------------------------- remembered search answers (rules/pattern_answers)

from rules import pattern_answers  # noqa: E402
from rules.budget import Budget  # noqa: E402
from rules.pattern_syntax import parse  # noqa: E402

question_st = st.tuples(st.sampled_from(["nonempty", "example"]),
                        st.lists(st.text(alphabet="ab*?/", min_size=1, max_size=9), min_size=1,
                                 max_size=2),
                        st.lists(st.text(alphabet="ab*?/", min_size=1, max_size=9), max_size=4))
limits_st = st.tuples(st.sampled_from([1, 3, 20, 200, 20000]),
                      st.sampled_from([0, 50, 500, 2500, 40000, 10 ** 6]))


def ask(kind, inc, exc, max_states, total):
    budget = Budget(max_states, total=total)
    answer = getattr(pattern_answers, kind)([parse(p) for p in inc], [parse(q) for q in exc],
                                            budget)
    return answer, budget.remaining, budget.exhausted


@settings(max_examples=300, deadline=None)
@given(st.lists(question_st, min_size=1, max_size=4), st.lists(limits_st, min_size=1, max_size=4),
       st.randoms(use_true_random=False))
def test_remembered_answers_answer_and_charge_as_a_fresh_search(shapes, limits, rnd):
    """Asked after any other questions (the same patterns under other limits included), a
    question gets the answer a fresh process gives and leaves the budget exactly as it does."""
    questions = [q + lim for q in shapes for lim in limits]
    alone = []
    for q in questions:
        memo.clear_all()
        alone.append(ask(*q))
    memo.clear_all()
    order = list(range(len(questions))) * 2
    rnd.shuffle(order)
    for k in order:
        assert ask(*questions[k]) == alone[k], questions[k]


# ---------------------------------------------------------------- through the real command line

def template(behaviours):
    items = [{"PathPattern": p, "TargetOriginId": "app", "ViewerProtocolPolicy": v}
             for p, v in behaviours]
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Cdn": {
        "Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Enabled": True,
            "Origins": [{"Id": "app", "DomainName": "app.example.com",
                         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                "OriginSSLProtocols": ["TLSv1.2"]}}],
            "CacheBehaviors": items,
            "DefaultCacheBehavior": {"TargetOriginId": "app",
                                     "ViewerProtocolPolicy": "allow-all"}}}}}}


def audit(paths, *flags):
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--format", "json",
                           "--fail-on", "never", *flags, *paths], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    per_file = {}
    for kind in ("findings", "notes"):
        for item in doc.get(kind, []):
            if item.get("code") in ORDERING:
                per_file.setdefault(os.path.basename(item["file"]), []).append(
                    json.dumps(item, sort_keys=True))
    return {k: sorted(v) for k, v in per_file.items()}


@pytest.mark.slow
@pytest.mark.parametrize("max_states, seed, size", [(None, 27, 8), ("2000", 34, 10)])
def test_an_audit_sweep_judges_each_template_as_alone(tmp_path, max_states, seed, size):
    """Estates (seeds) on which, before issue 20 was fixed, a sweep said something else about
    one template than its own audit did."""
    rng = random.Random(seed)
    files = []
    for k, behaviours in enumerate(estate(rng, size, 10, 60)):
        path = tmp_path / f"t{k:02d}.yaml"
        path.write_text(yaml.safe_dump(template(behaviours)))
        files.append(str(path))
    flags = ["--max-states", max_states] if max_states else []
    for g in SENSITIVE:
        flags += ["--sensitive-path", g]
    alone = {}
    for path in files:
        alone.update(audit([path], *flags))
    assert alone  # the estate does have ordering findings
    assert audit(sorted(files), *flags) == alone
    assert audit(sorted(files, reverse=True), *flags) == alone
