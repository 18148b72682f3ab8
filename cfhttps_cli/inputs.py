"""Find audit inputs and turn each into distributions, detecting its kind by content.

Kinds: ``cfn`` (CloudFormation / Serverless templates), ``api`` (CloudFront API JSON),
``pulumi`` (``pulumi stack export``), ``tf-plan`` (``terraform show -json``), ``terraform``
(a directory of ``.tf`` files, see :mod:`.terraform_inputs`). ``--input-kind`` forces one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterator, List, Optional, Tuple

from rules.model import Distribution, Note, NoteKind
from rules import suppression
from rules.sources import aws_api, cloudformation, pulumi, terraform

from cfhttps_io.files import NotRegularFile, load_file
from cfhttps_io.templates import LoadError, Marks, input_notes

from . import sweep

EXTENSIONS = (".yaml", ".yml", ".json", ".template", ".tf")
KINDS = ("auto", "cfn", "api", "pulumi", "tf-plan", "terraform")
KIND_NAMES = {"cfn": "CloudFormation template", "api": "CloudFront API document",
              "pulumi": "Pulumi stack export", "tf-plan": "Terraform plan (JSON)",
              "terraform": "Terraform module"}


@dataclass
class Loaded:
    file: str
    kind: str = ""
    distributions: List[Distribution] = field(default_factory=list)
    notes: List[Note] = field(default_factory=list)
    marks: Marks = field(default_factory=dict)
    error: Optional[str] = None
    skipped: Optional[str] = None  # a file that is fine but holds nothing for us
    suppressions: suppression.Suppressions = field(default_factory=dict)  # resource metadata


def swept_dir_allowed(name: str) -> bool:
    """Would a sweep enter a folder of this name (by name alone; sweep.py has the full rule)?"""
    return sweep.name_skip_reason(name) is None


@dataclass
class Discovered:
    files: List[Tuple[str, bool]]  # (file, named explicitly), de-duplicated
    missing: List[Tuple[str, str]]  # (path, error)
    folders: List[sweep.Skip]  # folders a sweep passed over, with the reason
    excluded: List[sweep.Skip]  # files left out by --exclude / exclude


def discover(paths: List[str], excludes: Optional[sweep.Excludes] = None) -> Discovered:
    """The files to audit in ``paths``, and everything passed over on the way (sweep.py)."""
    excludes = excludes or sweep.Excludes()
    out = Discovered([], [], [], [])
    files: List[Tuple[str, bool]] = []
    for p in paths:
        if not os.path.lexists(p):
            out.missing.append((p, "no such file or directory"))
            continue
        reason = excludes.match_named(p) if excludes else None
        if reason:
            (out.folders if os.path.isdir(p) else out.excluded).append(sweep.Skip(p, reason))
        elif os.path.isdir(p):
            found, folders, excluded = sweep.walk(p, excludes, EXTENSIONS)
            files += [(f, False) for f in found]
            out.folders += folders
            out.excluded += excluded
        else:  # a FIFO or device named explicitly is refused when loaded
            files.append((p, True))
    seen = set()
    for f, explicit in files:
        key = os.path.abspath(f)
        if key not in seen:
            seen.add(key)
            out.files.append((f, explicit))
    return out


def detect(doc: Any) -> Optional[str]:
    if terraform.looks_like_plan(doc):
        return "tf-plan"
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
             "DistributionConfig), a Pulumi stack export (deployment.resources), a Terraform "
             "plan (terraform show -json) or a directory of .tf files")


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
            out.suppressions = suppression.from_template(doc)
        elif chosen == "api":
            out.distributions, out.notes = aws_api.distributions(doc, file)
        elif chosen == "tf-plan":
            out.distributions, out.notes = terraform.plan_distributions(doc, file)
        elif chosen == "terraform":
            out.error = "--input-kind terraform reads .tf files (their directory is the module)"
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
    tf = None
    for f, explicit in files:
        if f.endswith((".tf", ".tf.json")):  # Terraform: the file's directory is the module
            if tf is None:
                from .terraform_inputs import TerraformInputs
                tf = TerraformInputs(files)
            yield from tf.load(f, explicit, kind, Loaded)
            continue
        yield load(f, kind, max_bytes, explicit)
