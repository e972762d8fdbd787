# 智慧政协 — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PYTHONPATH := src

.PHONY: run test install install-dev frontend migrate demo worker lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed
frontend: node_modules/.installed

migrate: install
	$(BIN)/zhengxie migrate --no-input -v 0

# Starts the background worker (periodic jobs included) and the web server; Ctrl-C stops both.
run: export DEBUG ?= 1
run: export ZHENGXIE_DEMO ?= 1
run: migrate
	$(BIN)/zhengxie seed-demo --if-empty
	@echo "智慧政协: http://$(HOST):$(PORT)/  (演示账号见 README)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/zhengxie run_huey --quiet & worker=$$!; \
	  $(BIN)/zhengxie runserver $(HOST):$(PORT)

worker: install
	$(BIN)/zhengxie run_huey

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var
