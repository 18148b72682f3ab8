"""What every cfhttps cfn-lint rule shares: catalogue metadata, configuration, one evaluation.

cfn-lint asks each rule separately; the engine answers for all of them at once. The template is
modelled and evaluated once (memoised on the template object and the merged configuration) and
each rule hands on only its own findings, located at the finding's property path so line,
column, suppression and every output format work as with built-in rules.

The engine judges the template as written, not cfn-lint's transformed copy: cfn-lint's
``AWS::LanguageExtensions`` transform replaces each ``Fn::FindInMap`` by one value it picks (see
:func:`cfn_rules._run_context.template_as_written`), where ``cfhttps audit`` judges the
parameter's default and every ``AllowedValues`` branch. Findings are then located in the
template as written too, so lines are the file's.
"""

from __future__ import annotations

import difflib
from typing import Any, Dict, List, Tuple

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from rules import engine, suppression
from rules.model import Note, NoteKind
from rules.catalog import CATALOG
from rules.config import Config, from_mapping
from rules.settings import LIST, cfn_lint_definition
from rules.sources import cloudformation

from cfn_rules import _run_context

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"

_INSTANCES: Dict[str, "CatalogRule"] = {}
_CACHE: Dict[str, Any] = {"key": None, "template": None, "by_code": {}, "notes": []}


def _split(values) -> List[str]:
    """List settings: ``|`` separates items on the command line (cfn-lint splits ``-x`` on commas,
    and ``|`` is not a character CloudFront patterns or protocol names use)."""
    out: List[str] = []
    for v in values if isinstance(values, list) else [values]:
        out.extend(x.strip() for x in str(v).replace(",", "|").split("|") if x.strip())
    return out


def configuration() -> Tuple[Config, List[str]]:
    """One engine Config from every cfhttps rule's cfn-lint configuration, and what is wrong with
    that configuration (one message per unknown key or bad value, naming the rule, the key and
    what it accepts).

    cfn-lint drops unknown keys of a rule's configuration without a word, and has no channel for
    a bad value; a typo would quietly judge with the default. We report both as E9100 matches
    (cfn_rules/ConfigurationErrors.py) and the cfhttps rules do not judge until it is fixed."""
    data: Dict[str, Any] = {}
    problems: List[str] = []
    for code, rule in sorted(_INSTANCES.items()):
        definition = rule.config_definition
        for key, value in sorted(rule.given.items(), key=lambda kv: str(kv[0])):
            if key not in definition:
                problems.append(_unknown_key(rule.id, str(key), sorted(definition)))
                continue
            setting = next(s for s in CATALOG[code].settings if s.name == key)
            if _readable(value, definition[key]):
                value = rule.config.get(key, value)  # as cfn-lint typed it ("3" -> 3, "true" -> True)
            errors: List[str] = []
            parsed = setting.parse(_split(value) if setting.type == LIST else value, errors)
            problems.extend(f"{rule.id}: {e}" for e in errors)
            if parsed is not None and not errors:
                data[key] = _split(value) if setting.type == LIST else value
    config, errors = from_mapping(data)
    problems.extend(errors)  # none expected: every value was parsed above
    return config, problems


def _unknown_key(rule_id: str, key: str, accepted: List[str]) -> str:
    text = f"{rule_id}: unknown setting '{key}'"
    close = difflib.get_close_matches(key, accepted, n=1)
    if close:
        text += f" (did you mean {close[0]}?)"
    owners = sorted(r.id for c, r in _INSTANCES.items() if key in r.config_definition)
    if owners:
        text += f"; {key} is a setting of {', '.join(owners)}"
    return text + f"; {rule_id} accepts: {', '.join(accepted) or 'no settings'}"


_SAID: set = set()


def _say_once(problems: List[str]) -> None:
    """One log line per problem and process, beside the E9100 matches: still seen when E9100 is
    ignored or the output format hides it."""
    for problem in problems:
        if problem not in _SAID:
            _SAID.add(problem)
            CatalogRule.logger.error("cfhttps configuration: %s; the cfhttps rules do not run", problem)


def merged_config() -> Config:
    """One engine Config from every cfhttps rule's cfn-lint configuration (valid parts only)."""
    return configuration()[0]


def _transformed(cfn) -> bool:
    """Did cfn-lint's language-extensions transform rewrite this template?"""
    declared = getattr(cfn, "transform_pre", {}).get("Transform") or []
    return LANGUAGE_EXTENSIONS in declared


def _as_written(cfn):
    """(the template as written, a note when only cfn-lint's transformed copy could be had)."""
    if not _transformed(cfn):
        return cfn.template, None  # no transform of cfn-lint's changes what the engine reads
    original = _run_context.template_as_written(cfn)
    if original is not None:
        return original, None
    filename = getattr(cfn, "filename", None)
    if filename and filename != "-":
        try:
            from cfnlint.decode import decode
            original, errors = decode(filename)
            if original is not None and not errors:
                return original, None
        except Exception:  # unreadable now: fall through to the transformed copy, said aloud
            pass
    return cfn.template, Note(
        "input", NoteKind.INPUT,
        "judged after cfn-lint's AWS::LanguageExtensions transform (the template as written was "
        "not available): Fn::FindInMap values may differ from the deployed ones", "", ())


def _evaluation(cfn) -> Dict[str, Any]:
    """The engine's answer for this template and configuration: findings by code, and notes
    (nothing while the configuration is wrong: ``problems`` says why)."""
    config, problems = configuration()
    key = (id(cfn), config, tuple(problems))
    if _CACHE["key"] != key or _CACHE["template"] is not cfn:
        by_code: Dict[str, list] = {}
        if problems:
            _say_once(problems)
            _CACHE.update(key=key, template=cfn, by_code={}, notes=[], source=None,
                          problems=problems)
            return _CACHE
        source, source_note = _as_written(cfn)
        try:
            dists, notes = cloudformation.distributions(source, getattr(cfn, "filename", ""))
        except cloudformation.TemplateError:
            dists, notes = [], []
        if source_note is not None:
            notes = [source_note, *notes]
        # Every rule: cfn-lint itself applies --ignore-checks and friends.
        result = engine.evaluate(dists, config, codes=list(CATALOG))
        # cfn-lint applies its own Metadata (ignore_checks); the cfhttps spelling and the
        # distribution's cfhttps:ignore tag are ours to apply
        findings, _, tag_notes = suppression.apply(
            result.findings, dists, suppression.from_template(source, cfn_lint_form=False))
        for f in findings:
            by_code.setdefault(f.code, []).append(f)
        _CACHE.update(key=key, template=cfn, by_code=by_code,
                      notes=list(notes) + result.notes + tag_notes, source=source, problems=[])
    return _CACHE


def located(cfn, path, message: str) -> RuleMatch:
    """A match at ``path`` of the template the engine judged: when that is not cfn-lint's
    (transformed) copy, the line and column come from the template as written."""
    match = RuleMatch(list(path), message)
    source = _CACHE.get("source") if _CACHE.get("template") is cfn else None
    if source is not None and source is not cfn.template:
        try:
            where = cfn.get_location_yaml(source, list(path))
        except Exception:  # no marks (a template given as data): cfn-lint locates it itself
            where = None
        if where:
            match.location = tuple(where)
    return match


def findings_for(cfn, code: str):
    return _evaluation(cfn)["by_code"].get(code, [])


def problems_for(cfn) -> List[str]:
    """What is wrong with the cfhttps rules' configuration in this run (empty when nothing)."""
    return _evaluation(cfn)["problems"]


def notes_for(cfn):
    """What the engine could not decide on this template (rules.model.Note, with their kind)."""
    return _evaluation(cfn)["notes"]


def message_of(f) -> str:
    text = f.message
    if f.condition:
        text += f" (when {f.condition})"
    return text


def _readable(value: Any, definition: Dict[str, Any]) -> bool:
    if definition.get("type") != "integer":
        return True
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


class CatalogRule(CloudFormationLintRule):
    """Base: subclasses set ``code``; everything else comes from the catalogue."""

    code = ""
    given: Dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        rule = CATALOG[cls.code]
        cls.id = rule.cfn_lint_id
        cls.shortdesc = rule.title
        cls.description = rule.what
        cls.source_url = rule.url
        cls.tags = ["cfhttps", *rule.tags]

    def __init__(self) -> None:
        super().__init__()
        self.config_definition = {s.name: cfn_lint_definition(s) for s in CATALOG[self.code].settings}
        self.configure()
        _INSTANCES[self.code] = self

    def configure(self, configs=None, experimental=False):
        # What the user wrote, kept for configuration(): cfn-lint's own configure() drops unknown
        # keys and would raise on a value int() cannot read, so only the valid ones reach it.
        self.given = dict(configs) if isinstance(configs, dict) else {}
        definition = getattr(self, "config_definition", {})
        accepted = {k: v for k, v in self.given.items()
                    if k in definition and _readable(v, definition[k])}
        super().configure(accepted, experimental)
        _INSTANCES[self.code] = self

    def match(self, cfn):
        return [located(cfn, f.path, message_of(f)) for f in self.findings(cfn)]

    def findings(self, cfn):
        """This rule's findings on the template (a subclass may leave some to built-in rules)."""
        return findings_for(cfn, self.code)
