"""The engine's one home for remembered answers: every memo table is made here, bounded,
keyed on content, and emptied by one call.

Caches may save time, never change an answer (DESIGN.md, "One input, one answer"). Keeping
them in one registry lets a reader see every one of them, lets benchmarks start cold with
:func:`clear_all`, and lets the tests empty them around every test (``tests/conftest.py``).
A table's keys must be values (strings, tuples, frozensets, frozen configurations): never an
object's identity or ``id()``, which a later object can reuse.
"""

from __future__ import annotations

from typing import Dict, List


class Memo(dict):
    """A bounded dict: when ``limit`` entries are held, the next new key starts it over.

    Starting over (rather than evicting one entry) keeps the bound cheap; a table's user must
    therefore never assume an entry it stored is still there."""

    __slots__ = ("name", "limit")

    def __init__(self, name: str, limit: int) -> None:
        super().__init__()
        self.name = name
        self.limit = max(1, int(limit))

    def remember(self, key, value):
        if key not in self and len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_TABLES: Dict[str, Memo] = {}


def table(name: str, limit: int) -> Memo:
    """The memo table called ``name`` (made on first use; the name says whose it is)."""
    found = _TABLES.get(name)
    if found is None:
        found = _TABLES[name] = Memo(name, limit)
    return found


def tables() -> List[Memo]:
    return list(_TABLES.values())


def clear_all() -> None:
    """Empty every memo table: the process answers as a fresh one would, only slower."""
    for memo in _TABLES.values():
        memo.clear()
