"""Every command and snippet in the README runs as printed.

The README's command table is read row by row: each row's command is run here against a station
folder whose embedded database holds demo orders, with every option the row prints, its
placeholders filled with real values (an order number, a wave, a job). A row this file does not
run must be in SKIPPED with the reason; a new row fails until it is run or skipped. The fenced
snippets run too: shell blocks (or their listed reason to skip), the order files in JSON Lines
and CSV are imported, the replay script is replayed, and every INI block is loaded as a
station's settings the way the app loads them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import devices, printers
from app.config import load_config
from tests.integration.test_cli import packline

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


def table_commands() -> list[str]:
    """The first column of the 'Command line' table, as printed (`a` / `b` gives both)."""
    section = README.split("## Command line", 1)[1].split("\n## ", 1)[0]
    commands: list[str] = []
    for row in section.splitlines():
        if not row.startswith("| `packline"):
            continue
        cell = row.split(" | ", 1)[0].lstrip("| ")
        commands += [c.replace("\\|", "|") for c in re.findall(r"`([^`]+)`", cell)]
    return commands


def command_key(command: str) -> str:
    """`packline waves plan --warehouse W …` → `packline waves plan`: the words before the first
    option or placeholder."""
    words: list[str] = []
    for word in command.split():
        if word.startswith(("-", "[")) or not re.fullmatch(r"[a-z]+", word):
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
        done = packline(home, *args)
        assert done.returncode == 0, done.stderr
    return home


def run(home: Path, *args: str, code: int = 0) -> Any:
    done = packline(home, *args)
    assert done.returncode == code, (args, done.returncode, done.stderr[-1500:])
    return done


def first_order(home: Path, status: str) -> dict[str, Any]:
    rows = json.loads(run(home, "orders", "list", "--status", status, "--limit", "1",
                          "--json").stdout)
    assert rows, status
    return rows[0]  # type: ignore[no-any-return]


def _import(home: Path) -> list[tuple[str, ...]]:
    (jsonl,) = fenced("json")
    (csv,) = fenced("csv")
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
    return [("label", "render", "--order", o, "--format", fmt, "--out", str(out / f"w.{fmt}"))
            for fmt in ("pdf", "png", "zpl", "tspl", "escpos")] + [
        ("label", "render", "--order", o, "--format", "zpl", "--size", "100x150", "--dpi", "203",
         "--cjk", "graphic", "--box", "1", "--out", str(out / "w2.zpl"))]


def _reprint(home: Path) -> list[tuple[str, ...]]:
    run(home, "print", "test", "--printer", "folder", "--timeout", "20")
    job = json.loads(run(home, "print", "queue").stdout.splitlines()[0])
    return [("print", "reprint", str(job["job"]), "--reason", "README: smudged label")]


def _waves_cancel(home: Path) -> list[tuple[str, ...]]:
    run(home, "waves", "release", "--warehouse", "HZ", "--strategy", "per_order",
        "--max-orders", "3", "--waves", "1")
    waves = run(home, "waves", "list", "--status", "released").stdout
    wave_no = re.search(r"WAVE-\d+", waves)
    assert wave_no, waves
    return [("waves", "cancel", wave_no.group(0))]


def _replay(home: Path) -> list[tuple[tuple[str, ...], int]]:
    (script,) = [b for b in fenced("") if b.startswith('{"scan"')]
    path = home / "replay.jsonl"
    path.write_text(script, encoding="utf-8")
    # The README's script names an order this database does not have: exit 3, as it says.
    return [(("station", "replay", str(path), "--user", "packer01", "--scale"), 3)]


Runs = Callable[[Path], list[tuple[str, ...]] | list[tuple[tuple[str, ...], int]]]
RUNS: dict[str, Runs] = {
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
    "packline simulate": lambda h: [("simulate", "--rate", "5", "--duration", "1", "--seed",
                                     "3", "--no-events")],
    "packline users add": lambda h: [("users", "add", "packer09", "--name", "赵打包",
                                      "--role", "packer", "--password", "packer999",
                                      "--badge", "USR-packer09")],
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
    "packline sync once": lambda h: [("sync", "once")],
    "packline sync status": lambda h: [("sync", "status"), ("sync", "status", "--json")],
    "packline devices list": lambda h: [("devices", "list")],
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
    for block in fenced("sh"):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            assert not command or command in SKIPPED, command
    # Blocks without a language: the replay script (replayed below), what `devices listen`
    # prints (its sample output, not a command) and the source tree's layout.
    plain = fenced("")
    assert [b.split(None, 1)[0][:7] for b in plain] == ['{"type"', '{"scan"', "app/dom"], plain


@pytest.mark.parametrize("command", table_commands())
def test_readme_command_runs_as_printed(home: Path, command: str) -> None:
    key = command_key(command)
    if key in SKIPPED:
        pytest.skip(SKIPPED[key])
    runs = [r if isinstance(r[0], tuple) else (r, 0) for r in RUNS[key](home)]
    used = {word for args, _code in runs for word in args if word.startswith("--")}
    # Every option the README prints for the command is given to it here.
    assert printed_options(command) <= used, printed_options(command) - used
    for args, code in runs:
        assert command_key("packline " + " ".join(args)).startswith(key), (key, args)
        run(home, *args, code=code)


@pytest.mark.parametrize("block", range(len(fenced("ini"))))
def test_readme_settings_snippet_loads(tmp_path: Path, block: int) -> None:
    """Each INI block of the README, as IT would paste it into station.ini, loads: the
    settings, its devices and scan codes, its printers and what prints where."""
    text = fenced("ini")[block]
    (tmp_path / "station.ini").write_text(text, encoding="utf-8")
    cfg = load_config(tmp_path)
    specs = devices.load_specs(cfg.settings)
    devices.scan_patterns(cfg.settings)
    found = printers.load_printers(cfg.settings)
    printers.check_roles(cfg.settings, found)
    for section in re.findall(r"^\[device:([^\]]+)\]", text, re.M):
        assert section in {s.name for s in specs}
    for section in re.findall(r"^\[printer:([^\]]+)\]", text, re.M):
        assert section in found
    # No value keeps the comment written after it.
    for name, items in cfg.settings.sections("").items():
        for key, value in items.items():
            assert ";" not in value, (name, key, value)
