"""cfn-lint rules for cfhttps: one class per catalogue entry, thin over the shared engine.

Load with ``cfn-lint -a cfn_rules -- template.yaml`` (or ``append_rules: [cfn_rules]`` in
``.cfnlintrc``). Everything about a rule (id, text, docs URL) comes from ``rules.catalog``.
"""

from cfn_rules.ViewerHttps import ViewerHttps  # noqa: F401
from cfn_rules.S3WebsiteOriginHttps import S3WebsiteOriginHttps  # noqa: F401
from cfn_rules.OriginPlaintext import OriginPlaintext  # noqa: F401
from cfn_rules.RedirectWriteMethods import RedirectWriteMethods  # noqa: F401
from cfn_rules.UnreachableBehavior import UnreachableBehavior  # noqa: F401
from cfn_rules.BehaviorOrderHttps import BehaviorOrderHttps  # noqa: F401
from cfn_rules.SensitivePathHttps import SensitivePathHttps  # noqa: F401
from cfn_rules.TargetOrigin import TargetOrigin  # noqa: F401
from cfn_rules.ViewerTls import ViewerTls  # noqa: F401
from cfn_rules.OriginTls import OriginTls  # noqa: F401
from cfn_rules.Hsts import Hsts  # noqa: F401
from cfn_rules.S3OriginAccessControl import S3OriginAccessControl  # noqa: F401
from cfn_rules.EngineNotes import EngineNotes  # noqa: F401
from cfn_rules.ConfigurationErrors import ConfigurationErrors  # noqa: F401

__all__ = ["ViewerHttps", "S3WebsiteOriginHttps", "OriginPlaintext", "RedirectWriteMethods", "UnreachableBehavior", "BehaviorOrderHttps", "SensitivePathHttps", "TargetOrigin", "ViewerTls", "OriginTls", "Hsts", "S3OriginAccessControl", "EngineNotes", "ConfigurationErrors"]
