"""Template text made harmless for terminals and Markdown viewers.

A path pattern, logical id or condition name is the template author's text, and it reaches the
text and Markdown reports: an ESC sequence could clear the screen or move the cursor to forge
report lines, a bidi override (U+202E) could make a line read differently from what it says.
Every such character is shown as an escape (``\\x1b``, ``\\u202e``) instead. JSON and SARIF
keep the exact text (their encoders escape control characters themselves).
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls, DEL, C1 controls, and the Unicode format/separator characters that steer the
# display: bidi embeddings, overrides and isolates, marks, zero-width characters, line and
# paragraph separators. Tab and newline are escaped too: a report line is one line.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]")


def _escape(match: "re.Match[str]") -> str:
    ch = match.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text) -> str:
    """``text`` with every character that could steer a terminal or a reader's eye escaped."""
    s = str(text)
    if s.isprintable() and not _UNSAFE.search(s):
        return s
    s = _UNSAFE.sub(_escape, s)
    # Anything else Python considers unprintable and of a format/control category.
    return "".join(c if c.isprintable() or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")
                   else _escape_char(c) for c in s)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
