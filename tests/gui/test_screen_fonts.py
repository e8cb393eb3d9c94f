"""The screens' Chinese font in the frozen build: the bundle's WenQuanYi font is registered
with Qt at start and follows the system's font in the application font's families, so a
station without fonts-wqy-zenhei still draws Chinese; a checkout registers nothing. The fonts
are real files (a copy of the installed WenQuanYi Zen Hei), and one test runs the app's start
in a process whose fontconfig knows only DejaVu Sans, as a minimal station's does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.printing import fonts
from app.ui import screen_fonts
from app.ui.qt import QApplication, QFont, QFontDatabase, QFontMetrics, QLabel

WQY = Path(fonts.CANDIDATES[0][0])
DEJAVU = Path(fonts.FALLBACKS[0][1][0])
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.gui


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[QFont]:
    """The application font as it was, put back afterwards with Qt's application fonts."""
    before = QFont(qapp.font())
    yield before
    QApplication.setFont(before)
    QFontDatabase.removeAllApplicationFonts()


def frozen_at(monkeypatch: pytest.MonkeyPatch, base: Path) -> Path:
    """This process as a frozen build unpacked at `base`, its `fonts/` folder empty."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(base), raising=False)
    folder = base / "fonts"
    folder.mkdir(parents=True)
    return folder


def test_the_frozen_build_gives_the_screens_its_chinese_font(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: QApplication,
        app_font: QFont) -> None:
    folder = frozen_at(monkeypatch, tmp_path)
    shutil.copy(WQY, folder / WQY.name)
    family = screen_fonts.register(qapp)
    assert family == "WenQuanYi Zen Hei"
    assert family in QFontDatabase.families()
    families = QApplication.font().families()
    assert families[-1] == family
    assert len(families) == 2  # the system's font first: it keeps setting the Latin text
    label = QLabel("杭州市 打包台")
    assert family in label.font().families()
    assert all(QFontMetrics(label.font()).inFontUcs4(ord(c)) for c in "杭州市打包台")
    # Registering again (the selftest after the app's start) changes nothing.
    assert screen_fonts.register(qapp) == family
    assert QApplication.font().families() == families


def test_a_bundle_without_a_chinese_font_leaves_the_screens_alone(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: QApplication,
        app_font: QFont) -> None:
    folder = frozen_at(monkeypatch, tmp_path)
    shutil.copy(DEJAVU, folder / DEJAVU.name)  # a Windows build's bundle: no WenQuanYi
    assert screen_fonts.register(qapp) is None
    assert QApplication.font() == app_font


def test_a_checkout_registers_nothing(qapp: QApplication, app_font: QFont) -> None:
    assert not getattr(sys, "frozen", False)
    assert screen_fonts.register(qapp) is None
    assert QApplication.font() == app_font
    assert QApplication.font().families() == app_font.families()


def test_a_station_without_chinese_fonts_draws_chinese_from_the_bundle(
        tmp_path: Path) -> None:
    """The start as in the frozen build, in a process whose fontconfig has DejaVu Sans only:
    no Chinese glyph before, every one after, and the Latin text still in DejaVu Sans."""
    system = tmp_path / "system-fonts"
    system.mkdir()
    shutil.copy(DEJAVU, system / DEJAVU.name)
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{system}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>\n", encoding="utf-8")
    bundle = tmp_path / "bundle"
    (bundle / "fonts").mkdir(parents=True)
    shutil.copy(WQY, bundle / "fonts" / WQY.name)
    script = textwrap.dedent(f"""
        import sys
        sys.frozen, sys._MEIPASS = True, {str(bundle)!r}
        from app.ui import screen_fonts
        from app.ui.qt import QApplication, QFontDatabase, QFontInfo, QFontMetrics, QLabel

        app = QApplication([])
        text = "杭州市余杭区 张三"
        def drawn(label):
            return all(QFontMetrics(label.font()).inFontUcs4(ord(c)) for c in text)
        assert "WenQuanYi Zen Hei" not in QFontDatabase.families()
        assert not drawn(QLabel(text)), "this station was meant to have no Chinese font"
        assert screen_fonts.register(app) == "WenQuanYi Zen Hei"
        label = QLabel(text)
        assert drawn(label), label.font().families()
        assert QFontInfo(label.font()).family() == "DejaVu Sans"
        print("ok", label.font().families())
    """)
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf"),
           "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok ['DejaVu Sans', 'WenQuanYi Zen Hei']"
