"""Journeys: the real app on an X server of its own, driven only by real X key and mouse events.

Every test here is marked `journey` (and `gui`): `make test` runs them, `make test-fast` leaves
them out. They need Xvfb, xdotool and ImageMagick's `import` (packaging/linux/system-deps.sh
installs them); without them the journeys are skipped, or fail with CI=true.

The station's data is prepared the way a shift lead would: `packline demo seed`, `packline
engine run --once`, then waves released and picked through the services, in the station's own
embedded database, before the app starts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.journeys.harness import Display, Journey, cli, cli_env, tools_missing

SEED_ORDERS = "300"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.journey)
            item.add_marker(pytest.mark.gui)
            item.add_marker(pytest.mark.timeout(240))


@pytest.fixture(scope="module")
def display() -> Iterator[Display]:
    missing = tools_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"journeys need {', '.join(missing)} (packaging/linux/system-deps.sh)")
        pytest.skip(f"journeys need {', '.join(missing)}")
    shown = Display().start()
    yield shown
    shown.stop()


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station home whose embedded central database holds the demo data, the engine run once:
    copied for each journey."""
    home = tmp_path_factory.mktemp("journey-template")
    cli(home, "demo", "seed", "--orders", SEED_ORDERS, "--seed", "7")
    cli(home, "engine", "run", "--once")
    from app.store.db import Database

    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.bind.connect() as conn:  # type: ignore[union-attr]
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return home


@pytest.fixture
def new_home(seeded_home: Path, tmp_path: Path) -> Callable[..., Path]:
    """A fresh copy of the seeded station, with its `station.ini`."""

    def make(language: str | None = None, code: str = "ST-HZ-PACK-01",
             warehouse: str = "HZ") -> Path:
        home = tmp_path / "home"
        home.mkdir()
        shutil.copy(seeded_home / "station.db", home / "station.db")
        ini = f"[station]\ncode = {code}\nwarehouse = {warehouse}\n"
        if language:
            ini += f"\n[ui]\nlanguage = {language}\n"
        (home / "station.ini").write_text(ini, encoding="utf-8")
        return home

    return make


@pytest.fixture
def shots_dir(request: pytest.FixtureRequest) -> Path:
    base = os.environ.get("PACKLINE_JOURNEY_SHOTS")
    root = Path(base) if base else Path(str(request.config.rootpath)) / "build" / "journeys"
    return root


@pytest.fixture
def journey(display: Display, shots_dir: Path,
            request: pytest.FixtureRequest) -> Iterator[Callable[..., Journey]]:
    """Start the app for a station home: `journey(home)` → the running Journey."""
    started: list[Journey] = []
    request.node._journeys = started  # for the failure report below

    def start(home: Path, env: dict[str, str] | None = None) -> Journey:
        j = Journey(display, home, shots_dir, request.node.name, env or cli_env(home))
        started.append(j)
        return j.start()

    yield start
    for j in started:
        j.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for j in getattr(item, "_journeys", []):
        if j.proc is None:
            continue
        shot = j.screenshot("at-failure")
        report.sections.append((f"journey {j.name}",
                                f"screenshot: {shot}\napp log {j.log_path}:\n{j.log_tail()}"))
