"""tests/parity/templates/hsts_and_oac.yaml, declared with pulumi_aws (ids of new resources are preview unknowns)."""
import pulumi_aws as aws

GET = ["GET", "HEAD"]
FORWARD = {"query_string": False, "cookies": {"forward": "none"}}
oac = aws.cloudfront.OriginAccessControl("oac", origin_access_control_origin_type="s3",
                                         signing_behavior="always", signing_protocol="sigv4")
short = aws.cloudfront.ResponseHeadersPolicy(
    "short", name="short-hsts",
    security_headers_config={"strict_transport_security": {"access_control_max_age_sec": 300,
                                                            "override": True}})


def behavior(pattern, origin, vpp, policy):
    return {"path_pattern": pattern, "target_origin_id": origin, "viewer_protocol_policy": vpp,
            "response_headers_policy_id": policy, "allowed_methods": GET, "cached_methods": GET,
            "forwarded_values": FORWARD}


cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[
        {"origin_id": "private", "domain_name": "assets.s3.eu-west-1.amazonaws.com",
         "origin_access_control_id": oac.id, "s3_origin_config": {"origin_access_identity": ""}},
        {"origin_id": "legacy", "domain_name": "logs.s3.amazonaws.com",
         "s3_origin_config": {"origin_access_identity": "origin-access-identity/cloudfront/E74FTE3AEXAMPLE"}},
        {"origin_id": "public", "domain_name": "media.s3.dualstack.eu-west-1.amazonaws.com",
         "s3_origin_config": {"origin_access_identity": ""}},
    ],
    ordered_cache_behaviors=[
        behavior("api/*", "private", "https-only", short.id),
        behavior("cors/*", "public", "redirect-to-https", "60669652-455b-4ae9-85a4-c4c02393f86c"),
        behavior("logs/*", "legacy", "redirect-to-https", "e61eb60c-9c35-4d20-a928-2b84e02af89c"),
    ],
    default_cache_behavior={"target_origin_id": "private", "viewer_protocol_policy": "redirect-to-https",
                            "response_headers_policy_id": "67f7725c-6f97-4210-82d7-5512b31e9d03",
                            "allowed_methods": GET, "cached_methods": GET, "forwarded_values": FORWARD},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"},
)
