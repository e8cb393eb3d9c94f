"""The station's device service without Qt: scanners and scales on real pseudo-terminals,
configured in a real settings file, their news told to subscribers through callbacks; a
reload after the file changed; what cannot work reported while the rest runs; the rule that a
bench with a scale weighs every parcel."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import devices
from app.config import Settings
from app.domain.roles import Role
from app.services.context import Actor
from app.station.devices import (
    DeviceService,
    DeviceState,
    Listener,
    Scanned,
    WedgeInput,
    Weighed,
    scale_required,
)
from drivers.barcode import ScanKind
from drivers.base import DeviceStatus, StatusReason
from drivers.sim import PtyFeed, ScaleEmulator
from tests.drivers.conftest import WAIT, Recorder

pytestmark = pytest.mark.timeout(60)


class Heard:
    """Everything one subscriber heard, each kind waited on with a deadline."""

    def __init__(self) -> None:
        self.scans = Recorder[Scanned]()
        self.weights = Recorder[Weighed]()
        self.readings = Recorder[Weighed]()
        self.statuses = Recorder[DeviceState]()
        self.problems = Recorder[devices.DeviceConfigError]()
        self.wedges = Recorder[WedgeInput | None]()
        self.started = Recorder[None]()

    def listener(self) -> Listener:
        return Listener(on_scan=self.scans, on_weight=self.weights, on_reading=self.readings,
                        on_status=self.statuses, on_problem=self.problems,
                        on_wedge=self.wedges, on_started=lambda: self.started(None))

    def wait_status(self, name: str, status: DeviceStatus, after: int = 0) -> int:
        """Wait for `name` reported as `status` at an index >= `after`; return that index."""
        items = self.statuses.wait_for(lambda items: any(
            s.name == name and s.status is status for s in items[after:]))
        return next(i for i in range(after, len(items))
                    if items[i].name == name and items[i].status is status)


@pytest.fixture
def service_for(tmp_path: Path) -> Iterator[Callable[..., tuple[DeviceService, Heard]]]:
    """`service_for(ini_text)`: a started service of that settings file and what it told."""
    made: list[DeviceService] = []

    def make(text: str, **kwargs: object) -> tuple[DeviceService, Heard]:
        path = tmp_path / "station.ini"
        path.write_text(text, encoding="utf-8")
        service = DeviceService(Settings.load(path), watch_ports=False, **kwargs)  # type: ignore[arg-type]
        heard = Heard()
        service.subscribe(heard.listener())
        made.append(service)
        service.start().result(WAIT)
        return service, heard

    yield make
    for service in made:
        service.stop()


def _device_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("packline-device ")]


def test_a_pty_scanner_is_opened_once_its_scans_told_and_its_unplug_seen(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    feed = PtyFeed()
    try:
        service, heard = service_for(
            f"[device:pack]\nkind = scanner\nurl = {feed.url}?suffix=CR\n"
            "[device:wedge]\nkind = wedge\nenabled = false\n"
            "[scan]\ngs_substitute = |\n")
        connected = heard.wait_status("pack", DeviceStatus.CONNECTED)
        assert service.state("pack") is not None
        assert service.state("pack").status is DeviceStatus.CONNECTED  # type: ignore[union-attr]
        assert feed.write("]C10106901234567892|17271231", "\r")  # GS typed as | by this scanner
        (scan,) = heard.scans.wait_count(1)
        assert scan.device == "pack"
        assert (scan.scan.kind, scan.scan.gtin, scan.scan.expiry.isoformat()) == (  # type: ignore[union-attr]
            ScanKind.SKU, "06901234567892", "2027-12-31")
        # The wedge is switched off: the desktop is told to listen for none.
        assert heard.wedges.items == [None]
        assert [(s.name, s.status) for s in service.status()] == [
            ("pack", DeviceStatus.CONNECTED), ("wedge", DeviceStatus.STOPPED)]
        feed.unplug()
        gone = heard.wait_status("pack", DeviceStatus.DISCONNECTED, connected)
        assert heard.statuses.items[gone].reason is StatusReason.IO_ERROR
        assert service.state("pack").status is DeviceStatus.DISCONNECTED  # type: ignore[union-attr]
    finally:
        feed.close()


def test_a_pty_scale_tells_each_settled_weight_once_and_every_reading(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    feed = PtyFeed()
    scale = ScaleEmulator(feed, "ad", interval_ms=20)
    scale.set(1250, stable=False)
    scale.start()
    try:
        service, heard = service_for(
            f"[device:bench]\nkind = scale\nurl = {feed.url}?protocol=ad\nwindow_ms = 100\n")
        heard.wait_status("bench", DeviceStatus.CONNECTED)
        heard.readings.wait_for(lambda items: any(not r.weight.stable for r in items))
        assert heard.weights.items == []  # moving: nothing settles
        scale.set(1250)
        (first,) = heard.weights.wait_count(1)
        assert (first.device, first.weight.grams, first.weight.stable) == ("bench", 1250, True)
        # Still on the platform: the readings go on, the settled weight is told once.
        count = len(heard.readings.items)
        heard.readings.wait_count(count + 10)
        assert len(heard.weights.items) == 1
        scale.set(800)
        settled = heard.weights.wait_count(2)
        assert [w.weight.grams for w in settled] == [1250, 800]
        assert service.scale_required
    finally:
        scale.stop()
        feed.close()


BROKEN = """\
[device:door]
kind = scanner
url = sim://door

[device:lift]
kind = forklift   ; mistyped
url = sim://lift

[scan]
order = ^PL(\\d+$
"""


def test_settings_that_cannot_work_are_told_and_the_rest_runs(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    service, heard = service_for(BROKEN)
    problems = heard.problems.wait_count(2)
    assert [(p.section, p.key) for p in problems] == [("scan", "order"),
                                                      ("device:lift", "kind")]
    assert problems[1].line == 6  # where IT finds it in the file
    assert list(service.broken) == ["lift"]
    assert service.written("lift") == {"kind": "forklift", "url": "sim://lift"}
    # No station goes without the keyboard-wedge filter: its defaults, listened for.
    assert [s.name for s in service.specs] == ["door", "wedge"]
    (wedge,) = heard.wedges.items
    assert wedge is not None and wedge.name == "wedge" and wedge.classifier.min_length == 4
    # The built-in patterns stay in force: an order number still reads as an order.
    assert service.simulated("scanner") == ["door"]
    assert service.simulate_scan("door", "PL2612060000171")
    (scan,) = heard.scans.wait_count(1)
    assert (scan.device, scan.scan.kind) == ("door", ScanKind.ORDER)


def test_the_wedge_scanner_is_listened_for_as_set_and_its_keys_parsed_like_any_scan(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    service, heard = service_for("[device:keys]\nkind = wedge\nprefix = ~\nsuffix = tab\n"
                                 "[scan]\ngs_substitute = ^\n")
    (wedge,) = heard.wedges.items
    assert wedge is not None and wedge.name == "keys"
    assert (wedge.classifier.prefix, wedge.classifier.suffix) == ("~", "\t")
    assert service.state("keys").status is DeviceStatus.CONNECTED  # type: ignore[union-attr]
    service.keyboard_scan("keys", "]C10106901234567892^17271231")
    (scan,) = heard.scans.wait_count(1)
    assert (scan.device, scan.scan.gtin) == ("keys", "06901234567892")
    service.stop()
    assert heard.wedges.items[-1] is None
    assert service.state("keys").status is DeviceStatus.STOPPED  # type: ignore[union-attr]


def test_a_reload_reads_the_changed_file_stops_what_went_and_starts_what_came(
        service_for: Callable[..., tuple[DeviceService, Heard]], tmp_path: Path) -> None:
    old, new = PtyFeed(), PtyFeed()
    try:
        service, heard = service_for(
            f"[device:pack]\nkind = scanner\nurl = {old.url}\n"
            "[device:wedge]\nkind = wedge\nenabled = false\n")
        heard.wait_status("pack", DeviceStatus.CONNECTED)
        assert _device_threads() == ["packline-device pack"]
        admin_it = _it()
        devices.remove_spec(service.settings, admin_it, "pack")
        devices.save_spec(service.settings, admin_it,
                          devices.DeviceSpec("dock", "scanner", new.url))
        before = len(heard.statuses.items)
        done = service.reload()
        # The settings are read at once; the devices follow on the control thread.
        assert [s.name for s in service.specs] == ["wedge", "dock"]
        assert service.state("pack") is None
        done.result(WAIT)
        heard.wait_status("dock", DeviceStatus.CONNECTED, before)
        assert _device_threads() == ["packline-device dock"]
        # What the old scanner reads after the reload is nobody's: it is stopped.
        assert not any(s.name == "pack" for s in heard.statuses.items[before:])
        assert new.write("TOTE-HZ-00017", "\r")
        (scan,) = heard.scans.wait_count(1)
        assert scan.device == "dock"
        assert len(heard.started.items) == 2
    finally:
        old.close()
        new.close()
    service.stop()
    assert _device_threads() == []


def test_reconnecting_all_tells_each_device_coming_up_again_and_nothing_of_the_old_drivers(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    feed = PtyFeed()
    try:
        service, heard = service_for(f"[device:pack]\nkind = scanner\nurl = {feed.url}\n")
        heard.wait_status("pack", DeviceStatus.CONNECTED)
        before = len(heard.statuses.items)
        service.reload().result(WAIT)
        heard.wait_status("pack", DeviceStatus.CONNECTED, before)
        # The old driver stopping is not news: the new one is coming up meanwhile.
        assert [s.status for s in heard.statuses.items[before:] if s.name == "pack"] == [
            DeviceStatus.CONNECTING, DeviceStatus.CONNECTED]
        assert _device_threads() == ["packline-device pack"]
        assert feed.write("WAVE-7", "\r")
        assert [s.scan.text for s in heard.scans.wait_count(1)] == ["WAVE-7"]
    finally:
        feed.close()


def test_the_settings_are_read_once_per_start_and_once_per_reload(
        service_for: Callable[..., tuple[DeviceService, Heard]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    for name in ("section", "sections"):
        original = getattr(Settings, name)

        def counted(self: Settings, arg: str, _original: Callable[..., object] = original,
                    _name: str = name) -> object:
            reads.append(f"{_name}({arg})")
            return _original(self, arg)

        monkeypatch.setattr(Settings, name, counted)
    service, _heard = service_for("[device:door]\nkind = scanner\nurl = sim://door\n"
                                  "[device:bench]\nkind = scale\nurl = sim://bench\n")
    assert sorted(reads) == ["section(scan)", "sections(device:)"]
    assert service.scale_required and service.scale_required  # no further reads
    service.status()
    assert len(reads) == 2
    service.reload().result(WAIT)
    assert sorted(reads) == ["section(scan)", "section(scan)", "sections(device:)",
                             "sections(device:)"]


def test_a_bench_with_a_scale_weighs_every_parcel(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    with_scale, _ = service_for("[device:bench]\nkind = scale\nurl = sim://bench\n")
    assert with_scale.scale_required
    without, _ = service_for("[device:door]\nkind = scanner\nurl = sim://door\n")
    assert not without.scale_required
    # A scale section that cannot work is no scale: it is listed to be fixed instead.
    broken, _ = service_for("[device:bench]\nkind = scale\nurl = serial://\n")
    assert list(broken.broken) == ["bench"] and not broken.scale_required
    # A scale that is unplugged is still the bench's scale: packing waits for it.
    assert scale_required([devices.DeviceSpec("bench", "scale", "serial:///dev/nothing")])
    assert not scale_required([])
    assert not DeviceService(Settings.empty()).scale_required  # never started: no devices


def test_the_cli_way_runs_the_devices_it_names_and_refuses_bad_settings_before_starting(
        tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text("[device:other]\nkind = scanner\nurl = sim://other\n", encoding="utf-8")
    spec = devices.parse_spec("scanner", {"kind": "scanner", "url": "sim://bench"})
    service = DeviceService(Settings.load(path), devices=[spec], watch_ports=False,
                            strict=True)
    heard = Heard()
    service.subscribe(heard.listener())
    service.start().result(WAIT)
    try:
        assert [s.name for s in service.specs] == ["scanner"]  # no wedge, no [device:other]
        assert heard.wedges.items == [None]
        assert service.simulate_scan("scanner", "CMD-CONFIRM")
        assert heard.scans.wait_count(1)[0].scan.command is not None
    finally:
        service.stop()
    path.write_text("[scan]\ngs_substitute = ||\n", encoding="utf-8")
    strict = DeviceService(Settings.load(path), devices=[spec], watch_ports=False, strict=True)
    with pytest.raises(devices.DeviceConfigError) as refused:
        strict.start()
    assert refused.value.key == "gs_substitute"
    assert strict.specs == () and _device_threads() == []


def test_a_subscriber_that_fails_does_not_keep_the_news_from_the_others(
        service_for: Callable[..., tuple[DeviceService, Heard]]) -> None:
    service, heard = service_for("[device:door]\nkind = scanner\nurl = sim://door\n")

    def broken(_scan: Scanned) -> None:
        raise RuntimeError("a screen's bug")

    late = Recorder[Scanned]()
    service.subscribe(Listener(on_scan=broken))
    unsubscribe = service.subscribe(Listener(on_scan=late))
    assert service.simulate_scan("door", "TOTE-HZ-00017")
    assert [s.scan.text for s in late.wait_count(1)] == ["TOTE-HZ-00017"]
    assert len(heard.scans.wait_count(1)) == 1
    unsubscribe()
    assert service.simulate_scan("door", "TOTE-HZ-00018")
    heard.scans.wait_count(2)
    assert len(late.items) == 1


def _it() -> Actor:
    return Actor(user_id=None, code="it01", name="IT", role=Role.ADMIN, station="ST-T")
