"""Issuing a person's badge as a card: the badge is made (`auth.issue_badge`), drawn on its card
(`app.printing.badge_card`) and either written to a file only its owner may read or put in the
station's print queue — in one call, so the badge text never reaches a screen, a log or the
caller. A file is opened before the badge is issued: a folder that cannot be written refuses
the action before the old badge stops working."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.printers import PrinterSpec
from app.printing.badge_card import badge_card_pdf
from app.services import auth, printing
from app.services.context import Actor
from app.store.db import Database


def issue_to_file(db: Database, actor: Actor, code: str, name: str, path: Path) -> Path:
    """A new badge for user `code`, its card saved as a PDF at `path` (mode 0600)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        try:
            if hasattr(os, "fchmod"):  # an existing file keeps its mode through O_CREAT
                os.fchmod(fd, 0o600)
            badge = auth.issue_badge(db, actor, code)
            fh.write(badge_card_pdf(name, code, badge))
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
    return path


def issue_to_printer(db: Database, store: Database, actor: Actor, code: str, name: str,
                     spec: PrinterSpec) -> printing.Queued:
    """A new badge for user `code`, its card queued on `spec` (a printer that takes PDF).
    The printer is checked first, so a refusal leaves the old badge working."""
    if spec.language != "pdf":
        printing.enqueue_pdf(store, actor, spec, b"", kind="badge_card", ref=code)  # refuses
    badge = auth.issue_badge(db, actor, code)
    return printing.enqueue_pdf(store, actor, spec, badge_card_pdf(name, code, badge),
                                kind="badge_card", ref=code, title=f"badge {code}")
