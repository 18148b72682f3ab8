"""W9103 / CFH003: Plaintext leg between CloudFront and the origin (metadata and logic live in rules/)."""

from cfn_rules import _shared


class OriginPlaintext(_shared.CatalogRule):
    code = "CFH003"
