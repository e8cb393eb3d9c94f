"""Stand-ins for real devices that speak over real transports: a pseudo-terminal feed (the
other end of a `serial://` port), a TCP server (the other end of a `socket://` device) and a
scale emulator that talks A&D continuous or Toledo 8217 over either. The tests use them, the
app's training panel uses them, and a developer without hardware uses them.

Each can be unplugged and plugged back in. A pty replug gives a new /dev/pts path, as a real USB
replug may; pass `link=` to keep a stable symlink pointing at the current one, as udev's
/dev/serial/by-id links do.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from drivers.scale import TOLEDO_REQUEST, format_ad, format_toledo
from drivers.urls import ScaleProtocol

_SLICE = 0.05  # longest a feed blocks while holding its lock, so unplug() is never stuck


def _wait(fd: int | socket.socket, *, write: bool, timeout: float = _SLICE) -> bool:
    """Wait until `fd` is ready, at most `timeout` (capped at one slice); False on timeout or
    when the descriptor was closed under us (an unplug from another thread)."""
    wait = max(0.0, min(timeout, _SLICE))
    try:
        if write:
            return bool(select.select([], [fd], [], wait)[1])
        return bool(select.select([fd], [], [], wait)[0])
    except (OSError, ValueError):
        time.sleep(wait)
        return False


class Link(Protocol):
    """The device end of a transport, as the emulators use it."""

    def write_bytes(self, data: bytes, timeout: float = 5.0) -> bool: ...

    def read_bytes(self, timeout: float) -> bytes: ...


class PtyFeed:
    """A pseudo-terminal pair: the app opens `url` (the slave side, in raw mode); the test or
    the training panel writes scans on the master side with `write`."""

    def __init__(self, link: str | os.PathLike[str] | None = None) -> None:
        self.link = Path(link) if link is not None else None
        self._lock = threading.RLock()
        self._master = -1
        self._slave = -1
        self.port = ""
        self.plugs = 0
        self._plug()

    @property
    def path(self) -> str:
        """The path to open: the stable link if there is one, else the current /dev/pts/N."""
        return str(self.link) if self.link is not None else self.port

    @property
    def url(self) -> str:
        return f"serial://{self.path}"

    @property
    def plugged(self) -> bool:
        return self._master >= 0

    def write(self, text: str, suffix: str = "\r", encoding: str = "utf-8",
              timeout: float = 5.0) -> bool:
        """Type `text` + `suffix` as a scanner would. False if unplugged or nobody reads."""
        return self.write_bytes((text + suffix).encode(encoding), timeout)

    def write_bytes(self, data: bytes, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        while view:
            with self._lock:
                fd = self._master
                if fd < 0:
                    return False
                try:
                    view = view[os.write(fd, view):]
                    continue
                except BlockingIOError:
                    pass  # the app is not reading: wait below, without the lock
                except OSError:
                    return False
            if time.monotonic() >= deadline:
                return False
            _wait(fd, write=True)
        return True

    def read_bytes(self, timeout: float) -> bytes:
        """What the device side wrote (a scale request), waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            fd = self._master
            if fd >= 0 and _wait(fd, write=False, timeout=deadline - time.monotonic()):
                with self._lock:
                    if self._master == fd:
                        try:
                            return os.read(fd, 4096)
                        except BlockingIOError:
                            pass
                        except OSError:
                            return b""
            left = deadline - time.monotonic()
            if left <= 0:
                return b""
            if fd < 0:
                time.sleep(min(left, _SLICE))

    def unplug(self) -> None:
        """Pull the cable: the app's reads fail (EIO) and the stable link disappears."""
        with self._lock:
            for fd in (self._master, self._slave):
                if fd >= 0:
                    os.close(fd)
            self._master = self._slave = -1
            if self.link is not None:
                self.link.unlink(missing_ok=True)

    def replug(self) -> None:
        """Plug back in: a new pty pair (usually a new /dev/pts/N) and the link re-pointed."""
        with self._lock:
            if self._master >= 0:
                self.unplug()
            self._plug()

    def close(self) -> None:
        self.unplug()

    def _plug(self) -> None:
        master, slave = os.openpty()
        # Raw from the start: a cooked pty would echo and turn CR into LF before the app has
        # opened the port and set its own mode.
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.port = os.ttyname(slave)
        self.plugs += 1
        if self.link is not None:
            fresh = self.link.with_name(self.link.name + ".new")
            fresh.unlink(missing_ok=True)
            fresh.symlink_to(self.port)
            os.replace(fresh, self.link)  # atomic: an opener sees the old or the new target

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class TcpFeedServer:
    """A TCP server standing in for a network scanner / serial device server: the app connects
    to `url` (socket://HOST:PORT). One client at a time; a new connection replaces the old.
    `drop()` cuts the client and accepts the next; `unplug()` also stops listening until
    `replug()`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._client: socket.socket | None = None
        self._listener: socket.socket | None = socket.create_server((host, port))
        self.port: int = self._listener.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="packline-tcp-feed",
                                        daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self.port}"

    def wait_connections(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until `count` connections have been accepted in all."""
        with self._changed:
            return self._changed.wait_for(lambda: self.connections >= count, timeout)

    def write(self, text: str, suffix: str = "\r", encoding: str = "utf-8",
              timeout: float = 5.0) -> bool:
        return self.write_bytes((text + suffix).encode(encoding), timeout)

    def write_bytes(self, data: bytes, timeout: float = 5.0) -> bool:
        """Send to the connected client, waiting up to `timeout` for one; False if none."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._client is not None, timeout):
                return False
            client = self._client
            assert client is not None
            try:
                client.sendall(data)
            except OSError:
                self._forget(client)
                return False
            return True

    def read_bytes(self, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while True:
            client = self._client
            if client is not None and _wait(client, write=False,
                                            timeout=deadline - time.monotonic()):
                with self._lock:
                    if self._client is client:
                        try:
                            data = client.recv(4096)
                        except BlockingIOError:
                            continue
                        except OSError:
                            data = b""
                        if not data:
                            self._forget(client)  # the app closed its end
                        return data
            left = deadline - time.monotonic()
            if left <= 0:
                return b""
            if client is None:
                time.sleep(min(left, _SLICE))

    def drop(self) -> None:
        """Cut the current connection (the app sees EOF) and keep listening."""
        with self._lock:
            if self._client is not None:
                self._forget(self._client)

    def unplug(self) -> None:
        """Cut the connection and stop listening: the app's reconnects are refused."""
        with self._lock:
            self.drop()
            if self._listener is not None:
                self._listener.close()
                self._listener = None

    def replug(self) -> None:
        with self._lock:
            if self._listener is None:
                self._listener = socket.create_server((self.host, self.port))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5.0)
        self.unplug()

    def _forget(self, client: socket.socket) -> None:
        with self._changed:
            if self._client is client:
                self._client = None
            with contextlib.suppress(OSError):  # already reset by the peer
                client.shutdown(socket.SHUT_RDWR)
            client.close()
            self._changed.notify_all()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            listener = self._listener
            if listener is None or not _wait(listener, write=False):
                if listener is None:
                    self._stop.wait(_SLICE)
                continue
            with self._changed:
                if self._listener is not listener:
                    continue  # unplugged meanwhile
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                old, self._client = self._client, conn
                self.connections += 1
                if old is not None:
                    self._forget(old)
                self._changed.notify_all()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class ScaleEmulator:
    """A scale on the far end of a `Link`: with protocol `ad` it streams the current reading
    every `interval_ms`; with `toledo` it answers each `W` request. `set()` changes what is on
    the platform."""

    def __init__(self, link: Link, protocol: ScaleProtocol | str = ScaleProtocol.AD, *,
                 unit: str = "kg", interval_ms: int = 50) -> None:
        self.link = link
        self.protocol = ScaleProtocol(protocol)
        if unit not in ("kg", "g", "lb"):
            raise ValueError(f"unit must be kg, g or lb, not {unit!r}")
        if interval_ms <= 0:
            raise ValueError("interval_ms must be positive")
        self.unit = unit
        self.interval = interval_ms / 1000
        self._state = (0, True, False, False)
        self.frames = 0  # readings sent (A&D) or requests answered (Toledo)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def set(self, grams: int, *, stable: bool = True, overload: bool = False,
            underload: bool = False) -> None:
        self._state = (grams, stable, overload, underload)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="packline-scale-emulator",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(5.0)

    def reply(self) -> bytes:
        """The bytes the scale would send now."""
        grams, stable, overload, underload = self._state
        if self.protocol is ScaleProtocol.TOLEDO:
            return format_toledo(grams, motion=not stable, overload=overload,
                                 underload=underload, unit=self.unit)
        return format_ad(grams, stable=stable, overload=overload, underload=underload,
                         unit=self.unit)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.protocol is ScaleProtocol.TOLEDO:
                request = self.link.read_bytes(_SLICE)
                for _ in range(request.count(TOLEDO_REQUEST)):
                    if self.link.write_bytes(self.reply(), timeout=_SLICE):
                        self.frames += 1
            else:
                if self.link.write_bytes(self.reply(), timeout=_SLICE):
                    self.frames += 1
                self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
