"""`packline orders import` exit codes for files the door refuses in part or whole, and
`orders list` / `orders show` never writing a stored escape sequence raw to a terminal."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from app.services import intake
from app.services.context import system_actor
from app.store.db import Database
from tests.helpers.cli import bootstrap, packline
from tests.helpers.orders import drafts, order_record, write_jsonl


def test_import_exit_codes_all_good_some_broken_none_readable(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bootstrap(home)
    good = write_jsonl(tmp_path / "good.jsonl", [order_record("EX-1")])
    assert packline(home, "orders", "import", str(good), as_user="admin").returncode == 0

    some = tmp_path / "some.jsonl"
    bad = json.dumps(order_record("EX-3"), ensure_ascii=False).replace("张三", "张\\ud800三")
    write_jsonl(some, [order_record("EX-2"), bad, order_record("EX-4")])
    run = packline(home, "orders", "import", str(some), as_user="admin")
    assert run.returncode == 3, run.stderr
    assert "2 created" in run.stdout
    assert "line 2 [EX-3]: receiver.name holds U+D800" in run.stdout
    # Chinese first (the station's language), then English.
    chinese = run.stdout.index("第 2 行 [EX-3]：receiver.name 第 2 个字符是 U+D800")
    assert chinese < run.stdout.index("line 2 [EX-3]")
    assert "Traceback" not in run.stderr

    none = tmp_path / "none.csv"
    none.write_text("channel,channel_order_no\n" "jd,X\n", encoding="utf-8")
    run = packline(home, "orders", "import", str(none), as_user="admin")
    assert run.returncode == 2
    assert "line 1" in run.stdout and "header lacks" in run.stdout
    assert run.stderr.index("未导入任何订单") < run.stderr.index("nothing imported")

    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\xfd\n")
    run = packline(home, "orders", "import", str(binary), as_user="admin")
    assert run.returncode == 2
    assert "neither UTF-8 nor GB18030" in run.stderr and "line 1" in run.stderr
    assert "Traceback" not in run.stderr


def test_an_oversize_csv_field_is_a_named_row_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bootstrap(home)
    header = "channel,channel_order_no,receiver_name,receiver_phone,province,city,district," \
             "address,sku,qty,price,remark"
    row = "jd,{no},李四,13900139000,广东省,广州市,天河区,天河路385号,SKU-00001,1,59.00,{remark}"
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([header, row.format(no="BIG-1", remark="ok"),
                               row.format(no="BIG-2", remark="x" * 200_000),
                               row.format(no="BIG-3", remark="ok")]) + "\n", encoding="utf-8")
    run = packline(home, "orders", "import", str(path), "--json", as_user="admin")
    assert run.returncode == 3, run.stderr
    report = json.loads(run.stdout)
    assert report["created"] == 2
    assert [(e["line"], e["channel_order_no"]) for e in report["errors"]] == [(3, "BIG-2")]
    assert "oversize" in report["errors"][0]["reason"]


def test_orders_list_and_show_write_no_raw_escape_to_the_terminal(tmp_path: Path) -> None:
    """An order stored before the door cleaned text (here handed to `ingest` directly)."""
    home = tmp_path / "home"
    bootstrap(home)
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    try:
        [draft] = drafts(order_record("ESC-1"))
        hostile = replace(draft.receiver, name="\x1b]0;owned\x07\x1b[31m红\u202e\x9b2J")
        assert intake.ingest(db, system_actor(), [replace(draft, receiver=hostile)]).created
    finally:
        db.dispose()
    listing = packline(home, "orders", "list")
    shown = packline(home, "orders", "show", "ESC-1")
    as_json = packline(home, "orders", "list", "--json")
    for run in (listing, shown, as_json):
        assert run.returncode == 0, run.stderr
        for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert raw not in run.stdout
    assert "<U+001B>]0;owned<U+0007><U+001B>[31m红<U+202E><U+009B>2J" in listing.stdout
    assert "<U+001B>" in shown.stdout
    [row] = json.loads(as_json.stdout)
    assert row["receiver"].startswith("\x1b]0;owned")  # the JSON reader gets the stored text


def test_a_refused_order_twice_imports_nothing_and_says_so_in_both_languages(
        tmp_path: Path) -> None:
    """The same unknown-channel order twice: nothing stored and nothing there already, so the
    file imported nothing (exit 2); every sentence Chinese first, then English."""
    home = tmp_path / "home"
    bootstrap(home)
    path = write_jsonl(tmp_path / "unk.jsonl", [order_record("U1", channel="nochan")] * 2)
    run = packline(home, "orders", "import", str(path), as_user="admin")
    assert run.returncode == 2, run.stderr
    assert run.stdout.index("新建 0 单，已存在 0 单，有误 2 行") \
        < run.stdout.index("0 created, 0 already there, 2 broken row(s)")
    assert "line 2 [U1]: unknown channel 'nochan'" in run.stdout
    assert run.stderr.index(f"packline: 未导入任何订单：{path} 中没有一单能读取") \
        < run.stderr.index(f"packline: nothing imported: no order in {path} could be read")

    (home / "station.ini").write_text("[ui]\nlanguage = en\n", encoding="utf-8")
    run = packline(home, "orders", "import", str(path), as_user="admin")
    assert run.returncode == 2, run.stderr
    assert "0 created, 0 already there, 2 broken row(s)" in run.stdout
    assert "nothing imported" in run.stderr
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in run.stdout + run.stderr)


def test_orders_import_reads_a_taobao_xlsx_export(tmp_path: Path) -> None:
    from tests.helpers.sheets import TAOBAO_HEADER, taobao_row, write_sheet

    home = tmp_path / "home"
    bootstrap(home)
    path = write_sheet(tmp_path / "淘宝订单.xlsx", TAOBAO_HEADER, [
        taobao_row("CLI-X1", 店铺名称=None), taobao_row("CLI-X2", 联系手机="138****8000")])
    run = packline(home, "orders", "import", str(path), "--shop", "淘宝小店", as_user="admin")
    assert run.returncode == 3, run.stderr
    assert "1 created" in run.stdout
    assert "line 3 [CLI-X2]: the export hides the receiver" in run.stdout
    assert run.stdout.index("第 3 行 [CLI-X2]：导出文件隐藏了收件人") < run.stdout.index("line 3")
    again = packline(home, "orders", "import", str(path), "--shop", "淘宝小店", "--json",
                     as_user="admin")
    assert json.loads(again.stdout)["duplicates"] == 1
