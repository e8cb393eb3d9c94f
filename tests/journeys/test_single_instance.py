"""Journey: a packer double-clicks the Packline icon again while the app is already open but
out of sight. The second start ends at once (exit 0, a line on stderr), the app that runs is
not disturbed, and its window is back on the screen. After the app was killed (a crash, the
power button), the next start is not refused by the lock it left.

There is no window manager on the test display: `xdotool windowminimize` asks one to
iconify the window and nothing happens, so the window is unmapped the way a window manager
iconifies it (`windowunmap`); coming back means being mapped and viewable again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers.cli import REPO
from tests.journeys import data
from tests.journeys.harness import Journey


def _viewable(j: Journey) -> bool:
    shown = subprocess.run(["xwininfo", "-id", j.window], capture_output=True, text=True,
                           env={**os.environ, "DISPLAY": j.display.name}, timeout=30)
    return "Map State: IsViewable" in shown.stdout


def _visible_windows(j: Journey) -> list[str]:
    return j.xdo("search", "--onlyvisible", "--name", "Packline", check=False).stdout.split()


def _start_again(j: Journey) -> subprocess.CompletedProcess[str]:
    env = {**j.env, "DISPLAY": j.display.name, "QT_QPA_PLATFORM": "xcb"}
    return subprocess.run([sys.executable, "-m", "app", "run"], cwd=REPO, env=env, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=60)


def test_a_second_start_brings_the_running_window_back(
        new_home: Callable[..., Path], journey: Callable[..., Journey]) -> None:
    home = new_home()
    j = journey(home)
    data.wait_ready(j, home)
    first = j.proc
    assert first is not None

    j.xdo("windowminimize", j.window)  # no window manager here to do it …
    j.xdo("windowunmap", "--sync", j.window)  # … so done as one does it
    j.wait_for("the window to be out of sight", lambda: j.window not in _visible_windows(j))
    assert not _viewable(j)

    began = time.monotonic()
    second = _start_again(j)
    took = time.monotonic() - began
    assert second.returncode == 0, second.stderr[-2000:]
    assert "Packline is already running for this station" in second.stderr
    assert f"process {first.pid}" in second.stderr and "brought its window forward" in \
        second.stderr, second.stderr
    j.wait_for("the window back on the screen",
               lambda: j.window in _visible_windows(j) and _viewable(j), timeout=15)
    assert first.poll() is None  # the running app carries on
    log = data.app_log(home)
    assert f"{first.pid} INFO    packline.ui.instance: a second start of Packline on this " \
           "station: window brought forward" in log
    assert log.count("Packline is already running for this station") == 1
    j.screenshot(f"back-after-a-second-start-{took:.1f}s")

    # Killed outright: the lock stays behind, and the next start takes it over.
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(30)
    assert (home / "packline-run.lock").exists()
    again = journey(home)
    assert again.proc is not None and again.proc.pid != first.pid
    assert f"pid {again.proc.pid}) starting" in data.app_log(home)
    assert data.app_log(home).count("Packline is already running for this station") == 1
