"""Settings for the AWS doors: the engine's names and validation, plus ``fail_on``.

AWS Config passes a rule's ``InputParameters`` as JSON whose values the console can only enter
as strings, and the hook reads the same object from its ``CFHTTPS_SETTINGS`` environment
variable. So a string value holding a JSON array, object or integer is decoded first
(``"[\\"/admin/*\\"]"``, ``"{\\"CFH009\\": {\\"enabled\\": false}}"``, ``"5000"``); everything else
goes to :func:`rules.config.from_mapping` as given, which applies the same names and checks as
every other door. Problems are returned, never guessed around.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Dict, List, Tuple

from rules.config import Config, from_mapping

FAIL_ON = ("error", "warning", "never")
RANK = {"warning": 1, "error": 2}
THRESHOLD = {"error": 2, "warning": 1, "never": 99}


def _decode(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("[", "{") or (text.isdigit() and len(text) < 12):
            try:
                return json.loads(text)
            except ValueError:
                return value
    return value


def parse(data: Any) -> Tuple[Config, str, List[str]]:
    """(engine Config, fail_on, problems) from a door's settings object (a mapping or JSON text)."""
    problems: List[str] = []
    if data is None or data == "":
        data = {}
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            return Config(), "error", [f"settings are not JSON: {exc}"]
    if not isinstance(data, Mapping):
        return Config(), "error", [f"settings must be a JSON object, got {type(data).__name__}"]
    values: Dict[str, Any] = {str(k): _decode(v) for k, v in data.items()}
    fail_on = values.pop("fail_on", "error")
    if fail_on not in FAIL_ON:
        problems.append(f"fail_on: expected one of {', '.join(FAIL_ON)}, got {fail_on!r}")
        fail_on = "error"
    config, errors = from_mapping(values)
    problems.extend(errors)
    return config, fail_on, problems


def blocking(findings, fail_on: str) -> list:
    """The findings at or above ``fail_on``."""
    threshold = THRESHOLD[fail_on]
    return [f for f in findings if RANK.get(f.severity, 0) >= threshold]


def ordered(findings) -> list:
    """Errors first, then by rule code, then as found (stable)."""
    return sorted(findings, key=lambda f: (-RANK.get(f.severity, 0), f.code))
