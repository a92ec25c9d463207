"""Reads shared by the callback pages and API."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from xiaoneng.timeliness.callbacks.models import Callback


def pending_first(rows: QuerySet[Callback]) -> QuerySet[Callback]:
    """Pending callbacks first, then the latest round, the latest call, by id."""
    first = Case(
        When(status=Callback.Status.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.annotate(pending_first=first).order_by(
        "pending_first", "-round__month", "-called_on", "id"
    )
