# The README's commands. Each sets itself up: a virtual environment in .venv with the project installed.
#   make test   run the test suite
#   make book   build the book into book/_build/html (chapters re-run when data/ or toolkit/ change)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: help test book clean
help:
	@echo "make test   run the tests (creates $(VENV) and installs the project first)"
	@echo "make book   build the book into book/_build/html/index.html"
	@echo "make clean  remove the built book and caches (keeps data/ and $(VENV))"

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# Jupyter Book caches executed chapters by their source only; a new report in data/ must re-run them,
# so the cache is dropped whenever the data or the toolkit change.
book: $(STAMP)
	@mkdir -p book/_build
	@stamp=$$(find data toolkit -type f -not -name '*.pyc' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16); \
	if [ "$$stamp" != "$$(cat book/_build/.inputs 2>/dev/null)" ]; then \
	  rm -rf book/_build/.jupyter_cache; echo "$$stamp" > book/_build/.inputs; fi
	$(BIN)/jupyter-book build book --warningiserror --nitpick --keep-going
	@echo "The book is at book/_build/html/index.html"

clean:
	rm -rf book/_build .pytest_cache
