"""Where things are on the screen, for the clicks a person makes: the navigation list's rows
(in the order `app.ui.main_window.screens()` lists them for a role) and the few buttons a
journey clicks, at the window's default size (1400×860 at the top left, no window manager)."""

from __future__ import annotations

from app.domain.roles import Role, has_permission

NAV_X = 60
NAV_FIRST_Y = 36  # the first row's middle, below the menu bar
NAV_STEP = 30  # one row with its spacing


# The navigation list's first row, blank while the login shows.
NAV_FIRST_ROW = (8, 26, 150, 20)


def nav_keys(role: str, station: bool = True) -> list[str]:
    from app.ui.main_window import screens

    return [s.key for s in screens()
            if has_permission(Role(role), s.permission) and (station or not s.needs_station)]


def nav_point(role: str, key: str) -> tuple[int, int]:
    row = nav_keys(role).index(key)
    return NAV_X, NAV_FIRST_Y + row * NAV_STEP

# The packing bench's entry line ("scan or type a code, then Enter"), under the lines table.
PACK_ENTRY = (726, 783)

# The picking screen: the quantity box left of the entry line.
PICK_QTY = (553, 578)
# The Waves screen: the plan form, its buttons and the preview's first row.
WAVE_WAREHOUSE = (365, 69)
WAVE_ORDERS_PER_WAVE = (360, 182)
WAVE_PREVIEW = (322, 267)
WAVE_RELEASE = (408, 267)
WAVE_PREVIEW_ROW = (800, 118)  # first row; each next row 30 px lower
WAVE_PREVIEW_ROW_STEP = 30
# The exception queue's action panel: where the first action's button stands once an
# exception is selected.
EXCEPTION_FIRST_ACTION = (1025, 350, 350, 34)
# The preview table's first row (x, y, width, height), to see the preview arrived.
WAVE_PREVIEW_FIRST_ROW = (470, 108, 900, 18)
