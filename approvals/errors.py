"""Errors the core raises; the web adapter maps each to an HTTP status."""

from __future__ import annotations

from typing import Any


class ApprovalError(Exception):
    """Base: a machine code, a message a person can read, and structured details."""

    status = 400

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class Unauthenticated(ApprovalError):
    status = 401


class NotFound(ApprovalError):
    status = 404


class NotAllowed(ApprovalError):
    status = 403


class Conflict(ApprovalError):
    """Out of turn, stale or concurrent: nothing was changed."""

    status = 409


class Invalid(ApprovalError):
    """Input that breaks a rule: details name the field and the rule."""

    status = 422
