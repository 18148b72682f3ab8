"""CloudFormation Lambda hook (``AWS::CloudFormation::LambdaHook``): ``handler(event, context)``.

Requests and answers follow "Create Lambda functions to evaluate resources for Lambda Hooks"
(CloudFormation Hooks User Guide,
https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html):

- **resource** target (*Evaluating resource operations*): ``requestData.targetName`` is the
  resource type; an ``AWS::CloudFront::Distribution`` at ``CREATE_PRE_PROVISION`` or
  ``UPDATE_PRE_PROVISION`` carries its proposed properties in
  ``requestData.targetModel.resourceProperties`` and is judged as a one-resource template. (A
  model moved behind ``requestData.payload`` is fetched, as cloudformation-cli-python-plugin's
  ``HookRequestData`` does.)
- **stack** target (*Evaluating stack operations*, ``targetName`` ``STACK``): the payload URL
  leads to ``{"template": String, "previousTemplate": String}``; ``template`` "can be a JSON or
  YAML string depending on what was provided to CloudFormation". The whole template is judged
  with :mod:`rules.sources.cloudformation`, so cross-resource facts count
  (``Fn::GetAtt Bucket.WebsiteURL``, a VPC origin resource). ``previousTemplate`` is ignored: the
  hook judges what is about to be deployed. ``DELETE_PRE_PROVISION`` (whose template "will be
  empty") is not judged.
- **change set** target (*Evaluating change set operations*, ``targetName`` ``CHANGE_SET``): the
  payload is ``{"template": String, "changedResources": [{"action", "beforeContext",
  "afterContext", "lineNumber", "logicalResourceId", "resourceType"}]}``. The template is judged
  as for a stack, and the answer keeps the distributions the change set creates or updates
  (``action`` ``CREATE``/``UPDATE``, ``resourceType`` ``AWS::CloudFront::Distribution``); the
  documented input shape for change sets has no ``actionInvocationPoint``, so a missing one is
  judged.

The payload is fetched by :mod:`.payload` (https to Amazon S3 hosts only, no redirects, a size
cap, a deadline inside the invocation's remaining time).

The answer is ``{"hookStatus", "errorCode", "message", "clientRequestToken"}``: ``FAILED`` with
``NonCompliant`` and the findings when one is at or above ``fail_on`` (default ``error``), else
``SUCCESS`` (findings below the level are still listed). What the rules could not decide (notes)
is listed as "n values could not be decided: …" and never changes the status; a distribution
that cannot be modelled at all (``DistributionConfig`` ``"x"``, null, a list) is listed as
"not evaluated: …" and does not block, as the Config rule reports it. Anything that goes wrong
inside answers ``FAILED`` with ``InternalFailure``, never an exception: the hook's own
``FailureMode`` then decides whether the operation is blocked. The message is cut at 4096
characters, where CloudFormation truncates it.

Settings come from the ``CFHTTPS_SETTINGS`` environment variable: the JSON object of the other
doors' setting names (``sensitive_paths``, ``minimum_protocol_version``, ``rules``, …) plus
``fail_on``; invalid settings are an ``InternalFailure`` naming each problem.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from typing import Any, Dict, Iterable, List, Optional, Tuple

from cfhttps_io.templates import LoadError, input_notes, load_template
from rules import engine, suppression
from rules.sources import cloudformation

from . import payload as payloads
from . import settings
from .text import hook_message

LOG = logging.getLogger("cfhttps.cfn_hook")
LOG.setLevel(logging.INFO)

RESOURCE_TYPE = "AWS::CloudFront::Distribution"
STACK, CHANGE_SET = "STACK", "CHANGE_SET"
JUDGED_POINTS = ("CREATE_PRE_PROVISION", "UPDATE_PRE_PROVISION")
CHANGED_ACTIONS = ("CREATE", "UPDATE")  # a change set's actions that leave a distribution behind
SETTINGS_ENV = "CFHTTPS_SETTINGS"


class HookInputError(ValueError):
    """The request is not what the documented shapes promise."""


def _answer(token: Any, status: str, message: str, error_code: Optional[str] = None) -> Dict[str, Any]:
    out: Dict[str, Any] = {"hookStatus": status, "message": message[:4096],
                           "clientRequestToken": token if isinstance(token, str) else ""}
    if error_code:
        out["errorCode"] = error_code
    return out


def _fetch(url: Any, context: Any) -> Any:
    return payloads.fetch_json(url, payloads.budget_seconds(context))


def _payload(request_data: Mapping, context: Any) -> Mapping:
    doc = _fetch(request_data.get("payload"), context)
    if not isinstance(doc, Mapping):
        raise HookInputError(f"payload is {type(doc).__name__}, not a JSON object")
    return doc


def _model(request_data: Mapping, context: Any) -> Mapping:
    model = request_data.get("targetModel")
    if isinstance(model, Mapping) and model:
        return model
    url = request_data.get("payload")
    if isinstance(url, str) and url:
        return _payload(request_data, context)
    raise HookInputError("requestData has neither a targetModel nor a payload URL")


def _get(node: Mapping, *names: str) -> Any:
    for name in names:
        if name in node:
            return node[name]
    return None


def parse_template(text: Any) -> Any:
    """A template from the payload: an object, JSON text or YAML text (:mod:`cfhttps_io.templates`)."""
    return read_template(text)[0]


def read_template(text: Any) -> Tuple[Any, list]:
    """(the template, the reader's notes about it — duplicate keys, as the audit reports them)."""
    try:
        data, marks = load_template(text, "template")
    except LoadError as exc:
        raise HookInputError(f"template cannot be read: {exc}") from None
    return data, input_notes(marks)


class Judgement:
    """What one template gave for the distributions the answer is about."""

    def __init__(self, findings: list, notes: list, not_evaluated: List[Tuple[str, str]],
                 judged: int, suppressed: Optional[list] = None) -> None:
        self.findings = findings
        self.notes = notes
        self.not_evaluated = not_evaluated
        self.judged = judged  # distributions modelled (variants of one count once)
        self.suppressed = suppressed or []  # [(finding, reason)]: resource metadata silenced them


def judge_template(template: Any, config, source: str,
                   only: Optional[Iterable[str]] = None, read_notes: Iterable = ()) -> Judgement:
    """Findings and notes of the template's distributions (``only``: these logical ids).

    A distribution the source could not model at all is *not evaluated* (its notes say why);
    the notes of modelled ones, and the engine's, are values that could not be decided.
    ``read_notes``: what reading the template found (duplicate keys), told like the audit does.
    Findings a resource's metadata or a distribution's ``cfhttps:ignore`` tag suppresses
    (:mod:`rules.suppression`, the audit's and the cfn-lint door's model) are set apart: they never block, and the message counts them."""
    dists, source_notes = cloudformation.distributions(template, source)
    if only is not None:
        keep = set(only)
        dists = [d for d in dists if d.name in keep]
        source_notes = [n for n in source_notes if n.resource in keep]
    result = engine.evaluate(dists, config)
    modelled = {d.name for d in dists}
    not_evaluated = [(n.resource, n.message) for n in source_notes if n.resource not in modelled]
    findings, suppressed, tag_notes = suppression.apply(result.findings, dists,
                                                        suppression.from_template(template))
    kept = [n for n in source_notes if n.resource in modelled]
    told: Dict[tuple, Any] = {}
    for note in list(read_notes) + kept + list(result.notes) + tag_notes:
        told.setdefault(note.key(), note)  # each note once, where it was first told
    return Judgement(findings, list(told.values()), not_evaluated, len(modelled), suppressed)


def _verdict(token, judgement: Judgement, fail_on: str, what: str) -> Dict[str, Any]:
    block = settings.blocking(judgement.findings, fail_on)
    message = hook_message(judgement.findings, fail_on, len(block), notes=judgement.notes,
                           not_evaluated=judgement.not_evaluated,
                           suppressed=judgement.suppressed)
    LOG.info("cfhttps: %s: %s", what, message.replace("\n", " | "))
    if block:
        return _answer(token, "FAILED", message, "NonCompliant")
    return _answer(token, "SUCCESS", message)


def handler(event: Any, context: Any = None) -> Dict[str, Any]:
    token = event.get("clientRequestToken") if isinstance(event, Mapping) else None
    try:
        return _handle(event, token, context)
    except Exception as exc:  # never raise: the hook's FailureMode decides what a failure does
        LOG.exception("cfhttps: internal failure")
        return _answer(token, "FAILED", f"cfhttps could not evaluate: {type(exc).__name__}: {exc}",
                       "InternalFailure")


def _kind(target_name: str, target_type: str) -> str:
    for kind in (RESOURCE_TYPE, STACK, CHANGE_SET):
        if kind in (target_name, target_type):
            return kind
    return ""


def _handle(event: Any, token: Any, context: Any) -> Dict[str, Any]:
    if not isinstance(event, Mapping):
        raise HookInputError(f"event is {type(event).__name__}, not an object")
    config, fail_on, problems = settings.parse(os.environ.get(SETTINGS_ENV, ""))
    if problems:
        return _answer(token, "FAILED", f"cfhttps: invalid {SETTINGS_ENV}: " + "; ".join(problems),
                       "InternalFailure")
    request_data = event.get("requestData")
    if not isinstance(request_data, Mapping):
        raise HookInputError("event has no requestData object")
    point = str(event.get("actionInvocationPoint") or "")
    target_name = str(request_data.get("targetName") or "")
    target_type = str(request_data.get("targetType") or "")
    logical_id = str(request_data.get("targetLogicalId") or "resource")
    kind = _kind(target_name, target_type)
    if not kind:
        return _answer(token, "SUCCESS", f"cfhttps: {target_name or target_type or 'this target'} "
                                         f"is not a CloudFront distribution; nothing to judge")
    if point not in JUDGED_POINTS and not (kind == CHANGE_SET and not point):
        return _answer(token, "SUCCESS", f"cfhttps: nothing to judge at {point or 'this point'}")
    if kind == RESOURCE_TYPE:
        return _resource(token, request_data, context, config, fail_on, logical_id, point)
    doc = _payload(request_data, context)
    if kind == STACK:
        return _stack(token, doc, config, fail_on, logical_id, point)
    return _change_set(token, doc, config, fail_on, logical_id, point)


def _resource(token, request_data, context, config, fail_on, logical_id, point):
    model = _model(request_data, context)
    props = _get(model, "resourceProperties", "ResourceProperties")
    if not isinstance(props, Mapping):
        raise HookInputError("targetModel has no resourceProperties object")
    template = {"Resources": {logical_id: {"Type": RESOURCE_TYPE, "Properties": props}}}
    return _verdict(token, judge_template(template, config, logical_id), fail_on,
                    f"{logical_id} ({point})")


def _template_of(doc: Mapping, what: str) -> Tuple[Any, list]:
    text = _get(doc, "template", "Template")
    if text is None:
        raise HookInputError(f"the {what} payload has no template")
    if text == "":
        raise HookInputError(f"the {what} payload has an empty template")
    return read_template(text)


def _stack(token, doc, config, fail_on, logical_id, point):
    template, read_notes = _template_of(doc, "stack")
    judgement = judge_template(template, config, logical_id, read_notes=read_notes)
    if not (judgement.judged or judgement.not_evaluated or judgement.notes):
        return _answer(token, "SUCCESS", f"cfhttps: no {RESOURCE_TYPE} in the template; "
                                         f"nothing to judge")
    return _verdict(token, judgement, fail_on, f"stack {logical_id} ({point})")


def _changed_distributions(doc: Mapping) -> List[str]:
    changes = _get(doc, "changedResources", "ChangedResources")
    if not isinstance(changes, list):
        raise HookInputError("the change set payload has no changedResources list")
    names: List[str] = []
    for change in changes:
        if not isinstance(change, Mapping):
            continue
        rtype = _get(change, "resourceType", "ResourceType")
        action = str(_get(change, "action", "Action") or "").upper()
        name = _get(change, "logicalResourceId", "LogicalResourceId")
        if rtype == RESOURCE_TYPE and action in CHANGED_ACTIONS and isinstance(name, str):
            if name not in names:
                names.append(name)
    return names


def _change_set(token, doc, config, fail_on, logical_id, point):
    names = _changed_distributions(doc)
    if not names:
        return _answer(token, "SUCCESS", f"cfhttps: the change set creates or updates no "
                                         f"{RESOURCE_TYPE}; nothing to judge")
    template, read_notes = _template_of(doc, "change set")
    judgement = judge_template(template, config, logical_id, only=names, read_notes=read_notes)
    resources, _ = cloudformation.resources_of(template)
    for name in names:
        res = resources.get(name)
        if not (isinstance(res, Mapping) and res.get("Type") == RESOURCE_TYPE):
            judgement.not_evaluated.append((name, f"the change set changes it, but its template "
                                                  f"declares no {RESOURCE_TYPE} {name}"))
    return _verdict(token, judgement, fail_on, f"change set {logical_id} ({point or 'CREATE'})")
