"""E9108 / CFH008: Behaviour routed to an origin that does not exist (metadata and logic live in rules/)."""

from cfn_rules import _shared


class TargetOrigin(_shared.CatalogRule):
    code = "CFH008"
