"""The Printing screen: the queue fills and empties as the spooler prints, a label is previewed,
a reprint needs a reason, a test page goes to the chosen printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import load_config
from app.domain.roles import Role
from app.services.context import Actor
from app.station import print_queue
from app.station.models import PrintJob
from app.station.runtime import StationRuntime
from app.ui import tasks
from app.ui.printing_screen import PrintingScreen

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[StationRuntime]:
    cfg = load_config(tmp_path)
    rt = StationRuntime(cfg)
    rt.start()
    yield rt
    rt.stop()


def _packer() -> Actor:
    return Actor(user_id=None, code="packer01", name="P", role=Role.PACKER, station="ST-T")


def _statuses(rt: StationRuntime) -> list[str]:
    from sqlalchemy import select

    with rt.store.reader() as s:
        return list(s.scalars(select(PrintJob.status).order_by(PrintJob.created_at)))


def test_jobs_print_show_and_preview(qtbot: QtBot, runtime: StationRuntime) -> None:
    from app.printing.documents import BinLabel

    spec = runtime.printers["folder"]
    print_queue.enqueue(runtime.store, _packer(), spec, BinLabel(code="LOC-HZ-A03-12-2",
                                                                 title="A区 3巷"),
                        kind="label", ref="LOC-HZ-A03-12-2")
    runtime.spooler.wake()
    screen = PrintingScreen(runtime, _packer())
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: _statuses(runtime) == ["sent"], timeout=20_000)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.jobs.rowCount() == 1 and
                    screen.jobs.item(0, 4).text() == "Printed", timeout=10_000)
    assert screen.printers.item(0, 0).text() == "folder"
    screen.jobs.selectRow(0)
    qtbot.waitUntil(lambda: screen.preview.pixmap() is not None
                    and not screen.preview.pixmap().isNull(), timeout=20_000)
    # A reprint with no reason is refused on the screen and nothing is queued.
    screen.reprint_button.click()
    qtbot.waitUntil(lambda: screen.message.is_error() and not tasks.pending(), timeout=10_000)
    assert len(_statuses(runtime)) == 1
    screen.reason.setEditText("标签破损")
    screen.reprint_button.click()
    qtbot.waitUntil(lambda: _statuses(runtime) == ["sent", "sent"], timeout=20_000)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.jobs.rowCount() == 2, timeout=10_000)
    assert "↻" in {screen.jobs.item(r, 7).text() for r in range(2)}
    assert len(list((runtime.folder).iterdir())) == 2


def test_test_page_and_cancel(qtbot: QtBot, runtime: StationRuntime) -> None:
    screen = PrintingScreen(runtime, _packer())
    qtbot.addWidget(screen)
    screen.test_button.click()
    qtbot.waitUntil(lambda: _statuses(runtime) == ["sent"], timeout=20_000)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.jobs.rowCount() == 1, timeout=10_000)
    assert screen.jobs.item(0, 1).text() == "Test page"
    screen.jobs.selectRow(0)
    screen.cancel_button.click()  # printed already: refused, says why
    qtbot.waitUntil(lambda: screen.message.is_error(), timeout=10_000)
    assert _statuses(runtime) == ["sent"]
