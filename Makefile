# Fresh machine: `make run` (set up + launch) and `make test` (set up + tests).
# Both create .venv themselves; installs are redone only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint programs clean

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

run: install
	$(BIN)/assistant programs

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check assistant tests app.py

clean:
	rm -rf index .cache
