"""Issue 5 targets: audits of generated API-shaped estates (one `get-distribution-config` JSON per
distribution, 25 behaviours each) of 1,000 and 10,000 distributions: time grows at most linearly
(t(10k)/t(1k) <= 11, CPU of the audit process; wall is printed too) and peak memory stays flat
(peak(10k) <= 1.5 x peak(1k)).
Every distribution has its own mixed real-world path patterns (bench/common.py
``mixed_patterns``), so no pattern answer is reused between distributions: the caches stay cold.
Usage: python bench/bench_estate.py [small] [large]"""

import json
import os
import shutil
import sys
import tempfile

from common import mixed_api_config, run_with_peak_cpu

small = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
large = int(sys.argv[2]) if len(sys.argv) > 2 else 10000


def make_estate(folder, n):
    os.makedirs(folder)
    for i in range(n):
        with open(os.path.join(folder, f"E{i:06d}.json"), "w") as fh:
            json.dump({"ETag": f"E{i}", "DistributionConfig": mixed_api_config(25, seed=i)}, fh)


results = {}
with tempfile.TemporaryDirectory() as tmp:
    for n in (small, large):
        folder = os.path.join(tmp, f"estate-{n}")
        make_estate(folder, n)
        out = os.path.join(tmp, f"report-{n}.json")
        wall, cpu, peak = run_with_peak_cpu(["cfhttps_cli.main", "audit", folder, "-q",
                                             "--format", "json", "--output", out])
        with open(out) as fh:
            summary = json.load(fh)["summary"]
        results[n] = (wall, cpu, peak, summary)
        shutil.rmtree(folder)

for n, (wall, cpu, peak, summary) in results.items():
    print(f"{n:>6} distributions: {wall:7.1f} s wall, {cpu:7.1f} s CPU, {n / cpu:7.1f} "
          f"distributions per CPU second, peak RSS {peak:6.1f} MB, {summary['findings']} findings")
(ws, cs, ps, _), (wl, cl, pl, _) = results[small], results[large]
print(f"time ratio {cl / cs:.2f} CPU, {wl / ws:.2f} wall (target <= {large / small * 1.1:.0f}), "
      f"peak ratio {pl / ps:.2f} (target <= 1.5)")
