"""The order engine as a Windows service (`app/winservice.py`, `packline service`).

Windows' service control manager and pywin32 do not exist here, so the Windows side is kept
correct by reading; what can run here runs: the command refuses in words on Linux (exit 2,
nothing touched), the modules import without pywin32, the service's token is found where the
service looks, and the service class — built on a stand-in for pywin32's `ServiceFramework`
that records what the service reports — runs the real engine against a real embedded
database until it is asked to stop, then stops cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import winservice
from tests.helpers.cli import REPO, packline, packline_env

pytestmark = pytest.mark.timeout(300)


@pytest.mark.parametrize("action", [("install",), ("install", "--token-stdin"), ("remove",),
                                    ("start",), ("stop",), ("debug",), ("run",)])
def test_the_service_command_is_windows_only_and_says_so(tmp_path: Path,
                                                         action: tuple[str, ...]) -> None:
    home = tmp_path / "station"
    done = packline(home, "service", *action, stdin="PLT-ABC\n")
    assert done.returncode == 2, done.stderr
    assert "only on Windows" in done.stderr and "packline engine run" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert not home.exists()  # no station folder made, no settings read


def test_an_unknown_action_or_a_token_option_elsewhere_is_refused(tmp_path: Path) -> None:
    for args in (("service", "pause"), ("service", "start", "--token-stdin"),
                 ("service", "install", "--token", "PLT-X")):
        done = packline(tmp_path, *args)
        assert done.returncode == 2, (args, done.stderr)


def test_linux_imports_the_service_modules_without_pywin32() -> None:
    code = (
        "import sys\n"
        "import app.winservice as w, app.cli.service, app.cli.main\n"
        "assert w.SERVICE_NAME == 'PacklineEngine' and callable(w.service_class)\n"
        "for name in ('host', 'install', 'remove', 'start', 'stop', 'debug'):\n"
        "    assert callable(getattr(w, name)), name\n"
        "try:\n"
        "    w.service_class()\n"
        "except ImportError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('pywin32 on Linux?')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('win32serviceutil', "
        "'win32service', 'servicemanager', 'pywintypes', 'win32print', 'PySide6'))\n"
        "assert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_token_comes_from_the_environment_else_the_token_file(tmp_path: Path) -> None:
    kept = tmp_path / "engine.token"
    with pytest.raises(winservice.ServiceRefused, match="--token-stdin"):
        winservice.read_token({}, kept)
    kept.write_text("\ufeffPLT-FILE\r\n", encoding="utf-8")  # Notepad's BOM and line end
    assert winservice.read_token({}, kept) == "PLT-FILE"
    assert winservice.read_token({"PACKLINE_TOKEN": " PLT-ENV "}, kept) == "PLT-ENV"
    with pytest.raises(winservice.ServiceRefused, match="one word"):
        winservice.store_token("PLT-A PLT-B", tmp_path / "x.token")
    assert not (tmp_path / "x.token").exists()
    assert winservice.token_path().name == "engine.token"


# The service class over stand-ins for pywin32's modules, driven as Windows would: started on
# a thread of its own (SvcDoRun), stopped from another (SvcStop) once the queue is empty.
SERVICE_RUN = r"""
import json, sys, threading, time, types
from pathlib import Path

reported, logged = [], []

class ServiceFramework:
    def __init__(self, args):
        self.args = args
    def ReportServiceStatus(self, status, waitHint=5000, win32ExitCode=0, svcExitCode=0):
        reported.append([status, waitHint])

def module(name, **attrs):
    made = types.ModuleType(name)
    made.__dict__.update(attrs)
    sys.modules[name] = made

module("win32serviceutil", ServiceFramework=ServiceFramework)
module("win32service", SERVICE_STOP_PENDING=3)
module("servicemanager", EVENTLOG_INFORMATION_TYPE=4, PYS_SERVICE_STARTED=0x40000001,
       PYS_SERVICE_STOPPED=0x40000002, LogMsg=lambda *a: logged.append(a[1]))

from sqlalchemy import func, select
from app import winservice
from app.store.db import Database
from app.store.models import Order

home = Path(sys.argv[1])
cls = winservice.service_class()
service = cls([winservice.SERVICE_NAME])
service.loop = winservice.EngineLoop(home, interval=0.2)
db = Database.from_url(f"sqlite:///{home / 'station.db'}")
def waiting():
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(Order).where(Order.status == "new"))
before = waiting()
failed = []
def run():
    try:
        service.SvcDoRun()
    except BaseException as exc:
        failed.append(repr(exc))
worker = threading.Thread(target=run)
worker.start()
deadline = time.monotonic() + 120
while not failed and (not service.loop.started.is_set() or waiting()) \
        and time.monotonic() < deadline:
    service.loop.started.wait(0.1)
left = waiting()
service.SvcStop()
worker.join(60)
print(json.dumps({"name": cls._svc_name_, "display": cls._svc_display_name_,
                  "before": before, "left": left, "alive": worker.is_alive(), "failed": failed,
                  "reported": reported, "logged": logged}))
"""


def _seeded(home: Path) -> str:
    """An embedded station database with demo orders waiting, and the engine's service
    account; its token."""
    done = packline(home, "demo", "seed", "--orders", "40", "--seed", "3")
    assert done.returncode == 0, done.stderr
    made = packline(home, "users", "service", "add", "svc-engine", "--name", "订单引擎",
                    "--role", "shift_lead", as_user="admin")
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_the_service_runs_the_engine_until_windows_stops_it(tmp_path: Path) -> None:
    home = tmp_path / "station"
    token = _seeded(home)
    env = packline_env(home, token=token)
    done = subprocess.run([sys.executable, "-c", SERVICE_RUN, str(home)], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["failed"] == [] and not result["alive"]
    assert result["before"] > 0 and result["left"] == 0  # the engine took every new order
    assert (result["name"], result["display"]) == ("PacklineEngine", "Packline order engine")
    assert result["reported"] == [[3, winservice.STOP_WAIT_MS]]  # STOP_PENDING, then stopped
    assert result["logged"] == [0x40000001, 0x40000002]
    log = (home / "logs" / "packline.log").read_text(encoding="utf-8")
    assert "engine service running as svc-engine" in log and "engine service stopped" in log
    assert token not in log


def test_the_service_without_a_token_stops_saying_why(tmp_path: Path) -> None:
    home = tmp_path / "station"
    _seeded(home)
    env = packline_env(home, env={"PACKLINE_TOKEN": ""})
    code = ("import sys\nfrom pathlib import Path\nfrom app import winservice\n"
            "loop = winservice.EngineLoop(Path(sys.argv[1]), token_file=Path(sys.argv[2]))\n"
            "try:\n    loop.run()\nexcept winservice.ServiceRefused as exc:\n"
            "    print(exc)\nelse:\n    raise AssertionError('ran without a token')\n")
    done = subprocess.run([sys.executable, "-c", code, str(home), str(tmp_path / "none")],
                          cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "PACKLINE_TOKEN" in done.stdout and "--token-stdin" in done.stdout
    log = (home / "logs" / "packline.log").read_text(encoding="utf-8")
    assert "the engine service could not start" in log


def test_the_service_refuses_a_database_a_newer_packline_migrated_in_words(
        tmp_path: Path) -> None:
    """The embedded database at a revision this build does not know: the service stops with
    the schema refusal, before upgrading or logging in, and leaves the database as it is."""
    import sqlite3

    home = tmp_path / "station"
    token = _seeded(home)
    future = "0099_from_a_newer_packline"
    con = sqlite3.connect(home / "station.db")
    try:
        with con:
            con.execute("UPDATE alembic_version SET version_num = ?", (future,))
    finally:
        con.close()
    code = ("import sys\nfrom pathlib import Path\nfrom app import winservice\n"
            "from app.services.schema import SchemaRefused\n"
            "loop = winservice.EngineLoop(Path(sys.argv[1]))\n"
            "try:\n    loop.run()\nexcept SchemaRefused as exc:\n"
            "    print(exc.code, exc)\nelse:\n    raise AssertionError('ran')\n")
    done = subprocess.run([sys.executable, "-c", code, str(home)], cwd=REPO,
                          env=packline_env(home, token=token), capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("schema.station_too_old"), done.stdout
    assert future in done.stdout and "a newer Packline upgraded it" in done.stdout
    con = sqlite3.connect(home / "station.db")
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(future,)]
    finally:
        con.close()


# ---- the service's account, its folders and its token: Windows' tools (icacls.exe, sc.exe)
# stood in for by real programs of those names on PATH, which record each call and whether the
# token file existed when they ran.

TOOL = """#!{python}
import json, os, sys
from pathlib import Path
name = Path(sys.argv[0]).name
watched = Path(os.environ["TOOL_WATCH"])
with open(os.environ["TOOL_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps([name, sys.argv[1:], watched.exists()]) + "\\n")
if os.environ.get("TOOL_FAILS") == name:
    print("Access is denied.", file=sys.stderr)
    sys.exit(5)
"""


@pytest.fixture
def windows_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """icacls.exe and sc.exe stand-ins first on PATH; the machine's folders under tmp_path
    (platformdirs' site folders follow XDG_CONFIG_DIRS / XDG_DATA_DIRS here). The calls'
    record: tmp_path / "tools.log"."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("icacls.exe", "sc.exe"):
        tool = bin_dir / name
        tool.write_text(TOOL.format(python=sys.executable), encoding="utf-8")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "share"))
    monkeypatch.delenv("PACKLINE_HOME", raising=False)
    monkeypatch.setenv("TOOL_LOG", str(tmp_path / "tools.log"))
    monkeypatch.setenv("TOOL_WATCH", str(winservice.token_path()))
    return tmp_path / "tools.log"


def _calls(log: Path) -> list[list[object]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_the_token_lives_in_a_folder_of_its_own_beside_the_settings(
        windows_tools: Path, tmp_path: Path) -> None:
    settings = tmp_path / "etc" / "Packline"
    assert winservice.machine_settings_dir() == settings
    assert winservice.token_path() == settings / "service" / "engine.token"
    assert winservice.old_token_path() == settings / "engine.token"
    assert winservice.machine_data_dir() == tmp_path / "share" / "Packline"
    assert winservice.SERVICE_ACCOUNT == "NT SERVICE\\PacklineEngine"
    assert winservice.system_tool("icacls.exe") == "icacls.exe"  # (System32's on Windows)


def test_the_tokens_folder_is_made_private_before_the_token_is_written(
        windows_tools: Path) -> None:
    path = winservice.token_path()
    path.parent.mkdir(parents=True)
    path.write_text("PLT-PLANTED\n", encoding="ascii")  # left there by someone else
    assert winservice.store_token(" PLT-NEW ") == path
    calls = _calls(windows_tools)
    folder = str(path.parent)
    assert calls == [
        ["icacls.exe", [folder, "/setowner", "*S-1-5-32-544"], True],
        ["icacls.exe", [folder, "/inheritance:r", "/grant:r", "*S-1-5-18:(OI)(CI)F",
                        "*S-1-5-32-544:(OI)(CI)F", "NT SERVICE\\PacklineEngine:(OI)(CI)RX"],
         True],
    ]
    # The file there before was removed, and the token written into a file made anew.
    assert path.read_text(encoding="ascii") == "PLT-NEW\n"
    assert winservice.read_token({}, path) == "PLT-NEW"


def test_a_token_is_never_written_where_the_folder_could_not_be_made_private(
        windows_tools: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TOOL_FAILS", "icacls.exe")
    with pytest.raises(winservice.ToolFailed, match=r"icacls\.exe .*exit 5.*Access is denied"):
        winservice.store_token("PLT-NEW")
    assert not winservice.token_path().exists()
    # A link planted where the folder goes is refused before anything is run.
    monkeypatch.delenv("TOOL_FAILS")
    windows_tools.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    winservice.token_path().parent.rmdir()
    winservice.token_path().parent.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(winservice.ServiceRefused, match="link or a junction"):
        winservice.store_token("PLT-NEW")
    assert _calls(windows_tools) == [] and list(elsewhere.iterdir()) == []


def test_install_sets_recovery_for_every_failure_and_the_accounts_folders(
        windows_tools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = winservice.old_token_path()
    old.parent.mkdir(parents=True)
    old.write_text("PLT-OLDPLACE\n", encoding="ascii")  # an earlier Packline's
    said = winservice.configure()
    calls = _calls(windows_tools)
    data = str(tmp_path / "share" / "Packline")
    assert calls[:3] == [
        ["sc.exe", ["failure", "PacklineEngine", "reset=", "86400", "actions=",
                    "restart/60000/restart/60000/restart/60000"], False],
        ["sc.exe", ["failureflag", "PacklineEngine", "1"], False],
        ["icacls.exe", [data, "/grant", "NT SERVICE\\PacklineEngine:(OI)(CI)M"], False],
    ]
    # The token's folder made private while no token was in it; then the token written.
    assert [(c[1][1], c[2]) for c in calls[3:]] == [("/setowner", False),
                                                    ("/inheritance:r", False)]
    assert winservice.read_token({}, winservice.token_path()) == "PLT-OLDPLACE"
    assert not old.exists()  # moved into the private folder
    assert any("restarted by Windows" in line for line in said)

    # sc.exe failing stops the install there, saying so (exit 1 from the command).
    monkeypatch.setenv("TOOL_FAILS", "sc.exe")
    with pytest.raises(winservice.ToolFailed, match=r"sc\.exe failure PacklineEngine"):
        winservice.configure("PLT-OTHER")
    assert winservice.read_token({}, winservice.token_path()) == "PLT-OLDPLACE"


def test_the_service_reads_its_settings_from_its_own_environment(tmp_path: Path) -> None:
    """The service's environment (its registry key on Windows), not the process's, gives its
    settings: a bad value there is refused naming its variable, nothing made."""
    from app.config import SettingsError

    home = tmp_path / "station"
    loop = winservice.EngineLoop(home, environ={"PACKLINE_CENTRAL_CONNECT_TIMEOUT": "0"})
    with pytest.raises(SettingsError) as refused:
        loop.run()
    assert refused.value.origin is not None
    assert refused.value.origin.detail == "PACKLINE_CENTRAL_CONNECT_TIMEOUT"
    assert not home.exists()
