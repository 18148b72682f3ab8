"""CloudFormation Lambda hook (``AWS::CloudFormation::LambdaHook``): ``handler(event, context)``.

Request and response follow "Create Lambda functions to evaluate resources for Lambda Hooks"
(CloudFormation Hooks User Guide):

- a **resource** target (``requestData.targetName`` ``AWS::CloudFront::Distribution``) at
  ``CREATE_PRE_PROVISION``/``UPDATE_PRE_PROVISION`` carries the resource's properties in
  ``requestData.targetModel.resourceProperties``; they are judged as a one-resource template;
- a **stack** target (``targetName``/``targetType`` ``STACK``; also ``CHANGE_SET``) carries no
  model but ``requestData.payload``, a presigned S3 URL to a JSON document whose ``template``
  holds the template being deployed (the hooks Python library reads the same field the same
  way: cloudformation-cli-python-plugin, ``HookRequestData.payload``). The whole template is
  judged with :mod:`rules.sources.cloudformation`, so cross-resource facts count
  (``Fn::GetAtt Bucket.WebsiteURL``, a VPC origin resource). A resource target whose model was
  moved to ``payload`` the same way is read from there too.

The answer is ``{"hookStatus", "errorCode", "message", "clientRequestToken"}``: ``FAILED`` with
``NonCompliant`` and the findings when one is at or above ``fail_on`` (default ``error``), else
``SUCCESS`` (findings below the level are still listed in the message). Anything that goes wrong
inside answers ``FAILED`` with ``InternalFailure``, never an exception: the hook's own
``FailureMode`` then decides whether the operation is blocked.

Settings come from the ``CFHTTPS_SETTINGS`` environment variable: the JSON object of the other
doors' setting names (``sensitive_paths``, ``minimum_protocol_version``, ``rules``, …) plus
``fail_on``; invalid settings are an ``InternalFailure`` naming each problem.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any, Dict, Optional

from cfhttps_io.templates import LoadError, load_template
from rules import engine
from rules.sources import cloudformation

from . import settings
from .text import hook_message

LOG = logging.getLogger("cfhttps.cfn_hook")
LOG.setLevel(logging.INFO)

RESOURCE_TYPE = "AWS::CloudFront::Distribution"
TEMPLATE_TARGETS = ("STACK", "CHANGE_SET")
JUDGED_POINTS = ("CREATE_PRE_PROVISION", "UPDATE_PRE_PROVISION")
SETTINGS_ENV = "CFHTTPS_SETTINGS"
PAYLOAD_TIMEOUT = 10          # seconds; the hook waits at most 30 for the whole answer
PAYLOAD_MAX_BYTES = 20 * 1024 * 1024


class HookInputError(ValueError):
    """The request is not what the documented shapes promise."""


def _answer(token: Any, status: str, message: str, error_code: Optional[str] = None) -> Dict[str, Any]:
    out: Dict[str, Any] = {"hookStatus": status, "message": message[:4096],
                           "clientRequestToken": token if isinstance(token, str) else ""}
    if error_code:
        out["errorCode"] = error_code
    return out


def fetch_payload(url: str) -> Any:
    """The JSON document behind a presigned URL (standard library only)."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("https", "http"):
        raise HookInputError(f"payload is not an http(s) URL (scheme {scheme!r})")
    with urllib.request.urlopen(url, timeout=PAYLOAD_TIMEOUT) as resp:  # noqa: S310 (checked)
        data = resp.read(PAYLOAD_MAX_BYTES + 1)
    if len(data) > PAYLOAD_MAX_BYTES:
        raise HookInputError(f"payload is larger than {PAYLOAD_MAX_BYTES} bytes")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise HookInputError(f"payload is not JSON: {exc}") from None


def _model(request_data: Mapping) -> Mapping:
    model = request_data.get("targetModel")
    if isinstance(model, Mapping) and model:
        return model
    url = request_data.get("payload")
    if isinstance(url, str) and url:
        model = fetch_payload(url)
        if not isinstance(model, Mapping):
            raise HookInputError("payload is not a JSON object")
        return model
    raise HookInputError("requestData has neither a targetModel nor a payload URL")


def _get(node: Mapping, *names: str) -> Any:
    for name in names:
        if name in node:
            return node[name]
    return None


def parse_template(text: Any) -> Any:
    """A template from the payload: an object, JSON text or YAML text (:mod:`cfhttps_io.templates`)."""
    try:
        return load_template(text, "template")[0]
    except LoadError as exc:
        raise HookInputError(f"template cannot be read: {exc}") from None


def _verdict(token, findings, fail_on: str, what: str) -> Dict[str, Any]:
    block = settings.blocking(findings, fail_on)
    message = hook_message(findings, fail_on, len(block))
    LOG.info("cfhttps: %s: %s", what, message.replace("\n", " | "))
    if block:
        return _answer(token, "FAILED", message, "NonCompliant")
    return _answer(token, "SUCCESS", message)


def judge_template(template: Any, config, source: str):
    dists, _notes = cloudformation.distributions(template, source)
    return engine.evaluate(dists, config).findings


def handler(event: Any, context: Any = None) -> Dict[str, Any]:
    token = event.get("clientRequestToken") if isinstance(event, Mapping) else None
    try:
        return _handle(event, token)
    except Exception as exc:  # never raise: the hook's FailureMode decides what a failure does
        LOG.exception("cfhttps: internal failure")
        return _answer(token, "FAILED", f"cfhttps could not evaluate: {type(exc).__name__}: {exc}",
                       "InternalFailure")


def _handle(event: Any, token: Any) -> Dict[str, Any]:
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
    if point not in JUDGED_POINTS:
        return _answer(token, "SUCCESS", f"cfhttps: nothing to judge at {point or 'this point'}")
    if RESOURCE_TYPE in (target_name, target_type):
        model = _model(request_data)
        props = _get(model, "resourceProperties", "ResourceProperties")
        if not isinstance(props, Mapping):
            raise HookInputError("targetModel has no resourceProperties object")
        template = {"Resources": {logical_id: {"Type": RESOURCE_TYPE, "Properties": props}}}
        findings = judge_template(template, config, logical_id)
        return _verdict(token, findings, fail_on, f"{logical_id} ({point})")
    if target_name in TEMPLATE_TARGETS or target_type in TEMPLATE_TARGETS:
        model = _model(request_data)
        text = _get(model, "template", "Template")
        if text is None:
            raise HookInputError("the stack payload has no template")
        template = parse_template(text)
        findings = judge_template(template, config, logical_id)
        return _verdict(token, findings, fail_on, f"stack {logical_id} ({point})")
    return _answer(token, "SUCCESS", f"cfhttps: {target_name or target_type or 'this target'} "
                                     f"is not a CloudFront distribution; nothing to judge")
