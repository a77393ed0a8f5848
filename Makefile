# The two entry points README promises: `make serve` and `make test`.
# The fast loop while coding: `make check` (no install, no browser). `make docs` regenerates the
# parts of docs/ written from the code (help texts, exit codes).
PYTHON ?= python3
PIP := $(PYTHON) -m pip --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check lint docs install-docs install-test screens drift bench clean

serve: install-docs  ## set up and serve the guide on http://127.0.0.1:8000
	$(PYTHON) -m mkdocs serve -a 127.0.0.1:8000

ENGINE ?= mkdocs

build: install-docs  ## build the site into ./site (ENGINE=zensical to use Zensical), failing on broken links
ifeq ($(ENGINE),zensical)
	$(PIP) install -q 'zensical==0.0.73'
	$(PYTHON) -m zensical build --clean
else
	$(PYTHON) -m mkdocs build --strict
endif

test: install-test  ## install everything the tests need (browser included) and run them all, one worker per core
	$(PYTHON) -m pytest -n auto

check:  ## the fast loop: every test that needs no browser and is not slow (lint, types, generated docs included), nothing installed
	$(PYTHON) -m pytest -q -p no:cacheprovider -n 4 -m "not browser and not slow"  # mostly waiting on subprocesses: 4 workers beat 2 even on 2 cores

lint:  ## ruff and mypy alone (the same rules the tests enforce)
	$(PYTHON) -m ruff check checks tests bench
	$(PYTHON) -m mypy

DOCS_FROM_CODE := docs/cli.md docs/errors.md docs/verify.md docs/maintainers.md

docs:  ## regenerate the [[[cog ]]] blocks in docs/ (--help texts, exit-code tables, samples) and docs/verify.schema.json from the code
	$(PYTHON) -m cogapp -r $(DOCS_FROM_CODE)
	$(PYTHON) -c 'from tests.support.docs_from_code import write_schema; write_schema()'

install-docs:
	$(PIP) install -q -e '.[docs]'

# Installing takes minutes even when nothing changed, so `make test` installs only when the
# interpreter is new to this checkout or pyproject.toml / the system-deps script changed since.
# A fresh clone has no stamp: everything is installed.
STAMP := .make/installed-$(shell $(PYTHON) -c 'import hashlib, sys; print(hashlib.sha1(sys.prefix.encode()).hexdigest()[:10])')

install-test: $(STAMP)

$(STAMP): pyproject.toml scripts/install-system-deps
	bash scripts/install-system-deps
	$(PIP) install -q -e '.[test]'
	@mkdir -p $(@D) && touch $@

screens: install-test  ## re-render every screenshot in res/ from the portal model
	$(PYTHON) -m checks.screens capture

drift: install-test  ## check the documented steps against the portal model
	$(PYTHON) -m checks.screens drift

bench: install-test  ## run the benchmarks (figures go to docs/maintainers.md)
	$(PYTHON) bench/run_all.py --write

clean:
	rm -rf site build *.egg-info .pytest_cache test-artifacts .make .mypy_cache .ruff_cache
