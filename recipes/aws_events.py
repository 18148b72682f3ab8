"""The events AWS sends the two Lambda handlers, built from the shapes AWS documents (no captured
events are copied):

- AWS Config rule events: "Example Events for AWS Config Rules" (AWS Config Developer Guide):
  ``invokingEvent`` is JSON text holding ``configurationItem`` (change), ``configurationItemSummary``
  (oversized) or ``notificationCreationTime`` (scheduled), beside ``ruleParameters`` (JSON text),
  ``resultToken``, ``eventLeftScope``, ``accountId``.
- Lambda hook requests: "Create Lambda functions to evaluate resources for Lambda Hooks"
  (CloudFormation Hooks User Guide); stack targets carry ``requestData.payload``, a presigned URL
  (as cloudformation-cli-python-plugin's ``HookRequestData`` reads it).

The credentials are AWS's documented example key pair: nothing here reaches AWS."""

import json

ACCOUNT = "123456789012"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CREDS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": SECRET,
         "AWS_DEFAULT_REGION": "us-east-1"}
CAPTURE_TIME = "2026-11-30T10:15:02.123Z"



def rule_event(invoking, params=None, token="TESTMODE", left_scope=False):
    return {"invokingEvent": json.dumps(invoking),
            "ruleParameters": json.dumps(params if params is not None else {}),
            "resultToken": token, "eventLeftScope": left_scope,
            "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/config-role",
            "configRuleArn": f"arn:aws:config:us-east-1:{ACCOUNT}:config-rule/config-rule-0123456",
            "configRuleName": "cfhttps-cloudfront-https", "configRuleId": "config-rule-0123456",
            "accountId": ACCOUNT, "version": "1.0"}


def scheduled_event(**kw):
    return rule_event({"awsAccountId": ACCOUNT, "notificationCreationTime": CAPTURE_TIME,
                       "messageType": "ScheduledNotification", "recordVersion": "1.0"}, **kw)


def hook_event(request_data, point="CREATE_PRE_PROVISION", token="tok-1"):
    return {"clientRequestToken": token, "awsAccountId": ACCOUNT,
            "stackId": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/web/1a2345b6-0000-00a0-a123-00abc0abc000",
            "changeSetId": None, "hookTypeName": "Private::Cfhttps::CloudFrontHttps",
            "hookTypeVersion": "00000001",
            "hookModel": {"LambdaFunction": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:cfhttps-cfn-hook"},
            "actionInvocationPoint": point, "requestData": request_data,
            "requestContext": {"invocation": 1, "callbackContext": None}}


def stack_hook_event(payload_url, point="CREATE_PRE_PROVISION", token="tok-2"):
    return hook_event({"targetName": "STACK", "targetType": "STACK", "targetLogicalId": "web",
                       "payload": payload_url}, point, token)
