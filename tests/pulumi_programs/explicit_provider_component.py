"""A distribution inside a component, on an explicit provider (as stacks that pin a region or an
assumed role declare it), protected and with ignore_changes: the request carries that provider,
the component as parent and those options."""
import pulumi
import pulumi_aws as aws


class Site(pulumi.ComponentResource):
    def __init__(self, name, provider, opts=None):
        super().__init__("proj:index:Site", name, None, opts)
        self.cdn = aws.cloudfront.Distribution(
            "cdn",
            enabled=True,
            origins=[{"origin_id": "app", "domain_name": "app.example.com",
                      "custom_origin_config": {"origin_protocol_policy": "https-only", "http_port": 80,
                                               "https_port": 443, "origin_ssl_protocols": ["TLSv1.2"]}}],
            default_cache_behavior={"target_origin_id": "app", "viewer_protocol_policy": "allow-all",
                                    "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]},
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate={"cloudfront_default_certificate": True},
            opts=pulumi.ResourceOptions(parent=self, provider=provider, protect=True,
                                        ignore_changes=["comment"]))
        self.register_outputs({})


use1 = aws.Provider("use1", region="us-east-1", default_tags={"tags": {"team": "web"}})
site = Site("site", use1)
