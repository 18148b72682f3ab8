"""The Config rule never raises for what an event holds, and never sends what PutEvaluations
would refuse (issue 21 item 4).

PutEvaluations' limits are the ``Evaluation`` data type's (AWS Config API Reference):
ComplianceResourceType 1-256 characters, ComplianceResourceId 1-768, ComplianceType one of
COMPLIANT/NON_COMPLIANT/NOT_APPLICABLE (INSUFFICIENT_DATA is refused from PutEvaluations),
Annotation 1-256, OrderingTimestamp a timestamp; at most 100 evaluations per call. The Config
client here is a stand-in that refuses (raises) whatever breaks one of them, so a value AWS
would refuse fails the test instead of being sent; CloudFront is unreachable (every read is
"not evaluated"), so the fuzz stays in process."""

import datetime
import json

import pytest
from botocore.utils import parse_to_aware_datetime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfhttps_aws import config_rule
from cfhttps_io.cloudfront import AwsError
from test_aws_helpers import ACCOUNT, CAPTURE_TIME, change_event, configuration_item, rule_event

VALID_TYPES = ("COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE")


class StrictConfig:
    """PutEvaluations as the API reference constrains it; records what was sent."""

    def __init__(self):
        self.sent = []

    def put_evaluations(self, Evaluations, ResultToken, TestMode=False):
        assert isinstance(ResultToken, str) and ResultToken
        assert 0 < len(Evaluations) <= 100
        for ev in Evaluations:
            assert set(ev) <= {"ComplianceResourceType", "ComplianceResourceId", "ComplianceType",
                               "Annotation", "OrderingTimestamp"}, ev
            assert isinstance(ev["ComplianceResourceType"], str) and 1 <= len(ev["ComplianceResourceType"]) <= 256
            assert isinstance(ev["ComplianceResourceId"], str) and 1 <= len(ev["ComplianceResourceId"]) <= 768
            assert ev["ComplianceType"] in VALID_TYPES
            if "Annotation" in ev:
                text = ev["Annotation"]
                assert isinstance(text, str) and 1 <= len(text.encode("utf-16-le")) // 2 <= 256, text
            moment = parse_to_aware_datetime(ev["OrderingTimestamp"])  # as botocore serialises it
            assert 1970 <= moment.year <= 9999
        self.sent.extend(Evaluations)
        return {"FailedEvaluations": []}


@pytest.fixture
def strict(monkeypatch):
    client = StrictConfig()
    monkeypatch.setattr(config_rule.Clients, "config", lambda self: client)

    def no_cloudfront(self):
        raise AwsError("CloudFront is not reachable in this test")
    monkeypatch.setattr(config_rule.Clients, "cloudfront", no_cloudfront)
    return client


RECORDED = {"origins": {"quantity": 1, "items": [{"id": "o", "domainName": "b.s3.amazonaws.com",
                                                   "s3OriginConfig": {"originAccessIdentity": ""}}]},
            "defaultCacheBehavior": {"targetOriginId": "o", "viewerProtocolPolicy": "allow-all"}}


def nested(depth, leaf="x"):
    node = leaf
    for _ in range(depth):
        node = {"a": [node]}
    return node


def test_invoking_event_nested_1500_levels_does_not_raise(strict, caplog):
    deep = "[" * 1500 + "]" * 1500
    assert config_rule.handler(rule_event({}, token="t") | {"invokingEvent": deep}) == []
    # a distribution whose recorded configuration nests 1,500 levels deep: it is named, so it
    # gets an evaluation (judged on what can be read), and nothing raises
    item = configuration_item("EDEEP", dict(RECORDED, comment="__DEEP__"))
    event = change_event(item)
    text = event["invokingEvent"] if isinstance(event["invokingEvent"], str) else json.dumps(event["invokingEvent"])
    event["invokingEvent"] = text.replace('"__DEEP__"', '{"a": [' * 1500 + '"x"' + ']}' * 1500)
    (ev,) = config_rule.handler(event)
    assert ev["ComplianceResourceId"] == "EDEEP" and ev["ComplianceType"] in VALID_TYPES
    # deeper than any reader here allows: nothing in it can be known, so nothing is put; logged
    too_deep = "[" * (2 * config_rule.DEEP_JSON_LIMIT) + "]" * (2 * config_rule.DEEP_JSON_LIMIT)
    assert config_rule.handler(rule_event({}, token="t") | {"invokingEvent": too_deep}) == []
    assert "nested more than" in caplog.text
    # the same depth handed over as objects rather than text
    assert isinstance(config_rule.handler({"invokingEvent": nested(1500), "resultToken": "t"}), list)


def test_malformed_event_naming_a_distribution_is_not_evaluated(strict):
    item = configuration_item("EBROKEN", RECORDED)
    event = change_event(item)
    invoking = json.loads(event["invokingEvent"])
    invoking["messageType"] = 42  # wrong type
    event["invokingEvent"] = json.dumps(invoking)
    (ev,) = config_rule.handler(event)
    assert (ev["ComplianceResourceId"], ev["ComplianceType"]) == ("EBROKEN", "NOT_APPLICABLE")
    assert ev["Annotation"].startswith("not evaluated: unsupported messageType")
    # nothing named: nothing put
    assert config_rule.handler(rule_event({"messageType": "ConfigurationItemChangeNotification",
                                           "configurationItem": {"resourceId": 7}}, token="t")) == []
    assert strict.sent == [ev]


def test_a_timestamp_aws_would_refuse_is_never_sent(strict):
    item = configuration_item("ETIME", RECORDED)
    item["configurationItemCaptureTime"] = "yesterday at noon"
    (ev,) = config_rule.handler(change_event(item))
    assert ev["OrderingTimestamp"] == CAPTURE_TIME  # the event's notificationCreationTime
    invoking = json.loads(change_event(item)["invokingEvent"])
    invoking["notificationCreationTime"] = "0000-13-45T99:99:99Z"
    before = datetime.datetime.now(datetime.timezone.utc)
    (ev,) = config_rule.handler(rule_event(invoking, token="t"))
    sent = parse_to_aware_datetime(ev["OrderingTimestamp"])
    assert before - datetime.timedelta(seconds=5) <= sent <= datetime.datetime.now(datetime.timezone.utc)
    assert config_rule.valid_time("2016-02-16T01:05:31.436Z") == "2016-02-16T01:05:31.436Z"
    for bad in ("2016-02-30T00:00:00Z", "2016-02-16", "2016-02-16T01:05:31.436Zjunk", 1455584731, None):
        assert config_rule.valid_time(bad) is None, bad


def test_ids_and_annotations_beyond_the_limits(strict, caplog):
    item = configuration_item("E" * 769, RECORDED)  # longer than ComplianceResourceId allows
    assert config_rule.handler(change_event(item)) == []
    # an annotation of astral characters is cut to 256 UTF-16 units
    params = {"sensitive_paths": json.dumps(["/\U0001F600" * 200])}
    (ev,) = config_rule.handler(change_event(configuration_item("EEMOJI", RECORDED), params=params))
    assert len(ev["Annotation"].encode("utf-16-le")) // 2 <= 256


def test_permanent_refusals_are_logged_not_retried(monkeypatch, caplog):
    from botocore.exceptions import ClientError

    class Refusing:
        def put_evaluations(self, **kw):
            raise ClientError({"Error": {"Code": "InvalidResultTokenException", "Message": "bad"}},
                              "PutEvaluations")
    monkeypatch.setattr(config_rule.Clients, "config", lambda self: Refusing())
    assert config_rule.handler(change_event(configuration_item("E1", RECORDED), token="bad")) == []
    assert "refused 1 evaluations for good" in caplog.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)
times = st.one_of(st.just(CAPTURE_TIME), st.text(max_size=30), st.integers(), st.none(),
                  st.datetimes(timezones=st.just(datetime.timezone.utc)).map(lambda d: d.isoformat()))
items = st.fixed_dictionaries({}, optional={
    "resourceId": st.one_of(st.text(max_size=30), st.integers(), st.none(), st.just("E" * 800)),
    "resourceType": st.one_of(st.just("AWS::CloudFront::Distribution"), st.text(max_size=300), st.integers()),
    "configurationItemCaptureTime": times,
    "configurationItemStatus": st.one_of(st.sampled_from(["OK", "ResourceDeleted", "ResourceNotRecorded"]),
                                         json_values),
    "configuration": st.one_of(json_values, st.just({"distributionConfig": RECORDED}),
                               st.builds(lambda v: {"distributionConfig": dict(RECORDED, comment=v)}, json_values)),
})
invoking_events = st.fixed_dictionaries({}, optional={
    "messageType": st.one_of(st.sampled_from(["ConfigurationItemChangeNotification",
                                              "OversizedConfigurationItemChangeNotification",
                                              "ScheduledNotification"]), json_values),
    "configurationItem": st.one_of(items, json_values),
    "configurationItemSummary": st.one_of(items, json_values),
    "notificationCreationTime": times,
})
events = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={
        "invokingEvent": st.one_of(invoking_events, invoking_events.map(json.dumps), json_values,
                                   st.text(max_size=40)),
        "ruleParameters": st.one_of(json_values, st.just('{"fail_on": "warning"}'), st.text(max_size=20)),
        "resultToken": st.one_of(st.just("TESTMODE"), st.text(max_size=10), json_values),
        "eventLeftScope": json_values,
        "accountId": st.one_of(st.just(ACCOUNT), json_values),
    }))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=events)
def test_fuzz_never_raises_and_sends_only_valid_evaluations(strict, event):
    put = config_rule.handler(event)
    assert isinstance(put, list)
    for ev in put:
        assert ev["ComplianceType"] in VALID_TYPES
