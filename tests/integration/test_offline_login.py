"""Logging in while the central database is unreachable: the station checks the people it
holds (argon2 hashes, badges); a wrong password or a switched-off user is refused as online."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.services.errors import AuthenticationFailed
from app.station import outbox, pull, users
from app.station.store import open_store
from app.store.db import Database
from app.store.models import User


def test_offline_login_checks_the_people_the_station_holds(sqlite_db: Database,
                                                         tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db")
    assert pull.pull(store, sqlite_db, tables=["users"]).rows["users"] >= 4
    packer = users.login_password(store, "PACKER01", "packer123", "ST-T")
    assert (packer.code, packer.role.value) == ("packer01", "packer")
    assert users.login_badge(store, "usr-lead01", "ST-T").code == "lead01"
    with pytest.raises(AuthenticationFailed):
        users.login_password(store, "packer01", "wrong", "ST-T")
    with pytest.raises(AuthenticationFailed):
        users.login_password(store, "nobody", "packer123", "ST-T")
    with sqlite_db.unit_of_work() as s:
        s.execute(update(User).where(User.code == "picker01").values(active=False))
    assert pull.pull(store, sqlite_db, tables=["users"]).rows["users"] == 1  # the change
    with pytest.raises(AuthenticationFailed):
        users.login_password(store, "picker01", "picker123", "ST-T")
    assert outbox.pending(store) == 2  # the two offline logins, audited when back online
    with sqlite_db.reader() as s:
        assert s.scalar(select(User.active).where(User.code == "picker01")) is False
    store.dispose()
