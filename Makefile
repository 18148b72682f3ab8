# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-all-test

.PHONY: demo test venv docs bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[all,test]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	-$(VENV)/bin/cfhttps audit examples/
	@echo "(exit code 1 above is expected: examples/bad has findings, examples/good has none)"

test: $(STAMP)
	$(PY) -m pytest

docs: $(STAMP)
	$(PY) -m rules.docgen docs/rules

bench: $(STAMP)
	$(PY) -m pip install --quiet checkov
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
