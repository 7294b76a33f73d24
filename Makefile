# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
RESETTLE := $(VENV)/bin/resettle
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev lint typecheck messages bench clean

$(PY):
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(DEV_STAMP): $(PY) pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

run: $(STAMP)
	$(RESETTLE) migrate --no-input
	$(RESETTLE) demo --once
	@echo "Serving Resettle at http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(RESETTLE) serve --bind 127.0.0.1:8000

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy src

test: $(DEV_STAMP) lint typecheck
	RESETTLE_ENV=test $(PY) manage.py check
	RESETTLE_ENV=test $(PY) manage.py makemigrations --check --dry-run
	RESETTLE_ENV=test $(VENV)/bin/pytest

# Benchmarks run on a disposable PostgreSQL database (BENCH_DATABASE_URL), created afresh.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/resettle_bench
bench: $(DEV_STAMP)
	dropdb --if-exists -h 127.0.0.1 -U postgres resettle_bench
	createdb -h 127.0.0.1 -U postgres resettle_bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(RESETTLE) migrate --no-input -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(RESETTLE) bench gap
	DATABASE_URL=$(BENCH_DATABASE_URL) $(RESETTLE) bench allocation
	DATABASE_URL=$(BENCH_DATABASE_URL) $(RESETTLE) bench schedule
	DATABASE_URL=$(BENCH_DATABASE_URL) $(RESETTLE) bench search
	DATABASE_URL=$(BENCH_DATABASE_URL) $(RESETTLE) bench load

# Regenerate the translation catalogues after changing strings (needs GNU gettext).
messages: $(DEV_STAMP)
	cd src/resettle && ../../$(PY) ../../manage.py makemessages -l ar -l fr --no-obsolete --ignore 'tests/*' --ignore 'demo/*'
	cd src/resettle && ../../$(PY) ../../manage.py compilemessages

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
