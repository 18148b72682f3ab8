"""I9100: what cfhttps could not decide on a template, as informational matches.

The engine never guesses: an unknown deciding value (``Fn::ImportValue``, a parameter without a
default), a path-pattern question whose work allowance ran out, part of the input it had to skip
— each becomes a note. ``cfhttps audit`` lists them (``--verbose``, JSON ``notes[]``); this rule
shows them to cfn-lint users. Each match sits at the note's property path and reads
``<kind> (<rule>): <message>``, the kind being one of rules.model.NoteKind (unknown-value,
undecided, internal-error, input). Notes of cfhttps rules this run does not enable are left out.
cfn-lint runs informational rules only when asked: ``--include-checks I9100`` (or ``I``).
"""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule

from cfn_rules import _run_context, _shared
from rules.catalog import CATALOG

NOTE_RULE_ID = "I9100"


def note_message(note) -> str:
    text = f"{note.kind} ({note.code}): {note.message}"
    if note.condition:
        text += f" (when {note.condition})"
    return text


class EngineNotes(CloudFormationLintRule):
    id = NOTE_RULE_ID
    shortdesc = "What cfhttps could not decide"
    description = ("A cfhttps rule could not decide something on this template (an unknown "
                   "value, an undecided path-pattern question, skipped input); the match says "
                   "which rule, what kind of note and why. Informational: nothing is wrong yet.")
    source_url = "https://github.com/cfhttps/cfhttps/blob/main/docs/cfn-lint.md#what-was-not-decided-i9100"
    tags = ["cfhttps", "cloudfront", "notes"]

    def match(self, cfn):
        enabled, _config = _run_context.enabled_rules()
        matches = []
        seen = set()
        for note in _shared.notes_for(cfn):
            rule = CATALOG.get(note.code)
            if rule is not None and enabled is not None and rule.cfn_lint_id not in enabled:
                continue  # the user turned that rule off: its doubts are not news
            path = list(note.path) or (["Resources", note.resource] if note.resource
                                       else ["Resources"])
            message = note_message(note)
            if (tuple(map(str, path)), message) in seen:
                continue
            seen.add((tuple(map(str, path)), message))
            matches.append(_shared.located(cfn, path, message))
        return matches
