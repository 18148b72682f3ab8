"""Which findings a template's own resource metadata suppresses — one model for every door.

A user who silences a rule on one resource expects every door to hear it. Two spellings, both in
the resource's ``Metadata`` (CloudFormation has no other per-resource place for tool settings):

- cfn-lint's, ``Metadata: {cfn-lint: {config: {ignore_checks: [E9101]}}}``: by cfn-lint id, matched
  exactly as cfn-lint matches it (``E9101``, not a prefix ``E91``), so the same metadata means the
  same thing in ``cfn-lint`` and in ``cfhttps audit``;
- cfhttps's own, ``Metadata: {cfhttps: {ignore: [CFH001]}}``: by code or by cfn-lint id, for
  projects that do not run cfn-lint; the cfn-lint door honours it too.

A finding belongs to the resource its property path names (``Resources/<name>/...``) — the one
cfn-lint suppresses on — else to the finding's resource. Suppressed findings are not dropped: a
door counts and shows them as suppressed (SARIF ``suppressions``), the reason saying which
metadata did it. Unknown codes in the metadata are ignored here (cfn-lint does the same); Pulumi
resources and CloudFront API documents have no metadata, so nothing there is suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Dict, Iterable, List, Optional, Tuple

from .catalog import CATALOG
from .model import Finding

# resource logical id -> {code: why it is suppressed}
Suppressions = Dict[str, Dict[str, str]]

_BY_ID = {rule.cfn_lint_id: code for code, rule in CATALOG.items()}


def _strings(value) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def _get(node, *keys):
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def of_resource(resource, cfn_lint_form: bool = True) -> Dict[str, str]:
    """{code: reason} for the codes one resource's ``Metadata`` suppresses; ``cfn_lint_form``
    False leaves cfn-lint's own spelling out (cfn-lint applies it itself, with its
    ``--mandatory-checks``)."""
    out: Dict[str, str] = {}
    for rule_id in [] if not cfn_lint_form else _strings(_get(resource, "Metadata", "cfn-lint", "config", "ignore_checks")):
        code = _BY_ID.get(rule_id.strip())
        if code is not None:
            out.setdefault(code, f"Metadata cfn-lint config ignore_checks {rule_id.strip()}")
    for name in _strings(_get(resource, "Metadata", "cfhttps", "ignore")):
        name = name.strip()
        code = name if name in CATALOG else _BY_ID.get(name)
        if code is not None:
            out.setdefault(code, f"Metadata cfhttps ignore {name}")
    return out


def from_template(template, cfn_lint_form: bool = True) -> Suppressions:
    """Every resource's suppressions in a CloudFormation template (or a Serverless Framework
    file's ``resources.Resources``); empty for anything else."""
    resources = _get(template, "Resources")
    if not isinstance(resources, Mapping):
        resources = _get(template, "resources", "Resources")
    if not isinstance(resources, Mapping):
        return {}
    out: Suppressions = {}
    for name, resource in resources.items():
        found = of_resource(resource, cfn_lint_form)
        if found:
            out[str(name)] = found
    return out


def owner(finding: Finding) -> str:
    """The resource a finding sits on: the one its path names, else its own resource."""
    path = tuple(finding.path)
    if len(path) >= 2 and path[0] == "Resources":
        return str(path[1])
    if len(path) >= 3 and path[:2] == ("resources", "Resources"):
        return str(path[2])
    return finding.resource


def reason(finding: Finding, suppressions: Suppressions) -> Optional[str]:
    """Why ``finding`` is suppressed, or None."""
    if not suppressions:
        return None
    return suppressions.get(owner(finding), {}).get(finding.code)


def split(findings: Iterable[Finding], suppressions: Suppressions
          ) -> Tuple[List[Finding], List[Tuple[Finding, str]]]:
    """(the findings that stand, [(suppressed finding, reason)])."""
    kept: List[Finding] = []
    gone: List[Tuple[Finding, str]] = []
    for f in findings:
        why = reason(f, suppressions)
        if why is None:
            kept.append(f)
        else:
            gone.append((f, why))
    return kept, gone
