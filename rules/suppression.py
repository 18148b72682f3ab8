"""Which findings a resource suppresses for itself — one model for every door and every source.

A user who silences a rule on one resource expects every door to hear it. Three spellings:

- cfn-lint's, ``Metadata: {cfn-lint: {config: {ignore_checks: [E9101]}}}``: by cfn-lint id, matched
  exactly as cfn-lint matches it (``E9101``, not a prefix ``E91``), so the same metadata means the
  same thing in ``cfn-lint`` and in ``cfhttps audit``;
- cfhttps's own, ``Metadata: {cfhttps: {ignore: [CFH001]}}``: by code or by cfn-lint id, for
  projects that do not run cfn-lint; the cfn-lint door honours it too;
- the tag ``cfhttps:ignore`` on the distribution, its value the codes or cfn-lint ids separated
  by spaces (``CFH001 E9109``). Metadata exists only in CloudFormation; a tag is what every
  source carries (CloudFormation and aws-native ``Tags``, pulumi-aws and Terraform ``tags``, the
  API's ``ListTagsForResource``, an AWS Config item's ``tags``), so it is the form every door
  can hear, the live ones included. Spaces separate because a CloudFront tag value allows only
  letters, digits, spaces and ``_ . : / = + - @`` (CloudFront API Reference, data type ``Tag``):
  no comma, and ``:``/``-``/``/`` would be unclear beside ids. The builder reads the tags of
  every dialect (:mod:`rules.sources.builder`) and :func:`of_tags` says what they suppress.

A finding belongs to the resource its property path names (``Resources/<name>/...``) — the one
cfn-lint suppresses on — else to the finding's resource; a tag speaks for its distribution, so
it suppresses the distribution's findings wherever they point (a VPC origin's CFH003 too).
Suppressed findings are not dropped: a door counts and shows them as suppressed (SARIF
``suppressions``), the reason saying which metadata or tag did it. Unknown names in metadata are
ignored (cfn-lint does the same for its ids); in a tag, where nothing else checks the value,
an unknown name, an unknown value or a key in the wrong case suppresses nothing and gives a
note (code ``suppression``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .catalog import CATALOG
from .model import Distribution, Finding, Note, NoteKind, Symbolic, Unknown, as_text

# resource logical id -> {code: why it is suppressed}
Suppressions = Dict[str, Dict[str, str]]
# distribution name -> {code: why its tags suppress it}
TagSuppressions = Dict[str, Dict[str, str]]

TAG_KEY = "cfhttps:ignore"
NOTE_CODE = "suppression"  # the code of the notes about a cfhttps:ignore tag

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


def reason(finding: Finding, suppressions: Suppressions,
           tags: Optional[TagSuppressions] = None) -> Optional[str]:
    """Why ``finding`` is suppressed (its resource's metadata first, then its distribution's
    tags), or None."""
    if suppressions:
        why = suppressions.get(owner(finding), {}).get(finding.code)
        if why is not None:
            return why
    if tags:
        return tags.get(finding.resource, {}).get(finding.code)
    return None


def split(findings: Iterable[Finding], suppressions: Suppressions,
          tags: Optional[TagSuppressions] = None
          ) -> Tuple[List[Finding], List[Tuple[Finding, str]]]:
    """(the findings that stand, [(suppressed finding, reason)])."""
    kept: List[Finding] = []
    gone: List[Tuple[Finding, str]] = []
    for f in findings:
        why = reason(f, suppressions, tags)
        if why is None:
            kept.append(f)
        else:
            gone.append((f, why))
    return kept, gone


# ------------------------------------------------------------------------------------- tags

def _name_problem(name: str, what: str = f"tag {TAG_KEY}") -> str:
    text = (f"{what} names {name!r}, which is no cfhttps code (CFH001...) or cfn-lint id "
            f"(E9101...): it suppresses nothing")
    if "," in name and what.startswith("tag"):
        text += ("; separate names with spaces (a CloudFront tag value cannot hold commas: "
                 "letters, digits, spaces and _ . : / = + - @ only)")
    elif name.upper() in CATALOG or name.upper() in _BY_ID:
        text += f" (did you mean {name.upper()}?)"
    return text


def of_tag_value(value: Any) -> Tuple[Dict[str, str], List[Tuple[str, str]]]:
    """({code: reason}, [(note kind, problem)]) for the value of a ``cfhttps:ignore`` tag:
    names separated by whitespace, each a code or a cfn-lint id, matched exactly."""
    if isinstance(value, (Unknown, Symbolic)):
        return {}, [(NoteKind.UNKNOWN_VALUE,
                     f"the value of tag {TAG_KEY} is not known ({as_text(value)}): nothing is "
                     f"suppressed by it")]
    if not isinstance(value, str):
        return {}, [(NoteKind.INPUT, f"tag {TAG_KEY} is {type(value).__name__}, not a string: "
                                     f"nothing is suppressed by it")]
    return _of_names(value.split(), f"tag {TAG_KEY}")


def _of_names(names: List[str], what: str) -> Tuple[Dict[str, str], List[Tuple[str, str]]]:
    out: Dict[str, str] = {}
    problems: List[Tuple[str, str]] = []
    if not names:
        problems.append((NoteKind.INPUT, f"{what} is empty: nothing is suppressed by it"))
    for name in names:
        code = name if name in CATALOG else _BY_ID.get(name)
        if code is None:
            problems.append((NoteKind.INPUT, _name_problem(name, what)))
        else:
            out.setdefault(code, f"{what} {name}")
    return out, problems


def of_comment(text: str, where: str) -> Tuple[Dict[str, str], List[Tuple[str, str]]]:
    """({code: reason}, [(note kind, problem)]) for a Terraform comment ``# cfhttps:ignore
    CFH004 E9101 -- why`` (``text``: what follows ``cfhttps:ignore``) at ``where``
    (``main.tf:12``): the names before ``--``, separated by spaces or commas (a comment, unlike
    a tag value, may hold commas), each a code or a cfn-lint id."""
    names = text.split("--", 1)[0].replace(",", " ").split()
    return _of_names(names, f"comment {TAG_KEY} ({where})")


def of_tags(tags: Any) -> Tuple[Dict[str, str], List[Tuple[str, str, tuple]]]:
    """({code: reason}, [(note kind, problem, key path)]) for a distribution's tags as the
    builder read them: a mapping key -> value (the value as read: a string, Unknown, ...),
    None (no tags), or Unknown (the source cannot tell which tags there are)."""
    if tags is None:
        return {}, []
    if isinstance(tags, Unknown):
        return {}, [(NoteKind.UNKNOWN_VALUE,
                     f"the distribution's tags are not known ({tags.reason}): whether tag "
                     f"{TAG_KEY} suppresses anything cannot be told; nothing is suppressed by tag",
                     ())]
    if not isinstance(tags, Mapping):
        return {}, []
    out: Dict[str, str] = {}
    problems: List[Tuple[str, str, tuple]] = []
    for key, value in tags.items():
        if key == TAG_KEY:
            codes, said = of_tag_value(value)
            out.update(codes)
            problems.extend((kind, text, (key,)) for kind, text in said)
        elif isinstance(key, str) and key.strip().lower() == TAG_KEY:
            problems.append((NoteKind.INPUT, f"tag key {key!r} is not {TAG_KEY} (tag keys are "
                                             f"case-sensitive): it suppresses nothing", (key,)))
    return out, problems


def apply(findings: Iterable[Finding], distributions: Iterable[Distribution],
          metadata: Optional[Suppressions] = None
          ) -> Tuple[List[Finding], List[Tuple[Finding, str]], List[Note]]:
    """Every door's one call: (the findings that stand, [(suppressed finding, reason)], notes
    about the tags), from the distributions' ``cfhttps:ignore`` tags and, for a CloudFormation
    template, its resources' metadata (:func:`from_template`)."""
    tagged, notes = by_tags(distributions)
    kept, gone = split(findings, metadata or {}, tagged)
    return kept, gone, notes


def by_tags(distributions: Iterable[Distribution]) -> Tuple[TagSuppressions, List[Note]]:
    """{distribution name: {code: reason}} from the distributions' own tags (``ignore``, set by
    the builder), and notes. Variants of one distribution (CloudFormation conditions) may read
    different tag values: a code is suppressed only when every variant's tags suppress it, and
    a note says which codes the variants disagree on."""
    variants: Dict[str, List[Distribution]] = {}
    for dist in distributions:
        variants.setdefault(dist.name, []).append(dist)
    out: TagSuppressions = {}
    notes: List[Note] = []
    for name, dists in variants.items():
        common = dict(dists[0].ignore)
        named = set(common)
        for dist in dists[1:]:
            named |= set(dist.ignore)
            common = {code: why for code, why in common.items() if code in dist.ignore}
        if common:
            out[name] = common
        if named - set(common):
            notes.append(Note(NOTE_CODE, NoteKind.INPUT,
                              f"tag {TAG_KEY} differs between the variants of this distribution: "
                              f"{', '.join(sorted(named - set(common)))} not suppressed (only "
                              f"codes named in every variant are)", name, tuple(dists[0].path)))
    return out, notes
