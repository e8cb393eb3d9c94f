"""Layering: no import cycle between the modules of app and drivers, and the layer contracts of
pyproject.toml ([tool.importlinter], checked by `lint-imports` in `make lint`) are read, kept
today, and broken by the import each one forbids.

Every import counts, the ones inside a function too: a function-local import that closes a
loop only defers it to the first call, the two modules still need each other (grimp, which
builds the graph for import-linter as well, records them all).
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter import api
from importlinter.contracts.forbidden import ForbiddenContract

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = REPO / "pyproject.toml"
ROOTS = ("app", "drivers")

# For each contract, by name, the imports it forbids (importer, imported), each tried alone.
VIOLATIONS: dict[str, list[tuple[str, str]]] = {name: [pair] for name, pair in {
    "The domain and the drivers import neither Qt nor SQLAlchemy": ("drivers.barcode", "PySide6"),
    "The domain stands alone: no services, screens, station or store":
        ("app.domain.status", "app.store.models"),
    "The services know neither the screens nor the station": ("app.services.orders", "app.ui.labels"),
    "The platforms' API clients touch neither the database, the screens nor the station":
        ("app.platforms.base", "app.store.db"),
    "The station does not use the central models": ("app.station.outbox", "app.store.models"),
    "The screens reach the store only through services": ("app.ui.labels", "app.store.db"),
}.items()}
# The station's print queue runs in the command line and the engine's service, with no screen.
VIOLATIONS["The printers and the station know nothing of the screens"] = [
    ("app.printing.qt_printer", "app.ui.qt"), ("app.station.outbox", "app.ui.labels")]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The import graph of app and drivers as lint-imports builds it (external packages as
    leaves), built from this checkout."""
    sys.path.insert(0, str(REPO))
    try:
        return grimp.build_graph(*ROOTS, include_external_packages=True, cache_dir=None)
    finally:
        sys.path.remove(str(REPO))


def _internal(module: str) -> bool:
    return module.split(".")[0] in ROOTS


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each import that lies on a cycle between modules, as the cycle it closes: [a, b, …, a].
    (A module importing itself, as `python -m app.services.access` does, is no such cycle.)"""
    found = []
    for importer in sorted(m for m in graph.modules if _internal(m)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported != importer and _internal(imported) and graph.chain_exists(
                    importer=imported, imported=importer):
                chain = graph.find_shortest_chain(importer=imported, imported=importer)
                assert chain is not None
                found.append([importer, *chain])
    return found


def test_no_import_cycle_between_modules(graph: grimp.ImportGraph) -> None:
    # The graph holds every module of the packages (migration scripts are no package's).
    expected = {".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
                for root in ROOTS for p in (REPO / root).rglob("*.py")
                if all((REPO / d / "__init__.py").exists()
                       for d in p.relative_to(REPO).parents if d != Path("."))}
    assert "app.domain.status" in expected and "drivers.scale" in expected
    assert expected <= set(graph.modules)
    found = cycles(graph)
    assert found == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_cycle_check_notices_a_cycle(graph: grimp.ImportGraph) -> None:
    # roles is imported by access; access imported back by roles closes a loop.
    looped = copy.deepcopy(graph)
    assert looped.direct_import_exists(importer="app.services.access",
                                       imported="app.domain.roles")
    looped.add_import(importer="app.domain.roles", imported="app.services.access")
    assert ["app.domain.roles", "app.services.access", "app.domain.roles"] in cycles(looped)


# ------------------------------------------------------------------ the layer contracts


def _configuration() -> dict[str, Any]:
    config: dict[str, Any] = api.read_configuration(str(PYPROJECT))
    return config


def _check(contract_options: dict[str, Any], session_options: dict[str, Any],
           graph: grimp.ImportGraph) -> bool:
    assert contract_options["type"] == "forbidden"
    contract = ForbiddenContract(name=contract_options["name"], session_options=session_options,
                                 contract_options=contract_options)
    return bool(contract.check(copy.deepcopy(graph), verbose=False).kept)


def test_the_contracts_are_the_ones_checked_here() -> None:
    config = _configuration()
    assert config["session_options"]["root_packages"] == list(ROOTS)
    assert config["session_options"]["include_external_packages"] in (True, "true", "True")
    names = [c["name"] for c in config["contracts_options"]]
    assert sorted(names) == sorted(VIOLATIONS)


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_a_contract_is_kept_today_and_broken_by_what_it_forbids(
        name: str, graph: grimp.ImportGraph) -> None:
    config = _configuration()
    options = next(c for c in config["contracts_options"] if c["name"] == name)
    session = config["session_options"]
    assert _check(options, session, graph)
    for importer, imported in VIOLATIONS[name]:
        assert not graph.direct_import_exists(importer=importer, imported=imported)
        broken = copy.deepcopy(graph)
        broken.add_import(importer=importer, imported=imported, line_number=1,
                          line_contents=f"import {imported}")
        assert not _check(options, session, broken), f"{name}: {importer} -> {imported} passed"


def test_lint_imports_reads_pyproject_and_keeps_every_contract() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint_imports), "--no-cache", "--no-logo"], cwd=REPO,
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stdout + run.stderr
    contracts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"]
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", run.stdout)
    assert summary is not None, run.stdout
    assert (int(summary[1]), int(summary[2])) == (len(contracts), 0)
