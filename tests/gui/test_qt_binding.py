"""The Qt binding as the app imports it survives a long shift of widget calls: a binding
that drops a reference to None on every void call must not abort the station."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

LONG_SHIFT = textwrap.dedent("""
    import os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.ui.qt import QApplication, QPushButton
    app = QApplication([])
    button = QPushButton("x")
    for _ in range(300_000):  # far more than None's own reference count at start-up
        button.setEnabled(True)
    print("still running")
""")


def test_hundreds_of_thousands_of_void_calls_do_not_abort() -> None:
    run = subprocess.run([sys.executable, "-c", LONG_SHIFT], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "still running" in run.stdout
