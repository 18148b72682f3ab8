"""W9110 / CFH010: Weak TLS protocols towards the origin (metadata and logic live in rules/)."""

from cfn_rules import _shared


class OriginTls(_shared.CatalogRule):
    code = "CFH010"
