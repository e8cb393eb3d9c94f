"""What a packer or picker hears and sees after a scan: a short high beep for OK, a low double
buzz for an error, a rising three-note chime when an order or task is done (resources/sounds),
and a colour with a symbol on the screen, never colour alone.

Sounds play without blocking: Qt Multimedia where the installed Qt has it, else the system's
`paplay` / `aplay`, else the terminal bell. `muted` silences them (tests, a quiet office).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

from app.resources import resources_dir

log = logging.getLogger("packline.ui.feedback")
KINDS = ("ok", "error", "done")
STYLES = {  # background, text, symbol
    "ok": ("#e8f5e9", "#1b5e20", "✔"),
    "error": ("#ffebee", "#b00020", "✖"),
    "done": ("#e3f2fd", "#0d47a1", "★"),
    "idle": ("#fafafa", "#222222", "▶"),
}
muted = os.environ.get("PACKLINE_MUTE", "") == "1"
played: list[str] = []  # what was asked for, newest last (tests read it)


def sound_path(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown sound {kind!r}")
    return str(resources_dir() / "sounds" / f"{kind}.wav")


def play(kind: str) -> None:
    path = sound_path(kind)
    played.append(kind)
    del played[:-50]
    if muted:
        return
    player = shutil.which("paplay") or shutil.which("aplay")
    if player is None:
        return
    try:
        subprocess.Popen([player, "-q", path] if player.endswith("aplay") else [player, path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        log.debug("cannot play %s", path, exc_info=True)


def style(kind: str, points: int = 28) -> str:
    bg, fg, _symbol = STYLES[kind]
    return (f"background: {bg}; color: {fg}; border: 3px solid {fg}; border-radius: 6px; "
            f"padding: 10px; font-size: {points}pt; font-weight: bold;")


def symbol(kind: str) -> str:
    return STYLES[kind][2]
