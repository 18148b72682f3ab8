"""Routing check: CFH008, behaviours whose TargetOriginId names nothing."""

from __future__ import annotations

from ..model import Distribution, as_text, is_known, same_value
from ._common import finding, note


def target_origin(dist: Distribution, config):
    """CFH008: a TargetOriginId that names no origin or origin group. An id or target that is not
    resolved counts as different only when its literal parts prove it (model.same_value)."""
    items = list(dist.origins) + list(dist.origin_groups)
    known_ids = {item.id for item in items if isinstance(item.id, str)}
    ids_complete = dist.origin_ids_known and all(isinstance(item.id, str) for item in items)
    for behavior in dist.all_behaviors():
        target = behavior.target_origin_id
        if not isinstance(target, str):
            # An unresolved target names an origin given by the same expression (Id: !Ref B,
            # TargetOriginId: !Ref B); any other unresolved target is undecided.
            if target is not None and not is_known(target) and \
                    not any(same_value(item.id, target) for item in items):
                if dist.origin_ids_known and items and \
                        all(same_value(item.id, target) is False for item in items):
                    yield finding("CFH008", dist, behavior.path_of("target_origin_id"),
                                  f"{behavior.label} targets origin {as_text(target)}, which "
                                  f"cannot be any origin or origin group of this distribution "
                                  f"(ids: {_ids(items)})")
                    continue
                yield note("CFH008", dist, behavior.path_of("target_origin_id"),
                           f"{behavior.label}: TargetOriginId {as_text(target)} is unknown and "
                           f"no origin id is the same expression; cannot check routing")
            continue
        if target in known_ids:
            continue
        if not ids_complete and dist.origin_ids_known and \
                all(isinstance(item.id, str) or same_value(item.id, target) is False
                    for item in items):
            yield finding("CFH008", dist, behavior.path_of("target_origin_id"),
                          f"{behavior.label} targets origin {target!r}, which cannot be any "
                          f"origin or origin group of this distribution (ids: {_ids(items)})")
            continue
        if not ids_complete:
            yield note("CFH008", dist, behavior.path_of("target_origin_id"),
                       f"{behavior.label}: some origin ids are unknown; cannot tell whether "
                       f"{target!r} exists")
            continue
        names = ", ".join(sorted(known_ids)) or "none"
        yield finding("CFH008", dist, behavior.path_of("target_origin_id"),
                      f"{behavior.label} targets origin {target!r}, which is neither an origin "
                      f"nor an origin group of this distribution (known: {names})")


def _ids(items) -> str:
    return ", ".join(sorted(as_text(item.id) for item in items)) or "none"
