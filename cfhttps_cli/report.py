"""Audit reports, streamed: text, JSON and SARIF are written while the audit runs, so memory stays
flat however large the estate; Markdown (a summary for people) is assembled at the end.

A :class:`Report` takes records per input (already sorted by line), filters them against a
baseline, counts them, and hands them to one or more sinks (the chosen format, and the JSON
baseline file when ``--write-baseline`` is given, which gets every finding, hidden or not).
Notes are spooled to a temporary file. With ``--output``/``--write-baseline`` the sinks write to
temporary files that replace their targets only once the audit is over (outputs.py).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import IO, Any, Dict, Iterator, List, Optional

from rules.catalog import CATALOG
from rules.model import Finding, Note

from .safe_text import printable
from .version import version

TOOL_NAME = "cfhttps"
TOOL_VERSION = version()  # installed, or the checkout's pyproject.toml (version.py)
INFO_URI = "https://github.com/cfhttps/cfhttps"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SEVERITY_RANK = {"warning": 1, "error": 2}


def render_path(path) -> str:
    return "/".join(str(p) for p in path)


def shown_path(finding) -> str:
    """The path as the finding's source spells paths: Terraform's ``a[2].b`` for a Terraform
    address (fingerprints keep :func:`render_path`, so baselines do not move)."""
    from rules.sources import terraform
    if terraform.is_address(finding.resource):
        return terraform.render_path(finding.path)
    return render_path(finding.path)


def shown_message(finding) -> str:
    """The message in the finding's dialect: a Terraform finding names properties as Terraform
    does (``viewer_protocol_policy``, rules/spellings.py); fingerprints never read messages."""
    from rules.sources import terraform
    if terraform.is_address(finding.resource):
        from rules.spellings import in_terraform
        return in_terraform(finding.message)
    return finding.message


FINGERPRINT_VERSION = 2


def fingerprint(code: str, location: Optional[str], resource: str, path) -> str:
    """What identifies a finding across runs (docs/audit.md, "Baselines"): the rule, the file's portable
    name (not the path as typed), the logical resource and the property path. Not the message,
    the line, nor the condition label (its wording depends on the template's other parameters)."""
    key = "\x1f".join([code, location or "", resource, render_path(path)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class Record:
    finding: Finding
    file: Optional[str]
    line: Optional[int] = None
    column: Optional[int] = None
    location: Optional[str] = None  # the file's portable name (locations.Locator), for fingerprints
    suppressed: Optional[str] = None  # why resource metadata or a tag suppresses it (rules/suppression.py)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.finding.code, self.location if self.location is not None
                           else self.file, self.finding.resource, self.finding.path)

    def sort_key(self):
        return (self.line or 0, self.column or 0, self.finding.resource, self.finding.code,
                render_path(self.finding.path), self.finding.message)

    def as_dict(self) -> Dict[str, Any]:
        f = self.finding
        rule = CATALOG[f.code]
        return OrderedDict([
            ("code", f.code), ("cfn_lint_id", rule.cfn_lint_id), ("policy", rule.policy),
            ("severity", f.severity), ("message", shown_message(f)), ("file", self.file),
            ("resource", f.resource), ("path", list(f.path)),
            ("line", self.line), ("column", self.column),
            ("example_path", f.example_path), ("condition", f.condition),
            ("fingerprint", self.fingerprint),
        ] + ([("suppressed", {"kind": "inSource", "justification": self.suppressed})]
             if self.suppressed else []))


def note_dict(note: Note, file: Optional[str]) -> Dict[str, Any]:
    return OrderedDict([("code", note.code), ("kind", note.kind), ("message", note.message), ("file", file),
                        ("resource", note.resource), ("path", [str(p) for p in note.path]),
                        ("condition", note.condition)])


class Report:
    """Counts, baseline filtering and fan-out to the sinks."""

    def __init__(self, sinks: List["Sink"], baseline: Optional[Counter] = None,
                 complete_sinks: Optional[List["Sink"]] = None) -> None:
        """``baseline``: fingerprint -> how many findings it hides; ``complete_sinks`` get every
        finding, the hidden ones too (the baseline written by ``--write-baseline``)."""
        self.sinks = sinks
        self.complete_sinks = complete_sinks or []
        self.baseline = Counter(baseline or {})
        self.errors: List[Dict[str, str]] = []
        self.skipped: List[Dict[str, str]] = []
        self.skipped_folders: List[Dict[str, str]] = []  # {"folder", "reason"}: sweep.py
        self.inputs = 0
        self.distributions = 0
        self.baselined = 0
        self.suppressed = 0
        self.findings = 0
        self.notes_count = 0
        self.by_severity: Counter = Counter()
        self.by_code: Counter = Counter()
        self.all_by_severity: Counter = Counter()  # hidden findings included
        self.all_by_code: Counter = Counter()
        self.worst = 0
        self._notes = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")
        for sink in self.sinks + self.complete_sinks:
            sink.start()

    def add_records(self, records: List[Record]) -> None:
        for r in sorted(records, key=Record.sort_key):
            if r.suppressed:  # counted and shown as suppressed; never fails the run
                self.suppressed += 1
                for sink in self.sinks:
                    sink.suppressed(r)
                continue
            for sink in self.complete_sinks:
                sink.record(r)
            self.all_by_severity[r.finding.severity] += 1
            self.all_by_code[r.finding.code] += 1
            fp = r.fingerprint
            if self.baseline[fp] > 0:  # each baseline entry hides one finding, not all alike
                self.baseline[fp] -= 1
                self.baselined += 1
                continue
            self.findings += 1
            self.by_severity[r.finding.severity] += 1
            self.by_code[r.finding.code] += 1
            self.worst = max(self.worst, SEVERITY_RANK[r.finding.severity])
            for sink in self.sinks:
                sink.record(r)

    def add_note(self, note: Note, file: Optional[str]) -> None:
        self.notes_count += 1
        self._notes.write(json.dumps(note_dict(note, file)) + "\n")

    def notes(self) -> Iterator[Dict[str, Any]]:
        self._notes.seek(0)
        for line in self._notes:
            yield json.loads(line)

    def summary(self, complete: bool = False) -> Dict[str, Any]:
        """Totals; ``complete``: as if nothing were hidden (for the written baseline)."""
        by_severity, by_code = self.by_severity, self.by_code
        findings, baselined = self.findings, self.baselined
        if complete:
            by_severity, by_code = self.all_by_severity, self.all_by_code
            findings, baselined = self.findings + self.baselined, 0
        return OrderedDict([
            ("inputs", self.inputs), ("distributions", self.distributions),
            ("findings", findings),
            ("errors", len(self.errors)), ("skipped", len(self.skipped)),
            ("skipped_folders", len(self.skipped_folders)),
            ("notes", self.notes_count), ("baselined", baselined),
            ("suppressed", self.suppressed),
            ("by_severity", {k: by_severity.get(k, 0) for k in ("error", "warning")}),
            ("by_code", {code: by_code[code] for code in CATALOG if by_code.get(code)}),
        ])

    def finish(self) -> None:
        for sink in self.sinks + self.complete_sinks:
            sink.finish(self)
        self._notes.close()


class Sink:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def start(self) -> None:
        pass

    def record(self, r: Record) -> None:
        pass

    def suppressed(self, r: Record) -> None:
        """A finding the resource's metadata suppresses: formats that can say so show it."""

    def finish(self, report: Report) -> None:
        pass


# ----------------------------------------------------------------------------- JSON

class JsonSink(Sink):
    """``{"version": 1, "fingerprint_version": 2, "findings": [...], "errors": [...],
    "skipped": [...], "skipped_folders": [...], "notes": [...], "summary": {...}}``;
    ``complete``: a baseline, whose summary counts the findings a baseline hid as well (it lists
    them all)."""

    def __init__(self, out: IO[str], complete: bool = False) -> None:
        super().__init__(out)
        self.complete = complete

    def start(self) -> None:
        self.first = True
        self.held: List[Dict[str, Any]] = []
        self.out.write('{\n  "version": 1,\n  "fingerprint_version": %d,\n  "findings": ['
                       % FINGERPRINT_VERSION)

    def record(self, r: Record) -> None:
        self.out.write(("\n    " if self.first else ",\n    ") + json.dumps(r.as_dict()))
        self.first = False

    def suppressed(self, r: Record) -> None:
        self.held.append(r.as_dict())

    def finish(self, report: Report) -> None:
        self.out.write(("" if self.first else "\n  ") + "],\n")
        self.out.write('  "suppressed": [' + "".join(
            ("\n    " if i == 0 else ",\n    ") + json.dumps(d) for i, d in enumerate(self.held))
            + ("\n  " if self.held else "") + "],\n")
        self.out.write('  "errors": ' + json.dumps(report.errors) + ",\n")
        self.out.write('  "skipped": ' + json.dumps(report.skipped) + ",\n")
        self.out.write('  "skipped_folders": ' + json.dumps(report.skipped_folders) + ",\n")
        self.out.write('  "notes": [')
        first = True
        for n in report.notes():
            self.out.write(("\n    " if first else ",\n    ") + json.dumps(n))
            first = False
        self.out.write(("" if first else "\n  ") + "],\n")
        self.out.write('  "summary": ' + json.dumps(report.summary(self.complete)) + "\n}\n")


# ----------------------------------------------------------------------------- text

class TextSink(Sink):
    def __init__(self, out: IO[str], verbose: bool = False) -> None:
        super().__init__(out)
        self.verbose = verbose
        self.current: Any = object()
        self.any = False

    def record(self, r: Record) -> None:
        f = r.finding
        if r.file != self.current:
            if self.any:
                self.out.write("\n")
            self.current = r.file
        self.any = True
        where = printable(r.file or f.resource)
        if r.line is not None:
            where += f":{r.line}:{r.column or 1}"
        extra = [f"resource {printable(f.resource)}"]
        if f.condition:
            extra.append(f"when {printable(f.condition)}")
        if f.example_path:
            extra.append(f"example path {printable(f.example_path)}")
        self.out.write(f"{where}: {f.code} {f.severity}: {printable(shown_message(f))} "
                       f"[{'; '.join(extra)}]\n")

    def finish(self, report: Report) -> None:
        lines: List[str] = []
        for e in report.errors:
            lines.append(f"{printable(e['file'])}: error: {printable(e['message'])}")
        if self.verbose:
            for s in report.skipped_folders:
                lines.append(f"{printable(s['folder'])}/: skipped folder: {printable(s['reason'])}")
            for s in report.skipped:
                lines.append(f"{printable(s['file'])}: skipped: {printable(s['reason'])}")
            for n in report.notes():
                lines.append(f"{printable(n['file'] or n['resource'])}: note ({n['code']}): "
                             f"{printable(n['message'])} [resource {printable(n['resource'])}]")
        s = report.summary()
        tail = (f"{s['findings']} finding(s) ({s['by_severity']['error']} error, "
                f"{s['by_severity']['warning']} warning) in {s['distributions']} distribution(s) "
                f"from {s['inputs']} input(s)")
        if s["errors"]:
            tail += f"; {s['errors']} input(s) could not be audited"
        if s["baselined"]:
            tail += f"; {s['baselined']} known finding(s) hidden by the baseline"
        if s["suppressed"]:
            tail += f"; {s['suppressed']} suppressed by resource metadata or tags"
        if s["notes"] and not self.verbose:
            tail += f"; {s['notes']} note(s) (--verbose shows them)"
        if s["skipped"] and not self.verbose:
            tail += f"; {s['skipped']} file(s) skipped (--verbose shows why)"
        if s["skipped_folders"]:
            tail += f"; {s['skipped_folders']} folder(s) not swept" + \
                ("" if self.verbose else " (--verbose shows which and why)")
        if lines:
            lines.append("")
        lines.append(tail)
        if self.any:
            self.out.write("\n")
        self.out.write("\n".join(lines) + "\n")


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


_RULE_INDEX = {code: i for i, code in enumerate(CATALOG)}


def sarif_result(r: Record) -> Dict[str, Any]:
    f = r.finding
    text = shown_message(f)
    if f.condition:
        text += f" (when {f.condition})"
    location: Dict[str, Any] = {
        "logicalLocations": [{"name": f.resource, "kind": "resource",
                              "fullyQualifiedName": f"{f.resource}/{shown_path(f)}"}],
    }
    if r.file:
        phys: Dict[str, Any] = {"artifactLocation": {"uri": r.file.replace("\\", "/")}}
        if r.line is not None:
            phys["region"] = {"startLine": r.line, "startColumn": r.column or 1}
        location["physicalLocation"] = phys
    result = {
        "ruleId": f.code, "ruleIndex": _RULE_INDEX[f.code], "level": f.severity,
        "message": {"text": text}, "locations": [location],
        "partialFingerprints": {f"cfhttps/v{FINGERPRINT_VERSION}": r.fingerprint},
        "properties": {"resource": f.resource, "path": [str(p) for p in f.path]},
    }
    if f.example_path:
        result["properties"]["example_path"] = f.example_path
    if r.suppressed:  # SARIF 2.1.0 §3.35: an in-source suppression, with its justification
        result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                   "justification": r.suppressed}]
    return result


class SarifSink(Sink):
    def start(self) -> None:
        head = {"$schema": SARIF_SCHEMA, "version": "2.1.0"}
        driver = {"name": TOOL_NAME, "version": TOOL_VERSION, "informationUri": INFO_URI,
                  "rules": sarif_rules()}
        self.out.write(json.dumps(head)[:-1] + ', "runs": [{"tool": {"driver": '
                       + json.dumps(driver) + '}, "results": [')
        self.first = True

    def record(self, r: Record) -> None:
        self.out.write(("\n" if self.first else ",\n") + json.dumps(sarif_result(r)))
        self.first = False

    suppressed = record  # SARIF keeps suppressed results, marked by their "suppressions"

    def finish(self, report: Report) -> None:
        notifications = [{"level": "error", "message": {"text": f"{e['file']}: {e['message']}"}}
                         for e in report.errors]
        invocation = {"executionSuccessful": not report.errors,
                      "toolExecutionNotifications": notifications}
        self.out.write('], "invocations": [' + json.dumps(invocation) + "]}]}\n")


# ----------------------------------------------------------------------------- Markdown

def _md(text: Any) -> str:
    """Table-cell text: control and bidi characters escaped, pipes escaped, one line."""
    return printable(text).replace("|", "\\|")


class MarkdownSink(Sink):
    """A governance summary: totals per rule and severity, then a table per distribution."""

    def start(self) -> None:
        self.groups: "OrderedDict[tuple, List[Dict[str, Any]]]" = OrderedDict()

    def record(self, r: Record) -> None:
        f = r.finding
        self.groups.setdefault((r.file or "", f.resource), []).append({
            "code": f.code, "severity": f.severity, "message": shown_message(f), "line": r.line,
            "path": shown_path(f), "example": f.example_path, "condition": f.condition})

    def finish(self, report: Report) -> None:
        s = report.summary()
        out = ["# CloudFront HTTPS audit", "",
               f"{s['inputs']} input(s), {s['distributions']} distribution(s), "
               f"**{s['findings']} finding(s)**: {s['by_severity']['error']} error, "
               f"{s['by_severity']['warning']} warning."]
        if s["baselined"]:
            out.append(f"{s['baselined']} known finding(s) are hidden by the baseline.")
        if s["skipped_folders"]:
            out.append(f"{s['skipped_folders']} folder(s) were not swept (virtual environments, "
                       f"tool folders, excluded globs; `--verbose` or the JSON report lists them).")
        if s["suppressed"]:
            out.append(f"{s['suppressed']} finding(s) are suppressed by resource metadata or tags "
                       f"(listed in the JSON and SARIF reports).")
        out += ["", "## Totals per rule", "", "| rule | title | severity | findings |",
                "|---|---|---|---|"]
        counts: Counter = Counter()
        for recs in self.groups.values():
            for x in recs:
                counts[(x["code"], x["severity"])] += 1
        for rule in CATALOG.values():
            for sev in ("error", "warning"):
                n = counts.get((rule.code, sev), 0)
                if n:
                    out.append(f"| [{rule.code}]({rule.url}) | {_md(rule.title)} | {sev} | {n} |")
        if not counts:
            out.append("| — | no findings | — | 0 |")
        if self.groups:
            out += ["", "## Findings per distribution"]
        for (file, resource), recs in self.groups.items():
            out += ["", f"### {_md(resource)}" + (f" — `{_md(file)}`" if file else ""), "",
                    "| rule | severity | where | finding | example path | condition |",
                    "|---|---|---|---|---|---|"]
            for x in recs:
                where = f"line {x['line']}" if x["line"] else _md(x["path"])
                example = f"`{_md(x['example'])}`" if x["example"] else ""
                out.append(f"| {x['code']} | {x['severity']} | {where} | {_md(x['message'])} | "
                           f"{example} | {_md(x['condition'] or '')} |")
        if report.errors:
            out += ["", "## Inputs that could not be audited", ""]
            for e in report.errors:
                out.append(f"- `{_md(e['file'])}`: {_md(e['message'])}")
        self.out.write("\n".join(out) + "\n")


FORMATS = {"text": TextSink, "json": JsonSink, "sarif": SarifSink, "markdown": MarkdownSink}
