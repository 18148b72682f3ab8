"""One settings object for all three doors, with the same names everywhere (DESIGN.md).

Pulumi passes it as policy config, cfn-lint as rule configuration, the audit CLI as TOML and
flags. Each door turns its own shape into :class:`Config` with :func:`from_mapping`; errors in
user settings are collected as readable messages instead of raised, so a door can show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Tuple

TLS_POLICIES = (
    "SSLv3",
    "TLSv1",
    "TLSv1_2016",
    "TLSv1.1_2016",
    "TLSv1.2_2018",
    "TLSv1.2_2019",
    "TLSv1.2_2021",
    "TLSv1.2_2025",
    "TLSv1.3_2025",
)
ORIGIN_SSL_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")
SEVERITIES = ("error", "warning")

DEFAULT_MAX_STATES = 20000
DEFAULT_HSTS_MIN_MAX_AGE = 31536000  # one year, as the managed SecurityHeadersPolicy sets


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True
    severity: Optional[str] = None  # None: the catalogue's default


_DEFAULT_RULE = RuleSetting()


@dataclass(frozen=True)
class Config:
    sensitive_paths: Tuple[str, ...] = ()
    require_origin_https: bool = False
    minimum_protocol_version: str = "TLSv1.2_2021"
    allowed_origin_ssl_protocols: Tuple[str, ...] = ("TLSv1.2",)
    max_states: int = DEFAULT_MAX_STATES
    require_hsts: bool = False
    hsts_min_max_age: int = DEFAULT_HSTS_MIN_MAX_AGE
    rules: Dict[str, RuleSetting] = field(default_factory=dict)

    def rule(self, code: str) -> RuleSetting:
        return self.rules.get(code, _DEFAULT_RULE)

    def with_rule(self, code: str, setting: RuleSetting) -> "Config":
        rules = dict(self.rules)
        rules[code] = setting
        return replace(self, rules=rules)


# Which settings each rule reads; the doors expose exactly these per rule (cfn-lint rule
# configuration, Pulumi policy config schema), with the same names.
RULE_SETTINGS: Dict[str, Tuple[str, ...]] = {
    "CFH003": ("require_origin_https",),
    "CFH005": ("max_states",),
    "CFH006": ("max_states",),
    "CFH007": ("sensitive_paths", "max_states"),
    "CFH009": ("minimum_protocol_version",),
    "CFH010": ("allowed_origin_ssl_protocols",),
    "CFH011": ("require_hsts", "hsts_min_max_age"),
}

# JSON-schema fragments for the settings (the Pulumi door uses them verbatim).
SETTING_SCHEMAS: Dict[str, Dict[str, Any]] = {
    "sensitive_paths": {"type": "array", "items": {"type": "string"},
                        "description": "Path globs (CloudFront pattern syntax) that must never be served over HTTP."},
    "require_origin_https": {"type": "boolean",
                             "description": "Treat a plaintext CloudFront-to-origin leg as an error."},
    "minimum_protocol_version": {"type": "string", "enum": list(TLS_POLICIES),
                                 "description": "Lowest acceptable viewer security policy."},
    "allowed_origin_ssl_protocols": {"type": "array",
                                     "items": {"type": "string", "enum": list(ORIGIN_SSL_PROTOCOLS)},
                                     "description": "Protocols an HTTPS origin may allow."},
    "max_states": {"type": "integer", "minimum": 1,
                   "description": "State bound per path-pattern question (undecided beyond it)."},
    "require_hsts": {"type": "boolean",
                     "description": "Require a Strict-Transport-Security response headers policy "
                                    "on every behaviour that requires HTTPS (CFH011)."},
    "hsts_min_max_age": {"type": "integer", "minimum": 0,
                         "description": "Lowest acceptable Strict-Transport-Security max-age, "
                                        "in seconds."},
}

KEYS = ("sensitive_paths", "require_origin_https", "minimum_protocol_version",
        "allowed_origin_ssl_protocols", "max_states", "require_hsts", "hsts_min_max_age", "rules")


def _as_str_list(value: Any, key: str, errors: List[str], allowed=None) -> Optional[Tuple[str, ...]]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        errors.append(f"{key}: expected a list of strings, got {type(value).__name__}")
        return None
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            errors.append(f"{key}: unknown value(s) {', '.join(bad)}; allowed: {', '.join(allowed)}")
            return None
    return tuple(value)


def _as_bool(value: Any, key: str, errors: List[str]) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.lower() in ("true", "yes", "1")
    errors.append(f"{key}: expected true or false, got {value!r}")
    return None


def from_mapping(data: Mapping[str, Any], base: Optional[Config] = None) -> Tuple[Config, List[str]]:
    """Build a Config from a plain mapping (TOML, policy config, cfn-lint rule config).

    Unknown keys and bad values are reported, not raised; valid keys still apply.
    """
    from .catalog import CATALOG  # local: catalog imports nothing from here at import time

    config = base or Config()
    errors: List[str] = []
    changes: Dict[str, Any] = {}
    if not isinstance(data, Mapping):
        return config, [f"configuration must be a mapping, got {type(data).__name__}"]
    for key, value in data.items():
        if key == "sensitive_paths":
            from .patterns import problem  # local: patterns is only needed for this check
            v = _as_str_list(value, key, errors)
            bad = [f"{glob!r}: {problem(glob)}" for glob in v or () if problem(glob)]
            if bad:
                errors.append(f"{key}: " + "; ".join(bad))
            elif v is not None:
                changes[key] = v
        elif key == "require_origin_https":
            v = _as_bool(value, key, errors)
            if v is not None:
                changes[key] = v
        elif key == "minimum_protocol_version":
            if value in TLS_POLICIES:
                changes[key] = value
            else:
                errors.append(f"{key}: {value!r} is not a CloudFront security policy; "
                              f"one of {', '.join(TLS_POLICIES)}")
        elif key == "allowed_origin_ssl_protocols":
            v = _as_str_list(value, key, errors, ORIGIN_SSL_PROTOCOLS)
            if v is not None:
                changes[key] = v
        elif key == "require_hsts":
            v = _as_bool(value, key, errors)
            if v is not None:
                changes[key] = v
        elif key == "hsts_min_max_age":
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                changes[key] = value
            else:
                errors.append(f"{key}: expected a number of seconds (0 or more), got {value!r}")
        elif key == "max_states":
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                changes[key] = value
            else:
                errors.append(f"{key}: expected a positive integer, got {value!r}")
        elif key == "rules":
            if not isinstance(value, Mapping):
                errors.append("rules: expected a table of rule codes")
                continue
            rules = dict(config.rules)
            for code, setting in value.items():
                if code not in CATALOG:
                    errors.append(f"rules.{code}: no such rule; known: {', '.join(CATALOG)}")
                    continue
                if not isinstance(setting, Mapping):
                    errors.append(f"rules.{code}: expected a table with enabled/severity")
                    continue
                current = rules.get(code, RuleSetting())
                enabled, severity = current.enabled, current.severity
                for skey, sval in setting.items():
                    if skey == "enabled":
                        b = _as_bool(sval, f"rules.{code}.enabled", errors)
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
            changes["rules"] = rules
        else:
            errors.append(f"{key}: unknown setting; known: {', '.join(KEYS)}")
    return replace(config, **changes), errors
