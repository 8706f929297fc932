# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make run    start the site at http://127.0.0.1:5000 with the demo content (SQLite)
#   make test   run the whole test suite (TEST_DATABASE_URL=postgresql://... for PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app dialog
MO := dialog/translations/en/LC_MESSAGES/messages.mo
PO := dialog/translations/en/LC_MESSAGES/messages.po

.PHONY: run test bench lint format messages

run: $(VENV)/.installed $(MO)
	$(FLASK) db upgrade
	$(FLASK) seed --demo-content
	@# The mail worker runs beside the site; in development it writes each mail to this terminal.
	@# The report worker drafts the results reports requested under /staff/berichte.
	$(FLASK) send-mail --loop --interval 2 & mail=$$!; \
	  $(FLASK) run-reports --loop --interval 5 & reports=$$!; \
	  trap 'kill $$mail $$reports 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-dev $(MO)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing UI strings: extract them and merge into the English catalogue.
messages: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project=dialog --copyright-holder="dialog contributors" -o dialog/translations/messages.pot .
	$(BIN)/pybabel update -i dialog/translations/messages.pot -d dialog/translations --no-fuzzy-matching

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
	  "dialog needs Python 3.11 or newer, found " + sys.version.split()[0] + ": run make PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

$(MO): $(PO) | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d dialog/translations --statistics

bench: $(VENV)/.installed-dev $(MO)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)
