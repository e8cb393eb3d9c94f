"""Every command and snippet in the README runs as printed.

The README's command table is read row by row: each row's command is run here against a station
folder whose embedded database holds demo orders, with every option the row prints, its
placeholders filled with real values (an order number, a wave, a job), logged in as the demo
user of the role its *who* column names (and refused without a login when it names one). A row this file does not
run must be in SKIPPED with the reason; a new row fails until it is run or skipped. The fenced
snippets run too: shell blocks (or their listed reason to skip), the order files in JSON Lines
and CSV are imported, the replay script is replayed, and every INI block is loaded as a
station's settings the way the app loads them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import devices, printers
from app.config import load_config
from tests.helpers.cli import REPO, packline, packline_env

pytestmark = pytest.mark.timeout(600)
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

# Commands the README prints that this suite does not run, and why.
SKIPPED = {
    "make run": "opens the app and installs system packages (tests/journeys run the app)",
    "make test": "runs this very suite",
    "packline": "the app itself (tests/journeys start it under Xvfb)",
    "packline run": "the app itself (tests/journeys start it under Xvfb)",
}


def fenced(lang: str) -> list[str]:
    """The README's ```lang blocks ('' for blocks without a language)."""
    return [m.group(2) for m in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.M | re.S)
            if m.group(1) == lang]


# The *who* column: the demo user who logs in for a row (None: nobody logs in).
WHO = {"—": None, "anyone": "picker01", "packer": "packer01", "lead": "lead01",
       "admin": "admin"}


def table_rows() -> list[tuple[str, str | None]]:
    """(command, demo user of its *who* column) for the 'Command line' table, as printed
    (`a` / `b` gives both; a *who* of `x / y` goes with them in order)."""
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows: list[tuple[str, str | None]] = []
    for row in section.splitlines():
        if not row.startswith("| `packline"):
            continue
        cell, who, _what = row.lstrip("| ").split(" | ", 2)
        commands = [c.replace("\\|", "|") for c in re.findall(r"`([^`]+)`", cell)]
        whos = [WHO[w.strip()] for w in who.split(" / ")]
        rows += [(c, whos[i] if len(whos) > 1 else whos[0]) for i, c in enumerate(commands)]
    return rows


def table_commands() -> list[str]:
    return [command for command, _who in table_rows()]


# Options of `packline` itself that are a command of their own.
GLOBAL_COMMANDS = ("--version",)


def command_key(command: str) -> str:
    """`packline waves plan --warehouse W …` → `packline waves plan`: the words before the first
    option or placeholder (`packline --version` is its own)."""
    words: list[str] = []
    for word in command.split():
        if words == ["packline"] and word in GLOBAL_COMMANDS:
            return f"packline {word}"
        if word.startswith(("-", "[")) or not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        words.append(word)
    return " ".join(words)


def printed_options(command: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]*", command))


# ---------------------------------------------------------------- the station to run them on

ORDER_JSONL = "readme-orders.jsonl"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station folder with 80 demo orders, routed by the engine, and a folder printer."""
    home = tmp_path_factory.mktemp("readme_home")
    (home / "station.ini").write_text(
        "[station]\ncode = ST-HZ-PACK-01\nwarehouse = HZ\n\n"
        f"[printer:folder]\nurl = file://{home / 'prints'}\nlanguage = pdf\npaper = a4\n\n"
        "[printers]\ndefault = folder\n", encoding="utf-8")
    for args in (("demo", "seed", "--orders", "80", "--seed", "7"),
                 ("engine", "run", "--once")):
        done = packline(home, *args, as_user="lead01")
        assert done.returncode == 0, done.stderr
    return home


def run(home: Path, *args: str, code: int = 0, as_user: str | None = None,
        stdin: str | None = None) -> Any:
    done = packline(home, *args, as_user=as_user, stdin=stdin)
    assert done.returncode == code, (args, done.returncode, done.stderr[-1500:])
    return done


def first_order(home: Path, status: str) -> dict[str, Any]:
    rows = json.loads(run(home, "orders", "list", "--status", status, "--limit", "1",
                          "--json").stdout)
    assert rows, status
    return rows[0]  # type: ignore[no-any-return]


def _import(home: Path) -> list[tuple[str, ...]]:
    # The first blocks are the plaintext order files the commands below work on; the
    # encrypted-receiver examples after them are read in their own test.
    jsonl, csv = fenced("json")[0], fenced("csv")[0]
    (home / ORDER_JSONL).write_text(jsonl, encoding="utf-8")
    (home / "readme-orders.csv").write_text(csv, encoding="utf-8")
    return [("orders", "import", str(home / ORDER_JSONL)),
            ("orders", "import", str(home / "readme-orders.csv"), "--json")]


def _orders_show(home: Path) -> list[tuple[str, ...]]:
    o = first_order(home, "routed")
    return [("orders", "show", o["order_no"]), ("orders", "show", o["order_no"], "--json"),
            ("orders", "show", f"{o['channel']}:{o['channel_order_no']}")]


def _orders_event(home: Path) -> list[tuple[str, ...]]:
    record = json.loads(fenced("json")[0])
    if not (home / ORDER_JSONL).exists():
        for args in _import(home)[:1]:
            run(home, *args)
    receiver = dict(record["receiver"], address="文三路100号")
    return [("orders", "event", f"{record['channel']}:{record['channel_order_no']}",
             "address_changed", "--key", "readme-1",
             "--payload", json.dumps({"receiver": receiver}, ensure_ascii=False))]


def _label(home: Path) -> list[tuple[str, ...]]:
    o = first_order(home, "routed")["order_no"]
    out = home / "labels"
    # The first render gives box 1 its number; each one after is a reprint, with a reason.
    return [("label", "render", "--order", o, "--format", fmt, "--out", str(out / f"w.{fmt}"),
             *(("--reason", "another printer") if i else ()))
            for i, fmt in enumerate(("pdf", "png", "zpl", "tspl", "escpos"))] + [
        ("label", "render", "--order", o, "--format", "zpl", "--size", "100x150", "--dpi", "203",
         "--cjk", "graphic", "--box", "1", "--reason", "label torn", "--out",
         str(out / "w2.zpl"))]


def _reprint(home: Path) -> list[tuple[str, ...]]:
    run(home, "print", "test", "--printer", "folder", "--timeout", "20", as_user="packer01")
    job = json.loads(run(home, "print", "queue").stdout.splitlines()[0])
    return [("print", "reprint", str(job["job"]), "--reason", "README: smudged label")]


_FAKE_PLATFORM: list[Any] = []  # one fake gateway for the run, kept until the process ends


def _channels_pull(home: Path) -> list[tuple[str, ...]]:
    """A shop on a fake Taobao gateway with one order to pull; the secret in the
    environment, as the README says."""
    import os

    from tests.helpers.fake_platform import APP_KEY, APP_SECRET, SESSION, FakePlatform

    if not _FAKE_PLATFORM:
        _FAKE_PLATFORM.append(FakePlatform("top").start())
    fake = _FAKE_PLATFORM[0]
    fake.add_order("README-TB-1")
    os.environ["PACKLINE_SHOP_SECRET_RD1"] = APP_SECRET
    os.environ["PACKLINE_SHOP_SESSION_RD1"] = SESSION
    run(home, "shops", "set", "RD1", "--channel", "taobao", "--name", "README 拉单店",
        "--api-url", fake.url, "--app-key", APP_KEY, as_user="lead01")
    return [("channels", "pull", "--shop", "RD1", "--json"),
            ("channels", "pull", "--shop", "RD1", "--page-size", "50")]


def _waves_cancel(home: Path) -> list[tuple[str, ...]]:
    run(home, "waves", "release", "--warehouse", "HZ", "--strategy", "per_order",
        "--max-orders", "3", "--waves", "1", as_user="lead01")
    waves = run(home, "waves", "list", "--status", "released").stdout
    wave_no = re.search(r"WAVE-\d+", waves)
    assert wave_no, waves
    return [("waves", "cancel", wave_no.group(0))]


def _replay(home: Path) -> list[tuple[tuple[str, ...], int]]:
    (script,) = [b for b in fenced("") if b.startswith('{"scan"')]
    path = home / "replay.jsonl"
    path.write_text(script, encoding="utf-8")
    # The README's script names an order this database does not have: exit 3, as it says.
    # Fed again from its first line with --restart: refused the same, never a stop.
    return [(("station", "replay", str(path), "--scale"), 3),
            (("station", "replay", str(path), "--scale", "--restart"), 3)]


def _person(home: Path, code: str) -> str:
    """A person to manage (made once per station folder)."""
    listed = run(home, "users", "list", as_user="admin").stdout
    if f'"code": "{code}"' not in listed:
        run(home, "users", "add", code, "--name", "赵打包", "--role", "packer",
            "--new-password-stdin", as_user="admin", stdin="packer999\n")
    return code


def _bootstrap(home: Path) -> list[tuple[tuple[str, ...], int, str]]:
    fresh = home / "fresh"
    fresh.mkdir(exist_ok=True)
    return [(("--home", str(fresh), "users", "bootstrap", "--user", "boss", "--name", "老板",
              "--password-stdin"), 0, "boss-pass1\n")]


def _service(home: Path) -> str:
    listed = run(home, "users", "list", as_user="admin").stdout
    if '"code": "svc-nightly"' not in listed:
        run(home, "users", "service", "add", "svc-nightly", "--name", "夜间报表", "--role",
            "packer", as_user="admin")
    return "svc-nightly"


Run = tuple[str, ...] | tuple[tuple[str, ...], int] | tuple[tuple[str, ...], int, str]
Runs = Callable[[Path], list[Any]]
RUNS: dict[str, Runs] = {
    "packline --version": lambda h: [("--version",)],
    "packline db upgrade": lambda h: [("db", "upgrade")],
    "packline db check": lambda h: [("db", "check")],
    "packline demo seed": lambda h: [("demo", "seed", "--orders", "80", "--seed", "7")],
    "packline orders import": _import,
    "packline orders list": lambda h: [
        ("orders", "list", "--status", "routed", "--status", "exception", "--channel", "tmall",
         "--warehouse", "HZ", "--sort", "priority", "--offset", "0", "--limit", "5", "--json"),
        ("orders", "list", "--exception", "out_of_stock", "--sort", "paid_at")],
    "packline orders show": _orders_show,
    "packline orders event": _orders_event,
    "packline engine run": lambda h: [("engine", "run", "--once", "--batch", "50",
                                       "--interval", "1")],
    # Windows only: here each action says so and exits 2 (tests/integration/test_winservice.py
    # runs the service's engine loop).
    "packline service": lambda h: [
        (("service", "install", "--token-stdin"), 2, "PLT-README\n"),
        *((("service", action), 2) for action in ("remove", "start", "stop", "debug"))],
    "packline simulate": lambda h: [("simulate", "--rate", "5", "--duration", "1", "--seed",
                                     "3", "--no-events")],
    "packline users bootstrap": _bootstrap,
    "packline users list": lambda h: [("users", "list")],
    "packline users add": lambda h: [(("users", "add", "packer09", "--name", "赵打包",
                                       "--role", "packer", "--new-password-stdin",
                                       "--pin-stdin"), 0, "packer999\n1357\n")],
    "packline users deactivate": lambda h: [("users", "deactivate", _person(h, "packer10"))],
    "packline users activate": lambda h: [("users", "activate", _person(h, "packer10"))],
    "packline users role": lambda h: [("users", "role", _person(h, "packer10"), "picker"),
                                      ("users", "role", "packer10", "packer")],
    "packline users reset-password": lambda h: [
        (("users", "reset-password", _person(h, "packer10"), "--new-password-stdin"), 0,
         "packer1010\n")],
    "packline users pin": lambda h: [
        (("users", "pin", _person(h, "packer10"), "--pin-stdin"), 0, "1234\n"),
        ("users", "pin", "packer10", "--clear")],
    "packline users badge issue": lambda h: [
        ("users", "badge", "issue", _person(h, "packer10")),
        ("users", "badge", "issue", "packer10", "--card", str(h / "packer10-badge.pdf"))],
    "packline users badge revoke": lambda h: [("users", "badge", "revoke",
                                               _person(h, "packer10"))],
    "packline users service add": lambda h: [("users", "service", "add", "svc-readme",
                                              "--name", "README 服务", "--role", "packer")],
    "packline users token issue": lambda h: [("users", "token", "issue", _service(h))],
    "packline users token revoke": lambda h: [("users", "token", "revoke", _service(h))],
    "packline users unlock": lambda h: [("users", "unlock", _person(h, "packer10")),
                                        ("users", "unlock", "ST-HZ-PACK-01", "--station")],
    "packline label render": _label,
    "packline print test": lambda h: [("print", "test", "--printer", "folder", "--timeout",
                                       "20")],
    "packline print queue": lambda h: [("print", "queue"), ("print", "queue", "--status",
                                                            "sent")],
    "packline print reprint": _reprint,
    "packline waves plan": lambda h: [
        ("waves", "plan", "--warehouse", "HZ", "--strategy", "per_order", "--max-orders", "10",
         "--max-cells", "10", "--json"),
        ("waves", "plan", "--warehouse", "HZ", "--strategy", "by_zone", "--zone", "A",
         "--carrier", "SF")],
    "packline waves release": lambda h: [
        ("waves", "release", "--warehouse", "GZ", "--strategy", "per_order", "--max-orders",
         "3", "--max-cells", "3", "--waves", "1")],
    "packline waves list": lambda h: [("waves", "list"), ("waves", "list", "--warehouse", "HZ",
                                                          "--status", "released")],
    "packline waves cancel": _waves_cancel,
    "packline station replay": _replay,
    "packline dashboard": lambda h: [
        ("dashboard",), ("dashboard", "--json"),
        ("dashboard", "--watch", "1", "--frames", "2", "--reserve", "20", "--packer-rate", "50",
         "--picker-rate", "45", "--normal-daily", "30000", "--growth", "3", "--conversion",
         "0.8", "--days", "3")],
    "packline carriers cutoff": lambda h: [("carriers", "cutoff", "ZTO", "17:30"),
                                           ("carriers", "cutoff", "ZTO", "none"),
                                           (("carriers", "cutoff", "ZTO", "5pm"), 2)],
    "packline shops list": lambda h: [("shops", "list")],
    "packline shops set": lambda h: [
        ("shops", "set", "RD0", "--channel", "taobao", "--name", "README 店",
         "--platform-shop-id", "2200001", "--api-url", "https://eco.taobao.com/router/rest",
         "--app-key", "12345678", "--pull", "off", "--waybill-providers", "*=cainiao,SF=pool",
         "--confirm-on", "packed"),
        (("shops", "set", "RD0", "--confirm-on", "later"), 2)],
    "packline channels pull": _channels_pull,
    "packline channels rejects": lambda h: [
        *_channels_pull(h)[:0],  # the shop on the fake gateway, set up as for the pull
        ("channels", "rejects", "--shop", "RD1"), ("channels", "rejects", "--shop", "RD1",
                                                   "--json")],
    "packline shipments list": lambda h: [("shipments", "list"),
                                          ("shipments", "list", "--status", "refused", "--limit", "5", "--json")],
    "packline shipments retry": lambda h: [(("shipments", "retry", "999999"), 2)],
    "packline sync once": lambda h: [("sync", "once")],
    # One round, then the end of its (empty) standard input ends it.
    "packline sync serve": lambda h: [("sync", "serve"), ("sync", "serve", "--every", "1")],
    "packline sync status": lambda h: [("sync", "status"), ("sync", "status", "--json")],
    "packline devices list": lambda h: [("devices", "list")],
    "packline doctor": lambda h: [("doctor",), ("doctor", "--json"),
                                  ("doctor", "--bundle", str(h / "support-bundle.zip"))],
    "packline selftest": lambda h: [("selftest", "--out", str(h / "selftest"), "--json")],
    "packline settings check": lambda h: [("settings", "check", str(h / "station.ini")),
                                          (("settings", "check", str(h / "none.ini")), 1)],
    "packline devices listen": lambda h: [
        ("devices", "listen", "--scanner", "loop://", "--scale", "loop://?protocol=ad",
         "--count", "1", "--seconds", "0.5", "--status")],
}


def test_every_command_of_the_readme_is_run_or_skipped_with_a_reason() -> None:
    commands = table_commands()
    assert len(commands) > 20, commands
    keys = {command_key(c) for c in commands}
    assert not keys - RUNS.keys() - SKIPPED.keys(), "README commands nobody runs"
    assert not RUNS.keys() - keys, "runs of commands the README does not show"
    # The `make` block is skipped line by line; every other shell block runs below.
    (make,) = [b for b in fenced("sh") if b.startswith("make")]
    for line in make.splitlines():
        command = line.split("#", 1)[0].strip()
        assert not command or command in SKIPPED, command
    # Blocks without a language: the replay script (replayed below), what `devices listen`
    # prints (its sample output, not a command) and the source tree's layout.
    plain = fenced("")
    assert [b.split(None, 1)[0][:7] for b in plain] == ['{"type"', '{"scan"', "app/dom"], plain


@pytest.mark.parametrize(("command", "who"), table_rows())
def test_readme_command_runs_as_printed(home: Path, command: str, who: str | None) -> None:
    key = command_key(command)
    if key in SKIPPED:
        pytest.skip(SKIPPED[key])
    runs: list[tuple[tuple[str, ...], int, str | None]] = []
    for r in RUNS[key](home):
        if not isinstance(r[0], tuple):
            r = (r, 0)
        runs.append((r[0], r[1], r[2] if len(r) > 2 else None))
    used = {word for args, _code, _stdin in runs for word in args if word.startswith("--")}
    # Every option the README prints for the command is given to it here.
    assert printed_options(command) <= used, printed_options(command) - used
    if who is not None:
        # What the *who* column says: without a login the command refuses, changing nothing.
        args, _code, stdin = runs[0]
        refused = packline(home, *args, stdin=stdin)
        assert refused.returncode == 2 and "needs a person" in refused.stderr, refused.stderr
    for args, code, stdin in runs:
        words = args[2:] if args[0] == "--home" else args
        assert command_key("packline " + " ".join(words)).startswith(key), (key, args)
        run(home, *args, code=code, as_user=who, stdin=stdin)


@pytest.mark.parametrize("block", [b for b in fenced("sh") if not b.startswith("make")])
def test_readme_shell_block_runs_as_printed(home: Path, block: str) -> None:
    """The login and service-account examples, run by a shell in the station folder, with
    `packline` being this checkout's command."""
    jsonl = fenced("json")[0]
    (home / ORDER_JSONL).write_text(jsonl, encoding="utf-8")
    env = packline_env(home, env={"PYTHONPATH": str(REPO), "PYTHON": sys.executable},
                       warnings_are_errors=False)
    script = 'set -euo pipefail\npackline() { "$PYTHON" -m app "$@"; }\n' + block
    done = subprocess.run(["bash", "-c", script], cwd=home, env=env, capture_output=True,
                          text=True, encoding="utf-8", stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, (block, done.stderr[-2000:])


def test_readme_encrypted_receiver_examples_read_as_encrypted() -> None:
    """The README's encrypted-receiver order, in JSON Lines and CSV, reads without a refusal
    as an encrypted receiver with its masks (the order commands work on the plaintext ones)."""
    from app.domain.intake import parse_csv, parse_jsonl

    assert len(fenced("json")) == len(fenced("csv")) == 2
    for parsed in (parse_jsonl(fenced("json")[1].splitlines()), parse_csv(fenced("csv")[1])):
        assert parsed.errors == []
        [draft] = parsed.drafts
        assert draft.receiver.encrypted and "*" in draft.receiver.phone


@pytest.mark.parametrize("block", range(len(fenced("ini"))))
def test_readme_settings_snippet_loads(tmp_path: Path, block: int) -> None:
    """Each INI block of the README, as IT would paste it into station.ini, loads: the
    settings, its devices and scan codes, its printers and what prints where."""
    text = fenced("ini")[block]
    (tmp_path / "station.ini").write_text(text, encoding="utf-8")
    cfg = load_config(tmp_path)
    specs = devices.load_specs(cfg.settings)
    devices.scan_patterns(cfg.settings)
    found = printers.load_setup(cfg.settings).printers
    for section in re.findall(r"^\[device:([^\]]+)\]", text, re.M):
        assert section in {s.name for s in specs}
    for section in re.findall(r"^\[printer:([^\]]+)\]", text, re.M):
        assert section in found
    # No value keeps the comment written after it.
    for name, items in cfg.settings.sections("").items():
        for key, value in items.items():
            assert ";" not in value, (name, key, value)
