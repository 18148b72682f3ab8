"""Project fixture (written for this repository), dictionary arguments as in Pulumi's newer
templates: an origin access control in front of the REST regional domain name, a custom error
page, redirect-to-https, and the default certificate (TLSv1)."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
error_page = config.get("errorDocument") or "error.html"

bucket = aws.s3.Bucket("bucket")
oac = aws.cloudfront.OriginAccessControl("oac", origin_access_control_origin_type="s3",
                                         signing_behavior="always", signing_protocol="sigv4")
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[{
        "origin_id": bucket.arn,
        "domain_name": bucket.bucket_regional_domain_name,
        "origin_access_control_id": oac.id,
    }],
    default_cache_behavior={
        "target_origin_id": bucket.arn,
        "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD", "OPTIONS"],
        "cached_methods": ["GET", "HEAD", "OPTIONS"],
        "default_ttl": 600, "max_ttl": 600, "min_ttl": 600,
        "forwarded_values": {"query_string": True, "cookies": {"forward": "all"}},
    },
    price_class="PriceClass_100",
    custom_error_responses=[{"error_code": 404, "response_code": 404,
                             "response_page_path": f"/{error_page}"}],
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)
pulumi.export("cdnHostname", cdn.domain_name)
