# Torelik: `make run` serves the embedded default, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev
TORELIK := $(BIN)/torelik
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: run install setup test lint typecheck contracts plain-sql migrations-check pytest bench messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What `make run` needs: the package and its runtime dependencies.
$(STAMP_RUN): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $(STAMP_RUN)

# What `make test` and `make bench` need on top: the `dev` extra.
$(STAMP): pyproject.toml $(STAMP_RUN)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Migrate and load the demo network once; `seed_demo` is a no-op when the data is there.
setup: $(STAMP_RUN)
	@mkdir -p var
	$(TORELIK) migrate --no-input -v 0
	$(TORELIK) seed_demo

# The web server, one worker, the transparency log's sequencer and checkpoints (`torelik log run`) and
# the local timestamp authority (`torelik tsa`, demo CA) together (Procfile, honcho): Ctrl-C stops them all.
# TORELIK_DEMO_PARTNERS=1 also starts the partner agencies' simulator and connects every partner to it.
TSA_PORT ?= 8318
run: setup
	TORELIK_HOST=$(HOST) TORELIK_PORT=$(PORT) TORELIK_TSA_PORT=$(TSA_PORT) \
	TORELIK_TSA_URL=$${TORELIK_TSA_URL:-http://127.0.0.1:$(TSA_PORT)/} \
	TORELIK_EXCHANGE_URL=$${TORELIK_EXCHANGE_URL:-$${TORELIK_DEMO_PARTNERS:+http://127.0.0.1:$${TORELIK_PARTNERS_PORT:-8420}}} \
	$(BIN)/honcho --no-colour start

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

# Plain SQL only in core/rows.py and a context's queries.py, Django's private ORM state only in core/rows.py (ADR 0032).
plain-sql: $(STAMP)
	$(BIN)/python tools/check_plain_sql.py

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(TORELIK) makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck contracts plain-sql migrations-check pytest

bench: $(STAMP) setup
	$(BIN)/python -m bench

# Regenerate the kk/ru/en catalogs after changing user-facing strings, then translate and compile.
messages: $(STAMP)
	$(TORELIK) makemessages -l kk -l ru -l en --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'var/*' --ignore '*/tests/*' --ignore 'bench/*' --ignore 'tools/*'
	$(TORELIK) compilemessages -v 0 --ignore '.venv' --ignore 'var'

clean:
	rm -rf var .mypy_cache .ruff_cache .pytest_cache
