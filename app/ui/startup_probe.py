"""`PACKLINE_QUIT_AT_LOGIN=1`: the app quits as soon as its login screen is shown and ready to
take a login, saying so in one line on standard output (and in the log). IT uses it to check
that an install opens its window at all, and the packaging smoke test to time a start from the
process's spawn to the login screen (packaging/smoke_frozen.py, docs/packaging.md)."""

from __future__ import annotations

import logging
import os
import sys
import time

from app.ui.qt import QApplication, QTimer, QWidget

ENV_VAR = "PACKLINE_QUIT_AT_LOGIN"
SHOWN = "packline: login screen shown"
# A login that never becomes ready (the embedded database refused) ends the probe too.
LIMIT_S = 120.0

log = logging.getLogger("packline.ui")


def quit_at_login_if_asked(app: QApplication, window: QWidget, login: QWidget) -> None:
    """With PACKLINE_QUIT_AT_LOGIN set (and not 0), quit `app` with exit code 0 once `window`
    and its `login` screen are visible and enabled; with exit code 1 when that has not
    happened within two minutes."""
    if os.environ.get(ENV_VAR, "").strip() in ("", "0"):
        return
    since = time.monotonic()
    timer = QTimer(window)
    timer.setInterval(10)

    def look() -> None:
        if window.isVisible() and login.isVisible() and login.isEnabled():
            timer.stop()
            log.info("login screen shown; quitting (%s)", ENV_VAR)
            _say(SHOWN)
            app.exit(0)
        elif time.monotonic() - since > LIMIT_S:
            timer.stop()
            log.error("login screen not ready after %.0f s; quitting (%s)", LIMIT_S, ENV_VAR)
            _say(f"packline: login screen not ready after {LIMIT_S:.0f} s")
            app.exit(1)

    timer.timeout.connect(look)
    timer.start()


def _say(line: str) -> None:
    if sys.stdout is not None:  # a windowed build has no standard streams
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
