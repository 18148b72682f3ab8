"""The same kind of distribution through aws-native (CloudFormation-shaped properties)."""
import pulumi_aws_native as aws_native

cdn = aws_native.cloudfront.Distribution(
    "native",
    distribution_config={
        "enabled": True,
        "origins": [{"id": "api", "domain_name": "api.example.com",
                     "custom_origin_config": {"origin_protocol_policy": "http-only"}}],
        "default_cache_behavior": {"target_origin_id": "api", "viewer_protocol_policy": "allow-all"},
        "cache_behaviors": [{"path_pattern": "/x/*", "target_origin_id": "missing",
                             "viewer_protocol_policy": "https-only"}],
    },
)
