"""The Pulumi engine's side of the analyzer gRPC protocol: start the policy pack as the Pulumi CLI
does and send it the requests the engine builds (``make pulumi-local`` and the tests use it).

Where the CLI binary cannot be installed, this module takes its place: it starts
``python -u -m pulumi.policy <engine-address> <pack-dir>`` with the pack as working directory,
reads the port line, and talks to the pack through the stubs shipped in the ``pulumi`` package.
Resource properties come from real ``pulumi_aws`` / ``pulumi_aws_native`` declarations run under
Pulumi's mock runtime (:func:`capture`), unknown outputs included; the capture also records the
``RegisterResourceRequest`` the SDK sent for each resource (parent, provider reference, requested
provider version, dependencies, property dependencies, options).

What the engine sends (github.com/pulumi/pulumi, read at commit 1b5949891b3c, 2026-08-21):

- ``pkg/resource/deploy/step_generator.go``, ``stepGenerator.analyzeAll`` (Analyze) and the
  remediation pass before it in ``continueStepsFromImport`` (Remediate): an ``AnalyzerResource``
  with the URN, type, ``Name: new.URN.Name()``, the resource's **inputs** as properties,
  ``Options`` (protect, ignoreChanges, deleteBeforeReplace, additionalSecretOutputs, aliases,
  customTimeouts, parent) and, from ``getProviderResource``, ``Provider``: an
  ``AnalyzerProviderResource`` with the provider's URN, type, name and **inputs**.
- ``stepGenerator.AnalyzeResources`` (AnalyzeStack): per resource the **outputs** as properties,
  the same options, the provider, and ``Parent``, ``Dependencies``, ``PropertyDependencies``.
- ``pkg/resource/plugin/analyzer_plugin.go``, ``analyzer.Analyze`` / ``AnalyzeStack`` /
  ``Remediate``: properties marshalled with unknowns and secrets kept and internal keys
  (``__defaults``, ``__internal``) skipped; ``marshalResourceOptions`` always sets
  ``customTimeouts`` and ``deleteBeforeReplaceDefined``; ``marshalProvider`` the provider;
  AnalyzeStack drops property dependencies with no URN.
- ``pkg/resource/deploy/default_providers.go``, ``newRegisterDefaultProviderEvent``: a resource
  with no explicit provider gets the default provider ``pulumi:providers:<pkg>`` named
  ``default_<major>_<minor>_<patch>`` (``providers.ProviderRequest.DefaultName``) whose inputs
  are the stack's ``<pkg>:*`` configuration plus ``version``. pulumi-aws's CheckConfig adds
  ``skipCredentialsValidation: "false"`` and ``skipRegionValidation: "true"`` (as pulumi-aws 7
  stack states record them), which :func:`default_provider` reproduces.

The mock runtime names top-level resources ``pulumi:pulumi:Stack$<type>``; the engine does not
qualify children of the root stack, so :func:`engine_urn` removes that prefix.
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
STACK, PROJECT = "dev", "proj"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
REGION = "us-east-1"


def _package_version(package: str) -> str:
    try:
        from importlib.metadata import version
        return version(package.replace("-", "_"))
    except Exception:  # noqa: BLE001
        return "7.0.0"


def urn_of(rtype: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{rtype}::{name}"


def engine_urn(urn: str) -> str:
    """The engine's URN for a URN the mock runtime made (it qualifies the root stack's children)."""
    return urn.replace("::pulumi:pulumi:Stack$", "::", 1) if urn else urn


def to_struct(props: Dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update({k: v for k, v in props.items() if not k.startswith("__")})  # SkipInternalKeys
    return s


def default_provider(rtype: str, version: Optional[str] = None,
                     config: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """The default provider resource the engine registers for ``rtype``'s package."""
    package = rtype.split(":", 1)[0]
    version = version or _package_version("pulumi-" + package)
    major, minor, patch = (version.split("+")[0].split("-")[0].split(".") + ["0", "0"])[:3]
    name = f"default_{major}_{minor}_{patch}"
    inputs: Dict[str, Any] = {k.split(":", 1)[1]: v for k, v in (config or {}).items()
                              if k.startswith(package + ":")}
    inputs.setdefault("region", REGION)
    if package == "aws":
        inputs.setdefault("skipCredentialsValidation", "false")
        inputs.setdefault("skipRegionValidation", "true")
    inputs["version"] = version
    ptype = f"pulumi:providers:{package}"
    return {"type": ptype, "name": name, "urn": urn_of(ptype, name), "inputs": inputs}


def provider_message(provider: Dict[str, Any]) -> analyzer_pb2.AnalyzerProviderResource:
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider["type"], name=provider["name"], urn=provider["urn"],
        properties=to_struct(provider["inputs"]))


def options_message(reg: Dict[str, Any]) -> analyzer_pb2.AnalyzerResourceOptions:
    """``marshalResourceOptions`` from a captured registration (``{}``: a plain top-level one)."""
    timeouts = reg.get("customTimeouts") or {}
    dbr = reg.get("deleteBeforeReplace")
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=bool(reg.get("protect", False)),
        ignoreChanges=list(reg.get("ignoreChanges", [])),
        deleteBeforeReplace=bool(dbr), deleteBeforeReplaceDefined=dbr is not None,
        additionalSecretOutputs=list(reg.get("additionalSecretOutputs", [])),
        aliases=list(reg.get("aliases", [])),
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=float(timeouts.get("create", 0) or 0), update=float(timeouts.get("update", 0) or 0),
            delete=float(timeouts.get("delete", 0) or 0)),
        parent=reg.get("parent", STACK_URN))


class Pack:
    """A running policy pack process and a stub to it.

    ``python``: the interpreter that runs the pack (another venv, e.g. the oldest supported
    pulumi-policy); ``prelude``: Python run in the pack process before ``pulumi.policy`` starts
    (tests use it to change an SDK internal)."""

    def __init__(self, pack_dir: str, env: Optional[Dict[str, str]] = None,
                 python: Optional[str] = None, prelude: Optional[str] = None) -> None:
        args = ["-m", "pulumi.policy"]
        if prelude:
            args = ["-c", prelude + "\nimport runpy, sys\nsys.argv[0] = 'pulumi.policy'\n"
                    "runpy.run_module('pulumi.policy', run_name='__main__', alter_sys=True)"]
        self.proc = subprocess.Popen(
            [python or sys.executable, "-u", *args, "127.0.0.1:1", pack_dir],
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

    def stderr_lines(self) -> List[str]:
        return [b.decode(errors="replace").rstrip("\n") for b in list(self.stderr)]

    def info(self):
        return self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=60)

    def configure(self, config: Dict[str, Dict[str, Any]]) -> None:
        pc = {}
        for name, value in config.items():
            value = dict(value)
            level = LEVELS[value.pop("enforcementLevel", "mandatory")]
            pc[name] = analyzer_pb2.PolicyConfig(enforcementLevel=level, properties=to_struct(value))
        self.stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=pc), timeout=60)

    def analyze(self, rtype: str, name: str, props: Dict[str, Any], resource=None):
        return list(self.stub.Analyze(analyze_request(rtype, name, props, resource),
                                      timeout=60).diagnostics)

    def remediate(self, rtype: str, name: str, props: Dict[str, Any], resource=None):
        return list(self.stub.Remediate(analyze_request(rtype, name, props, resource),
                                        timeout=60).remediations)

    def analyze_stack(self, resources: List[Dict[str, Any]]):
        return list(self.stub.AnalyzeStack(analyze_stack_request(resources), timeout=60).diagnostics)

    def close(self) -> None:
        try:
            self.channel.close()
        finally:
            self.proc.kill()
            self.proc.wait(timeout=30)


def _provider_for(rtype: str, resource: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    reg = (resource or {}).get("registration") or {}
    explicit = reg.get("provider_resource")
    if explicit:
        return explicit
    return default_provider(rtype, reg.get("version") or None, (resource or {}).get("config"))


def analyze_request(rtype: str, name: str, props: Dict[str, Any],
                    resource: Optional[Dict[str, Any]] = None) -> analyzer_pb2.AnalyzeRequest:
    """``analyzer.Analyze``'s request: inputs, options (with the parent) and the provider.
    ``resource``: a :func:`capture` record whose registration supplies parent, provider and
    options; without one, a top-level resource on the default provider."""
    reg = (resource or {}).get("registration") or {}
    urn = reg.get("urn") or urn_of(rtype, name)
    return analyzer_pb2.AnalyzeRequest(
        type=rtype, properties=to_struct(props), urn=urn, name=urn.rsplit("::", 1)[-1],
        options=options_message(reg), provider=provider_message(_provider_for(rtype, resource)))


def analyze_stack_request(resources: List[Dict[str, Any]]) -> analyzer_pb2.AnalyzeStackRequest:
    """``analyzer.AnalyzeStack``'s request. Each entry: type, name, props (the outputs) and
    optionally ``resource`` (a capture record: parent, dependencies, property dependencies,
    provider, options) and ``property_dependencies`` ({property: [urn]}, overriding the
    captured ones)."""
    rs = []
    for r in resources:
        reg = (r.get("resource") or {}).get("registration") or {}
        pdeps = r.get("property_dependencies", reg.get("propertyDependencies", {}))
        deps = reg.get("dependencies")
        if deps is None or "property_dependencies" in r:
            deps = sorted({u for v in pdeps.values() for u in v})
        urn = reg.get("urn") or urn_of(r["type"], r["name"])
        rs.append(analyzer_pb2.AnalyzerResource(
            type=r["type"], properties=to_struct(r["props"]), urn=urn, name=urn.rsplit("::", 1)[-1],
            options=options_message(reg), provider=provider_message(_provider_for(r["type"], r.get("resource"))),
            parent=reg.get("parent", STACK_URN), dependencies=list(deps),
            propertyDependencies={k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                                  for k, v in pdeps.items() if v}))
    return analyzer_pb2.AnalyzeStackRequest(resources=rs)


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
import json, sys, runpy, threading
import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks as _mocks

captured = []
_current = threading.local()
_real_register = _mocks.MockMonitor.RegisterResource

def _register(self, request):
    # The RegisterResourceRequest the SDK sent: what the engine turns into the resource's goal.
    _current.request = json_format.MessageToDict(request)
    _current.request.pop("object", None)
    return _real_register(self, request)

_mocks.MockMonitor.RegisterResource = _register

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        request = getattr(_current, "request", {})
        captured.append({"type": args.typ, "name": args.name, "inputs": args.inputs,
                         "request": request})
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
from recipes.pulumi_engine import _wire
print("CAPTURED" + json.dumps([dict(c, inputs=_wire(c["inputs"])) for c in captured]))
'''


def _registration(request: Dict[str, Any], providers: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """A RegisterResourceRequest (as a dict) → the engine's view of the resource's goal."""
    parent = engine_urn(request.get("parent", "")) or STACK_URN
    parent_type = parent.split("::")[2] if parent != STACK_URN else ""
    qualified = f"{parent_type}${request['type']}" if parent_type else request["type"]
    urn = f"urn:pulumi:{STACK}::{PROJECT}::{qualified}::{request['name']}"
    aliases = []
    for alias in request.get("aliases", []):
        spec = alias.get("spec") if isinstance(alias, dict) else None
        if spec is not None:
            aliases.append(urn_of(spec.get("type") or request["type"], spec.get("name") or request["name"]))
        elif isinstance(alias, dict) and alias.get("urn"):
            aliases.append(engine_urn(alias["urn"]))
    aliases = list(dict.fromkeys(aliases))
    provider_ref = request.get("provider", "")
    provider_urn = engine_urn(provider_ref.rsplit("::", 1)[0]) if provider_ref else ""
    reg = {"urn": urn, "parent": parent, "version": request.get("version", ""),
           "dependencies": sorted({engine_urn(u) for u in request.get("dependencies", [])}),
           "propertyDependencies": {k: sorted(engine_urn(u) for u in v.get("urns", []))
                                    for k, v in request.get("propertyDependencies", {}).items()},
           "protect": request.get("protect", False),
           "ignoreChanges": request.get("ignoreChanges", []),
           "additionalSecretOutputs": request.get("additionalSecretOutputs", []),
           "aliases": aliases, "customTimeouts": request.get("customTimeouts", {}),
           "provider_resource": providers.get(provider_urn)}
    if request.get("deleteBeforeReplaceDefined"):
        reg["deleteBeforeReplace"] = bool(request.get("deleteBeforeReplace"))
    return reg


def capture(program: str, root: str, config: Optional[Dict[str, str]] = None,
            cwd: Optional[str] = None) -> List[Dict[str, Any]]:
    """Run a Pulumi Python program under the mock runtime (preview) in a fresh interpreter and
    return what it would register: [{type, name, inputs, registration, config}] with unknowns as
    sentinels; ``registration`` is the engine's view of the resource (URN, parent, provider,
    dependencies, options) for :func:`analyze_request` / :func:`analyze_stack_request`.
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
            records = json.loads(line[len("CAPTURED"):])
            break
    else:
        raise RuntimeError(f"capture failed for {program}:\n{proc.stdout}\n{proc.stderr}")
    providers: Dict[str, Dict[str, Any]] = {}
    for rec in records:  # explicit providers are registered before the resources that use them
        reg = _registration(rec.pop("request"), providers)
        rec["registration"], rec["config"] = reg, dict(config or {})
        if rec["type"].startswith("pulumi:providers:"):
            providers[reg["urn"]] = {"type": rec["type"], "name": rec["name"], "urn": reg["urn"],
                                     "inputs": dict(rec["inputs"], **({"version": reg["version"]}
                                                                      if reg["version"] else {}))}
    return records
