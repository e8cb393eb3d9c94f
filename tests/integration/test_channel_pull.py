"""Pulling a shop's orders from the fake platforms into intake and the event door, on SQLite
and PostgreSQL: each order lands once, status changes reach it, the cursor moves only past
what was read, and the shop's secrets appear in no log and no audit row."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from app.domain.roles import Role
from app.services import channel_pull, shops
from app.services.context import Actor, system_actor
from app.services.errors import InvalidInput, NotFound, PermissionDenied
from app.store.db import Database
from app.store.models import AuditEntry, Channel, ChannelCursor, Order, Shop
from tests.helpers.fake_platform import APP_KEY, APP_SECRET, SESSION, FakePlatform
from tests.helpers.orders import sku_in_every_warehouse

ADMIN = system_actor()


@pytest.fixture
def top(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatform]:
    monkeypatch.setenv("PACKLINE_SHOP_SECRET_TB1", APP_SECRET)
    monkeypatch.setenv("PACKLINE_SHOP_SESSION_TB1", SESSION)
    monkeypatch.setenv("PACKLINE_SHOP_SECRET_PDD1", APP_SECRET)
    monkeypatch.setenv("PACKLINE_SHOP_SESSION_PDD1", SESSION)
    with FakePlatform("top") as fake:
        yield fake


def _shop(db: Database, fake: FakePlatform, code: str = "TB1", channel: str = "taobao") -> None:
    shops.set_shop(db, ADMIN, code, channel=channel, name=f"{code} 旗舰店", api_url=fake.url,
                   app_key=APP_KEY, pull_enabled=True, waybill_providers={"*": "cainiao"})


def _order(db: Database, number: str) -> Order:
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.channel_order_no == number)).one()
        s.expunge(o)
        return o


def _cursor(db: Database, code: str = "TB1") -> ChannelCursor:
    with db.reader() as s:
        shop_id = s.scalars(select(Shop.id).where(Shop.code == code)).one()
        c = s.get(ChannelCursor, shop_id)
        assert c is not None
        s.expunge(c)
        return c


def test_pull_lands_orders_once_applies_changes_and_moves_the_cursor(
        db: Database, top: FakePlatform, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sku = sku_in_every_warehouse(db)
    _shop(db, top)
    now = datetime.now(UTC)
    for i in range(5):
        top.add_order(f"TBP{i}", lines=[(sku, 1, "59.00")],
                      modified=now - timedelta(hours=3, minutes=i), encrypted=i == 4)
    top.add_order("TBP-SENT", lines=[(sku, 1, "59.00")], status="shipped",
                  modified=now - timedelta(hours=2))
    first = channel_pull.pull(db, ADMIN, "tb1", now=now, page_size=2)
    assert (first.created, first.duplicates, first.skipped) == (5, 0, 1)
    # The total first (page 1), then the pages from the last to the first: 1, 3, 2, 1.
    assert first.pages == 4 and first.error == "" and first.refused == []
    cursor = _cursor(db)
    assert cursor.pulled_until == now - channel_pull.LAG and cursor.last_error == ""
    assert _order(db, "TBP4").receiver_name.endswith("**")

    # Again, a minute later: nothing new; the orders are already there (the overlap re-reads).
    later = now + timedelta(minutes=1)
    top.modify("TBP0", refund=True, modified=later - timedelta(minutes=2))
    top.modify("TBP1", status="closed", modified=later - timedelta(minutes=2))
    top.modify("TBP2", receiver={"name": "李四", "phone": "13900001111", "province": "浙江省",
                                 "city": "杭州市", "district": "滨江区", "address": "江南大道1号"},
               modified=later - timedelta(minutes=2))
    second = channel_pull.pull(db, ADMIN, "TB1", now=later)
    assert second.created == 0 and second.duplicates == 3
    assert second.window_start == now - channel_pull.LAG - channel_pull.OVERLAP
    assert second.events_applied == 3, second.as_json()
    assert _order(db, "TBP0").intercept == "refund_requested"
    assert _order(db, "TBP1").status == "cancelled"
    moved = _order(db, "TBP2")
    assert (moved.receiver_name, moved.district) == ("李四", "滨江区")
    third = channel_pull.pull(db, ADMIN, "TB1", now=later + timedelta(seconds=30))
    assert third.events_applied == 0 and third.created == 0
    with db.reader() as s:
        audit_text = " ".join(str([a.before, a.after, a.detail]) for a in s.scalars(
            select(AuditEntry)))
        count = len(list(s.scalars(select(Order).where(Order.channel_order_no.like("TBP%")))))
    assert count == 5
    for secret in (APP_SECRET, SESSION):
        assert secret not in caplog.text and secret not in audit_text


@pytest.mark.parametrize("kind", ["top", "pdd"])
def test_an_order_modified_between_pages_skips_no_other(db: Database, kind: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A buyer changes the first order of the window while the pull reads its pages: that
    order leaves the window (its new time is after the window's end) and every later one
    moves up a place. Read forward, the order that moved onto the page already read would be
    skipped; read from the last page to the first, none is."""
    code = "TB1" if kind == "top" else "PDD1"
    monkeypatch.setenv(f"PACKLINE_SHOP_SECRET_{code}", APP_SECRET)
    monkeypatch.setenv(f"PACKLINE_SHOP_SESSION_{code}", SESSION)
    sku = sku_in_every_warehouse(db)
    now = datetime.now(UTC)
    numbers = [f"{'TBM' if kind == 'top' else '261111-'}{i:06d}" for i in range(7)]
    with FakePlatform(kind) as fake:
        _shop(db, fake, code, "taobao" if kind == "top" else "pdd")
        for i, number in enumerate(numbers):
            fake.add_order(number, lines=[(sku, 1, "19.90")],
                           modified=now - timedelta(minutes=20 - i))
        asked: list[str] = []

        def buyer_changes_the_first(api: str, form: Mapping[str, str]) -> None:
            if "increment" not in api:
                return
            asked.append(form.get("page_no") or form.get("page") or "")
            if len(asked) == 2:  # after the first page was read
                fake.modify(numbers[0], refund=True)

        fake.before_answer = buyer_changes_the_first
        report = channel_pull.pull(db, ADMIN, code, now=now, page_size=3,
                                   lookback=timedelta(minutes=25))
    assert report.error == "", report.error
    with db.reader() as s:
        landed = set(s.scalars(select(Order.channel_order_no).where(
            Order.channel_order_no.in_(numbers))))
    assert landed == set(numbers), sorted(set(numbers) - landed)
    assert asked[:4] == ["1", "3", "2", "1"], asked


def test_a_refused_pull_keeps_the_cursor_and_says_why(db: Database, top: FakePlatform,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _shop(db, top)
    now = datetime.now(UTC)
    top.add_order("TBX1", modified=now - timedelta(hours=1))
    monkeypatch.setenv("PACKLINE_SHOP_SECRET_TB1", "not-the-secret")
    report = channel_pull.pull(db, ADMIN, "TB1", now=now)
    assert report.error_kind == "auth" and "Invalid signature" in report.error
    cursor = _cursor(db)
    # Nothing read, nothing skipped: the next pull starts where this one did.
    assert cursor.pulled_until - channel_pull.OVERLAP == now - channel_pull.LOOKBACK
    assert "Invalid signature" in cursor.last_error
    monkeypatch.setenv("PACKLINE_SHOP_SECRET_TB1", APP_SECRET)
    again = channel_pull.pull(db, ADMIN, "TB1", now=now)
    assert again.created == 1 and _cursor(db).last_error == ""


def test_the_call_limit_is_waited_out(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKLINE_SHOP_SECRET_TB1", APP_SECRET)
    monkeypatch.setenv("PACKLINE_SHOP_SESSION_TB1", SESSION)
    waits: list[float] = []
    with FakePlatform("top", calls_per_second=1) as fake:
        _shop(db, fake)
        now = datetime.now(UTC)
        for i in range(3):
            fake.add_order(f"TBL{i}", modified=now - timedelta(hours=1, minutes=i))

        def sleep(seconds: float) -> None:
            waits.append(seconds)
            fake._recent.clear()  # the platform's second has passed

        report = channel_pull.pull(db, ADMIN, "TB1", now=now, page_size=1, sleep=sleep)
    assert report.created == 3 and report.error == ""
    assert waits and all(w == 1.0 for w in waits)


def test_pdd_windows_are_thirty_minutes(db: Database, top: FakePlatform) -> None:
    sku = sku_in_every_warehouse(db)
    with FakePlatform("pdd") as pdd:
        _shop(db, pdd, "PDD1", "pdd")
        now = datetime.now(UTC)
        for i in range(3):
            pdd.add_order(f"261111-{i:06d}", lines=[(sku, 1, "19.90")], encrypted=True,
                          modified=now - timedelta(minutes=50 * i + 5))
        report = channel_pull.pull(db, ADMIN, "PDD1", now=now, lookback=timedelta(hours=3))
        assert report.created == 3 and report.windows == 6
        order = _order(db, "261111-000001")
        assert order.channel == "pdd" and order.receiver_name == "张*"


def test_who_may_pull_and_what_is_refused(db: Database, top: FakePlatform) -> None:
    packer = Actor(user_id=None, code="p1", name="p1", role=Role.PACKER, station="t")
    with pytest.raises(PermissionDenied):
        channel_pull.pull(db, packer, "TB1")
    with pytest.raises(NotFound):
        channel_pull.pull(db, ADMIN, "NOPE")
    with pytest.raises(InvalidInput) as caught:
        channel_pull.pull(db, ADMIN, "bad code!")
    assert caught.value.code == "shop.bad_code"


def test_shop_settings_are_checked(db: Database, top: FakePlatform) -> None:
    for kwargs, code in (({"channel": "nochannel", "name": "x"}, "shop.unknown_channel"),
                         ({"channel": "taobao"}, "shop.needs_channel_and_name"),
                         ({"channel": "taobao", "name": "x", "api_url": "ftp://x"},
                          "shop.bad_url"),
                         ({"channel": "taobao", "name": "x",
                           "waybill_providers": {"YTO": "ups"}}, "shop.bad_provider"),
                         ({"channel": "taobao", "name": "x",
                           "waybill_providers": {"XX": "pool"}}, "shop.unknown_carrier"),
                         ({"channel": "taobao", "name": "x", "confirm_on": "later"},
                          "shop.bad_confirm_on")):
        with pytest.raises(InvalidInput) as caught:
            shops.set_shop(db, ADMIN, "NEW1", **kwargs)
        assert caught.value.code == code
    with db.reader() as s:
        assert s.scalars(select(Shop).where(Shop.code == "NEW1")).first() is None
    _shop(db, top)
    view = shops.set_shop(db, ADMIN, "TB1", confirm_on="packed")
    assert (view.confirm_on, view.has_secret, view.waybill_providers) == (
        "packed", True, {"*": "cainiao"})
    access = shops.shop_access(db, "TB1")
    assert access.app_secret == APP_SECRET and APP_SECRET not in repr(access)
    assert [v.code for v in shops.list_shops(db, ADMIN)][0] == "TB1"


def test_the_poller_pulls_every_shop_and_one_failure_stops_none(
        db: Database, top: FakePlatform) -> None:
    _shop(db, top)
    shops.set_shop(db, ADMIN, "NOSECRET", channel="taobao", name="无密钥店", api_url=top.url,
                   app_key=APP_KEY, pull_enabled=True)
    now = datetime.now(UTC)
    top.add_order("TBPOLL", modified=now - timedelta(minutes=30))
    reports = channel_pull.poll_all(db, ADMIN, now)
    assert [r.shop for r in reports] == ["TB1"] and reports[0].created == 1
    assert "no app secret" in _cursor(db, "NOSECRET").last_error


def test_refused_orders_are_kept_tried_again_and_taken_in_later(
        db: Database, top: FakePlatform, caplog: pytest.LogCaptureFixture) -> None:
    """Orders intake refuses (here: the channel switched off) are kept, not dropped when the
    cursor moves on: each pull tries them first, a newer state read later replaces the kept
    one, and once intake takes them they are gone from the list; the lead sees them by
    number and reason, the audit names them, and their ciphertexts reach no log or output."""
    caplog.set_level(logging.DEBUG)
    sku = sku_in_every_warehouse(db)
    now = datetime.now(UTC)
    with FakePlatform("pdd") as pdd:
        _shop(db, pdd, "PDD1", "pdd")
        numbers = ["261111-000801", "261111-000802"]
        for i, number in enumerate(numbers):
            pdd.add_order(number, lines=[(sku, 1, "19.90")], encrypted=i == 1,
                          modified=now - timedelta(minutes=20 + i),
                          receiver={"name": "欧阳娜娜", "phone": "13912345678",
                                    "province": "浙江省", "city": "杭州市",
                                    "district": "西湖区", "address": "文三路九十号创业大厦"})
        ciphers = [pdd.orders[numbers[1]][k] for k in ("receiver_name", "receiver_phone",
                                                        "receiver_address")]
        _channel_active(db, "pdd", False)
        first = channel_pull.pull(db, ADMIN, "PDD1", now=now, lookback=timedelta(hours=1))
        assert first.error == "" and first.created == 0
        assert sorted(e.channel_order_no or "" for e in first.refused) == numbers
        assert {e.code for e in first.refused} == {"intake.unknown_channel"}
        assert sorted(first.kept) == numbers
        kept = sorted(channel_pull.list_rejects(db, ADMIN, "pdd1"),
                      key=lambda r: r.channel_order_no)
        assert [(r.channel_order_no, r.code, r.tries) for r in kept] == [
            (numbers[0], "intake.unknown_channel", 1), (numbers[1], "intake.unknown_channel", 1)]
        with db.reader() as s:
            detail = s.scalars(select(AuditEntry.detail).where(
                AuditEntry.action == "channels.pulled")).one()
        assert sorted(o["channel_order_no"] for o in detail["refused_orders"]) == numbers

        # An hour later: the cursor moved past them, yet they are tried again (still
        # refused); the buyer changed the first one meanwhile: its newer state is kept.
        later = now + timedelta(hours=1)
        changed = later - timedelta(minutes=10)
        pdd.modify(numbers[0], receiver={"name": "李四", "phone": "13900001111",
                                         "province": "浙江省", "city": "杭州市",
                                         "district": "滨江区", "address": "江南大道1号"},
                   modified=changed)
        second = channel_pull.pull(db, ADMIN, "PDD1", now=later)
        assert second.retried == 2 and second.recovered == [] and second.created == 0
        assert sorted(e.channel_order_no or "" for e in second.refused) == numbers
        kept = sorted(channel_pull.list_rejects(db, ADMIN, "PDD1"),
                      key=lambda r: r.channel_order_no)
        assert [r.tries for r in kept] == [3, 2]  # the first: retried, then its newer state
        assert kept[0].modified_at == changed.replace(microsecond=0)

        # The channel switched on again: the next pull takes both in and forgets them.
        _channel_active(db, "pdd", True)
        third = channel_pull.pull(db, ADMIN, "PDD1", now=later + timedelta(minutes=1))
        assert sorted(third.recovered) == numbers and third.created == 2 and third.kept == []
        assert channel_pull.list_rejects(db, ADMIN, "PDD1") == []
        assert _order(db, numbers[0]).district == "滨江区"
        outputs = json.dumps([r.as_json() for r in (first, second, third)],
                             ensure_ascii=False) + json.dumps(
            [r.as_json() for r in kept], ensure_ascii=False, default=str)
    for cipher in ciphers:
        assert cipher not in caplog.text and cipher not in outputs


def test_rejects_are_the_leads_to_see(db: Database, top: FakePlatform) -> None:
    packer = Actor(user_id=None, code="p1", name="p1", role=Role.PACKER, station="t")
    with pytest.raises(PermissionDenied):
        channel_pull.list_rejects(db, packer, "TB1")
    with pytest.raises(NotFound):
        channel_pull.list_rejects(db, ADMIN, "NOPE")


def _channel_active(db: Database, code: str, active: bool) -> None:
    with db.unit_of_work() as s:
        s.execute(update(Channel).where(Channel.code == code).values(active=active))


def test_reading_orders_again_checks_their_addresses_in_one_query_a_page(
        db: Database, top: FakePlatform) -> None:
    """A pull's overlap (or a window read again after a crash) brings orders Packline has:
    their receivers are compared with what is stored, read once for the page — not once for
    each order — and a changed one still reaches its order."""
    sku = sku_in_every_warehouse(db)
    _shop(db, top)
    now = datetime.now(UTC)
    for i in range(30):
        top.add_order(f"TBR{i:02d}", lines=[(sku, 1, "59.00")], encrypted=i % 3 == 0,
                      modified=now - timedelta(hours=2, minutes=i))
    assert channel_pull.pull(db, ADMIN, "TB1", now=now).created == 30
    top.modify("TBR07", receiver={"name": "李四", "phone": "13900001111", "province": "浙江省",
                                  "city": "杭州市", "district": "滨江区",
                                  "address": "江南大道1号"}, modified=now - timedelta(hours=2))
    with db.unit_of_work() as s:  # the cursor back before them: the whole window again
        s.execute(update(ChannelCursor).values(pulled_until=now - timedelta(hours=3)))
    reads: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM orders" in statement:
            reads.append(statement)

    event.listen(db.bind, "before_cursor_execute", seen)
    try:
        again = channel_pull.pull(db, ADMIN, "TB1", now=now)
    finally:
        event.remove(db.bind, "before_cursor_execute", seen)
    assert (again.created, again.duplicates, again.events_applied) == (0, 30, 1)
    assert _order(db, "TBR07").district == "滨江区"
    assert len(reads) < 10, f"{len(reads)} reads of orders for one page of 30"


@pytest.mark.parametrize("state", ["closed", "shipped"])
def test_a_kept_reject_closed_or_shipped_on_the_platform_is_dropped(
        db: Database, top: FakePlatform, state: str) -> None:
    """A refused order kept to retry, then closed (or shipped elsewhere) on the platform: the
    newer state drops the kept one, audited and reported, so it is never taken in later
    from its old paid record."""
    sku = sku_in_every_warehouse(db)
    now = datetime.now(UTC)
    _shop(db, top)
    number = "3386600000000001"
    top.add_order(number, lines=[(sku, 1, "19.90")], modified=now - timedelta(minutes=20))
    _channel_active(db, "taobao", False)
    first = channel_pull.pull(db, ADMIN, "TB1", now=now, lookback=timedelta(hours=1))
    assert first.kept == [number] and first.created == 0
    later = now + timedelta(hours=1)
    top.modify(number, status=state, modified=later - timedelta(minutes=10))
    second = channel_pull.pull(db, ADMIN, "TB1", now=later)
    assert second.kept == [] and second.created == 0
    assert channel_pull.list_rejects(db, ADMIN, "TB1") == []
    assert second.dropped == [number] and second.as_json()["dropped"] == [number]
    with db.reader() as s:
        assert s.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "channels.reject_dropped",
            AuditEntry.entity_id == number))["why"] == "shipped or closed on the platform"
    _channel_active(db, "taobao", True)
    third = channel_pull.pull(db, ADMIN, "TB1", now=later + timedelta(minutes=1))
    assert (third.created, third.recovered, third.retried) == (0, [], 0)
    with db.reader() as s:
        assert s.scalar(select(Order.id).where(Order.channel_order_no == number)) is None
