"""The screens' Chinese font in the frozen build.

The frozen build carries the label fonts in its `fonts/` folder (app/printing/fonts.py,
`bundled_fonts_dir`). The screens draw through Qt, which knows only the fonts the system has
installed: on a minimal Linux station without fonts-wqy-zenhei the Chinese interface would
show empty boxes. `register(app)`, called once at start before the first window, adds the
bundle's WenQuanYi font to Qt's fonts for this process and puts its family after the
application font's own, so every character the system's font lacks is drawn with it.

A checkout or an installed wheel uses the system's fonts: nothing is registered there, and
nothing of the label fonts' module is imported.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from app.ui.qt import QFontDatabase, QFontInfo, QGuiApplication

log = logging.getLogger("packline.ui")


def bundled_cjk_font(folder: Path) -> Path | None:
    """The bundle's WenQuanYi font file in `folder`, in the label fonts' order, or None."""
    from app.printing.fonts import CANDIDATES

    for path, _index in CANDIDATES:
        found = folder / Path(path).name
        if found.is_file():
            return found
    return None


def register(app: QGuiApplication, folder: Path | None = None) -> str | None:
    """In the frozen build (or with `folder` given), registers the bundled CJK font with Qt
    and makes it the application font's fallback family. Returns that family, or None when
    there is no bundle or no CJK font in it (the system's fonts then serve alone)."""
    if folder is None:
        if not getattr(sys, "frozen", False):
            return None
        from app.printing.fonts import bundled_fonts_dir

        folder = bundled_fonts_dir()
        if folder is None:
            return None
    path = bundled_cjk_font(folder)
    if path is None:
        log.info("the screens' font: no WenQuanYi font in %s; the system's fonts serve",
                 folder)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("the screens' font: Qt could not load %s; the system's fonts serve", path)
        return None
    family = families[0]  # a collection's first face: "WenQuanYi Zen Hei", the one labels use
    font = app.font()
    # The family the system's font resolves to ("Sans Serif" is fontconfig's alias for it)
    # keeps setting the Latin text; the bundle's font sets what it lacks.
    primary = QFontInfo(font).family()
    font.setFamilies([primary, family] if primary and primary != family else [family])
    app.setFont(font)
    log.info("the screens' font: %s from %s, after %s", family, path, primary or "nothing")
    return family
