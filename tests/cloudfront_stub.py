"""A tiny CloudFront API stand-in on loopback for the fault cases moto cannot produce
(access denied, throttling, a distribution deleted between list and get, pagination)."""

from recipes.loopback import LoopbackApi, tags_xml  # noqa: F401 (tests import them from here too)

NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

CONFIG_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="{NS}"><CallerReference>r</CallerReference><Comment></Comment><Enabled>true</Enabled>
<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>b.s3.amazonaws.com</DomainName>
<S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins>
<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy></DefaultCacheBehavior>
<ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate></ViewerCertificate>
</DistributionConfig>"""


def _error(code, message, status):
    body = (f'<?xml version="1.0"?><ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>'
            f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>req</RequestId></ErrorResponse>")
    return status, body


ACCOUNT = "111111111111"


def arn(dist_id):
    return f"arn:aws:cloudfront::{ACCOUNT}:distribution/{dist_id}"


def summary(dist_id):
    """A DistributionSummary with what the audit reads from it: the Id, and the ARN that
    names the distribution to ListTagsForResource."""
    return f"<DistributionSummary><Id>{dist_id}</Id><ARN>{arn(dist_id)}</ARN></DistributionSummary>"


def tags_xml(tags):
    """ListTagsForResource's answer for ``{key: value}``."""
    items = "".join(f"<Tag><Key>{escape(k)}</Key><Value>{escape(v)}</Value></Tag>" for k, v in tags.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><Tags xmlns="{NS}"><Items>{items}</Items></Tags>'


def _list(ids, marker, next_marker):
    items = "".join(summary(i) for i in ids)
    truncated = "true" if next_marker else "false"
    nm = f"<NextMarker>{next_marker}</NextMarker>" if next_marker else ""
    return 200, (f'<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker>{marker}</Marker>{nm}'
                 f"<MaxItems>1</MaxItems><IsTruncated>{truncated}</IsTruncated><Quantity>{len(ids)}</Quantity>"
                 f"<Items>{items}</Items></DistributionList>")


class Stub(LoopbackApi):
    """mode: 'denied' | 'throttle' | 'deleted' (E1 ok, E2 gone, E3 ok over two pages)."""

    def __init__(self, mode):
        self.mode = mode
        super().__init__()

    @property
    def calls(self):
        return len(self.paths)

    def respond(self, path):
        if self.mode == "denied":
            return _error("AccessDenied", "User is not authorized to perform cloudfront:ListDistributions", 403)
        if self.mode == "throttle":
            return _error("Throttling", "Rate exceeded", 400)
        if path.endswith("/config"):
            dist_id = path.rstrip("/").split("/")[-2]
            if dist_id == "E2":
                return _error("NoSuchDistribution", "The specified distribution does not exist.", 404)
            return 200, CONFIG_XML
        if "Marker=page2" in path:
            return _list(["E3"], "page2", None)
        return _list(["E1", "E2"], "", "page2")
