"""Printing through a platform's print component, end to end on real sockets: the station's
queue marks a job sent only on the component's print result; a station killed between the
print and the result prints the label once when it starts again (the component sees the same
taskID); a component that is not running fails over to the backup component; a platform's
e-waybill is refused before anything is stored on a printer that cannot print it; and
`packline print test` against a running Cainiao-protocol component."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.printers import PrinterSpec
from app.printing.documents import BinLabel
from app.services.context import system_actor
from app.services.errors import InvalidInput
from app.station import print_queue
from app.station.models import PrintJob
from app.station.spooler import Spooler
from app.station.store import open_store
from app.store.db import Database
from tests.helpers.cli import bootstrap, packline
from tests.helpers.fake_component import FakeComponent
from tests.helpers.waiting import eventually
from tests.printing.conftest import make_waybill

pytestmark = pytest.mark.timeout(120)
REPO = Path(__file__).resolve().parents[2]
PRINT_DATA = {"encryptedData": "QUJDREVGRw==", "signature": "c2lnbmF0dXJl",
              "templateURL": "http://cloudprint.cainiao.com/template/standard/101", "ver": "1",
              "sort": {"route": "杭州 西湖 A12"}}
SPOOLER = """
import sys, time
from pathlib import Path
from app.printers import PrinterSpec
from app.station import print_queue
from app.station.spooler import Spooler
from app.station.store import open_store
store = open_store(Path(sys.argv[1]))
spec = PrinterSpec("label", sys.argv[2], "cainiao", 203, "100x180")
Spooler(store, {"label": spec}, Path(sys.argv[1]).parent, rerender=print_queue.rerender).start()
print("ready", flush=True)
time.sleep(600)  # the spooler's thread prints until the test ends this process
"""


def _job(store: Database, job_id: str) -> PrintJob:
    with store.reader() as s:
        job = s.get(PrintJob, job_id)
        assert job is not None
        s.expunge(job)
        return job


def _spooler_process(db_path: Path, url: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", SPOOLER, str(db_path), url], cwd=REPO,
                            stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONWARNINGS="ignore"))
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def _end(proc: subprocess.Popen[str], sig: int) -> None:
    proc.send_signal(sig)
    proc.wait(10)
    assert proc.stdout is not None
    proc.stdout.close()


def test_a_waybill_is_sent_only_on_the_print_result(tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db")
    with FakeComponent("cainiao", printers=("ZTO-1",)) as fake:
        spec = PrinterSpec("cainiao", fake.url("ZTO-1"), "cainiao", 203, "100x180",
                           custom_template="http://cloudprint.cainiao.com/template/customArea/1")
        waybill = make_waybill(provider="cainiao", print_data=PRINT_DATA,
                               items=(("保温杯 500ml", 2),))
        queued = print_queue.enqueue(store, system_actor(), spec, waybill, kind="waybill",
                                     ref="SF1234567890123", dedupe_key="wb-1")
        fake.hold = True
        spooler = Spooler(store, {"cainiao": spec}, tmp_path)
        spooler.start()
        try:
            eventually(lambda: fake.printed(queued.job_id), what="the component printing")
            assert _job(store, queued.job_id).status == "sending"  # printed, not yet said so
            fake.release()
            eventually(lambda: _job(store, queued.job_id).status == "sent",
                       what="the job marked sent after the print result")
        finally:
            spooler.stop()
        (printed,) = fake.documents
        assert printed.task_id == queued.job_id and printed.document_id == "SF1234567890123"
        standard, custom = printed.contents
        assert standard == {k: v for k, v in PRINT_DATA.items() if k != "sort"}
        assert custom["templateURL"].endswith("customArea/1")
        assert custom["data"]["orderNo"] == "PL2611110000123, PL2611110000124"
        assert (custom["data"]["box"], custom["data"]["presale"]) == ("1/2", "预售")
        assert custom["data"]["items"] == "保温杯 500ml×2"


def test_killed_between_print_and_result_prints_once(tmp_path: Path) -> None:
    """The station dies after the component took and printed the task but before it said so;
    started again, the station sends the job again with the same taskID, the component knows
    it and does not print it again, and the job is sent."""
    db_path = tmp_path / "station.db"
    store = open_store(db_path)
    with FakeComponent("cainiao", printers=("ZTO-1",)) as fake:
        spec = PrinterSpec("label", fake.url("ZTO-1"), "cainiao", 203, "100x180")
        queued = print_queue.enqueue(
            store, system_actor(), spec,
            make_waybill(provider="cainiao", print_data=PRINT_DATA), kind="waybill",
            ref="SF1234567890123", dedupe_key="wb-kill")
        fake.hold = True
        first = _spooler_process(db_path, spec.url)
        try:
            eventually(lambda: fake.printed(queued.job_id), what="the component printing")
        finally:
            _end(first, signal.SIGKILL)
        assert _job(store, queued.job_id).status == "sending"
        fake.release()  # the results held for the dead station go nowhere
        second = _spooler_process(db_path, spec.url)
        try:
            eventually(lambda: _job(store, queued.job_id).status == "sent",
                       what="the job sent after the restart")
        finally:
            _end(second, signal.SIGTERM)
        tasks = [r["task"]["taskID"] for r in fake.requests if r["cmd"] == "print"]
        assert tasks == [queued.job_id, queued.job_id]
        assert fake.printed(queued.job_id) == 1 and len(fake.documents) == 1
        job = _job(store, queued.job_id)
        assert job.resends == 1 and "restart" in job.last_error


def test_a_component_that_is_not_running_fails_over_to_the_backup(tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db")
    with FakeComponent("cainiao", printers=("A",)) as gone, \
            FakeComponent("cainiao", printers=("B",)) as backup:
        main = PrinterSpec("main", gone.url("A"), "cainiao", 203, "76x130", backup="spare")
        spare = PrinterSpec("spare", backup.url("B"), "cainiao", 203, "76x130")
        gone.stop()  # not running: connection refused
        queued = print_queue.test_page(store, system_actor(), main, "ST-1")
        spooler = Spooler(store, {"main": main, "spare": spare}, tmp_path,
                          retry_delays=(0.05,), failover_after=0.3, probe_every=0.2)
        spooler.start()
        try:
            eventually(lambda: _job(store, queued.job_id).status == "sent",
                       what="the test page sent by the backup")
        finally:
            spooler.stop()
        job = _job(store, queued.job_id)
        assert (job.printer, job.moved_from) == ("spare", "main")
        assert "refused" in job.last_error and spooler.health["main"].status == "down"
        assert backup.printed(queued.job_id) == 1


def test_a_platform_waybill_is_refused_before_anything_is_stored(tmp_path: Path) -> None:
    store = open_store(tmp_path / "station.db")
    waybill = make_waybill(provider="pdd", print_data=PRINT_DATA)
    zpl = PrinterSpec("label", "tcp://127.0.0.1:9100", "zpl", 203, "100x150")
    cainiao = PrinterSpec("cn", "cainiao://127.0.0.1?printer=A", "cainiao", 203, "76x130")
    pdd = PrinterSpec("pdd", "pdd://127.0.0.1?printer=A", "pdd", 203, "76x130")
    cases = ((zpl, waybill, "print.platform_needs_component"),
             (cainiao, waybill, "print.wrong_component"),
             (cainiao, make_waybill(), "print.self_managed_on_component"),
             (pdd, BinLabel(code="TEST-PDD"), "print.needs_custom_template"))
    for spec, doc, code in cases:
        with pytest.raises(InvalidInput) as caught:
            print_queue.enqueue(store, system_actor(), spec, doc, kind="waybill", ref="x")
        assert caught.value.code == code
    with store.reader() as s:
        assert s.scalars(select(PrintJob)).all() == []


def test_print_test_against_a_running_cainiao_component(tmp_path: Path) -> None:
    with FakeComponent("cainiao", printers=("ZTO-1", "Deli")) as fake:
        (tmp_path / "station.ini").write_text(
            f"[printer:cainiao]\nurl = cainiao://127.0.0.1:{fake.port}?printer=ZTO-1\n"
            "language = cainiao\n", encoding="utf-8")
        bootstrap(tmp_path)
        done = packline(tmp_path, "print", "test", "--printer", "cainiao", as_user="admin")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["status"] == "sent" and report["printer"] == "cainiao"
        assert fake.printed(report["job"]) == 1
        (printed,) = fake.documents
        (content,) = printed.contents
        assert content["data"]["document"] == "BinLabel"
        assert content["data"]["code"] == "TEST-CAINIAO"
        fake.refuse = "打印机 ZTO-1 缺纸 out of paper"
        refused = packline(tmp_path, "print", "test", "--printer", "cainiao", "--timeout", "2",
                           as_user="admin")
    assert refused.returncode == 1
    report = json.loads(refused.stdout)
    assert report["status"] == "queued" and "out of paper" in report["last_error"]


def test_a_component_printer_with_the_wrong_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "station.ini").write_text(
        "[printer:cainiao]\nurl = cainiao://127.0.0.1?printer=ZTO-1\nlanguage = zpl\n",
        encoding="utf-8")
    done = packline(tmp_path, "print", "queue")
    assert done.returncode == 2
    assert "[printer:cainiao] language" in done.stderr and "cainiao" in done.stderr
