"""Project fixture (written for this repository): one distribution whose viewer leg allows HTTP
(CFH001) and whose origin allows TLSv1 (CFH010), carrying the tag cfhttps:ignore from stack
configuration ("waiver"), through pulumi-aws (a tags map) and aws-native (a Tags list)."""
import pulumi
import pulumi_aws as aws
import pulumi_aws_native as aws_native

waiver = pulumi.Config().require("waiver")

aws.cloudfront.Distribution(
    "legacy",
    enabled=True,
    origins=[aws.cloudfront.DistributionOriginArgs(
        origin_id="app", domain_name="app.example.com",
        custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
            origin_protocol_policy="https-only", http_port=80, https_port=443,
            origin_ssl_protocols=["TLSv1", "TLSv1.2"]),
    )],
    default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id="app", viewer_protocol_policy="allow-all",
        allowed_methods=["GET", "HEAD"], cached_methods=["GET", "HEAD"],
        forwarded_values=aws.cloudfront.DistributionDefaultCacheBehaviorForwardedValuesArgs(
            query_string=False,
            cookies=aws.cloudfront.DistributionDefaultCacheBehaviorForwardedValuesCookiesArgs(forward="none")),
    ),
    restrictions=aws.cloudfront.DistributionRestrictionsArgs(
        geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")),
    viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
        acm_certificate_arn="arn:aws:acm:us-east-1:111111111111:certificate/abc",
        ssl_support_method="sni-only", minimum_protocol_version="TLSv1.2_2021"),
    tags={"cfhttps:ignore": waiver, "team": "web"},
)

aws_native.cloudfront.Distribution(
    "legacy-native",
    distribution_config={
        "enabled": True,
        "origins": [{"id": "app", "domain_name": "app.example.com",
                     "custom_origin_config": {"origin_protocol_policy": "https-only",
                                              "origin_ssl_protocols": ["TLSv1", "TLSv1.2"]}}],
        "default_cache_behavior": {"target_origin_id": "app", "viewer_protocol_policy": "allow-all"},
        "viewer_certificate": {"acm_certificate_arn": "arn:aws:acm:us-east-1:111111111111:certificate/abc",
                               "ssl_support_method": "sni-only",
                               "minimum_protocol_version": "TLSv1.2_2021"},
    },
    tags=[{"key": "cfhttps:ignore", "value": waiver}, {"key": "team", "value": "web"}],
)
