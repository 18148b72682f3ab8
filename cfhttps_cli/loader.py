"""Read template files (YAML with CloudFormation short-form tags, or JSON) with line numbers.

The document is composed to a node tree with PyYAML's safe composer and converted by hand, so
that every path gets its (line, column) and aliases cannot expand without bound.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Tuple

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000

class Marks(dict):
    """path -> (line, column), plus the duplicate keys met while reading (path, line)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates: list = []
        self.stray_bytes: list = []  # (line, byte) of bytes that are not UTF-8


class LoadError(ValueError):
    """A file that could not be read or parsed; the message is meant for the user."""


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
            raise LoadError(f"document expands to more than {MAX_NODES} nodes "
                            f"(YAML alias bomb?); refused")
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


def load_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Tuple[Any, Marks]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
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
