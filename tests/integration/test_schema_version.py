"""The central database records its schema's revision, and a station whose build does not
fit it is refused with a clear message naming both: a database a newer Packline migrated
(this station too old) and one this build's migrations have not reached yet (this station
too new), on SQLite and PostgreSQL — in the services, at the command line (every command
that opens the central database, `db upgrade` excepted, which is how IT puts it right), in
the order engine's start, and in the station's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.services import engine as order_engine
from app.services import schema
from app.services.context import system_actor
from app.services.schema import SchemaRefused
from app.services.setup import prepare_database, prepare_embedded
from app.store import migrate
from app.store.db import Database, make_engine
from app.ui.messages import word_in, words_in
from tests.helpers.cli import REPO, packline
from tests.helpers.databases import closed_port, require_pg, scratch_pg_database

HEAD = migrate.build_revision()
OLDER = "0015"  # a revision of this build before its head
FUTURE = "0099_from_a_newer_packline"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.db'}"
        return
    require_pg()
    with scratch_pg_database("schema") as pg:
        yield pg


@pytest.fixture
def database(url: str) -> Iterator[Database]:
    db = Database(make_engine(url, connect_timeout=5))
    yield db
    db.dispose()


def _recorded(db: Database) -> list[str]:
    with db.bind.connect() as conn:  # type: ignore[union-attr]
        return [r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))]


def _set_revision(db: Database, *revisions: str) -> None:
    """What a newer Packline's migration would leave: a revision this build does not know."""
    with db.bind.begin() as conn:  # type: ignore[union-attr]
        conn.execute(sa.text("DELETE FROM alembic_version"))
        for revision in revisions:
            conn.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:r)"),
                         {"r": revision})


def test_the_state_names_each_case(database: Database) -> None:
    assert migrate.state_of(database.bind) == migrate.SchemaState("empty", None, HEAD)
    migrate.upgrade(database.bind, OLDER)
    assert migrate.state_of(database.bind) == migrate.SchemaState("behind", OLDER, HEAD)
    migrate.upgrade(database.bind)
    state = migrate.state_of(database.bind)
    assert state == migrate.SchemaState("current", HEAD, HEAD) and state.fits
    _set_revision(database, FUTURE)
    assert migrate.state_of(database.bind) == migrate.SchemaState("ahead", FUTURE, HEAD)
    _set_revision(database, HEAD, FUTURE)
    assert migrate.state_of(database.bind).kind == "unknown"


def test_a_database_behind_the_build_is_refused_naming_both_revisions(
        database: Database) -> None:
    migrate.upgrade(database.bind, OLDER)
    with pytest.raises(SchemaRefused) as refused:
        schema.require(database)
    assert refused.value.code == "schema.station_too_new"
    assert OLDER in str(refused.value) and HEAD in str(refused.value)
    assert "packline db upgrade" in str(refused.value)
    assert refused.value.params["database"] == OLDER and refused.value.params["build"] == HEAD
    # Refused before anything is read or written: the database is as it was.
    assert _recorded(database) == [OLDER]


def test_a_database_ahead_of_the_build_is_refused_and_left_alone(database: Database) -> None:
    migrate.upgrade(database.bind)
    _set_revision(database, FUTURE)
    for embedded in (False, True):
        with pytest.raises(SchemaRefused) as refused:
            schema.require(database, embedded=embedded)
        assert refused.value.code == "schema.station_too_old"
        assert FUTURE in str(refused.value) and HEAD in str(refused.value)
    # The app's start on it (the embedded database too) refuses before migrating anything.
    for embedded in (False, True):
        with pytest.raises(SchemaRefused):
            prepare_database(database, embedded=embedded, seed_demo=True, station="ST-T")
    assert _recorded(database) == [FUTURE]


def test_a_current_database_is_fine_and_the_embedded_one_is_brought_up(
        database: Database) -> None:
    with pytest.raises(SchemaRefused) as refused:
        schema.require(database)  # never migrated: a server IT has not set up yet
    assert refused.value.code == "schema.not_migrated"
    migrate.upgrade(database.bind, OLDER)
    # The embedded database is the station's own: behind is not refused, it is migrated.
    assert prepare_embedded(database, seed_demo=False, station="ST-T") == 0
    assert _recorded(database) == [HEAD]
    state = schema.require(database)
    assert state is not None and state.kind == "current"
    assert prepare_database(database, embedded=False, seed_demo=True, station="ST-T") == 0


def test_several_revisions_are_refused(database: Database) -> None:
    migrate.upgrade(database.bind)
    _set_revision(database, HEAD, FUTURE)
    with pytest.raises(SchemaRefused) as refused:
        schema.require(database, embedded=True)
    assert refused.value.code == "schema.unknown"


def test_the_engine_does_not_start_on_a_schema_it_does_not_know(database: Database) -> None:
    migrate.upgrade(database.bind)
    _set_revision(database, FUTURE)
    with pytest.raises(SchemaRefused):
        order_engine.run_forever(database, system_actor(), stop=lambda: True)


def _out_of_reach() -> Database:
    """A server address nothing answers at."""
    return Database(make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/x",
                                connect_timeout=2))


def test_a_central_database_out_of_reach_is_not_refused() -> None:
    """The station works offline; the schema is checked when it can be read."""
    down = _out_of_reach()
    try:
        assert schema.require(down) is None
    finally:
        down.dispose()


def test_the_sync_gate_opens_on_a_fit_schema_and_checks_again_after_the_server_was_gone(
        database: Database) -> None:
    """Found fit once, the sync goes on without asking again while the server answers; after
    it was out of reach the schema is checked again (a newer Packline upgraded it meanwhile),
    and a refusal is kept for good."""
    migrate.upgrade(database.bind)
    gate = schema.SchemaGate(database)
    assert not gate.fits
    assert gate.ensure() is True and gate.fits and gate.state is not None
    _set_revision(database, FUTURE)
    assert gate.ensure() is True  # no new check while connected
    gate.lost()
    with pytest.raises(SchemaRefused) as refused:
        gate.ensure()
    assert refused.value.code == "schema.station_too_old" and not gate.fits
    _set_revision(database, HEAD)
    with pytest.raises(SchemaRefused):
        gate.ensure()  # refused until this station runs the version that fits
    assert _recorded(database) == [HEAD]


def test_the_sync_gate_stays_shut_without_refusing_while_out_of_reach() -> None:
    down = _out_of_reach()
    try:
        gate = schema.SchemaGate(down)
        assert gate.ensure() is False and gate.ensure() is False
        assert not gate.fits and gate.refused is None
    finally:
        down.dispose()


@pytest.mark.parametrize("code", ["schema.station_too_old", "schema.station_too_new",
                                  "schema.not_migrated", "schema.unknown"])
def test_the_refusal_reads_chinese_with_both_revisions(code: str) -> None:
    params = {"database": FUTURE, "build": HEAD, "version": "2.3.0"}
    chinese = word_in(words_in("zh_CN"), code, params)
    english = word_in(words_in("en"), code, params)
    assert chinese and english and chinese != english
    assert "中央数据库" in chinese
    for text in (chinese, english):
        assert HEAD in text and "2.3.0" in text
        if code != "schema.not_migrated":
            assert FUTURE in text


# ---------------------------------------------------------------- the command line


@pytest.mark.pg
def test_the_command_line_refuses_a_server_behind_until_db_upgrade(tmp_path: Path) -> None:
    """A server database behind the build: a command refuses (exit 2, naming both
    revisions) and changes nothing, until `packline db upgrade`, which still works on it."""
    require_pg()
    with scratch_pg_database("schema-cli") as url:
        db = Database(make_engine(url))
        try:
            migrate.upgrade(db.bind, OLDER)
            home = tmp_path / "home"
            done = packline(home, "orders", "list", "--limit", "1", central_url=url)
            assert done.returncode == 2, done.stderr
            assert "older than this Packline" in done.stderr
            assert OLDER in done.stderr and HEAD in done.stderr
            assert "packline db upgrade" in done.stderr and "Traceback" not in done.stderr
            assert _recorded(db) == [OLDER]
            done = packline(home, "db", "upgrade", central_url=url)
            assert done.returncode == 0, done.stderr
            assert _recorded(db) == [HEAD]
            done = packline(home, "orders", "list", "--limit", "1", central_url=url)
            assert done.returncode == 0, done.stderr
        finally:
            db.dispose()


def test_the_command_line_brings_an_embedded_database_behind_up(tmp_path: Path) -> None:
    """The embedded database is the station's own: behind is migrated, not refused."""
    home = tmp_path / "home"
    home.mkdir()
    db = Database(make_engine(f"sqlite:///{home / 'station.db'}"))
    try:
        migrate.upgrade(db.bind, OLDER)
        done = packline(home, "orders", "list", "--limit", "1")
        assert done.returncode == 0, done.stderr
        assert _recorded(db) == [HEAD]
    finally:
        db.dispose()


def test_the_command_line_refuses_a_database_a_newer_packline_migrated(
        url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    if url.startswith("sqlite"):
        url = f"sqlite:///{home / 'station.db'}"  # the station's own embedded database
    db = Database(make_engine(url))
    try:
        migrate.upgrade(db.bind)
        _set_revision(db, FUTURE)
        for args in (("orders", "list", "--limit", "1"), ("demo", "seed", "--orders", "5"),
                     ("engine", "run", "--once")):
            done = packline(home, *args, central_url=url, as_user="lead01")
            assert done.returncode == 2, (args, done.stderr)
            assert "a newer Packline upgraded it" in done.stderr, done.stderr
            assert FUTURE in done.stderr and HEAD in done.stderr
            assert "Traceback" not in done.stderr
        assert _recorded(db) == [FUTURE]  # nothing migrated, nothing seeded
        with db.reader() as s:
            assert not s.execute(sa.text("SELECT count(*) FROM orders")).scalar()
    finally:
        db.dispose()


# ---------------------------------------------------------------- the station store

STORE_FUTURE = "s9999_from_a_newer_packline"


def test_a_station_store_a_newer_packline_migrated_is_refused_and_left_alone(
        tmp_path: Path) -> None:
    """The station's own store (station.db, its own migrations) at a revision this build
    does not know: every station command says so in one line (exit 2) and leaves it as it
    is; `packline doctor` fails its store check."""
    import json
    import sqlite3

    home = tmp_path / "home"
    home.mkdir()
    (home / "station.ini").write_text("[station]\ncode = ST-STORE\n", encoding="utf-8")
    done = packline(home, "sync", "status")
    assert done.returncode == 0, done.stderr
    store = home / "station.db"
    con = sqlite3.connect(store)
    try:
        with con:
            con.execute("UPDATE station_alembic_version SET version_num = ?", (STORE_FUTURE,))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    before = store.read_bytes()
    for args in (("sync", "status"), ("print", "queue")):
        done = packline(home, *args)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert str(store) in lines[0] and STORE_FUTURE in lines[0]
        assert "a newer Packline migrated it" in lines[0]
    assert store.read_bytes() == before  # nothing migrated, nothing written
    done = packline(home, "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert done.returncode == 1, done.stdout
    assert checks["station store"]["status"] == "fail", checks["station store"]
    assert checks["station store"]["details"]["code"] == "schema.store_too_new"
    assert checks["station store"]["details"]["schema"] == STORE_FUTURE


def test_the_store_and_grant_refusals_read_in_both_languages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import messages

    # This checkout's translations (an editable install may point elsewhere).
    monkeypatch.setattr(messages, "resources_dir", lambda: REPO / "resources")
    params = {"database": STORE_FUTURE, "build": "s0008", "version": "2.3.0",
              "path": "C:\\ProgramData\\Packline\\station.db"}
    chinese = word_in(words_in("zh_CN"), "schema.store_too_new", params)
    english = word_in(words_in("en"), "schema.store_too_new", params)
    assert chinese and english and chinese != english
    for text in (chinese, english):
        assert STORE_FUTURE in text and "2.3.0" in text and params["path"] in text
    chinese = word_in(words_in("zh_CN"), "schema.no_grant", params)
    english = word_in(words_in("en"), "schema.no_grant", params)
    assert chinese and english and chinese != english
    for text in (chinese, english):
        assert "packline db roles --apply" in text and "2.3.0" in text


@pytest.mark.pg
def test_a_login_not_granted_the_version_table_is_told_to_run_db_roles(
        tmp_path: Path) -> None:
    """A login role granted by an older Packline, before the roles read `alembic_version`:
    refused in words naming `packline db roles --apply`, at the command line, in the
    services and by the doctor (reached, but the schema not readable)."""
    import json
    import uuid

    from sqlalchemy.engine import make_url

    require_pg()
    role = f"packline_old_grants_{uuid.uuid4().hex[:8]}"
    with scratch_pg_database("schema-grant") as url:
        owner = Database(make_engine(url))
        try:
            migrate.upgrade(owner.bind)
            with owner.bind.connect() as conn:
                conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
                conn.execute(sa.text(f'GRANT SELECT ON orders TO "{role}"'))
                conn.commit()
            as_role = make_url(url).set(username=role, password=None).render_as_string(
                hide_password=False)
            db = Database(make_engine(as_role))
            try:
                with pytest.raises(schema.SchemaNotGranted) as refused:
                    schema.require(db)
                assert refused.value.code == "schema.no_grant"
            finally:
                db.dispose()
            home = tmp_path / "home"
            done = packline(home, "orders", "list", "--limit", "1", central_url=as_role)
            assert done.returncode == 2, done.stderr
            assert "packline db roles --apply" in done.stderr, done.stderr
            assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
            done = packline(home, "doctor", "--json", central_url=as_role)
            checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
            assert checks["central database"]["status"] == "ok", checks["central database"]
            assert checks["schema"]["status"] == "fail"
            assert checks["schema"]["details"]["code"] == "schema.no_grant"
            assert "packline db roles --apply" in checks["schema"]["message"]
        finally:
            with owner.bind.connect() as conn:
                conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
                conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
                conn.commit()
            owner.dispose()
