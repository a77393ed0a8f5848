# The two entry points README promises: `make serve` and `make test`.
PYTHON ?= python3
PIP := $(PYTHON) -m pip --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test install-docs install-test screens drift bench clean

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

test: install-test  ## install everything the tests need (browser included) and run them all
	$(PYTHON) -m pytest

install-docs:
	$(PIP) install -q -e '.[docs]'

install-test:
	bash scripts/install-system-deps
	$(PIP) install -q -e '.[test]'

screens: install-test  ## re-render every screenshot in res/ from the portal model
	$(PYTHON) -m checks.screens capture

drift: install-test  ## check the documented steps against the portal model
	$(PYTHON) -m checks.screens drift

bench: install-test  ## run the benchmarks (figures go to docs/maintainers.md)
	$(PYTHON) bench/run_all.py --write

clean:
	rm -rf site build *.egg-info .pytest_cache test-artifacts
