"""The cfn-lint door, through the real cfn-lint: CLI, Python API, configuration, suppression,
SARIF, snapshots of `--format json` (cfn-lint's own convention) and parity with `cfhttps audit`."""

import glob
import json
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from cfhttps_cli import inputs
from conftest import CORPUS, ROOT
from rules import engine, suppression
from rules.catalog import CATALOG
from rules.config import Config
from rules.model import NoteKind

pytestmark = pytest.mark.slow  # runs the real cfn-lint (command and Python API) and sweeps the corpus

FIXTURES = os.path.join(ROOT, "tests", "cfn_lint", "fixtures")
SNAPSHOTS = os.path.join(ROOT, "tests", "cfn_lint", "snapshots")
CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
OUR_IDS = {r.cfn_lint_id for r in CATALOG.values()}
NOTE_ID = "I9100"  # the engine's notes (cfn_rules/EngineNotes.py)
# Built-in cfn-lint rules our door leaves a match to while they run: E9108 -> E3057 for the
# default behaviour's TargetOriginId.
DEFERS_TO = {"E9108": "E3057"}
SENS = "E9107:sensitive_paths=/admin/*"
HSTS = "W9111:require_hsts=true"  # the parity runs turn the opt-in CFH011 on as well
# Fixtures are named after the rule's policy name: viewer_https_1.yaml for cloudfront-viewer-https.
NAME_TO_ID = {r.policy[len("cloudfront-"):].replace("-", "_"): r.cfn_lint_id for r in CATALOG.values()}


def cfn_lint(*args, cwd=ROOT):
    proc = subprocess.run([CFN_LINT, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def ours(matches):
    return [m for m in matches if m["Rule"]["Id"] in OUR_IDS]


def fixture_files(kind):
    return sorted(glob.glob(os.path.join(FIXTURES, kind, "*.yaml")))


@pytest.fixture(scope="module")
def fixture_run():
    """One cfn-lint CLI run over every fixture (JSON), keyed by relative file name."""
    files = [os.path.relpath(f, ROOT) for f in fixture_files("bad") + fixture_files("good")]
    rc, out, err = cfn_lint("-a", "cfn_rules", "-x", SENS, "--format", "json", "--", *files)
    assert out, err
    by_file = {f: [] for f in files}
    for m in json.loads(out):
        by_file[m["Filename"]].append(m)
    return by_file


def _snapshot(matches, ids=OUR_IDS | set(DEFERS_TO.values())):
    return [{"Id": m["Rule"]["Id"], "Line": m["Location"]["Start"]["LineNumber"],
             "Column": m["Location"]["Start"]["ColumnNumber"], "Path": m["Location"]["Path"],
             "Message": m["Message"]} for m in matches if m["Rule"]["Id"] in ids]


@pytest.mark.parametrize("path", fixture_files("bad") + fixture_files("good"), ids=os.path.basename)
def test_fixture_snapshot(fixture_run, path):
    rel = os.path.relpath(path, ROOT)
    kind = os.path.basename(os.path.dirname(path))
    name = os.path.basename(path)[:-5]
    rule_id = NAME_TO_ID[name.rsplit("_", 1)[0]]
    got = _snapshot(fixture_run[rel])
    ids = {m["Id"] for m in got}
    if kind == "bad":
        assert rule_id in ids or DEFERS_TO.get(rule_id) in ids
    else:
        assert rule_id not in ids and DEFERS_TO.get(rule_id) not in ids
    assert not [m for m in fixture_run[rel] if m["Rule"]["Id"].startswith("E0")]
    snap = os.path.join(SNAPSHOTS, kind, name + ".json")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        os.makedirs(os.path.dirname(snap), exist_ok=True)
        with open(snap, "w") as fh:
            json.dump(got, fh, indent=1)
            fh.write("\n")
    with open(snap) as fh:
        assert got == json.load(fh), f"snapshot differs: rerun with UPDATE_SNAPSHOTS=1 and review {snap}"


def test_python_api_matches_cli(fixture_run):
    from cfnlint.api import lint
    from cfnlint.config import ManualArgs
    for path in fixture_files("bad"):
        with open(path) as fh:
            text = fh.read()
        api = lint(text, config=ManualArgs(append_rules=["cfn_rules"], regions=["us-east-1"],
                                           configure_rules={"E9107": {"sensitive_paths": ["/admin/*"]}}))
        ids = OUR_IDS | set(DEFERS_TO.values())
        api_set = {(m.rule.id, m.linenumber, m.columnnumber) for m in api if m.rule.id in ids}
        cli_set = {(m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"],
                    m["Location"]["Start"]["ColumnNumber"])
                   for m in fixture_run[os.path.relpath(path, ROOT)] if m["Rule"]["Id"] in ids}
        assert api_set == cli_set and api_set, path


def test_listing_and_metadata_from_catalogue():
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-l")
    for rule in CATALOG.values():
        line = next(l for l in out.splitlines() if l.startswith(rule.cfn_lint_id))
        assert rule.title in line
    assert any(l.startswith(NOTE_ID + ":") and "could not decide" in l for l in out.splitlines())


def test_installed_module_loads_from_any_directory(tmp_path):
    src = os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")
    rc, out, err = cfn_lint("-a", "cfn_rules", "--format", "parseable", "--", src, cwd=str(tmp_path))
    assert "E9102" in out and "E9106" in out, err


def test_cfnlintrc_append_rules_and_configure_rules(tmp_path):
    src = os.path.join(FIXTURES, "bad", "sensitive_path_https_1.yaml")
    (tmp_path / "t.yaml").write_text(open(src).read())
    (tmp_path / ".cfnlintrc").write_text(
        "append_rules:\n  - cfn_rules\nconfigure_rules:\n  E9107:\n    sensitive_paths:\n      - /admin/*\n")
    rc, out, err = cfn_lint("--format", "parseable", "t.yaml", cwd=str(tmp_path))
    assert "E9107" in out and "/admin/a.php" in out, err


def test_ignore_include_and_metadata_suppression(tmp_path):
    bad = os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "-i", "E9106", "--", bad)
    assert "E9106" not in out and "E9102" in out
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "-c", "I", "-i", "E", "W", "--", bad)
    assert "E9102" not in out
    text = open(bad).read().replace(
        "    Type: AWS::CloudFront::Distribution\n",
        "    Type: AWS::CloudFront::Distribution\n    Metadata:\n      cfn-lint:\n        config:\n"
        "          ignore_checks: [E9106, W9109]\n", 1)
    p = tmp_path / "m.yaml"
    p.write_text(text)
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "--", str(p))
    assert "E9106" not in out and "W9109" not in out and "E9102" in out


CONFIG_ID = "E9100"  # cfn_rules/ConfigurationErrors.py


@pytest.mark.parametrize("setting, says", [
    ("E9107:sensitive_pths=/x", ["unknown setting 'sensitive_pths'", "did you mean sensitive_paths?"]),
    ("E9101:sensitive_paths=/x", ["unknown setting 'sensitive_paths'", "a setting of E9107"]),
    ("W9109:minimum_protocol_version=TLSv9", ["'TLSv9' is not a CloudFront security policy",
                                              "TLSv1.2_2021"]),
    ("W9105:max_states=abc", ["max_states", "'abc'"]),
])
def test_bad_rule_configuration_is_one_error_match(setting, says):
    """A typo or a bad value in --configure-rule is an E9100 error match (exit code's error bit),
    said once per template, not a default quietly used in its place; the cfhttps rules do not
    judge meanwhile, and the log says it once per run, not once per rule class."""
    bad = os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")
    other = os.path.join(FIXTURES, "bad", "viewer_https_1.yaml")
    rc, out, err = cfn_lint("-a", "cfn_rules", "-x", setting, "-f", "parseable", "--", bad, other)
    ours_found = [l for l in out.splitlines() if any(f":{i}:" in l for i in OUR_IDS)]
    config_errors = [l for l in out.splitlines() if f":{CONFIG_ID}:" in l]
    assert ours_found == [] and len(config_errors) == 2, out  # one per template
    assert all(s in line for s in says for line in config_errors), config_errors
    assert rc & 2, rc
    assert err.count("cfhttps configuration") == 1, err
    # the same configuration, valid, judges as usual and reports no E9100
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-x", "E9107:sensitive_paths=/x", "-f", "parseable", "--", bad)
    assert CONFIG_ID not in out and "E9102" in out


def test_bad_rule_configuration_in_cfnlintrc(tmp_path):
    src = os.path.join(FIXTURES, "bad", "sensitive_path_https_1.yaml")
    (tmp_path / "t.yaml").write_text(open(src).read())
    (tmp_path / ".cfnlintrc").write_text(
        "append_rules:\n  - cfn_rules\nconfigure_rules:\n  E9107:\n    sensitive_path:\n      - /admin/*\n")
    rc, out, err = cfn_lint("--format", "json", "t.yaml", cwd=str(tmp_path))
    matches = json.loads(out)
    assert [m["Rule"]["Id"] for m in matches if m["Rule"]["Id"] in OUR_IDS | {CONFIG_ID}] == [CONFIG_ID]
    assert matches[0]["Level"] == "Error" and "sensitive_path'" in matches[0]["Message"]


def test_sarif_carries_rule_metadata():
    bad = os.path.join(ROOT, "examples", "bad", "website-and-order.yaml")
    rc, out, err = cfn_lint("-a", "cfn_rules", "--format", "sarif", "--", bad)
    doc = json.loads(out)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["E9106"]["helpUri"] == CATALOG["CFH006"].url
    assert rules["E9106"]["shortDescription"]["text"] == CATALOG["CFH006"].title
    assert any(r["ruleId"] == "E9106" for r in doc["runs"][0]["results"])


def test_message_carries_example_and_condition(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("""Conditions:
  Legacy: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins: [{Id: s3, DomainName: b.s3.amazonaws.com, S3OriginConfig: {}}]
        DefaultCacheBehavior: {TargetOriginId: s3, ViewerProtocolPolicy: !If [Legacy, allow-all, https-only]}
""")
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "--", str(p))
    assert "E9101" in out and "when condition Legacy is true" in out


PARITY_TEMPLATES = os.path.join(ROOT, "tests", "parity", "templates")


def _parity_inputs(with_corpus=False):
    files = fixture_files("bad") + fixture_files("good")
    files += [f for kind in ("bad", "good") for f in glob.glob(os.path.join(ROOT, "examples", kind, "*.yaml"))]
    if with_corpus:
        files += glob.glob(os.path.join(CORPUS, "cfn", "*"))
    else:
        files += glob.glob(os.path.join(PARITY_TEMPLATES, "*"))
    return sorted(f for f in files if "serverless.yml" not in f)  # Serverless Framework files are not templates cfn-lint reads


def _parity(files):
    """The (file, rule id, path) triples cfn-lint reports with our rules equal the audit's; returns
    them and the files cfn-lint refused to parse."""
    rc, out, err = cfn_lint("-a", "cfn_rules", "-x", SENS, "-x", HSTS, "--format", "json", "--", *files)
    matches = json.loads(out)
    assert not [m for m in matches if m["Rule"]["Id"] == "E0002"
                and any(rid in m["Message"] for rid in OUR_IDS | {NOTE_ID})], "our rules crashed"
    unparsed = {m["Filename"] for m in matches if m["Rule"]["Id"] == "E0000"}
    lint_set = {(m["Filename"], m["Rule"]["Id"], tuple(str(p) for p in m["Location"]["Path"]))
                for m in ours(matches)}
    # E9108 leaves the default behaviour to E3057 while it runs: count those as E9108's, and
    # never both at once.
    deferred = {(m["Filename"], "E9108", tuple(str(p) for p in m["Location"]["Path"]))
                for m in matches if m["Rule"]["Id"] == "E3057"}
    assert not lint_set & deferred, "reported by both E9108 and E3057"
    audit_set = set()
    config = Config(sensitive_paths=("/admin/*",), require_hsts=True)
    for f in files:
        loaded = inputs.load(f)
        assert loaded.error is None
        if f in unparsed:
            # cfn-lint refuses templates with duplicate keys; the audit reads them and says so.
            assert any(n.kind == NoteKind.INPUT for n in loaded.notes), f
            continue
        standing, _ = suppression.split(engine.evaluate(loaded.distributions, config).findings,
                                        loaded.suppressions)
        for finding in standing:
            audit_set.add((f, CATALOG[finding.code].cfn_lint_id, tuple(str(p) for p in finding.path)))
    assert lint_set | (deferred & audit_set) == audit_set
    return audit_set, unparsed, deferred & audit_set


# tests/parity/templates, reviewed by hand (with sensitive_paths /admin/* and require_hsts): the
# cfn-lint ids found. No template but hsts_and_oac.yaml attaches response headers policies, so every
# HTTPS-requiring behaviour elsewhere gets W9111.
PARITY_EXPECTED = {
    # Origin group (blue/green), weak OriginSSLProtocols and the omitted default, writes behind
    # redirect-to-https, /api/v1/* shadowed, *.js (allow-all) capturing /checkout/*.js and
    # /admin/*, a TargetOriginId naming no origin, TLSv1.1_2016; the `assets` origin is
    # GetAtt RegionalDomainName with an empty OriginAccessIdentity and no OAC (W9112).
    "api_and_static.json": {"W9110", "W9104", "W9105", "E9101", "W9103", "E9107", "E9106",
                            "E9108", "W9109", "W9111", "W9112"},
    # Legacy CustomOrigin http-only + allow-all; an ordered "*" shadowing everything after it.
    "legacy_and_catch_all.yaml": {"W9109", "W9103", "E9101", "E9107", "W9105", "W9111"},
    # Fn::If under a resource Condition; the default behaviour never serves /admin/* (E9107 only
    # on /admin/login).
    "sensitive_and_conditions.yaml": {"E9101", "E9107", "W9111"},
    # Website endpoint via GetAtt WebsiteURL: https-only under IsProd, http-only otherwise.
    "website_behind_parameters.yaml": {"E9102", "W9103", "E9101", "E9107", "W9105", "E9106",
                                       "W9109", "W9111"},
    # A custom policy by GetAtt (max-age 300) and managed SimpleCORS (W9111 twice; the managed
    # security-header policies pass); an OAI origin and a bare one (W9112 twice; OAC passes).
    "hsts_and_oac.yaml": {"W9111", "W9112"},
}


def test_parity_with_audit():
    """The project's own templates: fixtures, examples and tests/parity/templates (intrinsics,
    conditions, JSON, legacy origins, origin groups, two distributions in one template, a
    duplicate key) give the same findings through cfn-lint as through the audit, for every rule."""
    audit_set, unparsed, deferred = _parity(_parity_inputs())
    assert deferred, "no default-behaviour case left to E3057 in the parity inputs"
    assert {rule_id for _, rule_id, _ in audit_set} == OUR_IDS
    assert {os.path.basename(f) for f in unparsed} == {"duplicate_key.yaml"}
    for name, ids in PARITY_EXPECTED.items():
        path = os.path.join(PARITY_TEMPLATES, name)
        assert {rule_id for f, rule_id, _ in audit_set if f == path} == ids, name
    assert len(audit_set) >= 80


@pytest.mark.corpus
def test_parity_with_audit_on_corpus():
    """The same over the real-world corpus beside the repository (an extra layer, as before)."""
    audit_set, _, _ = _parity(_parity_inputs(with_corpus=True))
    assert len(audit_set) > 150


LANGUAGE_EXTENSIONS = sorted(glob.glob(os.path.join(PARITY_TEMPLATES, "language_extensions_*")))


def _note_key(code, resource, path):
    # I9100 sits at the note's path, or at its resource when the note has none (EngineNotes.py)
    return code, tuple(str(p) for p in path) or (("Resources", resource) if resource else ("Resources",))


def _resource(path):
    """The resource a match sits on, as cfn-lint sees it (and suppresses it): the one its path
    names. (The audit's ``resource`` names the distribution; a VPC origin's finding sits on the
    VpcOrigin resource.)"""
    return path[1] if len(path) > 1 and path[0] in ("Resources", "resources") else ""


def _doors(files):
    """What the real `cfhttps audit` CLI (JSON) and the real cfn-lint CLI (JSON, with I9100) say
    about ``files``, each as {file name: {(rule id, resource, path, line)} | {("note", code, path)}};
    and the files cfn-lint refused to parse. Both doors get the same settings."""
    names = [os.path.basename(f) for f in files]
    assert len(set(names)) == len(names), "door parity keys files by name"
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--format", "json",
                           "--fail-on", "never", "--sensitive-path", "/admin/*", "--require-hsts",
                           "--", *files], cwd=ROOT, capture_output=True, text=True, timeout=900)
    doc = json.loads(proc.stdout)
    assert doc["errors"] == [], doc["errors"]
    audit = {n: set() for n in names}
    for f in doc["findings"]:
        path = tuple(str(p) for p in f["path"])
        audit[os.path.basename(f["file"])].add((f["cfn_lint_id"], _resource(path), path, f["line"]))
    for n in doc["notes"]:
        if n.get("file"):
            audit[os.path.basename(n["file"])].add(("note",) + _note_key(n["code"], n["resource"], n["path"]))
    rc, out, err = cfn_lint("-a", "cfn_rules", "-x", SENS, "-x", HSTS, "-c", NOTE_ID,
                            "--format", "json", "--", *files)
    lint = {n: set() for n in names}
    unparsed = set()
    for m in json.loads(out):
        name, rule_id = os.path.basename(m["Filename"]), m["Rule"]["Id"]
        path = tuple(str(p) for p in m["Location"]["Path"] or ())
        assert not (rule_id == "E0002" and any(r in m["Message"] for r in OUR_IDS | {NOTE_ID})), m
        if rule_id == "E0000":
            unparsed.add(name)
        elif rule_id == NOTE_ID:
            code = m["Message"].split(" ", 2)[1].strip("():")
            lint[name].add(("note", code, path))
        elif rule_id in OUR_IDS or rule_id == DEFERS_TO["E9108"]:
            rule_id = "E9108" if rule_id == DEFERS_TO["E9108"] else rule_id
            lint[name].add((rule_id, _resource(path), path, m["Location"]["Start"]["LineNumber"]))
    return audit, lint, unparsed


def _assert_doors_agree(files):
    audit, lint, unparsed = _doors(files)
    for name in audit:
        if name in unparsed:  # duplicate keys: cfn-lint refuses (E0000), the audit notes it
            assert any(k[0] == "note" and k[1] == "input" for k in audit[name]), name
            continue
        assert lint[name] == audit[name], (name, sorted(lint[name] ^ audit[name]))
    return audit


def test_doors_agree_on_language_extensions():
    """AWS::LanguageExtensions templates (Fn::FindInMap keyed by a parameter with a default or
    AllowedValues, a DefaultValue, Fn::ForEach): cfn-lint's transform would hand our rules a value
    of its own choosing; the door judges the template as written, as the audit does — same rule
    ids, resources, paths, lines and notes."""
    assert len(LANGUAGE_EXTENSIONS) >= 4
    audit = _assert_doors_agree(LANGUAGE_EXTENSIONS)
    def ids(name):
        return {k[0] for k in audit["language_extensions_" + name + ".yaml"] if k[0] != "note"}
    # the deployed default (HTTP-only) gives W9103 -- the case cfn-lint's transform hid
    assert ids("findinmap_default") == {"W9103"}
    # every AllowedValues branch: HTTP-only (W9103 on the origin) and match-viewer reached by an
    # allow-all behaviour (W9103 on the behaviour)
    branches = {k[2][-1] for k in audit["language_extensions_allowed_values.yaml"] if k[0] == "W9103"}
    assert branches == {"OriginProtocolPolicy", "ViewerProtocolPolicy"}
    assert "E9101" in ids("default_value")
    foreach = audit["language_extensions_foreach.yaml"]
    assert ("note", "input", ("Resources", "Fn::ForEach::Sites")) in foreach
    assert {k[1] for k in foreach if k[0] != "note"} == {"Main"}


def test_suppression_is_one_model_in_both_doors():
    """cfn-lint's ignore_checks and cfhttps's own Metadata suppress the same findings in cfn-lint
    and in the audit; the audit counts them and lists them as suppressed (JSON, SARIF)."""
    src = os.path.join(PARITY_TEMPLATES, "suppressed_by_metadata.yaml")
    audit = _assert_doors_agree([src])["suppressed_by_metadata.yaml"]
    # (the parity runs set sensitive_paths /admin/*: E9107, suppressed nowhere, stands on both)
    assert {(k[0], k[1]) for k in audit} == {("W9109", "Quiet"), ("E9107", "Quiet"), ("E9107", "Own")}
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--format", "json", src],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0  # a suppressed error does not fail the run
    gone = sorted((f["code"], f["resource"], f["suppressed"]["justification"]) for f in doc["suppressed"])
    assert gone == [("CFH001", "Own", "Metadata cfhttps ignore CFH001"),
                    ("CFH001", "Quiet", "Metadata cfn-lint config ignore_checks E9101"),
                    ("CFH001", "Quiet", "Metadata cfn-lint config ignore_checks E9101"),
                    ("CFH009", "Own", "Metadata cfhttps ignore W9109")]
    assert doc["summary"]["suppressed"] == 4 and doc["summary"]["findings"] == 1
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--format", "sarif", src],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert sorted(bool(r.get("suppressions")) for r in results) == [False, True, True, True, True]
    assert all(s["kind"] == "inSource" for r in results for s in r.get("suppressions", []))


@pytest.mark.slow
@pytest.mark.corpus
def test_doors_agree_on_corpus():
    """Every CloudFormation template of the corpus beside the repository: the real audit CLI and
    the real cfn-lint CLI give the same rule ids, resources, paths, lines and notes."""
    files = sorted(f for f in glob.glob(os.path.join(CORPUS, "cfn", "*"))
                   if "serverless.yml" not in f)
    audit = _assert_doors_agree(files)
    assert sum(len(v) for v in audit.values()) > 150


names = st.sampled_from(["Origins", "DefaultCacheBehavior", "CacheBehaviors", "PathPattern",
                         "TargetOriginId", "ViewerProtocolPolicy", "Id", "DomainName",
                         "CustomOriginConfig", "OriginProtocolPolicy", "ViewerCertificate",
                         "Fn::If", "Ref", "Fn::Sub", "AllowedMethods"])
leaf = st.one_of(st.sampled_from(["allow-all", "https-only", "*", "/a/*", "x.s3-website-us-east-1.amazonaws.com",
                                  "Cond", "P", "AWS::NoValue"]), st.integers(0, 3), st.booleans())
tree = st.recursive(leaf, lambda ch: st.one_of(st.lists(ch, max_size=3),
                                               st.dictionaries(names, ch, max_size=4)), max_leaves=20)


@pytest.fixture(scope="module")
def rules_collection():
    from cfnlint.core import get_rules
    return get_rules(["cfn_rules"], [], [])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(tree)
def test_fuzzed_templates_never_give_e0002(rules_collection, dc):
    from cfnlint.api import lint
    template = {"Conditions": {"Cond": {"Fn::Equals": ["a", "b"]}},
                "Parameters": {"P": {"Type": "String", "AllowedValues": ["allow-all", "https-only"]}},
                "Resources": {"Cdn": {"Type": "AWS::CloudFront::Distribution",
                                      "Properties": {"DistributionConfig": dc}}}}
    text = yaml.safe_dump(template)
    matches = lint(text, rules=rules_collection)
    # cfn-lint's own rules may crash on such input (E0002 names the rule); ours never may.
    crashed = [m.message for m in matches if m.rule.id == "E0002"
               and any(rid in m.message for rid in OUR_IDS | {NOTE_ID})]
    assert not crashed


# ------------------------------------------------------- E9108 and cfn-lint's built-in E3057

def _ids_at(out, line_no):
    """Rule ids of the parseable-format lines (file:line:col:endline:endcol:id:message) at a line."""
    return {l.split(":")[5] for l in out.splitlines() if l.split(":")[1:2] == [str(line_no)]}


def test_default_behaviour_target_left_to_e3057_while_it_runs(tmp_path):
    """One match per problem: E3057 (built in) for the default behaviour, E9108 for ordered
    behaviours; E9108 takes the default back when E3057 is ignored, not included, or
    suppressed on the resource. The audit reports it either way."""
    src = os.path.join(FIXTURES, "bad", "target_origin_1.yaml")
    line = 12  # DefaultCacheBehavior.TargetOriginId: nope
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "--", src)
    assert _ids_at(out, line) >= {"E3057"} and "E9108" not in _ids_at(out, line)
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "-i", "E3057", "--", src)
    assert "E9108" in _ids_at(out, line) and "E3057" not in _ids_at(out, line)
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "-i", "E30", "--", src)
    assert "E9108" in _ids_at(out, line)
    text = open(src).read().replace(
        "    Type: AWS::CloudFront::Distribution\n",
        "    Type: AWS::CloudFront::Distribution\n    Metadata:\n      cfn-lint:\n        config:\n"
        "          ignore_checks: [E3057]\n", 1)
    p = tmp_path / "m.yaml"
    p.write_text(text)
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "--", str(p))
    assert "E9108" in out and "E3057" not in out
    loaded = inputs.load(src)
    assert "CFH008" in {f.code for f in engine.evaluate(loaded.distributions, Config()).findings}


def test_e3057_handoff_through_the_python_api():
    from cfnlint.api import lint
    from cfnlint.config import ManualArgs
    with open(os.path.join(FIXTURES, "bad", "target_origin_1.yaml")) as fh:
        text = fh.read()
    ids = {m.rule.id for m in lint(text, config=ManualArgs(append_rules=["cfn_rules"],
                                                           regions=["us-east-1"]))}
    assert "E3057" in ids and "E9108" not in ids
    ids = {m.rule.id for m in lint(text, config=ManualArgs(append_rules=["cfn_rules"],
                                                           regions=["us-east-1"],
                                                           ignore_checks=["E3057"]))}
    assert "E9108" in ids and "E3057" not in ids


def test_ordered_behaviours_and_unresolved_defaults_stay_with_e9108():
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "--",
                          os.path.join(FIXTURES, "bad", "target_origin_2.yaml"),
                          os.path.join(FIXTURES, "bad", "target_origin_3.yaml"))
    assert out.count(":E9108:") == 2 and ":E3057:" not in out


# ------------------------------------------------------- I9100: the engine's notes

NOTE_FIXTURES = sorted(glob.glob(os.path.join(FIXTURES, "notes", "*.yaml")))
NOTE_ARGS = ("-c", NOTE_ID, "-x", "W9105:max_states=3")  # undecided_1 needs a tiny allowance


@pytest.fixture(scope="module")
def notes_run():
    files = [os.path.relpath(f, ROOT) for f in NOTE_FIXTURES]
    rc, out, err = cfn_lint("-a", "cfn_rules", *NOTE_ARGS, "--format", "json", "--", *files)
    by_file = {f: [] for f in files}
    for m in json.loads(out or "[]"):
        by_file[m["Filename"]].append(m)
    return by_file


@pytest.mark.parametrize("path", NOTE_FIXTURES, ids=os.path.basename)
def test_note_snapshot(notes_run, path):
    rel = os.path.relpath(path, ROOT)
    got = _snapshot(notes_run[rel], ids={NOTE_ID})
    name = os.path.basename(path)[:-5]
    assert bool(got) == (not name.startswith("clean"))
    for m in notes_run[rel]:
        if m["Rule"]["Id"] == NOTE_ID:
            assert m["Level"] == "Informational"
            assert m["Message"].split(" ", 1)[0] in NoteKind.ALL
    snap = os.path.join(SNAPSHOTS, "notes", name + ".json")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        os.makedirs(os.path.dirname(snap), exist_ok=True)
        with open(snap, "w") as fh:
            json.dump(got, fh, indent=1)
            fh.write("\n")
    with open(snap) as fh:
        assert got == json.load(fh), f"snapshot differs: rerun with UPDATE_SNAPSHOTS=1 and review {snap}"


def test_notes_match_the_audit_and_follow_enabled_rules():
    """The same notes as `cfhttps audit` (kind, rule, path); a rule turned off takes its notes
    with it; informational rules stay off unless included."""
    src = os.path.join(FIXTURES, "notes", "unknown_values_1.yaml")
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-c", NOTE_ID, "--format", "json", "--", src)
    got = {(m["Message"].split(" ", 2)[1].strip("():"), tuple(str(p) for p in m["Location"]["Path"]))
           for m in json.loads(out) if m["Rule"]["Id"] == NOTE_ID}
    loaded = inputs.load(src)
    expected = {(n.code, tuple(str(p) for p in n.path))
                for n in loaded.notes + engine.evaluate(loaded.distributions, Config()).notes}
    assert got == expected and any(code == "CFH003" for code, _ in got)
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-c", NOTE_ID, "-i", "W9103", "-f", "parseable", "--", src)
    assert "(CFH003)" not in out and "(CFH001)" in out
    rc, out, _ = cfn_lint("-a", "cfn_rules", "-f", "parseable", "--", src)
    assert NOTE_ID not in out
