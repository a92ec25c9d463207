"""Checks shared by the case services: dates (not in the future, not before the stage began)
and reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case
from xiaoneng.core import pages
from xiaoneng.core.errors import InvalidInput

S = Case.Status
MIN_REASON = 2

# The date each stage began, as a message names it.
STAGE_DATES = {
    S.LEAD: gettext_lazy("线索登记日期"),
    S.FILED: gettext_lazy("立案日期"),
    S.INVESTIGATING: gettext_lazy("调查开始日期"),
    S.NOTIFIED: gettext_lazy("告知日期"),
    S.DECIDED: gettext_lazy("处罚决定日期"),
    S.EXECUTING: gettext_lazy("执行开始日期"),
}


def parse_day(value: Any, field: str) -> dt.date | None:
    """A date given as a date or ``YYYY-MM-DD`` text (``core.pages.parse_day``); None when
    empty; malformed is refused, naming ``field``."""
    if value in (None, ""):
        return None
    day = pages.parse_day(value)
    if day is None:
        text = str(value).strip()
        raise InvalidInput.single(field, _("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": text})
    return day


def check_day(
    day: dt.date | None, field: str, what: str, earliest: dt.date | None, earliest_what: str
) -> dt.date:
    """``day`` required, not after today and not before ``earliest`` (named ``earliest_what``)."""
    if day is None:
        raise InvalidInput.single(field, _("请填写%(what)s（YYYY-MM-DD）") % {"what": what})
    if day > timezone.localdate():
        raise InvalidInput.single(
            field, _("%(what)s不能晚于今天：%(date)s") % {"what": what, "date": day}
        )
    if earliest is not None and day < earliest:
        raise InvalidInput.single(
            field,
            _("%(what)s不能早于%(earliest_what)s %(earliest)s：%(date)s")
            % {"what": what, "earliest_what": earliest_what, "earliest": earliest, "date": day},
        )
    return day


def stage_day(case: Case, day: dt.date | None, field: str, what: str) -> dt.date:
    """``day`` checked against today and the date the case's current stage began."""
    return check_day(day, field, what, case.stage_started_on, str(STAGE_DATES[case.status]))


def require_reason(given: str, *, what: str, field: str = "reason") -> str:
    """``given`` stripped; refused (naming ``what``) when shorter than two characters."""
    text = (given or "").strip()
    if len(text) < MIN_REASON:
        raise InvalidInput.single(field, _("请填写%(what)s") % {"what": what})
    return text
