"""`[central] read_url` and `[central] pooled`: a read replica is a PostgreSQL URL (refused in
the reader's language otherwise), pooling is a boolean, and the embedded SQLite database never
gets a replica."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from app.config import SettingsError, load_config
from app.store.credentials import PASSWORD_ENV
from app.store.db import Database, lsn, make_engine
from app.ui.messages import describe_setting, words_in

REPLICA = "postgresql+psycopg://packline_office@db-replica.lan:6432/packline"


def _ini(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(text, encoding="utf-8")


def test_a_replica_and_pooling_are_what_the_database_is_opened_with(
        station_home: Path) -> None:
    _ini(station_home, "[central]\nurl = postgresql+psycopg://packline@db.lan:6432/packline\n"
                       f"read_url = {REPLICA}\npooled = yes\nconnect_timeout = 7\n")
    cfg = load_config()
    assert cfg.database_options == {"connect_timeout": 7, "pooled": True, "read_url": REPLICA}


def test_the_embedded_database_has_no_replica(station_home: Path) -> None:
    _ini(station_home, f"[central]\nread_url = {REPLICA}\n")
    cfg = load_config()
    assert cfg.embedded and cfg.database_options["read_url"] == ""
    assert cfg.database_options["pooled"] is False


@pytest.mark.parametrize("url", ["sqlite:///replica.db", "not a url", "mysql://h/db"])
def test_a_replica_that_is_not_postgresql_is_refused_in_words(station_home: Path,
                                                               url: str) -> None:
    _ini(station_home, f"[central]\nread_url = {url}\n")
    with pytest.raises(SettingsError) as refused:
        load_config()
    assert (refused.value.code, refused.value.key, refused.value.line) == (
        "settings.bad_replica_url", "read_url", 2)
    assert "standby" in describe_setting(refused.value, words_in("en"))


class _Seen(Exception):
    pass


def _connect_params(monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> dict[str, object]:
    """What psycopg would be asked to connect with (the attempt stopped before it; the
    password from the environment, so the password sources hand on without connecting)."""
    monkeypatch.setenv(PASSWORD_ENV, "not-used")
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", **kwargs)
    seen: dict[str, object] = {}

    def capture(_dialect: object, _record: object, _cargs: object,
                cparams: dict[str, object]) -> None:
        seen.update(cparams)
        raise _Seen

    event.listen(engine, "do_connect", capture)
    try:
        with pytest.raises(_Seen):
            engine.connect()
    finally:
        engine.dispose()
    return seen


def test_pooled_turns_server_side_prepared_statements_off(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert "prepare_threshold" not in _connect_params(monkeypatch)
    assert _connect_params(monkeypatch, pooled=True)["prepare_threshold"] is None
    assert _connect_params(monkeypatch, pooled=True, connect_timeout=3)["connect_timeout"] == 3


def test_a_database_without_replica_reads_where_it_writes(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        assert db.replica is None and db.replica_lag() is None
        with db.replica_reader() as s:
            assert s.get_bind() is db.bind
    finally:
        db.dispose()


def test_log_positions_read_as_bytes() -> None:
    assert lsn("0/0") == 0
    assert lsn("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert lsn(None) is None and lsn("") is None
