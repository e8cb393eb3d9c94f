"""The order engine (审单/分仓): new orders are validated, presale orders priced and held for
their balance, the review rules run, and what passes is routed to a warehouse and a carrier
with its stock reserved — or lands in the exception queue with a category.

Built for 11.11 volumes and for several engines on one PostgreSQL:
- orders are claimed in batches with FOR UPDATE SKIP LOCKED, so no order is handled twice;
- a batch is planned on what stock and presale pools held when it was read, without
  locks; before writing, it locks the pools and then the stock rows by id (always in that
  order, so engines wait for each other but never deadlock) and checks that what it counted
  on is still there — if another engine took it meanwhile, the batch is planned again under
  the locks. Locks are held for the write, not for the thinking;
- a reservation is an UPDATE guarded by CHECK (reserved <= on_hand): stock never goes
  negative and no unit is promised twice;
- every status move goes through the state machine and writes its audit row; the writes
  are set-based (one statement per table per batch), the rules are the pure domain modules.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping, and_, bindparam, exists, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.domain import presale as presale_rules
from app.domain import priority as priority_rules
from app.domain.china_time import china_day_start
from app.domain.merge_split import (
    MergeCandidate,
    OrderFigures,
    OrderSums,
    SplitLine,
    merge_groups,
    merged_order,
    merged_payments,
    split_by_kind,
    split_part,
)
from app.domain.notes import Note
from app.domain.notes import encode as encode_notes
from app.domain.regions import Region, RegionTable
from app.domain.review import Blacklist, RuleSpec, Verdict, prepare_rules, review
from app.domain.roles import Permission
from app.domain.routing import (
    CarrierInfo,
    CarrierPolicy,
    RouteLine,
    RoutePlan,
    WarehouseDistances,
    WarehouseInfo,
    choose_carrier,
    plan_route,
    province_of,
)
from app.domain.status import OrderStatus, check_transition
from app.domain.validation import LineFact, OrderFacts, validate
from app.services import audit, changes, numbers, waybill_issue
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.store import bulk
from app.store.db import Database
from app.store.models import (
    CLAIMABLE,
    BlacklistEntry,
    Carrier,
    Order,
    OrderException,
    OrderLine,
    OrderPayment,
    PresaleCampaign,
    PresalePool,
    ReviewRule,
    Sku,
    Stock,
    StockMovement,
    Warehouse,
)

log = logging.getLogger("packline.engine")
S = OrderStatus
BATCH = 500
MERGE_BUFFER = timedelta(minutes=30)
# A resolved exception of these categories is not raised again by the same rule: the person
# who released the hold has looked at the remark, the value, the buyer.
RULE_OF_CATEGORY = {
    "remark_review": "remark_review", "high_value_review": "high_value_review",
    "blacklist": "blacklist", "amount_mismatch": "amount_consistent",
    "payment_incomplete": "payment_complete",
}


@dataclass(slots=True)
class EngineReport:
    claimed: int = 0
    routed: int = 0
    split: int = 0
    merged: int = 0
    awaiting_balance: int = 0
    exceptions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    replanned: int = 0  # batches planned again because another engine took their stock
    cursor: int = 0  # the highest order id claimed: the next round may start after it

    @property
    def per_second(self) -> float:
        return self.claimed / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, object]:
        return {"claimed": self.claimed, "routed": self.routed, "split": self.split,
                "merged": self.merged,
                "awaiting_balance": self.awaiting_balance, "replanned": self.replanned,
                "exceptions": dict(sorted(self.exceptions.items())),
                "seconds": round(self.seconds, 3), "orders_per_second": round(self.per_second)}


# ------------------------------------------------------------------ reference data


@dataclass(slots=True)
class _Campaign:
    id: int
    code: str
    terms: presale_rules.CampaignTerms
    ship_by: datetime
    pool_id: int | None = None
    stock_mode: str = presale_rules.POOL
    sku_id: int | None = None


class _Reference:
    """What every batch needs and rarely changes: read once per engine run."""

    def __init__(self, s: Session, now: datetime) -> None:
        self.regions = RegionTable.default()
        self.rules = [RuleSpec(code=r.code, enabled=r.enabled, params=r.params or {},
                               position=r.position)
                      for r in s.scalars(select(ReviewRule).order_by(ReviewRule.position))]
        self.prepared = prepare_rules(self.rules)
        entries = list(s.execute(select(BlacklistEntry.kind, BlacklistEntry.value)))
        self.blacklist = Blacklist(
            buyers=frozenset(v for k, v in entries if k == "buyer"),
            phones=frozenset(v for k, v in entries if k == "phone"),
            addresses=frozenset(v for k, v in entries if k == "address"))
        day_start = china_day_start(now)
        used = dict(s.execute(
            select(Order.warehouse_id, func.count()).where(
                Order.warehouse_id.is_not(None), Order.status_changed_at >= day_start,
                Order.status.not_in([S.CANCELLED.value, S.SPLIT.value, S.MERGED.value]))
            .group_by(Order.warehouse_id)).all())
        self.warehouses = [
            WarehouseInfo(id=w.id, code=w.code, longitude=w.longitude or 0.0,
                          latitude=w.latitude or 0.0,
                          capacity_left=max(w.daily_capacity - used.get(w.id, 0), 0))
            for w in s.scalars(select(Warehouse).where(Warehouse.active).order_by(Warehouse.id))]
        self.distances = WarehouseDistances(self.warehouses)
        self.carriers = [
            CarrierInfo(id=c.id, code=c.code, kind=c.kind,
                        coverage=frozenset(c.coverage) if c.coverage else None,
                        max_weight_g=c.max_weight_g)
            for c in s.scalars(select(Carrier).where(Carrier.active).order_by(Carrier.id))]
        codes = {c.code for c in self.carriers}
        self.policy = CarrierPolicy(default_code="ZTO" if "ZTO" in codes else
                                    (self.carriers[0].code if self.carriers else ""))
        self.campaigns: dict[int, _Campaign] = {}
        pools = dict(s.execute(select(PresalePool.campaign_id, PresalePool.id)).all())
        for c in s.scalars(select(PresaleCampaign)):
            tiers = tuple(presale_rules.Tier(int(t["min_qty"]), int(t["reduction_fen"]))
                          for t in (c.tiers or []))
            terms = presale_rules.CampaignTerms(
                kind=c.kind, price_fen=c.price_fen, deposit_fen=c.deposit_fen,
                deposit_value_fen=c.deposit_value_fen,
                balance_reduction_fen=c.balance_reduction_fen, tiers=tiers,
                supplier_daily_capacity=c.supplier_daily_capacity,
                capacity_days=c.capacity_days, safety_ratio=c.safety_ratio)
            self.campaigns[c.id] = _Campaign(c.id, c.code, terms, c.ship_by, pools.get(c.id),
                                             c.stock_mode or presale_rules.POOL, c.sku_id)
        self.skus: dict[int, tuple[int, bool]] = {}  # id → (weight g, bulky), filled lazily
        self._regions: dict[tuple[str, str, str], Region | None] = {}

    def region_of(self, province: str, city: str, district: str) -> Region | None:
        key = (province, city, district)
        if key not in self._regions:
            self._regions[key] = self.regions.resolve(province, city, district).region
        return self._regions[key]

    def sku_facts(self, s: Session, ids: Iterable[int]) -> None:
        missing = [i for i in set(ids) if i not in self.skus]
        for start in range(0, len(missing), 1000):
            chunk = missing[start:start + 1000]
            for sid, weight, bulky_flag in s.execute(
                    select(Sku.id, Sku.weight_g, Sku.bulky)
                    .where(bulk.matching(s, Sku.id, chunk))).all():
                self.skus[sid] = (weight, bulky_flag)


# ------------------------------------------------------------------ one order in flight


class Conflict(Exception):
    """Another engine took stock or presale units a batch was planned on."""


@dataclass(slots=True)
class _Work:
    row: Any
    lines: list[Any]
    payments: dict[str, Any]
    status: OrderStatus
    steps: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    exception: str | None = None
    detail: str = ""
    warehouse_id: int | None = None
    carrier_id: int | None = None
    region_adcode: str | None = None
    priority: int = 0
    band: str = "normal"
    vip_boost: bool = False
    pool_units: int | None = None
    # A real-stock campaign's code: its reservations are booked as presale holdings.
    presale_hold: str | None = None
    children: list[tuple[int, tuple[RouteLine, ...], int]] = field(default_factory=list)

    def move(self, new: OrderStatus, detail: dict[str, Any] | None = None) -> None:
        check_transition(self.status, new)
        self.steps.append((self.status.value, new.value, detail))
        self.status = new

    def fail(self, category: str, detail: str, found: Iterable[Note] = ()) -> None:
        """Into the exception queue; `found` is the detail as codes, so the queue is read in
        the reader's language (the audit keeps the English line)."""
        self.move(S.EXCEPTION, {"category": category, "detail": detail})
        stored = encode_notes(found)
        self.exception, self.detail = category, stored or detail[:500]


class _Batch:
    """One claimed batch: loaded in a few queries, decided in Python, written set-based."""

    def __init__(self, db: Database, s: Session, actor: Actor, ref: _Reference,
                 ids: list[int], now: datetime, report: EngineReport,
                 locked: bool = False) -> None:
        self.db, self.s, self.actor, self.ref, self.now = db, s, actor, ref, now
        self.report = report
        self.dialect = s.get_bind().dialect.name
        o, ol, op = Order.__table__.c, OrderLine.__table__.c, OrderPayment.__table__.c
        rows = list(s.execute(select(
            o.id, o.order_no, o.channel_order_no, o.status, o.receiver_name, o.receiver_phone,
            o.province, o.city, o.district, o.address, o.buyer, o.goods_fen, o.discount_fen,
            o.amount_fen, o.vip_level, o.remark, o.is_presale, o.campaign_id, o.region_adcode,
            o.pool_units, o.shop_id, o.channel, o.line_count, o.unit_count,
            o.promised_ship_by, o.paid_at, o.created_at, o.receiver_oaid, o.merge_key,
            o.receiver_cipher.is_not(None).label("has_cipher"))
            .where(bulk.matching(s, o.id, ids)).order_by(o.id)).all())
        self.lines: dict[int, list[Any]] = defaultdict(list)
        for ln in s.execute(select(ol.order_id, ol.line_no, ol.sku_code, ol.sku_id, ol.qty,
                                   ol.price_fen, ol.is_presale)
                            .where(bulk.matching(s, ol.order_id, ids))
                            .order_by(ol.order_id, ol.line_no)).all():
            self.lines[ln.order_id].append(ln)
        self.pays: dict[int, dict[str, Any]] = defaultdict(dict)
        for p in s.execute(select(op.order_id, op.kind, op.status)
                           .where(bulk.matching(s, op.order_id, ids))).all():
            self.pays[p.order_id][p.kind] = p
        self.resolved: dict[int, set[str]] = defaultdict(set)
        for oid, cat in s.execute(select(OrderException.order_id, OrderException.category)
                                  .where(bulk.matching(s, OrderException.order_id, ids),
                                         OrderException.resolved_at.is_not(None))).all():
            self.resolved[oid].add(cat)
        self.rows = rows
        self.sku_ids = sorted({ln.sku_id for r in rows for ln in self.lines[r.id] if ln.sku_id})
        self.campaign_ids = sorted({r.campaign_id for r in rows if r.campaign_id})
        ref.sku_facts(s, self.sku_ids)
        # Planned again after a conflict: under the locks from the start, so it holds.
        self.locked = locked
        self._take_pools(self._read_pools(lock=locked))
        self._take_stock(self._read_stock(lock=locked))
        self._start()

    def _start(self) -> None:
        self.work = [_Work(r, self.lines[r.id], self.pays[r.id], OrderStatus(r.status))
                     for r in self.rows]
        self.merges: list[list[_Work]] = []
        self.stock_deltas: dict[int, int] = defaultdict(int)
        self.movements: list[dict[str, Any]] = []
        self.payment_amounts: list[dict[str, Any]] = []

    def plan(self) -> None:
        self.merge()
        for w in self.work:
            self.decide(w)
            self.score(w)
        # Numbers for the merged orders and split parts, taken now: on PostgreSQL they come
        # from a connection and transaction of their own, which must not be waited for while
        # this batch holds stock locks (through a connection pooler, that second connection
        # may be the one the other engine holds while it waits for those locks). The retry
        # under locks plans with its locks held: there this wait remains, rarely met.
        count = len(self.merges) + sum(len(w.children) for w in self.work)
        self.numbers = iter(numbers.order_numbers_apart(self.db, self.s, count, self.now)
                            if count else ())

    # ---- reading and locking: always pools first, then stock rows by id

    def _read_pools(self, lock: bool) -> list[Any]:
        if not self.campaign_ids:
            return []
        query = (select(PresalePool.id, PresalePool.campaign_id, PresalePool.capacity,
                        PresalePool.reserved)
                 .where(bulk.matching(self.s, PresalePool.campaign_id, self.campaign_ids))
                 .order_by(PresalePool.id))
        return list(self.s.execute(query.with_for_update() if lock else query).all())

    def _take_pools(self, rows: list[Any]) -> None:
        # campaign → [pool id, capacity, reserved as planned, reserved as read]
        self.pools = {r.campaign_id: [r.id, r.capacity, r.reserved, r.reserved] for r in rows}

    def _read_stock(self, lock: bool, ids: Sequence[int] | None = None) -> list[Any]:
        """The rows with units free of the batch's SKUs (or the rows `ids`), by id."""
        rows: list[Any] = []
        column, keys = (Stock.sku_id, self.sku_ids) if ids is None else (Stock.id, ids)
        # On PostgreSQL one statement whatever the count (the ids go as one array), so the
        # rows are locked in one pass in id order; SQLite's IN lists are cut to size.
        step = (len(keys) or 1) if self.dialect == "postgresql" else 1000
        for start in range(0, len(keys), step):
            query = (select(Stock.id, Stock.warehouse_id, Stock.sku_id, Stock.bin_id,
                            Stock.on_hand, Stock.reserved)
                     .where(bulk.matching(self.s, column, keys[start:start + step]),
                            Stock.on_hand > Stock.reserved)
                     .order_by(Stock.id))
            rows += self.s.execute(query.with_for_update() if lock else query).all()
        return rows

    def _take_stock(self, rows: list[Any]) -> None:
        self.available: dict[tuple[int, int], int] = defaultdict(int)
        self.sku_free: dict[int, int] = defaultdict(int)  # all warehouses together
        self.bins: dict[tuple[int, int], list[list[int]]] = defaultdict(list)
        active = {w.id for w in self.ref.warehouses}
        for sid, wid, sku, bin_id, on_hand, reserved in rows:
            free = on_hand - reserved
            if free > 0 and wid in active:
                self.available[(wid, sku)] += free
                self.sku_free[sku] += free
                self.bins[(wid, sku)].append([sid, bin_id, free])

    def secure(self) -> None:
        """Lock what the plan draws on and make sure it is still there. On SQLite the
        writer already holds the database, so what was read is what is. On PostgreSQL another
        engine may have reserved the same units since they were read: then `Conflict` is
        raised, the transaction rolls back (no lock is kept) and the batch is claimed and
        planned again, that time under the locks (always pools first, then stock rows by id,
        in one pass: engines wait for each other but never deadlock)."""
        if self.dialect != "postgresql" or self.locked:
            return
        pools = self._read_pools(lock=True)
        # Only the rows the plan takes from are locked: what others do with the rest cannot
        # make this plan wrong (at worst less good than one planned a moment later).
        stock = self._read_stock(lock=True, ids=sorted(self.stock_deltas))
        free = {r.id: r.on_hand - r.reserved for r in stock}
        reserved = {r.campaign_id: r.reserved for r in pools}
        holds = all(free.get(sid, 0) >= take for sid, take in self.stock_deltas.items()) and all(
            reserved.get(cid, 0) + pool[2] - pool[3] <= pool[1]
            for cid, pool in self.pools.items() if pool[2] != pool[3])
        if not holds:
            log.debug("engine: stock or pool taken by another engine, planning the batch again")
            raise Conflict
        for cid, pool in self.pools.items():  # the warning looks at the pool as it is
            delta = pool[2] - pool[3]
            pool[3] = reserved.get(cid, pool[3])
            pool[2] = pool[3] + delta

    # ---- merging (合单)

    def merge(self, buffer: timedelta = MERGE_BUFFER) -> None:
        """New orders of one shop, buyer, receiver and address paid within `buffer` of each
        other become one order: one parcel, one label. The merged order is new and goes
        through the whole flow; the originals are `merged` and point at it."""
        candidates = []
        for w in self.work:
            r = w.row
            if w.status is not S.NEW or r.paid_at is None:
                continue
            campaign = self.ref.campaigns.get(r.campaign_id) if r.campaign_id else None
            balance = w.payments.get("balance")
            if r.is_presale and campaign is not None and not presale_rules.may_hand_over(
                    campaign.terms.kind, balance.status if balance is not None else None):
                # A deposit order merges only once releasable (its balance paid): the merged
                # order would wait for a balance that the channel pays on its members.
                continue
            candidates.append(MergeCandidate(
                order_id=r.id, shop_id=r.shop_id, buyer=r.buyer, receiver_name=r.receiver_name,
                receiver_phone=r.receiver_phone,
                full_address=f"{r.province}{r.city}{r.district}{r.address}",
                paid_at=r.paid_at, is_presale=bool(r.is_presale), refund_in_progress=False,
                in_wave=False, presale_campaign=campaign.code if campaign else None,
                merge_key=r.merge_key, oaid=r.receiver_oaid, encrypted=_encrypted(r)))
        by_id = {w.row.id: w for w in self.work}
        for group in merge_groups(candidates, buffer):
            members = [by_id[i] for i in group]
            for m in members:
                m.move(S.MERGED, {"with": [x.row.order_no for x in members if x is not m]})
            self.merges.append(members)

    def _write_merges(self) -> None:
        if not self.merges:
            return
        s, now = self.s, self.now
        ids = [m.row.id for group in self.merges for m in group]
        full = {r.id: r._mapping for r in s.execute(
            select(Order.__table__).where(bulk.matching(s, Order.id, ids))).all()}
        order_nos = self.numbers
        rows, plans = [], []
        for group in self.merges:
            row = {k: v for k, v in full[group[0].row.id].items() if k != "id"}
            order_no = next(order_nos)
            merged = merged_order([_sums(full[m.row.id]) for m in group])
            row.update(_columns(merged))
            row.update(
                order_no=order_no,
                status=S.NEW.value, exception=None, priority=0, priority_band="normal",
                pool_units=0, created_at=now, updated_at=now, status_changed_at=now,
                version=1)
            rows.append(row)
            plans.append((order_no, group, merged))
        new_ids = {no: oid for oid, no in bulk.insert_new_returning(
            s, Order.__table__, rows, ("channel", "channel_order_no"), ("id", "order_no"))}
        lines, payments, audits, links = [], [], [], []
        for order_no, group, merged in plans:
            oid = new_ids[order_no]
            n = 0
            for m in group:
                for ln in m.lines:
                    n += 1
                    lines.append({"order_id": oid, "line_no": n, "sku_code": ln.sku_code,
                                  "sku_id": ln.sku_id, "qty": ln.qty,
                                  "price_fen": ln.price_fen, "is_presale": ln.is_presale,
                                  "picked_qty": 0, "packed_qty": 0})
                links.append({"id": m.row.id, "merged_into_id": oid})
            for pay in merged_payments(
                    [{kind: p.status for kind, p in m.payments.items()} for m in group], merged):
                payments.append({"order_id": oid, "kind": pay.kind, "amount_fen": pay.amount_fen,
                                 "status": "paid" if pay.paid else "pending",
                                 "paid_at": pay.paid_at, "due_at": None})
            audits.append((order_no, None, S.NEW.value,
                           {"merged_from": [m.row.order_no for m in group]}))
        bulk.insert_rows(s, OrderLine.__table__, lines)
        bulk.insert_rows(s, OrderPayment.__table__, payments)
        bulk.update_rows(s, Order.__table__, "id", links)
        audit.record_many(s, self.actor, "order.created", "order", audits)
        self.report.merged += sum(len(g) for g in self.merges)

    # ---- deciding

    def _facts(self, w: _Work) -> OrderFacts:
        r = w.row
        presale_order = bool(r.is_presale)
        campaign = self.ref.campaigns.get(r.campaign_id) if r.campaign_id else None
        if presale_order:
            balance = w.payments.get("balance")
            deposit = w.payments.get("deposit")
            paid = bool(balance and balance.status == "paid") or bool(
                campaign and (campaign.terms.kind == presale_rules.FULL
                              or campaign.stock_mode == presale_rules.REAL)
                and deposit and deposit.status == "paid")
        else:
            full = w.payments.get("full")
            paid = bool(full and full.status == "paid")
        facts_lines = []
        for ln in w.lines:
            available = self.sku_free.get(ln.sku_id, 0) if ln.sku_id else 0
            facts_lines.append(LineFact(sku_code=ln.sku_code, sku_known=ln.sku_id is not None,
                                        qty=ln.qty, price_fen=ln.price_fen,
                                        available=available))
        return OrderFacts(
            channel_order_no=r.channel_order_no, receiver_name=r.receiver_name,
            receiver_phone=r.receiver_phone, province=r.province, city=r.city,
            district=r.district, address=r.address, buyer=r.buyer, lines=tuple(facts_lines),
            goods_fen=r.goods_fen, discount_fen=r.discount_fen, amount_fen=r.amount_fen,
            paid=paid, is_presale=presale_order, vip_level=r.vip_level, remark=r.remark or "",
            receiver_encrypted=_encrypted(r))

    def decide(self, w: _Work) -> None:
        if w.status is S.MERGED:  # merged into a new order this pass
            return
        facts = self._facts(w)
        region: Region | None = None
        if w.status is S.NEW:
            problems, region = validate(facts, self.ref.regions)
            if problems:
                first = problems[0]
                w.fail(first.category, "; ".join(p.detail for p in problems)[:500],
                       [p.note() for p in problems])
                return
            if w.row.is_presale and not self._presale_admitted(w, facts):
                return
            w.move(S.PENDING_REVIEW)
        elif w.status is S.AWAITING_BALANCE:
            w.move(S.PENDING_REVIEW, {"reason": "balance paid"})
        elif w.status is S.AWAITING_STOCK:
            # A backorder was reviewed before; it waits quietly until stock can ship it.
            region = self.ref.region_of(w.row.province, w.row.city, w.row.district)
            if region is not None:
                w.region_adcode = region.adcode
                self._route(w, region, backorder=True)
            return
        if region is None:
            region = self.ref.region_of(w.row.province, w.row.city, w.row.district)
        if region is None:  # the address was changed since validation and no longer resolves
            w.fail("address_invalid", "address no longer resolves",
                   [Note("address.no_longer_resolves", "address no longer resolves")])
            return
        w.region_adcode = region.adcode
        skip = {RULE_OF_CATEGORY[c] for c in self.resolved.get(w.row.id, ())
                if c in RULE_OF_CATEGORY}
        rules = self.ref.prepared if not skip else prepare_rules(
            [r if r.code not in skip else RuleSpec(r.code, False, r.params, r.position)
             for r in self.ref.rules])
        outcome = review(facts, rules, self.ref.blacklist, region_ok=True)
        w.vip_boost = outcome.vip_boost
        if outcome.verdict is not Verdict.PASS:
            w.fail(outcome.category or "remark_review", outcome.reason, outcome.notes)
            return
        self._route(w, region)

    def _presale_admitted(self, w: _Work, facts: OrderFacts) -> bool:
        """Price the presale order, draw its units from the campaign's pool; a deposit order
        whose balance is not paid waits (待尾款) — or, in a real-stock campaign, is routed now
        with real units reserved (预打包: packed, never handed over unpaid), refused when the
        real stock is short. False when it stops here."""
        campaign = self.ref.campaigns.get(w.row.campaign_id)
        if campaign is None:
            w.fail("payment_incomplete", "presale order without a known campaign",
                   [Note("presale.no_campaign", "presale order without a known campaign")])
            return False
        units = sum(ln.qty for ln in w.lines)
        quote = presale_rules.price(campaign.terms, units)
        self.payment_amounts.append({"oid": w.row.id, "k": "deposit", "a": quote.deposit_fen})
        self.payment_amounts.append({"oid": w.row.id, "k": "balance", "a": quote.balance_fen})
        balance = w.payments.get("balance")
        balance_paid = bool(balance and balance.status == "paid")
        step = presale_rules.admission(campaign.terms.kind, campaign.stock_mode, balance_paid)
        if campaign.stock_mode == presale_rules.REAL and campaign.terms.kind == \
                presale_rules.DEPOSIT:
            # Real stock for every unit, or no deposit taken on it: never oversold.
            wanted: dict[int, int] = defaultdict(int)
            for ln in w.lines:
                wanted[ln.sku_id or 0] += ln.qty
            short = {sku: qty for sku, qty in wanted.items()
                     if self.sku_free.get(sku, 0) < qty}
            if short:
                text = (f"{campaign.code}: real stock short for {units} units "
                        f"({sum(self.sku_free.get(k, 0) for k in short)} free)")
                w.fail("presale_over_capacity", text, [Note(
                    "presale.real_stock_short", text, {"campaign": campaign.code,
                                                       "asked": units})])
                return False
            w.presale_hold = campaign.code
        pool = self.pools.get(campaign.id)
        if pool is not None:
            decision = presale_rules.reserve(pool[1], pool[2], units)
            if not decision.accepted:
                text = (f"{campaign.code}: {pool[2]} of {pool[1]} units promised, "
                        f"{units} more asked")
                w.fail("presale_over_capacity", text, [Note(
                    "presale.over_capacity", text, {"campaign": campaign.code,
                                                    "promised": pool[2], "capacity": pool[1],
                                                    "asked": units})])
                return False
            pool[2] = decision.reserved_after
            w.pool_units = units
        if step is presale_rules.Admission.WAIT_BALANCE:
            w.move(S.AWAITING_BALANCE, {"campaign": campaign.code,
                                        "balance": quote.balance_fen})
            self.report.awaiting_balance += 1
            return False
        return True

    def _route(self, w: _Work, region: Region, backorder: bool = False) -> None:
        route_lines = [RouteLine(ln.line_no, ln.sku_id, ln.qty) for ln in w.lines]
        plan: RoutePlan = plan_route(route_lines, region, self.ref.warehouses,
                                     self.available, self.ref.distances)
        if plan.short and (backorder or plan.overflowed):
            # Waiting for stock, or for tomorrow's capacity: not a person's problem yet.
            return
        if plan.short:
            codes = ", ".join(ln.sku_code for ln in w.lines
                              if ln.line_no in {s.line_no for s in plan.short})
            text = f"no warehouse can ship: {codes}" + (
                " (capacity full today)" if plan.overflowed else "")
            w.fail("out_of_stock", text, [Note(
                "route.capacity_full" if plan.overflowed else "route.no_warehouse", text,
                {"skus": codes})])
            return
        # Parts: one per warehouse, and within it bulky (freight) lines apart from parcels,
        # since no one carrier takes both (拆单 by carrier rule).
        parts: list[tuple[int, tuple[RouteLine, ...]]] = []
        for shipment in plan.shipments:
            split = split_by_kind([SplitLine(ln.line_no, ln.sku_id, ln.qty, False,
                                             self.ref.skus[ln.sku_id][1])
                                   for ln in shipment.lines])
            by_no = {ln.line_no: ln for ln in shipment.lines}
            for _kind, kind_lines in split:
                parts.append((shipment.warehouse_id,
                              tuple(by_no[ln.line_no] for ln in kind_lines)))
        carriers = []
        for _wh, lines in parts:
            weight = sum(self.ref.skus[ln.sku_id][0] * ln.qty for ln in lines)
            is_bulky = any(self.ref.skus[ln.sku_id][1] for ln in lines)
            carrier = choose_carrier(weight, is_bulky, w.row.amount_fen,
                                     province_of(region.adcode), self.ref.carriers,
                                     self.ref.policy)
            if carrier is None and backorder:
                return
            if carrier is None:
                text = (f"no carrier takes {weight} g{' bulky' if is_bulky else ''} "
                        f"to {region.province}")
                w.fail("carrier_unavailable", text, [Note(
                    "route.no_carrier_bulky" if is_bulky else "route.no_carrier", text,
                    {"weight": weight, "province": region.province})])
                return
            carriers.append(carrier.id)
        for index, (wh, lines) in enumerate(parts):
            self._reserve(w, wh, lines, index)
        self._use_capacity(wh for wh, _l in parts)
        if len(parts) == 1:
            w.warehouse_id, w.carrier_id = parts[0][0], carriers[0]
            w.move(S.ROUTED, {"warehouse": self._wh_code(w.warehouse_id)})
            self.report.routed += 1
        else:
            w.children = [(wh, lines, cid) for (wh, lines), cid in zip(parts, carriers,
                                                                        strict=True)]
            w.move(S.SPLIT, {"warehouses": [self._wh_code(wh) for wh, _l in parts],
                             "parts": len(parts)})
            self.report.split += 1

    def _wh_code(self, wid: int | None) -> str:
        return next((w.code for w in self.ref.warehouses if w.id == wid), "")

    def _reserve(self, w: _Work, warehouse_id: int, lines: Sequence[RouteLine],
                 part: int) -> None:
        for ln in lines:
            key = (warehouse_id, ln.sku_id)
            need = ln.qty
            self.available[key] -= need
            self.sku_free[ln.sku_id] -= need
            for slot in self.bins[key]:
                if need == 0:
                    break
                take = min(slot[2], need)
                if take <= 0:
                    continue
                slot[2] -= take
                need -= take
                self.stock_deltas[slot[0]] += take
                self.movements.append({
                    "at": self.now, "sku_id": ln.sku_id, "bin_id": slot[1],
                    "delta_on_hand": 0, "delta_reserved": take, "reason": "reserve",
                    "order_id": w.row.id, "wave_id": None, "user_id": self.actor.user_id,
                    "note": f"presale {w.presale_hold}" if w.presale_hold else "",
                    "_for": (w.row.id, part)})
            if need:  # plan_route only plans what is available: this is a bug, not data
                raise RuntimeError(f"reservation short by {need} for {key}")

    def _use_capacity(self, warehouse_ids: Iterable[int]) -> None:
        """One unit of today's capacity per warehouse an order ships from."""
        used = set(warehouse_ids)
        self.ref.warehouses = [
            WarehouseInfo(x.id, x.code, x.longitude, x.latitude, max(x.capacity_left - 1, 0))
            if x.id in used else x for x in self.ref.warehouses]

    def score(self, w: _Work) -> None:
        """The queue's order: presale counts once the balance is in, VIP when the rule said."""
        r = w.row
        waiting = w.status is S.AWAITING_BALANCE
        w.priority, w.band = priority_rules.score(priority_rules.PriorityInput(
            promised_ship_by=r.promised_ship_by, is_presale=bool(r.is_presale) and not waiting,
            vip_level=r.vip_level if w.vip_boost else 0, amount_fen=r.amount_fen,
            paid_at=r.paid_at, created_at=r.created_at), self.now)

    # ---- writing

    def write(self) -> None:
        s, now = self.s, self.now
        changed = [w for w in self.work if w.steps]
        if not changed:
            return
        bulk.update_rows(s, Order.__table__, "id", [
            {"id": w.row.id, "status": w.status.value, "exception": w.exception,
             "warehouse_id": w.warehouse_id, "carrier_id": w.carrier_id,
             "region_adcode": w.region_adcode or w.row.region_adcode,
             "priority": w.priority, "priority_band": w.band, "status_changed_at": now,
             # A split parent hands its pool units to its children (`_write_children`).
             "pool_units": 0 if w.children else self._pool_units(w),
             "updated_at": now, "version": 1} for w in changed], add=("version",))
        # Routed again (another carrier, warehouse or receiver) or split: the platform
        # waybills its boxes were given before are given back here, never at a station.
        waybill_issue.routed_again(s, self.actor, [
            w.row.id for w in changed if w.status in (S.ROUTED, S.SPLIT)])
        # One audit row per order per pass (new → routed), the steps it took in its detail.
        audit.record_many(s, self.actor, "order.status", "order", [
            (w.row.order_no, w.steps[0][0], w.steps[-1][1], _pass_detail(w.steps))
            for w in changed])
        failed = [w for w in changed if w.exception]
        if failed:
            bulk.insert_rows(s, OrderException.__table__, [
                {"order_id": w.row.id, "category": w.exception, "detail": w.detail,
                 "raised_at": now, "raised_by": self.actor.user_id, "level": 0,
                 "resolution": ""} for w in failed])
            for w in failed:
                self.report.exceptions[w.exception or ""] += 1
        if self.payment_amounts:
            pay_t = OrderPayment.__table__
            s.execute(update(pay_t).where(and_(pay_t.c.order_id == bindparam("oid"),
                                               pay_t.c.kind == bindparam("k")))
                      .values(amount_fen=bindparam("a")), self.payment_amounts)
        for campaign_id, pool in self.pools.items():
            if pool[2] != pool[3]:
                s.execute(update(PresalePool.__table__)
                          .where(PresalePool.__table__.c.id == pool[0])
                          .values(reserved=PresalePool.__table__.c.reserved + pool[2] - pool[3]))
                camp = self.ref.campaigns[campaign_id]
                if pool[2] >= 0.9 * pool[1]:
                    s.execute(update(PresaleCampaign.__table__)
                              .where(PresaleCampaign.__table__.c.id == camp.id,
                                     PresaleCampaign.__table__.c.warned_at.is_(None))
                              .values(warned_at=now))
        self._write_merges()
        children = self._write_children()
        if self.stock_deltas:
            bulk.update_rows(s, Stock.__table__, "id", [
                {"id": k, "reserved": v, "updated_at": now}
                for k, v in sorted(self.stock_deltas.items())], add=("reserved",))
            for m in self.movements:
                m["order_id"] = children.get(m.pop("_for"), m["order_id"])
            bulk.insert_rows(s, StockMovement.__table__, self.movements)

    @staticmethod
    def _pool_units(w: _Work) -> int:
        return int(w.row.pool_units or 0) if w.pool_units is None else w.pool_units

    def _pool_shares(self, w: _Work) -> list[int]:
        """The split parent's pool units given to its children, by their units of the
        campaign's SKU: the total is the parent's, and each unit is released once."""
        campaign = self.ref.campaigns.get(w.row.campaign_id) if w.row.campaign_id else None
        sku_id = campaign.sku_id if campaign is not None else None
        return presale_rules.pool_units_of_parts(
            self._pool_units(w),
            [sum(ln.qty for ln in lines if sku_id is not None and ln.sku_id == sku_id)
             for _wh, lines, _carrier in w.children])

    def _write_children(self) -> dict[tuple[int, int], int]:
        """Child orders of split parents, one per part; returns (parent, part index) →
        child id so the reservations can be booked to the child that ships them."""
        parents = [w for w in self.work if w.children]
        if not parents:
            return {}
        order_nos = self.numbers
        created: list[tuple[_Work, int, tuple[RouteLine, ...], int, str]] = []
        rows = []
        full = {r.id: r for r in self.s.execute(
            select(Order.__table__).where(
                bulk.matching(self.s, Order.id, [w.row.id for w in parents]))).all()}
        for w in parents:
            r = full[w.row.id]._mapping
            parent = OrderFigures(**{k: r[k] for k in _FIGURES})
            by_no = {ln.line_no: ln for ln in w.lines}
            shares = self._pool_shares(w)
            for n, (wh, lines, carrier) in enumerate(w.children, 1):
                part = split_part(parent, n, [(by_no[ln.line_no].price_fen, ln.qty)
                                              for ln in lines])
                order_no = next(order_nos)
                row = {k: v for k, v in r.items() if k != "id"}
                row.update(_columns(part))
                row.update(
                    order_no=order_no, status=S.ROUTED.value,
                    exception=None, warehouse_id=wh, carrier_id=carrier,
                    region_adcode=w.region_adcode, priority=w.priority,
                    priority_band=w.band, parent_id=r["id"], pool_units=shares[n - 1],
                    created_at=self.now,
                    updated_at=self.now, status_changed_at=self.now, version=1)
                rows.append(row)
                created.append((w, wh, lines, carrier, order_no))
        ids = {order_no: oid for oid, order_no in bulk.insert_new_returning(
            self.s, Order.__table__, rows, ("channel", "channel_order_no"),
            ("id", "order_no"))}
        child_lines, audits = [], []
        for w, _wh, lines, _carrier, order_no in created:
            by_no = {ln.line_no: ln for ln in w.lines}
            for n, ln in enumerate(lines, 1):
                src = by_no[ln.line_no]
                child_lines.append({
                    "order_id": ids[order_no], "line_no": n, "sku_code": src.sku_code,
                    "sku_id": src.sku_id, "qty": src.qty, "price_fen": src.price_fen,
                    "is_presale": src.is_presale, "picked_qty": 0, "packed_qty": 0})
            audits.append((order_no, None, S.ROUTED.value,
                           {"split_from": w.row.order_no,
                            "warehouse": self._wh_code(_wh)}))
            self.report.routed += 1
        bulk.insert_rows(self.s, OrderLine.__table__, child_lines)
        audit.record_many(self.s, self.actor, "order.created", "order", audits)
        # Children are made in part order, so (parent, part index) names each one.
        parts: dict[int, int] = defaultdict(int)
        booked = {}
        for w, _wh, _l, _c, order_no in created:
            booked[(w.row.id, parts[w.row.id])] = ids[order_no]
            parts[w.row.id] += 1
        return booked


def _encrypted(row: Any) -> bool:
    """The platform keeps the order's receiver encrypted (an OAID or ciphertexts): its name,
    phone and address line are masks."""
    return bool(row.receiver_oaid or row.has_cipher)


_SUMS = tuple(f.name for f in fields(OrderSums))  # named as the order row's columns
_FIGURES = tuple(f.name for f in fields(OrderFigures))


def _sums(row: Mapping[str, Any] | RowMapping) -> OrderSums:
    """A stored order's figures that a merge adds up."""
    return OrderSums(**{k: row[k] for k in _SUMS})


def _columns(figures: OrderSums | OrderFigures) -> dict[str, Any]:
    """The figures as the order row's columns (their names are the columns')."""
    return {f.name: getattr(figures, f.name) for f in fields(figures)}


def _pass_detail(steps: list[tuple[str, str, dict[str, Any] | None]]) -> dict[str, Any] | None:
    detail: dict[str, Any] = {}
    for _before, _after, info in steps:
        detail.update(info or {})
    if len(steps) > 1:
        detail["path"] = [steps[0][0], *(after for _b, after, _i in steps)]
    return detail or None


# ------------------------------------------------------------------ the door


def _claim(s: Session, limit: int, after_id: int = 0) -> list[int]:
    """Up to `limit` pending orders past `after_id`, locked for this engine. The cursor
    makes a run finish even when some claimed orders stay where they are (backorders)."""
    o = Order.__table__
    pay = OrderPayment.__table__
    balance_paid = exists().where(pay.c.order_id == o.c.id, pay.c.kind == "balance",
                                  pay.c.status == "paid")
    # The predicate written as the partial index's own (constants, not parameters), so the
    # claim walks that index in id order even under a generic plan: its cost is the batch's,
    # not the backlog's or the history's.
    query = (select(o.c.id).where(
        text(CLAIMABLE), o.c.id > after_id,
        or_(o.c.status != S.AWAITING_BALANCE.value, balance_paid))
        .order_by(o.c.id).limit(limit))
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=o)
    return list(s.scalars(query))


@guarded(Permission.RUN_ENGINE)
def run_once(db: Database, actor: Actor, *, batch: int = BATCH, now: datetime | None = None,
             max_orders: int | None = None,
             between: Callable[[], bool] | None = None, after_id: int = 0) -> EngineReport:
    """Process everything pending (or up to `max_orders`), one batch per transaction.
    `between()` is called after each batch; returning True ends the run there (the embedded
    engine pauses in it, so the station's own writes get the SQLite file, and stops in it)."""
    report = EngineReport()
    start = time.perf_counter()
    now = now or datetime.now(UTC)
    with db.reader() as s:
        ref = _Reference(s, now)
    cursor = after_id
    conflicted = False
    while max_orders is None or report.claimed < max_orders:
        take = batch if max_orders is None else min(batch, max_orders - report.claimed)
        # What planning changes outside the batch, put back if the batch is planned again.
        counts = (report.routed, report.split, report.awaiting_balance)
        capacity = list(ref.warehouses)
        try:
            with db.unit_of_work() as s:
                ids = _claim(s, take, cursor)
                if not ids:
                    break
                changes.note(s, Change.ORDERS, Change.EXCEPTIONS, Change.STOCK,
                             Change.CAMPAIGNS)
                work = _Batch(db, s, actor, ref, ids, now, report, locked=conflicted)
                work.plan()
                work.secure()
                work.write()
        except Conflict:
            report.replanned += 1
            report.routed, report.split, report.awaiting_balance = counts
            ref.warehouses = capacity
            conflicted = True
            continue
        conflicted = False
        cursor = report.cursor = max(ids)
        report.claimed += len(ids)
        if between is not None and between():
            break
    report.seconds = time.perf_counter() - start
    if report.claimed:
        log.info("engine: %s", report.as_json())
    return report


# Deadlock detected, serialization failure: the database rolled the batch back, try again.
RETRYABLE = ("40P01", "40001")
# How often the engine looks again at every order it may take, not only the new ones.
SWEEP_EVERY_S = 15.0
# How often the live orders are counted again for the shift leads' dashboards.
SUMMARY_EVERY_S = 15.0


def summarise_for_dashboards(db: Database, actor: Actor) -> None:
    """The live orders counted for the shift leads' dashboards (`dashboard.summarise`); a
    count that fails is logged and tried again next time, never in the orders' way."""
    from app.services import dashboard

    try:
        took = dashboard.summarise(db, actor)
    except Exception:  # noqa: BLE001 - the dashboards count for themselves meanwhile
        log.exception("counting the live orders for the dashboards failed")
        return
    log.debug("live orders counted for the dashboards in %.0f ms", took)


@guarded(Permission.RUN_ENGINE)
def run_forever(db: Database, actor: Actor, *, interval: float = 2.0,
                stop: Any = None, escalate_every: float = 60.0,
                pull_every: float = 0.0, confirm_per_second: float = 5.0) -> None:
    """`packline engine run`: keep the queue empty and the exception queue's ageing current,
    every `pull_every` seconds (0: never) pull the orders of every shop with pull on
    (`app.services.channel_pull.poll_all`: a shop's failure is logged and kept on its cursor),
    and do the other work with the platforms (`app.services.platform_work`: waybills fetched
    ahead and cancelled, shipment confirmations sent); `stop()` returning True ends it."""
    from app.services import channel_pull, exceptions, platform_work, schema, supply
    from app.services.errors import ServiceError

    # Never a round on a schema this build does not know (or one not yet migrated to it).
    schema.require(db)
    poller = channel_pull.Poller(pull_every)
    last_escalation = last_summary = last_sweep = 0.0
    cursor = failures = 0
    while not (stop and stop()):
        if poller.due():
            poller.run(db, actor)
        # New orders come after the cursor. The orders that stayed (waiting for stock or for
        # tomorrow's capacity, a balance not yet paid), and the few that came back below it
        # (a hold released, a balance paid, an intake that committed late), are met by a
        # sweep from the start every SWEEP_EVERY_S: at the peak, a round is the new orders'
        # work, not all the waiting ones' planned again.
        if time.monotonic() - last_sweep >= SWEEP_EVERY_S:
            cursor, last_sweep = 0, time.monotonic()
        try:
            report = run_once(db, actor, after_id=cursor)
            platform_work.run_once(db, actor, confirm_per_second=confirm_per_second)
            if time.monotonic() - last_escalation >= escalate_every:
                # The presale suppliers' slips first (app.services.supply): an order whose
                # goods now come later gets its supplier_delay exception, then all age.
                try:
                    slips = supply.raise_slips(db, actor)
                    if slips.raised or slips.raised_again or slips.compensated:
                        log.info("presale supplier slips: %s", slips.as_json())
                except (ServiceError, ValueError):
                    # A campaign's data the rules refuse (a cut-off mistyped) stops no order.
                    log.exception("presale supplier slips not raised this round")
                reached = exceptions.escalate(db, actor)
                if reached:
                    log.info("exceptions escalated: %s", reached)
                last_escalation = time.monotonic()
        except DBAPIError as exc:
            lost = exc.connection_invalidated or isinstance(exc, OperationalError)
            if getattr(exc.orig, "sqlstate", None) not in RETRYABLE and not lost:
                raise
            # The database rolled the batch back: two transactions locked rows in different
            # orders (a stock release by SKU and bin beside this engine's by id), or its
            # connection was ended (a restart, an administrator, a cut link). Nothing of the
            # batch was written; the round is run again, on a new connection if need be,
            # after a pause that grows while the database stays away.
            failures += 1
            said = (str(exc.orig or exc).strip().splitlines() or [type(exc).__name__])[0]
            log.warning("engine: a round was rolled back by the database (%s); again in "
                        "%.1f s", said, min(0.2 * failures, 5.0))
            time.sleep(min(0.2 * failures, 5.0))
            continue
        failures = 0
        cursor = max(cursor, report.cursor)
        if time.monotonic() - last_summary >= SUMMARY_EVERY_S:
            summarise_for_dashboards(db, actor)
            last_summary = time.monotonic()
        if not report.claimed:
            time.sleep(interval)
