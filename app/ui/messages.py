"""A service's refusal in the reader's language: each `ServiceError.code` has its wording here,
with `{name}` placeholders for the error's params. The English message the service wrote is
for the command line and the log; a screen shows `describe(exc)`."""

from __future__ import annotations

from collections.abc import Callable

from app.services.errors import ServiceError
from app.ui.qt import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("messages", text)


def catalogue() -> dict[str, Callable[[], str]]:
    """Code → its wording (built on each call, so a language switch takes effect)."""
    return {
        "permission.denied": lambda: _t("You may not do this ({permission})."),
        # Waves and picking (spelled out so lupdate finds them)
        "wave.none_chosen": lambda: QCoreApplication.translate(
            "messages", "Tick the waves to release first."),
        "wave.preview_changed": lambda: QCoreApplication.translate(
            "messages", "The preview has changed: preview again."),
        "wave.started": lambda: QCoreApplication.translate(
            "messages", "{wave}: picking has started, it can no longer be cancelled."),
        "wave.not_picking": lambda: QCoreApplication.translate(
            "messages", "{wave} is not being picked now."),
        "wave.not_yours": lambda: QCoreApplication.translate(
            "messages", "{wave} is being picked by another picker."),
        "wave.abandon_picked": lambda: QCoreApplication.translate(
            "messages", "{wave}: {units} units are picked already. Hand the wave back "
            "instead, or call the shift lead."),
        # Handover
        "handover.unknown_place": lambda: QCoreApplication.translate(
            "messages", "There is no warehouse {warehouse} or no carrier {carrier}."),
    }


def describe(exc: ServiceError) -> str:
    wording = catalogue().get(exc.code) if exc.code else None
    if wording is None:
        return str(exc)
    params = {key: _param(key, value) for key, value in exc.params.items()}
    try:
        return wording().format(**params)
    except (KeyError, IndexError, ValueError):
        return str(exc)


def _param(key: str, value: object) -> str:
    """Values that are codes (a status, a role) are named in the reader's language."""
    from app.ui import labels

    if key == "status" and isinstance(value, str):
        return labels.label(labels.status_names(), value)
    if key == "role" and isinstance(value, str):
        return labels.label(labels.role_names(), value)
    return str(value)
