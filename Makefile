# Two commands on a fresh machine: `make demo` and `make test`.
# `make demo` installs only what the demo runs (the engine, PyYAML and the `terraform` extra's
# small HCL parser: `pip install -e ".[terraform]"`); `make test` installs everything
# (`.[all,test]`: cfn-lint, Pulumi, boto3, moto, ...).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_STAMP := $(VENV)/.installed-engine
STAMP := $(VENV)/.installed-all-test

.PHONY: demo test venv docs bench clean lambda

$(PY):
	$(PYTHON) -m venv $(VENV)

# The venv's own pip installs the engine (PEP 660 editable installs need pip >= 21.3), with the
# HCL parser so that the demo's Terraform module is read (python-hcl2: lark and regex, no more).
$(DEMO_STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[terraform]"
	touch $(DEMO_STAMP)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[all,test]"
	touch $(STAMP) $(DEMO_STAMP)

venv: $(STAMP)

demo: $(DEMO_STAMP)
	@$(VENV)/bin/cfhttps audit examples/; rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "(exit code 1: the findings above are in examples/bad, as intended; examples/good is clean)"; \
	else echo "demo: expected findings (exit 1), got exit $$rc"; exit 1; fi

test: $(STAMP)
	$(PY) -m pytest

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
	$(PYTHON) -m cfhttps_aws.package --output dist/cfhttps-lambda.zip

clean:
	rm -rf $(VENV) .venv-checkov build dist *.egg-info
