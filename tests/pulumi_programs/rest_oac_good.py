"""S3 REST origin with origin access control, HTTPS everywhere, modern TLS (pulumi_aws)."""
import pulumi_aws as aws

bucket = aws.s3.Bucket("site")
oac = aws.cloudfront.OriginAccessControl("oac", origin_access_control_origin_type="s3",
                                         signing_behavior="always", signing_protocol="sigv4")
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[{"origin_id": "site", "domain_name": bucket.bucket_regional_domain_name,
              "origin_access_control_id": oac.id}],
    ordered_cache_behaviors=[
        {"path_pattern": "/admin/*", "target_origin_id": "site", "viewer_protocol_policy": "https-only",
         "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
    ],
    default_cache_behavior={"target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https",
                            "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"},
)
