"""`packline doctor`: what a station needs, checked where it stands, for IT.

Each check has a name, a status (`ok`, `warn`, `fail`, `skip`), a message and its details:
the version; the settings files and where each key's value comes from; the central database
(reachable within the configured connect timeout, at the schema this build works with —
`app.store.migrate.schema_state`, the rule the station refuses by — and its clock against
this PC's); the station store (SQLite's integrity check, free pages, the outbox); each
configured printer (reachable, and its status where it reports one: nothing is printed); each
scanner and scale (present: the device path exists, the USB adapter is plugged in, the serial
server answers — a port is never opened, so one the running app holds is not taken from it);
the label fonts (the CJK font and the chain's coverage of a few test characters); the free
disk space of the station's folder.

The checks run side by side, each on a thread of its own with a time limit: a dead server or
printer makes its own check fail ("no answer within N s"), never the doctor hang. A `fail` is
something the station needs and does not have (exit 1); a `warn` deserves a look and keeps
exit 0. `bundle` zips the logs, the settings files (secrets removed) and the doctor's output
for support; never the station's database. No Qt here: it runs headless. docs/doctor.md says
what each check looks at, its limits, and what to do when it fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import stat
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from app import __version__
from app.config import OPTIONS, Config, Paths, SettingsError, left_behind, push_left_behind
from app.redact import safe_url, scrub
from app.secure_files import POSIX, private_opener

Status = Literal["ok", "warn", "fail", "skip"]

# Free space in the station's folder. Below 200 MB a day's labels in the prints folder
# (30–100 KB each) and the store's write-ahead log and checkpoint may not fit, and a full disk
# stops every scan from being written down: fail. Below 1 GB a few busy days fill it: warn.
DISK_FAIL_BYTES = 200 * 1024 * 1024
DISK_WARN_BYTES = 1024 * 1024 * 1024
# The central database's clock against this PC's: scans, audit lines and the outbox are
# ordered by time, and the dashboards count by the hour. A few seconds are within what NTP
# settles; over 5 s something is off (warn); over a minute, orderings and deadlines are wrong.
SKEW_WARN_S = 5.0
SKEW_FAIL_S = 60.0
# The read replica's lag: the dashboard and the order list show what it has replayed. Past
# half a minute a lead sees a different floor from the one in front of them: warn.
REPLICA_LAG_WARN_S = 30.0
# SQLite's full integrity check reads every page and index; past this size the quick check
# (pages and structure, not index contents) keeps the doctor to seconds.
QUICK_CHECK_ABOVE_BYTES = 256 * 1024 * 1024
# Events not pushed for this long: the station has not reached the centre for a while.
OUTBOX_STALE_S = 15 * 60
# What a label prints every day (place names, the warehouse's word), and rarer characters a
# receiver's name can hold (CJK Extension B, the yuan sign).
FONT_NEEDED = "杭州仓"
FONT_WANTED = "𠀀¥"
# Each check's time limit beyond its own timeouts (threads start, imports load).
MARGIN_S = 5.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "message": self.message,
                "details": self.details}


@dataclass(frozen=True, slots=True)
class Report:
    version: str
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Nothing the station needs is missing (warnings allowed)."""
        return not any(c.status == "fail" for c in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "ok": self.ok,
                "checks": [c.as_json() for c in self.checks]}

    def json_text(self) -> str:
        return scrub(json.dumps(self.as_json(), ensure_ascii=False, indent=2, default=str))

    def text(self) -> str:
        """A table for a terminal (English: IT's tool)."""
        width = max([len(c.name) for c in self.checks] + [5])
        lines = [f"Packline doctor, Packline {self.version}", "",
                 f"{'STATUS':<6}  {'CHECK':<{width}}  MESSAGE"]
        for c in self.checks:
            shown = c.status.upper() if c.status in ("fail", "warn") else c.status
            lines.append(f"{shown:<6}  {c.name:<{width}}  {c.message}")
        settings = next((c for c in self.checks if c.name == "settings"), None)
        keys = settings.details.get("keys", {}) if settings else {}
        chosen = {k: v for k, v in keys.items() if v.get("source") != "default"}
        if chosen:
            lines += ["", "Settings not at their defaults, and where each comes from:"]
            for name, v in chosen.items():
                section, _, key = name.partition(".")
                lines.append(f"  [{section}] {key} = {v.get('value')}   "
                             f"({v.get('source')}: {v.get('detail')})")
        failed = sum(c.status == "fail" for c in self.checks)
        warned = sum(c.status == "warn" for c in self.checks)
        lines.append("")
        if failed:
            lines.append(f"{failed} failed, {warned} warning(s): the station lacks what "
                         "failed (docs/doctor.md says what to do).")
        else:
            lines.append(f"OK: nothing the station needs is missing ({warned} warning(s)).")
        return "\n".join(scrub(_printable(line)) for line in lines) + "\n"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}"
                   for ch in text)


# ---------------------------------------------------------------- running checks bounded


@dataclass(frozen=True, slots=True)
class Probe:
    """One or more checks that one piece of work answers, within `budget` seconds."""
    names: tuple[str, ...]
    budget: float
    work: Callable[[], list[Check]]


def run_bounded(probes: Sequence[Probe]) -> list[Check]:
    """Every probe on a thread of its own, all at once; the checks in the probes' order. A
    probe that has not answered within its budget fails its checks (its thread is left to
    end on its own: a daemon, it never holds the process)."""
    started = []
    for probe in probes:
        box: list[list[Check]] = []
        thread = threading.Thread(target=_answer, args=(probe, box), daemon=True,
                                  name=f"packline-doctor-{probe.names[0]}")
        thread.start()
        started.append((probe, thread, box, time.monotonic() + probe.budget))
    out: list[Check] = []
    for probe, thread, box, deadline in started:
        thread.join(max(deadline - time.monotonic(), 0.0))
        if box:
            out += box[0]
        else:
            out += [Check(name, "fail", f"no answer within {probe.budget:g} s",
                          {"timeout_s": probe.budget}) for name in probe.names]
    return out


def _answer(probe: Probe, box: list[list[Check]]) -> None:
    try:
        box.append(probe.work())
    except Exception as exc:  # noqa: BLE001 - a check that broke is a failed check
        box.append([Check(name, "fail", _first_line(exc), {"error": type(exc).__name__})
                    for name in probe.names])


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return scrub((text.splitlines() or [type(exc).__name__])[0][:300])


# ---------------------------------------------------------------- the checks


def check_version() -> Check:
    from app.store import migrate

    return Check("version", "ok", f"Packline {__version__} (database schema "
                 f"{migrate.build_revision()}), Python {platform.python_version()}, "
                 f"{platform.system()} {platform.release()}",
                 {"version": __version__, "schema": migrate.build_revision(),
                  "python": platform.python_version(), "platform": platform.platform(),
                  "frozen": bool(getattr(sys, "frozen", False)), "executable": sys.executable,
                  "host": socket.gethostname(),
                  "at": datetime.now(UTC).isoformat(timespec="seconds")})


def setting_files(cfg: Config | None, paths: Paths) -> list[tuple[str, Path, bool]]:
    """(kind, path, found) of each settings file the station reads, lowest first: the
    machine-wide file IT deploys, then the person's own."""
    if cfg is not None:
        return cfg.setting_files()
    files = [("machine", paths.settings, paths.settings.is_file())]
    if paths.user != paths.settings:
        files.append(("user", paths.user, paths.user.is_file()))
    return files


def _shown(section: str, key: str, value: Any) -> Any:
    if (section, key) in (("central", "url"), ("central", "read_url")):
        return safe_url(str(value)) if value else value
    if SECRET_KEY.search(key):
        return "***" if value else value
    return value


def check_settings(cfg: Config) -> Check:
    """The settings files read, each key's value and its source, the station's folders."""
    files = cfg.setting_files()
    keys: dict[str, dict[str, Any]] = {}
    for option in OPTIONS:
        value = cfg.settings.get(option.name)
        if (option.section, option.key) == ("central", "url"):
            value = cfg.central_url  # what the station uses, wherever it came from
        source = cfg.source_of(option.section, option.key)
        keys[option.name] = {"value": _shown(option.section, option.key, value),
                             "source": source.kind,
                             "path": str(source.path) if source.path else None,
                             "detail": source.detail}
    found = [(kind, path) for kind, path, there in files if there]
    paths = cfg.paths
    details: dict[str, Any] = {
        "files": [{"kind": k, "path": str(p), "found": f} for k, p, f in files],
        "keys": keys, "data_folder": str(paths.home), "data_from": paths.data_from}
    if cfg.upgraded is not None:
        details["upgraded"] = {"path": str(cfg.upgraded.path), "from": cfg.upgraded.old,
                               "to": cfg.upgraded.new,
                               "backup": str(cfg.upgraded.backup or "")}
    elif cfg.settings.upgraded_from is not None:  # read as is: the next start rewrites it
        details["upgraded"] = {"path": str(paths.settings), "from": cfg.settings.upgraded_from,
                               "to": cfg.settings.version, "backup": ""}
    if paths.data_note:
        # Each account on this PC then keeps a station of its own: two outboxes, two
        # blocks of tracking numbers.
        details["data_note"] = paths.data_note
        return Check("settings", "warn", f"the station's data is in this person's folder "
                     f"{paths.home}: the machine-wide folder cannot be used "
                     f"({paths.data_note})", details)
    behind = left_behind(paths)
    if behind is not None:
        # Not lost, but not sent either until IT sends them from there.
        details["left_behind"] = {"folder": str(behind[0]), "events": behind[1]}
        return Check("settings", "warn", push_left_behind(*behind, paths.station_db), details)
    if not found:
        return Check("settings", "warn", "no settings file found ("
                     + ", ".join(f"{k}: {p}" for k, p, _f in files)
                     + "): every key at its default", details)
    return Check("settings", "ok", "read " + ", ".join(f"{k} {p}" for k, p in found),
                 details)


def settings_refused(exc: SettingsError, paths: Paths) -> Check:
    return Check("settings", "fail", scrub(str(exc)),
                 {"path": str(exc.path or paths.settings), "line": exc.line,
                  "section": exc.section, "key": exc.key, "code": exc.code})


def check_central(cfg: Config) -> list[Check]:
    """The central database reachable, its schema, its clock: one connection."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from app.services.schema import not_granted, refusal
    from app.store import migrate
    from app.store.db import make_engine

    url = cfg.central_url
    shown = safe_url(url)
    timeout = cfg.settings.central.connect_timeout
    details: dict[str, Any] = {"url": shown, "embedded": cfg.embedded}
    held = contextlib.ExitStack()
    if cfg.embedded:
        database = make_url(url).database or ""
        path = Path(database)
        if not path.is_file():
            note = "not created yet: the app creates it (and seeds demo data) at its start"
            return [Check("central database", "warn", f"embedded {path}: {note}", details),
                    Check("schema", "skip", "no embedded database yet", {}),
                    Check("clock", "skip", "the embedded database is this PC's", {})]
        # Read-only: the doctor never creates, migrates or writes the file.
        held.enter_context(owned_as_found(path))
        engine = create_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true",
                               poolclass=NullPool)
    else:
        engine = make_engine(url, connect_timeout=timeout, poolclass=NullPool)
    started = time.monotonic()
    try:
        with engine.connect() as conn:
            details["connect_ms"] = round((time.monotonic() - started) * 1000, 1)
            if conn.dialect.server_version_info:
                details["server_version"] = ".".join(
                    str(p) for p in conn.dialect.server_version_info)
            try:
                state: Any = migrate.schema_state(conn)
            except Exception as exc:  # noqa: BLE001 - reached, but the version is not granted
                state = not_granted(exc)
                if state is None:
                    raise
                conn.rollback()
            skew = None if cfg.embedded else _skew(conn, text)
    except Exception as exc:  # noqa: BLE001 - unreachable is this check's answer
        details["error"] = _first_line(exc)
        return [Check("central database", "fail",
                      f"{shown}: cannot connect within {timeout} s: {_first_line(exc)}",
                      details),
                Check("schema", "skip", "the central database was not reached", {}),
                Check("clock", "skip", "the central database was not reached", {})]
    finally:
        engine.dispose()
        held.close()
    checks = [Check("central database", "ok",
                    f"{shown}: connected in {details['connect_ms']:g} ms", details)]
    checks.append(_schema_check(state, cfg.embedded, refusal))
    checks.append(_clock_check(skew))
    return checks


def check_replica(cfg: Config) -> Check:
    """The read replica (`[central] read_url`): reachable, a standby, and how far behind the
    primary it is."""
    from sqlalchemy.pool import NullPool

    from app.store.db import Database, make_engine

    read_url = cfg.database_options["read_url"]
    if not read_url:
        return Check("read replica", "skip", "none: every read goes to the central database "
                     "([central] read_url is empty)", {})
    central = cfg.settings.central
    options: dict[str, Any] = {"connect_timeout": central.connect_timeout,
                               "pooled": central.pooled, "poolclass": NullPool}
    db = Database(make_engine(cfg.central_url, **options),
                  replica=make_engine(read_url, **options))
    try:
        lag = db.replica_lag()
    finally:
        db.dispose()
    assert lag is not None
    details: dict[str, Any] = {"url": safe_url(read_url), **lag.as_json(),
                               "warn_s": REPLICA_LAG_WARN_S}
    shown = safe_url(read_url)
    if not lag.reachable:
        return Check("read replica", "warn", f"{shown}: not answering ({scrub(lag.error)}): "
                     "its reads go to the central database meanwhile", details)
    if not lag.replica:
        return Check("read replica", "warn", f"{shown} is not a standby (pg_is_in_recovery "
                     "is false): the dashboard and order list read from another database "
                     "than the central one", details)
    behind = ("an unknown time (no transaction replayed since it started)"
              if lag.seconds is None else f"{lag.seconds:.1f} s")
    said = f"{shown}: {behind} behind, {lag.bytes or 0:,} bytes of WAL to replay"
    if lag.paused:
        return Check("read replica", "warn", said + "; replay is paused "
                     "(SELECT pg_wal_replay_resume() on it)", details)
    if lag.seconds is not None and lag.seconds > REPLICA_LAG_WARN_S:
        return Check("read replica", "warn", said, details)
    return Check("read replica", "ok", said, details)


def _schema_check(state: Any, embedded: bool, refusal: Any) -> Check:
    from app.services.errors import ServiceError

    if isinstance(state, ServiceError):  # the login may not read the version table
        return Check("schema", "fail", str(state), {"code": state.code})
    details = {"kind": state.kind, "database": state.database, "build": state.build}
    refused = refusal(state, embedded=embedded)
    if refused is not None:
        return Check("schema", "fail", str(refused), {**details, "code": refused.code})
    if state.kind == "current":
        return Check("schema", "ok", f"{state.database}: the schema this build works with",
                     details)
    return Check("schema", "ok", f"{state.database or 'none'}: the app brings the embedded "
                 f"database to {state.build} at its start", details)


def _skew(conn: Any, text: Any) -> tuple[float, float]:
    """(server clock − this PC's clock, ± half the round trip) in seconds."""
    before = time.time()
    server = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
    after = time.time()
    return server.timestamp() - (before + after) / 2, (after - before) / 2


def _clock_check(skew: tuple[float, float] | None) -> Check:
    if skew is None:
        return Check("clock", "skip", "the embedded database is this PC's own clock", {})
    seconds, within = skew
    details = {"skew_s": round(seconds, 3), "uncertainty_s": round(within, 3),
               "warn_s": SKEW_WARN_S, "fail_s": SKEW_FAIL_S}
    said = (f"the central database's clock is {abs(seconds):.2f} s "
            f"{'ahead of' if seconds > 0 else 'behind'} this PC's (±{within:.2f} s)")
    if abs(seconds) > SKEW_FAIL_S:
        return Check("clock", "fail", said + ": set both from the same time server", details)
    if abs(seconds) > SKEW_WARN_S:
        return Check("clock", "warn", said, details)
    return Check("clock", "ok", said, details)


def check_store(cfg: Config) -> Check:
    """The station store (station.db): read only, never migrated or written."""
    path = cfg.paths.station_db
    if not path.is_file():
        return Check("station store", "warn", f"{path}: not created yet (the app or a station "
                     "command creates it)", {"path": str(path)})
    size = path.stat().st_size
    wal = path.with_name(path.name + "-wal")
    details: dict[str, Any] = {"path": str(path), "bytes": size,
                               "wal_bytes": wal.stat().st_size if wal.is_file() else 0}
    pragma = "integrity_check" if size <= QUICK_CHECK_ABOVE_BYTES else "quick_check"
    with owned_as_found(path):
        return _store_check(path, size, pragma, details)


def _store_check(path: Path, size: int, pragma: str, details: dict[str, Any]) -> Check:
    from app.services.schema import store_refusal
    from app.station.store import VERSION_TABLE, weigh_store

    con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, timeout=10)
    try:
        found = [str(r[0]) for r in con.execute(f"PRAGMA {pragma}(20)")]
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        free = con.execute("PRAGMA freelist_count").fetchone()[0]
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master "
                                            "WHERE type = 'table'")}
        details.update(check=pragma, pages=pages, free_pages=free,
                       free_bytes=free * page_size)
        heads = [str(r[0]) for r in con.execute(f"SELECT version_num FROM {VERSION_TABLE}")] \
            if VERSION_TABLE in tables else []
        if "outbox" in tables:
            waiting, oldest = con.execute("SELECT count(*), min(created_at) FROM outbox "
                                          "WHERE pushed_at IS NULL").fetchone()
            refused = con.execute("SELECT count(*) FROM outbox WHERE pushed_at IS NOT NULL "
                                  "AND outcome != 'applied'").fetchone()[0]
            details.update(outbox=waiting, outbox_oldest=oldest, outbox_refused=refused)
        if "print_jobs" in tables:
            details["print_jobs"] = dict(con.execute(
                "SELECT status, count(*) FROM print_jobs WHERE status IN "
                "('queued', 'sending', 'failed') GROUP BY status").fetchall())
    finally:
        con.close()
    if found != ["ok"]:
        details["problems"] = found
        return Check("station store", "fail", f"{path}: damaged ({pragma}: {found[0]})",
                     details)
    state = weigh_store(heads)
    details.update(schema=state.database, schema_kind=state.kind, schema_build=state.build)
    refused = store_refusal(state, path)
    if refused is not None:
        return Check("station store", "fail", str(refused), {**details, "code": refused.code})
    said = (f"{pragma} ok, schema {state.database or 'none'}, {size / 1e6:.1f} MB, "
            f"{free} of {pages} pages free, "
            f"{details.get('outbox', 0)} event(s) waiting to be sent")
    age = _age_s(details.get("outbox_oldest"))
    if age is not None and age > OUTBOX_STALE_S:
        details["outbox_age_s"] = round(age)
        return Check("station store", "warn", said + f": the oldest for {age / 60:.0f} min "
                     "(is the central database reachable?)", details)
    if details.get("outbox_refused"):
        return Check("station store", "warn", said + f", {details['outbox_refused']} "
                     "refused by the centre (shown at the station for a lead)", details)
    return Check("station store", "ok", said, details)


@contextlib.contextmanager
def owned_as_found(database: Path) -> Iterator[None]:
    """While SQLite reads `database`: the write-ahead log and shared-memory files it may make
    beside a database in WAL mode, even read only, are given to the database's owner when the
    doctor runs as root, so the station's account can still open its own store."""
    beside = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
    before = {p for p in beside if p.exists()}
    try:
        yield
    finally:
        if POSIX and os.geteuid() == 0:
            with contextlib.suppress(OSError):
                st = database.stat()
                for made in (p for p in beside if p not in before and p.exists()):
                    if made.stat().st_uid != st.st_uid:
                        os.chown(made, st.st_uid, st.st_gid)
                        os.chmod(made, stat.S_IMODE(st.st_mode))


def _age_s(stamp: Any) -> float | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (datetime.now(UTC) - moment).total_seconds()


def check_disk(home: Path) -> Check:
    folder = home
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    details = {"path": str(home), "free_bytes": usage.free, "total_bytes": usage.total,
               "warn_below_bytes": DISK_WARN_BYTES, "fail_below_bytes": DISK_FAIL_BYTES}
    said = f"{usage.free / 1024 ** 3:.2f} GB free of {usage.total / 1024 ** 3:.1f} GB at {home}"
    if usage.free < DISK_FAIL_BYTES:
        return Check("disk", "fail", said + ": free space now (scans and labels stop when "
                     "it is full)", details)
    if usage.free < DISK_WARN_BYTES:
        return Check("disk", "warn", said, details)
    return Check("disk", "ok", said, details)


def check_fonts() -> Check:
    from app.printing.fonts import FontNotFoundError, font_chain

    try:
        chain = font_chain()
    except FontNotFoundError as exc:
        return Check("fonts", "fail", str(exc), {})
    details: dict[str, Any] = {"fonts": [f"{f.path}#{f.index}" if f.index else str(f.path)
                                         for f in chain.fonts]}
    missing_needed = [c for c in FONT_NEEDED if not chain.covers(c)]
    missing_wanted = [c for c in FONT_WANTED if not chain.covers(c)]
    details.update(tested=FONT_NEEDED + FONT_WANTED,
                   missing="".join(missing_needed + missing_wanted))
    first = chain.fonts[0].path.name
    if missing_needed:
        return Check("fonts", "fail", f"{first} lacks {''.join(missing_needed)}: labels cannot "
                     "print Chinese", details)
    if missing_wanted:
        return Check("fonts", "warn", f"no installed font has {''.join(missing_wanted)} "
                     "(rare characters are refused on labels): install the fallback fonts of "
                     "docs/printing.md", details)
    return Check("fonts", "ok", f"{first} and {len(chain.fonts) - 1} fallback(s) cover "
                 f"{FONT_NEEDED}{FONT_WANTED}", details)


def printer_probes(cfg: Config) -> tuple[list[Probe], list[Check]]:
    """A probe per configured printer; or the check saying why the printers' settings
    cannot be read."""
    from app.printers import PrinterConfigError, load_setup

    try:
        setup = load_setup(cfg.settings)
    except PrinterConfigError as exc:
        return [], [Check("printers", "fail", scrub(str(exc)), {"code": exc.code})]
    probes = []
    for spec in setup.printers.values():
        budget = 2 * spec.timeout + MARGIN_S

        def work(spec: Any = spec) -> list[Check]:
            return [check_printer(spec, cfg.paths.home)]

        probes.append(Probe((f"printer {spec.name}",), budget, work))
    return probes, []


def check_printer(spec: Any, home: Path) -> Check:
    """Ask the printer its status as the print queue does before a job (`query()` where the
    transport says why it cannot ask); nothing is printed."""
    from app.printers import prints_folder
    from drivers.printers.status import PrinterStatus
    from drivers.printers.transports import PrintError, open_transport
    from drivers.printers.urls import PrinterUrl

    url = PrinterUrl.parse(spec.url)
    name = f"printer {spec.name}"
    details: dict[str, Any] = {"url": scrub(spec.url), "language": spec.language,
                               "backup": spec.backup or None}
    transport = open_transport(url, folder=prints_folder(home), timeout=spec.timeout,
                               language=spec.language)
    try:
        query = getattr(transport, "query", None)
        status = query() if callable(query) else transport.status()
    except PrintError as exc:
        details["error"] = exc.kind.value
        return Check(name, "fail", scrub(str(exc)), details)
    finally:
        transport.close()
    details["status"] = status.value
    where = url.name if url.kind.value != "file" else \
        str(getattr(transport, "folder", url.name))
    if status is PrinterStatus.ONLINE:
        return Check(name, "ok", f"{where}: online", details)
    if status is PrinterStatus.UNKNOWN:
        return Check(name, "ok", f"{where}: reachable (it reports no status)", details)
    if status in (PrinterStatus.PAPER_OUT, PrinterStatus.HEAD_OPEN, PrinterStatus.PAUSED):
        return Check(name, "warn", f"{where}: {status.value.replace('_', ' ')}", details)
    hint = ""
    if url.kind.value == "escpos+serial" and not _device_there(url.device):
        hint = f" (no device {url.device})"
    return Check(name, "fail", f"{where}: {status.value}{hint}", details)


def device_probes(cfg: Config) -> tuple[list[Probe], list[Check]]:
    from app import devices

    specs, broken = devices.load_all(cfg.settings)
    written = set(cfg.settings.sections(devices.SECTION))
    checks = [Check(f"device {name}", "fail", scrub(str(exc)), {"code": exc.code})
              for name, exc in broken.items()]
    probes = []
    for spec in specs:
        if spec.kind == "wedge" and spec.name not in written:
            continue  # the keyboard-wedge filter every station has: nothing to look for

        def work(spec: Any = spec) -> list[Check]:
            return [check_device(spec)]

        probes.append(Probe((f"device {spec.name}",), 10.0 + MARGIN_S, work))
    return probes, checks


def check_device(spec: Any) -> Check:
    """Is the scanner or scale there? Looked for, never opened."""
    from drivers.urls import DeviceUrl, UrlKind, find_usb_port

    name = f"device {spec.name}"
    details: dict[str, Any] = {"kind": spec.kind, "url": spec.url or None}
    if spec.kind == "wedge":
        return Check(name, "skip", "a keyboard-wedge scanner types as a keyboard: nothing "
                     "to look for", details)
    url = DeviceUrl.parse(spec.url)
    if url.kind is UrlKind.SIM:
        return Check(name, "ok", f"{spec.kind}: simulated", details)
    if url.kind is UrlKind.SERIAL:
        if _device_there(url.path):
            return Check(name, "ok", f"{spec.kind}: {url.path} is there", details)
        return Check(name, "fail", f"{spec.kind}: no device {url.path} (unplugged, or "
                     "another port: `packline devices list`)", details)
    if url.kind is UrlKind.USBSERIAL:
        port = find_usb_port(url)
        if port is not None:
            details["port"] = port
            return Check(name, "ok", f"{spec.kind}: {url.name} plugged in at {port}", details)
        return Check(name, "fail", f"{spec.kind}: {url.name} is not plugged in (no serial "
                     "port with those USB ids: `packline devices list`)", details)
    if url.kind is UrlKind.SOCKET:
        try:
            with socket.create_connection((url.host, url.port or 0), timeout=5.0):
                pass
        except OSError as exc:
            return Check(name, "fail", f"{spec.kind}: {url.name}: {exc.strerror or exc}",
                         details)
        return Check(name, "ok", f"{spec.kind}: {url.name} answers", details)
    return Check(name, "skip", f"{spec.kind}: {url.name} is not looked for by the doctor",
                 details)


def _device_there(path: str) -> bool:
    """A serial device by path: the device file on POSIX; among the ports listed (COM3)
    on Windows."""
    if os.name == "nt":
        from drivers.ports import list_devices

        return any(p["device"].upper() == path.upper() for p in list_devices())
    return os.path.exists(path)


# Imported before the checks start: modules first imported by several threads at once can
# meet each other half-initialised (SQLAlchemy's do).
_PRELOAD = ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.pool", "app.store.db",
            "app.store.migrate", "app.services.schema", "app.station.store",
            "alembic.runtime.migration",
            "alembic.script", "app.printers", "app.devices", "app.printing.fonts",
            "fontTools.ttLib", "drivers.urls", "drivers.ports", "drivers.printers.transports",
            "drivers.printers.component")


def preload(extra: Iterable[str] = ()) -> None:
    import importlib
    import logging

    root = logging.getLogger()
    handlers = list(root.handlers)
    for name in (*_PRELOAD, *extra):
        importlib.import_module(name)
    # python-escpos configures the root logger when imported (basicConfig): Packline's lines
    # would be printed on stderr as well as logged.
    for handler in root.handlers[len(handlers):] if root.handlers[:len(handlers)] == handlers \
            else []:
        root.removeHandler(handler)


def run(cfg: Config | None, paths: Paths, problem: SettingsError | None = None) -> Report:
    """Every check, side by side, each within its time limit."""
    preload()
    if cfg is not None and any(v.get("url", "").startswith("escpos+") for v in
                               cfg.settings.sections("printer:").values()):
        preload(("escpos.printer",))
    probes = [Probe(("version",), 30.0, lambda: [check_version()])]
    early: list[Check] = []
    if cfg is None:
        assert problem is not None
        early.append(settings_refused(problem, paths))
    else:
        probes.append(Probe(("settings",), 30.0, lambda: [check_settings(cfg)]))
        timeout = cfg.settings.central.connect_timeout
        probes.append(Probe(("central database", "schema", "clock"), 3 * timeout + MARGIN_S,
                            lambda: check_central(cfg)))
        probes.append(Probe(("read replica",), 3 * timeout + MARGIN_S,
                            lambda: [check_replica(cfg)]))
        probes.append(Probe(("station store",), 120.0, lambda: [check_store(cfg)]))
        more, broken = printer_probes(cfg)
        probes += more
        early += broken
        more, broken = device_probes(cfg)
        probes += more
        early += broken
    probes.append(Probe(("fonts",), 60.0, lambda: [check_fonts()]))
    probes.append(Probe(("disk",), 10.0 + MARGIN_S, lambda: [check_disk(paths.home)]))
    checks = run_bounded(probes)
    checks[1:1] = early
    return Report(__version__, tuple(_with_backups(checks, cfg)))


def _with_backups(checks: list[Check], cfg: Config | None) -> list[Check]:
    """A printer that failed while its backup answers: its jobs go there, a warning."""
    by_name = {c.name: c for c in checks}
    out = []
    for c in checks:
        backup = c.details.get("backup") if c.name.startswith("printer ") else None
        other = by_name.get(f"printer {backup}") if backup else None
        if c.status == "fail" and other is not None and other.status == "ok":
            c = Check(c.name, "warn", f"{c.message}; its jobs go to the backup {backup}",
                      c.details)
        out.append(c)
    return out


# ---------------------------------------------------------------- the support bundle

# A settings key whose value is a secret, wherever it stands.
SECRET_KEY = re.compile(r"pass(?:word|wd|phrase)?|pwd|secret|token|session|credential|"
                        r"private", re.IGNORECASE)
_KEY_LINE = re.compile(r"^(?P<head>\s*(?P<key>[^\s=:;#\[][^=:]*?)\s*[=:]\s*)(?P<value>.*)$")
# Never in a bundle: the station's database (receivers, hashes) whatever folder holds it.
_NEVER = re.compile(r"\.(?:db|db-wal|db-shm|db-journal|sqlite\d?|sqlite-wal|sqlite-shm)$",
                    re.IGNORECASE)


def redact_settings(text: str) -> str:
    """A settings file with every secret replaced by ***: the value of each key named like
    a password, secret, token or session (its continuation lines too), every password in a
    URL or a `password=` pair, and every password this process knows."""
    out = []
    hiding = False
    for line in text.splitlines(keepends=True):
        ending = line[len(line.rstrip("\r\n")):]
        body = line[:len(line) - len(ending)]
        stripped = body.strip()
        if hiding and body[:1].isspace() and stripped and stripped[0] not in ";#":
            out.append(body[:len(body) - len(body.lstrip())] + "***" + ending)
            continue
        hiding = False
        match = _KEY_LINE.match(body) if not body[:1].isspace() else None
        if match and SECRET_KEY.search(match["key"]):
            hiding = True
            out.append(match["head"] + ("***" if match["value"].strip() else "") + ending)
            continue
        out.append(line)
    return scrub("".join(out))


def bundle(target: Path, report: Report, paths: Paths,
           files: Iterable[tuple[str, Path, bool]]) -> list[str]:
    """Zip the doctor's output, the settings files (secrets removed) and every log of the
    logs folder (each line scrubbed again; not earlier bundles, partial files, the lock file
    or hidden files: `_a_log`) into `target` (0600, written whole then renamed
    into place). Returns the names in the zip. Never a database file."""
    names: list[str] = []
    target = target.expanduser().absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(partial, "wb", opener=private_opener) as fh, \
                zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            def put(name: str, data: str) -> None:
                zf.writestr(name, data.encode("utf-8"))
                names.append(name)

            put("doctor.json", report.json_text() + "\n")
            put("doctor.txt", report.text())
            for kind, path, found in files:
                if found and path.is_file() and not _NEVER.search(path.name):
                    raw = path.read_bytes()
                    put(f"settings/{kind}-{path.name}",
                        redact_settings(raw.decode("utf-8-sig", errors="replace")
                                        if _utf8(raw) else raw.decode("gb18030", "replace")))
            logs = paths.logs
            if logs.is_dir():
                for path in sorted(p for p in logs.rglob("*") if p.is_file()):
                    if not _a_log(path, logs) or path.resolve() in (target.resolve(),
                                                                     partial.resolve()):
                        continue
                    name = "logs/" + path.relative_to(logs).as_posix()
                    info = zipfile.ZipInfo(name, time.localtime(path.stat().st_mtime)[:6])
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with zf.open(info, "w") as entry, \
                            open(path, encoding="utf-8", errors="replace") as src:
                        for line in src:
                            entry.write(scrub(line).encode("utf-8"))
                    names.append(name)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return names


# In the logs folder, not a log: an earlier bundle (or this one, written there), a file
# being written (this bundle's own partial file), the log's lock file (locked byte by byte
# on Windows, where reading it fails), anything hidden.
_NOT_A_LOG = re.compile(r"\.(?:zip|tmp|lock)$", re.IGNORECASE)


def _a_log(path: Path, logs: Path) -> bool:
    parts = path.relative_to(logs).parts
    return not (_NEVER.search(path.name) or _NOT_A_LOG.search(path.name)
                or any(part.startswith(".") for part in parts))


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
