"""A platform's print component on 127.0.0.1, as the packing PC runs it: a WebSocket server
speaking the component's protocol (Cainiao's, or one of the dialects in
drivers/printers/dialects.py), for tests and journeys.

It answers `getPrinters`, `getPrinterConfig` and `print`; after printing a task it pushes the
print result (`notifyPrintResult`; Pinduoduo's `PrintResultNotify`), first a "rendered" step and
then "printed" with each document's status. It remembers the taskIDs it printed: a task sent
again is answered and its result pushed again, but not printed twice (`prints[taskID]` counts).
It checks each request's shape (cmd, requestID, version; the task's taskID, printer, preview,
documents with documentID and contents) and refuses a malformed one with `status: failed` and
a `msg`, as the real one does. It can be told to refuse tasks, to stall (never answer), to
hold the print results (print, answer, never push until released), to drop the connection
once it has the task, or to report the print failed.

In a test:

    with FakeComponent("cainiao", printers=("ZTO-1",)) as fake:
        url = f"cainiao://127.0.0.1:{fake.port}?printer=ZTO-1"

As a process (journeys): `python -m tests.helpers.fake_component --protocol cainiao --port N
--printers A,B --record PATH` prints "listening PORT" on stdout and appends one JSON line per
document printed to PATH.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from drivers.printers.dialects import DIALECTS, NOTIFY


@dataclass
class Printed:
    task_id: str
    printer: str
    document_id: str
    contents: list[Any]
    request_id: str


@dataclass
class _Held:
    ws: ServerConnection
    messages: list[dict[str, Any]] = field(default_factory=list)


class FakeComponent:
    def __init__(self, protocol: str = "cainiao", *, printers: Iterable[str] = ("Printer-1",),
                 port: int = 0, record: Path | None = None, host: str = "127.0.0.1") -> None:
        self.dialect = DIALECTS[protocol]
        self.protocol = protocol
        self.printers = list(printers)
        self.record = record
        self.host = host
        self.requested_port = port
        # What to do with the next print tasks (tests change these at will).
        self.refuse: str | None = None  # answer status failed with this msg
        self.stall = False  # never answer anything
        self.hold = False  # print and answer, but push no result until release()
        self.drop = False  # print, answer, then close the connection before the result
        self.fail_print: str | None = None  # the result says the document failed, this msg
        self.prints: Counter[str] = Counter()  # taskID → times it was printed
        self.documents: list[Printed] = []
        self.requests: list[dict[str, Any]] = []  # every request, in order
        self.refusals: list[str] = []  # the msg of every refusal sent
        self.connections = 0
        self._held: list[_Held] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # ---- life cycle

    @property
    def port(self) -> int:
        assert self._server is not None, "start the fake first"
        return int(self._server.socket.getsockname()[1])

    def url(self, printer: str | None = None, **options: str) -> str:
        query = "&".join([f"printer={printer or self.printers[0]}"]
                         + [f"{k}={v}" for k, v in options.items()])
        return f"{self.protocol}://127.0.0.1:{self.port}?{query}"

    def start(self) -> FakeComponent:
        self._server = serve(self._handle, self.host, self.requested_port,
                             process_request=self._check_path, compression=None,
                             max_size=16 * 1024 * 1024)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name=f"fake {self.protocol} component")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeComponent:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def release(self) -> int:
        """Push the print results held back so far (to connections still open); stop
        holding. How many were pushed."""
        with self._lock:
            self.hold = False
            held, self._held = self._held, []
        pushed = 0
        for entry in held:
            for message in entry.messages:
                try:
                    entry.ws.send(json.dumps(message, ensure_ascii=False))
                    pushed += 1
                except ConnectionClosed:
                    break
        return pushed

    def printed(self, task_id: str | None = None) -> int:
        with self._lock:
            return self.prints[task_id] if task_id is not None else sum(self.prints.values())

    # ---- the protocol

    def _check_path(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.split("?", 1)[0] != self.dialect.path:
            return connection.respond(HTTPStatus.NOT_FOUND, "no print component here\n")
        return None

    def _handle(self, ws: ServerConnection) -> None:
        with self._lock:
            self.connections += 1
        try:
            for raw in ws:
                if self._stopping.is_set():
                    return
                self._answer(ws, raw)
        except ConnectionClosed:
            pass

    def _send(self, ws: ServerConnection, message: dict[str, Any]) -> None:
        ws.send(json.dumps(message, ensure_ascii=False))

    def _refuse(self, ws: ServerConnection, cmd: Any, request_id: Any, msg: str) -> None:
        with self._lock:
            self.refusals.append(msg)
        self._send(ws, {"cmd": cmd if isinstance(cmd, str) else "", "requestID": request_id,
                        "status": "failed", "msg": msg})

    def _answer(self, ws: ServerConnection, raw: str | bytes) -> None:
        try:
            request = json.loads(raw)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            self._refuse(ws, "", "", "invalid json")
            return
        with self._lock:
            self.requests.append(request)
        if self.stall:
            return  # never answers
        cmd, request_id = request.get("cmd"), request.get("requestID")
        if not isinstance(cmd, str) or not cmd:
            self._refuse(ws, cmd, request_id, "cmd is required")
        elif not isinstance(request_id, str) or not request_id:
            self._refuse(ws, cmd, request_id, "requestID is required")
        elif request.get("version") != self.dialect.version:
            self._refuse(ws, cmd, request_id,
                         f"unsupported version {request.get('version')!r}")
        elif cmd == "getPrinters":
            self._send(ws, {"cmd": cmd, "requestID": request_id, "status": "success",
                            "defaultPrinter": self.printers[0] if self.printers else "",
                            "printers": [{"name": name} for name in self.printers]})
        elif cmd == "getPrinterConfig":
            name = request.get("printer")
            if name not in self.printers:
                self._refuse(ws, cmd, request_id, f"printer {name} not exist")
                return
            self._send(ws, {"cmd": cmd, "requestID": request_id, "status": "success",
                            "printer": {"name": name, "needTopLogo": False,
                                        "needBottomLogo": False, "horizontalOffset": 0,
                                        "verticalOffset": 0,
                                        "paperSize": {"width": 100, "height": 180}}})
        elif cmd == "print":
            self._print(ws, cmd, request_id, request.get("task"))
        else:
            self._refuse(ws, cmd, request_id, f"unknown cmd {cmd}")

    def _task_problem(self, task: Any) -> str | None:
        if not isinstance(task, dict):
            return "task is required"
        if not isinstance(task.get("taskID"), str) or not task["taskID"]:
            return "task.taskID is required"
        if not isinstance(task.get("preview"), bool):
            return "task.preview must be true or false"
        if task.get("printer") not in self.printers:
            return f"printer {task.get('printer')} not exist"
        documents = task.get("documents")
        if not isinstance(documents, list) or not documents:
            return "task.documents is required"
        for document in documents:
            if not isinstance(document, dict) or not document.get("documentID"):
                return "document.documentID is required"
            contents = document.get("contents")
            if not isinstance(contents, list) or not contents:
                return "document.contents is required"
            for content in contents:
                if not isinstance(content, dict) or not (
                        content.get("templateURL") or content.get("encryptedData")):
                    return "content needs templateURL (or the platform's encryptedData)"
        return None

    def _print(self, ws: ServerConnection, cmd: str, request_id: str, task: Any) -> None:
        problem = self._task_problem(task)
        if problem is None and self.refuse is not None:
            problem = self.refuse
        if problem is not None:
            self._refuse(ws, cmd, request_id, problem)
            return
        task_id, printer = task["taskID"], task["printer"]
        documents = task["documents"]
        failed = self.fail_print
        with self._lock:
            again = task_id in self.prints
            if failed is None and not task["preview"] and not again:
                self.prints[task_id] += 1
                for document in documents:
                    printed = Printed(task_id, printer, str(document["documentID"]),
                                      document["contents"], request_id)
                    self.documents.append(printed)
                    self._write(printed)
        self._send(ws, {"cmd": cmd, "requestID": request_id, "taskID": task_id,
                        "status": "success", "previewURL": "" if not task["preview"] else
                        f"http://127.0.0.1/preview/{task_id}.pdf"})
        if self.drop:
            ws.close()
            return
        notify = "PrintResultNotify" if self.protocol == "pdd" else NOTIFY
        rendered = {"cmd": notify, "requestID": request_id, "taskID": task_id,
                    "printer": printer, "taskStatus": "rendered",
                    "printStatus": [{"documentID": str(d["documentID"]), "status": "success",
                                     "msg": "", "detail": ""} for d in documents]}
        result = {**rendered, "taskStatus": "failed" if failed else "printed",
                  "printStatus": [{"documentID": str(d["documentID"]),
                                   "status": "failed" if failed else "success",
                                   "msg": failed or "", "detail": failed or ""}
                                  for d in documents]}
        with self._lock:
            if self.hold:
                self._held.append(_Held(ws, [rendered, result]))
                return
        self._send(ws, rendered)
        self._send(ws, result)

    def _write(self, printed: Printed) -> None:
        if self.record is None:
            return
        line = json.dumps({"protocol": self.protocol, "taskID": printed.task_id,
                           "printer": printed.printer, "documentID": printed.document_id,
                           "contents": printed.contents}, ensure_ascii=False)
        with open(self.record, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()


def read_record(path: Path) -> list[dict[str, Any]]:
    """The documents a fake component run as a process printed, in order."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a fake print component on 127.0.0.1")
    parser.add_argument("--protocol", choices=sorted(DIALECTS), default="cainiao")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--printers", default="Printer-1", help="comma-separated names")
    parser.add_argument("--record", type=Path, default=None,
                        help="append one JSON line per printed document here")
    args = parser.parse_args(argv)
    fake = FakeComponent(args.protocol, port=args.port, record=args.record,
                         printers=[p for p in args.printers.split(",") if p])
    fake.start()
    print(f"listening {fake.port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
