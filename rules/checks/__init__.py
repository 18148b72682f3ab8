"""The checks, one pure function per catalogue code: ``(Distribution, Config) -> Iterable``.

Each yields :class:`~rules.model.Finding` objects (problems) and :class:`~rules.model.Note`
objects (what it could not decide). The engine applies configuration and guards against bugs.
"""

from .access import origin_access_control
from .headers import hsts
from .ordering import behavior_order_https, sensitive_path_https, unreachable_behavior
from .origin import origin_plaintext, s3_website_origin_https
from .routing import target_origin
from .tls import origin_tls, viewer_tls
from .viewer import redirect_write_methods, viewer_https

CHECKS = {
    "CFH001": viewer_https,
    "CFH002": s3_website_origin_https,
    "CFH003": origin_plaintext,
    "CFH004": redirect_write_methods,
    "CFH005": unreachable_behavior,
    "CFH006": behavior_order_https,
    "CFH007": sensitive_path_https,
    "CFH008": target_origin,
    "CFH009": viewer_tls,
    "CFH010": origin_tls,
    "CFH011": hsts,
    "CFH012": origin_access_control,
}
