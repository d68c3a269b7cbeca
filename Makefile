# Each target sets itself up: a virtual environment in .venv with hoso and its test tools installed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit test-tools clean

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

# two workers (pytest-xdist): most tests wait on a bot, a browser or a subprocess
unit: $(BIN)/.installed test-tools
	$(BIN)/pytest -q -n 2

# The console's browser tests drive Debian's chromium (never a browser download), and the poster
# test renders a PDF with pdftoppm (Debian's poppler-utils), and the scale-out tests put Debian's
# haproxy in front of several bots: installed here when missing and this is root with apt-get;
# otherwise those tests skip and say why.
test-tools:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } \
	&& command -v pdftoppm >/dev/null 2>&1 \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	     && echo "installing Debian's chromium and poppler-utils for the console's tests" \
	     && apt-get update -qq \
	     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils \
	        >/dev/null; } \
	|| echo "no chromium or pdftoppm (not root, or apt-get failed): their tests will skip"
	@{ command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; } \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	     && echo "installing Debian's haproxy for the scale-out tests" \
	     && apt-get update -qq \
	     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; } \
	|| echo "no haproxy (not root, or apt-get failed): the scale-out tests will skip"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
