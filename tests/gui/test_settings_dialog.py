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
                                                       "ERROR 之中", "packline settings check")),
    ("en", ("Packline cannot start", "line 2", "[log] level", "is not one of DEBUG, INFO, "
                                                          "WARNING, ERROR", "settings check")),
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
