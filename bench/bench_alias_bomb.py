"""A YAML alias bomb ("billion laughs", ~500 bytes, 10^9 nodes once expanded): how fast and in
how much memory `cfhttps audit` refuses it, beside cfn-lint on the same file.

Whole processes, interleaved and rotated, median of N runs; peak RSS is the process's own
VmHWM (see common.PEAK_WRAPPER). `--old DIR` adds a checkout of an earlier cfhttps (e.g.
`git archive main | tar -x -C DIR`) run the same way, with this venv.

    ../.venv/bin/python bench_alias_bomb.py [runs] [--old DIR]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import BIN, ROOT

# Like common.PEAK_WRAPPER, for a module (-m name) or a console script (a path).
WRAPPER = ("import runpy, sys\n"
           "target = sys.argv[1]\n"
           "sys.argv = sys.argv[2:] if target == '-m' else sys.argv[1:]\n"
           "try:\n"
           "    if target == '-m':\n"
           "        runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
           "    else:\n"
           "        runpy.run_path(target, run_name='__main__')\n"
           "except SystemExit:\n"
           "    pass\n"
           "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
           "sys.stderr.write('PEAK_KB=%d\\n' % int(hwm.split()[1]))\n")


def bomb(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ",".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    lines.append("Resources: {}")
    return "\n".join(lines) + "\n"


def measure(args, cwd):
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    peak = [l for l in proc.stderr.splitlines() if l.startswith("PEAK_KB=")]
    return wall, int(peak[-1].split("=")[1]) / 1024 if peak else float("nan")


def main(argv) -> None:
    runs = int(argv[0]) if argv and argv[0].isdigit() else 5
    old = argv[argv.index("--old") + 1] if "--old" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bomb.yaml")
        with open(path, "w") as fh:
            fh.write(bomb())
        size = os.path.getsize(path)
        commands = {
            "cfhttps audit": (["-m", "cfhttps_cli.main", "audit", path, "-q"], ROOT),
            "cfn-lint": ([os.path.join(BIN, "cfn-lint"), "--", path], ROOT),
        }
        if old:
            commands["cfhttps audit (--old)"] = (["-m", "cfhttps_cli.main", "audit", path, "-q"],
                                                 os.path.abspath(old))
        results = {k: [] for k in commands}
        keys = list(commands)
        for r in range(runs):
            for k in keys[r % len(keys):] + keys[:r % len(keys)]:
                results[k].append(measure(*commands[k]))
    print(f"alias bomb: {size} bytes, 9 levels of 10 (10^9 nodes expanded); median of {runs}")
    print("| command | wall | peak RSS |")
    print("|---|---:|---:|")
    med = {}
    for k, v in results.items():
        wall = statistics.median(x[0] for x in v)
        peak = statistics.median(x[1] for x in v)
        med[k] = (wall, peak)
        print(f"| `{k}` | {wall:.2f} s | {peak:.0f} MB |")
    a, c = med["cfhttps audit"], med["cfn-lint"]
    print(f"\naudit / cfn-lint: wall {a[0] / c[0]:.2f}, peak RSS {a[1] / c[1]:.2f}")
    if old:
        o = med["cfhttps audit (--old)"]
        print(f"audit / old audit: wall {a[0] / o[0]:.3f}, peak RSS {a[1] / o[1]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
