"""`packline label render` and `packline print …` as real processes: a routed demo order's
waybill rendered to PDF and PNG and read back with a barcode reader, a test page through the
queue to a fake printer, and the failures IT sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from sqlalchemy import func, select

from app.printing.raster import pdf_to_images
from app.services import engine
from app.services.context import system_actor
from app.store.db import Database
from app.store.models import AuditEntry, Order, Package, TrackingNumber
from drivers.printers.fake import FakePrinter
from tests.helpers.cli import bootstrap, packline

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station folder whose embedded database has 60 demo orders, routed by the engine."""
    home = tmp_path_factory.mktemp("print_home")
    done = packline(home, "demo", "seed", "--orders", "60", "--seed", "5")
    assert done.returncode == 0, done.stderr
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    engine.run_once(db, system_actor())
    db.dispose()
    return home


def _routed(home: Path) -> str:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        no = s.scalars(select(Order.order_no).where(Order.status == "routed")
                       .order_by(Order.id)).first()
    db.dispose()
    assert no is not None
    return no


def _tracking(home: Path, order_no: str) -> str:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        number = s.scalars(select(Package.tracking_no).join(Order, Order.id == Package.order_id)
                           .where(Order.order_no == order_no, Package.box_no == 1)).one()
    db.dispose()
    return number


def test_render_a_waybill_to_pdf_and_png_and_read_it_back(home: Path, tmp_path: Path) -> None:
    order_no = _routed(home)
    out = tmp_path / "label.pdf"
    done = packline(home, "label", "render", "--order", order_no, "--format", "pdf",
                    "--size", "100x150", "--out", str(out), as_user="packer01")
    assert done.returncode == 0, done.stderr
    tracking = _tracking(home, order_no)
    (page,) = pdf_to_images(out.read_bytes(), 300)
    texts = {b.text for b in zxingcpp.read_barcodes(page)}
    assert tracking in texts
    # Rendering again (a reprint, with its reason) keeps the box's number: a box never gets
    # two tracking numbers.
    png = tmp_path / "label.png"
    done = packline(home, "label", "render", "--order", order_no, "--format", "png",
                    "--out", str(png), "--reason", "label torn", as_user="packer01")
    assert done.returncode == 0, done.stderr
    from PIL import Image

    assert tracking in {b.text for b in zxingcpp.read_barcodes(Image.open(png))}
    assert _tracking(home, order_no) == tracking
    zpl = tmp_path / "label.zpl"
    assert packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                    "--out", str(zpl), "--reason", "smudged",
                    as_user="packer01").returncode == 0
    assert tracking.encode() in zpl.read_bytes()


def test_an_order_without_a_route_gets_no_label(home: Path, tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        held = s.scalars(select(Order.order_no).where(Order.status == "exception")).first()
    db.dispose()
    assert held is not None
    done = packline(home, "label", "render", "--order", held, "--format", "pdf",
                    "--out", str(tmp_path / "x.pdf"), as_user="packer01")
    assert done.returncode == 2 and "no waybill" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_print_test_goes_through_the_queue_to_the_printer(tmp_path: Path) -> None:
    with FakePrinter() as printer:
        (tmp_path / "station.ini").write_text(
            f"[printer:label]\nurl = {printer.url}\nlanguage = zpl\npaper = 100x150\n",
            encoding="utf-8")
        bootstrap(tmp_path)
        done = packline(tmp_path, "print", "test", "--printer", "label", as_user="admin")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["status"] == "sent" and report["printer"] == "label"
        assert len(printer.jobs) == 1 and printer.jobs[0].startswith(b"^XA")
    listed = packline(tmp_path, "print", "queue")
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (row["kind"], row["status"], row["job"]) == ("test", "sent", report["job"])


def test_print_test_on_a_dead_printer_says_so(tmp_path: Path) -> None:
    with FakePrinter() as printer:
        printer.refuse()
        (tmp_path / "station.ini").write_text(
            f"[printer:label]\nurl = {printer.url}\nlanguage = zpl\n", encoding="utf-8")
        bootstrap(tmp_path)
        done = packline(tmp_path, "print", "test", "--printer", "label", "--timeout", "2",
                        as_user="admin")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["status"] == "queued" and "refused" in report["last_error"]
    unknown = packline(tmp_path, "print", "test", "--printer", "nope", as_user="admin")
    assert unknown.returncode == 2 and "no printer named 'nope'" in unknown.stderr


def test_a_bad_printer_section_stops_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "station.ini").write_text(
        "[printer:label]\nurl = tcp://10.0.0.5:9100\nlanguage = postscript\n", encoding="utf-8")
    done = packline(tmp_path, "print", "queue")
    assert done.returncode == 2
    assert "[printer:label] language" in done.stderr


def test_every_format_the_readme_names_renders_with_the_defaults(home: Path,
                                                                  tmp_path: Path) -> None:
    """`--format pdf|png|zpl|tspl|escpos` as the README prints it: each language with its own
    paper and Chinese by default (TSPL the printer's font, ESC/POS the 80 mm roll)."""
    order_no = _routed(home)
    tracking = _tracking(home, order_no) if _has_package(home, order_no) else None
    for fmt in ("tspl", "escpos"):
        out = tmp_path / f"label.{fmt}"
        done = packline(home, "label", "render", "--order", order_no, "--format", fmt,
                        "--out", str(out), "--reason", "another printer", as_user="packer01")
        assert done.returncode == 0, (fmt, done.stderr)
        tracking = tracking or _tracking(home, order_no)
        assert tracking.encode() in out.read_bytes(), fmt
    # The receiver's name in GB18030, as a TSPL printer's Chinese font reads it.
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        receiver = s.scalars(select(Order.receiver_name).where(Order.order_no == order_no)).one()
    db.dispose()
    assert receiver.encode("gb18030") in (tmp_path / "label.tspl").read_bytes()
    # A combination that cannot work is refused with the reason, and writes nothing.
    done = packline(home, "label", "render", "--order", order_no, "--format", "escpos",
                    "--size", "100x150", "--out", str(tmp_path / "x.bin"), "--reason",
                    "another printer", as_user="packer01")
    assert done.returncode == 2 and "80mm" in done.stderr
    assert not (tmp_path / "x.bin").exists()


def _has_package(home: Path, order_no: str) -> bool:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        found = s.scalars(select(Package.id).join(Order, Order.id == Package.order_id)
                          .where(Order.order_no == order_no)).first()
    db.dispose()
    return found is not None


def test_orders_show_in_text_names_packages_and_tracking_numbers(home: Path,
                                                                 tmp_path: Path) -> None:
    """The README: `orders show` is one order with lines, payments, packages, tracking numbers
    and history — in text as in JSON."""
    order_no = _routed(home)
    assert packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                    "--out", str(tmp_path / "l.zpl"), "--reason", "again",
                    as_user="packer01").returncode == 0  # box 1 gets its number
    tracking = _tracking(home, order_no)
    shown = packline(home, "orders", "show", order_no)
    assert shown.returncode == 0, shown.stderr
    detail = json.loads(packline(home, "orders", "show", order_no, "--json").stdout)
    assert tracking in shown.stdout
    box = next(line for line in shown.stdout.splitlines() if tracking in line)
    assert detail["packages"][0]["carrier"] in box
    for payment in detail["payments"]:
        assert f"{payment['kind']}" in shown.stdout and payment["amount"] in shown.stdout


def _routed_nth(home: Path, n: int) -> str:
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        numbers = list(s.scalars(select(Order.order_no).where(Order.status == "routed")
                                 .order_by(Order.id.desc()).limit(n + 1)))
    db.dispose()
    return numbers[n]


def _label_facts(home: Path, order_no: str) -> tuple[list[Any], list[Any], int]:
    """(packages as (box, tracking), label audit rows as (action, actor, after, detail),
    free tracking numbers)."""
    db = Database.from_url(f"sqlite:///{home / 'station.db'}")
    with db.reader() as s:
        order_id = s.scalars(select(Order.id).where(Order.order_no == order_no)).one()
        packages = [tuple(r) for r in s.execute(
            select(Package.box_no, Package.tracking_no).where(Package.order_id == order_id)
            .order_by(Package.box_no))]
        audits = [tuple(r) for r in s.execute(
            select(AuditEntry.action, AuditEntry.actor, AuditEntry.after, AuditEntry.detail)
            .where(AuditEntry.entity_id == order_no,
                   AuditEntry.action.in_(["package.tracking", "label.reprinted"]))
            .order_by(AuditEntry.id))]
        free = s.scalar(select(func.count()).select_from(TrackingNumber)
                        .where(TrackingNumber.status == "free")) or 0
    db.dispose()
    return packages, audits, free


def test_rendering_a_labelled_box_again_is_a_reprint_with_a_reason(home: Path,
                                                                   tmp_path: Path) -> None:
    """Before, a second render printed the label again with nothing written down: now it is
    refused without a reason, and with one it is audited under the person, same number."""
    order_no = _routed_nth(home, 0)
    first = packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                     "--out", str(tmp_path / "a.zpl"), as_user="packer01")
    assert first.returncode == 0, first.stderr
    packages, audits, free = _label_facts(home, order_no)
    ((box, tracking),) = packages
    assert box == 1 and [a[:3] for a in audits] == [("package.tracking", "packer01", tracking)]

    again = packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                     "--out", str(tmp_path / "b.zpl"), as_user="packer01")
    assert again.returncode == 2
    assert "reprint and needs a reason" in again.stderr
    assert not (tmp_path / "b.zpl").exists()
    assert _label_facts(home, order_no) == (packages, audits, free)

    picker = packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                      "--out", str(tmp_path / "b.zpl"), "--reason", "torn", as_user="picker01")
    assert picker.returncode == 2 and "may not do packing.pack" in picker.stderr
    assert _label_facts(home, order_no) == (packages, audits, free)

    reprint = packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                       "--out", str(tmp_path / "b.zpl"), "--reason", "label torn",
                       as_user="lead01")
    assert reprint.returncode == 0, reprint.stderr
    assert tracking.encode() in (tmp_path / "b.zpl").read_bytes()
    after_packages, after_audits, after_free = _label_facts(home, order_no)
    assert (after_packages, after_free) == (packages, free)
    assert after_audits[-1] == ("label.reprinted", "lead01", tracking,
                                {"box": 1, "reason": "label torn"})


def test_a_box_the_order_does_not_have_gets_no_label(home: Path, tmp_path: Path) -> None:
    """Before, `--box 99` created package 99 and used up a tracking number."""
    order_no = _routed_nth(home, 1)
    before = _label_facts(home, order_no)
    done = packline(home, "label", "render", "--order", order_no, "--format", "zpl",
                    "--box", "99", "--out", str(tmp_path / "x.zpl"), as_user="packer01")
    assert done.returncode == 2 and "not box 99" in done.stderr
    assert not (tmp_path / "x.zpl").exists()
    assert _label_facts(home, order_no) == before
    assert before[0] == []  # no package at all, not even box 1
