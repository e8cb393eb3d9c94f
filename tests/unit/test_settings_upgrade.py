"""station.ini's layout version and its upgrades (app.config): a file of an older version is
upgraded when the station starts, its old bytes kept first, IT's comments, encoding and line
endings kept; a second start changes nothing; a file from a newer Packline, a file with a
problem and an upgrade that fails all leave the file as it was."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from configupdater import ConfigUpdater

from app import config
from app.config import (
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    load_config,
    upgrade_text,
)
from app.settings_check import check_bytes, check_file

OLD_FILE = """\
# 杭州仓 bench 3 (IT: 王工, ext. 8123)
# deployed by the login script

[station]          ; this bench
code = ST-HZ-PACK-03   ; as on the asset tag
name = 杭州仓 打包台 3

[ui]
language = en
; rows per page on the order list
page_size = 500   ; big screens

[central]
# the password comes from the keyring
connect_timeout = 12 ; seconds
"""

UPGRADED = """\
# 杭州仓 bench 3 (IT: 王工, ext. 8123)
# deployed by the login script

[settings]
# Layout of this file: Packline upgrades an older one at start, keeping a copy
version = 2

[station]          ; this bench
code = ST-HZ-PACK-03   ; as on the asset tag
name = 杭州仓 打包台 3

[ui]
language = en
; rows per page on the order list
# retired in settings version 2: no longer read (the lists fetch rows page by page)
# page_size = 500   ; big screens

[central]
# the password comes from the keyring
connect_timeout = 12 ; seconds
"""


def _home(tmp_path: Path, data: bytes) -> Path:
    home = tmp_path / "station"
    home.mkdir()
    (home / "station.ini").write_bytes(data)
    (home / "station.ini").chmod(0o600)  # as the station keeps it
    return home


def _files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(home.iterdir()) if p.is_file()}


def test_every_step_leads_to_a_version_this_packline_reads() -> None:
    assert set(config.UPGRADES) <= set(range(2, SETTINGS_VERSION + 1))
    assert config.UPGRADES[2] is config.upgrade_to_2
    with pytest.raises(ValueError, match="two upgrades to settings version 2"):
        config.upgrade_step(2)(config.upgrade_to_2)


def test_a_version_1_file_is_upgraded_at_start_keeping_comments_and_a_copy(
        tmp_path: Path) -> None:
    home = _home(tmp_path, OLD_FILE.encode())
    ini = home / "station.ini"
    with pytest.raises(SettingsError) as caught:  # as it is, page_size is not a key any more
        Settings.load(ini)
    assert (caught.value.code, caught.value.key, caught.value.line) == (
        "settings.unknown_key", "page_size", 11)

    cfg = load_config(home)

    assert ini.read_text(encoding="utf-8") == UPGRADED
    backup = home / "station.ini.v1.bak"
    assert backup.read_bytes() == OLD_FILE.encode()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it may hold the central password
    assert cfg.upgraded == config.Upgraded(ini, 1, 2, backup)
    assert cfg.settings.version == 2 and cfg.settings.upgraded_from is None
    assert cfg.settings.station.code == "ST-HZ-PACK-03"
    assert cfg.settings.central.connect_timeout == 12
    assert cfg.settings.ui.language == "en"
    # Problems now name the lines of the file as it is on disk.
    assert cfg.settings.line_of("central", "connect_timeout") == 20
    assert ini.read_text(encoding="utf-8").splitlines()[19].startswith("connect_timeout")
    assert backup in config.station_files(cfg.paths)


def test_an_old_file_others_could_read_is_rewritten_private_and_the_log_says_it_was_not(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    home = _home(tmp_path, OLD_FILE.encode())
    ini = home / "station.ini"
    ini.chmod(0o644)
    cfg = load_config(home)
    assert cfg.upgraded is not None and cfg.upgraded.loose_mode == 0o644
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    caplog.set_level("INFO", logger="packline")
    config.secure_station(cfg)
    assert f"{ini} upgraded from settings version 1 to 2; the old file is kept as " \
           f"{home / 'station.ini.v1.bak'}" in caplog.text
    assert f"{ini} was readable by others (mode 644); rewritten 600 by the upgrade" \
        in caplog.text


def test_a_second_start_changes_nothing(tmp_path: Path) -> None:
    home = _home(tmp_path, OLD_FILE.encode())
    load_config(home)
    before = _files(home)
    mtime = (home / "station.ini").stat().st_mtime_ns

    cfg = load_config(home)

    assert cfg.upgraded is None
    assert _files(home) == before
    assert (home / "station.ini").stat().st_mtime_ns == mtime
    assert upgrade_text(UPGRADED) is None


@pytest.mark.parametrize(("encoding", "newline", "bom"), [
    ("gb18030", "\r\n", b""), ("utf-8", "\r\n", b"\xef\xbb\xbf"), ("utf-8", "\n", b""),
])
def test_the_upgrade_keeps_the_encoding_the_bom_and_the_line_endings(
        tmp_path: Path, encoding: str, newline: str, bom: bytes) -> None:
    old = bom + OLD_FILE.replace("\n", newline).encode(encoding)
    home = _home(tmp_path, old)
    load_config(home)
    assert (home / "station.ini").read_bytes() == \
        bom + UPGRADED.replace("\n", newline).encode(encoding)
    assert (home / "station.ini.v1.bak").read_bytes() == old


def test_a_file_from_a_newer_packline_is_refused_and_left_alone(tmp_path: Path) -> None:
    newer = ("# written by a later Packline\n[settings]\nversion = 7   ; do not touch\n\n"
             "[station]\ncode = ST-9\n[scanning]\nmode = turbo\n")
    home = _home(tmp_path, newer.encode())
    with pytest.raises(SettingsError) as caught:
        load_config(home)
    refused = caught.value
    assert (refused.code, refused.section, refused.key, refused.line) == (
        "settings.newer_version", "settings", "version", 3)
    assert refused.params == {"value": "7", "current": SETTINGS_VERSION}
    assert str(refused).startswith(f"{home / 'station.ini'}, line 3: [settings] version: "
                                   "written for settings version 7;")
    assert _files(home) == {"station.ini": newer.encode()}
    # Its other sections may mean what this Packline cannot know: that is the one problem.
    assert [e.code for e in Settings.from_text(newer, check=False).problems()] == [
        "settings.newer_version"]
    assert [e.code for e in check_bytes(newer.encode(), Path("station.ini")).problems] == [
        "settings.newer_version"]


@pytest.mark.parametrize(("version", "code"), [("two", "settings.not_whole"),
                                               ("0", "settings.out_of_range")])
def test_a_version_that_is_not_a_version_is_refused_naming_it(
        tmp_path: Path, version: str, code: str) -> None:
    text = f"[station]\ncode = ST-9\n[settings]\nversion = {version}\n"
    home = _home(tmp_path, text.encode())
    with pytest.raises(SettingsError) as caught:
        load_config(home)
    assert (caught.value.code, caught.value.section, caught.value.key, caught.value.line) == (
        code, "settings", "version", 4)
    assert _files(home) == {"station.ini": text.encode()}


def test_a_file_with_a_problem_is_refused_as_it_is_and_not_upgraded(tmp_path: Path) -> None:
    old = OLD_FILE.replace("connect_timeout = 12", "connect_timeout = 0")
    home = _home(tmp_path, old.encode())
    with pytest.raises(SettingsError) as caught:
        load_config(home)
    # The line IT finds in the file as it is, not in the upgrade that was not written.
    assert (caught.value.key, caught.value.line) == ("connect_timeout", 15)
    assert _files(home) == {"station.ini": old.encode()}


def test_steps_run_in_order_from_the_files_version_and_the_version_is_written_last(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, str | None]] = []

    def upgrade_to_3(doc: ConfigUpdater) -> None:
        # It reads what the step to 2 wrote, and no version yet.
        seen.append((3, doc["settings"]["version"].value if doc.has_section("settings")
                     else None))
        assert "# page_size = 500   ; big screens\n" in str(doc)
        doc["station"]["kind"] = "office"

    def upgrade_to_5(doc: ConfigUpdater) -> None:
        seen.append((5, doc["station"]["kind"].value))
        doc["station"]["kind"] = "dock"

    monkeypatch.setattr(config, "SETTINGS_VERSION", 5)
    monkeypatch.setitem(config.UPGRADES, 3, upgrade_to_3)
    monkeypatch.setitem(config.UPGRADES, 5, upgrade_to_5)  # 4 changed no key
    home = _home(tmp_path, OLD_FILE.encode())

    cfg = load_config(home)

    assert seen == [(3, None), (5, "office")]
    assert cfg.upgraded is not None and (cfg.upgraded.old, cfg.upgraded.new) == (1, 5)
    assert cfg.settings.station.kind == "dock" and cfg.settings.version == 5
    text = (home / "station.ini").read_text(encoding="utf-8")
    assert "version = 5\n" in text and "kind = dock\n" in text

    # A version 3 file runs only the step to 5.
    seen.clear()
    (home / "station.ini").write_text("[settings]\nversion = 3\n[station]\nkind = office\n",
                                      encoding="utf-8")
    assert load_config(home).settings.station.kind == "dock"
    assert seen == [(5, "office")]


def test_an_upgrade_that_fails_halfway_leaves_the_file_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def upgrade_to_3(doc: ConfigUpdater) -> None:
        doc["station"]["kind"] = "office"  # half done ...
        raise KeyError("scanner")  # ... when it breaks

    monkeypatch.setattr(config, "SETTINGS_VERSION", 3)
    monkeypatch.setitem(config.UPGRADES, 3, upgrade_to_3)
    home = _home(tmp_path, OLD_FILE.encode())

    with pytest.raises(SettingsError) as caught:
        load_config(home)

    refused = caught.value
    assert refused.code == "settings.upgrade_failed"
    assert refused.path == home / "station.ini"
    assert (refused.params["version"], refused.params["current"],
            refused.params["step"]) == (1, 3, 3)
    assert "'scanner'" in str(refused) and "left as it was" in str(refused)
    assert _files(home) == {"station.ini": OLD_FILE.encode()}  # no copy, no temporary file
    # `settings check` says so in the same words, and writes nothing either.
    checked = check_file(home / "station.ini")
    assert [e.code for e in checked.problems] == ["settings.upgrade_failed"]
    assert _files(home) == {"station.ini": OLD_FILE.encode()}


def test_a_file_that_cannot_be_rewritten_stays_whole_and_the_station_runs_on_the_upgrade(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = _home(tmp_path, OLD_FILE.encode())
    ini = home / "station.ini"
    real_replace = os.replace

    def disk_full(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == ini:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    cfg = load_config(home)
    monkeypatch.setattr(os, "replace", real_replace)

    assert cfg.upgraded == config.Upgraded(ini, 1, 2, None, "No space left on device")
    assert cfg.settings.ui.language == "en" and cfg.settings.version == 2
    assert _files(home) == {"station.ini": OLD_FILE.encode(),
                            "station.ini.v1.bak": OLD_FILE.encode()}
    # The next start upgrades it, the copy already there kept as it is.
    again = load_config(home)
    assert again.upgraded == config.Upgraded(ini, 1, 2, home / "station.ini.v1.bak")
    assert _files(home) == {"station.ini": UPGRADED.encode(),
                            "station.ini.v1.bak": OLD_FILE.encode()}


def test_an_older_copy_with_other_bytes_is_not_overwritten(tmp_path: Path) -> None:
    home = _home(tmp_path, OLD_FILE.encode())
    (home / "station.ini.v1.bak").write_bytes(b"[station]\ncode = FIRST\n")
    cfg = load_config(home)
    assert cfg.upgraded is not None
    assert cfg.upgraded.backup == home / "station.ini.v1.2.bak"
    assert _files(home) == {"station.ini": UPGRADED.encode(),
                            "station.ini.v1.2.bak": OLD_FILE.encode(),
                            "station.ini.v1.bak": b"[station]\ncode = FIRST\n"}


def test_settings_check_says_an_upgrade_is_due_and_checks_the_file_as_it_will_be(
        tmp_path: Path) -> None:
    home = _home(tmp_path, OLD_FILE.encode())
    checked = check_file(home / "station.ini")
    assert checked.problems == []
    assert checked.upgrade_due == (1, 2)
    assert _files(home) == {"station.ini": OLD_FILE.encode()}
    assert check_bytes(UPGRADED.encode(), Path("station.ini")).upgrade_due is None


@pytest.mark.parametrize(("old", "new"), [
    # The opening line Packline wrote into the files it created.
    ("# Packline station settings (version 1)\n[device:wedge]\nkind = wedge\n",
     "# Packline station settings\n[settings]\n" + config.VERSION_COMMENT +
     "\nversion = 2\n\n[device:wedge]\nkind = wedge\n"),
    # A comment about the first section stays with it.
    ("# the bench\n\n# this station\n[station]\ncode = A\n",
     "# the bench\n\n[settings]\n" + config.VERSION_COMMENT +
     "\nversion = 2\n\n# this station\n[station]\ncode = A\n"),
    # A [settings] section already there gets the key, first.
    ("[station]\ncode = A\n\n[settings]\n; IT's note\nversion =\n",
     "[station]\ncode = A\n\n[settings]\n; IT's note\nversion = 2\n"),
    # A page_size over several lines is commented out line by line.
    ("[ui]\npage_size = 200\n  300\nlanguage = en\n",
     "[settings]\n" + config.VERSION_COMMENT + "\nversion = 2\n\n"
     "[ui]\n# retired in settings version 2: no longer read (the lists fetch rows page by page)"
     "\n# page_size = 200\n#   300\nlanguage = en\n"),
])
def test_the_version_goes_where_it_reads_well(old: str, new: str) -> None:
    assert upgrade_text(old) == (new, 1)
    assert upgrade_text(new) is None


def test_nothing_to_upgrade_without_a_section_and_a_new_file_is_current(tmp_path: Path) -> None:
    assert upgrade_text("") is None
    assert upgrade_text("# only a comment\n") is None
    settings = Settings.load(tmp_path / "station.ini")
    assert settings.version == SETTINGS_VERSION
    settings.set("station.code", "ST-NEW")
    settings.save()
    again = Settings.load(tmp_path / "station.ini", upgrade=True)
    assert again.upgraded_from is None and again.version == SETTINGS_VERSION
    assert again.station.code == "ST-NEW"
