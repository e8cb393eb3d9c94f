"""Files and folders only their owner may read: a station's folder holds the central database's
address (maybe with its password), every user's password hash, logs and printed labels with
receivers' addresses.

On POSIX a folder is 0700 and a file 0600 whatever the process umask, and one found looser is
tightened with a warning naming the path (never the content). On Windows the modes mean little
(os.chmod only sets or clears read-only): the folder's inherited ACL protects it there, see
docs/security.md.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
POSIX = os.name == "posix"

log = logging.getLogger("packline.files")


def tighten(path: Path, mode: int) -> bool:
    """Take from `path` every permission bit beyond `mode`. True when it had more; a path that
    is missing, a symbolic link (its target is not ours to judge) or not ours is left alone
    (the latter with a warning)."""
    if not POSIX:
        return False
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(st.st_mode):
        return False
    loose = stat.S_IMODE(st.st_mode) & ~mode
    if not loose:
        return False
    try:
        os.chmod(path, stat.S_IMODE(st.st_mode) & mode)
    except OSError as exc:
        log.warning("%s is readable by others (mode %o) and cannot be tightened: %s",
                    path, stat.S_IMODE(st.st_mode), exc.strerror)
        return False
    log.warning("%s was readable by others (mode %o); tightened to %o", path,
                stat.S_IMODE(st.st_mode), stat.S_IMODE(st.st_mode) & mode)
    return True


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner may enter: created 0700 (its missing parents as
    usual), or tightened when it exists."""
    if path.is_dir():
        tighten(path, PRIVATE_DIR)
        return path
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if POSIX:
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered through the umask
    return path


def private_opener(path: str, flags: int) -> int:
    """An `opener` for open(): a file it creates is 0600 from its first byte on."""
    fd = os.open(path, flags, PRIVATE_FILE)
    if POSIX and flags & os.O_CREAT:
        # The mode given to os.open is masked by the umask (0o277 would leave 0o400); an
        # existing file keeps its mode through O_CREAT: set it either way.
        os.fchmod(fd, PRIVATE_FILE)
    return fd


def private_file(path: Path) -> Path:
    """`path` exists as a file only its owner may read: created empty with 0600, or tightened.
    Files that take their mode from it (SQLite's -wal and -shm) follow."""
    if path.exists():
        tighten(path, PRIVATE_FILE)
    else:
        os.close(private_opener(str(path), os.O_WRONLY | os.O_CREAT))
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (replacing it) as a file only its owner may read."""
    with open(path, "wb", opener=private_opener) as fh:
        fh.write(data)


def tighten_all(paths: Iterable[Path]) -> list[Path]:
    """Tighten each existing path (folders 0700, files 0600); the ones that were looser."""
    changed = []
    for path in paths:
        if tighten(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE):
            changed.append(path)
    return changed
