"""Issue 6 targets: the full ordering analysis (CFH005-CFH007) of a realistic 75-behaviour
distribution <= 5% of plain cfn-lint's wall time on the same template; a scaling table for 10,
75, 250 and 1,000 behaviours (time and peak memory) and the hostile case.
Usage: python bench/bench_ordering.py"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc

import yaml

from common import BIN, ROOT, cfn_template, interleaved

sys.path.insert(0, ROOT)
from rules import engine  # noqa: E402
from rules.config import Config  # noqa: E402
from rules.model import NoteKind  # noqa: E402
from rules.sources import aws_api, cloudformation  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests"))
from hostile import hostile_config  # noqa: E402

ORDERING = ["CFH005", "CFH006", "CFH007"]
CONFIG = Config(sensitive_paths=("/admin/*", "*.env", "/api/v?/users/*"))


def analyse(template):
    dists, _ = cloudformation.distributions(template)
    return engine.evaluate(dists, CONFIG, codes=ORDERING)


def cold():
    """Forget every remembered pattern answer: each measurement starts cold."""
    from rules import patterns
    patterns._MEMO.clear()
    patterns._CACHE.clear()
    patterns._ALPHABETS.clear()


def measure(template, repeat=5):
    times = []
    for _ in range(repeat):
        cold()
        t = time.perf_counter()
        result = analyse(template)
        times.append(time.perf_counter() - t)
    cold()
    tracemalloc.start()
    analyse(template)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    undecided = sum(n.kind == NoteKind.UNDECIDED for n in result.notes)
    return statistics.median(times), peak / 1e6, len(result.findings), undecided


t75 = cfn_template(75)
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "t75.yaml")
    with open(path, "w") as fh:
        yaml.safe_dump(t75, fh)
    # Interleaved: one cfn-lint run, one cold analysis, repeated, so both see the same noise.
    lint_times, ours_times = [], []
    for _ in range(9):
        lint_times.append(interleaved({"cfn-lint": [os.path.join(BIN, "cfn-lint"), "--", path]}, 1)["cfn-lint"])
        ours_times.append(measure(t75, repeat=1)[0])
lint = statistics.median(lint_times)
ours = statistics.median(ours_times)
_, peak, nf, und = measure(t75, repeat=1)
print(f"75 behaviours: ordering analysis {ours * 1000:.1f} ms, plain cfn-lint {lint:.2f} s "
      f"-> {100 * ours / lint:.2f}% (target <= 5%); {nf} findings, {und} undecided "
      f"(medians of 9 interleaved pairs)")

print("\n| behaviours | time (ms) | peak memory (MB) | findings | undecided |")
print("|---:|---:|---:|---:|---:|")
for n in (10, 75, 250, 1000):
    t, m, f, u = measure(cfn_template(n), repeat=3 if n < 1000 else 1)
    print(f"| {n} | {t * 1000:.1f} | {m:.1f} | {f} | {u} |")

dc = hostile_config()
dist, _ = aws_api.distribution("hostile", dc)
cold()
t = time.perf_counter()
result = engine.evaluate([dist], Config(sensitive_paths=("*a*b*",)), codes=ORDERING)
elapsed = time.perf_counter() - t
dist, _ = aws_api.distribution("hostile", dc)  # fresh: no cached analysis
cold()
tracemalloc.start()
engine.evaluate([dist], Config(sensitive_paths=("*a*b*",)), codes=ORDERING)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
und = sum(n.kind == NoteKind.UNDECIDED for n in result.notes)
print(f"| hostile 75 x 255 chars | {elapsed * 1000:.1f} | {peak / 1e6:.1f} | {len(result.findings)} | {und} |")
