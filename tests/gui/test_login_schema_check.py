"""The app's start against a central server: the login opens at once while the server's schema
is checked in the background (a server that does not answer holds nobody up: the station packs
offline), and the sync pushes nothing until the schema was found fit — a server that was out of
reach at the start and comes back at a schema this build does not know refuses the station
then, in words, its events kept in its outbox."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app.config import Config, load_config
from app.services.central_link import DatabaseLink
from app.services.schema import SchemaGate
from app.station import outbox
from app.station.runtime import StationRuntime
from app.store import migrate
from app.store.db import Database, make_engine
from app.sync.contract import AuditNote
from app.ui.app import OutboxPusher, open_login
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.proxy import TcpProxy

FUTURE = "0099_from_a_newer_packline"


class StalledPeer:
    """A 'server' on 127.0.0.1 that accepts connections and never says a word, until `hang_up`:
    then it closes them, and every one after, at once."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.held: list[socket.socket] = []
        self.hung_up = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                if self.hung_up.is_set():
                    conn.close()
                else:
                    self.held.append(conn)

    def hang_up(self) -> None:
        with self._lock:
            self.hung_up.set()
            held, self.held = self.held, []
        for conn in held:
            conn.close()

    def close(self) -> None:
        self.hang_up()
        self.listener.close()


@contextlib.contextmanager
def station_window(qtbot: QtBot, home: Path, url: str, *, connect_timeout: int,
                   every_ms: int = 5000) -> Iterator[tuple[Config, Database, MainWindow,
                                                           OutboxPusher, SchemaGate]]:
    """As `run_app` wires them: the station against `url`, its window, its sync and its gate."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(
        f"[station]\ncode = ST-T\nwarehouse = HZ\n\n[central]\nurl = {url}\n"
        f"connect_timeout = {connect_timeout}\n", encoding="utf-8")
    cfg = load_config(home)
    db = Database.from_url(cfg.central_url, connect_timeout=connect_timeout)
    runtime = StationRuntime(cfg, db, link=DatabaseLink(db))
    window = MainWindow(db, "ST-T", "test", runtime=runtime)
    qtbot.addWidget(window)
    gate = SchemaGate(db)
    pusher = OutboxPusher(runtime, window, every_ms=every_ms, on_status=window.show_sync,
                          gate=gate)
    try:
        yield cfg, db, window, pusher, gate
    finally:
        pusher.stop()
        qtbot.waitUntil(lambda: not pusher.busy, timeout=30_000)
        runtime.stop()
        db.dispose()


def test_the_login_opens_while_a_stalled_server_is_still_being_checked(
        qtbot: QtBot, tmp_path: Path) -> None:
    peer = StalledPeer()
    started: list[bool] = []
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{peer.port}/test"
        with station_window(qtbot, tmp_path / "home", url, connect_timeout=60) as (
                cfg, db, window, pusher, gate):
            window.show()
            open_login(cfg, db, window, pusher, gate, lambda: started.append(True))
            # The check is connecting to a server that says nothing (and will not time out
            # for a minute): the login is open all the same, and nothing is synced yet.
            qtbot.waitUntil(lambda: peer.accepted >= 1, timeout=10_000)
            assert not started and not gate.fits
            assert window.login.isEnabled() and window.login.button.isEnabled()
            assert window.login.message.text() == "Checking the central database…"
            assert not pusher.running
            # The server hangs up: out of reach, not refused. The sync starts (it checks the
            # schema again on its first connection) and the login stays open, saying nothing.
            peer.hang_up()
            qtbot.waitUntil(lambda: bool(started), timeout=30_000)
            assert pusher.running and not gate.fits and gate.refused is None
            assert window.login.isEnabled() and window.login.message.text() == ""
    finally:
        peer.close()


@pytest.mark.pg
def test_a_server_back_at_a_newer_schema_refuses_the_sync_and_keeps_the_events(
        qtbot: QtBot, tmp_path: Path, qapp: QApplication) -> None:
    from app.ui.app import install_translator

    require_pg()
    with scratch_pg_database("gate") as direct:
        central = Database(make_engine(direct))
        migrate.upgrade(central.bind)
        with central.bind.begin() as conn:  # type: ignore[union-attr]
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": FUTURE})
        parsed = make_url(direct)
        translator = install_translator(qapp, "zh_CN")
        try:
            with TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432) as proxy:
                proxy.cut()  # the station starts with the network gone
                via = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(
                    hide_password=False)
                with station_window(qtbot, tmp_path / "home", via, connect_timeout=2,
                                    every_ms=100) as (cfg, db, window, pusher, gate):
                    store = pusher.runtime.store
                    with store.unit_of_work() as s:
                        for n in range(2):
                            outbox.append(s, AuditNote("packer01", "label.reprint", "order",
                                                       f"PL{n}"))
                    offline: list[bool] = []
                    pusher.on_status = lambda online, state: (
                        offline.append(not online), window.show_sync(online, state))
                    window.show()
                    open_login(cfg, db, window, pusher, gate, lambda: None)
                    qtbot.waitUntil(lambda: len(offline) >= 2, timeout=30_000)
                    assert all(offline) and window.login.isEnabled() and gate.refused is None
                    proxy.restore()  # the server is back, upgraded by a newer Packline
                    qtbot.waitUntil(lambda: not window.login.isEnabled(), timeout=30_000)
                    assert not pusher.running and not pusher.timer.isActive()
                    said = window.login.message.text()
                    assert "中央数据库" in said and FUTURE in said, said
                    assert window.sync_label.toolTip() == said
                    assert window.sync_label.text().startswith("⛔")
                    assert outbox.pending(store) == 2  # kept, to be sent by a Packline that fits
            with central.reader() as s:
                assert not s.scalar(sa.text("SELECT count(*) FROM applied_events"))
                assert not s.scalar(sa.text("SELECT count(*) FROM stations"))
        finally:
            if translator is not None:
                qapp.removeTranslator(translator)
            from app.ui.qt import QLocale

            QLocale.setDefault(QLocale(QLocale.Language.English))
            central.dispose()
