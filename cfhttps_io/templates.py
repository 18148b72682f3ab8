"""Template text (YAML with CloudFormation's short-form tags, or JSON) → data with line numbers.

The document is composed to a node tree with PyYAML's safe composer and converted by hand, so
that every path gets its (line, column). Composition shares aliased nodes (the tree is a graph as
small as the text); before anything is expanded, :func:`check_expansion` counts what the
conversion would build, node by node through every alias, and refuses a document whose aliases
would expand beyond a small budget (a "billion laughs" file is refused in milliseconds, in the
memory its text takes, instead of being expanded until a limit is hit).

Errors say what is wrong where: an empty template, truncated JSON, invalid JSON or YAML at a
line and column. A leading byte order mark is accepted (the CloudFormation console accepts a
template that starts with one: aws/aws-cdk#29792). Duplicate mapping keys are read (the last
value wins, as in every YAML/JSON reader the doors share) and told as ``input`` notes by
:func:`input_notes`: AWS documents CloudFormation's behaviour with duplicate sections as
undefined ("Although CloudFormation might accept the template, it will have an undefined
behavior", CloudFormation User Guide, "CloudFormation template format"), and cfn-lint refuses
such a template (E0000 "Duplicate found", cfnlint/decode/cfn_yaml.py and cfn_json.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Dict, List, Tuple

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from rules.model import Note, NoteKind

MAX_NODES = 2_000_000  # nodes of the expanded document, aliases or not
# Nodes that aliases may add on top of the document's own: templates use anchors for a few
# shared blocks (Serverless files), never for thousands of nodes.
MAX_ALIAS_NODES = 100_000

class Marks(dict):
    """path -> (line, column), plus the duplicate keys met while reading."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # (path of the key, line of its first occurrence, line of this one); lines are 0 when
        # the text was read as strict JSON (no positions)
        self.duplicates: list = []
        self.stray_bytes: list = []  # (line, byte) of bytes that are not UTF-8


class LoadError(ValueError):
    """A template that could not be read or parsed; the message is meant for the user."""


class EmptyTemplate(LoadError):
    """Nothing but whitespace, comments or a byte order mark."""


def check_expansion(root) -> None:
    """Refuse a composed document that would expand beyond the budgets, before expanding it.

    One pass over the distinct nodes (iterative, memoised by identity): the expanded size of a
    node is one plus the expanded sizes of its children, an aliased node counted every time it is
    referenced. A node that contains itself (``&a [*a]``) is refused as well.
    """
    size: Dict[int, int] = {}
    on_path = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1
            for child in _children(node):
                total += size[id(child)]
            size[key] = total
            if total > MAX_NODES or total - len(size) > MAX_ALIAS_NODES:
                raise LoadError(_bomb_message())
            continue
        if key in size:
            continue
        if key in on_path:
            raise LoadError("a YAML alias refers to a node that contains it (recursive "
                            "document); refused")
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            ckey = id(child)
            if ckey in on_path:
                raise LoadError("a YAML alias refers to a node that contains it (recursive "
                                "document); refused")
            if ckey not in size:
                stack.append((child, False))


def _children(node):
    if isinstance(node, MappingNode):
        for k, v in node.value:
            yield k
            yield v
    elif isinstance(node, SequenceNode):
        yield from node.value


def _bomb_message() -> str:
    return (f"YAML aliases expand the document beyond {MAX_ALIAS_NODES} extra nodes "
            f"(or {MAX_NODES} in all): alias bomb? refused before expanding it")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when PyYAML has it
    pass


_SHORT_TAGS = {
    "!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub",
    "!Join": "Fn::Join", "!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If",
    "!FindInMap": "Fn::FindInMap", "!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64",
    "!GetAZs": "Fn::GetAZs", "!Cidr": "Fn::Cidr", "!Equals": "Fn::Equals", "!And": "Fn::And",
    "!Or": "Fn::Or", "!Not": "Fn::Not", "!Transform": "Fn::Transform",
    "!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
}


class _Converter:
    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.marks = Marks()
        self.count = 0

    def mark(self, path: tuple, node) -> None:
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)

    def convert(self, node, path: tuple) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError(_bomb_message())
        tag = node.tag
        if tag in _SHORT_TAGS:
            key = _SHORT_TAGS[tag]
            inner_path = path + (key,)
            self.mark(inner_path, node)
            if isinstance(node, ScalarNode):
                value: Any = node.value
                if key == "Fn::GetAtt" and isinstance(value, str) and "." in value:
                    value = value.split(".", 1)
            else:
                value = self._plain(node, inner_path)
            return {key: value}
        return self._plain(node, path)

    def _plain(self, node, path: tuple) -> Any:
        if isinstance(node, MappingNode):
            out: Dict[Any, Any] = {}
            first_line: Dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise LoadError("YAML merge keys (<<) are not supported in templates")
                key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else None
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    key = str(key)
                child_path = path + (key,)
                line = key_node.start_mark.line + 1
                if key in out:
                    self.marks.duplicates.append((child_path, first_line[key], line))
                else:
                    first_line[key] = line
                self.mark(child_path, key_node)
                out[key] = self.convert(value_node, child_path)
            return out
        if isinstance(node, SequenceNode):
            items = []
            for i, child in enumerate(node.value):
                child_path = path + (i,)
                self.mark(child_path, child)
                items.append(self.convert(child, child_path))
            return items
        return self._scalar(node)

    def _scalar(self, node) -> Any:
        if node.tag.startswith("!"):
            return node.value  # unknown local tag: keep the text
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            return node.value


def parse_text(text: str, name: str = "<string>") -> Tuple[Any, Marks]:
    """Parse YAML or JSON text to plain data and a path → (line, column) table.

    Raises :class:`LoadError` (:class:`EmptyTemplate` for nothing at all) with a message that
    names the problem and, for syntax errors, its line and column."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise EmptyTemplate("empty template: the text holds nothing"
                            + (" but whitespace" if text else ""))
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            if name.endswith(".json") or text.lstrip()[:1] in ("{", "["):
                return _strict_json(text)
            raise LoadError(_yaml_error(exc)) from None
        if root is None:
            raise EmptyTemplate("empty template: the text holds only comments")
        check_expansion(root)
        conv = _Converter(loader)
        data = conv.convert(root, ())
        conv.marks.setdefault((), (1, 1))
        return data, conv.marks
    except RecursionError:
        raise LoadError("document nested too deeply") from None
    finally:
        loader.dispose()


def _yaml_error(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = " ".join(str(getattr(exc, "problem", None) or exc).split())
    context = getattr(exc, "context", None)
    if context:
        what = f"{what} ({' '.join(str(context).split())})"
    if mark is None:
        return f"invalid YAML: {what}"
    return f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {what}"


def json_without_positions(text: str) -> Tuple[Any, Marks]:
    """Python's JSON reader, which keeps no positions: duplicate keys are noted without lines.
    Raises :class:`json.JSONDecodeError` (and ``RecursionError`` for absurd nesting)."""
    marks = Marks()

    def pairs(items):
        out: Dict[Any, Any] = {}
        for key, value in items:
            if key in out:
                marks.duplicates.append(((key,), 0, 0))
            out[key] = value
        return out

    return json.loads(text, object_pairs_hook=pairs), marks


def _strict_json(text: str) -> Tuple[Any, Marks]:
    """Text that YAML refuses but that looks like JSON (tabs, ``\\/`` escapes)."""
    try:
        return json_without_positions(text)
    except json.JSONDecodeError as exc:
        # the reader ran out of text: at the end, or inside a string never closed
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise LoadError(f"invalid JSON: truncated: the text ends at line {exc.lineno} before the "
                            f"document is complete ({exc.msg})") from None
        raise LoadError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: "
                        f"{exc.msg}") from None


def load_template(value: Any, name: str = "template") -> Tuple[Any, Marks]:
    """A template as a door receives it: an already parsed object (returned as is), text, or
    UTF-8 bytes (a byte order mark is accepted). Raises :class:`LoadError`."""
    if isinstance(value, Mapping):
        marks = Marks()
        marks[()] = (1, 1)
        return value, marks
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(f"template is not UTF-8 text (byte {exc.start})") from None
    if not isinstance(value, str):
        raise LoadError(f"template is {type(value).__name__}, not text or an object")
    return parse_text(value, name)


def input_notes(marks: Any) -> List[Note]:
    """One ``input`` note per duplicate key: which key, where, and that the last value is read."""
    notes = []
    for dpath, first, line in getattr(marks, "duplicates", []):
        where = f" at lines {first} and {line}" if line else " (strict JSON: no line numbers)"
        inside = f" in {'.'.join(str(p) for p in dpath[:-1])}" if len(dpath) > 1 else ""
        lost = (" (the earlier resource of that name is not judged)"
                if len(dpath) == 2 and dpath[0] == "Resources" else "")
        notes.append(Note("input", NoteKind.INPUT,
                          f"duplicate key {dpath[-1]!r}{inside}{where}: the audit reads the last "
                          f"value{lost}; CloudFormation's behaviour with duplicate keys is "
                          f"undefined (CloudFormation User Guide, \"CloudFormation template "
                          f"format\") and cfn-lint refuses the template (E0000)",
                          str(dpath[1]) if len(dpath) > 1 and dpath[0] == "Resources" else "",
                          tuple(dpath)))
    return notes


def locate(marks: Marks, path) -> Tuple[int, int]:
    """The (line, column) of the longest known prefix of path, (1, 1) at worst."""
    path = tuple(path)
    while path:
        if path in marks:
            return marks[path]
        path = path[:-1]
    return marks.get((), (1, 1))
