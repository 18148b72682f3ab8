"""E9102 / CFH002: HTTPS towards an S3 website endpoint (metadata and logic live in rules/)."""

from cfn_rules import _shared


class S3WebsiteOriginHttps(_shared.CatalogRule):
    code = "CFH002"
