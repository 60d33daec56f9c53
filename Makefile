# Fresh machine: `make run` (set up + launch the web UI) and `make test` (set up + all tests).
# Both create .venv themselves; installs are redone only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install run test lint index eval browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch is installed first and by exact version: pip takes the local CPU build;
# anything looser would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The browser test drives Debian's Chromium (Playwright's own browser download is
# not reachable here); CJK fonts so Japanese renders in screenshots.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		echo "installing chromium and CJK fonts (apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Builds the model and index when missing or stale, then serves http://$(HOST):$(PORT)/
run: install
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

test: install browser-deps
	$(BIN)/python -m pytest

index: install
	$(BIN)/assistant index build

eval: install
	$(BIN)/assistant eval --split test

lint: install
	$(BIN)/ruff check assistant tests app.py

clean:
	rm -rf index .cache
