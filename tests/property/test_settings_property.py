"""Any bytes and any INI-shaped text as station.ini: read into valid settings (every key within
its registered choices and ranges, every device and printer section checked) or refused with a
`SettingsError` that names the file, and the section and key when a value is at fault; never
any other exception. Saving (configupdater) and reading again keeps every comment line and
every value; an upgrade to the current layout version keeps them too."""

from __future__ import annotations

import configparser
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from app.config import (
    LANGUAGES,
    LOG_LEVELS,
    OPTIONS,
    SETTINGS_VERSION,
    STATION_KINDS,
    Settings,
    SettingsError,
    decode,
    parse,
    upgrade_text,
)
from app.settings_check import check_bytes
from app.ui.messages import catalogue

PATH = Path("/srv/station/station.ini")
WORDED = set(catalogue())

_known_keys = [(o.section, o.key) for o in OPTIONS]
_good_values = {
    ("station", "code"): ["ST-01", "ST-HZ-PACK-03", ""], ("station", "kind"): list(STATION_KINDS),
    ("ui", "language"): [*LANGUAGES, "EN"], ("log", "level"): [*LOG_LEVELS, "debug"],
    ("central", "connect_timeout"): ["1", "5", "600"], ("log", "backups"): ["1", "100"],
    ("demo", "seed_on_first_start"): ["yes", "off"], ("engine", "embedded"): ["true", "0"],
    ("settings", "version"): ["1", "2"],
}
chinese = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8)
values = st.one_of(
    st.sampled_from(sorted({v for vs in _good_values.values() for v in vs})),
    chinese,
    st.text(max_size=20),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.sampled_from(["\x00", "ST\x00-1", "\ufeff", "a ;b", "sim://x", "file://", "203", "300",
                     "9" * 5000, "forklift", "klingon", "VERBOSE", "-5", "1e9", "  ",
                     "12 ; seconds", "ST-HZ-1   # asset tag", "en;x", "zh_CN #"]),
)
keys = st.one_of(st.sampled_from([k for _s, k in _known_keys]),
                 st.sampled_from(["kind", "url", "dpi", "language", "suffix", "window_ms",
                                  "waybill", "default", "page_size"]),
                 st.text(st.characters(blacklist_characters="=:[]\n\r;#"), min_size=1,
                         max_size=10))
section_names = st.one_of(
    st.sampled_from(sorted({s for s, _k in _known_keys}) + ["printers", "scan", "device:w",
                                                             "printer:label", "device:s"]),
    st.text(st.characters(blacklist_characters="[]\n\r"), min_size=1, max_size=10))
comments = st.builds(lambda p, t: f"{p} {t}", st.sampled_from(["#", ";"]),
                     st.one_of(chinese, st.text(st.characters(blacklist_characters="\n\r"),
                                                max_size=20)))


@st.composite
def ini_text(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(comments))
    for _ in range(draw(st.integers(0, 4))):
        lines.append(f"[{draw(section_names)}]")
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.integers(0, 4)) == 0:
                lines.append(draw(comments))
            lines.append(f"{draw(keys)} = {draw(values)}")
    return "\n".join(lines) + "\n"


def _encoded(draw_bom: bool, encoding: str, text: str) -> bytes:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # a lone surrogate: bytes no editor writes, refused
        data = text.encode("utf-8", errors="surrogatepass")
    return (b"\xef\xbb\xbf" if draw_bom else b"") + data


def _valid(settings: Settings) -> None:
    """Every registered value is what its key allows."""
    assert settings.get("station.kind") in STATION_KINDS
    assert settings.get("ui.language") in LANGUAGES
    assert settings.get("log.level") in LOG_LEVELS
    assert 1 <= settings.get("central.connect_timeout") <= 600
    assert 0 <= settings.get("log.backups") <= 100
    assert settings.get("log.max_bytes") == 0 or \
        100 <= settings.get("log.max_bytes") <= 1_000_000_000
    for name in ("station.code", "station.name", "station.warehouse", "central.url"):
        value = settings.get(name)
        assert isinstance(value, str) and "\x00" not in value and "\n" not in value
    assert isinstance(settings.get("demo.seed_on_first_start"), bool)


def _refused_properly(exc: SettingsError) -> None:
    assert type(exc).__mro__[0].__name__.endswith("Error") and isinstance(exc, SettingsError)
    assert exc.path == PATH and str(PATH) in str(exc)
    assert exc.code in WORDED, exc.code
    if exc.key is not None:
        assert exc.section is not None and f"[{exc.section}] {exc.key}" in str(exc)
    if exc.code.startswith(("settings.bad_choice", "settings.out_of_range",
                            "settings.not_whole", "settings.not_boolean")):
        assert exc.section is not None and exc.key is not None


def _check(data: bytes) -> None:
    checked = check_bytes(data, PATH)
    for problem in checked.problems:
        _refused_properly(problem)
    try:  # as the station reads it when it starts: an older version upgraded
        settings = Settings.from_bytes(data, PATH, upgrade=True)
    except SettingsError as exc:
        _refused_properly(exc)
        assert checked.problems
        return
    _valid(settings)


@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_in_words(data: bytes) -> None:
    _check(data)


@given(ini_text(), st.booleans(), st.sampled_from(["utf-8", "gb18030"]))
def test_any_ini_shaped_text_is_read_or_refused_naming_section_and_key(
        text: str, bom: bool, encoding: str) -> None:
    _check(_encoded(bom, encoding, text))


@hsettings(suppress_health_check=[HealthCheck.filter_too_much])
@given(ini_text(), st.sampled_from(OPTIONS), st.sampled_from(["7", "ST-GZ-02", "en", "true"]))
def test_load_save_load_keeps_every_comment_line_and_every_value(text: str, option, value: str
                                                                 ) -> None:
    data = text.encode(errors="surrogatepass")
    try:
        settings = Settings.from_bytes(data, PATH, check=False)
    except SettingsError:
        return  # not INI at all: nothing to save
    text = decode(data)  # as read (bytes that are not UTF-8 may well be GB18030)
    before = {name: settings.section(name) for name in _section_names(settings)}
    try:
        settings.set(option.name, value)
    except SettingsError:
        pass  # not a value for this key: refused, nothing changed
    else:
        before.setdefault(option.section, {})[option.key] = value
    assert {name: settings.section(name) for name in _section_names(settings)} == before
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "station.ini"
        try:
            settings.save(path)
        except SettingsError as exc:
            assert exc.code == "settings.unsavable" and exc.key is not None
            assert not path.exists()
            return
        saved = decode(path.read_bytes())  # in the encoding it was read in
    again = Settings.from_bytes(saved.encode(), PATH, check=False)
    assert {name: again.section(name) for name in _section_names(again)} == before
    saved_lines = saved.splitlines()
    for line in text.splitlines():
        if line.strip()[:1] in ("#", ";"):
            assert line in saved_lines


def _section_names(settings: Settings) -> list[str]:
    return [s.name for s in settings._doc.iter_sections()]  # noqa: SLF001 - the test's view


# Values over several lines, with comments inside them (README's [scan] patterns), blank lines.
_value_parts = st.sampled_from(["^SF$", "a", "b c", "中", " ; why", " # why", ";x", "#y", "=",
                                ":", "  ", "\t", "1", "a;b", "a#b", "ZT ;ZTO"])
_value_text = st.lists(_value_parts, max_size=4).map("".join)


@st.composite
def ini_with_continuations(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for number in range(draw(st.integers(1, 3))):
        lines.append(f"[s{number}]" + draw(st.sampled_from(["", "   ; about it", " # x"])))
        for _ in range(draw(st.integers(0, 6))):
            kind = draw(st.integers(0, 9))
            if kind < 5:
                key = draw(st.sampled_from(["k0", "k1", "k2", "Key", "url"]))
                lines.append(key + draw(st.sampled_from(["=", " = ", ": ", ":"]))
                             + draw(_value_text))
            elif kind < 7:
                lines.append(draw(st.sampled_from(["    ", "\t", "  "])) + draw(_value_text))
            elif kind < 9:
                lines.append(draw(st.sampled_from(["#", ";", "  #", "    ;"]))
                             + draw(_value_text))
            else:
                lines.append("")
    return "\n".join(lines) + "\n"


@given(ini_with_continuations())
def test_values_are_read_as_configparser_reads_them(text: str) -> None:
    """As before the settings kept their comments: configparser without interpolation, `;`
    and `#` starting a comment after a space and on a line of its own, in a value over
    several lines too."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";", "#"))
    try:
        parser.read_string(text)
    except configparser.Error:
        try:
            Settings.from_text(text, PATH, check=False)
        except SettingsError:
            return
        raise AssertionError("configparser refuses what the settings read") from None
    settings = Settings.from_text(text, PATH, check=False)
    for name in parser.sections():
        assert settings.section(name) == dict(parser[name])


@given(st.one_of(ini_text(), ini_with_continuations()))
def test_an_upgrade_keeps_every_comment_and_value_and_a_second_one_does_nothing(
        text: str) -> None:
    try:
        upgraded = upgrade_text(text, PATH)
    except SettingsError as exc:  # not INI at all: refused as the reading refuses it
        _refused_properly(exc)
        return
    if upgraded is None:
        return
    new, old = upgraded
    assert old < SETTINGS_VERSION
    assert upgrade_text(new, PATH) is None
    before = Settings.from_text(text, PATH, check=False)
    after = Settings.from_text(new, PATH, check=False)
    assert after.version == SETTINGS_VERSION
    for name in _section_names(before):
        kept = dict(before.section(name))
        if name == "ui":
            kept.pop("page_size", None)
        if name == "settings":
            kept["version"] = str(SETTINGS_VERSION)
        assert after.section(name) == kept, name
    new_lines = new.splitlines()
    for line in text.splitlines():
        if line.strip()[:1] in ("#", ";"):
            assert line in new_lines



@given(st.one_of(ini_text(), ini_with_continuations()))
def test_the_document_reads_back_as_the_very_text_it_was_read_from(text: str) -> None:
    """Whatever is saved without a change is the file as IT wrote it: every comment line too,
    also one that starts with blanks inside a value over several lines."""
    try:
        doc = parse(text, PATH)
    except SettingsError:
        return
    assert str(doc) == text
