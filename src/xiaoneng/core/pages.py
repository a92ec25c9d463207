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
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.paging import CappedPaginator

Refusal = (InvalidInput, Conflict)  # shown on the page; NotPermitted answers 403


def paginate(request: HttpRequest, rows: Any) -> Any:
    """The page of ``rows`` asked for (?page=), counted up to the cap."""
    return CappedPaginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request: HttpRequest, *names: str) -> str:
    """The filters ``names`` given in the request, for the paging links."""
    return "&".join(f"{n}={request.GET[n]}" for n in names if request.GET.get(n))


def params_query(params: dict[str, str]) -> str:
    """The non-empty ``params`` as a query string, for the paging links."""
    return "&".join(f"{k}={v}" for k, v in params.items() if v)


def parse_day(value: Any) -> dt.date | None:
    """A typed YYYY-MM-DD date, or None when empty or invalid."""
    try:
        return parse_date(str(value or "").strip())
    except ValueError:
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
    request: HttpRequest, action: Callable[[], Any], done: str, back: HttpResponse
) -> HttpResponse:
    """Run a POSTed action: its message on success, the refusal's message otherwise."""
    try:
        action()
    except Refusal as error:
        messages.error(request, error.for_page)
    else:
        messages.success(request, done)
    return back
