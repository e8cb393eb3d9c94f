"""Errors a service raises; the message is what the person at the station reads."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal a service makes on purpose."""


class PermissionDenied(ServiceError):
    pass


class AuthenticationFailed(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class Ambiguous(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class Conflict(ServiceError):
    pass
