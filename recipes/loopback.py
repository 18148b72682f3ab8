"""HTTP servers on 127.0.0.1 standing in for the AWS endpoints the doors call: a file server
(S3 presigned URLs, which the CloudFormation hook reads its payload from), AWS Config's JSON
protocol recording ``PutEvaluations``, and a GET-only XML API (CloudFront's REST protocol).

Standard library only, so they also run beside an interpreter that has nothing but the Lambda
package on its path; ``make lambda-local`` and the tests use the same ones."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs
from xml.sax.saxutils import escape


class Server:
    """A loopback server answering GET and POST with ``respond(method, path, headers, body) ->
    (status, content type, bytes)``; ``url`` is its base address."""

    def __init__(self, respond):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, ctype, data = respond(method, self.path, dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._reply("GET")

            def do_POST(self):
                self._reply("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class RecordingConfig(Server):
    """AWS Config's JSON protocol on loopback, recording every PutEvaluations (moto implements
    only TestMode=True). ``refuse``: resource ids answered as FailedEvaluations."""

    def __init__(self, refuse=()):
        self.calls = []
        self.refuse = set(refuse)
        super().__init__(self._respond)

    def _respond(self, method, path, headers, body):
        target = headers.get("X-Amz-Target") or headers.get("x-amz-target") or ""
        doc = json.loads(body or b"{}")
        self.calls.append((target, doc))
        if target.endswith(".PutEvaluations"):
            failed = [e for e in doc.get("Evaluations", []) if e["ComplianceResourceId"] in self.refuse]
            return 200, "application/x-amz-json-1.1", json.dumps({"FailedEvaluations": failed}).encode()
        return 400, "application/x-amz-json-1.1", json.dumps(
            {"__type": "UnknownOperationException", "message": target}).encode()

    def batches(self):
        return [doc for target, doc in self.calls if target.endswith(".PutEvaluations")]


class StaticFiles(Server):
    """Serves fixed bodies by path (a stand-in for S3 presigned URLs); 404 otherwise."""

    def __init__(self, files):
        self.files = dict(files)
        self.hits = []
        super().__init__(self._respond)

    def _respond(self, method, path, headers, body):
        self.hits.append(path)
        key = path.split("?", 1)[0]
        if key in self.files:
            data = self.files[key]
            return 200, "application/json", data if isinstance(data, bytes) else data.encode()
        return 404, "application/xml", b"<Error><Code>NoSuchKey</Code></Error>"


CLOUDFRONT_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"


def tags_xml(tags):
    """CloudFront's ListTagsForResource answer for ``{key: value}``."""
    items = "".join(f"<Tag><Key>{escape(k)}</Key><Value>{escape(v)}</Value></Tag>"
                    for k, v in tags.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?><Tags xmlns="{CLOUDFRONT_NS}">'
            f"<Items>{items}</Items></Tags>")


class LoopbackApi:
    """An XML API on loopback: every GET path is recorded in ``paths`` and answered by
    ``respond(path) -> (status, body)``, which a subclass gives; ``ListTagsForResource``
    (``/tagging?Resource=ARN``) answers ``tags[ARN]`` ({key: value}; none by default)."""

    def __init__(self):
        self.paths = []
        self.tags = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                stub.paths.append(self.path)
                status, body = stub.respond_tags(self.path) or stub.respond(self.path)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def respond(self, path):
        raise NotImplementedError

    def respond_tags(self, path):
        base, _, query = path.partition("?")
        if not base.rstrip("/").endswith("/tagging"):
            return None
        resource = parse_qs(query).get("Resource", [""])[0]
        return 200, tags_xml(self.tags.get(resource, {}))

    def close(self):
        self.server.shutdown()
        self.server.server_close()
