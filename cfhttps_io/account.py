"""One account's CloudFront distributions, modelled as every door that reads AWS models them.

``cfhttps audit --aws`` and the AWS Config rule (scheduled, oversized and change-triggered) all
go through :class:`Account`, so a distribution's VPC origins (``GetVpcOrigin``) and custom
response headers policies (``GetResponseHeadersPolicy``) are read the same way and CFH003,
CFH010 and CFH011 are decided alike wherever the distribution is judged. Shared VPC origins and
policies are read once per account walk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, List, Optional, Tuple

from rules import engine
from rules.model import Distribution, Note, Unknown
from rules.sources import aws_api

from . import cloudfront
from .cloudfront import GONE, AwsError

API_PATH = ("DistributionConfig",)


@dataclass
class Read:
    """One distribution as read: modelled, or the reason it could not be (``error``;
    :data:`GONE` when it was deleted between the listing and the read)."""

    dist_id: str
    distribution: Optional[Distribution] = None
    notes: List[Note] = field(default_factory=list)
    error: Optional[str] = None


class Account:
    """The CloudFront of one account, behind a client made on first use.

    ``client``: a boto3 CloudFront client, or a callable that makes one (raising
    :class:`~cfhttps_io.cloudfront.AwsError`); a change-triggered Config evaluation whose
    distribution names no VPC origin and no custom policy never makes one."""

    def __init__(self, client: Any, config) -> None:
        self._client = client if not callable(client) or hasattr(client, "get_paginator") else None
        self._factory: Optional[Callable[[], Any]] = None if self._client is not None else client
        self.vpc_cache: dict = {}
        active = engine.active_codes(config)
        self.headers = cloudfront.HeadersPolicies(self.client) if "CFH011" in active else None

    def client(self):
        """The CloudFront client (made now if need be); AwsError when it cannot be made."""
        if self._client is None:
            self._client = self._factory()
        return self._client

    def model(self, dist_id: str, config: Any, path: Tuple = API_PATH,
              source: str = "", tags: Optional[Tuple[Any, Tuple]] = None,
              ) -> Tuple[Optional[Distribution], List[Note]]:
        """A DistributionConfig (API or Config spelling) → the model, its VPC origins and
        custom response headers policies read as needed. ``tags``: (the mapping holding its
        ``Tags``, path): a configuration item, or :meth:`tags` of a live distribution."""
        vpc = cloudfront.vpc_origins(self.client, config, self.vpc_cache) \
            if cloudfront.vpc_origin_ids(config) else None
        return aws_api.distribution(dist_id, config, path, source, vpc,
                                    headers_lookup=self.headers, tags=tags)

    def tags(self, arn: Optional[str]) -> Tuple[Any, Tuple]:
        """A live distribution's tags (``ListTagsForResource``) where the model reads them; when
        they cannot be read, an unknown the model notes (nothing is suppressed by tag)."""
        found = cloudfront.read_tags(self.client, arn)
        if isinstance(found, str):
            found = Unknown(f"its tags could not be read: {found}")
        return {"Tags": found}, ("ListTagsForResource",)

    def read(self, dist_id: str, source: str = "", arn: Optional[str] = None) -> Read:
        """``GetDistributionConfig`` (and ``ListTagsForResource`` by ``arn``) for one
        distribution, modelled."""
        try:
            cf = self.client()
        except AwsError as exc:
            return Read(dist_id, error=str(exc))
        cfg, error = cloudfront.read_config(cf, dist_id)
        if error:
            return Read(dist_id, error=error)
        dist, notes = self.model(dist_id, cfg, API_PATH, source or f"aws/{dist_id}",
                                 tags=self.tags(arn))
        return Read(dist_id, dist, list(notes))

    def walk(self, label: str = "aws") -> Iterator[Read]:
        """Every distribution of the account (``ListDistributions``, paginated), one at a time.
        Raises AwsError when the client cannot be made or the listing fails."""
        cf = self.client()
        for dist_id, arn in cloudfront.distributions(cf):
            yield self.read(dist_id, f"{label}/{dist_id}", arn)


__all__ = ["Account", "Read", "GONE", "AwsError", "API_PATH"]
