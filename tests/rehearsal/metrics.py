"""Figures of the rehearsal: each process of the floor sends its own (latencies in
milliseconds, counts, errors by kind) as one JSON line a second on its standard output (a
pipe: a station whose disk is full still reports); the conductor adds them up per minute and
in total."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any


class Emitter:
    """A process's figures, sent every `every` seconds (and at `flush`)."""

    def __init__(self, who: str, out: IO[str] | None = None, every: float = 1.0) -> None:
        self.who = who
        self.out = out or sys.stdout
        self.every = every
        self._lock = threading.Lock()
        self._lat: dict[str, list[float]] = defaultdict(list)
        self._n: Counter[str] = Counter()
        self._err: Counter[str] = Counter()
        self._notes: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rehearsal-metrics",
                                        daemon=True)

    def start(self) -> Emitter:
        self._thread.start()
        return self

    def lat(self, name: str, ms: float) -> None:
        with self._lock:
            self._lat[name].append(round(ms, 2))

    def count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self._n[name] += n

    def error(self, kind: str) -> None:
        with self._lock:
            self._err[kind] += 1

    def note(self, text: str) -> None:
        """A line for the conductor to print (what a fault did, say)."""
        with self._lock:
            self._notes.append(text)

    def timed(self, name: str) -> _Timer:
        return _Timer(self, name)

    def flush(self) -> None:
        with self._lock:
            lat, n, err, notes = dict(self._lat), dict(self._n), dict(self._err), self._notes
            self._lat, self._n, self._err, self._notes = defaultdict(list), Counter(), \
                Counter(), []
        if not (lat or n or err or notes):
            return
        line = json.dumps({"who": self.who, "t": time.time(), "lat": lat, "n": n, "err": err,
                           "notes": notes}, ensure_ascii=False)
        try:
            self.out.write(line + "\n")
            self.out.flush()
        except (OSError, ValueError):  # the conductor went away: nobody to tell
            pass

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.flush()


class _Timer:
    def __init__(self, emitter: Emitter, name: str) -> None:
        self.emitter, self.name = emitter, name

    def __enter__(self) -> _Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.emitter.lat(self.name, (time.perf_counter() - self.start) * 1000)


def percentile(values: list[float], q: float) -> float | None:
    """The `q` quantile (0–1) by the nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(int(-(-q * len(ordered) // 1)), 1)  # ceil(q * n), at least 1
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Bucket:
    lat: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    n: Counter[str] = field(default_factory=Counter)
    err: Counter[str] = field(default_factory=Counter)

    def add(self, report: dict[str, Any]) -> None:
        for name, values in (report.get("lat") or {}).items():
            self.lat[name].extend(float(v) for v in values)
        self.n.update({k: int(v) for k, v in (report.get("n") or {}).items()})
        self.err.update({k: int(v) for k, v in (report.get("err") or {}).items()})


class Collector:
    """Every report, by the minute of the run it arrived in, and in total."""

    def __init__(self, start: float) -> None:
        self.start = start
        self._lock = threading.Lock()
        self.minutes: dict[int, Bucket] = defaultdict(Bucket)
        self.total = Bucket()
        self.notes: list[str] = []
        self.scans: Counter[str] = Counter()  # scans answered, by station
        self.failures: Counter[str] = Counter()  # errors of kind fault or sync, by station

    def minute_of(self, t: float) -> int:
        return max(int((t - self.start) // 60), 0)

    def add(self, report: dict[str, Any], prefix: str = "") -> None:
        minute = self.minute_of(float(report.get("t") or time.time()))
        if prefix:
            report = {**report, "err": {f"{prefix}{k}": v
                                        for k, v in (report.get("err") or {}).items()}}
        with self._lock:
            self.minutes[minute].add(report)
            self.total.add(report)
            who = str(report.get("who", ""))
            self.scans[who] += sum(
                len(v) for k, v in (report.get("lat") or {}).items() if k.startswith("scan"))
            self.failures[who] += sum(int(n) for k, n in (report.get("err") or {}).items()
                                      if ".fault." in k or k.startswith(("sync.", "drain.")))
            self.notes.extend(f"[{report.get('who', '?')}] {n}"
                              for n in report.get("notes") or ())

    def error(self, kind: str, t: float | None = None) -> None:
        self.add({"t": t or time.time(), "err": {kind: 1}})

    def count(self, name: str, n: int = 1, t: float | None = None) -> None:
        self.add({"t": t or time.time(), "n": {name: n}})

    def lat(self, name: str, ms: float, t: float | None = None) -> None:
        self.add({"t": t or time.time(), "lat": {name: [ms]}})

    def take_notes(self) -> list[str]:
        with self._lock:
            notes, self.notes = self.notes, []
        return notes

    def bucket(self, minute: int) -> Bucket:
        with self._lock:
            return self.minutes.get(minute) or Bucket()


def read_reports(stream: Iterable[str], collector: Collector, prefix: str = "") -> None:
    """Feed a child's report lines to `collector` until its stream ends (on a thread)."""
    for line in stream:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            report = json.loads(line)
        except ValueError:
            continue
        if isinstance(report, dict) and "who" in report:
            collector.add(report, prefix)


def listen(stopping: threading.Event, **on: Callable[[], None]) -> None:
    """Follow the conductor's orders on this process's stdin (JSON lines `{"do": WORD}`) on a
    thread of its own: each WORD in `on` calls its function; "stop", or the conductor gone
    (stdin closed), sets `stopping`."""
    def follow() -> None:
        for line in sys.stdin:
            try:
                order = json.loads(line)
            except ValueError:
                continue
            if order.get("do") == "stop":
                break
            act = on.get(str(order.get("do")))
            if act is not None:
                act()
        stopping.set()

    threading.Thread(target=follow, name="rehearsal-orders", daemon=True).start()
