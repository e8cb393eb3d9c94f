"""The Windows installer script (packaging/windows/packline.iss) cannot be compiled here (Inno
Setup is a Windows program): what it says of Packline is checked against the code instead —
the service's name and token file, the `packline service` actions it runs, the messages it
uses in both languages, and the install line the docs print."""

from __future__ import annotations

import re
from pathlib import Path

from app import winservice
from app.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
ISS = (ROOT / "packaging" / "windows" / "packline.iss").read_text(encoding="utf-8")


def test_the_installer_names_the_service_and_its_token_as_the_code_does() -> None:
    assert f'#define ServiceName "{winservice.SERVICE_NAME}"' in ISS
    assert (f"{{commonappdata}}\\Packline\\{winservice.SERVICE_FOLDER}\\"
            f"{winservice.TOKEN_FILE}") in ISS
    assert "ServiceAccount = 'NT SERVICE\\{#ServiceName}'" in ISS
    assert f"NT SERVICE\\{winservice.SERVICE_NAME}" == winservice.SERVICE_ACCOUNT
    assert re.search(r"^AppId=\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$", ISS, re.M)
    assert "PrivilegesRequired=admin" in ISS and "DefaultDirName={autopf}\\Packline" in ISS
    assert 'Source: "{#Root}\\dist\\packline\\*"' in ISS and "recursesubdirs" in ISS


def test_every_service_action_the_installer_runs_is_a_command_of_packline() -> None:
    parser = build_parser()
    runs = re.findall(r'Filename: "\{app\}\\packline-console\.exe"; Parameters: "([^"]+)"', ISS)
    runs += [f"service {action}" for action in re.findall(r"EngineService\('(\w+)'\)", ISS)]
    assert sorted(set(runs)) == ["service install", "service remove", "service start"]
    for words in runs:
        args = parser.parse_args(words.split())
        assert args.needs_config is False and args.service_command == words.split()[1]


def test_the_installer_checks_what_it_runs_and_locks_the_settings_file() -> None:
    code = ISS[ISS.index("[Code]"):]
    # Every program the installer runs goes through RunChecked (exit code checked and logged),
    # but the `net stop` before the files are replaced, which may find nothing to stop.
    execs = re.findall(r"\bExec\((.*)", code)
    assert len(execs) == 2 and any("net.exe" in e for e in execs), execs
    assert "ewWaitUntilTerminated, ResultCode) then" in code
    assert "[Run]" in ISS and "packline-console" not in ISS[ISS.index("[Run]"):
                                                             ISS.index("[UninstallRun]")]
    # station.ini: nothing inherited; Administrators and SYSTEM full, Users read only.
    acl = re.search(r"SettingsAcl = '([^']+)'", code)
    assert acl is not None
    assert acl[1].split() == ["/inheritance:r", "/grant:r", "*S-1-5-32-544:F", "*S-1-5-18:F",
                              "*S-1-5-32-545:R"]
    assert "+ ':R\"'" in code  # the service's account: read
    # The exit codes the top of the script lists are the ones it returns, and the docs say.
    returned = sorted(int(n) for n in re.findall(r"Result := (1\d)\b", code))
    assert returned == [10, 11, 12]
    docs = (ROOT / "docs" / "packaging.md").read_text(encoding="utf-8")
    for number in returned:
        assert f"{number} installed, but" in ISS and f"{number} installed, but" in docs


def test_every_message_the_installer_shows_is_there_in_both_languages() -> None:
    used = set(re.findall(r"\{cm:(\w+)\}", ISS)) | set(re.findall(r"CustomMessage\('(\w+)'\)",
                                                                     ISS))
    assert used
    for language in ("english", "chinesesimplified"):
        defined = set(re.findall(rf"^{language}\.(\w+)=", ISS, re.M))
        assert used == defined, (language, used ^ defined)


def test_the_docs_print_the_silent_install_the_installer_takes() -> None:
    for doc in ("README.md", "docs/packaging.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        line = next(row for row in text.splitlines() if "-setup.exe /VERYSILENT" in row)
        assert "/SUPPRESSMSGBOXES /NORESTART /SETTINGS=" in line, doc
    assert "{param:SETTINGS|}" in ISS
