# One command each: `make run` starts the bot, `make test` checks everything.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint chat clean train

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Fits the models into the content's .cache/ when it has changed, so that a start only reads them.
train: $(STAMP)
	$(BIN)/python -m bot train

run: train
	$(BIN)/python -m bot run

chat: train
	$(BIN)/python -m bot chat

check: $(STAMP)
	$(BIN)/python -m bot check

lint: $(STAMP)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/lint-imports

test: $(STAMP)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m bot check
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
