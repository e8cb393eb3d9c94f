"""The packing screen with a platform order (a Cainiao e-waybill from the fake Taobao gateway)
held at the station without its waybill, the network gone: the complete order waits, the
screen says it needs the network for its waybill (in the packer's language) and prints
nothing; once the network is back the screen confirms it again by itself, is told the waybill
is being fetched (the engine fetches it, never the station) and, once it is, the label goes
to the Cainiao component."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services import waybill_issue
from app.services.central_link import DatabaseLink
from app.station.held import cache_wave
from app.store.models import Order, Wave
from app.ui.packing_screen import PackingScreen
from tests.helpers.fake_component import FakeComponent
from tests.helpers.fake_platform import APP_SECRET, SESSION, FakePlatform
from tests.helpers.packing import actor, station, unit_codes
from tests.helpers.platform_orders import SHOP, platform_orders, station_ini

pytestmark = pytest.mark.timeout(180)
TIMEOUT = 20_000
NEEDS_NETWORK = {"en": "needs the network for its waybill", "zh_CN": "需要联网取面单"}
FETCHING = {"en": "is being fetched from the platform", "zh_CN": "正在从平台获取"}


def test_a_platform_order_waits_for_the_network_then_prints(
        qtbot: QtBot, gui_db, tmp_path: Path, language: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"PACKLINE_SHOP_SECRET_{SHOP}", APP_SECRET)
    monkeypatch.setenv(f"PACKLINE_SHOP_SESSION_{SHOP}", SESSION)
    with FakePlatform("top") as top, FakeComponent("cainiao", printers=("ZTO-1",)) as comp:
        (no,) = platform_orders(gui_db, top)
        runtime = station(gui_db, tmp_path / "home", station_ini(comp.url("ZTO-1")))
        runtime.start()
        try:
            screen = PackingScreen(runtime, actor(gui_db, "packer01"))
            qtbot.addWidget(screen)
            screen.show()
            screen.retry_offline_ms = 100  # not the floor's 15 s
            screen.retry_fetching_ms = 100  # nor its 2 s

            def settled() -> None:
                qtbot.waitUntil(lambda: not screen.busy and not screen.pending,
                                timeout=TIMEOUT)

            with gui_db.reader() as s:
                wave_no = s.scalar(select(Wave.wave_no).join(Order, Order.wave_id == Wave.id)
                                   .where(Order.order_no == no))
            link = runtime.link
            assert link is not None and wave_no
            link.call(lambda remote: cache_wave(runtime.store, remote, str(wave_no)))
            runtime.connect(None)  # the network is gone: the station holds the wave only
            screen.submit("scan", no)
            settled()
            qtbot.waitUntil(lambda: screen.order_label.text() == no, timeout=TIMEOUT)
            for code in unit_codes(gui_db, no):
                screen.submit("scan", code)
                settled()
            assert screen.prompt.property("feedback") == "error"
            assert NEEDS_NETWORK[language] in screen.prompt.text(), screen.prompt.text()
            assert no in screen.prompt.text()
            assert comp.printed() == 0
            shots = os.environ.get("PACKLINE_SCREENSHOT_DIR")
            if shots:  # a look at it: PACKLINE_SCREENSHOT_DIR=/tmp/shots pytest this file
                screen.resize(1280, 760)
                screen.grab().save(str(Path(shots) / f"needs_network_{language}.png"))

            runtime.connect(DatabaseLink(gui_db))  # back: the screen tries again itself
            # The centre has no waybill yet: it asks the engine, the screen says so and
            # keeps asking; nothing is printed and no platform was called by the station.
            qtbot.waitUntil(lambda: FETCHING[language] in screen.prompt.text(),
                            timeout=TIMEOUT)
            assert comp.printed() == 0 and top.waybills == {}
            waybill_issue.serve_requests(gui_db, actor(gui_db, "lead01"))  # the engine's pass
            qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done",
                            timeout=TIMEOUT)
            assert screen.view is not None and len(screen.view.printed) == 1
            qtbot.waitUntil(lambda: comp.printed() == 1, timeout=TIMEOUT)
        finally:
            runtime.stop()


UNREACHABLE = {"en": "It is asked for again at", "zh_CN": "将于"}


def test_a_platform_out_of_reach_is_said_once_with_its_next_try(
        qtbot: QtBot, gui_db, tmp_path: Path, language: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine cannot reach the platform and waits: the packer reads that (and when it is
    asked again), not "being fetched"; the screen asks again at the offline pace (15 s on the
    floor) and the error sound is heard once per message, not at every retry."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from app.store.models import WaybillWait
    from app.ui import feedback

    monkeypatch.setenv(f"PACKLINE_SHOP_SECRET_{SHOP}", APP_SECRET)
    monkeypatch.setenv(f"PACKLINE_SHOP_SESSION_{SHOP}", SESSION)
    with FakePlatform("top") as top, FakeComponent("cainiao", printers=("ZTO-1",)) as comp:
        (no,) = platform_orders(gui_db, top)
        runtime = station(gui_db, tmp_path / "home", station_ini(comp.url("ZTO-1")))
        runtime.start()
        try:
            screen = PackingScreen(runtime, actor(gui_db, "packer01"))
            qtbot.addWidget(screen)
            screen.show()
            assert screen.retry_offline_ms == 15_000  # the floor's pace while out of reach
            screen.retry_offline_ms = 50
            screen.retry_fetching_ms = 50
            retries: list[int] = []
            screen._waybill_retry.timeout.connect(lambda: retries.append(1))

            def settled() -> None:
                qtbot.waitUntil(lambda: not screen.busy and not screen.pending,
                                timeout=TIMEOUT)

            screen.submit("scan", no)
            settled()
            codes = unit_codes(gui_db, no)
            for code in codes[:-1]:
                screen.submit("scan", code)
                settled()
            feedback.played.clear()
            screen.submit("scan", codes[-1])
            qtbot.waitUntil(lambda: FETCHING[language] in screen.prompt.text(),
                            timeout=TIMEOUT)
            qtbot.waitUntil(lambda: len(retries) >= 4, timeout=TIMEOUT)
            assert feedback.played.count("error") == 1, feedback.played

            top.fail_next("5xx", times=3)
            lead = actor(gui_db, "lead01")
            assert waybill_issue.serve_requests(gui_db, lead).failed == 1
            with gui_db.unit_of_work() as s:  # a wait the test outlives
                s.execute(update(WaybillWait).values(
                    next_at=datetime.now(UTC) + timedelta(minutes=5)))
            qtbot.waitUntil(lambda: UNREACHABLE[language] in screen.prompt.text(),
                            timeout=TIMEOUT)
            assert no in screen.prompt.text() and FETCHING[language] not in \
                screen.prompt.text()
            said = len(retries)
            qtbot.waitUntil(lambda: len(retries) >= said + 4, timeout=TIMEOUT)
            assert feedback.played.count("error") == 2, feedback.played
            assert comp.printed() == 0

            with gui_db.unit_of_work() as s:  # the platform is back, the wait over
                s.execute(update(WaybillWait).values(
                    next_at=datetime.now(UTC) - timedelta(seconds=1)))
            assert waybill_issue.serve_requests(gui_db, lead).issued == 1
            qtbot.waitUntil(lambda: screen.prompt.property("feedback") == "done",
                            timeout=TIMEOUT)
            qtbot.waitUntil(lambda: comp.printed() == 1, timeout=TIMEOUT)
        finally:
            runtime.stop()
