"""Routing check: CFH008, behaviours whose TargetOriginId names nothing."""

from __future__ import annotations

from ..model import Distribution, is_known
from ._common import finding, note


def target_origin(dist: Distribution, config):
    known_ids = set()
    for item in list(dist.origins) + list(dist.origin_groups):
        if isinstance(item.id, str):
            known_ids.add(item.id)
    ids_complete = dist.origin_ids_known and all(
        isinstance(item.id, str) for item in list(dist.origins) + list(dist.origin_groups))
    for behavior in dist.all_behaviors():
        target = behavior.target_origin_id
        path = behavior.path_of("target_origin_id")
        if not isinstance(target, str):
            if target is not None and not is_known(target):
                yield note("CFH008", dist, path,
                           f"{behavior.label}: TargetOriginId unknown; cannot check routing")
            continue
        if target in known_ids:
            continue
        if not ids_complete:
            yield note("CFH008", dist, path,
                       f"{behavior.label}: some origin ids are unknown; cannot tell whether "
                       f"{target!r} exists")
            continue
        names = ", ".join(sorted(known_ids)) or "none"
        yield finding("CFH008", dist, path,
                      f"{behavior.label} targets origin {target!r}, which is neither an origin "
                      f"nor an origin group of this distribution (known: {names})")
