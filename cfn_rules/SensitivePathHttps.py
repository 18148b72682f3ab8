"""E9107 / CFH007: Sensitive path served over HTTP (metadata and logic live in rules/)."""

from cfn_rules import _shared


class SensitivePathHttps(_shared.CatalogRule):
    code = "CFH007"
