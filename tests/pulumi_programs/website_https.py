"""A static site on an S3 website endpoint, declared with pulumi_aws: broken HTTPS to the origin
(the endpoint's domain is unknown during preview), allow-all viewers, a behaviour order problem."""
import pulumi_aws as aws

bucket = aws.s3.Bucket("site")
website = aws.s3.BucketWebsiteConfiguration("site", bucket=bucket.id,
                                            index_document={"suffix": "index.html"})
cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[{
        "origin_id": "site",
        "domain_name": website.website_endpoint,
        "custom_origin_config": {"origin_protocol_policy": "https-only", "http_port": 80,
                                 "https_port": 443, "origin_ssl_protocols": ["TLSv1.2"]},
    }],
    ordered_cache_behaviors=[
        {"path_pattern": "*.php", "target_origin_id": "site", "viewer_protocol_policy": "allow-all",
         "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
        {"path_pattern": "admin/*", "target_origin_id": "site", "viewer_protocol_policy": "https-only",
         "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
    ],
    default_cache_behavior={"target_origin_id": "site", "viewer_protocol_policy": "allow-all",
                            "allowed_methods": ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                            "cached_methods": ["GET", "HEAD"]},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)
