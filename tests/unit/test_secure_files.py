"""Only the station's user may read its folder and files: created 0700/0600 whatever the umask
(here 000, the worst), and tightened with a warning naming the path when found looser."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import Settings, load_config, secure_station
from app.secure_files import private_dir, private_file, tighten, write_private
from app.station.store import open_store
from drivers.printers.transports import FileTransport
from drivers.printers.urls import parse_printer_url

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_000() -> Iterator[None]:
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


@pytest.fixture
def packline_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="packline")
    return caplog


def test_the_helpers_create_private_paths_under_umask_000(tmp_path: Path, umask_000: None) -> None:
    folder = private_dir(tmp_path / "a" / "b")
    assert mode(folder) == 0o700
    assert mode(private_file(folder / "f")) == 0o600
    write_private(folder / "g", b"label")
    assert mode(folder / "g") == 0o600
    assert (folder / "g").read_bytes() == b"label"
    # Writing over a looser file leaves it private too.
    loose = folder / "h"
    loose.write_bytes(b"old")
    loose.chmod(0o644)
    write_private(loose, b"new")
    assert (mode(loose), loose.read_bytes()) == (0o600, b"new")


def test_a_looser_path_is_tightened_with_a_warning_naming_it(
        tmp_path: Path, packline_log: pytest.LogCaptureFixture) -> None:
    secret = tmp_path / "station.ini"
    secret.write_text("[central]\nurl = postgresql://u:do-not-log-me@h/db\n", encoding="utf-8")
    secret.chmod(0o644)
    assert tighten(secret, 0o600) is True
    assert mode(secret) == 0o600
    assert str(secret) in packline_log.text
    assert "do-not-log-me" not in packline_log.text
    # Already private: nothing to say; tighter than asked: left as it is.
    packline_log.clear()
    assert tighten(secret, 0o600) is False
    secret.chmod(0o400)
    assert tighten(secret, 0o600) is False
    assert mode(secret) == 0o400
    assert packline_log.text == ""
    # A symbolic link is not followed (its target is someone else's business).
    target = tmp_path / "shared.txt"
    target.write_text("x")
    target.chmod(0o644)
    (tmp_path / "link").symlink_to(target)
    assert tighten(tmp_path / "link", 0o600) is False
    assert mode(target) == 0o644


def test_a_new_station_folder_and_its_settings_are_private(
        tmp_path: Path, umask_000: None) -> None:
    cfg = load_config(tmp_path / "station")
    assert mode(cfg.paths.home) == 0o700
    cfg.settings.set("station.code", "ST-HZ-PACK-07")
    cfg.settings.save()
    assert mode(cfg.paths.settings) == 0o600
    assert Settings.load(cfg.paths.settings).get("station.code") == "ST-HZ-PACK-07"


def test_the_station_store_and_its_wal_files_are_private(tmp_path: Path, umask_000: None) -> None:
    store = open_store(tmp_path / "station" / "station.db")
    try:
        with store.unit_of_work() as s:
            s.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            s.execute(sa.text("INSERT INTO t VALUES (1)"))
        files = sorted(p.name for p in (tmp_path / "station").iterdir())
        assert files == ["station.db", "station.db-shm", "station.db-wal"]
        assert {p: mode(tmp_path / "station" / p) for p in files} == dict.fromkeys(files, 0o600)
        assert mode(tmp_path / "station") == 0o700
    finally:
        store.dispose()


def test_a_looser_station_store_is_tightened_when_opened(
        tmp_path: Path, packline_log: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "station.db"
    open_store(path).dispose()
    path.chmod(0o644)
    open_store(path).dispose()
    assert mode(path) == 0o600
    assert f"{path} was readable by others" in packline_log.text


def test_log_files_are_private_from_the_first_line_and_after_rotating(
        tmp_path: Path, umask_000: None) -> None:
    from app.logs import setup_logging

    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text("[log]\nmax_bytes = 300\nbackups = 2\n", encoding="utf-8")
    cfg = load_config(home)
    root = logging.getLogger("packline")
    handlers, level = list(root.handlers), root.level
    root.handlers = []
    try:
        setup_logging(cfg)
        for n in range(20):
            logging.getLogger("packline.test").warning("line %d of a log that rotates", n)
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers, root.level = handlers, level
    logs = sorted(p.name for p in cfg.paths.logs.iterdir())
    # The lock file the processes writing the log take turns with (app/logs.py).
    assert logs == [".__packline.lock", "packline.log", "packline.log.1", "packline.log.2"]
    assert {p: mode(cfg.paths.logs / p) for p in logs} == dict.fromkeys(logs, 0o600)
    assert mode(cfg.paths.logs) == 0o700


def test_the_file_printer_writes_private_labels(tmp_path: Path, umask_000: None) -> None:
    transport = FileTransport(parse_printer_url("file://"), folder=tmp_path / "prints",
                              language="zpl")
    sent = transport.send(b"^XA^FDtest^FS^XZ", "job-1", "waybill")
    assert sent.path is not None
    assert mode(sent.path) == 0o600
    assert sent.path.read_bytes() == b"^XA^FDtest^FS^XZ"


def test_secure_station_tightens_everything_in_the_folder(
        tmp_path: Path, packline_log: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "station"
    cfg = load_config(home)
    for folder in (cfg.paths.logs, cfg.paths.prints):
        folder.mkdir()
        folder.chmod(0o755)
    loose = [cfg.paths.settings, cfg.paths.station_db, home / "station.db-wal",
             cfg.paths.logs / "packline.log", cfg.paths.logs / "packline.log.1",
             cfg.paths.prints / "job-1-waybill.pdf"]
    for path in loose:
        path.write_bytes(b"")
        path.chmod(0o644)
    home.chmod(0o755)
    tightened = secure_station(cfg)
    assert set(tightened) == {home, cfg.paths.logs, cfg.paths.prints, *loose}
    assert all(mode(p) == 0o600 for p in loose)
    assert all(mode(p) == 0o700 for p in (home, cfg.paths.logs, cfg.paths.prints))
    for path in tightened:
        assert str(path) in packline_log.text
    packline_log.clear()
    assert secure_station(cfg) == []
    assert packline_log.text == ""


def test_a_password_in_station_ini_is_warned_about_without_showing_it(
        tmp_path: Path, packline_log: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_text(
        "[central]\nurl = postgresql+psycopg://packline:Pa55-in-ini@db.example:5432/pl\n",
        encoding="utf-8")
    secure_station(load_config(home))
    assert "[central] url holds the database password" in packline_log.text
    assert "Pa55-in-ini" not in packline_log.text
    packline_log.clear()
    (home / "station.ini").write_text(
        "[central]\nurl = postgresql+psycopg://packline@db.example:5432/pl\n", encoding="utf-8")
    secure_station(load_config(home))
    assert "password" not in packline_log.text
