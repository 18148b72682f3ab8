"""tests/parity/templates/hsts_and_oac.yaml, declared with pulumi_aws_native (CloudFormation-shaped properties)."""
import pulumi_aws_native as aws_native

oac = aws_native.cloudfront.OriginAccessControl(
    "oac", origin_access_control_config={"name": "assets", "origin_access_control_origin_type": "s3",
                                         "signing_behavior": "always", "signing_protocol": "sigv4"})
short = aws_native.cloudfront.ResponseHeadersPolicy(
    "short", response_headers_policy_config={
        "name": "short-hsts",
        "security_headers_config": {"strict_transport_security": {"access_control_max_age_sec": 300,
                                                                  "override": True}}})

cdn = aws_native.cloudfront.Distribution(
    "native",
    distribution_config={
        "enabled": True,
        "origins": [
            {"id": "private", "domain_name": "assets.s3.eu-west-1.amazonaws.com",
             "origin_access_control_id": oac.id, "s3_origin_config": {"origin_access_identity": ""}},
            {"id": "legacy", "domain_name": "logs.s3.amazonaws.com",
             "s3_origin_config": {"origin_access_identity": "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"}},
            {"id": "public", "domain_name": "media.s3.dualstack.eu-west-1.amazonaws.com",
             "s3_origin_config": {"origin_access_identity": ""}},
        ],
        "cache_behaviors": [
            {"path_pattern": "api/*", "target_origin_id": "private", "viewer_protocol_policy": "https-only",
             "response_headers_policy_id": short.id},
            {"path_pattern": "cors/*", "target_origin_id": "public", "viewer_protocol_policy": "redirect-to-https",
             "response_headers_policy_id": "60669652-455b-4ae9-85a4-c4c02393f86c"},
            {"path_pattern": "logs/*", "target_origin_id": "legacy", "viewer_protocol_policy": "redirect-to-https",
             "response_headers_policy_id": "e61eb60c-9c35-4d20-a928-2b84e02af89c"},
        ],
        "default_cache_behavior": {"target_origin_id": "private", "viewer_protocol_policy": "redirect-to-https",
                                   "response_headers_policy_id": "67f7725c-6f97-4210-82d7-5512b31e9d03"},
        "viewer_certificate": {"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                               "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"},
    },
)
