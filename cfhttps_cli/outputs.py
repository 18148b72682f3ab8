"""Where reports and baselines go: refused when they would overwrite an input, written atomically.

Two promises (docs/audit.md, "Outputs never destroy inputs"):

- an output path that is an input (the same file, a hard or symbolic link to it, the config or
  baseline read by this run) or that a sweep of this run would read as an input (inside a swept
  folder, with a swept extension, outside the folders a sweep passes over) is refused before
  anything is read or written;
- a report or baseline replaces its file only once the audit has finished and every output is
  complete: each is written to a temporary file in its own folder and renamed over the target,
  so a failure (disk full, a folder that vanished) leaves every existing file as it was.
"""

from __future__ import annotations

import os
import tempfile
from typing import Dict, Iterable, List, Optional

from .inputs import EXTENSIONS, swept_dir_allowed


class OutputError(Exception):
    """An output that cannot or must not be written; the message is meant for the user."""


def _real(path: str) -> str:
    return os.path.realpath(path)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _swept_by(target: str, folder: str) -> bool:
    """Would a sweep of ``folder`` read ``target`` (real paths)?"""
    if not target.endswith(EXTENSIONS):
        return False
    rel = os.path.relpath(target, folder)
    if rel == os.curdir or rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        return False
    parts = rel.split(os.sep)[:-1]
    return all(swept_dir_allowed(p) for p in parts)


def _identity(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def check(outputs: Dict[str, Optional[str]], paths: Iterable[str], files: Iterable[str],
          read_files: Dict[str, Optional[str]], allowed_same: Iterable[tuple] = ()) -> None:
    """Refuse outputs that are, or would be read as, inputs; outputs that cannot be created.

    ``outputs``: option name -> path; ``paths``: the audited files and folders as given;
    ``files``: the files discovered in them; ``read_files``: other files this run reads (option
    name -> path); ``allowed_same``: (output option, input option) pairs that may name the same
    file (``--write-baseline`` over ``--baseline``). Nothing is opened: names and inodes only.
    """
    allowed = set(allowed_same)
    paths = list(paths)
    inputs_by_identity = {}
    for f in files:
        ident = _identity(f)
        if ident is not None:
            inputs_by_identity.setdefault(ident, f)
    named = [(opt, p) for opt, p in outputs.items() if p]
    for i, (opt, path) in enumerate(named):
        if path == "-" or os.path.isdir(path):
            raise OutputError(f"{opt} {path}: is a directory or not a file name")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise OutputError(f"{opt} {path}: folder {folder} does not exist")
        target = _real(path)
        for other_opt, other in named[:i]:
            if target == _real(other) or _same_file(path, other):
                raise OutputError(f"{opt} {path}: the same file as {other_opt}")
        for in_opt, in_path in read_files.items():
            if not in_path or (opt, in_opt) in allowed:
                continue
            if target == _real(in_path) or _same_file(path, in_path):
                raise OutputError(f"{opt} {path}: is the file given to {in_opt}; refusing to "
                                  f"overwrite an input")
        ident = _identity(path)
        if ident is not None and ident in inputs_by_identity:
            raise OutputError(f"{opt} {path}: is the audited input "
                              f"{inputs_by_identity[ident]} (same file or a link to it); "
                              f"refusing to overwrite it")
        for p in paths:
            if target == _real(p) or _same_file(path, p):
                raise OutputError(f"{opt} {path}: is an audited input; refusing to overwrite it")
            if os.path.isdir(p) and _swept_by(target, _real(p)):
                raise OutputError(f"{opt} {path}: lies in the audited folder {p} and would be "
                                  f"read as an input; write it outside the folder (or in a "
                                  f"folder whose name starts with '.')")


class AtomicFile:
    """A text file written to a temporary name beside its target and renamed over it on commit."""

    def __init__(self, path: str, opt: str) -> None:
        self.path = path
        self.opt = opt
        folder = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                                            suffix=".tmp")
        except OSError as exc:
            raise OutputError(f"cannot write {opt} {path}: {exc.strerror or exc}") from None
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def finish(self) -> None:
        """Flush the complete content to disk (still under the temporary name)."""
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
        except OSError as exc:
            raise OutputError(f"cannot write {self.opt} {self.path}: {exc.strerror or exc}") from None

    def commit(self) -> None:
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(self.tmp, mode)  # mkstemp makes 0600; keep the target's (or the usual) mode
            os.replace(self.tmp, self.path)
        except OSError as exc:
            raise OutputError(f"cannot write {self.opt} {self.path}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def commit_all(files: List[AtomicFile]) -> None:
    """Every file complete first, then every rename; on any failure no target is touched."""
    try:
        for f in files:
            f.finish()
    except OutputError:
        discard_all(files)
        raise
    for i, f in enumerate(files):
        try:
            f.commit()
        except OutputError:
            discard_all(files[i:])
            raise


def discard_all(files: List[AtomicFile]) -> None:
    for f in files:
        f.discard()
