"""The audit's Terraform inputs: a ``.tf`` or ``.tf.json`` file stands for its directory's module
(read once, with the local modules it calls), reported per file that declares a distribution. A
module of ``.tf.json`` files only (what cdktf writes) needs no HCL parser.

In a sweep, a directory that another swept module calls as a local module is judged through
that call (with its arguments and ``module.NAME.`` addresses), not a second time on its own;
a swept directory whose text proves it declares no distribution, itself or through the local
modules it calls (:func:`cfhttps_io.terraform.screen`), is passed over unparsed — parsing is
nearly all of a module's time, and most modules of a repository are not CloudFront's.
"""

from __future__ import annotations

import os
from typing import Dict, Iterator, List, Set, Tuple

from cfhttps_io import terraform as tf_io
from rules.model import Note, NoteKind
from rules.sources import terraform


def _called(module: dict, out: Set[str]) -> None:
    for child in module.get("calls", {}).values():
        if isinstance(child, dict) and "files" in child:
            out.add(os.path.realpath(child["dir"]))
            _called(child, out)


def _needs_parser(directory: str) -> bool:
    """A module with ``.tf`` files needs the HCL parser; ``.tf.json`` alone is read as JSON."""
    try:
        return any(n.endswith(".tf") for n in os.listdir(directory))
    except OSError:
        return True


class TerraformInputs:
    def __init__(self, files: List[Tuple[str, bool]]) -> None:
        self.done: Set[str] = set()
        self.modules: Dict[str, object] = {}
        self.swept_dirs = [os.path.dirname(f) or "." for f, explicit in files
                           if f.endswith((".tf", ".tf.json")) and not explicit]
        self._called: Set[str] = set()
        self._prepared = False
        self._screened: Dict[str, object] = {}  # realpath -> reason it need not be parsed

    def _screen(self, directory: str):
        """Why a swept module need not be parsed (None: it must be)."""
        key = os.path.realpath(directory)
        if key not in self._screened:
            self._screened[key] = tf_io.screen(directory)
        return self._screened[key]

    def _module(self, directory: str):
        key = os.path.realpath(directory)
        if key not in self.modules:
            try:
                self.modules[key] = tf_io.load_module(directory)
            except tf_io.TerraformError as exc:
                self.modules[key] = exc
        return self.modules[key]

    def _prepare(self) -> None:
        if self._prepared:
            return
        self._prepared = True
        for d in dict.fromkeys(self.swept_dirs):
            if self._screen(d) is not None:
                continue  # calls only modules that declare no distribution either
            if not tf_io.parser_available() and _needs_parser(d):
                continue
            module = self._module(d)
            if isinstance(module, dict):
                _called(module, self._called)

    def load(self, file: str, explicit: bool, kind: str, make) -> Iterator[object]:
        """``make(file, **fields)`` builds the CLI's Loaded record."""
        directory = os.path.dirname(file) or "."
        key = os.path.realpath(directory)
        if key in self.done:
            return
        self.done.add(key)
        if kind not in ("auto", "terraform"):
            yield make(file, skipped=f"a Terraform module, not read with --input-kind {kind}")
            return
        if not explicit:
            reason = self._screen(directory)
            if reason is not None:
                yield make(directory, skipped=f"a Terraform module with {reason}")
                return
        if not tf_io.parser_available() and _needs_parser(directory):
            # Named explicitly: an error naming the extra; met in a sweep: passed over, saying so.
            yield make(file, error=tf_io.MISSING_PARSER) if explicit else \
                make(directory, skipped=tf_io.MISSING_PARSER)
            return
        self._prepare()
        if not explicit and key in self._called:
            yield make(directory, skipped="a local module called by another audited module: "
                                          "judged through that call")
            return
        module = self._module(directory)
        if isinstance(module, Exception):
            yield make(file, error=str(module))
            return
        dists, notes, marks = terraform.module_distributions(module, file)
        errors = module.get("errors", [])
        by_file: Dict[str, list] = {}
        for d in dists:
            by_file.setdefault(d.source, []).append(d)
        if not by_file:
            if errors:
                yield make(file, kind="terraform", error="; ".join(errors[:3]))
            else:
                yield make(directory, kind="terraform", notes=notes,
                           skipped=None if notes else "a Terraform module without CloudFront "
                                                      "distributions")
            return
        first = True
        for source, group in by_file.items():
            names = {d.name for d in group}
            mine = [n for n in notes if n.resource in names or (first and n.resource not in
                                                                 {d.name for d in dists})]
            if first and errors:
                mine += [Note("input", NoteKind.INPUT, e, "", ()) for e in errors]
            yield make(source, kind="terraform", distributions=group, notes=mine,
                       marks=marks.get(source, {}))
            first = False
