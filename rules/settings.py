"""The settings registry: every rule setting declared once, with everything a door needs.

Each :class:`Setting` carries its name, type, default, allowed values, documentation, the rules
it affects and an example value. Everything else is derived from this table: the engine's
:class:`~rules.config.Config` fields and :func:`~rules.config.from_mapping` parsing, the
cfn-lint rule ``config_definition`` (:func:`cfn_lint_definition`), the Pulumi policy config
schema (:func:`json_schema`), the audit CLI flags (:func:`cli_flag`), the docs pages' option
lists (:func:`describe`) and the tests' expectations. What a setting does to a rule beyond
being read by its check (a prerequisite, an escalation) is said by the rule's catalogue entry.

Adding a setting: add a :class:`Setting` here and read it in the check; every door follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from .patterns import problem as _pattern_problem

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

# The value types a setting may have; each has one parser, one JSON schema and one cfn-lint type.
BOOL, INT, CHOICE, LIST = "bool", "int", "choice", "list"


@dataclass(frozen=True)
class Setting:
    name: str
    type: str  # BOOL | INT | CHOICE (one of ``allowed``) | LIST (of strings, each in ``allowed``)
    default: Any
    doc: str
    rules: Tuple[str, ...]  # the catalogue codes whose checks read it
    example: Any  # a valid non-default value (docs and the doors' tests use it)
    allowed: Tuple[str, ...] = ()  # CHOICE: the values; LIST: the items (empty: any string)
    allowed_noun: str = ""  # CHOICE: what a value is, for the error message
    minimum: Optional[int] = None  # INT
    item_problem: Optional[Callable[[str], Optional[str]]] = None  # LIST: why an item is invalid
    flag: str = ""  # audit CLI flag when it is not --<name>; a LIST flag then takes one item per use
    metavar: Optional[str] = None  # audit CLI

    def parse(self, value: Any, errors: List[str]) -> Any:
        """The value as :class:`~rules.config.Config` holds it, or None (with a message added)."""
        return _PARSERS[self.type](self, value, errors)


SETTINGS: Tuple[Setting, ...] = (
    Setting(
        name="sensitive_paths", type=LIST, default=(), example=("/admin/*",),
        doc="Path globs (CloudFront pattern syntax) that must never be served over HTTP.",
        rules=("CFH007",), item_problem=_pattern_problem,
        flag="--sensitive-path", metavar="GLOB"),
    Setting(
        name="require_origin_https", type=BOOL, default=False, example=True,
        doc="Treat a plaintext CloudFront-to-origin leg as an error.",
        rules=("CFH003",)),
    Setting(
        name="minimum_protocol_version", type=CHOICE, default="TLSv1.2_2021",
        example="TLSv1.2_2025", allowed=TLS_POLICIES, allowed_noun="a CloudFront security policy",
        doc="Lowest acceptable viewer security policy.",
        rules=("CFH009",)),
    Setting(
        name="allowed_origin_ssl_protocols", type=LIST, default=("TLSv1.2",),
        example=("TLSv1.1", "TLSv1.2"), allowed=ORIGIN_SSL_PROTOCOLS,
        doc="Protocols an HTTPS origin may allow.",
        rules=("CFH010",)),
    Setting(
        name="max_states", type=INT, default=20000, example=500, minimum=1,
        doc="Product states per path-pattern question, and the scale of each distribution's "
            "work allowance in pattern-steps: max_states x (behaviours + 1) / 6 (undecided "
            "beyond them).",
        rules=("CFH005", "CFH006", "CFH007")),
    Setting(
        name="require_hsts", type=BOOL, default=False, example=True,
        doc="Require every behaviour that requires HTTPS to attach a response headers policy "
            "that sets Strict-Transport-Security.",
        rules=("CFH011",)),
    Setting(
        name="hsts_min_max_age", type=INT, default=31536000, example=63072000, minimum=0,
        doc="Lowest acceptable Strict-Transport-Security max-age, in seconds (default one year).",
        rules=("CFH011",), metavar="SECONDS"),
)

BY_NAME: Dict[str, Setting] = {s.name: s for s in SETTINGS}


def for_rule(code: str) -> Tuple[Setting, ...]:
    """The settings a rule reads, in registry order."""
    return tuple(s for s in SETTINGS if code in s.rules)


# --- parsing: one function per type; messages name the key and say what was expected ---------

def _str_list(setting: Setting, value: Any, errors: List[str]) -> Optional[Tuple[str, ...]]:
    key, allowed = setting.name, setting.allowed
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        errors.append(f"{key}: expected a list of strings, got {type(value).__name__}")
        return None
    if allowed:
        bad = [v for v in value if v not in allowed]
        if bad:
            errors.append(f"{key}: unknown value(s) {', '.join(bad)}; allowed: {', '.join(allowed)}")
            return None
    if setting.item_problem is not None:
        bad = [f"{v!r}: {setting.item_problem(v)}" for v in value if setting.item_problem(v)]
        if bad:
            errors.append(f"{key}: " + "; ".join(bad))
            return None
    return tuple(value)


def as_bool(value: Any, key: str, errors: List[str]) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.lower() in ("true", "yes", "1")
    errors.append(f"{key}: expected true or false, got {value!r}")
    return None


def _bool(setting: Setting, value: Any, errors: List[str]) -> Optional[bool]:
    return as_bool(value, setting.name, errors)


def _choice(setting: Setting, value: Any, errors: List[str]) -> Optional[str]:
    if value in setting.allowed:
        return value
    errors.append(f"{setting.name}: {value!r} is not {setting.allowed_noun}; "
                  f"one of {', '.join(setting.allowed)}")
    return None


def _int(setting: Setting, value: Any, errors: List[str]) -> Optional[int]:
    if isinstance(value, int) and not isinstance(value, bool) and \
            (setting.minimum is None or value >= setting.minimum):
        return value
    wanted = "a positive integer" if setting.minimum == 1 else (
        "an integer" if setting.minimum is None else f"an integer of at least {setting.minimum}")
    errors.append(f"{setting.name}: expected {wanted}, got {value!r}")
    return None


_PARSERS = {BOOL: _bool, INT: _int, CHOICE: _choice, LIST: _str_list}


# --- what each door is given ------------------------------------------------------------------

def json_schema(setting: Setting) -> Dict[str, Any]:
    """The JSON-schema fragment (the Pulumi policy config schema uses it verbatim)."""
    if setting.type == BOOL:
        out: Dict[str, Any] = {"type": "boolean"}
    elif setting.type == INT:
        out = {"type": "integer"}
        if setting.minimum is not None:
            out["minimum"] = setting.minimum
    elif setting.type == CHOICE:
        out = {"type": "string", "enum": list(setting.allowed)}
    else:
        items: Dict[str, Any] = {"type": "string"}
        if setting.allowed:
            items["enum"] = list(setting.allowed)
        out = {"type": "array", "items": items}
    out["description"] = setting.doc
    return out


_CFN_LINT_TYPES = {BOOL: "boolean", INT: "integer", CHOICE: "string", LIST: "list"}


def cfn_lint_definition(setting: Setting) -> Dict[str, Any]:
    """One entry of a cfn-lint rule's ``config_definition``."""
    out: Dict[str, Any] = {"default": list(setting.default) if setting.type == LIST
                           else setting.default, "type": _CFN_LINT_TYPES[setting.type]}
    if setting.type == LIST:
        out["itemtype"] = "string"
    return out


def cli_flag(setting: Setting) -> Tuple[str, Dict[str, Any]]:
    """The audit CLI flag and its ``argparse`` keyword arguments (``dest`` is the setting name).

    A LIST setting takes a comma-separated value, or one item per use when its flag is singular;
    a BOOL setting is a switch that turns it on."""
    flag = setting.flag or "--" + setting.name.replace("_", "-")
    kwargs: Dict[str, Any] = {"dest": setting.name, "help": setting.doc}
    if setting.type == BOOL:
        kwargs["action"] = "store_true"
    elif setting.type == INT:
        kwargs["type"] = int
    elif setting.type == LIST and setting.flag:
        kwargs["action"] = "append"
    elif setting.type == LIST:
        kwargs["type"] = _comma_list
    if setting.metavar:
        kwargs["metavar"] = setting.metavar
    return flag, kwargs


def _comma_list(text: str) -> List[str]:
    return [x for x in text.split(",") if x]


def describe(setting: Setting) -> str:
    """One line for a docs page: name, type, default and what it does."""
    if setting.type == LIST:
        kind = "list of " + ("`" + "`, `".join(setting.allowed) + "`" if setting.allowed
                             else "strings")
        default = "[" + ", ".join(setting.default) + "]"
    elif setting.type == CHOICE:
        kind, default = "one of `" + "`, `".join(setting.allowed) + "`", setting.default
    elif setting.type == BOOL:
        kind, default = "boolean", str(setting.default).lower()
    else:
        kind = "integer" + (f" ≥ {setting.minimum}" if setting.minimum is not None else "")
        default = str(setting.default)
    return f"`{setting.name}` ({kind}; default `{default}`): {setting.doc}"
