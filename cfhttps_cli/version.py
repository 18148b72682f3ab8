"""This cfhttps's version, for ``--version`` and the SARIF driver: installed, or from a checkout.

Why a fallback: run from a clone without installing (``python -m cfhttps_cli.main``), there is no
package metadata, but the checkout's ``pyproject.toml`` still says which version the code is.
"""

from __future__ import annotations

import os
from importlib import metadata

NAME = "cfhttps"
UNKNOWN = "0+unknown"


def _checkout_version() -> str:
    """``[project] version`` of the pyproject.toml beside this package, if it is cfhttps's."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "pyproject.toml")
    try:
        from .config_file import ConfigFileError, load_toml
        project = load_toml(path).get("project", {})
    except (ConfigFileError, AttributeError):
        return UNKNOWN
    if isinstance(project, dict) and project.get("name") == NAME and \
            isinstance(project.get("version"), str):
        return project["version"]
    return UNKNOWN


def version() -> str:
    try:
        return metadata.version(NAME)
    except metadata.PackageNotFoundError:
        return _checkout_version()


def describe() -> str:
    """The ``--version`` line."""
    try:
        return f"{NAME} {metadata.version(NAME)}"
    except metadata.PackageNotFoundError:
        found = _checkout_version()
        return f"{NAME} {found} (from the source tree, not installed)" if found != UNKNOWN \
            else f"{NAME} {UNKNOWN} (not installed; no pyproject.toml beside the code)"
