# make site: set up and build the site and the PDF into site/
# make desk: set up and open the case desk (案例编辑台) in the browser
# make test: set up and run every test (pytest-xdist: one worker per core, each test file whole on one worker,
#            so its module fixtures are built once and its tests keep their order; the files in the order they
#            are collected, not most tests first: the browser files come first, so the shipped site is built
#            while the other worker builds the warm cache, and no worker waits for it)
PY := .venv/bin/python

.PHONY: site test check serve desk bench setup setup-test setup-desk clean

site: setup
	$(PY) build.py

check: setup
	$(PY) build.py check

serve: setup
	$(PY) build.py serve

desk: setup-desk
	$(PY) build.py desk

test: setup-test
	$(PY) -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

bench: setup-test
	.venv/bin/pip install -q --disable-pip-version-check -r requirements-bench.txt
	npm ci --prefix benchmarks/tools --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PY) benchmarks/bench.py --cases 100 1000 5000 --pdf-cases 200
	$(PY) benchmarks/bench_offline.py

setup:
	bash scripts/setup.sh

setup-desk:
	bash scripts/setup.sh --desk

setup-test:
	bash scripts/setup.sh --test

clean:
	rm -rf site .cache
