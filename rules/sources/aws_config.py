"""AWS Config configuration items for ``AWS::CloudFront::Distribution`` → distributions.

AWS Config does not record the CloudFront API's shape: a configuration item's ``configuration``
holds ``distributionConfig`` with lowerCamelCase keys (``defaultCacheBehavior``,
``viewerProtocolPolicy``, ``customOriginConfig.originSslProtocols``, ``httpsPort``,
``viewerCertificate.acmCertificateArn``, ``quantity``/``items`` lists). The property names are
those AWS publishes for the resource type in awslabs/aws-config-resource-schema
(``config/properties/resource-types/AWS::CloudFront::Distribution.properties.json``). Absent
members may be serialised as JSON ``null``; the CloudFront API omits them instead, so nulls are
dropped before the tree is read. The rest is the API's reading (:mod:`.aws_api`): keys are matched
case-insensitively there, and the API's (and Config's) ``originSslProtocols`` is always recorded,
so no CloudFormation default applies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, List, Optional, Tuple

from ..model import Distribution, Note
from . import aws_api

RESOURCE_TYPE = "AWS::CloudFront::Distribution"
PATH = ("configuration", "distributionConfig")


class ShapeError(ValueError):
    """A configuration item without a readable CloudFront distribution configuration."""


def _without_nulls(node: Any, depth: int = 0) -> Any:
    if depth > 64:  # no real distribution config nests this deep
        return node
    if isinstance(node, Mapping):
        return {k: _without_nulls(v, depth + 1) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_without_nulls(v, depth + 1) for v in node if v is not None]
    return node


def distribution_config(configuration: Any) -> Any:
    """The ``distributionConfig`` of a configuration item's ``configuration`` (an object, or
    the JSON text the configuration-history APIs return), nulls removed."""
    if isinstance(configuration, (str, bytes)):
        try:
            configuration = json.loads(configuration)
        except ValueError as exc:
            raise ShapeError(f"configuration is not JSON: {exc}") from None
    if not isinstance(configuration, Mapping):
        raise ShapeError(f"configuration is {type(configuration).__name__}, not an object")
    for key in ("distributionConfig", "DistributionConfig"):
        if isinstance(configuration.get(key), Mapping):
            return _without_nulls(configuration[key])
    raise ShapeError("configuration has no distributionConfig object")


def distribution(resource_id: str, configuration: Any, source: str = "",
                 item: Any = None) -> Tuple[Optional[Distribution], List[Note]]:
    """The model of one recorded distribution; ShapeError when there is none to read.
    ``item``: the configuration item, whose ``tags`` (``{key: value}``) are the distribution's."""
    return aws_api.distribution(resource_id, distribution_config(configuration), PATH, source,
                                tags=item_tags(item))


def item_tags(item: Any) -> Optional[Tuple[Any, tuple]]:
    """Where a configuration item keeps the resource's tags, for the builder: the item itself
    (its ``tags`` member, ``{key: value}``), None when it is no item."""
    return (item, ()) if isinstance(item, Mapping) else None
