"""Where things are on the screen, for the clicks a person makes: the navigation list's rows
(in the order `app.ui.main_window.screens()` lists them for a role) and the few buttons a
journey clicks, at the window's default size (1400×860 at the top left, no window manager)."""

from __future__ import annotations

from app.domain.roles import Role, has_permission

NAV_X = 60
NAV_FIRST_Y = 36  # the first row's middle, below the menu bar
NAV_STEP = 30  # one row with its spacing


def nav_keys(role: str, station: bool = True) -> list[str]:
    from app.ui.main_window import screens

    return [s.key for s in screens()
            if has_permission(Role(role), s.permission) and (station or not s.needs_station)]


def nav_point(role: str, key: str) -> tuple[int, int]:
    row = nav_keys(role).index(key)
    return NAV_X, NAV_FIRST_Y + row * NAV_STEP

# The packing bench's entry line ("scan or type a code, then Enter"), under the lines table.
PACK_ENTRY = (726, 783)
