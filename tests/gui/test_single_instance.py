"""One app per station: the lock in the station's data folder is held by the running app; a
second start (a real process) finds it held, asks the running app to bring its window forward
and is answered; a lock left by a killed process is taken over. `packline run` itself is
started twice in tests/journeys/test_single_instance.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import load_config
from app.ui.qt import QMainWindow, Qt
from app.ui.single_instance import LOCK_NAME, StationLock, bring_forward, data_folder, server_name
from tests.helpers.cli import REPO
from tests.helpers.waiting import eventually

SECOND_START = textwrap.dedent("""
    import sys
    from pathlib import Path
    from app.ui.single_instance import StationLock

    lock = StationLock(Path(sys.argv[1]))
    held = lock.acquire()
    print(held, lock.holder(), lock.knock(lock.holder()) if not held else "-", flush=True)
    if held and sys.argv[2] == "stay":
        sys.stdin.readline()  # held until the test kills this process
""")


def _python(folder: Path, mode: str, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", SECOND_START, str(folder), mode], cwd=REPO,
                            env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **popen)  # type: ignore[call-overload]


@pytest.fixture
def lock(tmp_path: Path) -> Iterator[StationLock]:
    held = StationLock(tmp_path / "station")
    (tmp_path / "station").mkdir()
    yield held
    held.release()


def test_the_lock_is_in_the_folder_of_the_station_store(tmp_path: Path) -> None:
    cfg = load_config(tmp_path / "station")
    assert data_folder(cfg) == cfg.paths.station_db.parent
    # Both copies name the same socket for the same folder, another for another.
    assert server_name(tmp_path / "station") == server_name(tmp_path / "x" / ".." / "station")
    assert server_name(tmp_path / "station") != server_name(tmp_path / "other")


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_second_start_brings_the_minimized_window_forward(
        qtbot: QtBot, lock: StationLock) -> None:
    assert lock.acquire()
    assert (lock.folder / LOCK_NAME).exists()
    if os.name == "posix":
        assert (lock.folder / LOCK_NAME).stat().st_mode & 0o777 == 0o600
    window = QMainWindow()
    window.setWindowTitle("Packline")
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isMinimized())
    assert lock.serve(window)

    second = _python(lock.folder, "knock")
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)  # this loop answers it
    out, err = second.communicate()
    assert second.returncode == 0, err
    assert out.split() == ["False", str(os.getpid()), "True"]  # held, by us, and we answered
    assert lock.raised == 1
    assert not window.isMinimized() and window.isVisible()
    assert not window.windowState() & Qt.WindowState.WindowMinimized


def test_no_answer_when_the_window_is_not_up_yet(lock: StationLock) -> None:
    assert lock.acquire()  # held, but nothing listens yet (the app is still starting)
    second = _python(lock.folder, "knock")
    out, err = second.communicate(timeout=30)
    assert out.split() == ["False", str(os.getpid()), "False"], err


def test_a_lock_left_by_a_killed_app_is_taken_over(tmp_path: Path) -> None:
    folder = tmp_path / "station"
    folder.mkdir()
    first = _python(folder, "stay", stdin=subprocess.PIPE)
    try:
        assert first.stdout is not None
        line = first.stdout.readline().split()
        assert line[0] == "True" and line[1] == str(first.pid)
        taken = StationLock(folder)
        assert not taken.acquire() and taken.holder() == first.pid
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate()
    assert (folder / LOCK_NAME).exists()  # left behind: nobody unlocked it
    again = StationLock(folder)
    try:
        eventually(again.acquire, what="the stale lock to be taken over", timeout=10)
        assert again.holder() == os.getpid()
    finally:
        again.release()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_bring_forward_shows_a_hidden_window(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    window.hide()
    bring_forward(window)
    assert window.isVisible()


@pytest.mark.parametrize(("language", "words"), [
    ("zh_CN", ("Packline 已在本工作站运行", "另一个账户", "仍在启动中", "重新启动 Packline")),
    ("en", ("Packline is already running on this station", "another account",
            "still starting", "start Packline again")),
])
def test_a_second_start_nobody_answers_tells_the_person_in_a_message_box(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str,
        words: tuple[str, ...]) -> None:
    """The app runs under another Windows account (its socket out of reach) or is still
    starting: packline.exe has no console, so the person reads why nothing opened."""
    from app.ui import app as app_module
    from app.ui.qt import QApplication, QCoreApplication, QMessageBox, QTimer

    # This checkout's translations (the installed package's may be older).
    monkeypatch.setattr(app_module, "resources_dir", lambda: REPO / "resources")
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text(f"[ui]\nlanguage = {language}\n", encoding="utf-8")
    cfg = load_config(home)
    assert cfg.settings.ui.language == language
    first = _python(data_folder(cfg), "stay", stdin=subprocess.PIPE)  # holds it, never answers
    seen: list[str] = []
    installed: list[object] = []
    real_install = app_module.install_translator
    monkeypatch.setattr(app_module, "install_translator",
                        lambda app, lang: installed.append(real_install(app, lang))
                        or installed[-1])

    def close_the_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, close_the_box)  # not shown yet
            return
        seen.append(box.text() + "\n" + box.informativeText())
        seen.append(" ".join(b.text().replace("&", "") for b in box.buttons()))
        box.accept()

    try:
        assert first.stdout is not None
        assert first.stdout.readline().split()[0] == "True"
        QTimer.singleShot(50, close_the_box)
        held = app_module.one_app_per_station(cfg)
        assert held is None  # this start ends (the caller exits 0)
    finally:
        first.kill()
        first.communicate()
        for translator in installed:
            if translator is not None:
                QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]
    text, buttons = seen
    for word in words:
        assert word in text, (word, text)
    assert buttons == ("确定" if language == "zh_CN" else "OK"), buttons
