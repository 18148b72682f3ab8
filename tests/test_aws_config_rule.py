"""The AWS Config custom rule door: documented events in, PutEvaluations out, over real boto3
calls to moto's server (CloudFront; Config in test mode) and to a loopback recording server
(Config in real mode, which moto does not implement)."""

import json

import pytest

from cfhttps_aws import config_rule
from cloudfront_stub import CONFIG_XML, Stub, _error, _list
from test_aws_helpers import (ACCOUNT, CAPTURE_TIME, RecordingConfig, api_config, api_configs,  # noqa: F401
                              aws_env, behavior, change_event, cloudfront_client, config_shape,
                              configuration_item, create_all, custom_origin, moto_server,
                              oversized_event, scheduled_event)

pytestmark = pytest.mark.slow  # runs the Config rule against moto

# A distribution as AWS Config records it, written out by hand from the published property
# names (not generated): allow-all on /api/*, an S3 website endpoint spoken to over HTTPS.
RECORDED = {
    "callerReference": "web-2026", "comment": "", "enabled": True, "priceClass": "PriceClass_All",
    "aliases": {"quantity": 0, "items": None}, "defaultRootObject": "index.html",
    "origins": {"quantity": 2, "items": [
        {"id": "site", "domainName": "web.s3-website-us-east-1.amazonaws.com", "originPath": "",
         "customHeaders": {"quantity": 0, "items": None}, "s3OriginConfig": None,
         "customOriginConfig": {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": "https-only",
                                "originSslProtocols": {"quantity": 1, "items": ["TLSv1.2"]},
                                "originReadTimeout": 30, "originKeepaliveTimeout": 5},
         "connectionAttempts": 3, "connectionTimeout": 10, "originShield": {"enabled": False},
         "originAccessControlId": ""},
        {"id": "api", "domainName": "api.example.com", "originPath": "", "s3OriginConfig": None,
         "customOriginConfig": {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": "https-only",
                                "originSslProtocols": {"quantity": 1, "items": ["TLSv1.2"]}}}]},
    "originGroups": {"quantity": 0, "items": None},
    "defaultCacheBehavior": {"targetOriginId": "site", "viewerProtocolPolicy": "redirect-to-https",
                             "allowedMethods": {"quantity": 2, "items": ["HEAD", "GET"],
                                                "cachedMethods": {"quantity": 2, "items": ["HEAD", "GET"]}},
                             "compress": True, "cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    "cacheBehaviors": {"quantity": 1, "items": [
        {"pathPattern": "/api/*", "targetOriginId": "api", "viewerProtocolPolicy": "allow-all",
         "allowedMethods": {"quantity": 2, "items": ["HEAD", "GET"]}, "compress": True}]},
    "customErrorResponses": {"quantity": 0, "items": None},
    "viewerCertificate": {"cloudFrontDefaultCertificate": False, "iamCertificateId": None,
                          "acmCertificateArn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/1",
                          "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021",
                          "certificate": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/1",
                          "certificateSource": "acm"},
    "restrictions": {"geoRestriction": {"restrictionType": "none", "quantity": 0, "items": None}},
    "webACLId": "", "httpVersion": "http2", "isIPV6Enabled": True, "staging": False,
}
CLEAN = json.loads(json.dumps(RECORDED))
CLEAN["cacheBehaviors"]["items"][0]["viewerProtocolPolicy"] = "https-only"
CLEAN["origins"]["items"][0]["customOriginConfig"]["originProtocolPolicy"] = "http-only"


def one(result):
    assert len(result) == 1, result
    return result[0]


@pytest.fixture
def moto(aws_env, moto_server):
    aws_env("CLOUDFRONT", moto_server)
    aws_env("CONFIG_SERVICE", moto_server)
    return moto_server


# ------------------------------------------------------------------- change notifications

def test_change_notification_non_compliant_in_test_mode(moto):
    ev = one(config_rule.handler(change_event(configuration_item("E2QWRUHEXAMPLE", RECORDED))))
    assert ev["ComplianceResourceType"] == "AWS::CloudFront::Distribution"
    assert ev["ComplianceResourceId"] == "E2QWRUHEXAMPLE"
    assert ev["ComplianceType"] == "NON_COMPLIANT"
    assert ev["OrderingTimestamp"] == CAPTURE_TIME
    note = ev["Annotation"]
    assert len(note) <= 256
    assert note.startswith("CFH001 cache behaviour #1 (/api/*) has ViewerProtocolPolicy allow-all")
    assert "CFH002" in note


def test_change_notification_compliant_and_fail_on(moto):
    ev = one(config_rule.handler(change_event(configuration_item("E1", CLEAN))))
    assert ev["ComplianceType"] == "COMPLIANT"
    # what remains is a warning (plaintext leg to the website endpoint): named, not failing
    assert ev["Annotation"].startswith("CFH003 ")
    ev = one(config_rule.handler(change_event(configuration_item("E1", CLEAN),
                                              params={"fail_on": "warning"})))
    assert ev["ComplianceType"] == "NON_COMPLIANT"


def test_generated_config_shape_matches_the_api_reading(moto):
    """Every API configuration spelled as Config records it gives the API's own findings."""
    from rules import engine
    from rules.sources import aws_api, aws_config
    for i, cfg in enumerate(api_configs()):
        api_dist, _ = aws_api.distribution(f"E{i}", cfg)
        cfg_dist, notes = aws_config.distribution(f"E{i}", {"distributionConfig": config_shape(cfg)})
        want = {(f.code, f.message) for f in engine.evaluate([api_dist]).findings}
        got = {(f.code, f.message) for f in engine.evaluate([cfg_dist]).findings}
        assert got == want, (i, got ^ want)
        assert bool(want) == (i != 2)  # index 2 is the clean one
        assert notes == []


@pytest.mark.parametrize("status", ["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"])
def test_deleted_or_unrecorded_is_not_applicable(moto, status):
    ev = one(config_rule.handler(change_event(configuration_item("E9", None, status=status))))
    assert (ev["ComplianceResourceId"], ev["ComplianceType"]) == ("E9", "NOT_APPLICABLE")
    assert "Annotation" not in ev


def test_event_left_scope_and_other_types(moto):
    ev = one(config_rule.handler(change_event(configuration_item("E9", RECORDED), left_scope=True)))
    assert ev["ComplianceType"] == "NOT_APPLICABLE"
    item = configuration_item("i-0", RECORDED)
    item["resourceType"] = "AWS::EC2::Instance"
    ev = one(config_rule.handler(change_event(item)))
    assert (ev["ComplianceResourceType"], ev["ComplianceType"]) == ("AWS::EC2::Instance", "NOT_APPLICABLE")


def test_configuration_as_json_text_and_unreadable(moto):
    item = configuration_item("E7", RECORDED)
    item["configuration"] = json.dumps(item["configuration"])  # as the history APIs return it
    assert one(config_rule.handler(change_event(item)))["ComplianceType"] == "NON_COMPLIANT"
    item["configuration"] = {"id": "E7"}
    ev = one(config_rule.handler(change_event(item)))
    assert ev["ComplianceType"] == "NOT_APPLICABLE"
    assert ev["Annotation"] == "not evaluated: configuration has no distributionConfig object"


# ---------------------------------------------------------------------------- parameters

def test_parameters_as_console_strings(moto):
    params = {"sensitive_paths": '["/api/*", "/login"]', "max_states": "5000",
              "rules": '{"CFH002": {"enabled": false}}', "require_origin_https": "true"}
    ev = one(config_rule.handler(change_event(configuration_item("E3", RECORDED), params=params)))
    assert "CFH007" in ev["Annotation"] and "CFH002" not in ev["Annotation"]


def test_bad_parameters_are_reported_not_guessed(moto):
    params = {"minimum_protocol_version": "TLSv9", "fail_on": "sometimes", "sensitive_path": "/a"}
    ev = one(config_rule.handler(change_event(configuration_item("E4", CLEAN), params=params)))
    assert (ev["ComplianceResourceId"], ev["ComplianceType"]) == ("E4", "NOT_APPLICABLE")
    note = ev["Annotation"]
    assert note.startswith("not evaluated: invalid rule parameters (")
    for word in ("fail_on", "minimum_protocol_version", "sensitive_path"):
        assert word in note
    # scheduled: reported once, on the account, and no distribution is read
    ev = one(config_rule.handler(scheduled_event(params={"max_states": 0})))
    assert (ev["ComplianceResourceType"], ev["ComplianceResourceId"]) == ("AWS::::Account", ACCOUNT)
    assert "max_states" in ev["Annotation"]
    ev = one(config_rule.handler({**scheduled_event(), "ruleParameters": "{not json"}))
    assert "ruleParameters is not JSON" in ev["Annotation"]


@pytest.mark.parametrize("event", [None, [], {}, {"invokingEvent": "{", "resultToken": "t"},
                                   {"invokingEvent": "{}"},
                                   {"invokingEvent": json.dumps({"messageType": "Nope"}), "resultToken": "TESTMODE"},
                                   {"invokingEvent": json.dumps({"messageType": "ConfigurationItemChangeNotification",
                                                                 "configurationItem": None}),
                                    "resultToken": "TESTMODE"}])
def test_malformed_events_put_nothing_and_do_not_raise(moto, event):
    assert config_rule.handler(event) == []


# -------------------------------------------------------- CloudFront reads (moto, stubs)

def test_oversized_reads_get_distribution_config(moto):
    cf = cloudfront_client(moto)
    bad, good = create_all(cf, [api_configs()[0], api_configs()[2]])
    ev = one(config_rule.handler(oversized_event(bad)))
    assert (ev["ComplianceResourceId"], ev["ComplianceType"]) == (bad, "NON_COMPLIANT")
    assert ev["Annotation"].startswith("CFH001 ")
    ev = one(config_rule.handler(oversized_event("EGONE00000000")))
    assert ev["ComplianceType"] == "NOT_APPLICABLE" and ev["Annotation"] == "deleted"
    ev = one(config_rule.handler(oversized_event(good, status="ResourceDeleted")))
    assert ev["ComplianceType"] == "NOT_APPLICABLE"


def test_test_mode_is_what_moto_accepts(moto):
    """moto answers PutEvaluations only with TestMode=True: TESTMODE sends it, a real token not."""
    assert config_rule.handler(change_event(configuration_item("E1", CLEAN)))
    with pytest.raises(config_rule.PutError):
        config_rule.handler(change_event(configuration_item("E1", CLEAN), token="real-token"))


def test_scheduled_real_mode_batches_tokens_annotations(aws_env, moto_server):
    aws_env("CLOUDFRONT", moto_server)
    recorder = RecordingConfig(refuse={"NOPE"})
    aws_env("CONFIG_SERVICE", recorder.url)
    try:
        cf = cloudfront_client(moto_server)
        configs = []
        for i in range(205):  # three batches: 100, 100, 5
            base = api_configs()[i % 4]
            configs.append(dict(base, CallerReference=f"d{i}"))
        ids = create_all(cf, configs)
        token = "eyJyZXN1bHRUb2tlbiI6InJlYWwifQ=="
        put = config_rule.handler(scheduled_event(token=token))
    finally:
        recorder.close()
    batches = recorder.batches()
    assert [len(b["Evaluations"]) for b in batches] == [100, 100, 5]
    assert all(b["ResultToken"] == token and "TestMode" not in b for b in batches)
    sent = [e for b in batches for e in b["Evaluations"]]
    assert sorted(e["ComplianceResourceId"] for e in sent) == sorted(ids)
    assert [e["ComplianceResourceId"] for e in put] == [e["ComplianceResourceId"] for e in sent]
    by_id = {e["ComplianceResourceId"]: e for e in sent}
    for i, dist_id in enumerate(ids):
        ev = by_id[dist_id]
        assert len(ev.get("Annotation", "")) <= 256
        assert ev["ComplianceType"] == ("NON_COMPLIANT" if i % 4 in (0, 3) else "COMPLIANT"), i
    assert by_id[ids[0]]["Annotation"].startswith("CFH001 ") and "more" in by_id[ids[0]]["Annotation"]


class FaultyCloudFront(Stub):
    """E1 fine; E2 access denied; E3 throttled (always); E4 on the second page."""

    def respond(self, path):
        if path.endswith("/config"):
            dist_id = path.rstrip("/").split("/")[-2]
            if dist_id == "E2":
                return _error("AccessDenied", "User is not authorized to perform cloudfront:GetDistributionConfig", 403)
            if dist_id == "E3":
                return _error("Throttling", "Rate exceeded", 400)
            return 200, CONFIG_XML
        if "Marker=page2" in path:
            return _list(["E4"], "page2", None)
        return _list(["E1", "E2", "E3"], "", "page2")


def test_scheduled_faults_reported_per_distribution(aws_env, moto_server, monkeypatch):
    stub = FaultyCloudFront("faulty")
    aws_env("CLOUDFRONT", stub.url)
    aws_env("CONFIG_SERVICE", moto_server)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    try:
        put = config_rule.handler(scheduled_event())
    finally:
        stub.close()
    by_id = {e["ComplianceResourceId"]: e for e in put}
    assert set(by_id) == {"E1", "E2", "E3", "E4"}  # both pages listed
    assert by_id["E1"]["ComplianceType"] == by_id["E4"]["ComplianceType"] == "NON_COMPLIANT"
    assert by_id["E2"]["ComplianceType"] == "NOT_APPLICABLE"
    assert by_id["E2"]["Annotation"].startswith("not evaluated: AccessDenied")
    assert by_id["E3"]["ComplianceType"] == "NOT_APPLICABLE"
    assert "throttled" in by_id["E3"]["Annotation"]


def test_scheduled_listing_denied_is_reported_on_the_account(aws_env, moto_server):
    stub = Stub("denied")
    aws_env("CLOUDFRONT", stub.url)
    aws_env("CONFIG_SERVICE", moto_server)
    try:
        ev = one(config_rule.handler(scheduled_event()))
    finally:
        stub.close()
    assert (ev["ComplianceResourceType"], ev["ComplianceResourceId"]) == ("AWS::::Account", ACCOUNT)
    assert ev["Annotation"].startswith("not evaluated: listing distributions failed: AccessDenied")


def test_refused_evaluations_are_logged_not_fatal(aws_env, caplog):
    recorder = RecordingConfig(refuse={"E5"})
    aws_env("CONFIG_SERVICE", recorder.url)
    try:
        put = config_rule.handler(change_event(configuration_item("E5", CLEAN), token="tok"))
    finally:
        recorder.close()
    assert [e["ComplianceResourceId"] for e in put] == ["E5"]
    assert "refused the evaluation of E5" in caplog.text


def test_member_role_is_assumed_for_other_accounts(aws_env, moto_server, monkeypatch):
    """Organisation rule: the function (administrator account) assumes the member role."""
    aws_env("CLOUDFRONT", moto_server)
    aws_env("CONFIG_SERVICE", moto_server)
    aws_env("STS", moto_server)
    monkeypatch.setenv("CFHTTPS_MEMBER_ROLE", "cfhttps-config-evaluator")
    cf = cloudfront_client(moto_server)
    (dist_id,) = create_all(cf, [api_configs()[1]])

    class Context:
        invoked_function_arn = "arn:aws:lambda:us-east-1:999999999999:function:cfhttps"
    clients = config_rule.Clients(scheduled_event(), Context())
    creds = clients.session().get_credentials()
    assert creds.access_key != "AKIAIOSFODNN7EXAMPLE" and creds.token  # assumed-role credentials
    put = config_rule.handler(scheduled_event(), Context())
    assert [e["ComplianceResourceId"] for e in put] == [dist_id]


def test_member_role_that_cannot_be_assumed_fails_loudly(aws_env, moto_server, monkeypatch, caplog):
    """Without the member role nothing can be read or put in that account: the account is
    reported in the log and the invocation fails (Config shows it in the rule's status)."""
    from test_aws_helpers import StaticFiles
    dead = StaticFiles({})
    aws_env("CLOUDFRONT", moto_server)
    aws_env("CONFIG_SERVICE", moto_server)
    aws_env("STS", dead.url)
    monkeypatch.setenv("CFHTTPS_MEMBER_ROLE", "cfhttps-config-evaluator")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    try:
        with pytest.raises(config_rule.PutError):
            config_rule.handler(scheduled_event())
    finally:
        dead.close()
    assert f"no session for account {ACCOUNT}" in caplog.text
