# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test worker venv

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

## Serve on http://127.0.0.1:8000 with SQLite, in-process tasks, demo accounts and the sample notices.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## The whole test suite (SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set).
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## A Celery worker for REDIS_URL (production-style set-up; see README).
worker: $(STAMP)
	$(VENV)/bin/celery -A rectify_site worker --beat --loglevel=INFO
