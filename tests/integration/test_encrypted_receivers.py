"""Orders whose receiver the platform keeps encrypted (OAID, ciphertexts, masked name, phone and
address) on SQLite and PostgreSQL: imported from JSON Lines and CSV, validated and routed from
the plain region, merged by merge key or OAID and never by masks, split with their encryption,
changed by an address event, and never shown or logged but as masks."""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.intake import CSV_COLUMNS
from app.services import channel_events, engine, exceptions, intake, orders
from app.services.context import system_actor
from app.services.errors import InvalidInput
from app.services.orders import OrderFilter
from app.store.db import Database
from app.store.models import ChannelEvent, Order
from tests.helpers.orders import ENGINE_NOW, order_record, sku_in_every_warehouse, write_jsonl

NOW = ENGINE_NOW
CIPHER = {"name": "~AgAAAAYlNzxSEALEDNAME7Q==~", "phone": "$AgAAAAYlN0SEALEDPHONE8w==$",
          "address": "~AgAAAAYlNzSEALEDADDRESSw==~"}
OAID = "1Hj9dLxQb7SEALEDOAIDwwRmZ2"
SECRETS = (*CIPHER.values(), OAID, "SEALED")


def receiver(**changes: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"name": "张**", "phone": "138****8000", "province": "浙江省",
                         "city": "杭州市", "district": "西湖区", "address": "文三路****",
                         "oaid": OAID, "cipher": dict(CIPHER)}
    r.update(changes)
    return r


def sealed(number: str, minutes: int = 1, **changes: Any) -> dict[str, Any]:
    changes.setdefault("receiver", receiver())
    return order_record(number, paid_at=f"2026-11-11T00:{minutes:02d}:00+08:00", **changes)


def _import(db: Database, tmp_path: Path, *records: dict[str, Any]) -> None:
    report = intake.import_file(db, system_actor(), write_jsonl(tmp_path / "o.jsonl", records))
    assert report.errors == [] and report.created == len(records)


def _order(db: Database, number: str) -> Order:
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.channel_order_no == number)).one()
        s.expunge(o)
        return o


def _is_null(db: Database, number: str, column: str) -> bool:
    with db.reader() as s:
        col = getattr(Order, column)
        return bool(s.scalar(select(col.is_(None)).where(Order.channel_order_no == number)))


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize("count", [3, 25])  # a few rows, and a batch PostgreSQL COPYs
def test_jsonl_import_stores_oaid_ciphertexts_and_merge_key(db: Database, tmp_path: Path,
                                                             count: int) -> None:
    records = [sealed(f"ENC-J{n}", merge_key=f"MK-{n}") for n in range(count)]
    records.append(order_record("ENC-PLAIN"))
    _import(db, tmp_path, *records)
    o = _order(db, "ENC-J0")
    assert (o.receiver_name, o.receiver_phone, o.address) == ("张**", "138****8000", "文三路****")
    assert (o.province, o.city, o.district) == ("浙江省", "杭州市", "西湖区")
    assert o.receiver_oaid == OAID and o.receiver_cipher == CIPHER and o.merge_key == "MK-0"
    # A plaintext receiver stores SQL NULLs (not JSON null), so "encrypted" is IS NOT NULL.
    plain = _order(db, "ENC-PLAIN")
    assert plain.receiver_oaid is plain.receiver_cipher is plain.merge_key is None
    assert _is_null(db, "ENC-PLAIN", "receiver_cipher")
    assert not _is_null(db, "ENC-J0", "receiver_cipher")


def test_csv_import_stores_the_encrypted_receiver(db: Database, tmp_path: Path) -> None:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update(channel="pdd", shop="拼多多店", channel_order_no="ENC-C1", receiver_name="李*",
               receiver_phone="*******1111", province="广东省", city="广州市", district="天河区",
               address="体育西路****", sku="SKU-00002", qty="1", price="39.90",
               receiver_name_cipher=CIPHER["name"], receiver_phone_cipher=CIPHER["phone"],
               address_cipher=CIPHER["address"], merge_key="PDD-MK-1")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    writer.writerow({**row, "sku": "SKU-00003"})
    path = tmp_path / "o.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    report = intake.import_file(db, system_actor(), path)
    assert report.errors == [] and report.created == 1
    o = _order(db, "ENC-C1")
    assert o.receiver_oaid is None and o.receiver_cipher == CIPHER
    assert (o.receiver_name, o.receiver_phone, o.merge_key) == ("李*", "*******1111", "PDD-MK-1")


def test_a_malformed_cipher_is_refused_by_its_field_and_never_echoed(
        db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bad = sealed("ENC-BAD", receiver=receiver(cipher={**CIPHER, "phone": "$SEALED\u0001$"}))
    caplog.set_level(logging.DEBUG)
    report = intake.import_file(db, system_actor(), write_jsonl(tmp_path / "b.jsonl", [bad]))
    assert report.created == 0
    [error] = report.errors
    assert error.code == "intake.opaque_not_ascii"
    assert error.params["field"] == "receiver.cipher.phone"
    shown = json.dumps(report.as_json(), ensure_ascii=False) + caplog.text
    assert not any(secret in shown for secret in SECRETS)


# --------------------------------------------------------------------------- the engine


def test_encrypted_orders_validate_and_route_from_the_plain_region(db: Database,
                                                                    tmp_path: Path) -> None:
    sku = sku_in_every_warehouse(db)
    _import(db, tmp_path, sealed("ENC-R1", sku=sku, qty=1),
            sealed("ENC-R2", sku=sku, qty=1, receiver=receiver(oaid=None, province="火星省")),
            order_record("ENC-R3", sku=sku, qty=1,
                         receiver={**receiver(oaid=None, cipher=None)}))
    engine.run_once(db, system_actor(), now=NOW)
    assert _order(db, "ENC-R1").status == "routed"
    bad_region = _order(db, "ENC-R2")
    assert (bad_region.status, bad_region.exception) == ("exception", "address_invalid")
    # Masks on a receiver the platform did not encrypt cannot be delivered.
    masked_plain = _order(db, "ENC-R3")
    assert (masked_plain.status, masked_plain.exception) == ("exception", "receiver_incomplete")


def _merged_into(db: Database, *numbers: str) -> set[int | None]:
    return {_order(db, n).merged_into_id for n in numbers}


def test_orders_merge_by_merge_key_then_oaid_never_by_masks(db: Database,
                                                             tmp_path: Path) -> None:
    engine.run_once(db, system_actor(), now=NOW)  # the seeded backlog out of the way
    sku = sku_in_every_warehouse(db)
    line = {"sku": sku, "qty": 1}
    no_oaid = receiver(oaid=None)
    _import(db, tmp_path,
            # one merge key, other buyers and masks: the platform says they ship together
            sealed("MK-A1", 1, merge_key="KEY-A", buyer="b1", **line),
            sealed("MK-A2", 5, merge_key="KEY-A", buyer="b2",
                   receiver=receiver(oaid=None, name="李*"), **line),
            # one OAID, no merge key
            sealed("OA-B1", 2, receiver=receiver(oaid="OAID-B"), **line),
            sealed("OA-B2", 6, receiver=receiver(oaid="OAID-B"), **line),
            # masks only: "张**" at "文三路****" is many people
            sealed("MASK-C1", 3, receiver=no_oaid, **line),
            sealed("MASK-C2", 7, receiver=no_oaid, **line),
            # a plaintext receiver, and the platform's encrypted one of the same person: never
            # together
            sealed("PLAIN-D1", 4, receiver=order_record("x")["receiver"], **line),
            sealed("ENC-D2", 8, receiver=receiver(
                name="张三", phone="13800138000", address="文三路90号", oaid="OAID-D"), **line))
    report = engine.run_once(db, system_actor(), now=NOW)
    assert report.merged == 4
    [key_merge] = _merged_into(db, "MK-A1", "MK-A2")
    [oaid_merge] = _merged_into(db, "OA-B1", "OA-B2")
    assert key_merge is not None and oaid_merge is not None and key_merge != oaid_merge
    assert _merged_into(db, "MASK-C1", "MASK-C2", "PLAIN-D1", "ENC-D2") == {None}
    with db.reader() as s:
        merged = s.get_one(Order, key_merge)
        assert merged.status == "routed" and merged.channel_order_no == "MK-A1+M2"
        # The merged order keeps the platform's receiver: the print component needs it.
        assert merged.receiver_cipher == CIPHER and merged.merge_key == "KEY-A"
        assert s.get_one(Order, oaid_merge).receiver_oaid == "OAID-B"


def test_split_parts_keep_the_encrypted_receiver(db: Database, tmp_path: Path) -> None:
    from sqlalchemy import func

    from app.store.models import Sku, Stock, Warehouse

    with db.reader() as s:
        only = dict(s.execute(
            select(Warehouse.code, func.min(Sku.code)).join(Stock, Stock.sku_id == Sku.id)
            .join(Warehouse, Warehouse.id == Stock.warehouse_id)
            .where(Stock.on_hand > 5, Sku.bulky.is_(False), Sku.code < "SKU-01900",
                   Sku.id.in_(select(Stock.sku_id).group_by(Stock.sku_id)
                              .having(func.count() == 1)))
            .group_by(Warehouse.code)).all())
    _import(db, tmp_path, sealed("ENC-SPLIT", merge_key="KEY-S",
                                 lines=[{"sku": only["HZ"], "qty": 1, "price": "10.00"},
                                        {"sku": only["GZ"], "qty": 1, "price": "20.00"}]))
    engine.run_once(db, system_actor(), now=NOW)
    parent = _order(db, "ENC-SPLIT")
    assert parent.status == "split"
    with db.reader() as s:
        children = list(s.scalars(select(Order).where(Order.parent_id == parent.id)))
        assert len(children) == 2
        for child in children:
            assert (child.receiver_oaid, child.receiver_cipher, child.merge_key) == (
                OAID, CIPHER, "KEY-S")
            assert (child.receiver_name, child.receiver_phone) == ("张**", "138****8000")


# --------------------------------------------------------------------------- address changes


def test_an_address_change_replaces_the_encrypted_receiver_whole(db: Database,
                                                                  tmp_path: Path) -> None:
    _import(db, tmp_path, sealed("ENC-EV"))
    new_cipher = {"name": "~NEWNAME~", "phone": "$NEWPHONE$", "address": "~NEWADDR~"}
    result = channel_events.apply_event(
        db, system_actor(), "taobao", "ENC-EV", "address_changed", "a-1",
        {"receiver": receiver(name="王*", phone="139****1111", province="北京市", city="北京市",
                              district="朝阳区", address="建国路****", oaid="OAID-NEW",
                              cipher=new_cipher)})
    assert result.effect == "address changed"
    o = _order(db, "ENC-EV")
    assert (o.receiver_name, o.receiver_phone, o.district, o.address) == (
        "王*", "139****1111", "朝阳区", "建国路****")
    assert (o.receiver_oaid, o.receiver_cipher) == ("OAID-NEW", new_cipher)
    # A plaintext receiver given later clears them.
    plain = {"name": "王五", "phone": "13900001111", "province": "北京市", "city": "北京市",
             "district": "朝阳区", "address": "建国路88号"}
    channel_events.apply_event(db, system_actor(), "taobao", "ENC-EV", "address_changed",
                               "a-2", {"receiver": plain})
    o = _order(db, "ENC-EV")
    assert o.receiver_oaid is None and o.receiver_cipher is None
    assert _is_null(db, "ENC-EV", "receiver_cipher")


def test_a_malformed_address_change_changes_nothing_and_never_echoes(db: Database,
                                                                     tmp_path: Path) -> None:
    _import(db, tmp_path, sealed("ENC-EV-BAD"))
    before = _order(db, "ENC-EV-BAD")
    bad = receiver(cipher={**CIPHER, "address": "~SEALED 文三路~"})
    with pytest.raises(InvalidInput) as refused:
        channel_events.apply_event(db, system_actor(), "taobao", "ENC-EV-BAD",
                                   "address_changed", "a-1", {"receiver": bad})
    assert refused.value.code == "intake.opaque_not_ascii"
    assert refused.value.params["field"] == "receiver.cipher.address"
    assert not any(secret in str(refused.value) + str(refused.value.params)
                   for secret in SECRETS)
    after = _order(db, "ENC-EV-BAD")
    assert (after.receiver_cipher, after.address, after.version) == (
        before.receiver_cipher, before.address, before.version)
    with db.reader() as s:
        assert s.scalars(select(ChannelEvent).where(
            ChannelEvent.channel_order_no == "ENC-EV-BAD")).first() is None


def test_fixing_an_encrypted_receiver_by_hand_makes_it_plaintext(db: Database,
                                                                 tmp_path: Path) -> None:
    _import(db, tmp_path, sealed("ENC-FIX", receiver=receiver(province="火星省")),
            sealed("ENC-FIX-REGION", receiver=receiver(province="火星省", oaid="OAID-FIX")))
    engine.run_once(db, system_actor(), now=NOW)
    # Only the region fixed: the masks stay, and so does what the platform prints from.
    exceptions.resolve(db, system_actor(), _order(db, "ENC-FIX-REGION").order_no,
                       "fix_address", params={"province": "浙江省"})
    kept = _order(db, "ENC-FIX-REGION")
    assert (kept.receiver_oaid, kept.receiver_cipher) == ("OAID-FIX", CIPHER)
    # The receiver typed anew: plaintext from now on.
    exceptions.resolve(db, system_actor(), _order(db, "ENC-FIX").order_no, "fix_address",
                       params={"province": "浙江省", "name": "张三", "phone": "13800138000",
                               "address": "文三路90号"})
    typed = _order(db, "ENC-FIX")
    assert typed.receiver_oaid is None and typed.receiver_cipher is None


# --------------------------------------------------------------------------- shown, logged


def test_screens_and_logs_see_only_masks(db: Database, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sku = sku_in_every_warehouse(db)
    _import(db, tmp_path, sealed("ENC-SHOW", sku=sku, qty=1),
            sealed("ENC-SHOW-X", receiver=receiver(province="火星省")))
    engine.run_once(db, system_actor(), now=NOW)
    channel_events.apply_event(db, system_actor(), "taobao", "ENC-SHOW-X", "address_changed",
                               "a-1", {"receiver": receiver(province="浙江省")})
    detail = orders.order_detail(db, system_actor(), _order(db, "ENC-SHOW").order_no)
    r = detail["receiver"]
    assert (r["name"], r["phone"], r["address"]) == ("张**", "138****8000", "文三路****")
    assert r["encrypted"] and r["oaid_end"] == "…" + OAID[-6:]
    rows = orders.list_orders(db, system_actor(), OrderFilter(search="138****8000"), limit=50)
    assert {row.channel_order_no for row in rows} >= {"ENC-SHOW", "ENC-SHOW-X"}
    assert all(row.receiver_encrypted for row in rows)
    queue = exceptions.queue(db, system_actor())
    shown = (json.dumps(detail, ensure_ascii=False)
             + json.dumps([row.as_json() for row in rows], ensure_ascii=False)
             + repr(queue) + caplog.text)
    assert not any(secret in shown for secret in SECRETS)


def test_a_database_error_never_quotes_the_ciphertexts(db: Database, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy import update
    from sqlalchemy.exc import DBAPIError

    from app.logs import RedactingFormatter

    _import(db, tmp_path, sealed("ENC-DBERR"))
    log = logging.getLogger("packline.test")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DBAPIError) as failed, db.unit_of_work() as s:
        s.execute(update(Order).where(Order.channel_order_no == "ENC-DBERR")
                  .values(receiver_cipher=CIPHER, receiver_oaid=OAID, status=None))
    try:
        raise failed.value
    except DBAPIError:
        log.exception("writing the order failed")
    formatted = "".join(RedactingFormatter().format(r) for r in caplog.records)
    assert "writing the order failed" in formatted
    # The statement's values are never in the error; PostgreSQL's own detail quotes the
    # row, and is blanked on its way to the log.
    assert CIPHER["name"] not in str(failed.value).split("DETAIL")[0]
    assert not any(secret in formatted for secret in SECRETS)
