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

VPC origins (``GetVpcOrigin``) and custom response headers policies (``GetResponseHeadersPolicy``)
are read through :mod:`cfhttps_io.account` on all three paths, as ``cfhttps audit --aws`` reads
them, so CFH003/CFH010 on VPC origins and CFH011 on custom policies are decided here too. What
a check could not decide is counted at the end of the annotation ("2 undecided: CFH011"), as are
the findings the distribution's ``cfhttps:ignore`` tag suppresses ("1 suppressed by tag: CFH001";
they never make it NON_COMPLIANT; the tags come from the configuration item, else from
``ListTagsForResource``), and
every evaluation is logged with its findings and notes (one JSON line, for CloudWatch Logs).

The handler never raises because of what an event holds: a malformed event (not JSON, nested
deeper than Python's recursion limit, wrong types, missing keys) is logged, and the distribution
it names, when one is named, is put as ``NOT_APPLICABLE`` "not evaluated: …". Nothing AWS would
refuse is sent (PutEvaluations, AWS Config API Reference; the ``Evaluation`` data type):
``ComplianceResourceType`` 1–256 and ``ComplianceResourceId`` 1–768 characters (an event naming
a resource outside these is logged, not put), ``Annotation`` 1–256 characters (cut, or left
out when empty), ``OrderingTimestamp`` a timestamp (the item's ``configurationItemCaptureTime``
when it is one, else the event's ``notificationCreationTime``, else the invocation time), at
most 100 evaluations a call. A refusal that repeating cannot change (``InvalidParameterValue``,
``InvalidResultToken``, ``ValidationException``, a client-side parameter error) is logged; the
handler raises :class:`PutError` only for failures that a retry can cure (throttling past
boto3's retries, a server error, no connection, no credentials or role), so that Lambda's retry
of the asynchronous invocation delivers the event again.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Mapping
from typing import Any, Dict, Iterator, List, Optional, Tuple

from cfhttps_io import cloudfront
from cfhttps_io.account import GONE, Account, AwsError
from rules import engine, suppression
from rules.sources import aws_config

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
# Evaluation's length constraints (AWS Config API Reference, "Evaluation")
TYPE_MAX, ID_MAX, ANNOTATION_MAX = 256, 768, 256
# Refusals that a retry of the same event cannot cure
PERMANENT = ("InvalidParameterValueException", "InvalidResultTokenException",
             "ValidationException", "InvalidParameterValue", "ParamValidationError")
# An invokingEvent nested deeper than Python's recursion limit is decoded again on a thread with
# a larger stack, up to this depth (no Config event nests beyond a few dozen levels).
DEEP_JSON_LIMIT = 20_000
DEEP_JSON_STACK = 256 * 1024 * 1024

COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE = "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"


class EventError(ValueError):
    """An event that is not (or not wholly) an AWS Config rule invocation."""


class PutError(RuntimeError):
    """PutEvaluations failed in a way a retry can cure: raised out of the handler so that
    Lambda retries the event."""


# ------------------------------------------------------------------------------ event values

def _loads_deep(text: Any) -> Any:
    """json.loads on a thread whose stack and recursion limit admit DEEP_JSON_LIMIT levels."""
    result: Dict[str, Any] = {}

    def work():
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, DEEP_JSON_LIMIT + 200))
        try:
            result["value"] = json.loads(text)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            result["error"] = exc
        finally:
            sys.setrecursionlimit(old)

    old_size = threading.stack_size()
    try:
        threading.stack_size(DEEP_JSON_STACK)
        worker = threading.Thread(target=work, name="cfhttps-deep-json")
    finally:
        threading.stack_size(old_size)
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _loads(text: Any) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        pass
    try:
        return _loads_deep(text)
    except RecursionError:
        raise EventError(f"nested more than {DEEP_JSON_LIMIT} levels deep") from None


def _json_field(event: Mapping, key: str, required: bool) -> Any:
    value = event.get(key)
    if value is None or value == "":
        if required:
            raise EventError(f"event has no {key}")
        return {}
    if isinstance(value, (str, bytes, bytearray)):
        try:
            value = _loads(value)
        except EventError as exc:
            raise EventError(f"{key} is {exc}") from None
        except (ValueError, TypeError) as exc:
            raise EventError(f"{key} is not JSON: {_short(exc)}") from None
    return value


def _short(exc: Exception, limit: int = 120) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})?\Z")


def valid_time(value: Any) -> Optional[str]:
    """``value`` when it is an ISO 8601 date-time PutEvaluations takes as a timestamp, else None
    (Config writes ``2016-02-16T01:05:31.436Z``; anything else is not trusted)."""
    if not isinstance(value, str) or not _ISO.match(value):
        return None
    text = value[:-1] + "+00:00" if value[-1] in "Zz" else value
    main, _, rest = text.partition(".")
    tz = ""
    if rest:
        digits = re.match(r"\d+", rest).group()
        tz = rest[len(digits):]
        text = f"{main}.{digits[:6].ljust(6, '0')}{tz}"
    try:
        moment = datetime.datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        utc = moment.astimezone(datetime.timezone.utc)
    except (ValueError, OverflowError):
        return None
    return value if 1970 <= utc.year <= 9998 else None


def _resource_id(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and 0 < len(value) <= ID_MAX else None


def _resource_type(value: Any) -> str:
    return value if isinstance(value, str) and 0 < len(value) <= TYPE_MAX else ""


def _clip(text: str, limit: int = ANNOTATION_MAX) -> str:
    """At most ``limit`` characters, counted as UTF-16 code units (as AWS's Java-side
    validation counts them), never half a surrogate pair."""
    if len(text) <= limit and len(text.encode("utf-16-le")) <= 2 * limit:
        return text
    out, units = [], 0
    for ch in text:
        n = 2 if ord(ch) > 0xFFFF else 1
        if units + n > limit - 1:
            break
        out.append(ch)
        units += n
    return "".join(out) + "…"


# ------------------------------------------------------------------------------- evaluations

def evaluation(resource_type: str, resource_id: str, compliance: str, note: str,
               timestamp: str) -> Dict[str, Any]:
    ev = {"ComplianceResourceType": resource_type, "ComplianceResourceId": resource_id,
          "ComplianceType": compliance, "OrderingTimestamp": timestamp}
    note = _clip(" ".join(str(note).split())) if note else ""
    if note:
        ev["Annotation"] = note
    return ev


def not_evaluated(resource_type: str, resource_id: str, reason: str, timestamp: str):
    LOG.error("cfhttps: %s %s not evaluated: %s", resource_type, resource_id, reason)
    return evaluation(resource_type, resource_id, NOT_APPLICABLE, f"not evaluated: {reason}",
                      timestamp)


def undecided(notes) -> str:
    """"2 undecided: CFH003, CFH011" — what the engine could not decide, by rule."""
    codes = sorted({n.code for n in notes})
    return f"{len(notes)} undecided: {', '.join(codes)}" if notes else ""


def silenced(suppressed) -> str:
    """"1 suppressed by tag: CFH001" — findings the distribution's cfhttps:ignore tag silenced
    (they never make it NON_COMPLIANT, but the annotation says they exist)."""
    codes = sorted({f.code for f, _ in suppressed})
    return f"{len(suppressed)} suppressed by tag: {', '.join(codes)}" if suppressed else ""


def explain(findings, notes, suppressed=()) -> str:
    """The annotation: the findings as :func:`~cfhttps_aws.text.annotation` writes them, and
    the counts of suppressed findings and undecided values at the end when there are any."""
    tail = "; ".join(t for t in (silenced(list(suppressed)), undecided(notes)) if t)
    if not tail:
        return annotation(findings)
    tail = _clip(tail, 80)
    head = annotation(findings, ANNOTATION_MAX - len(tail) - 2)
    return f"{head}; {tail}" if head else tail


def judge(dist_id: str, dist, notes, config, fail_on: str, timestamp: str) -> Dict[str, Any]:
    """The evaluation of one modelled distribution (or why it could not be modelled)."""
    if dist is None:
        reason = "; ".join(n.message for n in notes) or "unreadable distribution config"
        return not_evaluated(RESOURCE_TYPE, dist_id, reason, timestamp)
    result = engine.evaluate([dist], config)
    findings, suppressed, tag_notes = suppression.apply(result.findings, [dist])
    notes = list({n.key(): n for n in list(notes) + list(result.notes) + tag_notes}.values())
    compliance = NON_COMPLIANT if settings.blocking(findings, fail_on) else COMPLIANT
    LOG.info("cfhttps: evaluated %s", json.dumps({
        "resource": dist_id, "compliance": compliance,
        "findings": [[f.code, f.severity, f.message] for f in findings],
        "suppressed": [[f.code, f.severity, f.message, why] for f, why in suppressed],
        "notes": [[n.code, n.kind, n.message] for n in notes]}, sort_keys=True))
    return evaluation(RESOURCE_TYPE, dist_id, compliance, explain(findings, notes, suppressed),
                      timestamp)


def _permanent(exc: Exception) -> bool:
    if type(exc).__name__ == "ParamValidationError":
        return True
    code = (getattr(exc, "response", None) or {}).get("Error", {}).get("Code", "")
    return code in PERMANENT


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
        self.named = set()  # (type, id) already evaluated

    def add(self, ev: Dict[str, Any]) -> None:
        if not (_resource_type(ev.get("ComplianceResourceType"))
                and _resource_id(ev.get("ComplianceResourceId"))):
            LOG.error("cfhttps: an evaluation without a valid resource type and id was not put")
            return
        if not valid_time(ev.get("OrderingTimestamp")):
            ev["OrderingTimestamp"] = _now()
        self.named.add((ev["ComplianceResourceType"], ev["ComplianceResourceId"]))
        self.pending.append(ev)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        while self.pending:
            batch, self.pending = self.pending[:BATCH], self.pending[BATCH:]
            kwargs: Dict[str, Any] = {"Evaluations": batch, "ResultToken": self.token}
            if self.test_mode:
                kwargs["TestMode"] = True
            try:
                if self._client is None:
                    self._client = self._factory()
                resp = self._client.put_evaluations(**kwargs)
            except Exception as exc:
                if _permanent(exc):
                    LOG.error("cfhttps: AWS Config refused %d evaluations for good: %s: %s",
                              len(batch), type(exc).__name__, _short(exc, 300))
                    self.failed.extend(batch)
                    continue
                raise PutError(f"PutEvaluations failed: {type(exc).__name__}: {exc}") from exc
            for failed in (resp.get("FailedEvaluations") if isinstance(resp, Mapping) else None) or []:
                LOG.error("cfhttps: AWS Config refused the evaluation of %s",
                          failed.get("ComplianceResourceId") if isinstance(failed, Mapping) else "?")
                self.failed.append(failed)
            self.put.extend(batch)


class Clients:
    """boto3 clients for CloudFront and Config, in the account the event is for.

    Single-account rules use the function's own role. An organisation rule's function runs in
    the administrator account; with ``CFHTTPS_MEMBER_ROLE`` set it assumes that role (by name)
    in the member account the event names, for the CloudFront reads and PutEvaluations."""

    def __init__(self, event: Mapping, context: Any) -> None:
        account = event.get("accountId")
        self.account = account if isinstance(account, str) and account.isdigit() else ""
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
        try:
            session = self.session()
        except Exception as exc:  # e.g. the member role cannot be assumed
            raise AwsError(f"no session for account {self.account}: "
                           f"{cloudfront.describe(exc)}") from None
        return cloudfront.client(session=session)


def _own_account(context: Any) -> str:
    arn = getattr(context, "invoked_function_arn", "") or ""
    parts = arn.split(":") if isinstance(arn, str) else []
    return parts[4] if len(parts) > 4 else ""


# ------------------------------------------------------------------------------------ paths

def _scheduled(account: Account, config, fail_on: str, timestamp: str,
               account_id: str) -> Iterator[Dict[str, Any]]:
    try:
        for read in account.walk("aws"):
            if read.error == GONE:
                yield evaluation(RESOURCE_TYPE, read.dist_id, NOT_APPLICABLE,
                                 "deleted while the rule ran", timestamp)
            elif read.error:
                yield not_evaluated(RESOURCE_TYPE, read.dist_id, read.error, timestamp)
            else:
                yield judge(read.dist_id, read.distribution, read.notes, config, fail_on,
                            timestamp)
    except AwsError as exc:
        yield not_evaluated(ACCOUNT_TYPE, account_id or "unknown", str(exc), timestamp)


def _identify(record: Mapping, what: str, left_scope: bool, fallback: str):
    """(type, id, timestamp, and the NOT_APPLICABLE answer when there is nothing to judge) of
    a configuration item or its summary: another resource type, a deleted or unrecorded
    resource, or one that left the rule's scope."""
    rid = _resource_id(record.get("resourceId"))
    if rid is None:
        raise EventError(f"{what} has no valid resourceId")
    rtype = _resource_type(record.get("resourceType"))
    timestamp = valid_time(record.get("configurationItemCaptureTime")) or fallback
    if rtype != RESOURCE_TYPE:
        return rtype, rid, timestamp, evaluation(rtype or RESOURCE_TYPE, rid, NOT_APPLICABLE, "",
                                                 timestamp)
    if left_scope or record.get("configurationItemStatus") in DELETED + NOT_RECORDED:
        return rtype, rid, timestamp, evaluation(rtype, rid, NOT_APPLICABLE, "", timestamp)
    return rtype, rid, timestamp, None


def _oversized(summary: Mapping, account: Account, config, fail_on: str, left_scope: bool,
               fallback: str):
    rtype, rid, timestamp, not_applicable = _identify(summary, "configurationItemSummary",
                                                      left_scope, fallback)
    if not_applicable is not None:
        return not_applicable
    arn = summary.get("ARN")  # what ListTagsForResource needs; the summary carries it
    read = account.read(rid, f"aws/{rid}", arn if isinstance(arn, str) else None)
    if read.error == GONE:
        return evaluation(rtype, rid, NOT_APPLICABLE, "deleted", timestamp)
    if read.error:
        return not_evaluated(rtype, rid, read.error, timestamp)
    return judge(rid, read.distribution, read.notes, config, fail_on, timestamp)


def _changed(item: Mapping, account: Account, config, fail_on: str, left_scope: bool,
             fallback: str):
    rtype, rid, timestamp, not_applicable = _identify(item, "configurationItem", left_scope,
                                                      fallback)
    if not_applicable is not None:
        return not_applicable
    try:
        recorded = aws_config.distribution_config(item.get("configuration"))
    except aws_config.ShapeError as exc:
        return not_evaluated(rtype, rid, str(exc), timestamp)
    # The item records the distribution's tags itself: no ListTagsForResource call.
    dist, notes = account.model(rid, recorded, aws_config.PATH, f"config/{rid}",
                                tags=aws_config.item_tags(item))
    return judge(rid, dist, notes, config, fail_on, timestamp)


def named(message_type: str, invoking: Mapping, fallback: str) -> Tuple[str, str, str]:
    """(resource type, id, timestamp) the event names, ("", "", …) when it names none: where
    an evaluation that could not be made is put."""
    item = invoking.get("configurationItem")
    if not isinstance(item, Mapping):
        item = invoking.get("configurationItemSummary")
    if message_type != "ScheduledNotification" and isinstance(item, Mapping):
        rid = _resource_id(item.get("resourceId"))
        if rid:
            return (_resource_type(item.get("resourceType")) or RESOURCE_TYPE, rid,
                    valid_time(item.get("configurationItemCaptureTime")) or fallback)
    return "", "", fallback


def _parameter_problems(problems: List[str]) -> str:
    """Every offending name first (the annotation keeps 256 characters), then the details."""
    names = list(dict.fromkeys(p.split(":", 1)[0] for p in problems))
    return f"invalid rule parameters ({', '.join(names)}): " + "; ".join(problems)


# ---------------------------------------------------------------------------------- handler

def handler(event: Any, context: Any = None) -> List[Dict[str, Any]]:
    """Evaluate what the event names, put the evaluations, return them. Raises only
    :class:`PutError` (a failure a retry can cure), never for what the event holds."""
    try:
        return _handle(event, context)
    except PutError:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence; logged, never raised
        LOG.error("cfhttps: event not handled: %s", type(exc).__name__)
        return []


def _handle(event: Any, context: Any) -> List[Dict[str, Any]]:
    now = _now()
    try:
        if not isinstance(event, Mapping):
            raise EventError(f"event is {type(event).__name__}, not an object")
        invoking = _json_field(event, "invokingEvent", required=True)
        if not isinstance(invoking, Mapping):
            raise EventError("invokingEvent is not an object")
        token = event.get("resultToken")
        if not isinstance(token, str) or not token:
            raise EventError("event has no resultToken")
    except EventError as exc:
        LOG.error("cfhttps: not an AWS Config rule event: %s", exc)
        return []
    message_type = invoking.get("messageType")
    message_type = message_type if isinstance(message_type, str) else ""
    fallback = valid_time(invoking.get("notificationCreationTime")) or now
    rtype, rid, timestamp = named(message_type, invoking, fallback)
    account_id = event.get("accountId")
    account_id = account_id if isinstance(account_id, str) and account_id.isdigit() else ""
    clients = Clients(event, context)
    sink = Sink(clients.config, token)
    left_scope = event.get("eventLeftScope") in (True, "true", "True")
    try:
        config, fail_on, problems = settings.parse(_json_field(event, "ruleParameters",
                                                               required=False))
    except EventError as exc:
        problems = [str(exc)]
    if problems:
        if message_type == "ScheduledNotification" or not rid:
            rtype, rid = ACCOUNT_TYPE, account_id or "unknown"
        sink.add(not_evaluated(rtype, rid, _parameter_problems(problems), timestamp))
        sink.flush()
        return sink.put
    account = Account(clients.cloudfront, config)
    try:
        if message_type == "ConfigurationItemChangeNotification":
            item = invoking.get("configurationItem")
            if not isinstance(item, Mapping):
                raise EventError("ConfigurationItemChangeNotification without a configurationItem")
            sink.add(_changed(item, account, config, fail_on, left_scope, fallback))
        elif message_type == "OversizedConfigurationItemChangeNotification":
            summary = invoking.get("configurationItemSummary")
            if not isinstance(summary, Mapping):
                raise EventError("oversized notification without a configurationItemSummary")
            sink.add(_oversized(summary, account, config, fail_on, left_scope, fallback))
        elif message_type == "ScheduledNotification":
            for ev in _scheduled(account, config, fail_on, fallback, account_id):
                sink.add(ev)
        else:
            raise EventError(f"unsupported messageType {message_type[:64]!r}")
    except EventError as exc:
        _not_evaluated_named(sink, rtype, rid, timestamp, str(exc))
    except PutError:
        raise
    except Exception as exc:  # a bug or a hostile value: keep what was made, say what was not
        LOG.exception("cfhttps: internal error; putting the evaluations made so far")
        _not_evaluated_named(sink, rtype, rid, timestamp, f"internal error ({type(exc).__name__})")
    sink.flush()
    return sink.put


def _not_evaluated_named(sink: Sink, rtype: str, rid: str, timestamp: str, reason: str) -> None:
    if rid and (rtype, rid) not in sink.named:
        sink.add(not_evaluated(rtype, rid, reason, timestamp))
    else:
        LOG.error("cfhttps: %s", reason)
