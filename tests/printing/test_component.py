"""The print-component transport against the fake component on a real WebSocket: a document
printed only on the pushed print result; refused, stalled, dropped and failed tasks as the
print queue's PrintErrorKinds; the printers a component offers; each protocol's dialect."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from drivers.printers.component import ComponentTransport
from drivers.printers.dialects import DIALECTS
from drivers.printers.status import PrinterStatus
from drivers.printers.transports import PrintError, PrintErrorKind, open_transport
from drivers.printers.urls import PrinterUrl
from tests.helpers.fake_component import FakeComponent

TIMEOUT = 0.5


def document(document_id: str = "SF1234567890") -> bytes:
    return json.dumps({"documentID": document_id, "contents": [
        {"encryptedData": "AAAA", "signature": "sig", "templateURL": "http://t/std", "ver": "1"},
        {"data": {"orderNo": "SO-1"}, "templateURL": "http://t/custom"}]}).encode()


@pytest.fixture()
def fake() -> Iterator[FakeComponent]:
    with FakeComponent("cainiao", printers=("ZTO-1", "Office")) as component:
        yield component


def transport(fake: FakeComponent, printer: str = "ZTO-1",
              notify_timeout: float = 2.0) -> ComponentTransport:
    return ComponentTransport(PrinterUrl.parse(fake.url(printer)), timeout=TIMEOUT,
                              notify_timeout=notify_timeout)


@pytest.mark.parametrize("protocol", sorted(DIALECTS))
def test_a_document_prints_through_each_protocol(protocol: str) -> None:
    with FakeComponent(protocol, printers=("P1",)) as fake:
        t = open_transport(fake.url("P1"), timeout=TIMEOUT)
        assert isinstance(t, ComponentTransport)
        result = t.send(document(), "job-1", "waybill")
        assert result.confirmed and result.printer_job_id == "job-1"
        assert fake.printed("job-1") == 1
        (printed,) = fake.documents
        assert (printed.task_id, printed.printer, printed.document_id) == (
            "job-1", "P1", "SF1234567890")
        request = fake.requests[-1]
        assert request["cmd"] == "print" and request["version"] == DIALECTS[protocol].version
        assert request["task"]["preview"] is False and len(request["task"]["documents"]) == 1


def test_send_waits_for_the_print_result(fake: FakeComponent) -> None:
    fake.hold = True
    with pytest.raises(PrintError) as caught:
        transport(fake, notify_timeout=0.3).send(document(), "job-held")
    assert caught.value.kind is PrintErrorKind.TIMEOUT and caught.value.may_have_printed
    assert fake.printed("job-held") == 1  # it printed; Packline cannot know without the result


def test_a_resend_uses_the_same_task_id_and_prints_once(fake: FakeComponent) -> None:
    fake.drop = True
    with pytest.raises(PrintError) as caught:
        transport(fake).send(document(), "job-7")
    assert caught.value.kind is PrintErrorKind.DROPPED and caught.value.may_have_printed
    fake.drop = False
    transport(fake).send(document(), "job-7")
    assert fake.printed("job-7") == 1
    assert [r["task"]["taskID"] for r in fake.requests if r["cmd"] == "print"] == ["job-7"] * 2


def test_a_refused_task_says_why(fake: FakeComponent) -> None:
    fake.refuse = "模板下载失败 template download failed"
    with pytest.raises(PrintError) as caught:
        transport(fake).send(document(), "job-2")
    assert caught.value.kind is PrintErrorKind.ERROR and not caught.value.may_have_printed
    assert "template download failed" in str(caught.value)
    assert fake.printed() == 0


def test_a_printer_the_component_does_not_offer_is_offline(fake: FakeComponent) -> None:
    t = transport(fake, printer="Gone")
    with pytest.raises(PrintError) as caught:
        t.send(document(), "job-3")
    assert caught.value.kind is PrintErrorKind.OFFLINE
    assert t.status() is PrinterStatus.OFFLINE


def test_a_stalled_component_times_out(fake: FakeComponent) -> None:
    fake.stall = True
    started = time.monotonic()
    with pytest.raises(PrintError) as caught:
        transport(fake).send(document(), "job-4")
    assert caught.value.kind is PrintErrorKind.TIMEOUT and caught.value.may_have_printed
    assert time.monotonic() - started < TIMEOUT + 1.5
    assert transport(fake).status() is PrinterStatus.OFFLINE


def test_a_failed_print_is_an_error(fake: FakeComponent) -> None:
    fake.fail_print = "打印机缺纸 out of paper"
    with pytest.raises(PrintError) as caught:
        transport(fake).send(document(), "job-5")
    assert caught.value.kind is PrintErrorKind.ERROR and "out of paper" in str(caught.value)
    fake.fail_print = None
    transport(fake).send(document(), "job-5")
    assert fake.printed("job-5") == 1


def test_no_component_running_is_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = ComponentTransport(PrinterUrl.parse(f"cainiao://127.0.0.1:{port}?printer=A"),
                           timeout=TIMEOUT)
    with pytest.raises(PrintError) as caught:
        t.send(document(), "job-6")
    assert caught.value.kind is PrintErrorKind.REFUSED and not caught.value.may_have_printed
    assert "not running" in str(caught.value)
    assert t.status() is PrinterStatus.OFFLINE
    with pytest.raises(PrintError):
        t.query()
    report = t.report()
    assert not report.running and "not running" in report.problem


def test_status_printers_and_config(fake: FakeComponent) -> None:
    t = transport(fake)
    assert t.status() is PrinterStatus.ONLINE
    assert t.printers() == ["ZTO-1", "Office"]
    assert t.printer_config()["name"] == "ZTO-1"
    report = t.report()
    assert report.running and report.offered and report.printers == ("ZTO-1", "Office")
    assert report.default == "ZTO-1"


def test_the_fake_refuses_malformed_requests(fake: FakeComponent) -> None:
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{fake.port}/") as ws:
        for request, why in (
                ({"cmd": "print", "version": "1.0"}, "requestID"),
                ({"cmd": "print", "requestID": "r", "version": "2.0"}, "version"),
                ({"cmd": "print", "requestID": "r", "version": "1.0",
                  "task": {"taskID": "t", "preview": False, "printer": "ZTO-1",
                           "documents": [{"documentID": "d", "contents": []}]}}, "contents"),
                ({"cmd": "print", "requestID": "r", "version": "1.0",
                  "task": {"taskID": "t", "printer": "ZTO-1", "documents": []}}, "preview")):
            ws.send(json.dumps(request))
            reply = json.loads(ws.recv(timeout=2))
            assert reply["status"] == "failed" and why in reply["msg"]
    assert fake.printed() == 0


def test_not_a_rendered_document_is_refused_before_sending(fake: FakeComponent) -> None:
    with pytest.raises(ValueError):
        transport(fake).send(b"^XA^XZ", "job-8")
    assert not fake.requests
