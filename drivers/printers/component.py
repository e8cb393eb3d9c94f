"""A platform's print component (菜鸟 / 拼多多 / 抖店 / 快手 打印组件) as a printer: a WebSocket
client that speaks the component's JSON protocol (drivers/printers/dialects.py).

One connection per call. `send` hands the component one document (the JSON Packline rendered
for it, `app.printing.component`) in one print task whose `taskID` is the print job's id, so a
job sent again after a crash carries the same taskID and the component can tell. It returns
only when the component pushed `notifyPrintResult` saying the document printed:

- connection refused (the component is not running): REFUSED, nothing sent;
- the component refused the task (`status` not "success"): ERROR (OFFLINE when it says the
  printer is not there), with the component's `msg`;
- no reply, or no print result, within the time allowed: TIMEOUT with `sent` > 0 — the
  component had the task, the label may have printed;
- the connection broke once the task went out: DROPPED, likewise;
- the component reported the document failed: ERROR with its `msg`.

`status()` asks `getPrinters`: ONLINE when the URL's printer is offered, OFFLINE when it is not
or the component does not answer (never raises); `query()` raises the PrintError instead.
`printers()` lists the printers the component offers.
"""

from __future__ import annotations

import json
import logging
import ssl
import time
import uuid
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.sync.client import ClientConnection, connect

from drivers.printers.dialects import DIALECTS, Dialect
from drivers.printers.status import PrinterStatus
from drivers.printers.transports import (
    DEFAULT_TIMEOUT,
    PrintError,
    PrintErrorKind,
    SendResult,
    Transport,
)
from drivers.printers.urls import PrinterUrl

log = logging.getLogger("packline.printers")

# Printing a label takes a moment after the component took the task (it renders the
# template, the printer feeds): the print result may come well after the reply.
MIN_NOTIFY_TIMEOUT = 30.0
MAX_MESSAGE = 16 * 1024 * 1024
_NOT_THERE = ("not exist", "not found", "no printer", "不存在", "未找到", "找不到")


@dataclass(frozen=True, slots=True)
class ComponentReport:
    """What a component said when asked for its printers (for the Devices screen)."""
    running: bool
    printers: tuple[str, ...] = ()
    default: str = ""
    offered: bool = False  # the URL's printer is among `printers`
    problem: str = ""  # why not running (English, for the log); empty when running


def websocket_uri(url: PrinterUrl) -> str:
    dialect = DIALECTS[url.kind.value]
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{'wss' if url.tls else 'ws'}://{host}:{url.port}{dialect.path}"


def tls_context(url: PrinterUrl) -> ssl.SSLContext | None:
    """wss: verified against `ca=` when given; else the component's own self-signed
    certificate on this PC is taken as it is (the URL parser allows that only for 127.0.0.1,
    ::1 and localhost)."""
    if not url.tls:
        return None
    if url.ca is not None:
        return ssl.create_default_context(cafile=url.ca)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class ComponentTransport(Transport):
    def __init__(self, url: PrinterUrl, *, timeout: float = DEFAULT_TIMEOUT,
                 notify_timeout: float | None = None) -> None:
        super().__init__(url)
        if not url.kind.is_component:
            raise ValueError(f"{url.name} is not a print component URL")
        self.dialect: Dialect = DIALECTS[url.kind.value]
        self.timeout = timeout
        self.notify_timeout = notify_timeout if notify_timeout is not None \
            else max(MIN_NOTIFY_TIMEOUT, 6 * timeout)
        self.where = f"{url.kind.value}://{url.host}:{url.port} {url.printer}"

    # ---- the connection

    def _connect(self) -> ClientConnection:
        try:
            return connect(websocket_uri(self.url), open_timeout=self.timeout,
                           close_timeout=1.0, ssl=tls_context(self.url), max_size=MAX_MESSAGE,
                           compression=None, proxy=None)
        except ConnectionRefusedError as exc:
            raise PrintError(PrintErrorKind.REFUSED,
                             f"{self.where}: connection refused: the {self.dialect.title} "
                             "print component is not running") from exc
        except TimeoutError as exc:
            raise PrintError(PrintErrorKind.TIMEOUT, f"{self.where}: the print component did "
                             f"not answer within {self.timeout:g} s") from exc
        except (InvalidHandshake, InvalidURI, ssl.SSLError) as exc:
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: not a print component "
                             f"there (WebSocket handshake failed): {exc}") from exc
        except OSError as exc:
            raise PrintError(PrintErrorKind.OFFLINE, f"{self.where}: unreachable: {exc}") \
                from exc

    def _request(self, cmd: str, **fields: Any) -> dict[str, Any]:
        return {"cmd": cmd, "requestID": uuid.uuid4().hex, "version": self.dialect.version,
                **fields}

    def _receive(self, ws: ClientConnection, deadline: float, waiting_for: str,
                 sent: int) -> dict[str, Any]:
        """The next message as a JSON object; TIMEOUT at the deadline, DROPPED when the
        connection closes (`sent`: the task's bytes the component had)."""
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            raw = ws.recv(timeout=left)
        except TimeoutError as exc:
            raise PrintError(PrintErrorKind.TIMEOUT, f"{self.where}: no {waiting_for} within "
                             "the time allowed", sent=sent) from exc
        except ConnectionClosed as exc:
            raise PrintError(PrintErrorKind.DROPPED, f"{self.where}: the print component "
                             f"closed the connection while Packline waited for {waiting_for}"
                             + ("; the label may or may not have printed" if sent else ""),
                             sent=sent) from exc
        try:
            message = json.loads(raw)
        except (ValueError, TypeError):
            message = None
        if not isinstance(message, dict):
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: the print component sent "
                             f"something that is not a JSON object: {str(raw)[:200]!r}",
                             sent=sent)
        return message

    def _ask(self, ws: ClientConnection, request: dict[str, Any]) -> dict[str, Any]:
        """Send a request and wait for its reply (same requestID), skipping pushes."""
        deadline = time.monotonic() + self.timeout
        try:
            ws.send(json.dumps(request, ensure_ascii=False))
        except ConnectionClosed as exc:
            raise PrintError(PrintErrorKind.DROPPED, f"{self.where}: the print component "
                             "closed the connection") from exc
        while True:
            reply = self._receive(ws, deadline, f"reply to {request['cmd']}", 0)
            if reply.get("requestID") == request["requestID"]:
                return reply

    # ---- printers

    def _printers(self, ws: ClientConnection) -> tuple[tuple[str, ...], str]:
        reply = self._ask(ws, self._request("getPrinters"))
        if reply.get("status", "success") != "success":
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: getPrinters refused: "
                             f"{reply.get('msg') or reply.get('status')}")
        names: list[str] = []
        for entry in reply.get("printers") or []:
            name = entry.get("name") if isinstance(entry, dict) else entry
            if isinstance(name, str) and name:
                names.append(name)
        default = reply.get("defaultPrinter")
        return tuple(names), default if isinstance(default, str) else ""

    def printers(self) -> list[str]:
        """The printers the component offers; PrintError when it cannot be asked."""
        with self._connect() as ws:
            return list(self._printers(ws)[0])

    def printer_config(self, printer: str | None = None) -> dict[str, Any]:
        """The component's settings of one printer (paper size, offsets…)."""
        name = printer or self.url.printer
        with self._connect() as ws:
            reply = self._ask(ws, self._request("getPrinterConfig", printer=name))
        if reply.get("status", "success") != "success":
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: getPrinterConfig "
                             f"refused: {reply.get('msg') or reply.get('status')}")
        config = reply.get("printer")
        return config if isinstance(config, dict) else {}

    def report(self) -> ComponentReport:
        """Whether the component runs, and what it offers. Never raises for a component
        that is not there."""
        try:
            with self._connect() as ws:
                names, default = self._printers(ws)
        except PrintError as exc:
            return ComponentReport(False, problem=str(exc))
        return ComponentReport(True, names, default, self.url.printer in names)

    def query(self) -> PrinterStatus:
        """ONLINE when the component offers the URL's printer; PrintError when it cannot be
        asked, OFFLINE when the printer is not offered."""
        with self._connect() as ws:
            names, _ = self._printers(ws)
        if self.url.printer not in names:
            log.info("%s: printer %s not offered by the component (it offers: %s)",
                     self.where, self.url.printer, ", ".join(names) or "none")
            return PrinterStatus.OFFLINE
        return PrinterStatus.ONLINE

    def status(self) -> PrinterStatus:
        try:
            return self.query()
        except PrintError:
            return PrinterStatus.OFFLINE

    # ---- printing

    def send(self, data: bytes, job_id: str, name: str = "") -> SendResult:
        if not isinstance(job_id, str) or not job_id.strip():
            raise ValueError("a print job needs a job id")
        try:
            document = json.loads(bytes(data))
        except (ValueError, TypeError):
            document = None
        if not isinstance(document, dict) or not document.get("documentID") \
                or not isinstance(document.get("contents"), list):
            raise ValueError("a print component prints one rendered document: JSON "
                             '{"documentID": …, "contents": […]}')
        document_id = str(document["documentID"])
        request = self._request("print", task={
            "taskID": job_id, "preview": False, "printer": self.url.printer,
            "documents": [document]})
        payload = json.dumps(request, ensure_ascii=False)
        sent = len(payload.encode())
        with self._connect() as ws:
            try:
                ws.send(payload)
            except ConnectionClosed as exc:
                raise PrintError(PrintErrorKind.DROPPED, f"{self.where}: the print component "
                                 "closed the connection before taking the task") from exc
            deadline = time.monotonic() + self.timeout
            early: list[dict[str, Any]] = []  # a print result pushed before the reply
            while True:
                reply = self._receive(ws, deadline, "reply to the print task", sent)
                if reply.get("requestID") == request["requestID"]:
                    break
                early.append(reply)
            if reply.get("status") != "success":
                message = str(reply.get("msg") or reply.get("status") or "no reason given")
                kind = PrintErrorKind.OFFLINE if any(
                    word in message.lower() for word in _NOT_THERE) else PrintErrorKind.ERROR
                raise PrintError(kind, f"{self.where}: the print component refused task "
                                 f"{job_id}: {message}")
            deadline = time.monotonic() + self.notify_timeout
            while True:
                push = early.pop(0) if early else self._receive(
                    ws, deadline, f"print result of task {job_id}", sent)
                result = self._result(push, job_id, document_id)
                if result is not None:
                    break
        if result != "":
            raise PrintError(PrintErrorKind.ERROR, f"{self.where}: task {job_id} did not "
                             f"print: {result}")
        log.debug("%s: task %s printed", self.where, job_id)
        return SendResult(job_id, sent, self.where, True, PrinterStatus.ONLINE,
                          printer_job_id=job_id)

    def _result(self, push: dict[str, Any], job_id: str, document_id: str) -> str | None:
        """For a print result of our task: "" when the document printed, else why not;
        None for anything else (another task's result, a 'rendered' step)."""
        if push.get("cmd") not in self.dialect.notify_cmds or push.get("taskID") != job_id:
            return None
        task_status = str(push.get("taskStatus") or "")
        mine = [s for s in push.get("printStatus") or []
                if isinstance(s, dict) and str(s.get("documentID")) == document_id]
        if task_status == "failed" or any(s.get("status") == "failed" for s in mine):
            reasons = "; ".join(str(s.get("msg") or s.get("detail") or "") for s in mine
                                if s.get("status") == "failed")
            return reasons or str(push.get("msg") or "the component reported a failed print")
        if task_status == "printed":
            return ""
        return None  # rendered, or a step on the way
