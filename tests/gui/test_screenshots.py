"""`make screenshots` for one role in one language: the real window's screens saved as PNGs
that show something (not a blank or one-colour grab)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "screenshots.py"

pytestmark = pytest.mark.timeout(300)


def _colours(path: Path) -> int:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    return len(colours) if colours is not None else 1 << 16


def test_the_packers_screens_are_shot_in_chinese(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("PACKLINE_HOME", None)
    run = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path), "--lang",
                          "zh_CN", "--role", "packer01", "--orders", "200"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=280)
    assert run.returncode == 0, run.stderr[-3000:]
    shots = tmp_path / "zh_CN"
    names = {p.stem for p in shots.glob("*.png")}
    # The packer's screens; the bench with an order open, after a refusal and packed; the
    # label it printed; the login. None of the lead's screens.
    assert {"login", "login-refused", "packer01-orders", "packer01-packing",
            "packer01-packing-open", "packer01-packing-refused", "packer01-packing-done",
            "packer01-handover", "packer01-printing", "packer01-printing-label"} <= names, \
        sorted(names)
    assert not names & {"packer01-waves", "packer01-exceptions", "packer01-campaigns"}
    assert not any(n.startswith(("admin", "lead01", "picker01")) for n in names)
    assert not (tmp_path / "en").exists()
    for path in sorted(shots.glob("*.png")):
        with Image.open(path) as image:
            assert image.width == 1400, path.name  # the window, not a widget of it
        assert _colours(path) > 16, f"{path.name} is blank"
