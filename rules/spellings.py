"""The properties each rule reads, spelled as CloudFormation, Pulumi (pulumi-aws) and Terraform
(the AWS provider) write them: one table, rendered on every rule page (:mod:`rules.docgen`).

Users read a finding in their own dialect; a page that shows only CloudFormation's names sends a
Terraform user guessing whether ``CacheBehaviors`` is ``ordered_cache_behavior`` or
``cache_behavior``. The spellings are written out (not derived at render time) so that a reader
of this file sees them; tests/test_docs.py checks each against the names the sources accept.
``[i]`` marks a list element; Terraform repeats a block where CloudFormation has a list, and
CloudFormation's ``OriginGroups`` has the API's ``Items`` level that the others do not.
"""

from __future__ import annotations

import re
from typing import Dict, List, Tuple

# key -> (CloudFormation, Pulumi, Terraform), all relative to the distribution's configuration
# (``DistributionConfig`` in CloudFormation, the resource's arguments in Pulumi and Terraform).
PROPERTIES: Dict[str, Tuple[str, str, str]] = {
    "origin.id": ("Origins[i].Id", "origins[i].originId", "origin[i].origin_id"),
    "origin.domain": ("Origins[i].DomainName", "origins[i].domainName", "origin[i].domain_name"),
    "origin.protocol": ("Origins[i].CustomOriginConfig.OriginProtocolPolicy",
                        "origins[i].customOriginConfig.originProtocolPolicy",
                        "origin[i].custom_origin_config.origin_protocol_policy"),
    "origin.ssl": ("Origins[i].CustomOriginConfig.OriginSSLProtocols",
                   "origins[i].customOriginConfig.originSslProtocols",
                   "origin[i].custom_origin_config.origin_ssl_protocols"),
    "origin.s3": ("Origins[i].S3OriginConfig", "origins[i].s3OriginConfig",
                  "origin[i].s3_origin_config"),
    "origin.oai": ("Origins[i].S3OriginConfig.OriginAccessIdentity",
                   "origins[i].s3OriginConfig.originAccessIdentity",
                   "origin[i].s3_origin_config.origin_access_identity"),
    "origin.oac": ("Origins[i].OriginAccessControlId", "origins[i].originAccessControlId",
                   "origin[i].origin_access_control_id"),
    "origin.vpc": ("Origins[i].VpcOriginConfig.VpcOriginId",
                   "origins[i].vpcOriginConfig.vpcOriginId",
                   "origin[i].vpc_origin_config.vpc_origin_id"),
    "group.id": ("OriginGroups.Items[i].Id", "originGroups[i].originId",
                 "origin_group[i].origin_id"),
    "group.members": ("OriginGroups.Items[i].Members.Items[i].OriginId",
                      "originGroups[i].members[i].originId",
                      "origin_group[i].member[i].origin_id"),
    "default.viewer": ("DefaultCacheBehavior.ViewerProtocolPolicy",
                       "defaultCacheBehavior.viewerProtocolPolicy",
                       "default_cache_behavior.viewer_protocol_policy"),
    "default.target": ("DefaultCacheBehavior.TargetOriginId",
                       "defaultCacheBehavior.targetOriginId",
                       "default_cache_behavior.target_origin_id"),
    "default.methods": ("DefaultCacheBehavior.AllowedMethods",
                        "defaultCacheBehavior.allowedMethods",
                        "default_cache_behavior.allowed_methods"),
    "default.headers": ("DefaultCacheBehavior.ResponseHeadersPolicyId",
                        "defaultCacheBehavior.responseHeadersPolicyId",
                        "default_cache_behavior.response_headers_policy_id"),
    "behavior.pattern": ("CacheBehaviors[i].PathPattern", "orderedCacheBehaviors[i].pathPattern",
                         "ordered_cache_behavior[i].path_pattern"),
    "behavior.viewer": ("CacheBehaviors[i].ViewerProtocolPolicy",
                        "orderedCacheBehaviors[i].viewerProtocolPolicy",
                        "ordered_cache_behavior[i].viewer_protocol_policy"),
    "behavior.target": ("CacheBehaviors[i].TargetOriginId",
                        "orderedCacheBehaviors[i].targetOriginId",
                        "ordered_cache_behavior[i].target_origin_id"),
    "behavior.methods": ("CacheBehaviors[i].AllowedMethods",
                         "orderedCacheBehaviors[i].allowedMethods",
                         "ordered_cache_behavior[i].allowed_methods"),
    "behavior.headers": ("CacheBehaviors[i].ResponseHeadersPolicyId",
                         "orderedCacheBehaviors[i].responseHeadersPolicyId",
                         "ordered_cache_behavior[i].response_headers_policy_id"),
    "cert.default": ("ViewerCertificate.CloudFrontDefaultCertificate",
                     "viewerCertificate.cloudfrontDefaultCertificate",
                     "viewer_certificate.cloudfront_default_certificate"),
    "cert.acm": ("ViewerCertificate.AcmCertificateArn", "viewerCertificate.acmCertificateArn",
                 "viewer_certificate.acm_certificate_arn"),
    "cert.iam": ("ViewerCertificate.IamCertificateId", "viewerCertificate.iamCertificateId",
                 "viewer_certificate.iam_certificate_id"),
    "cert.minimum": ("ViewerCertificate.MinimumProtocolVersion",
                     "viewerCertificate.minimumProtocolVersion",
                     "viewer_certificate.minimum_protocol_version"),
}

# The response headers policy a behaviour names (its own resource in every dialect: CloudFormation
# AWS::CloudFront::ResponseHeadersPolicy, pulumi-aws aws.cloudfront.ResponseHeadersPolicy,
# Terraform aws_cloudfront_response_headers_policy).
HEADERS_POLICY: Dict[str, Tuple[str, str, str]] = {
    "hsts.max_age": (
        "ResponseHeadersPolicyConfig.SecurityHeadersConfig.StrictTransportSecurity."
        "AccessControlMaxAgeSec",
        "securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec",
        "security_headers_config.strict_transport_security.access_control_max_age_sec"),
}

_VIEWER = ("default.viewer", "behavior.viewer")
_ROUTING = ("default.target", "behavior.target", "origin.id", "group.id", "group.members")

# rule code -> the keys of the properties it reads, in the order a page lists them.
RULE_PROPERTIES: Dict[str, Tuple[str, ...]] = {
    "CFH001": _VIEWER,
    "CFH002": ("origin.domain", "origin.protocol", "origin.s3"),
    "CFH003": ("origin.protocol", "origin.domain", "origin.s3", "origin.vpc") + _VIEWER +
              _ROUTING,
    "CFH004": ("behavior.viewer", "behavior.methods", "default.viewer", "default.methods"),
    "CFH005": ("behavior.pattern",),
    "CFH006": ("behavior.pattern",) + _VIEWER,
    "CFH007": ("behavior.pattern",) + _VIEWER,
    "CFH008": _ROUTING,
    "CFH009": ("cert.default", "cert.acm", "cert.iam", "cert.minimum"),
    "CFH010": ("origin.ssl", "origin.protocol", "origin.vpc"),
    "CFH011": ("default.headers", "behavior.headers", "hsts.max_age") + _VIEWER,
    "CFH012": ("origin.domain", "origin.oac", "origin.oai"),
}


def spellings(code: str) -> List[Tuple[str, str, str]]:
    """(CloudFormation, Pulumi, Terraform) of each property rule ``code`` reads; the headers
    policy's own properties are marked with the resource they belong to."""
    out = []
    for key in RULE_PROPERTIES.get(code, ()):
        if key in PROPERTIES:
            out.append(PROPERTIES[key])
        else:
            cfn, pulumi, tf = HEADERS_POLICY[key]
            out.append((f"{cfn} (policy)", f"{pulumi} (policy)", f"{tf} (policy)"))
    return out


def _terraform_words() -> Dict[str, str]:
    """CloudFormation property name -> Terraform's, from the tables above: the names of each
    path paired part by part (where the paths differ in depth, from the end, and only while
    both spell the same words, ``SecurityHeadersConfig``/``security_headers_config``). Only
    compound names (``ViewerProtocolPolicy``, not ``Id`` or ``Origins``) are kept, so that no
    English word of a message is taken for a property; a name with two Terraform spellings
    would be dropped (none has)."""
    pairs: Dict[str, set] = {}
    for cfn, _pulumi, tf in list(PROPERTIES.values()) + list(HEADERS_POLICY.values()):
        c = [part.replace("[i]", "") for part in cfn.split(".")]
        t = [part.replace("[i]", "") for part in tf.split(".")]
        if len(c) == len(t):
            matched = list(zip(c, t))
        else:
            matched = []
            for a, b in zip(reversed(c), reversed(t)):
                if a.lower() != b.replace("_", ""):
                    break
                matched.append((a, b))
        for a, b in matched:
            pairs.setdefault(a, set()).add(b)
    return {a: next(iter(b)) for a, b in pairs.items()
            if len(b) == 1 and len(re.findall(r"[A-Z][a-z0-9]*|[A-Z]+(?![a-z])", a)) >= 2}


TERRAFORM_WORDS: Dict[str, str] = _terraform_words()
_WORD = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(
    sorted(map(re.escape, TERRAFORM_WORDS), key=len, reverse=True)) + r")(?![A-Za-z0-9_])")


def in_terraform(message: str) -> str:
    """A finding's message with the catalogued CloudFormation property names in Terraform's
    spelling (``ViewerProtocolPolicy allow-all`` -> ``viewer_protocol_policy allow-all``): whole
    words only, for reports of findings whose resource is a Terraform address."""
    return _WORD.sub(lambda m: TERRAFORM_WORDS[m.group(1)], message)
