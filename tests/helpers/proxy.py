"""A TCP proxy between a station and its central database, that a test can cut (the network is
gone: open connections drop, new ones are refused), stall (packets are dropped: connections
stay open and new ones are accepted, but not a byte passes either way) and restore."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from types import TracebackType
from typing import Self


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._flowing = threading.Event()  # cleared while stalled
        self._flowing.set()
        self._listener: socket.socket | None = None
        self.port = 0
        self._listen()

    def _listen(self, port: int = 0) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        self._listener = listener
        self.port = listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                # Stalled: nothing is read, so nothing is forwarded and nothing is refused;
                # the bytes wait in the kernel's buffers as on a link that drops packets.
                while not self._flowing.wait(0.5):
                    if self._stop.is_set():
                        return
                ready, _w, _x = select.select([a, b], [], [], 0.5)
                if self._stop.is_set():
                    return
                if not self._flowing.is_set():
                    continue
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    (b if src is a else a).sendall(data)
        except OSError:
            return
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        """The cable is pulled: every open connection dies, new ones are refused."""
        with self._lock:
            listener, self._listener = self._listener, None
            conns, self._conns = self._conns, []
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    def stall(self) -> None:
        """Packets are dropped, not refused: every connection stays open and new ones are
        accepted, but nothing passes until `unstall`."""
        self._flowing.clear()

    def unstall(self) -> None:
        """What was held passes, and everything flows again."""
        self._flowing.set()

    def restore(self) -> None:
        """The network is back, on the same port."""
        self._listen(self.port)

    def close(self) -> None:
        self._stop.set()
        self._flowing.set()
        self.cut()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
