"""`packline station replay` as a real process: a script of scans packs an order through the
same bench as the screen, one JSON result per line; bad lines are reported, the rest goes on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.store.db import Database
from app.store.models import AuditEntry, Order
from tests.helpers.cli import packline
from tests.helpers.orders import write_jsonl
from tests.helpers.packing import picked_wave, unit_codes

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
    assert done.returncode == 3, done.stderr  # a refused line and a broken one
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[0]["order"] == order_no and rows[0]["accepted"]
    assert not rows[1]["accepted"] and rows[1]["reason"] == "wrong_item"  # no demo SKU's code
    assert "error" in rows[2]
    assert rows[-2]["phase"] == "packed" and len(rows[-2]["printed"]) == 1
    # Not picked yet: refused with the reason, in the same form as every refusal.
    assert not rows[-1]["accepted"] and rows[-1]["reason"] == "packing.not_packable"
    assert waiting in rows[-1]["message"]
    assert "2 refused" in done.stderr and "1 broken" in done.stderr
    assert "events sent" in done.stderr
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == order_no)) == "packed"
    db.dispose()


def test_the_readme_script_reports_its_unknown_order_and_exits_3(tmp_path: Path) -> None:
    """The README's example names an order this database does not have: that line is reported
    as refused, the others still run (the weight, with no order open, is refused too), and the
    exit code is the README's 3, not a stop."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "20", "--seed", "9").returncode == 0
    script = write_jsonl(tmp_path / "readme.jsonl", [
        {"scan": "PL2611110000123"}, {"scan": "6901234567892", "qty": 1}, {"weigh": 1250},
        {"command": "NEWBOX"}])
    done = packline(home, "station", "replay", str(script), as_user="packer01")
    assert done.returncode == 3, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["reason"] == "packing.unknown_code" and not rows[0]["accepted"]
    assert "PL2611110000123" in rows[0]["message"]
    assert [r["reason"] for r in rows[1:]] == ["no_order"] * 3  # nothing to pack: refused
    assert not any(r["accepted"] for r in rows)
    assert "4 lines: 0 applied, 4 refused" in done.stderr
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
                        as_user="packer01")
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


def _journal(home: Path) -> list[tuple[str, str, str]]:
    from app.station.models import BenchScan
    from app.station.store import open_store

    store = open_store(home / "station.db")
    try:
        with store.reader() as s:
            return [tuple(r) for r in s.execute(select(
                BenchScan.value, BenchScan.status, BenchScan.reason).order_by(BenchScan.seq))]
    finally:
        store.dispose()


def test_unknown_order_and_wave_scans_are_refused_and_the_replay_goes_on(tmp_path: Path
                                                                         ) -> None:
    """With no order open, an order number or a wave this database does not know is refused
    with its reason and written to the bench's journal; the next line opens a real order and
    packs it. A second run feeds nothing again (every line was noted), and the refused lines
    are counted on standard error."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "120", "--seed", "9").returncode == 0
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    order_no = picked_wave(db)[0]
    units = unit_codes(db, order_no)
    db.dispose()
    script = write_jsonl(tmp_path / "scans.jsonl", [
        {"scan": "PL2699999999999"}, {"scan": "WAVE-99999999"}, {"scan": "pl2699999999998"},
        {"scan": order_no}, *({"scan": code} for code in units)])
    done = packline(home, "station", "replay", str(script), as_user="packer01")
    assert done.returncode == 3, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["line"], r["accepted"], r["reason"]) for r in rows[:3]] == [
        (1, False, "packing.unknown_code"), (2, False, "packing.no_wave"),
        (3, False, "packing.unknown_code")]
    assert rows[1]["args"] == {"wave": "WAVE-99999999"}
    assert all(r["accepted"] for r in rows[3:]) and rows[-1]["phase"] == "packed"
    assert f"{len(rows)} lines: {len(rows) - 3} applied, 3 refused" in done.stderr
    journal = _journal(home)
    assert journal[:3] == [("PL2699999999999", "refused", "packing.unknown_code"),
                           ("WAVE-99999999", "refused", "packing.no_wave"),
                           ("pl2699999999998", "refused", "packing.unknown_code")]
    assert [status for _v, status, _r in journal[3:]] == ["applied"] * (len(rows) - 3)
    again = packline(home, "station", "replay", str(script), as_user="packer01")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "" and "0 lines" in again.stderr
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        assert s.scalar(select(Order.status).where(Order.order_no == order_no)) == "packed"
    db.dispose()


@pytest.mark.parametrize("own_id", [True, False], ids=["own id", "id made from the line"])
def test_a_line_fed_again_after_a_kill_is_recognised_not_counted_twice(tmp_path: Path,
                                                                       own_id: bool) -> None:
    """Killed after a unit scan was acted on but before the progress note caught up: the next
    run feeds that line again. Before, it counted the unit twice, so the order was confirmed
    one unit short and the last real unit was refused; now the line is recognised by its id
    (a line's own "id", or one made from the run and the line) and skipped."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "300", "--seed", "9").returncode == 0
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    orders = picked_wave(db, orders=20)
    # An order with one item twice: the unit fed again used to be counted as the second one.
    order_no = max(orders, key=lambda no: len(unit_codes(db, no)) - len(set(unit_codes(db, no))))
    units = unit_codes(db, order_no)
    db.dispose()
    counts = Counter(units)
    units = sorted(units, key=lambda code: -counts[code])  # the item that comes twice first
    assert counts[units[0]] >= 2, units
    unit_1 = {"scan": units[0], "id": "unit-1"} if own_id else {"scan": units[0]}
    steps = [{"scan": order_no}, unit_1, *({"scan": code} for code in units[1:])]
    script = write_jsonl(tmp_path / "scans.jsonl", steps[:2])
    first = packline(home, "station", "replay", str(script), as_user="packer01")
    assert first.returncode == 0, first.stderr
    note = tmp_path / "scans.jsonl.progress"
    # As if killed after line 2 was acted on, before the note said so; then the script grows.
    # The run's token is kept: line 2's id (its own, or made from the line) is the same again.
    kept = json.loads(note.read_text(encoding="utf-8"))
    assert kept["line"] == 2 and kept["id"] == (f"{kept['run']}:unit-1" if own_id else
                                                kept["id"])
    assert own_id or kept["id"].startswith(f"{kept['run']}:2:")
    note.write_text(json.dumps({**kept, "line": 1, "id": None}), encoding="utf-8")
    write_jsonl(script, steps)
    second = packline(home, "station", "replay", str(script), as_user="packer01")
    rows = [json.loads(line) for line in second.stdout.splitlines()]
    assert all(r["accepted"] for r in rows[1:]), rows  # no real unit refused
    assert rows[-1]["phase"] == "packed" and rows[-1]["scanned"] == len(units)
    assert rows[0]["line"] == 2 and rows[0]["reason"] == "repeated" and rows[0]["scanned"] == 1
    assert second.returncode == 0, second.stderr
    assert "1 applied before (repeated)" in second.stderr
    assert [status for _v, status, _r in _journal(home)] == ["applied"] * len(steps)


def test_restart_feeds_lines_with_their_own_id_again_and_a_refusal_stays_a_refusal(
        tmp_path: Path) -> None:
    """`--restart` feeds the whole script again as new scans: before, a line with its own "id"
    was `repeated` (its id ignored the run). And a line refused the first time, fed again
    after a kill, is reported as that refusal (exit 3), not counted as "applied before"."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "20", "--seed", "9").returncode == 0
    script = write_jsonl(tmp_path / "own.jsonl", [
        {"scan": "PL2611110000123", "id": "t-1"},  # an order this database does not know
        {"command": "NEWBOX", "id": "t-2"}])  # no order open: refused too
    first = packline(home, "station", "replay", str(script), as_user="packer01")
    assert first.returncode == 3, first.stderr
    reasons = [json.loads(line)["reason"] for line in first.stdout.splitlines()]
    assert reasons[0] == "packing.unknown_code" and reasons[1] == "no_order", reasons
    note = tmp_path / "own.jsonl.progress"
    kept = json.loads(note.read_text(encoding="utf-8"))
    note.write_text(json.dumps({**kept, "line": 0, "id": None}), encoding="utf-8")
    again = packline(home, "station", "replay", str(script), as_user="packer01")
    rows = [json.loads(line) for line in again.stdout.splitlines()]
    assert [r["reason"] for r in rows] == reasons, rows  # the refusals, not "repeated"
    assert all(not r["accepted"] and r["args"]["repeated"] for r in rows), rows
    assert again.returncode == 3 and "2 refused" in again.stderr, again.stderr
    assert "0 applied before" in again.stderr
    assert len(_journal(home)) == 2  # not acted on again
    restarted = packline(home, "station", "replay", str(script), "--restart",
                         as_user="packer01")
    rows = [json.loads(line) for line in restarted.stdout.splitlines()]
    assert [r["reason"] for r in rows] == reasons and not any(
        r.get("args", {}).get("repeated") for r in rows), rows
    assert len(_journal(home)) == 4  # fed again as new scans


BAD_NUMBERS = [
    ({"scan": "6953125639713", "qty": 1e400}, "qty is a whole number"),
    ({"scan": "6953125639713", "qty": 2.7}, "qty is a whole number"),
    ({"scan": "6953125639713", "qty": -3}, "qty is from 1"),
    ({"scan": "6953125639713", "qty": 10**30}, "qty is from 1"),
    ({"weigh": 1e400}, "weigh is a whole number"),
    ({"weigh": 12.5}, "weigh is a whole number"),
    ({"weigh": True}, "weigh is a whole number")]


def test_a_count_or_weight_that_is_no_whole_number_in_range_is_a_broken_line(
        tmp_path: Path) -> None:
    """Before, 1e400 stopped the replay with a traceback (OverflowError) and 2.7 was taken as
    2: now each such line is broken, naming why, nothing of it is acted on, the script goes
    on."""
    home = tmp_path / "home"
    assert packline(home, "demo", "seed", "--orders", "20", "--seed", "9").returncode == 0
    script = tmp_path / "q.jsonl"
    script.write_text("".join(json.dumps(line) + "\n" for line, _w in BAD_NUMBERS)
                      + json.dumps({"command": "NEWBOX"}) + "\n", encoding="utf-8")
    done = packline(home, "station", "replay", str(script), as_user="packer01")
    assert "Traceback" not in done.stderr, done.stderr
    rows = [json.loads(out) for out in done.stdout.splitlines()]
    for number, ((_line, words), row) in enumerate(zip(BAD_NUMBERS, rows, strict=False), 1):
        assert row["line"] == number and words in row["error"], row
    assert rows[-1]["line"] == len(rows) and rows[-1]["reason"] == "no_order"  # it went on
    assert done.returncode == 3 and f"{len(BAD_NUMBERS)} broken" in done.stderr, done.stderr
    assert [value for value, _s, _r in _journal(home)] == ["NEWBOX"]
