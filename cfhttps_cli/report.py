"""Audit reports: the records every format shares, and the text, JSON, SARIF and Markdown writers."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rules.catalog import CATALOG
from rules.model import Finding, Note

TOOL_NAME = "cfhttps"
TOOL_VERSION = "0.1.0"
INFO_URI = "https://github.com/cfhttps/cfhttps"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SEVERITY_RANK = {"warning": 1, "error": 2}


def render_path(path) -> str:
    return "/".join(str(p) for p in path)


@dataclass
class Record:
    finding: Finding
    file: Optional[str]
    line: Optional[int] = None
    column: Optional[int] = None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and message wording: rule, file, resource, property path, condition."""
        f = self.finding
        key = "\x1f".join([f.code, self.file or "", f.resource, render_path(f.path),
                           f.condition or ""])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def as_dict(self) -> Dict[str, Any]:
        f = self.finding
        rule = CATALOG[f.code]
        return OrderedDict([
            ("code", f.code), ("cfn_lint_id", rule.cfn_lint_id), ("policy", rule.policy),
            ("severity", f.severity), ("message", f.message), ("file", self.file),
            ("resource", f.resource), ("path", list(f.path)),
            ("line", self.line), ("column", self.column),
            ("example_path", f.example_path), ("condition", f.condition),
            ("fingerprint", self.fingerprint),
        ])


@dataclass
class Report:
    records: List[Record] = field(default_factory=list)
    notes: List[Dict[str, Any]] = field(default_factory=list)
    errors: List[Dict[str, str]] = field(default_factory=list)
    skipped: List[Dict[str, str]] = field(default_factory=list)
    inputs: int = 0
    distributions: int = 0
    baselined: int = 0

    def add_note(self, note: Note, file: Optional[str]) -> None:
        self.notes.append(OrderedDict([("code", note.code), ("message", note.message),
                                       ("file", file), ("resource", note.resource),
                                       ("path", list(note.path)), ("condition", note.condition)]))

    def sorted_records(self) -> List[Record]:
        return sorted(self.records, key=lambda r: (r.file or "", r.line or 0, r.column or 0,
                                                   r.finding.resource, r.finding.code,
                                                   render_path(r.finding.path)))

    def summary(self) -> Dict[str, Any]:
        by_sev = Counter(r.finding.severity for r in self.records)
        by_code = Counter(r.finding.code for r in self.records)
        return OrderedDict([
            ("inputs", self.inputs), ("distributions", self.distributions),
            ("findings", len(self.records)),
            ("errors", len(self.errors)), ("skipped", len(self.skipped)),
            ("notes", len(self.notes)), ("baselined", self.baselined),
            ("by_severity", {k: by_sev.get(k, 0) for k in ("error", "warning")}),
            ("by_code", {code: by_code[code] for code in CATALOG if by_code.get(code)}),
        ])


# ----------------------------------------------------------------------------- JSON

def to_json(report: Report) -> str:
    doc = OrderedDict([
        ("version", 1),
        ("findings", [r.as_dict() for r in report.sorted_records()]),
        ("errors", report.errors),
        ("skipped", report.skipped),
        ("notes", report.notes),
        ("summary", report.summary()),
    ])
    return json.dumps(doc, indent=2) + "\n"


# ----------------------------------------------------------------------------- text

def to_text(report: Report, verbose: bool = False) -> str:
    lines: List[str] = []
    current = object()
    for r in report.sorted_records():
        if r.file != current:
            if lines:
                lines.append("")
            current = r.file
        f = r.finding
        where = r.file or f.resource
        if r.line is not None:
            where += f":{r.line}:{r.column or 1}"
        extra = [f"resource {f.resource}"]
        if f.condition:
            extra.append(f"when {f.condition}")
        if f.example_path:
            extra.append(f"example path {f.example_path}")
        lines.append(f"{where}: {f.code} {f.severity}: {f.message} [{'; '.join(extra)}]")
    for e in report.errors:
        lines.append(f"{e['file']}: error: {e['message']}")
    if verbose:
        for s in report.skipped:
            lines.append(f"{s['file']}: skipped: {s['reason']}")
        for n in report.notes:
            lines.append(f"{n['file'] or n['resource']}: note ({n['code']}): {n['message']} "
                         f"[resource {n['resource']}]")
    s = report.summary()
    tail = (f"{s['findings']} finding(s) ({s['by_severity']['error']} error, "
            f"{s['by_severity']['warning']} warning) in {s['distributions']} distribution(s) "
            f"from {s['inputs']} input(s)")
    if s["errors"]:
        tail += f"; {s['errors']} input(s) could not be audited"
    if s["baselined"]:
        tail += f"; {s['baselined']} known finding(s) hidden by the baseline"
    if s["notes"] and not verbose:
        tail += f"; {s['notes']} note(s) (--verbose shows them)"
    if s["skipped"] and not verbose:
        tail += f"; {s['skipped']} file(s) skipped (--verbose shows why)"
    if lines:
        lines.append("")
    lines.append(tail)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- SARIF

def sarif_rules() -> List[Dict[str, Any]]:
    out = []
    for rule in CATALOG.values():
        out.append({
            "id": rule.code,
            "name": rule.policy,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.what},
            "help": {"text": f"{rule.why}\n\nFix: {rule.fix}",
                     "markdown": f"{rule.why}\n\n**Fix:** {rule.fix}"},
            "helpUri": rule.url,
            "defaultConfiguration": {"level": rule.severity},
            "properties": {"tags": list(rule.tags), "cfn-lint": rule.cfn_lint_id,
                           "enforcement": rule.enforcement},
        })
    return out


def to_sarif(report: Report) -> str:
    index = {code: i for i, code in enumerate(CATALOG)}
    results = []
    for r in report.sorted_records():
        f = r.finding
        text = f.message
        if f.condition:
            text += f" (when {f.condition})"
        location: Dict[str, Any] = {
            "logicalLocations": [{"name": f.resource, "kind": "resource",
                                  "fullyQualifiedName": f"{f.resource}/{render_path(f.path)}"}],
        }
        if r.file:
            phys: Dict[str, Any] = {"artifactLocation": {"uri": r.file.replace("\\", "/")}}
            if r.line is not None:
                phys["region"] = {"startLine": r.line, "startColumn": r.column or 1}
            location["physicalLocation"] = phys
        result = {
            "ruleId": f.code, "ruleIndex": index[f.code], "level": f.severity,
            "message": {"text": text}, "locations": [location],
            "partialFingerprints": {"cfhttps/v1": r.fingerprint},
            "properties": {"resource": f.resource, "path": [str(p) for p in f.path]},
        }
        if f.example_path:
            result["properties"]["example_path"] = f.example_path
        results.append(result)
    notifications = [{"level": "error", "message": {"text": f"{e['file']}: {e['message']}"}}
                     for e in report.errors]
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": TOOL_VERSION,
                                "informationUri": INFO_URI, "rules": sarif_rules()}},
            "invocations": [{"executionSuccessful": not report.errors,
                             "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"


# ----------------------------------------------------------------------------- Markdown

def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    s = report.summary()
    out = ["# CloudFront HTTPS audit", "",
           f"{s['inputs']} input(s), {s['distributions']} distribution(s), "
           f"**{s['findings']} finding(s)**: {s['by_severity']['error']} error, "
           f"{s['by_severity']['warning']} warning."]
    if s["baselined"]:
        out.append(f"{s['baselined']} known finding(s) are hidden by the baseline.")
    out += ["", "## Totals per rule", "", "| rule | title | severity | findings |",
            "|---|---|---|---|"]
    counts = Counter((r.finding.code, r.finding.severity) for r in report.records)
    for rule in CATALOG.values():
        for sev in ("error", "warning"):
            n = counts.get((rule.code, sev), 0)
            if n:
                out.append(f"| [{rule.code}]({rule.url}) | {_md(rule.title)} | {sev} | {n} |")
    if not counts:
        out.append("| — | no findings | — | 0 |")
    groups: Dict[tuple, List[Record]] = OrderedDict()
    for r in report.sorted_records():
        groups.setdefault((r.file or "", r.finding.resource), []).append(r)
    if groups:
        out += ["", "## Findings per distribution"]
    for (file, resource), recs in groups.items():
        out += ["", f"### {_md(resource)}" + (f" — `{_md(file)}`" if file else ""), "",
                "| rule | severity | where | finding | example path | condition |",
                "|---|---|---|---|---|---|"]
        for r in recs:
            f = r.finding
            where = f"line {r.line}" if r.line else _md(render_path(f.path))
            out.append(f"| {f.code} | {f.severity} | {where} | {_md(f.message)} | "
                       f"{('`' + _md(f.example_path) + '`') if f.example_path else ''} | "
                       f"{_md(f.condition or '')} |")
    if report.errors:
        out += ["", "## Inputs that could not be audited", ""]
        for e in report.errors:
            out.append(f"- `{_md(e['file'])}`: {_md(e['message'])}")
    return "\n".join(out) + "\n"


FORMATS = {"text": to_text, "json": to_json, "sarif": to_sarif, "markdown": to_markdown}
