"""An older Packline's station store in a person's data folder, written by a real process
(`app.config.move_old_station` moves such a station into the machine's folders)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import REPO

# An older Packline's station store written by a real process: `waiting` events not sent yet
# after `sent` ones the centre applied. With "hold" the process keeps it open (the older
# Packline still running) until its standard input closes; else it ends without closing it,
# its last work still in the write-ahead log.
OLD_STORE = """
import os, sys
from datetime import UTC, datetime
from pathlib import Path
from sqlalchemy import text
from app.station import outbox
from app.station.store import open_store
from app.sync.contract import AuditNote
path, sent, waiting, hold = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
store = open_store(path)
with store.unit_of_work() as s:
    for n in range(sent + waiting):
        outbox.append(s, AuditNote("packer01", "label.reprint", "order", f"PL{n}"))
with store.unit_of_work() as s:
    s.execute(text("UPDATE outbox SET pushed_at = :t, outcome = 'applied' WHERE seq <= :n"),
              {"t": datetime.now(UTC), "n": sent})
print("written", flush=True)
if hold == "hold":
    sys.stdin.read()
os._exit(0)
"""


def old_store(folder: Path, *, sent: int = 0, waiting: int = 2,
               hold: bool = False) -> subprocess.Popen[str] | None:
    folder.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-c", OLD_STORE, str(folder / "station.db"), str(sent),
            str(waiting), "hold" if hold else "end"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if not hold:
        done = subprocess.run(args, cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout) == (0, "written\n"), done.stderr
        assert (folder / "station.db-wal").stat().st_size > 0  # the last work is in the WAL
        return None
    process = subprocess.Popen(args, cwd=REPO, env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "written\n"
    return process


def end_holding(process: subprocess.Popen[str]) -> None:
    """The older Packline holding its store ends."""
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    process.stdout.close()
