"""``make pulumi-local``: the policy pack judging a Pulumi program, with no Pulumi CLI.

Where the Pulumi CLI is not installed (it is a binary from get.pulumi.com; the Python packages
are only its SDKs, and the project's own environment cannot install it), this takes the CLI's
place the way the tests do
(:mod:`recipes.pulumi_engine`): the program runs under Pulumi's mock runtime (a preview: outputs
that are not known before deployment stay unknown), the pack is started exactly as the CLI starts
it (``python -m pulumi.policy <engine-address> <pack-dir>`` in the pack's folder, which prints
its gRPC port), and each CloudFront distribution goes to the pack in the requests the engine
builds (``Remediate`` first, then ``Analyze`` on what the remediations leave). What comes back is
the pack's own answer; ``pulumi preview --policy-pack <clone>`` prints the same diagnostics, under
its own formatting, against a real stack.

Exit status: 0 when the pack answered (whatever it found), 2 when it could not be run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Optional

from recipes import run_recipe

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAM = os.path.join("examples", "pulumi", "__main__.py")
DISTRIBUTION_TYPES = ("aws:cloudfront/distribution:Distribution", "aws-native:cloudfront:Distribution")


def policy_config(path: str) -> Dict[str, Dict[str, Any]]:
    """A ``--policy-pack-config`` file as the CLI reads it: a policy's value is its enforcement
    level alone (a string) or an object of ``enforcementLevel`` and the policy's settings."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    return {name: ({"enforcementLevel": value} if isinstance(value, str) else dict(value))
            for name, value in doc.items()}


def run(program: str, config_file: Optional[str] = None, out=sys.stdout) -> List[Dict[str, Any]]:
    """Print the pack's diagnostics for every distribution of ``program``; return them."""
    from google.protobuf import json_format

    from recipes.pulumi_engine import LEVEL_NAMES, Pack, capture

    program = os.path.abspath(program)
    print(f"program: {os.path.relpath(program, ROOT)} (run under Pulumi's mock runtime, as a preview)",
          file=out)
    records = [r for r in capture(program, ROOT, cwd=os.path.dirname(program))
               if r["type"] in DISTRIBUTION_TYPES]
    records.sort(key=lambda r: r["registration"]["urn"])  # the mock runtime registers in any order
    pack = Pack(ROOT)
    answers = []
    try:
        info = pack.info()
        print(f"policy pack: {info.name} {info.version}, {len(info.policies)} policies, served by "
              f"`python -m pulumi.policy` on 127.0.0.1:{pack.port}", file=out)
        if config_file:
            pack.configure(policy_config(config_file))
            print(f"policy config: {os.path.relpath(os.path.abspath(config_file), ROOT)}", file=out)
        for rec in records:
            urn = rec["registration"]["urn"]
            # The engine asks for remediations first and analyzes what they leave (policies
            # configured "remediate" fix the inputs rather than report them).
            props, fixed = rec["inputs"], []
            for rem in pack.remediate(rec["type"], rec["name"], props, rec):
                if rem.HasField("properties"):
                    props = json_format.MessageToDict(rem.properties)
                    fixed.append(rem.policyName)
                    answers.append({"urn": urn, "policy": rem.policyName, "level": "remediate",
                                    "message": rem.description})
            diagnostics = pack.analyze(rec["type"], rec["name"], props, rec)
            print(f"\n{urn}: {len(diagnostics) or 'no'} diagnostic(s)"
                  + (f", remediated by {', '.join(fixed)}" if fixed else ""), file=out)
            for d in diagnostics:
                level = LEVEL_NAMES.get(d.enforcementLevel, str(d.enforcementLevel))
                message = d.message.replace("\n", "\n      ")
                print(f"  [{level}] {d.policyName}: {message}", file=out)
                answers.append({"urn": urn, "policy": d.policyName, "level": level,
                                "message": d.message})
    finally:
        pack.close()
    mandatory = sum(1 for a in answers if a["level"] == "mandatory")
    diagnosed = sum(1 for a in answers if a["level"] != "remediate")
    print(f"\n{diagnosed} diagnostic(s) for {len(records)} distribution(s); "
          + (f"`pulumi preview` would fail: {mandatory} mandatory" if mandatory
             else "`pulumi preview` would pass (advisory ones are printed, not enforced)"), file=out)
    return answers


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recipes.pulumi_local", description=__doc__.split("\n\n")[0])
    parser.add_argument("program", nargs="?", default=os.path.join(ROOT, PROGRAM),
                        help=f"a Pulumi Python program (default: {PROGRAM})")
    parser.add_argument("--policy-config", metavar="FILE",
                        help="a policy config file, as `pulumi preview --policy-pack-config FILE` takes it "
                             "(e.g. policy-config.json)")
    args = parser.parse_args(argv)
    return run_recipe("pulumi-local", "pulumi", lambda: run(args.program, args.policy_config))


if __name__ == "__main__":
    raise SystemExit(main())
