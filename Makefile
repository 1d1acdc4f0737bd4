# Two entry points for people and CI alike: `make demo` and `make test`.
# Each sets up .venv from pyproject.toml pinned by constraints.txt (resolved for Python 3.11).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench catalogs clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	scripts/setup
	touch $@

demo: setup
	$(BIN)/stakhanov demo

test: setup
	scripts/test

lint: setup
	scripts/test --lint-only

bench: setup
	$(BIN)/python benchmarks/import_crew.py

# Extract the messages, merge them into every language's catalog, compile (docs/languages.md).
catalogs: setup
	scripts/catalogs

clean:
	rm -rf $(VENV) stakhanov-demo.db* .pytest_cache .mypy_cache .ruff_cache
