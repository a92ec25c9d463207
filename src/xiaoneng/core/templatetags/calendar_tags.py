"""The 「暂定」 mark next to a date computed in a year whose holidays are not loaded yet.

``{% provisional_mark date %}`` renders a small badge (with the reason as its title) when
``date`` lies after the calendar's last loaded year, nothing otherwise; ``{{ date|provisional }}``
gives 「（暂定）」 or "" for plain text. Reports and exports use ``provisional_suffix``; API
schemas resolve their ``<field>_provisional`` with ``is_provisional`` and
``last_known_year_for(request)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import Max
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from xiaoneng.core.models import CalendarYear

register = template.Library()

_CACHE_KEY = "xiaoneng_calendar_last_known_year"


def last_known_year() -> int | None:
    """The last year whose holidays the calendar table holds (None: an empty table)."""
    year: int | None = CalendarYear.objects.aggregate(last=Max("year"))["last"]
    return year


def is_provisional(day: Any, last_year: int | None) -> bool:
    """Whether ``day`` (a date, or anything else: never) lies after ``last_year``."""
    if not isinstance(day, dt.date):
        return False
    return last_year is None or day.year > last_year


def provisional_suffix(day: Any, last_year: int | None) -> str:
    """「（暂定）」 after a provisional date in plain text (reports, exports); "" otherwise."""
    return _("（暂定）") if is_provisional(day, last_year) else ""


def last_known_year_for(request: Any) -> int | None:
    """The last known year, looked up once per request (API resolvers, templates)."""
    if request is None:
        return last_known_year()
    if not hasattr(request, _CACHE_KEY):
        setattr(request, _CACHE_KEY, last_known_year())
    return getattr(request, _CACHE_KEY)


def _last_year(context: template.Context) -> int | None:
    """The last known year, looked up once per request (or per rendering without one)."""
    request = context.get("request")
    if request is not None:
        return last_known_year_for(request)
    cache = context.render_context
    if _CACHE_KEY not in cache:
        cache[_CACHE_KEY] = last_known_year()
    return cache[_CACHE_KEY]


@register.simple_tag(takes_context=True)
def provisional_mark(context: template.Context, day: Any) -> SafeString:
    """A 「暂定」 badge after a date counted on weekdays only; nothing for a known year."""
    if not is_provisional(day, _last_year(context)):
        return SafeString("")
    return format_html(
        ' <span class="badge text-bg-warning" data-testid="provisional" title="{}">{}</span>',
        _("该年节假日安排尚未载入，暂按周一至周五计算"),
        _("暂定"),
    )


@register.filter
def provisional(day: Any) -> str:
    """「（暂定）」 after a provisional date in plain text; "" otherwise."""
    return provisional_suffix(day, last_known_year())
