"""Findings as the short texts AWS shows: a Config annotation (≤ 256 characters) and a hook
message (CloudFormation truncates it at 4096 characters, so it is cut here, on our terms)."""

from __future__ import annotations

from typing import Iterable, List

from .settings import ordered

ANNOTATION_MAX = 256
HOOK_MESSAGE_MAX = 4096
_ELLIPSIS = "…"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + _ELLIPSIS


def brief(finding, limit: int = 72) -> str:
    """``CFH001 <what>``: the message up to its explanation (the part after the first ': ')."""
    what = finding.message.split(": ", 1)[0]
    if finding.example_path and finding.example_path not in what:
        what += f" (e.g. {finding.example_path})"
    return f"{finding.code} {_clip(what, limit)}"


def _fit(parts: List[str], limit: int, sep: str = "; ") -> str:
    """Join as many parts as fit with a ``+N more`` tail when some are left out."""
    out: List[str] = []
    for i, part in enumerate(parts):
        rest = len(parts) - i - 1
        tail = f"{sep}+{rest} more" if rest else ""
        candidate = sep.join(out + [part])
        if len(candidate) + len(tail) <= limit:
            out.append(part)
            continue
        left = len(parts) - len(out)
        more = f"+{left} more"
        text = sep.join(out + [more]) if out else _clip(part, limit - len(sep + more)) + sep + more
        return text[:limit]
    return sep.join(out)


def annotation(findings: Iterable, limit: int = ANNOTATION_MAX) -> str:
    """"CFH001 cache behaviour /api/* has ViewerProtocolPolicy allow-all; CFH002 …; +3 more"."""
    items = ordered(findings)
    return _fit([brief(f) for f in items], limit) if items else ""


def _note_line(note) -> str:
    text = f"{note.code} ({note.kind}) {note.resource}: {note.message}"
    if getattr(note, "condition", None):
        text += f" (when {note.condition})"
    return text


def undecided_head(count: int) -> str:
    """"3 values could not be decided" (the phrase every hook answer with notes carries)."""
    return f"{count} value{'s' if count != 1 else ''} could not be decided"


def hook_message(findings: Iterable, fail_on: str, blocking_count: int,
                 limit: int = HOOK_MESSAGE_MAX, notes: Iterable = (),
                 not_evaluated: Iterable = (), suppressed: Iterable = ()) -> str:
    """One line per finding (resource, code, full message), blocking ones first; then what
    could not be decided (``notes``: they decide nothing, but the caller must see them) and the
    distributions that could not be evaluated at all (``not_evaluated``: ``(resource, reason)``)
    and the findings resource metadata or tags suppressed (``suppressed``: ``(finding, reason)``; they
    block nothing, but a reviewer sees that they were silenced and where).
    Notes and unevaluated distributions keep a share of the limit, so that many findings never
    push them out of the message."""
    items = ordered(findings)
    notes = list(notes)
    not_evaluated = list(not_evaluated)
    tail_parts: List[str] = []
    if notes:
        head = f"cfhttps: {undecided_head(len(notes))}:"
        if not items:
            head = f"cfhttps: no findings; {undecided_head(len(notes))}:"
        tail_parts.append(_fit([head] + [_note_line(n) for n in notes],
                               limit // 4 if items else limit // 2, sep="\n"))
    if not_evaluated:
        tail_parts.append(_fit([f"cfhttps: not evaluated: {res}: {why}" for res, why in not_evaluated],
                               limit // 4, sep="\n"))
    suppressed = list(suppressed)
    if suppressed:
        tail_parts.append(_fit([f"cfhttps: {len(suppressed)} finding(s) suppressed by resource "
                                f"metadata or tags:"] + [f"{f.code} {f.resource}: {why}"
                                                 for f, why in suppressed],
                               limit // 8, sep="\n"))
    tail = "\n".join(tail_parts)
    if not items:
        return tail[:limit] if tail else "cfhttps: no findings"
    head = (f"cfhttps: {blocking_count} finding(s) at or above {fail_on}"
            if blocking_count else f"cfhttps: no finding at or above {fail_on}; "
                                   f"{len(items)} below it")
    lines = []
    for f in items:
        text = f"{f.code} [{f.severity}] {f.resource}: {f.message}"
        if f.condition:
            text += f" (when {f.condition})"
        lines.append(text)
    room = limit - (len(tail) + 1 if tail else 0)
    body = _fit([head + ":"] + lines, room, sep="\n")
    return (body + "\n" + tail if tail else body)[:limit]
