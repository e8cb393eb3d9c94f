"""`packline presale …`: suppliers, deliveries entered and imported, the supplier board, the
slips raised, the promises and the compensations exported, as real processes on a station
folder seeded with the demo (whose first campaign's delivery on the road slips three days)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.helpers.cli import packline

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("presale_cli")
    run = packline(folder, "demo", "seed", "--orders", "300", "--seed", "4")
    assert run.returncode == 0, run.stderr
    return folder


def _json(run: Any) -> Any:
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_suppliers_listed_added_and_named_for_a_campaign(home: Path) -> None:
    listed = [json.loads(line) for line in packline(home, "presale", "suppliers")
              .stdout.splitlines()]
    assert [s["code"] for s in listed] == ["SUP-HZ", "SUP-NB", "SUP-SZ"]
    added = _json(packline(home, "presale", "suppliers", "add", "sup-x", "新工厂", "--phone",
                           "0571-1", as_user="lead01"))
    assert added == {"code": "SUP-X", "name": "新工厂", "phone": "0571-1", "active": True}
    assert _json(packline(home, "presale", "suppliers", "set", "PS-OFFSET", "SUP-X",
                          "SUP-HZ", as_user="lead01"))["backup_supplier"] == "SUP-HZ"
    refused = packline(home, "presale", "suppliers", "add", "SUP-Y", "x", as_user="packer01")
    assert refused.returncode != 0


def test_a_delivery_entered_and_the_board(home: Path) -> None:
    view = _json(packline(home, "presale", "supply", "PS-OFFSET", "--supplier", "SUP-X",
                          "--due", "2026-12-20", "--qty", "50", "--in-transit", "10",
                          "--expected", "2026-12-24", as_user="lead01"))
    assert (view["status"], view["expected_on"], view["in_transit"]) == (
        "in_transit", "2026-12-24", 10)
    board = _json(packline(home, "presale", "board", "PS-DOUBLE", "--json"))
    assert board["supplier"]["code"] == "SUP-HZ"
    assert board["backup_supplier"]["code"] == "SUP-NB"
    assert [(s["hours"], s["level"]) for s in board["slips"]] == [(72.0, 2)]
    assert board["total_demand"] == sum(d["demand"] for d in board["days"])
    text = packline(home, "presale", "board", "PS-DOUBLE")
    assert text.returncode == 0 and "level 2" in text.stdout
    bad = packline(home, "presale", "supply", "PS-OFFSET", "--supplier", "SUP-X", "--due",
                   "2026-12-21", "--qty", "5", "--arrived", "9", as_user="lead01")
    assert bad.returncode == 2 and "exceed" in bad.stderr


def test_an_import_refused_row_by_row_then_taken(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("活动,供应商,交期,数量\nPS-FULL,SUP-SZ,2026-12-30,10\n"
                   "PS-FULL,SUP-SZ,30/12/2026,10\nPS-NOPE,SUP-SZ,2026-12-31,1\n",
                   encoding="utf-8")
    run = packline(home, "presale", "supply-import", str(bad), as_user="lead01")
    assert run.returncode == 2
    assert "Row 3:" in run.stderr and "Row 4: there is no presale campaign PS-NOPE" in run.stderr
    good = tmp_path / "good.csv"
    good.write_text("campaign,supplier,due,qty,expected\nPS-FULL,SUP-SZ,2026-12-30,10,"
                    "2027-01-02\n", encoding="utf-8")
    assert _json(packline(home, "presale", "supply-import", str(good),
                          as_user="lead01")) == {"created": 1, "updated": 0}


def test_slips_raised_promises_and_compensations_exported(home: Path, tmp_path: Path) -> None:
    slipped = [json.loads(line) for line in packline(home, "presale", "slips")
               .stdout.splitlines()]
    assert any(d["campaign"] == "PS-DOUBLE" and d["level"] == 2 for d in slipped)
    raised = _json(packline(home, "presale", "slips", "PS-DOUBLE", "--raise",
                            as_user="lead01"))
    assert raised["campaigns"] == 1
    out = tmp_path / "promises.xlsx"
    run = _json(packline(home, "presale", "promises", "PS-DOUBLE", "--export", str(out),
                         as_user="lead01"))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert run["exported"] == run["open_orders"] == len(rows) - 1 > 0
    assert rows[0] == ("平台订单号", "Packline 单号", "承诺发货时间", "店铺显示")
    assert all(r[3].startswith("预计 ") for r in rows[1:] if r[2])
    # The export alone is a read: a packer may take the promises as stored, not recompute.
    stored = tmp_path / "stored.csv"
    as_stored = _json(packline(home, "presale", "promises", "PS-DOUBLE", "--export",
                               str(stored), "--no-recompute", as_user="packer01"))
    assert (as_stored["recomputed"], as_stored["exported"]) == (False, run["exported"])
    assert len(stored.read_text(encoding="utf-8-sig").splitlines()) == len(rows)
    refused = packline(home, "presale", "promises", "PS-DOUBLE", "--export", str(stored),
                       as_user="packer01")
    assert refused.returncode != 0 and "orders.change_status" in refused.stderr
    alone = packline(home, "presale", "promises", "PS-DOUBLE", "--no-recompute",
                     as_user="packer01")
    assert alone.returncode == 2 and "--export" in alone.stderr
    comp = tmp_path / "comp.csv"
    done = _json(packline(home, "presale", "compensations", "--export", str(comp),
                          as_user="lead01"))
    header = next(csv.reader(comp.read_text(encoding="utf-8-sig").splitlines()))
    assert header[2] == "平台订单号" and header[7] == "导出时间"
    everything = tmp_path / "all.csv"
    assert _json(packline(home, "presale", "compensations", "--export", str(everything),
                          "--all", as_user="lead01"))["exported"] == 0
    # The demo's orders are all covered by the delivery that arrived: nobody waits 72 h.
    assert done["exported"] == 0 and raised["compensated"] == 0
