"""The hostile distribution of the path-pattern issue: 75 behaviours of 255-character patterns
(`*a*a…`, `?*?*…`, `*ab*ab…`). Shared by the robustness test and the ordering benchmark."""


def hostile_patterns(n: int = 75):
    out = []
    for i in range(n):
        k = 127 - (i % 5)
        if i % 3 == 0:
            out.append(("*a" * k)[:255])
        elif i % 3 == 1:
            out.append(("?*" * k)[:255])
        else:
            out.append(("*ab" * 85)[: 255 - i])
    return out


def hostile_config(n: int = 75) -> dict:
    """An API-shaped DistributionConfig, allow-all and https-only behaviours alternating."""
    return {"Origins": [{"Id": "o", "DomainName": "o.example.com",
                         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                "OriginSslProtocols": ["TLSv1.2"]}}],
            "CacheBehaviors": [{"PathPattern": p, "TargetOriginId": "o",
                                "ViewerProtocolPolicy": "allow-all" if i % 2 else "https-only"}
                               for i, p in enumerate(hostile_patterns(n))],
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"}}
