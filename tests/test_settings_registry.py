"""Every door's view of the settings is the registry's (rules/settings.py, rules/catalog.py).

Each door is asked the way its users meet it: cfn-lint loads the rule module and configures a
rule; the audit CLI parses flags; the Pulumi analyzer answers GetAnalyzerInfo over gRPC; the
docs are the committed pages; the engine reads a mapping. A door that missed a setting, or gave
one to the wrong rule, fails here. ``test_a_new_setting_reaches_every_door`` adds a setting to
the registry (in a fresh interpreter) and nothing else, and finds it in every door.
"""

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from rules.catalog import CATALOG
from rules.settings import BY_NAME, LIST, SETTINGS, json_schema
from settings_doors import check_doors, documented_settings


def test_registry_is_consistent_with_the_catalogue():
    assert len(BY_NAME) == len(SETTINGS)
    for s in SETTINGS:
        assert s.rules and set(s.rules) <= set(CATALOG), s.name
        assert s.doc and s.example != s.default, s.name
        errors = []
        assert s.parse(list(s.example) if s.type == LIST else s.example, errors) is not None
        assert not errors
    for rule in CATALOG.values():
        names = {s.name for s in rule.settings}
        assert not rule.requires or rule.requires in names, rule.code
        assert not rule.escalated_by or BY_NAME[rule.escalated_by].type == "bool", rule.code
        assert not rule.escalated_by or rule.escalated_by in names, rule.code



def test_rules_with_a_remediation_are_the_rules_whose_findings_carry_a_fix():
    from conftest import audit_yaml
    for rule in CATALOG.values():
        # An opt-in rule's bad example is judged with its prerequisite setting on.
        on = {rule.requires: BY_NAME[rule.requires].example} if rule.requires else {}
        findings, _ = audit_yaml(rule.bad, **{"sensitive_paths": ("/admin/*",), **on})
        own = [f for f in findings if f.code == rule.code]
        assert own, rule.code
        assert any(f.fix for f in own) == bool(rule.remediation), rule.code


def test_every_door_matches_the_registry():
    check_doors()


def test_committed_docs_list_each_rules_settings():
    for rule in CATALOG.values():
        with open(os.path.join(ROOT, "docs", "rules", f"{rule.code}.md"), encoding="utf-8") as fh:
            page = fh.read()
        assert documented_settings(page) == {s.name for s in rule.settings}, rule.code
        assert ("## Remediation" in page) == bool(rule.remediation), rule.code
        if rule.requires:
            assert f"runs only when `{rule.requires}`" in page
        if rule.escalated_by:
            assert f"When `{rule.escalated_by}` is true" in page


def test_configuration_page_table_and_flags_name_every_setting():
    from rules.settings import cli_flag
    with open(os.path.join(ROOT, "docs", "configuration.md"), encoding="utf-8") as fh:
        readme = fh.read()
    table = readme.split("| setting | type | default | used by |", 1)[1].split("\n\n", 1)[0]
    rows = {line.split("`")[1]: line for line in table.splitlines() if line.startswith("| `")}
    assert set(rows) == set(BY_NAME)
    for s in SETTINGS:
        assert cli_flag(s)[0] in readme, s.name


def test_aws_config_rule_template_passes_every_setting():
    """The AWS Config door's view: the single-account template's rule parameters."""
    from cfhttps_aws import settings as aws_settings
    from cfhttps_io.files import load_file

    doc = load_file(os.path.join(ROOT, "deploy", "config-rule.yaml"))[0]
    (rule,) = [r for r in doc["Resources"].values() if r["Type"] == "AWS::Config::ConfigRule"]
    passed = rule["Properties"]["InputParameters"]
    assert set(passed) == set(BY_NAME) | {"fail_on"}
    for s in SETTINGS:
        parameter = doc["Parameters"][passed[s.name]["Ref"]]
        # AWS Config hands every value over as a string, as the parameter's default is here.
        config, _, problems = aws_settings.parse({s.name: str(parameter["Default"])})
        assert not problems and getattr(config, s.name) == s.default, s.name
        if s.type == "choice":
            assert tuple(parameter["AllowedValues"]) == s.allowed, s.name
        if s.type == "bool":
            assert set(parameter["AllowedValues"]) == {"true", "false"}, s.name


@pytest.mark.slow  # starts the policy pack
def test_pulumi_analyzer_reports_each_policys_settings():
    pytest.importorskip("pulumi_policy")
    from google.protobuf.json_format import MessageToDict
    from pulumi_harness import Pack

    pack = Pack(ROOT)
    try:
        policies = {p.name: p for p in pack.info().policies}
    finally:
        pack.close()
    for rule in CATALOG.values():
        got = MessageToDict(policies[rule.policy].configSchema.properties)
        assert got == {s.name: json_schema(s) for s in rule.settings}, rule.code


@pytest.mark.slow  # a subprocess with every door
def test_a_new_setting_reaches_every_door():
    """Adding a setting is one registry entry (and the check that reads it): here a new
    setting for CFH001 is registered before anything else is imported, and every door has it."""
    program = r'''
import sys
sys.path.insert(0, "tests")
import rules.settings as registry
new = registry.Setting(name="demo_limit", type=registry.INT, default=3, example=7, minimum=1,
                       doc="A setting added in the registry only.", rules=("CFH001", "CFH008"))
registry.SETTINGS = registry.SETTINGS + (new,)
registry.BY_NAME[new.name] = new

import settings_doors
settings_doors.check_doors()
from rules.catalog import CATALOG
assert [s.name for s in CATALOG["CFH001"].settings] == ["demo_limit"]
print("ok")
'''
    proc = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-3000:]
