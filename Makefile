# Two commands do all the set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SECRETS := var/secrets.env
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test install install-test catalogues secrets lint format messages

# The demo's settings: plain http on 127.0.0.1, and DEMO for its mailbox page (never in production).
DEMO_ENV := SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 DEMO=1

# run_demo loads the demo, starts the site, worker and scheduler (their logs in var/log/),
# prints the staff accounts last; one Ctrl-C stops all three.
demo: install catalogues secrets
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v0
	@$(DEMO_ENV) $(BIN)/python manage.py collectstatic --no-input -v0
	@$(DEMO_ENV) $(BIN)/python manage.py load_cities --if-empty
	@$(DEMO_ENV) exec $(BIN)/python manage.py run_demo

test: install-test catalogues secrets
	$(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Adds any generated secret missing from var/secrets.env; keeps those already there.
secrets: $(VENV)/.installed
	$(BIN)/python -m tadamun.core.keys $(SECRETS)

catalogues: $(VENV)/.installed
	$(BIN)/python -m tadamun.core.catalogues

# For developers (needs GNU gettext): refresh the .po files from the code.
messages: install
	$(BIN)/python manage.py makemessages --no-obsolete --no-location -i .venv -i var \
	  $(foreach l,en ar fr de es tr,-l $(l))

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
