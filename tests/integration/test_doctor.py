"""`packline doctor` run as IT runs it, a real process against real parts: a station with a
missing printer and an unreachable database reports both and exits 1; a healthy demo station
(the embedded database seeded, a folder printer) exits 0; a stalled server or printer (a
socket peer that accepts and never answers) does not hang it; the support bundle holds the
logs and no secret; a printer is asked its status, never printed to."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.store import migrate
from app.store.db import Database, make_engine
from drivers.printers.fake import FakePrinter
from tests.helpers.cli import REPO, packline, packline_env
from tests.helpers.databases import closed_port, require_pg, scratch_pg_database
from tests.helpers.old_station import old_store

PASSWORD = "Zr7pq2LmWs9x"  # the central database's, in the settings file
SESSION = "sess-6f1c0b2d9e"  # a platform session, in a key of its own


def write_ini(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "station.ini").write_text(text, encoding="utf-8")


def doctor(home: Path, *args: str, timeout: float = 120) -> tuple[int, dict[str, Any]]:
    done = packline(home, "doctor", "--json", *args, timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in report["checks"]}


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A healthy demo station: the embedded database seeded, a folder printer."""
    home = tmp_path_factory.mktemp("doctor-demo")
    write_ini(home, "[station]\ncode = ST-DOC-01\nwarehouse = HZ\n\n"
                    f"[printer:folder]\nurl = file://{home / 'prints'}\nlanguage = pdf\n"
                    "paper = a4\n\n[printers]\ndefault = folder\n")
    done = packline(home, "demo", "seed", "--orders", "20", "--seed", "3")
    assert done.returncode == 0, done.stderr
    return home


def test_a_healthy_demo_station_exits_0(demo_home: Path) -> None:
    code, report = doctor(demo_home)
    checks = by_name(report)
    assert code == 0, [c for c in report["checks"] if c["status"] != "ok"]
    assert report["ok"] is True and report["version"]
    assert set(report) == {"version", "ok", "checks"}
    for c in report["checks"]:
        assert set(c) == {"name", "status", "message", "details"}
        assert c["status"] in ("ok", "warn", "skip"), c
    for name in ("version", "settings", "central database", "schema", "station store",
                 "printer folder", "fonts", "disk"):
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["clock"]["status"] == "skip"  # the embedded database is this PC's
    assert checks["schema"]["details"]["database"] == migrate.build_revision()
    assert checks["station store"]["details"]["check"] in ("integrity_check", "quick_check")
    settings = checks["settings"]["details"]
    assert settings["keys"]["station.code"]["value"] == "ST-DOC-01"
    assert settings["keys"]["station.code"]["source"] == "machine"
    assert settings["keys"]["log.level"]["source"] == "default"
    # The text for a terminal says the same.
    done = packline(demo_home, "doctor")
    assert done.returncode == 0, done.stderr
    assert "OK: nothing the station needs is missing" in done.stdout
    assert "printer folder" in done.stdout and "FAIL" not in done.stdout


def test_a_missing_printer_and_an_unreachable_database_are_both_reported(
        tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_ini(home, f"""[station]
code = ST-DOC-02

[central]
url = postgresql+psycopg://packline@127.0.0.1:{closed_port()}/packline
connect_timeout = 2

[printer:label]
url = tcp://127.0.0.1:{closed_port()}
language = zpl
timeout = 2

[printer:slip]
url = escpos+serial:///dev/ttyPACKLINE-NOT-THERE
language = escpos
paper = 80mm

[printers]
waybill = label
slip = slip

[device:scanner]
kind = scanner
url = serial:///dev/ttyPACKLINE-NO-SCANNER?suffix=CR
""")
    code, report = doctor(home)
    checks = by_name(report)
    assert code == 1 and report["ok"] is False
    assert checks["central database"]["status"] == "fail"
    assert "cannot connect" in checks["central database"]["message"]
    assert checks["schema"]["status"] == "skip" and checks["clock"]["status"] == "skip"
    assert checks["printer label"]["status"] == "fail"
    assert "refused" in checks["printer label"]["message"]
    assert checks["printer slip"]["status"] == "fail"
    assert "ttyPACKLINE-NOT-THERE" in checks["printer slip"]["message"]
    assert checks["device scanner"]["status"] == "fail"
    # What does not depend on them is still checked.
    assert checks["fonts"]["status"] == "ok" and checks["disk"]["status"] == "ok"
    done = packline(home, "doctor")
    assert done.returncode == 1
    assert "FAIL" in done.stdout and "central database" in done.stdout


class StalledPeer:
    """Accepts every connection and never answers (a server that hangs)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept
        self.listener.close()
        self.thread.join(5)
        for conn in self.held:
            conn.close()


@pytest.fixture
def stalled() -> Iterator[StalledPeer]:
    peer = StalledPeer()
    yield peer
    peer.close()


def test_a_stalled_server_and_printer_do_not_hang_it(tmp_path: Path,
                                                     stalled: StalledPeer) -> None:
    home = tmp_path / "home"
    write_ini(home, f"""[central]
url = postgresql+psycopg://packline@127.0.0.1:{stalled.port}/packline
connect_timeout = 2

[printer:label]
url = tcp://127.0.0.1:{stalled.port}
language = zpl
timeout = 2
""")
    # It finishes (the process is not killed by the timeout) and says what did not answer.
    code, report = doctor(home, timeout=90)
    checks = by_name(report)
    assert code == 1
    assert checks["central database"]["status"] == "fail"
    assert checks["printer label"]["status"] == "fail"
    assert "no reply" in checks["printer label"]["message"]
    assert stalled.held  # both were reached and held


def test_a_printer_is_asked_never_printed_to(tmp_path: Path) -> None:
    with FakePrinter(language="zpl") as online, FakePrinter(language="zpl") as empty:
        empty.paper_out(True)
        home = tmp_path / "home"
        write_ini(home, f"""[printer:label]
url = {online.url}
language = zpl

[printer:spare]
url = {empty.url}
language = zpl
""")
        code, report = doctor(home)
        checks = by_name(report)
        assert checks["printer label"]["status"] == "ok", checks["printer label"]
        assert checks["printer label"]["details"]["status"] == "online"
        assert checks["printer spare"]["status"] == "warn"  # there, but out of paper
        assert "paper out" in checks["printer spare"]["message"]
        assert online.jobs == [] and empty.jobs == [] and empty.unprinted == []
        # A station with no database yet (never started) only warns: nothing is missing.
        assert checks["station store"]["status"] == "warn"
        assert code == 0


def test_the_bundle_holds_the_logs_and_no_secret(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_ini(home, f"""[station]
code = ST-DOC-03

[central]
url = postgresql+psycopg://packline:{PASSWORD}@127.0.0.1:{closed_port()}/packline
connect_timeout = 2
""")
    logs = home / "logs"
    logs.mkdir(parents=True)
    # Rotated files, one written by a Packline that did not blank what it logged.
    (logs / "packline.log.1").write_text(
        f"2026-11-11 08:00:00 INFO packline.cli: central database "
        f"postgresql+psycopg://packline:{PASSWORD}@db/packline\n", encoding="utf-8")
    (logs / "packline.log.2").write_text("2026-11-10 08:00:00 INFO packline: older\n",
                                         encoding="utf-8")
    (logs / "packline.log").write_text("2026-11-11 09:00:00 INFO packline: now\n",
                                       encoding="utf-8")
    target = tmp_path / "support" / "bundle.zip"
    done = packline(home, "doctor", "--bundle", str(target), timeout=120)
    assert done.returncode == 1, done.stderr  # the database cannot be reached
    assert "support bundle" in done.stderr
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        contents = {n: zf.read(n) for n in names}
    assert {"doctor.json", "doctor.txt", "settings/machine-station.ini", "logs/packline.log",
            "logs/packline.log.1", "logs/packline.log.2"} <= set(names)
    assert not any(n.endswith((".db", ".db-wal", ".db-shm")) for n in names)
    for name, data in contents.items():
        assert PASSWORD.encode() not in data, name
    settings = contents["settings/machine-station.ini"].decode()
    assert "packline:***@127.0.0.1" in settings and "code = ST-DOC-03" in settings
    assert "older" in contents["logs/packline.log.2"].decode()
    assert json.loads(contents["doctor.json"])["ok"] is False
    assert target.stat().st_mode & 0o077 == 0  # its owner's alone, like the logs


def test_a_broken_settings_file_is_one_failed_check_and_still_bundled(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_ini(home, f"""[station]
kind = robot

[central]
url = postgresql+psycopg://packline:{PASSWORD}@db/packline

[scan]
session_token = {SESSION}
    {SESSION}-continued
""")
    target = tmp_path / "bundle.zip"
    done = packline(home, "doctor", "--json", "--bundle", str(target))
    assert done.returncode == 1, done.stderr
    checks = by_name(json.loads(done.stdout))
    assert checks["settings"]["status"] == "fail"
    assert checks["fonts"]["status"] == "ok"  # what needs no settings is still checked
    with zipfile.ZipFile(target) as zf:
        settings = zf.read("settings/machine-station.ini").decode()
        everything = b"".join(zf.read(n) for n in zf.namelist())
    assert PASSWORD.encode() not in everything and SESSION.encode() not in everything
    assert "session_token = ***" in settings


@pytest.mark.pg
def test_a_server_at_another_schema_fails_and_its_clock_is_compared(tmp_path: Path) -> None:
    require_pg()
    with scratch_pg_database("doctor") as url:
        db = Database(make_engine(url))
        try:
            migrate.upgrade(db.bind)
            home = tmp_path / "home"
            write_ini(home, "[central]\nconnect_timeout = 5\n")
            done = packline(home, "doctor", "--json", central_url=url)
            checks = by_name(json.loads(done.stdout))
            assert checks["central database"]["status"] == "ok", checks["central database"]
            assert checks["schema"]["status"] == "ok"
            assert checks["clock"]["status"] == "ok"  # the same machine's server
            assert abs(checks["clock"]["details"]["skew_s"]) < 5
            with db.bind.begin() as conn:  # type: ignore[union-attr]
                conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099_newer'"))
            done = packline(home, "doctor", "--json", central_url=url)
            assert done.returncode == 1
            schema = by_name(json.loads(done.stdout))["schema"]
            assert schema["status"] == "fail" and schema["details"]["kind"] == "ahead"
            assert "0099_newer" in schema["message"]
            assert migrate.build_revision() in schema["message"]
        finally:
            db.dispose()


def test_each_key_says_which_layer_gave_it(tmp_path: Path) -> None:
    """The machine-wide file, the person's own, the environment and a --set flag, each
    named as the source of the keys it set; the rest at Packline's defaults."""
    home = tmp_path / "home"
    write_ini(home, "[station]\ncode = ST-DOC-04\nname = 杭州仓 打包台 4\n")
    write_ini(home / "user", "[ui]\ntheme = dark\n")
    done = packline(home, "--set", "dashboard.reserve=20", "doctor", "--json",
                    env={"PACKLINE_LOG_LEVEL": "DEBUG"})
    report = json.loads(done.stdout)
    settings = by_name(report)["settings"]
    keys = settings["details"]["keys"]
    assert [(f["kind"], f["found"]) for f in settings["details"]["files"]] == [
        ("machine", True), ("user", True)]
    assert keys["station.code"]["source"] == "machine"
    assert keys["station.name"]["value"] == "杭州仓 打包台 4"
    assert keys["ui.theme"] == {"value": "dark", "source": "user",
                                "path": str(home / "user" / "station.ini"),
                                "detail": keys["ui.theme"]["detail"]}
    assert keys["log.level"]["source"] == "env"
    assert keys["log.level"]["detail"] == "PACKLINE_LOG_LEVEL"
    assert keys["dashboard.reserve"]["source"] == "flag" and keys["dashboard.reserve"][
        "value"] == 20
    assert keys["dashboard.refresh"]["source"] == "default"
    text = packline(home, "--set", "dashboard.reserve=20", "doctor").stdout
    assert "[ui] theme = dark" in text and "[dashboard] reserve = 20" in text


def test_an_older_store_left_with_events_to_send_is_a_warning(tmp_path: Path) -> None:
    """An older Packline's per-person store still holding events, beside the machine's own
    store: left where it is, and `packline doctor` says where, how many and how to send."""
    env = packline_env(tmp_path / "unused")
    del env["PACKLINE_HOME"]
    env.update(XDG_DATA_DIRS=str(tmp_path / "share"), XDG_CONFIG_DIRS=str(tmp_path / "etc"),
               XDG_DATA_HOME=str(tmp_path / "person" / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "person" / "config"))
    machine = tmp_path / "share" / "Packline"
    machine.mkdir(parents=True)
    import sqlite3

    sqlite3.connect(machine / "station.db").close()
    old = tmp_path / "person" / "data" / "Packline"
    old_store(old, sent=1, waiting=4)
    (old / "station.ini").write_text("[station]\ncode = ST-OLD\n", encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              encoding="utf-8", timeout=120)

    done = run("doctor", "--json")
    assert "Traceback" not in done.stderr, done.stderr
    settings = by_name(json.loads(done.stdout))["settings"]
    assert settings["status"] == "warn", settings
    assert settings["details"]["left_behind"] == {"folder": str(old), "events": 4}
    assert "still holds 4 event(s)" in settings["message"]
    assert f'packline --home "{old}" sync once' in settings["message"]
    assert (old / "station.db").is_file() and (old / "station.ini").is_file()  # read only
    run("sync", "status")  # a start of the station: the log says it too
    assert (old / "station.db").is_file() and (old / "station.ini.before-machine").is_file()
    log = (machine / "logs" / "packline.log").read_text(encoding="utf-8")
    assert "WARNING" in log and "still holds 4 event(s)" in log, log
    # IT sends them from there, as the warning says (the central database here: embedded).
    central = tmp_path / "central.db"
    (old / "station.ini").write_text(
        (old / "station.ini.before-machine").read_text(encoding="utf-8")
        + f"[central]\nurl = sqlite:///{central}\n", encoding="utf-8")
    env_old = {**env, "PACKLINE_USER": "packer01", "PACKLINE_PASSWORD": "packer123"}
    seeded = subprocess.run([sys.executable, "-m", "app", "--home", str(old), "demo", "seed",
                             "--orders", "1"], cwd=REPO, env=env_old, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    sent = subprocess.run([sys.executable, "-m", "app", "--home", str(old), "sync", "once"],
                          cwd=REPO, env=env_old, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert json.loads(sent.stdout)["outbox"] == 0, sent.stderr
    # The next start puts the old store aside, and the doctor has nothing more to say of it.
    run("sync", "status")
    done = run("doctor", "--json")
    settings = by_name(json.loads(done.stdout))["settings"]
    assert "left_behind" not in settings["details"], settings
    assert not (old / "station.db").exists() and (old / "station.db.before-machine").is_file()


# Where the tests run as root (CI), a process started without root's power over files
# (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER dropped from its bounding set, so the
# program it runs never has them) stands for a station's account: a folder of mode 000 is
# closed to it as a folder root made is closed to a station's account.
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0
                             or not sys.platform.startswith("linux"),
                             reason="acts as root and as an account without its powers")
PR_CAPBSET_DROP = 24
FILE_POWERS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _as_station_account() -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in FILE_POWERS:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def machine_env(top: Path) -> dict[str, str]:
    env = packline_env(top / "unused", drop=("XDG_DATA_HOME", "XDG_CONFIG_HOME"))
    del env["PACKLINE_HOME"]
    env.update(XDG_DATA_DIRS=str(top / "share"), XDG_CONFIG_DIRS=str(top / "etc"),
               HOME=str(top / "home"))
    return env


def run_as(env: dict[str, str], *args: str, station_account: bool = False
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          encoding="utf-8", timeout=120,
                          preexec_fn=_as_station_account if station_account else None)


def tree(top: Path) -> dict[str, tuple[int, bytes | None]]:
    return {str(p.relative_to(top)): (p.stat().st_mode,
                                      p.read_bytes() if p.is_file() else None)
            for p in sorted(top.rglob("*"))}


def test_the_doctor_writes_nothing_of_the_station(tmp_path: Path) -> None:
    """IT runs `packline doctor` (as root, as often as not) after installing: it makes no
    folder, no log, and does not rewrite an older settings file, whose keys it still reads;
    whatever it made would be root's and closed to the station's account."""
    config = tmp_path / "etc" / "Packline"
    config.mkdir(parents=True)
    (tmp_path / "share").mkdir()
    (tmp_path / "home").mkdir()
    older = "[station]\ncode = ST-ROOT\n\n[ui]\npage_size = 50\n"  # settings version 1
    (config / "station.ini").write_text(older, encoding="utf-8")
    before = tree(tmp_path)
    done = run_as(machine_env(tmp_path), "doctor", "--json")
    assert "Traceback" not in done.stderr, done.stderr
    checks = by_name(json.loads(done.stdout))
    assert checks["settings"]["details"]["keys"]["station.code"]["value"] == "ST-ROOT"
    assert tree(tmp_path) == before  # nothing made, nothing rewritten


@as_root
def test_a_data_folder_this_account_may_not_enter_is_passed_over_not_a_crash(
        tmp_path: Path) -> None:
    """The machine's data folder another account made and keeps closed (root's, made by a
    root-run command): the station's account falls back to its own folder and says why."""
    made = tmp_path / "share" / "Packline"
    (made / "logs").mkdir(parents=True)
    (made / "logs" / ".__packline.lock").write_bytes(b"")
    made.chmod(0o000)
    (tmp_path / "home").mkdir()
    env = machine_env(tmp_path)
    done = run_as(env, "doctor", "--json", station_account=True)
    assert "Traceback" not in done.stderr, done.stderr
    settings = by_name(json.loads(done.stdout))["settings"]
    assert settings["status"] == "warn" and "cannot be used" in settings["message"], settings
    assert settings["details"]["data_folder"].startswith(str(tmp_path / "home"))
    listed = run_as(env, "devices", "list", station_account=True)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    assert (tmp_path / "home" / ".local" / "share" / "Packline" / "logs" / "packline.log"
            ).is_file()


@as_root
def test_a_log_folder_this_account_may_not_open_is_said_once_not_a_crash(
        tmp_path: Path) -> None:
    """A station whose logs/ another account made and keeps closed: the command works, its
    warnings go to stderr, and one line says why."""
    home = tmp_path / "station"
    (home / "logs").mkdir(parents=True)
    (home / "logs" / ".__packline.lock").write_bytes(b"")
    (home / "logs").chmod(0o000)
    env = {**machine_env(tmp_path), "PACKLINE_HOME": str(home)}
    done = run_as(env, "devices", "list", station_account=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("cannot write the station's log") == 1, done.stderr
    assert "logging to stderr only" in done.stderr
