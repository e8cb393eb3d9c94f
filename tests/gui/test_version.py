"""One version, the installed package's (pyproject.toml through importlib.metadata), in every
place it shows: `packline --version` (even before a station exists, even with a broken
station.ini), the log at every start, Help → About, and the station's report to the centre."""

from __future__ import annotations

import importlib.metadata
import signal
import subprocess
from pathlib import Path

from pytestqt.qtbot import QtBot

import app
from app.services import stations
from app.store.db import Database
from app.ui.help import about_box
from app.ui.qt import QWidget
from tests.helpers.cli import packline, packline_process
from tests.helpers.packing import actor, station
from tests.helpers.waiting import eventually

VERSION = importlib.metadata.version("packline")


def test_the_version_is_the_package_s() -> None:
    assert app.__version__ == VERSION


def test_packline_version_needs_no_station(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    done = packline(missing, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"packline {VERSION}\n", "")
    assert not missing.exists()  # nothing made, nothing read

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "station.ini").write_text("[log]\nlevel = LOUD\n[[[\n", encoding="utf-8")
    done = packline(broken, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"packline {VERSION}\n", "")
    assert sorted(p.name for p in broken.iterdir()) == ["station.ini"]


def test_about_names_the_version(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    box = about_box(parent, "ST-01", "embedded")
    assert VERSION in box.windowTitle() and f"Packline {VERSION}" in box.text()
    assert f"Version: {VERSION}" in box.informativeText()


def test_the_station_reports_the_version(gui_db: Database, tmp_path: Path) -> None:
    runtime = station(gui_db, tmp_path / "home")
    try:
        runtime.push_outbox()
    finally:
        runtime.stop()
    (link,) = [x for x in stations.overview(gui_db, actor(gui_db, "lead01"))
               if x.code == runtime.code]
    assert link.app_version == VERSION


def test_the_log_says_the_version_when_the_app_starts(tmp_path: Path) -> None:
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text("[demo]\nseed_on_first_start = false\n",
                                      encoding="utf-8")
    log = home / "logs" / "packline.log"
    proc = packline_process(home, "run", env={"QT_QPA_PLATFORM": "offscreen"},
                            warnings_are_errors=False, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        started = f"INFO    packline.ui: Packline {VERSION} (Python "
        eventually(lambda: log.exists() and started in log.read_text(encoding="utf-8"),
                   what="the app's start in its log", timeout=60, every=0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert f"{proc.pid} INFO    packline.cli: packline run, version {VERSION}: station " \
           f"folder {home.resolve()}" in text
    assert f"pid {proc.pid}) starting" in text
