"""Issue 2 and 3 targets over ../shared/corpus/cfn, one run, interleaved:
- `cfhttps audit` <= 0.25x plain `cfn-lint`, and >= 10x faster than
  `checkov --framework cloudformation --skip-download` (when checkov is installed: `make bench`);
- `cfn-lint -a cfn_rules` <= 1.05x plain `cfn-lint`.
Usage: python bench/bench_corpus.py [runs]"""

import glob
import os
import shutil
import sys

from common import BIN, CORPUS, interleaved

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
files = sorted(glob.glob(os.path.join(CORPUS, "cfn", "*")))
if not files:
    print(f"bench_corpus: skipped, the real-world corpus is not at {CORPUS} (it sits beside the "
          f"repository in CI)")
    sys.exit(0)
cfn_lint = os.path.join(BIN, "cfn-lint")
commands = {
    "cfhttps audit": [os.path.join(BIN, "cfhttps"), "audit", "-q", "--format", "json",
                      "--output", os.devnull, *files],
    "cfn-lint (plain)": [cfn_lint, "--format", "parseable", "--", *files],
    "cfn-lint -a cfn_rules": [cfn_lint, "-a", "cfn_rules", "--format", "parseable", "--", *files],
}
checkov = (os.environ.get("CHECKOV") or shutil.which("checkov", path=BIN)
           or shutil.which("checkov", path=os.path.join(os.path.dirname(BIN), "..", ".venv-checkov", "bin"))
           or shutil.which("checkov"))
if checkov:
    commands["checkov"] = [checkov, "--framework", "cloudformation", "--skip-download", "--quiet",
                           "--compact", "-o", "json", *sum((["-f", f] for f in files), [])]
med = interleaved(commands, runs)
cpu = interleaved({k: commands[k] for k in ("cfn-lint (plain)", "cfn-lint -a cfn_rules")}, runs, cpu=True)
print(f"{len(files)} templates, median of {runs} interleaved runs (wall clock)")
for k, v in med.items():
    print(f"  {k:<24} {v:7.2f} s")
base = med["cfn-lint (plain)"]
print(f"  audit / cfn-lint            = {med['cfhttps audit'] / base:.3f}  (target <= 0.25)")
print(f"  cfn-lint+rules / cfn-lint   = {med['cfn-lint -a cfn_rules'] / base:.3f} wall, "
      f"{cpu['cfn-lint -a cfn_rules'] / cpu['cfn-lint (plain)']:.3f} CPU  (target <= 1.05)")
if checkov:
    print(f"  checkov / audit             = {med['checkov'] / med['cfhttps audit']:.1f}  (target >= 10)")
else:
    print("  checkov not installed (pip install checkov, or `make bench`)")
