"""W9111 / CFH011: HTTPS without Strict-Transport-Security (metadata and logic live in rules/)."""

from cfn_rules import _shared


class Hsts(_shared.CatalogRule):
    code = "CFH011"
