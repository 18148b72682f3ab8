"""What a Terraform reference to another resource's attribute tells before apply: the one job
of :func:`reference_value`, shared by the plan reader (:mod:`.terraform`) and the module
evaluator (:mod:`.terraform_hcl`) without either importing the other's module.
"""

from __future__ import annotations

from typing import Any

from ..model import Symbolic, Unknown


def reference_value(rtype: str, attr: str, address: str, same_as=None) -> Any:
    """What a reference to another resource's attribute tells before its value is known: the
    shape of an S3 endpoint host (website or REST), else an unknown that equals the same
    reference elsewhere (``same_as``)."""
    bucket = Unknown("bucket name", token=True)
    region = Unknown("region", token=True)
    if rtype in ("aws_s3_bucket_website_configuration", "aws_s3_bucket") and \
            attr == "website_endpoint":
        return Symbolic([bucket, ".s3-website.", region, ".amazonaws.com"])
    if rtype in ("aws_s3_bucket_website_configuration", "aws_s3_bucket") and \
            attr == "website_domain":
        return Symbolic(["s3-website.", region, ".amazonaws.com"])
    if rtype == "aws_s3_bucket" and attr == "bucket_regional_domain_name":
        return Symbolic([bucket, ".s3.", region, ".amazonaws.com"])
    if rtype == "aws_s3_bucket" and attr == "bucket_domain_name":
        return Symbolic([bucket, ".s3.amazonaws.com"])
    return Unknown(f"{address}.{attr}, known after apply",
                   same_as=same_as if same_as is not None else ("terraform", address, attr))
