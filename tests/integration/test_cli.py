"""The `packline` command line (app.cli.main) run as a real process: demo seed, orders list /
show / import, db upgrade against PostgreSQL, exit codes, and station.ini errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.services import orders
from app.services.context import system_actor
from app.store import migrate
from app.store.db import Database
from tests.helpers.cli import bootstrap, packline
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.orders import order_record, write_jsonl


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A station folder whose embedded database holds 200 demo orders, and the seed's report."""
    home = tmp_path_factory.mktemp("cli_home")
    run = packline(home, "demo", "seed", "--orders", "200", "--seed", "3")
    assert run.returncode == 0, run.stderr
    return home, json.loads(run.stdout)


@pytest.fixture
def seeded_home(seeded: tuple[Path, dict[str, Any]]) -> Path:
    return seeded[0]


def _rows(home: Path) -> list[orders.OrderRow]:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    try:
        return orders.list_orders(db, system_actor(), orders.OrderFilter(), sort="order_no",
                                  limit=5000)
    finally:
        db.dispose()


def test_demo_seed_prints_json_with_the_demo_users(seeded: tuple[Path, dict[str, Any]]
                                                   ) -> None:
    report = seeded[1]
    assert report["orders_created"] == 200
    assert report["orders_skipped"] == 0
    assert report["reference_created"] is True
    users = {u["code"]: (u["role"], u["password"]) for u in report["users"]}
    assert users == {"admin": ("admin", "admin123"), "lead01": ("shift_lead", "lead123"),
                     "packer01": ("packer", "packer123"),
                     "picker01": ("picker", "picker123")}
    assert (report["warehouses"], report["skus"], report["carriers"], report["campaigns"]) \
        == (3, 2000, 5, 5)


def test_demo_seed_reports_users_and_is_idempotent(seeded_home: Path) -> None:
    assert (seeded_home / "station.db").exists()
    run = packline(seeded_home, "demo", "seed", "--orders", "200", "--seed", "3",
                   as_user="admin")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["orders_created"] == 0
    assert report["orders_skipped"] == 200
    assert report["reference_created"] is False
    assert report["warehouses"] == 3 and report["skus"] == 2000


def test_demo_seed_refuses_a_negative_count(tmp_path: Path) -> None:
    run = packline(tmp_path, "demo", "seed", "--orders", "-5")
    assert run.returncode == 2
    assert "--orders" in run.stderr
    assert run.stdout == ""


def test_orders_list_json(seeded_home: Path) -> None:
    run = packline(seeded_home, "orders", "list", "--json")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert isinstance(rows, list) and len(rows) == 200
    for row in rows:
        for key in ("channel", "channel_order_no", "status", "warehouse", "carrier",
                    "exception", "priority"):
            assert key in row, key
        assert isinstance(row["priority"], int)
    assert len({r["order_no"] for r in rows}) == 200
    assert len({r["channel"] for r in rows}) >= 3


def test_orders_list_by_status(seeded_home: Path) -> None:
    first = _rows(seeded_home)[0]
    db = Database.from_url(f"sqlite:///{seeded_home / 'station.db'}")
    try:
        orders.change_status(db, system_actor(), first.order_no, "pending_review")
    finally:
        db.dispose()

    new = json.loads(packline(seeded_home, "orders", "list", "--status", "new",
                              "--json").stdout)
    assert len(new) == 199
    assert {r["status"] for r in new} == {"new"}
    assert first.order_no not in {r["order_no"] for r in new}

    review = packline(seeded_home, "orders", "list", "--status", "pending_review", "--json")
    assert [r["order_no"] for r in json.loads(review.stdout)] == [first.order_no]

    bad = packline(seeded_home, "orders", "list", "--status", "lost")
    assert bad.returncode == 2
    assert "unknown order status" in bad.stderr and "pending_review" in bad.stderr


def test_orders_show_json(seeded_home: Path) -> None:
    target = _rows(seeded_home)[17].as_json()
    run = packline(seeded_home, "orders", "show", target["channel_order_no"], "--json")
    assert run.returncode == 0, run.stderr
    detail = json.loads(run.stdout)
    assert detail["order_no"] == target["order_no"]
    assert detail["channel_order_no"] == target["channel_order_no"]
    for key in ("lines", "packages", "tracking_numbers", "history", "receiver", "payments"):
        assert key in detail, key
    assert len(detail["lines"]) >= 1 and all(ln["qty"] > 0 for ln in detail["lines"])
    assert detail["packages"] == [] and detail["tracking_numbers"] == []
    assert detail["history"][0]["action"] == "order.created"

    text = packline(seeded_home, "orders", "show", target["order_no"])
    assert text.returncode == 0 and target["order_no"] in text.stdout


def test_orders_show_unknown_order(seeded_home: Path) -> None:
    run = packline(seeded_home, "orders", "show", "NOPE", "--json")
    assert run.returncode == 2
    assert "no order NOPE" in run.stderr
    assert run.stdout == ""


def test_orders_import_with_a_broken_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = write_jsonl(tmp_path / "orders.jsonl", [
        order_record("CLI-1"),
        order_record("CLI-2", qty=0),
        "this is not json",
        order_record("CLI-3", sku="SKU-00003"),
    ])
    bootstrap(home)
    run = packline(home, "orders", "import", str(path), as_user="admin")
    assert run.returncode == 3, run.stderr
    assert "2 created" in run.stdout
    assert "line 2 [CLI-2]" in run.stdout and "qty" in run.stdout
    assert "line 3" in run.stdout and "not valid JSON" in run.stdout

    assert sorted(r.channel_order_no for r in _rows(home)) == ["CLI-1", "CLI-3"]

    again = packline(home, "orders", "import", str(path), "--json", as_user="admin")
    assert again.returncode == 3
    report = json.loads(again.stdout)
    assert (report["created"], report["duplicates"]) == (0, 2)
    assert [(e["line"], e["channel_order_no"]) for e in report["errors"]] == [
        (2, "CLI-2"), (3, None)]


def test_orders_import_of_a_clean_file_exits_zero(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "clean.jsonl", [order_record("OK-1")])
    bootstrap(tmp_path / "home")
    run = packline(tmp_path / "home", "orders", "import", str(path), "--json", as_user="admin")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"file": str(path), "created": 1, "duplicates": 0,
                                      "errors": []}


def test_an_encrypted_receiver_is_shown_masked_with_its_mark(tmp_path: Path) -> None:
    cipher = {"name": "~SEALEDNAME~", "phone": "$SEALEDPHONE$", "address": "~SEALEDADDR~"}
    sealed = {"name": "张**", "phone": "138****8000", "province": "浙江省", "city": "杭州市",
              "district": "西湖区", "address": "文三路****", "oaid": "OAID-SEALED-a1b2c3",
              "cipher": cipher}
    path = write_jsonl(tmp_path / "sealed.jsonl", [order_record("ENC-CLI", receiver=sealed)])
    home = tmp_path / "home"
    bootstrap(home)
    imported = packline(home, "orders", "import", str(path), as_user="admin")
    assert imported.returncode == 0, imported.stderr
    shown = packline(home, "orders", "show", "ENC-CLI")
    assert shown.returncode == 0, shown.stderr
    assert "张** 138****8000" in shown.stdout and "文三路****" in shown.stdout
    assert "encrypted receiver (platform), OAID …a1b2c3" in shown.stdout
    listed = packline(home, "orders", "list")
    assert "张** [encrypted]" in listed.stdout
    as_json = packline(home, "orders", "show", "ENC-CLI", "--json")
    receiver = json.loads(as_json.stdout)["receiver"]
    assert receiver["encrypted"] and receiver["oaid_end"] == "…a1b2c3"
    everything = imported.stdout + shown.stdout + listed.stdout + as_json.stdout + (
        imported.stderr + shown.stderr + listed.stderr)
    logs = "".join(f.read_text(encoding="utf-8") for f in (home / "logs").glob("*.log*"))
    assert "ENC-CLI" in logs or "import" in logs  # the station's log was written
    assert "SEALED" not in everything + logs


def test_orders_import_of_a_missing_file(tmp_path: Path) -> None:
    bootstrap(tmp_path / "home")
    run = packline(tmp_path / "home", "orders", "import", str(tmp_path / "nope.jsonl"),
                   as_user="admin")
    assert run.returncode == 2
    assert "cannot read" in run.stderr


@pytest.mark.pg
def test_db_upgrade_on_postgresql(tmp_path: Path) -> None:
    require_pg()
    with scratch_pg_database("cli") as url:
        run = packline(tmp_path, "db", "upgrade", central_url=url)
        assert run.returncode == 0, run.stderr
        assert migrate.head_revision() in run.stderr
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                assert migrate.current_revision(conn) == migrate.head_revision()
        finally:
            engine.dispose()
        check = packline(tmp_path, "db", "check", central_url=url)
        assert check.returncode == 0, check.stderr
    assert not (tmp_path / "station.db").exists()


@pytest.mark.parametrize(("ini", "words"), [
    ("[ui]\nlanguage = en\ncolour = blue\n", "colour"),
    ("[station]\ncode = ST-9\n[scanner]\nport = /dev/ttyUSB0\n", "port"),
    ("[central]\nconnect_timeout = lots\n", "connect_timeout"),
    ("[demo]\nseed_on_first_start = maybe\n", "seed_on_first_start"),
    ("[ui\nlanguage = en\n", "station.ini"),
])
def test_a_bad_station_ini_stops_the_cli(tmp_path: Path, ini: str, words: str) -> None:
    (tmp_path / "station.ini").write_text(ini, encoding="utf-8")
    run = packline(tmp_path, "orders", "list", "--json")
    assert run.returncode == 2
    assert words in run.stderr
    assert run.stdout == ""
    assert not (tmp_path / "station.db").exists()


def test_orders_list_says_when_it_shows_only_part(seeded_home: Path) -> None:
    run = packline(seeded_home, "orders", "list", "--json", "--limit", "50")
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)) == 50
    assert "showing 50 of 200" in run.stderr
    whole = packline(seeded_home, "orders", "list", "--json", "--limit", "500")
    assert "showing" not in whole.stderr


def test_an_unreachable_central_database_is_one_clear_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = packline(tmp_path / "home", "orders", "list",
                   central_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/none")
    assert run.returncode == 1
    assert f"database error at postgresql+psycopg://postgres@127.0.0.1:{port}/none" in run.stderr
    assert "Traceback" not in run.stderr
