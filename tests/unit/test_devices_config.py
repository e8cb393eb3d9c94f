"""Station device settings: each `[device:NAME]` section checked with a clear message, the
wedge filter on by default, barcode patterns overridable, changes only by IT."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import devices
from app.config import Settings, SettingsError
from app.domain.roles import Role
from app.services.context import Actor
from app.services.errors import PermissionDenied


def _settings(text: str, path: Path | None = None) -> Settings:
    return Settings.from_text(text, path)


def _actor(role: Role) -> Actor:
    return Actor(user_id=None, code=role.value, name=role.value, role=role, station="ST-T")


def test_sections_become_specs_and_a_wedge_is_added_when_none_is_configured() -> None:
    specs = devices.load_specs(_settings(
        "[device:pack-scanner]\nkind = scanner\nurl = serial:///dev/ttyACM0?suffix=CRLF\n"
        "[device:scale]\nkind = scale\nurl = usbserial://1a86:7523?protocol=toledo\n"
        "tolerance_g = 5\n"))
    assert [(s.name, s.kind) for s in specs] == [("pack-scanner", "scanner"), ("scale", "scale"),
                                                 ("wedge", "wedge")]
    assert specs[1].options == {"window_ms": 500, "tolerance_g": 5, "poll_ms": 200}
    assert specs[2].options["enabled"] is True


@pytest.mark.parametrize(("written", "suffix"), [
    ("enter", "\r"), ("CR", "\r"), ("lf", "\r"), ("Tab", "\t"), ("none", None)])
def test_a_wedge_suffix_is_enter_tab_or_none_by_any_usual_name(written: str,
                                                                suffix: str | None) -> None:
    (spec,) = devices.load_specs(_settings(f"[device:w]\nkind = wedge\nsuffix = {written}\n"
                                           "prefix = ~\nmin_length = 6\n"))
    classifier = devices.wedge_classifier(spec)
    assert (classifier.suffix, classifier.prefix, classifier.min_length) == (suffix, "~", 6)


@pytest.mark.parametrize(("text", "message"), [
    ("[device:a]\nkind = printer\nurl = sim://", "[device:a] kind: 'printer' is not one of scanner, scale, wedge"),
    ("[device:a]\nkind = scanner\n", "url: required for a scanner"),
    ("[device:a]\nkind = scanner\nurl = bogus://x", "unknown device URL scheme"),
    ("[device:a]\nkind = scanner\nurl = serial:///dev/x?baud=fast", "[device:a] url"),
    ("[device:a]\nkind = scanner\nurl = sim://\ncolour = red",
     "[device:a] colour: unknown key for a scanner"),
    ("[device:a]\nkind = scale\nurl = sim://\nwindow_ms = soon", "[device:a] window_ms"),
    ("[device:a]\nkind = wedge\nurl = sim://", "a wedge scanner is a keyboard"),
    ("[device:a]\nkind = wedge\nsuffix = space", "[device:a] suffix: 'space' is not one of enter, tab, none"),
    ("[device:a]\nkind = wedge\nmax_interkey_ms = 0", "[device:a] max_interkey_ms: 0 is outside 1 to 1000"),
    ("[device:a]\nkind = scanner\nurl = sim://\ngs_substitute = ||", "[device:a] gs_substitute: longer than 1 characters"),
    ("[device:a]\nkind = scanner\nurl = serial:///dev/x?protocol=ad", "protocol= is for scales"),
])
def test_a_bad_section_is_refused_with_its_name_and_key(text: str, message: str) -> None:
    with pytest.raises(devices.DeviceConfigError) as err:
        devices.parse_spec("a", _settings(text).sections("device:")["a"])
    assert message in str(err.value)
    specs, broken = devices.load_all(_settings(text))
    assert list(broken) == ["a"] and message in str(broken["a"])
    assert [s.name for s in specs] == ["wedge"]


def test_scan_patterns_can_be_replaced_per_station() -> None:
    settings = _settings("[scan]\nwaybill = ^SF\\d{12}$\n    ^KY\\d{13}$\ngs_substitute = |\n")
    patterns = devices.scan_patterns(settings)
    assert patterns.waybill == (r"^SF\d{12}$", r"^KY\d{13}$")
    assert patterns.order == devices.DEFAULT_PATTERNS.order
    assert devices.gs_substitute(settings) == "|"
    with pytest.raises(devices.DeviceConfigError, match="not a regular expression"):
        devices.scan_patterns(_settings("[scan]\norder = ^PL(\\d+$\n"))
    with pytest.raises(devices.DeviceConfigError, match=r"\[scan\] colour: unknown key"):
        devices.scan_patterns(_settings("[scan]\ncolour = red\n"))


def test_only_it_changes_devices_and_the_file_holds_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    settings = Settings.load(path)
    spec = devices.DeviceSpec("bench", "scale", "sim://bench", {"tolerance_g": 4})
    with pytest.raises(PermissionDenied):
        devices.save_spec(settings, _actor(Role.PACKER), spec)
    assert not path.exists()
    devices.save_spec(settings, _actor(Role.ADMIN), spec)
    again = devices.load_specs(Settings.load(path))
    assert [(s.name, s.url, s.options["tolerance_g"]) for s in again[:1]] == [
        ("bench", "sim://bench", 4)]
    # A second device may not take the same name; a bad URL changes nothing.
    with pytest.raises(devices.DeviceConfigError, match="exists already"):
        devices.save_spec(settings, _actor(Role.ADMIN), spec)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(devices.DeviceConfigError):
        devices.save_spec(settings, _actor(Role.ADMIN),
                          devices.DeviceSpec("bench", "scale", "nope://"), replaces="bench")
    assert path.read_text(encoding="utf-8") == before
    devices.save_spec(settings, _actor(Role.ADMIN),
                      devices.DeviceSpec("scale-1", "scale", "sim://bench", {}),
                      replaces="bench")
    assert [s.name for s in devices.load_specs(Settings.load(path))] == ["scale-1", "wedge"]
    devices.remove_spec(settings, _actor(Role.ADMIN), "scale-1")
    assert [s.name for s in devices.load_specs(Settings.load(path))] == ["wedge"]
    with pytest.raises(devices.DeviceConfigError, match="no device named"):
        devices.remove_spec(settings, _actor(Role.ADMIN), "scale-1")


def test_the_readme_devices_example_works_as_written(tmp_path: Path) -> None:
    """IT copies the example into station.ini: every key must load as documented (INI has no
    comments after a value; one there would become part of it)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Devices: scanners and scales"):]
    block = section[section.index("```ini\n") + 7:]
    block = block[:block.index("```")]
    path = tmp_path / "station.ini"
    path.write_text(block, encoding="utf-8")
    settings = Settings.load(path)
    specs = {s.name: s for s in devices.load_specs(settings)}
    assert specs["scale"].options["window_ms"] == 500
    wedge = devices.wedge_classifier(specs["wedge"])
    assert (wedge.max_gap, wedge.min_length, wedge.prefix, wedge.suffix) == (0.030, 4, "", "\r")
    assert devices.gs_substitute(settings) == "|"
    assert devices.scan_patterns(settings).waybill


DEVICES_FILE = """\
# 杭州仓 bench 3 — IT (王工) keeps this file in the deployment share
[station]
code = ST-HZ-PACK-03   ; as on the asset tag

; the bench scale, calibrated 2026-11-02
[device:scale]
kind = scale
url = serial:///dev/ttyUSB1?baud=9600&protocol=ad
; the reading must stay within tolerance_g this long to count
window_ms = 500
tolerance_g = 2   ; grams

; the Zebra by the door
[printer:label]
url = tcp://192.168.1.50:9100
language = zpl
"""


def test_saving_a_device_changes_only_its_own_keys_and_keeps_every_comment(
        tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text(DEVICES_FILE, encoding="utf-8")
    settings = Settings.load(path)
    (scale,) = [s for s in devices.load_specs(settings) if s.name == "scale"]
    changed = devices.DeviceSpec("scale", "scale", scale.url, {**scale.options, "tolerance_g": 5})
    devices.save_spec(settings, _actor(Role.ADMIN), changed, replaces="scale")
    assert path.read_text(encoding="utf-8") == DEVICES_FILE.replace(
        "tolerance_g = 2   ; grams", "tolerance_g = 5   ; grams")
    # What the app holds now is the value, not the comment kept beside it.
    assert settings.section("device:scale")["tolerance_g"] == "5"
    assert devices.load_specs(settings)[0].options["tolerance_g"] == 5
    # A new device goes after the others; nothing IT wrote moves.
    devices.save_spec(settings, _actor(Role.ADMIN),
                      devices.DeviceSpec("trainer", "scanner", "sim://trainer", {}))
    after = path.read_text(encoding="utf-8")
    assert after.startswith(DEVICES_FILE.replace("tolerance_g = 2", "tolerance_g = 5"))
    assert after.endswith("\n[device:trainer]\nkind = scanner\nurl = sim://trainer\n")
    # Removing a device keeps the comment that describes the next section.
    devices.remove_spec(settings, _actor(Role.ADMIN), "scale")
    after = path.read_text(encoding="utf-8")
    assert "[device:scale]" not in after and "calibrated" not in after
    assert "; the Zebra by the door\n[printer:label]" in after
    assert "# 杭州仓 bench 3" in after and "; as on the asset tag" in after


def test_saving_a_device_takes_the_file_as_it_is_on_disk_now(tmp_path: Path) -> None:
    """IT edited the file while the app ran: the save keeps that edit."""
    path = tmp_path / "station.ini"
    path.write_text(DEVICES_FILE, encoding="utf-8")
    settings = Settings.load(path)
    path.write_text(DEVICES_FILE + "\n; added by IT later\n[printers]\ndefault = label\n",
                    encoding="utf-8")
    devices.save_spec(settings, _actor(Role.ADMIN),
                      devices.DeviceSpec("trainer", "scanner", "sim://trainer", {}))
    after = path.read_text(encoding="utf-8")
    assert "; added by IT later\n[printers]\ndefault = label\n" in after
    assert settings.section("printers") == {"default": "label"}


def test_a_refused_device_save_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "station.ini"
    path.write_text(DEVICES_FILE, encoding="utf-8")
    settings = Settings.load(path)
    for bad in (devices.DeviceSpec("scale", "forklift", "sim://x", {}),
                devices.DeviceSpec("sc[ale", "scanner", "sim://x", {}),
                devices.DeviceSpec("w", "wedge", "", {"prefix": "a ;b"})):
        with pytest.raises(SettingsError):
            devices.save_spec(settings, _actor(Role.ADMIN), bad)
        assert path.read_text(encoding="utf-8") == DEVICES_FILE


@pytest.mark.parametrize(("items", "key", "words"), [
    ({"url": "file://", "language": "pdf", "dpi": "abc"}, "dpi", "203, 300"),
    ({"url": "file://", "language": "pdf", "dpi": "600"}, "dpi", "203, 300"),
    ({"url": "file://", "language": "pdf", "timeout": "-1"}, "timeout", "0 to 600"),
    ({"url": "file://", "language": "klingon"}, "language", "zpl, tspl"),
    ({"url": "file://", "language": "pdf", "paper": "A5"}, "paper", "100x150"),
    ({"url": "file://", "language": "pdf", "cjk": "bitmap"}, "cjk", "graphic, font"),
    ({"url": "file://\x00", "language": "pdf"}, "url", "U+0000"),
])

def test_a_bad_printer_value_names_the_section_and_the_key(items: dict[str, str], key: str,
                                                           words: str) -> None:
    from app.printers import PrinterConfigError, parse_printer

    with pytest.raises(PrinterConfigError) as caught:
        parse_printer("label", items)
    assert (caught.value.section, caught.value.key) == ("printer:label", key)
    assert f"[printer:label] {key}: " in str(caught.value) and words in str(caught.value)


def test_names_and_urls_from_the_file_are_refused_with_control_characters() -> None:
    from app.printers import PrinterConfigError, parse_printer

    with pytest.raises(devices.DeviceConfigError) as caught:
        devices.parse_spec("scanner", {"kind": "scanner", "url": "sim://a\x00b"})
    assert (caught.value.key, caught.value.code) == ("url", "settings.bad_character")
    with pytest.raises(PrinterConfigError) as refused:
        parse_printer("label\x00", {"url": "file://", "language": "pdf"})
    assert refused.value.code == "printer.bad_name"
    assert parse_printer("打包台-1", {"url": "file://", "language": "pdf"}).name == "打包台-1"


NAMED_THE_OLD_WAY = """\
[station]
code = ST-1

[device:bench scale]
kind = scale
url = sim://bench

[device:door]
kind = scanner
url = sim://door

[device:扫描 枪 (左)]
kind = scanner
url = sim://left

[printer:Zebra GK420]
url = file://
language = zpl

[printers]
waybill = Zebra GK420
"""


def test_names_with_spaces_and_any_printable_text_load_as_they_did() -> None:
    from app.printers import load_setup

    settings = _settings(NAMED_THE_OLD_WAY)
    assert [s.name for s in devices.load_specs(settings)] == [
        "bench scale", "door", "扫描 枪 (左)", "wedge"]
    setup = load_setup(settings)
    assert list(setup.printers) == ["Zebra GK420"]
    assert setup.for_role("waybill").name == "Zebra GK420"


PRINTERS = """\
[ui]
language = en

[printer:label]
url = file://
language = pdf

[printer:office]
url = file://
language = pdf
paper = a4

[printers]
default = label
picklist = office
slip =
"""


def test_the_printers_and_their_roles_are_read_once_and_checked() -> None:
    from app.printers import PrinterConfigError, load_setup

    setup = load_setup(_settings(PRINTERS))
    assert list(setup.printers) == ["label", "office"]
    assert dict(setup.roles) == {"default": "label", "picklist": "office"}  # slip: none chosen
    assert setup.for_role("picklist").name == "office"
    assert setup.for_role("waybill").name == "label"  # the default
    assert setup.for_role("slip").name == "label"
    with pytest.raises(PrinterConfigError) as caught:
        setup.for_role("poster")
    assert (caught.value.code, caught.value.params) == ("printer.unknown_role",
                                                        {"role": "poster"})
    assert load_setup(_settings("[ui]\nlanguage = en\n")).for_role("label").name == "folder"


@pytest.mark.parametrize(("written", "instead", "code", "key"), [
    ("picklist = office", "picklist = office-2", "printer.no_such_printer", "picklist"),
    ("slip =", "poster = label", "settings.unknown_key", "poster"),
])
def test_a_role_that_cannot_print_is_refused_where_it_is_written(
        written: str, instead: str, code: str, key: str) -> None:
    from app.printers import load_setup

    text = PRINTERS.replace(written, instead)
    with pytest.raises(SettingsError) as caught:
        load_setup(_settings(text, Path("station.ini")))
    line = text.splitlines().index(instead) + 1
    assert (caught.value.code, caught.value.section, caught.value.key, caught.value.line,
            caught.value.path) == (code, "printers", key, line, Path("station.ini"))


@pytest.mark.parametrize("name", ["", "  ", "a\x01b", "a\u202eb"])
def test_a_name_that_cannot_be_shown_is_still_refused(name: str) -> None:
    from app.printers import PrinterConfigError, parse_printer

    with pytest.raises(devices.DeviceConfigError) as caught:
        devices.parse_spec(name, {"kind": "scanner", "url": "sim://"})
    assert caught.value.code == "device.bad_name"
    with pytest.raises(PrinterConfigError) as refused:
        parse_printer(name, {"url": "file://", "language": "pdf"})
    assert refused.value.code == "printer.bad_name"


def test_one_broken_device_section_leaves_the_others_working(
        caplog: pytest.LogCaptureFixture) -> None:
    path = Path("/srv/station/station.ini")
    settings = _settings("[device:door]\nkind = scanner\nurl = sim://door\n\n"
                         "[device:lift]\nkind = forklift\n\n"
                         "[device:scale]\nkind = scale\nurl = sim://s\npoll_ms = 5\n", path)
    with caplog.at_level("WARNING", logger="packline.devices"):
        specs, broken = devices.load_all(settings)
    assert [s.name for s in specs] == ["door", "scale", "wedge"]
    assert specs[1].options["poll_ms"] == 5  # (poll_ms below 10 was fine before, and is)
    assert list(broken) == ["lift"]
    assert (broken["lift"].key, broken["lift"].line, broken["lift"].path) == ("kind", 6, path)
    assert "device lift left out" in caplog.text and "forklift" in caplog.text
    assert [s.name for s in devices.load_specs(settings)] == ["door", "scale", "wedge"]


@pytest.mark.parametrize(("url", "code", "params"), [
    ("bogus://x", "device_url.unknown_scheme", {"scheme": "bogus"}),
    ("serial:///dev/x?baud=fast", "device_url.bad_baud", {"value": "fast"}),
    ("serial:///dev/x?colour=red", "device_url.unknown_option", {"option": "colour"}),
    ("socket://[::1", "device_url.malformed", {}),
])
def test_a_bad_device_url_is_worded_in_the_readers_language(url: str, code: str,
                                                             params: dict[str, str]) -> None:
    from app.ui.messages import catalogue, describe_setting, words_in

    with pytest.raises(devices.DeviceConfigError) as caught:
        devices.parse_spec("a", {"kind": "scanner", "url": url})
    exc = caught.value
    assert exc.code == code and code in catalogue()
    assert params.items() <= exc.params.items()
    chinese = describe_setting(exc, words_in("zh_CN"))
    assert chinese.startswith("[device:a] url") and not any(
        word in chinese for word in ("unknown", "must be", "not a URL", "Invalid"))
    for value in params.values():
        assert value in chinese


@pytest.mark.parametrize(("url", "code"), [
    ("ftp://x", "printer_url.unknown_scheme"), ("tcp://host:99999", "printer_url.bad_port"),
    ("tcp://[::1", "printer_url.malformed"), ("file://relative/x", "printer_url.file_host"),
])
def test_a_bad_printer_url_is_worded_in_the_readers_language(url: str, code: str) -> None:
    from app.printers import PrinterConfigError, parse_printer
    from app.ui.messages import catalogue, describe_setting, words_in

    with pytest.raises(PrinterConfigError) as caught:
        parse_printer("label", {"url": url, "language": "zpl"})
    assert caught.value.code == code and code in catalogue()
    chinese = describe_setting(caught.value, words_in("zh_CN"))
    assert chinese.startswith("[printer:label] url") and "must be" not in chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_every_url_error_code_of_the_drivers_is_worded() -> None:
    import ast

    from app.ui.messages import catalogue

    root = Path(__file__).resolve().parents[2]
    wordings = catalogue()
    for path, error, prefix in (("drivers/urls.py", "DeviceUrlError", "device_url"),
                                ("drivers/printers/urls.py", "PrinterUrlError",
                                 "printer_url")):
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                 and getattr(n.func, "id", "") == error]
        codes = {c.args[1].value for c in calls
                 if len(c.args) > 1 and isinstance(c.args[1], ast.Constant)}
        assert len(codes) > 10
        assert all(len(c.args) > 1 for c in calls), f"{path}: a {error} without a code"
        assert {c for c in codes if f"{prefix}.{c}" not in wordings} <= {
            "unresolved", "simulated", "not_usb"}  # (never from parsing a URL)


def test_a_bad_scan_pattern_names_its_key_and_pattern_without_pythons_words() -> None:
    from app.ui.messages import describe_setting, words_in

    settings = _settings("[scan]\nwaybill = ^SF[0-9]{12}$\n    ^ZT(12$   ; ZTO\n")
    with pytest.raises(devices.DeviceConfigError) as caught:
        devices.scan_patterns(settings)
    exc = caught.value
    assert (exc.code, exc.key, exc.params) == ("scan.bad_pattern", "waybill",
                                               {"pattern": "^ZT(12$"})
    chinese = describe_setting(exc, words_in("zh_CN"))
    assert chinese.startswith("[scan] waybill") and "^ZT(12$" in chinese
    assert "missing" not in chinese and "position" not in chinese


def test_a_broken_wedge_section_still_leaves_the_wedge_filter_on_with_its_defaults() -> None:
    specs, broken = devices.load_all(_settings("[device:wedge]\nkind = wedge\nsuffix = space\n"))
    assert list(broken) == ["wedge"] and broken["wedge"].key == "suffix"
    assert [(s.name, s.kind, s.options["suffix"]) for s in specs] == [("wedge", "wedge", "enter")]
