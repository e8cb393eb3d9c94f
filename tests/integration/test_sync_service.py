"""The loop of `packline sync serve` on a real station store and central SQLite file: its
rhythm (every few seconds, backing off while the centre is out of reach), a round asked for
coming at once, the app's view of its printers reaching the centre's dashboard, and the end of
its input ending it."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import load_config
from app.services.central_link import DatabaseLink
from app.services.context import system_actor
from app.services.schema import SchemaGate
from app.station import sync_service
from app.station.runtime import StationRuntime
from app.station.sync_service import Rhythm, Service
from app.store.db import Database
from app.store.models import Station
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.timeout(120)


def test_the_rhythm_backs_off_while_offline_and_keeps_house_about_once_a_minute() -> None:
    rhythm = Rhythm(every_s=5.0)
    delays, housekeeping = [], []
    for _ in range(6):
        housekeeping.append(rhythm.begin())
        rhythm.finished(False)
        delays.append(rhythm.next_delay_s())
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    rhythm.finished(True)
    assert rhythm.next_delay_s() == 5.0
    for _ in range(20):
        housekeeping.append(rhythm.begin())
    assert [n + 1 for n, kept in enumerate(housekeeping) if kept] == [1, 13, 25]


def test_the_loop_runs_a_round_when_asked_tells_the_printers_and_ends_with_its_input(
        gui_db: Database, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.ini").write_text(
        "[station]\ncode = ST-HZ-PACK-01\nwarehouse = HZ\n\n[printer:label]\n"
        "url = tcp://127.0.0.1:9\nlanguage = zpl\n", encoding="utf-8")
    runtime = StationRuntime(load_config(home), gui_db, link=DatabaseLink(gui_db))
    to_loop, commands_w = os.pipe()
    answers_r, from_loop = os.pipe()
    commands = os.fdopen(to_loop, "r", encoding="utf-8")
    answers = os.fdopen(from_loop, "w", encoding="utf-8")
    app_side = os.fdopen(commands_w, "w", encoding="utf-8")
    heard = os.fdopen(answers_r, "r", encoding="utf-8")
    service = Service(runtime, system_actor(runtime.code), SchemaGate(gui_db),
                      commands=commands, answers=answers, every_s=3600)
    ended: list[int] = []
    loop = threading.Thread(target=lambda: ended.append(service.run()), daemon=True)
    try:
        loop.start()
        first = json.loads(heard.readline())
        assert first["round"] == 1 and first["online"] is True and not first["fault"]
        # The app's print queue found its label printer down: the next round (asked for now,
        # an hour before its time) tells the centre's dashboard so.
        app_side.write(json.dumps({"printers": {"label": "down"}}) + "\n")
        app_side.write(json.dumps({"now": True}) + "\n")
        app_side.flush()
        second = json.loads(heard.readline())
        assert second["round"] == 2 and second["online"] is True

        def printers() -> object:
            with gui_db.reader() as s:
                return s.scalar(select(Station.printers).where(
                    Station.code == "ST-HZ-PACK-01"))

        assert eventually(printers, what="the station's report")[0]["state"] == "down"
        app_side.close()  # the app is gone: the loop ends
        loop.join(10)
        assert ended == [0]
    finally:
        for f in (commands, answers, heard):
            f.close()
        if not app_side.closed:
            app_side.close()
        runtime.stop()


def test_the_command_runs_this_interpreter_or_the_frozen_build(monkeypatch) -> None:
    options = sync_service.options_for(Path("/srv/station"), "home", ["log.level=DEBUG"])
    assert options == ["--home", "/srv/station", "--set=log.level=DEBUG"]
    assert sync_service.options_for(Path("/var/lib/packline"), "machine") == []
    program, words = sync_service.command(options, every_s=5)
    assert words[:2] == ["-m", "app"] and words[-3:] == ["sync", "serve", "--every=5"]
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys.executable", "/opt/packline/packline")
    program, words = sync_service.command([], every_s=2.5)
    assert program == "/opt/packline/packline" and words == ["sync", "serve", "--every=2.5"]


def test_one_pusher_at_a_time_across_the_station_s_processes(gui_db: Database,
                                                            tmp_path: Path) -> None:
    """While one process of the station pushes its outbox (here: this one holds the push),
    another one's push (`packline sync once` beside the app's sync process) waits for it,
    then sends what is left: the centre is never handed the same events twice at once."""
    import portalocker

    from app.station import outbox
    from app.sync.contract import AuditNote
    from tests.helpers.cli import packline_process

    home = tmp_path / "home"
    home.mkdir()
    (home / "station.ini").write_text("[station]\ncode = ST-HZ-PACK-01\nwarehouse = HZ\n",
                                      encoding="utf-8")
    runtime = StationRuntime(load_config(home), gui_db, link=DatabaseLink(gui_db))
    try:
        with runtime.store.unit_of_work() as s:
            outbox.append(s, AuditNote("packer01", "label.reprint", "order", "PL9"))
        with runtime._pushing():  # this process is pushing
            other = packline_process(home, "sync", "once", central_url=str(gui_db.bind.url),
                                     as_user="packer01")
            with pytest.raises(subprocess.TimeoutExpired):  # waiting for the push lock
                other.wait(5)
            assert outbox.pending(runtime.store) == 1
        out, err = other.communicate(timeout=60)
        assert other.returncode == 0, err
        assert json.loads(out)["pushed"] == 1 and outbox.pending(runtime.store) == 0
        # The lock is the OS's: it is not left behind by a process that ended.
        with open(runtime._push_file, "a") as handle:
            portalocker.lock(handle, portalocker.LockFlags.EXCLUSIVE
                             | portalocker.LockFlags.NON_BLOCKING)
            portalocker.unlock(handle)
    finally:
        runtime.stop()
