"""Read a distribution-config-shaped tree whatever its dialect: the one job of :class:`Reader`.

CloudFormation (PascalCase, intrinsics), the CloudFront API (PascalCase, ``Quantity``/``Items``),
aws-native (camelCase CloudFormation) and pulumi-aws (camelCase, ``originId``,
``orderedCacheBehaviors``) differ mostly in key case and list shape: keys are matched as written,
then camelCased, then case-insensitively, and lists may be plain or wrapped in ``Items``. A
subclass resolves what its dialect leaves unresolved (intrinsics, preview unknowns). Nothing here
builds a model (:mod:`.builder` does) or raises on odd input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, List, Optional, Tuple, Union

from .. import memo
from ..model import Path


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def is_mapping(v: Any) -> bool:
    return v.__class__ is dict or isinstance(v, Mapping)  # dict first: the ABC check is slow


def is_list(v: Any) -> bool:
    if v.__class__ is list:
        return True
    return isinstance(v, Sequence) and not isinstance(v, (str, bytes, bytearray))


def camel(name: str) -> str:
    """Pulumi's (and aws-native's) spelling of most CloudFormation property names."""
    return name[:1].lower() + name[1:]


class Prop:
    """One property as :meth:`Reader.get` looks it up: its ``names`` (the CloudFormation
    spelling first, then aliases), the ``keys`` tried in order (each name as written, then
    camelCased) and the names lower-cased (the case-insensitive fallback). Readers of a property
    read on every behaviour make its Prop once, at import, rather than once per read."""

    __slots__ = ("names", "keys", "lowered")

    def __init__(self, *names: str) -> None:
        keys: List[str] = []
        for name in names:
            for key in (name, camel(name)):
                if key not in keys:
                    keys.append(key)
        self.names = names
        self.keys = tuple(keys)
        self.lowered = frozenset(name.lower() for name in names)

    def __repr__(self) -> str:
        return f"Prop{self.names!r}"


Names = Union[Prop, Tuple[str, ...]]


def prop(names: Names) -> Prop:
    """``names`` as a :class:`Prop` (a Prop is returned as it is)."""
    return names if names.__class__ is Prop else Prop(*names)


def folded_key(node: Any, lowered: frozenset) -> Any:
    """The first string key of ``node`` that equals one of ``lowered`` ignoring case (keys in
    the mapping's order; ``str.lower`` folds), or None."""
    for key in node.keys():
        if isinstance(key, str) and str.lower(key) in lowered:
            return key
    return None


def key_of(node: Any, p: Prop) -> Any:
    """The key of mapping ``node`` that :meth:`Reader.get` reads for ``p``; None if none."""
    for key in p.keys:
        if key in node:
            return key
    return folded_key(node, p.lowered)


# (the properties' names, a plain dict's keys in order) -> the key holding each property.
_FIELD_KEYS = memo.table("sources.reader.field_keys", 256)
_SHAPE_CHARS = 4096  # a shape with more characters of keys than this is answered, not remembered


class Fields:
    """Properties a builder reads from one mapping, in this order (:meth:`Reader.fields`):
    ``props`` resolved, then ``raw`` ones as written (as :func:`_raw_get` reads them)."""

    __slots__ = ("props", "raw", "names")

    def __init__(self, *props: Prop, raw: Tuple[Prop, ...] = ()) -> None:
        self.props = props
        self.raw = raw
        # What the keys found depend on, as one string (its hash is computed once, a tuple's on
        # every look-up): each property's names, "|" between names, "/" between properties and
        # a ";" before the raw ones (none of them occurs in a property name).
        self.names = "/".join("|".join(p.names) for p in props) + ";" + \
            "/".join("|".join(p.names) for p in raw)

    def keys_in(self, node: dict) -> Tuple[Any, ...]:
        """:func:`key_of` of each property, ``props`` then ``raw``, in a plain dict (its keys
        are hashable). Which key holds each property depends only on the dict's keys, and a
        source's mappings of one kind share them (every behaviour of a Pulumi request), so the
        answer is remembered per (properties, keys)."""
        shape = tuple(node)
        key = (self.names, shape)
        found = _FIELD_KEYS.get(key)
        if found is None:
            found = tuple(key_of(node, p) for p in self.props + self.raw)
            try:
                size = sum(map(len, shape))
            except TypeError:  # a key without a length: not remembered
                size = _SHAPE_CHARS + 1
            if size <= _SHAPE_CHARS:
                _FIELD_KEYS.remember(key, found)
        return found


_ITEMS, _QUANTITY = Prop("Items"), Prop("Quantity")


class Reader:
    """Plain-data reader. Subclasses resolve intrinsics (CloudFormation) by overriding resolve."""

    def resolve(self, node: Any, path: Path) -> Tuple[Any, Path]:
        return node, path

    def get(self, node: Any, names: Names, path: Path) -> Tuple[Any, Path]:
        """The first of ``names`` in ``node``: as written, else camelCased, else any key that
        equals one of them ignoring case; resolved. ``MISSING`` when none is there."""
        node, path = self.resolve(node, path)
        if not is_mapping(node):
            return MISSING, path
        p = names if names.__class__ is Prop else prop(names)
        key = key_of(node, p)
        if key is None:
            return MISSING, path + (p.names[0],)
        return self.resolve(node[key], path + (key,))

    def fields(self, node: Any, table: Fields, path: Path) -> List[Tuple[Any, Path]]:
        """:meth:`get` of each property of ``table`` in turn, then :func:`_raw_get` of each of
        its raw ones (a reader may read them in one go)."""
        out = [self.get(node, p, path) for p in table.props]
        for p in table.raw:
            out.append(_raw_get(node, p, path))
        return out

    def items(self, node: Any, path: Path) -> Optional[List[Tuple[Any, Path]]]:
        """List elements; a ``{Quantity, Items}`` wrapper is unwrapped. None when not a list."""
        node, path = self.resolve(node, path)
        if is_mapping(node):
            inner, ipath = self.get(node, _ITEMS, path)
            if inner is MISSING:
                quantity, _ = self.get(node, _QUANTITY, path)
                return [] if quantity == 0 else None
            node, path = inner, ipath
        if not is_list(node):
            return None
        out = []
        for i, child in enumerate(node):
            value, cpath = self.resolve(child, path + (i,))
            if value is MISSING:
                continue
            out.append((value, cpath))
        return out

    def values(self, node: Any, path: Path) -> Optional[List[Any]]:
        """The elements of :meth:`items` without their paths (a list of strings needs none)."""
        elems = self.items(node, path)
        return None if elems is None else [value for value, _ in elems]


def _raw_get(node: Any, names: Names, path: Path) -> Tuple[Any, Path]:
    """A property of an already-resolved mapping, *not* resolved itself (so that a reference to
    another resource can still be seen), matched as :meth:`Reader.get` matches names."""
    if not is_mapping(node):
        return MISSING, path
    key = key_of(node, names if names.__class__ is Prop else prop(names))
    if key is None:
        return MISSING, path
    return node[key], path + (key,)
