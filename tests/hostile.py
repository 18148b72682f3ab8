"""Hostile distributions for the path-pattern work bound: patterns built to make the ordering
analysis explode (long, with many interleaved `*` and `?`). Shared by the robustness tests and
the ordering benchmark, which checks that each stays within cfn-lint's own time on it."""

import random


def hostile_patterns(n: int = 75):
    """The path-pattern issue's case: 255-character `*a*a…`, `?*?*…`, `*ab*ab…`."""
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


def mixed_wildcard_patterns(n: int = 75, seed: int = 0):
    """255-character patterns mixing `*` and `?` with a few literals, all different: every pair
    overlaps and no shape shortcut applies (many stars on both sides)."""
    rnd = random.Random(seed)
    out = []
    while len(out) < n:
        p = "/" + "".join(rnd.choice("**??ab/") for _ in range(254))
        if p not in out:
            out.append(p)
    return out


def question_runs_patterns(n: int = 75):
    """`?` runs between stars of varying length: `*?*??*???*…` (the subset construction of
    `?` after `*` grows with the run length)."""
    out = []
    for i in range(n):
        body = "".join("*" + "?" * (1 + (k + i) % 7) for k in range(60))
        out.append(("/" + body + "a" * (i % 5))[:255])
    return out


def literal_star_patterns(n: int = 75):
    """Long literal runs separated by stars, differing only near the end: `*abab…*abab…*`."""
    out = []
    for i in range(n):
        chunk = ("ab" * 20)[: 20 + i % 13]
        out.append(("*" + chunk + "*" + chunk[::-1] + "*" + chunk + f"{i}*" * 20)[:255])
    return out


SHAPES = {"issue": hostile_patterns, "mixed * and ?": mixed_wildcard_patterns,
          "? runs": question_runs_patterns, "literal runs": literal_star_patterns}


def hostile_config(n: int = 75, shape: str = "issue") -> dict:
    """An API-shaped DistributionConfig, allow-all and https-only behaviours alternating."""
    return {"Origins": [{"Id": "o", "DomainName": "o.example.com",
                         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                "OriginSslProtocols": ["TLSv1.2"]}}],
            "CacheBehaviors": [{"PathPattern": p, "TargetOriginId": "o",
                                "ViewerProtocolPolicy": "allow-all" if i % 2 else "https-only"}
                               for i, p in enumerate(SHAPES[shape](n))],
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"}}


def hostile_template(n: int = 75, shape: str = "issue", distributions: int = 1) -> dict:
    """The same behaviours as a CloudFormation template (for cfn-lint)."""
    resources = {}
    for d in range(distributions):
        dc = hostile_config(n, shape)
        resources[f"Cdn{d}"] = {"Type": "AWS::CloudFront::Distribution", "Properties": {
            "DistributionConfig": {
                "Enabled": True,
                "Origins": [{"Id": "o", "DomainName": "o.example.com",
                             "CustomOriginConfig": {"OriginProtocolPolicy": "https-only",
                                                    "OriginSSLProtocols": ["TLSv1.2"]}}],
                "CacheBehaviors": [dict(b, ForwardedValues={"QueryString": False})
                                   for b in dc["CacheBehaviors"]],
                "DefaultCacheBehavior": dict(dc["DefaultCacheBehavior"],
                                             ForwardedValues={"QueryString": False})}}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
