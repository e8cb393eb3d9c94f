"""Every screen of Packline as a person sees it, in Chinese and in English, saved as PNG.

    python packaging/screenshots.py [--out DIR] [--lang zh_CN --lang en] [--role lead01 ...]
                                    [--theme light|dark]

A temporary PACKLINE_HOME gets the embedded SQLite database with demo data; the order engine
runs once, waves are released and one is picked, so every queue has something in it. Then,
in a fresh process per language (the translator is installed once per process, as at start),
the real MainWindow is built offscreen at 1400x860 with the station runtime, each demo user
logs in through the login screen, and each screen their role sees is grabbed once its
background loads are done (no task running, no page fetch armed). Some states are shot too:
the packing bench with an order open, after a refused scan and with the shift lead's approval
open, a picker holding a wave, the login refused and asking a lead's PIN, a Yes/No question,
and the admin's Users screen with its forms. Files: OUT/<lang>/<role>-<screen>[-<state>].png.
The stations run on China time (TZ=Asia/Shanghai, `--tz` to change), as on the floor.
`--theme dark` shoots the dark theme, into OUT/<lang>-dark/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: the app is the repo's
    sys.path.insert(0, str(ROOT))

USERS = {"admin": "admin123", "lead01": "lead123", "packer01": "packer123",
         "picker01": "picker123"}
LANGUAGES = ("zh_CN", "en")
STATION = "ST-HZ-PACK-01"
SIZE = (1400, 860)
# The README's pictures (docs/screenshots/<lang>/<name>.png): which shot shows each screen.
README_SHOTS = {"packing": "packer01-packing-open", "picking": "picker01-picking-item",
                "waves": "lead01-waves-preview", "dashboard": "lead01-dashboard"}
README_DIR = ROOT / "docs" / "screenshots"
TIMEOUT_S = 60.0


# ---------------------------------------------------------------- the data (no Qt)

def prepare(base: Path, orders: int) -> dict[str, Any]:
    """Seed the embedded database in `base`, route the backlog, release waves and pick one
    to the end. Returns what the screenshots need (orders to pack, a wave to claim, …)."""
    from sqlalchemy import func, select

    from app.services import demo, engine, picking, waves
    from app.services.context import Actor, system_actor
    from app.services.setup import prepare_embedded
    from app.store.db import Database
    from app.store.models import Order, OrderLine, Sku, SkuBarcode, User

    db = Database.from_url(f"sqlite:///{base / 'station.db'}")
    prepare_embedded(db, seed_demo=False, station=STATION)
    demo.seed(db, system_actor(STATION), orders=orders)
    engine.run_once(db, system_actor(STATION))

    def person(code: str) -> Actor:
        from app.domain.roles import Role

        with db.reader() as s:
            u = s.scalars(select(User).where(User.code == code)).one()
            return Actor(user_id=u.id, code=u.code, name=u.name, role=Role(u.role),
                         station=STATION)

    lead, picker = person("lead01"), person("picker01")
    wh = max(("HZ", "GZ", "BJ"), key=lambda w: len(waves.plan(
        db, lead, w, "per_order", max_orders=4, max_cells=4).waves))
    (packed,) = waves.release(db, lead, wh, "per_order", max_orders=4, max_cells=4,
                              max_waves=1)
    view = picking.claim(db, picker, packed.wave_no)
    while (task := view.current) is not None:  # picked to the end: ready to pack
        picking.confirm_bin(db, picker, packed.wave_no, task.seq, task.bin_code)
        view = picking.pick(db, picker, packed.wave_no, task.seq, task.sku_code,
                            qty=task.qty - task.picked)
    held = waves.release(db, lead, wh, "single_sku", max_orders=20, max_cells=20,
                         max_waves=1) or waves.release(db, lead, wh, "per_order",
                                                       max_orders=6, max_cells=6,
                                                       max_waves=1)
    waves.release(db, lead, wh, "multi_item", max_orders=12, max_cells=12, max_waves=1)
    with db.reader() as s:
        to_pack = list(s.scalars(select(Order.order_no).where(Order.status == "picked")
                                 .order_by(Order.order_no)))
        in_order = select(OrderLine.sku_id).join(Order, Order.id == OrderLine.order_id) \
            .where(Order.order_no == to_pack[0])
        stranger = s.scalar(select(func.min(SkuBarcode.barcode))
                            .join(Sku, Sku.id == SkuBarcode.sku_id)
                            .where(SkuBarcode.units == 1, Sku.id.not_in(in_order)))
    with db.bind.connect() as conn:  # one file to copy, nothing left in the WAL
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        # One single-unit barcode per unit of the first order, as the packer scans them.
        rows = s.execute(select(func.min(SkuBarcode.barcode), OrderLine.qty)
                         .join(Sku, Sku.id == SkuBarcode.sku_id)
                         .join(OrderLine, OrderLine.sku_id == Sku.id)
                         .join(Order, Order.id == OrderLine.order_id)
                         .where(Order.order_no == to_pack[0], SkuBarcode.units == 1)
                         .group_by(OrderLine.id, OrderLine.line_no, OrderLine.qty)
                         .order_by(OrderLine.line_no)).all()
    db.dispose()
    return {"to_pack": to_pack, "held_wave": held[0].wave_no if held else None,
            "stranger": stranger, "warehouse": wh,
            "units": [code for code, qty in rows for _ in range(qty)]}


# ---------------------------------------------------------------- the window (Qt)

class Shooter:
    """One language: the real window, logged in as each user in turn, grabbed screen by
    screen once nothing is loading."""

    def __init__(self, home: Path, lang: str, out: Path, facts: dict[str, Any],
                 theme: str = "light") -> None:
        from app.config import load_config
        from app.logs import setup_logging
        from app.services.central_link import DatabaseLink
        from app.station.devices import DeviceService
        from app.station.runtime import StationRuntime
        from app.store.db import Database
        from app.ui.app import OutboxPusher, _qt_message, database_label, install_translator
        from app.ui.device_manager import DeviceManager
        from app.ui.main_window import MainWindow
        from app.ui.qt import QApplication, qInstallMessageHandler

        self.cfg = load_config(home)
        setup_logging(self.cfg)  # the station's log file, as in the app
        qInstallMessageHandler(_qt_message)  # Qt's chatter goes there too
        self.app = QApplication.instance() or QApplication([sys.argv[0]])
        self.app.setApplicationName("Packline")
        install_translator(self.app, lang)  # type: ignore[arg-type]
        from app.ui import style

        style.apply(self.app, style.resolve(theme))
        self.app.setWindowIcon(style.app_icon())
        folder = lang if theme == "light" else f"{lang}-{theme}"
        self.lang, self.out, self.facts = lang, out / folder, facts
        self.out.mkdir(parents=True, exist_ok=True)
        self.db = Database.from_url(self.cfg.central_url)
        self.device_service = DeviceService(self.cfg.settings, watch_ports=False)
        self.devices = DeviceManager(self.device_service)
        self.device_service.start()
        self.runtime = StationRuntime(self.cfg, self.db, link=DatabaseLink(self.db))
        self.runtime.start()
        self.window = MainWindow(self.db, STATION, database_label(self.cfg.central_url),
                                 self.devices, self.runtime)
        self.window.resize(*SIZE)
        # One sync round, as the running app does every few seconds: waves to pack come to
        # the station, tracking numbers are topped up, the status bar says online.
        self.pusher = OutboxPusher(self.runtime, self.window, on_status=self.window.show_sync)
        self.pusher.push()
        self.window.show()
        self.wait(lambda: self.pusher.rounds == 1 and not self.pusher.busy, "first sync")
        self.saved: list[Path] = []

    # ---- waiting on conditions

    def spin(self, ms: int = 15) -> None:
        """Run the event loop for a moment: a condition is looked at again after it."""
        from app.ui.qt import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.lang}: waited too long for {what}")
            self.spin()

    def quiet(self) -> bool:
        """No background task running or undelivered, and no page fetch about to start."""
        from app.ui import tasks
        from app.ui.qt import QTimer

        if tasks.pending():
            return False
        return not any(t.isActive() and t.isSingleShot() and t.interval() < 1000
                       for t in self.window.findChildren(QTimer))

    def settle(self, what: str) -> None:
        """Quiet, and still quiet after a paint: painting asks for the rows it shows, which
        may start a fetch."""
        for _ in range(50):
            self.wait(self.quiet, what)
            self.window.grab()
            self.spin()
            if self.quiet():
                return
        raise TimeoutError(f"{self.lang}: {what} never settled")

    def save(self, name: str, widget: Any = None) -> None:
        path = self.out / f"{name}.png"
        pixmap = (widget or self.window).grab()
        if not pixmap.save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)

    # ---- people

    def login(self, code: str, password: str) -> None:
        login = self.window.login
        login.user.setText(code)
        login.password.setText(password)
        login.submit()
        # The button is disabled while the login is checked, enabled again on a refusal.
        self.wait(lambda: self.window.actor is not None or login.button.isEnabled(),
                  f"login of {code}")

    def shoot_login(self) -> None:
        self.settle("login")
        self.save("login")
        self.login("lead01", "not-the-password")
        self.wait(lambda: self.window.login.button.isEnabled(), "login refused")
        self.settle("login refused")
        self.save("login-refused")
        # A shift lead's badge: the PIN is asked for next, in a masked field.
        from app.services import auth

        login = self.window.login
        admin = auth.login_password(self.db, "admin", USERS["admin"], STATION)
        auth.unlock(self.db, admin, "lead01")  # the refused password above slows lead01
        login.badge_scanned(auth.issue_badge(self.db, admin, "lead01"))
        self.wait(lambda: login.asking_pin() and login.pin_button.isEnabled(), "the PIN step")
        login.pin.setText("2468")
        self.settle("login PIN")
        self.save("login-pin")
        login.pin.setText("1111")
        login.submit_pin()
        self.wait(lambda: login.pin_button.isEnabled() and bool(login.message.text())
                  and login.message.text() != login.tr("Checking…"), "the PIN refused")
        self.settle("login PIN refused")
        self.save("login-pin-refused")
        login.start_over()
        auth.unlock(self.db, admin, "lead01")

    def shoot_role(self, code: str) -> None:
        from app.ui.qt import Qt

        self.login(code, USERS[code])
        if self.window.actor is None:
            raise RuntimeError(f"{code} could not log in: {self.window.login.message.text()}")
        nav = self.window.nav
        assert nav is not None
        for row in range(nav.count()):
            key = nav.item(row).data(Qt.ItemDataRole.UserRole)
            nav.setCurrentRow(row)
            self.settle(f"{code} {key}")
            self.save(f"{code}-{key}")
            extra = getattr(self, f"states_{key}", None)
            if extra is not None:
                extra(code, self.window.open_screens[key])
        self.window.logout()
        self.settle("logout")

    # ---- states that matter, on the screens that have them

    def states_orders(self, code: str, screen: Any) -> None:
        """An order's detail (lines, history), then a Yes/No question (is Qt's own Yes/No
        in the reader's language?)."""
        if code != "lead01":
            return
        from app.ui.qt import QApplication, QMessageBox, QTimer

        screen.table.selectRow(0)
        self.settle("order detail")
        self.save(f"{code}-orders-detail")

        if not screen.cancel_button.isEnabled():
            for row in range(min(screen.model.rowCount(), 50)):
                screen.table.selectRow(row)
                self.settle("order selected")
                if screen.cancel_button.isEnabled():
                    break
        if not screen.cancel_button.isEnabled():
            return

        def answer_no() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox) or not box.isVisible():
                QTimer.singleShot(20, answer_no)
                return
            self.save(f"{code}-orders-question", box)
            box.button(QMessageBox.StandardButton.No).click()

        QTimer.singleShot(0, answer_no)
        screen.cancel()  # the real question; answered No, so nothing changes
        self.settle("question answered")

    def states_dashboard(self, code: str, screen: Any) -> None:
        """Each of the dashboard's tabs once its figures are in, and the orders behind the
        carrier with the most work."""
        self.wait(lambda: screen.applies > 0, "the dashboard's first figures")
        for index, name in enumerate(("now", "forecast", "throughput", "people", "health")):
            if index:
                screen.tabs.setCurrentIndex(index)
                self.settle(f"dashboard {name}")
                self.save(f"{code}-dashboard-{name}")
        screen.tabs.setCurrentIndex(0)
        carriers = screen.board.backlog.carriers if screen.board is not None else []
        if not carriers:
            return
        busiest = max(carriers, key=lambda c: c.orders)
        dialog = screen.open_orders(screen.drill_for(("carrier", busiest.code, busiest.name)))
        self.wait(lambda: dialog.total is not None, "the carrier's orders")
        self.settle("dashboard orders")
        self.save(f"{code}-dashboard-orders", dialog)
        dialog.reject()
        self.settle("dashboard orders closed")

    def states_users(self, code: str, screen: Any) -> None:
        """A user selected, and the admin's forms (Qt's own OK/Cancel in the reader's
        language?)."""
        self.wait(lambda: bool(screen.rows), "the list of users")
        screen.select("packer01")
        self.settle("user selected")
        self.save(f"{code}-users-selected")
        for name, open_form in (("add", screen.add_user), ("badge", screen.issue_badge),
                                ("pin", screen.set_pin)):
            open_form()
            dialog = screen.dialog
            self.settle(f"users {name} form")
            self.save(f"{code}-users-{name}", dialog)
            dialog.reject()
            self.settle(f"users {name} form closed")

    def states_waves(self, code: str, screen: Any) -> None:
        """The lead's preview of the waves a release would form, and a wave selected."""
        if code != "lead01":
            return
        screen.preview_button.click()
        self.wait(lambda: screen.preview_table.rowCount() > 0 or screen.message.text(),
                  "the wave preview")
        self.settle("wave preview")
        self.save(f"{code}-waves-preview")
        screen.waves.selectRow(0)
        self.settle("wave selected")
        self.save(f"{code}-waves-selected")

    def states_packing(self, code: str, screen: Any) -> None:
        if code != "packer01" or not self.facts["to_pack"]:
            return
        order = self.facts["to_pack"][0]
        self.type_into(screen.entry, order)
        self.wait(lambda: screen.order_label.text() == order and not screen.busy
                  and not screen.pending, "the order open at the bench")
        self.settle("packing order open")
        self.save(f"{code}-packing-open")
        self.type_into(screen.entry, self.facts["stranger"])
        self.wait(lambda: screen.prompt.property("feedback") == "error" and not screen.busy,
                  "the refusal at the bench")
        self.settle("packing refusal")
        self.save(f"{code}-packing-refused")
        # The shift lead's approval (F9 at a parcel out of tolerance): badge and PIN.
        screen.approval.ask(screen.approval_title(), order)
        screen.approval.take_badge("USR-" + "X" * 20)
        screen.approval.secret.setText("2468")
        self.settle("packing approval")
        self.save(f"{code}-packing-approval")
        screen.approval.cancel()
        self.settle("packing approval cancelled")
        for unit in self.facts["units"]:  # the right items: packed, its label printed
            self.type_into(screen.entry, unit)
            self.wait(lambda: not screen.busy and not screen.pending, "a unit scanned")
        self.wait(lambda: screen.prompt.property("feedback") == "done", "the order packed")
        self.settle("packed")
        self.save(f"{code}-packing-done")
        # One sync round, as the running app makes every few seconds: the dock sees the
        # parcel waiting for its truck.
        rounds = self.pusher.rounds
        self.pusher.push()
        self.wait(lambda: self.pusher.rounds > rounds and not self.pusher.busy, "the sync")

    def states_printing(self, code: str, screen: Any) -> None:
        """The packer's label in the queue, selected: its preview."""
        if code != "packer01":
            return
        self.wait(lambda: screen.jobs.rowCount() > 0, "the label in the print queue")
        screen.jobs.selectRow(0)
        self.settle("label preview")
        self.save(f"{code}-printing-label")

    def states_picking(self, code: str, screen: Any) -> None:
        wave = self.facts["held_wave"]
        if code != "picker01" or not wave:
            return
        self.type_into(screen.entry, wave)
        self.wait(lambda: screen.wave is not None and not screen.busy, "the wave claimed")
        self.settle("wave held")
        self.save(f"{code}-picking-held")
        task = screen.wave.current
        if task is None:
            return
        self.type_into(screen.entry, task.bin_code)
        self.wait(lambda: screen.step == "item" and not screen.busy, "at the bin")
        self.settle("at the bin")
        self.save(f"{code}-picking-item")
        self.type_into(screen.entry, self.facts["stranger"])
        self.wait(lambda: screen.prompt.property("feedback") == "error" and not screen.busy,
                  "a wrong item refused")
        self.settle("wrong item")
        self.save(f"{code}-picking-refused")

    def type_into(self, entry: Any, text: str) -> None:
        """Typed and Enter, as a person at the keyboard (slowly enough to be typing)."""
        entry.setFocus()
        entry.setText(text)
        entry.returnPressed.emit()

    def close(self) -> None:
        from app.ui import tasks

        self.pusher.stop()
        self.window.close()
        self.devices.close()
        self.device_service.stop()
        tasks.shutdown()
        self.runtime.stop()
        self.db.dispose()


def shoot(base: Path, lang: str, out: Path, roles: list[str],
          theme: str = "light") -> list[Path]:
    """One language in this process: its own copy of the prepared home."""
    facts = json.loads((base / "facts.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix=f"packline-shots-{lang}-") as tmp:
        home = Path(tmp)
        shutil.copy(base / "station.db", home / "station.db")
        (home / "station.ini").write_text(
            f"[station]\ncode = {STATION}\nname = 杭州仓 打包台 1\nkind = packing\n"
            f"[ui]\nlanguage = {lang}\n[demo]\nseed_on_first_start = false\n",
            encoding="utf-8")
        os.environ["PACKLINE_HOME"] = str(home)
        os.environ.pop("PACKLINE_CENTRAL_URL", None)
        shooter = Shooter(home, lang, out, facts, theme)
        try:
            shooter.shoot_login()
            for role in roles:
                shooter.shoot_role(role)
        finally:
            shooter.close()
        return shooter.saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--lang", action="append", choices=LANGUAGES)
    parser.add_argument("--role", action="append", choices=list(USERS))
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--tz", default="Asia/Shanghai",
                        help="the stations' time zone (default: China time, as on the floor)")
    parser.add_argument("--readme", action="store_true",
                        help=f"also refresh the README's pictures in {README_DIR.relative_to(ROOT)}")
    parser.add_argument("--theme", choices=("light", "dark"), default="light",
                        help="the theme to shoot (dark: into OUT/<lang>-dark)")
    parser.add_argument("--base", type=Path, help=argparse.SUPPRESS)  # a prepared home
    args = parser.parse_args(argv)
    langs = args.lang or list(LANGUAGES)
    roles = args.role or list(USERS)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PACKLINE_MUTE", "1")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    out = args.out.resolve()

    if args.base is not None:  # one language, in this process
        saved = shoot(args.base, langs[0], out, roles, args.theme)
        print(f"{langs[0]}: {len(saved)} screenshots in {saved[0].parent if saved else out}")
        return 0

    with tempfile.TemporaryDirectory(prefix="packline-shots-") as tmp:
        base = Path(tmp)
        started = time.monotonic()
        facts = prepare(base, args.orders)
        (base / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
        print(f"demo data ready in {time.monotonic() - started:.0f} s", flush=True)
        for lang in langs:  # a fresh process per language: one translator per start
            cmd = [sys.executable, str(Path(__file__).resolve()), "--base", str(base),
                   "--lang", lang, "--out", str(out), "--theme", args.theme]
            for role in roles:
                cmd += ["--role", role]
            subprocess.run(cmd, check=True, env={**os.environ, "TZ": args.tz})
    if args.readme and args.theme == "light":
        refresh_readme(out, langs)
    return 0


def refresh_readme(out: Path, langs: list[str]) -> None:
    """Copies the README's shots from `out`, each saved as a compressed PNG; a shot that was
    not taken (a role left out) is an error, not a stale picture kept."""
    from PIL import Image

    for lang in langs:
        folder = README_DIR / lang
        folder.mkdir(parents=True, exist_ok=True)
        for name, shot in README_SHOTS.items():
            source = out / lang / f"{shot}.png"
            if not source.is_file():
                raise SystemExit(f"screenshots: {source} was not taken; run with every role")
            with Image.open(source) as image:
                image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                              dither=Image.Dither.NONE).save(
                    folder / f"{name}.png", optimize=True)
        print(f"{lang}: README pictures in {folder}")


if __name__ == "__main__":
    sys.exit(main())
