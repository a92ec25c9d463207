"""What every page module shares: paging, a list's filters (the unknown values refused with a
message) and its query string, a typed date from a form or a filter, a record's status history,
and running a POSTed action with its message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from xiaoneng.core.paging import CappedPaginator, ExactPaginator
from xiaoneng.core.params import MAX_YEAR, MIN_YEAR, in_range

# What a form marks on its fields; ``act`` shows every DomainError but NotPermitted (403).
Refusal = (InvalidInput, Conflict)


def paginate(request: HttpRequest, rows: Any, *, exact: bool = False) -> Any:
    """The page of ``rows`` asked for (?page=), counted up to the cap; ``exact`` for a list in
    memory (a due list, a few dozen checklists), counted exactly."""
    paginator = ExactPaginator if exact else CappedPaginator
    return paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request: HttpRequest | QueryDict, *names: str) -> str:
    """The filters ``names`` given in the request (or in the ``known_filters`` of it), for the
    paging links."""
    params = request.GET if isinstance(request, HttpRequest) else request
    return "&".join(f"{n}={params[n]}" for n in names if params.get(n))


@dataclass(frozen=True)
class Choice:
    """A list filter whose value must be one of ``values`` (or pass ``values`` when it is a
    test), and the name the page gives it (``label``) in the message about an unknown one."""

    label: Any
    values: Collection[str] | Callable[[str], bool]

    def knows(self, text: str) -> bool:
        return self.values(text) if callable(self.values) else text in self.values


def is_year(text: str) -> bool:
    """A year of the bounds every list and the API keep (``core.params``)."""
    return text.isascii() and text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR


# What a checkbox filter may say (as the API's booleans).
FLAG_WORDS = frozenset({"1", "0", "true", "false", "yes", "no", "on", "off"})


def is_flag(text: str) -> bool:
    """A checkbox filter's value: 1 or 0, and the words the API takes for them."""
    return text.lower() in FLAG_WORDS


def among(records: Any, field: str = "code") -> Callable[[str], bool]:
    """A filter naming one of ``records`` (a scoped queryset: a unit, a grid) by ``field``;
    asked only when the filter is given."""
    return lambda text: records.filter(**{field: text}).exists()


def is_day(text: str) -> bool:
    """A YYYY-MM-DD day within the bounds (``parse_day``)."""
    return parse_day(text) is not None


# How long a value the message about an unknown filter repeats, before it is cut short.
SHOWN_VALUE = 40


def known_filters(request: HttpRequest, **choices: Choice) -> QueryDict:
    """The request's query without the filter values a list does not know, and a message at
    the top of the page naming each: 「未识别的筛选条件：状态 = bogus，已忽略」 (ADR 0015: the API
    refuses them with 422; a page still shows its list).

    A filter left out is as if never given, so the list falls back to its default (a list
    that opens on 待处理 opens on it again). The page reads its filters, and builds its paging
    links, from what this answers rather than from ``request.GET``. A value is kept stripped;
    an empty one is no filter. A partial page (htmx) shows no message: the form it comes from
    offers known values only, and a message left unread would surface on the next page.
    """
    params = request.GET.copy()
    unknown = []
    for name, choice in choices.items():
        if name not in params:
            continue
        text = str(params.get(name) or "").strip()
        if not text or choice.knows(text):
            params[name] = text
            continue
        del params[name]
        shown = text if len(text) <= SHOWN_VALUE else f"{text[:SHOWN_VALUE]}…"
        unknown.append(f"{choice.label} = {shown}")
    if unknown and not request.headers.get("HX-Request"):
        text = _("未识别的筛选条件：%(filters)s，已忽略") % {"filters": "；".join(unknown)}
        messages.warning(request, text)
    return params


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
