"""Generate the rule documentation pages from the catalogue (``python -m rules.docgen docs/rules``).

The pages, ``cfhttps explain`` and the README's rule table all come from here; a test fails when
the committed pages drift from the catalogue.
"""

from __future__ import annotations

import os
import sys

from .catalog import CATALOG, Rule


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
    if rule.options:
        lines += ["", "## Options", ""] + [f"- {o}" for o in rule.options]
    lines += ["", "## References", ""] + [f"- {fact}" for fact in rule.facts]
    return "\n".join(lines) + "\n"


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
