"""`packline presale report` as a real process: the table, JSON, the workbook, and bad input
refused with exit status 2 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from app.services import demo
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database, make_engine
from tests.helpers import presale_report_data as data
from tests.helpers.cli import packline

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('presale_cli') / 'central.db'}"
    db = Database(make_engine(url))
    try:
        migrate.upgrade(db.bind)  # type: ignore[arg-type]
        demo.seed(db, system_actor(), orders=50, seed=3)
        with db.unit_of_work() as s:
            data.seed(s)
    finally:
        db.dispose()
    return url


def test_the_table_and_the_workbook(central: str, tmp_path: Path) -> None:
    out = tmp_path / "demand.xlsx"
    run = packline(tmp_path, "presale", "report", data.CODE, "--xlsx", str(out),
                   central_url=central, as_user="lead01")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    row = next(line for line in lines if line.startswith(data.CODE)).split()
    assert row[:9] == [data.CODE, "real", "5", "5", "3", "3", "60.0%", "3", "2"]
    # Per day: the day's deposits and balances, and the conversion of the day's deposits.
    assert any(line.startswith("2026-11-10 ") and line.split()[1:] == ["0", "0", "3", "3", "-"]
               for line in lines)
    assert any(line.startswith("2026-11-02 ")
               and line.split()[1:] == ["2", "1", "0", "0", "50.0%"] for line in lines)
    assert f"Workbook written: {out}" in run.stdout
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "汇总 Summary"
    assert wb["按规格 By option"]["A2"].value == "红色 M"


def test_json_with_a_period(central: str, tmp_path: Path) -> None:
    run = packline(tmp_path, "presale", "report", data.CODE, "--since", "2026-11-02",
                   "--until", "2026-11-04", "--json", central_url=central, as_user="lead01")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["since"] == "2026-11-02" and report["until"] == "2026-11-04"
    assert report["total"] == {"deposit_orders": 4, "deposit_units": 3, "balance_orders": 0,
                               "balance_units": 0, "converted": 2, "conversion": 0.5}
    assert report["xlsx"] is None
    assert [d["day"] for d in report["days"]] == ["2026-11-02", "2026-11-03", "2026-11-04"]
    every = packline(tmp_path, "presale", "report", "--json", central_url=central,
                     as_user="lead01")
    assert every.returncode == 0, every.stderr
    assert {c["code"] for c in json.loads(every.stdout)["campaigns"]} >= {data.CODE, "PS-FULL"}


@pytest.mark.parametrize(("args", "words"), [
    (("PS-NOPE",), "no presale campaign 'PS-NOPE'"),
    ((data.CODE, "--since", "2026-11-05", "--until", "2026-11-04"), "after it ends on"),
    ((data.CODE, "--since", "11/05"), "is not a day (YYYY-MM-DD)"),
])
def test_bad_input_is_refused(central: str, tmp_path: Path, args: tuple[str, ...],
                              words: str) -> None:
    out = tmp_path / "never.xlsx"
    run = packline(tmp_path, "presale", "report", *args, "--xlsx", str(out),
                   central_url=central, as_user="lead01")
    assert run.returncode == 2
    assert words in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()
