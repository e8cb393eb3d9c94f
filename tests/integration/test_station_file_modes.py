"""The real `packline` commands, run with umask 000, leave nothing in the station's folder (and
no label they render) that others may read; a folder whose files were opened up afterwards
is closed again by the next command, each path named in the log."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import packline as run_packline

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


def packline(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`packline ARGS` with umask 000, as the demo admin: every command that writes logs a
    person in."""
    done = run_packline(home, *args, as_user="admin", umask=0, timeout=300)
    assert done.returncode == 0, (args, done.stderr[-2000:])
    return done


def modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_every_file_a_station_writes_is_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "station"
    packline(home, "demo", "seed", "--orders", "12", "--seed", "5")
    packline(home, "engine", "run", "--once")
    order = json.loads(packline(home, "orders", "list", "--status", "routed", "--limit", "1",
                                "--json").stdout)[0]["order_no"]
    label = tmp_path / "labels" / "w.zpl"
    packline(home, "label", "render", "--order", order, "--format", "zpl", "--out", str(label))
    packline(home, "print", "test", "--printer", "folder", "--timeout", "20")

    found = modes(home)
    assert any(name.startswith("prints/") for name in found), found
    assert {"station.db", "logs/packline.log"} <= found.keys()
    dirs = {name for name in found if (home / name).is_dir()}
    assert dirs == {".", "logs", "prints"}
    assert {name: m for name, m in found.items() if m != (0o700 if name in dirs else 0o600)} \
        == {}
    assert stat.S_IMODE(label.stat().st_mode) == 0o600

    # IT copied the folder with `cp -r` under a lax umask, say: everything opened up.
    for name in found:
        (home / name).chmod(0o755 if name in dirs else 0o644)
    (home / "station.ini").write_text("[station]\ncode = ST-HZ-PACK-02\n", encoding="utf-8")
    (home / "station.ini").chmod(0o644)
    done = packline(home, "print", "queue")
    after = modes(home)
    assert {name: m for name, m in after.items()
            if m != (0o700 if (home / name).is_dir() else 0o600)} == {}
    log = (home / "logs" / "packline.log").read_text(encoding="utf-8")
    for name in (".", "station.ini", "station.db", "logs", "logs/packline.log", "prints"):
        assert f"{(home / name).resolve() if name == '.' else home.resolve() / name} was " \
               "readable by others" in log, name
    assert "ST-HZ-PACK-02" not in log  # the path, never the content
    assert "readable by others" in done.stderr
