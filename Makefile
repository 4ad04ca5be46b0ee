# The README's commands:  `make console` (main job),  `make demo`  and  `make test`.
# Both create .venv and install the project from its own files on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: setup demo console browser-deps test lint typecheck bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup            ## simulate a drill on the built-in seed city, score it, write reports
	$(VENV)/bin/blinddrill demo

console: setup         ## open the umpire console on a ready demo drill (sealed, not started)
	$(VENV)/bin/blinddrill console --demo --db demo-console/drill.db

# Debian packages for the browser tests and screenshots: chromium (driven by Playwright with
# executable_path; never `playwright install`) and a CJK font. Idempotent; needs root or sudo.
APT_PKGS = chromium fonts-noto-cjk
browser-deps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  echo "browser-deps: chromium and the CJK font are installed"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $(APT_PKGS); \
	fi

test: setup browser-deps  ## run the whole test suite (installs chromium + CJK font for the browser tests)
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check engine scenarios evaluators experiments live ui tests bench

typecheck: setup
	$(VENV)/bin/mypy

bench: setup           ## every speed goal's ratio, measured in one run (docs/performance.md)
	PYTHONPATH=. $(PY) bench/bench_goals.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
