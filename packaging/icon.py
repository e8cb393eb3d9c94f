"""Packline's icon (resources/icons/packline.svg) drawn as a PNG, for the Linux archive's
desktop entry and the Windows executables (PyInstaller makes the .ico from the PNG).

    python packaging/icon.py OUT.png [SIZE]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "packline.svg"


def render_png(out: Path, size: int = 256, svg: Path = SVG) -> Path:
    """`svg` drawn into a `size`×`size` PNG with a transparent ground."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    del app
    return out


if __name__ == "__main__":
    render_png(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 256)
