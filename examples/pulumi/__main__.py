"""A static site served by CloudFront, declared twice with pulumi_aws: ``cdn`` as it is often
first written (the S3 website endpoint spoken to over HTTPS, assets over plain HTTP, writes
redirected, the default certificate), ``cdn-fixed`` as cfhttps would have it (the REST endpoint
with origin access control, HTTPS viewers, a certificate pinned to TLSv1.2_2021).

`make pulumi-local` runs this program under Pulumi's mock runtime and sends each distribution
to the policy pack as the Pulumi engine would. The website endpoint is unknown until the bucket
is deployed, so a preview cannot tell whether the origin is one (the pack says so); once
deployed, ``pulumi stack export`` holds it and ``cfhttps audit`` finds CFH002
(examples/bad/pulumi-stack.json is such an export). With the Pulumi CLI,
``pulumi preview --policy-pack ../..`` from this folder does the same against a real stack.
"""

import pulumi_aws as aws

bucket = aws.s3.Bucket("site")
website = aws.s3.BucketWebsiteConfiguration("site", bucket=bucket.id,
                                            index_document={"suffix": "index.html"})

cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    comment="site (website endpoint)",
    origins=[{
        "origin_id": "site",
        "domain_name": website.website_endpoint,  # unknown until deployed
        "custom_origin_config": {"origin_protocol_policy": "https-only", "http_port": 80,
                                 "https_port": 443, "origin_ssl_protocols": ["TLSv1.2"]},
    }],
    ordered_cache_behaviors=[{
        "path_pattern": "/assets/*", "target_origin_id": "site", "viewer_protocol_policy": "allow-all",
        "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
        "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    }],
    default_cache_behavior={
        "target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        "cached_methods": ["GET", "HEAD"],
        "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",  # Managed-CachingOptimized
    },
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)

oac = aws.cloudfront.OriginAccessControl("site", origin_access_control_origin_type="s3",
                                         signing_behavior="always", signing_protocol="sigv4")
cdn_fixed = aws.cloudfront.Distribution(
    "cdn-fixed",
    enabled=True,
    comment="site (REST endpoint, origin access control)",
    aliases=["www.example.com"],
    origins=[{"origin_id": "site", "domain_name": bucket.bucket_regional_domain_name,
              "origin_access_control_id": oac.id}],
    default_cache_behavior={
        "target_origin_id": "site", "viewer_protocol_policy": "redirect-to-https",
        "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
        "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    },
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={
        "acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4",
        "ssl_support_method": "sni-only", "minimum_protocol_version": "TLSv1.2_2021",
    },
)
