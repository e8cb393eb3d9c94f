"""The station's look, in one place: a light and a dark palette with the one application style
sheet that goes with them, the colours that carry a meaning (done, refused, waiting) made
readable on either, and the icons (the app's own and one per screen, resources/icons).

`apply(app, theme)` is called once at start (`[ui] theme` of station.ini, or what the person
chose last in the View menu) and again when the View menu switches it.
"""

from __future__ import annotations

from typing import Literal

from app.resources import resources_dir
from app.ui.qt import QApplication, QColor, QGuiApplication, QIcon, QPalette, Qt

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")

# Each screen's icon file (resources/icons/NAME.svg), by the screen's key.
SCREEN_ICONS: dict[str, str] = {
    "orders": "orders", "exceptions": "exceptions", "campaigns": "campaigns",
    "rules": "rules", "devices": "devices", "waves": "waves", "picking": "picking",
    "packing": "packing", "handover": "handover", "users": "users", "printing": "printing",
    "dashboard": "dashboard",
}

# (role, light, dark)
_COLOURS: tuple[tuple[QPalette.ColorRole, str, str], ...] = (
    (QPalette.ColorRole.Window, "#f3f4f6", "#202326"),
    (QPalette.ColorRole.WindowText, "#1f2328", "#e4e6e9"),
    (QPalette.ColorRole.Base, "#ffffff", "#17191c"),
    (QPalette.ColorRole.AlternateBase, "#f4f6f9", "#1e2125"),
    (QPalette.ColorRole.Text, "#1f2328", "#e4e6e9"),
    (QPalette.ColorRole.PlaceholderText, "#6b7280", "#8b9199"),
    (QPalette.ColorRole.Button, "#e8eaee", "#2d3136"),
    (QPalette.ColorRole.ButtonText, "#1f2328", "#e4e6e9"),
    (QPalette.ColorRole.BrightText, "#ffffff", "#ffffff"),
    (QPalette.ColorRole.Highlight, "#1f6fbf", "#2f7fd0"),
    (QPalette.ColorRole.HighlightedText, "#ffffff", "#ffffff"),
    (QPalette.ColorRole.Link, "#1565c0", "#7ab8f5"),
    (QPalette.ColorRole.LinkVisited, "#6a1b9a", "#c39be0"),
    (QPalette.ColorRole.ToolTipBase, "#fffbe6", "#2d3136"),
    (QPalette.ColorRole.ToolTipText, "#1f2328", "#e4e6e9"),
    (QPalette.ColorRole.Light, "#ffffff", "#3a3f45"),
    (QPalette.ColorRole.Midlight, "#e2e5ea", "#33383d"),
    (QPalette.ColorRole.Mid, "#b8bec7", "#4a5058"),
    (QPalette.ColorRole.Dark, "#8f96a0", "#111315"),
    (QPalette.ColorRole.Shadow, "#5b616a", "#000000"),
)
_DISABLED: tuple[tuple[QPalette.ColorRole, str, str], ...] = (
    (QPalette.ColorRole.WindowText, "#9aa0a8", "#6f757c"),
    (QPalette.ColorRole.Text, "#9aa0a8", "#6f757c"),
    (QPalette.ColorRole.ButtonText, "#9aa0a8", "#6f757c"),
    (QPalette.ColorRole.Base, "#f3f4f6", "#1c1e21"),
    (QPalette.ColorRole.Button, "#eceef1", "#26292d"),
)

# Colours that say something (done, refused, waiting, inactive), written for a light
# background: on the dark one each is replaced by a lighter tone of the same hue, so a red
# "refused" stays red and stays readable (contrast at least 4.5:1 on the dark window).
_DARK_INK: dict[str, str] = {
    "#b00020": "#ff7b8a",  # refused, error, offline
    "#d32f2f": "#ff8a80",
    "#1b5e20": "#7ed98a",  # done, online
    "#43a047": "#7ed98a",
    "#8a6d00": "#f0c75e",  # waiting, moving
    "#b35c00": "#ffb060",  # warning
    "#8a4b00": "#ffb060",
    "#e65100": "#ffa257",
    "#1565c0": "#7ab8f5",  # in progress
    "#0d47a1": "#90c4f8",
    "#555555": "#aab0b8",  # inactive, cancelled
    "#222222": "#e4e6e9",
    "#000000": "#e4e6e9",
}

_current: Theme = "light"


def current() -> Theme:
    return _current


def resolve(choice: str) -> Theme:
    """`light`, `dark`, or `system`: the desktop's own colour scheme (light when it has none)."""
    if choice in THEMES:
        return choice
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def palette(theme: Theme) -> QPalette:
    column = 1 if theme == "light" else 2
    result = QPalette()
    for entry in _COLOURS:
        result.setColor(entry[0], QColor(entry[column]))
    for entry in _DISABLED:
        result.setColor(QPalette.ColorGroup.Disabled, entry[0], QColor(entry[column]))
    return result


def stylesheet(theme: Theme) -> str:
    """The few things the palette cannot say: the navigation list's rows, the status bar's
    items, tooltips and group titles."""
    light = theme == "light"
    nav_hover = "#e3e9f2" if light else "#2a3038"
    border = "#c9ced6" if light else "#3d434a"
    # A pale tint, not the solid highlight: the screen's blue icon stays visible on it.
    selected = "#d3e5f8" if light else "#24456a"
    selected_text = "#0d2a4a" if light else "#ffffff"
    return f"""
QListWidget#navigation {{ border: none; border-right: 1px solid {border}; }}
QListWidget#navigation::item {{ padding: 4px 0; border-radius: 5px; }}
QListWidget#navigation::item:hover {{ background: {nav_hover}; }}
QListWidget#navigation::item:selected {{ background: {selected}; color: {selected_text}; }}
QStatusBar {{ border-top: 1px solid {border}; }}
QStatusBar::item {{ border: none; }}
QStatusBar QLabel {{ padding: 0 8px; border-left: 1px solid {border}; }}
QGroupBox {{ font-weight: bold; }}
QToolTip {{ border: 1px solid {border}; padding: 4px; }}
"""


def apply(app: QApplication, theme: Theme) -> None:
    """The whole app in `theme`: Fusion (the one style that follows a palette on Windows,
    Linux and macOS alike), its palette and the style sheet."""
    global _current
    _current = theme
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette(theme))
    app.setStyleSheet(stylesheet(theme))


def ink(colour: str) -> str:
    """A colour that carries a meaning, as readable text on the current theme's background."""
    if _current == "dark":
        return _DARK_INK.get(colour.lower(), colour)
    return colour


def icon_path(name: str) -> str:
    return str(resources_dir() / "icons" / f"{name}.svg")


def app_icon() -> QIcon:
    return QIcon(icon_path("packline"))


def screen_icon(key: str) -> QIcon:
    """The icon of the screen `key` (an empty icon for a screen that has none)."""
    name = SCREEN_ICONS.get(key)
    return QIcon(icon_path(name)) if name else QIcon()
