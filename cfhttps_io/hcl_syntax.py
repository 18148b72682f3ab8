"""Read a ``.tf`` file (HCL native syntax) into plain data: blocks with their labels and lines,
attributes with their line and the expression's source text.

The parser is tree-sitter with the tree-sitter-hcl grammar (the ``terraform`` extra): its C
parser reads a module in about a millisecond, where a pure-Python LALR parser spent most of a
sweep's time. Only the body structure is walked here (blocks, attributes, labels); an
expression is kept as the text the file holds, which :mod:`rules.sources.terraform_hcl` reads and
evaluates. A file with a syntax error anywhere is refused whole, with the line and column of the
first error, as ``terraform validate`` refuses it — a value is never read out of a recovered
parse.

HCL native syntax: https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md (bodies,
attributes, blocks, labels; an argument may be set only once in a body).
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable, Dict, List, Optional

from rules.sources.terraform_hcl import Expr, Failure

MAX_BLOCK_DEPTH = 64  # nested blocks in one file (the provider's deepest schema nests 4)
# tree-sitter reads a valid file in linear time (a 5 MiB file in at most about 4 s), but its error
# recovery on some malformed files is worse than quadratic: one unclosed "${ early in a file of
# interpolated strings took 63 s for 325 kB (an hour at 5 MiB); quoted templates nested 64 deep
# (past what the grammar's scanner can save) likewise. A parse still running after this long is
# abandoned and the file refused. It is the one bound here measured in time, not in input: set
# far above what any valid file needs, so that only such files reach it.
MAX_PARSE_SECONDS = 30.0
_CHUNK = 1 << 16
_LANGUAGE: List[Any] = []
_TEMPLATE_SEQUENCE = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")
# A suppression comment (rules/suppression.py): ``# cfhttps:ignore CFH004 E9101 -- why``.
_IGNORE = re.compile(r"(?:#|//|/\*)\s*cfhttps:ignore(?![\w-])(.*?)(?:\*/\s*)?$", re.S)


def _parser():
    """A tree-sitter parser for HCL; raises ImportError when the extra is not installed. A
    parser is made per file (parsers are not thread-safe); the grammar is loaded once."""
    import tree_sitter
    if not _LANGUAGE:
        import tree_sitter_hcl
        _LANGUAGE.append(tree_sitter.Language(tree_sitter_hcl.language()))
    return tree_sitter.Parser(_LANGUAGE[0])


def available() -> bool:
    try:
        import tree_sitter  # noqa: F401
        import tree_sitter_hcl  # noqa: F401
    except ImportError:
        return False
    return True


class _Refused(Exception):
    pass


def _first_error(node) -> Optional[Any]:
    """The first ERROR or MISSING node, depth first in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


def _where(node) -> str:
    row, col = node.start_point
    return f"line {row + 1}, column {col + 1}"


def _label(node, src: bytes) -> str:
    """A block label: an identifier, or a quoted literal string (escapes decoded by the
    evaluator's reader of quoted strings); a label holding an interpolation is refused, as HCL
    refuses it."""
    text = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    if node.type == "identifier":
        return text
    if node.type != "string_lit":
        raise _Refused(f"{_where(node)}: a block label is a quoted string or a name")
    if _TEMPLATE_SEQUENCE.search(text) or any(
            part.type in ("template_interpolation", "template_directive")
            for part in node.children):
        raise _Refused(f"{_where(node)}: a block label cannot hold a template sequence")
    try:
        value = Expr(text, None).parse()
    except Failure as exc:
        raise _Refused(f"{_where(node)}: a block label that is not a quoted string ({exc})")
    if not isinstance(value, str):
        raise _Refused(f"{_where(node)}: a block label that is not a quoted string")
    return value


def _ignore(text: str, line: int) -> Optional[tuple]:
    """(line, the names and reason after ``cfhttps:ignore``) of a suppression comment's text."""
    if "cfhttps:ignore" not in text:
        return None
    m = _IGNORE.match(text.strip())
    return (line, m.group(1).strip()) if m else None


def _inner_ignores(block, src: bytes) -> List[tuple]:
    """The suppression comments anywhere inside ``block`` (its body, nested blocks, the lines
    of its braces), in source order."""
    if b"cfhttps:ignore" not in src[block.start_byte:block.end_byte]:
        return []
    out, stack = [], [block]
    while stack:
        n = stack.pop()
        if n.type == "comment":
            found = _ignore(src[n.start_byte:n.end_byte].decode("utf-8", "replace"),
                            n.start_point[0] + 1)
            if found:
                out.append(found)
        else:
            stack.extend(reversed(n.children))
    return out


def _header_ignores(lines: List[bytes], row: int, floor: int) -> List[tuple]:
    """The suppression comments on the comment lines right above ``row`` (no blank line
    between), not reaching up to ``floor`` (the last row of the item before)."""
    out = []
    r = row - 1
    while r > floor and r >= 0:
        text = lines[r].strip()
        if not (text.startswith((b"#", b"//")) or text.startswith(b"/*") and text.endswith(b"*/")):
            break
        found = _ignore(text.decode("utf-8", "replace"), r + 1)
        if found:
            out.append(found)
        r -= 1
    return out[::-1]


def _body(node, src: bytes, file: str, depth: int, lines: Optional[List[bytes]] = None
          ) -> Dict[str, Any]:
    """A body's attributes and blocks. A top-level block keeps the ``cfhttps:ignore`` comments
    written inside it or on their own lines right above it (``"ignore": [(line, text)]``)."""
    attributes: Dict[str, Any] = {}
    blocks: List[Dict[str, Any]] = []
    if depth > MAX_BLOCK_DEPTH:
        raise _Refused(f"{_where(node)}: blocks nested more than {MAX_BLOCK_DEPTH} deep")
    item_end = -1  # the row where the last attribute or block ends
    for child in (node.named_children if node is not None else ()):
        kind = child.type
        if kind == "comment":
            continue
        floor, item_end = item_end, child.end_point[0]
        if kind == "attribute":
            parts = child.named_children
            name = src[parts[0].start_byte:parts[0].end_byte].decode("utf-8", "replace")
            expr = parts[-1]
            line = child.start_point[0] + 1
            if name in attributes:
                raise _Refused(f"line {line}: the argument {name!r} was already set at line "
                               f"{attributes[name]['line']} (each argument may be set only "
                               f"once)")
            attributes[name] = {"value": src[expr.start_byte:expr.end_byte].decode(
                "utf-8", "replace"), "line": line}
        elif kind == "block":
            parts = child.named_children
            heads = [p for p in parts if p.type not in ("block_start", "block_end", "body",
                                                       "comment")]
            inner = next((p for p in parts if p.type == "body"), None)
            labels = [_label(p, src) for p in heads[1:]]
            block_type = src[heads[0].start_byte:heads[0].end_byte].decode("utf-8", "replace")
            ignore = []
            if depth == 0 and b"cfhttps:ignore" in src:
                if lines is None:
                    lines = src.split(b"\n")
                ignore = _header_ignores(lines, child.start_point[0], floor) + \
                    _inner_ignores(child, src)
            blocks.append({"type": block_type, "labels": labels,
                           "line": child.start_point[0] + 1, "file": file,
                           **_body(inner, src, file, depth + 1, lines),
                           **({"ignore": ignore} if ignore else {})})
    return {"attributes": attributes, "blocks": blocks}


_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEREDOC_START = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


def _fraction_before_exponents(text: str) -> str:
    """``1e3`` written ``1.0e3`` outside strings, comments and heredocs. HCL's NumericLit allows
    an exponent without a fraction; tree-sitter-hcl 1.2's ``numeric_lit`` does not (an exponent
    only after ``.digits``), so a file that fails to parse is read again in this form (same
    lines; the value is the same number)."""
    out: List[str] = []
    stack: List[List[Any]] = []  # ["s"] in a quoted template, ["i", depth] in its ${ }
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        top = stack[-1] if stack else None
        if top is not None and top[0] == "s":
            j = i + 1
            if c == "\\":
                j = i + 2
            elif c == '"':
                stack.pop()
            elif text.startswith(("${", "%{"), i):
                stack.append(["i", 0])
                j = i + 2
            out.append(text[i:j])
            i = j
            continue
        j = i + 1
        if c == '"':
            stack.append(["s"])
        elif c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("<<", i) and _HEREDOC_START.match(text, i):
            m = _HEREDOC_START.match(text, i)
            end = re.compile(r"^[ \t]*" + re.escape(m.group(1)) + r"[ \t]*\r?$", re.M)
            e = end.search(text, m.end())
            j = n if e is None else e.end()
        elif top is not None and c == "{":
            top[1] += 1
        elif top is not None and c == "}":
            if top[1] == 0:
                stack.pop()
            else:
                top[1] -= 1
        elif _NAME.match(text, i):
            j = _NAME.match(text, i).end()
        elif c.isdigit():
            m = _NUMBER.match(text, i)
            j = m.end()
            if m.group(2) and not m.group(1):
                out.append(text[i:m.start(2)] + ".0" + m.group(2))
                i = j
                continue
        out.append(text[i:j])
        i = j
    return "".join(out)


def parse_text(text: str, name: str, error: Callable[[str], Exception]) -> Dict[str, Any]:
    """One ``.tf`` text as ``{"attributes", "blocks"}``; raises ``error(message)`` naming the file
    and where it is not valid HCL, or ImportError without the extra."""
    parser = _parser()
    src = text.encode("utf-8", "replace")
    deadline = time.monotonic() + MAX_PARSE_SECONDS

    def parse(data: bytes):
        try:
            return parser.parse(lambda offset, _point: data[offset:offset + _CHUNK],
                                progress_callback=lambda _o, _e: time.monotonic() > deadline)
        except ValueError:  # cancelled by the progress callback
            raise error(f"{name}: not valid HCL, or not read: the parser gave up after "
                        f"{MAX_PARSE_SECONDS:g} s, as it does on some malformed files (look for "
                        f"an unclosed \"${{\" or quote, or templates nested very deep)") from None

    tree = parse(src)
    root = tree.root_node
    if root.has_error:
        fixed = _fraction_before_exponents(text)
        if fixed != text:
            retry = parse(fixed.encode("utf-8", "replace"))  # within the same deadline
            if not retry.root_node.has_error:
                src, tree, root = fixed.encode("utf-8", "replace"), retry, retry.root_node
    if root.has_error:
        bad = _first_error(root)
        if bad is None:
            raise error(f"{name}: not valid HCL")
        if bad.is_missing:
            raise error(f"{name}: not valid HCL ({_where(bad)}: {bad.type!r} expected)")
        snippet = src[bad.start_byte:bad.end_byte].decode("utf-8", "replace")
        snippet = snippet.strip().splitlines()[0][:60] if snippet.strip() else ""
        raise error(f"{name}: not valid HCL ({_where(bad)}: unexpected "
                    f"{snippet!r})" if snippet else f"{name}: not valid HCL ({_where(bad)})")
    body = next((c for c in root.named_children if c.type == "body"), None)
    try:
        return _body(body, src, name, 0)
    except _Refused as exc:
        raise error(f"{name}: not valid HCL ({exc})") from None
