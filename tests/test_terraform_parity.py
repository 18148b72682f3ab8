"""One estate of four distributions, written four ways (tests/parity/estate/): a CloudFormation
template, pulumi-aws declarations, a Terraform module and that module's plan as ``terraform show
-json`` prints it. Every source and every door must give the same answer: the same codes on the
same distributions, about the same behaviours and origins, at the same places (in each dialect's
spelling).

Sources are judged in process; the doors as users run them — the ``cfhttps audit`` process (a
sweep of the folder and each file), cfn-lint with the project's rules, and the policy pack over
the analyzer gRPC protocol with requests shaped as the Pulumi engine sends them."""

import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from conftest import ROOT
from cfhttps_io.templates import parse_text
from rules import engine
from rules.catalog import CATALOG, by_cfn_lint_id
from rules.config import Config
from rules.sources import cloudformation, terraform

ESTATE = os.path.join(ROOT, "tests", "parity", "estate")
CFN = os.path.join(ESTATE, "cloudformation.yaml")
MODULE = os.path.join(ESTATE, "terraform")
PLAN = os.path.join(ESTATE, "plan.json")
PULUMI = os.path.join(ESTATE, "pulumi.py")
DISTRIBUTIONS = ("order", "website", "assets", "clean")

# What each distribution is built to show (the fixture's header says why); every form must
# give exactly these, and together they cover the catalogue's rules that run by default.
EXPECTED = {
    "order": {"CFH001", "CFH002", "CFH003", "CFH004", "CFH005", "CFH006", "CFH008", "CFH009",
              "CFH010"},
    "website": {"CFH002", "CFH009"},  # the website endpoint only through a reference
    "assets": {"CFH001", "CFH003", "CFH012"},
    "clean": set(),
}

_SUBJECT = re.compile(r"the default cache behaviour|cache behaviour #\d+|origin '[^']*'")


def dist_name(resource: str) -> str:
    """The estate's distribution a resource name stands for, in any dialect (``Order``,
    ``aws_cloudfront_distribution.order``, a Pulumi URN ending ``::order``)."""
    return re.split(r"[.:]", resource)[-1].lower()


def answer(items):
    """{distribution: Counter((code, behaviours and origins named in the message))}."""
    out = {name: Counter() for name in DISTRIBUTIONS}
    for resource, code, message in items:
        out[dist_name(resource)][(code, tuple(_SUBJECT.findall(message)))] += 1
    return out


def codes_of(ans):
    return {name: {code for code, _ in found} for name, found in ans.items()}


def _findings(dists):
    result = engine.evaluate(dists, Config())
    return result.findings


def cfn_findings():
    with open(CFN, encoding="utf-8") as fh:
        doc, _ = parse_text(fh.read(), CFN)
    dists, _ = cloudformation.distributions(doc)
    return _findings(dists)


def module_findings():
    pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")
    from cfhttps_io import terraform as tf_io
    dists, _, _ = terraform.module_distributions(tf_io.load_module(MODULE, "terraform"))
    return _findings(dists)


def plan_findings(plan=None):
    if plan is None:
        with open(PLAN, encoding="utf-8") as fh:
            plan = json.load(fh)
    dists, _ = terraform.plan_distributions(plan, PLAN)
    return _findings(dists)


def triples(findings):
    return [(f.resource, f.code, f.message) for f in findings]


# --------------------------------------------------------------------------- places

_CFN_ROOT = ("Properties", "DistributionConfig")


def place(finding):
    """The finding's property path in Terraform's spelling, below the distribution: a
    CloudFormation path through :func:`rules.sources.terraform.snake` (``CacheBehaviors/2`` →
    ``ordered_cache_behavior/2``), a module path without its ``resource/TYPE/NAME`` prefix, a
    plan path as it is. Once-only blocks carry no index in Terraform."""
    path = tuple(finding.path)
    if path[:1] == ("Resources",):
        path = path[2:]
        if path[:2] == _CFN_ROOT:
            path = path[2:]
        # OriginGroups.Items[i].Members.Items[j]: the API's Items level has no Terraform name.
        return tuple(p if isinstance(p, int) else terraform.snake(p) for p in path if p != "Items")
    if path[:1] == ("resource",):
        path = path[3:]
    return path


def places(findings):
    return Counter((dist_name(f.resource), f.code, place(f)) for f in findings)


# --------------------------------------------------------------------------- sources

def test_each_form_gives_the_expected_codes():
    for label, found in (("CloudFormation", cfn_findings()), ("Terraform module", module_findings()),
                         ("Terraform plan", plan_findings())):
        assert codes_of(answer(triples(found))) == EXPECTED, label
    covered = set().union(*EXPECTED.values())
    assert covered == {"CFH001", "CFH002", "CFH003", "CFH004", "CFH005", "CFH006", "CFH008",
                       "CFH009", "CFH010", "CFH012"}


def test_sources_agree_on_behaviours_and_origins():
    cfn = answer(triples(cfn_findings()))
    assert answer(triples(module_findings())) == cfn
    assert answer(triples(plan_findings())) == cfn
    # Not vacuous: 18 findings, most of them about a named behaviour or origin.
    assert sum(sum(c.values()) for c in cfn.values()) == 18
    assert sum(n for c in cfn.values() for (_, subj), n in c.items() if subj) == 16


def test_sources_point_at_the_same_places():
    """Module and plan name the same property paths; CloudFormation's name the same ones in its
    own spelling. The one difference is the provider's: a custom certificate without
    ``minimum_protocol_version`` is ``TLSv1`` in the plan (the AWS provider's schema default),
    so the plan points at that value, where the module and the template point at the block."""
    cfn, module, plan = places(cfn_findings()), places(module_findings()), places(plan_findings())
    missing_version = ("website", "CFH009", ("viewer_certificate",))
    plan_default = ("website", "CFH009", ("viewer_certificate", "minimum_protocol_version"))
    assert cfn[missing_version] == module[missing_version] == plan[plan_default] == 1
    plan = plan - Counter([plan_default]) + Counter([missing_version])
    assert module == cfn
    assert plan == cfn


def test_plan_reads_references_not_values():
    """The plan does not know the website origin's host (``after_unknown``); without the
    configuration's reference to ``website_endpoint`` CFH002 cannot be decided, and is not
    guessed."""
    with open(PLAN, encoding="utf-8") as fh:
        plan = json.load(fh)
    for res in plan["configuration"]["root_module"]["resources"]:
        if res["address"] == "aws_cloudfront_distribution.website":
            res["expressions"]["origin"][0]["domain_name"] = {"references": ["var.site_host"]}
    codes = codes_of(answer(triples(plan_findings(plan))))
    assert codes["website"] == {"CFH009"}
    assert codes["order"] == EXPECTED["order"]


def test_plan_origins_in_set_order_keep_their_references():
    with open(PLAN, encoding="utf-8") as fh:
        plan = json.load(fh)
    config = {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}
    changes = {r["address"]: r for r in plan["resource_changes"]}
    clean, site = "aws_cloudfront_distribution.clean", "aws_cloudfront_distribution.website"
    # A second origin on the website distribution: source order [site, app]; the plan lists
    # the set as [app, site].
    config[site]["expressions"]["origin"].append(config[clean]["expressions"]["origin"][0])
    change = changes[site]["change"]
    change["after"]["origin"].insert(0, changes[clean]["change"]["after"]["origin"][0])
    change["after_unknown"]["origin"].insert(0, {"custom_origin_config": [
        {"origin_ssl_protocols": [False]}]})
    for res in plan["planned_values"]["root_module"]["resources"]:
        if res["address"] == site:
            res["values"] = change["after"]
    assert codes_of(answer(triples(plan_findings(plan))))["website"] == {"CFH002", "CFH009"}


# --------------------------------------------------------------------------- doors

def _audit(*args):
    proc = subprocess.run([sys.executable, "-m", "cfhttps_cli.main", "audit", "--no-config",
                           "--format", "json", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONPATH": ROOT})
    assert proc.returncode == 1, proc.stderr  # findings at error severity
    report = json.loads(proc.stdout)
    assert not report["errors"], report["errors"]
    return report


@pytest.mark.slow
def test_audit_door_sweep_and_files():
    """``cfhttps audit`` on the folder finds the template, the module and the plan by content;
    each gives the answer the sources give, with the dialect's resource names."""
    pytest.importorskip("tree_sitter_hcl", reason="tree-sitter-hcl (the 'terraform' extra) is not installed")
    expected = answer(triples(cfn_findings()))
    report = _audit(os.path.relpath(ESTATE, ROOT))
    by_file = {}
    for f in report["findings"]:
        kind = ("plan" if f["file"].endswith("plan.json") else
                "module" if f["file"].endswith(".tf") else "cfn")
        by_file.setdefault(kind, []).append((f["resource"], f["code"], f["message"]))
    assert set(by_file) == {"plan", "module", "cfn"}
    for kind, items in by_file.items():
        assert answer(items) == expected, kind
    assert {r for r, _, _ in by_file["plan"]} == {
        f"aws_cloudfront_distribution.{n}" for n in ("order", "website", "assets")}
    assert {r for r, _, _ in by_file["cfn"]} == {"Order", "Website", "Assets"}
    # Each file on its own (a .tf file stands for its module) answers as in the sweep.
    for kind, path in (("cfn", CFN), ("module", os.path.join(MODULE, "main.tf")), ("plan", PLAN)):
        alone = _audit(os.path.relpath(path, ROOT))
        assert answer([(f["resource"], f["code"], f["message"]) for f in alone["findings"]]) \
            == expected, kind


@pytest.mark.slow
def test_cfn_lint_door():
    """cfn-lint with the project's rules on the template: the same codes, behaviours and
    origins (rule ids mapped to codes through the catalogue)."""
    cfn_lint = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    proc = subprocess.run([cfn_lint, "-a", "cfn_rules", "--format", "json", "--",
                           os.path.relpath(CFN, ROOT)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.stdout, proc.stderr
    ours = {r.cfn_lint_id for r in CATALOG.values()}
    items = [(m["Location"]["Path"][1], by_cfn_lint_id(m["Rule"]["Id"]).code, m["Message"])
             for m in json.loads(proc.stdout) if m["Rule"]["Id"] in ours]
    assert answer(items) == answer(triples(cfn_findings()))


@pytest.mark.slow
def test_pulumi_door(pack):
    """The pulumi-aws declarations run under Pulumi's mock runtime (ids, ARNs and endpoints are
    preview unknowns), sent to the pack as the engine sends them: Analyze per distribution and
    AnalyzeStack for the stack (the website endpoint is known only from the stack graph: the
    origin's host is fed by the bucket's website configuration)."""
    from pulumi_harness import capture
    aws = "aws:cloudfront/distribution:Distribution"
    captured = capture(PULUMI, ROOT)
    pack.configure({})
    diags = []
    for c in captured:
        if c["type"] == aws:
            diags += [(c["name"], d) for d in pack.analyze(aws, c["name"], c["inputs"], c)]
    stack = [{"type": c["type"], "name": c["name"], "props": c["inputs"], "resource": c}
             for c in captured if not c["type"].startswith("pulumi:providers:")]
    diags += [(d.urn, d) for d in pack.analyze_stack(stack)]
    items = []
    for resource, d in diags:
        if d.policyName == "cloudfront-preview-unknowns":
            continue
        code = re.match(r"(CFH\d{3}):", d.message).group(1)
        assert d.policyName.startswith(CATALOG[code].policy), (code, d.policyName)
        items.append((resource, code, d.message))
    assert answer(items) == answer(triples(cfn_findings()))


def test_plan_files_read_by_the_json_reader_answer_as_before():
    """Plan files skip the position-keeping YAML reader (cfhttps_io/files.py): the same data,
    duplicate keys still noted, and anything that is not a plan left to the template reader."""
    from cfhttps_io.files import terraform_plan
    for path in (PLAN, os.path.join(ROOT, "examples", "bad", "terraform-plan.json"),
                 os.path.join(ROOT, "tests", "terraform", "plan", "mixed.json")):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        fast, slow = terraform_plan(text), parse_text(text, path)
        assert fast is not None and fast[0] == slow[0], path
        assert fast[1][()] == (1, 1)
    doubled = terraform_plan('{"format_version": "1.2", "resource_changes": [],\n'
                             ' "resource_changes": []}')
    assert doubled[1].duplicates == [(("resource_changes",), 0, 0)]
    assert terraform_plan('{"format_version": "1.0", "provider_schemas": {}}') is None
    assert terraform_plan('{"format_version": "1.2", "resource_changes": [') is None
    assert terraform_plan('Resources: {}') is None
