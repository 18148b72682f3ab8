"""The examples and the local recipes (docs/recipes.md): every example under examples/bad has a
finding and every one under examples/good none, in each input kind the audit reads; ``make
pulumi-local`` and ``make lambda-local`` install only their extra and run the real pack over gRPC
and the real handlers from the zip, giving the audit's answer for the same inputs."""

import io
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")


def audit_json(*paths, extra=()):
    from cfhttps_cli.main import main
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        main(["audit", "-q", "--format", "json", "--output", report, "--fail-on", "never",
              *extra, *paths])
        with open(report, encoding="utf-8") as fh:
            return json.load(fh)


def _entries(folder):
    return sorted(os.path.join(EXAMPLES, folder, n) for n in os.listdir(os.path.join(EXAMPLES, folder))
                  if not n.startswith("."))


@pytest.mark.parametrize("path", _entries("bad") + _entries("good"), ids=os.path.basename)
def test_each_example_is_read_and_judged_as_its_folder_says(path):
    """examples/bad/X: findings, at least one an error; examples/good/X: no finding, no error."""
    report = audit_json(path)
    assert report["errors"] == [], report["errors"]
    assert report["distributions"] if "distributions" in report else True
    if os.sep + "bad" + os.sep in path:
        assert any(f["severity"] == "error" for f in report["findings"]), report["findings"]
    else:
        assert report["findings"] == [], report["findings"]


def test_examples_cover_every_file_kind_beside_cloudformation():
    """A CloudFront API document and a Pulumi stack export sit beside the templates, in both
    folders, and the audit reads each as its kind (not as a template)."""
    from cfhttps_cli.inputs import load
    for folder in ("bad", "good"):
        kinds = {load(p).kind for p in _entries(folder) if os.path.isfile(p)}
        assert {"cfn", "api", "pulumi"} <= kinds, (folder, kinds)


def _make_dry_run(target, tmp_path):
    proc = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'fresh'}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.mark.parametrize("target,extra", [("pulumi-local", "pulumi"), ("lambda-local", "aws")])
def test_recipe_installs_only_its_extra(tmp_path, target, extra):
    lines = _make_dry_run(target, tmp_path)
    installs = [line for line in lines if "pip install" in line]
    assert installs and all(line.rstrip().endswith(f'-e ".[{extra}]"') for line in installs), installs
    assert any(f"-m recipes.{target.replace('-', '_')}" in line for line in lines), lines


def run_make(target, tmp_path):
    """``make TARGET`` as a user runs it, in a venv that has run the target before (its stamps
    are fresh, so nothing is installed: test_recipe_installs_only_its_extra checks what would
    be) whose Python is this one; the Lambda zip goes to tmp_path."""
    venv = tmp_path / "venv"
    venv.mkdir(parents=True)
    for stamp in (".installed-engine", ".installed-pulumi", ".installed-aws"):
        (venv / stamp).touch()
    proc = subprocess.run(["make", "--no-print-directory", target, f"VENV={venv}", f"PY={sys.executable}",
                           f"PYTHON={sys.executable}", f"LAMBDA_ZIP={tmp_path / 'cfhttps-lambda.zip'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")})
    assert not [line for line in proc.stdout.splitlines() if "pip install" in line], proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.slow  # starts the policy pack and runs a Pulumi program under the mock runtime
def test_make_pulumi_local_prints_the_packs_diagnostics(tmp_path):
    out = run_make("pulumi-local", tmp_path)
    blocks = dict(re.findall(r"^(urn:\S+): .*?\n((?:  .*\n?)*)", out, re.M))
    bad = blocks["urn:pulumi:dev::proj::aws:cloudfront/distribution:Distribution::cdn"]
    fixed = blocks["urn:pulumi:dev::proj::aws:cloudfront/distribution:Distribution::cdn-fixed"]
    assert "[mandatory] cloudfront-viewer-https: CFH001" in bad and "(/assets/*)" in bad
    assert "[advisory] cloudfront-redirect-write-methods: CFH004" in bad
    assert "[advisory] cloudfront-viewer-tls: CFH009" in bad
    # the website endpoint is unknown in a preview: CFH002 says it could not decide
    assert re.search(r"cloudfront-preview-unknowns: .*\n\s+CFH002 .*could not decide", bad)
    assert fixed == ""
    assert "`pulumi preview` would fail: 1 mandatory" in out


@pytest.mark.slow  # starts the policy pack
def test_pulumi_local_takes_a_policy_config_as_the_cli_does():
    """policy-config.json as `--policy-pack-config` gives it: viewer HTTPS is remediated, not
    mandatory; the origin's plaintext leg becomes mandatory (require_origin_https)."""
    from recipes import pulumi_local
    out = io.StringIO()
    answers = pulumi_local.run(os.path.join(ROOT, pulumi_local.PROGRAM),
                               os.path.join(ROOT, "policy-config.json"), out)
    levels = {a["policy"]: a["level"] for a in answers if a["urn"].endswith("::cdn")}
    assert levels["cloudfront-viewer-https"] == "remediate", levels
    # the remediated inputs (/assets/* redirect-to-https) are what Analyze judged: no CFH001 left
    assert not [a for a in answers if a["level"] != "remediate" and a["message"].startswith("CFH001")]
    assert "remediated by cloudfront-viewer-https" in out.getvalue()
    assert "policy config: policy-config.json" in out.getvalue()


@pytest.mark.slow  # builds the zip and runs both handlers in an isolated interpreter
def test_make_lambda_local_prints_both_handlers_answers(tmp_path):
    out = run_make("lambda-local", tmp_path)
    assert re.search(r"^  examples/bad/website-and-order\.yaml: FAILED \(NonCompliant\)$", out, re.M)
    assert re.search(r"^  examples/good/s3-rest-oac\.yaml: SUCCESS$", out, re.M)
    assert re.search(r"^  E1A2B3C4D5E6F7 \(examples/bad/cloudfront-api\.json\): NON_COMPLIANT$", out, re.M)
    assert re.search(r"^  E7F6E5D4C3B2A1 \(examples/good/cloudfront-api\.json\): COMPLIANT$", out, re.M)
    assert "received 1 PutEvaluations call(s), 2 evaluation(s), result token local-result-token" in out


@pytest.mark.slow  # builds the zip and runs both handlers in an isolated interpreter
def test_lambda_handlers_give_the_audits_answer_for_the_same_examples(tmp_path):
    """One input, one answer: the hook's findings for a stack are the audit's for the same
    template, and the Config rule's verdicts follow the audit's errors per API document."""
    from cfhttps_aws.package import build
    from recipes import lambda_local
    zip_path = tmp_path / "cfhttps-lambda.zip"
    build(str(zip_path))
    answers = lambda_local.run(str(zip_path), io.StringIO())
    for key, rel in lambda_local.STACKS.items():
        audit = audit_json(os.path.join(ROOT, rel))
        shown = {tuple(line.split(" ", 2)[:2]) for line in answers[key]["message"].splitlines()[1:]
                 if re.match(r"CFH\d{3} \[", line)}
        assert shown == {(f["code"], f"[{f['severity']}]") for f in audit["findings"]}, (rel, shown)
    verdicts = {e["ComplianceResourceId"]: e["ComplianceType"] for e in answers["config"]}
    for dist_id, rel in lambda_local.DISTRIBUTIONS.items():
        audit = audit_json(os.path.join(ROOT, rel))
        errors = any(f["severity"] == "error" for f in audit["findings"])
        assert verdicts[dist_id] == ("NON_COMPLIANT" if errors else "COMPLIANT"), (rel, verdicts)
    (batch,) = answers["_put"]
    assert {e["ComplianceResourceId"] for e in batch["Evaluations"]} == set(lambda_local.DISTRIBUTIONS)
