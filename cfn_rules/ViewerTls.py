"""W9109 / CFH009: Viewer TLS below the minimum (metadata and logic live in rules/)."""

from cfn_rules import _shared


class ViewerTls(_shared.CatalogRule):
    code = "CFH009"
