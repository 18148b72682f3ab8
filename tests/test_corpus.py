"""Every real template in ../shared/corpus/cfn is audited without a crash, and the codes found
match the reviewed snapshot (tests/snapshots/corpus_cfn_codes.json; each entry was read against
the template by hand — see the comments in REVIEWED for the interesting ones).

The corpus is third-party data beside the repository (CI has it); it is an extra layer over the
project's own fixtures, so every test here is marked ``corpus`` and skipped with a reason when
``../shared/corpus`` is absent."""

import json
import os

import pytest

from cfhttps_cli import inputs
from conftest import ROOT, corpus_files
from rules import engine, patterns
from rules.config import Config
from rules.model import NoteKind

pytestmark = [pytest.mark.corpus, pytest.mark.slow]  # sweeps the corpus

SNAPSHOT = os.path.join(ROOT, "tests", "snapshots", "corpus_cfn_codes.json")

# Hand-reviewed facts behind some snapshot entries (file name prefix -> what must be found).
REVIEWED = {
    # Website endpoint used as an S3OriginConfig origin: broken, even though checkov passes it.
    "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_cloudfrontDistribution__CloudfrontDistributionEncryption-PASSED": {"CFH002"},
    # TargetOriginId "Dummy" with no Origins at all.
    "aws-cloudformation__cfn-lint__test__fixtures__templates__good__functions__getatt_serverless_function_version": {"CFH008"},
    # Hard-coded website endpoint, custom http-only: correct for a website, but a plaintext leg.
    "concord-consortium__cloud-formation__generic-project-resources-cloudfront": {"CFH003"},
    # Ordered "*" behaviour: the default behaviour can never be reached.
    "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_CloudFrontTLS12__CloudFrontTLS12-PASSED": {"CFH005"},
    # Fn::If(NoSSL, allow-all, redirect-to-https).
    "awslabs__aws-cloudformation-templates__community__solutions__StaticS3CloudFront": {"CFH001"},
    # ALB custom origin with OriginSSLProtocols incl. SSLv3, parameters for every policy.
    "awslabs__aws-cloudformation-templates__aws__solutions__CloudFrontCustomOriginLambda@Edge__CloudFront": {"CFH010", "CFH001", "CFH004"},
}


def _audit(path, config=None):
    loaded = inputs.load(path)
    assert loaded.error is None, f"{path}: {loaded.error}"
    result = engine.evaluate(loaded.distributions, config or Config())
    return loaded, result


@pytest.mark.parametrize("path", corpus_files("cfn"), ids=os.path.basename)
def test_corpus_template_audits_and_matches_review(path):
    loaded, result = _audit(path)
    assert all(n.kind != NoteKind.INTERNAL_ERROR for n in result.notes)
    with open(SNAPSHOT) as fh:
        expected = json.load(fh)
    name = os.path.basename(path)
    assert sorted({f.code for f in result.findings}) == expected[name]
    stem = os.path.splitext(name)[0]
    if stem in REVIEWED:
        assert REVIEWED[stem] <= {f.code for f in result.findings}


def test_snapshot_covers_the_whole_corpus():
    with open(SNAPSHOT) as fh:
        expected = json.load(fh)
    assert sorted(expected) == sorted(os.path.basename(p) for p in corpus_files("cfn"))


def test_every_corpus_pattern_is_analysed():
    """All path patterns in the corpus parse, and every ordering question on them is decided."""
    seen = 0
    for path in corpus_files("cfn"):
        loaded, result = _audit(path, Config(sensitive_paths=("/admin/*", "*.env")))
        for d in loaded.distributions:
            for b in d.behaviors:
                if isinstance(b.path_pattern, str):
                    assert patterns.problem(b.path_pattern) is None, b.path_pattern
                    seen += 1
        assert not [n for n in result.notes if n.kind == NoteKind.UNDECIDED]
    assert seen >= 20
