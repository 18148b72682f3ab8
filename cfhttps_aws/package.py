"""Build the Lambda deployment package of whole packages: ``python -m cfhttps_aws.package``.

The zip holds, whole, the packages the two handlers run on: ``rules/`` (the engine, standard
library only), ``cfhttps_io/`` (template loading and CloudFront reads), ``cfhttps_aws/`` (the
Config rule and the hook), and PyYAML's pure-Python ``yaml/`` package (with its licence), so a
YAML template with CloudFormation's short-form tags is read inside Lambda without a layer.
Lambda's Python runtime provides boto3 and its dependencies; nothing else is needed, and no
other door (``cfhttps_cli``, ``cfhttps_pulumi``, ``cfn_rules``) is in it.

PyYAML comes from PyPI at build time, pinned by version and by the SHA-256 of one wheel (pip
``--require-hashes``); only its ``.py`` files are taken (no ``_yaml`` C extension: PyYAML falls
back to its pure-Python parser, ``yaml.SafeLoader``). The wheel is kept in ``build/lambda/`` so
a second build needs no network; ``CFHTTPS_PYYAML_WHEEL`` names a wheel file to use instead
(offline builds; its hash is checked all the same). Entries are sorted and dated 1980-01-01 so
the same sources give the same bytes (and the same ``CodeSha256``). Prints the path and size.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import zipfile
from typing import List, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("rules", "cfhttps_io", "cfhttps_aws")
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024  # direct-upload limit for a zipped package

# One wheel, pinned: its pure-Python files are the same in every PyYAML 6.0.3 wheel; this one is
# the Lambda python3.12 x86_64 build (the C extension in it is left out).
PYYAML_VERSION = "6.0.3"
PYYAML_WHEEL = ("pyyaml-6.0.3-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64."
                "manylinux_2_28_x86_64.whl")
PYYAML_SHA256 = "ba1cc08a7ccde2d2ec775841541641e4548226580ab850948cbfda66a1befcdc"
PYYAML_DIST_INFO = "pyyaml-6.0.3.dist-info"
WHEEL_ENV = "CFHTTPS_PYYAML_WHEEL"
CACHE = os.path.join(ROOT, "build", "lambda")
DATE = (1980, 1, 1, 0, 0, 0)


class BuildError(RuntimeError):
    """The package cannot be built as pinned (no network to PyPI, a wheel with another hash)."""


def sources(root: str = ROOT) -> List[Tuple[str, str]]:
    """(path on disk, name in the zip) for every file of the project's packages."""
    out = []
    for package in PACKAGES:
        for folder, dirs, files in os.walk(os.path.join(root, package)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                out.append((path, os.path.relpath(path, root).replace(os.sep, "/")))
    return sorted(out, key=lambda item: item[1])


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def pyyaml_wheel(cache: str = CACHE) -> str:
    """The pinned PyYAML wheel: named by CFHTTPS_PYYAML_WHEEL, in the cache, or fetched from
    PyPI with pip (``--require-hashes``). Its SHA-256 is checked whichever way it came."""
    path = os.environ.get(WHEEL_ENV) or os.path.join(cache, PYYAML_WHEEL)
    if not os.path.exists(path):
        os.makedirs(cache, exist_ok=True)
        requirements = os.path.join(cache, "pyyaml-requirement.txt")
        with open(requirements, "w", encoding="utf-8") as fh:
            fh.write(f"PyYAML=={PYYAML_VERSION} --hash=sha256:{PYYAML_SHA256}\n")
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary", ":all:", "--platform", "manylinux2014_x86_64",
               "--python-version", "3.12", "--implementation", "cp", "--abi", "cp312",
               "--require-hashes", "-r", requirements, "-d", cache]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not os.path.exists(path):
            raise BuildError(f"could not fetch PyYAML {PYYAML_VERSION} from PyPI with pip "
                             f"(set {WHEEL_ENV} to a copy of {PYYAML_WHEEL}): "
                             f"{proc.stderr.strip()[-500:]}")
    actual = _sha256(path)
    if actual != PYYAML_SHA256:
        raise BuildError(f"{path}: SHA-256 {actual}, expected {PYYAML_SHA256} ({PYYAML_WHEEL})")
    return path


def yaml_members(wheel: str) -> List[Tuple[str, bytes]]:
    """(name, bytes) of PyYAML's pure-Python package and its licence and metadata."""
    keep = []
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            if (name.startswith("yaml/") and name.endswith(".py")) or name in (
                    f"{PYYAML_DIST_INFO}/METADATA", f"{PYYAML_DIST_INFO}/licenses/LICENSE"):
                keep.append((name, zf.read(name)))
    if not any(name == "yaml/__init__.py" for name, _ in keep):
        raise BuildError(f"{wheel} holds no yaml/__init__.py")
    return keep


def build(output: str, root: str = ROOT) -> int:
    members = [(name, path) for path, name in sources(root)]
    entries: List[Tuple[str, bytes]] = []
    for name, path in members:
        with open(path, "rb") as fh:
            entries.append((name, fh.read()))
    entries.extend(yaml_members(pyyaml_wheel()))
    entries.sort(key=lambda item: item[0])
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return os.path.getsize(output)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.join(ROOT, "dist", "cfhttps-lambda.zip"))
    args = parser.parse_args(argv)
    try:
        size = build(args.output)
    except BuildError as exc:
        print(f"cfhttps_aws.package: {exc}", file=sys.stderr)
        return 1
    print(f"{args.output}: {size} bytes ({size / 1024:.1f} KiB; "
          f"{100 * size / LAMBDA_ZIP_LIMIT:.2f}% of Lambda's 50 MB zip limit)")
    print("handlers: cfhttps_aws.config_rule.handler, cfhttps_aws.cfn_hook.handler")
    return 0


if __name__ == "__main__":
    sys.exit(main())
