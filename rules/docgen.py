"""Generate the rule documentation pages from the catalogue (``python -m rules.docgen docs/rules``).

The pages, ``cfhttps explain`` and the README's rule table all come from here; a test fails when
the committed pages drift from the catalogue.
"""

from __future__ import annotations

import os
import sys

from .catalog import CATALOG, Rule
from .settings import describe


def render(rule: Rule) -> str:
    lines = [
        f"# {rule.code}: {rule.title}",
        "",
        "| code | cfn-lint | Pulumi policy | severity | default enforcement |",
        "|---|---|---|---|---|",
        f"| `{rule.code}` | `{rule.cfn_lint_id}` | `{rule.policy}` | {rule.severity} | "
        f"{rule.enforcement} |",
        "",
        "## What it does",
        "",
        rule.what,
        "",
        "## Why is this bad?",
        "",
        rule.why,
        "",
        "## Example",
        "",
        "```yaml",
        rule.bad.rstrip(),
        "```",
        "",
        "## Use instead",
        "",
        "```yaml",
        rule.good.rstrip(),
        "```",
        "",
        "## How to fix",
        "",
        rule.fix,
    ]
    if rule.worked_example:
        lines += ["", "## Worked example", "", "```text", rule.worked_example.rstrip(), "```"]
    options = options_of(rule)
    if options:
        lines += ["", "## Options", ""] + [f"- {o}" for o in options]
    if rule.remediation:
        lines += ["", "## Remediation", "",
                  "The Pulumi policy can fix this itself (enforcement level `remediate`): "
                  + rule.remediation]
    lines += property_names(rule)
    lines += ["", "## References", ""] + [f"- {fact}" for fact in rule.facts]
    return "\n".join(lines) + "\n"


def property_names(rule: Rule) -> list:
    """The properties the rule reads in each dialect (one table: :mod:`rules.spellings`), so a
    Pulumi or Terraform user finds the setting a finding names in their own spelling."""
    from .spellings import spellings
    rows = spellings(rule.code)
    if not rows:
        return []
    return (["", "## Property names", "",
             "| CloudFormation | Pulumi (pulumi-aws) | Terraform (AWS provider) |", "|---|---|---|"]
            + [f"| `{cfn}` | `{pulumi}` | `{tf}` |" for cfn, pulumi, tf in rows])


def options_of(rule: Rule) -> list:
    """The rule's settings from the registry, then what they do to the rule beyond its check."""
    out = [describe(s) for s in rule.settings]
    if rule.requires:
        out.append(f"The rule runs only when `{rule.requires}` is set.")
    if rule.escalated_by:
        out.append(f"When `{rule.escalated_by}` is true this rule is an error (mandatory).")
    return out


def index() -> str:
    lines = ["# Rules", "", "| code | cfn-lint | Pulumi policy | severity | title |",
             "|---|---|---|---|---|"]
    for rule in CATALOG.values():
        lines.append(f"| [{rule.code}]({rule.code}.md) | {rule.cfn_lint_id} | `{rule.policy}` | "
                     f"{rule.severity} | {rule.title} |")
    return "\n".join(lines) + "\n"


def pages() -> dict:
    out = {f"{code}.md": render(rule) for code, rule in CATALOG.items()}
    out["README.md"] = index()
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    outdir = argv[0] if argv else "docs/rules"
    os.makedirs(outdir, exist_ok=True)
    for name, text in pages().items():
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"wrote {len(CATALOG) + 1} pages to {outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
