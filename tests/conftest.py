import os
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
CORPUS = os.path.join(SHARED, "corpus")
sys.path.insert(0, ROOT)

from cfhttps_io.templates import parse_text  # noqa: E402
from rules import engine, memo  # noqa: E402
from rules.config import Config  # noqa: E402
from rules.sources import cloudformation  # noqa: E402


CORPUS_MISSING = (f"real-world corpus not found at {CORPUS} (it sits beside the repository in CI); "
                  "the project's own fixtures cover these rules")


def corpus_available() -> bool:
    return os.path.isdir(CORPUS)


@pytest.fixture(autouse=True)
def _cold_memo_tables():
    """Every test starts as a fresh process would: no remembered answers (``rules.memo``)."""
    memo.clear_all()
    yield


def pytest_configure(config):
    config.addinivalue_line("markers", "corpus: reads the third-party corpus in ../shared/corpus; "
                                       "skipped with a reason when it is absent")


def pytest_collection_modifyitems(config, items):
    """A test marked ``corpus`` is skipped, with one line saying why, when the corpus is absent."""
    if corpus_available():
        return
    for item in items:
        if item.get_closest_marker("corpus") is not None:
            item.add_marker(pytest.mark.skip(reason=CORPUS_MISSING))


def corpus_files(kind="cfn"):
    """The corpus files of one kind, for tests marked ``corpus``. When the corpus is absent this
    is one placeholder parameter (the marker skips it), so collection never fails."""
    folder = os.path.join(CORPUS, kind)
    if not corpus_available():
        return [pytest.param(None, id="corpus-absent")]
    if not os.path.isdir(folder):
        pytest.fail(f"corpus folder missing: {folder} (../shared/corpus is there, {kind}/ is not)")
    return sorted(os.path.join(folder, f) for f in os.listdir(folder))


def audit_yaml(text, config=None, **kw):
    """Findings (and notes) for a YAML template string."""
    doc, _ = parse_text(textwrap.dedent(text))
    dists, notes = cloudformation.distributions(doc)
    cfg = config or Config(**kw)
    result = engine.evaluate(dists, cfg)
    return result.findings, notes + result.notes


def codes(findings):
    return sorted({f.code for f in findings})


def dist_yaml(body, extra_resources=""):
    """A template with one distribution whose DistributionConfig is `body` (YAML, any indent)."""
    body = textwrap.indent(textwrap.dedent(body), " " * 8)
    return ("Resources:\n" + textwrap.indent(textwrap.dedent(extra_resources), "  ") +
            "  Cdn:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n"
            "      DistributionConfig:\n" + body)


@pytest.fixture(scope="module")
def pack():
    """The policy pack served as the Pulumi CLI starts it (tests/pulumi_harness.py), one per
    test module that asks for it."""
    from pulumi_harness import Pack
    p = Pack(ROOT)
    yield p
    p.close()
