"""Find audit inputs and turn each into distributions, detecting its kind by content.

Kinds: ``cfn`` (CloudFormation / Serverless templates), ``api`` (CloudFront API JSON),
``pulumi`` (``pulumi stack export``). ``--input-kind`` forces one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterator, List, Optional, Tuple

from rules.model import Distribution, Note, NoteKind
from rules.sources import aws_api, cloudformation, pulumi

from cfhttps_io.files import NotRegularFile, load_file
from cfhttps_io.templates import LoadError, Marks, input_notes

EXTENSIONS = (".yaml", ".yml", ".json", ".template")
KINDS = ("auto", "cfn", "api", "pulumi")
KIND_NAMES = {"cfn": "CloudFormation template", "api": "CloudFront API document",
              "pulumi": "Pulumi stack export"}


@dataclass
class Loaded:
    file: str
    kind: str = ""
    distributions: List[Distribution] = field(default_factory=list)
    notes: List[Note] = field(default_factory=list)
    marks: Marks = field(default_factory=dict)
    error: Optional[str] = None
    skipped: Optional[str] = None  # a file that is fine but holds nothing for us


def swept_dir_allowed(name: str) -> bool:
    """A sweep passes over hidden folders (.git, .aws-sam, …) and node_modules."""
    return not name.startswith(".") and name != "node_modules"


def discover(paths: List[str]) -> Tuple[List[Tuple[str, bool]], List[Tuple[str, str]]]:
    """(file, named explicitly) to audit, de-duplicated, and (path, error) for missing paths."""
    files: List[Tuple[str, bool]] = []
    errors: List[Tuple[str, str]] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if swept_dir_allowed(d))
                for n in sorted(names):
                    if n.endswith(EXTENSIONS):
                        files.append((os.path.join(root, n), False))
        elif os.path.lexists(p):  # a FIFO or device named explicitly is refused when loaded
            files.append((p, True))
        else:
            errors.append((p, "no such file or directory"))
    seen = set()
    unique = []
    for f, explicit in files:
        key = os.path.abspath(f)
        if key not in seen:
            seen.add(key)
            unique.append((f, explicit))
    return unique, errors


def detect(doc: Any) -> Optional[str]:
    if pulumi.looks_like_stack_export(doc):
        return "pulumi"
    if aws_api.looks_like(doc):
        return "api"
    try:
        cloudformation.resources_of(doc)
        return "cfn"
    except cloudformation.TemplateError:
        return None


SUPPORTED = ("a CloudFormation template (Resources), a CloudFront API document "
             "(get-distribution-config / get-distribution / list-distributions output or a "
             "DistributionConfig), or a Pulumi stack export (deployment.resources)")


def interpret(doc: Any, file: str, kind: str = "auto", marks: Optional[Marks] = None) -> Loaded:
    out = Loaded(file=file, marks=marks or {})
    chosen = detect(doc) if kind == "auto" else kind
    if chosen is None:
        out.error = f"not a supported input; expected {SUPPORTED} (or force one with --input-kind)"
        return out
    out.kind = chosen
    try:
        if chosen == "cfn":
            out.distributions, out.notes = cloudformation.distributions(doc, file)
        elif chosen == "api":
            out.distributions, out.notes = aws_api.distributions(doc, file)
        else:
            out.distributions, out.notes = pulumi.stack_distributions(doc, file)
    except (cloudformation.TemplateError, aws_api.ShapeError, ValueError) as exc:
        out.error = str(exc)
    return out


def load(file: str, kind: str = "auto", max_bytes: int = 20 * 1024 * 1024,
         explicit: bool = True) -> Loaded:
    try:
        doc, marks = load_file(file, max_bytes)
    except NotRegularFile as exc:
        # A sweep reads regular files only: a FIFO, socket or device in a folder is passed over.
        return Loaded(file=file, error=str(exc)) if explicit else Loaded(file=file, skipped=str(exc))
    except LoadError as exc:
        return Loaded(file=file, error=str(exc))
    if kind != "auto" and not explicit:
        other = detect(doc)
        if other is not None and other != kind:
            # --input-kind picks the kind to read in a sweep; files of other kinds are passed over.
            return Loaded(file=file, skipped=f"a {KIND_NAMES[other]}, not a {KIND_NAMES[kind]} "
                                             f"(--input-kind {kind})")
    loaded = interpret(doc, file, kind, marks)
    loaded.notes.extend(input_notes(marks))
    loaded.notes.extend(stray_byte_notes(getattr(marks, "stray_bytes", [])))
    if loaded.error and not explicit:
        # In a directory sweep, YAML/JSON that is clearly something else (a CI file, a package
        # manifest) is skipped with a reason rather than failing the run.
        if detect(doc) is None:
            loaded.skipped = "not a CloudFormation template, CloudFront API document or stack export"
            loaded.error = None
    return loaded


def stray_byte_notes(strays, most: int = 10) -> List[Note]:
    """One note per line holding bytes that are not UTF-8 (read as U+FFFD), ``most`` at most."""
    lines: dict = {}
    for line, byte in strays:
        lines.setdefault(line, []).append(byte)
    notes = []
    for line in sorted(lines)[:most]:
        shown = ", ".join(f"0x{b:02X}" for b in lines[line])
        notes.append(Note("input", NoteKind.INPUT,
                          f"line {line}: byte{'s' if len(lines[line]) > 1 else ''} {shown} "
                          f"not UTF-8 (read as U+FFFD; a Latin-1 or Windows-1252 character?)",
                          "", ()))
    if len(lines) > most:
        notes.append(Note("input", NoteKind.INPUT, f"{len(lines) - most} more lines hold bytes "
                                                   f"that are not UTF-8", "", ()))
    return notes


def iter_loaded(files: List[Tuple[str, bool]], kind: str, max_bytes: int) -> Iterator[Loaded]:
    for f, explicit in files:
        yield load(f, kind, max_bytes, explicit)
