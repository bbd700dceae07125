# Two commands for a fresh clone: `make paper` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PAPER  ?= national-strategy

.PHONY: paper papers install test test-fast lint check clean

paper: $(STAMP)
	$(VENV)/bin/nsp build --paper $(PAPER)

# Every paper in papers/, as nsp lists them (the YAML files there but the data all papers share).
papers: $(STAMP)
	for n in $$($(PY) -c 'from pathlib import Path; from nsp.load.project import list_papers; print(*list_papers(Path()))'); \
	  do $(VENV)/bin/nsp build --paper $$n || exit 1; done

# nsp installed in .venv, nothing built: the workflows' first step (.github/workflows/).
install: $(STAMP)

check: $(STAMP)
	$(VENV)/bin/nsp check

# lint, then the whole suite: CI (.ci/run) runs this, so ruff and mypy --strict are enforced.
# One worker per core (pytest-xdist): every test works in its own folder.
test: lint
	$(PY) -m pytest -q -n auto

# The pure logic only (tests/unit/): no pandoc, no typst, a few seconds.
test-fast: $(STAMP)
	$(PY) -m pytest -q tests/unit

# ruff and mypy read their settings (rules, files) from pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy

# The stamp carries pyproject's checksum, so changing dependencies reinstalls.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf build/*.pdf build/*.docx build/.cache build/.staging
