"""Named loggers per subsystem into one rotating file, PACKLINE_HOME/logs/packline.log, that IT
collects; and a crash file beside it for what no logger can write (a segfault, a Qt abort).

One file for every process of the station. The app, its embedded engine thread, the
`packline` commands IT runs beside it and a separate `packline engine run` all write to
PACKLINE_HOME/logs at once. The standard RotatingFileHandler is safe within one process only:
two processes rotating the same file rename it under each other, and a line can land in a file
that was just renamed away or be cut by another's write. One log per process would be safe
but leaves IT a folder of small files to put back in order. So Packline uses
`concurrent-log-handler`: each line is written under an exclusive lock of a lock file beside
the log (`.__packline.lock`, flock on POSIX, LockFileEx on Windows), and a rotation happens
under the same lock, so every line ends up whole and exactly once in packline.log or one of
its numbered backups, in the order written. Each line names its process id.

What the settings mean (`[log]`): `max_bytes` is the size at which the file rotates — checked
before each line, so a file ends at most one line past it; `backups` is how many rotated
files are kept; `max_bytes = 0` or `backups = 0`: the file never rotates (the library would
truncate it in place with no backups: Packline never asks it to).

Only the station's user may read the files (0600 in a 0700 folder): the handler creates each
log file (the first, and the new one after a rotation) under the umask 077 it is given (its
`umask` option, set only around its own open; not `chmod`, which would also quietly reset a
file someone had opened up, before `secure_station` can name it in a warning), and the lock
file is made 0600 before the handler first opens it. No password reaches them: every
line, traceback included, goes through `app.redact.scrub` on its way out.

The crash file: `faulthandler` writes the Python stack of every thread to
logs/crash-PID.log when the process dies of a fatal signal (segfault, abort, a fatal Qt
message). It is opened at start and kept open to the end, since nothing can be opened at the
moment of a crash; an empty one left by a process that ended is removed at the next start.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import re
import sys
from pathlib import Path
from typing import IO

from concurrent_log_handler import ConcurrentRotatingFileHandler

from app.config import Config
from app.redact import scrub
from app.secure_files import POSIX, private_dir, private_file, private_opener

FORMAT = "%(asctime)s %(process)d %(levelname)-7s %(name)s: %(message)s"
LOG_NAME = "packline.log"
CRASH_FILES_KEPT = 20
_CRASH_NAME = re.compile(r"crash-(\d+)\.log")

log = logging.getLogger("packline.logs")


class RedactingFormatter(logging.Formatter):
    """A line with passwords blanked: a driver's error text or a traceback may quote a URL."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class PrivateRotatingFileHandler(ConcurrentRotatingFileHandler):
    """The station's log: safe to share between processes, each file it creates 0600 from
    its first byte whatever the process umask; the rotated ones keep that mode when renamed."""

    def __init__(self, path: Path, *, max_bytes: int, backups: int) -> None:
        super().__init__(
            str(path), mode="a", maxBytes=max_bytes, backupCount=backups, encoding="utf-8",
            umask=0o077,
            # A line that utf-8 cannot hold (a lone surrogate) keeps its place with "?".
            unicode_error_policy="replace")


def log_file(cfg: Config) -> Path:
    """The station's log file, as the person is told it when something goes wrong."""
    return cfg.paths.logs / LOG_NAME


def setup_logging(cfg: Config, *, console: bool = False) -> None:
    """The station's log file for the `packline` loggers (and, with `console`, their
    warnings on stderr too). A log folder or lock file this account may not open (made by a
    command IT ran as root, say) stops nothing: a warning on stderr says so once, and the
    lines go to stderr only."""
    root = logging.getLogger("packline")
    if any(getattr(h, "_packline", False) for h in root.handlers):
        return
    settings = cfg.settings.log
    root.setLevel(settings.level)
    # A library that sets up Python's root logger when imported (python-escpos calls
    # logging.basicConfig) would print every Packline line again on stderr: with a handler of
    # its own on the root logger that call does nothing.
    top = logging.getLogger()
    if not top.handlers:
        top.addHandler(logging.NullHandler())
    try:
        handler = _file_handler(cfg)
    except OSError as exc:
        sys.stderr.write(
            f"packline: cannot write the station's log in {cfg.paths.logs} "
            f"({exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}): "
            "logging to stderr only. Give the folder back to the station's account "
            "(docs/doctor.md)\n")
        sys.stderr.flush()
        root.addHandler(_stderr_handler(marked=True))
        return
    root.addHandler(handler)
    if console:
        root.addHandler(_stderr_handler())


def _file_handler(cfg: Config) -> PrivateRotatingFileHandler:
    if not cfg.paths.logs.is_dir():
        private_dir(cfg.paths.logs)
    settings = cfg.settings.log
    handler = PrivateRotatingFileHandler(
        log_file(cfg), max_bytes=settings.max_bytes if settings.rotates else 0,
        backups=settings.backups)
    try:
        # The library creates its lock file without a mode (0777 less the umask): made here
        # first, 0600, or tightened when it was there and looser.
        private_file(Path(handler.lockFilename))
        if log_file(cfg).exists():  # opened at the first line: one this account may write
            os.close(os.open(log_file(cfg), os.O_WRONLY | os.O_APPEND))
    except OSError:
        handler.close()
        raise
    handler.setFormatter(RedactingFormatter(FORMAT))
    handler._packline = True  # type: ignore[attr-defined]
    return handler


def _stderr_handler(*, marked: bool = False) -> logging.Handler:
    err = logging.StreamHandler()
    err.setLevel(logging.WARNING)
    err.setFormatter(RedactingFormatter("packline: %(message)s"))
    if marked:
        err._packline = True  # type: ignore[attr-defined]
    return err


_crash_file: IO[str] | None = None


def crash_file_path(cfg: Config, pid: int | None = None) -> Path:
    return cfg.paths.logs / f"crash-{os.getpid() if pid is None else pid}.log"


def enable_crash_log(cfg: Config) -> Path | None:
    """`faulthandler` on, into this process's crash file (0600), kept open until the process
    ends. Left alone when faulthandler is already on: whoever started the process chose where
    it goes (`python -X faulthandler`, PYTHONFAULTHANDLER, a test runner). Returns the file,
    or None when left alone."""
    global _crash_file
    if _crash_file is not None:
        return Path(_crash_file.name)
    if faulthandler.is_enabled():
        return None
    path = crash_file_path(cfg)
    try:
        if not cfg.paths.logs.is_dir():
            private_dir(cfg.paths.logs)
        forget_old_crash_files(cfg.paths.logs)
        _crash_file = open(path, "a", encoding="utf-8", opener=private_opener)  # noqa: SIM115
    except OSError as exc:  # a log folder this account may not open: `setup_logging` says so
        log.debug("no crash file %s: %s", path, exc.strerror or exc)
        return None
    faulthandler.enable(_crash_file, all_threads=True)
    return path


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


def forget_old_crash_files(folder: Path) -> None:
    """Empty crash files of processes that ended (nothing crashed there), and crash files
    beyond the newest CRASH_FILES_KEPT."""
    found: list[tuple[float, Path]] = []
    for path in folder.glob("crash-*.log"):
        match = _CRASH_NAME.fullmatch(path.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if st.st_size:
            found.append((st.st_mtime, path))
            continue
        # POSIX: ask whether the process lives (os.kill(pid, 0) would end it on Windows).
        # Windows: a file another process holds open cannot be removed, which says the same.
        if POSIX and _running(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
    for _mtime, path in sorted(found, reverse=True)[CRASH_FILES_KEPT:]:
        with contextlib.suppress(OSError):
            path.unlink()


def running_line() -> str:
    """What a start says first: the version, Python, the platform, the process id."""
    from app import __version__

    return (f"Packline {__version__} (Python {sys.version.split()[0]}, {sys.platform}, "
            f"pid {os.getpid()})")
