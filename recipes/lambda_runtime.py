"""Run the Lambda package's handlers as Lambda's Python runtime would: an isolated interpreter
(``python -I -S``: no site packages, nothing from PYTHON* variables) whose ``sys.path`` is the
zip and boto3's stack only (boto3, botocore, s3transfer, jmespath, dateutil, six, urllib3 — what
the runtime provides, linked from the running interpreter's site-packages). So nothing the zip
forgot can be found elsewhere, and nothing of another door is importable.

``make lambda-local`` and tests/test_lambda_zip.py run the handlers through :func:`run`."""

import json
import os
import subprocess
import sys

BOTO_STACK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3")

# Reads {name: [kind, event]} on stdin, answers {name: handler answer} on the last stdout line,
# with what was imported (_modules, _yaml, _files) for the tests to check the isolation.
RUNNER = r"""
import json, sys
events = json.load(sys.stdin)
from cfhttps_aws import cfn_hook, config_rule
out = {}
for name, (kind, event) in events.items():
    if kind == "hook":
        out[name] = cfn_hook.handler(event)
    else:
        out[name] = config_rule.handler(event)
import yaml
out["_modules"] = sorted({m.split(".")[0] for m in sys.modules})
out["_yaml"] = [yaml.__file__, yaml.__with_libyaml__]
out["_files"] = sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())
                        if (getattr(m, "__name__", "") or "").split(".")[0]
                        in ("rules", "cfhttps_io", "cfhttps_aws", "yaml")})
print(json.dumps(out))
"""


def boto_stack(folder):
    """Link boto3's stack from this interpreter's site-packages into ``folder`` (made if absent);
    returns the folder. Raises ModuleNotFoundError when boto3 is not installed here."""
    import boto3  # noqa: F401 - the stack must be whole, boto3 included
    import botocore
    site = os.path.dirname(os.path.dirname(botocore.__file__))
    os.makedirs(folder, exist_ok=True)
    for name in BOTO_STACK:
        source, link = os.path.join(site, name), os.path.join(folder, name)
        if not os.path.exists(source):
            raise ModuleNotFoundError(f"{name} is not beside botocore in {site}", name=name)
        if not os.path.lexists(link):
            os.symlink(source, link)
    return str(folder)


def run(zip_path, stack, events, env_extra, timeout=300):
    """Each event of ``events`` ({name: ("hook" | "config", event)}) given to its handler, in one
    isolated interpreter; returns {name: answer} (and the _modules/_yaml/_files of RUNNER).
    ``env_extra``: credentials, endpoints and switches; nothing else of this environment leaks
    in (no AWS profile, no instance metadata)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/nonexistent",
           "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
           "AWS_EC2_METADATA_DISABLED": "true", **env_extra}
    code = f"import sys; sys.path[:0] = [{str(zip_path)!r}, {str(stack)!r}]\n" + RUNNER
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", code], input=json.dumps(events),
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=str(stack))
    if proc.returncode != 0:
        raise RuntimeError(f"the handlers failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
