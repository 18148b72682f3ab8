"""E9101 / CFH001: Viewers may use plain HTTP (metadata and logic live in rules/)."""

from cfn_rules import _shared


class ViewerHttps(_shared.CatalogRule):
    code = "CFH001"
