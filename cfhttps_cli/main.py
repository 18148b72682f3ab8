"""``cfhttps``: audit templates, stack exports, API configs and live accounts; list and explain rules."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List, Optional

from rules import engine
from rules.catalog import CATALOG
from rules.config import Config, from_mapping
from rules.docgen import render
from rules.settings import SETTINGS, cli_flag
from rules.sources import aws_api

from cfhttps_io.files import DEFAULT_MAX_BYTES
from cfhttps_io.templates import locate

from . import baselines, inputs, outputs, report, unsupported
from .locations import Locator

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class UsageError(Exception):
    pass


def _load_toml(path: str) -> dict:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"--config {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"--config {path}: invalid TOML: {exc}") from None


def build_config(args) -> Config:
    config = Config()
    errors: List[str] = []
    if args.config:
        data = _load_toml(args.config)
        data = data.get("cfhttps", data) if isinstance(data.get("cfhttps"), dict) else data
        config, errors = from_mapping(data, config)
    flags = {}
    for setting in SETTINGS:  # a flag left out (None, off, empty) keeps the file's value
        value = getattr(args, setting.name)
        if value is None or value is False or (isinstance(value, (str, list)) and not value):
            continue
        flags[setting.name] = value
    if flags:
        config, more = from_mapping(flags, config)
        errors += more
    if errors:
        raise UsageError("invalid configuration:\n  " + "\n  ".join(errors))
    return config


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal and not --quiet."""

    def __init__(self, total: Optional[int], enabled: bool, what: str) -> None:
        self.total = total
        self.enabled = enabled and sys.stderr.isatty()
        self.what = what
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.total:
            width = 30
            filled = int(width * self.done / self.total)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {self.what}")
        else:
            sys.stderr.write(f"\r{self.done} {self.what}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _add_result(rep: report.Report, dists, notes, config, file, marks,
                location: Optional[str] = None) -> None:
    rep.distributions += len({d.name for d in dists})
    result = engine.evaluate(dists, config)
    records = []
    for f in result.findings:
        line = col = None
        if marks:
            line, col = locate(marks, f.path)
        records.append(report.Record(f, file, line, col, location))
    rep.add_records(records)
    for n in list(notes) + result.notes:
        rep.add_note(n, file)


def _check_outputs(args, files) -> None:
    """Before anything is read: no output may be, or be read as, an input (README, "Reports")."""
    try:
        outputs.check({"--output": args.output, "--write-baseline": args.write_baseline},
                      args.paths or [], [f for f, _ in files],
                      {"--config": args.config, "--baseline": args.baseline},
                      allowed_same=[("--write-baseline", "--baseline")])
    except outputs.OutputError as exc:
        raise UsageError(str(exc)) from None


def _warn(message: str) -> None:
    print(f"cfhttps: {message}", file=sys.stderr)


def audit(args) -> int:
    if not args.paths and not args.aws:
        raise UsageError("nothing to audit: give files/directories, or --aws")
    files, missing = inputs.discover(args.paths) if args.paths else ([], [])
    _check_outputs(args, files)
    config = build_config(args)
    locator = Locator(args.paths or [])
    try:
        baseline = baselines.load(args.baseline, locator, _warn) if args.baseline else None
    except baselines.BaselineError as exc:
        raise UsageError(str(exc)) from None
    pending: List[outputs.AtomicFile] = []
    try:
        out = sys.stdout
        if args.output:
            pending.append(outputs.AtomicFile(args.output, "--output"))
            out = pending[-1].fh
        sinks = [report.TextSink(out, verbose=args.verbose) if args.format == "text"
                 else report.FORMATS[args.format](out)]
        complete = []
        if args.write_baseline:  # every current finding, the ones the baseline hid included
            pending.append(outputs.AtomicFile(args.write_baseline, "--write-baseline"))
            complete.append(report.JsonSink(pending[-1].fh, complete=True))
        rep = report.Report(sinks, baseline, complete_sinks=complete)
        for path, msg in missing:
            rep.errors.append({"file": path, "message": msg})
        if files:
            progress = Progress(len(files), not args.quiet, "files")
            if args.skip_unsupported and args.input_kind == "auto":
                # pre-commit names every staged *.yaml/*.json. With --input-kind forced, a named
                # file is taken to be that kind and its errors stay (unsupported.py).
                files = unsupported.as_swept(files)
            all_loaded = inputs.iter_loaded(files, args.input_kind, args.max_file_size)
            if args.skip_unsupported:
                all_loaded = unsupported.skip_unreadable(all_loaded, args.input_kind)
            for loaded in all_loaded:
                progress.step()
                rep.inputs += 1
                if loaded.error:
                    rep.errors.append({"file": loaded.file, "message": loaded.error})
                    continue
                if loaded.skipped:
                    rep.skipped.append({"file": loaded.file, "reason": loaded.skipped})
                    continue
                _add_result(rep, loaded.distributions, loaded.notes, config, loaded.file,
                            loaded.marks, locator.name(loaded.file))
            progress.close()
        if args.aws:
            _audit_aws(args, config, rep)
        rep.finish()
        outputs.commit_all(pending)  # only now, and only once every output is complete
        pending = []
    except outputs.OutputError as exc:
        raise UsageError(str(exc)) from None
    finally:
        outputs.discard_all(pending)
    if rep.errors:
        return EXIT_INPUT
    threshold = {"error": 2, "warning": 1, "never": 99}[args.fail_on]
    return EXIT_FINDINGS if rep.worst >= threshold else EXIT_OK


def _audit_aws(args, config, rep: report.Report) -> None:
    """Stream every distribution of the account through the engine, one at a time."""
    from cfhttps_io import cloudfront
    from cfhttps_io.account import Account

    label = f"aws:{args.profile}" if args.profile else "aws"
    try:
        # VPC origins and (CFH011) custom response headers policies are read once per account.
        account = Account(lambda: cloudfront.client(args.profile, args.endpoint_url), config)
        progress = Progress(None, not args.quiet, "distributions")
        for read in account.walk(label):
            progress.step()
            rep.inputs += 1
            source = f"{label}/{read.dist_id}"
            if read.error:
                rep.errors.append({"file": source, "message": read.error})
                continue
            if read.distribution is None:
                rep.errors.append({"file": source, "message": "; ".join(n.message for n in read.notes)
                                   or "unreadable distribution config"})
                continue
            _add_result(rep, [read.distribution], read.notes, config, None, None)
        progress.close()
    except cloudfront.AwsError as exc:
        rep.errors.append({"file": label, "message": str(exc)})


def cmd_rules(args) -> int:
    if args.format == "json":
        out = [{"code": r.code, "cfn_lint_id": r.cfn_lint_id, "policy": r.policy,
                "title": r.title, "severity": r.severity, "enforcement": r.enforcement,
                "url": r.url} for r in CATALOG.values()]
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return 0
    for r in CATALOG.values():
        print(f"{r.code}  {r.cfn_lint_id}  {r.severity:<7}  {r.enforcement:<9}  "
              f"{r.policy:<36}  {r.title}")
    return 0


def cmd_explain(args) -> int:
    code = args.code.upper()
    rule = CATALOG.get(code)
    if rule is None:
        for r in CATALOG.values():
            if args.code in (r.cfn_lint_id, r.policy):
                rule = r
    if rule is None:
        raise UsageError(f"no rule {args.code!r}; `cfhttps rules` lists them")
    sys.stdout.write(render(rule))
    return 0


def _positive_int(text: str) -> int:
    """argparse type: an integer of at least 1 (a size or count that cannot be negative)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cfhttps", description="Find insecure or broken HTTPS "
                                "set-ups of Amazon CloudFront distributions.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("audit", help="audit templates, API configs, stack exports or an account")
    a.add_argument("paths", nargs="*", help="files or directories (*.yaml, *.yml, *.json, *.template)")
    a.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    a.add_argument("--output", "-o", help="write the report to this file instead of stdout")
    a.add_argument("--config", help="TOML settings file (" + ", ".join(s.name for s in SETTINGS)
                   + ", [rules.CODE])")
    a.add_argument("--fail-on", choices=("error", "warning", "never"), default="error")
    a.add_argument("--input-kind", choices=inputs.KINDS, default="auto")
    for setting in SETTINGS:
        flag, kwargs = cli_flag(setting)
        a.add_argument(flag, **kwargs)
    a.add_argument("--max-file-size", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="BYTES")
    a.add_argument("--baseline", help="previous JSON report: report only new findings")
    a.add_argument("--write-baseline", metavar="FILE", help="also write this run's JSON report")
    a.add_argument("--aws", action="store_true", help="audit every distribution of an AWS account")
    a.add_argument("--profile", help="AWS profile for --aws")
    a.add_argument("--endpoint-url", help="CloudFront endpoint for --aws (default: "
                   "AWS_ENDPOINT_URL_CLOUDFRONT / AWS_ENDPOINT_URL, else AWS's own)")
    a.add_argument("--skip-unsupported", action="store_true",
                   help="skip named files that are not a supported input, as a directory sweep "
                        "does (the pre-commit hook passes it); a file that claims to be a "
                        "template but cannot be read still fails")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    a.add_argument("--verbose", "-v", action="store_true", help="text: also show notes and skipped files")
    a.set_defaults(func=audit)
    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.set_defaults(func=cmd_rules)
    e = sub.add_parser("explain", help="show a rule's documentation")
    e.add_argument("code")
    e.set_defaults(func=cmd_explain)
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"cfhttps: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # `cfhttps audit … | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
