"""tests/parity/distribution.yaml, declared with pulumi_aws."""
import pulumi_aws as aws

GET = ["GET", "HEAD"]
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[
        {"origin_id": "site", "domain_name": "site.s3-website-us-east-1.amazonaws.com",
         "custom_origin_config": {"origin_protocol_policy": "match-viewer", "http_port": 80,
                                  "https_port": 443, "origin_ssl_protocols": ["TLSv1.2"]}},
        {"origin_id": "api", "domain_name": "api.example.com",
         "custom_origin_config": {"origin_protocol_policy": "https-only", "http_port": 80,
                                  "https_port": 443, "origin_ssl_protocols": ["TLSv1", "TLSv1.2"]}},
    ],
    ordered_cache_behaviors=[
        {"path_pattern": "*.php", "target_origin_id": "api", "viewer_protocol_policy": "allow-all",
         "allowed_methods": GET, "cached_methods": GET},
        {"path_pattern": "admin/*", "target_origin_id": "api", "viewer_protocol_policy": "https-only",
         "allowed_methods": GET, "cached_methods": GET},
        {"path_pattern": "/api/*", "target_origin_id": "nowhere", "viewer_protocol_policy": "redirect-to-https",
         "allowed_methods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"], "cached_methods": GET},
        {"path_pattern": "api/*", "target_origin_id": "api", "viewer_protocol_policy": "https-only",
         "allowed_methods": GET, "cached_methods": GET},
    ],
    default_cache_behavior={"target_origin_id": "site", "viewer_protocol_policy": "allow-all",
                            "allowed_methods": GET, "cached_methods": GET},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)
