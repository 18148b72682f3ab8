"""What the check modules share: building findings and notes, and reading a behaviour's viewer
policy and methods."""

from __future__ import annotations

from typing import Optional, Tuple

from ..model import Distribution, Finding, Note, NoteKind, Path

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
HTTP_ADMITTING = ("allow-all",)
HTTPS_REQUIRING = ("redirect-to-https", "https-only")


def finding(code: str, dist: Distribution, path: Path, message: str,
            example_path: Optional[str] = None, note: Optional[str] = None,
            fix: Optional[str] = None) -> Finding:
    """A finding at ``path``; ``fix`` is a value that, written at ``path``, resolves it.

    Its severity is left to the engine, which knows the configuration."""
    path = tuple(path)
    # Positional: a named tuple built from keywords costs twice as much, and checks build many.
    return Finding(code, message, "", dist.name, path, example_path, dist.condition, note,
                   (path, fix) if fix is not None else None)


def note(code: str, dist: Distribution, path: Path, message: str, *,
         kind: str = NoteKind.UNKNOWN_VALUE) -> Note:
    """A note at ``path``; most say a deciding value is unknown, others give their ``kind``."""
    return Note(code, kind, message, dist.name, tuple(path), dist.condition)


def admits_http(behavior) -> Optional[bool]:
    """True/False when the viewer policy is known, None when it is not."""
    vpp = behavior.viewer_protocol_policy
    if not isinstance(vpp, str):
        return None
    if vpp in HTTP_ADMITTING:
        return True
    if vpp in HTTPS_REQUIRING:
        return False
    return None


def write_methods(methods) -> Tuple[str, ...]:
    """The write methods (``WRITE_METHODS`` order) in a list of HTTP methods, case ignored
    (elements that are not strings are ignored)."""
    given = {m.upper() for m in methods if isinstance(m, str)}
    return tuple(m for m in WRITE_METHODS if m in given)
