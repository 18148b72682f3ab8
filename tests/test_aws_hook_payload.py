"""The hook's payload fetch against real loopback servers: a redirect is not followed, a URL
outside the allowed hosts is never fetched (the server sees no connection), a server that
drips its answer is cut off by the deadline and the hook still answers in time, an oversized
body is refused. Loopback is allowed only through the test-only CFHTTPS_HOOK_PAYLOAD_PREFIXES."""

import json
import socket
import threading
import time

import pytest

from cfhttps_aws import cfn_hook, payload
from test_aws_helpers import StaticFiles, stack_hook_event

TEMPLATE = {"Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {
    "DistributionConfig": {"Origins": [{"Id": "o", "DomainName": "app.example.com",
                                        "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}],
                           "DefaultCacheBehavior": {"TargetOriginId": "o",
                                                    "ViewerProtocolPolicy": "allow-all"}}}}}}
BODY = json.dumps({"template": json.dumps(TEMPLATE), "previousTemplate": ""}).encode()


class Context:
    """A Lambda context with a fixed remaining time (the handler's deadline comes from it)."""

    def __init__(self, millis):
        self.millis = millis

    def get_remaining_time_in_millis(self):
        return self.millis


class RawServer:
    """A TCP server on loopback answering each connection with ``respond(conn, request)``;
    counts connections, so a test can prove none was made."""

    def __init__(self, respond):
        self.respond = respond
        self.connections = 0
        self.requests = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            data = b""
            conn.settimeout(5)
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data.split(b"\r\n", 1)[0].decode())
            self.respond(conn, self)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.closed.set()
        self.sock.close()


@pytest.fixture
def loopback(monkeypatch):
    monkeypatch.setenv(payload.TEST_PREFIXES_ENV, "http://127.0.0.1:")
    monkeypatch.delenv("CFHTTPS_SETTINGS", raising=False)


def ok(body, length=True):
    def respond(conn, server):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        if length:
            head += b"Content-Length: %d\r\n" % len(body)
        conn.sendall(head + b"\r\n" + body)
    return respond


def test_a_real_payload_is_judged(loopback):
    server = RawServer(ok(BODY))
    try:
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json?X-Amz-Signature=s"),
                                  Context(20_000))
    finally:
        server.close()
    assert answer["errorCode"] == "NonCompliant" and "CFH001" in answer["message"]
    assert server.requests == ["GET /p.json?X-Amz-Signature=s HTTP/1.1"]


def test_a_redirect_is_not_followed(loopback):
    files = StaticFiles({"/elsewhere.json": BODY})

    def redirect(conn, server):
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + files.url.encode() +
                     b"/elsewhere.json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    server = RawServer(redirect)
    try:
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json"), Context(20_000))
    finally:
        server.close()
        files.close()
    assert answer["errorCode"] == "InternalFailure"
    assert "redirect (HTTP 302)" in answer["message"] and "not followed" in answer["message"]
    assert server.connections == 1 and files.hits == []


@pytest.mark.parametrize("template", [
    "{url}/p.json",                              # loopback, but no test prefix configured
    "https://127.0.0.1:{port}/p.json",           # https, but not an Amazon S3 host
    "https://bucket.s3.amazonaws.com.127.0.0.1.nip.io:{port}/p.json",
    "https://bucket.s3.amazonaws.com@127.0.0.1:{port}/p.json",   # user information
    "https://bucket.s3.amazonaws.com:{port}/p.json",             # S3 host, other port
    "ftp://bucket.s3.amazonaws.com/p.json",
])
def test_a_url_outside_the_allowed_hosts_is_never_fetched(monkeypatch, template):
    monkeypatch.delenv(payload.TEST_PREFIXES_ENV, raising=False)
    server = RawServer(ok(BODY))
    try:
        url = template.format(url=server.url, port=server.port)
        answer = cfn_hook.handler(stack_hook_event(url), Context(20_000))
        time.sleep(0.2)  # a connection, had one been made, is counted by now
    finally:
        server.close()
    assert answer["hookStatus"] == "FAILED" and answer["errorCode"] == "InternalFailure"
    assert "refused" in answer["message"]
    assert server.connections == 0


def test_only_the_listed_prefixes_are_allowed_for_tests(monkeypatch):
    server = RawServer(ok(BODY))
    monkeypatch.setenv(payload.TEST_PREFIXES_ENV, f"http://127.0.0.1:{server.port + 1}/, http://localhost:")
    try:
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json"), Context(20_000))
        time.sleep(0.2)
    finally:
        server.close()
    assert answer["errorCode"] == "InternalFailure" and server.connections == 0


@pytest.mark.parametrize("url", [
    "https://my-bucket.s3.us-east-1.amazonaws.com/hooks/p.json?X-Amz-Signature=abc",
    "https://s3.cn-north-1.amazonaws.com.cn/bucket/p.json",
    "https://bucket.s3.amazonaws.com:443/p.json",
])
def test_amazon_s3_urls_pass_the_check(monkeypatch, url):
    monkeypatch.delenv(payload.TEST_PREFIXES_ENV, raising=False)
    assert payload.check_url(url).hostname.endswith((".amazonaws.com", ".amazonaws.com.cn"))


@pytest.mark.slow
def test_a_dripping_server_is_cut_off_and_the_hook_answers_in_time(loopback):
    """Headers, then one byte every 2 s: every socket read is quick, only an overall deadline
    stops it. With 3 s left the fetch may take 1.5 s."""
    def drip(conn, server):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(BODY))
        for byte in BODY:
            if server.closed.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(2)
    server = RawServer(drip)
    try:
        start = time.monotonic()
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json"), Context(3_000))
        took = time.monotonic() - start
    finally:
        server.close()
    assert answer["errorCode"] == "InternalFailure" and "deadline" in answer["message"]
    assert 1.0 <= took < 2.9, took


@pytest.mark.slow
def test_a_server_that_never_answers_is_cut_off(loopback):
    def silent(conn, server):
        server.closed.wait(10)
    server = RawServer(silent)
    try:
        start = time.monotonic()
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json"), Context(2_000))
        took = time.monotonic() - start
    finally:
        server.close()
    assert answer["errorCode"] == "InternalFailure" and "deadline" in answer["message"]
    assert took < 1.9, took


def test_no_time_left_means_no_fetch(loopback):
    server = RawServer(ok(BODY))
    try:
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json"), Context(0))
        time.sleep(0.2)
    finally:
        server.close()
    assert answer["errorCode"] == "InternalFailure" and server.connections == 0


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "no-length"])
def test_an_oversized_body_is_refused(loopback, monkeypatch, announced):
    monkeypatch.setattr(payload, "MAX_BYTES", 1000)
    big = json.dumps({"template": json.dumps(TEMPLATE), "pad": "x" * 5000}).encode()
    server = RawServer(ok(big, length=announced))
    try:
        answer = cfn_hook.handler(stack_hook_event(server.url + "/p.json"), Context(20_000))
    finally:
        server.close()
    assert answer["errorCode"] == "InternalFailure"
    assert "larger than 1000 bytes" in answer["message"]


def test_the_budget_follows_the_context():
    assert payload.budget_seconds(Context(3_000)) == 1.5
    assert payload.budget_seconds(Context(60_000)) == payload.MAX_SECONDS
    assert payload.budget_seconds(None) == min(payload.MAX_SECONDS, payload.DEFAULT_REMAINING_MS / 2000)
