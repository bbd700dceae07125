# Two commands for a fresh clone: `make paper` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
LOCKS  := requirements.lock requirements-test.lock
# The stamp carries the checksum of pyproject and both locks, so a new pin (or a new entry point) reinstalls.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml $(LOCKS) | cksum | cut -d' ' -f1)
PAPER  ?= national-strategy

.PHONY: paper papers install test test-fast lint check lock clean

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

# Exactly the locked versions, each checked against its hash; then nsp itself, which has no hash (it is this
# folder), without letting pip choose any dependency of its own. The test lock holds the runtime one and more.
$(STAMP): pyproject.toml $(LOCKS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements-test.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Refreshes the locks from pyproject.toml after its dependencies changed: pins that still fit are kept
# (`make lock LOCK_ARGS=--upgrade` moves every one to its newest release). One resolution for Linux, macOS
# and Windows, Python 3.11 and newer, with the hash of every file PyPI has for each pin. The runtime lock
# is constrained by the test lock, so the two never pin a package differently.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" -q $(LOCK_ARGS)
lock: $(VENV)/bin/uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) -o requirements-test.lock
	$(VENV)/bin/uv pip compile pyproject.toml -c requirements-test.lock $(LOCK_FLAGS) -o requirements.lock

# Usually the locked uv, installed with the rest; a lock that no longer installs must still be refreshable.
$(VENV)/bin/uv:
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv

clean:
	rm -rf build/*.pdf build/*.docx build/.cache build/.staging
