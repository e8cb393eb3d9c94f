"""Test set-up: headless Qt, real SQLite and PostgreSQL, each test in a rolled-back transaction.

`db` runs a test on both databases: a migrated SQLite file and a fresh PostgreSQL database,
each seeded once per run with the demo reference data and a few hundred orders. Changes a test
makes are rolled back at its end. With CI=true a missing PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PACKLINE_MUTE", "1")  # the suite plays no sounds; it reads what was asked
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from collections.abc import Iterator  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from app.services import demo  # noqa: E402
from app.services.context import system_actor  # noqa: E402
from app.store import migrate  # noqa: E402
from app.store.db import Database, make_engine  # noqa: E402
from tests.helpers.databases import require_pg, scratch_pg_database  # noqa: E402

# Property tests: a modest number of examples in the suite; `make fuzz` runs tests/property
# with the "fuzz" profile (PACKLINE_FUZZ_EXAMPLES examples per test) and reports the count.
settings.register_profile("suite", deadline=None, max_examples=100, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "fuzz", deadline=None, database=None,
    max_examples=int(os.environ.get("PACKLINE_FUZZ_EXAMPLES", "5000")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("PACKLINE_HYPOTHESIS_PROFILE", "suite"))

SEED_ORDERS = 300
SEED_NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if "gui" in path.parts:
            item.add_marker(pytest.mark.gui)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and any(v == "postgresql" for v in callspec.params.values()):
            item.add_marker(pytest.mark.pg)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.db'}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    require_pg()
    with scratch_pg_database("suite") as url:
        yield url


def _prepared_engine(url: str) -> sa.Engine:
    engine = make_engine(url)
    migrate.upgrade(engine)
    demo.seed(Database(engine), system_actor(), orders=SEED_ORDERS, seed=7, now=SEED_NOW)
    return engine


@pytest.fixture(scope="session")
def sqlite_engine(sqlite_url: str) -> Iterator[sa.Engine]:
    engine = _prepared_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = _prepared_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> sa.Engine:
    name = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def _rolled_back(engine: sa.Engine) -> Iterator[Database]:
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield Database(conn)
        finally:
            outer.rollback()


@pytest.fixture
def db(engine: sa.Engine) -> Iterator[Database]:
    """The seeded central database; everything the test writes is rolled back."""
    yield from _rolled_back(engine)


@pytest.fixture
def sqlite_db(sqlite_engine: sa.Engine) -> Iterator[Database]:
    yield from _rolled_back(sqlite_engine)


@pytest.fixture
def gui_db(sqlite_engine: sa.Engine, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the seeded SQLite file: screens' background threads need real
    connections, not the rolled-back test connection."""
    import shutil

    from app.ui import tasks

    source = sqlite_engine.url.database
    assert source
    with sqlite_engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    target = tmp_path / "central-copy.db"
    shutil.copy(source, target)
    copy = Database.from_url(f"sqlite:///{target}")
    yield copy
    assert tasks.wait_idle(10_000), "background tasks still running at teardown"
    copy.dispose()


@pytest.fixture
def station_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty PACKLINE_HOME with no central URL set: the embedded SQLite default."""
    home = tmp_path / "home"
    monkeypatch.setenv("PACKLINE_HOME", str(home))
    monkeypatch.delenv("PACKLINE_CENTRAL_URL", raising=False)
    return home


@pytest.fixture(params=["sqlite", "postgresql"])
def central(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A seeded central database of its own, on each engine: for what a station does over real
    connections of its own (pulling, pushing), which a rolled-back test connection cannot show."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'central.db'}"
        else:
            require_pg()
            url = stack.enter_context(scratch_pg_database("central"))
        db = Database(make_engine(url))
        stack.callback(db.dispose)
        migrate.upgrade(db.bind)  # type: ignore[arg-type]
        demo.seed(db, system_actor(), orders=200, seed=5)
        yield db
