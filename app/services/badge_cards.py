"""Issuing a person's badge as a card: the badge is made (`auth.issue_badge`), drawn on its card
(`app.printing.badge_card`) and written to a file only its owner may read — in one call, so
the badge text never reaches a screen, a log or the caller. (At a station the card goes to its
print queue the same way: `app.station.print_queue.issue_badge_card`.)

A file is written beside its destination first (mode 0600) and moved into place only once the
card is complete: a folder that cannot be written refuses before the old badge stops working,
and a refusal (an unknown user code, say) leaves whatever file was at the path untouched."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from app.domain.roles import Permission
from app.services import auth
from app.services.access import guarded
from app.services.context import Actor
from app.store.db import Database


@guarded(Permission.MANAGE_USERS)
def issue_to_file(db: Database, actor: Actor, code: str, name: str, path: Path) -> Path:
    """A new badge for user `code`, its card saved as a PDF at `path` (mode 0600)."""
    from app.printing.badge_card import badge_card_pdf  # (reportlab: not needed to start)

    path = Path(path)
    fd, staging = tempfile.mkstemp(prefix=".badge-", suffix=".pdf", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp makes it 0600
            badge = auth.issue_badge(db, actor, code)
            fh.write(badge_card_pdf(name, code, badge))
        os.replace(staging, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise
    return path

