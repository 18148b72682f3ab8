"""Read a ``.tf.json`` file (Terraform's JSON configuration syntax, what cdktf and generators
write) into the same plain data as a parsed ``.tf`` file, so one evaluator reads both.

HashiCorp, "JSON Configuration Syntax" (https://developer.hashicorp.com/terraform/language/
syntax/json): top-level ``resource``/``data`` are ``{type: {name: body}}``, ``variable``/
``module``/``output`` are ``{name: body}``, ``locals`` is one body; strings are string
templates (``"${...}"``), except a variable's ``default``, which is a literal value; keys
starting ``//`` are comments; a nested block is an object (or a list of objects) under its
block type. Which keys are nested blocks depends on the resource schema: the block types of
the resources cfhttps reads are listed here, every other object is an argument's value.
Standard library only.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List

# Nested block types of aws_cloudfront_distribution, aws_cloudfront_response_headers_policy and
# aws_cloudfront_vpc_origin (Terraform AWS provider documentation), plus the meta blocks.
BLOCK_TYPES = frozenset((
    "origin", "origin_group", "failover_criteria", "member", "default_cache_behavior",
    "ordered_cache_behavior", "forwarded_values", "cookies", "lambda_function_association",
    "function_association", "grpc_config", "viewer_certificate", "restrictions",
    "geo_restriction", "logging_config", "custom_error_response", "custom_origin_config",
    "s3_origin_config", "vpc_origin_config", "origin_shield", "custom_header",
    "vpc_origin_endpoint_config", "origin_ssl_protocols", "security_headers_config",
    "strict_transport_security", "content_security_policy", "content_type_options",
    "frame_options", "referrer_policy", "xss_protection", "cors_config",
    "custom_headers_config", "remove_headers_config", "server_timing_headers_config",
    "lifecycle", "provisioner", "connection", "content", "trusted_signers_block",
))
_NAMED = ("variable", "module", "output", "provider")
_TYPED = ("resource", "data")


def _template(text: str) -> str:
    """A JSON string as the HCL reader writes a template: one ``${...}`` as itself, else a
    quoted template."""
    if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _value(v: Any, literal: bool = False) -> Any:
    if isinstance(v, str):
        return _template(v.replace("${", "$${").replace("%{", "%%{") if literal else v)
    if isinstance(v, list):
        return [_value(x, literal) for x in v]
    if isinstance(v, dict):
        return {k: _value(x, literal) for k, x in v.items() if not str(k).startswith("//")}
    return v


def _line_of(text: str, key: str) -> int:
    at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _block(btype: str, labels: List[str], body: Any, file: str, text: str) -> Dict[str, Any]:
    line = _line_of(text, labels[-1] if labels else btype)
    out = {"type": btype, "labels": labels, "line": line, "file": file,
           "attributes": {}, "blocks": []}
    if not isinstance(body, dict):
        return out
    for key, value in body.items():
        if str(key).startswith("//"):
            continue
        if key == "dynamic" and isinstance(value, dict):
            for label, dyn in value.items():
                for one in (dyn if isinstance(dyn, list) else [dyn]):
                    out["blocks"].append(_block("dynamic", [label], one, file, text))
        elif key in BLOCK_TYPES and (isinstance(value, dict) or (
                isinstance(value, list) and value and all(isinstance(x, dict) for x in value))):
            for one in (value if isinstance(value, list) else [value]):
                out["blocks"].append(_block(key, [], one, file, text))
        else:
            literal = btype == "variable" and key == "default"
            out["attributes"][key] = {"value": _value(value, literal),
                                      "line": _line_of(text, key)}
    return out


def parse_file(path: str, name: str, max_bytes: int, error) -> Dict[str, Any]:
    """One .tf.json file as {"attributes", "blocks"}; raises ``error`` with the reason."""
    try:
        if os.path.getsize(path) > max_bytes:
            raise error(f"{name}: more than the {max_bytes} bytes a Terraform file may have")
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        doc = json.loads(text)
    except OSError as exc:
        raise error(f"{name}: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise error(f"{name}: not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(doc, dict):
        raise error(f"{name}: a .tf.json file is a JSON object")
    blocks: List[Dict[str, Any]] = []
    for top, content in doc.items():
        if str(top).startswith("//") or not isinstance(content, (dict, list)):
            continue
        for part in (content if isinstance(content, list) else [content]):
            if not isinstance(part, dict):
                continue
            if top in _TYPED:
                for rtype, named in part.items():
                    for one in (named if isinstance(named, list) else [named]):
                        if isinstance(one, dict):
                            for rname, body in one.items():
                                for b in (body if isinstance(body, list) else [body]):
                                    blocks.append(_block(top, [rtype, rname], b, name, text))
            elif top in _NAMED:
                for bname, body in part.items():
                    for b in (body if isinstance(body, list) else [body]):
                        blocks.append(_block(top, [bname], b, name, text))
            elif top == "locals":
                blocks.append(_block("locals", [], part, name, text))
    return {"attributes": {}, "blocks": blocks}
