# The README's commands. Each sets itself up: a virtual environment in .venv with the project installed.
#   make test   run the test suite
#   make book   build the book into book/_build/html (chapters re-run when data/ or toolkit/ change)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
PIP     = $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: help test book clean constraints
help:
	@echo "make test         run the tests (creates $(VENV) and installs the project first)"
	@echo "make book         build the book into book/_build/html/index.html"
	@echo "make clean        remove the built book and caches (keeps data/ and $(VENV))"
	@echo "make constraints  re-pin constraints.txt to the newest versions pyproject.toml allows"

# The project is installed with the exact versions in constraints.txt, so a rebuild gives the same numbers.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -c constraints.txt -e ".[test]"
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# Jupyter Book caches executed chapters by their source, and Sphinx re-reads only changed chapters. When
# anything under data/ or toolkit/ (or a pinned version) changes, the execution cache is dropped and every
# chapter is re-read and re-executed (--all); when nothing changed, nothing is re-executed. The stamp is
# written only after a successful build, so a failed build is fully redone next time. The chapters' kernel reads
# book/_ipython (a quiet log: no start-up warning about local TCP).
book: $(STAMP)
	@mkdir -p book/_build
	@stamp=$$(find data toolkit constraints.txt -type f -not -name '*.pyc' -print0 | LC_ALL=C sort -z \
	          | xargs -0 sha256sum | sha256sum | cut -c1-16); \
	all=""; \
	if [ "$$stamp" != "$$(cat book/_build/.inputs 2>/dev/null)" ]; then \
	  echo "data/ or toolkit/ changed: re-executing every chapter"; \
	  rm -rf book/_build/.jupyter_cache book/_build/.inputs; all="--all"; fi; \
	IPYTHONDIR=$(CURDIR)/book/_ipython $(BIN)/jupyter-book build book $$all --warningiserror --nitpick --keep-going \
	  && echo "$$stamp" > book/_build/.inputs
	@echo "The book is at book/_build/html/index.html"

# Installs the newest allowed versions into a scratch environment and writes their exact versions.
constraints:
	rm -rf .venv-constraints && $(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip --quiet --disable-pip-version-check install -e ".[test]"
	{ sed -n '1,2p' constraints.txt; .venv-constraints/bin/python -m pip freeze --exclude-editable | grep -v '^#'; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-constraints
	@echo "constraints.txt updated; run make test and make book, then commit it"

clean:
	rm -rf book/_build .pytest_cache
