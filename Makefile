# Torelik: `make run` serves the embedded default, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORELIK := $(BIN)/torelik
export DJANGO_SETTINGS_MODULE ?= config.settings.local
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install setup test lint typecheck contracts migrations-check pytest bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Migrate and load the demo network once; `seed_demo` is a no-op when the data is there.
setup: $(STAMP)
	@mkdir -p var
	$(TORELIK) migrate --no-input -v 0
	$(TORELIK) seed_demo

run: setup
	$(TORELIK) runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(TORELIK) makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck contracts migrations-check pytest

bench: setup
	$(BIN)/python -m bench

# Regenerate the kk/ru/en catalogs after changing user-facing strings, then translate and compile.
messages: $(STAMP)
	$(TORELIK) makemessages -l kk -l ru -l en --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'var/*' --ignore '*/tests/*' --ignore 'bench/*' --ignore 'tools/*'
	$(TORELIK) compilemessages -v 0 --ignore '.venv' --ignore 'var'

clean:
	rm -rf var .mypy_cache .ruff_cache .pytest_cache
