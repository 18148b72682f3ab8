"""Path-pattern issue targets, on mixed real-world pattern shapes (bench/common.py
``mixed_patterns``: folders, nested folders, extensions, nested wildcards, `?` runs, exact files,
overlaps in both orders), distinct patterns for every distribution, cold caches:

1. growth of the ordering analysis (CFH005-CFH007) from 25 to 1,000 behaviours — in process
   (CPU, cold) and as whole `cfhttps audit` processes (CPU minus the start-up of an audit of a
   template without behaviours); target: exponent <= 1.6 between 100 and 400;
2. the overhead a cfn-lint user sees: CPU of `cfn-lint -a cfn_rules -- t.yaml` minus plain
   `cfn-lint -- t.yaml`, interleaved; target at 400 behaviours: <= 0.5 x plain cfn-lint;
3. 75 behaviours: the cold analysis <= 2 % of plain cfn-lint's CPU on that template;
4. hostile distributions (tests/hostile.py): the analysis stays within cfn-lint's own CPU on
   the same template, and what it cuts off is reported as "undecided" notes.

Usage: python bench/bench_ordering.py [runs]   (runs per interleaved measurement, default 5)"""

import math
import os
import statistics
import sys
import tempfile
import time

import yaml

from common import BIN, ROOT, interleaved, mixed_api_config, mixed_cfn_template

sys.path.insert(0, ROOT)
from rules import engine, memo  # noqa: E402
from rules.config import Config  # noqa: E402
from rules.model import NoteKind  # noqa: E402
from rules.sources import aws_api  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests"))
from hostile import SHAPES, hostile_config, hostile_template  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ORDERING = ["CFH005", "CFH006", "CFH007"]
SENSITIVE = ("/admin/*", "*.env", "/api/v?/users/*")
CONFIG = Config(sensitive_paths=SENSITIVE)
CFN_LINT = os.path.join(BIN, "cfn-lint")


def undecided(result) -> int:
    return sum(n.kind == NoteKind.UNDECIDED for n in result.notes)


def analyse_cold(dc: dict, config=CONFIG):
    """(CPU seconds, result) of the ordering analysis of one fresh distribution, caches cold."""
    dist, _ = aws_api.distribution("d", dc)
    memo.clear_all()
    t = time.process_time()
    result = engine.evaluate([dist], config, codes=ORDERING)
    return time.process_time() - t, result


def exponent(n1, t1, n2, t2):
    return math.log(t2 / t1) / math.log(n2 / n1)


# 1. Growth in process: each measurement a different distribution (seed), medians.
print("## Ordering analysis in process (CPU, cold caches, distinct patterns per distribution)\n")
print("| behaviours | CPU (ms), median | distributions | findings (median) | undecided |")
print("|---:|---:|---:|---:|---:|")
inproc = {}
for n in (25, 75, 100, 400, 1000):
    k = 15 if n <= 100 else 5 if n <= 400 else 3
    times, findings, und = [], [], 0
    for s in range(k):
        t, result = analyse_cold(mixed_api_config(n, seed=10_000 * n + s))
        times.append(t)
        findings.append(len(result.findings))
        und += undecided(result)
    inproc[n] = statistics.median(times)
    print(f"| {n} | {inproc[n] * 1000:.1f} | {k} | {statistics.median(findings):.0f} | {und} |")
print(f"\ngrowth exponent 100->400: **{exponent(100, inproc[100], 400, inproc[400]):.2f}** "
      f"(target <= 1.6); 400->1000: {exponent(400, inproc[400], 1000, inproc[1000]):.2f}\n")

with tempfile.TemporaryDirectory() as tmp:
    def write(name, template):
        path = os.path.join(tmp, name)
        with open(path, "w") as fh:
            yaml.safe_dump(template, fh)
        return path

    # 1b. Growth as whole audit processes, start-up subtracted.
    audit = [sys.executable, "-m", "cfhttps_cli.main", "audit", "-q", "--format", "json",
             "--output", os.devnull, "--fail-on", "never"]
    for g in SENSITIVE:
        audit += ["--sensitive-path", g]
    # Five distributions per template (each its own patterns): five times the net CPU, so the
    # difference to the start-up is well above the noise; the exponent is the same.
    sizes = (0, 100, 400)
    commands = {n: audit + [write(f"audit{n}.yaml",
                                  mixed_cfn_template(n, seed=20_000 + 10 * n, distributions=5))]
                for n in sizes}
    cpu = interleaved(commands, RUNS, cpu=True)
    net = {n: cpu[n] - cpu[0] for n in sizes if n}
    print("## `cfhttps audit` processes (CPU, medians of interleaved runs)\n")
    print(f"templates of five distributions: no behaviours (start-up) {cpu[0]:.2f} s; "
          f"100 behaviours each {cpu[100]:.2f} s "
          f"(+{net[100]:.2f}); 400 behaviours {cpu[400]:.2f} s (+{net[400]:.2f}); growth "
          f"exponent 100->400 of the net CPU: **{exponent(100, net[100], 400, net[400]):.2f}** "
          f"(target <= 1.6)\n")

    # 2./3. The cfn-lint user's overhead, and the 75-behaviour ratio.
    print("## cfn-lint: plain vs with the cfhttps rules (CPU, medians of interleaved runs)\n")
    print("| behaviours | plain cfn-lint | `-a cfn_rules` | overhead | overhead / plain | "
          "cold ordering analysis in process | analysis / plain |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in (75, 400):
        template = mixed_cfn_template(n, seed=30_000 + n)
        path = write(f"lint{n}.yaml", template)
        cpu = interleaved({"plain": [CFN_LINT, "--", path],
                           "rules": [CFN_LINT, "-a", "cfn_rules", "--", path]}, RUNS, cpu=True)
        dc_seed = 30_000 + n  # the same patterns as the template, as an API config
        t, _ = analyse_cold(mixed_api_config(n, seed=dc_seed))
        over = cpu["rules"] - cpu["plain"]
        print(f"| {n} | {cpu['plain']:.2f} s | {cpu['rules']:.2f} s | {over:+.2f} s | "
              f"**{over / cpu['plain']:.3f}** | {t * 1000:.1f} ms | **{100 * t / cpu['plain']:.2f} %** |")
    print("\ntargets: overhead / plain at 400 <= 0.5; analysis / plain at 75 <= 2 %\n")

    # 4. Hostile distributions: ordering analysis vs cfn-lint's own CPU on the same template.
    print("## Hostile distributions (75 behaviours of 255-character patterns)\n")
    print("| shape | ordering analysis (CPU) | plain cfn-lint (CPU) | ratio | findings | undecided |")
    print("|---|---:|---:|---:|---:|---:|")
    for shape in SHAPES:
        t, result = analyse_cold(hostile_config(75, shape), Config(sensitive_paths=("*a*b*",)))
        path = write(f"hostile-{len(shape)}.yaml", hostile_template(75, shape))
        lint = interleaved({"plain": [CFN_LINT, "--", path]}, max(1, RUNS // 2), cpu=True)["plain"]
        print(f"| {shape} | {t:.2f} s | {lint:.2f} s | **{t / lint:.2f}** | "
              f"{len(result.findings)} | {undecided(result)} |")
    # The allowance grows with the behaviours: a big hostile distribution, and many small ones.
    for n, k in ((1000, 1), (5, 40)):
        dists = [aws_api.distribution(f"h{d}", hostile_config(n, "issue"))[0] for d in range(k)]
        memo.clear_all()
        t = time.process_time()
        result = engine.evaluate(dists, Config(sensitive_paths=("*a*b*",)), codes=ORDERING)
        t = time.process_time() - t
        path = write(f"hostile-{n}x{k}.yaml", hostile_template(n, "issue", k))
        lint = interleaved({"plain": [CFN_LINT, "--", path]}, 1, cpu=True)["plain"]
        print(f"| issue, {k} distribution(s) of {n} | {t:.2f} s | {lint:.2f} s | **{t / lint:.2f}** | "
              f"{len(result.findings)} | {undecided(result)} |")
    print("\ntarget: ratio <= 1 (the work allowance tracks time)")
