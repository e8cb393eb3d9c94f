"""Where the label fonts are looked for: the frozen build's own `fonts/` folder first, then
the system's; on Windows its Chinese fonts (Microsoft YaHei, SimSun) when WenQuanYi is not
there; a CFF-outline font is refused wherever it is found. The fonts here are real files
(copies of the installed WenQuanYi and DejaVu fonts, by link)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.printing import fonts

WQY = Path(fonts.CANDIDATES[0][0])
DEJAVU = Path(fonts.FALLBACKS[0][1][0])


@pytest.fixture
def fresh_lookup(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts._find.cache_clear()
    fonts._chain.cache_clear()
    yield
    fonts._find.cache_clear()
    fonts._chain.cache_clear()


def frozen_at(monkeypatch: pytest.MonkeyPatch, base: Path) -> Path:
    """This process as a frozen build unpacked at `base`, as PyInstaller sets it up."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(base), raising=False)
    folder = base / "fonts"
    folder.mkdir(parents=True)
    return folder


def test_a_source_checkout_has_no_bundled_fonts(fresh_lookup: None) -> None:
    assert fonts.bundled_fonts_dir() is None
    assert fonts.find_cjk_font().path == WQY


def test_the_frozen_build_sets_labels_with_its_own_fonts_first(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_lookup: None) -> None:
    folder = frozen_at(monkeypatch, tmp_path)
    (folder / WQY.name).symlink_to(WQY)
    (folder / DEJAVU.name).symlink_to(DEJAVU)
    assert fonts.bundled_fonts_dir() == folder
    assert fonts.find_cjk_font() == fonts.CjkFont(folder / WQY.name, 0)
    chain = fonts.font_chain()
    assert chain.fonts[0].path == folder / WQY.name
    assert chain.fonts[1].path == folder / DEJAVU.name  # the bundle's fallback first too
    assert chain.missing("杭州市 Ωµ") is None


def test_a_frozen_build_without_fonts_uses_the_systems(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_lookup: None) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert fonts.bundled_fonts_dir() is None
    assert fonts.find_cjk_font().path == WQY


def test_windows_uses_microsoft_yahei_or_simsun_from_its_font_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_lookup: None) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.setattr(fonts, "CANDIDATES", ())  # no WenQuanYi on this PC
    system = tmp_path / "Fonts"
    system.mkdir()
    with pytest.raises(fonts.FontNotFoundError, match=r"neither msyh.ttc nor simsun.ttc"):
        fonts.find_cjk_font()
    fonts._find.cache_clear()
    (system / "simsun.ttc").symlink_to(WQY)  # a TrueType collection, as SimSun's is
    assert fonts.find_cjk_font() == fonts.CjkFont(system / "simsun.ttc", 0)
    fonts._find.cache_clear()
    (system / "msyh.ttc").symlink_to(WQY)
    assert fonts.find_cjk_font() == fonts.CjkFont(system / "msyh.ttc", 0)


def test_a_cff_font_in_the_places_looked_in_is_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_lookup: None) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    (tmp_path / "Fonts").mkdir()
    (tmp_path / "Fonts" / "msyh.ttc").write_bytes(b"OTTO" + b"\x00" * 64)
    with pytest.raises(fonts.FontNotFoundError, match="CFF"):
        fonts.find_cjk_font()
