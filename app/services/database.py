"""The database as the screens see it: a handle they open once and pass to every service.
They name its type from here and never open a session on it; each service runs its own unit
of work (`app.store.db` is the services' business)."""

from __future__ import annotations

from app.store.db import Database

__all__ = ["Database"]
