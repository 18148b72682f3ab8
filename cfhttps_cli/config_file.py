"""Find the audit's configuration file and read its settings table, refusing what it cannot use.

Why strict: a setting the audit silently drops (a misplaced table, a typo) looks applied and is
not, so every key the file holds is either used or refused (exit 2) with a message naming the
key, the file and what is allowed. One layout (docs/configuration.md):

- ``cfhttps.toml``: the settings at the top level, *or* every setting inside one ``[cfhttps]``
  table (``[cfhttps.rules.CFH006]``) -- never both: a file with a ``[cfhttps]`` table and other
  top-level keys is refused, naming them;
- ``pyproject.toml``: the same keys in ``[tool.cfhttps]`` (``[tool.cfhttps.rules.CFH006]``); the
  file's other tables belong to other tools and are not read.

The keys are the engine's settings (``rules.settings``), ``rules`` and the audit's own ``exclude``.
Parsing values into a :class:`~rules.config.Config` is the registry's (``from_mapping``); this
module only finds the table and checks its shape.

Discovery (no ``--config``, no ``--no-config``), as ruff and black find theirs: from the current
directory upwards, the first folder holding ``cfhttps.toml``, or a ``pyproject.toml`` with a
``[tool.cfhttps]`` table (one without it is passed over), wins; the search stops after the
repository root (a folder holding ``.git`` or ``.hg``) or at the filesystem root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from rules.config import KEYS

STANDALONE = "cfhttps.toml"
PYPROJECT = "pyproject.toml"
AUDIT_KEYS = ("exclude",)  # read by the audit's sweep, not by the engine
ALL_KEYS = KEYS + AUDIT_KEYS
REPOSITORY_MARKERS = (".git", ".hg")


class ConfigFileError(Exception):
    """A configuration file that cannot be used; the message is meant for the user."""


@dataclass
class Found:
    """The settings table of one file, or none (``path`` None: defaults and flags only)."""

    path: Optional[str] = None
    table: str = ""  # "" (top level), "cfhttps" or "tool.cfhttps": how keys are named in messages
    data: Dict[str, Any] = field(default_factory=dict)
    searched: List[str] = field(default_factory=list)  # the folders discovery looked in
    how: str = ""  # "--config", "discovered", "--no-config" or "" (nothing found)

    def describe(self) -> str:
        """One line for ``--verbose``."""
        if self.how == "--no-config":
            return "configuration: none (--no-config): defaults and flags only"
        if self.path is None:
            where = (f"{self.searched[0]} up to {self.searched[-1]}" if len(self.searched) > 1
                     else (self.searched[0] if self.searched else "nowhere"))
            return (f"configuration: none found ({STANDALONE} or {PYPROJECT} [tool.cfhttps], "
                    f"searched {where}): defaults and flags only")
        table = f" [{self.table}]" if self.table else ""
        return f"configuration: {self.path}{table} ({self.how})"


def load_toml(path: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigFileError(f"{path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(f"{path}: invalid TOML: {exc}") from None


def _stray_names(doc: Dict[str, Any]) -> List[str]:
    """Top-level keys as a user wrote them: ``[rules.CFH006]``, ``[typo]``, ``key``."""
    names = []
    for key, value in doc.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            names += [f"[{key}.{sub}]" for sub in value]
        elif isinstance(value, dict):
            names.append(f"[{key}]")
        else:
            names.append(key)
    return names


def settings_table(doc: Dict[str, Any], path: str) -> Tuple[str, Dict[str, Any]]:
    """(table name, settings) of a parsed file; refuses a layout the audit would misread."""
    if os.path.basename(path) == PYPROJECT:
        tool = doc.get("tool")
        table = tool.get("cfhttps") if isinstance(tool, dict) else None
        if table is None:
            hint = (" (a top-level [cfhttps] table in pyproject.toml is not read: rename it "
                    "[tool.cfhttps])" if "cfhttps" in doc else "")
            raise ConfigFileError(f"{path}: no [tool.cfhttps] table{hint}")
        if not isinstance(table, dict):
            raise ConfigFileError(f"{path}: tool.cfhttps must be a table, not "
                                  f"{type(table).__name__}")
        return "tool.cfhttps", table
    if "cfhttps" not in doc:
        if "tool" in doc and isinstance(doc["tool"], dict) and "cfhttps" in doc["tool"]:
            raise ConfigFileError(f"{path}: [tool.cfhttps] belongs in {PYPROJECT}; in this file "
                                  f"put the settings at the top level (or in [cfhttps])")
        return "", doc
    table = doc["cfhttps"]
    if not isinstance(table, dict):
        raise ConfigFileError(f"{path}: cfhttps must be a table, not {type(table).__name__}")
    others = {k: v for k, v in doc.items() if k != "cfhttps"}
    if others:
        names = ", ".join(_stray_names(others))
        raise ConfigFileError(
            f"{path}: {names} outside the [cfhttps] table. This file has a [cfhttps] table, so "
            f"every setting must be inside it (e.g. [cfhttps.rules.CFH006], "
            f"cfhttps.sensitive_paths); or drop the [cfhttps] table and keep every key at the "
            f"top level. Nothing outside [cfhttps] would be read.")
    return "cfhttps", table


def unknown_keys(found: Found) -> List[str]:
    """Messages for the keys of the table that are no setting (the registry checks the rest)."""
    prefix = found.table + "." if found.table else ""
    return [f"{prefix}{k}: unknown setting; known: {', '.join(ALL_KEYS)}"
            for k in found.data if k not in ALL_KEYS]


def read(path: str, how: str) -> Found:
    doc = load_toml(path)
    table, data = settings_table(doc, path)
    return Found(path=path, table=table, data=dict(data), how=how)


def _has_tool_table(path: str) -> bool:
    """Does this pyproject.toml configure cfhttps? A misplaced top-level [cfhttps] says yes, so
    that it is refused loudly rather than passed over."""
    doc = load_toml(path)
    tool = doc.get("tool")
    return (isinstance(tool, dict) and "cfhttps" in tool) or "cfhttps" in doc


def discover(start: str) -> Found:
    """The first configuration from ``start`` upwards (module docstring), or none."""
    searched = []
    folder = os.path.abspath(start)
    while True:
        searched.append(folder)
        candidate = os.path.join(folder, STANDALONE)
        if os.path.isfile(candidate):
            found = read(candidate, "discovered")
            found.searched = searched
            return found
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            found = read(candidate, "discovered")
            found.searched = searched
            return found
        parent = os.path.dirname(folder)
        if parent == folder or any(os.path.exists(os.path.join(folder, m))
                                   for m in REPOSITORY_MARKERS):
            return Found(searched=searched)
        folder = parent
