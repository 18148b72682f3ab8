"""Read a baseline (a JSON report written by ``--write-baseline``) as fingerprint counts.

Matching rules are in docs/audit.md ("Baselines"). Baselines written before fingerprint version 2
held fingerprints of the path as typed; their entries are re-keyed from the fields every JSON
report carries (rule, file resolved against the current directory, resource, property path),
with a message saying so.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Callable

from .locations import Locator
from .report import FINGERPRINT_VERSION, fingerprint


class BaselineError(ValueError):
    """A baseline that cannot be used; the message is meant for the user."""


def load(path: str, locator: Locator, warn: Callable[[str], None]) -> Counter:
    """fingerprint -> number of findings it hides."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        findings = doc["findings"]
        if not isinstance(findings, list):
            raise TypeError("findings is not a list")
        version = doc.get("fingerprint_version", 1)
        counts: Counter = Counter()
        if version == FINGERPRINT_VERSION:
            for f in findings:
                counts[str(f["fingerprint"])] += 1
            return counts
        if version != 1:
            raise BaselineError(f"--baseline {path}: fingerprint version {version!r} is not "
                                f"one this cfhttps reads ({FINGERPRINT_VERSION}); upgrade cfhttps")
        for f in findings:
            file = f.get("file")
            location = locator.name(os.path.abspath(file)) if file else None
            counts[fingerprint(f["code"], location, f["resource"], f["path"])] += 1
    except BaselineError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BaselineError(f"--baseline {path}: not a cfhttps JSON report ({exc})") from None
    warn(f"--baseline {path} was written by an older cfhttps (fingerprints of the path as "
         f"typed); its {len(findings)} finding(s) are matched by rule, file (relative to the "
         f"current directory), resource and property path. Rewrite it once with "
         f"--baseline {path} --write-baseline {path}")
    return counts
