"""Build the Lambda deployment package from the engine alone: ``python -m cfhttps_aws.package``.

The zip holds ``rules/`` (standard library only), ``cfhttps_aws/`` and the one audit module the
Config rule shares with ``cfhttps audit --aws`` (``cfhttps_cli/aws_live.py``, boto3 imported
lazily; Lambda's Python runtime provides boto3). Nothing else: no cfn-lint, pulumi or PyYAML.
Entries are sorted and dated 1980-01-01 so the same sources give the same bytes (and the same
``CodeSha256``). Prints the path and size.
"""

from __future__ import annotations

import argparse
import os
import sys
import zipfile
from typing import List, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("rules", "cfhttps_aws")
EXTRA_FILES = ("cfhttps_cli/__init__.py", "cfhttps_cli/aws_live.py")
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024  # direct-upload limit for a zipped package


def sources(root: str = ROOT) -> List[Tuple[str, str]]:
    """(path on disk, name in the zip) for every file the package needs."""
    out = []
    for package in PACKAGES:
        for folder, dirs, files in os.walk(os.path.join(root, package)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    out.append((path, os.path.relpath(path, root).replace(os.sep, "/")))
    for rel in EXTRA_FILES:
        out.append((os.path.join(root, rel), rel))
    return sorted(out, key=lambda item: item[1])


def build(output: str, root: str = ROOT) -> int:
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path, name in sources(root):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                zf.writestr(info, fh.read())
    return os.path.getsize(output)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.join(ROOT, "dist", "cfhttps-lambda.zip"))
    args = parser.parse_args(argv)
    size = build(args.output)
    print(f"{args.output}: {size} bytes ({size / 1024:.1f} KiB; "
          f"{100 * size / LAMBDA_ZIP_LIMIT:.2f}% of Lambda's 50 MB zip limit)")
    print("handlers: cfhttps_aws.config_rule.handler, cfhttps_aws.cfn_hook.handler")
    return 0


if __name__ == "__main__":
    sys.exit(main())
