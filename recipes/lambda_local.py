"""``make lambda-local``: both Lambda handlers run from the zip, as Lambda runs them, against
loopback stand-ins of the AWS services they call.

- The CloudFormation hook (``cfhttps_aws.cfn_hook.handler``) gets two stack events whose payload
  URL points at a loopback file server (standing in for the presigned S3 URL CloudFormation
  gives): examples/bad/website-and-order.yaml and examples/good/s3-rest-oac.yaml. A payload URL
  that is not on an Amazon S3 host is refused by the hook; ``CFHTTPS_HOOK_PAYLOAD_PREFIXES=
  http://127.0.0.1:`` is the documented test-only switch that admits loopback.
- The AWS Config rule (``cfhttps_aws.config_rule.handler``) gets a scheduled event: it lists the
  distributions of a loopback CloudFront (serving examples/bad/cloudfront-api.json and
  examples/good/cloudfront-api.json in CloudFront's XML, serialised by botocore from the JSON),
  reads each, and puts its evaluations to a loopback AWS Config, which records them.

The handlers run in ``python -I -S`` with only the zip and boto3's stack on the path
(:mod:`recipes.lambda_runtime`), with AWS's documented example credentials and every endpoint on
127.0.0.1: nothing leaves the machine. Exit status: 0 when both handlers answered, 2 when they
could not be run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from typing import Any, Dict, List, Optional

from recipes import lambda_runtime, run_recipe
from recipes.aws_events import CREDS, scheduled_event, stack_hook_event
from recipes.loopback import LoopbackApi, RecordingConfig, StaticFiles

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZIP = os.path.join("dist", "cfhttps-lambda.zip")
STACKS = {"/stacks/bad": os.path.join("examples", "bad", "website-and-order.yaml"),
          "/stacks/good": os.path.join("examples", "good", "s3-rest-oac.yaml")}
# The ids the example documents say they were read from (their Comment).
DISTRIBUTIONS = {"E1A2B3C4D5E6F7": os.path.join("examples", "bad", "cloudfront-api.json"),
                 "E7F6E5D4C3B2A1": os.path.join("examples", "good", "cloudfront-api.json")}
NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
RESULT_TOKEN = "local-result-token"


def _read(rel: str) -> str:
    with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
        return fh.read()


class CloudFront(LoopbackApi):
    """ListDistributions and GetDistributionConfig over the given API documents (the
    ``get-distribution-config`` JSON), answered in CloudFront's REST-XML as botocore parses it;
    anything else is NoSuchDistribution / not found (the rule then notes what it could not read)."""

    def __init__(self, documents: Dict[str, Dict[str, Any]]) -> None:
        import botocore.session
        from botocore import serialize
        model = botocore.session.get_session().get_service_model("cloudfront")
        operation = model.operation_model("CreateDistribution")  # its body is a DistributionConfig
        serializer = serialize.create_serializer("rest-xml")
        self.configs = {
            dist_id: b'<?xml version="1.0" encoding="UTF-8"?>'.decode() + serializer.serialize_to_request(
                {"DistributionConfig": doc["DistributionConfig"]}, operation)["body"].decode()
            for dist_id, doc in documents.items()}
        super().__init__()

    def respond(self, path: str):
        path = path.split("?")[0].rstrip("/")
        if path.endswith("/distribution"):
            items = "".join(f"<DistributionSummary><Id>{i}</Id></DistributionSummary>" for i in self.configs)
            return 200, (f'<?xml version="1.0"?><DistributionList xmlns="{NS}"><Marker></Marker>'
                         f"<MaxItems>100</MaxItems><IsTruncated>false</IsTruncated>"
                         f"<Quantity>{len(self.configs)}</Quantity><Items>{items}</Items></DistributionList>")
        if path.endswith("/config") and path.split("/")[-2] in self.configs:
            return 200, self.configs[path.split("/")[-2]]
        code = "NoSuchDistribution" if "/distribution/" in path else "EntityNotFound"
        return 404, (f'<?xml version="1.0"?><ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type>'
                     f"<Code>{code}</Code><Message>not in this stand-in</Message></Error>"
                     f"<RequestId>local</RequestId></ErrorResponse>")


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line for line in str(text).splitlines())


def run(zip_path: str, out=sys.stdout) -> Dict[str, Any]:
    """Run both handlers from ``zip_path``; print their answers and return them (with what the
    Config stand-in received under ``"_put"``)."""
    documents = {i: json.loads(_read(rel)) for i, rel in DISTRIBUTIONS.items()}
    files = {key: json.dumps({"template": _read(rel), "previousTemplate": None}).encode()
             for key, rel in STACKS.items()}
    s3, cloudfront, config = StaticFiles(files), CloudFront(documents), RecordingConfig()
    events = {key: ("hook", stack_hook_event(f"{s3.url}{key}?X-Amz-Signature=local", token=key))
              for key in STACKS}
    events["config"] = ("config", scheduled_event(token=RESULT_TOKEN))
    try:
        with tempfile.TemporaryDirectory(prefix="cfhttps-lambda-runtime-") as stack:
            answers = lambda_runtime.run(zip_path, lambda_runtime.boto_stack(stack), events, {
                **CREDS, "AWS_MAX_ATTEMPTS": "1",
                "AWS_ENDPOINT_URL_CLOUDFRONT": cloudfront.url,
                "AWS_ENDPOINT_URL_CONFIG_SERVICE": config.url,
                "CFHTTPS_HOOK_PAYLOAD_PREFIXES": "http://127.0.0.1:"})
    finally:
        for server in (s3, cloudfront, config):
            server.close()
    answers["_put"] = config.batches()

    shown = os.path.relpath(os.path.abspath(zip_path), ROOT)
    print(f"zip: {zip_path if shown.startswith('..') else shown}, run with `python -I -S` and "
          f"boto3's stack only; every AWS endpoint on 127.0.0.1", file=out)
    print("\nCloudFormation hook, cfhttps_aws.cfn_hook.handler (stack payload from a loopback "
          "stand-in for S3):", file=out)
    for key, rel in STACKS.items():
        answer = answers[key]
        status = answer.get("hookStatus")
        code = f" ({answer['errorCode']})" if answer.get("errorCode") else ""
        print(f"  {rel}: {status}{code}", file=out)
        print(_indent(answer.get("message", ""), "      "), file=out)
    print("\nAWS Config rule, cfhttps_aws.config_rule.handler (scheduled; loopback CloudFront "
          "and Config):", file=out)
    for ev in answers["config"]:
        source = DISTRIBUTIONS.get(ev.get("ComplianceResourceId"), ev.get("ComplianceResourceType"))
        print(f"  {ev.get('ComplianceResourceId')} ({source}): {ev.get('ComplianceType')}", file=out)
        if ev.get("Annotation"):
            print(_indent(ev["Annotation"], "      "), file=out)
    put = [e for batch in answers["_put"] for e in batch.get("Evaluations", [])]
    tokens = sorted({batch.get("ResultToken") for batch in answers["_put"]})
    print(f"  the Config stand-in received {len(answers['_put'])} PutEvaluations call(s), "
          f"{len(put)} evaluation(s), result token {', '.join(map(str, tokens)) or '-'}", file=out)
    return answers


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recipes.lambda_local",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("zip", nargs="?", default=os.path.join(ROOT, ZIP),
                        help=f"the Lambda package (default: {ZIP}, which `make lambda` builds)")
    args = parser.parse_args(argv)
    if not os.path.isfile(args.zip):
        print(f"lambda-local: {args.zip} does not exist: build it with `make lambda`", file=sys.stderr)
        return 2
    return run_recipe("lambda-local", "aws", lambda: run(args.zip))


if __name__ == "__main__":
    raise SystemExit(main())
