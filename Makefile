# Packline: `make run` opens the app on the embedded database with demo data;
# `make test` runs the whole suite headless. Both set up everything they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.packline-installed
PACKAGE_STAMP := $(VENV)/.packline-package-installed

.PHONY: run test test-fast bench fuzz lint translations screenshots system-deps clean \
	package package-debug package-smoke

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

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_foundation.py
	$(BIN)/python tests/perf/bench_engine.py
	$(BIN)/python tests/perf/bench_scanner.py
	$(BIN)/python tests/perf/bench_printing.py
	$(BIN)/python tests/perf/bench_print_queue.py
	$(BIN)/python tests/perf/bench_waves.py
	$(BIN)/python tests/perf/bench_waves_release.py
	$(BIN)/python tests/perf/bench_sync.py
	$(BIN)/python tests/perf/bench_platforms.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_packing.py --orders 30
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_packing.py --orders 30 --central pg
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_first_start.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_dashboard.py

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
