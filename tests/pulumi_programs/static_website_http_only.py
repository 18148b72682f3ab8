"""Project fixture (written for this repository): the bucket is an S3 website (its endpoint is
unknown during preview), declared as a custom http-only origin — correct for a website endpoint,
but the CloudFront-to-S3 leg is plaintext — and the ACM certificate from stack configuration has
no minimum_protocol_version."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
domain = config.require("targetDomain")
certificate_arn = config.require("certificateArn")

bucket = aws.s3.Bucket("www", bucket=domain)
website = aws.s3.BucketWebsiteConfiguration("www", bucket=bucket.id,
                                            index_document={"suffix": "index.html"},
                                            error_document={"key": "404.html"})

cdn = aws.cloudfront.Distribution(
    "www-cdn",
    enabled=True,
    aliases=[domain],
    origins=[aws.cloudfront.DistributionOriginArgs(
        origin_id="website",
        domain_name=website.website_endpoint,
        custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
            origin_protocol_policy="http-only", http_port=80, https_port=443,
            origin_ssl_protocols=["TLSv1.2"]),
    )],
    default_root_object="index.html",
    default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id="website",
        viewer_protocol_policy="redirect-to-https",
        allowed_methods=["GET", "HEAD", "OPTIONS"],
        cached_methods=["GET", "HEAD", "OPTIONS"],
        forwarded_values=aws.cloudfront.DistributionDefaultCacheBehaviorForwardedValuesArgs(
            query_string=False,
            cookies=aws.cloudfront.DistributionDefaultCacheBehaviorForwardedValuesCookiesArgs(forward="none")),
        min_ttl=0, default_ttl=600, max_ttl=600,
    ),
    price_class="PriceClass_100",
    restrictions=aws.cloudfront.DistributionRestrictionsArgs(
        geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")),
    viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
        acm_certificate_arn=certificate_arn, ssl_support_method="sni-only"),
)
pulumi.export("endpoint", cdn.domain_name)
