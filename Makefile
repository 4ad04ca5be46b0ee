# The two commands of the README:  `make demo`  and  `make test`.
# Both create .venv and install the project from its own files on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: setup demo test lint typecheck bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup            ## simulate a drill on the built-in seed city, score it, write reports
	$(VENV)/bin/blinddrill demo

test: setup            ## run the whole test suite
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check engine scenarios evaluators experiments live ui tests bench

typecheck: setup
	$(VENV)/bin/mypy

bench: setup           ## every speed goal's ratio, measured in one run (docs/performance.md)
	PYTHONPATH=. $(PY) bench/bench_goals.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
