# customer_value: every target installs what it needs itself (into .venv), pinned by constraints.txt.
#   make course     execute every lesson and render the course to build/course/index.html
#   make test       ruff, doctests, unit, property, CLI and notebook tests, in parallel (CI's command)
#   make lab        JupyterLab on the repository
#   make notebooks  re-execute lessons, solutions and report templates in place (stored outputs)
#   make exercises  regenerate exercises/ from solutions/
#   make datasets   regenerate the sample data in datasets/
#   make bench      speed benchmarks (prints figures and ratios; not part of make test)
#   make lock       re-resolve the newest versions allowed by pyproject.toml into constraints.txt

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := constraints.txt
EXTRA  := dev
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env --nbval-cell-timeout 600

.PHONY: install course test lab notebooks exercises datasets bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "pip==$$(sed -n 's/^# pip==//p' $(LOCK))"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e ".[$(EXTRA)]"
	touch $(STAMP)

install: $(STAMP)

course: $(STAMP)
	$(BIN)/customer-value notebooks course --out build/course --force
	@echo "open build/course/index.html"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto --doctest-modules tests lib/customer_value
	$(BIN)/python -m pytest -n auto --dist loadfile notebooks solutions $(NBVAL)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=.

notebooks: $(STAMP)
	$(BIN)/customer-value notebooks execute
	$(BIN)/customer-value exercises build

exercises: $(STAMP)
	$(BIN)/customer-value exercises build

datasets: $(STAMP)
	$(BIN)/customer-value datasets build

bench: $(STAMP)
	CUSTOMER_VALUE_BENCH=1 $(BIN)/python -m pytest tests/benchmarks -s -p no:cacheprovider

lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	build/lock-venv/bin/python -m pip install --quiet -e ".[$(EXTRA)]"
	{ echo "# Exact versions for Python $$(build/lock-venv/bin/python -c 'import sys; print(*sys.version_info[:2], sep=".")'), made by 'make lock'; used by the Makefile, CI and environment.yml."; \
	  echo "# pip==$$(build/lock-venv/bin/python -m pip --version | cut -d' ' -f2)"; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^customer-value'; } > $(LOCK)
	rm -rf build/lock-venv

clean:
	rm -rf build reports_out .pytest_cache
