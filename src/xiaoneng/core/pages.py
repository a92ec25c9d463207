"""What every page module shares: paging, the query string of a list, a typed date from a form
or a filter, a record's status history, and running a POSTed action with its message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_date

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from xiaoneng.core.paging import CappedPaginator, ExactPaginator
from xiaoneng.core.params import in_range

# What a form marks on its fields; ``act`` shows every DomainError but NotPermitted (403).
Refusal = (InvalidInput, Conflict)


def paginate(request: HttpRequest, rows: Any, *, exact: bool = False) -> Any:
    """The page of ``rows`` asked for (?page=), counted up to the cap; ``exact`` for a list in
    memory (a due list, a few dozen checklists), counted exactly."""
    paginator = ExactPaginator if exact else CappedPaginator
    return paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request: HttpRequest, *names: str) -> str:
    """The filters ``names`` given in the request, for the paging links."""
    return "&".join(f"{n}={request.GET[n]}" for n in names if request.GET.get(n))


def params_query(params: dict[str, str]) -> str:
    """The non-empty ``params`` as a query string, for the paging links."""
    return "&".join(f"{k}={v}" for k, v in params.items() if v)


def parse_day(value: Any) -> dt.date | None:
    """A typed YYYY-MM-DD date (or a date already), or None when empty, not a real date or
    out of the years we keep (``core.params``: 0001-01-01 would overflow a period's arithmetic).

    The one date parser of page and API input: a page passes None on to the service, whose
    message names the field; ``cases.checks.parse_day`` and ``reports.scope`` refuse it
    themselves with their own messages.
    """
    if isinstance(value, dt.date):
        return in_range(value)
    try:
        return in_range(parse_date(str(value or "").strip()))
    except ValueError:  # well formed, but no such day (2026-02-30)
        return None


def history_rows(instance: Any) -> list[dict[str, Any]]:
    """The record's trace, newest first, its status moves with their labels."""
    labels = dict(type(instance)._meta.get_field("status").flatchoices)
    rows = []
    for event in audit.history(instance)[:50]:
        moved = event.changes.get("status") if isinstance(event.changes, dict) else None
        rows.append(
            {
                "at": event.at,
                "actor": event.actor_name,
                "action": event.get_action_display(),
                "status_from": labels.get(moved[0], "") if moved else "",
                "status_to": labels.get(moved[1], "") if moved else "",
                "reason": event.reason,
            }
        )
    return rows


def act(
    request: HttpRequest,
    action: Callable[[], Any],
    done: str | None,
    back: HttpResponse,
    *,
    refused: Callable[[DomainError], HttpResponse] | None = None,
) -> HttpResponse:
    """Run a POSTed action: the one way a page shows a ``DomainError``.

    On success, ``done`` as a success message (None: the message ``action`` returns, for one
    naming the new state), and ``back``. A refusal's ``for_page`` message as an error message,
    and ``back`` again, or what ``refused`` answers (a form shown again with its fields
    marked). ``NotPermitted`` is not caught: the page answers 403 with its message
    (``web``'s ``DomainErrorMiddleware``), as for a record of another unit.
    """
    try:
        result = action()
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
        return refused(error) if refused is not None else back
    messages.success(request, str(result) if done is None else done)
    return back
