"""The cfhttps CrossGuard policy pack. Run by the Pulumi CLI; it serves forever, so never import it.

Everything lives in the importable ``cfhttps_pulumi.pack`` (and the engine in ``rules/``).
"""

from cfhttps_pulumi.pack import build_pack

build_pack()
