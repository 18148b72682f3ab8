"""Read template files (YAML with CloudFormation short-form tags, or JSON) with line numbers.

The document is composed to a node tree with PyYAML's safe composer and converted by hand, so
that every path gets its (line, column). Composition shares aliased nodes (the tree is a graph as
small as the text); before anything is expanded, :func:`check_expansion` counts what the
conversion would build, node by node through every alias, and refuses a document whose aliases
would expand beyond a small budget (a "billion laughs" file is refused in milliseconds, in the
memory its text takes, instead of being expanded until a limit is hit).
"""

from __future__ import annotations

import json
import os
import re
import stat
from typing import Any, Dict, Optional, Tuple

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000  # nodes of the expanded document, aliases or not
# Nodes that aliases may add on top of the document's own: templates use anchors for a few
# shared blocks (Serverless files), never for thousands of nodes.
MAX_ALIAS_NODES = 100_000

class Marks(dict):
    """path -> (line, column), plus the duplicate keys met while reading (path, line)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list = []
        self.stray_bytes: list = []  # (line, byte) of bytes that are not UTF-8


class LoadError(ValueError):
    """A file that could not be read or parsed; the message is meant for the user."""


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
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise LoadError("YAML merge keys (<<) are not supported in templates")
                key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else None
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    key = str(key)
                child_path = path + (key,)
                if key in out:
                    self.marks.duplicates.append((child_path, key_node.start_mark.line + 1))
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
    """Parse YAML or JSON text to plain data and a path → (line, column) table."""
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            if name.endswith(".json") or text.lstrip().startswith("{"):
                try:
                    return json.loads(text), Marks()
                except json.JSONDecodeError as jexc:
                    raise LoadError(f"invalid JSON: {jexc}") from None
            raise LoadError(f"invalid YAML: {_one_line(exc)}") from None
        if root is None:
            raise LoadError("empty document")
        check_expansion(root)
        conv = _Converter(loader)
        data = conv.convert(root, ())
        conv.marks.setdefault((), (1, 1))
        return data, conv.marks
    except RecursionError:
        raise LoadError("document nested too deeply") from None
    finally:
        loader.dispose()


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


class NotRegularFile(LoadError):
    """A path that is not a regular file (FIFO, socket, device, directory): never opened for reading."""


_FILE_TYPES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISDIR, "a directory"))


def _not_regular(mode: int) -> Optional[str]:
    if stat.S_ISREG(mode):
        return None
    for test, what in _FILE_TYPES:
        if test(mode):
            return f"not a regular file ({what}); only regular files are read"
    return "not a regular file; only regular files are read"


def read_regular(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file, never blocking on anything else.

    ``stat`` first, so a FIFO, socket or device is never opened; then ``open`` with
    ``O_NONBLOCK`` (opening a FIFO that appeared since does not wait for a writer) and ``fstat``
    on the descriptor, so a file swapped for something else between the two is refused too.
    """
    try:
        reason = _not_regular(os.stat(path).st_mode)
        if reason:
            raise NotRegularFile(reason)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except NotRegularFile:
        raise
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        reason = _not_regular(os.fstat(fd).st_mode)
        if reason:
            raise NotRegularFile(reason)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Tuple[Any, Marks]:
    raw = read_regular(path, max_bytes)
    if len(raw) > max_bytes:
        raise LoadError(f"file is larger than the {max_bytes} byte limit (--max-file-size)")
    text, strays = decode(raw)
    data, marks = parse_text(text, path)
    marks.stray_bytes = strays
    return data, marks


# A text file with a stray byte or two (a Latin-1 'é' or a Windows-1252 quote in a comment) is
# read; beyond this share of undecodable bytes, or with a NUL byte, the file is not text.
MAX_STRAY_SHARE = 0.05
MIN_STRAY_ALLOWANCE = 8


_STRAY = re.compile("[\udc80-\udcff]")  # surrogateescape's stand-ins for undecodable bytes


def decode(raw: bytes) -> Tuple[str, list]:
    """The text of a file, and the bytes that are not UTF-8 as (line, byte) pairs.

    Each such byte is read as U+FFFD; a binary file (NUL bytes, or more undecodable bytes than
    a few in a text) is refused."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:
        raise LoadError("file is binary (it contains NUL bytes), not UTF-8 text")
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    allowance = max(MIN_STRAY_ALLOWANCE, int(len(raw) * MAX_STRAY_SHARE))
    strays = []
    line, seen = 1, 0
    for m in _STRAY.finditer(text):
        if len(strays) >= allowance:
            raise LoadError(f"file is not UTF-8 text (more than {allowance} bytes are not UTF-8)")
        line += text.count("\n", seen, m.start())
        seen = m.start()
        strays.append((line, ord(m.group()) - 0xDC00))
    return _STRAY.sub("\ufffd", text), strays


def locate(marks: Marks, path) -> Tuple[int, int]:
    """The (line, column) of the longest known prefix of path, (1, 1) at worst."""
    path = tuple(path)
    while path:
        if path in marks:
            return marks[path]
        path = path[:-1]
    return marks.get((), (1, 1))
