# Two commands on a fresh machine: `make demo` and `make test`.
# `make demo` installs only what the demo runs (the engine, PyYAML and the `terraform` extra's
# small HCL parser: `pip install -e ".[terraform]"`); `make test` installs everything
# (`.[all,test]`: cfn-lint, Pulumi, boto3, moto, ...).
# `make check` is the contributor's loop: the tests not marked `slow` (no subprocesses, servers,
# second venvs or corpus sweeps).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_STAMP := $(VENV)/.installed-engine
STAMP := $(VENV)/.installed-all-test
PULUMI_STAMP := $(VENV)/.installed-pulumi
AWS_STAMP := $(VENV)/.installed-aws
LAMBDA_ZIP ?= dist/cfhttps-lambda.zip

.PHONY: demo test check venv docs bench clean lambda

$(PY):
	$(PYTHON) -m venv $(VENV)

# The venv's own pip installs the engine (PEP 660 editable installs need pip >= 21.3), with the
# HCL parser so that the demo's Terraform module is read (tree-sitter and its HCL grammar: two
# binary wheels, no further dependencies).
$(DEMO_STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[terraform]"
	touch $(DEMO_STAMP)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[all,test]"
	touch $(STAMP) $(DEMO_STAMP) $(PULUMI_STAMP) $(AWS_STAMP)

venv: $(STAMP)

demo: $(DEMO_STAMP)
	@$(VENV)/bin/cfhttps audit examples/; rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "(exit code 1: the findings above are in examples/bad, as intended; examples/good is clean)"; \
	else echo "demo: expected findings (exit 1), got exit $$rc"; exit 1; fi

test: $(STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(PY) -m pytest -m "not slow"

# The rule pages in docs/rules/ and the generated blocks of README.md and docs/*.md.
docs: $(STAMP)
	$(PY) -m rules.docgen docs/rules

# checkov gets its own venv: its pins must not move the versions the project is tested with.
.venv-checkov/bin/checkov:
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/pip install --quiet checkov

bench: $(STAMP) .venv-checkov/bin/checkov
	cd bench && ../$(PY) bench_corpus.py 7 && ../$(PY) bench_ordering.py && ../$(PY) bench_estate.py && ../$(PY) bench_pulumi.py && ../$(PY) bench_terraform.py

# The AWS Config rule / CloudFormation hook package: whole packages (rules, cfhttps_io,
# cfhttps_aws) and PyYAML's pure-Python code, pinned and fetched from PyPI once (build/lambda/).
lambda:
	$(PYTHON) -m cfhttps_aws.package --output $(LAMBDA_ZIP)

clean:
	rm -rf $(VENV) .venv-checkov build dist *.egg-info

# Local recipes (docs/recipes.md): the doors that a service calls, run here against stand-ins.
# Each installs only what it runs: the `pulumi` extra (the policy SDK, pulumi_aws for the example
# program) or the `aws` one (boto3, which Lambda's runtime provides), never `make test`'s set.
.PHONY: pulumi-local lambda-local

$(PULUMI_STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[pulumi]"
	touch $(PULUMI_STAMP) $(DEMO_STAMP)

$(AWS_STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[aws]"
	touch $(AWS_STAMP) $(DEMO_STAMP)

# The policy pack served as the Pulumi CLI serves it, judging examples/pulumi/ (no CLI needed).
pulumi-local: $(PULUMI_STAMP)
	$(PY) -m recipes.pulumi_local

# Both Lambda handlers run from the zip, with loopback stand-ins for S3, CloudFront and Config.
lambda-local: lambda $(AWS_STAMP)
	$(PY) -m recipes.lambda_local $(LAMBDA_ZIP)
