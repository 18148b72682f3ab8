"""W9105 / CFH005: Cache behaviour no request can reach (metadata and logic live in rules/)."""

from cfn_rules import _shared


class UnreachableBehavior(_shared.CatalogRule):
    code = "CFH005"
