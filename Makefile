# Two entry points for a fresh machine: `make chat` (the terminal agent on the bundled
# sample data) and `make test` (the whole test suite, browser tests included).
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed

.PHONY: install chat test lint typecheck check browser-deps pg-deps bench clean

$(STAMP): pyproject.toml
	@echo "setting up $(VENV) and installing chengguo (first time: a minute or two; log in $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@# The build backend's chatter goes to the log; on failure the log is shown.
	@{ $(BIN)/python -m pip install -q --upgrade pip && $(BIN)/python -m pip install -q -e '.[dev]'; } \
	  > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; echo "install failed (log: $(VENV)/install.log)"; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

chat: install
	$(BIN)/chengguo chat

# Browser tests drive Debian's chromium (a CJK font so Chinese renders in screenshots);
# install them when missing (needs root, as here and in CI).
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto sans cjk" || { \
	  echo "installing Debian chromium and fonts-noto-cjk for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

# The PostgreSQL backend tests start a throwaway server from Debian's binaries when
# CHENGGUO_TEST_DATABASE_URL is not set (as .ci/run sets it); install them when missing.
pg-deps:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || { \
	  echo "installing Debian postgresql for the PostgreSQL backend tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

test: install browser-deps pg-deps
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy agent tools knowledge evals web cli.py

check: lint typecheck test

bench: install
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/tools.py
	$(BIN)/python bench/agent.py

clean:
	rm -rf $(VENV) build *.egg-info
