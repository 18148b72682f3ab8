"""``cfhttps``: audit templates, stack exports, API configs and live accounts; list and explain rules."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from dataclasses import dataclass
from typing import List, Optional

from rules import engine, suppression
from rules.catalog import CATALOG
from rules.config import KEYS, Config, from_mapping
from rules.docgen import render
from rules.settings import SETTINGS, cli_flag
from rules.sources import aws_api

from cfhttps_io.files import DEFAULT_MAX_BYTES
from cfhttps_io.templates import locate

from . import baselines, config_file, inputs, outputs, report, sweep, unsupported
from .version import describe as describe_version
from .locations import Locator

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class UsageError(Exception):
    pass


@dataclass
class Settings:
    """What the audit runs with: the engine's Config, the sweep's globs, the file they came from."""

    config: Config
    excludes: sweep.Excludes
    found: config_file.Found


def _file_settings(args) -> config_file.Found:
    if getattr(args, "no_config", False):
        return config_file.Found(how="--no-config")
    if args.config:
        return config_file.read(args.config, "--config")
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was removed: nothing to discover from
        return config_file.Found()
    return config_file.discover(cwd)


def _exclude_globs(value, found: config_file.Found, errors: List[str]) -> List[sweep.Glob]:
    key = (found.table + "." if found.table else "") + "exclude"
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(f"{key}: expected a list of glob strings (e.g. [\"fixtures\", "
                      f"\"stacks/*/old\"]), got {value!r}")
        return []
    base = os.path.dirname(os.path.abspath(found.path or "."))
    return [sweep.Glob(v, base, found.path or "", scoped=True) for v in value]


def load_settings(args) -> Settings:
    """The file's settings (config_file.py), then the flags over them; every error at once."""
    try:
        found = _file_settings(args)
    except config_file.ConfigFileError as exc:
        raise UsageError(f"configuration {exc}") from None
    errors = config_file.unknown_keys(found)
    data = {k: v for k, v in found.data.items() if k in KEYS}
    config, more = from_mapping(data, Config())
    prefix = found.table + "." if found.table else ""
    errors += [prefix + e for e in more]
    globs = _exclude_globs(found.data["exclude"], found, errors) if "exclude" in found.data else []
    if errors:
        raise UsageError(f"invalid configuration in {found.path}:\n  " + "\n  ".join(errors)
                         + "\n(the keys, their types and allowed values: `cfhttps audit --help`"
                           " and docs/configuration.md)")
    flags = {}
    for setting in SETTINGS:  # a flag left out (None, off, empty) keeps the file's value
        value = getattr(args, setting.name, None)
        if value is None or value is False or (isinstance(value, (str, list)) and not value):
            continue
        flags[setting.name] = value
    if flags:
        config, errors = from_mapping(flags, config)
        if errors:
            raise UsageError("invalid option value:\n  " + "\n  ".join(errors))
    if getattr(args, "exclude", None):
        try:
            cwd = os.getcwd()
        except OSError:
            raise UsageError("--exclude: the current directory no longer exists") from None
        globs += [sweep.Glob(g, cwd, "--exclude") for g in args.exclude]
    return Settings(config, sweep.Excludes(globs), found)


def build_config(args) -> Config:
    """The engine's settings for these arguments (configuration file, then flags)."""
    return load_settings(args).config


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
                location: Optional[str] = None, suppressions=None) -> None:
    rep.distributions += len({d.name for d in dists})
    result = engine.evaluate(dists, config)
    tagged, tag_notes = suppression.by_tags(dists)  # every input kind: the distributions' tags
    records = []
    for f in result.findings:
        line = col = None
        if marks:
            line, col = locate(marks, f.path)
        records.append(report.Record(f, file, line, col, location,
                                     suppression.reason(f, suppressions or {}, tagged)))
    rep.add_records(records)
    for n in list(notes) + result.notes + tag_notes:
        rep.add_note(n, file)


def _check_outputs(args, files, config_path: Optional[str]) -> None:
    """Before anything is read: no output may be, or be read as, an input (docs/audit.md, "Outputs")."""
    try:
        outputs.check({"--output": args.output, "--write-baseline": args.write_baseline},
                      args.paths or [], [f for f, _ in files],
                      {("--config" if args.config else "configuration discovery"): config_path,
                       "--baseline": args.baseline},
                      allowed_same=[("--write-baseline", "--baseline")])
    except outputs.OutputError as exc:
        raise UsageError(str(exc)) from None


def _warn(message: str) -> None:
    print(f"cfhttps: {message}", file=sys.stderr)


def audit(args) -> int:
    if not args.paths and not args.aws:
        raise UsageError("nothing to audit: give files/directories, or --aws")
    settings = load_settings(args)
    config = settings.config
    if args.verbose:
        _warn(settings.found.describe())
    found = inputs.discover(args.paths or [], settings.excludes)
    files, missing = found.files, found.missing
    _check_outputs(args, files, settings.found.path)
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
        rep.skipped_folders += [{"folder": f.path, "reason": f.reason} for f in found.folders]
        rep.skipped += [{"file": f.path, "reason": f.reason} for f in found.excluded]
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
                            loaded.marks, locator.name(loaded.file), loaded.suppressions)
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
    if args.write_baseline:
        recorded = rep.findings + rep.baselined
        _warn(f"wrote the baseline {args.write_baseline}: {recorded} finding(s) recorded. "
              f"Audit with --baseline {args.write_baseline} to report only new ones; writing a "
              f"baseline does not fail the run (exit 0 unless an input could not be read)")
    if rep.errors:
        return EXIT_INPUT
    if args.write_baseline:
        return EXIT_OK
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


EXIT_CODES = """exit codes:
  0  nothing at or above --fail-on (or --write-baseline wrote the baseline)
  1  findings at or above --fail-on (error by default)
  2  an input could not be read or understood (every other input is still audited and
     reported), or the command line or the configuration is invalid"""

CONFIGURATION = "configuration (docs/configuration.md):\n" + textwrap.fill(
    "Without --config, the first of cfhttps.toml or pyproject.toml's [tool.cfhttps] found in the "
    "current directory or a parent, up to the repository root (.git), is read (--verbose says "
    "which; --no-config reads none). cfhttps.toml: the settings at the top level plus "
    "[rules.CFH006] tables, or all of them inside one [cfhttps] table, never both. Keys: "
    + ", ".join(config_file.ALL_KEYS) + ". Unknown keys and bad values are errors (exit 2). "
    "Flags override the file; --exclude adds to its exclude list.",
    width=90, initial_indent="  ", subsequent_indent="  ") + """

skipped in a sweep (--verbose lists them, the summary counts them):
  folders whose name starts with '.', node_modules, __pycache__, site-packages, virtual
  environments (a folder holding pyvenv.cfg or conda-meta), cdk.out's asset.* folders (its
  *.template.json are audited), and what --exclude / exclude names."""


def _setting_help(setting) -> str:
    """The registry's documentation plus what a user must know to type a value."""
    text = setting.doc
    if setting.type == "choice":
        text += f" One of: {', '.join(setting.allowed)}."
    elif setting.type == "list" and setting.allowed:
        text += f" Comma-separated, from: {', '.join(setting.allowed)}."
    elif setting.type == "list" and setting.flag:
        text += " Repeat the option for several."
    if setting.type != "bool":
        default = ",".join(setting.default) if setting.type == "list" else setting.default
        text += f" Default: {default if default not in ('', ()) else 'none'}."
    return text.replace("%", "%%")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cfhttps", description="Find insecure or broken HTTPS set-ups of Amazon CloudFront "
        "distributions in CloudFormation templates, Terraform modules and plans, CloudFront API "
        "documents, Pulumi stack exports and live AWS accounts.", epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=describe_version(),
                   help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    a = sub.add_parser("audit", help="audit templates, Terraform modules and plans, API configs, "
                                        "stack exports or an account",
                       description="Audit files, folders (swept recursively) or an AWS account.",
                       epilog=CONFIGURATION + "\n\n" + EXIT_CODES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (*.yaml, *.yml, *.json, *.template, *.tf, *.tf.json; "
                        "kind detected by content; a .tf file stands for its folder's module)")
    a.add_argument("--format", choices=sorted(report.FORMATS), default="text",
                   help="report format: text (one line per finding), json (stable, for tools and "
                        "--baseline), sarif (SARIF 2.1.0, GitHub code scanning), markdown (a "
                        "summary for people). Default: text")
    a.add_argument("--output", "-o", metavar="FILE",
                   help="write the report to FILE instead of stdout (written only once complete)")
    cfg = a.add_mutually_exclusive_group()
    cfg.add_argument("--config", metavar="FILE",
                     help="read settings from FILE (cfhttps.toml layout, or [tool.cfhttps] when "
                          "FILE is a pyproject.toml) instead of discovering one")
    cfg.add_argument("--no-config", "--isolated", action="store_true", dest="no_config",
                     help="read no configuration file: defaults and flags only")
    a.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                   help="lowest severity that makes the exit code 1: error (default), warning, "
                        "or never (always 0 unless an input could not be read)")
    a.add_argument("--input-kind", choices=inputs.KINDS, default="auto",
                   help="read every input as this kind: cfn (CloudFormation/Serverless "
                        "template), api (CloudFront API JSON), pulumi (stack export), tf-plan "
                        "(`terraform show -json` plan), terraform (a .tf module: its folder); "
                        "auto (default) detects it from the content")
    a.add_argument("--exclude", action="append", metavar="GLOB",
                   help="leave out files and folders matching GLOB (repeatable; adds to the "
                        "configuration's exclude): a name at any depth (fixtures, *.gen.yaml) "
                        "or, with '/', a path relative to the current directory (stacks/*/old); "
                        "an absolute glob matches absolute paths")
    for setting in SETTINGS:
        flag, kwargs = cli_flag(setting)
        kwargs["help"] = _setting_help(setting)
        if "metavar" not in kwargs and setting.type != "bool":
            kwargs["metavar"] = {"choice": "POLICY", "list": "A,B", "int": "N"}[setting.type]
        a.add_argument(flag, **kwargs)
    a.add_argument("--max-file-size", type=_positive_int, default=DEFAULT_MAX_BYTES,
                   metavar="BYTES", help=f"refuse input files larger than BYTES (at least 1). "
                                         f"Default: {DEFAULT_MAX_BYTES}")
    a.add_argument("--baseline", metavar="FILE",
                   help="a JSON report written by --write-baseline: hide the findings it lists "
                        "and report only new ones")
    a.add_argument("--write-baseline", metavar="FILE",
                   help="also write every current finding (also those --baseline hid) to FILE "
                        "as a baseline; the run then exits 0 unless an input could not be read")
    a.add_argument("--aws", action="store_true",
                   help="audit every distribution of an AWS account (read-only)")
    a.add_argument("--profile", help="AWS profile for --aws")
    a.add_argument("--endpoint-url", metavar="URL",
                   help="CloudFront endpoint for --aws (default: AWS_ENDPOINT_URL_CLOUDFRONT / "
                        "AWS_ENDPOINT_URL, else AWS's own)")
    a.add_argument("--skip-unsupported", action="store_true",
                   help="skip named files that are not a supported input, as a directory sweep "
                        "does (the pre-commit hook passes it); a file that claims to be a "
                        "template but cannot be read still fails")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    a.add_argument("--verbose", "-v", action="store_true",
                   help="say which configuration file is used (stderr); text reports also show "
                        "notes, skipped files and the folders not swept, with the reason")
    a.set_defaults(func=audit)
    r = sub.add_parser("rules", help="list the rules",
                       description="List the rules: code, cfn-lint id, severity, default "
                                   "enforcement, Pulumi policy name, title.")
    r.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (one line per rule, default) or json")
    r.set_defaults(func=cmd_rules)
    e = sub.add_parser("explain", help="show a rule's documentation",
                       description="Show a rule's documentation (as docs/rules/CODE.md).")
    e.add_argument("code", metavar="RULE",
                   help="a rule code (CFH006), cfn-lint id (E9106) or Pulumi policy name")
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
