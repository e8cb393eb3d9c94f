"""The shift lead's dashboard (app.services.dashboard.snapshot) over a constructed central
database, on SQLite and PostgreSQL: the demo's reference data, then orders in chosen statuses,
carriers, bands and promised times and the floor's work in known five-minute slots, read at a
fixed moment. Every figure is worked out by hand in the comments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import delete, func, insert, select, update

from app.domain import forecast as fc
from app.domain.china_time import CHINA_TZ
from app.services import demo, work
from app.services.context import Actor, system_actor
from app.services.dashboard import Dashboard, Plan, snapshot
from app.services.errors import InvalidInput, PermissionDenied
from app.store import migrate
from app.store.db import Database, make_engine
from app.store.models import (
    AuditEntry,
    Carrier,
    LoginThrottle,
    Order,
    OrderException,
    OrderPayment,
    PresaleCampaign,
    PresalePool,
    Shop,
    Station,
    TrackingNumber,
    User,
    WorkSlot,
)
from tests.helpers.databases import require_pg, scratch_pg_database
from tests.helpers.packing import actor

pytestmark = pytest.mark.timeout(300)

H = timedelta(hours=1)


def china(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, China time, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=CHINA_TZ).astimezone(UTC)


NOW = china(11, 12)  # 11.11, noon at the warehouse: the day shift began at 08:00


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def board_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[sa.Engine]:
    """A central database with the demo's reference data (carriers with cut-offs, users,
    stations, presale campaigns, tracking numbers) and no orders."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('board') / 'central.db'}"
        else:
            require_pg()
            url = stack.enter_context(scratch_pg_database("board"))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        migrate.upgrade(engine)
        demo.seed(Database(engine), system_actor(), orders=0, now=NOW)
        yield engine


@pytest.fixture
def db(board_engine: sa.Engine) -> Iterator[Database]:
    """The constructed database with no work counted yet; rolled back after the test."""
    with board_engine.connect() as conn:
        outer = conn.begin()
        try:
            database = Database(conn)
            with database.unit_of_work() as s:
                s.execute(delete(WorkSlot))  # the demo's floor history: each test writes its own
            yield database
        finally:
            outer.rollback()


# ---------------------------------------------------------------- building the floor


def _ids(db: Database) -> dict[str, int]:
    with db.reader() as s:
        ids = dict(s.execute(select(Carrier.code, Carrier.id)).all())
        ids.update(s.execute(select(User.code, User.id)).all())
        return ids


def add_user(db: Database, code: str, role: str) -> int:
    with db.unit_of_work() as s:
        user = User(code=code, name=code, role=role, password_hash="-")
        s.add(user)
        s.flush()
        return user.id


def add_orders(db: Database, n: int, status: str, *, carrier: int | None = None,
               band: str = "normal", promised: datetime | None = None, presale: bool = False,
               campaign: int | None = None) -> list[int]:
    with db.unit_of_work() as s:
        shop = s.scalars(select(Shop.id).order_by(Shop.id).limit(1)).one()
        first = s.scalar(select(func.count()).select_from(Order)) or 0
        rows = [{"order_no": f"T{first + i:08d}", "channel": "tmall", "shop_id": shop,
                 "channel_order_no": f"C{first + i:08d}", "receiver_name": "张三",
                 "receiver_phone": "13800138000", "province": "浙江省", "city": "杭州市",
                 "district": "西湖区", "address": "文三路90号", "goods_fen": 5900,
                 "amount_fen": 5900, "line_count": 1, "unit_count": 2, "status": status,
                 "priority_band": band, "carrier_id": carrier,
                 "promised_ship_by": promised or china(13, 12), "is_presale": presale,
                 "campaign_id": campaign} for i in range(n)]
        s.execute(insert(Order), rows)
        return list(s.scalars(select(Order.id).where(Order.order_no.in_(
            [r["order_no"] for r in rows]))))


def count_work(db: Database, kind: str, user: int, start: datetime, end: datetime,
               orders: int, units: int | None = None) -> None:
    """`orders` in every five-minute slot from `start` up to `end`."""
    done, at = [], start
    while at < end:
        done.append(work.Done(kind, user, at, orders=orders,
                              units=orders * 2 if units is None else units))
        at += fc.SLOT
    with db.unit_of_work() as s:
        work.count(s, done)


def logged_in(db: Database, code: str, at: datetime) -> None:
    with db.unit_of_work() as s:
        s.add(LoginThrottle(scope="user", key=code, failures=0, last_login_at=at))


def lead(db: Database) -> Actor:
    return actor(db, "lead01")


@pytest.fixture
def floor(db: Database) -> dict[str, int]:
    """The day shift at noon on 11.11, worked out by hand.

    Packing (orders per slot): packer01 10 in every slot 08:00–11:55 (480, the last hour 120);
    packer02 10 at 07:00 (the night shift) and 5 a slot 08:00–08:55 (60). The shift's rate is
    540 / 4 h = 135 an hour, the last hour's 120. Picking: picker01 5 orders (15 units) a slot
    08:00–11:55, 60 an hour. Handed over: lead01 25 at 10:00. Last week (4 Nov) 30 packed at
    09:00 and 40 at 15:00; 3 Nov (8 days ago) 99, which is not last week.

    The backlog, to pick and pack (1050): DBL (cut-off 16:00) 600, ZTO (18:00) 300, SF (20:00)
    100, no carrier yet 50."""
    ids = _ids(db)
    packer02 = add_user(db, "packer02", "packer")
    ids["packer02"] = packer02
    count_work(db, "pack", ids["packer01"], china(11, 8), china(11, 12), 10)
    count_work(db, "pack", packer02, china(11, 7), china(11, 7, 5), 10)
    count_work(db, "pack", packer02, china(11, 8), china(11, 9), 5)
    count_work(db, "pick", ids["picker01"], china(11, 8), china(11, 12), 5, units=15)
    count_work(db, "ship", ids["lead01"], china(11, 10), china(11, 10, 5), 25)
    count_work(db, "pack", ids["packer01"], china(4, 9), china(4, 9, 5), 30)
    count_work(db, "pack", ids["packer01"], china(4, 15), china(4, 15, 5), 40)
    count_work(db, "pack", ids["packer01"], china(3, 12), china(3, 12, 5), 99)
    count_work(db, "pack", ids["packer01"], china(10, 15), china(10, 15, 5), 77)  # yesterday
    logged_in(db, "packer01", china(11, 7, 55) + timedelta(minutes=10))
    logged_in(db, "packer02", china(11, 7, 30))  # before this shift began
    logged_in(db, "picker01", china(11, 8, 5))

    dbl, zto, sf = ids["DBL"], ids["ZTO"], ids["SF"]
    far = china(13, 12)
    # DBL 600: 100 overdue (promised 10:30), 200 due soon (13:20), 300 later.
    add_orders(db, 100, "routed", carrier=dbl, band="overdue", promised=china(11, 10, 30))
    add_orders(db, 200, "picked", carrier=dbl, band="due_soon", promised=china(11, 13, 20))
    add_orders(db, 300, "packing", carrier=dbl, promised=far)
    # ZTO 300: 50 VIP due 12:40, 50 presale paid in full, 200 normal.
    add_orders(db, 50, "in_wave", carrier=zto, band="vip", promised=china(11, 12, 40))
    add_orders(db, 50, "new", carrier=zto, band="presale", promised=far, presale=True)
    add_orders(db, 150, "new", carrier=zto, promised=far)
    add_orders(db, 50, "picking", carrier=zto, promised=far)
    add_orders(db, 100, "picking", carrier=sf, promised=far)
    add_orders(db, 50, "pending_review", promised=far)  # not routed yet
    # Not to pick and pack.
    add_orders(db, 3, "on_hold", carrier=sf)
    add_orders(db, 2, "exception", carrier=sf, band="overdue", promised=china(11, 9))
    add_orders(db, 1, "awaiting_stock", carrier=zto)
    add_orders(db, 7, "packed", carrier=sf)
    add_orders(db, 5, "packed", carrier=zto)
    add_orders(db, 9, "shipped", carrier=sf, promised=china(11, 9))
    add_orders(db, 2, "cancelled", carrier=dbl, promised=china(11, 9))
    return ids


# ---------------------------------------------------------------- the figures


def test_backlog_by_status_band_and_carrier_with_misses_at_the_cut_offs(
        db: Database, floor: dict[str, int]) -> None:
    board = snapshot(db, lead(db), Plan(), NOW)
    b = board.backlog
    assert {k: v for k, v in b.by_status.items() if v} == {
        "new": 200, "pending_review": 50, "routed": 100, "in_wave": 50, "picking": 150,
        "picked": 200, "packing": 300, "on_hold": 3, "exception": 2, "awaiting_stock": 1,
        "packed": 12}
    assert b.by_band == {"overdue": 100, "due_soon": 200, "presale": 50, "vip": 50,
                         "normal": 650}  # the exception's overdue order is not workable
    assert (b.workable, b.blocked, b.awaiting_balance, b.packed, b.presale_ready, b.unrouted,
            b.total) == (1050, 6, 0, 12, 50, 50, 1068)
    # Earliest cut-off first at 135 an hour (the faster rate) and 120 (the slower), from noon:
    # DBL at 16:00: 540 | 480 can be done → 60 | 120 of 600 miss.
    # ZTO at 18:00: 810 | 720 by then, 600 ahead → 210 | 120 of 300 make it: 90 | 180 miss.
    # YTO 18:30, JD 19:00: nothing to do. SF at 20:00: 1080 | 960, 900 ahead → 0 | 40 miss.
    loads = {c.code: (c.cutoff, c.orders, c.packed, c.miss_low, c.miss_high) for c in b.carriers}
    assert loads == {
        "DBL": (china(11, 16), 600, 0, 60, 120), "ZTO": (china(11, 18), 300, 5, 90, 180),
        "YTO": (china(11, 18, 30), 0, 0, 0, 0), "JD": (china(11, 19), 0, 0, 0, 0),
        "SF": (china(11, 20), 100, 7, 0, 40)}


def test_pre_packed_parcels_waiting_for_their_balance_are_not_for_the_truck(
        db: Database, floor: dict[str, int]) -> None:
    """Pre-packed presale parcels (预打包) whose balance is not paid stay on the staging shelf:
    packed, but not among the parcels waiting for their carrier's truck. Paid, they are."""
    with db.reader() as s:
        double = s.scalar(select(PresaleCampaign.id).where(PresaleCampaign.code == "PS-DOUBLE"))
    shelved = add_orders(db, 4, "packed", carrier=floor["ZTO"], presale=True, campaign=double)
    with db.unit_of_work() as s:
        s.add_all([OrderPayment(order_id=oid, kind="balance", amount_fen=100,
                                status="paid" if n == 0 else "pending")
                   for n, oid in enumerate(shelved)])
    b = snapshot(db, lead(db), Plan(), NOW).backlog
    assert b.by_status["packed"] == 16  # all of them packed
    loads = {c.code: c.packed for c in b.carriers}
    assert loads["ZTO"] == 5 + 1 and loads["SF"] == 7  # of the four, the paid one loads


def test_after_a_cut_off_the_carrier_s_next_one_is_tomorrow(db: Database,
                                                           floor: dict[str, int]) -> None:
    late = china(11, 16, 30)  # DBL's 16:00 has gone: its orders aim for tomorrow's
    board = snapshot(db, lead(db), Plan(), late)
    dbl = next(c for c in board.backlog.carriers if c.code == "DBL")
    assert dbl.cutoff == china(12, 16)
    # Nothing was packed since noon: the last hour's rate is zero and every order misses at
    # it. At the shift's (540 in 8 h 30 = 63.5 an hour) ZTO, YTO, JD and SF go first and
    # DBL's 600 still fit in the 23 h 30 to tomorrow's cut-off (1492 orders' time, 400 ahead).
    assert (dbl.miss_low, dbl.miss_high) == (0, 600)
    zto = next(c for c in board.backlog.carriers if c.code == "ZTO")
    assert (zto.cutoff, zto.miss_low, zto.miss_high) == (china(11, 18), 300 - 95, 300)


def test_throughput_today_against_the_same_weekday_last_week(db: Database,
                                                            floor: dict[str, int]) -> None:
    t = snapshot(db, lead(db), Plan(), NOW).throughput
    assert t.day == NOW.astimezone(CHINA_TZ).date()
    assert len(t.hours) == 24 and t.hours[0].starts_at == china(11, 0)
    packed = {h: x.packed for h, x in enumerate(t.hours) if x.packed}
    assert packed == {7: 10, 8: 180, 9: 120, 10: 120, 11: 120}  # yesterday's 77 is not today
    assert {h: x.picked for h, x in enumerate(t.hours) if x.picked} == {8: 60, 9: 60, 10: 60,
                                                                        11: 60}
    assert t.hours[8].picked_units == 180 and t.hours[8].packed_units == 360
    assert {h: x.shipped for h, x in enumerate(t.hours) if x.shipped} == {10: 25}
    assert {h: x.last_week_packed for h, x in enumerate(t.hours) if x.last_week_packed} == {
        9: 30, 15: 40}  # 3 Nov's 99 is eight days ago
    assert (t.picked, t.packed, t.shipped) == (240, 550, 25)
    # Last week up to the same time of day: 09:00's 30, not 15:00's 40.
    assert (t.last_week_picked, t.last_week_packed, t.last_week_shipped) == (0, 30, 0)


def test_rates_clear_time_misses_and_coming_days(db: Database, floor: dict[str, int]) -> None:
    with db.unit_of_work() as s:  # 4 balances due today (paying since yesterday), 6 on 13 Nov
        campaigns = dict(s.execute(select(PresaleCampaign.code, PresaleCampaign.id)).all())
        s.execute(update(PresaleCampaign).where(PresaleCampaign.code == "PS-FULL")
                  .values(balance_starts_at=china(13, 0)))
    add_orders(db, 4, "awaiting_balance", presale=True, campaign=campaigns["PS-DOUBLE"])
    add_orders(db, 6, "awaiting_balance", presale=True, campaign=campaigns["PS-FULL"])
    f = snapshot(db, lead(db), Plan(days=3), NOW).forecast
    assert (f.shift, f.shift_starts_at, f.shift_ends_at) == ("day", china(11, 8), china(11, 20))
    assert (f.pack_rate.hour, f.pack_rate.shift) == (120.0, 135.0)
    assert (f.pick_rate.hour, f.pick_rate.shift) == (60.0, 60.0)
    # 1050 orders: 8 h 45 at 120 an hour, 7 h 46 40 s at 135.
    assert f.clear.backlog == 1050
    assert f.clear.at_hour_rate == NOW + timedelta(hours=1050 / 120)
    assert f.clear.at_shift_rate == NOW + timedelta(hours=1050 / 135)
    assert (f.clear.earliest, f.clear.latest) == (f.clear.at_shift_rate, f.clear.at_hour_rate)
    # The 100 overdue (promised 10:30) are counted apart and go first. Then earliest promise
    # first, each hour held to its earliest promise, at 135 | 120 an hour:
    # 12:40 (40 min: 90 | 80 done by then, 100 ahead) → all 50 of 50 miss;
    # 13:20 (80 min: 180 | 160 by then, 150 ahead) → 170 | 190 of 200 miss;
    # 13 Nov: all 700 make it.
    assert [(d.due_at, d.orders, d.miss_low, d.miss_high) for d in f.due] == [
        (china(11, 13), 50, 50, 50), (china(11, 14), 200, 170, 190)]
    assert (f.at_risk_low, f.at_risk_high, f.overdue) == (220, 240, 100)
    assert f.daily_capacity == 135 * 24
    # Half of today is left: 1620 of 3240.
    assert [(d.day.day, d.carried_in, d.arriving, d.capacity, d.shipped, d.left)
            for d in f.days] == [(11, 1050, 4, 1620, 1054, 0), (12, 0, 0, 3240, 0, 0),
                                 (13, 0, 6, 3240, 6, 0)]
    assert sorted((a.campaign, a.day.day, a.orders) for a in f.arrivals) == [
        ("PS-DOUBLE", 11, 4), ("PS-FULL", 13, 6)]


def test_overdue_counts_only_orders_past_their_promised_time(db: Database,
                                                             floor: dict[str, int]) -> None:
    # At 12:10 the 50 VIP orders promised for 12:40 are due, not overdue; the 100 promised
    # for 10:30 are overdue.
    f = snapshot(db, lead(db), Plan(), NOW + timedelta(minutes=10)).forecast
    assert f.overdue == 100


def test_staffing_measured_and_planned(db: Database, floor: dict[str, int]) -> None:
    st = snapshot(db, lead(db), Plan(normal_daily=10_000), NOW).staffing
    # Packers today: 480 orders in 4 h (packer01) + 70 in 2 h (packer02, 07:00–09:00) =
    # 550 / 6 = 91.67 an hour, 1100 a 12-hour shift. Pickers: 240 / 4 = 60, 720 a shift.
    assert st.measured_per_hour == pytest.approx({"packer": 550 / 6, "picker": 60.0})
    assert st.shift_hours == 12
    assert st.logged_in == {"packer": 1, "picker": 1}  # packer02 logged in before 08:00
    assert st.working_now == {"packer": 1, "picker": 1}  # packer02's last slot was 08:55
    lines = {x.role: x for x in st.lines}
    # 1050 / 1100 × 1.15 = 1.10 → 2 packers. Pickers only for the 550 orders not picked yet
    # (the 200 picked and 300 packing are past them): 550 / 720 × 1.15 = 0.88 → 1 picker.
    assert (lines["packer"].orders, lines["packer"].needed, lines["packer"].on_floor,
            lines["packer"].gap) == (1050, 2, 1, 1)
    assert lines["packer"].per_person_per_shift == pytest.approx(1100)
    assert (lines["picker"].orders, lines["picker"].needed, lines["picker"].gap) == (550, 1, 0)
    # 11.11: 10000 × 3 × 0.8 = 24000; 24000 / 1100 × 1.15 = 25.09 → 26; / 720 → 38.3 → 39.
    peak = st.peak
    assert (peak.volume, peak.packers, peak.pickers) == (24_000, 26, 39)

    typed = snapshot(db, lead(db), Plan(packer_per_hour=50, picker_per_hour=100,
                                        reserve=0.2, normal_daily=10_000), NOW).staffing
    lines = {x.role: x for x in typed.lines}
    # 50 an hour × 12 = 600 a shift: 1050 / 600 × 1.2 = 2.1 → 3; pickers 1200: 550 / 1200 ×
    # 1.2 = 0.55 → 1.
    assert (lines["packer"].needed, lines["picker"].needed) == (3, 1)
    assert (typed.peak.packers, typed.peak.pickers) == (48, 24)  # 24000/600×1.2; /1200×1.2
    for reserve, packers in ((0.0, 2), (0.1, 2), (0.2, 3)):  # 1.75, 1.925, 2.1
        line = snapshot(db, lead(db), Plan(packer_per_hour=50, reserve=reserve),
                        NOW).staffing.lines[0]
        assert (line.role, line.needed) == ("packer", packers)


def test_people_rows_today(db: Database, floor: dict[str, int]) -> None:
    people = snapshot(db, lead(db), Plan(), NOW).people
    rows = [(p.code, p.kind, p.orders, p.units, p.hours, round(p.orders_per_hour, 2),
             round(p.units_per_hour, 2)) for p in people]
    assert rows == [
        ("packer01", "pack", 480, 960, 4.0, 120.0, 240.0),
        ("packer02", "pack", 70, 140, 2.0, 35.0, 70.0),
        ("picker01", "pick", 240, 720, 4.0, 60.0, 180.0),
        ("lead01", "ship", 25, 50, 0.08, 300.0, 600.0),
    ]


def test_exception_ageing_by_level(db: Database, floor: dict[str, int]) -> None:
    with db.reader() as s:
        held = list(s.scalars(select(Order.id).where(Order.status == "exception")))
    with db.unit_of_work() as s:
        for level, raised, resolved, category in (
                (0, china(11, 11), None, "address"), (0, china(11, 10), None, "address"),
                (1, china(11, 6), None, "stock_short"), (3, china(10, 9), None, "address"),
                (5, china(10, 12), None, "stock_short"),  # past the top level: counted at 3
                (2, china(9, 9), china(10, 9), "address")):  # resolved: not in the queue
            s.add(OrderException(order_id=held[0], category=category, level=level,
                                 raised_at=raised, resolved_at=resolved))
    e = snapshot(db, lead(db), Plan(), NOW).exceptions
    assert e.levels == {0: 2, 1: 1, 2: 0, 3: 2}
    assert e.oldest_at == china(10, 9)
    assert e.by_category == {"address": 3, "stock_short": 2}


def test_presale_near_capacity(db: Database, floor: dict[str, int]) -> None:
    with db.unit_of_work() as s:
        pools = dict(s.execute(select(PresaleCampaign.code, PresalePool.id).join(
            PresalePool, PresalePool.campaign_id == PresaleCampaign.id)).all())
        caps = dict(s.execute(select(PresalePool.id, PresalePool.capacity)).all())
        # PS-DOUBLE at 95 % (past 90 %); PS-OFFSET at 80 % = its safety ratio; PS-REDUCE 50 %.
        for code, share in (("PS-DOUBLE", 0.95), ("PS-OFFSET", 0.8), ("PS-REDUCE", 0.5)):
            s.execute(update(PresalePool).where(PresalePool.id == pools[code])
                      .values(reserved=int(caps[pools[code]] * share)))
        s.execute(update(PresaleCampaign).where(PresaleCampaign.code == "PS-TIERS")
                  .values(ship_by=NOW - timedelta(days=2)))  # shipped two days ago: gone
    campaigns = {c.code: c for c in snapshot(db, lead(db), Plan(), NOW).campaigns}
    assert set(campaigns) == {"PS-DOUBLE", "PS-OFFSET", "PS-REDUCE", "PS-FULL"}
    assert {code: c.near for code, c in campaigns.items()} == {
        "PS-DOUBLE": True, "PS-OFFSET": True, "PS-REDUCE": False, "PS-FULL": False}
    double = campaigns["PS-DOUBLE"]
    assert double.ratio == pytest.approx(int(double.capacity * 0.95) / double.capacity)
    assert double.sku == "SKU-01901"


def test_station_health_printers_and_pools(db: Database, floor: dict[str, int]) -> None:
    ids = floor
    with db.unit_of_work() as s:
        s.execute(update(Station).where(Station.code == "ST-HZ-PACK-01").values(
            last_seen_at=NOW - timedelta(seconds=10), outbox_pending=4, outbox_lag_s=12.5,
            app_version="1.4.0", printers=[
                {"role": "label", "name": "ZT410", "state": "paused", "waiting": 3,
                 "failed": 1},
                {"role": "manifest", "name": "HP", "state": "ok"}, "nonsense"]))
        s.execute(update(Station).where(Station.code == "ST-GZ-PACK-01").values(
            last_seen_at=NOW - timedelta(minutes=5),
            printers=[{"role": "label", "name": "GK888", "state": "ok", "waiting": 0}]))
        # ZTO keeps 150 free numbers (under 200: low whatever the rate); JD 250 (at 135 an
        # hour 1.85 h, under the 2 h warning); the rest their 2000.
        for code, keep in (("ZTO", 150), ("JD", 250)):
            spare = select(TrackingNumber.id).where(
                TrackingNumber.carrier_id == ids[code], TrackingNumber.status == "free"
            ).order_by(TrackingNumber.id).offset(keep).limit(1).scalar_subquery()
            s.execute(update(TrackingNumber).where(TrackingNumber.carrier_id == ids[code],
                                                   TrackingNumber.id >= spare)
                      .values(status="used"))
    h = snapshot(db, lead(db), Plan(), NOW).health
    states = {x.code: (x.online, x.outbox_pending, x.outbox_lag_s, x.app_version)
              for x in h.stations}
    assert states["ST-HZ-PACK-01"] == (True, 4, 12.5, "1.4.0")
    assert states["ST-GZ-PACK-01"][0] is False
    assert (h.stations_online, h.stations_offline) == (1, 5)
    assert [(p.station, p.role, p.name, p.state, p.waiting, p.failed) for p in h.printers] == [
        ("ST-GZ-PACK-01", "label", "GK888", "offline", 0, 0),  # its station is offline
        ("ST-HZ-PACK-01", "label", "ZT410", "paused", 3, 1),
        ("ST-HZ-PACK-01", "manifest", "HP", "ok", 0, 0)]
    pools = {p.carrier: (p.free, p.low) for p in h.pools}
    assert pools == {"DBL": (2000, False), "JD": (250, True), "SF": (2000, False),
                     "YTO": (2000, False), "ZTO": (150, True)}
    jd = next(p for p in h.pools if p.carrier == "JD")
    assert jd.hours_left == pytest.approx(250 / 135)


def test_the_night_shift_reads_its_rates_from_yesterday_evening(db: Database) -> None:
    ids = _ids(db)
    packer = ids["packer01"]
    at = china(12, 2)  # 02:00 on 12 Nov: the night shift began 11 Nov 20:00
    count_work(db, "pack", packer, china(11, 19), china(11, 20), 7)  # the day shift's last hour
    count_work(db, "pack", packer, china(11, 20), china(12, 2), 5)  # 72 slots: 360
    count_work(db, "pack", packer, china(12, 1, 30), china(12, 1, 35), 30)
    board = snapshot(db, lead(db), Plan(), at)
    f = board.forecast
    assert (f.shift, f.shift_starts_at, f.shift_ends_at) == ("night", china(11, 20),
                                                              china(12, 8))
    # The shift: 390 in 6 h = 65 an hour; the last hour 01:00–02:00: 12 × 5 + 30 = 90.
    assert (f.pack_rate.shift, f.pack_rate.hour) == (65.0, 90.0)
    assert board.throughput.packed == 24 * 5 + 30  # today began at midnight
    assert board.staffing.shift_hours == 12
    # The packer's own rate is the shift's too (not just the two hours since midnight):
    # 390 orders from 20:00 to 02:00.
    (person,) = [p for p in board.people if p.code == "packer01"]
    assert (person.orders, person.hours) == (390, 6.0)
    assert board.staffing.measured_per_hour["packer"] == pytest.approx(65.0)


def test_the_last_hour_reaches_back_past_midnight_and_the_shift_start(db: Database) -> None:
    # Shifts changing at midnight: at 00:20 the last hour began 23:20, in yesterday and in
    # the shift before.
    packer = _ids(db)["packer01"]
    count_work(db, "pack", packer, china(11, 23, 20), china(12, 0, 20), 10)  # 12 slots: 120
    plan = Plan(shifts=fc.parse_shifts("a=00:00-12:00, b=12:00-00:00"))
    f = snapshot(db, lead(db), plan, china(12, 0, 20)).forecast
    assert f.shift == "a"
    assert f.pack_rate.hour == 120.0
    assert f.pack_rate.shift == pytest.approx(40 / (20 / 60))  # 00:00–00:20: 40 orders


def test_an_empty_floor_forecasts_nothing(db: Database) -> None:
    board = snapshot(db, lead(db), Plan(normal_daily=1000), NOW)
    assert board.backlog.workable == 0
    f = board.forecast
    assert (f.pack_rate.hour, f.pack_rate.shift) == (0.0, 0.0)
    assert (f.clear.earliest, f.clear.latest) == (NOW, NOW)
    assert (f.at_risk_low, f.at_risk_high, f.overdue, f.daily_capacity) == (0, 0, 0, 0)
    assert [line.needed for line in board.staffing.lines] == [0, 0]
    assert (board.staffing.peak.packers, board.staffing.peak.pickers) == (None, None)
    assert all(p.hours_left is None for p in board.health.pools)
    add_orders(db, 10, "routed", carrier=_ids(db)["SF"])
    f = snapshot(db, lead(db), Plan(), NOW).forecast
    assert (f.clear.earliest, f.clear.latest) == (None, None)  # nothing packed: no time given


def test_the_json_form_is_plain(db: Database, floor: dict[str, int]) -> None:
    import json

    board: Dashboard = snapshot(db, lead(db), Plan(), NOW)
    out: dict[str, Any] = json.loads(json.dumps(board.as_json()))
    assert {"backlog", "throughput", "forecast", "staffing", "health", "people", "exceptions",
            "campaigns", "plan"} <= set(out)
    assert out["at"] == NOW.isoformat()
    assert out["forecast"]["clear"]["earliest"] == board.forecast.clear.earliest.isoformat()
    assert out["forecast"]["pack_rate"] == {"hour": 120.0, "shift": 135.0, "low": 120.0,
                                            "high": 135.0}
    assert [x["gap"] for x in out["staffing"]["lines"]] == [1, 0]
    assert out["plan"]["shifts"][0] == {"name": "day", "starts": "08:00", "ends": "20:00"}


# ---------------------------------------------------------------- refusals


def _counts(db: Database) -> tuple[int, ...]:
    with db.reader() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0
                     for m in (AuditEntry, WorkSlot, Order, LoginThrottle))


def test_a_packer_may_not_see_the_dashboard(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        snapshot(db, actor(db, "packer01"), Plan(), NOW)
    with pytest.raises(PermissionDenied):
        snapshot(db, actor(db, "picker01"), Plan(), NOW)
    assert snapshot(db, actor(db, "admin"), Plan(), NOW).at == NOW


@pytest.mark.parametrize(("changes", "code"), [
    ({"reserve": 1.5}, "dashboard.bad_reserve"),
    ({"reserve": -0.1}, "dashboard.bad_reserve"),
    ({"packer_per_hour": 0.0}, "dashboard.bad_rate"),
    ({"picker_per_hour": -5.0}, "dashboard.bad_rate"),
    ({"days": 0}, "dashboard.bad_days"),
    ({"days": 32}, "dashboard.bad_days"),
    ({"normal_daily": -1}, "dashboard.bad_plan"),
    ({"growth": -3.0}, "dashboard.bad_plan"),
])
def test_a_bad_plan_is_refused_and_changes_nothing(db: Database, floor: dict[str, int],
                                                   changes: dict[str, Any], code: str) -> None:
    before = _counts(db)
    with pytest.raises(InvalidInput) as caught:
        snapshot(db, lead(db), replace(Plan(), **changes), NOW)
    assert caught.value.code == code
    assert _counts(db) == before



def test_the_engine_s_count_of_the_live_orders_is_read_while_it_is_fresh(
        db: Database, floor: dict[str, int]) -> None:
    """The order engine counts the live orders every few seconds for every dashboard: a
    dashboard reads that count (saying when it was made) while it is under a minute old, and
    counts for itself once it is older, or when there is none."""
    from app.services.context import system_actor
    from app.services.dashboard import summarise

    live = snapshot(db, lead(db), Plan(), NOW)
    assert live.backlog_at == NOW
    assert summarise(db, system_actor(), NOW - timedelta(seconds=10)) >= 0
    add_orders(db, 7, "routed", promised=far_future())  # after the count
    counted = snapshot(db, lead(db), Plan(), NOW)
    assert counted.backlog_at == NOW - timedelta(seconds=10)
    # Every figure of the orders is the count's, made before the 7 came.
    assert counted.backlog == live.backlog
    assert (counted.forecast.due, counted.forecast.overdue, counted.forecast.at_risk_high) == (
        live.forecast.due, live.forecast.overdue, live.forecast.at_risk_high)
    assert counted.campaigns == live.campaigns
    # A minute and more later the dashboard counts for itself: the 7 are in.
    later = snapshot(db, lead(db), Plan(), NOW + timedelta(seconds=51))
    assert later.backlog_at == NOW + timedelta(seconds=51)
    assert later.backlog.workable == live.backlog.workable + 7
    # A count from the future (a clock set wrong) is not taken either.
    summarise(db, system_actor(), NOW + timedelta(minutes=5))
    assert snapshot(db, lead(db), Plan(), NOW).backlog_at == NOW


def far_future() -> datetime:
    return china(20, 12)


def test_the_engine_s_loop_counts_the_live_orders_for_the_dashboards(db: Database) -> None:
    """`packline engine run` counts the live orders for the dashboards as it goes, and the
    count is what a dashboard counting for itself finds."""
    from app.services import engine
    from app.services.context import system_actor
    from app.store.models import BacklogSummary

    add_orders(db, 5, "routed", promised=far_future())
    add_orders(db, 3, "picked", promised=china(11, 9))  # overdue

    stops = iter([False, True])
    engine.run_forever(db, system_actor(), interval=0, stop=lambda: next(stops))
    with db.reader() as s:
        row = s.get(BacklogSummary, 1)
        assert row is not None
        counted_at = row.computed_at
    board = snapshot(db, lead(db), Plan(), counted_at + timedelta(seconds=1))
    assert board.backlog_at == counted_at
    assert board.backlog == snapshot(db, lead(db), Plan(), counted_at + timedelta(
        minutes=2)).backlog  # counted for itself a minute later: the same orders
