# Two commands do all the set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SECRETS := var/secrets.env
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test install install-test catalogues secrets lint format messages

demo: install catalogues secrets
	SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py migrate --no-input
	SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py collectstatic --no-input -v0
	SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py load_cities --if-empty
	SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py load_demo
	@echo "Tadamun: http://127.0.0.1:8000  (mail is written to var/mail/; Ctrl-C stops everything)"
	@trap 'kill 0' INT TERM EXIT; \
	  SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py db_worker --interval 1 & \
	  SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py scheduler & \
	  SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 $(BIN)/python manage.py runserver --noreload 127.0.0.1:8000; \
	  wait

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
