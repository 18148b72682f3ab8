"""What a sweep of a folder passes over, and why: environments, tool folders, ``--exclude`` globs.

Why: a folder of infrastructure code also holds things that are not infrastructure -- a Python
virtual environment (Pulumi's default ``venv/``: thousands of JSON and YAML files), packages,
caches, a CDK app's bundled assets -- and reading them costs time and buries the report in skipped
files. Every folder passed over is reported (``--verbose`` says which and why, the summary counts
them): nothing is skipped silently.

Passed over by default (only folders *found* in a sweep; a folder named on the command line is
swept, whatever its name):

- a folder whose name starts with ``.`` (``.git``, ``.venv``, ``.tox``, ``.terraform``,
  ``.aws-sam``, ``.serverless``, ...): tools' state, never the source of truth;
- ``node_modules``, ``__pycache__``, ``site-packages``;
- a Python virtual environment, whatever its name: a folder holding ``pyvenv.cfg`` (PEP 405), or a
  conda environment (a folder holding ``conda-meta``);
- in a CDK cloud assembly (``cdk.out``, a folder holding ``manifest.json``), the ``asset.*``
  folders: bundled Lambda code and files, not templates. ``cdk.out`` itself *is* swept: its
  ``*.template.json`` are the synthesized CloudFormation templates that will be deployed, which
  is what an audit should judge.

``--exclude GLOB`` (repeatable) and the configuration's ``exclude`` list add globs, as ruff's
``exclude``/``extend-exclude`` do: a glob without ``/`` matches a file or folder name at any depth
(``fixtures``, ``*.generated.yaml``); a glob with ``/`` matches the path relative to the folder
the glob was given from -- the current directory for ``--exclude``, the configuration file's
folder for ``exclude`` (``tests/fixtures``, ``stacks/*/old``). ``*`` crosses ``/``; a leading
``**/`` or ``./`` and a trailing ``/`` are ignored. A configuration file's globs apply only inside
its own folder (the project it configures). Globs apply to paths named on the command line too
(pre-commit names files), which are then skipped with the glob as the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Iterable, List, Optional, Tuple

TOOL_FOLDERS = {
    "node_modules": "Node.js packages",
    "__pycache__": "Python bytecode cache",
    "site-packages": "installed Python packages",
}


def name_skip_reason(name: str) -> Optional[str]:
    """Why a folder is passed over by its name alone (outputs.py relies on this part too)."""
    if name.startswith("."):
        return "hidden folder (tool or version-control state)"
    if name in TOOL_FOLDERS:
        return TOOL_FOLDERS[name]
    return None


def folder_skip_reason(path: str) -> Optional[str]:
    """Why a folder found in a sweep is passed over by default, or None to sweep it."""
    name = os.path.basename(path.rstrip(os.sep))
    reason = name_skip_reason(name)
    if reason:
        return reason
    if os.path.isfile(os.path.join(path, "pyvenv.cfg")):
        return "a Python virtual environment (holds pyvenv.cfg)"
    if os.path.isdir(os.path.join(path, "conda-meta")):
        return "a conda environment (holds conda-meta)"
    if name.startswith("asset.") and \
            os.path.isfile(os.path.join(os.path.dirname(path.rstrip(os.sep)), "manifest.json")):
        return "a CDK asset folder (bundled code beside the cloud assembly's manifest.json)"
    return None


@dataclass(frozen=True)
class Glob:
    pattern: str  # as the user wrote it (shown in reasons)
    base: str  # absolute folder a glob with "/" is relative to
    origin: str  # "--exclude" or the configuration file's path
    scoped: bool = False  # a configuration file's glob: only for paths inside its folder

    @property
    def normalised(self) -> str:
        p = self.pattern.strip()
        while p.startswith("**/") or p.startswith("./"):
            p = p[3:] if p.startswith("**/") else p[2:]
        return p.strip("/") if p != "/" else p


class Excludes:
    def __init__(self, globs: Iterable[Glob] = ()) -> None:
        self.globs: Tuple[Glob, ...] = tuple(g for g in globs if g.normalised)

    def __bool__(self) -> bool:
        return bool(self.globs)

    def match(self, path: str, within_base: bool = False) -> Optional[str]:
        """The reason ``path`` (a file or folder) is excluded, or None. ``within_base``: only
        globs whose folder holds ``path`` count (for the folders above a named path)."""
        absolute = os.path.abspath(path)
        name = os.path.basename(absolute)
        for g in self.globs:
            raw = g.pattern.strip()
            if os.path.isabs(raw):  # an absolute glob names absolute paths
                if fnmatchcase(absolute, os.path.normpath(raw)):
                    return f"excluded by {g.pattern!r} ({g.origin})"
                continue
            pat = g.normalised
            rel = os.path.relpath(absolute, g.base)
            inside = rel != os.curdir and not rel.startswith(os.pardir)
            if (within_base or g.scoped) and not inside:
                continue
            if "/" not in pat:
                hit = fnmatchcase(name, pat)
            else:
                hit = inside and fnmatchcase(rel.replace(os.sep, "/"), pat)
            if hit:
                return f"excluded by {g.pattern!r} ({g.origin})"
        return None

    def match_named(self, path: str) -> Optional[str]:
        """For a path named on the command line: the path itself, or a folder above it that
        lies inside a glob's folder, excluded?"""
        reason = self.match(path)
        absolute = os.path.abspath(path)
        while not reason:
            parent = os.path.dirname(absolute)
            if parent == absolute:
                break
            absolute = parent
            reason = self.match(absolute, within_base=True)
        return reason


@dataclass
class Skip:
    path: str
    reason: str


def walk(root: str, excludes: Excludes, extensions: Tuple[str, ...]
         ) -> Tuple[List[str], List[Skip], List[Skip]]:
    """(files to audit, folders passed over, files excluded) under ``root``, sorted."""
    files: List[str] = []
    folders: List[Skip] = []
    excluded: List[Skip] = []
    for here, dirs, names in os.walk(root):
        keep = []
        for d in sorted(dirs):
            full = os.path.join(here, d)
            reason = folder_skip_reason(full) or excludes.match(full)
            if reason:
                folders.append(Skip(full, reason))
            else:
                keep.append(d)
        dirs[:] = keep
        for n in sorted(names):
            if n.endswith(extensions):
                full = os.path.join(here, n)
                reason = excludes.match(full)
                if reason:
                    excluded.append(Skip(full, reason))
                else:
                    files.append(full)
    return files, folders, excluded
