"""`--aws` against endpoints that misbehave: a closed port fails after a couple of connection
attempts (not ten backed-off retries), throttling keeps every retry, and the endpoint can come
from AWS_ENDPOINT_URL. Real botocore, a real closed loopback port and a real HTTP stand-in."""

import json
import os
import socket
import subprocess
import sys

import pytest

from cloudfront_stub import Stub
from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the cfhttps command in subprocesses against local endpoints

pytest.importorskip("boto3")

CREDS = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
         "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
         "AWS_DEFAULT_REGION": "us-east-1"}


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused
    return port


def attempts_of(cf):
    sent = []
    cf.meta.events.register("before-send.cloudfront", lambda **kw: sent.append(1))
    return sent


def test_connection_refused_is_not_retried_ten_times(monkeypatch):
    from cfhttps_io import cloudfront as aws_live
    for k, v in CREDS.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    cf = aws_live.client(None, f"http://127.0.0.1:{closed_port()}")
    sent = attempts_of(cf)
    with pytest.raises(aws_live.AwsError, match="cannot reach the CloudFront endpoint"):
        list(aws_live.configs(cf))
    assert len(sent) == aws_live.CONNECTION_ATTEMPTS  # botocore's standard mode alone: 10
    assert cf.meta.config.connect_timeout == aws_live.CONNECT_TIMEOUT


def test_throttling_keeps_every_retry(monkeypatch):
    from cfhttps_io import cloudfront as aws_live
    for k, v in CREDS.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "4")
    stub = Stub("throttle")
    try:
        cf = aws_live.client(None, stub.url)
        with pytest.raises(aws_live.AwsError, match="throttled"):
            list(aws_live.configs(cf))
    finally:
        stub.close()
    assert stub.calls == 4


def run(*args, env):
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **CREDS, **env})
    return proc.returncode, proc.stdout, proc.stderr


def test_closed_endpoint_is_a_clear_error_through_the_cli():
    rc, out, err = run("audit", "--aws", "--endpoint-url", f"http://127.0.0.1:{closed_port()}",
                       "--format", "json", env={})
    doc = json.loads(out)
    assert rc == 2 and "cannot reach the CloudFront endpoint" in doc["errors"][0]["message"]
    assert "Traceback" not in err


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLOUDFRONT"])
def test_endpoint_from_the_environment(variable):
    stub = Stub("denied")
    try:
        rc, out, err = run("audit", "--aws", "--format", "json", env={variable: stub.url})
    finally:
        stub.close()
    assert rc == 2 and "AccessDenied" in json.loads(out)["errors"][0]["message"], err
    assert stub.calls >= 1
