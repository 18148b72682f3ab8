"""W9112 / CFH012: S3 REST origin without origin access control (metadata and logic live in rules/)."""

from cfn_rules import _shared


class S3OriginAccessControl(_shared.CatalogRule):
    code = "CFH012"
