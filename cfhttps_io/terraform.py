"""Read Terraform from disk: a directory of ``.tf`` files as one module (parsed by
:mod:`.hcl_syntax` into plain data with line numbers), local module calls followed, and plan JSON
recognised by its keys.

The parse is the only part that needs a third-party package (the ``terraform`` extra:
tree-sitter and its HCL grammar); what it produces is plain dicts, lists and strings that
:mod:`rules.sources.terraform_hcl` evaluates, so the engine stays standard-library only. An
attribute's value is its expression's source text (``'"a-${var.x}"'``, ``var.x``,
``[for ...]``); ``.tf.json`` values are written in the same form (:mod:`.terraform_json`).
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Optional, Tuple

EXTRA = "terraform"
MISSING_PARSER = ("reading .tf files needs tree-sitter and tree-sitter-hcl, cfhttps's "
                  "`terraform` extra: install "
                  "cfhttps with it (`cfhttps[terraform] @ git+<your pinned repository URL>`, "
                  "or `pip install -e '.[terraform]'` in a clone); plan JSON from "
                  "`terraform show -json` needs nothing more")
MAX_FILE_BYTES = 5 * 1024 * 1024  # one .tf file
MAX_MODULE_FILES = 500
MAX_MODULE_DEPTH = 16  # nested local module calls followed
MAX_MODULES = 200  # local modules read for one root module


class TerraformError(ValueError):
    """A module that could not be read; the message is meant for the user."""


def parser_available() -> bool:
    from . import hcl_syntax
    return hcl_syntax.available()


def looks_like_plan(doc: Any) -> bool:
    """A ``terraform show -json`` plan: ``format_version`` plus ``resource_changes`` or
    ``planned_values`` (HashiCorp, "JSON Output Format")."""
    return isinstance(doc, dict) and "format_version" in doc and (
        "resource_changes" in doc or "planned_values" in doc)


def tf_files(directory: str) -> List[str]:
    """The module's files: ``*.tf`` and ``*.tf.json`` directly in ``directory`` (Terraform reads
    no sub-folders), sorted; override files are not read."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise TerraformError(f"{directory}: {exc.strerror or exc}") from None
    return [n for n in names if n.endswith((".tf", ".tf.json"))
            and not n.endswith(("override.tf", "override.tf.json"))
            and os.path.isfile(os.path.join(directory, n))]


def parse_file(path: str, name: Optional[str] = None) -> Dict[str, Any]:
    """One .tf (or .tf.json) file as {"attributes", "blocks"}; raises TerraformError with the
    reason."""
    name = name or path
    if path.endswith(".tf.json"):
        from . import terraform_json
        return terraform_json.parse_file(path, name, MAX_FILE_BYTES, TerraformError)
    from . import hcl_syntax
    if not hcl_syntax.available():
        raise TerraformError(MISSING_PARSER)
    try:
        if not os.path.isfile(path):
            raise TerraformError(f"{name}: not a regular file")
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise TerraformError(f"{name}: {size} bytes, more than the {MAX_FILE_BYTES} a .tf "
                                 f"file may have")
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError as exc:
        raise TerraformError(f"{name}: {exc.strerror or exc}") from None
    return hcl_syntax.parse_text(text, name, TerraformError)


def load_module(directory: str, display: Optional[str] = None, _depth: int = 0,
                _seen: Optional[Dict[str, int]] = None) -> Dict[str, Any]:
    """A module as plain data: ``{"dir", "files": [names], "blocks": [...], "errors": [...],
    "calls": {name: child module | {"remote": source} | {"error": why}}}``. Local calls
    (``source = "./x"`` or ``"../x"``) are read too, to :data:`MAX_MODULE_DEPTH`; a file that
    does not parse is an error entry, the others are still read."""
    seen = _seen if _seen is not None else {"count": 0}
    display = display or directory
    files = tf_files(directory)[:MAX_MODULE_FILES]
    out: Dict[str, Any] = {"dir": display, "files": files, "blocks": [], "errors": [],
                           "calls": {}}
    for name in files:
        shown = os.path.join(display, name)
        try:
            parsed = parse_file(os.path.join(directory, name), shown)
        except TerraformError as exc:
            out["errors"].append(str(exc))
            continue
        out["blocks"].extend(parsed["blocks"])
    for block in out["blocks"]:
        if block["type"] != "module" or not block["labels"]:
            continue
        call = block["labels"][0]
        src = block["attributes"].get("source", {}).get("value")
        source = src.strip('"') if isinstance(src, str) and src.startswith('"') else None
        if source is None:
            out["calls"][call] = {"error": "its source is not a literal string"}
        elif not source.startswith(("./", "../")):
            out["calls"][call] = {"remote": source}
        elif _depth >= MAX_MODULE_DEPTH or seen["count"] >= MAX_MODULES:
            out["calls"][call] = {"error": f"more than {MAX_MODULE_DEPTH} nested or "
                                           f"{MAX_MODULES} local modules: not followed"}
        else:
            child = os.path.normpath(os.path.join(directory, source))
            if not os.path.isdir(child):
                out["calls"][call] = {"error": f"local module {source} is not a directory"}
                continue
            seen["count"] += 1
            try:
                out["calls"][call] = load_module(
                    child, os.path.normpath(os.path.join(display, source)), _depth + 1, seen)
            except TerraformError as exc:
                out["calls"][call] = {"error": str(exc)}
    return out


# --------------------------------------------------------------------------- textual screen

DISTRIBUTION_TYPE = "aws_cloudfront_distribution"
# A module block's header as HCL writes one (``module "cdn" {``, ``module cdn {``). A block
# starts a line (HCL's body items end with a newline), after blanks or a ``/* */`` comment: every
# ``module`` word there must be such a header, or the file is parsed (see :func:`screen`).
_MODULE_HEADER = re.compile(r'module\s*(?:"(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w-]*)\s*\{')
_MODULE_WORD = re.compile(r'\bmodule\b')
_SOURCE = re.compile(r'\bsource\s*=\s*"((?:[^"\\\n$%]|\\.)*)"')
_ANY_SOURCE = re.compile(r'\bsource\s*=')


def _texts(directory: str) -> Optional[List[Tuple[str, str]]]:
    """(name, text) of the module's files, or None when one cannot be read as text here."""
    out = []
    for name in tf_files(directory)[:MAX_MODULE_FILES]:
        path = os.path.join(directory, name)
        try:
            if os.path.getsize(path) > MAX_FILE_BYTES:
                return None
            with open(path, encoding="utf-8", errors="replace") as fh:
                out.append((name, fh.read()))
        except OSError:
            return None
    return out


def _module_headers(text: str) -> Optional[List[Any]]:
    """The module block headers of a ``.tf`` text, or None when a ``module`` word that starts a
    line is not a header this reading is sure of (then the file must be parsed)."""
    out = []
    for m in _MODULE_WORD.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()].strip(" \t\ufeff")
        if before and not before.endswith("*/"):
            continue  # not where a block can start: inside an expression, a string or a comment
        header = _MODULE_HEADER.match(text, m.start())
        if header is None:
            return None
        out.append(header)
    return out


def screen(directory: str, _depth: int = 0, _seen: Optional[Dict[str, bool]] = None
           ) -> Optional[str]:
    """Why the module in ``directory`` provably declares no ``aws_cloudfront_distribution`` —
    neither in its own files nor in the local modules it calls — read from the files' text
    without parsing them; None when that is not proven (the module must then be parsed).

    Proof, per file: the type's name does not occur in the text at all (a resource's type is a
    block label, a quoted string or identifier the text would hold — unless spelt with a
    ``\\u`` escape, so a file holding such an escape is not proven), and every module block has
    one literal ``source = "./..."`` or ``"../..."`` whose directory is proven the same way. A
    remote, computed or missing source, a ``module`` word at the start of a line that is not a
    plain block header, a ``.tf.json`` file naming ``"module"``, an unreadable file or a call
    cycle is not proven: parsing gives its notes (a remote module is a note the audit
    reports)."""
    seen = _seen if _seen is not None else {}
    key = os.path.realpath(directory)
    if key in seen:
        return "proven" if seen[key] else None  # proven before, or a cycle in progress
    if _depth > MAX_MODULE_DEPTH or len(seen) >= MAX_MODULES:
        return None
    seen[key] = False
    try:
        texts = _texts(directory)
    except TerraformError:
        return None
    if not texts:
        return None
    for name, text in texts:
        if DISTRIBUTION_TYPE in text or "\\u" in text or "\\U" in text:
            return None
        if name.endswith(".tf.json"):
            if '"module"' in text:
                return None
            continue
        headers = _module_headers(text)
        if headers is None:
            return None
        for i, header in enumerate(headers):
            end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
            span = text[header.end():end]
            sources = _SOURCE.findall(span)
            if len(sources) != 1 or len(_ANY_SOURCE.findall(span)) != 1 \
                    or not sources[0].startswith(("./", "../")):
                return None
            child = os.path.normpath(os.path.join(directory, sources[0]))
            if not os.path.isdir(child) or screen(child, _depth + 1, seen) is None:
                return None
    seen[key] = True
    return (f"no {DISTRIBUTION_TYPE} in its files"
            + (" nor in the local modules it calls" if len(seen) > 1 else "")
            + ": not parsed")
