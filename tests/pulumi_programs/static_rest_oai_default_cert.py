"""Project fixture (written for this repository), in the style of the usual Pulumi static-site
tutorials: a private bucket read through an origin access identity, the *Args classes, the REST
regional domain name, redirect-to-https, and the default *.cloudfront.net certificate (TLSv1)."""
import pulumi
from pulumi_aws import cloudfront, s3

site = s3.Bucket("site-content")
oai = cloudfront.OriginAccessIdentity("site-oai", comment="read access for the distribution")

cdn = cloudfront.Distribution(
    "site-cdn",
    enabled=True,
    default_root_object="index.html",
    origins=[cloudfront.DistributionOriginArgs(
        origin_id="content",
        domain_name=site.bucket_regional_domain_name,
        s3_origin_config=cloudfront.DistributionOriginS3OriginConfigArgs(
            origin_access_identity=oai.cloudfront_access_identity_path),
    )],
    default_cache_behavior=cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id="content",
        viewer_protocol_policy="redirect-to-https",
        allowed_methods=["GET", "HEAD"],
        cached_methods=["GET", "HEAD"],
        forwarded_values=cloudfront.DistributionDefaultCacheBehaviorForwardedValuesArgs(
            query_string=False,
            cookies=cloudfront.DistributionDefaultCacheBehaviorForwardedValuesCookiesArgs(forward="none")),
    ),
    restrictions=cloudfront.DistributionRestrictionsArgs(
        geo_restriction=cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")),
    viewer_certificate=cloudfront.DistributionViewerCertificateArgs(cloudfront_default_certificate=True),
)
pulumi.export("url", cdn.domain_name)
