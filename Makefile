# Each target sets itself up: a virtual environment in .venv with hoso and its test tools installed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit chromium clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[postgres,test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/hoso demo

test: lint typecheck unit

lint: $(BIN)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

unit: $(BIN)/.installed chromium
	$(BIN)/pytest -q

# The console's browser tests drive Debian's chromium (never a browser download): installed here
# when missing and this is root with apt-get; otherwise those tests skip and say why.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	     && echo "installing Debian's chromium for the console's browser tests" \
	     && apt-get update -qq \
	     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	|| echo "no chromium (not root, or apt-get failed): the console's browser tests will skip"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
