"""E9106 / CFH006: An earlier HTTP behaviour captures an HTTPS path (metadata and logic live in rules/)."""

from cfn_rules import _shared


class BehaviorOrderHttps(_shared.CatalogRule):
    code = "CFH006"
