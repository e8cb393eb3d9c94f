"""What a packer or picker hears and sees after a scan: a short high beep for OK, a low double
buzz for an error, a rising three-note chime when an order or task is done (resources/sounds),
and a colour with a symbol on the screen, never colour alone.

Sounds play through Qt Multimedia (`QSoundEffect`, on Windows and Linux alike) without
blocking: one effect per sound, loaded on the GUI thread the first time a sound is asked for.
`muted` silences them (tests, a quiet office: `PACKLINE_MUTE=1`); muted, no effect is made.
A station without an audio output plays nothing and says so once in the log.
"""

from __future__ import annotations

import logging
import os
import threading

from app.resources import resources_dir
from app.ui.qt import QCoreApplication, QLoggingCategory, QSoundEffect, QUrl

log = logging.getLogger("packline.ui.feedback")
KINDS = ("ok", "error", "done")
STYLES = {  # background, text, symbol: pale grounds with dark text, readable in either theme
    "ok": ("#e8f5e9", "#1b5e20", "✔"),
    "error": ("#ffebee", "#b00020", "✖"),
    "done": ("#e3f2fd", "#0d47a1", "★"),
    "idle": ("#fafafa", "#222222", "▶"),
}
muted = os.environ.get("PACKLINE_MUTE", "") == "1"
played: list[str] = []  # what was asked for, newest last (tests read it)
effects: dict[str, QSoundEffect] = {}  # one per sound, made at the first play
_broken: set[str] = set()  # sounds that could not be loaded or played here


def sound_path(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown sound {kind!r}")
    return str(resources_dir() / "sounds" / f"{kind}.wav")


def play(kind: str) -> None:
    path = sound_path(kind)
    played.append(kind)
    del played[:-50]
    if muted or kind in _broken:
        return
    effect = _effect(kind, path)
    if effect is not None:
        effect.play()  # returns at once; a sound still loading plays when loaded


def _effect(kind: str, path: str) -> QSoundEffect | None:
    """The sound's effect, made on the GUI thread the first time (a QSoundEffect is a Qt
    object of the thread that made it)."""
    if kind in effects:
        return effects[kind]
    app = QCoreApplication.instance()
    if app is None or threading.current_thread() is not threading.main_thread():
        log.debug("sound %s asked for off the GUI thread: not played", kind)
        return None
    if not effects:
        # Qt Multimedia's FFmpeg back end looks for the video acceleration libraries (VA-API)
        # when it starts; sounds need none of them, so their absence is not worth a warning.
        QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")
    effect = QSoundEffect(app)
    effect.statusChanged.connect(lambda: _status(kind, effect))
    effect.setSource(QUrl.fromLocalFile(path))
    effects[kind] = effect
    return effect


def _status(kind: str, effect: QSoundEffect) -> None:
    if effect.status() == QSoundEffect.Status.Error and kind not in _broken:
        _broken.add(kind)
        log.info("sound %s cannot play on this station (no audio output, or it refused %s)",
                 kind, effect.source().toLocalFile())


def style(kind: str, points: int = 28) -> str:
    bg, fg, _symbol = STYLES[kind]
    return (f"background: {bg}; color: {fg}; border: 3px solid {fg}; border-radius: 6px; "
            f"padding: 10px; font-size: {points}pt; font-weight: bold;")


def symbol(kind: str) -> str:
    return STYLES[kind][2]
