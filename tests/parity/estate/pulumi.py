"""tests/parity/estate/cloudformation.yaml, declared with pulumi_aws (run under Pulumi's mock
runtime by tests/pulumi_harness.py: ids, ARNs and endpoints are preview unknowns)."""
import pulumi_aws as aws

GET = ["GET", "HEAD"]
ALL = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]
NO_GEO = {"geo_restriction": {"restriction_type": "none"}}


def custom(policy, protocols):
    return {"origin_protocol_policy": policy, "http_port": 80, "https_port": 443,
            "origin_ssl_protocols": protocols}


def behavior(pattern, target, viewer, methods=GET):
    return {"path_pattern": pattern, "target_origin_id": target, "viewer_protocol_policy": viewer,
            "allowed_methods": methods, "cached_methods": GET}


aws.cloudfront.Distribution(
    "order",
    enabled=True,
    origins=[
        {"origin_id": "site", "domain_name": "site.s3-website-us-east-1.amazonaws.com",
         "custom_origin_config": custom("match-viewer", ["TLSv1.2"])},
        {"origin_id": "api", "domain_name": "api.example.com",
         "custom_origin_config": custom("https-only", ["TLSv1", "TLSv1.2"])},
    ],
    ordered_cache_behaviors=[
        behavior("*.php", "api", "allow-all"),
        behavior("admin/*", "api", "https-only"),
        behavior("/api/*", "nowhere", "redirect-to-https", ALL),
        behavior("api/*", "api", "https-only"),
    ],
    default_cache_behavior={"target_origin_id": "site", "viewer_protocol_policy": "allow-all",
                            "allowed_methods": GET, "cached_methods": GET},
    restrictions=NO_GEO,
    viewer_certificate={"cloudfront_default_certificate": True},
)

site_bucket = aws.s3.Bucket("site")
site_website = aws.s3.BucketWebsiteConfiguration("site", bucket=site_bucket.id,
                                                 index_document={"suffix": "index.html"})
aws.cloudfront.Distribution(
    "website",
    enabled=True,
    origins=[{"origin_id": "site", "domain_name": site_website.website_endpoint,
              "custom_origin_config": custom("https-only", ["TLSv1.2"])}],
    default_cache_behavior={"target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https",
                            "allowed_methods": GET, "cached_methods": GET},
    restrictions=NO_GEO,
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/website",
                        "ssl_support_method": "sni-only"},
)

private_bucket = aws.s3.Bucket("private")
private_oac = aws.cloudfront.OriginAccessControl(
    "private", name="private", origin_access_control_origin_type="s3",
    signing_behavior="always", signing_protocol="sigv4")
legacy_oai = aws.cloudfront.OriginAccessIdentity("legacy", comment="legacy")
aws.cloudfront.Distribution(
    "assets",
    enabled=True,
    origins=[
        {"origin_id": "private", "domain_name": private_bucket.bucket_regional_domain_name,
         "origin_access_control_id": private_oac.id},
        {"origin_id": "public", "domain_name": "public-assets.s3.us-east-1.amazonaws.com",
         "s3_origin_config": {"origin_access_identity": ""}},
        {"origin_id": "legacy", "domain_name": "legacy-logs.s3.amazonaws.com",
         "s3_origin_config": {"origin_access_identity": legacy_oai.cloudfront_access_identity_path}},
    ],
    origin_groups=[{"origin_id": "failover", "failover_criteria": {"status_codes": [503]},
                    "members": [{"origin_id": "private"}, {"origin_id": "legacy"}]}],
    ordered_cache_behaviors=[
        behavior("/logs/*", "legacy", "redirect-to-https"),
        behavior("/public/*", "public", "allow-all"),
    ],
    default_cache_behavior={"target_origin_id": "failover", "viewer_protocol_policy": "https-only",
                            "allowed_methods": GET, "cached_methods": GET},
    restrictions=NO_GEO,
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/assets",
                        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"},
)

aws.cloudfront.Distribution(
    "clean",
    enabled=True,
    origins=[{"origin_id": "app", "domain_name": "app.example.com",
              "custom_origin_config": custom("https-only", ["TLSv1.2"])}],
    ordered_cache_behaviors=[
        behavior("/api/*", "app", "https-only", ALL),
        behavior("/static/*", "app", "redirect-to-https"),
    ],
    default_cache_behavior={"target_origin_id": "app", "viewer_protocol_policy": "redirect-to-https",
                            "allowed_methods": GET, "cached_methods": GET},
    restrictions=NO_GEO,
    viewer_certificate={"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/clean",
                        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021"},
)
