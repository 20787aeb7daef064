# The entry point for people: `make run` starts the platform, `make test` proves it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every installable package: the library, each service, the gateway and the command line.
PACKAGES := libs/kit $(patsubst %/pyproject.toml,%,$(wildcard services/*/pyproject.toml gateway/pyproject.toml)) cli
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test test-sqlite lint format migrate seed token clean db browser bench chaos load

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): constraints.txt requirements-dev.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt $(foreach p,$(PACKAGES),-e $(p)) -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install every package and the test tools

run: $(STAMP)  ## Start the platform on 127.0.0.1 (SQLite files under var/, migrated and seeded)
	$(BIN)/kip run

test: $(STAMP)  ## Run every test on every core (SQLite; PostgreSQL too when KIP_TEST_POSTGRES_URL is set)
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: $(STAMP)  ## ruff and mypy --strict over the sources, the tests and bench/ (also run by .pre-commit-config.yaml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)  ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP)  ## Migrate every service's database to head (URLs from the environment)
	$(BIN)/kip migrate

db: $(STAMP)  ## Create the PostgreSQL databases named by *_DATABASE_URL if missing, then migrate them
	$(BIN)/kip db-create

seed: $(STAMP)  ## Seed Basel-Landschaft's KIP data into every service's database
	$(BIN)/kip seed

token: $(STAMP)  ## Print a canton-editor token for BL (see `kip token --help` for others)
	@$(BIN)/kip token --role canton-editor --canton BL

clean:  ## Remove the virtual environment and local data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

chaos: $(STAMP)  ## Faults under load, held to timeout + 100 ms, more rounds (on demand; quiet machine)
	KIP_FAULT_SLACK=0.1 KIP_FAULT_ROUNDS=20 $(BIN)/python -m pytest tests/faults -v

load: $(STAMP)  ## 100 clients for 60 s through the gateway, reads and writes; figures in var/load-*.json
	KIP_LOAD_CLIENTS=100 KIP_LOAD_SECONDS=60 $(BIN)/python -m pytest tests/load -q -s

browser:  ## Install Debian's Chromium for the browser tests (idempotent)
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

bench: $(STAMP)  ## National-scale benchmark on PostgreSQL (makes its data if absent); writes bench/results/
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

.PHONY: bench-webhooks
bench-webhooks: $(STAMP)  ## Webhooks from commit to receipt, SQLite and PostgreSQL; writes bench/results/webhooks.md
	$(BIN)/python -m bench.webhooks $(BENCH_ARGS)

.PHONY: bench-memory
bench-memory: $(STAMP)  ## RSS of every process under 10 minutes of mixed load through the gateway (SQLite; on demand)
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	$(BIN)/python -m bench.memory $(BENCH_ARGS)

.PHONY: fuzz
fuzz: $(STAMP)  ## Fuzz every service's and the gateway's OpenAPI document, >= 5,000 requests each
	KIP_FUZZ_EXAMPLES=$${KIP_FUZZ_EXAMPLES:-150} KIP_FUZZ_GATEWAY_EXAMPLES=$${KIP_FUZZ_GATEWAY_EXAMPLES:-30} \
		KIP_FUZZ_MIN_REQUESTS=$${KIP_FUZZ_MIN_REQUESTS:-5000} \
		$(BIN)/python -m pytest tests/fuzz -q -s -p no:logging

SPECTRAL := tools/node_modules/.bin/spectral
.PHONY: spectral-install spectral
$(SPECTRAL): tools/package.json tools/package-lock.json
	cd tools && npm ci
	touch $(SPECTRAL)

spectral-install: $(SPECTRAL)  ## Install Spectral (OpenAPI linter) under tools/ from tools/package-lock.json (Node 20, npm)

spectral: $(STAMP) $(SPECTRAL)  ## Lint every OpenAPI document with .spectral.yaml: no error and no warning
	$(BIN)/python tools/dump_openapi.py var/openapi
	$(SPECTRAL) lint --ruleset .spectral.yaml --fail-severity=warn var/openapi/*.json

.PHONY: promtool
promtool:  ## Install Debian's promtool (package prometheus) for the metrics format test (idempotent)
	@command -v promtool >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus; }
