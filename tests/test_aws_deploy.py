"""Deployment: the templates in deploy/ lint clean (cfn-lint, and cfn-lint with our own rules),
grant only what the functions use, and point at handlers that exist; the Lambda package is
built from the engine alone and works without cfn-lint, pulumi, PyYAML or boto3."""

import glob
import json
import os
import subprocess
import sys
import zipfile

import pytest

from cfhttps_aws import cfn_hook, config_rule, settings
from cfhttps_aws.package import build
from cfhttps_cli.loader import load_file
from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the real cfn-lint command on the deploy templates

TEMPLATES = sorted(glob.glob(os.path.join(ROOT, "deploy", "*.yaml")))
CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")


def template(name):
    return load_file(os.path.join(ROOT, "deploy", name))[0]


def of_type(doc, rtype):
    return [r for r in doc["Resources"].values() if r["Type"] == rtype]


def actions(role):
    out = set()
    for policy in role["Properties"]["Policies"]:
        for st in policy["PolicyDocument"]["Statement"]:
            acts = st["Action"]
            out.update([acts] if isinstance(acts, str) else acts)
    return out


def test_the_four_templates_exist():
    assert [os.path.basename(t) for t in TEMPLATES] == [
        "config-rule.yaml", "lambda-hook.yaml", "member-role.yaml", "organization-config-rule.yaml"]


@pytest.mark.parametrize("path", TEMPLATES, ids=os.path.basename)
@pytest.mark.parametrize("extra", [[], ["-a", "cfn_rules"]], ids=["cfn-lint", "cfn-lint+cfn_rules"])
def test_templates_lint_clean(path, extra):
    proc = subprocess.run([CFN_LINT, *extra, "--", path], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == ""


def test_single_account_rule():
    doc = template("config-rule.yaml")
    (fn,) = of_type(doc, "AWS::Lambda::Function")
    assert fn["Properties"]["Handler"] == "cfhttps_aws.config_rule.handler"
    (role,) = of_type(doc, "AWS::IAM::Role")
    assert actions(role) == {"cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
                             "config:PutEvaluations", "logs:CreateLogStream", "logs:PutLogEvents"}
    (rule,) = of_type(doc, "AWS::Config::ConfigRule")
    props = rule["Properties"]
    assert props["Scope"]["ComplianceResourceTypes"] == [config_rule.RESOURCE_TYPE]
    kinds = {d["MessageType"] for d in props["Source"]["SourceDetails"]}
    assert kinds == {"ConfigurationItemChangeNotification", "OversizedConfigurationItemChangeNotification",
                     "ScheduledNotification"}
    # the parameters the template passes are names every door accepts, with valid defaults
    defaults = {k: doc["Parameters"][v["Ref"]].get("Default") for k, v in props["InputParameters"].items()}
    _, fail_on, problems = settings.parse(defaults)
    assert problems == [] and fail_on == "error"
    (perm,) = of_type(doc, "AWS::Lambda::Permission")
    assert perm["Properties"]["Principal"] == "config.amazonaws.com"


def test_organization_rule_and_member_role():
    doc = template("organization-config-rule.yaml")
    (rule,) = of_type(doc, "AWS::Config::OrganizationConfigRule")
    meta = rule["Properties"]["OrganizationCustomRuleMetadata"]
    assert set(meta["OrganizationConfigRuleTriggerTypes"]) == {
        "ConfigurationItemChangeNotification", "OversizedConfigurationItemChangeNotification",
        "ScheduledNotification"}
    assert meta["ResourceTypesScope"] == [config_rule.RESOURCE_TYPE]
    text = meta["InputParameters"]["Fn::Sub"]
    filled = text.replace("${FailOn}", "error").replace("${SensitivePaths}", "").replace(
        "${MinimumProtocolVersion}", "TLSv1.2_2021")
    assert settings.parse(json.loads(filled))[2] == []
    (fn,) = of_type(doc, "AWS::Lambda::Function")
    assert config_rule.MEMBER_ROLE_ENV in fn["Properties"]["Environment"]["Variables"]
    member = template("member-role.yaml")
    (role,) = of_type(member, "AWS::IAM::Role")
    assert actions(role) == {"cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
                             "config:PutEvaluations"}


def test_lambda_hook():
    doc = template("lambda-hook.yaml")
    (hook,) = of_type(doc, "AWS::CloudFormation::LambdaHook")
    props = hook["Properties"]
    assert set(props["TargetOperations"]) == {"RESOURCE", "STACK"}
    assert props["TargetFilters"]["TargetNames"] == [cfn_hook.RESOURCE_TYPE]
    (fn,) = of_type(doc, "AWS::Lambda::Function")
    assert fn["Properties"]["Handler"] == "cfhttps_aws.cfn_hook.handler"
    assert cfn_hook.SETTINGS_ENV in fn["Properties"]["Environment"]["Variables"]
    assert fn["Properties"]["Timeout"] < 30  # the hook waits 30 s for an answer
    default = doc["Parameters"]["Settings"]["Default"]
    assert settings.parse(default)[2] == []


def test_package_is_the_engine_alone_and_runs_without_dependencies(tmp_path):
    out = tmp_path / "cfhttps-lambda.zip"
    size = build(str(out))
    assert 0 < size < 1024 * 1024
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert all(n.startswith(("rules/", "cfhttps_aws/")) or n in ("cfhttps_cli/__init__.py",
                                                                "cfhttps_cli/aws_live.py") for n in names)
    assert "cfhttps_aws/config_rule.py" in names and "rules/engine.py" in names
    assert build(str(tmp_path / "again.zip")) == size
    assert (tmp_path / "again.zip").read_bytes() == out.read_bytes()  # reproducible
    # -S: no site-packages (no boto3, PyYAML, cfn-lint, pulumi); -I: nothing from the environment
    script = f"""
import json, sys
sys.path.insert(0, {str(out)!r})
from cfhttps_aws import config_rule, cfn_hook
event = {{"clientRequestToken": "t", "actionInvocationPoint": "CREATE_PRE_PROVISION",
         "requestData": {{"targetName": "AWS::CloudFront::Distribution", "targetLogicalId": "Cdn",
                          "targetModel": {{"resourceProperties": {{"DistributionConfig": {{
                              "Origins": [{{"Id": "o", "DomainName": "b.s3.amazonaws.com", "S3OriginConfig": {{}}}}],
                              "DefaultCacheBehavior": {{"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all"}}}}}}}}}}}}
answer = cfn_hook.handler(event)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("yaml", "boto3", "botocore", "cfnlint", "pulumi"))
print(json.dumps([answer["hookStatus"], answer.get("errorCode"), loaded, config_rule.__file__]))
"""
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    status, code, loaded, where = json.loads(proc.stdout)
    assert (status, code, loaded) == ("FAILED", "NonCompliant", [])
    assert where.startswith(str(out))


def test_make_lambda_prints_the_size():
    proc = subprocess.run(["make", "-s", "lambda", f"PYTHON={sys.executable}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    size = os.path.getsize(os.path.join(ROOT, "dist", "cfhttps-lambda.zip"))
    assert f"dist/cfhttps-lambda.zip: {size} bytes" in proc.stdout
