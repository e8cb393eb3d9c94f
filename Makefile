# Packline: `make run` opens the app on the embedded database with demo data;
# `make test` runs the whole suite headless. Both set up everything they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.packline-installed
PACKAGE_STAMP := $(VENV)/.packline-package-installed

.PHONY: run test test-fast bench fuzz lint translations screenshots system-deps clean \
	package package-debug package-smoke rehearsal rehearsal-short

$(STAMP): pyproject.toml
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# PyInstaller and its hooks (the `package` extra), for the frozen build.
$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,package]'
	@touch $(PACKAGE_STAMP)

system-deps:
	@bash packaging/linux/system-deps.sh

run: system-deps $(STAMP)
	$(BIN)/packline run

test: system-deps $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider --durations=30

test-fast: $(STAMP)  # no GUI, no PostgreSQL, no journeys under Xvfb, no wheel build
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -m "not gui and not pg and not journey and not slow"

# The frozen build (packaging/packline.spec, docs/packaging.md): dist/packline/ and
# dist/packline-<version>-linux-<arch>.tar.gz. PyInstaller keeps its work in build/pyinstaller
# and its cache of processed libraries in the user's cache folder: later builds reuse both.
package: system-deps $(PACKAGE_STAMP)
	$(BIN)/python packaging/build.py

# The debug variant (console, the bootloader's messages) into build/debug/dist/packline.
package-debug: system-deps $(PACKAGE_STAMP)
	$(BIN)/python packaging/build.py --debug

# The frozen build run as on a station: no Python on PATH, a fresh station folder; prints
# the bundle's size and its cold start to the login screen (CI runs it after `make test`).
package-smoke: package
	$(BIN)/python packaging/smoke_frozen.py

lint: $(STAMP)
	$(BIN)/ruff check app drivers tests packaging resources
	$(BIN)/mypy
	$(BIN)/lint-imports

# Every benchmark (tests/perf/bench_table.py lists them), each its own process with its output
# in build/bench/<name>.log, then one table of their figures: goal, median (p99), the limit
# measured in the same run and the fraction of it reached (docs/benchmarks.md); also in
# build/bench/table.md and table.json. It builds the frozen bundle first to time its cold start
# (about a minute with PyInstaller's cache). `make bench ARGS="--only printing
# --quick"` runs some of them with smaller sizes; `ARGS=--list` lists them.
bench: system-deps $(PACKAGE_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_table.py $(ARGS)

# The 11.11 rehearsal (docs/rehearsal.md): the whole floor on one scratch PostgreSQL database
# under load and faults, its figures per minute and its invariants checked at the end.
# `make rehearsal` runs 10 minutes; CI runs `make rehearsal-short` (2 minutes, every fault).
rehearsal: system-deps $(STAMP)
	$(BIN)/python -m tests.rehearsal --minutes 10

rehearsal-short: system-deps $(STAMP)
	$(BIN)/python -m tests.rehearsal --minutes 2

# Property tests with many generated inputs each (tests/property/README.md); prints the count.
fuzz: system-deps $(STAMP)
	$(BIN)/python tests/property/fuzz.py

translations: $(STAMP)
	$(BIN)/pyside6-lupdate app/ui/*.py -ts resources/translations/packline_zh_CN.ts
	$(BIN)/pyside6-lrelease resources/translations/packline_zh_CN.ts \
		-qm resources/translations/packline_zh_CN.qm

# Every screen of every demo role, in zh_CN and en: build/screenshots/<lang>/<role>-<screen>.png
# (make screenshots OUT=DIR to write elsewhere), and the README's pictures in docs/screenshots.
screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots.py --readme $(if $(OUT),--out $(OUT))

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
