# newswatch — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ENV := . scripts/env.sh &&
STAMP := $(VENV)/.installed

.PHONY: help install airflow-init passwords db run demo demo-ui test lint check-wheel lock clean bench-load bench-poll bench-tag bench-extract bench-dedup bench-events bench-alerts bench train-tagger cluster cluster-stop cluster-status

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned requirements and the newswatch package

# Airflow's home: $AIRFLOW_HOME when the environment sets one (scripts/env.sh keeps it), else var/airflow.
AIRFLOW_DIR := $(abspath $(or $(AIRFLOW_HOME),var/airflow))

airflow-init: install  ## migrate Airflow's metadata database in $AIRFLOW_HOME (default var/airflow)
	$(ENV) airflow db migrate > "$$AIRFLOW_HOME/db-migrate.log" 2>&1 || (tail -20 "$$AIRFLOW_HOME/db-migrate.log"; exit 1)
	$(ENV) airflow pools set newswatch_http 4 "HTTP polling and fetching across all newswatch tasks" > /dev/null

db: install  ## create or migrate the warehouse
	$(ENV) newswatch db upgrade

PASSWORDS := $(AIRFLOW_DIR)/simple_auth_manager_passwords.json.generated

$(PASSWORDS): | airflow-init
	@test -s $(PASSWORDS) || $(BIN)/python -c "import json, secrets; \
	  json.dump({'admin': secrets.token_urlsafe(12)}, open('$(PASSWORDS)', 'w'))"

passwords: $(PASSWORDS)  # (the admin password file, generated once)

password_in = $$($(BIN)/python -c "import json; print(json.load(open('$(1)'))['admin'])")
ADMIN_PASSWORD = $(call password_in,$(PASSWORDS))

run: airflow-init db $(PASSWORDS)  ## set everything up and start Airflow (UI on http://localhost:8080)
	@echo "Starting Airflow: UI on http://localhost:8080 (News Monitor: /plugin/news-monitor) —" \
	  "log in as admin with password $(ADMIN_PASSWORD) (kept in $(PASSWORDS)). Ctrl-C stops it."
	$(ENV) airflow standalone

# The demo's own Airflow home (metadata database, logs, admin password), whatever $AIRFLOW_HOME says: make demo
# and make demo-ui never touch make run's. scripts/demo.py refuses to run in another one.
DEMO_AIRFLOW_HOME := $(CURDIR)/var/demo/airflow
DEMO_PASSWORDS := $(DEMO_AIRFLOW_HOME)/simple_auth_manager_passwords.json.generated
DEMO_ENV := export AIRFLOW_HOME=$(DEMO_AIRFLOW_HOME) && $(ENV)
# The day to open: the digest the demo sends is named by its send day, 28 Feb; the stories in it are of 27 Feb.
DEMO_DAY := 2026-02-28

demo-ui: install  ## the Airflow UI and News Monitor on the demo's warehouse and Airflow home (after make demo)
	@test -s var/demo/warehouse.db || (echo "run 'make demo' first"; exit 1)
	@$(MAKE) --no-print-directory AIRFLOW_HOME=$(DEMO_AIRFLOW_HOME) airflow-init passwords
	@echo "News Monitor of the demo: http://localhost:8080/plugin/news-monitor/newswatch/monitor?day=$(DEMO_DAY)" \
	  "(the digest the demo sent, named by its send day; ← goes to the day of its stories) —" \
	  "log in as admin with password $(call password_in,$(DEMO_PASSWORDS)) (kept in $(DEMO_PASSWORDS)). Ctrl-C stops it."
	$(DEMO_ENV) NEWSWATCH_WAREHOUSE_URL=sqlite:///$(CURDIR)/var/demo/warehouse.db airflow api-server --port 8080

demo: install  ## offline demo in its own Airflow home (var/demo/airflow): fixture feeds on 127.0.0.1, real DAG runs, a summary
	@$(MAKE) --no-print-directory AIRFLOW_HOME=$(DEMO_AIRFLOW_HOME) airflow-init
	$(DEMO_ENV) $(BIN)/python -m scripts.demo

test: install  ## the whole test suite
	$(ENV) $(BIN)/pytest

bench-load: install  ## warehouse load benchmark: ours vs naive ORM, SQLite and PostgreSQL → var/bench/load.json
	$(ENV) $(BIN)/python -m benchmarks.bench_load

bench-poll: install  ## polling benchmark: 500 feeds × 50 items served locally → var/bench/poll.json
	$(ENV) $(BIN)/python -m benchmarks.bench_poll

bench-tag: install  ## tagger vs boolean-query baseline: own test split + event-grouped CV on ../shared/realnews-dev → var/bench/tag.json
	$(ENV) $(BIN)/python -m benchmarks.bench_tag

bench-extract: install  ## extraction F1 on ../shared/article-extraction-benchmark: ours, trafilatura, readability
	$(ENV) $(BIN)/python -m benchmarks.bench_extract

bench-dedup: install  ## story clustering: pairwise precision/recall and time per 10k → var/bench/dedup.json
	$(ENV) $(BIN)/python -m benchmarks.bench_dedup

bench-events: install  ## event grouping vs copy clusters: ../shared/realnews-dev pairs, a generated set, ms per report → var/bench/events.json
	$(ENV) $(BIN)/python -m benchmarks.bench_events

bench-alerts: install  ## alerts path: ms per mail before (#16) and now, plain SMTP and STARTTLS → var/bench/alerts.json
	$(ENV) $(BIN)/python -m benchmarks.bench_alerts

bench: install  ## end to end on a generated corpus: in-process, LocalExecutor+SQLite, Celery+PostgreSQL → var/bench/e2e.json
	$(ENV) $(BIN)/python -m benchmarks.bench_e2e $(BENCH_ARGS)

train-tagger: install  ## refit the tagger on the shipped data + analysts' labels (writes the model only if not worse)
	$(ENV) newswatch train-tagger $(TRAIN_ARGS)

lint: install  ## ruff and mypy
	$(BIN)/ruff check include dags plugins tests benchmarks scripts
	$(BIN)/mypy

check-wheel: install  ## build the wheel, install it into a fresh venv from its own metadata, run it and parse the DAGs
	scripts/check-wheel.sh

lock:  ## re-resolve requirements.txt from requirements.in into a fresh venv
	rm -rf var/lockvenv && $(PYTHON) -m venv var/lockvenv
	var/lockvenv/bin/pip install --quiet --upgrade pip
	var/lockvenv/bin/pip install --quiet -r requirements.in
	(echo "# Full lock of requirements.in, produced by 'make lock' (Python 3.11, Linux)."; \
	 var/lockvenv/bin/pip freeze --exclude-editable | sort -f) > requirements.txt

clean:  ## remove run-time state (var/) but keep the venv
	rm -rf var

cluster: install  ## production profile on this machine: PostgreSQL metadata, Celery on Redis, 2 workers (UI :8081)
	scripts/cluster.sh start

cluster-stop:  ## stop exactly the processes `make cluster` started (by their recorded pids)
	scripts/cluster.sh stop

cluster-status:  ## each process of `make cluster`: up or down
	@scripts/cluster.sh status || true
