"""A distribution whose origin is a VPC origin; the VPC origin speaks plain HTTP (pulumi_aws)."""
import pulumi_aws as aws

app = aws.cloudfront.VpcOrigin(
    "app",
    vpc_origin_endpoint_config={
        "name": "app",
        "arn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/internal/1",
        "http_port": 80,
        "https_port": 443,
        "origin_protocol_policy": "http-only",
        "origin_ssl_protocols": {"items": ["TLSv1.2"], "quantity": 1},
    })
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[{"origin_id": "app", "domain_name": "internal.example.com",
              "vpc_origin_config": {"vpc_origin_id": app.id}}],
    default_cache_behavior={"target_origin_id": "app", "viewer_protocol_policy": "https-only",
                            "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"},
)
