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

from cfhttps_aws import cfn_hook, config_rule, payload, settings
from cfhttps_aws.package import build
from rules import catalog
from cfhttps_io.files import load_file
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
                             "cloudfront:GetVpcOrigin", "cloudfront:GetResponseHeadersPolicy", "cloudfront:ListTagsForResource",
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
    names = set(meta["InputParameters"]["Fn::ToJsonString"])
    single = of_type(template("config-rule.yaml"), "AWS::Config::ConfigRule")[0]
    assert names == set(single["Properties"]["InputParameters"])  # one set of settings
    (fn,) = of_type(doc, "AWS::Lambda::Function")
    assert config_rule.MEMBER_ROLE_ENV in fn["Properties"]["Environment"]["Variables"]
    member = template("member-role.yaml")
    (role,) = of_type(member, "AWS::IAM::Role")
    assert actions(role) == {"cloudfront:ListDistributions", "cloudfront:GetDistributionConfig",
                             "cloudfront:GetVpcOrigin", "cloudfront:GetResponseHeadersPolicy", "cloudfront:ListTagsForResource",
                             "config:PutEvaluations"}


def test_lambda_hook():
    """Two hooks on one function: the resource hook filters on the distribution type; the stack
    and change-set hook filters on actions only (TargetNames names resource types; no AWS
    document says a STACK target is invoked through it). Only create/update before
    provisioning: the function judges nothing else."""
    doc = template("lambda-hook.yaml")
    hooks = {h["Properties"]["Alias"]: h["Properties"] for h in of_type(doc, "AWS::CloudFormation::LambdaHook")}
    resource = hooks["Private::Cfhttps::CloudFrontHttps"]
    stack = hooks["Private::Cfhttps::CloudFrontHttpsStack"]
    assert resource["TargetOperations"] == ["RESOURCE"]
    assert resource["TargetFilters"]["TargetNames"] == [cfn_hook.RESOURCE_TYPE]
    assert set(stack["TargetOperations"]) == {"STACK", "CHANGE_SET"}
    assert "TargetNames" not in stack["TargetFilters"] and "Targets" not in stack["TargetFilters"]
    for props in hooks.values():
        assert props["TargetFilters"]["Actions"] == ["CREATE", "UPDATE"]
        assert props["TargetFilters"]["InvocationPoints"] == ["PRE_PROVISION"]
        assert props["LambdaFunction"] == {"Fn::GetAtt": ["Function", "Arn"]}
        assert props["FailureMode"] == {"Ref": "FailureMode"}
    assert {f"{a.split('_')[0]}" for a in cfn_hook.JUDGED_POINTS} == set(resource["TargetFilters"]["Actions"])
    (fn,) = of_type(doc, "AWS::Lambda::Function")
    assert fn["Properties"]["Handler"] == "cfhttps_aws.cfn_hook.handler"
    assert cfn_hook.SETTINGS_ENV in fn["Properties"]["Environment"]["Variables"]
    assert payload.TEST_PREFIXES_ENV not in fn["Properties"]["Environment"]["Variables"]
    timeout = fn["Properties"]["Timeout"]
    assert timeout < 30  # the hook waits 30 s for an answer
    # without a Lambda context the fetch deadline assumes this timeout
    assert payload.DEFAULT_REMAINING_MS == timeout * 1000
    assert payload.budget_seconds(None) < timeout / 2 + 0.001
    default = doc["Parameters"]["Settings"]["Default"]
    assert settings.parse(default)[2] == []


def test_package_is_the_engine_alone_and_runs_without_dependencies(tmp_path):
    out = tmp_path / "cfhttps-lambda.zip"
    size = build(str(out))
    assert 0 < size < 1024 * 1024
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert all(n.startswith(("rules/", "cfhttps_io/", "cfhttps_aws/", "yaml/", "pyyaml-"))
               for n in names)  # whole packages and PyYAML's pure-Python code (test_lambda_zip)
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
loaded = sorted(set(m.split(".")[0] for m in sys.modules) & set(["yaml", "boto3", "botocore", "cfnlint", "pulumi"]))
print(json.dumps([answer["hookStatus"], answer.get("errorCode"), loaded, config_rule.__file__]))
"""
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    status, code, loaded, where = json.loads(proc.stdout)
    assert (status, code, loaded) == ("FAILED", "NonCompliant", ["yaml"])  # the zip's PyYAML
    assert where.startswith(str(out))


def test_make_lambda_prints_the_size():
    proc = subprocess.run(["make", "-s", "lambda", f"PYTHON={sys.executable}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    size = os.path.getsize(os.path.join(ROOT, "dist", "cfhttps-lambda.zip"))
    assert f"dist/cfhttps-lambda.zip: {size} bytes" in proc.stdout


# ------------------------------------ Config rule templates that cannot be deployed wrong

CONFIG_TEMPLATES = ["config-rule.yaml", "organization-config-rule.yaml"]
HOSTILE = 'a"b\\c\'d ${FailOn} \u00e9'  # a quote, a backslash, an apostrophe, a Sub marker, non-ASCII


def catalogue_list():
    """The rules as the descriptions must list them, from the catalogue (never stale)."""
    return "; ".join(f"{r.code} {r.title}" for r in catalog.CATALOG.values())


def walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def rule_metadata(doc):
    (rule,) = of_type(doc, "AWS::Config::ConfigRule") or of_type(doc, "AWS::Config::OrganizationConfigRule")
    props = rule["Properties"]
    return props.get("OrganizationCustomRuleMetadata") or props


def test_the_catalogue_has_twelve_rules():
    assert list(catalog.CATALOG) == [f"CFH{i:03d}" for i in range(1, 13)]


@pytest.mark.parametrize("name", CONFIG_TEMPLATES)
def test_descriptions_list_the_catalogue(name):
    doc = template(name)
    description = " ".join(doc["Description"].split())
    assert catalogue_list() in description
    assert len(doc["Description"].encode()) <= 1024  # CloudFormation's limit for a description
    meta = rule_metadata(doc)
    codes = ", ".join(catalog.CATALOG)
    assert f"(cfhttps rules {codes})" in meta["Description"]
    assert len(meta["Description"]) <= 256  # the Config rule description limit


@pytest.mark.parametrize("name", CONFIG_TEMPLATES)
def test_region_other_than_us_east_1_is_refused(name):
    """A template Rules assertion (CloudFormation checks it before creating anything) on the
    region: AWS Config records CloudFront distributions only in us-east-1."""
    doc = template(name)
    assertions = [a for rule in doc["Rules"].values() for a in rule["Assertions"]
                  if "RuleCondition" not in rule]
    region = [a for a in assertions if a["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]
    assert len(region) == 1
    assert "us-east-1" in region[0]["AssertDescription"]
    assert "CloudFront" in region[0]["AssertDescription"]


def resolve(node, values):
    """Refs to parameters replaced by the given values (what CloudFormation does before it
    serializes a Json property or evaluates Fn::ToJsonString)."""
    if isinstance(node, dict):
        if set(node) == {"Ref"}:
            return values[node["Ref"]]
        return {k: resolve(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, values) for v in node]
    return node


@pytest.mark.parametrize("name", CONFIG_TEMPLATES)
def test_input_parameters_are_valid_json_whatever_the_settings_hold(name):
    doc = template(name)
    params = rule_metadata(doc)["InputParameters"]
    # no JSON built from strings: Fn::Sub/Fn::Join over parameter text breaks on a quote
    assert not any(isinstance(n, dict) and ({"Fn::Sub", "Fn::Join"} & set(n)) for n in walk(params))
    if name.startswith("organization"):
        # OrganizationCustomRuleMetadata.InputParameters is a string: Fn::ToJsonString
        # (AWS::LanguageExtensions) serializes a mapping into it
        assert doc["Transform"] == "AWS::LanguageExtensions"
        mapping = params["Fn::ToJsonString"]
    else:
        # ConfigRule.InputParameters is a Json property: CloudFormation serializes the mapping
        mapping = params
    assert all(set(v) == {"Ref"} and v["Ref"] in doc["Parameters"] for v in mapping.values())
    strings = {p: HOSTILE for p, d in doc["Parameters"].items() if d["Type"] == "String"
               and "AllowedValues" not in d}
    assert "SensitivePaths" in strings
    values = {p: str(d.get("Default", "")) for p, d in doc["Parameters"].items()}
    values.update(strings)
    text = json.dumps(resolve(mapping, values))
    decoded = json.loads(text)
    assert decoded["sensitive_paths"] == HOSTILE
    # and with the defaults, every door accepts the settings
    _, fail_on, problems = settings.parse(json.dumps(resolve(mapping, {p: str(d.get("Default", ""))
                                                                        for p, d in doc["Parameters"].items()})))
    assert problems == [] and fail_on == "error"
