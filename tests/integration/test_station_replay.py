"""`packline station replay` as a real process: a script of scans packs an order through the
same bench as the screen, one JSON result per line; bad lines are reported, the rest goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.store.db import Database
from app.store.models import AuditEntry, Order
from tests.helpers.orders import write_jsonl
from tests.helpers.packing import picked_wave, unit_codes
from tests.integration.test_cli import packline

pytestmark = pytest.mark.timeout(300)


def test_replay_packs_an_order_from_a_script(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = packline(home, "demo", "seed", "--orders", "120", "--seed", "9")
    assert done.returncode == 0, done.stderr
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    orders = picked_wave(db)
    order_no = orders[0]
    with db.reader() as s:  # routed, not in any wave yet: refused, and the script goes on
        waiting = s.scalar(select(Order.order_no).where(Order.status == "routed").limit(1))
    assert waiting
    script = write_jsonl(tmp_path / "scans.jsonl", [
        {"scan": order_no}, {"scan": "6901234567892"}, "not json",
        *({"scan": code} for code in unit_codes(db, order_no)), {"scan": waiting}])
    db.dispose()
    done = packline(home, "station", "replay", str(script), as_user="packer01")
    assert done.returncode == 3, done.stderr  # one broken line
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[0]["order"] == order_no and rows[0]["accepted"]
    assert not rows[1]["accepted"] and rows[1]["reason"] in ("wrong_item", "other_order")
    assert "error" in rows[2]
    assert rows[-2]["phase"] == "packed" and len(rows[-2]["printed"]) == 1
    assert waiting in rows[-1]["error"]
    assert "events sent" in done.stderr
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == order_no)) == "packed"
    db.dispose()


def test_the_readme_script_reports_its_unknown_order_and_exits_3(tmp_path: Path) -> None:
    """The README's example names an order this database does not have: that line is reported
    as refused, the others still run, and the exit code is the README's 3, not a stop."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "20", "--seed", "9").returncode == 0
    script = write_jsonl(tmp_path / "readme.jsonl", [
        {"scan": "PL2611110000123"}, {"scan": "6901234567892", "qty": 1}, {"weigh": 1250},
        {"command": "NEWBOX"}])
    done = packline(home, "station", "replay", str(script), as_user="packer01")
    assert done.returncode == 3, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert "PL2611110000123" in rows[0]["error"]
    assert rows[1]["reason"] == rows[3]["reason"] == "no_order"  # nothing to pack: refused
    # Naming somebody else than who logged in is a refused command line, not a broken
    # script line; so is no login at all.
    other = packline(home, "station", "replay", str(script), "--user", "nobody", "--restart",
                     as_user="packer01")
    assert other.returncode == 2 and "PACKLINE_USER=packer01" in other.stderr
    nobody = packline(home, "station", "replay", str(script), "--restart")
    assert nobody.returncode == 2 and "needs a person" in nobody.stderr
    assert nobody.stdout == ""


def test_replay_packs_as_who_logged_in_and_no_one_else(tmp_path: Path) -> None:
    """Before, `--user lead01` packed in the lead's name whoever ran it. Now the bench packs as
    the person who logged in; naming another person is refused before a line is read."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "120", "--seed", "9").returncode == 0
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    order_no = picked_wave(db)[0]
    script = write_jsonl(tmp_path / "scans.jsonl", [
        {"scan": order_no}, *({"scan": code} for code in unit_codes(db, order_no))])
    db.dispose()
    impostor = packline(home, "station", "replay", str(script), "--user", "lead01",
                        env={"PACKLINE_USER": "packer01", "PACKLINE_PASSWORD": "packer123"})
    assert impostor.returncode == 2
    assert "--user lead01 differs from PACKLINE_USER=packer01" in impostor.stderr
    assert impostor.stdout == "" and not (tmp_path / "scans.jsonl.progress").exists()
    # --password-stdin with --user: that person logs in, and only they pack.
    done = packline(home, "station", "replay", str(script), "--user", "packer01",
                    "--password-stdin", stdin="packer123\n")
    assert done.returncode == 0, done.stderr
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == order_no)) == "packed"
        packed_by = set(s.scalars(select(AuditEntry.actor).where(
            AuditEntry.entity_id == order_no, AuditEntry.action.like("order.%"),
            AuditEntry.at >= select(func.max(AuditEntry.at)).where(
                AuditEntry.action == "user.login").scalar_subquery())))
    db.dispose()
    assert packed_by == {"packer01"}
