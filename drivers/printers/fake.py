"""A fake 9100 printer: a real TCP server on its own thread that takes jobs the way a Zebra, a
TSPL or an ESC/POS network printer does, answers their status queries from its state, and
breaks on request. Tests, the benchmark and a developer without a printer use it.

Each connection's bytes are one job (`jobs`), status queries taken out: ZPL `~HS` anywhere in
the stream, ESC/POS `DLE EOT n` and TSPL `ESC !?` at the start of a connection, before any job
byte (further on they could be part of raster data). Faults, settable at any time and kept
until `recover()`:

    refuse()          stop listening: connections are refused
    drop_after(n)     take n job bytes, then reset the connection (the bytes go to `partial`)
    stall()           accept but stop reading: the sender's buffers fill up, it times out
    paper_out(True)   status says paper out; jobs that still arrive are not printed
                      (`unprinted`)
    head_open(True), pause(True)   status says so

As a process: `python -m drivers.printers.fake --port 9100 --language zpl [--out DIR]` prints
its port on the first line of stdout, writes each job to DIR when given, and runs until
SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Self

from drivers.printers.status import (
    TSPL_STATUS_QUERY,
    ZPL_STATUS_QUERY,
    build_escpos_status,
    build_tspl_status,
    build_zpl_host_status,
)

log = logging.getLogger("packline.printers.fake")

LANGUAGES = ("zpl", "escpos", "tspl")
_SLICE = 0.05  # longest a server thread blocks before looking at its flags again
_EXTENSIONS = {"zpl": "zpl", "escpos": "bin", "tspl": "tspl"}


class FakePrinter:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, language: str = "zpl", *,
                 out_dir: Path | str | None = None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, "
                             f"not {language!r}")
        self.host = host
        self.language = language
        self.out_dir = Path(out_dir) if out_dir is not None else None
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        self._cond = threading.Condition()
        self._jobs: list[bytes] = []
        self._partial: list[bytes] = []
        self._unprinted: list[bytes] = []
        self.status_queries = 0
        self.connections = 0
        self._refusing = False
        self._drop_after: int | None = None
        self._stalled = False
        self._paper_out = False
        self._head_open = False
        self._paused = False
        self._stop = threading.Event()
        self._listener_lock = threading.Lock()
        self._listener: socket.socket | None = self._bind(port)
        self.port: int = self._listener.getsockname()[1]
        self._handlers: set[threading.Thread] = set()
        self._thread = threading.Thread(target=self._serve, name=f"fake-printer {self.port}",
                                        daemon=True)
        self._thread.start()

    # -- what the tests look at --------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def jobs(self) -> list[bytes]:
        with self._cond:
            return list(self._jobs)

    @property
    def partial(self) -> list[bytes]:
        with self._cond:
            return list(self._partial)

    @property
    def unprinted(self) -> list[bytes]:
        with self._cond:
            return list(self._unprinted)

    def wait_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Wait until `count` jobs were printed; TimeoutError if not within `timeout`."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._jobs) >= count, timeout):
                raise TimeoutError(f"{len(self._jobs)} of {count} jobs arrived in {timeout} s")
            return list(self._jobs)

    def wait_partial(self, count: int, timeout: float = 5.0) -> list[bytes]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._partial) >= count, timeout):
                raise TimeoutError(f"{len(self._partial)} of {count} partial jobs in {timeout} s")
            return list(self._partial)

    # -- faults ----------------------------------------------------------------------------------

    def refuse(self) -> None:
        """Stop listening; returns once new connections are refused."""
        with self._listener_lock:
            self._refusing = True
            if self._listener is not None:
                _unlisten(self._listener)
                self._listener = None

    def drop_after(self, nbytes: int) -> None:
        if nbytes < 0:
            raise ValueError("nbytes must be >= 0")
        with self._cond:
            self._drop_after = nbytes

    def stall(self) -> None:
        with self._cond:
            self._stalled = True

    def paper_out(self, on: bool = True) -> None:
        with self._cond:
            self._paper_out = on

    def head_open(self, on: bool = True) -> None:
        with self._cond:
            self._head_open = on

    def pause(self, on: bool = True) -> None:
        with self._cond:
            self._paused = on

    def recover(self) -> None:
        """Clear every fault; listen again (on the same port) if refusing."""
        with self._cond:
            self._drop_after = None
            self._stalled = False
            self._paper_out = self._head_open = self._paused = False
            self._cond.notify_all()
        with self._listener_lock:
            if self._refusing:
                self._listener = self._bind(self.port)
                self._refusing = False

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        with self._listener_lock:
            if self._listener is not None:
                _unlisten(self._listener)
                self._listener = None
        self._thread.join(5.0)
        for thread in list(self._handlers):
            thread.join(5.0)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- the server ----------------------------------------------------------------------------

    def _bind(self, port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            deadline = time.monotonic() + 2.0
            while True:
                try:
                    listener.bind((self.host, port))
                    break
                except OSError:
                    # Re-listening on our port after refuse(): a socket of the last
                    # connections may hold it for a moment.
                    if not port or time.monotonic() > deadline:
                        raise
                    time.sleep(_SLICE)
            listener.listen(64)
        except BaseException:
            listener.close()
            raise
        return listener

    def _serve(self) -> None:
        while not self._stop.is_set():
            with self._listener_lock:
                listener = self._listener
            if listener is None:
                self._stop.wait(_SLICE)
                continue
            try:
                ready, _, _ = select.select([listener], [], [], _SLICE)
                if not ready:
                    continue
                conn, _ = listener.accept()
            except (OSError, ValueError):
                continue  # closed by refuse() or close() under us
            with self._cond:
                self.connections += 1
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True,
                                      name=f"fake-printer {self.port} job")
            self._handlers.add(thread)
            thread.start()
            self._handlers = {t for t in self._handlers if t.is_alive()}

    def _handle(self, conn: socket.socket) -> None:
        job = bytearray()
        pending = b""
        leading = True  # ESC/POS and TSPL status queries count only before any job byte
        with self._cond:
            drop = self._drop_after
        try:
            while not self._stop.is_set():
                with self._cond:
                    if self._stalled:
                        self._cond.wait(_SLICE)
                        continue
                if not select.select([conn], [], [], _SLICE)[0]:
                    continue
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    self._record(job + pending, partial=True)  # the sender gave up (reset)
                    return
                if not chunk:
                    self._record(job + pending, partial=False)
                    return
                data, pending, leading, replies = self._split(pending + chunk, leading)
                job += data
                if replies:
                    conn.sendall(replies)
                if drop is not None and len(job) >= drop:
                    del job[drop:]
                    self._record(job, partial=True)
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
                    return
        except OSError:
            self._record(job, partial=True)
        finally:
            conn.close()

    def _split(self, buffer: bytes, leading: bool) -> tuple[bytes, bytes, bool, bytes]:
        """Take status queries out of `buffer`: (job bytes, bytes held back because they may
        start a query, still leading, replies to send)."""
        replies = b""
        if self.language == "zpl":
            out = bytearray()
            while True:
                index = buffer.find(ZPL_STATUS_QUERY)
                if index < 0:
                    break
                out += buffer[:index]
                buffer = buffer[index + len(ZPL_STATUS_QUERY):]
                replies += self._reply(ZPL_STATUS_QUERY)
            keep = 0
            for size in (2, 1):
                if buffer.endswith(ZPL_STATUS_QUERY[:size]):
                    keep = size
                    break
            out += buffer[:len(buffer) - keep]
            return bytes(out), buffer[len(buffer) - keep:], False, replies
        if not leading:
            return buffer, b"", False, b""
        while buffer:
            if self.language == "escpos":
                if len(buffer) >= 3 and buffer[:2] == b"\x10\x04" and 1 <= buffer[2] <= 4:
                    replies += self._reply(buffer[:3])
                    buffer = buffer[3:]
                    continue
                maybe = len(buffer) < 3 and b"\x10\x04".startswith(buffer[:2])
            else:
                if buffer.startswith(TSPL_STATUS_QUERY):
                    replies += self._reply(TSPL_STATUS_QUERY)
                    buffer = buffer[len(TSPL_STATUS_QUERY):]
                    continue
                maybe = len(buffer) < 3 and TSPL_STATUS_QUERY.startswith(buffer)
            if maybe:
                return b"", buffer, True, replies  # perhaps the start of a query: wait
            return buffer, b"", False, replies
        return b"", b"", True, replies

    def _reply(self, query: bytes) -> bytes:
        with self._cond:
            self.status_queries += 1
            paper, head, paused = self._paper_out, self._head_open, self._paused
        if query == ZPL_STATUS_QUERY:
            return build_zpl_host_status(paper_out=paper, paused=paused or paper or head,
                                         head_up=head)
        if query == TSPL_STATUS_QUERY:
            return build_tspl_status(paper_out=paper, head_open=head, paused=paused)
        return build_escpos_status(query[2], paper_out=paper, cover_open=head, offline=paused)

    def _record(self, job: bytearray, *, partial: bool) -> None:
        if not job:
            return
        data = bytes(job)
        with self._cond:
            if partial:
                self._partial.append(data)
            elif self._paper_out:
                self._unprinted.append(data)
            else:
                self._jobs.append(data)
                number = len(self._jobs)
                if self.out_dir is not None:
                    self._write(number, data)
            self._cond.notify_all()

    def _write(self, number: int, data: bytes) -> None:
        assert self.out_dir is not None
        path = self.out_dir / f"job-{number:05d}.{_EXTENSIONS[self.language]}"
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)


def _unlisten(listener: socket.socket) -> None:
    # close() alone leaves the socket listening while the server thread's select() still
    # holds it, so a connection in that window is accepted by the kernel and then reset;
    # shutdown() stops listening at once (and wakes the select).
    with contextlib.suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)
    listener.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.printers.fake",
                                     description="A fake 9100 network printer.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100, help="0 picks a free port")
    parser.add_argument("--language", choices=LANGUAGES, default="zpl")
    parser.add_argument("--out", type=Path, help="write each job to this folder")
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    try:
        printer = FakePrinter(args.host, args.port, args.language, out_dir=args.out)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    with printer:
        print(printer.port, flush=True)
        while not stop.wait(0.2):
            pass
    with contextlib.suppress(Exception):
        print(f"{len(printer.jobs)} jobs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
