"""Order look-up, status changes, the order list (filters, sorting, paging, reverse reads) and
order detail in app.services.orders, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain.roles import Role
from app.domain.status import OrderStatus
from app.services import intake, order_lookup, orders
from app.services.context import Actor, system_actor
from app.services.errors import Ambiguous, Conflict, InvalidInput, NotFound, PermissionDenied
from app.store.db import Database
from app.store.models import AuditEntry, Order, User
from tests.helpers.orders import drafts, order_record, table_counts

PACKER = Actor(user_id=None, code="p", name="p", role=Role.PACKER)
ALL = orders.OrderFilter()


def _lead(db: Database) -> Actor:
    with db.reader() as s:
        user = s.scalars(select(User).where(User.code == "lead01")).one()
        return Actor(user_id=user.id, code=user.code, name=user.name, role=Role.SHIFT_LEAD,
                     station="ST-HZ-OFFICE")


def _some_order(db: Database, offset: int = 0) -> Order:
    with db.reader() as s:
        order = s.scalars(select(Order).order_by(Order.id).offset(offset).limit(1)).one()
        s.expunge(order)
        return order


def _order_state(db: Database, order_no: str) -> tuple[str, int, datetime, int]:
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.order_no == order_no)).one()
        audits = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "order", AuditEntry.entity_id == order_no)) or 0
        return o.status, o.version, o.status_changed_at, audits


# --------------------------------------------------------------------------- find_order


def test_find_order_by_any_reference(db: Database) -> None:
    order = _some_order(db, 5)
    with db.reader() as s:
        for ref in (order.order_no, order.channel_order_no,
                    f"{order.channel}:{order.channel_order_no}",
                    f" {order.channel.upper()} : {order.channel_order_no} ",
                    f"  {order.order_no}\n"):
            assert order_lookup.find_order(s, ref).id == order.id, ref


def test_an_ambiguous_channel_order_number_lists_both(db: Database) -> None:
    intake.ingest(db, system_actor(), drafts(order_record("DUP-77", channel="jd"),
                                             order_record("DUP-77", channel="douyin")))
    with db.reader() as s:
        with pytest.raises(Ambiguous) as caught:
            order_lookup.find_order(s, "DUP-77")
        message = str(caught.value)
        assert "jd:DUP-77" in message and "douyin:DUP-77" in message
        assert order_lookup.find_order(s, "jd:DUP-77").channel == "jd"
        assert order_lookup.find_order(s, "douyin:DUP-77").channel == "douyin"


def test_not_found_and_empty_references(db: Database) -> None:
    with db.reader() as s:
        with pytest.raises(NotFound, match="NOPE-404"):
            order_lookup.find_order(s, "NOPE-404")
        with pytest.raises(NotFound):
            order_lookup.find_order(s, "pdd:NOPE-404")
        with pytest.raises(InvalidInput):
            order_lookup.find_order(s, "   ")
    with pytest.raises(NotFound):
        orders.order_detail(db, system_actor(), "NOPE-404")


# --------------------------------------------------------------------------- status changes


def test_change_status_writes_status_version_time_and_audit(db: Database) -> None:
    order = _some_order(db, 3)
    status, version, changed_at, audits = _order_state(db, order.order_no)
    assert status == "new"
    lead = _lead(db)

    result = orders.change_status(db, lead, order.channel_order_no, "pending_review",
                                  reason="checked by phone")

    assert result is OrderStatus.PENDING_REVIEW
    new_status, new_version, new_changed_at, new_audits = _order_state(db, order.order_no)
    assert new_status == "pending_review"
    assert new_version == version + 1
    assert new_changed_at > changed_at
    assert new_audits == audits + 1
    with db.reader() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == order.order_no)
                          .order_by(AuditEntry.id.desc()).limit(1)).one()
        assert entry.action == "order.status" and entry.entity == "order"
        assert (entry.before, entry.after) == ("new", "pending_review")
        assert (entry.actor, entry.user_id, entry.station) == ("lead01", lead.user_id,
                                                               "ST-HZ-OFFICE")
        assert entry.detail == {"reason": "checked by phone"}
        assert entry.at.tzinfo is not None


def test_an_illegal_move_changes_nothing(db: Database) -> None:
    order = _some_order(db, 4)
    before = _order_state(db, order.order_no)
    with db.reader() as s:
        counts = table_counts(s)
    with pytest.raises(Conflict) as caught:
        orders.change_status(db, _lead(db), order.order_no, OrderStatus.SHIPPED)
    assert "new" in str(caught.value) and "shipped" in str(caught.value)
    assert caught.value.code == "order.illegal_transition"
    assert caught.value.params == {"order_no": order.order_no, "status": "new",
                                   "target": "shipped"}
    assert _order_state(db, order.order_no) == before
    with db.reader() as s:
        assert table_counts(s) == counts


def test_an_unknown_status_name_is_refused(db: Database) -> None:
    order = _some_order(db, 4)
    before = _order_state(db, order.order_no)
    with pytest.raises(ValueError, match="unknown order status"):
        orders.change_status(db, _lead(db), order.order_no, "teleported")
    assert _order_state(db, order.order_no) == before


def test_a_packer_may_not_change_status(db: Database) -> None:
    order = _some_order(db, 6)
    before = _order_state(db, order.order_no)
    with pytest.raises(PermissionDenied, match="orders.change_status"):
        orders.change_status(db, PACKER, order.order_no, "pending_review")
    assert _order_state(db, order.order_no) == before


def test_a_sequence_of_legal_moves_is_each_audited(db: Database) -> None:
    order = _some_order(db, 7)
    lead = _lead(db)
    path = ["pending_review", "routed", "in_wave", "picking", "picked", "packing", "packed",
            "shipped"]
    for target in path:
        orders.change_status(db, lead, order.order_no, target)
    status, version, _, _ = _order_state(db, order.order_no)
    assert (status, version) == ("shipped", 1 + len(path))
    with pytest.raises(Conflict):
        orders.change_status(db, lead, order.order_no, "cancelled")
    detail = orders.order_detail(db, lead, order.order_no)
    moves = [(h["before"], h["after"]) for h in detail["history"]
             if h["action"] == "order.status"]
    assert moves == list(zip(["new", *path[:-1]], path, strict=True))


# --------------------------------------------------------------------------- the order list


def _all_rows(db: Database) -> list[dict[str, Any]]:
    """Every order straight from the table, for comparing with what the service returns."""
    with db.reader() as s:
        return [dict(r._mapping) for r in s.execute(select(
            Order.id, Order.order_no, Order.channel, Order.channel_order_no, Order.status,
            Order.receiver_phone, Order.priority, Order.paid_at, Order.promised_ship_by,
            Order.amount_fen, Order.created_at))]


SORT_COLUMNS = {"priority": "priority", "order_no": "order_no", "paid_at": "paid_at",
                "promised_ship_by": "promised_ship_by", "amount": "amount_fen",
                "created_at": "created_at"}


def test_every_sort_key_is_covered() -> None:
    assert set(SORT_COLUMNS) == set(orders.SORTS)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
def test_sorting_agrees_with_python(db: Database, sort: str, descending: bool) -> None:
    rows = _all_rows(db)
    column = SORT_COLUMNS[sort]
    assert all(r[column] is not None for r in rows)
    expected = [r["id"] for r in sorted(rows, key=lambda r: (r[column], r["id"]),
                                         reverse=descending)]
    got = orders.list_orders(db, system_actor(), ALL, sort=sort, descending=descending,
                             limit=5000)
    assert [r.id for r in got] == expected


def test_default_sort_directions(db: Database) -> None:
    actor = system_actor()
    for sort, (_, default_desc) in orders.SORTS.items():
        assert ([r.id for r in orders.list_orders(db, actor, ALL, sort=sort, limit=5000)]
                == [r.id for r in orders.list_orders(db, actor, ALL, sort=sort,
                                                     descending=default_desc, limit=5000)])


def test_filters(db: Database) -> None:
    actor = _lead(db)
    rows = _all_rows(db)
    moved = [rows[0]["order_no"], rows[1]["order_no"], rows[2]["order_no"]]
    for no in moved:
        orders.change_status(db, actor, no, "pending_review")
    orders.change_status(db, actor, moved[2], "on_hold")

    def ids(f: orders.OrderFilter) -> list[str]:
        found = orders.list_orders(db, actor, f, sort="order_no", limit=5000)
        assert orders.count_orders(db, actor, f) == len(found)
        return [r.order_no for r in found]

    assert ids(orders.OrderFilter(statuses=("pending_review",))) == sorted(moved[:2])
    assert ids(orders.OrderFilter(statuses=("on_hold", "PENDING_REVIEW"))) == sorted(moved)
    assert len(ids(orders.OrderFilter(statuses=("new",)))) == len(rows) - 3

    channels = {r["channel"] for r in rows}
    assert len(channels) >= 3
    for channel in channels:
        expected = sorted(r["order_no"] for r in rows if r["channel"] == channel)
        assert ids(orders.OrderFilter(channel=channel)) == expected
    assert ids(orders.OrderFilter(channel="nowhere")) == []

    target = rows[10]
    for term in (target["order_no"], target["channel_order_no"], target["receiver_phone"],
                 f"  {target['order_no']}  "):
        found = ids(orders.OrderFilter(search=term))
        assert target["order_no"] in found, term
        assert all(r["receiver_phone"] == target["receiver_phone"]
                   or r["order_no"] == target["order_no"]
                   for r in rows if r["order_no"] in found)
    assert ids(orders.OrderFilter(search="no-such-thing")) == []
    assert ids(orders.OrderFilter(statuses=("on_hold",), channel=rows[2]["channel"])) \
        == [moved[2]]


def test_unknown_filter_values_are_refused(db: Database) -> None:
    actor = system_actor()
    with pytest.raises(InvalidInput, match="warehouse"):
        orders.list_orders(db, actor, orders.OrderFilter(warehouse="XX"))
    with pytest.raises(InvalidInput, match="carrier"):
        orders.count_orders(db, actor, orders.OrderFilter(carrier="NOPE"))
    with pytest.raises(ValueError, match="unknown order status"):
        orders.list_orders(db, actor, orders.OrderFilter(statuses=("bogus",)))


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"sort": "receiver_name"}, "cannot sort by"),
    ({"sort": ""}, "cannot sort by"),
    ({"offset": -1}, "page out of range"),
    ({"limit": 0}, "page out of range"),
    ({"limit": 5001}, "page out of range"),
])
def test_invalid_list_arguments(db: Database, kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        orders.list_orders(db, system_actor(), ALL, **kwargs)


@pytest.mark.parametrize("sort", ["priority", "amount", "order_no"])
def test_pages_concatenate_to_the_full_list(db: Database, sort: str) -> None:
    actor = system_actor()
    full = [r.id for r in orders.list_orders(db, actor, ALL, sort=sort, limit=5000)]
    assert len(full) == orders.count_orders(db, actor, ALL) >= 300
    paged: list[int] = []
    for offset in range(0, len(full) + 37, 37):
        paged += [r.id for r in orders.list_orders(db, actor, ALL, sort=sort, offset=offset,
                                                   limit=37)]
    assert paged == full


@pytest.mark.parametrize(("sort", "descending"), [("priority", None), ("amount", False),
                                                  ("paid_at", True), ("order_no", True)])
def test_reverse_reads_return_the_same_rows(db: Database, sort: str,
                                            descending: bool | None) -> None:
    actor = system_actor()
    total = orders.count_orders(db, actor, ALL)
    limit = 40
    last_page = total - total % limit if total % limit else total - limit
    offsets = sorted({total // 2 + 1, total // 2 + 7, total - 100, total - limit - 3,
                      last_page, total - 1, total})
    assert any(o > total // 2 for o in offsets)

    def page(offset: int, **extra: Any) -> list[orders.OrderRow]:
        return orders.list_orders(db, actor, ALL, sort=sort, descending=descending,
                                  offset=offset, limit=limit, **extra)

    for offset in offsets:
        forward = page(offset)
        backward = page(offset, total=total)
        assert backward == forward, offset
        assert len(forward) == max(0, min(limit, total - offset))
    assert len(page(last_page, total=total)) == total - last_page


def test_reverse_reads_with_a_filter(db: Database) -> None:
    actor = system_actor()
    channel = _all_rows(db)[0]["channel"]
    f = orders.OrderFilter(channel=channel)
    total = orders.count_orders(db, actor, f)
    full = orders.list_orders(db, actor, f, sort="amount", limit=5000)
    for offset in range(total // 2 + 1, total + 1, 9):
        assert orders.list_orders(db, actor, f, sort="amount", offset=offset, limit=9,
                                  total=total) == full[offset:offset + 9]


def test_list_rows_carry_what_the_screen_shows(db: Database) -> None:
    [row] = orders.list_orders(db, system_actor(), ALL, sort="order_no", limit=1)
    data = row.as_json()
    for key in ("order_no", "channel", "channel_order_no", "status", "warehouse", "carrier",
                "exception", "priority", "amount", "receiver", "region"):
        assert key in data
    assert data["status"] == "new" and data["warehouse"] is None and data["exception"] is None
    assert data["amount"] == f"{row.amount_fen // 100}.{row.amount_fen % 100:02d}"


def test_viewing_requires_the_view_permission(db: Database, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    from app.domain import roles

    monkeypatch.setitem(roles.ROLE_PERMISSIONS, Role.PICKER, frozenset())
    picker = Actor(user_id=None, code="x", name="x", role=Role.PICKER)
    calls: list[Callable[[], object]] = [
        lambda: orders.list_orders(db, picker, ALL),
        lambda: orders.count_orders(db, picker, ALL),
        lambda: orders.order_detail(db, picker, "anything"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


# --------------------------------------------------------------------------- detail


def test_order_detail(db: Database) -> None:
    intake.ingest(db, system_actor(), drafts(order_record(
        "DETAIL-1", channel="jd", sku="SKU-00002", qty=3, price="10.00",
        lines=[{"sku": "SKU-00002", "qty": 3, "price": "10.00"},
               {"sku": "SKU-NOPE", "qty": 1, "price": "5.00"}],
        discount="2.00", remark="周末送货")))
    detail = orders.order_detail(db, system_actor(), "jd:DETAIL-1")
    assert detail["channel"] == "jd" and detail["channel_order_no"] == "DETAIL-1"
    assert detail["status"] == "new"
    assert (detail["goods"], detail["discount"], detail["amount"]) == ("35.00", "2.00",
                                                                       "33.00")
    assert detail["remark"] == "周末送货"
    assert detail["receiver"]["name"] == "张三"
    assert [(ln["line"], ln["sku"], ln["qty"], ln["price"]) for ln in detail["lines"]] == [
        (1, "SKU-00002", 3, "10.00"), (2, "SKU-NOPE", 1, "5.00")]
    assert detail["lines"][0]["name"] and detail["lines"][1]["name"] is None
    assert [(p["kind"], p["amount"], p["status"]) for p in detail["payments"]] == [
        ("full", "33.00", "paid")]
    assert detail["packages"] == [] and detail["tracking_numbers"] == []
    [created] = detail["history"]
    assert (created["action"], created["before"], created["after"], created["actor"]) == (
        "order.created", None, "new", "system")
    assert detail["paid_at"].startswith("2026-11-10T16:00:12")


def test_a_channel_order_number_containing_a_colon_is_still_found(db: Database) -> None:
    intake.ingest(db, system_actor(), drafts(order_record("A:B:42", channel="manual")))
    with db.reader() as s:
        assert order_lookup.find_order(s, "A:B:42").channel_order_no == "A:B:42"
        assert order_lookup.find_order(s, "manual:A:B:42").channel_order_no == "A:B:42"


def _first_new(db: Database) -> str:
    with db.reader() as s:
        return s.scalars(select(Order.order_no).where(Order.status == "new")
                         .order_by(Order.id)).first()


def test_an_intercepted_order_cannot_move_forward(db: Database) -> None:
    order_no = _first_new(db)
    with db.unit_of_work() as s:
        s.scalars(select(Order).where(Order.order_no == order_no)).one().intercept = \
            "refund_requested"
    with pytest.raises(Conflict, match="intercepted"):
        orders.change_status(db, system_actor(), order_no, "pending_review")
    with db.reader() as s:
        assert s.scalars(select(Order.status).where(Order.order_no == order_no)).one() == "new"
    assert orders.change_status(db, system_actor(), order_no, "on_hold", "refund check") \
        is OrderStatus.ON_HOLD


def test_exception_needs_a_category_and_leaving_it_clears_it(db: Database) -> None:
    order_no = _first_new(db)
    with pytest.raises(InvalidInput, match="category"):
        orders.change_status(db, system_actor(), order_no, "exception")
    with pytest.raises(InvalidInput, match="category"):
        orders.change_status(db, system_actor(), order_no, "exception", category="bogus")
    orders.change_status(db, system_actor(), order_no, "exception", "bad address",
                         category="address_invalid")
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.order_no == order_no)).one()
        assert (o.status, o.exception) == ("exception", "address_invalid")
    picker = Actor(user_id=None, code="p", name="p", role=Role.PICKER)
    with pytest.raises(PermissionDenied):
        orders.change_status(db, picker, order_no, "pending_review")
    orders.change_status(db, system_actor(), order_no, "pending_review", "address fixed")
    with db.reader() as s:
        o = s.scalars(select(Order).where(Order.order_no == order_no)).one()
        assert (o.status, o.exception) == ("pending_review", None)


@pytest.mark.parametrize("sort", sorted(orders.SORTS))
def test_streaming_every_order_matches_the_paged_list(db: Database, sort: str) -> None:
    actor = system_actor()
    f = orders.OrderFilter()
    streamed = [r.order_no for r in orders.iter_orders(db, actor, f, sort=sort, batch=37)]
    paged = [r.order_no for r in orders.list_orders(db, actor, f, sort=sort, limit=5000)]
    assert streamed == paged and len(streamed) == orders.count_orders(db, actor, f)
