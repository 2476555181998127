# Everything happens inside .venv: the system's site-packages are never touched.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install ttxsim with its test tools

run: $(STAMP)  ## run the reference scenario once and print its summary
	$(BIN)/ttxsim run scenarios/concert_hall.yaml

test: $(STAMP)  ## style, types and the whole test suite (what CI runs: .ci/run)
	$(BIN)/ruff check sim tui analysis tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP)  ## style and types only
	$(BIN)/ruff check sim tui analysis tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)  ## speed targets, run by hand; results go in the README
	$(BIN)/python benchmarks/bench_single_run.py

fuzz: $(STAMP)  ## mutated scenarios, decisions, MSELs and journals: 1,000 + 300 of each (tests/fuzz/)
	$(BIN)/python -m tests.fuzz.run --scenarios 1000 --others 300

clean:
	rm -rf $(VENV) build *.egg-info
