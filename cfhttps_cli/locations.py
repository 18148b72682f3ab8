"""Portable names for audited files, so that baseline fingerprints survive how a path is typed.

``examples/bad``, ``./examples/bad/``, ``/abs/examples/bad`` or the same tree audited from another
working directory must give the same fingerprints. A file is named by its path relative to the
root of the git work tree that holds it (the folder with ``.git``), or, outside a repository,
relative to the audited folder it was found in (its own name when it was named explicitly).
Separators are always ``/``.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, Optional


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Locator:
    def __init__(self, audited: Iterable[str]) -> None:
        roots = [os.path.realpath(p) for p in audited if os.path.isdir(p)]
        self.roots = sorted(set(roots), key=len, reverse=True)  # innermost folder first
        self._git: Dict[str, Optional[str]] = {}

    def git_root(self, folder: str) -> Optional[str]:
        """The innermost folder at or above ``folder`` holding ``.git`` (a folder, or a file in a
        linked work tree or submodule), or None."""
        seen = []
        current = folder
        found: Optional[str] = None
        while True:
            if current in self._git:
                found = self._git[current]
                break
            seen.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for s in seen:
            self._git[s] = found
        return found

    def name(self, file: str) -> str:
        real = os.path.realpath(file)
        top = self.git_root(os.path.dirname(real))
        if top is None:
            top = next((r for r in self.roots if _within(real, r)), os.path.dirname(real))
        return os.path.relpath(real, top).replace(os.sep, "/")
