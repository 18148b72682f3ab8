"""AWS Config custom Lambda rule for ``AWS::CloudFront::Distribution``: ``handler(event, context)``.

The event is the one AWS Config documents for custom Lambda rules ("Example Events for AWS Config
Rules", AWS Config Developer Guide): ``invokingEvent`` (JSON text) with a ``messageType`` of

- ``ConfigurationItemChangeNotification``: the ``configurationItem`` is in the event, in the
  shape Config records (:mod:`rules.sources.aws_config`);
- ``OversizedConfigurationItemChangeNotification``: only a ``configurationItemSummary``; the
  configuration is read with CloudFront ``GetDistributionConfig``;
- ``ScheduledNotification``: every distribution of the account is listed (paginated) and read.

Results go to ``PutEvaluations`` in batches of at most 100 with the event's ``resultToken``; the
token ``TESTMODE`` means ``TestMode=True``. A distribution is ``NON_COMPLIANT`` when a finding is
at or above the rule parameter ``fail_on`` (default ``error``), else ``COMPLIANT``; a deleted or
out-of-scope one is ``NOT_APPLICABLE``. What cannot be judged (the configuration could not be
read: access denied, throttling past boto3's retries; or the rule parameters are invalid) is put
as ``NOT_APPLICABLE`` with an annotation starting ``not evaluated:`` (Config accepts no
``INSUFFICIENT_DATA`` from PutEvaluations) and logged at ERROR level: never guessed.

The handler returns the evaluations it put. It raises only when PutEvaluations itself fails, so
that Lambda's retry of the asynchronous invocation delivers the event again.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from collections.abc import Mapping
from typing import Any, Dict, Iterator, List, Tuple

from rules import engine
from rules.sources import aws_api, aws_config

from . import settings
from .text import annotation

LOG = logging.getLogger("cfhttps.config_rule")
LOG.setLevel(logging.INFO)

RESOURCE_TYPE = aws_config.RESOURCE_TYPE
ACCOUNT_TYPE = "AWS::::Account"
BATCH = 100  # PutEvaluations accepts at most 100 evaluations per call
TEST_TOKEN = "TESTMODE"
DELETED = ("ResourceDeleted", "ResourceDeletedNotRecorded")
NOT_RECORDED = ("ResourceNotRecorded",)
MEMBER_ROLE_ENV = "CFHTTPS_MEMBER_ROLE"  # organisation rules: role to assume in member accounts

COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"


class EventError(ValueError):
    """An event that is not an AWS Config rule invocation; nothing can be put without a token."""


class PutError(RuntimeError):
    """PutEvaluations failed: raised out of the handler so that Lambda retries the event."""


def _json_field(event: Mapping, key: str, required: bool) -> Any:
    value = event.get(key)
    if value is None or value == "":
        if required:
            raise EventError(f"event has no {key}")
        return {}
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise EventError(f"{key} is not JSON: {exc}") from None
    return value


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def evaluation(resource_type: str, resource_id: str, compliance: str, note: str,
               timestamp: str) -> Dict[str, Any]:
    ev = {"ComplianceResourceType": resource_type, "ComplianceResourceId": resource_id,
          "ComplianceType": compliance, "OrderingTimestamp": timestamp}
    if note:
        ev["Annotation"] = note[:256]
    return ev


def not_evaluated(resource_type: str, resource_id: str, reason: str, timestamp: str):
    LOG.error("cfhttps: %s %s not evaluated: %s", resource_type, resource_id, reason)
    return evaluation(resource_type, resource_id, NOT_APPLICABLE, f"not evaluated: {reason}",
                      timestamp)


def judge(dist_id: str, dist, notes, config, fail_on: str, timestamp: str) -> Dict[str, Any]:
    """The evaluation of one modelled distribution (or why it could not be modelled)."""
    if dist is None:
        reason = "; ".join(n.message for n in notes) or "unreadable distribution config"
        return not_evaluated(RESOURCE_TYPE, dist_id, reason, timestamp)
    findings = engine.evaluate([dist], config).findings
    compliance = NON_COMPLIANT if settings.blocking(findings, fail_on) else COMPLIANT
    return evaluation(RESOURCE_TYPE, dist_id, compliance, annotation(findings), timestamp)


class Sink:
    """PutEvaluations in batches of at most 100, with the event's token."""

    def __init__(self, client_factory, token: str) -> None:
        self._factory = client_factory
        self._client = None
        self.token = token
        self.test_mode = token == TEST_TOKEN
        self.pending: List[Dict[str, Any]] = []
        self.put: List[Dict[str, Any]] = []
        self.failed: List[Dict[str, Any]] = []

    def add(self, ev: Dict[str, Any]) -> None:
        self.pending.append(ev)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending[:BATCH], self.pending[BATCH:]
        kwargs: Dict[str, Any] = {"Evaluations": batch, "ResultToken": self.token}
        if self.test_mode:
            kwargs["TestMode"] = True
        try:
            if self._client is None:
                self._client = self._factory()
            resp = self._client.put_evaluations(**kwargs)
        except Exception as exc:
            raise PutError(f"PutEvaluations failed: {type(exc).__name__}: {exc}") from exc
        for failed in resp.get("FailedEvaluations") or []:
            LOG.error("cfhttps: AWS Config refused the evaluation of %s",
                      failed.get("ComplianceResourceId"))
            self.failed.append(failed)
        self.put.extend(batch)
        if self.pending:
            self.flush()


class Clients:
    """boto3 clients for CloudFront and Config, in the account the event is for.

    Single-account rules use the function's own role. An organisation rule's function runs in
    the administrator account; with ``CFHTTPS_MEMBER_ROLE`` set it assumes that role (by name)
    in the member account the event names, for the CloudFront reads and PutEvaluations."""

    def __init__(self, event: Mapping, context: Any) -> None:
        self.account = str(event.get("accountId") or "")
        self.own_account = _own_account(context)
        self._session = None

    def session(self):
        if self._session is None:
            import boto3
            role = os.environ.get(MEMBER_ROLE_ENV, "").strip()
            if role and self.account and self.account != self.own_account:
                sts = boto3.client("sts")
                partition = os.environ.get("AWS_PARTITION", "aws")
                arn = f"arn:{partition}:iam::{self.account}:role/{role}"
                creds = sts.assume_role(RoleArn=arn, RoleSessionName="cfhttps-config-rule")[
                    "Credentials"]
                self._session = boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                                              aws_secret_access_key=creds["SecretAccessKey"],
                                              aws_session_token=creds["SessionToken"])
            else:
                self._session = boto3.Session()
        return self._session

    def config(self):
        from botocore.config import Config as BotoConfig
        session = self.session()
        return session.client("config", region_name=session.region_name or "us-east-1",
                              config=BotoConfig(retries={"mode": "standard"}))

    def cloudfront(self):
        from cfhttps_cli import aws_live
        try:
            session = self.session()
        except Exception as exc:  # e.g. the member role cannot be assumed
            raise aws_live.AwsError(f"no session for account {self.account}: "
                                    f"{aws_live.describe(exc)}") from None
        return aws_live.client(session=session)


def _own_account(context: Any) -> str:
    arn = getattr(context, "invoked_function_arn", "") or ""
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""


def _scheduled(cf_factory, config, fail_on: str, timestamp: str, account: str) -> Iterator[Dict[str, Any]]:
    from cfhttps_cli import aws_live
    try:
        cf = cf_factory()
        for dist_id in aws_live.distribution_ids(cf):
            cfg, error = aws_live.read_config(cf, dist_id)
            if error == aws_live.GONE:
                yield evaluation(RESOURCE_TYPE, dist_id, NOT_APPLICABLE,
                                 "deleted while the rule ran", timestamp)
            elif error:
                yield not_evaluated(RESOURCE_TYPE, dist_id, error, timestamp)
            else:
                dist, notes = aws_api.distribution(dist_id, cfg, ("DistributionConfig",),
                                                   f"aws/{dist_id}")
                yield judge(dist_id, dist, notes, config, fail_on, timestamp)
    except aws_live.AwsError as exc:
        yield not_evaluated(ACCOUNT_TYPE, account or "unknown", str(exc), timestamp)


def _identify(record: Mapping, what: str, left_scope: bool):
    """(type, id, capture time, and the NOT_APPLICABLE answer when there is nothing to judge)
    of a configuration item or its summary: another resource type, a deleted or unrecorded
    resource, or one that left the rule's scope."""
    rtype = str(record.get("resourceType") or "")
    rid = str(record.get("resourceId") or "")
    timestamp = str(record.get("configurationItemCaptureTime") or _now())
    if not rid:
        raise EventError(f"{what} has no resourceId")
    if rtype != RESOURCE_TYPE:
        return rtype, rid, timestamp, evaluation(rtype or RESOURCE_TYPE, rid, NOT_APPLICABLE, "",
                                                 timestamp)
    if left_scope or record.get("configurationItemStatus") in DELETED + NOT_RECORDED:
        return rtype, rid, timestamp, evaluation(rtype, rid, NOT_APPLICABLE, "", timestamp)
    return rtype, rid, timestamp, None


def _oversized(summary: Mapping, cf_factory, config, fail_on: str, left_scope: bool):
    from cfhttps_cli import aws_live
    rtype, rid, timestamp, not_applicable = _identify(summary, "configurationItemSummary",
                                                      left_scope)
    if not_applicable is not None:
        return not_applicable
    try:
        cf = cf_factory()
    except aws_live.AwsError as exc:
        return not_evaluated(rtype, rid, str(exc), timestamp)
    cfg, error = aws_live.read_config(cf, rid)
    if error == aws_live.GONE:
        return evaluation(rtype, rid, NOT_APPLICABLE, "deleted", timestamp)
    if error:
        return not_evaluated(rtype, rid, error, timestamp)
    dist, notes = aws_api.distribution(rid, cfg, ("DistributionConfig",), f"aws/{rid}")
    return judge(rid, dist, notes, config, fail_on, timestamp)


def _changed(item: Mapping, config, fail_on: str, left_scope: bool):
    rtype, rid, timestamp, not_applicable = _identify(item, "configurationItem", left_scope)
    if not_applicable is not None:
        return not_applicable
    try:
        dist, notes = aws_config.distribution(rid, item.get("configuration"), f"config/{rid}")
    except aws_config.ShapeError as exc:
        return not_evaluated(rtype, rid, str(exc), timestamp)
    return judge(rid, dist, notes, config, fail_on, timestamp)


def _target(message_type: str, invoking: Mapping) -> Tuple[str, str, str]:
    """(resource type, id, timestamp) an invalid-parameter report is put on."""
    item = invoking.get("configurationItem") or invoking.get("configurationItemSummary")
    if message_type != "ScheduledNotification" and isinstance(item, Mapping) and item.get("resourceId"):
        return (str(item.get("resourceType") or RESOURCE_TYPE), str(item["resourceId"]),
                str(item.get("configurationItemCaptureTime") or _now()))
    return ACCOUNT_TYPE, "", str(invoking.get("notificationCreationTime") or _now())


def _parameter_problems(problems: List[str]) -> str:
    """Every offending name first (the annotation keeps 256 characters), then the details."""
    names = list(dict.fromkeys(p.split(":", 1)[0] for p in problems))
    return f"invalid rule parameters ({', '.join(names)}): " + "; ".join(problems)


def handler(event: Any, context: Any = None) -> List[Dict[str, Any]]:
    """Evaluate what the event names, put the evaluations, return them."""
    try:
        if not isinstance(event, Mapping):
            raise EventError(f"event is {type(event).__name__}, not an object")
        invoking = _json_field(event, "invokingEvent", required=True)
        if not isinstance(invoking, Mapping):
            raise EventError("invokingEvent is not an object")
        token = event.get("resultToken")
        if not isinstance(token, str) or not token:
            raise EventError("event has no resultToken")
        message_type = str(invoking.get("messageType") or "")
    except EventError as exc:
        LOG.error("cfhttps: not an AWS Config rule event: %s", exc)
        return []
    clients = Clients(event, context)
    sink = Sink(clients.config, token)
    left_scope = bool(event.get("eventLeftScope"))
    try:
        config, fail_on, problems = settings.parse(_json_field(event, "ruleParameters", required=False))
    except EventError as exc:
        problems = [str(exc)]
    if problems:
        rtype, rid, timestamp = _target(message_type, invoking)
        sink.add(not_evaluated(rtype, rid or str(event.get("accountId") or "unknown"),
                               _parameter_problems(problems), timestamp))
        sink.flush()
        return sink.put
    try:
        if message_type == "ConfigurationItemChangeNotification":
            item = invoking.get("configurationItem")
            if not isinstance(item, Mapping):
                raise EventError("ConfigurationItemChangeNotification without a configurationItem")
            sink.add(_changed(item, config, fail_on, left_scope))
        elif message_type == "OversizedConfigurationItemChangeNotification":
            summary = invoking.get("configurationItemSummary")
            if not isinstance(summary, Mapping):
                raise EventError("oversized notification without a configurationItemSummary")
            sink.add(_oversized(summary, clients.cloudfront, config, fail_on, left_scope))
        elif message_type == "ScheduledNotification":
            timestamp = str(invoking.get("notificationCreationTime") or _now())
            for ev in _scheduled(clients.cloudfront, config, fail_on, timestamp,
                                 str(event.get("accountId") or invoking.get("awsAccountId") or "")):
                sink.add(ev)
        else:
            raise EventError(f"unsupported messageType {message_type!r}")
    except EventError as exc:
        LOG.error("cfhttps: %s", exc)
    except PutError:
        raise
    except Exception:  # a bug must not lose the evaluations already made
        LOG.exception("cfhttps: internal error; putting the evaluations made so far")
    sink.flush()
    return sink.put
