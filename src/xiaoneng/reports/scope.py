"""Who and what a period report covers: the scope (a unit's subtree, within the user's) and
the period and unit as a page, the API or the CLI give them, each field checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.core.pages import parse_day
from xiaoneng.core.scoping import in_scope, visible_unit_ids
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit

M = TypeVar("M", bound=models.Model)
MAX_YEARS = 3  # a longer period is refused: nobody reports on it, and it would only be slow


# Scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The unit reported on and the ids of its subtree (None: every unit, no filter at all)."""

    unit: Unit | None
    unit_ids: list[int] | None

    def filter(self, queryset: models.QuerySet[M], path: str = "unit_id") -> models.QuerySet[M]:
        """``queryset`` restricted to the subtree, on the column ``path``."""
        if self.unit_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.unit_ids})

    def covers(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids


def out_of_scope(code: str) -> NotPermitted:
    message = _("单位不在您的辖区内：%(code)s") % {"code": code}
    return NotPermitted(f"unit: {message}", errors=[FieldError("unit", message)])


def report_scope(*, unit: Unit | None, user: Officer | None) -> Scope:
    """The subtree a report covers: ``unit``'s, or the user's whole scope; ``user`` None is the
    administrator (the CLI). A unit outside the user's scope is refused."""
    if user is not None:
        if visible_unit_ids(user) == []:
            raise NotPermitted(_("您没有所属单位，不能生成报告。"))
        if unit is not None and not in_scope(user, unit.pk):
            raise out_of_scope(unit.code)
        if unit is None:
            unit = access.scope_root(user)
    if unit is None:
        roots = list(Unit.objects.filter(parent__isnull=True).order_by("pk")[:2])
        if len(roots) != 1:
            return Scope(None, None)
        unit = roots[0]
    # The whole organisation is None: no unit filter keeps every date index usable on its own.
    return Scope(unit, Unit.objects.subtree_ids(unit))


# Input ----------------------------------------------------------------------------------------


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, month=3, day=1)


def period_errors(start: dt.date | None, end: dt.date | None) -> list[FieldError]:
    """What is wrong with a period: end before start, or longer than ``MAX_YEARS`` years."""
    if start is None or end is None:
        return []
    if end < start:
        return [
            FieldError(
                "to",
                _("结束日期 %(end)s 早于开始日期 %(start)s") % {"end": end, "start": start},
            )
        ]
    if end >= _years_later(start, MAX_YEARS):
        return [
            FieldError(
                "to",
                _("报告期间不能超过 %(years)d 年：%(start)s 至 %(end)s")
                % {"years": MAX_YEARS, "start": start, "end": end},
            )
        ]
    return []


def _date(name: str, label: str, text: str | None, errors: list[FieldError]) -> dt.date | None:
    """The date ``text`` (``core.pages.parse_day``); a missing or malformed one is noted in
    ``errors`` under ``name``, so that every field of the request is reported at once."""
    value = (text or "").strip()
    if not value:
        errors.append(FieldError(name, _("请填写%(label)s（YYYY-MM-DD）") % {"label": label}))
        return None
    day = parse_day(value)
    if day is None:
        errors.append(
            FieldError(
                name,
                _("%(label)s应为 YYYY-MM-DD 格式的日期：%(value)s")
                % {"label": label, "value": value},
            )
        )
    return day


def parse_request(
    *, start: str | None, end: str | None, unit_code: str | None, user: Officer | None
) -> tuple[dt.date, dt.date, Unit | None]:
    """The period and unit a page, the API or the CLI was given as text; every field checked.

    Errors name the fields ``from``, ``to`` and ``unit``. A unit outside the user's scope is
    refused (403) like any other unit's record.
    """
    errors: list[FieldError] = []
    first = _date("from", _("开始日期"), start, errors)
    last = _date("to", _("结束日期"), end, errors)
    errors += period_errors(first, last)
    unit = None
    code = (unit_code or "").strip()
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            errors.append(FieldError("unit", _("未知的单位代码：%(code)s") % {"code": code}))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    if unit is not None and user is not None and not in_scope(user, unit.pk):
        raise out_of_scope(code)
    assert first is not None and last is not None
    return first, last, unit
