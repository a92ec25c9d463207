"""Status as a declared state machine (STYLE.md: the cisagov pattern).

A model's status is a ``StatusField``: a plain assignment that would change it raises, so the
only way to move is ``Transitions.move``, which checks the model's table of allowed moves and
refuses with a message a user can read. The caller saves, and so the trace records the move.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict

UNLOCKED = "_status_unlocked"


class GuardedStatus(DeferredAttribute):
    """A status attribute that a plain assignment cannot change (loading from SQL still can)."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        name = self.field.attname
        current = instance.__dict__.get(name, value)
        if current != value and name in instance.__dict__ and not instance.__dict__.get(UNLOCKED):
            raise AttributeError(
                f"{type(instance).__name__}.{name} changes only through its transition service"
            )
        instance.__dict__[name] = value


class StatusField(models.CharField):
    """A CharField whose value changes only through ``Transitions.move`` (or ``unlocked``)."""

    descriptor_class = GuardedStatus

    def deconstruct(self) -> Any:
        # To the database and to migrations it is a plain CharField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class StatusModel(models.Model):
    """A model with a ``StatusField``: reloading it from the database may change the status."""

    class Meta:
        abstract = True

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        with unlocked(self):
            super().refresh_from_db(*args, **kwargs)


@contextmanager
def unlocked(instance: models.Model) -> Iterator[None]:
    """Let the status of ``instance`` be set inside the block (reloads, transitions)."""
    instance.__dict__[UNLOCKED] = True
    try:
        yield
    finally:
        instance.__dict__.pop(UNLOCKED, None)


class Transitions:
    """The allowed moves of a status: ``{from: {to, …}}``; final states map to nothing."""

    def __init__(
        self, table: Mapping[str, Iterable[str]], *, subject: Any, field: str = "status"
    ) -> None:
        self.table = {state: frozenset(targets) for state, targets in table.items()}
        self.subject = subject  # what moves, for the message: 任务, 抽查, 案件…
        self.field = field

    def __getitem__(self, state: str) -> frozenset[str]:
        return self.table[state]

    def allows(self, current: str, to: str) -> bool:
        return to in self.table.get(current, frozenset())

    def check(self, instance: models.Model, to: str) -> None:
        """Refuse, naming both states, unless ``instance`` may move to ``to``."""
        current = getattr(instance, self.field)
        if not self.allows(current, to):
            labels = dict(instance._meta.get_field(self.field).flatchoices)  # type: ignore[union-attr]
            raise Conflict(
                _("%(subject)s状态为“%(status)s”，不能改为“%(to)s”")
                % {
                    "subject": self.subject,
                    "status": labels.get(current, current),
                    "to": labels.get(to, to),
                }
            )

    def move(self, instance: models.Model, to: str) -> None:
        """Move ``instance`` to ``to`` if the table allows it; the caller saves."""
        self.check(instance, to)
        with unlocked(instance):
            setattr(instance, self.field, to)
