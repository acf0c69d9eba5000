# The two commands: `make run` (the main job) and `make test` (every test). See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
EXTRACT ?= data/extract
export IL2_PROJECT_ROOT := $(CURDIR)
export DBT_PROFILES_DIR := $(CURDIR)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test venv extract build report lint lint-venv pytest dbt-test browser r docs lock clean spark spark-venv

run: venv extract build report

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The paper-profile sample extract, generated once (delete data/extract to regenerate).
extract: venv
	@if [ -f $(EXTRACT)/manifest.json ]; then echo "extract: $(EXTRACT) exists"; \
	else $(BIN)/il2reg generate --profile paper --seed 20180331 --out $(EXTRACT); fi

build: venv
	$(BIN)/dbt build --vars '{extract_dir: "$(abspath $(EXTRACT))"}'

report: venv
	@if $(BIN)/il2reg --help | grep -q ' report '; then $(BIN)/il2reg report; else echo "report: not available yet"; fi

# Python (ruff), SQL (sqlfluff, .sqlfluff: the models, analyses and singular tests rendered by
# the jinja templater; docs/style.md) and YAML (yamllint, .yamllint). sqlfluff and yamllint
# live in their own venv, .venv-lint (requirements-lint.txt): sqlfluff's click is not dbt's.
LINT_VENV := .venv-lint
lint: venv lint-venv
	$(BIN)/ruff check python tests benchmarks
	$(BIN)/ruff format --check python tests benchmarks
	$(LINT_VENV)/bin/sqlfluff lint models analyses tests/dbt --processes 2 --disable-progress-bar
	$(LINT_VENV)/bin/yamllint --strict .

lint-venv: $(LINT_VENV)/.installed

$(LINT_VENV)/.installed: requirements-lint.txt
	test -x $(LINT_VENV)/bin/python || $(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet -r requirements-lint.txt
	touch $@

test: venv lint pytest

pytest: venv browser r spark-venv
	$(BIN)/python -m pytest -ra

# Debian's Chromium for the report's browser test (headless). Installed only when missing;
# non-interactive, as root (CI) or through passwordless sudo.
browser:
	@if [ -x /usr/bin/chromium ]; then echo "browser: /usr/bin/chromium present"; else \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo -n"; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends chromium; \
	fi

# dbt docs for analysts: $(DOCS_DIR)/static_index.html (one self-contained page, opens
# offline) and index.html (`dbt docs serve --target-path $(DOCS_DIR)`). Column types come from
# the published warehouse (il2_registry.paths.resolve_warehouse), read from a copy: the
# published file is never opened for writing. Staging and intermediate are hidden.
DOCS_DIR ?= target/docs
docs: venv
	@published="$$($(BIN)/python -c 'from il2_registry.paths import resolve_warehouse; print(resolve_warehouse())')"; \
	  if [ ! -f "$$published" ]; then echo "docs: no published warehouse at $$published: make build first"; exit 1; fi; \
	  copy="$(abspath $(DOCS_DIR))/.warehouse"; rm -rf "$$copy" && mkdir -p "$$copy/.build" && \
	  cp "$$published" "$$copy/.build/il2_registry.duckdb" && \
	  IL2_WAREHOUSE="$$copy/il2_registry.duckdb" DBT_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/dbt docs generate --static \
	    --target-path "$(abspath $(DOCS_DIR))" --vars '{extract_dir: "$(abspath $(EXTRACT))"}' && \
	  rm -rf "$$copy" && $(BIN)/python -m il2_registry.docs_site "$(abspath $(DOCS_DIR))" && \
	  echo "docs: $(abspath $(DOCS_DIR))/static_index.html"

# R and its survival package (Debian's) for the tests that compare the survival step with R's
# survfit and coxph (tests/test_survival_r.py). Installed only when missing, as `browser`.
r:
	@if command -v Rscript >/dev/null && Rscript -e 'library(survival)' >/dev/null 2>&1; then \
	  echo "r: Rscript with survival present"; else \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo -n"; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends r-base-core r-cran-survival; \
	fi

lock:
	rm -rf /tmp/il2-lock-venv && $(PYTHON) -m venv /tmp/il2-lock-venv
	/tmp/il2-lock-venv/bin/pip install --quiet -r requirements.in
	{ echo '# Full pinned set: pip freeze of a venv built from requirements.in (Python 3.11). Regenerate with `make lock`.'; \
	  /tmp/il2-lock-venv/bin/pip freeze; } > requirements.txt

clean:
	rm -rf target logs warehouse reports test-artifacts

# Harlequin for `il2reg sql --harlequin`, in its own venv: its click pin conflicts with dbt's.
.PHONY: .venv-harlequin
.venv-harlequin: .venv-harlequin/.installed

.venv-harlequin/.installed: requirements-harlequin.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	test -x .venv-harlequin/bin/python || $(PYTHON) -m venv .venv-harlequin
	.venv-harlequin/bin/python -m pip install --quiet --upgrade pip
	.venv-harlequin/bin/python -m pip install --quiet -r requirements-harlequin.txt
	touch $@

# Apache Spark (docs/spark.md): dbt-spark's session method over a local pyspark (Java 17), in its
# own venv (requirements-spark.txt). `make spark` builds the sample extract on Spark: extract
# check, load, dbt build into versioned schemas, survival step, publish (il2_registry.spark_build);
# the warehouse is warehouse/spark (or $IL2_SPARK_WAREHOUSE).
SPARK_VENV := .venv-spark
spark-venv: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: requirements-spark.txt requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	@command -v java >/dev/null || { echo "error: java not found (Spark needs Java 17: apt-get install openjdk-17-jre-headless)"; exit 1; }
	test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/python -m pip install --quiet -r requirements-spark.txt
	$(SPARK_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

spark: spark-venv extract
	$(SPARK_VENV)/bin/python -m il2_registry.spark_build $(abspath $(EXTRACT))
