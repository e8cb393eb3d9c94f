"""The order engine as a Windows service, `PacklineEngine` ("Packline order engine"): the same
loop as `packline engine run` (`app.services.engine.run_forever`), started by Windows at boot
on the PC that keeps the queue moving, stopped cleanly when Windows asks.

It is hosted by the installed console executable, `packline-console.exe service run` (which
`packline service install` registers; Windows starts it with no terminal and no user logged
in). The rest of `packline service` (install, remove, start, stop, debug) is IT's: see
docs/packaging.md. pywin32 (`win32serviceutil`, `win32service`, `servicemanager`) is imported
only inside the functions that use it, so this module imports everywhere; only Windows runs
the service.

Who the service runs as: its own virtual account `NT SERVICE\\PacklineEngine`, not
LocalSystem. The machine's folder (`C:\\ProgramData\\Packline`) is one every user of the
station may change (the store, the logs, the prints), so the service must not be an account
that a link planted there, or a settings file changed there, could turn against the whole PC:
the virtual account may change that folder and read the settings, nothing more (`install`
grants it exactly that).

Who the engine acts as: a service account (`packline users service add … --role shift_lead`)
whose token the service reads from `PACKLINE_TOKEN` in its environment, else from the file
`service\\engine.token` in the machine-wide settings folder. `packline service install
--token-stdin` keeps it there: the `service` folder is first made the Administrators' own,
readable by SYSTEM, the Administrators and the service's account only, nothing inherited from
the folder above; only then is the token file created in it (so it is never, even for a
moment, open to the station's users). Its settings and logs are the station's own
(`load_config`, as every command), so the service logs where the station does; a stop is
logged, and a failure to start (no token, a central database out of reach) too, before the
service stops with an error for Windows to restart it (the recovery actions `install` sets,
for a crash and for a stop with an error alike).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SERVICE_NAME = "PacklineEngine"
DISPLAY_NAME = "Packline order engine"
DESCRIPTION = ("Packline's order engine: validates, reviews and routes the orders waiting in "
               "the central database, and keeps the exception queue and the platforms' work "
               "moving (packline engine run).")
TOKEN_FILE = "engine.token"
SERVICE_FOLDER = "service"  # the token's folder, in the machine-wide settings folder
# The service's own virtual account: Windows makes it with the service, needs no password.
SERVICE_ACCOUNT = f"NT SERVICE\\{SERVICE_NAME}"
STOP_WAIT_MS = 60_000  # a batch in flight finishes before the engine stops
# Windows restarts a service that stopped with an error: after 1 minute, three times a day.
RECOVERY = ["reset=", "86400", "actions=", "restart/60000/restart/60000/restart/60000"]
# SYSTEM and the Administrators group by their SIDs (a Chinese Windows names them otherwise).
SYSTEM = "*S-1-5-18"
ADMINISTRATORS = "*S-1-5-32-544"

log = logging.getLogger("packline.engine")


class ServiceRefused(ValueError):
    """What `packline service` will not do, said in words (exit 2)."""


class ToolFailed(RuntimeError):
    """A Windows tool (`sc.exe`, `icacls.exe`) that failed, said in words (exit 1)."""


def machine_settings_dir() -> Path:
    """The machine-wide settings folder IT deploys to (`C:\\ProgramData\\Packline` on
    Windows)."""
    import platformdirs

    return Path(platformdirs.site_config_dir("Packline", appauthor=False))


def machine_data_dir() -> Path:
    """The machine-wide data folder (the station's store, logs, prints:
    `C:\\ProgramData\\Packline` on Windows)."""
    import platformdirs

    return Path(platformdirs.site_data_dir("Packline", appauthor=False))


def token_path() -> Path:
    """Where the service keeps its token: `service\\engine.token` in the machine-wide
    settings folder, a folder none of the station's users may open."""
    return machine_settings_dir() / SERVICE_FOLDER / TOKEN_FILE


def old_token_path() -> Path:
    """Where an earlier Packline kept the token (beside station.ini): moved by `install`."""
    return machine_settings_dir() / TOKEN_FILE


def read_token(environ: Mapping[str, str] | None = None, path: Path | None = None) -> str:
    """The engine's service-account token: `PACKLINE_TOKEN`, else the token file."""
    environ = os.environ if environ is None else environ
    token = environ.get("PACKLINE_TOKEN", "").strip()
    if token:
        return token
    path = token_path() if path is None else path
    try:
        token = path.read_text(encoding="utf-8-sig").strip()
    except FileNotFoundError:
        token = ""
    except OSError as exc:
        raise ServiceRefused(f"the engine's token file {path} cannot be read: {exc}") from exc
    if not token:
        raise ServiceRefused(
            f"the engine has no service account token: set PACKLINE_TOKEN for the service, or "
            f"give it once with `packline-console.exe service install --token-stdin` "
            f"(kept in {path})")
    return token


def system_tool(name: str) -> str:
    """A Windows tool (`icacls.exe`, `sc.exe`) by its full path in System32, never one found
    first in the current folder or on PATH. Elsewhere (the tests) the name, found on PATH."""
    if sys.platform == "win32":
        root = os.environ.get("SYSTEMROOT") or "C:\\Windows"
        return str(Path(root) / "System32" / name)
    return name


def run_tool(name: str, *args: str) -> None:
    """Run a Windows tool; its failure (a non-zero exit) is refused in words."""
    command = [system_tool(name), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ToolFailed(f"could not run {name}: {exc}") from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout or "").strip()
        raise ToolFailed(f"{name} {' '.join(args)} failed (exit {done.returncode})"
                             + (f": {said}" if said else ""))


def _is_link(path: Path) -> bool:
    """A symbolic link or a junction (any reparse point), which a user may have planted."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return False
    reparse = getattr(found, "st_file_attributes", 0) & 0x400  # FILE_ATTRIBUTE_REPARSE_POINT
    return path.is_symlink() or bool(reparse)


def private_folder(folder: Path, service_account: bool = True) -> Path:
    """Make `folder` (or take it back, when a user made it first) the Administrators' own,
    with only SYSTEM, the Administrators and — when it exists — the service's account let in
    (read), nothing inherited from the folder above; before anything secret goes into it."""
    if _is_link(folder):
        raise ServiceRefused(f"{folder} is a link or a junction, not a folder: remove it "
                             "(rmdir) and install again")
    folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir() or _is_link(folder):
        raise ServiceRefused(f"{folder} is not a folder")
    run_tool("icacls.exe", str(folder), "/setowner", ADMINISTRATORS)
    readers = [f"{SERVICE_ACCOUNT}:(OI)(CI)RX"] if service_account else []
    run_tool("icacls.exe", str(folder), "/inheritance:r", "/grant:r",
             f"{SYSTEM}:(OI)(CI)F", f"{ADMINISTRATORS}:(OI)(CI)F", *readers)
    return folder


def store_token(token: str, path: Path | None = None, *, service_account: bool = True) -> Path:
    """Keep the token where the service reads it: its folder is made private first
    (`private_folder`), then whatever lies at the token's name is removed (a file a user may
    have put there before) and the token file created anew inside the private folder, whose
    access it inherits — readable by SYSTEM, the Administrators and the service only."""
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise ServiceRefused("the token is one word (PLT-…), as `packline users service add` "
                             "printed it")
    path = token_path() if path is None else path
    private_folder(path.parent, service_account)
    if _is_link(path) or path.is_dir():
        raise ServiceRefused(f"{path} is not a file: remove it and install again")
    path.unlink(missing_ok=True)
    with open(path, "x", encoding="ascii") as kept:  # never an existing file
        kept.write(token + "\n")
    return path


def configure(token: str | None = None) -> list[str]:
    """What `install` does once the service is registered (its account then exists): restart
    after a failure, a crash or a stop with an error alike (`sc.exe failure`, `failureflag`);
    the service's account may change the station's data folder; its token kept (the one given,
    else one an earlier Packline kept beside station.ini, moved). Each step checked; what was
    done, in words."""
    done = []
    run_tool("sc.exe", "failure", SERVICE_NAME, *RECOVERY)
    run_tool("sc.exe", "failureflag", SERVICE_NAME, "1")
    done.append("restarted by Windows after a failure")
    folders = [machine_data_dir()]
    home = os.environ.get("PACKLINE_HOME", "").strip()
    if home:
        folders.append(Path(home).expanduser())
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        run_tool("icacls.exe", str(folder), "/grant", f"{SERVICE_ACCOUNT}:(OI)(CI)M")
        done.append(f"{SERVICE_ACCOUNT} may change {folder}")
    old = old_token_path()
    if token is None and old.is_file() and not _is_link(old):
        token = old.read_text(encoding="utf-8-sig").strip() or None
    if token is not None:
        done.append(f"the engine's token kept in {store_token(token)}")
    else:
        private_folder(token_path().parent)  # an upgrade: the service's account may read it
    if old.is_file() and token_path().is_file():
        old.unlink()
        done.append(f"the token beside the settings removed ({old})")
    return done


# ---- what the service runs


class EngineLoop:
    """`packline engine run` until `stop()`: the settings, the log, the central database and
    the service account's login, then `engine.run_forever` with a stop it checks between
    batches (and after each empty-queue wait of `interval` seconds)."""

    def __init__(self, home: Path | None = None, *, environ: Mapping[str, str] | None = None,
                 token_file: Path | None = None, interval: float = 2.0) -> None:
        self.home = home
        self.environ = environ
        self.token_file = token_file
        self.interval = interval
        self._stop = threading.Event()
        self.started = threading.Event()  # logged in and running the loop

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        from app.config import load_config, secure_station
        from app.domain.roles import Permission
        from app.logs import setup_logging
        from app.services import access, auth, engine, schema
        from app.store import migrate
        from app.store.db import Database

        environ = os.environ if self.environ is None else self.environ
        home = self.home
        if home is None and environ.get("PACKLINE_HOME", "").strip():
            home = Path(environ["PACKLINE_HOME"]).expanduser()
        cfg = load_config(home, environ=environ)
        setup_logging(cfg)
        secure_station(cfg)
        try:
            token = read_token(self.environ, self.token_file)
            db = Database.from_url(cfg.central_url, **cfg.database_options)
            # A database this build cannot work with (a newer Packline migrated it) is
            # refused in words before anything upgrades it or logs in there.
            schema.require(db, embedded=cfg.embedded)
            if cfg.embedded:
                migrate.upgrade(db.bind)
            actor = access.check(db, auth.login_token(db, token, cfg.settings.station.code),
                                 Permission.RUN_ENGINE)
        except Exception:
            log.exception("the engine service could not start")
            raise
        log.info("engine service running as %s at %s", actor.code, cfg.settings.station.code)
        self.started.set()
        try:
            engine.run_forever(db, actor, interval=self.interval, stop=self._stop.is_set,
                               pull_every=cfg.settings.channels.pull_every,
                               confirm_per_second=cfg.settings.channels.confirm_per_second)
        except Exception:
            log.exception("the engine service stopped on an error")
            raise
        finally:
            db.dispose()
        log.info("engine service stopped")


def service_class() -> type:
    """The pywin32 service class (made on first use: its base class is pywin32's)."""
    import servicemanager
    import win32service
    import win32serviceutil

    class EngineService(win32serviceutil.ServiceFramework):  # type: ignore[misc]
        _svc_name_ = SERVICE_NAME
        _svc_display_name_ = DISPLAY_NAME
        _svc_description_ = DESCRIPTION

        def __init__(self, args: Any) -> None:
            super().__init__(args)
            self.loop = EngineLoop()

        def SvcStop(self) -> None:  # noqa: N802 - pywin32's names
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING, waitHint=STOP_WAIT_MS)
            self.loop.stop()

        def SvcShutdown(self) -> None:  # noqa: N802
            self.SvcStop()

        def SvcDoRun(self) -> None:  # noqa: N802
            servicemanager.LogMsg(servicemanager.EVENTLOG_INFORMATION_TYPE,
                                  servicemanager.PYS_SERVICE_STARTED, (self._svc_name_, ""))
            self.loop.run()  # until SvcStop; an error stops the service with it
            servicemanager.LogMsg(servicemanager.EVENTLOG_INFORMATION_TYPE,
                                  servicemanager.PYS_SERVICE_STOPPED, (self._svc_name_, ""))

    return EngineService


# ---- `packline service …`


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def host() -> int:
    """`service run`: what Windows starts; hands the process to the service control manager."""
    import servicemanager

    servicemanager.Initialize()
    servicemanager.PrepareToHostSingle(service_class())
    servicemanager.StartServiceCtrlDispatcher()
    return 0


def install(token: str | None = None) -> str:
    """Register (or update) the service to start at boot, delayed, hosted by this executable,
    as its own virtual account; then `configure` it (recovery, folders, the token). Needs an
    administrator."""
    import pywintypes
    import win32service
    import win32serviceutil

    if not frozen():
        raise ServiceRefused("the service runs from the installed packline-console.exe; from "
                             "a source checkout run `packline engine run` instead")
    service_class()  # pywin32's service support is there
    arguments = "service run"
    try:
        win32serviceutil.InstallService(
            None, SERVICE_NAME, DISPLAY_NAME, startType=win32service.SERVICE_AUTO_START,
            exeName=sys.executable, exeArgs=arguments, description=DESCRIPTION,
            delayedstart=True, userName=SERVICE_ACCOUNT, password=None)
        said = "installed"
    except pywintypes.error as exc:
        if exc.winerror != 1073:  # ERROR_SERVICE_EXISTS: an upgrade, point it at this exe
            raise
        # An earlier Packline's service ran as LocalSystem: it moves to its own account too.
        win32serviceutil.ChangeServiceConfig(
            None, SERVICE_NAME, startType=win32service.SERVICE_AUTO_START,
            exeName=sys.executable, exeArgs=arguments, displayName=DISPLAY_NAME,
            description=DESCRIPTION, delayedstart=True, userName=SERVICE_ACCOUNT,
            password=None)
        said = "updated"
    for line in configure(token):
        print(f"packline: {line}", file=sys.stderr)
    return (f"service {SERVICE_NAME} {said}: starts at boot as {SERVICE_ACCOUNT} "
            f"({sys.executable} {arguments})")


def remove() -> str:
    """Stop and remove the service; nothing to do when it is not there."""
    import pywintypes
    import win32serviceutil

    try:
        stop()
        win32serviceutil.RemoveService(SERVICE_NAME)
    except pywintypes.error as exc:
        if exc.winerror == 1060:  # ERROR_SERVICE_DOES_NOT_EXIST
            return f"service {SERVICE_NAME} is not installed"
        raise
    return f"service {SERVICE_NAME} removed"


def start() -> str:
    import win32service
    import win32serviceutil

    win32serviceutil.StartService(SERVICE_NAME)
    win32serviceutil.WaitForServiceStatus(SERVICE_NAME, win32service.SERVICE_RUNNING, 60)
    return f"service {SERVICE_NAME} running"


def stop() -> str:
    """Stop the service and wait for it (a batch in flight finishes first)."""
    import pywintypes
    import win32service
    import win32serviceutil

    try:
        win32serviceutil.StopService(SERVICE_NAME)
    except pywintypes.error as exc:
        if exc.winerror != 1062:  # ERROR_SERVICE_NOT_ACTIVE: stopped already
            raise
    win32serviceutil.WaitForServiceStatus(SERVICE_NAME, win32service.SERVICE_STOPPED,
                                          STOP_WAIT_MS // 1000)
    return f"service {SERVICE_NAME} stopped"


def debug() -> int:
    """Run the service's class in this console (Ctrl+C stops it, as Windows would)."""
    import win32serviceutil

    win32serviceutil.DebugService(service_class(), argv=[SERVICE_NAME])
    return 0
