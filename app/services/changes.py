"""What a service changed, announced once its transaction has committed, so every screen that
shows it follows by itself instead of waiting for F5.

A service notes the kinds of things it changed on its session (`note(session, Change.ORDERS)`);
when that session commits, the kinds are announced to every listener, from whichever thread
committed. A rolled-back session announces nothing. The UI's bridge (`app.ui.changes`) turns
announcements into a Qt signal on the GUI thread; screens refresh off it, off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from enum import StrEnum

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("packline.changes")


class Change(StrEnum):
    ORDERS = "orders"  # statuses, intercepts, priorities, receivers
    EXCEPTIONS = "exceptions"  # the exception queue
    WAVES = "waves"  # waves formed, released, cancelled, progress
    PICKING = "picking"  # pick tasks confirmed, short picks, put-backs
    CAMPAIGNS = "campaigns"  # presale campaigns and their pools
    RULES = "rules"  # review rules
    STOCK = "stock"  # stock levels and reservations
    HANDOVER = "handover"  # handovers and their parcels
    PRINTING = "printing"  # the station's print queue
    USERS = "users"  # users, roles, badges


Listener = Callable[[frozenset[Change]], None]

_listeners: list[Listener] = []
_lock = threading.Lock()
_KEY = "packline.changes"


def subscribe(listener: Listener) -> Callable[[], None]:
    """Hear every announcement; returns the call that stops it."""
    with _lock:
        _listeners.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return unsubscribe


def announce(kinds: Iterable[Change]) -> None:
    """Tell every listener now (use `note` inside a unit of work instead)."""
    changed = frozenset(kinds)
    if not changed:
        return
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(changed)
        except Exception:  # a broken screen must not undo a committed change
            log.exception("change listener failed")


def note(session: Session, *kinds: Change) -> None:
    """Announce these kinds when `session` commits (nothing if it rolls back)."""
    session.info.setdefault(_KEY, set()).update(kinds)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    kinds = session.info.pop(_KEY, None)
    if kinds:
        announce(kinds)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_KEY, None)
