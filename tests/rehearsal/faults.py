"""Faults thrown at the rehearsal's floor while it works (docs/rehearsal.md), each one on a
real path: a real SIGKILL, a real TCP proxy that drops or holds the bytes, a real 9100 printer
that refuses, resets and says it is out of paper, a real pseudo-terminal closed under the
serial driver, a station process whose file writes the kernel refuses, and PostgreSQL
terminating backends in the middle of their transactions.

Each fault is planned at a moment of the run, spread over it (a short run gets each kind at
least once), says what it did when it happens, and at the end is tied to the invariants that
prove nothing was lost or doubled by it.
"""

from __future__ import annotations

import contextlib
import random
import resource
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

KINDS: tuple[str, ...] = ("kill-station", "kill-engine", "cut", "stall", "printer", "pty",
                          "disk-full", "pg-terminate")
DESCRIBED: dict[str, str] = {
    "kill-station": "SIGKILL of a station at a random moment (started again)",
    "kill-engine": "SIGKILL of an order engine (started again)",
    "cut": "a station's link to the centre cut at its proxy (connections dropped, refused)",
    "stall": "a station's link stalled at its proxy (packets held, nothing refused)",
    "printer": "a waybill printer that refuses, drops mid-job and reports paper out",
    "pty": "a scanner's pseudo-terminal closed and opened again mid-scan",
    "disk-full": "a station's disk full (every file write refused by the kernel)",
    "pg-terminate": "PostgreSQL backends terminated mid-transaction (pg_terminate_backend)",
}
# Per ten minutes of run; a short run still gets one of each.
PER_TEN_MINUTES = {"kill-station": 6, "kill-engine": 3, "cut": 3, "stall": 3, "printer": 3,
                   "pty": 5, "disk-full": 3, "pg-terminate": 6}
# What proves that the fault lost or doubled nothing.
PROVED_BY: dict[str, tuple[str, ...]] = {
    "kill-station": ("no scan lost, no unit counted twice", "no order packed twice",
                     "every packed order's events applied exactly once", "outboxes empty",
                     "every tracking number used once", "every waybill printed"),
    "kill-engine": ("stock never negative", "reserved == units of routed orders not yet picked",
                    "the audit has a row for every state change"),
    "cut": ("every packed order's events applied exactly once", "outboxes empty",
            "no order packed twice", "every tracking number used once"),
    "stall": ("every packed order's events applied exactly once", "outboxes empty",
              "no order packed twice", "no scan lost, no unit counted twice"),
    "printer": ("every waybill printed", "no order packed twice",
                "every tracking number used once"),
    "pty": ("no scan lost, no unit counted twice", "no order packed twice"),
    "disk-full": ("no scan lost, no unit counted twice", "outboxes empty",
                  "every waybill printed", "every packed order's events applied exactly once"),
    "pg-terminate": ("stock never negative",
                     "reserved == units of routed orders not yet picked",
                     "no order in two waves", "the audit has a row for every state change",
                     "every packed order's events applied exactly once"),
}
HOLD_S = {"cut": 8.0, "stall": 8.0, "disk-full": 6.0, "printer": 5.0}


@dataclass
class Fault:
    kind: str
    at: float  # seconds into the run
    target: str = ""
    said: list[str] = field(default_factory=list)
    done: bool = False


class Faults:
    def __init__(self, conductor: Any) -> None:
        self.c = conductor
        self.rng = random.Random(conductor.opts.seed * 31 + 7)
        self.planned: list[Fault] = []
        self.later: list[tuple[float, Callable[[], None]]] = []
        self.lock = threading.Lock()
        self.limited: dict[str, tuple[int, int]] = {}  # station → its file-size limits
        self.turns: Counter[str] = Counter()

    # ---- planning

    def plan(self, seconds: float) -> None:
        kinds = sorted(self.c.opts.faults)
        if not kinds:
            return
        start, end = min(20.0, seconds * 0.15), seconds - max(15.0, seconds * 0.12)
        events: list[Fault] = []
        for kind in kinds:
            n = max(1, round(PER_TEN_MINUTES[kind] * seconds / 600))
            for i in range(n):
                slot = (end - start) / n
                events.append(Fault(kind, start + slot * i + self.rng.uniform(0, slot)))
        self.planned = sorted(events, key=lambda f: f.at)

    def tick(self, elapsed: float) -> None:
        for fault in self.planned:
            if not fault.done and fault.at <= elapsed:
                fault.done = True
                try:
                    getattr(self, "_" + fault.kind.replace("-", "_"))(fault)
                except Exception as exc:  # noqa: BLE001 - a fault that could not be thrown
                    self._say(fault, f"could not be thrown: {exc}")
        now = time.monotonic()
        due = [(t, fn) for t, fn in self.later if t <= now]
        self.later = [(t, fn) for t, fn in self.later if t > now]
        for _t, fn in due:
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - said, never stops the run
                self.c.say(f"   · a fault's follow-up failed: {exc}")

    def after(self, seconds: float, fn: Callable[[], None]) -> None:
        self.later.append((time.monotonic() + seconds, fn))

    def heal(self) -> None:
        """Before the drain: every fault still in force is taken back."""
        for _t, fn in sorted(self.later, key=lambda x: x[0]):
            with contextlib.suppress(Exception):  # healing what is already healed
                fn()
        self.later = []
        for proxy in self.c.proxies.values():
            proxy.unstall()
        for code in list(self.limited):
            self._unlimit(code)
        for printer in self.c.printers.values():
            printer.recover()

    def _seen(self, code: str) -> tuple[int, int]:
        """(scans answered, failures) at `code` so far."""
        with self.c.collector._lock:
            return self.c.collector.scans.get(code, 0), self.c.collector.failures.get(code, 0)

    def _meanwhile(self, code: str, before: tuple[int, int]) -> str:
        scans, failures = self._seen(code)
        return (f"meanwhile {scans - before[0]} scans answered there, "
                f"{failures - before[1]} failed calls or sync rounds")

    def _say(self, fault: Fault, text: str) -> None:
        fault.said.append(text)
        elapsed = time.time() - self.c.start
        self.c.say(f"   ! {elapsed:5.0f}s {fault.kind} {fault.target}: {text}")
        self.c.collector.count(f"fault.{fault.kind}")

    def _station(self, fault: str, kind: str | None = None) -> str:
        """A station for `fault`: packers and pickers in turn (a packer first), unless
        `kind` says which; among those, one that has been scanning (a fault at an idle bench
        shows little)."""
        from tests.rehearsal.run import STATIONS

        if kind is None:
            self.turns[fault] += 1
            kind = "packer" if self.turns[fault] % 2 else "picker"
        codes = [c for c, k, _w in STATIONS if k == kind]
        with self.c.collector._lock:
            busy = [c for c in codes if self.c.collector.scans.get(c, 0) > 0]
        return self.rng.choice(busy or codes)

    # ---- the faults

    def _kill_station(self, fault: Fault) -> None:
        code = fault.target = self._station(fault.kind)
        proc = self.c.floor.procs[code]
        before = proc.starts
        self.c.floor.restart_after_kill(proc)
        self._say(fault, f"SIGKILL (pid gone), started again (start {before + 1})")

    def _kill_engine(self, fault: Fault) -> None:
        name = fault.target = self.rng.choice(["engine-1", "engine-2"])
        self.c.floor.restart_after_kill(self.c.floor.procs[name])
        self._say(fault, "SIGKILL mid-batch, started again")

    def _cut(self, fault: Fault) -> None:
        code = fault.target = self._station(fault.kind)
        proxy = self.c.proxies[code]
        proxy.cut()
        seen = self._seen(code)
        self._say(fault, f"link cut for {HOLD_S['cut']:g} s (connections dropped, new ones "
                         "refused)")

        def back() -> None:
            proxy.restore()
            self._say(fault, f"link restored; {self._meanwhile(code, seen)}")

        self.after(HOLD_S["cut"], back)

    def _stall(self, fault: Fault) -> None:
        code = fault.target = self._station(fault.kind)
        proxy = self.c.proxies[code]
        proxy.stall()
        seen = self._seen(code)
        self._say(fault, f"link stalled for {HOLD_S['stall']:g} s (bytes held both ways)")

        def back() -> None:
            proxy.unstall()
            self._say(fault, f"link flowing again; {self._meanwhile(code, seen)}")

        self.after(HOLD_S["stall"], back)

    def _printer(self, fault: Fault) -> None:
        code = fault.target = self._station(fault.kind, "packer")
        printer = self.c.printers[code]
        hold = HOLD_S["printer"]
        jobs = len(printer.jobs)
        printer.refuse()
        self._say(fault, f"printer refuses connections for {hold:g} s")

        def drop() -> None:
            printer.recover()
            printer.drop_after(64)
            self._say(fault, f"printer takes connections again but drops every job after 64 "
                             f"bytes for {hold:g} s")

        def paper() -> None:
            printer.recover()
            printer.paper_out(True)
            self._say(fault, f"printer reports paper out for {hold:g} s "
                             f"({len(printer.partial)} jobs cut off so far)")

        def fine() -> None:
            printer.recover()
            self._say(fault, f"printer fine again: {len(printer.jobs) - jobs} jobs printed "
                             f"since the fault, {len(printer.partial)} cut off in all, "
                             f"{len(printer.unprinted)} not printed (paper out)")

        self.after(hold, drop)
        self.after(2 * hold, paper)
        self.after(3 * hold, fine)

    def _pty(self, fault: Fault) -> None:
        code = fault.target = self._station(fault.kind)
        told = self.c.floor.procs[code].tell({"do": "pty"})
        self._say(fault, "scanner to be unplugged in the middle of the next scan and "
                         f"plugged back in{'' if told else ' (the station did not hear it)'}")

    def _disk_full(self, fault: Fault) -> None:
        code = fault.target = self._station(fault.kind, "packer")
        proc = self.c.floor.procs[code]
        pid = proc.pid
        if pid is None or not proc.alive():
            self._say(fault, "station not running: skipped")
            return
        self.limited[code] = resource.prlimit(pid, resource.RLIMIT_FSIZE)
        _soft, hard = self.limited[code]
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, hard))
        seen = self._seen(code)
        self._say(fault, f"every file write of the station's process refused for "
                         f"{HOLD_S['disk-full']:g} s (file size limit 0: its store, WAL, log "
                         "and print files cannot grow)")

        def back() -> None:
            if self._unlimit(code):
                self._say(fault, f"disk has room again; {self._meanwhile(code, seen)}")

        self.after(HOLD_S["disk-full"], back)

    def _unlimit(self, code: str) -> bool:
        limits = self.limited.pop(code, None)
        proc = self.c.floor.procs[code]
        if limits is None or proc.pid is None or not proc.alive():
            return False
        try:
            resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, limits)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def _pg_terminate(self, fault: Fault) -> None:
        """Terminate a backend of the floor that is inside a transaction (or, if none is at
        this moment, one that is running a statement): several looks over up to 3 s."""
        deadline = time.monotonic() + 3.0
        row = None
        with self.c.engine.connect() as conn:
            while row is None and time.monotonic() < deadline:
                rows = conn.execute(sa.text(
                    "SELECT pid, application_name, state, left(query, 70) AS query "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND application_name LIKE 'rehearsal:%' "
                    "AND state IN ('idle in transaction', 'active')")).all()
                in_tx = [r for r in rows if r.state == "idle in transaction"] or rows
                if in_tx:
                    row = self.rng.choice(in_tx)
                    break
                conn.rollback()
                time.sleep(0.05)
            if row is None:
                self._say(fault, "no backend of the floor in a transaction within 3 s")
                return
            done = conn.execute(sa.text("SELECT pg_terminate_backend(:p)"),
                                {"p": row.pid}).scalar()
            conn.commit()
        fault.target = row.application_name.removeprefix("rehearsal:")
        self._say(fault, f"backend {row.pid} terminated ({done}) while {row.state}: "
                         f"{' '.join(row.query.split())!r}")

    # ---- the end

    def summary(self) -> list[str]:
        counts = Counter(f.kind for f in self.planned if f.done)
        lines = []
        for kind in KINDS:
            if kind not in self.c.opts.faults:
                lines.append(f"{kind:13s} off")
                continue
            targets = Counter(f.target for f in self.planned if f.done and f.kind == kind)
            lines.append(f"{kind:13s} ×{counts[kind]}: {DESCRIBED[kind]}; at "
                         f"{', '.join(f'{t} ×{n}' for t, n in sorted(targets.items())) or '-'}")
        return lines

    def verdicts(self, results: list[Any]) -> list[str]:
        held = {r.name: r.ok for r in results}
        lines = []
        for kind in KINDS:
            if kind not in self.c.opts.faults or not any(f.done and f.kind == kind
                                                         for f in self.planned):
                continue
            proofs = PROVED_BY[kind]
            broken = [p for p in proofs if not held.get(p, False)]
            if broken:
                lines.append(f"after {kind}: SOMETHING LOST OR DOUBLED: {'; '.join(broken)}")
            else:
                lines.append(f"after {kind}: nothing lost or doubled ({'; '.join(proofs)})")
        return lines
