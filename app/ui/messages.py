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
        # ---- packing station
        "packing.not_picked": lambda: QCoreApplication.translate(
            "messages",
            "Order {order} is still in wave {wave}, not picked yet: pick it first."),
        "packing.not_picked_no_wave": lambda: QCoreApplication.translate(
            "messages",
            "Order {order} is not picked yet ({status}): pick it first."),
        "packing.not_packable": lambda: QCoreApplication.translate(
            "messages",
            "Order {order} is {status}: it cannot be packed. Give it to the shift lead."),
        "packing.not_held_offline": lambda: QCoreApplication.translate(
            "messages",
            "Order {order} is not available offline: this station does not hold it and the "
            "central database cannot be reached. Pack another order or wait for the network."),
        "packing.unknown_code": lambda: QCoreApplication.translate(
            "messages", "No order or waybill {code_scanned}: check the label and scan again."),
        "packing.no_wave": lambda: QCoreApplication.translate(
            "messages", "There is no wave {wave}."),
        "packing.wave_not_picked": lambda: QCoreApplication.translate(
            "messages",
            "Wave {wave} is not picked yet: pick it first."),
        "packing.wave_cancelled": lambda: QCoreApplication.translate(
            "messages", "Wave {wave} was cancelled: its orders went back to the queue."),
        "packing.wave_offline": lambda: QCoreApplication.translate(
            "messages",
            "Wave {wave} is not available offline: the central database cannot be reached."),
        # ---- end packing station
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
