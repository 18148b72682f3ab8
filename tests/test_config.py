"""A configuration is a value: what is keyed on one (a memo table, a door's cache) is keyed on
its settings, never on which object carries them or on what happened to it since."""

from __future__ import annotations

import dataclasses

import pytest

from rules import engine
from rules.config import Config, RuleSetting, RuleTable, from_mapping


def test_equal_settings_make_equal_hashable_configurations():
    built = Config(sensitive_paths=["/admin/*"]).with_rule("CFH001", RuleSetting(severity="warning"))
    parsed, errors = from_mapping({"sensitive_paths": ["/admin/*"],
                                   "rules": {"CFH001": {"severity": "warning"}}})
    assert not errors
    assert built == parsed and hash(built) == hash(parsed)
    assert {built: "seen"}[parsed] == "seen"
    assert built.sensitive_paths == ("/admin/*",) and isinstance(built.rules, RuleTable)
    assert built != Config() and built != Config(sensitive_paths=("/admin/*",))
    assert Config(rules={"CFH003": RuleSetting(enabled=False)}) == \
        Config().with_rule("CFH003", RuleSetting(enabled=False))


def test_a_configuration_cannot_change_after_it_is_made():
    given = ["/admin/*"]
    config = Config(sensitive_paths=given).with_rule("CFH001", RuleSetting(severity="warning"))
    given.append("/other/*")  # the caller's list is not the configuration's
    assert config.sensitive_paths == ("/admin/*",)
    with pytest.raises(TypeError):
        config.rules["CFH001"] = RuleSetting(severity="error")
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.max_states = 1
    with pytest.raises(TypeError):
        Config(sensitive_paths="/admin/*")  # a string is not a list of globs


def test_rule_plans_follow_the_settings():
    assert engine._plan(Config().with_rule("CFH001", RuleSetting(severity="warning")),
                        ["CFH001"])[0][1] == "warning"
    assert "CFH001" not in [code for code, _ in
                            engine._plan(Config().with_rule("CFH001", RuleSetting(enabled=False)), None)]
    assert "CFH007" in [code for code, _ in engine._plan(Config(sensitive_paths=("/a/*",)), None)]
    assert "CFH007" not in [code for code, _ in engine._plan(Config(), None)]


def test_equal_settings_share_one_plan():
    """The plan memo is keyed on the settings: another object with the same settings is
    answered from it, and what it answers is the plan worked out afresh."""
    first, second = Config(sensitive_paths=["/a/*"]), Config(sensitive_paths=("/a/*",))
    assert first is not second
    assert engine._plan(first, None) is engine._plan(second, None)
    assert engine._plan(first, iter(["CFH007", "CFH001"])) == engine._new_plan(first, ("CFH007", "CFH001"))
    assert engine._plan(Config(), None) == engine._new_plan(Config(), None)
