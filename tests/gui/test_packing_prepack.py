"""A presale order packed before its balance is paid (预打包): the packing screen says so while
it is packed, in the packer's language, and once it is sealed and labelled sends the parcel to
the pre-pack shelf; an ordinary order of the same wave shows no such word."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.packing_screen import PackingScreen
from tests.helpers.packing import actor, picked_wave, pre_pack, station, unit_codes

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 20_000
BANNER = {"en": "PRE-PACK · balance not paid", "zh_CN": "预打包 · 尾款未付"}
SHELF = {"en": "to the pre-pack shelf", "zh_CN": "放预打包暂存架"}


def test_a_pre_pack_order_is_named_while_packed_and_sent_to_the_shelf(
        qtbot: QtBot, gui_db, tmp_path: Path, language: str) -> None:
    orders = picked_wave(gui_db)
    prepack, ordinary = orders[0], orders[1]
    pre_pack(gui_db, prepack)
    runtime = station(gui_db, tmp_path / "home")
    runtime.start()
    try:
        screen = PackingScreen(runtime, actor(gui_db, "packer01"))
        screen.resize(1100, 720)  # a station screen, not the smallest window
        qtbot.addWidget(screen)
        screen.show()

        def settled() -> None:
            qtbot.waitUntil(lambda: not screen.busy and not screen.pending, timeout=TIMEOUT)

        screen.submit("scan", ordinary)
        settled()
        qtbot.waitUntil(lambda: screen.order_label.text() == ordinary, timeout=TIMEOUT)
        assert not screen.prepack_label.isVisible()
        for code in unit_codes(gui_db, ordinary):
            screen.submit("scan", code)
            settled()
        qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done", timeout=TIMEOUT)
        assert SHELF[language] not in screen.prompt.text()

        screen.submit("scan", prepack)
        settled()
        qtbot.waitUntil(lambda: screen.order_label.text() == prepack, timeout=TIMEOUT)
        qtbot.waitUntil(screen.prepack_label.isVisible, timeout=TIMEOUT)
        assert BANNER[language] in screen.prepack_label.text(), screen.prepack_label.text()
        shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
        if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this file
            Path(shots).mkdir(parents=True, exist_ok=True)
            screen.grab().save(str(Path(shots) / f"packing_prepack_{language}.png"))
        for code in unit_codes(gui_db, prepack):
            screen.submit("scan", code)
            settled()
        qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done", timeout=TIMEOUT)
        assert SHELF[language] in screen.prompt.text(), screen.prompt.text()
        assert prepack in screen.prompt.text()
        if shots:
            screen.grab().save(str(Path(shots) / f"packing_prepacked_{language}.png"))
    finally:
        runtime.stop()
