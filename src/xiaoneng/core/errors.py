"""Domain errors: what a service raises when a rule refuses an action.

Pages show the message, the API answers ``{"detail": message, "errors": [...]}``,
the CLI prints it and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field (or one cell of an imported file)."""

    field: str
    message: str


class DomainError(Exception):
    """A rule refused the action; ``message`` is written for the user."""

    status_code = 400

    def __init__(self, message: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    @property
    def by_field(self) -> dict[str, str]:
        """Field → message, for a form to mark its fields; a refusal naming no field under ""."""
        return {e.field: e.message for e in self.errors or [FieldError("", self.message)]}

    @property
    def for_page(self) -> str:
        """The message for a page's banner: the field problems in words, without the field
        names the API and CLI put in front (the form marks the fields themselves)."""
        if not self.errors:
            return self.message
        return "；".join(dict.fromkeys(e.message for e in self.errors))


class InvalidInput(DomainError):
    """Input failed validation; ``errors`` names each field and what is wrong with it."""

    status_code = 422

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls(f"{field}: {message}", errors=[FieldError(field, message)])


class NotPermitted(DomainError):
    """The user's role or unit does not allow the action."""

    status_code = 403


class Conflict(DomainError):
    """The action conflicts with the current state (a duplicate, a stale edit)."""

    status_code = 409


class Missing(DomainError):
    """What was asked for does not exist (in the user's scope): a 404 with its own reason."""

    status_code = 404
