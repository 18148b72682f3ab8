"""What a cfhttps rule may know about the cfn-lint run it is part of.

cfn-lint gives a rule the template only: no view of the configuration nor of which other rules
run. Two of our rules need that view:

- E9108 leaves a bad ``TargetOriginId`` on the *default* behaviour to cfn-lint's built-in E3057
  (which checks exactly that, and nothing else) while E3057 runs, so users see one match, not two;
  when E3057 is ignored, not included, or suppressed on the resource, E9108 reports it again;
- I9100 shows the notes of the rules that run, not of the ones the user turned off.

cfn-lint (1.x) decides the enabled rules once per template in ``Rules.run`` and passes that set
(``enabled_rule_ids``) and its ``config`` down to ``Rules.run_check``, which calls the rule: we
read them from those calling frames. A cfn-lint that calls rules another way yields ``None``, and
the callers then fall back to the safe side (E9108 reports everything: a duplicate rather than a
miss; I9100 shows every note).
"""

from __future__ import annotations

import sys
from typing import Any, Optional, Set, Tuple

_MAX_DEPTH = 16


def enabled_rules() -> Tuple[Optional[Set[str]], Any]:
    """(the rule ids cfn-lint enabled for this template, its config), or (None, None)."""
    frame = sys._getframe(1)
    for _ in range(_MAX_DEPTH):
        if frame is None:
            break
        ids = frame.f_locals.get("enabled_rule_ids")
        if isinstance(ids, set) and ids and all(isinstance(i, str) for i in ids):
            return ids, frame.f_locals.get("config")
        frame = frame.f_back
    return None, None


def rule_runs_on(rule_id: str, resource: str, cfn, enabled: Optional[Set[str]], config) -> bool:
    """Would a match of ``rule_id`` on ``resource`` reach the user in this run?

    Enabled for the run, and not suppressed by the resource's
    ``Metadata: cfn-lint: config: ignore_checks`` (which cfn-lint matches by exact id, unless
    the rule is mandatory)."""
    if enabled is None or rule_id not in enabled:
        return False
    try:
        directives = cfn.get_directives()
    except Exception:  # a template cfn-lint itself could not read: nothing is suppressed
        directives = {}
    if resource in directives.get(rule_id, []):
        mandatory = getattr(config, "mandatory_checks", None) or []
        return any(rule_id.startswith(m) for m in mandatory if m)
    return True


def reported_by_e3057(template: Any, path) -> bool:
    """Does cfn-lint's E3057 judge the ``TargetOriginId`` at ``path``?

    E3057 checks ``DistributionConfig.DefaultCacheBehavior.TargetOriginId`` when the value as
    written is a string (an ``Fn::If`` branch included) and every origin and origin-group ``Id``
    is one; it does not resolve ``Ref`` or other functions. Anything else stays with E9108.
    """
    path = list(path)
    if "DefaultCacheBehavior" not in path:
        return False
    at = path.index("DefaultCacheBehavior")
    if at < 1 or path[at - 1] != "DistributionConfig" or path[at + 1:at + 2] != ["TargetOriginId"]:
        return False
    config = _walk(template, path[:at])
    if not isinstance(config, dict) or not isinstance(_walk(template, path), str):
        return False
    origins = config.get("Origins")
    if not isinstance(origins, list) or not all(
            isinstance(o, dict) and isinstance(o.get("Id"), str) for o in origins):
        return False
    groups = config.get("OriginGroups")
    if groups is not None:
        items = groups.get("Items") if isinstance(groups, dict) else None
        if not isinstance(items, list) or not all(
                isinstance(g, dict) and isinstance(g.get("Id"), str) for g in items):
            return False
    return True


def _walk(doc: Any, path) -> Any:
    for key in path:
        if isinstance(doc, dict) and key in doc:
            doc = doc[key]
        elif isinstance(doc, list) and isinstance(key, int) and 0 <= key < len(doc):
            doc = doc[key]
        else:
            return None
    return doc


def template_as_written(cfn) -> Optional[Any]:
    """The template cfn-lint decoded, before its transforms replaced ``cfn.template``, or None.

    cfn-lint's ``AWS::LanguageExtensions`` transform resolves each ``Fn::FindInMap`` to one value
    of its own choosing (with a ``Ref`` to a parameter as key it takes the last mapping entry that
    has the second-level key, not the parameter's default) and expands ``Fn::ForEach``; the
    engine must judge what CloudFormation deploys — the default and every ``AllowedValues``
    branch —, so it reads the template as written. cfn-lint 1.x builds the ``Template`` in
    ``runner.template.runner._run_template(filename, template, ...)`` and the transform deep-copies
    rather than edits (``_language_extensions._Transform._walk``), so that frame's ``template``
    is the decoded document, untouched. We accept it only beside the very ``cfn`` being linted.
    """
    frame = sys._getframe(1)
    for _ in range(_MAX_DEPTH * 2):
        if frame is None:
            break
        local = frame.f_locals
        if local.get("cfn") is cfn and isinstance(local.get("template"), dict) \
                and frame.f_code.co_name == "_run_template":
            return local["template"]
        frame = frame.f_back
    return None
