"""The pre-pack scenario (预打包), end to end through the services the floor uses: a
real-stock campaign of its own takes `orders` deposit orders (intake, engine), they are
pre-packed in waves (picked through `picking`, packed as stations push `pack.confirmed`),
most pay the balance and leave through the dock the moment they do (channel event, scan,
close), some refund and are unpacked and put back, the rest never pay and are settled at the
campaign's end. The stock ledger is checked after every step and the dock is shown an unpaid
parcel (refused, nothing changed). `packline simulate --presale` runs it on the configured
database; the scenario test runs it on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import random
import statistics
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from app.domain import intake as parse
from app.domain.roles import Permission
from app.services import (
    channel_events,
    engine,
    handover,
    intake,
    picking,
    presale,
    put_back,
    station_events,
    tracking,
)
from app.services.access import guarded
from app.services.context import Actor
from app.services.errors import Conflict, InvalidInput, ServiceError
from app.store.db import Database
from app.store.models import (
    Bin,
    Carrier,
    Order,
    Package,
    PresaleCampaign,
    PresalePool,
    PutbackTask,
    Sku,
    Station,
    Stock,
    StockMovement,
    TrackingNumber,
    Warehouse,
    Zone,
)
from app.sync.contract import Envelope, event_from_payload

WAREHOUSE = "HZ"
WAVE_SIZE = 200
PRICE_FEN = 19_900
DEPOSIT_FEN = 2_000


class LedgerBroken(ServiceError):
    """A figure of the ledger is not what the scenario's steps make it."""


@dataclass(slots=True)
class Figures:
    campaign: str
    sku: str
    orders: int = 0
    routed: int = 0
    waves: int = 0
    packed: int = 0
    paid: int = 0
    shipped: int = 0
    refunded: int = 0
    never_paid: int = 0
    unpacked: int = 0
    units_put_back: int = 0
    refused_unpaid_scans: int = 0
    # Balance paid (the channel event applied) → the dock's scan accepted, per parcel, ms.
    paid_to_scan_ms: list[float] = field(default_factory=list)
    # Balance paid → handed over: scanned and its handover closed (the order shipped), per
    # timed parcel, ms — the carrier collecting continuously, each parcel on its own
    # handover. The channel's pull interval (how late the event reaches Packline) comes on top.
    paid_to_shipped_ms: list[float] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        ms = sorted(self.paid_to_scan_ms)
        return {
            "campaign": self.campaign, "sku": self.sku, "orders": self.orders,
            "routed": self.routed, "waves": self.waves, "packed": self.packed,
            "paid": self.paid, "shipped": self.shipped, "refunded": self.refunded,
            "never_paid": self.never_paid, "unpacked": self.unpacked,
            "units_put_back": self.units_put_back,
            "refused_unpaid_scans": self.refused_unpaid_scans,
            # Balance paid → handed over (handover closed, order shipped); and → scanned.
            "paid_to_handover_ms": _spread(sorted(self.paid_to_shipped_ms)),
            "paid_to_scan_ms": _spread(ms),
            "ledger": self.ledger, "seconds": round(self.seconds, 1)}


def _spread(ms: list[float]) -> dict[str, float | None]:
    """Median, p99 and max of sorted milliseconds."""
    return {"median": round(statistics.median(ms), 1) if ms else None,
            "p99": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1) if ms else None,
            "max": round(ms[-1], 1) if ms else None}


# ------------------------------------------------------------------ the campaign


def fresh_code(db: Database) -> str:
    """PS-SIM-<n>: the next campaign code of the simulator."""
    with db.reader() as s:
        taken = set(s.scalars(select(PresaleCampaign.code)
                              .where(PresaleCampaign.code.like("PS-SIM-%"))))
    n = 1
    while f"PS-SIM-{n}" in taken:
        n += 1
    return f"PS-SIM-{n}"


def _prepare(db: Database, actor: Actor, code: str, orders: int, now: datetime) -> int:
    """A SKU of its own in two pick bins of the warehouse (`orders` + a fifth on hand), and
    the real-stock campaign on it whose allotment is `orders` units. Returns on hand."""
    from app.services import audit

    spare = max(orders // 5, 1)
    on_hand = orders + spare
    with db.unit_of_work() as s:
        wh = s.scalars(select(Warehouse).where(Warehouse.code == WAREHOUSE)).first()
        if wh is None:
            raise InvalidInput(f"no warehouse {WAREHOUSE}: run `packline demo seed` first",
                               code="simulate.no_skus")
        bins = list(s.scalars(select(Bin).join(Zone, Zone.id == Bin.zone_id)
                              .where(Bin.warehouse_id == wh.id, Bin.active.is_(True),
                                     Zone.kind == "pick")
                              .order_by(Bin.pick_seq, Bin.id).limit(2)))
        if len(bins) < 2:
            raise InvalidInput(f"{WAREHOUSE} has no pick bins", code="simulate.no_skus")
        sku = Sku(code=f"{code}-SKU", name=f"{code} 预售商品", weight_g=450,
                  price_fen=PRICE_FEN)
        s.add(sku)
        s.flush()
        halves = (on_hand // 2, on_hand - on_hand // 2)
        for b, units in zip(bins, halves, strict=True):
            s.add(Stock(sku_id=sku.id, bin_id=b.id, warehouse_id=wh.id, on_hand=units,
                        reserved=0, updated_at=now))
            s.add(StockMovement(at=now, sku_id=sku.id, bin_id=b.id, delta_on_hand=units,
                                delta_reserved=0, reason="receive", user_id=actor.user_id,
                                note=f"{code} stock"))
        camp = PresaleCampaign(
            code=code, name=f"{code} 预打包", sku_id=sku.id, kind="deposit",
            price_fen=PRICE_FEN, deposit_fen=DEPOSIT_FEN, deposit_value_fen=2 * DEPOSIT_FEN,
            tiers=[], starts_at=now - timedelta(days=10), ends_at=now - timedelta(hours=1),
            balance_starts_at=now - timedelta(hours=1),
            balance_ends_at=now + timedelta(hours=1), ship_by=now + timedelta(days=3),
            supplier_daily_capacity=orders, capacity_days=1, safety_ratio=1.0,
            stock_mode="real")
        s.add(camp)
        s.flush()
        s.add(PresalePool(campaign_id=camp.id, capacity=orders, reserved=0))
        audit.record(s, actor, "presale.simulated", "campaign", code, None, "real",
                     {"orders": orders, "on_hand": on_hand})
    return on_hand


def _drafts(code: str, sku: str, orders: int, now: datetime) -> list[parse.OrderDraft]:
    deposit_at = (now - timedelta(days=2)).isoformat()
    rows = []
    for n in range(orders):
        rows.append(json.dumps({
            "channel": "taobao", "shop": "天猫旗舰店", "channel_order_no": f"{code}-{n:05d}",
            "buyer": f"{code.lower()}_buyer_{n}",
            "receiver": {"name": "林" + "一二三四五六七八九十"[n % 10],
                         "phone": f"1381{n:07d}", "province": "浙江省",
                         "city": "杭州市", "district": "西湖区",
                         "address": f"文三路{n % 900 + 1}号{n // 900 + 1}幢"},
            "lines": [{"sku": sku, "qty": 1, "price": f"{PRICE_FEN / 100:.2f}"}],
            "amount": None, "discount": "0.00", "paid_at": deposit_at, "vip_level": 0,
            "remark": "", "promised_ship_by": (now + timedelta(days=3)).isoformat(),
            "presale": {"campaign": code, "deposit_paid_at": deposit_at,
                        "balance_paid_at": None}}, ensure_ascii=False))
    result = parse.parse_jsonl(rows)
    if result.errors:  # pragma: no cover - the rows are the scenario's own
        raise InvalidInput(f"scenario orders refused: {result.errors[:3]}",
                           code="simulate.bad_rate")
    return result.drafts


# ------------------------------------------------------------------ the ledger, checked


def _check(db: Database, actor: Actor, figures: Figures, step: str, **expected: int) -> None:
    position = presale.stock_position(db, actor, figures.campaign).as_json()
    with db.reader() as s:
        position["pool_promised"] = s.scalar(
            select(PresalePool.reserved).join(PresaleCampaign,
                                              PresaleCampaign.id == PresalePool.campaign_id)
            .where(PresaleCampaign.code == figures.campaign)) or 0
    seen = {k: position[k] for k in ("on_hand", "reserved", "presale_held", "spot_reserved",
                                     "free", "pool_promised", "putback_open",
                                     "packed_waiting", "packed_ready")}
    figures.ledger.append({"step": step, **seen})
    for name, want in expected.items():
        if seen[name] != want:
            raise LedgerBroken(f"after {step}: {name} is {seen[name]}, expected {want}",
                               code="simulate.ledger_broken", step=step, figure=name,
                               expected=want, found=seen[name])


# ------------------------------------------------------------------ the floor's steps


def _analyze(db: Database) -> None:
    """PostgreSQL's statistics of the tables the burst filled, brought up to date as
    autovacuum would after it (inside a test's transaction autovacuum never sees the rows, and
    plans made for empty tables walk every packed order for every scan). Skipped, with the
    server's warning, for tables the role does not own."""
    with db.unit_of_work() as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("ANALYZE orders, order_payments, packages, stock_movements, "
                           "putback_tasks, stock"))


def _pick(db: Database, actor: Actor, wave_no: str) -> None:
    view = picking.claim(db, actor, wave_no)
    while (task := view.current) is not None:
        picking.confirm_bin(db, actor, wave_no, task.seq, task.bin_code)
        view = picking.pick(db, actor, wave_no, task.seq, task.sku_code,
                            qty=task.qty - task.picked)


def _numbers(db: Database, actor: Actor, station: str, carrier: str, count: int) -> list[str]:
    """Tracking numbers of `carrier` for the station, the pool topped up when it runs low."""
    with db.unit_of_work() as s:
        cid = s.scalar(select(Carrier.id).where(Carrier.code == carrier))
        free = s.scalar(select(func.count()).select_from(TrackingNumber).where(
            TrackingNumber.carrier_id == cid, TrackingNumber.status == "free")) or 0
        if free < count:
            last = s.scalar(select(func.max(TrackingNumber.number))
                            .where(TrackingNumber.carrier_id == cid)) or f"{carrier}000000000000"
            head = last.rstrip("0123456789")
            digits = last[len(head):]
            start = int(digits or 0) + 1
            s.add_all(TrackingNumber(carrier_id=cid,
                                     number=f"{head}{start + n:0{len(digits)}d}",
                                     status="free") for n in range(count - free))
    numbers: list[str] = []
    while len(numbers) < count:
        numbers += tracking.allocate_block(db, actor, station, carrier,
                                           min(count - len(numbers), 10_000))
    return numbers


def _pack(db: Database, actor: Actor, station: str, packer: str, order_nos: list[str]
          ) -> int:
    """Packed as a station's outbox pushes it: one `pack.confirmed` per order, one box."""
    with db.reader() as s:
        carriers = dict(s.execute(select(Order.order_no, Carrier.code)
                                  .join(Carrier, Carrier.id == Order.carrier_id)
                                  .where(Order.order_no.in_(order_nos))).all())
    by_carrier: dict[str, list[str]] = defaultdict(list)
    for no in order_nos:
        by_carrier[carriers[no]].append(no)
    applied = 0
    for carrier, nos in sorted(by_carrier.items()):
        numbers = _numbers(db, actor, station, carrier, len(nos))
        batch = []
        for no, number in zip(nos, numbers, strict=True):
            payload = {"user": packer, "order_no": no, "session": str(uuid.uuid4()),
                       "boxes": [{"box_no": 1, "tracking_no": number, "weight_g": 470,
                                  "expected_g": 450, "items": {"1": 1}}],
                       "units": 1, "refused": {}, "seconds": 9.0}
            batch.append(Envelope(str(uuid.uuid4()), datetime.now(UTC),
                                  event_from_payload("pack.confirmed", payload)))
        outcomes = station_events.apply(db, station, batch)
        applied += sum(1 for o in outcomes.values() if o.kind == "applied")
    return applied


def _station(db: Database) -> str:
    with db.reader() as s:
        code = s.scalar(select(Station.code).join(Warehouse, Warehouse.id == Station.warehouse_id)
                        .where(Warehouse.code == WAREHOUSE).order_by(Station.id).limit(1))
    if code is None:
        raise InvalidInput(f"no station in {WAREHOUSE}: run `packline demo seed` first",
                           code="simulate.no_skus")
    return str(code)


def _parcel(db: Database, order_no: str) -> tuple[str, str]:
    """(tracking number, carrier code) of the order's parcel."""
    with db.reader() as s:
        row = s.execute(select(Package.tracking_no, Carrier.code)
                        .join(Order, Order.id == Package.order_id)
                        .join(Carrier, Carrier.id == Package.carrier_id)
                        .where(Order.order_no == order_no)).one()
    return str(row[0]), str(row[1])


def _finish_putbacks(db: Database, actor: Actor, task_ids: list[int]) -> int:
    with db.reader() as s:
        tasks = list(s.execute(select(PutbackTask.id, PutbackTask.qty, Bin.code)
                               .join(Bin, Bin.id == PutbackTask.bin_id)
                               .where(PutbackTask.id.in_(task_ids))))
    for task_id, _qty, bin_code in tasks:
        put_back.finish_putback(db, actor, task_id, bin_code)
    return sum(qty for _id, qty, _code in tasks)


@guarded(Permission.IMPORT_ORDERS)
def run(db: Database, actor: Actor, *, orders: int = 1000, refunds: int | None = None,
        never_pay: int | None = None, code: str | None = None, seed: int = 1,
        packer: str = "packer01", now: datetime | None = None, timed: int = 100) -> Figures:
    """The scenario on `db` (see the module's docstring): by default 90 % of the orders pay,
    6 % refund and 4 % never pay; the first `timed` paid parcels are each timed from the
    balance paid to their own handover closed. Raises `LedgerBroken` when a ledger figure is
    off."""
    if isinstance(orders, bool) or not isinstance(orders, int) or orders < 10:
        raise InvalidInput("--orders must be at least 10", code="simulate.bad_orders",
                           value=orders)
    refunds = max(orders * 6 // 100, 1) if refunds is None else refunds
    never_pay = max(orders * 4 // 100, 1) if never_pay is None else never_pay
    if refunds < 1 or never_pay < 1 or refunds + never_pay >= orders:
        raise InvalidInput("refunds and non-payers must leave some orders to pay",
                           code="simulate.bad_orders", value=orders)
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    code = (code or fresh_code(db)).upper()
    on_hand = _prepare(db, actor, code, orders, now)
    figures = Figures(code, f"{code}-SKU")
    _check(db, actor, figures, "stock received", on_hand=on_hand, reserved=0, pool_promised=0)

    created = intake.ingest(db, actor, _drafts(code, figures.sku, orders, now))
    figures.orders = len(created.created)
    engine.run_once(db, actor, now=now)
    _analyze(db)
    with db.reader() as s:
        figures.routed = s.scalar(select(func.count()).select_from(Order).join(
            PresaleCampaign, PresaleCampaign.id == Order.campaign_id).where(
            PresaleCampaign.code == code, Order.status == "routed")) or 0
    if figures.routed != orders:
        raise LedgerBroken(f"{figures.routed} of {orders} deposit orders routed",
                           code="simulate.ledger_broken", step="deposits routed",
                           figure="routed", expected=orders, found=figures.routed)
    _check(db, actor, figures, "deposits routed", on_hand=on_hand, reserved=orders,
           presale_held=orders, spot_reserved=0, pool_promised=orders)

    released = presale.prepack_wave(db, actor, code, WAREHOUSE, max_orders=WAVE_SIZE)
    figures.waves = len(released)
    for wave in released:
        _pick(db, actor, wave.wave_no)
    _check(db, actor, figures, "pre-pack waves picked", on_hand=on_hand - orders, reserved=0,
           presale_held=0, pool_promised=orders)
    with db.reader() as s:
        numbers = list(s.scalars(select(Order.order_no).join(
            PresaleCampaign, PresaleCampaign.id == Order.campaign_id)
            .where(PresaleCampaign.code == code, Order.status == "picked")
            .order_by(Order.id)))
    figures.packed = _pack(db, actor, _station(db), packer, numbers)
    _analyze(db)
    _check(db, actor, figures, "pre-packed", on_hand=on_hand - orders, reserved=0,
           packed_waiting=orders, packed_ready=0)

    rng = random.Random(seed)
    shuffled = list(numbers)
    rng.shuffle(shuffled)
    paying = shuffled[:orders - refunds - never_pay]
    refunding = shuffled[len(paying):len(paying) + refunds]
    figures.refunded, figures.never_paid = len(refunding), never_pay

    # The dock is shown an unpaid parcel: refused loudly, nothing changes.
    handovers: dict[str, str] = {}
    tracking_of = {no: _parcel(db, no) for no in shuffled}
    for carrier in sorted({c for _t, c in tracking_of.values()}):
        handovers[carrier] = handover.open_handover(db, actor, WAREHOUSE, carrier).handover_no
    unpaid_tn, unpaid_carrier = tracking_of[shuffled[-1]]
    try:
        handover.scan_parcel(db, actor, handovers[unpaid_carrier], unpaid_tn)
    except handover.BalanceUnpaid:
        figures.refused_unpaid_scans += 1
    if figures.refused_unpaid_scans != 1 or handover.view(
            db, actor, handovers[unpaid_carrier]).scanned:
        raise LedgerBroken("an unpaid parcel was taken at the dock",
                           code="simulate.ledger_broken", step="unpaid scan",
                           figure="scanned", expected=0, found=1)

    # The balance paid, the parcel scanned onto its truck at once and handed over (the
    # handover closed, the order shipped): the software's part, the carrier collecting
    # continuously — each of the first `timed` paid parcels leaves on a handover of its own
    # and is timed; the rest are paid and loaded the same way, onto one truck per carrier
    # closed at the end (a close costs the same whatever it carries).
    trucks: dict[str, str] = {}
    for n, no in enumerate(paying):
        tn, carrier = tracking_of[no]
        with db.reader() as s:
            channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                        .where(Order.order_no == no)).one()
        alone = n < timed
        loading = handovers if alone else trucks
        if carrier not in loading:  # the truck that takes the next parcel
            loading[carrier] = handover.open_handover(db, actor, WAREHOUSE,
                                                      carrier).handover_no
        t0 = time.perf_counter()
        channel_events.apply_event(db, actor, channel, number, "balance_paid",
                                   f"{code}-paid-{no}",
                                   {"at": datetime.now(UTC).isoformat()})
        handover.scan_parcel(db, actor, loading[carrier], tn)
        if alone:
            figures.paid_to_scan_ms.append((time.perf_counter() - t0) * 1000)
            handover.close(db, actor, loading.pop(carrier))
            figures.paid_to_shipped_ms.append((time.perf_counter() - t0) * 1000)
        figures.paid += 1
    for carrier in list(trucks):
        handover.close(db, actor, trucks.pop(carrier))
    with db.reader() as s:
        figures.shipped = s.scalar(select(func.count()).select_from(Order).where(
            Order.order_no.in_(paying), Order.status == "shipped")) or 0
    left = orders - figures.shipped
    _check(db, actor, figures, "balances paid and shipped", on_hand=on_hand - orders,
           reserved=0, packed_waiting=left, packed_ready=0, pool_promised=orders)

    # Refunds: intercepted by the channel's event, unpacked, put back.
    tasks: list[int] = []
    for no in refunding:
        with db.reader() as s:
            channel, number = s.execute(select(Order.channel, Order.channel_order_no)
                                        .where(Order.order_no == no)).one()
        channel_events.apply_event(db, actor, channel, number, "refund_requested",
                                   f"{code}-refund-{no}")
        done = presale.unpack(db, actor, no, reason="refunded before the balance")
        tasks += done.putbacks
        figures.unpacked += 1
    _check(db, actor, figures, "refunds unpacked", on_hand=on_hand - orders,
           putback_open=refunds, packed_waiting=never_pay, pool_promised=orders - refunds)
    figures.units_put_back += _finish_putbacks(db, actor, tasks)
    _check(db, actor, figures, "refunds put back", on_hand=on_hand - orders + refunds,
           putback_open=0, reserved=0)

    # The campaign's end: refused while the balance may be paid, then every non-payer.
    try:
        presale.close_campaign(db, actor, code, now=now)
    except Conflict:
        pass
    else:
        raise LedgerBroken("the campaign closed inside its balance window",
                           code="simulate.ledger_broken", step="campaign end",
                           figure="closed", expected=0, found=1)
    end = presale.close_campaign(db, actor, code, now=now + timedelta(hours=3))
    figures.unpacked += end.unpacked
    _check(db, actor, figures, "campaign closed", on_hand=on_hand - orders + refunds,
           putback_open=never_pay, packed_waiting=0, pool_promised=figures.shipped)
    figures.units_put_back += _finish_putbacks(db, actor, end.putbacks)
    again = presale.close_campaign(db, actor, code, now=now + timedelta(hours=3))
    if again.unpacked or again.cancelled or again.left_wave:
        raise LedgerBroken("closing the campaign twice changed orders again",
                           code="simulate.ledger_broken", step="campaign closed again",
                           figure="settled", expected=0, found=again.unpacked)
    _check(db, actor, figures, "non-payers put back",
           on_hand=on_hand - figures.shipped, reserved=0, presale_held=0, putback_open=0,
           packed_waiting=0, packed_ready=0, pool_promised=figures.shipped)
    figures.seconds = time.perf_counter() - started
    return figures
