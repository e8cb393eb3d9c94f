"""Errors a service raises on purpose.

Each refusal carries an English message (for the command line and the log) and, for the
screens, a stable `code` with its `params`: the screen words the code in the reader's
language (`app.ui.messages`), so no English reaches a Chinese screen. Codes are dotted,
lowercase, named for what went wrong (`order.not_ready_to_pack`, `handover.parcel_taken`);
params are plain values (order numbers, status codes, counts) the wording fills in.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal a service makes on purpose."""

    def __init__(self, message: str = "", *, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class PermissionDenied(ServiceError):
    pass


class AuthenticationFailed(ServiceError):
    pass


class SecondFactorRequired(AuthenticationFailed):
    """The badge was right, and its holder's role also needs the PIN (or the password)."""


class SessionEnded(AuthenticationFailed):
    """The person was deactivated, or is no longer who they were at login: log them out."""


class NotFound(ServiceError):
    pass


class Ambiguous(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class ScanRefused(InvalidInput):
    """A picker's scan that does not fit the task (wrong bin, wrong item, item before its
    bin …): nothing changed. `kind` picks the sound, the colour and the picker's wording."""

    def __init__(self, message: str, kind: str = "wrong", *, code: str = "",
                 **params: object) -> None:
        super().__init__(message, code=code, **params)
        self.kind = kind
