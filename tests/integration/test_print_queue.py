"""The station's print queue against fake printers on 127.0.0.1 (real sockets): jobs stored
before they are sent, sent once, moved to the backup printer when the primary refuses, stalls or
runs out of paper, resent after a drop, never printed twice without a reprint, and the reprint
audited centrally through the outbox."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.domain.roles import Role
from app.printers import PrinterSpec, folder_printer
from app.services.central_link import DatabaseLink
from app.services.context import Actor, system_actor
from app.services.errors import InvalidInput, PermissionDenied
from app.station import outbox, print_queue
from app.station.models import PrintJob
from app.station.spooler import Spooler
from app.station.store import open_store
from app.store.db import Database
from app.store.models import AppliedEvent, AuditEntry
from drivers.printers.fake import FakePrinter
from tests.helpers.link import envelopes
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.timeout(120)
WAIT = 30.0


def _label(n: int) -> object:
    from app.printing.documents import BinLabel

    return BinLabel(code=f"LOC-HZ-A01-{n:02d}-1", title=f"测试 {n}")


def _spec(name: str, printer: FakePrinter | None = None, *, backup: str = "",
          language: str = "zpl", timeout: float = 0.5) -> PrinterSpec:
    url = printer.url if printer is not None else "file://"
    return PrinterSpec(name, url, language, 203, "100x150", backup, "graphic", timeout)


def _jobs(store: Database) -> list[PrintJob]:
    with store.reader() as s:
        jobs = list(s.scalars(select(PrintJob).order_by(PrintJob.created_at, PrintJob.id)))
        for j in jobs:
            s.expunge(j)
        return jobs


def _received(*printers: FakePrinter) -> list[bytes]:
    return [job for p in printers for job in p.jobs]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = open_store(tmp_path / "station.db")
    yield db
    db.dispose()


@pytest.fixture
def fake_printers() -> Iterator[list[FakePrinter]]:
    made: list[FakePrinter] = []
    yield made
    for p in made:
        p.close()


def _fake(fake_printers: list[FakePrinter], language: str = "zpl") -> FakePrinter:
    p = FakePrinter(language=language)
    fake_printers.append(p)
    return p


@pytest.fixture
def spoolers() -> Iterator[list[Spooler]]:
    made: list[Spooler] = []
    yield made
    for s in made:
        s.stop()


def _spooler(spoolers: list[Spooler], store: Database, tmp_path: Path,
             *specs: PrinterSpec, **kwargs) -> Spooler:
    sp = Spooler(store, {s.name: s for s in specs}, tmp_path / "prints",
                 rerender=print_queue.rerender, **kwargs)
    spoolers.append(sp)
    return sp


def test_a_job_is_stored_before_it_is_sent_and_asking_twice_prints_once(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    printer = _fake(fake_printers)
    spec = _spec("label", printer)
    first = print_queue.enqueue(store, system_actor(), spec, _label(1), kind="label",
                                ref="LOC-1", dedupe_key="label:LOC-1")
    again = print_queue.enqueue(store, system_actor(), spec, _label(1), kind="label",
                                ref="LOC-1", dedupe_key="label:LOC-1")
    assert again.existing and again.job_id == first.job_id
    (job,) = _jobs(store)
    assert job.status == "queued" and job.data.startswith(b"^XA") and printer.jobs == []
    sp = _spooler(spoolers, store, tmp_path, spec)
    sp.start()
    printer.wait_jobs(1, WAIT)
    eventually(lambda: _jobs(store)[0].status == "sent", what="the job marked sent",
               timeout=WAIT)
    assert printer.jobs == [job.data]  # byte for byte, once
    # Sent is final: asking again, or restarting the spooler, prints nothing more.
    assert print_queue.enqueue(store, system_actor(), spec, _label(1), kind="label",
                               ref="LOC-1", dedupe_key="label:LOC-1").status == "sent"
    sp.stop()
    _spooler(spoolers, store, tmp_path, spec).start()
    # The restarted spooler goes through its queue: a label asked for now is printed after
    # anything it would resend, so once it is out, a second copy of the first would be too.
    later = print_queue.enqueue(store, system_actor(), spec, _label(2), kind="label",
                                ref="LOC-2", dedupe_key="label:LOC-2")
    eventually(lambda: _jobs(store)[-1].status == "sent", what="the later label marked sent",
               timeout=WAIT)
    (_first, second) = _jobs(store)
    assert second.id == later.job_id
    assert printer.jobs == [job.data, second.data]  # the first label, still once


def test_a_refusing_printer_hands_its_jobs_to_the_backup_without_losing_or_doubling(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    primary, backup = _fake(fake_printers), _fake(fake_printers)
    primary.refuse()
    specs = (_spec("main", primary, backup="spare"), _spec("spare", backup))
    sp = _spooler(spoolers, store, tmp_path, *specs, failover_after=0.5)
    for n in range(20):
        print_queue.enqueue(store, system_actor(), specs[0], _label(n), kind="label", ref=f"L{n}")
    sp.start()
    backup.wait_jobs(20, WAIT)
    eventually(lambda: all(j.status == "sent" for j in _jobs(store)),
               what="every job marked sent", timeout=WAIT)
    jobs = _jobs(store)
    assert sorted(backup.jobs) == sorted(j.data for j in jobs)  # each exactly once
    assert primary.jobs == []
    assert {(j.printer, j.moved_from) for j in jobs} == {("spare", "main")}
    assert sp.health["main"].status == "down"


def test_paper_out_moves_the_jobs_at_once_and_the_printer_comes_back(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    primary, backup = _fake(fake_printers), _fake(fake_printers)
    primary.paper_out(True)
    specs = (_spec("main", primary, backup="spare"), _spec("spare", backup))
    sp = _spooler(spoolers, store, tmp_path, *specs, failover_after=60, probe_every=0.2)
    print_queue.enqueue(store, system_actor(), specs[0], _label(1), kind="label", ref="L1")
    sp.start()
    backup.wait_jobs(1, WAIT)  # long before the 60 s a silent failure would wait
    assert "paper_out" in _jobs(store)[0].last_error
    primary.paper_out(False)
    eventually(lambda: sp.health["main"].status == "online",
               what="the primary printer online again", timeout=WAIT)
    print_queue.enqueue(store, system_actor(), specs[0], _label(2), kind="label", ref="L2")
    sp.wake()
    primary.wait_jobs(1, WAIT)
    assert len(backup.jobs) == 1


def test_a_job_dropped_mid_send_is_sent_again_and_the_resend_is_counted(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    printer = _fake(fake_printers)
    printer.drop_after(10)  # the connection breaks after 10 bytes …
    spec = _spec("label", printer)
    sp = _spooler(spoolers, store, tmp_path, spec, failover_after=60)
    print_queue.enqueue(store, system_actor(), spec, _label(7), kind="label", ref="L7")
    sp.start()
    printer.wait_partial(1, WAIT)
    printer.recover()  # … and the printer is back a moment later
    printer.wait_jobs(1, WAIT)
    eventually(lambda: _jobs(store)[0].status == "sent", what="the job marked sent",
               timeout=WAIT)
    (job,) = _jobs(store)
    assert printer.jobs == [job.data]
    assert printer.partial and job.resends == 1 and job.attempts == 2


def test_a_stalled_printer_times_out_and_the_backup_prints(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    primary, backup = _fake(fake_printers), _fake(fake_printers)
    primary.stall()
    specs = (_spec("main", primary, backup="spare", timeout=0.5), _spec("spare", backup))
    sp = _spooler(spoolers, store, tmp_path, *specs, failover_after=60)
    big = "大" * 400  # enough bytes to fill the socket buffers of a printer that stops reading
    from app.printing.documents import BinLabel

    for n in range(3):
        print_queue.enqueue(store, system_actor(), specs[0], BinLabel(code=f"LOC-HZ-A01-0{n}-1",
                                                                      title=big),
                            kind="label", ref=f"S{n}")
    sp.start()
    backup.wait_jobs(3, WAIT)
    assert {j.printer for j in _jobs(store)} == {"spare"}


def test_a_backup_of_another_language_gets_the_document_rendered_for_it(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    primary = _fake(fake_printers)
    primary.refuse()
    folder = PrinterSpec("folder", "file://", "pdf", 203, "100x150")
    main = _spec("main", primary, backup="folder")
    sp = _spooler(spoolers, store, tmp_path, main, folder, failover_after=0.2)
    print_queue.enqueue(store, system_actor(), main, _label(3), kind="label", ref="L3")
    sp.start()
    eventually(lambda: _jobs(store)[0].status == "sent", what="the job marked sent",
               timeout=WAIT)
    (job,) = _jobs(store)
    assert (job.printer, job.language) == ("folder", "pdf") and job.data.startswith(b"%PDF")
    files = list((tmp_path / "prints").iterdir())
    assert len(files) == 1 and files[0].read_bytes() == job.data


def test_a_crash_mid_send_means_one_resend_on_restart(store: Database, fake_printers, spoolers,
                                                      tmp_path: Path) -> None:
    printer = _fake(fake_printers)
    spec = _spec("label", printer)
    print_queue.enqueue(store, system_actor(), spec, _label(9), kind="label", ref="L9")
    with store.unit_of_work() as s:  # what a process killed while sending leaves behind
        s.execute(update(PrintJob).values(status="sending", attempts=1))
    _spooler(spoolers, store, tmp_path, spec).start()
    printer.wait_jobs(1, WAIT)
    eventually(lambda: _jobs(store)[0].status == "sent", what="the job marked sent",
               timeout=WAIT)
    (job,) = _jobs(store)
    assert job.resends == 1 and "restart" in job.last_error


def _actor(role: Role) -> Actor:
    return Actor(user_id=None, code=f"{role.value}01", name=role.value, role=role,
                 station="ST-T")


def test_reprint_needs_a_reason_and_is_audited_centrally_once(
        store: Database, sqlite_db: Database, spoolers, tmp_path: Path) -> None:
    spec = folder_printer()
    first = print_queue.enqueue(store, system_actor(), spec, _label(5), kind="label", ref="L5",
                                dedupe_key="label:L5")
    with pytest.raises(InvalidInput):
        print_queue.reprint(store, _actor(Role.PACKER), first.job_id, " ")
    with pytest.raises(PermissionDenied):
        print_queue.reprint(store, _actor(Role.PICKER), first.job_id, "label torn")
    assert len(_jobs(store)) == 1 and outbox.pending(store) == 0
    again = print_queue.reprint(store, _actor(Role.PACKER), first.job_id, "标签破损")
    jobs = {j.id: j for j in _jobs(store)}
    assert jobs[again.job_id].reprint_of == first.job_id
    assert jobs[again.job_id].reason == "标签破损" and jobs[again.job_id].data == \
        jobs[first.job_id].data
    assert outbox.pending(store) == 1
    report = outbox.push(store, DatabaseLink(sqlite_db), "ST-T")
    assert (report.pushed, report.refused, report.remaining) == (1, 0, 0)
    with sqlite_db.reader() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "print.reprint")))
        assert len(rows) == 1 and rows[0].detail["reason"] == "标签破损"
        assert rows[0].station == "ST-T"
    # The same event pushed again (a timeout, then a resend) changes nothing centrally.
    from app.services import station_events
    from app.station.models import OutboxEvent

    with store.reader() as s:
        event = s.scalars(select(OutboxEvent)).one()
        again_event = {"id": event.id, "kind": event.kind, "payload": dict(event.payload)}
    outcome = station_events.apply(sqlite_db, "ST-T", envelopes([again_event]))
    assert outcome[again_event["id"]].kind == "applied"
    with sqlite_db.reader() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "print.reprint")) == 1
        assert s.scalar(select(func.count()).select_from(AppliedEvent)
                        .where(AppliedEvent.event_id == again_event["id"])) == 1


def test_only_a_waiting_job_can_be_cancelled(store: Database, tmp_path: Path) -> None:
    spec = folder_printer()
    job = print_queue.enqueue(store, system_actor(), spec, _label(1), kind="label", ref="L1")
    print_queue.cancel(store, system_actor(), job.job_id)
    assert _jobs(store)[0].status == "cancelled"
    with pytest.raises(InvalidInput):
        print_queue.cancel(store, system_actor(), job.job_id)


def test_a_bad_document_is_refused_and_nothing_is_queued(store: Database) -> None:
    spec = folder_printer()
    with pytest.raises(ValueError):
        print_queue.enqueue(store, system_actor(), spec, object(), kind="label", ref="x")
    assert _jobs(store) == []


def test_documents_round_trip_through_the_job(store: Database) -> None:
    from app.printing.documents import Party, Waybill

    doc = Waybill(carrier_code="SF", carrier_name="顺丰速运", tracking_no="SF123456789012",
                  sender=Party("天猫旗舰店", "0571-88886666", "浙江省", "杭州市", "余杭区",
                               "良睦路1399号"),
                  receiver=Party("张三", "13800138000", "广东省", "深圳市", "南山区",
                                 "科技园南区8栋"),
                  order_nos=("PL2611110000001",), package_no=1, package_count=2,
                  weight_g=1250, presale=True, promised_ship_by=None, route_code="深圳 南山",
                  remark="", printed_at=datetime(2026, 11, 11, 8, 0, tzinfo=UTC))
    assert print_queue.from_json("Waybill", print_queue.to_json(doc)) == doc


def test_a_job_queued_while_the_printer_looks_for_work_is_not_left_for_the_next_poll(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    """The worker looks, finds nothing, and the job it missed is woken for while it looks:
    it prints at once, not when the worker polls again a second later."""
    import threading

    printer = _fake(fake_printers)
    spec = _spec("label", printer)
    print_queue.enqueue(store, system_actor(), spec, _label(7), kind="label", ref="LOC-7")
    sp = _spooler(spoolers, store, tmp_path, spec)
    timed_out: list[bool] = []

    class Watched(threading.Condition):
        def wait(self, timeout: float | None = None) -> bool:
            woken = super().wait(timeout)
            if not woken and not printer.jobs:
                timed_out.append(True)  # slept a whole poll with the job waiting
            return woken

    sp._wake = Watched()
    real_claim = sp._claim
    looks: list[object] = []

    def claim(s, name):  # type: ignore[no-untyped-def]
        looks.append(name)
        if len(looks) == 1:  # this look misses the job (queued just after it read)...
            sp.wake()  # ...and the wake for it comes before the look is over
            return None
        return real_claim(s, name)

    sp._claim = claim  # type: ignore[method-assign]
    sp.start()
    printer.wait_jobs(1, WAIT)
    assert timed_out == [] and len(looks) >= 2


@pytest.mark.slow
def test_a_store_that_cannot_be_written_for_a_while_stops_the_printer_only_that_while(
        store: Database, fake_printers, spoolers, tmp_path: Path) -> None:
    """The 11.11 rehearsal found it: a station whose disk was full for a few seconds never
    printed again until it was restarted (the printer's worker died on the store's error).
    Here the store is held by another connection past its busy timeout, as a full disk or a
    stuck writer would: the worker fails on it, then carries on and prints what came."""
    import sqlite3

    printer = _fake(fake_printers)
    spec = _spec("label", printer)
    print_queue.enqueue(store, system_actor(), spec, _label(1), kind="label", ref="L1")
    sp = _spooler(spoolers, store, tmp_path, spec)
    sp.start()
    printer.wait_jobs(1, WAIT)
    holder = sqlite3.connect(tmp_path / "station.db", timeout=30, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        # The worker looks for work every second: its next look waits out the busy timeout
        # and fails.
        time.sleep(12)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    print_queue.enqueue(store, system_actor(), spec, _label(2), kind="label", ref="L2")
    sp.wake()
    printer.wait_jobs(2, WAIT)
    eventually(lambda: [j.status for j in _jobs(store)] == ["sent", "sent"],
               what="both labels marked sent", timeout=WAIT)
