"""How a person reaches things on the screen: the navigation list's keys (Alt+1…Alt+0, in the
order the main window lists a role's screens) and, where a person clicks, where to click at
the window's default size (1400×860 at the top left, no window manager)."""

from __future__ import annotations

from app.domain.roles import Role, has_permission

# The navigation list's first row, blank while the login shows.
NAV_FIRST_ROW = (8, 26, 150, 20)
NAV_SHORTCUTS = ("alt+1", "alt+2", "alt+3", "alt+4", "alt+5", "alt+6", "alt+7", "alt+8",
                 "alt+9", "alt+0")


def nav_keys(role: str, station: bool = True) -> list[str]:
    """The screens a role sees, in the navigation list's order (its landing screen first)."""
    from app.ui.main_window import ROLE_SCREENS, screens

    by_key = {s.key: s for s in screens()}
    return [key for key in ROLE_SCREENS.get(Role(role), ())
            if key in by_key and has_permission(Role(role), by_key[key].permission)
            and (station or not by_key[key].needs_station)]


def nav_shortcut(role: str, key: str) -> str:
    """The Alt+digit the navigation list shows next to a screen, for xdotool."""
    return NAV_SHORTCUTS[nav_keys(role).index(key)]


# The packing bench's entry line ("scan or type a code, then Enter"), under the lines table.
PACK_ENTRY = (726, 783)

# The picking screen: the quantity box, left of the entry line.
PICK_QTY = (597, 577)
# The Waves screen: the plan form's boxes and buttons.
WAVE_WAREHOUSE = (365, 69)
WAVE_ORDERS_PER_WAVE = (360, 182)
WAVE_PREVIEW = (322, 267)
WAVE_RELEASE = (408, 267)
# The preview table's first row (x, y, width, height), below its header: to see the preview
# arrived, and to click a row (which ticks it).
WAVE_PREVIEW_FIRST_ROW = (470, 112, 900, 20)
WAVE_PREVIEW_ROW_STEP = 30  # each next row this much lower
# The exception queue's action panel: where the first action's button stands once an
# exception is selected.
EXCEPTION_FIRST_ACTION = (1025, 350, 350, 34)
# The Users screen's table: its first row, below the title and the header.
USERS_FIRST_ROW = (200, 75, 600, 20)
# The Devices screen: its device table's first row.
DEVICES_FIRST_ROW = (200, 75, 400, 20)
# Its table's first row, to click; with a scale selected, its "Steady for" label (blank space
# while the form holds a new scanner), the form's Tolerance box and the Save button below it
# (English labels).
DEVICES_FIRST_ROW_CLICK = (250, 101)
DEVICES_SCALE_LABEL = (232, 490, 68, 16)
DEVICES_TOLERANCE = (500, 528)
DEVICES_SAVE = (520, 556)
# The dashboard (Chinese): the start of its carriers table's first rows (the carriers' names,
# wherever the columns' widths put the rest), once the first figures are in.
DASHBOARD_FIRST_CARRIER = (380, 132, 420, 40)
# The presale campaigns screen: its table's first row (the campaign column, wherever the other
# columns' widths are). Its buttons (Supplier board, Demand report) have keys: Ctrl+B, Ctrl+D.
CAMPAIGNS_FIRST_ROW = (180, 80, 100, 40)
