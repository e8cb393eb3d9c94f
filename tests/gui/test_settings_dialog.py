"""A station whose settings file is broken, started from an icon (no terminal): the dialog
says where and what in the station's language, and how IT lists every problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import Settings, SettingsError
from app.ui.app import settings_problem_box
from app.ui.messages import describe_setting, words_in


@pytest.mark.parametrize(("language", "words"), [
    ("zh_CN", ("Packline 无法启动", "第 2 行", "[log] level", "不在可选值 DEBUG, INFO, WARNING, "
                                                       "ERROR, CRITICAL 之中",
               "packline settings check")),
    ("en", ("Packline cannot start", "line 2", "[log] level", "is not one of DEBUG, INFO, "
                                                          "WARNING, ERROR, CRITICAL",
            "settings check")),
])
def test_the_start_up_dialog_names_file_line_section_and_key_in_the_stations_language(
        qtbot: QtBot, tmp_path: Path, language: str, words: tuple[str, ...]) -> None:
    path = tmp_path / "station.ini"
    path.write_text(f"[log]\nlevel = VERBOSE\n[ui]\nlanguage = {language}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        Settings.load(path)
    box = settings_problem_box(describe_setting(caught.value, words_in(language)),
                               words_in(language))
    qtbot.addWidget(box)
    shown = box.text() + "\n" + box.informativeText()
    assert str(path) in shown
    for word in words:
        assert word in shown, (word, shown)


@pytest.mark.parametrize(("language", "words"), [
    ("zh_CN", ("Packline 无法启动", "第 4 行", "[settings] version",
               "此文件是为设置版本 9 编写的，本系统最多只能读取版本 2：")),
    ("en", ("Packline cannot start", "line 4", "[settings] version",
            "This file was written for settings version 9; this Packline reads up to "
            "version 2.")),
])
def test_a_file_from_a_newer_packline_is_named_in_the_dialog_and_left_alone(
        qtbot: QtBot, tmp_path: Path, language: str, words: tuple[str, ...]) -> None:
    from app.config import load_config

    text = f"[ui]\nlanguage = {language}\n[settings]\nversion = 9\n[station]\nmode = new\n"
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_config(home)
    box = settings_problem_box(describe_setting(caught.value, words_in(language)),
                               words_in(language))
    qtbot.addWidget(box)
    shown = box.text() + "\n" + box.informativeText()
    assert str(home / "station.ini") in shown
    for word in words:
        assert word in shown, (word, shown)
    assert sorted(p.name for p in home.iterdir()) == ["station.ini"]
    assert (home / "station.ini").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("language", "words"), [
    ("zh_CN", ("文件无法从设置版本 1 升级到 3", "已保持原样未改动")),
    ("en", ("The file could not be upgraded from settings version 1 to 3",
            "it was left as it was")),
])
def test_an_upgrade_that_fails_is_said_in_the_stations_language(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str,
        words: tuple[str, ...]) -> None:
    from app import config

    def upgrade_to_3(doc: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(config, "SETTINGS_VERSION", 3)
    monkeypatch.setitem(config.UPGRADES, 3, upgrade_to_3)
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text(f"[ui]\nlanguage = {language}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        config.load_config(home)
    shown = describe_setting(caught.value, words_in(config.reader_language(home / "station.ini")))
    for word in (*words, "disk on fire", str(home / "station.ini")):
        assert word in shown, (word, shown)


@pytest.mark.parametrize(("language", "button"), [("zh_CN", "确定"), ("en", "OK")])
def test_the_start_up_dialogs_button_speaks_the_stations_language_too(
        qtbot: QtBot, qapp, monkeypatch: pytest.MonkeyPatch, language: str,
        button: str) -> None:
    from app.ui import app as app_module
    from app.ui.qt import QCoreApplication, QMessageBox

    shown: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        box.show()  # (buttons are laid out, and translated, when the box shows)
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    installed: list[object] = []
    real_install = app_module.install_translator
    monkeypatch.setattr(app_module, "install_translator",
                        lambda app, lang: installed.append(real_install(app, lang))
                        or installed[-1])
    try:
        app_module.show_settings_problem("[log] level: VERBOSE", words_in(language), language)
        (box,) = shown
        qtbot.addWidget(box)
        texts = [b.text().replace("&", "") for b in box.buttons()]
        assert any(button in t for t in texts), texts
    finally:
        for translator in installed:
            if translator is not None:
                QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]
