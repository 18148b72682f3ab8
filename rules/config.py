"""One settings object for all doors, with the same names everywhere (DESIGN.md).

Pulumi passes it as policy config, cfn-lint as rule configuration, the audit CLI as TOML and
flags, AWS Config as rule parameters. Each door turns its own shape into :class:`Config` with
:func:`from_mapping`; errors in user settings are collected as readable messages instead of
raised, so a door can show them. The settings themselves (names, types, defaults, checks) are
declared once, in :mod:`rules.settings`; :class:`Config` has one field per registry entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, make_dataclass, replace
from typing import Any, Dict, Iterator, List, Optional, Tuple

from .catalog import CATALOG
from .settings import BY_NAME, LIST, SETTINGS, as_bool

__all__ = ["Config", "RuleSetting", "RuleTable", "from_mapping", "KEYS", "SEVERITIES"]

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True
    severity: Optional[str] = None  # None: the catalogue's default


_DEFAULT_RULE = RuleSetting()


class RuleTable(Mapping):
    """Per-rule settings by catalogue code: read-only and hashable, so that a :class:`Config`
    holding one is a value (equal configurations hash alike, whatever object carries them)."""

    __slots__ = ("_by_code", "_hash")

    def __init__(self, items: Any = ()) -> None:
        self._by_code: Dict[str, RuleSetting] = dict(items)
        self._hash = hash(frozenset(self._by_code.items()))

    def __getitem__(self, code: str) -> RuleSetting:
        return self._by_code[code]

    def get(self, code: str, default: Any = None) -> Any:  # Mapping.get would raise and catch
        return self._by_code.get(code, default)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"RuleTable({self._by_code!r})"


_NO_RULES = RuleTable()
_LISTS = tuple(s.name for s in SETTINGS if s.type == LIST)


def _post_init(self) -> None:
    """Lists become tuples and the rules table a :class:`RuleTable`, however the caller spelt
    them, so every Config is hashable and none shares a mutable part with its caller."""
    for name in _LISTS:
        value = getattr(self, name)
        if value.__class__ is not tuple:
            if isinstance(value, (str, bytes)):  # tuple() would split it into characters
                raise TypeError(f"{name}: expected a list of strings, got {value!r}")
            object.__setattr__(self, name, tuple(value))
    if self.rules.__class__ is not RuleTable:
        object.__setattr__(self, "rules", RuleTable(self.rules))


def _rule(self, code: str) -> RuleSetting:
    return self.rules.get(code, _DEFAULT_RULE)


def _with_rule(self, code: str, setting: RuleSetting) -> "Config":
    rules = dict(self.rules)
    rules[code] = setting
    return replace(self, rules=RuleTable(rules))


# One field per registry setting (its default as the field default), plus per-rule enable/level.
# Frozen and made of values (tuples, a RuleTable): a Config is hashable and equal to any Config
# with the same settings, so whatever is keyed on a configuration is keyed on its settings.
Config = make_dataclass(
    "Config",
    [(s.name, Any, field(default=s.default)) for s in SETTINGS]
    + [("rules", RuleTable, field(default=_NO_RULES))],
    frozen=True,
    namespace={"rule": _rule, "with_rule": _with_rule, "__post_init__": _post_init,
               "__doc__": "The engine's settings: one field per rules.settings entry, plus "
                          "``rules`` (per-rule enabled/severity by code)."},
)
Config.__module__ = __name__

KEYS: Tuple[str, ...] = tuple(s.name for s in SETTINGS) + ("rules",)


def _rules_table(value: Any, current: RuleTable, errors: List[str]) -> Optional[RuleTable]:
    """The ``rules`` table: per-rule ``enabled`` and ``severity``, by catalogue code."""
    if not isinstance(value, Mapping):
        errors.append("rules: expected a table of rule codes")
        return None
    rules = dict(current)
    for code, setting in value.items():
        if code not in CATALOG:
            errors.append(f"rules.{code}: no such rule; known: {', '.join(CATALOG)}")
            continue
        if not isinstance(setting, Mapping):
            errors.append(f"rules.{code}: expected a table with enabled/severity")
            continue
        now = rules.get(code, _DEFAULT_RULE)
        enabled, severity = now.enabled, now.severity
        for skey, sval in setting.items():
            if skey == "enabled":
                b = as_bool(sval, f"rules.{code}.enabled", errors)
                if b is not None:
                    enabled = b
            elif skey == "severity":
                if sval in SEVERITIES:
                    severity = sval
                else:
                    errors.append(f"rules.{code}.severity: expected error or warning, got {sval!r}")
            else:
                errors.append(f"rules.{code}.{skey}: unknown setting (enabled, severity)")
        rules[code] = RuleSetting(enabled, severity)
    return RuleTable(rules)


def from_mapping(data: Mapping[str, Any], base: Optional[Config] = None) -> Tuple[Config, List[str]]:
    """Build a Config from a plain mapping (TOML, policy config, cfn-lint rule config).

    Unknown keys and bad values are reported, not raised; valid keys still apply.
    """
    config = base or Config()
    errors: List[str] = []
    changes: Dict[str, Any] = {}
    if not isinstance(data, Mapping):
        return config, [f"configuration must be a mapping, got {type(data).__name__}"]
    for key, value in data.items():
        setting = BY_NAME.get(key)
        if setting is not None:
            parsed = setting.parse(value, errors)
        elif key == "rules":
            parsed = _rules_table(value, config.rules, errors)
        else:
            errors.append(f"{key}: unknown setting; known: {', '.join(KEYS)}")
            continue
        if parsed is not None:
            changes[key] = parsed
    return replace(config, **changes), errors
