"""Who acts, as far as core needs to know: a Protocol, since core sits below org.

Core may not import ``xiaoneng.org`` (the import-linter layers), so it cannot name the
``Officer`` model that every domain's services take. It names only what it uses of one: the
scoping helpers ask which units the user sees, the trace asks who to attribute a change to.
``xiaoneng.org.models.Officer`` satisfies ``Actor`` structurally; mypy checks that wherever an
officer is passed to core.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias

from django.contrib.auth.models import AnonymousUser


class Actor(Protocol):
    """A logged-in user who acts: an ``Officer``."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...

    def visible_unit_ids(self) -> list[int] | None:
        """Units whose records the user may see; None for every unit."""
        ...

    def readable_unit_ids(self) -> list[int] | None:
        """Those units and the units above them (bureau-wide records)."""
        ...


# Whom a read is scoped for: any request's user, logged in or not, or nobody (a CLI command).
Viewer: TypeAlias = Actor | AnonymousUser | None


def username_of(actor: Actor | None) -> str | None:
    """The actor's user name, or None for nobody (an API field of who did something)."""
    return actor.get_username() if actor is not None else None
