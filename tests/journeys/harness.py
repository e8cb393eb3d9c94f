"""Driving the real Packline app the way a person does: an X server of its own (Xvfb), the app
started as `python -m app run` with its own PACKLINE_HOME, and only real X input through
`xdotool` — a scanner is a keyboard that types a burst (Shift held for capitals) and ends it
with Return; a person types a key every 80–200 ms. The outcome is read through the CLI or the
database; when a journey fails, the screen is photographed and the app's log shown.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tests.helpers.cli import REPO, packline_env

T = TypeVar("T")
SCANNER_DELAY_MS = 4  # a USB wedge scanner types a key every 2–8 ms
HUMAN_DELAY_MS = (80, 200)
WINDOW_TIMEOUT_S = 60.0
MAIN_WINDOW_MIN_WIDTH = 800  # the main window opens at 1400; the starting window is 480


class JourneyFailed(AssertionError):
    pass


def tools_missing() -> list[str]:
    return [t for t in ("Xvfb", "xdotool", "import") if shutil.which(t) is None]


class Display:
    """An Xvfb server on a free display number. `PACKLINE_JOURNEY_DISPLAYS=80-89` pins the
    range to try (machines shared by several people); otherwise Xvfb picks one itself."""

    def __init__(self, width: int = 1600, height: int = 1000) -> None:
        self.size = f"{width}x{height}x24"
        self.proc: subprocess.Popen[bytes] | None = None
        self.name = ""

    def start(self) -> Display:
        wanted = os.environ.get("PACKLINE_JOURNEY_DISPLAYS", "")
        if wanted:
            low, _, high = wanted.partition("-")
            for n in range(int(low), int(high or low) + 1):
                if Path(f"/tmp/.X{n}-lock").exists() or Path(f"/tmp/.X11-unix/X{n}").exists():
                    continue
                if self._try([f":{n}"], f":{n}"):
                    return self
            raise RuntimeError(f"no free X display in {wanted}")
        read, write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", self.size, "-nolisten", "tcp"],
                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write)
            number = b""
            deadline = time.monotonic() + 20
            while not number.endswith(b"\n"):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("Xvfb did not start")
                chunk = os.read(read, 16)
                if not chunk:
                    raise RuntimeError("Xvfb did not say its display")
                number += chunk
        finally:
            os.close(read)
        self.name = f":{number.decode().strip()}"
        return self

    def _try(self, args: list[str], name: str) -> bool:
        proc = subprocess.Popen(["Xvfb", *args, "-screen", "0", self.size, "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            if subprocess.run(["xdotool", "getmouselocation"], env={**os.environ,
                              "DISPLAY": name}, capture_output=True).returncode == 0:
                self.proc, self.name = proc, name
                return True
            time.sleep(0.05)
        proc.kill()
        proc.wait()
        return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of the app and of the shift lead's command line, which logs in as
    lead01 (the first seed needs nobody)."""
    return packline_env(home, as_user="lead01", drop=("QT_QPA_PLATFORM",),
                        env={"PYTHONPATH": str(REPO), "PACKLINE_MUTE": "1", **extra},
                        warnings_are_errors=False)


def cli(home: Path, *args: str, env: dict[str, str] | None = None,
        check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`packline ARGS` as IT or a shift lead runs it, against this station's home."""
    done = subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, text=True,
                          stdin=subprocess.DEVNULL, capture_output=True, env=env or cli_env(home), timeout=timeout)
    if check and done.returncode != 0:
        raise JourneyFailed(f"packline {' '.join(args)} exited {done.returncode}:\n"
                            f"{done.stderr[-2000:]}")
    return done


class Journey:
    """One run of the app on a display, and the person at its keyboard."""

    def __init__(self, display: Display, home: Path, shots: Path, name: str,
                 env: dict[str, str] | None = None) -> None:
        self.display = display
        self.home = home
        self.shots = shots
        self.name = name
        self.env = env or cli_env(home)
        self.log_path = home / "app-output.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.window = ""
        self.rng = random.Random(name)

    # ---- the app

    def start(self) -> Journey:
        env = {**self.env, "DISPLAY": self.display.name, "QT_QPA_PLATFORM": "xcb"}
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "app", "run"], cwd=REPO, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + WINDOW_TIMEOUT_S
        while not self.window:
            if self.proc.poll() is not None:
                self.fail(f"the app exited with {self.proc.returncode} before its window")
            if time.monotonic() > deadline:
                self.fail("no Packline window within a minute")
            found = self.xdo("search", "--onlyvisible", "--name", "Packline", check=False)
            # The main window, not the small one saying the app is starting.
            main = [w for w in found.stdout.split() if self._width(w) >= MAIN_WINDOW_MIN_WIDTH]
            if found.returncode == 0 and main:
                self.window = main[0]
            else:
                time.sleep(0.1)
        self.focus()
        return self

    def _width(self, window: str) -> int:
        shown = self.xdo("getwindowgeometry", window, check=False).stdout
        size = re.search(r"Geometry: (\d+)x(\d+)", shown)
        return int(size.group(1)) if size else 0

    def focus(self) -> None:
        # No window manager: give the window the input focus directly.
        self.xdo("windowfocus", "--sync", self.window)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc is not None:
            self.log.close()
        self.proc = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    # ---- the person

    def xdo(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["xdotool", *args], text=True, capture_output=True, timeout=60,
                              env={**os.environ, "DISPLAY": self.display.name})
        if check and done.returncode != 0:
            self.fail(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done

    def scan(self, text: str) -> None:
        """A keyboard-wedge scanner: the code in one burst, Shift for capitals, then Return."""
        # One xdotool run, so the Return follows the code at the same pace. (Not "\n" in the
        # text: xdotool types that as Linefeed, which no scanner sends.)
        self.xdo("type", "--delay", str(SCANNER_DELAY_MS), "--args", "1", text,
                 "key", "--delay", str(SCANNER_DELAY_MS), "Return")

    def type_human(self, text: str) -> None:
        """A person typing: 80–200 ms a key."""
        for ch in text:
            self.xdo("type", "--delay", "0", ch)
            time.sleep(self.rng.uniform(*HUMAN_DELAY_MS) / 1000)  # a person's pace, on purpose

    def key(self, *names: str) -> None:
        for name in names:
            self.xdo("key", name)

    def click(self, x: int, y: int) -> None:
        self.xdo("mousemove", "--sync", str(x), str(y), "click", "1")

    # ---- seeing the outcome

    def screenshot(self, label: str) -> Path:
        self.shots.mkdir(parents=True, exist_ok=True)
        # ImageMagick reads "[...]" in a file name (a test's parameters) as an option: it
        # then fails and leaves an empty file named Ctrl+Z in the working folder.
        path = self.shots / re.sub(r"[^\w.-]", "_", f"{self.name}-{label}.png")
        subprocess.run(["import", "-display", self.display.name, "-window", "root", str(path)],
                       capture_output=True, timeout=30)
        return path

    def dialogs(self) -> list[str]:
        """The app's visible windows other than its main window (a question, a message)."""
        assert self.proc is not None
        found = self.xdo("search", "--onlyvisible", "--pid", str(self.proc.pid), check=False)
        return [w for w in found.stdout.split() if w != self.window]

    def answer(self, key: str, what: str) -> None:
        """Wait for the app's question to show, then press `key` in it (y: yes)."""
        (dialog, *_rest) = self.wait_for(what, self.dialogs, timeout=15)
        self.xdo("windowfocus", "--sync", dialog)
        self.key(key)
        self.wait_for(f"{what} to close", lambda: not self.dialogs(), timeout=15)
        self.focus()

    def shows_something(self, x: int, y: int, width: int, height: int) -> bool:
        """What a person sees: the screen's region holds more than its plain background
        (text, a row, a button) — read from a photograph of the display."""
        import io

        from PIL import Image

        done = subprocess.run(["import", "-display", self.display.name, "-window", "root",
                               "-crop", f"{width}x{height}+{x}+{y}", "+repage", "png:-"],
                              capture_output=True, timeout=30)
        if done.returncode != 0 or not done.stdout:
            return False
        with Image.open(io.BytesIO(done.stdout)) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        return len(colours) > 4

    def fail(self, message: str) -> None:
        shot = self.screenshot("failed")
        raise JourneyFailed(f"{message}\nscreenshot: {shot}\n--- app log "
                            f"({self.log_path}) ---\n{self.log_tail()}")

    def wait_for(self, what: str, probe: Callable[[], T | None], timeout: float = 30.0,
                 every: float = 0.2) -> T:
        """Poll until `probe` returns something true; fail with a picture after `timeout`."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while True:
            try:
                last = probe()
            except JourneyFailed as exc:
                last = exc
            else:
                if last:
                    return last  # type: ignore[no-any-return]
            if self.proc is not None and self.proc.poll() is not None:
                self.fail(f"the app exited ({self.proc.returncode}) while waiting for {what}")
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout:.0f} s waiting for {what}; last: {last!r}")
            time.sleep(every)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return cli(self.home, *args, env=self.env, check=check)

    def order(self, ref: str) -> dict[str, Any]:
        return json.loads(self.cli("orders", "show", ref, "--json").stdout)  # type: ignore[no-any-return]
