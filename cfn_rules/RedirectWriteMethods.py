"""W9104 / CFH004: redirect-to-https on a behaviour that accepts writes (metadata and logic live in rules/)."""

from cfn_rules import _shared


class RedirectWriteMethods(_shared.CatalogRule):
    code = "CFH004"
