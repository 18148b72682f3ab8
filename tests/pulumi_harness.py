"""Drive the policy pack exactly as the Pulumi CLI does, over the analyzer gRPC protocol.

The CLI binary cannot be installed here, so the harness takes its place: it starts
``python -u -m pulumi.policy <engine-address> <pack-dir>`` with the pack as working directory,
reads the port line, and talks to the pack through the stubs shipped in the ``pulumi`` package.
Resource properties come from real ``pulumi_aws`` / ``pulumi_aws_native`` declarations run under
Pulumi's mock runtime (:func:`capture`), unknown outputs included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Any, Dict, List, Optional

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi.runtime.rpc.UNKNOWN (string sentinel)
LEVELS = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
          "remediate": analyzer_pb2.REMEDIATE, "disabled": analyzer_pb2.DISABLED}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


def urn_of(rtype: str, name: str) -> str:
    return f"urn:pulumi:dev::proj::{rtype}::{name}"


def to_struct(props: Dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(props)
    return s


class Pack:
    """A running policy pack process and a stub to it."""

    def __init__(self, pack_dir: str, env: Optional[Dict[str, str]] = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:1", pack_dir],
            cwd=pack_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})})
        line = self.proc.stdout.readline().decode().strip()
        if not line.isdigit():
            err = self.proc.stderr.read().decode() if self.proc.poll() is not None else ""
            raise RuntimeError(f"pack did not print a port: {line!r} {err}")
        self.port = int(line)
        self.stdout: List[bytes] = []
        self.stderr: List[bytes] = []
        for stream, sink in ((self.proc.stdout, self.stdout), (self.proc.stderr, self.stderr)):
            threading.Thread(target=self._drain, args=(stream, sink), daemon=True).start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    @staticmethod
    def _drain(stream, sink) -> None:
        for chunk in iter(lambda: stream.readline(), b""):
            sink.append(chunk)

    def info(self):
        return self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=60)

    def configure(self, config: Dict[str, Dict[str, Any]]) -> None:
        pc = {}
        for name, value in config.items():
            value = dict(value)
            level = LEVELS[value.pop("enforcementLevel", "mandatory")]
            pc[name] = analyzer_pb2.PolicyConfig(enforcementLevel=level, properties=to_struct(value))
        self.stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=pc), timeout=60)

    def analyze(self, rtype: str, name: str, props: Dict[str, Any]):
        req = analyzer_pb2.AnalyzeRequest(type=rtype, properties=to_struct(props),
                                          urn=urn_of(rtype, name), name=name)
        return list(self.stub.Analyze(req, timeout=60).diagnostics)

    def remediate(self, rtype: str, name: str, props: Dict[str, Any]):
        req = analyzer_pb2.AnalyzeRequest(type=rtype, properties=to_struct(props),
                                          urn=urn_of(rtype, name), name=name)
        return list(self.stub.Remediate(req, timeout=60).remediations)

    def analyze_stack(self, resources: List[Dict[str, Any]]):
        rs = []
        for r in resources:
            deps = {k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                    for k, v in r.get("property_dependencies", {}).items()}
            rs.append(analyzer_pb2.AnalyzerResource(
                type=r["type"], properties=to_struct(r["props"]), urn=urn_of(r["type"], r["name"]),
                name=r["name"], dependencies=sorted({u for v in r.get("property_dependencies", {}).values() for u in v}),
                propertyDependencies=deps))
        return list(self.stub.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=rs), timeout=60).diagnostics)

    def close(self) -> None:
        try:
            self.channel.close()
        finally:
            self.proc.kill()
            self.proc.wait(timeout=30)


def _wire(value: Any) -> Any:
    """Mock-runtime inputs → what the engine sends: Unknown objects become the sentinel."""
    from pulumi.output import Unknown
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_wire(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return f"<{type(value).__name__}>"  # assets, archives, resource references


CAPTURE_SCRIPT = r'''
import json, sys, runpy
import pulumi

captured = []

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        captured.append({"type": args.typ, "name": args.name, "inputs": args.inputs})
        state = dict(args.inputs)
        if args.typ.endswith("bucketWebsiteConfiguration:BucketWebsiteConfiguration") or \
           args.typ.endswith("bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"):
            pass  # websiteEndpoint stays unknown during preview, as in a real preview
        return (None if pulumi.runtime.is_dry_run() else args.name + "-id", state)

    def call(self, args):
        # Data sources (invokes): echo the arguments, plus the outputs programs commonly read.
        out = dict(args.args)
        out.setdefault("json", "{}")
        out.setdefault("id", "invoke-id")
        return out

pulumi.runtime.set_mocks(Mocks(), project="proj", stack="dev", preview=True)
ns = runpy.run_path(sys.argv[1])

@pulumi.runtime.test
def finish():
    outs = [v.urn for v in ns.values() if isinstance(v, pulumi.CustomResource)]
    return pulumi.Output.all(*outs).apply(lambda _: None)

finish()
from tests.pulumi_harness import _wire
print("CAPTURED" + json.dumps([dict(c, inputs=_wire(c["inputs"])) for c in captured]))
'''


def capture(program: str, root: str, config: Optional[Dict[str, str]] = None,
            cwd: Optional[str] = None) -> List[Dict[str, Any]]:
    """Run a Pulumi Python program under the mock runtime (preview) in a fresh interpreter and
    return what it would register: [{type, name, inputs}] with unknowns as sentinels.
    ``config``: stack configuration, passed the way the CLI does (PULUMI_CONFIG)."""
    import json
    env = {**os.environ, "PYTHONPATH": os.path.abspath(root)}
    if config:
        env["PULUMI_CONFIG"] = json.dumps(config)
    proc = subprocess.run([sys.executable, "-c", CAPTURE_SCRIPT, os.path.abspath(program)],
                          cwd=cwd or root,
                          capture_output=True, text=True, timeout=600, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("CAPTURED"):
            return json.loads(line[len("CAPTURED"):])
    raise RuntimeError(f"capture failed for {program}:\n{proc.stdout}\n{proc.stderr}")
