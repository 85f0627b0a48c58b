# make site: set up and build the site and the PDF into site/
# make test: set up and run every test
PY := .venv/bin/python

.PHONY: site test check serve bench setup setup-test clean

site: setup
	$(PY) build.py

check: setup
	$(PY) build.py check

serve: setup
	$(PY) build.py serve

test: setup-test
	$(PY) -m pytest -q

bench: setup-test
	.venv/bin/pip install -q --disable-pip-version-check -r requirements-bench.txt
	npm ci --prefix benchmarks/tools --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PY) benchmarks/bench.py --cases 100 1000 5000 --pdf-cases 200
	$(PY) benchmarks/bench_offline.py

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

clean:
	rm -rf site .cache
