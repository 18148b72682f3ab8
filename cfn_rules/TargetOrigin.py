"""E9108 / CFH008: Behaviour routed to an origin that does not exist (metadata and logic live in rules/).

cfn-lint's built-in E3057 checks the default behaviour's ``TargetOriginId`` (only that one):
while E3057 runs and can judge the value, E9108 leaves that match to it, so a user sees one
error, not two. Ordered behaviours, and values E3057 does not resolve (``Ref`` to a parameter,
origin ids from functions), stay with E9108; ``cfhttps audit`` reports all of them.
"""

from cfn_rules import _run_context, _shared


class TargetOrigin(_shared.CatalogRule):
    code = "CFH008"

    def findings(self, cfn):
        found = _shared.findings_for(cfn, self.code)
        if not found:
            return found
        enabled, config = _run_context.enabled_rules()
        return [f for f in found
                if not (_run_context.reported_by_e3057(cfn.template, f.path)
                        and _run_context.rule_runs_on("E3057", f.resource, cfn, enabled, config))]
