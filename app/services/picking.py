"""The picker's walk: a picker claims a released wave and picks it task by task along the
walking path, scanning each task's bin and then its item (`app.domain.picking_steps`: an item
scanned before its bin is refused, and the confirmed bin is stored with the task, so a picker
who logs in again on another scanner carries on at the same step). A task may be skipped to
the end of the walk, or picked short (its orders leave the wave with a `short_pick`
exception); a picker who must stop hands the wave back, or, before picking anything, abandons
it to the queue. The printed pick list is the same walk on paper.

One wave has one picker: the first claim wins, settled by the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from app.domain import picking_steps as steps
from app.domain.notes import Note
from app.domain.picking_steps import PickEvent, PickStep
from app.domain.roles import Permission
from app.domain.status import OrderStatus
from app.services import audit, changes, stock, work
from app.services.access import guarded
from app.services.changes import Change
from app.services.context import Actor
from app.services.errors import Conflict, NotFound, PermissionDenied, ScanRefused
from app.services.orders import set_status
from app.services.wave_common import (
    PUT_WALL,
    back_to_queue,
    count_into_order,
    find_wave,
    finish_if_done,
    held_needs,
    leave_wave,
    sku_for,
    units_picked,
)
from app.store.db import Database
from app.store.models import (
    Bin,
    Order,
    PickTask,
    PutbackTask,
    Sku,
    SkuBarcode,
    User,
    Warehouse,
    Wave,
    WaveOrder,
)

S = OrderStatus


# ------------------------------------------------------------------ what the picker sees


@dataclass(frozen=True, slots=True)
class TaskView:
    seq: int
    bin_code: str
    sku_code: str
    sku_name: str
    qty: int
    picked: int
    status: str
    cells: tuple[tuple[str, int, int | None], ...]  # (order number, units, cart cell)
    step: PickStep = PickStep.AT_BIN  # where the picker is at this task: bin, item, finished


@dataclass(frozen=True, slots=True)
class WaveView:
    wave_no: str
    strategy: str
    status: str
    picker: str
    tasks: tuple[TaskView, ...]
    putbacks: tuple[dict[str, Any], ...]

    @property
    def current(self) -> TaskView | None:
        """The task to do now: open tasks in path order, then the skipped ones."""
        for wanted in ("open", "skipped"):
            for t in self.tasks:
                if t.status == wanted:
                    return t
        return None

    @property
    def done(self) -> bool:
        return self.current is None

    @property
    def sorted_at_put_wall(self) -> bool:
        """Its units go to the put wall once picked (a multi-item wave), not straight to
        packing."""
        return self.strategy in PUT_WALL


@guarded(Permission.VIEW_ORDERS)
def view(db: Database, actor: Actor, wave_no: str) -> WaveView:
    with db.reader() as s:
        return _view(s, find_wave(s, wave_no))


def _view(s: Session, wave: Wave) -> WaveView:
    tasks = s.execute(select(PickTask.seq, Bin.code, Sku.code, Sku.name, PickTask.qty,
                             PickTask.picked_qty, PickTask.status, PickTask.sku_id,
                             PickTask.bin_id, PickTask.bin_confirmed_at)
                      .join(Bin, Bin.id == PickTask.bin_id).join(Sku, Sku.id == PickTask.sku_id)
                      .where(PickTask.wave_id == wave.id).order_by(PickTask.seq)).all()
    members = s.execute(select(WaveOrder.order_id, WaveOrder.cell, Order.order_no)
                        .join(Order, Order.id == WaveOrder.order_id)
                        .where(WaveOrder.wave_id == wave.id,
                               WaveOrder.removed_at.is_(None))).all()
    cell_of = {m.order_id: (m.order_no, m.cell) for m in members}
    shares: dict[tuple[int, int], list[tuple[str, int, int | None]]] = defaultdict(list)
    for need_list in held_needs(s, list(cell_of)).values():
        for n in need_list:
            no, cell = cell_of[n.order_id]
            shares[(n.bin_id, n.sku_id)].append((no, n.qty, cell))
    picker = s.scalar(select(User.name).where(User.id == wave.picker_id)) or ""
    putbacks = tuple({"id": p.id, "order_no": no, "sku": sku, "bin": bin_code,
                      "qty": p.qty, "status": p.status}
                     for p, no, sku, bin_code in s.execute(
                         select(PutbackTask, Order.order_no, Sku.code, Bin.code)
                         .join(Order, Order.id == PutbackTask.order_id)
                         .join(Sku, Sku.id == PutbackTask.sku_id)
                         .join(Bin, Bin.id == PutbackTask.bin_id)
                         .where(PutbackTask.wave_id == wave.id).order_by(PutbackTask.id)))
    return WaveView(wave.wave_no, wave.strategy, wave.status, picker, tuple(
        TaskView(t.seq, t[1], t[2], t[3], t.qty, t.picked_qty, t.status,
                 tuple(sorted(shares.get((t.bin_id, t.sku_id), []), key=lambda x: x[2] or 0)),
                 steps.step_of(t.status, t.bin_confirmed_at is not None))
        for t in tasks), putbacks)


@guarded(Permission.PICK)
def held_wave(db: Database, actor: Actor) -> WaveView | None:
    """The wave this picker holds (being picked, or picked and waiting at their put wall),
    to take them back to it when they log in again."""
    if actor.user_id is None:
        return None
    with db.reader() as s:
        wave = s.scalars(select(Wave).where(
            Wave.picker_id == actor.user_id,
            (Wave.status == "picking") | ((Wave.status == "picked")
                                          & Wave.strategy.in_(list(PUT_WALL))))
            .order_by(Wave.claimed_at.desc(), Wave.id.desc())).first()
        return _view(s, wave) if wave is not None else None


# ------------------------------------------------------------------ claim, hand back, abandon


@guarded(Permission.PICK)
def claim(db: Database, actor: Actor, wave_no: str) -> WaveView:
    """One picker per wave: the first claim wins, settled by the database."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.WAVES, Change.PICKING, Change.ORDERS)
        wave = find_wave(s, wave_no)
        won = cast(CursorResult[Any], s.execute(update(Wave).where(
            Wave.id == wave.id, Wave.status == "released", Wave.picker_id.is_(None),
        ).values(picker_id=actor.user_id, status="picking", claimed_at=now))).rowcount
        if not won:
            s.refresh(wave)
            if wave.status == "picking" and wave.picker_id == actor.user_id \
                    and actor.user_id is not None:
                return _view(s, wave)  # picking it already: carry on where it was
            who = s.scalar(select(User.name).where(User.id == wave.picker_id)) or "-"
            raise Conflict(f"{wave.wave_no} is {wave.status}" +
                           (f", claimed by {who}" if wave.picker_id else ""),
                           code="wave.claimed" if wave.picker_id else "wave.not_released",
                           wave_no=wave.wave_no, wave_status=wave.status, user=who)
        orders = list(s.scalars(select(Order).where(
            Order.wave_id == wave.id, Order.status == S.IN_WAVE.value).with_for_update()))
        for order in orders:
            set_status(s, actor, order, S.PICKING, detail={"wave": wave.wave_no})
        audit.record(s, actor, "wave.claimed", "wave", wave.wave_no, "released", "picking")
        changes.note(s, Change.WAVES, Change.ORDERS)
        s.flush()
        s.refresh(wave)
        return _view(s, wave)


def _held(s: Session, actor: Actor, wave_no: str) -> Wave:
    """The wave being picked by this picker (or any picker's, for a shift lead), locked.
    The service calling it is `@guarded(Permission.PICK)`."""
    wave = find_wave(s, wave_no, lock=True)
    if wave.status != "picking":
        raise Conflict(f"{wave.wave_no} is {wave.status}, not being picked",
                       code="wave.not_being_picked", wave=wave.wave_no, wave_status=wave.status)
    if actor.user_id is not None and wave.picker_id != actor.user_id \
            and not actor.can(Permission.RELEASE_WAVES):
        raise PermissionDenied(f"{wave.wave_no} is another picker's",
                               code="wave.not_yours", wave=wave.wave_no)
    return wave


@guarded(Permission.PICK)
def hand_back(db: Database, actor: Actor, wave_no: str, reason: str = "") -> WaveView:
    """The picker stops and hands the wave on: it is released again for any picker, with
    what was picked kept (the next picker carries on from the first open task)."""
    with db.unit_of_work() as s:
        wave = _held(s, actor, wave_no)
        held_by = wave.picker_id
        wave.status, wave.picker_id, wave.claimed_at = "released", None, None
        # Every task not finished waits for the next picker at its bin; skipped tasks are
        # open again for whoever takes it next.
        now = datetime.now(UTC)
        for task in s.scalars(select(PickTask).where(
                PickTask.wave_id == wave.id, PickTask.status.in_(list(steps.OPEN_STATUSES)))):
            step = steps.step_of(task.status, task.bin_confirmed_at is not None)
            _store_step(task, steps.after(step, PickEvent.HANDED_BACK), now)
        s.execute(update(PickTask).where(PickTask.wave_id == wave.id,
                                         PickTask.status == "skipped").values(status="open"))
        audit.record(s, actor, "wave.handed_back", "wave", wave.wave_no, "picking",
                     "released", {"reason": reason, "picker": held_by,
                                  "picked": units_picked(s, wave)})
        changes.note(s, Change.WAVES, Change.PICKING)
        s.flush()
        return _view(s, wave)


@guarded(Permission.PICK)
def abandon(db: Database, actor: Actor, wave_no: str, reason: str = "") -> int:
    """The picker gives the wave up before taking anything: its orders go back to the queue
    as `cancel` puts them. Once a unit is picked it can only be handed back (or its orders
    taken out one by one by the shift lead, with put-backs)."""
    with db.unit_of_work() as s:
        wave = _held(s, actor, wave_no)
        picked = units_picked(s, wave)
        if picked:
            raise Conflict(f"{wave.wave_no} has {picked} units picked: hand it back instead",
                           code="wave.abandon_picked", wave=wave.wave_no, units=picked)
        return back_to_queue(s, actor, wave, reason or "abandoned by the picker",
                             "wave.abandoned")


# ------------------------------------------------------------------ the walk


def _picking(s: Session, actor: Actor, wave_no: str, seq: int) -> tuple[Wave, PickTask]:
    # The services calling it are `@guarded(Permission.PICK)`.
    wave = find_wave(s, wave_no, lock=True)
    if wave.status != "picking":
        raise ScanRefused(f"{wave.wave_no} is {wave.status}", "state", code="wave.not_picking",
                          wave_no=wave.wave_no, wave_status=wave.status)
    if actor.user_id is not None and wave.picker_id != actor.user_id:
        raise ScanRefused(f"{wave.wave_no} is being picked by someone else", "state",
                          code="wave.someone_else", wave_no=wave.wave_no)
    task = s.scalars(select(PickTask).where(PickTask.wave_id == wave.id,
                                            PickTask.seq == seq).with_for_update()).first()
    if task is None:
        raise NotFound(f"{wave.wave_no} has no task {seq}", code="wave.no_task",
                       wave_no=wave.wave_no, seq=seq)
    return wave, task


# How the picker's screen sounds and words a refusal of the step machine.
_STEP_REFUSALS = {"pick.scan_bin_first": "bin_first", "pick.task_done": "done"}


def _step_for(s: Session, task: PickTask, event: PickEvent) -> PickStep:
    """The task's stored step, once the step machine has taken `event` there (refused:
    `ScanRefused`, nothing changed)."""
    step = steps.step_of(task.status, task.bin_confirmed_at is not None)
    try:
        steps.check(step, event)
    except steps.StepRefused as exc:
        bin_code = s.scalar(select(Bin.code).where(Bin.id == task.bin_id)) or ""
        raise ScanRefused(f"task {task.seq} at {bin_code}: {exc}",
                          _STEP_REFUSALS.get(exc.code, "state"), code=exc.code,
                          seq=task.seq, bin=bin_code) from None
    return step


def _store_step(task: PickTask, step: PickStep, now: datetime) -> None:
    """Write the step the task is at into its row: the bin confirmation (the first scan's
    time) kept or cleared; a finished task keeps it as the record of that scan."""
    if step is PickStep.AT_BIN:
        task.bin_confirmed_at = None
    elif step is PickStep.BIN_CONFIRMED and task.bin_confirmed_at is None:
        task.bin_confirmed_at = now


@guarded(Permission.PICK)
def confirm_bin(db: Database, actor: Actor, wave_no: str, seq: int, scanned: str) -> WaveView:
    """The picker is at the task's bin (the scan must be that bin): the item's scans count
    from now on, whichever scanner they come from."""
    from drivers.barcode import ScanKind, parse_scan

    scan = parse_scan(scanned)
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        wave, task = _picking(s, actor, wave_no, seq)
        step = _step_for(s, task, PickEvent.BIN_SCANNED)
        expected = s.scalar(select(Bin.code).where(Bin.id == task.bin_id)) or ""
        if scan.kind is not ScanKind.BIN:
            raise ScanRefused(f"scan the bin {expected} first", "not_a_bin",
                              code="pick.not_a_bin", bin=expected)
        if scan.value != expected.upper():
            raise ScanRefused(f"wrong bin {scan.value}: go to {expected}", "wrong_bin",
                              code="pick.wrong_bin", scanned=scan.value, bin=expected)
        _store_step(task, steps.after(step, PickEvent.BIN_SCANNED), now)
        changes.note(s, Change.PICKING)
        s.flush()
        return _view(s, wave)


@guarded(Permission.PICK)
def pick(db: Database, actor: Actor, wave_no: str, seq: int, scanned: str,
         qty: int = 1) -> WaveView:
    """Units of the task's SKU taken from its bin: stock leaves the bin, the task counts up.
    An item scanned before the task's bin, a wrong item or more than the task needs is
    refused and changes nothing."""
    if qty < 1:
        raise ScanRefused("quantity must be at least 1", "qty", code="pick.qty_zero")
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.WAVES, Change.ORDERS, Change.STOCK)
        wave, task = _picking(s, actor, wave_no, seq)
        step = _step_for(s, task, PickEvent.ITEM_SCANNED)
        found = sku_for(s, scanned)
        if found is None or found[0] != task.sku_id:
            expected = s.scalar(select(Sku.code).where(Sku.id == task.sku_id))
            raise ScanRefused(f"wrong item: this task is {expected}", "wrong_item",
                              code="pick.wrong_item", sku=expected)
        units = qty * found[1]
        if task.picked_qty + units > task.qty:
            raise ScanRefused(f"too many: {task.qty - task.picked_qty} left to pick", "extra",
                              code="pick.too_many", left=task.qty - task.picked_qty)
        _take_from_bin(s, actor, wave, task, units, now)
        task.picked_qty += units
        task.picked_by, task.picked_at = actor.user_id, now
        changes.note(s, Change.PICKING, Change.WAVES, Change.STOCK)
        work.count(s, [work.Done("pick", actor.user_id, now, units=units)])
        after = steps.after(step, PickEvent.ITEM_SCANNED, units_left=task.qty - task.picked_qty)
        if after is PickStep.FINISHED:
            task.status = "done"
        elif task.status == "skipped":
            task.status = "open"
        _store_step(task, after, now)
        s.flush()
        finish_if_done(s, actor, wave, now)
        return _view(s, wave)


def _take_from_bin(s: Session, actor: Actor, wave: Wave, task: PickTask, units: int,
                   now: datetime) -> None:
    """The units leave the bin for the orders of this stop, cell order first; the ledger
    books them to each order so its reservation is used up, never released twice."""
    members = [m for (m,) in s.execute(select(WaveOrder.order_id).where(
        WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None)))]
    left = units
    shares: list[tuple[int, int]] = []
    for need in sorted((n for lst in held_needs(s, members).values() for n in lst
                        if n.bin_id == task.bin_id and n.sku_id == task.sku_id),
                       key=lambda n: n.order_id):
        take = min(left, need.qty)
        if take <= 0:
            continue
        shares.append((need.order_id, take))
        if wave.strategy not in PUT_WALL:  # picked straight into the order's cell
            count_into_order(s, need.order_id, task.sku_id, take)
        left -= take
    if left:
        raise ScanRefused("nothing left to pick here for this wave's orders", "extra",
                          code="pick.nothing_left")
    stock.take(s, actor, wave.id, task.bin_id, task.sku_id, shares, now)


@guarded(Permission.PICK)
def skip(db: Database, actor: Actor, wave_no: str, seq: int) -> WaveView:
    """Come back to this task at the end of the path (its bin is scanned again then)."""
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING)
        wave, task = _picking(s, actor, wave_no, seq)
        step = _step_for(s, task, PickEvent.SKIPPED)
        task.status = "skipped"
        _store_step(task, steps.after(step, PickEvent.SKIPPED), datetime.now(UTC))
        changes.note(s, Change.PICKING)
        s.flush()
        return _view(s, wave)


@guarded(Permission.PICK)
def short_pick(db: Database, actor: Actor, wave_no: str, seq: int, found: int,
               note: str = "") -> WaveView:
    """The bin holds fewer than the task needs. What is there is picked; the orders that go
    without leave the wave with a `short_pick` exception (the rest of the wave goes on), and
    the bin's count is corrected so the units are not promised again."""
    now = datetime.now(UTC)
    with db.unit_of_work() as s:
        changes.note(s, Change.PICKING, Change.WAVES, Change.EXCEPTIONS, Change.ORDERS, Change.STOCK)
        wave, task = _picking(s, actor, wave_no, seq)
        _step_for(s, task, PickEvent.SHORT)  # before its bin too: it may not be found at all
        missing = task.qty - task.picked_qty - found
        if found < 0 or missing <= 0:
            raise ScanRefused(f"a short pick finds fewer than the {task.qty - task.picked_qty} "
                              "units still to pick", "qty", code="pick.short_qty",
                              left=task.qty - task.picked_qty)
        bin_code = s.scalar(select(Bin.code).where(Bin.id == task.bin_id))
        sku_code = s.scalar(select(Sku.code).where(Sku.id == task.sku_id))
        # Who goes without: the orders of this stop, last cells first, until the gap is
        # covered.
        members = {m.order_id: m for m in s.scalars(select(WaveOrder).where(
            WaveOrder.wave_id == wave.id, WaveOrder.removed_at.is_(None)))}
        stop = sorted((n for lst in held_needs(s, list(members)).values() for n in lst
                       if n.bin_id == task.bin_id and n.sku_id == task.sku_id),
                      key=lambda n: (members[n.order_id].cell or 0, n.order_id), reverse=True)
        short_orders: list[int] = []
        gap = missing
        for need in stop:
            if gap <= 0:
                break
            short_orders.append(need.order_id)
            gap -= need.qty
        for order_id in short_orders:
            order = s.get(Order, order_id, with_for_update=True)
            assert order is not None
            text = f"{bin_code}: {sku_code} short by {missing}"
            leave_wave(s, actor, wave, order, "short_pick", text, now, Note(
                "pick.short", text, {"bin": bin_code, "sku": sku_code, "missing": missing}))
        # Never below what other orders hold here: those are counted again by the lead.
        stock.count_short(s, actor, wave.id, task.bin_id, task.sku_id, missing,
                          f"short pick {wave.wave_no}/{seq} {note}", now)
        if found:
            s.flush()
            _take_from_bin(s, actor, wave, task, found, now)
            task.picked_qty += found
        task.status = "short"  # finished, with fewer than asked: the audit says why
        audit.record(s, actor, "wave.short_pick", "wave", wave.wave_no, None, None,
                     {"seq": seq, "bin": bin_code, "sku": sku_code, "missing": missing,
                      "orders": len(short_orders)})
        changes.note(s, Change.PICKING, Change.WAVES, Change.STOCK, Change.ORDERS,
                     Change.EXCEPTIONS)
        s.flush()
        finish_if_done(s, actor, wave, now)
        return _view(s, wave)


@guarded(Permission.VIEW_ORDERS)
def pick_list(db: Database, actor: Actor, wave_no: str) -> Any:
    """The printable pick list of a wave: what is left to pick, in walking order, with each
    SKU's barcode and where the units go."""
    from app.printing.documents import PickList
    from app.printing.documents import PickTask as PickLine

    with db.reader() as s:
        wave = find_wave(s, wave_no)
        view = _view(s, wave)
        warehouse = s.scalar(select(Warehouse.code).where(Warehouse.id == wave.warehouse_id))
        codes = [t.sku_code for t in view.tasks]
        barcodes = dict(s.execute(
            select(Sku.code, func.min(SkuBarcode.barcode)).join(SkuBarcode,
                                                               SkuBarcode.sku_id == Sku.id)
            .where(Sku.code.in_(codes), SkuBarcode.units == 1).group_by(Sku.code)).all())
    return PickList(
        wave_no=view.wave_no, warehouse=warehouse or "", strategy=view.strategy,
        picker=view.picker, printed_at=datetime.now(UTC), tasks=tuple(
            PickLine(t.seq, t.bin_code, t.sku_code, barcodes.get(t.sku_code, ""), t.sku_name,
                     t.qty - t.picked, " ".join(str(c) for _no, _q, c in t.cells if c))
            for t in view.tasks if t.status in ("open", "skipped")))
