# twintrack: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/twintrack
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install dev run test lint-imports test-sqlite test-postgres bench bench-import bench-concurrent clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: install
	$(BIN)/twintrack init
	$(BIN)/twintrack demo --if-empty
	$(BIN)/twintrack serve --host $(HOST) --port $(PORT)

# The two passes run side by side (one per core), each printing when it ends: CI stays well
# under its 30 minutes. They share nothing: SQLite in memory or in temporary folders, and the
# PostgreSQL pass its own test database.
test: dev lint-imports
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

# The layers of docs/architecture.md (contracts in pyproject.toml): an upward import fails the build.
lint-imports: dev
	@echo "== import layers"
	$(BIN)/lint-imports

# Two processes as well (a file's tests together): once the PostgreSQL pass ends, the SQLite
# pass takes both cores instead of finishing alone on one.
test-sqlite: dev
	@echo "== test suite on SQLite"
	TWINTRACK_DATABASE_URL= $(BIN)/pytest -n 2 --dist loadfile

# PostgreSQL runs whenever a server answers; in CI (CI=true) a missing server fails the build.
# The throwaway test databases need not wait for the disk at each commit (synchronous_commit
# off loses at most the last commits in a crash, never consistency): the pass runs faster.
# It runs in two processes (pytest-xdist, one test database each, a file's tests together):
# it is the longer pass, and once the SQLite pass has ended it has both cores to itself.
test-postgres: dev
	@if $(BIN)/python -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL"; \
		TWINTRACK_DATABASE_URL=$(PG_URL) PGOPTIONS="-c synchronous_commit=off" $(BIN)/pytest -n 2 --dist loadfile; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable on 127.0.0.1:5432, and CI requires it"; exit 1; \
	else \
		echo "== PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL suite not run (CI requires it)"; \
	fi

# make bench SCALE=city|province: every figure beside its reference; writes benchmarks/RESULTS.md.
bench: dev
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	@command -v wrk >/dev/null && [ -x /usr/bin/time ] || { [ "$$(id -u)" = 0 ] && \
		{ apt-get install -y -q wrk time || { apt-get update -q && apt-get install -y -q wrk time; }; } >/dev/null; } || \
		echo "wrk or GNU time is missing (apt-get install wrk time): the dashboard load test or peak memory will fail"
	$(BIN)/python benchmarks/run.py --scale $(or $(SCALE),city)
	$(BIN)/python benchmarks/import_preview.py
	$(MAKE) bench-concurrent

# Import speed (issue 19) on a database already loaded (e.g. by make bench, which leaves
# twintrack_bench_province): `twintrack import progress` against the raw bulk load of the same
# rows, and a 10^5-row .xlsx against python-calamine reading it. The import writes the file's
# month: run it before that month is in the database. Writes benchmarks/RESULTS-import.md.
#   make bench-import DATA=benchmarks/data/province TWINTRACK_DATABASE_URL=postgresql://...
bench-import: dev
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/import_speed.py --file $(or $(DATA),benchmarks/data/city)/progress-last.csv

# Four district imports at once on SQLite and PostgreSQL: rows/s and failures (issue 20).
bench-concurrent: dev
	$(BIN)/python benchmarks/concurrent_imports.py

clean:
	rm -rf $(VENV) var build *.egg-info
