# Two commands for a new user: `make run` and `make test`. Thin targets, no logic.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# The newcomer's commands run the development configuration (public secret, demo data allowed);
# without APP_ENV the application is production and refuses to start without its secrets.
FLASK := APP_ENV=development $(BIN)/flask --app wsgi

.PHONY: run test lint types-baseline fmt migrate system-deps install translations messages fonts

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues (.mo) are built, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d app/translations

# After changing interface strings: extract them and merge into the English catalogue.
messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k N_ -k Np_:1,2 --no-location --sort-output -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

# Pango (WeasyPrint), the Chinese fonts and poppler from Debian where we can install packages; say
# what is missing otherwise.
system-deps:
	@bash scripts/system-deps.sh

# The document fonts cut down to GB 2312, once (~30 s; skipped while the system fonts are unchanged).
fonts: install system-deps
	$(FLASK) documents fonts

migrate: install
	$(FLASK) db upgrade

run: install system-deps fonts migrate
	$(FLASK) demo load
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy | $(BIN)/mypy-baseline filter --hide-stats --no-colors

# After fixing a type error of app/ (make lint then says it is fixed): record the errors left.
types-baseline: install
	$(BIN)/mypy | $(BIN)/mypy-baseline sync

# One test process per core (pytest-xdist); each file's tests stay in one process (a browser test file
# shares one server). PYTEST_WORKERS=0 runs them all in this process.
PYTEST_WORKERS ?= auto
test: install system-deps fonts lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
