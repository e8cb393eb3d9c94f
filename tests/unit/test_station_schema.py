"""The station store shares its file with the embedded central database: no table of one may
bear a name of the other, and each migration set sees only its own tables."""

from __future__ import annotations

from pathlib import Path

from app.station import store as station_store
from app.station.models import StationBase
from app.store import migrate
from app.store.models import Base


def test_no_table_name_is_used_by_both() -> None:
    assert not set(StationBase.metadata.tables) & set(Base.metadata.tables)


def test_both_schemas_live_in_one_file_and_check_clean(tmp_path: Path) -> None:
    path = tmp_path / "station.db"
    migrate.upgrade(f"sqlite:///{path}")
    db = station_store.open_store(path)  # migrates the station tables into the same file
    station_store.check(db.bind)
    migrate.check(f"sqlite:///{path}")
    db.dispose()
