"""Project fixture (written for this repository): the certificate ARN comes from stack
configuration (`config.require`), the legacy global bucket domain name is the REST origin behind
an origin access identity, errors map to index.html, logs go to a second bucket, and the ACM
certificate is pinned to TLSv1.2_2021: nothing to report."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
certificate_arn = config.require("certificateArn")
domain = config.require("targetDomain")

content = aws.s3.Bucket("content")
logs = aws.s3.Bucket("access-logs")
oai = aws.cloudfront.OriginAccessIdentity("oai")

cdn = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    aliases=[domain],
    origins=[aws.cloudfront.DistributionOriginArgs(
        origin_id=content.arn,
        domain_name=content.bucket_domain_name,
        s3_origin_config=aws.cloudfront.DistributionOriginS3OriginConfigArgs(
            origin_access_identity=oai.cloudfront_access_identity_path),
    )],
    default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id=content.arn,
        viewer_protocol_policy="redirect-to-https",
        allowed_methods=["GET", "HEAD", "OPTIONS"],
        cached_methods=["GET", "HEAD", "OPTIONS"],
        forwarded_values=aws.cloudfront.DistributionDefaultCacheBehaviorForwardedValuesArgs(
            query_string=False,
            cookies=aws.cloudfront.DistributionDefaultCacheBehaviorForwardedValuesCookiesArgs(forward="none")),
    ),
    custom_error_responses=[aws.cloudfront.DistributionCustomErrorResponseArgs(
        error_code=404, response_code=200, response_page_path="/index.html")],
    viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
        acm_certificate_arn=certificate_arn,
        ssl_support_method="sni-only",
        minimum_protocol_version="TLSv1.2_2021"),
    restrictions=aws.cloudfront.DistributionRestrictionsArgs(
        geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")),
    logging_config=aws.cloudfront.DistributionLoggingConfigArgs(
        bucket=logs.bucket_domain_name, include_cookies=False, prefix=f"{domain}/"),
)
pulumi.export("cdn", cdn.domain_name)
