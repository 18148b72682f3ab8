"""``--skip-unsupported``: files named on the command line that are not a supported input are
skipped with a reason instead of failing the run.

pre-commit passes every staged file the hook's ``files`` pattern matches (``*.yaml``, ``*.json``,
…), so a commit that also touches ``package.json``, ``docker-compose.yml`` or a Helm chart must not
fail because those are not templates. What a template hook must still catch does fail:

- a template with findings (it is audited as usual);
- a file that claims to be a supported input (a top-level ``Resources``,
  ``AWSTemplateFormatVersion``, ``DistributionConfig``, ``DistributionList`` or ``deployment``
  key in its text, or a Terraform plan's ``format_version`` with ``resource_changes`` or
  ``planned_values``) but cannot be read: a YAML/JSON syntax error, a size limit, an alias bomb;
- a ``.tf`` or ``.tf.json`` file that cannot be read: its extension is its claim (Terraform reads
  every such file of a module, so a broken one breaks the module).

Only files that could not be read are looked at again here, and only their first bytes, as text,
without parsing; a file that is not a regular file is never opened.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Iterable, Iterator, List, Tuple

from .inputs import Loaded

SNIFF_BYTES = 256 * 1024

# A key that only a supported input has at its top level: YAML at column 0, JSON anywhere quoted.
_YAML_CLAIM = re.compile(r"^[\"']?(AWSTemplateFormatVersion|Resources|resources|DistributionConfig|"
                         r"DistributionList|deployment)[\"']?[ \t]*:", re.MULTILINE)
_JSON_CLAIM = re.compile(r"\"(AWSTemplateFormatVersion|Resources|DistributionConfig|DistributionList|"
                         r"deployment)\"\s*:")
# A Terraform plan (`terraform show -json`): its format_version beside one of its change keys.
_PLAN_CLAIM = (re.compile(r"\"format_version\"\s*:"),
               re.compile(r"\"(resource_changes|planned_values)\"\s*:"))
TERRAFORM_EXTENSIONS = (".tf", ".tf.json")


def as_swept(files: List[Tuple[str, bool]]) -> List[Tuple[str, bool]]:
    """Named files are judged as a directory sweep judges its files: a readable YAML/JSON file
    that is none of the supported inputs is skipped with a reason."""
    return [(f, False) for f, _ in files]


def claims_supported(path: str) -> bool:
    """Does the file's text say it is meant to be a template, API document or stack export?
    Anything that cannot be looked at safely (not a regular file, unreadable) counts as a claim,
    so its error is kept."""
    if path.endswith(TERRAFORM_EXTENSIONS):
        return True
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return True
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return True
    return bool(_YAML_CLAIM.search(head) or _JSON_CLAIM.search(head)
                or all(claim.search(head) for claim in _PLAN_CLAIM))


def skip_unreadable(loaded: Iterable[Loaded], kind: str) -> Iterator[Loaded]:
    """Turn the read error of a file that does not claim to be a supported input into a skip.
    With ``--input-kind`` forced, every named file is taken to be that kind: errors stay."""
    for item in loaded:
        if item.error and kind == "auto" and not claims_supported(item.file):
            yield Loaded(file=item.file, skipped=f"not a supported input ({item.error})")
        else:
            yield item
