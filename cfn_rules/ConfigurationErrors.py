"""E9100: the cfhttps rules' cfn-lint configuration is wrong, said as an error match.

cfn-lint ignores unknown keys in ``--configure-rule`` / ``configure_rules`` without a word and has
no channel for a bad value. A typo (``E9107:sensitive_pths=/x``) or a bad value
(``W9109:minimum_protocol_version=TLSv9``) would quietly judge with the default — the opposite of
what the user asked. So each template linted gets one E9100 match per problem (naming the rule,
the key, and what it accepts), the cfhttps rules judge nothing until it is fixed, and cfn-lint's
exit code has its error bit (2), as for any error it finds.
"""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cfn_rules import _shared

CONFIG_RULE_ID = "E9100"


class ConfigurationErrors(CloudFormationLintRule):
    id = CONFIG_RULE_ID
    shortdesc = "cfhttps rule configuration is invalid"
    description = ("A cfhttps rule was given a setting it does not have, or a value it cannot "
                   "use (--configure-rule / configure_rules); the cfhttps rules do not judge the "
                   "template until the configuration is fixed.")
    source_url = "https://github.com/cfhttps/cfhttps/blob/main/docs/suppression.md"
    tags = ["cfhttps", "cloudfront", "configuration"]

    def match(self, cfn):
        return [RuleMatch([], "cfhttps configuration: " + problem + "; the cfhttps rules did "
                          "not run") for problem in _shared.problems_for(cfn)]
