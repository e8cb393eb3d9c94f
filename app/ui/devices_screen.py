"""Devices: what is plugged in and whether it works. IT configures scanners and scales here
(written to `station.ini`); anyone can test them — the last scans parsed, the live weight — and
train with the simulated scanner and scale. The station's print-component printers are listed
with whether their component runs and the printers it offers (asked off the GUI thread)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app import devices
from app.config import SettingsError
from app.domain.access import masked
from app.domain.roles import Permission
from app.services.context import Actor
from app.services.errors import ServiceError
from app.station import devices as station_devices
from app.station.devices import ComponentState, DeviceState, Scanned, Weighed
from app.ui import labels, timefmt
from app.ui.device_manager import DeviceManager
from app.ui.messages import describe, describe_setting, describe_url_error
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.style import ink
from app.ui.tasks import Task
from app.ui.widgets import (
    BadgeField,
    MessageLine,
    ask,
    bold,
    fit_columns,
    readable,
    simple_table,
    table_item,
)
from drivers.barcode import Scan, ScanKind
from drivers.ports import PortRecord
from drivers.urls import DeviceUrl, DeviceUrlError

MAX_SCANS = 50
_STATUS_COLOURS = {"connected": "#1b5e20", "disconnected": "#b00020", "error": "#b00020",
                   "connecting": "#8a6d00", "stopped": "#555555"}
# Codes a trainer scans with one click: their names are barcode kinds (the same in every
# language) or, for the command cards, what the card says (translated on the screen).
SAMPLES = (("EAN-13", "6901234567892"), ("GS1-128", "]C10106901234567892101234A\x1d17271231"),
           ("LOC", "LOC-HZ-A03-12-2"), ("TOTE", "TOTE-HZ-00017"), (None, "CMD-CONFIRM"),
           (None, "CMD-NEWBOX"))


def _refusal(exc: Exception) -> str:
    """A refused save in the reader's language: a settings problem names section and key."""
    if isinstance(exc, SettingsError):
        return describe_setting(exc, with_path=False)
    if isinstance(exc, ServiceError):
        return describe(exc)
    return str(exc)


def _unquote(text: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(text)


def weight_text(grams: int) -> str:
    return f"{grams / 1000:.3f} kg"


class DevicesScreen(QWidget):
    def __init__(self, manager: DeviceManager, actor: Actor,
                 parent: QWidget | None = None, *,
                 components: Sequence[Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesScreen")
        self.manager = manager
        self.service = manager.service
        self.actor = actor
        self.can_edit = actor.can(Permission.MANAGE_STATIONS)
        self.editing: str | None = None
        self._settled: int | None = None  # grams of the last settled weight shown

        # -- configured devices
        self.devices = simple_table("deviceTable", [self.tr("Name"), self.tr("Kind"),
                                              self.tr("Status"), self.tr("Why"), self.tr("URL")])
        fit_columns(self.devices)
        self.devices.itemSelectionChanged.connect(self._selected)
        self.add_button = QPushButton(self.tr("New device"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.restart_button = QPushButton(self.tr("Reconnect all"))
        self.add_button.clicked.connect(self._new)
        self.remove_button.clicked.connect(self._remove)
        self.restart_button.clicked.connect(self._reconnect)
        for b in (self.add_button, self.remove_button):
            b.setEnabled(self.can_edit)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.restart_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        # -- the station's print components (their printers are configured in [printer:…])
        self.component_specs = list(components) if components is not None else \
            station_devices.component_printers(self.service.settings)
        self.components = simple_table("componentTable", [
            self.tr("Printer"), self.tr("Print component"), self.tr("Status"),
            self.tr("Printers it offers")])
        fit_columns(self.components)
        rows = max(1, min(len(self.component_specs), 4))  # each configured one in sight
        self.components.setMinimumHeight(
            self.components.horizontalHeader().sizeHint().height()
            + rows * self.components.verticalHeader().defaultSectionSize()
            + self.components.horizontalScrollBar().sizeHint().height() + 6)
        self.components_button = QPushButton(self.tr("Ask the components again"))
        self.components_button.setObjectName("askComponents")
        self.components_button.clicked.connect(self.ask_components)
        self.components_box = QGroupBox(self.tr("Print components"))
        components_layout = QVBoxLayout(self.components_box)
        components_layout.addWidget(self.components)
        components_layout.addWidget(self.components_button)
        self.components_box.setVisible(bool(self.component_specs))

        # -- the form for one device
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("deviceName")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("deviceKind")
        for code, text in labels.device_kind_names().items():
            self.kind_combo.addItem(text, code)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("deviceUrl")
        self.url_edit.setPlaceholderText("serial:///dev/ttyUSB0?baud=9600&suffix=CR")
        self.url_check = QLabel("")
        self.url_check.setObjectName("deviceUrlCheck")
        self.url_check.setWordWrap(True)
        self.window_spin = _spin(0, 5000, 500, " ms")
        self.tolerance_spin = _spin(0, 1000, 2, " g")
        self.gs_edit = QLineEdit()
        self.gs_edit.setMaxLength(1)
        self.interkey_spin = _spin(5, 500, 30, " ms")
        self.min_length_spin = _spin(1, 64, 4, "")
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setObjectName("wedgePrefix")
        self.prefix_edit.setMaxLength(8)
        self.prefix_edit.setPlaceholderText(self.tr("none: any fast burst is a scan"))
        self.timeout_ms = 80  # a configured timeout_ms is kept; the form does not show it
        self.suffix_combo = QComboBox()
        for code, text in (("enter", self.tr("Enter")), ("tab", self.tr("Tab")),
                           ("none", self.tr("none (pause ends the scan)"))):
            self.suffix_combo.addItem(text, code)
        self.wedge_enabled = QCheckBox(self.tr("Take scans out of typing fields"))
        self.wedge_enabled.setChecked(True)
        self.save_button = QPushButton(self.tr("Save to station settings"))
        self.save_button.setObjectName("saveDevice")
        self.save_button.clicked.connect(self._save)
        self.form_message = MessageLine()
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name"), self.name_edit)
        self.form.addRow(self.tr("Kind"), self.kind_combo)
        self.form.addRow(self.tr("URL"), self.url_edit)
        self.form.addRow("", self.url_check)
        self.form.addRow(self.tr("Steady for"), self.window_spin)
        self.form.addRow(self.tr("Tolerance"), self.tolerance_spin)
        self.form.addRow(self.tr("GS replacement"), self.gs_edit)
        self.form.addRow(self.tr("Keys at most"), self.interkey_spin)
        self.form.addRow(self.tr("Shortest code"), self.min_length_spin)
        self.form.addRow(self.tr("Starts with"), self.prefix_edit)
        self.form.addRow(self.tr("Ends with"), self.suffix_combo)
        self.form.addRow("", self.wedge_enabled)
        self.form.addRow("", self.save_button)
        self.form.addRow("", self.form_message)
        form_box = QGroupBox(self.tr("Device settings"))
        form_box.setLayout(self.form)
        form_box.setEnabled(self.can_edit)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.url_edit.textChanged.connect(self._check_url)

        # -- serial ports seen now
        self.ports = simple_table("portTable", [self.tr("Port"), self.tr("USB id"),
                                          self.tr("Serial no."), self.tr("Description"),
                                          self.tr("URL")])
        fit_columns(self.ports)
        self.ports.itemDoubleClicked.connect(self._use_port)
        self.ports_note = QLabel(self.tr("Double-click a port to use it for the device."))

        # -- live test
        self.scans = simple_table("scanTable", [self.tr("Time"), self.tr("Device"), self.tr("What"),
                                          self.tr("Value"), self.tr("Symbology"),
                                          self.tr("Batch"), self.tr("Expiry"),
                                          self.tr("Serial"), self.tr("Problem")])
        fit_columns(self.scans)
        # Before any reading the big label is empty and the state says why in words (a lone
        # dash in big bold type reads as a black bar).
        self.weight_label = QLabel("")
        self.weight_label.setObjectName("liveWeight")
        bold(self.weight_label, 30)
        self.weight_state = QLabel("")
        self.weight_state.setObjectName("weightState")
        readable(self.weight_state, 14)

        # -- simulator (training)
        self.sim_scanner = QComboBox()
        self.sim_scanner.setObjectName("simScanner")
        self.sim_scanner.setMinimumContentsLength(10)
        self.sim_scanner.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sim_scanner.setPlaceholderText(self.tr("no sim:// scanner"))
        self.sim_text = BadgeField()
        self.sim_text.setObjectName("simText")
        self.sim_text.setPlaceholderText(self.tr("Barcode to scan"))
        self.sim_button = QPushButton(self.tr("Scan"))
        self.sim_button.setObjectName("simScan")
        self.sim_button.clicked.connect(self._sim_scan)
        self.sim_text.returnPressed.connect(self._sim_scan)
        self.sim_scale = QComboBox()
        self.sim_scale.setObjectName("simScale")
        self.sim_scale.setMinimumContentsLength(10)
        self.sim_scale.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sim_scale.setPlaceholderText(self.tr("no sim:// scale"))
        self.sim_grams = _spin(0, 150_000, 1250, " g")
        self.sim_grams.setObjectName("simGrams")
        self.sim_stable = QCheckBox(self.tr("steady"))
        self.sim_stable.setChecked(True)
        self.sim_weigh = QPushButton(self.tr("Put on scale"))
        self.sim_weigh.setObjectName("simWeigh")
        self.sim_weigh.clicked.connect(self._sim_weight)
        self.sim_cable = QPushButton(self.tr("Pull cable"))
        self.sim_cable.setCheckable(True)
        self.sim_cable.toggled.connect(self._sim_cable)
        sim = QGroupBox(self.tr("Simulated devices (training)"))
        sim_layout = QVBoxLayout(sim)
        row = QHBoxLayout()
        row.addWidget(self.sim_scanner)
        row.addWidget(self.sim_text, 1)
        row.addWidget(self.sim_button)
        row.addWidget(self.sim_cable)
        sim_layout.addLayout(row)
        samples = QHBoxLayout()
        cards = {"CMD-CONFIRM": self.tr("Confirm"), "CMD-NEWBOX": self.tr("New box")}
        for title, code in SAMPLES:
            b = QPushButton(title or cards[code])
            b.setToolTip(code)
            b.clicked.connect(lambda _=False, c=code: self._sim_send(c))
            samples.addWidget(b)
        samples.addStretch(1)
        sim_layout.addLayout(samples)
        row = QHBoxLayout()
        row.addWidget(self.sim_scale)
        row.addWidget(self.sim_grams)
        row.addWidget(self.sim_stable)
        row.addWidget(self.sim_weigh)
        row.addStretch(1)
        sim_layout.addLayout(row)
        self.sim_box = sim

        # -- layout
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(bold_label(self.tr("Devices of this station")))
        lv.addWidget(self.devices, 2)
        lv.addLayout(buttons)
        lv.addWidget(self.components_box, 1)
        lv.addWidget(form_box)
        lv.addWidget(bold_label(self.tr("Serial ports")))
        lv.addWidget(self.ports, 1)
        lv.addWidget(self.ports_note)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(bold_label(self.tr("Live test: last scans")))
        rv.addWidget(self.scans, 3)
        weight_row = QHBoxLayout()
        weight_row.addWidget(bold_label(self.tr("Weight")))
        weight_row.addWidget(self.weight_label)
        weight_row.addWidget(self.weight_state)
        weight_row.addStretch(1)
        rv.addLayout(weight_row)
        rv.addWidget(sim)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([650, 750])
        outer = QVBoxLayout(self)
        self.message = MessageLine()
        outer.addWidget(splitter, 1)
        outer.addWidget(self.message)

        manager.status_changed.connect(self._status)
        manager.scanned.connect(self._scanned)
        manager.reading.connect(self._reading)
        manager.weighed.connect(self._weighed)
        manager.ports_changed.connect(self._ports_changed)
        manager.config_error.connect(self._config_error)
        manager.started.connect(self._started)
        self._fill_devices()
        self._fill_ports(self.service.ports())
        self._fill_sims()
        self._no_reading()
        self._new()
        self.ask_components()

    # ---- print components

    def ask_components(self) -> None:
        """Ask each component for its printers, off the GUI thread."""
        if not self.component_specs:
            return
        self.components_button.setEnabled(False)
        self.components.setRowCount(len(self.component_specs))
        for row, spec in enumerate(self.component_specs):
            for col, text in enumerate((spec.name, self._component_title(spec.language),
                                        self.tr("Asking…"), "")):
                self.components.setItem(row, col, table_item(text))
        Task(station_devices.ask_components, self.component_specs).owned_by(self).success(
            self._show_components).failure(self._components_failed).start()

    def _component_title(self, language: str) -> str:
        return {"cainiao": self.tr("Cainiao"), "pdd": self.tr("Pinduoduo"),
                "douyin": self.tr("Douyin"), "kuaishou": self.tr("Kuaishou")}.get(
                    language, language)

    def _show_components(self, states: list[ComponentState]) -> None:
        self.components_button.setEnabled(True)
        self.components.setRowCount(len(states))
        for row, st in enumerate(states):
            if not st.running:
                status, colour = self.tr("Not running"), "#b00020"
            elif st.offered:
                status, colour = self.tr("Running"), "#1b5e20"
            else:
                printer = st.url.split("printer=", 1)[-1].split("&", 1)[0]
                status = self.tr("Running, %1 not offered").replace(
                    "%1", _unquote(printer))
                colour = "#b00020"
            offered = ", ".join(st.printers) if st.running else ""
            for col, (text, tint) in enumerate((
                    (st.printer, None), (self._component_title(st.language), None),
                    (status, colour), (offered, None))):
                item = table_item(text, tint)
                if col == 2 and st.problem:
                    item.setToolTip(st.problem)
                elif col == 3:
                    item.setToolTip("\n".join(st.printers))
                self.components.setItem(row, col, item)

    def _components_failed(self, exc: BaseException) -> None:
        self.components_button.setEnabled(True)
        self.message.error(_refusal(exc) if isinstance(exc, Exception) else str(exc))

    # ---- device list

    def _fill_devices(self) -> None:
        states = self.service.status()
        broken = self.service.broken
        self.devices.setRowCount(len(states) + len(broken))
        for row, st in enumerate(states):
            self._show_state(row, st)
        # A section that cannot work is listed too, with why, so it can be fixed or removed.
        colour = _STATUS_COLOURS.get("error")
        for row, (name, exc) in enumerate(broken.items(), len(states)):
            items = self.service.written(name)
            kind = items.get("kind", "").strip().lower()
            for col, text in enumerate((
                    name, labels.label(labels.device_kind_names(), kind) if kind else "",
                    self.tr("Not started: its settings cannot work"),
                    describe_setting(exc, with_path=False), items.get("url", ""))):
                self.devices.setItem(row, col, table_item(text, colour if col in (2, 3)
                                                          else None))

    def _show_state(self, row: int, st: DeviceState) -> None:
        colour = _STATUS_COLOURS.get(st.status.value)
        reason = labels.label(labels.device_reason_names(), st.reason.value) \
            if st.reason else ""
        for col, text in enumerate((
                st.name, labels.label(labels.device_kind_names(), st.kind),
                labels.label(labels.device_status_names(), st.status.value), reason, st.url)):
            self.devices.setItem(row, col, table_item(text, colour if col in (2, 3) else None))

    def _reconnect(self) -> None:
        """The settings as they are now: the list at once, the devices as they come up."""
        self.service.reload()
        self._fill_devices()
        self._fill_sims()

    def _config_error(self, exc: SettingsError) -> None:
        self.message.error(describe_setting(exc, with_path=False))

    def _started(self) -> None:
        self._fill_devices()
        self._fill_sims()

    def _status(self, state: DeviceState) -> None:
        names = [s.name for s in self.service.status()]
        if len(names) + len(self.service.broken) != self.devices.rowCount() \
                or state.name not in names:
            self._fill_devices()
            self._fill_sims()
            return
        self._show_state(names.index(state.name), state)

    def _selected(self) -> None:
        rows = self.devices.selectionModel().selectedRows()
        if not rows:
            return
        name = _text(self.devices.item(rows[0].row(), 0))
        spec = next((s for s in self.service.specs if s.name == name), None)
        if spec is None and name in self.service.broken:
            spec = self._as_written(name)
        if spec is not None:
            self._edit(spec)

    def _as_written(self, name: str) -> devices.DeviceSpec:
        """A broken section in the form, as far as it reads, to be fixed or removed."""
        items = self.service.written(name)
        kind = items.get("kind", "").strip().lower()
        return devices.DeviceSpec(name, kind if kind in devices.KINDS else "scanner",
                                  items.get("url", "").strip(), {})

    # ---- the form

    def _new(self) -> None:
        self.devices.clearSelection()
        self._edit(devices.DeviceSpec("", "scanner", "", {}))
        self.name_edit.setFocus()

    def _edit(self, spec: devices.DeviceSpec) -> None:
        self.editing = spec.name or None
        o = spec.options
        self.name_edit.setText(spec.name)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(spec.kind), 0))
        self.url_edit.setText(spec.url)
        self.window_spin.setValue(int(o.get("window_ms", 500)))
        self.tolerance_spin.setValue(int(o.get("tolerance_g", 2)))
        self.gs_edit.setText(str(o.get("gs_substitute", "")))
        self.interkey_spin.setValue(int(o.get("max_interkey_ms", 30)))
        self.min_length_spin.setValue(int(o.get("min_length", 4)))
        self.prefix_edit.setText(str(o.get("prefix", "")))
        self.timeout_ms = int(o.get("timeout_ms", 80))
        self.suffix_combo.setCurrentIndex(max(self.suffix_combo.findData(
            str(o.get("suffix", "enter"))), 0))
        self.wedge_enabled.setChecked(bool(o.get("enabled", True)))
        self.form_message.info("")
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        shown = {"scanner": (self.url_edit, self.url_check, self.gs_edit),
                 "scale": (self.url_edit, self.url_check, self.window_spin,
                           self.tolerance_spin),
                 "wedge": (self.interkey_spin, self.min_length_spin, self.prefix_edit,
                           self.suffix_combo, self.wedge_enabled)}[kind]
        for widget in (self.url_edit, self.url_check, self.window_spin, self.tolerance_spin,
                       self.gs_edit, self.interkey_spin, self.min_length_spin,
                       self.prefix_edit, self.suffix_combo, self.wedge_enabled):
            self.form.setRowVisible(widget, widget in shown)
        self._check_url()

    def _check_url(self) -> None:
        text = self.url_edit.text().strip()
        if not text or self.kind_combo.currentData() == "wedge":
            self.url_check.setText("")
            return
        try:
            parsed = DeviceUrl.parse(text)
        except DeviceUrlError as exc:
            self.url_check.setStyleSheet(f"color: {ink('#b00020')};")
            self.url_check.setText("✖ " + describe_url_error(exc))
            return
        self.url_check.setStyleSheet(f"color: {ink('#1b5e20')};")
        self.url_check.setText("✔ " + self.tr("%1, %2 baud, ends with %3")
                               .replace("%1", parsed.name).replace("%2", str(parsed.baud))
                               .replace("%3", parsed.suffix.value))

    def spec_from_form(self) -> devices.DeviceSpec:
        kind = self.kind_combo.currentData()
        options: dict[str, object] = {}
        if kind == "scanner":
            options["gs_substitute"] = self.gs_edit.text()
        elif kind == "scale":
            options.update(window_ms=self.window_spin.value(),
                           tolerance_g=self.tolerance_spin.value(), poll_ms=200)
        else:
            options.update(enabled=self.wedge_enabled.isChecked(),
                           max_interkey_ms=self.interkey_spin.value(),
                           min_length=self.min_length_spin.value(),
                           prefix=self.prefix_edit.text().strip(),
                           suffix=self.suffix_combo.currentData(), timeout_ms=max(
                               self.timeout_ms, self.interkey_spin.value()))
        return devices.DeviceSpec(self.name_edit.text().strip(), kind,
                                  self.url_edit.text().strip() if kind != "wedge" else "",
                                  options)

    def _save(self) -> None:
        try:
            saved = devices.save_spec(self.service.settings, self.actor, self.spec_from_form(),
                                      replaces=self.editing)
        except (ValueError, ServiceError) as exc:
            self.form_message.error(_refusal(exc))
            return
        except OSError as exc:
            self.form_message.error(self._unwritable(exc))
            return
        self.editing = saved.name
        self.form_message.ok(self.tr("Saved; %1 reconnects now").replace("%1", saved.name))
        self._reconnect()

    def _unwritable(self, exc: OSError) -> str:
        """The settings file this account may not change (on Windows, station.ini is the
        Administrators' to change): nothing was saved."""
        return self.tr("Not saved: this account may not change the station settings file "
                       "(%1). On Windows only an administrator may: ask IT.").replace(
            "%1", exc.strerror or str(exc))

    def _remove(self) -> None:
        if self.editing is None:
            return
        if not ask(self, self.tr("Remove device"),
                   self.tr("Remove %1 from this station?").replace("%1", self.editing)):
            return
        try:
            devices.remove_spec(self.service.settings, self.actor, self.editing)
        except (ValueError, ServiceError) as exc:
            self.form_message.error(_refusal(exc))
            return
        except OSError as exc:
            self.form_message.error(self._unwritable(exc))
            return
        self._reconnect()
        self._new()

    # ---- ports

    def _ports_changed(self, added: list[PortRecord], removed: list[PortRecord]) -> None:
        self._fill_ports(self.service.ports())
        if added:
            self.message.info(self.tr("Plugged in: %1").replace(
                "%1", ", ".join(p["device"] for p in added)))
        elif removed:
            self.message.error(self.tr("Unplugged: %1").replace(
                "%1", ", ".join(p["device"] for p in removed)))

    def _fill_ports(self, ports: list[PortRecord]) -> None:
        self.ports.setRowCount(len(ports))
        for row, p in enumerate(ports):
            usb = f"{p['vid']:04x}:{p['pid']:04x}" if p["vid"] is not None \
                and p["pid"] is not None else ""
            for col, text in enumerate((p["device"], usb, p["serial_number"] or "",
                                        p["description"] or "", p["url"])):
                self.ports.setItem(row, col, table_item(text))

    def _use_port(self, item: QTableWidgetItem) -> None:
        url = _text(self.ports.item(item.row(), 4))
        if self.can_edit and url:
            self.url_edit.setText(url + ("?baud=9600&suffix=CR"
                                         if self.kind_combo.currentData() == "scanner"
                                         else "?baud=9600&protocol=ad"))

    # ---- live test

    def _scanned(self, event: Scanned) -> None:
        s: Scan = event.scan
        self.scans.insertRow(0)
        kind = labels.label(labels.scan_kind_names(), s.kind.value)
        if s.command is not None:
            kind += f" · {s.command.value}"
        problem = s.error.value if s.error else ""
        # A badge is a secret: the trainer sees that it read, not what it says.
        value = masked(s.text) if s.kind is ScanKind.BADGE else masked(s.value)
        for col, text in enumerate((timefmt.clock(datetime.now(UTC)), event.device, kind,
                                    value, s.symbology or "", s.batch or "",
                                    s.expiry.isoformat() if s.expiry else "", s.serial or "",
                                    problem)):
            self.scans.setItem(0, col, table_item(text, "#b00020" if problem else None))
        while self.scans.rowCount() > MAX_SCANS:
            self.scans.removeRow(self.scans.rowCount() - 1)

    def _no_reading(self) -> None:
        has_scale = any(s.kind == "scale" for s in self.service.specs)
        self.weight_state.setStyleSheet(f"color: {ink('#555555')};")
        self.weight_state.setText(self.tr("no reading from the scale yet") if has_scale
                                  else self.tr("no scale on this station"))

    def _reading(self, event: Weighed) -> None:
        w = event.weight
        self.weight_label.setText(weight_text(w.grams))
        if w.stable and self._settled is not None and abs(w.grams - self._settled) <= 2:
            return  # still the settled weight: keep saying so
        self._settled = None
        if w.overload:
            state, colour = self.tr("⚠ over range"), "#b00020"
        elif w.underload:
            state, colour = self.tr("⚠ below zero"), "#b00020"
        elif w.motion or not w.stable:
            state, colour = self.tr("~ moving"), "#8a6d00"
        else:
            state, colour = self.tr("steady"), "#555555"
        self.weight_state.setStyleSheet(f"color: {ink(colour)};")
        self.weight_state.setText(state)

    def _weighed(self, event: Weighed) -> None:
        self._settled = event.weight.grams
        self.weight_label.setText(weight_text(event.weight.grams))
        self.weight_state.setStyleSheet(f"color: {ink('#1b5e20')}; font-weight: bold;")
        self.weight_state.setText(self.tr("✔ settled"))

    # ---- simulator

    def _fill_sims(self) -> None:
        for combo, kind in ((self.sim_scanner, "scanner"), (self.sim_scale, "scale")):
            current = combo.currentText()
            combo.clear()
            combo.addItems(self.service.simulated(kind))
            if current:
                combo.setCurrentText(current)
            if combo.currentIndex() < 0 and combo.count():
                combo.setCurrentIndex(0)  # shown, not a blank box
        has_sim = self.sim_scanner.count() > 0 or self.sim_scale.count() > 0
        self.sim_box.setEnabled(has_sim)
        self.sim_box.setToolTip("" if has_sim else self.tr(
            "Add a device with the URL sim:// to train without hardware"))

    def _sim_scan(self) -> None:
        self._sim_send(self.sim_text.value())
        if self.sim_text.badge() is not None:
            self.sim_text.forget()
        else:
            self.sim_text.selectAll()

    def _sim_send(self, text: str) -> None:
        name = self.sim_scanner.currentText()
        if not text or not name:
            return
        if not self.service.simulate_scan(name, text):
            self.message.error(self.tr("%1 is unplugged").replace("%1", name))

    def _sim_weight(self) -> None:
        name = self.sim_scale.currentText()
        if name:
            self.service.simulate_weight(name, self.sim_grams.value(),
                                         self.sim_stable.isChecked())

    def _sim_cable(self, pulled: bool) -> None:
        for name in self.service.simulated("scanner") + self.service.simulated("scale"):
            self.service.set_cable(name, not pulled)
        self.sim_cable.setText(self.tr("Put cable back") if pulled else self.tr("Pull cable"))


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


def bold_label(text: str) -> QLabel:
    label = QLabel(text)
    bold(label, 13)
    return label


def _text(item: QTableWidgetItem | None) -> str:
    """A cell's text; a cell never filled reads as empty."""
    return item.text() if item is not None else ""
