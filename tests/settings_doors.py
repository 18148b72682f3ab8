"""Each door's view of the settings, compared with the registry (see test_settings_registry.py).

A module of its own so that a fresh interpreter can import it after changing the registry.
"""

import argparse
import re

from cfnlint.rules import RulesCollection

from cfhttps_cli import main as cli
from cfhttps_pulumi import pack
from cfn_rules import _shared
from rules import docgen, engine
from rules.catalog import CATALOG
from rules.config import KEYS, Config, from_mapping
from rules.settings import BOOL, LIST, SETTINGS, cfn_lint_definition, json_schema


def expected(setting):
    return tuple(setting.example) if setting.type == LIST else setting.example


def check_doors():
    # The engine: a Config field per setting with its default, and from_mapping reads it.
    assert set(KEYS) == {s.name for s in SETTINGS} | {"rules"}
    for s in SETTINGS:
        assert getattr(Config(), s.name) == s.default
        config, errors = from_mapping({s.name: list(s.example) if s.type == LIST else s.example})
        assert not errors and getattr(config, s.name) == expected(s), (s.name, errors)

    # cfn-lint: each rule's config_definition, and a configured value reaches the engine.
    loaded = RulesCollection()
    loaded.create_from_module("cfn_rules")
    by_id = {r.id: r for r in loaded.rules.values()}
    for rule in CATALOG.values():
        lint_rule = by_id[rule.cfn_lint_id]
        assert lint_rule.config_definition == {s.name: cfn_lint_definition(s) for s in rule.settings}, rule.code
        for s in rule.settings:
            lint_rule.configure({s.name: list(s.example) if s.type == LIST else s.example})
            try:
                assert getattr(_shared.merged_config(), s.name) == expected(s), (rule.code, s.name)
            finally:
                lint_rule.configure({})

    # The audit CLI: a flag per setting whose value reaches the Config.
    audit = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    audit = audit.choices["audit"]
    dests = {a.dest for a in audit._actions}
    assert {s.name for s in SETTINGS} <= dests
    for s in SETTINGS:
        flag = next(a for a in audit._actions if a.dest == s.name).option_strings[0]
        if s.type == BOOL:
            argv = [flag]
        elif s.type == LIST and s.flag:
            argv = [x for item in s.example for x in (flag, item)]
        elif s.type == LIST:
            argv = [flag, ",".join(s.example)]
        else:
            argv = [flag, str(s.example)]
        args = cli.parser().parse_args(["audit", *argv])
        assert getattr(cli.build_config(args), s.name) == expected(s), (s.name, argv)

    # Pulumi (in process; the gRPC view is checked separately): schema and config per policy.
    policies = {p.name: p for p in pack.policies()}
    for rule in CATALOG.values():
        policy = policies[rule.policy]
        schema = policy.config_schema.properties if policy.config_schema else {}
        assert schema == {s.name: json_schema(s) for s in rule.settings}, rule.code
        # The SDK keeps the callback private; its public ``remediate`` is a method on every policy.
        callback = vars(policy).get("_ResourceValidationPolicy__remediate")
        assert (callback is not None) == bool(rule.remediation), rule.code
        for s in rule.settings:
            value = list(s.example) if s.type == LIST else s.example
            assert getattr(pack.config_for(rule.code, {s.name: value}), s.name) == expected(s)

    # The docs pages (as generated): the options list names exactly the rule's settings.
    for rule in CATALOG.values():
        assert documented_settings(docgen.render(rule)) == {s.name for s in rule.settings}, rule.code

    # The prerequisite: a rule that needs a setting does not run without it, in any door.
    for rule in CATALOG.values():
        if rule.requires:
            assert rule.code not in engine.active_codes(Config())
            assert rule.code not in engine.active_codes(Config(), list(CATALOG))
            set_ = next(s for s in rule.settings if s.name == rule.requires)
            config, _ = from_mapping({set_.name: list(set_.example) if set_.type == LIST else set_.example})
            assert rule.code in engine.active_codes(config)


def documented_settings(page):
    if "## Options" not in page:
        return set()
    section = page.split("## Options", 1)[1].split("\n## ", 1)[0]
    return {m.group(1) for m in re.finditer(r"^- `([a-z_]+)` \(", section, re.M)}
